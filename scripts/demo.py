"""`make demo`: the shipped forms as PDFs, then a few synthetic returns read back.

Writes output/patient-sv.pdf, patient-en.pdf, unit-sv.pdf and unit-en.pdf,
fills synthetic copies the way a third-party program (pypdf) does, and prints
what `pdfforms parse` makes of each, then reads all of them into one dataset
with `pdfforms extract` (output/svar.xlsx and output/csv/svar.csv, with codebook and
ledger), and for the analyst into output/analys/ (CSV for Excel set to Swedish,
SPSS and Stata files with their labels). Then 46 more returns become the Sammanställning
(output/sammanstallning.pdf and .html). Last, three printed forms "filled by
hand and scanned" are read into output/granskning/svar.csv, whose handwriting
waits for `pdfforms review`. No real person's data is involved.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.render import generate
from pdfforms.model.definition import load_form
from pdfforms.parse.file import parse
from pdfforms.testing.synthetic import fill_like_pypdf, synthetic_answers

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "output"


def main() -> int:
    OUT.mkdir(exist_ok=True)
    (OUT / "filled").mkdir(exist_ok=True)
    rng = random.Random(20261123)
    for name, copies in (("patient", 3), ("unit", 1)):
        form = load_form(ROOT / "form_definitions" / f"{name}.yaml")
        for lang in form.languages:
            pdf = generate(form, lang)
            (OUT / f"{name}-{lang}.pdf").write_bytes(pdf)
            print(f"wrote output/{name}-{lang}.pdf", file=sys.stderr)
        blank = generate(form, form.default_language)
        for n in range(1, copies + 1):
            answers = synthetic_answers(form, rng)
            filled = fill_like_pypdf(blank, answers_to_fields(form, answers))
            path = OUT / "filled" / f"{name}-{n}.pdf"
            path.write_bytes(filled)
            response = parse(path)
            same = response.answers == answers
            print(
                f"\n# {path.relative_to(ROOT)} – parsed answers "
                f"{'match' if same else 'DIFFER FROM'} what was filled",
                file=sys.stderr,
            )
            print(json.dumps(response.to_json(), ensure_ascii=False, indent=2))
            if not same:
                return 1
    from pdfforms.dataset.extract import extract

    # one name a folder: a dataset's manifest, codebook and ledger are named by its stem
    for name in ("svar.xlsx", "csv/svar.csv"):
        summary = extract([str(OUT / "filled")], OUT / name, progress=False)
        print(f"\n# pdfforms extract output/filled -o output/{name}", file=sys.stderr)
        print(f"  {summary.line()}", file=sys.stderr)
        for path in summary.written:
            print(f"  wrote {path.relative_to(ROOT)}", file=sys.stderr)
        if summary.outcomes["parsed"] != summary.files:
            return 1
    # for the analyst: CSV for Excel set to Swedish, SPSS and Stata files with labels
    (OUT / "analys").mkdir(exist_ok=True)
    for name, dialect in (
        ("svar-excel.csv", {"delimiter": ";", "decimal": ","}),
        ("svar-spss.sav", {}),
        ("svar-stata.dta", {}),
    ):
        summary = extract([str(OUT / "filled")], OUT / "analys" / name, progress=False, **dialect)
        option = " --csv sv" if dialect else ""
        print(
            f"\n# pdfforms extract output/filled -o output/analys/{name}{option}", file=sys.stderr
        )
        print(f"  {summary.line()}", file=sys.stderr)
    return sammanstallning(rng)


def sammanstallning(rng: random.Random) -> int:
    """The summary report, from a larger batch of synthetic returns.

    A report shows nothing for fewer than five respondents (its privacy rule), so
    the four copies above are too few: 40 patients and 6 care units are filled
    here (output/inkommet/), read into one dataset and summarised.
    """
    from pdfforms.dataset.extract import extract
    from pdfforms.report import report

    inbox = OUT / "inkommet"
    inbox.mkdir(exist_ok=True)
    for name, copies in (("patient", 40), ("unit", 6)):
        form = load_form(ROOT / "form_definitions" / f"{name}.yaml")
        blank = generate(form, form.default_language)
        for n in range(1, copies + 1):
            answers = synthetic_answers(form, rng)
            filled = fill_like_pypdf(blank, answers_to_fields(form, answers))
            (inbox / f"{name}-{n:02d}.pdf").write_bytes(filled)
    dataset = OUT / "sammanstallning" / "svar.csv"
    dataset.parent.mkdir(exist_ok=True)
    summary = extract([str(inbox)], dataset, progress=False)
    print(
        "\n# pdfforms extract output/inkommet -o output/sammanstallning/svar.csv", file=sys.stderr
    )
    print(f"  {summary.line()}", file=sys.stderr)
    for out in ("sammanstallning.pdf", "sammanstallning.html"):
        report([dataset], OUT / out)
        print(f"# pdfforms report … -o output/{out}", file=sys.stderr)
    if summary.outcomes["parsed"] != summary.files:
        return 1
    return scans(rng)


def scans(rng: random.Random) -> int:
    """Paper returns: synthetic scans whose handwriting a person transcribes."""
    from pdfforms.dataset.extract import extract

    sys.path.insert(0, str(ROOT))
    from pdfforms.testing.scans import make_scan, scanned_pdf

    inbox = OUT / "skannat"
    inbox.mkdir(exist_ok=True)
    for n, name in enumerate(("patient", "patient", "unit"), start=1):
        form = load_form(ROOT / "form_definitions" / f"{name}.yaml")
        pages = make_scan(form, "sv", synthetic_answers(form, rng), f"DEMO{n:06d}", rng)[0]
        (inbox / f"skanning-{n}.pdf").write_bytes(scanned_pdf(pages))
    dataset = OUT / "granskning" / "svar.csv"
    dataset.parent.mkdir(exist_ok=True)
    summary = extract([str(inbox)], dataset, progress=False)
    print("\n# pdfforms extract output/skannat -o output/granskning/svar.csv", file=sys.stderr)
    print(f"  {summary.line()}", file=sys.stderr)
    left = sum(1 for _ in open(dataset.with_name("svar.review.csv"), encoding="utf-8-sig")) - 1
    print(
        f"# {left} review items (handwriting, unsure marks) wait for a person; do them "
        "in your browser with:\n  .venv/bin/pdfforms review output/granskning/svar.csv",
        file=sys.stderr,
    )
    return 0 if summary.outcomes["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
