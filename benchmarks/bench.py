"""`make bench`: our speed side by side with the alternatives, in one run, as ratios.

Sections (all by default, or name them: `bench.py parse printrun`):

- parse: ms per file to read one filled patient form, against the floor (a raw
  pikepdf walk of /AcroForm /Fields that reads values and nothing else), pypdf's
  get_fields(), PyPDFForm's `PdfWrapper(path).data` and `pdftk FILE
  dump_data_fields_utf8` (a subprocess, so a JVM start per file), all timed
  reading the same copies of one file in turn (each copy ends in a comment of its
  own: PyPDFForm caches what it parsed by the file's bytes) and given as × the
  floor; rows for PyPDFForm (the `bench` extra) and pdftk
  (scripts/install-test-clients.sh) are left out when not installed;
- printrun: copies per second of a 10,000-copy print run, against drawing
  each copy from scratch with reportlab, and filling a generated template once
  per copy with pdftk fill_form and with PyPDFForm; and peak memory of runs of
  1,000 and 10,000 copies;
- extract: files per second of `pdfforms extract` at 1 and 2 workers, beside
  the raw readers on the same files; peak memory at 1,000 and 10,000 files;
  scan pages per second (benchmarks/extract_bench.py);
- scans: accuracy of reading synthetic scans (benchmarks/scan_accuracy.py);
- scansplit: one scan file of 201 pages with 1 and 2 workers and on a Dask
  LocalCluster, read as one task and in tasks of pages (benchmarks/split_bench.py);
- digits: the comb cells' digit recogniser on the held-out handwritten digits of
  scikit-learn's load_digits (scripts/train_digits.py --check gives the same).

Results are printed and, for a run of every section, written to
benchmarks/latest.md (not kept in git). benchmarks/results.md is the record: the
tables of runs worth keeping, with what was measured before and after a change and
why the numbers are what they are. A run never overwrites it; copy a table over
by hand, with its date and the state of the machine.
"""

from __future__ import annotations

import itertools
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pikepdf

from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.render import generate
from pdfforms.model.definition import load_form
from pdfforms.parse.file import parse
from pdfforms.read import read_file
from pdfforms.testing.synthetic import fill_like_pypdf, synthetic_answers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from readers import (  # noqa: E402 - benchmarks/ is on sys.path from here on
    pdftk_dump_fields,
    pypdf_get_fields,
    pypdfform_data,
    raw_pikepdf_walk,
)


