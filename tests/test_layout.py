"""Form + language → Layout: where every text, box, corner mark and QR code sits (pure,
deterministic; no PDF is drawn here)."""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import subprocess
import sys

import pytest

from pdfforms.model.definition import parse_definition
from pdfforms.model.identity import parse_qr
from pdfforms.model.layout import (
    CONTENT_BOTTOM,
    CONTENT_TOP,
    MARGIN_X,
    MARK_INSET,
    MARK_SIZE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    QR_SIZE,
    build_layout,
    width_of,
)

from .conftest import ROOT


@pytest.mark.parametrize("name", ["patient", "unit", "all_types", "vardplan"])
def test_no_question_is_split_from_its_answer_boxes(forms, name):
    form = forms[name]
    for lang in form.languages:
        for large in (False, True):
            layout = build_layout(form, lang, large)
            number_page = {}
            label_page = {}  # a question printed without a number: its label's first line
            for page in layout.pages:
                for t in page.texts:
                    # a question's number (a group's rows are numbered too)
                    if re.fullmatch(r"\d+\.", t.text) and t.role[:1] == ("number",):
                        number_page.setdefault(int(t.text[:-1]), page.number)
                    if t.role[:1] == ("label",):
                        label_page.setdefault(t.role[1], page.number)
            for q in form.answerable:
                first_widget = next(
                    w for p in layout.pages for w in p.widgets if w.question == q.id
                )
                starts = number_page[q.number] if q.number is not None else label_page[q.id]
                assert starts == layout.page_of(first_widget.field), q.id


def test_a_grid_taller_than_a_page_continues_with_its_header(forms):
    rows = "\n".join(
        f"          - {{id: r{i}, label: 'Rad {i} med ett par ord till'}}" for i in range(70)
    )
    text = f"""form: lang-grid
version: "1"
languages: [sv]
title: Lång
sections:
  - id: s
    questions:
      - id: g
        type: grid
        label: Många rader
        options: [{{value: a, label: Alltid}}, {{value: b, label: Aldrig}}]
        rows:
{rows}
"""
    form, faults = parse_definition(text)
    assert faults == []
    layout = build_layout(form)
    assert len(layout.pages) >= 2
    for page in layout.pages:
        texts = [t.text for t in page.texts]
        assert "Alltid" in texts and "Aldrig" in texts  # the header row on every page
    fields = [w.field for w in layout.widgets()]
    assert len(fields) == 140 and len(set(fields)) == 70


# -- the geometry every reader relies on --------------------------------------------------

ALL = [("patient", lang) for lang in ("sv", "en")] + [
    ("unit", "sv"),
    ("unit", "en"),
    ("all_types", "sv"),
    ("all_types", "en"),
]


def _layouts(forms):
    for name, lang in ALL:
        for large in (False, True):
            yield (
                f"{name}-{lang}{'-large' if large else ''}",
                build_layout(forms[name], lang, large),
            )


def _text_box(t) -> tuple[float, float, float, float]:
    """Where a text is drawn: its measured width from its anchor, descender to cap height."""
    width = width_of(t.text, t.font, t.size)
    x0 = {"left": t.x, "right": t.x - width, "center": t.x - width / 2}[t.align]
    return x0, t.y - 0.25 * t.size, x0 + width, t.y + 0.8 * t.size


