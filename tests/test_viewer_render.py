"""What pdf.js, PDFium and poppler *draw* for files we write: the blank form's boxes,
and in a form we filled, ink exactly where the values are."""

from __future__ import annotations

import numpy as np
import pytest

from pdfforms.fields import answers_to_fields
from pdfforms.fill import fill_pdf
from pdfforms.layout import build_layout

from .answer_sets import answer_sets
from .clients import RENDERERS
from .test_viewer_matrix import need

DPI = 100
DARK = 128


def _box(image: np.ndarray, layout, w, share: float) -> np.ndarray:
    """The middle `share` of a widget's box, in pixels."""
    scale = DPI / 72
    cx, cy = w.x + w.w / 2, w.y + w.h / 2
    half_w, half_h = w.w * share / 2, w.h * share / 2
    left, right = int((cx - half_w) * scale), int((cx + half_w) * scale)
    top, bottom = (
        int((layout.height - cy - half_h) * scale),
        int((layout.height - cy + half_h) * scale),
    )
    return image[top:bottom, left:right]


def _ticked(image, layout, w) -> bool:
    return (_box(image, layout, w, 0.5) < DARK).mean() > 0.10


def _has_text(image, layout, w) -> bool:
    return int((_box(image, layout, w, 0.85) < DARK).sum()) > 20


@pytest.mark.parametrize("name,lang", [("patient", "sv"), ("all_types", "sv"), ("unit", "en")])
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
                if _has_text(image, layout, w) != want:
                    wrong.append(f"{w.field}: {'no text drawn' if want else 'text in a blank box'}")
                if _has_text(blank, layout, w):
                    wrong.append(f"{w.field}: text in the blank form")
    matrix.record(f"drawn by {viewer}", "pdfforms fill", f"{name}-{lang}", "rich", not wrong)
    assert wrong == []
