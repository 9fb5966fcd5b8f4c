"""A scan file read in page ranges apart (as extract does on many cores or a cluster)
and assembled gives what reading it whole gives: the same responses, page reports
and crops, byte for byte."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from pdfforms.model.layout import build_layout
from pdfforms.parse.scan import STAGING, assemble_scan, parse_scan, read_pages
from pdfforms.testing import scans as synth
from pdfforms.testing.synthetic import synthetic_answers

from .conftest import DEFINITIONS, TEST_FORMS

DIRS = [DEFINITIONS, TEST_FORMS]


@pytest.fixture(scope="module")
def mixed_scan(tmp_path_factory, forms) -> Path:
    """Two patient copies with serials and one without, shuffled; a blank back; a page
    whose QR code is gone (placed by its layout); a serial's page scanned twice, the
    copy after a range boundary from the first."""
    form = forms["patient"]
    rng = random.Random(17)
    layout = build_layout(form, "sv")
    pages = []
    for serial in ("AAAAAAAAA1", "BBBBBBBBB2", None):
        answers = synthetic_answers(form, rng, blank_rate=0.1)
        pages += synth.make_scan(form, "sv", answers, serial, rng, "test")[0]
    n = len(layout.pages)
    for code in (layout.pages[1].qr, layout.pages[1].second_qr):  # B's page 2 loses both
        if code is not None:  # the second code: layout edition 5 on
            x0, y0, x1, y1 = synth.widget_box(code)
            pages[n + 1][int(y0) - 4 : int(y1) + 4, int(x0) - 4 : int(x1) + 4] = 255
    blank = np.full_like(pages[0], 250)
    order = [*range(n, 2 * n)] + [*range(n)]  # B before A
    rng.shuffle(order)
    shuffled = [pages[i] for i in order]
    shuffled.insert(3, blank)
    shuffled.append(pages[0].copy())  # A's page 1 again, far from the first
    shuffled += pages[2 * n :]  # the copy without serials: a run of pages, in order
    path = tmp_path_factory.mktemp("parts") / "mixed.pdf"
    path.write_bytes(synth.scanned_pdf(shuffled))
    return path


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _as_json(result) -> str:
    return json.dumps(
        {
            "responses": [r.to_json() for r in result.responses],
            "pages": [p.to_json() for p in result.pages],
        },
        sort_keys=True,
    )


@pytest.mark.parametrize("size", [1, 2, 5])
def test_a_scan_read_in_page_ranges_is_the_scan_read_whole(tmp_path, mixed_scan, size):
    review = tmp_path / "review"
    whole = parse_scan(mixed_scan, DIRS, review)
    statuses = {p.status for p in whole.pages}
    assert {"read", "blank", "placed_by_layout", "duplicate"} <= statuses, statuses
    assert len(whole.responses) == 3
    crops = _tree(review)
    assert crops
    expected = _as_json(whole)
    for p in review.rglob("*"):  # the same folder again, empty
        if p.is_file():
            p.unlink()
    total = len(whole.pages)
    results = []
    for first in reversed(range(1, total + 1, size)):  # ranges come back in any order
        results += read_pages(mixed_scan, first, first + size, DIRS, review)
    assembled = assemble_scan(mixed_scan, results, DIRS, review)
    assert _as_json(assembled) == expected
    assert _tree(review) == crops
    assert not (review / STAGING).exists()


def test_a_range_past_the_end_reads_to_the_end(mixed_scan, tmp_path):
    results = read_pages(mixed_scan, 10, 10_000, DIRS, tmp_path / "review")
    total = len(parse_scan(mixed_scan, DIRS, tmp_path / "whole").pages)
    assert [r.report.page for r in results] == list(range(10, total + 1))