def _touch(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def test_the_same_form_gives_the_same_layout_in_any_process(forms):
    """A scan is read with a layout built anew, in another process: it must be the one the
    form was printed from, whatever the hash seed or what was laid out before."""
    script = (
        "import hashlib, sys\n"
        "from pdfforms.model.definition import load_form\n"
        "from pdfforms.model.layout import build_layout\n"
        "from tests.conftest import FORM_FILES\n"
        "for name, lang, large in (('all_types', 'en', True), ('patient', 'sv', False)):\n"
        "    layout = build_layout(load_form(FORM_FILES[name]), lang, large)\n"
        "    print(hashlib.sha256(repr(layout).encode()).hexdigest())\n"
    )
    build_layout(forms["unit"], "en")  # something laid out before, in this process only
    here = [
        hashlib.sha256(repr(build_layout(forms[name], lang, large)).encode()).hexdigest()
        for name, lang, large in (("all_types", "en", True), ("patient", "sv", False))
    ]
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.stdout.split() == here, seed


def test_every_box_lies_in_the_content_area_and_no_two_overlap(forms):
    for name, layout in _layouts(forms):
        for page in layout.pages:
            for w in page.widgets:
                assert MARGIN_X <= w.x and w.x + w.w <= PAGE_WIDTH - MARGIN_X, (name, w.field)
                assert CONTENT_BOTTOM <= w.y and w.y + w.h <= CONTENT_TOP, (name, w.field)
            for a, b in itertools.combinations(page.widgets, 2):
                assert not _touch(a.rect, b.rect), (name, page.number, a.field, a.on, b.on)


def test_every_text_lies_between_the_margins(forms):
    for name, layout in _layouts(forms):
        for page in layout.pages:
            for t in page.texts:
                x0, _y0, x1, _y1 = _text_box(t)
                assert MARGIN_X - 0.01 <= x0 and x1 <= PAGE_WIDTH - MARGIN_X + 0.01, (name, t.text)


def test_every_page_has_its_corner_marks_and_qr_code_clear_of_everything(forms):
    m, s = MARK_INSET, MARK_SIZE
    corners = {
        (m, m),
        (PAGE_WIDTH - m - s, m),
        (m, PAGE_HEIGHT - m - s),
        (PAGE_WIDTH - m - s, PAGE_HEIGHT - m - s),
    }
    for name, layout in _layouts(forms):
        total = len(layout.pages)
        for page in layout.pages:
            assert {(k.x, k.y) for k in page.marks} == corners, (name, page.number)
            assert all((k.w, k.h, k.fill) == (s, s, 0.0) for k in page.marks)
            assert page.qr is not None and (page.qr.w, page.qr.h) == (QR_SIZE, QR_SIZE)
            read = parse_qr(layout.qr_payload(page.number))  # what the scan reader gets back
            assert (read.form, read.version, read.language, read.large_print) == (
                layout.form_id,
                layout.version,
                layout.language,
                layout.large_print,
            )
            assert (read.page, read.pages) == (page.number, total)
            kept = [(k.x, k.y, k.x + k.w, k.y + k.h) for k in page.marks]
            kept.append((page.qr.x, page.qr.y, page.qr.x + page.qr.w, page.qr.y + page.qr.h))
            drawn = [w.rect for w in page.widgets]
            drawn += [(r.x, r.y, r.x + r.w, r.y + r.h) for r in page.rects]
            drawn += [_text_box(t) for t in page.texts]
            for item in drawn:
                assert not any(_touch(item, k) for k in kept), (name, page.number, item)


def test_large_print_has_bigger_text_and_boxes_and_the_same_fields(forms):
    for name, lang in ALL:
        normal = build_layout(forms[name], lang)
        large = build_layout(forms[name], lang, large_print=True)
        assert min(t.size for p in large.pages for t in p.texts) >= 14
        assert [(w.field, w.on) for w in large.widgets()] == [
            (w.field, w.on) for w in normal.widgets()
        ]
        for small, big in zip(normal.widgets(), large.widgets(), strict=True):
            if small.kind in ("radio", "checkbox"):
                assert big.w > small.w and big.h > small.h, (name, small.field, small.on)
            else:
                assert big.h >= small.h and big.font_size > small.font_size, (name, small.field)


def test_every_field_of_the_form_has_its_boxes(forms):
    """The fields SPEC §2 names are exactly those laid out, a radio group with one box per
    option, on the page of its question."""
    for name, layout in _layouts(forms):
        form = forms[name.split("-")[0]]
        fields = [w.field for w in layout.widgets()]
        assert set(fields) == set(form.field_names()), name
        for q in form.answerable:
            pages = {layout.page_of(w.field) for w in layout.widgets() if w.question == q.id}
            if q.type not in ("grid", "textarea"):  # only those may continue on the next page
                assert len(pages) == 1, (name, q.id)
            if q.type in ("single", "scale", "yesno"):
                ons = [w.on for w in layout.widgets() if w.field == q.id]
                assert len(ons) == len(set(ons)) and None not in ons, (name, q.id)
