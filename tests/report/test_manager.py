"""The manager's Sammanställning: per care unit, from copies printed for their unit.

Copies printed for a unit carry it (the dataset's `unit`); the report is then per
unit by default: one section per unit with SKR's questions as a chart of the
patients' answers beside the unit's own answer, the other questions, all units
together, and the free texts per unit in an appendix. Expected numbers are counted
here from the generated answers.
"""

from __future__ import annotations

import csv

from pdfforms.model.form import tr

from .conftest import (
    html_tables,
    number,
    patients,
    pct,
    response,
    run,
    write_dataset,
)

UNITS = ["Vårdcentralen Norrfjäll", "Hälsocentralen Åby", "VC Söder"]
SIZES = {UNITS[0]: 9, UNITS[1]: 7, UNITS[2]: 6}


def _printed(form, answers, n, unit, serial=None):
    obj = response(form, answers, n, serial=serial)
    obj["unit"] = unit
    return obj


def _data(tmp_path, forms):
    """Patients and each unit's own form, every copy printed for its unit; the unit's own
    form leaves its name question blank: it is matched by the printed unit alone."""
    patient, unit_form = forms["patient"], forms["unit"]
    answers, objs = {}, []
    for g, (unit, k) in enumerate(SIZES.items()):
        answers[unit] = patients(patient, k, seed=100 + g)
        objs += [
            _printed(patient, a, len(objs) + i, unit, serial=f"S{g}{i}")
            for i, a in enumerate(answers[unit])
        ]
    write_dataset(tmp_path / "p.csv", [patient], objs)
    own = {u: patients(unit_form, 1, seed=200 + g)[0] for g, u in enumerate(SIZES)}
    for a in own.values():
        a.pop("enhetens_namn", None)
    write_dataset(
        tmp_path / "u.csv",
        [unit_form],
        [_printed(unit_form, a, i, u) for i, (u, a) in enumerate(own.items())],
    )
    return answers, own


def test_the_report_is_per_unit_by_default_with_skr_beside_the_units_own_answer(tmp_path, forms):
    answers, own = _data(tmp_path, forms)
    out = tmp_path / "r.html"
    result = run(tmp_path / "p.csv", tmp_path / "u.csv", "-o", out)
    assert result.exit_code == 0, result.output
    tables = html_tables(out)
    patient, unit_form = forms["patient"], forms["unit"]
    coded = {q.code: q for q in patient.answerable if q.code}
    for unit in UNITS:
        rows = tables.tables[f"skr/{unit}"]
        assert rows[0][:6] == ["Kod", "Ja", "Delvis", "Nej", "Vet inte", "Ej svar"]
        data = rows[2::2]  # each question's wording on a row of its own above its numbers
        assert [r[0] for r in data] == [f"skr-7-{i}" for i in range(1, 8)]
        for row in data:
            q = coded[row[0]]
            given = [a[q.id] for a in answers[unit]]
            n = len(given)
            expected = [pct(given.count(v), n) for v in ("ja", "delvis", "nej", "vet_inte", None)]
            assert [number(c) for c in row[1:6]] == expected, (unit, q.code)
            assert number(row[7]) == n
            u = next(x for x in unit_form.answerable if x.code == q.code)
            said = own[unit].get(u.id)
            label = next((tr(o.label, "sv") for o in u.choices if o.value == said), "Ej svar")
            assert row[8] == label, (unit, q.code)
    html = out.read_text("utf-8")
    # one section per unit, then all units together, then the appendix, in that order
    places = [html.index(f">{u}<") for u in sorted(UNITS, key=lambda u: u.replace("Å", "Z~"))]
    assert places == sorted(places)
    assert places[-1] < html.index("Alla enheter tillsammans") < html.index("Bilaga: fritextsvar")
    assert "skr/total" in tables.tables


def test_free_text_is_in_the_appendix_per_unit_only(tmp_path, forms):
    answers, _own = _data(tmp_path, forms)
    out = tmp_path / "r.html"
    assert run(tmp_path / "p.csv", tmp_path / "u.csv", "-o", out).exit_code == 0
    html = out.read_text("utf-8")
    appendix = html.index("Bilaga: fritextsvar")
    texts = [
        a["viktigast_nu"] for group in answers.values() for a in group if a.get("viktigast_nu")
    ]
    assert texts
    for text in texts:
        first = text.splitlines()[0].replace("&", "&amp;")
        assert html.index(first) > appendix, text


def test_without_printed_units_the_report_is_as_before(tmp_path, forms):
    patient = forms["patient"]
    objs = [response(patient, a, i) for i, a in enumerate(patients(patient, 8, seed=3))]
    write_dataset(tmp_path / "p.csv", [patient], objs)
    out = tmp_path / "r.html"
    assert run(tmp_path / "p.csv", "-o", out).exit_code == 0
    html = out.read_text("utf-8")
    assert "Bilaga: fritextsvar" not in html and "Uppdelat på" not in html


def test_by_several_columns_and_a_ledger_column(tmp_path, forms):
    _data(tmp_path, forms)
    out = tmp_path / "r.csv"
    result = run(tmp_path / "p.csv", "-o", out, "--by", "unit", "--by", "language")
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig") as fh:
        groups = {r["group"] for r in csv.DictReader(fh) if r["group_by"]}
    assert groups == {f"{u} · Svenska" for u in UNITS}
    ledger = tmp_path / "utskick.ledger.csv"
    with open(ledger, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["serial", "csv_line", "form", "version", "language", "large_print"])
        for g, k in enumerate(SIZES.values()):
            for i in range(k):
                big = "yes" if g == 0 else "no"
                writer.writerow([f"S{g}{i}", 2, "patient-7-fragor", "1", "sv", big])
    result = run(tmp_path / "p.csv", "-o", out, "--by", "large_print", "--ledger", ledger)
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if r["group_by"]]
    assert {(r["group_by"], r["group"]) for r in rows} == {
        ("large_print", "yes"),
        ("large_print", "no"),
    }


def test_by_a_column_of_personal_data_is_refused(tmp_path, forms):
    _data(tmp_path, forms)
    for column in ("personnummer", "namn", "postadress", "ifylld_av"):
        result = run(
            tmp_path / "p.csv", tmp_path / "u.csv", "-o", tmp_path / "r.pdf", "--by", column
        )
        assert result.exit_code == 2, (column, result.output)
        assert f"--by {column}:" in result.output and "personal data" in result.output, column
    assert not (tmp_path / "r.pdf").exists()


def test_no_question_heading_is_left_at_the_foot_of_a_page(tmp_path, forms):
    """A question's heading stays on the page its table starts on: the report's pages
    are made as reportlab asks for them, and its keep-with-next looks only as far
    ahead as the pages are made (the demo's report showed a heading alone at the foot
    of a page, its table on the next)."""
    import re

    import pdfplumber

    _data(tmp_path, forms)
    out = tmp_path / "r.pdf"
    assert run(tmp_path / "p.csv", tmp_path / "u.csv", "-o", out).exit_code == 0
    heading = re.compile(r"^\d+\. \S")
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) > 3
        for number_, page in enumerate(pdf.pages, start=1):
            lines = [
                line
                for line in page.extract_text_lines()
                if line["bottom"] < float(page.height) - 60  # above the footer
            ]
            if not lines:
                continue
            last = lines[-1]
            bold = all("Bold" in c["fontname"] for c in last["chars"] if c["text"].strip())
            assert not (bold and heading.match(last["text"])), (number_, last["text"])
