"""One handwritten digit from the crop of one comb cell: a suggestion, never an answer.

The model is a small neural network (64 inputs, one hidden layer, 10 classes)
trained by scripts/train_digits.py on scikit-learn's `load_digits` (the UCI
optdigits set: digits written by people, each scaled into a 32×32 bitmap and
counted in 4×4 blocks, so 8×8 values 0..16) and shipped as numpy weights in
digits.npz beside this file. Reading needs numpy only.

What it says is shown to a person in review, pre-filled, to confirm or correct
(parse/scan.py): it never becomes an answer on its own. `CONFIDENT` (in the
weights file, chosen by the training script) is the probability under which a
cell is shown as unsure rather than as a suggestion; benchmarks/results.md has
the accuracy on the held-out images and the share and accuracy of the confident
ones (`make bench`, or `python scripts/train_digits.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).with_name("digits.npz")
# optdigits: the digit's bitmap is 32×32, counted in blocks of 4×4.
BITMAP = 32
BLOCK = 4
# A sample is ink when it is this much darker than the paper of the cell (the
# scan reader's STRONG_INK, ink.py): the bitmaps of optdigits are black and white.
INK = 0.25
# Specks smaller than this share of the cell's samples, in a row or column at
# the edge of the ink, are trimmed off before the digit is scaled: a dot of dust
# or the cell's blurred border must not widen the bounding box.
EDGE_SPECK = 0.02


@dataclass(frozen=True)
class Digit:
    """A cell's reading: the most likely digit, its probability, all ten."""

    value: int
    confidence: float
    probabilities: tuple[float, ...]

    @property
    def sure(self) -> bool:
        return self.confidence >= model().confident


@dataclass(frozen=True)
class _Model:
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    confident: float


@lru_cache(maxsize=1)
def model() -> _Model:
    with np.load(WEIGHTS) as data:
        return _Model(
            data["w1"].astype(np.float64),
            data["b1"].astype(np.float64),
            data["w2"].astype(np.float64),
            data["b2"].astype(np.float64),
            float(data["confident"]),
        )


def probabilities(features: np.ndarray) -> np.ndarray:
    """Class probabilities (n, 10) of feature rows (n, 64) in optdigits' 0..16."""
    m = model()
    x = np.atleast_2d(np.asarray(features, dtype=np.float64)) / 16.0
    hidden = np.maximum(x @ m.w1 + m.b1, 0.0)
    logits = hidden @ m.w2 + m.b2
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def classify(features: np.ndarray) -> Digit:
    p = probabilities(features)[0]
    value = int(p.argmax())
    return Digit(value, float(p[value]), tuple(round(float(v), 4) for v in p))


def _trim(ink: np.ndarray) -> tuple[slice, slice] | None:
    """The bounding box of the ink, less thin specks at its edges, or None."""
    rows = np.flatnonzero(ink.sum(axis=1) > max(1, EDGE_SPECK * ink.shape[1]))
    cols = np.flatnonzero(ink.sum(axis=0) > max(1, EDGE_SPECK * ink.shape[0]))
    if rows.size == 0 or cols.size == 0:
        return None
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def features(cell: np.ndarray, paper: float | None = None) -> np.ndarray | None:
    """optdigits' 64 features of a grey crop (paper light, ink dark), or None if no ink.

    As optdigits was made: the ink's bounding box is scaled into 32×32 keeping its
    aspect ratio (the longer side fills it), centred, and the ink samples are
    counted in 4×4 blocks.
    """
    cell = np.asarray(cell, dtype=np.float64)
    if paper is None:
        paper = float(np.percentile(cell, 90)) or 255.0
    ink = cell < paper * (1 - INK)
    box = _trim(ink)
    if box is None:
        return None
    digit = ink[box].astype(np.float64)
    h, w = digit.shape
    scale = BITMAP / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    # area sampling: each target sample is the share of ink over its source area
    ys = np.minimum((np.arange(nh * 4) + 0.5) * h / (nh * 4), h - 1).astype(int)
    xs = np.minimum((np.arange(nw * 4) + 0.5) * w / (nw * 4), w - 1).astype(int)
    fine = digit[np.ix_(ys, xs)].reshape(nh, 4, nw, 4).mean(axis=(1, 3))
    bitmap = np.zeros((BITMAP, BITMAP))
    top, left = (BITMAP - nh) // 2, (BITMAP - nw) // 2
    bitmap[top : top + nh, left : left + nw] = fine >= 0.5
    return bitmap.reshape(8, BLOCK, 8, BLOCK).sum(axis=(1, 3)).reshape(64)


def read_digit(cell: np.ndarray, paper: float | None = None) -> Digit | None:
    """The digit written in a cell's crop, or None when it holds no ink."""
    f = features(cell, paper)
    return None if f is None else classify(f)


# --------------------------------------------------------------------------- comb cells

# A cell is measured this far inside its printed lines (the field's border and the
# dividers, 1 pt wide at most, and what the fit leaves), so that they are neither ink
# nor part of the digit. Set on the synthetic scans of tests/test_comb_scan.py (clean
# pages): not yet measured on the scan benchmark's distortions.
CELL_INSET = 2.0
# Where a digit was not read surely, its place in a suggestion.
UNSURE = "?"


@dataclass(frozen=True)
class CombReading:
    """What a comb's cells hold: a suggestion for a person, never an answer.

    `suggestion` is the value as the cells give it, separators in place and UNSURE
    where a written cell's digit is below the model's confidence or a cell is
    neither clearly empty nor clearly written; `cells` has, for each digit cell in
    order, its state (empty | written | uncertain), its digit and confidence."""

    suggestion: str
    cells: list[dict]

    @property
    def sure(self) -> bool:
        return UNSURE not in self.suggestion and bool(self.suggestion)


def read_comb(pixels: np.ndarray, transform, ink, w, fixed: bool) -> CombReading:
    """Read each digit cell of comb widget `w` on an aligned page.

    `fixed`: every cell must hold a digit (a personnummer, a date), so an empty cell
    is a digit not read; else (a number) the digits are those written, and empty
    cells at either end are left out."""
    from ..guards import SCAN_DPI
    from .align import sample
    from .ink import text_state

    cells, chars = [], []
    for ch, (x0, y0, x1, y1) in w.cells():
        if ch != "#":
            chars.append(ch)
            continue
        rect = (x0 + CELL_INSET, y0 + CELL_INSET, x1 - CELL_INSET, y1 - CELL_INSET)
        state = text_state(*ink.shares(rect))
        cell = {"state": state, "digit": None, "confidence": None}
        if state == "written":
            # the cell sampled by numpy's bilinear mix, as the recogniser was measured on
            digit = read_digit(sample(pixels, transform, *rect, SCAN_DPI / 72, True))
            if digit is not None:
                cell["digit"], cell["confidence"] = str(digit.value), round(digit.confidence, 3)
                if digit.sure:
                    chars.append(str(digit.value))
                    cells.append(cell)
                    continue
        cells.append(cell)
        chars.append("" if state == "empty" and not fixed else UNSURE)
    if not fixed:  # a number's empty cells at the ends are room it did not need
        text = "".join(chars)  # one entry a cell: a number's comb has no separators
        inner = [i for i, cell in enumerate(cells) if cell["state"] != "empty"]
        if inner and any(cells[i]["state"] == "empty" for i in range(inner[0], inner[-1] + 1)):
            text = UNSURE  # a gap between digits: not a number to suggest
        return CombReading(text, cells)
    return CombReading("".join(chars), cells)
