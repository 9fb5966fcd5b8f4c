"""Periods compared: the latest quarter against the one before it, per unit and for all
units, when the dated responses span both; with the small-group suppression applied to
each period's group, along each group's periods and down each period's groups.

A response's date is its answer to the form's date question ("Datum"). Expected
shares are counted here from the generated answers.
"""

from __future__ import annotations

from pdfforms.model.form import tr

from .conftest import html_tables, number, patients, pct, pdf_text, response, run, write_dataset

ID = "patient-7-fragor"  # the patient form's id
A, B, C = "Vårdcentralen Norrfjäll", "Hälsocentralen Åby", "VC Söder"
Q1, Q2, Q3 = "2026-02-11", "2026-05-20", "2026-08-03"  # quarters 1, 2 and 3 of 2026
# unit → date → how many responses; None: the date left blank
PLAN = {
    A: {Q1: 4, Q2: 8, Q3: 9, None: 2},
    B: {Q2: 6, Q3: 7},
    C: {Q2: 7, Q3: 3},
}


def _data(tmp_path, forms, plan=PLAN, name="p.csv"):
    """The patients of `plan`, written latest quarter first, so that the report meets the
    quarters out of order (quarter 3, then 1, then 2)."""
    patient = forms["patient"]
    given: dict[str, dict[str | None, list[dict]]] = {}
    objs = []
    order = sorted({d for dates in plan.values() for d in dates}, key=lambda d: (d is None, d))
    order = order[2:3] + order[:2] + order[3:]  # Q3, Q1, Q2, undated
    for date in order:
        for g, (unit, dates) in enumerate(plan.items()):
            if date not in dates:
                continue
            seed = 7 * g + order.index(date)
            answers = patients(patient, dates[date], seed=seed, datum=date)
            if date is None:
                for a in answers:
                    del a["datum"]
            given.setdefault(unit, {})[date] = answers
            for a in answers:
                obj = response(patient, a, len(objs))
                obj["unit"] = unit
                objs.append(obj)
    write_dataset(tmp_path / name, [patient], objs)
    return given


def _blocks(rows: list[list[str]]) -> dict[str, list[list[str]]]:
    """An over-time table's rows per question: its wording → the rows under it."""
    out: dict[str, list[list[str]]] = {}
    current = None
    for row in rows[1:]:
        if len(row) == 1:  # the wording, a row of its own
            current = out.setdefault(row[0], [])
        else:
            current.append(row)
    return out


def _skr(form):
    return [q for q in form.answerable if (q.code or "").startswith("skr-7-")]


def _expected_shares(q, answers: list[dict]) -> dict[str, int]:
    n = len(answers)
    shares = {
        tr(o.label, "sv"): pct(sum(a.get(q.id) == o.value for a in answers), n) for o in q.choices
    }
    shares["Ej svar"] = pct(sum(a.get(q.id) is None for a in answers), n)
    return shares


def test_two_quarters_are_compared_per_unit_and_for_all_units(tmp_path, forms):
    given = _data(tmp_path, forms)
    out = tmp_path / "r.html"
    result = run(tmp_path / "p.csv", "-o", out)
    assert result.exit_code == 0, result.output
    tables = html_tables(out)
    patient = forms["patient"]
    html = out.read_text("utf-8")
    assert "Över tid: kv.\u00a03 2026 mot kv.\u00a02 2026" in html
    # unit A's 2 responses without a date are in no period, and the report says so
    assert "2 svar utan datum ingår inte i jämförelsen över tid." in html

    def check(rows, before: list[dict], after: list[dict]):
        assert rows[0][:3] == ["Svar", "kv.\u00a02 2026", "kv.\u00a03 2026"]
        blocks = _blocks(rows)
        wordings = list(blocks)
        skr = _skr(patient)
        # SKR's seven first, in their order
        assert wordings[: len(skr)] == [f"{q.number}. {tr(q.label, 'sv')}" for q in skr]
        for q in skr:
            block = blocks[f"{q.number}. {tr(q.label, 'sv')}"]
            assert block[0][0] == "Antal svarande"
            assert [number(c) for c in block[0][1:3]] == [len(before), len(after)]
            old, new = _expected_shares(q, before), _expected_shares(q, after)
            for label, first, second, change in block[1:]:
                assert (number(first), number(second)) == (old[label], new[label]), (q.id, label)
                expected = new[label] - old[label]
                sign = (
                    "±0"
                    if expected == 0
                    else f"+{expected}"
                    if expected > 0
                    else f"\u2212{-expected}"
                )
                assert change == sign, (q.id, label)
        return blocks

    # unit A: both quarters shown; its first quarter and its undated are in neither column
    check(tables.tables[f"{ID}/over_time/{A.casefold()}"], given[A][Q2], given[A][Q3])
    # all units: each quarter's patients of every unit
    everyone = [[a for unit in given.values() for a in unit.get(date, [])] for date in (Q2, Q3)]
    check(tables.tables[f"{ID}/over_time/total"], *everyone)


