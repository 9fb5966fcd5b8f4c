"""Every output (HTML, PDF, CSV) holds the counts made here from the answers, for every
question type."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pdfplumber
import pytest

from pdfforms.model.form import tr

from .conftest import (
    applies,
    check_choice_table,
    choice_questions,
    expected_rows,
    html_tables,
    number,
    patients,
    pct,
    pdf_text,
    response,
    run,
    write_dataset,
)


@pytest.fixture(scope="module")
def reports(patient_data):
    root, _answers, _units = patient_data
    out = {}
    for fmt in ("html", "pdf", "csv"):
        result = run(root / "svar.csv", "-o", root / f"r.{fmt}")
        assert result.exit_code == 0, result.output
        out[fmt] = root / f"r.{fmt}"
    return out


# -- the numbers -----------------------------------------------------------------------


def test_html_tables_hold_the_counts_of_the_answers(patient_data, reports, forms):
    _root, answers, _units = patient_data
    form = forms["patient"]
    tables = html_tables(reports["html"])
    for q in choice_questions(form):
        check_choice_table(
            tables, f"patient-7-fragor/total/{q.id}", expected_rows(form, q, answers)
        )
    # yrkesroll only applied to those with a regular care contact: its base says so
    yrke = form.question("yrkesroll")
    base = sum(applies(form, yrke, a) for a in answers)
    assert 0 < base < len(answers)
    html = reports["html"].read_text(encoding="utf-8")
    assert f"Frågan gällde {base} av {len(answers)} svarande" in html
    # free text in full under its question, personnummer masked
    texts = tables.lists["patient-7-fragor/total/viktigast_nu"]
    expected = [a["viktigast_nu"] for a in answers if a["viktigast_nu"]]
    expected[0] = expected[0].replace("19121212-1212", "[personnummer]")
    assert texts == expected
    others = tables.tables["patient-7-fragor/total/kontaktvagar__other_text"]
    written = Counter(
        a["kontaktvagar__other_text"] for a in answers if a["kontaktvagar__other_text"]
    )
    shown = {r[0]: r[1] for r in others[1:]}
    assert set(shown) == set(written)
    for text, k in written.items():
        assert shown[text] == (str(k) if k >= 5 else "färre än 5")


def test_pdf_text_holds_the_same_counts(patient_data, reports, forms):
    _root, answers, _units = patient_data
    form = forms["patient"]
    text = pdf_text(reports["pdf"]).replace("\u00a0", " ")
    for q in choice_questions(form):
        heading = f"{q.number}. {tr(q.label, 'sv')}"
        start = text.index(heading[:40])
        section = text[start : start + 2000]
        for label, (count, base) in expected_rows(form, q, answers).items():
            line = f"{label} {count} {pct(count, base)} %"
            assert re.search(rf"^{re.escape(line)}$", section, re.M), (q.id, line)
    assert "Sammanställning" in text and "Frågor till patient" in text  # å, ä, ö read back
    with pdfplumber.open(reports["pdf"]) as pdf:
        sizes = {round(c["size"], 1) for p in pdf.pages[1:4] for c in p.chars}
    assert min(sizes) >= 8.5  # numbers inside bars; every text meant to be read is 10 pt or more
    body = Counter(round(c["size"], 1) for p in pdf.pages[1:] for c in p.chars)
    assert sum(k for s, k in body.items() if s < 10) < 0.02 * sum(body.values())
    import pikepdf

    with pikepdf.open(reports["pdf"]) as doc:  # one font, embedded: prints the same anywhere
        fonts = {
            str(f.BaseFont): "/FontFile2" in f.FontDescriptor
            for page in doc.pages
            for f in page.Resources.Font.values()
        }
    assert fonts and all(fonts.values()) and all("BitstreamVera" in name for name in fonts)


def test_csv_holds_the_same_counts(patient_data, reports, forms):
    _root, answers, _units = patient_data
    form = forms["patient"]
    with open(reports["csv"], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for q in choice_questions(form):
        got = {
            r["answer_label"]: (int(r["count"]), int(r["base"]))
            for r in rows
            if r["form"] == "patient-7-fragor"
            and r["group"] == "Totalt"
            and r["question"] == q.id
            and r["answer"] != "_out_of_turn"
        }
        assert got == expected_rows(form, q, answers), q.id
    # the synthetic respondents keep to the skip logic: none answered yrkesroll out of turn
    extra = [r for r in rows if r["question"] == "yrkesroll" and r["answer"] == "_out_of_turn"]
    assert [r["count"] for r in extra] == ["0"]
    assert {r["question"] for r in rows} >= {"viktigast_nu", "datum", "fast_vardkontakt"}
    assert "personnummer" not in {r["question"] for r in rows}


def test_unit_form_grid_scale_and_number(tmp_path, forms):
    import statistics

    unit = forms["unit"]
    answers = patients(unit, 9, seed=3)
    write_dataset(tmp_path / "u.csv", [unit], [response(unit, a, i) for i, a in enumerate(answers)])
    assert run(tmp_path / "u.csv", "-o", tmp_path / "u.html").exit_code == 0
    tables = html_tables(tmp_path / "u.html")
    grid = unit.question("viktigt_for_dig")
    rows = tables.tables["verksamhet-7-fragor/total/viktigt_for_dig"]
    options = [tr(o.label, "sv") for o in grid.choices]
    assert rows[0][1 : len(options) + 2] == [*options, "Ej svar"]
    base = sum(1 for a in answers if a["viktigt_for_dig"] is not None)
    for r, cells in zip(grid.rows, rows[1:], strict=True):
        assert cells[0] == tr(r.label, "sv")
        values = [(a["viktigt_for_dig"] or {}).get(r.id) for a in answers]
        for option, cell in zip([*grid.choice_values, None], cells[1:], strict=False):
            k = values.count(option)
            assert cell.replace("\u00a0", " ") == f"{k} ({pct(k, base)} %)", (r.id, option)
    scale = unit.question("personcentrerat")
    check_choice_table(
        tables, "verksamhet-7-fragor/total/personcentrerat", expected_rows(unit, scale, answers)
    )
    points = [a["personcentrerat"] for a in answers if isinstance(a["personcentrerat"], int)]
    middle = statistics.median(points)
    shown = f"{middle:g}".replace(".", ",")
    html = (tmp_path / "u.html").read_text(encoding="utf-8")
    assert f"Median: {shown} (av {len(points)} som valt ett värde på skalan)" in html
    numbers = [a["andel_fast_lakare"] for a in answers if a["andel_fast_lakare"] is not None]
    stats = dict(tables.tables["verksamhet-7-fragor/total/andel_fast_lakare"][1:])
    assert stats["Median"] == f"{statistics.median(numbers):g}".replace(".", ",")
    assert stats["Antal som svarat"] == str(len(numbers))
    assert stats["Lägsta – högsta"] == f"{min(numbers)} – {max(numbers)}"
    yes = tables.tables["verksamhet-7-fragor/total/rutin_fast_kontakt"]
    assert yes[1][0] == "Ja" and number(yes[1][1]) == sum(
        a["rutin_fast_kontakt"] is True for a in answers
    )


def test_every_question_type_in_every_output(tmp_path, forms):
    form = forms["all_types"]
    answers = patients(form, 12, seed=12)
    write_dataset(tmp_path / "t.csv", [form], [response(form, a, i) for i, a in enumerate(answers)])
    for fmt in ("html", "pdf", "csv"):
        result = run(tmp_path / "t.csv", "-o", tmp_path / f"report.{fmt}", "--lang", "en")
        assert result.exit_code == 0, result.output
    tables = html_tables(tmp_path / "report.html")
    for q in form.answerable:
        key = f"{form.id}/total/{q.id}"
        if q.type in ("single", "multiple", "yesno", "scale", "dropdown"):
            expected = expected_rows(form, q, answers, "en")
            if next(iter(expected.values()))[1] >= 5:
                check_choice_table(tables, key, expected)
        elif q.type in ("grid", "number", "date"):
            assert key in tables.tables, q.id
        elif q.type == "personnummer":
            assert key not in tables.tables
            assert f",{q.id}," not in (tmp_path / "report.csv").read_text("utf-8-sig")
