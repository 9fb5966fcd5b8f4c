"""A dataset's tables in every format: CSV, XLSX, Parquet, JSONL."""

from __future__ import annotations

import json

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
    header, rows = sheet[0], sheet[1:]
    assert len(rows) == 6
    viktigast = header.index("viktigast_nu")
    assert {r[viktigast] for r in rows} == {
        truth[f"patient/p{i}.pdf"]["viktigast_nu"] for i in range(6)
    }
    codebook = list(book["codebook"].iter_rows(values_only=True))
    label = forms["patient"].question("fast_vardkontakt").label["sv"]
    assert any(r[1] == "fast_vardkontakt" and r[7] == label for r in codebook)

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
        *("form", "serial", "source", "answers", "problems", "review", "reviewed")
    }
