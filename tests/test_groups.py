"""Repeated groups (`type: group`, issue 16): a care plan's step / who / when rows,
from the definition through the printed table to the answers read back.

The shipped form_definitions/vardplan.yaml is the example; the definition faults
are checked on small texts written here, each fault on its own line.
"""

from __future__ import annotations

import io
from textwrap import dedent

import pikepdf
import pytest

from pdfforms.generate.fields import AnswerError, answers_to_fields
from pdfforms.generate.fill import fill_answers
from pdfforms.generate.respondents import read_answers
from pdfforms.model.definition import parse_definition
from pdfforms.model.layout import build_layout
from pdfforms.model.rules import blank_answers
from pdfforms.parse.file import parse
from pdfforms.testing.synthetic import fill_like_pypdf

GROUP = dedent(
    """\
    form: g
    version: "1"
    languages: [sv, en]
    title: {sv: "Plan", en: "Plan"}
    sections:
      - id: s
        title: {sv: "Del", en: "Part"}
        questions:
          - id: plan
            type: group
            label: {sv: "Planen", en: "The plan"}
            rows: 4
            items:
              - {id: steg, type: text, label: {sv: "Steg", en: "Step"}}
              - {id: nar, type: date, label: {sv: "När", en: "When"}}
    """
)


def _faults(text: str) -> list[str]:
    form, faults = parse_definition(text, "def.yaml")
    return [str(f) for f in faults]


def test_a_group_parses_to_its_rows_and_columns():
    form, faults = parse_definition(GROUP, "def.yaml")
    assert faults == []
    q = form.question("plan")
    assert q.row_count == 4
    assert [(i.id, i.type) for i in q.items] == [("steg", "text"), ("nar", "date")]
    # SPEC §2: one field a cell, <id>__<row>__<item>, rows from 1
    assert q.field_names() == [f"plan__{k}__{i}" for k in range(1, 5) for i in ("steg", "nar")]
    assert form.answer_keys() == ["plan"]


@pytest.mark.parametrize(
    "change,line_text,words",
    [
        (("rows: 4", "rows: 40"), "rows: 40", "at most 12 rows"),
        (("rows: 4", "rows: 0"), "rows: 0", "rows"),
        (("type: date", "type: yesno"), "type: yesno", "columns can be text, date, number"),
        (
            ('label: {sv: "När", en: "When"}}', 'label: {sv: "När"}, required: true}'),
            "required: true",
            "unknown key 'required'",
        ),
        (("{id: nar,", "{id: steg,"), "type: date", "column id 'steg' appears twice"),
        (('label: {sv: "När", en: "When"}}', 'label: {sv: "När"}}'), "id: nar", "'en'"),
    ],
)
def test_a_fault_of_a_group_is_one_line_naming_it(change, line_text, words):
    text = GROUP.replace(*change)
    faults = _faults(text)
    assert len(faults) == 1, faults
    line = next(n for n, t in enumerate(text.splitlines(), 1) if line_text in t)
    assert faults[0].startswith(f"def.yaml:{line}: "), faults
    assert words in faults[0]


def test_a_group_without_rows_or_items_says_both_in_one_pass():
    text = GROUP.replace("        rows: 4\n", "").split("        items:")[0]
    faults = _faults(text)
    assert len(faults) == 2, faults
    assert "needs 'rows'" in faults[0] and "needs 'items'" in faults[1]


def test_a_condition_cannot_look_at_a_group():
    text = GROUP + (
        "      - id: mer\n"
        "        type: text\n"
        '        label: {sv: "Mer", en: "More"}\n'
        "        enable_when: {question: plan, in: [x]}\n"
    )
    faults = _faults(text)
    assert len(faults) == 1, faults
    assert faults[0].startswith("def.yaml:19: question 'mer'"), faults
    assert "'plan', a group question" in faults[0]


