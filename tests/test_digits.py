"""The comb cells' digit recogniser (read/scan/digits.py): its preprocessing and its
accuracy on real handwritten digits that it was never trained on."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from pdfforms.read.scan import digits

pytest.importorskip("sklearn")  # in the test extra: load_digits is the held-out set

_spec = importlib.util.spec_from_file_location(
    "train_digits", Path(__file__).resolve().parent.parent / "scripts" / "train_digits.py"
)
train = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(train)


def held_out():
    x, y = train.data()
    return train.split(x, y)[1]


def test_a_cell_without_ink_is_no_digit():
    paper = np.full((60, 50), 240, dtype=np.uint8)
    paper[5, 5] = 120  # one speck of dust is not a digit
    assert digits.features(paper) is None
    assert digits.read_digit(paper) is None


def test_features_keep_the_aspect_and_centre_the_ink():
    """A tall thin stroke stays tall and thin and lands in the middle, wherever it
    lies in the cell: optdigits scaled the longer side into 32 and centred it."""
    a = np.full((80, 80), 250, dtype=np.uint8)
    a[10:70, 5:17] = 20  # 60 high, 12 wide, at the left
    b = np.full((80, 80), 250, dtype=np.uint8)
    b[15:75, 60:72] = 20  # the same stroke, at the right and lower
    fa, fb = digits.features(a), digits.features(b)
    assert fa is not None and fb is not None
    np.testing.assert_array_equal(fa, fb)
    grid = fa.reshape(8, 8)
    assert grid[:, :3].sum() == 0 and grid[:, 5:].sum() == 0  # 12/60 of 32: 6-7 samples wide
    assert (grid[:, 3:5].sum(axis=1) > 0).all()  # top to bottom


def test_held_out_digits_read_back_from_a_drawing_of_them():
    """People's digits the model never saw, drawn as the 32×32 bitmaps optdigits
    counted and read by the scan reader's preprocessing: most are right, and
    those it is confident of almost always."""
    x, y = held_out()
    assert len(y) == int(np.load(digits.WEIGHTS)["held_out"])
    f = train.round_trip(x)
    p = digits.probabilities(f)
    right = p.argmax(axis=1) == y
    sure = p.max(axis=1) >= digits.model().confident
    assert right.mean() >= 0.9
    assert sure.mean() >= 0.7
    assert right[sure].mean() >= 0.99


def test_classify_gives_a_probability_for_every_digit():
    x, y = held_out()
    d = digits.classify(x[0])
    assert len(d.probabilities) == 10
    assert abs(sum(d.probabilities) - 1) < 1e-3
    assert d.value == int(np.argmax(d.probabilities))
    assert d.confidence == pytest.approx(max(d.probabilities), abs=1e-4)
