"""A dataset's tables in every format: CSV, XLSX, Parquet, JSONL."""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path

import pytest

from pdfforms.dataset.tables import DatasetFiles, OutputError

from .conftest import (
    run,
)


def test_formats_xlsx_parquet_jsonl(tmp_path, folder, forms):
    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    root, truth = folder
    run([root / "patient"], tmp_path / "d.xlsx")
    book = load_workbook(tmp_path / "d.xlsx", read_only=True)
    assert book.sheetnames == [
        "patient-7-fragor",
        "problems",
        "review",
        "reviewed",
        "ledger",
        "codebook",
    ]
    sheet = list(book["patient-7-fragor"].iter_rows(values_only=True))
    header, rows = sheet[1], sheet[2:]  # above the names, the questions as printed
    assert len(rows) == 6
    viktigast = header.index("viktigast_nu")
    assert {r[viktigast] for r in rows} == {
        truth[f"patient/p{i}.pdf"]["viktigast_nu"] for i in range(6)
    }
    codebook = list(book["codebook"].iter_rows(values_only=True))
    label = forms["patient"].question("fast_vardkontakt").label["sv"]
    book_header = codebook[0]
    assert any(
        r[1] == "fast_vardkontakt" and r[book_header.index("label_sv")] == label for r in codebook
    )

    run([root / "patient"], tmp_path / "d.parquet")
    table = pq.read_table(tmp_path / "d.parquet")
    assert table.num_rows == 6
    assert str(table.schema.field("kontaktvagar__telefon").type) == "int8"
    assert str(table.schema.field("problems").type) == "int64"
    assert (tmp_path / "d.problems.parquet").exists()

    run([root / "patient"], tmp_path / "d.jsonl")
    objects = [json.loads(x) for x in (tmp_path / "d.jsonl").read_text("utf-8").splitlines()]
    assert len(objects) == 6
    assert {o["answers"]["viktigast_nu"] for o in objects} == {
        truth[f"patient/p{i}.pdf"]["viktigast_nu"] for i in range(6)
    }
    assert set(objects[0]) == {
        *("form", "serial", "unit", "source", "answers", "problems", "review", "reviewed")
    }


# -- the writers themselves --------------------------------------------------------------

COLUMNS = ["file", "antal", "datum", "text"]
TYPES = ["text", "integer", "date", "text"]
ROWS = [
    ["a.pdf", 3, "2026-03-05", 'Åsa; "citat", rad\nny rad'],
    ["b.pdf", None, None, '=HYPERLINK("http://example.org")'],
]


def write(path: Path, rows=ROWS, delimiter: str = ",") -> list[Path]:
    files = DatasetFiles(path, delimiter=delimiter)
    sink = files.table("svar", COLUMNS, TYPES, main=True)
    for row in rows:
        sink.write(row)
    return files.commit()


def test_every_format_holds_the_same_cells(tmp_path):
    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    write(tmp_path / "d.csv")
    with open(tmp_path / "d.csv", encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh)) == [COLUMNS] + [
            ["" if v is None else str(v) for v in row] for row in ROWS
        ]
    write(tmp_path / "d.parquet")
    table = pq.read_table(tmp_path / "d.parquet")
    assert [str(t) for t in table.schema.types] == ["string", "int64", "date32[day]", "string"]
    assert table.column("antal").to_pylist() == [3, None]
    assert table.column("datum").to_pylist() == [datetime.date(2026, 3, 5), None]
    assert table.column("text").to_pylist() == [ROWS[0][3], ROWS[1][3]]
    write(tmp_path / "d.xlsx")
    sheet = load_workbook(tmp_path / "d.xlsx")["svar"]
    assert [c.value for c in sheet[1]] == COLUMNS
    first = [c.value for c in sheet[2]]
    assert first[:2] == ["a.pdf", 3] and first[2].date() == datetime.date(2026, 3, 5)
    assert first[3] == ROWS[0][3]