# -- the printed table -------------------------------------------------------------


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_header_is_on_the_page_of_the_rows(forms, lang, large):
    form = forms["vardplan"]
    q = form.question("plan")
    layout = build_layout(form, lang, large)
    heads = [
        (p.number, t) for p in layout.pages for t in p.texts if t.role[:2] == ("column", "plan")
    ]
    cells = [(p.number, w) for p in layout.pages for w in p.widgets if w.question == "plan"]
    assert len(cells) == q.row_count * len(q.items)
    assert {n for n, _ in heads} == {n for n, _ in cells}  # one page, header and rows
    lowest_head = min(t.y for _, t in heads)
    assert all(w.y + w.h < lowest_head for _, w in cells)  # the header above every row
    # the boxes of one row side by side, its cells in the columns' order, not overlapping
    for k in range(1, q.row_count + 1):
        row = [w for _, w in cells if w.field.startswith(f"plan__{k}__")]
        assert [w.field.rsplit("__", 1)[1] for w in row] == ["steg", "vem", "nar"]
        assert len({w.y for w in row}) == 1
        assert all(a.x + a.w < b.x for a, b in zip(row, row[1:], strict=False))
        assert row[-1].x + row[-1].w <= layout.width - 54 + 0.01
    # the date column is wide enough for its hint on one line
    date_hint = [t for _, t in heads if t.text in ("ÅÅÅÅ-MM-DD", "YYYY-MM-DD")]
    assert len(date_hint) == 1


def test_the_group_is_a_table_with_headers_for_screen_readers(blank_pdf, forms):
    form = forms["vardplan"]
    q = form.question("plan")
    with pikepdf.open(io.BytesIO(blank_pdf("vardplan", "sv"))) as pdf:
        tables, todo = [], [pdf.Root.StructTreeRoot]
        while todo:
            node = todo.pop()
            kids = node.get("/K", [])
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            todo += [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]
            if node.get("/S") == pikepdf.Name.Table:
                tables.append(node)
        assert len(tables) == 1
        rows = list(tables[0].K)
        assert len(rows) == 1 + q.row_count
        assert [str(c.S) for c in rows[0].K] == ["/TH"] * (1 + len(q.items))
        for k, row in enumerate(rows[1:], start=1):
            cells = list(row.K)
            assert [str(c.S) for c in cells] == ["/TH"] + ["/TD"] * len(q.items)
            forms_in = [c.K[0] for c in cells[1:]]
            assert all(f.S == pikepdf.Name.Form for f in forms_in)
            assert f"rad {k}, Steg" in str(forms_in[0].Alt)


# -- answers, read back ------------------------------------------------------------


def _parse(tmp_path, pdf: bytes):
    path = tmp_path / "returned.pdf"
    path.write_bytes(pdf)
    return parse(path)


def test_rows_come_back_as_objects_empty_rows_left_out(tmp_path, blank_pdf):
    fields = {
        "plan__1__steg": "Blodprov",
        "plan__1__vem": "Distriktssköterskan",
        "plan__1__nar": "2027-01-15",
        "plan__3__steg": "Träffa dietist",  # row 2 left empty, row 3's who too
        "plan__3__nar": "15/2 2027",
    }
    response = _parse(tmp_path, fill_like_pypdf(blank_pdf("vardplan", "sv"), fields))
    assert response.answers["plan"] == [
        {"steg": "Blodprov", "vem": "Distriktssköterskan", "nar": "2027-01-15"},
        {"steg": "Träffa dietist", "vem": None, "nar": "2027-02-15"},
    ]
    assert response.problems == []


def test_a_cells_problem_names_the_group_its_row_and_column(tmp_path, forms, blank_pdf):
    fields = {"plan__2__steg": "Blodprov", "plan__2__nar": "31/2"}
    response = _parse(tmp_path, fill_like_pypdf(blank_pdf("vardplan", "en"), fields))
    # the row is kept, its unreadable date null, and the problem quotes what was written
    assert response.answers["plan"] == [{"steg": "Blodprov", "vem": None, "nar": None}]
    [problem] = response.problems
    assert (problem.question, problem.code, problem.severity) == ("plan", "invalid_date", "error")
    assert "question 3 'plan', row 2, “When”" in problem.message
    assert "31/2" in problem.message


