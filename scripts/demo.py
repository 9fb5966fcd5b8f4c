"""`make demo`: the shipped forms as PDFs, then a few synthetic returns read back.

Writes output/patient-sv.pdf, patient-en.pdf, unit-sv.pdf and unit-en.pdf (and
every other language of the patient form), vardplan-sv.pdf and vardplan-en.pdf
(Min vårdplan: a care plan's steps as a table of rows, `type: group`),
fills synthetic copies the way a third-party program (pypdf) does, and prints
what `pdfforms parse` makes of each, then reads all of them into one dataset
with `pdfforms extract` (output/svar.xlsx and output/csv/svar.csv, with codebook and
ledger), and for the analyst into output/analys/ (CSV for Excel set to Swedish,
SPSS and Stata files with their labels). Then a print run across three care units
comes back on paper (scanned) and on screen and becomes the manager's Sammanställning,
one section per unit (output/sammanstallning.pdf and .html, a page as .png). Last,
four printed forms (the care plan among them) "filled by hand and scanned" are read into
output/granskning/svar.csv, whose handwriting
waits for `pdfforms review`. No real person's data is involved.
"""

from __future__ import annotations

import csv
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
    for name, copies in (("patient", 3), ("unit", 1), ("vardplan", 2)):
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


UNITS = ("Vårdcentralen Norrfjäll", "Hälsocentralen Åby", "Vårdcentralen Söder")


def sammanstallning(rng: random.Random) -> int:
    """The manager's Sammanställning, from a print run across three care units.

    A report shows nothing for fewer than five respondents (its privacy rule), so
    the copies above are too few. Here a print run (`generate --respondents` with
    a `unit` column) prints 10 patient copies for each of three units and one unit
    form for each (output/utskick/, with ledgers). Every third patient copy comes
    back on paper (printed, filled by hand, scanned: its unit is found by its serial
    in the ledger), the rest on screen (the split copies, which carry their unit).
    `extract --ledger` reads them all (output/inkommet/ → output/sammanstallning/),
    and the report is per unit: output/sammanstallning.pdf and .html, and its first
    unit's page as output/sammanstallning-enhet.png.
    """
    from pdfforms import print_run
    from pdfforms.dataset.extract import extract
    from pdfforms.report import report
    from pdfforms.testing.scans import make_scan, scanned_pdf

    runs = OUT / "utskick"
    runs.mkdir(exist_ok=True)
    inbox = OUT / "inkommet"
    if inbox.exists():
        for old in inbox.glob("*.pdf"):
            old.unlink()
    inbox.mkdir(exist_ok=True)
    ledgers = []
    for name, per_unit in (("patient", 10), ("unit", 1)):
        form = load_form(ROOT / "form_definitions" / f"{name}.yaml")
        people = runs / f"{name}-mottagare.csv"
        people.write_text(
            "unit\n" + "".join(f"{u}\n" for u in UNITS for _ in range(per_unit)), encoding="utf-8"
        )
        result = print_run(form, runs / f"{name}.pdf", respondents=people, split=True)
        print(
            f"\n# pdfforms generate {name}.yaml --respondents {people.name} --split",
            file=sys.stderr,
        )
        print(
            f"  {result.copies} copies for {len(UNITS)} units; ledger {result.ledger.name}",
            file=sys.stderr,
        )
        ledgers.append(result.ledger)
        with open(result.ledger, encoding="utf-8-sig", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh)):
                answers = synthetic_answers(form, rng)
                if name == "unit":
                    answers["enhetens_namn"] = row["unit"]  # the unit writes its own name
                if name == "patient" and n % 3 == 0:
                    pages = make_scan(form, "sv", answers, row["serial"], rng, unit=row["unit"])[0]
                    (inbox / f"{name}-{n:02d}-skannad.pdf").write_bytes(scanned_pdf(pages))
                    continue
                copy = (result.split_dir / row["file"]).read_bytes()
                filled = fill_like_pypdf(copy, answers_to_fields(form, answers))
                (inbox / f"{name}-{n:02d}-skarm.pdf").write_bytes(filled)
    dataset = OUT / "sammanstallning" / "svar.csv"
    dataset.parent.mkdir(exist_ok=True)
    summary = extract(
        [str(inbox)],
        dataset,
        progress=False,
        ledgers=ledgers,
        definitions=[str(ROOT / "form_definitions")],
    )
    print(
        "\n# pdfforms extract output/inkommet -o output/sammanstallning/svar.csv "
        "--ledger output/utskick/patient.ledger.csv --ledger output/utskick/unit.ledger.csv",
        file=sys.stderr,
    )
    print(f"  {summary.line()}", file=sys.stderr)
    for out in ("sammanstallning.pdf", "sammanstallning.html"):
        report([dataset], OUT / out)
        print(f"# pdfforms report output/sammanstallning/svar.csv -o output/{out}", file=sys.stderr)
    import pypdfium2

    pdf = pypdfium2.PdfDocument(OUT / "sammanstallning.pdf")
    page = next(  # the first unit's section (after the running header): its SKR chart
        i
        for i in range(len(pdf))
        if pdf[i].get_textpage().get_text_range().splitlines()[1:2] == [UNITS[1]]
    )
    pdf[page].render(scale=1.5).to_pil().save(OUT / "sammanstallning-enhet.png")
    pdf.close()
    print(f"# page {page + 1} of it as output/sammanstallning-enhet.png", file=sys.stderr)
    if summary.outcomes["failed"]:
        return 1
    return scans(rng)


def scans(rng: random.Random) -> int:
    """Paper returns: synthetic scans whose handwriting a person transcribes."""
    from pdfforms.dataset.extract import extract

    sys.path.insert(0, str(ROOT))
    from pdfforms.testing.scans import make_scan, scanned_pdf

    inbox = OUT / "skannat"
    inbox.mkdir(exist_ok=True)
    for n, name in enumerate(("patient", "patient", "unit", "vardplan"), start=1):
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
