"""`make bench`: our speed side by side with the alternatives, in one run, as ratios.

For now: generating a form, and parsing one filled patient form against the
floor (a raw pikepdf walk of /AcroForm /Fields that reads values and nothing
else) and pypdf's get_fields(). Later issues add extraction, print runs and
scans. Results are printed and written to benchmarks/results.md.
"""

from __future__ import annotations

import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pikepdf
from pypdf import PdfReader

from pdfforms.fields import answers_to_fields
from pdfforms.form import load_form
from pdfforms.parse import parse
from pdfforms.read import read_file
from pdfforms.render import generate
from pdfforms.synthetic import fill_like_pypdf, synthetic_answers

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, repeat: int) -> float:
    """Median seconds per call over `repeat` calls, after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def raw_pikepdf_walk(path: Path) -> dict:
    """The floor: open, walk /AcroForm /Fields one level, read /V. Nothing else."""
    out = {}
    with pikepdf.open(path) as pdf:
        for f in pdf.Root.AcroForm.Fields:
            out[str(f.T)] = f.get("/V")
    return out


def pypdf_get_fields(path: Path) -> dict:
    return PdfReader(path).get_fields()


def main() -> int:
    form = load_form(ROOT / "form_definitions" / "patient.yaml")
    blank = generate(form, "sv")
    answers = synthetic_answers(form, random.Random(1))
    filled = fill_like_pypdf(blank, answers_to_fields(form, answers))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "filled.pdf"
        path.write_bytes(filled)
        assert parse(path).answers == answers, "the benchmark input must parse correctly"
        rows = [
            ("pdfforms parse (read + interpret)", timed(lambda: parse(path), 300)),
            ("pdfforms read_file (raw values)", timed(lambda: read_file(path), 300)),
            ("raw pikepdf walk (the floor)", timed(lambda: raw_pikepdf_walk(path), 300)),
            ("pypdf get_fields()", timed(lambda: pypdf_get_fields(path), 100)),
        ]
    gen = timed(lambda: generate(form, "sv"), 20)
    floor = rows[2][1]
    lines = [
        "# Benchmarks",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"pikepdf {pikepdf.__version__}. Run with `make bench`.",
        "",
        "## Parsing one filled patient form (3 pages, 21 fields)",
        "",
        "| reader | ms per file | × raw pikepdf walk |",
        "|---|---:|---:|",
    ]
    for name, seconds in rows:
        lines.append(f"| {name} | {seconds * 1000:.2f} | {seconds / floor:.1f} |")
    lines += [
        "",
        "## Generating a form",
        "",
        f"Patient form, Swedish, one PDF: {gen * 1000:.0f} ms "
        f"(layout, reportlab, finishing with pikepdf).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    (ROOT / "benchmarks" / "results.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