def test_a_row_whose_only_cell_cannot_be_read_is_kept_with_its_problem(tmp_path, blank_pdf):
    response = _parse(tmp_path, fill_like_pypdf(blank_pdf("vardplan", "en"), {"plan__4__nar": "x"}))
    assert response.answers["plan"] == [{"steg": None, "vem": None, "nar": None}]
    assert [p.code for p in response.problems] == ["invalid_date"]


def test_a_required_group_needs_one_row_not_every_cell(tmp_path, forms, blank_pdf):
    blank = _parse(tmp_path, blank_pdf("vardplan", "en"))
    assert blank.answers["plan"] == []
    assert [(p.question, p.code) for p in blank.problems] == [("plan", "required")]
    assert "no row is filled in" in blank.problems[0].message
    one = _parse(tmp_path, fill_like_pypdf(blank_pdf("vardplan", "en"), {"plan__5__vem": "Jag"}))
    assert one.answers["plan"] == [{"steg": None, "vem": "Jag", "nar": None}]
    assert one.problems == []


def test_a_group_in_a_flattened_copy_reads_back(tmp_path, forms, blank_pdf):
    form = forms["vardplan"]
    answers = blank_answers(form) | {
        "plan": [
            {"steg": "Blodprov – fastande", "vem": "Distriktssköterskan", "nar": "2027-01-15"},
            {"steg": "Gå i skogen", "vem": "Jag själv", "nar": None},
        ]
    }
    flat = fill_answers(blank_pdf("vardplan", "sv"), form, answers, flatten=True)
    response = _parse(tmp_path, flat)
    assert response.source["kind"] == "flattened"
    assert response.answers == answers


def test_filling_refuses_what_the_printed_rows_cannot_hold(forms):
    form = forms["vardplan"]
    too_many = {"plan": [{"steg": f"Steg {k}"} for k in range(7)]}
    with pytest.raises(AnswerError, match="7 rows, but the form has 6"):
        answers_to_fields(form, too_many)
    with pytest.raises(AnswerError, match="unknown column vad"):
        answers_to_fields(form, {"plan": [{"vad": "x"}]})
    with pytest.raises(AnswerError, match="list of rows"):
        answers_to_fields(form, {"plan": "Blodprov"})


def test_fill_reads_a_groups_cells_as_a_csv_would_and_lists_every_fault(forms):
    form = forms["vardplan"]
    answers = read_answers(
        form, {"plan": [{"steg": " Blodprov ", "nar": "15/1 2027"}, {"steg": None}]}
    )
    assert answers["plan"] == [{"steg": "Blodprov", "vem": None, "nar": "2027-01-15"}]
    # given cell by cell, as a respondents CSV's columns are named
    cells = read_answers(form, {"plan__2__vem": "Jag", "plan__1__steg": "Blodprov"})
    assert cells["plan"] == [
        {"steg": "Blodprov", "vem": None, "nar": None},
        {"steg": None, "vem": "Jag", "nar": None},
    ]
    with pytest.raises(AnswerError) as caught:
        read_answers(form, {"plan": [{"nar": "31/2"}, {"vad": 1}], "uppfoljning": "igår?"})
    assert len(caught.value.faults) == 2
    assert "row 1, 'nar'" in caught.value.faults[0]


# -- paper, the dataset and the Sammanställning ------------------------------------


