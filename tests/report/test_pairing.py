"""Patients and their care unit side by side: the questions two forms share by code."""

from __future__ import annotations

from pdfforms.model.form import tr

from .conftest import (
    UNITS,
    html_tables,
    number,
    patients,
    pct,
    response,
    run,
    with_unit_question,
    write_dataset,
)

# -- patients and units side by side -----------------------------------------------------

PATIENT_SCORE = {"ja": 100, "delvis": 50, "nej": 0}
UNIT_SCORE = {"ja_fullt": 100, "delvis": 50, "nej_planerat": 0, "nej": 0}


def test_pairing_per_unit_and_in_total(tmp_path, forms):
    unit_form = forms["unit"]
    patient_form = with_unit_question()
    sizes = {UNITS[0]: 9, UNITS[1]: 7, UNITS[2]: 3, "Lilla VC": 2}
    patient_answers = {}
    objs = []
    for g, (unit, k) in enumerate(sizes.items()):
        spelled = unit.upper() if g == 1 else unit  # matching ignores case
        patient_answers[unit] = patients(patient_form, k, seed=g, vardenhet=spelled)
        objs += [
            response(patient_form, a, len(objs) + i) for i, a in enumerate(patient_answers[unit])
        ]
    write_dataset(tmp_path / "p.csv", [patient_form], objs)
    unit_answers = {}
    for g, unit in enumerate(sizes):
        unit_answers[unit] = patients(unit_form, 1, seed=50 + g, enhetens_namn=unit)[0]
    write_dataset(
        tmp_path / "u.xlsx",
        [unit_form],
        [response(unit_form, a, i) for i, a in enumerate(unit_answers.values())],
    )
    result = run(tmp_path / "p.csv", tmp_path / "u.xlsx", "-o", tmp_path / "pair.html")
    assert result.exit_code == 0, result.output
    tables = html_tables(tmp_path / "pair.html")
    codes = [q for q in patient_form.answerable if q.code]
    for unit in (UNITS[0], UNITS[1]):
        rows = tables.tables[f"pairing/{unit}"]
        assert rows[0][:7] == ["Kod", "Ja", "Delvis", "Nej", "Vet inte", "Ej svar", "n"]
        data = rows[2::2]  # each question's wording has a row of its own above its numbers
        assert len(data) == 7
        diffs = []
        for row in data:
            q = next(q for q in codes if q.code == row[0])
            u = unit_form.question(next(x.id for x in unit_form.answerable if x.code == q.code))
            given = [a[q.id] for a in patient_answers[unit]]
            n = len(given)
            expected = [pct(given.count(v), n) for v in ("ja", "delvis", "nej", "vet_inte", None)]
            assert [number(c) for c in row[1:6]] == expected, (unit, q.code)
            assert number(row[6]) == n
            said = unit_answers[unit][u.id]
            label = next((tr(o.label, "sv") for o in u.choices if o.value == said), "Ej svar")
            assert row[7] == label
            scored = [PATIENT_SCORE[v] for v in given if v in PATIENT_SCORE]
            if said in UNIT_SCORE and scored:
                diff = UNIT_SCORE[said] - sum(scored) / len(scored)
                assert number(row[8].replace("−", "-").replace("+", "")) == round(diff)
                diffs.append(abs(round(diff)))
            else:
                assert row[8] == "–"
                diffs.append(-1)
        assert diffs == sorted(diffs, reverse=True)  # where they disagree most comes first
    # 3 + 2 patients: each unit hidden, together five, so no complement is needed
    for unit in (UNITS[2], "Lilla VC"):
        data = tables.tables[f"pairing/{unit}"][2::2]
        assert all(r[6] == "färre än 5" and set(r[1:6]) == {"–"} for r in data)
        assert [r[0] for r in data] == [f"skr-7-{i}" for i in range(1, 8)]  # order tells nothing
    total = tables.tables["pairing/total"][2::2]
    everyone = [a for group in patient_answers.values() for a in group]
    for row in total:
        q = next(q for q in codes if q.code == row[0])
        given = [a[q.id] for a in everyone]
        assert number(row[1]) == pct(given.count("ja"), len(given))
        assert number(row[6]) == len(everyone)


def test_pairing_without_a_unit_question_is_in_total_only(tmp_path, patient_data):
    root, _answers, _units = patient_data
    result = run(root / "svar.csv", root / "enheter.csv", "-o", tmp_path / "t.html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "t.html").read_text("utf-8")
    tables = html_tables(tmp_path / "t.html")
    assert "Frågor till patient har ingen fråga om vårdenhet" in html
    assert [k for k in tables.tables if k.startswith("pairing/")] == ["pairing/total"]
    units = [r[7] for r in tables.tables["pairing/total"][2::2]]
    assert all(u for u in units)  # the units' answers, counted
