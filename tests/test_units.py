"""The care unit on every copy: printed, kept in the copy and the ledger, read back.

A print run knows its unit (`--unit`, or a respondents CSV's `unit` column per
copy). It is drawn at the top of the first page, kept in each split copy's
document information and Keywords line and in the run's ledger, and read back from
saved fields, from copies printed to PDF (the page's text) and, for scans, from
the ledger by the copy's serial, with a warning that says so.
"""

from __future__ import annotations

import csv
import io
import json
import random

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner

from pdfforms.cli import main
from pdfforms.dataset.extract import extract
from pdfforms.generate.printrun import PrintRunError, plan_run, print_run
from pdfforms.model.identity import INFO_UNIT, parse_keywords
from pdfforms.parse.file import parse
from pdfforms.testing.scans import make_scan, scanned_pdf
from pdfforms.testing.synthetic import synthetic_answers

from .clients import FLATTENERS
from .conftest import DEFINITIONS, FORM_FILES, need

UNITS = ["Vårdcentralen Norrfjäll", "Hälsocentralen Åby", "VC Söder"]


def _run(tmp_path, form, rows: str, unit: str | None = None, split: bool = True):
    people = tmp_path / "patienter.csv"
    people.write_text(rows, encoding="utf-8")
    copies, _ = plan_run(form, "sv", respondents=people, unit=unit)
    result = print_run(form, copies, tmp_path / "utskick.pdf", split=split)
    with open(result.ledger, encoding="utf-8-sig", newline="") as fh:
        return result, list(csv.DictReader(fh))


def _first_page_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return doc.pages[0].extract_text() or ""


def test_a_run_prints_each_copys_unit_and_keeps_it_in_the_ledger(tmp_path, forms):
    rows = "language,unit\nsv,Vårdcentralen Norrfjäll\nen, Hälsocentralen  Åby \nsv,\n"
    result, ledger = _run(tmp_path, forms["patient"], rows, unit="VC Söder")
    # the CSV's column per copy (spaces collapsed), the run's --unit where it is blank
    assert [r["unit"] for r in ledger] == UNITS
    with pikepdf.open(result.output) as run, pdfplumber.open(result.output) as doc:
        assert len(run.pages) == len(doc.pages)
        for row in ledger:
            first = int(row["pages"].split("-")[0]) - 1
            text = doc.pages[first].extract_text()
            word = "Unit" if row["language"] == "en" else "Enhet"
            assert f"{word}: {row['unit']}" in text.splitlines()
            # the line is on the first page of each copy only
            assert row["unit"] not in (doc.pages[first + 1].extract_text() or "")


def test_a_split_copy_keeps_its_unit_and_parse_reads_it(tmp_path, forms):
    result, ledger = _run(tmp_path, forms["patient"], "unit\nVårdcentralen Norrfjäll\n")
    path = result.split_dir / f"{ledger[0]['serial']}.pdf"
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo[INFO_UNIT]) == UNITS[0]
        assert parse_keywords(str(pdf.docinfo["/Keywords"])).unit == UNITS[0]
    response = parse(path)
    assert response.unit == UNITS[0]
    assert response.to_json()["unit"] == UNITS[0]  # SPEC §4: the JSON's `unit`


def test_a_blank_form_names_no_unit(blank_pdf, tmp_path):
    path = tmp_path / "blank.pdf"
    path.write_bytes(blank_pdf("patient"))
    assert parse(path).to_json()["unit"] is None


@pytest.mark.parametrize("flattener", ["pdftocairo", "ghostscript"])
def test_a_copy_printed_to_pdf_is_read_with_its_unit(tmp_path, forms, flattener):
    """cairo keeps no document information: the unit comes from the page's text;
    Ghostscript keeps the Keywords line."""
    program = FLATTENERS[flattener]
    need(program)
    result, ledger = _run(tmp_path, forms["patient"], "unit\nHälsocentralen Åby\n")
    printed = program.run((result.split_dir / f"{ledger[0]['serial']}.pdf").read_bytes())
    path = tmp_path / "utskrivet.pdf"
    path.write_bytes(printed)
    response = parse(path, definitions=[DEFINITIONS])
    assert response.source["kind"] == "flattened"
    assert response.unit == UNITS[1]