def test_handwriting_in_a_groups_cells_goes_to_review_cell_by_cell(tmp_path, forms):
    """A scan: each written cell is a text for a person (no OCR); until then the group
    has no rows and is not called blank, and a decision fills the cell it names."""
    import random

    from pdfforms.dataset.decisions import Decision, apply_decisions
    from pdfforms.dataset.items import decision_items
    from pdfforms.model.privacy import Privacy
    from pdfforms.parse.scan import parse_scan
    from pdfforms.testing import scans as synth

    from .conftest import DEFINITIONS

    form = forms["vardplan"]
    answers = {"plan": [{"steg": "Blodprov", "nar": "2027-01-15"}, {"vem": "Jag"}]}
    rng = random.Random(4)
    pages, _ = synth.make_scan(form, None, answers, synth.serial_for(rng), rng, None)
    path = tmp_path / "scan.pdf"
    path.write_bytes(synth.scanned_pdf(pages))
    [response] = parse_scan(path, [DEFINITIONS], tmp_path / "review").responses
    written = {i.field for i in response.review if i.reason == "handwriting"}
    assert written == {"plan__1__steg", "plan__1__nar", "plan__2__vem"}
    assert all(i.question == "plan" for i in response.review)
    assert response.answers["plan"] == []
    assert "required" not in {p.code for p in response.problems}  # pending, not blank

    obj = response.to_json()
    units = decision_items(obj, 1, form)
    typed = {"plan__1__steg": "Blodprov", "plan__1__nar": "15/1 2027", "plan__2__vem": "Jag"}
    decisions = {
        u.key: Decision(
            id=str(n),
            item=u.key,
            status="transcribed",
            value=typed[u.targets[0].name],
            by="t",
            at="x",
        )
        for n, u in enumerate(units)
    }
    out = apply_decisions(obj, 1, form, decisions, Privacy("drop"))
    assert out["answers"]["plan"] == [
        {"steg": "Blodprov", "vem": None, "nar": "2027-01-15"},
        {"steg": None, "vem": "Jag", "nar": None},
    ]
    assert out["problems"] == []


PLANS = [
    [{"steg": "Blodprov", "vem": "Distriktssköterskan", "nar": "2027-01-15"}],
    [{"steg": "Promenad", "vem": "Jag själv", "nar": None}, {"steg": "Dietist", "vem": None}],
    [],
]


@pytest.fixture(scope="module")
def plan_files(tmp_path_factory, forms, blank_pdf):
    folder = tmp_path_factory.mktemp("returned")
    form = forms["vardplan"]
    for n, plan in enumerate(PLANS):
        answers = {"vardkontakt": f"Kontakt {n}", "plan": plan}
        filled = fill_like_pypdf(blank_pdf("vardplan", "sv"), answers_to_fields(form, answers))
        (folder / f"{n}.pdf").write_bytes(filled)
    return folder


def test_the_dataset_has_a_column_a_cell_in_every_analysts_format(tmp_path, plan_files):
    import csv

    import pandas as pd
    import pyreadstat

    import pdfforms

    columns = [f"plan__{k}__{i}" for k in range(1, 7) for i in ("steg", "vem", "nar")]
    for fmt in ("csv", "xlsx", "parquet", "sav", "dta"):
        out = tmp_path / fmt / f"svar.{fmt}"
        pdfforms.extract(plan_files, out, workers=1, csv="sv")
        if fmt == "csv":  # Swedish Excel's CSV: ';' between columns
            with out.open(encoding="utf-8-sig", newline="") as f:
                rows = list(csv.DictReader(f, delimiter=";"))
            table = pd.DataFrame(rows).replace("", None)
        elif fmt == "xlsx":
            table = pd.read_excel(out, sheet_name="min-vardplan", header=1)  # labels above
        elif fmt == "parquet":
            table = pd.read_parquet(out)
        else:
            read = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
            table, meta = read(str(out))
            label = meta.column_names_to_labels["plan__2__nar"]
            assert label == "3. Vad ska göras, av vem och när? – rad 2, När", fmt
            table = table.replace("", None)
        assert [c for c in table.columns if c.startswith("plan")] == columns, fmt
        table = table.sort_values("vardkontakt").reset_index(drop=True)
        cells = table[columns].astype(object).where(table[columns].notna(), None)
        assert cells.loc[0, "plan__1__steg"] == "Blodprov", fmt
        assert str(cells.loc[0, "plan__1__nar"])[:10] == "2027-01-15", fmt
        # the second response's two rows, the second's empty cells empty
        assert [cells.loc[1, c] for c in columns[:6]] == [
            "Promenad",
            "Jag själv",
            None,
            "Dietist",
            None,
            None,
        ], fmt
        assert all(v is None for v in cells.loc[2, columns]), fmt  # no rows written