def test_a_csv_opens_in_excel_with_a_byte_order_mark_and_the_delimiter_asked_for(tmp_path):
    write(tmp_path / "d.csv", delimiter=";")
    data = (tmp_path / "d.csv").read_bytes()
    assert data.startswith("\ufeff".encode()) and data[3:].startswith(b"file;antal;datum;text")
    with open(tmp_path / "d.csv", encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh, delimiter=";"))[1][3] == ROWS[0][3]


def test_an_answer_that_looks_like_a_formula_stays_text_in_the_workbook(tmp_path):
    from openpyxl import load_workbook

    write(tmp_path / "d.xlsx")
    cell = load_workbook(tmp_path / "d.xlsx")["svar"]["D3"]
    assert cell.data_type == "s" and cell.value == "'" + ROWS[1][3]


def test_nothing_is_in_place_until_the_whole_dataset_is_committed(tmp_path):
    path = tmp_path / "d.csv"
    write(path, rows=[["old.pdf", 1, None, "förra körningen"]])
    before = path.read_bytes()
    files = DatasetFiles(path)
    sink = files.table("svar", COLUMNS, TYPES, main=True)
    problems = files.table("problems", ["file"], ["text"])
    sink.write(ROWS[0])
    problems.write(["a.pdf"])
    assert path.read_bytes() == before and not (tmp_path / "d.problems.csv").exists()
    files.abort()  # a run that fails half-way leaves the last dataset as it was
    assert path.read_bytes() == before and not (tmp_path / "d.problems.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv"]  # no temporary file left
    written = write(path)
    assert sorted(written) == [path]
    assert path.read_bytes() != before and not list(tmp_path.glob(".*.tmp"))


def test_an_unknown_format_is_refused_naming_the_file(tmp_path):
    with pytest.raises(OutputError) as caught:
        DatasetFiles(tmp_path / "svar.ods")
    assert str(caught.value) == (
        f"{tmp_path / 'svar.ods'}: unknown dataset format '.ods'; "
        "name it .csv, .xlsx, .jsonl, .parquet, .sav (SPSS), .dta (Stata) or .json (FHIR)"
    )


def test_a_long_form_id_gets_a_sheet_excel_allows_and_the_manifest_its_name(tmp_path):
    """Excel allows 31 characters in a sheet's name and no two names alike but for
    case: forms whose ids share their first 31 characters each get a sheet, and the
    reader is told which (it named the uncut id, which no sheet had)."""
    from openpyxl import load_workbook

    from pdfforms.dataset.build import _in
    from pdfforms.dataset.reader import _ref, table_rows

    long = "patientenkat-primarvard-norrfjall-2027"  # 38 characters
    names = [long + "-a", long + "-b", "Problems", "problems"]
    files = DatasetFiles(tmp_path / "d.xlsx")
    for n, name in enumerate(names):
        files.table(name, ["file", "n"], ["text", "integer"]).write([f"{name}.pdf", n])
    files.commit()
    sheets = load_workbook(tmp_path / "d.xlsx", read_only=True).sheetnames
    titles = [files.sheet_of(name) for name in names]
    assert titles == sheets and len({t.casefold() for t in titles}) == 4
    assert all(len(t) <= 31 for t in titles)
    for n, name in enumerate(names):  # each table is found where the manifest says
        [(_line, row)] = list(table_rows(_ref(tmp_path, _in(files, name)), "xlsx"))
        assert (row["file"], row["n"]) == (f"{name}.pdf", str(n))


def test_a_dataset_whose_manifest_another_format_took_over_is_not_read_as_that_one(
    tmp_path, folder
):
    """svar.csv and then svar.xlsx in one folder: the second's manifest replaces the
    first's, so svar.csv would be read as the workbook's tables. It is refused instead;
    the workbook is read."""
    from pdfforms.dataset.reader import DatasetError, find_manifest

    root, _truth = folder
    run([root / "patient"], tmp_path / "svar.csv")
    run([root / "patient"], tmp_path / "svar.xlsx")
    assert find_manifest(tmp_path / "svar.xlsx").name == "svar.manifest.json"
    with pytest.raises(DatasetError, match=r"svar\.csv: its manifest svar\.manifest\.json "):
        find_manifest(tmp_path / "svar.csv")
