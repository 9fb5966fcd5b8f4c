"""The patient form in Finnish, Northern Sami and Ukrainian (issue 15): drawn with its
letters, marked as machine-made until a translator has checked it, scanned and read
back. The viewer matrix (test_viewer_matrix.py) fills them in every client.
"""

from __future__ import annotations

import io
import random
import re
import subprocess

import pikepdf
import pytest
from click.testing import CliRunner

from pdfforms.cli import main
from pdfforms.generate.render import LANG_TAGS
from pdfforms.model.definition import parse_definition
from pdfforms.model.layout import HINTS, build_layout
from pdfforms.parse.scan import parse_scan
from pdfforms.testing import scans as synth

from .conftest import DEFINITIONS, FORM_FILES, TEST_FORMS, require_program
from .test_definitions import SOURCE, alter

NEW = ["fi", "se", "uk"]
PAGE_WORD = {"fi": "Sivu 1 / ", "se": "Siidu 1 / ", "uk": "Сторінка 1 з "}
# letters each language needs that Windows-1252 (edition 1's Helvetica) lacks, or has
LETTERS = {"fi": "äöÄÖ", "se": "čđŋŧšá", "uk": "їєґі"}


@pytest.mark.parametrize("lang", NEW)
def test_the_patient_form_is_drawn_in_each_new_language(forms, blank_pdf, lang):
    require_program("pdftotext")
    form = forms["patient"]
    data = blank_pdf("patient", lang)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    flat = re.sub(r"\s+", " ", text)
    assert PAGE_WORD[lang] in flat and form.title[lang] in flat
    for q in form.answerable:  # every question's opening words, as written
        assert " ".join(q.label[lang].split()[:3]) in flat, q.id
    assert all(ch in flat for ch in LETTERS[lang] if ch in "".join(_texts(form, lang)))
    assert "■" not in text
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.Root.Lang) == LANG_TAGS[lang] == lang


def _texts(form, lang):
    layout = build_layout(form, lang)
    return [t.text for p in layout.pages for t in p.texts]


def test_every_language_has_every_built_in_text():
    for lang in NEW:
        assert HINTS[lang].keys() == HINTS["sv"].keys(), lang
        assert lang in LANG_TAGS


def test_the_machine_translations_are_marked_and_validate_warns():
    form, faults = parse_definition(FORM_FILES["patient"].read_text("utf-8"), "patient.yaml")
    assert faults == []
    assert {t.lang: t.status for t in form.unreviewed()} == {lang: "machine" for lang in NEW}
    assert set(form.translations) == set(NEW)  # sv and en are the originals
    result = CliRunner().invoke(main, ["validate", str(FORM_FILES["patient"])])
    assert result.exit_code == 0 and result.stdout == ""  # warnings are not faults
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == len(NEW)
    for lang, line in zip(NEW, warnings, strict=True):
        assert f"'{lang}' texts are machine-made" in line and "qualified translator" in line
        assert re.match(rf"{re.escape(str(FORM_FILES['patient']))}:\d+: ", line)


MARKER = "option_sets:"


@pytest.mark.parametrize(
    "marker,fault",
    [
        ("translations: {en: {status: machine}}", None),
        ("translations: {en: {status: reviewed, note: checked by A. B.}}", None),
        ("translations: {en: {status: maybe}}", "'status' must be one of machine, reviewed"),
        ("translations: {fi: {status: machine}}", "'fi' is not one of the form's languages"),
        ("translations: {en: machine}", "must be a mapping {status, note}"),
        ("translations: {en: {status: machine, by: me}}", "unknown key 'by'"),
        ("translations: [en]", "'translations' must map languages"),
    ],
)
def test_the_translations_marker_is_validated(marker, fault):
    text = alter(MARKER, f"{marker}\n{MARKER}")
    form, faults = parse_definition(text, SOURCE)
    line = text.splitlines().index(marker) + 1
    if fault is None:
        assert faults == [] and "en" in form.translations
        assert form.translations["en"].line == line
        return
    assert len(faults) == 1 and fault in faults[0].message, faults
    assert faults[0].line == line


@pytest.mark.parametrize("lang", NEW)
def test_a_scan_of_each_new_language_is_read_back(tmp_path, forms, lang):
    """Hand-filled, printed and scanned: the reader finds the language from the QR code
    and reads every tick as made (the boxes sit where this language's texts put them)."""
    from pdfforms.testing.synthetic import synthetic_answers

    form = forms["patient"]
    rng = random.Random(15)
    answers = synthetic_answers(form, rng, blank_rate=0.1)
    pages, truth = synth.make_scan(form, lang, answers, synth.serial_for(rng), rng, None)
    path = tmp_path / f"scan-{lang}.pdf"
    path.write_bytes(synth.scanned_pdf(pages))
    [response] = parse_scan(path, [DEFINITIONS, TEST_FORMS], tmp_path / "review").responses
    assert response.language == lang and response.serial == truth["serial"]
    assert [i for i in response.review if i.reason == "uncertain_mark"] == []
    choices = [q for q in form.answerable if q.type in ("single", "multiple", "yesno")]
    assert choices
    for q in choices:
        got, expected = response.answers[q.id], answers[q.id]
        if q.type == "multiple":  # "other" comes with a write-in line, read by a person
            got = [v for v in got if v != "other"]
            expected = [v for v in expected if v != "other"]
        assert got == expected, q.id
