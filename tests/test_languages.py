"""The patient form in Finnish, Northern Sami, Ukrainian and Arabic (issue 15): drawn
with its letters (Arabic shaped and right to left, the page mirrored), marked as
machine-made until a translator has checked it, scanned and read back. The viewer
matrix (test_viewer_matrix.py) fills them in every client.
"""

from __future__ import annotations

import io
import random
import re
import subprocess
import unicodedata

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

NEW = ["fi", "se", "uk", "ar"]
PAGE_WORD = {"fi": "Sivu 1 / ", "se": "Siidu 1 / ", "uk": "Сторінка 1 з ", "ar": "الصفحة"}
# letters each language needs that Windows-1252 (edition 1's Helvetica) lacks, or has
LETTERS = {"fi": "äöÄÖ", "se": "čđŋŧšá", "uk": "їєґі", "ar": "أسئلةمريض"}


@pytest.mark.parametrize("lang", NEW)
def test_the_patient_form_is_drawn_in_each_new_language(forms, blank_pdf, lang):
    require_program("pdftotext")
    form = forms["patient"]
    data = blank_pdf("patient", lang)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    # Arabic is drawn in its presentation forms (the shaped letters); poppler puts them
    # back in reading order, and NFKC makes them the letters that were written
    # (and poppler marks its right-to-left runs with embedding controls: left out)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    flat = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))
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


def test_an_arabic_page_is_mirrored(forms):
    """Right to left: the question number and the boxes on the right, texts aligned
    right, a question's words left of its box; the marks and QR code where they were."""
    form = forms["patient"]
    ar, sv = build_layout(form, "ar"), build_layout(form, "sv")
    page = ar.pages[1]
    numbers = [t for t in page.texts if re.fullmatch(r"\d+\.", t.text)]
    assert numbers and all(t.align == "right" and t.x > 500 for t in numbers)
    body = [t for t in page.texts if t.y < 760 and t.y > 100]
    assert body and all(t.align in ("right", "center") for t in body)
    for w in page.widgets:  # each option's words end 8 pt left of its box
        assert any(t.align == "right" and abs(t.x - (w.x - 8)) < 0.01 for t in page.texts)
    assert [p.marks for p in ar.pages[:1]] == [p.marks for p in sv.pages[:1]]
    assert ar.pages[0].qr == sv.pages[0].qr


def test_arabic_labels_are_found_left_of_their_boxes(forms):
    """The scan reader looks for a box's words where the layout put them (here, left)."""
    from pdfforms.read.scan.ink import label_rects

    layout = build_layout(forms["patient"], "ar")
    page = layout.pages[1]
    rects = label_rects(page)
    boxes = [i for i, w in enumerate(page.widgets) if w.kind in ("checkbox", "radio")]
    assert boxes and set(rects) == set(boxes)
    for i in boxes:
        x0, _y0, x1, _y1 = rects[i]
        assert x1 <= page.widgets[i].x and x0 < x1


def test_arabic_texts_may_only_use_what_the_arabic_font_draws():
    """The Arabic faces draw Arabic and, borrowed from Noto Sans, Latin, digits and
    punctuation (an address, "(SKR)"); what they lack, such as Cyrillic, validate
    names with the language rather than print boxes."""
    text = alter("languages: [sv, en]", "languages: [sv, ar]")
    text = text.replace("en: ", "ar: ").replace('ar: "Title"', 'ar: "عنوان (SKR) Ж"')
    _form, faults = parse_definition(text, SOURCE, printable=True)
    [fault] = [f for f in faults if f.message.startswith("form: 'title' in 'ar'")]
    assert "'Ж' (U+0416 CYRILLIC CAPITAL LETTER ZHE)" in fault.message
    assert "(Noto Sans Arabic)" in fault.message
    assert "'('" not in fault.message and "'S'" not in fault.message and "'ع'" not in fault.message


def test_right_to_left_text_is_joined_ordered_and_mirrored():
    """What is drawn for an Arabic line: presentation forms (joined letters), the first
    word rightmost, and a guillemet drawn as its mirror image (python-bidi leaves the
    bidi algorithm's mirroring to us)."""
    from pdfforms.model import fonts

    word = fonts.visual("نعم")
    assert unicodedata.normalize("NFKC", word) == "معن"  # the letters, right to left
    assert all(0xFB50 <= ord(ch) <= 0xFEFF for ch in word)  # in their joined forms
    assert fonts.visual("«نعم» أو") == fonts.visual("أو") + " «" + word + "»"
