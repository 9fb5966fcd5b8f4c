"""Digits written in comb cells on a scan: read per cell as a suggestion that a
person confirms in review, never written to the answers unseen. The digits are
people's own: held-out images of scikit-learn's load_digits, never trained on."""

from __future__ import annotations

import datetime
import importlib.util
import random
from pathlib import Path

import numpy as np
import pytest

from pdfforms.dataset.items import decision_items, guess
from pdfforms.model.definition import load_form
from pdfforms.parse.scan import parse_scan
from pdfforms.read.scan import digits
from pdfforms.testing import scans as synth

from .conftest import DEFINITIONS, TEST_FORMS

pytest.importorskip("sklearn")

_spec = importlib.util.spec_from_file_location(
    "train_digits", Path(__file__).resolve().parent.parent / "scripts" / "train_digits.py"
)
train = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(train)

TODAY = datetime.date(2026, 12, 3)
COMBS = ("pnr", "besok", "antal")


@pytest.fixture(scope="module")
def form():
    return load_form(TEST_FORMS / "all_types.yaml")


@pytest.fixture(scope="module")
def held_out():
    """The held-out digits by class: each as the 32×32 bitmap optdigits counted."""
    x, y = train.data()
    xh, yh = train.split(x, y)[1]
    by_digit: dict[str, list[np.ndarray]] = {}
    for image, label in zip(xh, yh, strict=True):
        by_digit.setdefault(str(label), []).append(train.drawn(image, 1)[4:-4, 4:-4])
    return by_digit


def _scan(tmp_path, form, answers, seed, digit_image=None, distortion=None):
    rng = random.Random(seed)
    pages, _ = synth.make_scan(
        form, "sv", answers, synth.serial_for(rng), rng, distortion, digit_image=digit_image
    )
    path = tmp_path / f"scan-{seed}.pdf"
    path.write_bytes(synth.scanned_pdf(pages))
    result = parse_scan(path, [DEFINITIONS, TEST_FORMS], tmp_path / "review", today=TODAY)
    (response,) = result.responses
    return response


def _items(response) -> dict:
    return {i.field: i for i in response.review if i.field in COMBS}


def test_people_s_digits_in_comb_cells_are_suggested_never_answered(tmp_path, form, held_out):
    """Every comb goes to a person with its suggestion and the crop; no answer is set.
    Over the cells, the digits read surely are right (people's own handwriting)."""
    sure = right = cells = 0
    for seed in range(4):
        rng = random.Random(100 + seed)

        def digit_image(ch, r, rng=rng):
            return rng.choice(held_out[ch])

        answers = {"pnr": "19121212-1212", "besok": f"2021-0{seed + 1}-1{seed}", "antal": 27}
        response = _scan(tmp_path, form, answers, seed, digit_image)
        items = _items(response)
        assert set(items) == set(COMBS)
        for name in COMBS:
            assert response.answers[name] is None  # nothing reaches the dataset unseen
            item = items[name]
            assert item.reason == "handwriting" and item.image and item.suggestion is not None
            truth = str(answers[name]).replace("-", "")
            read = [c for c in item.cells if c["state"] != "empty"]
            assert len(read) == len(truth), (name, item.cells)  # empty cells are empty
            for c, want in zip(read, truth, strict=True):
                cells += 1
                if c["confidence"] is not None and c["confidence"] >= digits.model().confident:
                    sure += 1
                    right += c["digit"] == want
            if item.suggestion_problem is None:  # pre-filled only when whole and checked
                assert "?" not in item.suggestion
    assert cells == 4 * (12 + 8 + 2)
    print(f"comb cells: {cells}, read surely {sure} ({sure / cells:.0%}), right {right}")
    assert sure >= 0.6 * cells
    assert right >= 0.95 * sure, (right, sure)


def test_a_suggestion_that_fails_the_question_s_check_is_not_prefilled(tmp_path, form, held_out):
    """A personnummer whose check digit is wrong, a date that cannot be, and a number
    out of the question's range: shown with why, and not put into the box."""
    # of each digit, the held-out image the model is surest of: read surely, so the
    # question's check is what decides
    clearest = {}
    for ch, images in held_out.items():
        probs = [digits.read_digit(im, paper=255.0) for im in images]
        best = max(
            (p.confidence, n) for n, p in enumerate(probs) if p is not None and str(p.value) == ch
        )
        clearest[ch] = images[best[1]]

    def digit_image(ch, r):
        return clearest[ch]

    good = _items(_scan(tmp_path, form, {"pnr": "19121212-1212"}, 7, digit_image))["pnr"]
    assert good.suggestion == "19121212-1212" and good.suggestion_problem is None
    answers = {"pnr": "19121212-1213", "besok": "2021-13-45", "antal": 35}
    response = _scan(tmp_path, form, answers, 8, digit_image)
    items = _items(response)
    assert items["pnr"].suggestion == "19121212-1213"
    assert "check digit" in items["pnr"].suggestion_problem
    assert items["besok"].suggestion == "2021-13-45" and items["besok"].suggestion_problem
    assert items["antal"].suggestion == "35" and items["antal"].suggestion_problem
    obj = response.to_json()
    units = {u.items[0].field: u for u in decision_items(obj, 1, form) if u.items[0].field in COMBS}
    for name in ("pnr", "besok"):
        unit = units[name]
        assert guess(obj, unit, unit.targets[0]) == ""  # the box is left for the person
    assert response.answers["pnr"] is None


def test_a_clear_comb_suggestion_is_prefilled_for_confirmation(tmp_path, form, held_out):
    def digit_image(ch, r):
        return held_out[ch][0]

    response = _scan(tmp_path, form, {"pnr": "19121212-1212"}, 9, digit_image)
    # the combs left empty are empty: their printed cells are not writing
    assert set(_items(response)) == {"pnr"}
    item = _items(response)["pnr"]
    obj = response.to_json()
    (unit,) = [u for u in decision_items(obj, 1, form) if u.items[0].field == "pnr"]
    expected = item.suggestion if item.suggestion_problem is None else ""
    assert guess(obj, unit, unit.targets[0]) == expected
    assert response.answers["pnr"] is None


def test_a_dataset_without_personnummer_keeps_no_digits_of_one(tmp_path, form, held_out):
    """Without --keep-personnummer a dataset holds no personnummer: nor the
    recogniser's reading of one, whole or digit by digit (the crop alone stays)."""
    import json

    from pdfforms.model.privacy import Privacy

    def digit_image(ch, r):
        return held_out[ch][1]

    response = _scan(
        tmp_path, form, {"pnr": "19121212-1212", "besok": "2020-05-17"}, 11, digit_image
    )
    obj = Privacy().apply(response.to_json(), form)
    (pnr,) = [i for i in obj["review"] if i.get("field") == "pnr"]
    assert "suggestion" not in pnr and "cells" not in pnr and pnr["image"]
    assert "1212" not in json.dumps({k: v for k, v in pnr.items() if k != "image"})
    (besok,) = [i for i in obj["review"] if i.get("field") == "besok"]
    assert besok["suggestion"]  # a date is no personnummer: its suggestion stays