def test_a_unit_the_fonts_cannot_print_or_too_long_is_refused_with_its_line(tmp_path, forms):
    people = tmp_path / "patienter.csv"
    people.write_text("unit\nVC Norr\n診療所\n" + "x" * 81 + "\n", encoding="utf-8")
    with pytest.raises(PrintRunError) as caught:
        plan_run(forms["patient"], "sv", respondents=people)
    faults = caught.value.faults
    assert len(faults) == 2
    assert faults[0].startswith(f"{people}:3: column 'unit': '診療所' cannot be printed")
    assert faults[1].startswith(f"{people}:4: column 'unit':") and "80 characters" in faults[1]
    with pytest.raises(PrintRunError, match="--unit"):
        plan_run(forms["patient"], "sv", copies=2, unit="診療所")


def test_generate_unit_option_on_the_command_line(tmp_path):
    out = tmp_path / "reception.pdf"
    result = CliRunner().invoke(
        main,
        ["generate", str(FORM_FILES["patient"]), "--copies", "2", "--unit", "VC Söder"]
        + ["-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    with open(out.with_suffix(".ledger.csv"), encoding="utf-8-sig") as fh:
        assert [r["unit"] for r in csv.DictReader(fh)] == ["VC Söder", "VC Söder"]
    assert "Enhet: VC Söder" in _first_page_text(out.read_bytes()).splitlines()


# --------------------------------------------------------------------------- returned


def _returns(tmp_path, forms):
    """A run over three units, returned as a scan (unit only in the ledger), on screen
    (the copy names its unit) and as a scan of a copy the ledger gives another unit."""
    result, ledger = _run(tmp_path, forms["patient"], "unit\n" + "\n".join(UNITS) + "\n")
    inbox = tmp_path / "inkommet"
    inbox.mkdir()
    rng = random.Random(16)
    form = forms["patient"]
    serial = ledger[0]["serial"]
    pages = make_scan(form, "sv", synthetic_answers(form, rng), serial, rng, unit=UNITS[0])[0]
    (inbox / "skannad.pdf").write_bytes(scanned_pdf(pages))
    (inbox / "skärm.pdf").write_bytes(
        (result.split_dir / f"{ledger[1]['serial']}.pdf").read_bytes()
    )
    return result, ledger, inbox


def test_extract_gives_a_scan_its_units_from_the_ledger_and_says_so(tmp_path, forms):
    result, ledger, inbox = _returns(tmp_path, forms)
    dataset = tmp_path / "svar.csv"
    extract([str(inbox)], dataset, ledgers=[result.ledger], progress=False)
    with open(dataset, encoding="utf-8-sig") as fh:
        rows = {r["file"].rsplit("/", 1)[-1]: r for r in csv.DictReader(fh)}
    assert rows["skannad.pdf"]["unit"] == UNITS[0]
    assert rows["skärm.pdf"]["unit"] == UNITS[1]
    with open(tmp_path / "svar.problems.csv", encoding="utf-8-sig") as fh:
        problems = [(r["file"].rsplit("/", 1)[-1], r["code"]) for r in csv.DictReader(fh)]
    assert ("skannad.pdf", "unit_from_ledger") in problems
    assert ("skärm.pdf", "unit_from_ledger") not in problems  # it named its own
    # the journal keeps the ledger's units: a rewrite (pdfforms review) keeps them
    from pdfforms.dataset.build import rebuild
    from pdfforms.model.privacy import Privacy

    rebuild(dataset, Privacy())
    with open(dataset, encoding="utf-8-sig") as fh:
        assert {r["unit"] for r in csv.DictReader(fh)} == set(UNITS[:2])


def test_without_the_ledger_a_scan_has_no_unit(tmp_path, forms):
    _result, _ledger, inbox = _returns(tmp_path, forms)
    dataset = tmp_path / "svar.jsonl"
    extract([str(inbox)], dataset, progress=False)
    objs = [json.loads(line) for line in dataset.read_text(encoding="utf-8").splitlines()]
    units = {o["source"]["file"].rsplit("/", 1)[-1]: o["unit"] for o in objs}
    assert units == {"skannad.pdf": None, "skärm.pdf": UNITS[1]}


def test_a_copy_whose_unit_differs_from_its_ledger_keeps_its_own_with_a_warning(tmp_path, forms):
    result, ledger, inbox = _returns(tmp_path, forms)
    (inbox / "skannad.pdf").unlink()
    changed = tmp_path / "ändrad.ledger.csv"
    text = result.ledger.read_text(encoding="utf-8-sig").replace(UNITS[1], "VC Annan")
    changed.write_text(text, encoding="utf-8-sig")
    dataset = tmp_path / "svar.jsonl"
    extract([str(inbox)], dataset, ledgers=[changed], progress=False)
    (obj,) = [json.loads(line) for line in dataset.read_text(encoding="utf-8").splitlines()]
    assert obj["unit"] == UNITS[1]
    (problem,) = [p for p in obj["problems"] if p["code"] == "unit_differs"]
    assert "VC Annan" in problem["message"] and UNITS[1] in problem["message"]


def test_a_file_that_is_not_a_print_run_ledger_is_refused_by_name(tmp_path, forms):
    _result, _ledger, inbox = _returns(tmp_path, forms)
    bad = tmp_path / "fel.csv"
    bad.write_text("namn,unit\nx,y\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["extract", str(inbox), "-o", str(tmp_path / "svar.csv"), "--ledger", str(bad)]
    )
    assert result.exit_code != 0
    assert f"{bad}: not a print-run ledger" in result.output


def test_a_respondents_column_kept_in_the_ledger_groups_the_report(tmp_path, forms):
    """`--ledger-column team` keeps the CSV's team beside each serial; `report --by team
    --ledger` groups the returns by it. A column of personal data is never kept."""
    form = forms["patient"]
    people = tmp_path / "patienter.csv"
    rows = "".join(f"{'Team A' if i < 6 else 'Team B'},Namn {i}\n" for i in range(12))
    people.write_text("team,namn\n" + rows, encoding="utf-8")
    with pytest.raises(PrintRunError, match="--ledger-column namn: the column holds personal"):
        plan_run(form, "sv", respondents=people, ledger_columns=["namn"])
    # the names are not used: kept neither in the ledger nor anywhere else
    people.write_text("team\n" + "".join(r.split(",")[0] + "\n" for r in rows.splitlines()))
    with pytest.raises(PrintRunError, match="--ledger-column lag: .* has no such column"):
        plan_run(form, "sv", respondents=people, ledger_columns=["team", "lag"])
    copies, _ = plan_run(form, "sv", respondents=people, ledger_columns=["team"], unit="VC Söder")
    result = print_run(form, copies, tmp_path / "utskick.pdf", split=True)
    with open(result.ledger, encoding="utf-8-sig", newline="") as fh:
        ledger = list(csv.DictReader(fh))
    assert [r["team"] for r in ledger] == ["Team A"] * 6 + ["Team B"] * 6
    inbox = tmp_path / "inkommet"
    inbox.mkdir()
    for row in ledger:
        (inbox / row["file"]).write_bytes((result.split_dir / row["file"]).read_bytes())
    dataset = tmp_path / "svar.csv"
    extract([str(inbox)], dataset, progress=False)
    out = tmp_path / "r.csv"
    cli = CliRunner().invoke(
        main,
        ["report", str(dataset), "-o", str(out), "--by", "team", "--ledger", str(result.ledger)],
    )
    assert cli.exit_code == 0, cli.output
    with open(out, encoding="utf-8-sig") as fh:
        groups = {(r["group_by"], r["group"]) for r in csv.DictReader(fh) if r["group_by"]}
    assert groups == {("team", "Team A"), ("team", "Team B")}


@pytest.mark.parametrize(("large_print", "size"), [(False, 9), (True, 12)])
def test_the_units_line_is_larger_in_large_print_and_clear_of_header_and_form(
    tmp_path, forms, large_print, size
):
    copies, _ = plan_run(forms["patient"], "sv", copies=1, unit="VC Söder")
    result = print_run(forms["patient"], copies, tmp_path / "r.pdf", large_print=large_print)
    with pdfplumber.open(result.output) as doc:
        page = doc.pages[0]
        lines = {}
        for ch in page.chars:
            lines.setdefault(round(ch["bottom"]), []).append(ch)
        unit = next(c for c in lines.values() if "".join(x["text"] for x in c).startswith("Enhet"))
        assert {round(c["size"]) for c in unit} == {size}
        top, bottom = min(c["top"] for c in unit), max(c["bottom"] for c in unit)
        # nothing else on the page reaches into the line's band: not the header above,
        # not the form's title below
        others = [c for c in page.chars if c not in unit]
        assert not [c["text"] for c in others if c["top"] < bottom and c["bottom"] > top]
