"""What is not a mark but can look like one in a box: a line running through it (a
fold's crease, a scratch), and a box inked in whole beside a faint one (issue 17:
the silent errors the accuracy benchmark found on folded and noisy pages).
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from pdfforms.model.layout import build_layout
from pdfforms.parse.scan import parse_scan
from pdfforms.testing import scans as synth

from .conftest import DEFINITIONS, TEST_FORMS
from .test_scan import PAGE_2, _for_a_person, _silently_wrong

DIRS = [DEFINITIONS, TEST_FORMS]


def _scan(form, answers, distortion, seed, **kwargs):
    rng = random.Random(seed)
    return synth.make_scan(form, "sv", answers, synth.serial_for(rng), rng, distortion, **kwargs)


def _read(tmp_path, pages):
    path = tmp_path / "scan.pdf"
    path.write_bytes(synth.scanned_pdf(pages))
    [response] = parse_scan(path, DIRS, tmp_path / "review").responses
    return response


def _groove(page: np.ndarray, x: float, depth: float, width: float = 1.6, tilt: float = 2.0):
    """A fold's crease down the whole page through column `x` (pixels): a dark groove
    `depth` of the paper deep, `width` pixels wide, `tilt` degrees off the vertical."""
    rows, cols = np.mgrid[0 : page.shape[0], 0 : page.shape[1]].astype(np.float32)
    centre = x + (rows - page.shape[0] / 2) * math.tan(math.radians(tilt))
    shade = depth * np.exp(-(((cols - centre) / width) ** 2))
    return np.clip(np.rint(page * (1 - shade)), 0, 255).astype(np.uint8)


@pytest.mark.parametrize(
    "paper", [synth.Distortion(blur=0.7, noise=3.0), synth.Distortion(paper=("texture",))]
)
def test_a_crease_through_empty_boxes_beside_inked_ones_is_never_read_as_the_answer(
    tmp_path, forms, paper
):
    """Each question's answer is inked in whole, and a crease runs down the page
    through its 'nej' box: read as a tick, that box turned the inked answer into a
    correction and became the answer, without a word (a folded textured page of
    the accuracy benchmark). A line that runs on beyond a box is never a mark."""
    form = forms["patient"]
    answers = {q: "ja" for q in PAGE_2}
    pages, _ = _scan(form, answers, paper, 51, mark_kinds=["filled"])
    layout = build_layout(form, "sv")
    w = next(w for w in layout.pages[1].widgets if (w.field, w.on) == ("leva_livet", "nej"))
    x0, _, x1, _ = synth.widget_box(w)
    pages[1] = _groove(pages[1], (x0 + x1) / 2, depth=0.3)
    response = _read(tmp_path, pages)
    assert _silently_wrong(response, answers) == []
    # every question the crease crosses: its inked answer, or a person
    for q in PAGE_2:
        assert q in _for_a_person(response) or response.answers[q] == "ja"


def test_a_box_inked_in_whole_beside_a_faint_pencil_on_noisy_paper_is_not_the_answer(
    tmp_path, forms
):
    """A light pencil answer, and another option inked over to cancel it, on textured
    paper: the texture hides the pencil from the fine measure, and the inked box
    alone read as the answer. The box beside an inked one is believed empty only
    when nothing is seen in it at all."""
    form = forms["patient"]
    answers = {q: "nej" for q in PAGE_2}
    pages, truth = _scan(
        form,
        answers,
        synth.Distortion(paper=("texture",)),
        52,
        mark_kinds=["whitened_pencil"],
        cancel_rate=1.0,
    )
    assert any(kind == synth.CANCEL for kind in truth["kinds"].values())
    response = _read(tmp_path, pages)
    assert _silently_wrong(response, answers) == []


def _band(page: np.ndarray, x: float, depth: float, width: float) -> np.ndarray:
    """A copier's toner band down the whole page around column `x` (pixels): `depth`
    of the light taken at its middle, fading over `width` pixels either side."""
    cols = np.arange(page.shape[1], dtype=np.float32)
    shade = depth * np.exp(-(((cols - x) / width) ** 2))
    return np.clip(np.rint(page * (1 - shade[None, :])), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("depth", [0.3, 0.45])
def test_a_toner_band_over_empty_boxes_is_never_read_as_a_tick(tmp_path, forms, depth):
    """A copier's drum leaves a broad grey band down the page; on textured paper the
    empty boxes under it read as marked (their inside dark, and the band's edges
    too soft for the ink around them to show on such paper): a many-answer
    question's unticked options became answers. Ink that goes on all round a
    box is not a mark in it."""
    form = forms["patient"]
    answers = {"leva_livet": "ja"}  # the ways of contact left blank
    pages, _ = _scan(form, answers, synth.Distortion(paper=("texture",)), 52, mark_kinds=["tick"])
    layout = build_layout(form, "sv")
    [(number, w)] = [
        (n, w)
        for n, page in enumerate(layout.pages)
        for w in page.widgets
        if w.field == "kontaktvagar__telefon"
    ]
    x0, _, x1, _ = synth.widget_box(w)
    pages[number] = _band(pages[number], (x0 + x1) / 2, depth, width=(x1 - x0) * 0.8)
    response = _read(tmp_path, pages)
    # each option of a many-answer question is its own box, asked about alone
    flagged = {item.field for item in response.review}
    chosen = response.answers["kontaktvagar"] or []
    assert [o for o in chosen if f"kontaktvagar__{o}" not in flagged] == []
