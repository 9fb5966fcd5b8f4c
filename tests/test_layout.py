"""Form + language → Layout: where every text, box, corner mark and QR code sits (pure,
deterministic; no PDF is drawn here)."""

from __future__ import annotations

import re

import pytest

from pdfforms.model.definition import parse_definition
from pdfforms.model.layout import build_layout


@pytest.mark.parametrize("name", ["patient", "unit", "all_types"])
def test_no_question_is_split_from_its_answer_boxes(forms, name):
    form = forms[name]
    for lang in form.languages:
        for large in (False, True):
            layout = build_layout(form, lang, large)
            number_page = {}
            for page in layout.pages:
                for t in page.texts:
                    if re.fullmatch(r"\d+\.", t.text):
                        number_page.setdefault(int(t.text[:-1]), page.number)
            for q in form.answerable:
                first_widget = next(
                    w for p in layout.pages for w in p.widgets if w.question == q.id
                )
                assert number_page[q.number] == layout.page_of(first_widget.field), q.id


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
