"""Ink around a box that belongs to its neighbour (issue 17: the review share).

A grid's rows stand close, so a ring drawn around one row's box reaches into the
ring of the boxes above and below it, and the tail of a tick runs towards the box
beside. That ink is the neighbour's: the neighbour's question goes to a person,
the rows around it are read as they are. A ring around the box itself, however
drawn, is still its own.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from pdfforms.model.layout import build_layout
from pdfforms.testing import scans as synth

from .test_scan import _for_a_person
from .test_scan_lines import _read

ROWS = ["promenad", "laser", "sjunger"]


def _grid_scan(form, answers, seed):
    rng = random.Random(seed)
    pages, _ = synth.make_scan(
        form,
        "sv",
        answers,
        synth.serial_for(rng),
        rng,
        synth.Distortion(blur=0.6, noise=2.0),
        mark_kinds=["tick"],
    )
    return pages


def _box(form, field, on):
    layout = build_layout(form, "sv")
    for number, page in enumerate(layout.pages):
        for w in page.widgets:
            if (w.field, w.on) == (field, on):
                return number, synth.widget_box(w)
    raise LookupError(field)


def _ring(page: np.ndarray, box, grow: float, seed: int) -> None:
    """A pen ring around `box` (pixels), `grow` times its side across."""
    x0, y0, x1, y1 = box
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * grow / 2
    # only the window the ring lies in is looked at, not the whole page
    top, left = int(cy - r - 4), int(cx - 1.1 * r - 4)
    window = page[top : int(cy + r + 5), left : int(cx + 1.1 * r + 5)]
    rows, cols = np.mgrid[0 : window.shape[0], 0 : window.shape[1]]
    near = np.zeros(window.shape, dtype=bool)
    for a in np.linspace(0, 2 * np.pi, 400):
        x, y = cx + r * 1.1 * np.cos(a) - left, cy + r * np.sin(a) - top
        near |= (cols - x) ** 2 + (rows - y) ** 2 <= 2.0**2
    window[near] = random.Random(seed).randint(20, 60)


def _ringed(tmp_path, forms, tick: str, row: str, option: str, grow: float, seed: int):
    """The grid's rows all ticked on `tick`, a ring drawn around `row`'s `option` box:
    the response, and the fields sent to a person."""
    form = forms["all_types"]
    pages = _grid_scan(form, {"vanor": {r: tick for r in ROWS}}, seed)
    number, box = _box(form, f"vanor__{row}", option)
    _ring(pages[number], box, grow, seed)
    response = _read(tmp_path, pages)
    return response, {item.field for item in response.review}


@pytest.mark.parametrize("grow", [1.7, 1.8])
def test_a_ring_around_a_grid_box_is_its_rows_not_the_rows_beside_it(tmp_path, forms, grow):
    """The middle row's 'aldrig' is ringed (its tick is on 'ibland'): that row goes to
    a person; the rows above and below are read as ticked, none of their boxes
    sent to a person for the ring beside them."""
    response, fields = _ringed(tmp_path, forms, "ibland", "laser", "aldrig", grow, 7)
    assert "vanor__laser" in fields
    assert not {"vanor__promenad", "vanor__sjunger"} & fields
    assert response.answers["vanor"]["promenad"] == "ibland"
    assert response.answers["vanor"]["sjunger"] == "ibland"
    assert "vanor" in _for_a_person(response)  # the ringed row is the grid's


@pytest.mark.parametrize("grow", [1.7, 1.8])
def test_the_last_rows_ring_is_its_own_and_the_row_above_is_read(tmp_path, forms, grow):
    """The last row's ringed box, beside its tick on the first option: the ring lies
    nearest that box, so its row goes to a person, and the row above is read."""
    response, fields = _ringed(tmp_path, forms, "alltid", "sjunger", "aldrig", grow, 8)
    assert "vanor__sjunger" in fields
    assert "vanor__laser" not in fields
    assert response.answers["vanor"]["laser"] == "alltid"
