"""What the dataset tests share: returned forms filled as third-party scripts fill them,
extract run quietly, and its tables and ledger read back."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from pdfforms.dataset.extract import extract
from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.render import generate
from pdfforms.testing.synthetic import fill_like_pypdf, synthetic_answers


def filled(forms, name: str, seed: int, serial: str | None = None, **changes) -> tuple[bytes, dict]:
    form = forms[name]
    answers = synthetic_answers(form, random.Random(seed))
    answers.update(changes)
    blank = generate(form, form.default_language, serial=serial)
    return fill_like_pypdf(blank, answers_to_fields(form, answers)), answers


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def ledger(out: Path) -> dict[str, dict]:
    rows = read_csv(out.with_name(out.name[: -len(out.suffix)] + ".ledger.csv"))
    return {r["file"]: r for r in rows}


@pytest.fixture(scope="module")
def folder(tmp_path_factory, forms):
    """Patient and unit forms, an all-types form, a bad file and a byte-for-byte copy."""
    root = tmp_path_factory.mktemp("returned")
    (root / "patient").mkdir()
    (root / "unit").mkdir()
    truth = {}
    for i in range(6):
        data, answers = filled(forms, "patient", i)
        (root / "patient" / f"p{i}.pdf").write_bytes(data)
        truth[f"patient/p{i}.pdf"] = answers
    for i in range(3):
        data, answers = filled(forms, "unit", 100 + i)
        (root / "unit" / f"u{i}.pdf").write_bytes(data)
        truth[f"unit/u{i}.pdf"] = answers
    (root / "not-a-form.pdf").write_bytes(b"Dear colleague, the forms are attached.\n")
    (root / "patient" / "p0-again.pdf").write_bytes((root / "patient" / "p0.pdf").read_bytes())
    (root / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    return root, truth


def run(inputs, out: Path, **kw):
    kw.setdefault("workers", 2)
    kw.setdefault("progress", False)
    kw.setdefault("warn", lambda message: None)
    return extract([str(i) for i in inputs], out, **kw)


def _without_seconds(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [row[:-1] for row in csv.reader(fh)]


def _scan_file(forms, path: Path, serials=("AAAAAAAAA1",)) -> None:
    from pdfforms.testing.scans import make_scan, scanned_pdf

    rng = random.Random(7)
    pages = []
    for serial in serials:
        answers = synthetic_answers(forms["unit"], rng)
        pages += make_scan(forms["unit"], "sv", answers, serial, rng)[0]
    path.write_bytes(scanned_pdf(pages))