def test_the_report_lists_the_rows_and_hides_a_small_group(tmp_path, plan_files):
    import pdfforms

    data = tmp_path / "svar.csv"
    pdfforms.extract(plan_files, data, workers=1)
    html = tmp_path / "rapport.html"
    pdfforms.report(data, html, min_count=1, by="none")
    text = html.read_text(encoding="utf-8")
    assert "Blodprov · Distriktssköterskan · 2027-01-15" in text
    assert "Promenad · Jag själv · –" in text and "Dietist · – · –" in text
    assert "Steg · Vem · När" in text
    assert "2 av 3 har skrivit något" in text
    # three respondents are fewer than the report shows by default: no row is printed
    hidden = tmp_path / "dold.html"
    pdfforms.report(data, hidden, by="none")
    assert "Blodprov" not in hidden.read_text(encoding="utf-8")


def test_a_date_cell_is_checked_while_filling_and_no_cell_is_required(blank_pdf):
    """A viewer that runs form scripts checks a group's date cells as it checks a date
    question, and warns of a text that will not fit; no cell carries the Required flag,
    which would demand every cell of a group that needs only one row."""
    with pikepdf.open(io.BytesIO(blank_pdf("vardplan", "sv"))) as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        cells = {name: f for name, f in fields.items() if name.startswith("plan__")}
        assert len(cells) == 18
        for name, f in cells.items():
            script = str(f.AA.V.JS)
            kind = "pf_check_date" if name.endswith("__nar") else "pf_fits"
            assert kind in script, name
            assert not int(f.get("/Ff", 0)) & 2, name  # Required


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_a_text_column_keeps_room_beside_three_dates(large):
    text = GROUP.replace(
        '          - {id: nar, type: date, label: {sv: "När", en: "When"}}\n',
        "".join(
            f'          - {{id: d{n}, type: date, label: {{sv: "Datum {n}", en: "Date {n}"}}}}\n'
            for n in range(3)
        ),
    )
    form, faults = parse_definition(text, "def.yaml")
    assert faults == []
    layout = build_layout(form, "sv", large)
    row = [w for w in layout.widgets() if w.field.startswith("plan__1__")]
    size = 16 if large else 12
    assert row[0].field == "plan__1__steg" and row[0].w >= 5 * size - 4.01  # its gap
    assert all(a.x + a.w < b.x for a, b in zip(row, row[1:], strict=False))
    assert row[-1].x + row[-1].w <= layout.width - 54 + 0.01


def test_a_respondents_csv_prefills_a_group_cell_by_cell(tmp_path, forms):
    from pdfforms.generate.respondents import RespondentsError, read_respondents

    form = forms["vardplan"]
    path = tmp_path / "mottagare.csv"
    path.write_text(
        "vardkontakt;plan__1__steg;plan__1__nar;plan__3__vem\nAnna;Blodprov;15/1 2027;Jag\nBo;;;\n",
        encoding="utf-8",
    )
    first, second = read_respondents(path, form, "sv")
    assert first.answers["plan"] == [
        {"steg": "Blodprov", "vem": None, "nar": "2027-01-15"},
        {"steg": None, "vem": "Jag", "nar": None},
    ]
    assert "plan" not in second.answers
    path.write_text("plan;plan__2__nar\nx;31/2\n", encoding="utf-8")
    with pytest.raises(RespondentsError) as caught:
        read_respondents(path, form, "sv")
    text = "\n".join(caught.value.faults)
    assert "plan__1__steg" in text  # the group's column named as its cells
    assert "plan__2__nar" in text and "31/2" in text