def test_each_periods_group_is_suppressed_and_no_difference_reveals_it(tmp_path, forms):
    _data(tmp_path, forms)
    out = tmp_path / "r.html"
    assert run(tmp_path / "p.csv", "-o", out).exit_code == 0
    tables = html_tables(out)
    html = out.read_text("utf-8")
    # C has 3 in the latest quarter: hidden; its earlier quarter (7) would give those 3
    # away as C's whole (10) minus 7, so it is hidden too: no table for C at all
    assert f"{ID}/over_time/{C.casefold()}" not in tables.tables
    section = html[html.index(f">{C}</h1>") :]
    section = section[: section.index("<h1")]
    assert "Över tid: kv.\u00a03 2026 mot kv.\u00a02 2026" in section
    assert "för få svarande för att jämföra perioderna" in section
    # all units' latest quarter (19) minus A's and B's would give C's 3: B's latest
    # quarter is hidden too, and B shows no change at all
    rows = tables.tables[f"{ID}/over_time/{B.casefold()}"]
    blocks = _blocks(rows)
    for q in _skr(forms["patient"]):
        respondents, *answers = blocks[f"{q.number}. {tr(q.label, 'sv')}"]
        assert number(respondents[1]) == 6
        assert respondents[2] == "dold"
        for row in answers:
            assert row[2] == "–" and row[3] == "–", row
            assert number(row[1]) is not None
    # wherever a period is hidden, its shares and the change are too
    for block in blocks.values():
        respondents, *answers = block
        for i in (1, 2):
            if respondents[i] in ("dold", "färre än 5"):
                assert all(row[i] == "–" and row[3] == "–" for row in answers), block


def test_one_quarter_gives_no_comparison_and_none_turns_it_off(tmp_path, forms):
    _data(tmp_path, forms, {A: {Q3: 8}, B: {Q3: 9}}, "one.csv")
    _data(tmp_path, forms, PLAN, "two.csv")
    for data, args in (("one.csv", []), ("two.csv", ["--compare", "none"])):
        out = tmp_path / f"{data}.html"
        assert run(tmp_path / data, "-o", out, *args).exit_code == 0
        assert not [k for k in html_tables(out).tables if "/over_time/" in k]
        assert "Över tid" not in out.read_text("utf-8")


def test_months_compared_and_said_on_the_title_page_of_the_pdf(tmp_path, forms):
    _data(tmp_path, forms, {A: {"2026-07-30": 6, "2026-08-02": 5}})
    out = tmp_path / "r.pdf"
    result = run(tmp_path / "p.csv", "-o", out, "--compare", "month")
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_text(out).split())
    assert "Jämförelse över tid augusti 2026 mot juli 2026" in text
    assert "Över tid: augusti 2026 mot juli 2026" in text
    bad = run(tmp_path / "p.csv", "-o", tmp_path / "x.pdf", "--compare", "week")
    assert bad.exit_code != 0 and "--compare" in bad.output


def test_a_comparison_with_no_share_to_show_is_one_line_not_a_table(tmp_path, forms):
    """The unit's own form, returned about once a quarter: each unit's whole is shown
    (five returns or more), but no quarter compared has a share that may be shown. Its
    section says so in one line instead of a heading and a table of dashes."""
    _data(tmp_path, forms)
    unit_form = forms["unit"]
    earlier = ["2025-02-11", "2025-05-20", "2025-08-03", "2025-11-12"]
    plan = {A: earlier + [Q3], B: earlier + [Q2], C: earlier + [Q2, Q3]}
    objs = []
    for g, (unit, dates) in enumerate(plan.items()):
        for j, date in enumerate(dates):
            answers = patients(unit_form, 1, seed=300 + 10 * g + j, ifylld_datum=date)[0]
            obj = response(unit_form, answers, len(objs))
            obj["unit"] = unit
            objs.append(obj)
    write_dataset(tmp_path / "u.csv", [unit_form], objs)
    for lang, line in (
        ("sv", "Över tid: kv.\u00a03 2026 mot kv.\u00a02 2026 – {form}: för få svarande"),
        ("en", "Over time: Q3 2026 against Q2 2026 – {form}: too few respondents"),
    ):
        out = tmp_path / f"r-{lang}.html"
        result = run(tmp_path / "p.csv", tmp_path / "u.csv", "-o", out, "--lang", lang)
        assert result.exit_code == 0, result.output
        tables = html_tables(out).tables
        html = out.read_text("utf-8")
        title = tr(unit_form.title, lang)
        for unit in plan:
            # A: none in the quarter before, one in the latest; B the other way round;
            # C: one in each: in every section, the one line and no table
            assert f"{unit_form.id}/over_time/{unit.casefold()}" not in tables
            section = html[html.index(f">{unit}</h1>") :]
            section = section[: section.index("<h1")]
            assert section.count(line.format(form=title)) == 1, (lang, unit)
            assert f"– {title}</h2>" not in section  # no heading of its own
        # the patients' comparison of a unit is a table as before
        assert f"{ID}/over_time/{A.casefold()}" in tables
