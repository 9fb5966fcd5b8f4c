"""The real-client matrix: every program fills our forms as it does for its users,
and every returned file, as saved or flattened, parses to exactly the answers filled;
and files we write read and draw the same in pdf.js, PDFium and poppler.

Each test id reads client × form-language × answer set (× flattener); the summary
at the end of the run lists the matrix with its results (conftest.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.fill import fill_pdf
from pdfforms.model.layout import build_layout
from pdfforms.parse.file import parse

from .answer_sets import answer_sets
from .clients import FILLERS, FLATTENERS, READERS, RENDERERS
from .conftest import FORMS_AND_LANGS, need

# the patient form's further languages (issue 15): Finnish, Northern Sami, Ukrainian,
# Arabic (right to left)
NEW_LANGUAGES = [("patient", lang) for lang in ("fi", "se", "uk", "ar")]
FORMS = FORMS_AND_LANGS + NEW_LANGUAGES
CASES = ["synthetic", "blank", "rich"]
FLAT_FORMS = [("patient", "sv"), ("unit", "en"), ("all_types", "sv"), ("all_types", "en")] + [
    ("patient", "se"),
    ("patient", "uk"),
    ("patient", "ar"),
    ("vardplan", "sv"),  # a group's cells, typed and flattened
]

# pdftk (iText) cannot encode typed text into a composite font (docs/viewers.md)
NO_COMPOSITE = {"pdftk-fdf", "pdftk-xfdf"}


def _typed(form, question_id: str) -> bool:
    q = form.question(question_id)
    written = ("text", "textarea", "number", "date", "personnummer", "group")
    return q.type in written or q.other is not None


_filled: dict[tuple, bytes] = {}


def filled_by(client: str, name: str, lang: str, case: str, forms, blank_pdf) -> tuple[bytes, dict]:
    form = forms[name]
    answers = answer_sets(form)[case]
    key = (client, name, lang, case)
    if key not in _filled:
        program = FILLERS[client]
        need(program)
        values = answers_to_fields(form, answers, lang)
        _filled[key] = program.run(blank_pdf(name, lang), values, build_layout(form, lang))
    return _filled[key], answers


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name,lang", FORMS)
@pytest.mark.parametrize("client", list(FILLERS))
def test_saved_by_client(client, name, lang, case, forms, blank_pdf, tmp_path, matrix):
    data, answers = filled_by(client, name, lang, case, forms, blank_pdf)
    path = tmp_path / f"{client}-{name}-{lang}-{case}.pdf"
    path.write_bytes(data)
    response = parse(path)
    damaged = [p.message for p in response.problems if p.code == "damaged_file"]
    ok = response.answers == answers and response.source["kind"] == "acroform" and not damaged
    matrix.record("saved", client, f"{name}-{lang}", case, ok)
    assert response.source["kind"] == "acroform"
    assert response.answers == answers
    assert damaged == []  # a real client's file is never taken for a damaged one


@pytest.mark.parametrize("flattener", list(FLATTENERS))
@pytest.mark.parametrize("name,lang", FLAT_FORMS)
@pytest.mark.parametrize("client", list(FILLERS))
def test_flattened_after_client(client, name, lang, flattener, forms, blank_pdf, tmp_path, matrix):
    data, answers = filled_by(client, name, lang, "rich", forms, blank_pdf)
    program = FLATTENERS[flattener]
    need(program)
    flat = program.run(data)
    path = tmp_path / f"{client}-{flattener}-{name}-{lang}.pdf"
    path.write_bytes(flat)
    # printing to PDF may drop the embedded definition: the folders hold every form
    from .conftest import DEFINITIONS, TEST_FORMS

    response = parse(path, [DEFINITIONS, TEST_FORMS])
    damaged = [p.message for p in response.problems if p.code == "damaged_file"]
    assert response.source["kind"] == "flattened"
    if client in NO_COMPOSITE and build_layout(forms[name], lang).fields_font.composite:
        # pdftk cannot encode text into a composite font (the fields' font of a
        # language Windows-1252 lacks): it draws no glyph. Every typed answer is lost
        # on the copy, and each one says so; the ticks are read.
        lost = {
            k.removesuffix("__other_text")
            for k, v in answers.items()
            if response.answers.get(k) != v
        }
        errors = {p.question for p in response.problems if p.severity == "error"}
        matrix.record(f"flattened by {flattener}", client, f"{name}-{lang}", "rich", "said")
        assert lost and lost <= errors, (lost, errors)
        assert all(_typed(forms[name], k) for k in lost), lost
        return
    ok = response.answers == answers and not damaged
    matrix.record(f"flattened by {flattener}", client, f"{name}-{lang}", "rich", ok)
    assert response.answers == answers
    assert damaged == []  # a real flattener's file is never taken for a damaged one
    # the rich answers fit their boxes: nothing is said to run on past one
    assert [p.message for p in response.problems if p.code == "text_beyond_box"] == []


def _expected_reading(values: dict) -> dict:
    """What a viewer should report for field values we wrote (blank → None, unticked → False)."""
    out = {}
    for name, value in values.items():
        if value is False:
            out[name] = False
        elif value in (None, ""):
            out[name] = None
        else:
            out[name] = value
    return out


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name,lang", FORMS)
@pytest.mark.parametrize("reader", list(READERS))
def test_our_files_read_the_same_in_every_viewer(
    reader, name, lang, case, forms, blank_pdf, matrix
):
    """A form we fill (for tests or pre-filling) shows our values in every viewer."""
    program = READERS[reader]
    need(program)
    form = forms[name]
    values = answers_to_fields(form, answer_sets(form)[case], lang)
    ours = fill_pdf(blank_pdf(name, lang), values)
    seen = program.run(ours, build_layout(form, lang))
    expected = _expected_reading(values)
    got = {
        k: (False if expected[k] is False and seen.get(k) in (None, False) else seen.get(k))
        for k in expected
    }
    matrix.record(f"read by {reader}", "pdfforms fill", f"{name}-{lang}", case, got == expected)
    assert got == expected


# --------------------------------------------------------------------------- drawn

DPI = 100
DARK = 128


def _box(image: np.ndarray, layout, w, share: float) -> np.ndarray:
    """The middle `share` of a widget's box, in pixels: the pixels wholly inside it (a
    pixel the edge of the share only touches may hold the box's antialiased border)."""
    scale = DPI / 72
    cx, cy = w.x + w.w / 2, w.y + w.h / 2
    half_w, half_h = w.w * share / 2, w.h * share / 2
    left, right = math.ceil((cx - half_w) * scale), math.floor((cx + half_w) * scale)
    top, bottom = (
        math.ceil((layout.height - cy - half_h) * scale),
        math.floor((layout.height - cy + half_h) * scale),
    )
    return image[top:bottom, left:right]


