"""The data-protection block (issue 15): set in the definition, checked with file:line
faults, printed at the end of the form in edition 2, never an answer."""

from __future__ import annotations

import json

import jsonschema
import pytest

from pdfforms.generate.render import generate
from pdfforms.model.definition import load_form, parse_definition
from pdfforms.model.layout import build_layout, hint
from pdfforms.model.schema import json_schema

from .conftest import DEFINITIONS

BASE = """\
form: dp
version: "1"
languages: [sv, en]
title: {sv: "Titel", en: "Title"}
intro: {sv: "Inledning.", en: "Introduction."}
%s
sections:
  - id: del
    questions:
      - id: mat
        type: yesno
        label: {sv: "Äter du?", en: "Do you eat?"}
"""

BLOCK = """\
data_protection:
  controller: {sv: "Region Testfjäll ansvarar.", en: "Region Testfjäll is responsible."}
  purpose: {sv: "För din vård.", en: "For your care."}
  rights: {sv: "Du får se dina uppgifter.", en: "You may see your data."}
  contact: {sv: "dso@testfjall.example", en: "dso@testfjall.example"}
"""


def _form(block: str):
    return parse_definition(BASE % block, "dp.yaml")


def _texts(layout) -> list[str]:
    return [t.text for p in layout.pages for t in p.texts]


def test_a_block_is_read_into_the_form_and_never_among_the_answers():
    form, faults = _form(BLOCK)
    assert not faults
    dp = form.data_protection
    assert dp.controller == {
        "sv": "Region Testfjäll ansvarar.",
        "en": "Region Testfjäll is responsible.",
    }
    assert dp.legal_basis is None and dp.retention is None
    without, _ = _form("")
    assert without.data_protection is None
    assert form.answer_keys() == without.answer_keys() == ["mat"]
    assert form.field_names() == without.field_names()


CONTACT = '  contact: {sv: "dso@testfjall.example", en: "dso@testfjall.example"}\n'
PURPOSE = 'purpose: {sv: "För din vård.", en: "For your care."}'


@pytest.mark.parametrize(
    "block,faults",
    [
        (
            "data_protection: Region X\n",
            [(6, "data_protection must be a mapping with controller, purpose, rights, contact")],
        ),
        (
            BLOCK.replace("  rights:", "  right:"),
            [
                (7, "data_protection: 'rights' is missing"),
                (9, "data_protection: unknown key 'right' (did you mean 'rights'?)"),
            ],
        ),
        (BLOCK.replace(CONTACT, ""), [(7, "data_protection: 'contact' is missing")]),
        (
            BLOCK.replace(PURPOSE, 'purpose: {sv: "För din vård."}'),
            [(8, "data_protection: 'purpose' has no translation for 'en'")],
        ),
        (
            BLOCK + '  retention: {sv: "Tio år.", en: "Ten years.", fi: "Kymmenen vuotta."}\n',
            [(11, "data_protection: 'retention' has a text in 'fi', which is not one of the")],
        ),
    ],
)
def test_faults_name_the_line_and_what_is_wrong(block, faults):
    form, found = _form(block)
    assert form is None
    assert [(f.file, f.line) for f in found] == [("dp.yaml", line) for line, _ in faults], found
    for fault, (_, message) in zip(found, faults, strict=True):
        assert message in fault.message


def test_the_json_schema_knows_the_block():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    import yaml

    good = yaml.safe_load(BASE % BLOCK)
    jsonschema.validate(good, schema)
    bad = json.loads(json.dumps(good))
    del bad["data_protection"]["contact"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    bad = json.loads(json.dumps(good))
    bad["data_protection"]["policy"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_printed_at_the_end_in_edition_2_with_a_pointer_under_the_intro(lang, large):
    form, _ = _form(BLOCK)
    layout = build_layout(form, lang, large, edition_no=2)
    texts = _texts(layout)
    title = hint(lang, "dp_title")
    assert texts.count(title) == 1
    # after the last question: below its label on the last page that has one
    pointer = [t.text for t in layout.pages[0].texts if t.role == ("dp_pointer",)]
    assert " ".join(pointer) == hint(lang, "dp_pointer")  # on one line or wrapped
    for key in ("controller", "purpose", "rights", "contact"):
        assert hint(lang, f"dp_{key}") in texts
    assert hint(lang, "dp_legal_basis") not in texts  # not set: not printed
    last = layout.pages[-1]
    heading = next(t for t in last.texts if t.text == title)
    question = next(t for t in last.texts if t.text.startswith(("Äter", "Do you")))
    assert heading.y < question.y
    assert "Region Testfjäll" in " ".join(texts)


def test_edition_1_prints_no_block():
    form, _ = _form(BLOCK)
    without, _ = _form("")
    for lang in ("sv", "en"):
        layout = build_layout(form, lang, False, edition_no=1)
        assert layout == build_layout(without, lang, False, edition_no=1)


def test_the_shipped_patient_form_shows_its_block_in_the_pdf():
    form = load_form(DEFINITIONS / "patient.yaml")
    assert form.data_protection is not None
    data = generate(form, "sv")
    text = "\n".join(_page_texts(data))
    assert hint("sv", "dp_title") in text
    assert "dataskyddsombud@norrfjall.example" in text


def _page_texts(data: bytes) -> list[str]:
    """The text of each page as PDFium extracts it."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def test_a_scan_without_the_page_that_has_nothing_to_fill_loses_nothing(tmp_path):
    """The block may fill a last page with no boxes; a respondent may keep that page."""
    import random

    from pdfforms.parse.scan import parse_scan
    from pdfforms.testing import scans as synth

    form = load_form(DEFINITIONS / "patient.yaml")
    layout = build_layout(form, "sv")
    assert layout.pages[-1].widgets == [] and layout.pages[-2].widgets
    answers = {"leva_livet": "delvis"}
    rng = random.Random(5)
    pages, _ = synth.make_scan(form, "sv", answers, synth.serial_for(rng), rng, None)
    for keep, missing in ((pages[:-1], []), (pages[:-2] + pages[-1:], [len(pages) - 1])):
        path = tmp_path / f"scan-{len(missing)}.pdf"
        path.write_bytes(synth.scanned_pdf(keep))
        [response] = parse_scan(path, [DEFINITIONS], tmp_path / "review").responses
        problems = [p for p in response.problems if p.code == "missing_page"]
        assert [int(p.message.split()[1]) for p in problems] == missing
        if not missing:
            assert response.answers["leva_livet"] == "delvis"
