"""A parsed form's review items: typed in memory, the same JSON in the journal (model/response)."""

from __future__ import annotations

import json

import pytest

from pdfforms.model.response import Problem, Response, ReviewItem

# Each kind of item the scan reader makes, as its JSON has always been written:
# the journal, the datasets and the demo's outputs keep these keys in this order.
AS_WRITTEN = [
    {
        "question": "roker",
        "field": "roker",
        "option": "ja",
        "marked": ["nej"],
        "reason": "uncertain_mark",
        "seen": "ink_around_box",
        "note": "ink around the box that no mark in a box explains",
        "page": 2,
        "file_page": 5,
        "confidence": 0.412,
        "ink": 0.021,
        "image": "review/000042/roker-ja.png",
    },
    {
        "question": "viktigast_nu",
        "field": "viktigast_nu",
        "reason": "handwriting",
        "page": 1,
        "file_page": 4,
        "image": "review/000042/viktigast_nu.png",
    },
    {
        "question": "datum",
        "field": "datum",
        "reason": "ocr",
        "page": 1,
        "file_page": 4,
        "image": "review/000042/datum.png",
        "text": "2026-11-20",
    },
    {
        "question": "ovrigt",
        "field": "ovrigt",
        "reason": "faint_writing",
        "page": 3,
        "file_page": 6,
        "confidence": 0.5,
        "image": "review/000042/ovrigt.png",
    },
    {
        "question": None,
        "reason": "alignment",
        "page": 2,
        "fields": ["roker", "smak"],
        "file_page": 5,
        "image": "review/000042/page-2.png",
    },
    {  # a page with no fields on it still says so
        "question": None,
        "reason": "page_placed_by_layout",
        "page": 4,
        "fields": [],
        "file_page": 7,
        "image": "review/000042/page-4.png",
    },
]


@pytest.mark.parametrize("written", AS_WRITTEN, ids=lambda j: j["reason"])
def test_an_item_read_from_json_is_written_back_byte_for_byte(written):
    item = ReviewItem.from_json(written)
    assert item.reason == written["reason"] and item.question == written["question"]
    again = item.to_json()
    assert list(again) == list(written)
    assert json.dumps(again, ensure_ascii=False) == json.dumps(written, ensure_ascii=False)
    assert ReviewItem.from_json(again) == item


def test_an_uncertain_mark_made_in_code_has_the_keys_in_their_order():
    item = ReviewItem(
        "roker",
        "uncertain_mark",
        field="roker",
        option="ja",
        marked=[],
        seen="faint_mark",
        note="a faint or small mark in the box",
        page=2,
        file_page=2,
        confidence=0.3,
        ink=0.01,
        image="r.png",
    )
    assert list(item.to_json()) == [
        "question",
        "field",
        "option",
        "marked",  # no other box marked is still said: []
        "reason",
        "seen",
        "note",
        "page",
        "file_page",
        "confidence",
        "ink",
        "image",
    ]
    assert item.to_json()["marked"] == []


def test_keys_this_version_does_not_know_are_kept_where_a_later_one_wrote_them():
    written = {"question": "q", "reason": "handwriting", "page": 1, "lines": 3}
    item = ReviewItem.from_json(written)
    assert item.extra == {"lines": 3}
    assert item.to_json() == written


def test_a_response_holds_typed_items_and_writes_them_as_spec_json():
    item = ReviewItem.from_json(AS_WRITTEN[1])
    response = Response(
        form_id="patient",
        version="1",
        language="sv",
        serial="000042",
        source={"file": "a.pdf", "sha256": "0" * 64, "kind": "scan", "pages": 3},
        answers={"viktigast_nu": None},
        problems=[Problem(None, "missing_page", "error", "page 3 of 3 is not in the scan")],
        review=[item],
    )
    out = response.to_json()
    assert out["review"] == [AS_WRITTEN[1]]
    assert list(out) == ["form", "serial", "unit", "source", "answers", "problems", "review"]
