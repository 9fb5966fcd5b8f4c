"""Train the comb cells' digit recogniser and write pdfforms/read/scan/digits.npz.

    python scripts/train_digits.py          # train, write the weights, print the numbers
    python scripts/train_digits.py --check  # only measure the shipped weights

Needs scikit-learn (the `test` and `bench` extras); reading a scan does not.

The data is scikit-learn's `load_digits` (UCI optdigits: 1,797 digits written by
people, each an 8×8 image of counts 0..16). The last HELD_OUT images are never
trained on: they give the accuracy, and the tests write them into comb cells of
synthetic scans. load_digits keeps optdigits' order, in which one writer's
digits lie together, so a held-out tail is mostly other people than the
training ones (a random split would test on the training writers).

Each training image is used twice: as optdigits has it, and as the scan reader
sees it after drawing it large and taking its features again
(read/scan/digits.features), so the model knows the reader's own rounding.

CONFIDENT, the probability from which a cell is shown as a suggestion rather
than as unsure, is chosen on the training images alone (5-fold cross-validated
answers, in folds of consecutive images: mostly other writers): the lowest at
which TARGET of the confident answers were right.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pdfforms.read.scan import digits  # noqa: E402

HELD_OUT = 540  # the last 30 % of load_digits
TARGET = 0.995
HIDDEN = 128
SEED = 17


def data() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.data, d.target


def split(x: np.ndarray, y: np.ndarray):
    n = len(x) - HELD_OUT
    return (x[:n], y[:n]), (x[n:], y[n:])


# A 4×4 ordered-dither matrix: a block of count c gets its c lowest places inked.
BAYER = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]])


def drawn(image: np.ndarray, scale: int = 2) -> np.ndarray:
    """An 8×8 optdigits image as the 32×32 bitmap it was counted from (each block's
    count as that many inked samples, dithered), `scale` times larger, as a grey
    crop: paper 255, ink 0, with a margin of paper."""
    counts = np.asarray(image).reshape(8, 8)
    bitmap = np.kron(counts, np.ones((4, 4))) > np.tile(BAYER, (8, 8))
    big = np.kron(bitmap, np.ones((scale, scale)))
    grey = np.where(big > 0, 0, 255).astype(np.uint8)
    return np.pad(grey, 4 * scale, constant_values=255)


def round_trip(x: np.ndarray) -> np.ndarray:
    out = []
    for row in x:
        f = digits.features(drawn(row), paper=255.0)
        out.append(np.zeros(64) if f is None else f)
    return np.array(out)


def confident_threshold(proba: np.ndarray, y: np.ndarray) -> float:
    best = proba.max(axis=1)
    right = proba.argmax(axis=1) == y
    for t in np.arange(0.5, 1.0, 0.01):
        sure = best >= t
        if sure.any() and right[sure].mean() >= TARGET:
            return round(float(t), 2)
    return 0.99


def numbers(proba: np.ndarray, y: np.ndarray, confident: float) -> dict:
    best = proba.max(axis=1)
    right = proba.argmax(axis=1) == y
    sure = best >= confident
    return {
        "images": int(len(y)),
        "accuracy": float(right.mean()),
        "confident_share": float(sure.mean()),
        "confident_accuracy": float(right[sure].mean()) if sure.any() else float("nan"),
        "confident_wrong": int((sure & ~right).sum()),
    }


def measure(x: np.ndarray, y: np.ndarray) -> dict[str, dict]:
    """The shipped weights on the held-out images: as optdigits has them, and drawn
    large and read back by the scan reader's preprocessing."""
    confident = digits.model().confident
    return {
        "optdigits": numbers(digits.probabilities(x), y, confident),
        "drawn and read back": numbers(digits.probabilities(round_trip(x)), y, confident),
    }


def train() -> None:
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.neural_network import MLPClassifier

    x, y = data()
    (xt, yt), _ = split(x, y)
    xs = np.vstack([xt, round_trip(xt)]) / 16.0
    ys = np.concatenate([yt, yt])

    def net() -> MLPClassifier:
        return MLPClassifier((HIDDEN,), alpha=1e-1, max_iter=3000, random_state=SEED)

    # folds of consecutive images, so that (mostly) other writers answer: a
    # shuffled fold has its writers' other digits in training and is overconfident
    blocks = np.arange(len(xt)) * 5 // len(xt)
    proba = cross_val_predict(
        net(),
        xs,
        ys,
        groups=np.concatenate([blocks, blocks]),
        cv=GroupKFold(5),
        method="predict_proba",
    )
    confident = confident_threshold(proba, ys)
    clf = net().fit(xs, ys)
    np.savez_compressed(
        digits.WEIGHTS,
        w1=clf.coefs_[0].astype(np.float32),
        b1=clf.intercepts_[0].astype(np.float32),
        w2=clf.coefs_[1].astype(np.float32),
        b2=clf.intercepts_[1].astype(np.float32),
        confident=np.float32(confident),
        held_out=np.int32(HELD_OUT),
    )
    digits.model.cache_clear()
    print(f"wrote {digits.WEIGHTS.relative_to(ROOT)}; confident from {confident:.2f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only measure the shipped weights")
    args = parser.parse_args(argv)
    if not args.check:
        train()
    x, y = data()
    _, (xh, yh) = split(x, y)
    for name, n in measure(xh, yh).items():
        print(
            f"{name}: {n['images']} held-out images, accuracy {n['accuracy']:.1%}; "
            f"confident {n['confident_share']:.1%} of them, {n['confident_accuracy']:.1%} right "
            f"({n['confident_wrong']} wrong)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