def _ticked(image, layout, w) -> bool:
    return (_box(image, layout, w, 0.5) < DARK).mean() > 0.10


def _has_text(image, layout, w, blank=None) -> bool:
    dark = _box(image, layout, w, 0.85) < DARK
    if blank is not None:  # a comb's printed cells are in the blank form: not text
        dark &= _box(blank, layout, w, 0.85) >= DARK
    return int(dark.sum()) > 20


@pytest.mark.parametrize(
    "name,lang", [("patient", "sv"), ("all_types", "sv"), ("unit", "en"), ("vardplan", "sv")]
)
@pytest.mark.parametrize("viewer", list(RENDERERS))
def test_viewer_draws_our_filled_values(viewer, name, lang, forms, blank_pdf, matrix):
    program = RENDERERS[viewer]
    need(program)
    form = forms[name]
    layout = build_layout(form, lang)
    values = answers_to_fields(form, answer_sets(form)["rich"], lang)
    pages = program.run(fill_pdf(blank_pdf(name, lang), values), DPI)
    blank_pages = program.run(blank_pdf(name, lang), DPI)
    assert len(pages) == len(layout.pages)
    wrong = []
    for page, image, blank in zip(layout.pages, pages, blank_pages, strict=True):
        for w in page.widgets:
            if w.kind in ("radio", "checkbox"):
                value = values.get(w.field)
                want = value is True if w.kind == "checkbox" else value == w.on
                if _ticked(image, layout, w) != want:
                    wrong.append(f"{w.field}={w.on}: {'missing' if want else 'unwanted'} tick")
                if _ticked(blank, layout, w):
                    wrong.append(f"{w.field}={w.on}: ticked in the blank form")
            else:
                want = bool(values.get(w.field))
                if _has_text(image, layout, w, blank if w.comb else None) != want:
                    wrong.append(f"{w.field}: {'no text drawn' if want else 'text in a blank box'}")
                if not w.comb and _has_text(blank, layout, w):
                    wrong.append(f"{w.field}: text in the blank form")
    matrix.record(f"drawn by {viewer}", "pdfforms fill", f"{name}-{lang}", "rich", not wrong)
    assert wrong == []