def timed(fn, repeat: int) -> float:
    """Median seconds per call over `repeat` calls, after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


FLOOR = "raw pikepdf walk (the floor)"
PARSE_COPIES = 301  # one more than the most calls a row makes (timed: warm-up + 300)


def _copies(data: bytes, folder: Path, n: int) -> itertools.cycle:
    """n copies of one file, each ending in a comment of its own, to be read in turn.

    PyPDFForm caches what it parsed by the whole file's bytes (an lru_cache of 8), so
    reading one file again would time a cache lookup. Every row reads the copies, as
    a batch of returned forms would be read: the same content, never the same file.
    """
    paths = []
    for i in range(n):
        path = folder / f"filled-{i}.pdf"
        path.write_bytes(data + b"%copy " + str(i).encode() + b"\n")
        paths.append(path)
    return itertools.cycle(paths)


def parse_section() -> list[str]:
    form = load_form(ROOT / "form_definitions" / "patient.yaml")
    blank = generate(form, "sv")
    answers = synthetic_answers(form, random.Random(1))
    filled = fill_like_pypdf(blank, answers_to_fields(form, answers))
    with tempfile.TemporaryDirectory() as tmp:
        files = _copies(filled, Path(tmp), PARSE_COPIES)
        path = next(files)
        assert parse(path).answers == answers, "the benchmark input must parse correctly"
        names = set(read_file(path).fields)
        rows = [
            ("pdfforms parse (read + interpret)", timed(lambda: parse(next(files)), 300)),
            ("pdfforms read_file (raw values)", timed(lambda: read_file(next(files)), 300)),
            (FLOOR, timed(lambda: raw_pikepdf_walk(next(files)), 300)),
            ("pypdf get_fields()", timed(lambda: pypdf_get_fields(next(files)), 100)),
        ]
        try:
            import PyPDFForm  # noqa: F401
        except ImportError:
            pass
        else:
            # Every alternative must see the same fields, or its time says nothing.
            assert set(pypdfform_data(path)) == names, "PyPDFForm reads other fields"
            rows.append(("PyPDFForm `.data`", timed(lambda: pypdfform_data(next(files)), 100)))
        if shutil.which("pdftk"):
            dumped = pdftk_dump_fields(path)
            assert all(f"FieldName: {n}\n" in dumped for n in names), "pdftk misses fields"
            rows.append(
                ("pdftk dump_data_fields_utf8", timed(lambda: pdftk_dump_fields(next(files)), 10))
            )
    gen = timed(lambda: generate(form, "sv"), 20)
    floor = dict(rows)[FLOOR]
    lines = [
        "## Parsing one filled patient form (3 pages, 22 fields)",
        "",
        "| reader | ms per file | × raw pikepdf walk |",
        "|---|---:|---:|",
    ]
    for name, seconds in rows:
        lines.append(f"| {name} | {seconds * 1000:.2f} | {seconds / floor:.1f} |")
    lines += [
        "",
        "Every row reads copies of one file in turn, each with a comment of its own at",
        "the end (PyPDFForm caches parsed files by their bytes). PyPDFForm and pdftk",
        "return raw values only (PyPDFForm a radio group's option index, pdftk text to",
        "be parsed); pdftk starts a Java VM per file.",
        "",
        "## Generating a form",
        "",
        f"Patient form, Swedish, one PDF: {gen * 1000:.0f} ms "
        f"(layout, reportlab, finishing with pikepdf).",
        "",
    ]
    return lines


RUN_SCRIPT = """
import sys, time
from pathlib import Path
from pdfforms.model.form import load_form
from pdfforms.testing.memory import peak_resident
from pdfforms.generate.printrun import Copy, print_run
from pdfforms.model.serials import new_serials
n, out = int(sys.argv[1]), Path(sys.argv[2])
form = load_form(sys.argv[3])
answers = {"datum": "2026-12-01"}
copies = [Copy(s, "sv", answers) for s in new_serials(n)]
t = time.perf_counter()
result = print_run(form, copies, out)
print(time.perf_counter() - t, result.pages, peak_resident() // 1024)
"""


def _our_run(copies: int, tmp: Path) -> tuple[float, int, int]:
    """Seconds, pages and peak memory (kB) of a print run, in a process of its own."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            RUN_SCRIPT,
            str(copies),
            str(tmp / f"run{copies}.pdf"),
            str(ROOT / "form_definitions" / "patient.yaml"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, pages, rss = out.stdout.split()
    return float(seconds), int(pages), int(rss)


def printrun_section(copies: int = 10_000) -> list[str]:
    from pdfforms.model.serials import new_serials

    form = load_form(ROOT / "form_definitions" / "patient.yaml")
    template = generate(form, "sv")
    rows = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        seconds, pages, rss_big = _our_run(copies, tmp)
        ours = copies / seconds
        _, _, rss_small = _our_run(copies // 10, tmp)
        rows.append(
            (f"pdfforms print run, {copies:,} copies ({pages:,} pages, one file)", ours, copies)
        )
        serials = new_serials(100)
        it = iter(serials)
        scratch = 1 / timed(lambda: generate(form, "sv", serial=next(it)), 60)
        rows.append(("reportlab: draw each copy from scratch", scratch, 60))
        (tmp / "tpl.pdf").write_bytes(template)
        fdf = (
            b"%FDF-1.2\n1 0 obj << /FDF << /Fields [ << /T (datum) /V (2026-12-01) >> ] >> >>"
            b"\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
        )
        (tmp / "data.fdf").write_bytes(fdf)
        if shutil.which("pdftk"):

            def pdftk_fill() -> None:
                subprocess.run(
                    [
                        "pdftk",
                        str(tmp / "tpl.pdf"),
                        "fill_form",
                        str(tmp / "data.fdf"),
                        "output",
                        str(tmp / "out.pdf"),
                    ],
                    check=True,
                    capture_output=True,
                )

            rows.append(("pdftk fill_form, once per copy", 1 / timed(pdftk_fill, 15), 15))
        try:
            from PyPDFForm import PdfWrapper

            def pypdfform_fill() -> None:
                PdfWrapper(str(tmp / "tpl.pdf")).fill({"datum": "2026-12-01"}).read()

            rows.append(("PyPDFForm fill, once per copy", 1 / timed(pypdfform_fill, 40), 40))
        except ImportError:
            pass
    lines = [
        "## Print runs (patient form, Swedish, a date pre-filled on every copy)",
        "",
        "| method | copies per second | copies timed | pdfforms is × faster |",
        "|---|---:|---:|---:|",
    ]
    for name, rate, n in rows:
        lines.append(f"| {name} | {rate:,.1f} | {n:,} | {ours / rate:.1f} |")
    lines += [
        "",
        "Our run is timed whole; the alternatives are timed per copy on a sample, as a",
        "10,000-copy run of them would take hours. pdftk and PyPDFForm only fill a field:",
        "they give no copy a serial, so they are a lower bound on their cost.",
        "",
        f"Peak memory of the run's process: {rss_small / 1024:.0f} MB for {copies // 10:,} "
        f"copies, {rss_big / 1024:.0f} MB for {copies:,} copies "
        f"({rss_big / rss_small:.2f}×).",
        "",
    ]
    return lines


def scans_section(test_pages: int = 2000, stress_pages: int = 1000) -> list[str]:
    import scan_accuracy

    rows, kinds = [], []
    for profile, pages in (("test", test_pages), ("stress", stress_pages)):
        total = scan_accuracy.measure(profile, pages)
        rows += scan_accuracy.lines(profile, total)
        kinds += ["", *scan_accuracy.review_lines(profile, total)]
        kinds += ["", *scan_accuracy.kind_lines(profile, total)]
    return [
        "## Scans: synthetic paper forms with known answers",
        "",
        "Patient, unit and every-type forms in both languages, filled by hand, printed and",
        "scanned (pdfforms/testing/scans.py), stacked four questionnaires a file and shuffled,",
        "read end to end (benchmarks/scan_accuracy.py). The test set: moderate distortion and",
        "ordinary pens and pencils; the stress set: stronger distortion (corner marks often",
        "cut off), faint hard pencil and faint handwriting. Both also have the people's marks",
        "(rings around a box or its words, underlined words, ticks running out of the box,",
        "whitened pencil) and, on some pages, tints, stamps, watermarks, shadows, creases,",
        "wrinkles, the scanner's whitening, augraphy's print-and-scan effects, textured",
        "paper and broad shadows. Issue 17's review target is line (b) of each set: at most",
        "2 % of the ordinary marks' tick boxes to a person, on ordinary, textured and",
        "shadowed pages, none wrong.",
        "",
        *scan_accuracy.HEADER,
        *rows,
        *kinds,
        "",
    ]


def scan_memory_section() -> list[str]:
    import scan_memory

    return scan_memory.memory_section()


def scan_split_section() -> list[str]:
    import split_bench

    return split_bench.split_section()


def extract_section() -> list[str]:
    import extract_bench

    return extract_bench.extract_section()


def digits_section() -> list[str]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("train_digits", ROOT / "scripts/train_digits.py")
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    x, y = train.data()
    _, (xh, yh) = train.split(x, y)
    from pdfforms.read.scan.digits import model

    rows = []
    for name, n in train.measure(xh, yh).items():
        rows.append(
            f"| {name} | {n['images']} | {n['accuracy']:.1%} | {n['confident_share']:.1%} "
            f"| {n['confident_accuracy']:.1%} | {n['confident_wrong']} |"
        )
    return [
        "## Handwritten digits in comb cells (the recogniser's suggestions)",
        "",
        f"The last {len(yh)} digits of scikit-learn's load_digits (UCI optdigits, written by",
        "people; mostly other writers than the training digits, never trained on), as",
        "optdigits has them and drawn as the 32×32 bitmaps they were counted from and read",
        "back by the scan reader's preprocessing (read/scan/digits.py). Confident: the",
        f"probability reaches {model().confident:.2f}, chosen on the training digits alone;",
        "below it a cell is shown as unsure. Every suggestion is confirmed by a person in",
        "review: none goes to the dataset unseen.",
        "",
        "| images | n | accuracy | confident | right when confident | confident and wrong |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
        "",
    ]


SECTIONS = {
    "parse": parse_section,
    "printrun": printrun_section,
    "extract": extract_section,
    "scans": scans_section,
    "digits": digits_section,
    "scanmemory": scan_memory_section,
    "scansplit": scan_split_section,
}


def main(argv: list[str]) -> int:
    wanted = argv or list(SECTIONS)
    unknown = [w for w in wanted if w not in SECTIONS]
    if unknown:
        print(f"unknown section(s): {', '.join(unknown)}; known: {', '.join(SECTIONS)}")
        return 2
    lines = [
        "# Benchmarks",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, pikepdf {pikepdf.__version__}. Run with `make bench`.",
        "",
    ]
    for name in wanted:
        lines += SECTIONS[name]()
    text = "\n".join(lines)
    print(text)
    if set(wanted) == set(SECTIONS):
        (ROOT / "benchmarks" / "latest.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
