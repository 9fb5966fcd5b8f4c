"""`pdfforms report`: the Sammanställning, checked against counts made independently.

Datasets are written here through the same code `extract` uses (FormTable,
DatasetFiles, the manifest) from synthetic answers that the test keeps; the
expected counts are computed from those answers in this file, never by the
report's own counting code. One test runs the real pipeline: filled PDFs →
extract → report.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import random
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from pdfforms.cli import main
from pdfforms.dataset.build import RunSummary, manifest_of
from pdfforms.dataset.columns import (
    PROBLEM_COLUMNS,
    REVIEW_COLUMNS,
    FormTable,
    problem_rows,
    review_rows,
)
from pdfforms.dataset.tables import DatasetFiles
from pdfforms.model.definition import parse_definition
from pdfforms.model.form import Form, tr
from pdfforms.model.privacy import DROP, KEEP, Privacy
from pdfforms.testing.synthetic import synthetic_answers, synthetic_personnummer

ROOT = Path(__file__).resolve().parent.parent
PATIENT_YAML = (ROOT / "form_definitions" / "patient.yaml").read_text(encoding="utf-8")
UNITS = ["Vårdcentralen Älvsjö", "Hälsocentralen Åre", "Ö-vik Norra"]


# -- datasets made the way extract makes them -------------------------------------------


def response(form: Form, answers: dict, n: int, serial=None, kind="acroform", lang=None) -> dict:
    """A parsed form (SPEC §4) with these answers, as a worker would hand it to extract."""
    return {
        "form": {"id": form.id, "version": form.version, "language": lang or "sv"},
        "serial": serial,
        "source": {
            "file": f"inkommet/{form.id}-{n}.pdf",
            "sha256": hashlib.sha256(f"{form.id}-{n}".encode()).hexdigest(),
            "kind": kind,
            "pages": 3,
        },
        "answers": copy.deepcopy(answers),
        "problems": [],
        "review": [],
    }


def write_dataset(path: Path, forms: list[Form], objs: list[dict], privacy=None) -> Path:
    """A dataset as `pdfforms extract -o path` writes it (tables, manifest), from parsed forms."""
    privacy = privacy or Privacy(DROP)
    files = DatasetFiles(path)
    by_id = {f.id: f for f in forms}
    tables = {f.id: FormTable([f], privacy) for f in forms}
    jsonl = files.text_file(path) if files.format == "jsonl" else None
    sinks = {}
    if jsonl is None:
        for form_id, table in tables.items():
            name = form_id if len(tables) > 1 or files.format == "xlsx" else None
            sinks[form_id] = files.table(
                name or form_id, [c.name for c in table.written], table.types(), main=name is None
            )
        problems = files.table("problems", list(PROBLEM_COLUMNS), ["text"] * 9)
        review = files.table("review", list(REVIEW_COLUMNS), ["text"] * 9)
    for obj in objs:
        obj = privacy.apply(copy.deepcopy(obj), by_id[obj["form"]["id"]])
        if jsonl is not None:
            jsonl.write(json.dumps(obj, ensure_ascii=False) + "\n")
            continue
        sinks[obj["form"]["id"]].write(tables[obj["form"]["id"]].row(obj, 1))
        for row in problem_rows(obj, 1):
            problems.write(row)
        for row in review_rows(obj, 1):
            review.write(row)
    summary = RunSummary(files=len(objs), questionnaires=len(objs))
    manifest = files.text_file(files.sidecar("manifest.json"))
    manifest.write(json.dumps(manifest_of(files, tables, privacy, summary), ensure_ascii=False))
    files.commit()
    return path


def with_unit_question(text: str = PATIENT_YAML) -> Form:
    """The patient form with a first question naming the care unit (as a region might add)."""
    extra = (
        "sections:\n"
        "  - id: om_besoket\n"
        '    title: {sv: "Om besöket", en: "About the visit"}\n'
        "    questions:\n"
        "      - id: vardenhet\n"
        "        type: text\n"
        '        label: {sv: "Vilken vårdenhet besökte du?", en: "Which care unit?"}\n'
    )
    form, faults = parse_definition(text.replace("sections:\n", extra, 1), "patient+enhet")
    assert not faults, faults
    return form


def patients(form: Form, n: int, seed: int, **fixed) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        answers = synthetic_answers(form, rng)
        answers.update({k: (v(rng) if callable(v) else v) for k, v in fixed.items()})
        out.append(answers)
    return out


# -- reading a report back ------------------------------------------------------------


class _Tables(HTMLParser):
    """Every <table data-key> of an HTML report as rows of cell texts; every text list."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.lists: dict[str, list[str]] = {}
        self._table = self._list = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("data-key", ""), [])
        elif tag == "ul" and "data-key" in attrs:
            self._list = self.lists.setdefault(attrs["data-key"], [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "li" and self._list is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "ul":
            self._list = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "li" and self._cell is not None:
            self._list.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(path: Path) -> _Tables:
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def number(text: str) -> int:
    return int(text.replace("\u00a0", "").replace(" ", "").rstrip("%").strip())


def pct(count: int, base: int) -> int:
    """Whole per cent, 0.5 rounded up: what the report promises, computed here on its own."""
    return int(count * 100 / base + 0.5 + 1e-9)


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def run(*args) -> object:
    return CliRunner().invoke(main, ["report", *map(str, args)])


# -- expectations computed here, from the answers the test generated ---------------------

SV_BLANK = "Ej svar"


def applies(form: Form, q, answers: dict) -> bool:
    """Whether a question applied to a respondent: no condition, or its condition met by
    an answer to a question that itself applied. An answer given anyway does not count."""
    if q.enable_when is None:
        return True
    parent_q = form.question(q.enable_when.question)
    if not applies(form, parent_q, answers):
        return False
    parent = answers.get(q.enable_when.question)
    if parent in (None, []):
        return False
    if parent_q.type == "yesno":
        parent = "yes" if parent else "no"
    chosen = parent if isinstance(parent, list) else [str(parent)]
    return any(v in q.enable_when.values for v in chosen)


def expected_rows(form: Form, q, answers_list: list[dict], lang: str = "sv") -> dict:
    """Option label → (count, base), with the blank row, for a choice question."""
    rows_of = [a for a in answers_list if applies(form, q, a)]
    base = len(rows_of)
    counts: Counter = Counter()
    blank = 0
    for a in rows_of:
        value = a.get(q.id)
        if value in (None, []):
            blank += 1
        elif q.type == "multiple":
            counts.update(value)
        elif q.type == "yesno":
            counts["yes" if value else "no"] += 1
        else:
            counts[str(value)] += 1
    out = {}
    if q.type == "yesno":
        labels = [("yes", "Ja" if lang == "sv" else "Yes"), ("no", "Nej" if lang == "sv" else "No")]
    elif q.type == "scale":
        labels = [(str(v), str(v)) for v in range(q.min, q.max + 1)]
        if q.na:
            labels.append((q.na.value, tr(q.na.label, lang)))
    else:
        labels = [(o.value, tr(o.label, lang)) for o in q.choices]
    for value, label in labels:
        if q.type == "scale" and value == str(q.min) and q.min_label:
            label = f"{value} – {tr(q.min_label, lang)}"
        if q.type == "scale" and value == str(q.max) and q.max_label:
            label = f"{value} – {tr(q.max_label, lang)}"
        out[label] = (counts[value], base)
    out[SV_BLANK if lang == "sv" else "No answer"] = (blank, base)
    return out


def table_rows(tables: _Tables, key: str) -> dict[str, tuple[int, int]]:
    """An HTML choice table as label → (count, percent)."""
    rows = tables.tables[key]
    assert rows[0][:3] in (["Svar", "Antal", "Andel"], ["Answer", "Count", "Share"]), rows[0]
    return {r[0]: (number(r[1]), number(r[2])) for r in rows[1:]}


def check_choice_table(tables, key, expected: dict) -> None:
    got = table_rows(tables, key)
    assert list(got) == list(expected), key
    for label, (count, base) in expected.items():
        assert got[label] == (count, pct(count, base)), (key, label)


def choice_questions(form: Form):
    return [q for q in form.answerable if q.type in ("single", "multiple", "yesno", "scale")]


# -- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def patient_data(tmp_path_factory, forms):
    """47 patient returns and 3 unit returns, in one CSV dataset each."""
    root = tmp_path_factory.mktemp("report")
    form, unit = forms["patient"], forms["unit"]
    answers = patients(form, 47, seed=11)
    answers[0]["viktigast_nu"] = "Ring mig på 19121212-1212 – eller skriv till mig.\nTack!"
    write_dataset(root / "svar.csv", [form], [response(form, a, i) for i, a in enumerate(answers)])
    units = patients(unit, 3, seed=5)
    write_dataset(root / "enheter.csv", [unit], [response(unit, a, i) for i, a in enumerate(units)])
    return root, answers, units


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


# -- privacy ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [4, 5])
def test_suppression_at_the_boundary(tmp_path, forms, n):
    form = forms["patient"]
    answers = patients(
        form, n, seed=40 + n, viktigast_nu=lambda rng: f"Min egen text {rng.random()}"
    )
    write_dataset(tmp_path / "s.csv", [form], [response(form, a, i) for i, a in enumerate(answers)])
    for fmt in ("html", "pdf", "csv"):
        assert run(tmp_path / "s.csv", "-o", tmp_path / f"out.{fmt}").exit_code == 0
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    text = pdf_text(tmp_path / "out.pdf")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text("utf-8-sig"))))
    tables = html_tables(tmp_path / "out.html")
    secret = [a["viktigast_nu"] for a in answers]
    if n == 4:
        assert not [k for k in tables.tables if k.startswith("patient-7-fragor/")]
        assert "Färre än 5 svarande: inga resultat visas." in html
        assert "Frågor till patient: färre än 5" in html
        assert "Färre än 5 svarande" in text
        assert not any(s in html or s in text for s in secret)
        assert rows and all(r["suppressed"] == "small" and not r["count"] for r in rows)
    else:
        q = form.question("fast_vardkontakt")
        check_choice_table(
            tables, f"patient-7-fragor/total/{q.id}", expected_rows(form, q, answers)
        )
        assert all(s in html for s in secret)
        assert "Frågor till patient: 5 " in html
        assert not any(r["suppressed"] for r in rows if r["question"] == q.id)


def grouped(tmp_path, form, sizes: dict[str, int], by="datum", **fixed):
    """A dataset whose respondents fall into groups of the given sizes (by month of `datum`)."""
    objs, answers = [], {}
    for g, (month, k) in enumerate(sizes.items()):
        answers[month] = patients(form, k, seed=100 + g, datum=f"{month}-15", **fixed)
        objs += [response(form, a, len(objs) + i) for i, a in enumerate(answers[month])]
    write_dataset(tmp_path / "g.csv", [form], objs)
    result = run(tmp_path / "g.csv", "-o", tmp_path / "g.html", "--by", by)
    assert result.exit_code == 0, result.output
    return html_tables(tmp_path / "g.html"), (tmp_path / "g.html").read_text("utf-8"), answers


def test_groups_by_month_and_the_complement_of_a_hidden_group(tmp_path, forms):
    form = forms["patient"]
    q = form.question("fast_vardkontakt")
    sizes = {"2026-03": 6, "2026-04": 12, "2026-05": 4}
    unique = {"viktigast_nu": lambda rng: f"Egen text nr {rng.randrange(10**9)}"}
    tables, html, answers = grouped(tmp_path, form, sizes, **unique)
    # May (4) is hidden; the total minus April would then give May, so March (6) goes too
    for month in sizes:
        key = f"patient-7-fragor/{month}/{q.id}"
        if month == "2026-04":
            check_choice_table(tables, key, expected_rows(form, q, answers[month]))
        else:
            assert key not in tables.tables
    everyone = [a for group in answers.values() for a in group]
    check_choice_table(tables, f"patient-7-fragor/total/{q.id}", expected_rows(form, q, everyone))
    sizes_table = {r[0]: r[1] for r in tables.tables["patient-7-fragor/groups"][1:]}
    assert sizes_table == {
        "mars 2026": "dold",
        "april 2026": "12",
        "maj 2026": "färre än 5",
        "Totalt": "22",
    }
    assert "för att skydda en mindre grupp" in html
    compare = {r[0]: r for r in tables.tables[f"patient-7-fragor/compare/{q.id}"][1:]}
    assert set(compare["maj 2026"][1:-1]) == {"–"} and set(compare["mars 2026"][1:-1]) == {"–"}
    april = expected_rows(form, q, answers["2026-04"])
    assert [number(c) for c in compare["april 2026"][1:-1]] == [
        pct(k, b) for k, b in april.values()
    ]
    # free text: per group only, and never from a hidden group
    for month, group in answers.items():
        for a in group:
            assert (a["viktigast_nu"] in html) == (month == "2026-04")
    assert "patient-7-fragor/total/viktigast_nu" not in tables.lists
    shown = tables.lists["patient-7-fragor/2026-04/viktigast_nu"]
    assert shown == [a["viktigast_nu"] for a in answers["2026-04"]]


def test_a_question_that_applied_to_few_in_a_shown_group_is_hidden(tmp_path, forms):
    form = forms["patient"]
    # in April only 3 have a regular care contact, so yrkesroll applies to 3 of 10
    sizes = {"2026-04": 10, "2026-05": 20}
    objs, answers = [], {}
    for g, (month, k) in enumerate(sizes.items()):
        group = patients(form, k, seed=7 + g, datum=f"{month}-02")
        for i, a in enumerate(group):
            contact = month == "2026-05" or i < 3
            a["fast_vardkontakt"] = "ja" if contact else "nej"
            a["yrkesroll"] = "lakare" if contact else None
            a["yrkesroll__other_text"] = None
        answers[month] = group
        objs += [response(form, a, len(objs) + i) for i, a in enumerate(group)]
    write_dataset(tmp_path / "c.csv", [form], objs)
    assert run(tmp_path / "c.csv", "-o", tmp_path / "c.html", "--by", "datum").exit_code == 0
    tables = html_tables(tmp_path / "c.html")
    assert "patient-7-fragor/2026-04/fast_vardkontakt" in tables.tables
    assert "patient-7-fragor/2026-04/yrkesroll" not in tables.tables
    # and May's yrkesroll with it, or the total would give April's three away
    assert "patient-7-fragor/2026-05/yrkesroll" not in tables.tables
    rows = table_rows(tables, "patient-7-fragor/total/yrkesroll")
    assert rows["Läkare"] == (23, 100)


def test_personnummer_serials_and_file_names_never_appear(tmp_path, forms):
    form = forms["patient"]
    rng = random.Random(9)
    numbers = [synthetic_personnummer(rng) for _ in range(8)]
    answers = patients(form, 8, seed=2)
    objs = []
    for i, (a, pnr) in enumerate(zip(answers, numbers, strict=True)):
        a["personnummer"] = pnr
        a["viktigast_nu"] = f"Mitt nummer är {pnr}, ring 0701234567."
        objs.append(response(form, a, i, serial=f"SERIAL{i:03d}X"))
    write_dataset(tmp_path / "k.csv", [form], objs, privacy=Privacy(KEEP))
    assert numbers[0] in (tmp_path / "k.csv").read_text("utf-8-sig")  # the dataset has them
    outputs = []
    for fmt in ("html", "pdf", "csv"):
        out = tmp_path / f"out.{fmt}"
        assert run(tmp_path / "k.csv", "-o", out).exit_code == 0
        outputs.append(pdf_text(out) if fmt == "pdf" else out.read_text("utf-8-sig"))
    for out in outputs:
        flat = out.replace("\u00a0", " ")
        for pnr in numbers:
            digits = pnr.replace("-", "")
            assert pnr not in flat and digits not in flat and pnr[2:] not in flat
        assert "SERIAL" not in flat and "inkommet/" not in flat and "0701234567" not in flat
        assert "sha256" not in flat
    assert "Mitt nummer är [personnummer], ring [nummer]." in outputs[0]


def test_no_free_text(tmp_path, patient_data):
    root, answers, _units = patient_data
    assert run(root / "svar.csv", "-o", tmp_path / "n.html", "--no-free-text").exit_code == 0
    html = (tmp_path / "n.html").read_text("utf-8")
    assert "Fritextsvaren är utelämnade" in html
    for a in answers:
        for key in ("viktigast_nu", "bra_dag", "mer_att_beratta"):
            if a[key]:
                assert a[key].split("\n")[0] not in html
    tables = html_tables(tmp_path / "n.html")
    assert not tables.lists
    assert "patient-7-fragor/total/kontaktvagar__other_text" not in tables.tables


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


# -- inputs, outputs -------------------------------------------------------------------


def test_every_dataset_format_gives_the_same_summary(tmp_path, forms):
    form = forms["patient"]
    answers = patients(form, 12, seed=77)
    objs = [response(form, a, i) for i, a in enumerate(answers)]
    out = {}
    for ext in ("csv", "xlsx", "jsonl", "parquet"):
        (tmp_path / f"d{ext}").mkdir()
        write_dataset(tmp_path / f"d{ext}" / f"svar.{ext}", [form], objs)
        result = run(tmp_path / f"d{ext}" / f"svar.{ext}", "-o", tmp_path / f"{ext}.csv")
        assert result.exit_code == 0, result.output
        out[ext] = (tmp_path / f"{ext}.csv").read_text("utf-8")
    assert out["csv"] == out["xlsx"] == out["jsonl"] == out["parquet"]
    assert "fast_vardkontakt" in out["csv"]


def test_english_and_the_csv_format_option(tmp_path, patient_data, forms):
    root, answers, _units = patient_data
    result = run(root / "svar.csv", "-o", tmp_path / "en.html", "--lang", "en")
    assert result.exit_code == 0, result.output
    tables = html_tables(tmp_path / "en.html")
    form = forms["patient"]
    q = form.question("fast_vardkontakt")
    check_choice_table(
        tables, f"patient-7-fragor/total/{q.id}", expected_rows(form, q, answers, "en")
    )
    assert "Summary report" in (tmp_path / "en.html").read_text("utf-8")
    result = run(root / "svar.csv", "-o", tmp_path / "tables", "--format", "csv")
    assert result.exit_code == 0 and (tmp_path / "tables").read_text("utf-8-sig").startswith(
        "form,"
    )


def test_response_rate_from_a_print_run_ledger(tmp_path, forms):
    form = forms["patient"]
    ledger = tmp_path / "utskick.ledger.csv"
    serials = [f"K{i:08d}X" for i in range(20)]
    with open(ledger, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "serial",
                "csv_line",
                "form",
                "version",
                "language",
                "large_print",
                "generated",
                "pages",
                "file",
            ]
        )
        for s in serials:
            w.writerow([s, "", form.id, "1", "sv", "no", "2026-03-01", "1-3", ""])
    answers = patients(form, 10, seed=4)
    objs = [
        response(form, a, i, serial=serials[i] if i < 8 else None) for i, a in enumerate(answers)
    ]
    write_dataset(tmp_path / "r.csv", [form], objs)
    result = run(tmp_path / "r.csv", "-o", tmp_path / "r.html", "--ledger", ledger)
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r.html").read_text("utf-8").replace("\u00a0", " ")
    assert "Frågor till patient: 8 av 20 utskickade exemplar (40 %)" in html
    assert "2 svar utan löpnummer" in html
    assert serials[0] not in html


def test_bad_input_is_one_line_naming_the_file(tmp_path, patient_data):
    root, _answers, _units = patient_data

    def fails(*args, says: str):
        result = run(*args)
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("pdfforms: "), result.output
        assert says in lines[0], lines[0]
        assert "Traceback" not in result.output

    out = tmp_path / "r.html"
    fails(tmp_path / "nowhere.csv", "-o", out, says="nowhere.csv: no such file")
    (tmp_path / "lone.csv").write_text("a,b\n1,2\n")
    fails(tmp_path / "lone.csv", "-o", out, says="lone.csv: no manifest beside it")
    (tmp_path / "bad.csv").write_text("x")
    (tmp_path / "bad.manifest.json").write_text("{not json")
    fails(tmp_path / "bad.csv", "-o", out, says="bad.manifest.json: not a dataset manifest")
    edited = tmp_path / "edited"
    edited.mkdir()
    for f in root.glob("svar.*"):
        (edited / f.name).write_bytes(f.read_bytes())
    table = edited / "svar.csv"
    with open(table, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("fast_vardkontakt")

    def rewrite(rows):
        with open(table, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(rows)

    rows[3][col] = "kanske"
    rewrite(rows)
    fails(table, "-o", out, says="svar.csv: row 4, column 'fast_vardkontakt': 'kanske' is not")
    rewrite([[c for i, c in enumerate(r) if i != col] for r in rows])
    fails(table, "-o", out, says="no column 'fast_vardkontakt'")
    fails(root / "svar.csv", "-o", tmp_path / "r.docx", says="r.docx: unknown report format")
    fails(root / "svar.csv", "-o", out, "--by", "serial", says="--by serial")
    fails(root / "svar.csv", "-o", out, "--by", "ingenting", says="--by ingenting: no form")
    wrong = tmp_path / "svar.ledger.csv"  # the ledger extract writes, not a print run's
    wrong.write_text("file,outcome,reason,questionnaires\na.pdf,parsed,,1\n", encoding="utf-8")
    fails(root / "svar.csv", "-o", out, "--ledger", wrong, says="the ledger of `pdfforms extract`")
    fails(root / "svar.csv", "-o", out, "--ledger", tmp_path / "nej.csv", says="nej.csv: cannot")
    fails(root / "svar.csv", root / "svar.manifest.json", "-o", out, says="given twice")
    fails(root / "svar.csv", "-o", root / "svar.csv", says="one of the dataset's own files")


def test_returned_pdfs_through_extract_to_the_report(tmp_path, forms):
    from pdfforms.dataset.extract import extract
    from pdfforms.generate.fields import answers_to_fields
    from pdfforms.generate.render import generate
    from pdfforms.testing.synthetic import fill_like_pypdf

    form = forms["patient"]
    blank = generate(form, "sv")
    answers = patients(form, 6, seed=21)
    inbox = tmp_path / "inkommet"
    inbox.mkdir()
    for i, a in enumerate(answers):
        (inbox / f"p{i}.pdf").write_bytes(fill_like_pypdf(blank, answers_to_fields(form, a)))
    summary = extract([str(inbox)], tmp_path / "svar.csv", workers=2, progress=False)
    assert summary.questionnaires == 6
    result = run(tmp_path / "svar.csv", "-o", tmp_path / "r.html")
    assert result.exit_code == 0, result.output
    tables = html_tables(tmp_path / "r.html")
    for q in choice_questions(form):
        expected = expected_rows(form, q, answers)
        key = f"patient-7-fragor/total/{q.id}"
        if next(iter(expected.values()))[1] < 5:  # a question that applied to fewer than 5
            assert key not in tables.tables
        else:
            check_choice_table(tables, key, expected)


def test_the_html_report_opens_and_prints_offline_in_chromium(tmp_path, patient_data, forms):
    import subprocess

    from tests.conftest import require_program

    chromium = require_program("chromium")
    root, answers, _units = patient_data
    page = tmp_path / "r.html"
    assert run(root / "svar.csv", root / "enheter.csv", "-o", page).exit_code == 0
    html = page.read_text("utf-8")
    # one file: no scripts, no links to fetch (the SVG namespace is a name, not a fetch)
    assert "<script" not in html and "<link" not in html and "src=" not in html
    assert not re.search(r"url\(|@import|href=\"http", html)
    printed = tmp_path / "printed.pdf"
    subprocess.run(
        [
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = pdf_text(printed).replace("\u00a0", " ")
    assert "Sammanställning" in text and "Patienter och verksamhet sida vid sida" in text
    form = forms["patient"]
    q = form.question("fast_vardkontakt")
    for label, (count, base) in expected_rows(form, q, answers).items():
        assert re.search(rf"^{re.escape(label)} {count} {pct(count, base)} %", text, re.M), label


def test_a_questionnaire_in_two_datasets_counts_once(tmp_path, forms):
    form = forms["patient"]
    answers = patients(form, 8, seed=8)
    objs = [response(form, a, i) for i, a in enumerate(answers)]
    # a scanned file holding two questionnaires: one sha256, both must count
    objs[7]["source"]["sha256"] = objs[6]["source"]["sha256"]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_dataset(tmp_path / "a" / "svar.jsonl", [form], objs)
    write_dataset(tmp_path / "b" / "svar.jsonl", [form], objs[4:])
    result = run(
        tmp_path / "a" / "svar.jsonl", tmp_path / "b" / "svar.jsonl", "-o", tmp_path / "r.html"
    )
    assert result.exit_code == 0, result.output
    tables = html_tables(tmp_path / "r.html")
    q = form.question("fast_vardkontakt")
    check_choice_table(tables, f"patient-7-fragor/total/{q.id}", expected_rows(form, q, answers))
    assert "4 svar fanns i mer än en av de givna datamängderna" in (tmp_path / "r.html").read_text()


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


# -- answers given out of turn (issue 13 item 8) ----------------------------------------

CONDITIONAL_YAML = """\
form: villkor-patient
version: "1"
languages: [sv, en]
title: {sv: "Villkorade frågor", en: "Conditional questions"}
sections:
  - id: del
    title: {sv: "Del", en: "Part"}
    questions:
      - id: fast
        type: yesno
        label: {sv: "Har du en fast kontakt?", en: "Do you have a regular contact?"}
      - id: vem
        type: single
        label: {sv: "Vem är det?", en: "Who is it?"}
        enable_when: {question: fast, equals: "yes"}
        options:
          - {value: lakare, label: {sv: "Läkare", en: "Doctor"}}
          - {value: ssk, label: {sv: "Sjuksköterska", en: "Nurse"}}
      - id: nojd
        type: single
        code: villkor-1
        label: {sv: "Är du nöjd med läkaren?", en: "Are you satisfied with the doctor?"}
        enable_when: {question: vem, equals: lakare}
        options:
          - {value: ja, label: {sv: "Ja", en: "Yes"}}
          - {value: nej, label: {sv: "Nej", en: "No"}}
      - id: antal
        type: number
        label: {sv: "Hur många besök?", en: "How many visits?"}
        enable_when: {question: fast, equals: "yes"}
        decimals: 0
"""
UNIT_CONDITIONAL_YAML = """\
form: villkor-verksamhet
version: "1"
languages: [sv, en]
title: {sv: "Villkor för verksamheten", en: "Conditions for the unit"}
sections:
  - id: del
    title: {sv: "Del", en: "Part"}
    questions:
      - id: nojd
        type: single
        code: villkor-1
        label: {sv: "Tror ni att patienterna är nöjda?", en: "Are your patients satisfied?"}
        options:
          - {value: ja, label: {sv: "Ja", en: "Yes"}}
          - {value: nej, label: {sv: "Nej", en: "No"}}
"""


def out_of_turn_answers() -> list[dict]:
    """22 respondents; 5 of them answer questions that did not apply to them.

    vem applies to the 12 with fast = yes; nojd to those of them who said lakare
    (7), and to no one else: the two who said lakare out of turn (fast = no)
    were not asked nojd either, though they answered it (a nested condition).
    """

    def a(fast, vem=None, nojd=None, antal=None, lang="sv"):
        return {"fast": fast, "vem": vem, "nojd": nojd, "antal": antal, "_lang": lang}

    return [
        # asked vem: 7 lakare (5 nojd ja, 1 nej, 1 blank), 4 ssk, 1 blank
        *[a(True, "lakare", "ja", 2) for _ in range(5)],
        a(True, "lakare", "nej", 3),
        a(True, "lakare", None, None),
        *[a(True, "ssk", None, 1, lang="en") for _ in range(4)],
        a(True, None, None, 4),
        # not asked vem, nojd or antal, but some answered them anyway
        a(False, "lakare", "ja", None),
        a(False, "lakare", "nej", 6),
        a(False, "lakare", None, None),
        *[a(False) for _ in range(5)],
        a(None, "ssk", None, None, lang="en"),
        a(None),
        # a unit question answered out of turn is not counted either (no unit here)
    ]


def _conditional_expected(form: Form, answers: list[dict], qid: str) -> tuple[dict, int, int]:
    """(label → (count, base), base, answered out of turn), counted here on its own."""
    q = form.question(qid)
    asked = [x for x in answers if applies(form, q, x)]
    out = sum(1 for x in answers if not applies(form, q, x) and x[qid] is not None)
    return expected_rows(form, q, answers), len(asked), out


def test_a_conditional_question_is_counted_among_those_it_applied_to(tmp_path):
    form, faults = parse_definition(CONDITIONAL_YAML, "villkor.yaml")
    assert not faults, faults
    unit_form, faults = parse_definition(UNIT_CONDITIONAL_YAML, "villkor-enhet.yaml")
    assert not faults, faults
    answers = out_of_turn_answers()
    objs = [
        response(form, {k: v for k, v in x.items() if k != "_lang"}, i, lang=x["_lang"])
        for i, x in enumerate(answers)
    ]
    write_dataset(tmp_path / "p.csv", [form], objs)
    units = [{"nojd": "ja"}]
    write_dataset(tmp_path / "u.csv", [unit_form], [response(unit_form, units[0], 0)])

    vem, vem_base, vem_out = _conditional_expected(form, answers, "vem")
    nojd, nojd_base, nojd_out = _conditional_expected(form, answers, "nojd")
    _antal, antal_base, antal_out = _conditional_expected(form, answers, "antal")
    # what the numbers are, so that the helper above cannot drift with the code
    assert (vem_base, vem_out, nojd_base, nojd_out, antal_base, antal_out) == (12, 4, 7, 2, 12, 1)
    assert vem == {"Läkare": (7, 12), "Sjuksköterska": (4, 12), "Ej svar": (1, 12)}
    assert nojd == {"Ja": (5, 7), "Nej": (1, 7), "Ej svar": (1, 7)}

    for fmt in ("html", "pdf", "csv"):
        result = run(tmp_path / "p.csv", tmp_path / "u.csv", "-o", tmp_path / f"r.{fmt}")
        assert result.exit_code == 0, result.output
    html = (tmp_path / "r.html").read_text("utf-8")
    tables = html_tables(tmp_path / "r.html")
    check_choice_table(tables, "villkor-patient/total/vem", vem)
    check_choice_table(tables, "villkor-patient/total/nojd", nojd)
    answered = {r[0]: r[1] for r in tables.tables["villkor-patient/total/antal"][1:]}
    assert answered["Antal som svarat"] == "11" and answered["Ej svar"] == "1"
    assert answered["Median"] == "2"  # 2,2,2,2,2,3,1,1,1,1,4: the 6 given out of turn is not in
    assert "Frågan gällde 12 av 22 svarande: de som svarat Ja på fråga 1." in html
    assert "Frågan gällde 7 av 22 svarande: de som svarat Läkare på fråga 2." in html
    assert "Dessutom svarade 4 fast frågan inte gällde dem" in html
    assert "Dessutom svarade 2 fast frågan inte gällde dem" in html
    assert "Dessutom svarade 1 fast frågan inte gällde dem" in html
    # the pairing takes its shares of the same base and says the same
    pairing = tables.tables["pairing/total"]
    assert pairing[2][0] == "villkor-1"
    assert [number(c) for c in pairing[2][1:5]] == [pct(5, 7), pct(1, 7), pct(1, 7), 7]
    assert "villkor-1: 2 patienter svarade fast frågan inte gällde dem" in html

    text = " ".join(pdf_text(tmp_path / "r.pdf").replace("\u00a0", " ").split())
    assert "Frågan gällde 12 av 22 svarande" in text and "Frågan gällde 7 av 22" in text
    for k in (4, 2, 1):
        assert f"Dessutom svarade {k} fast frågan inte gällde dem" in text
    assert "Läkare 7 58 %" in text and "Ja 5 71 %" in text

    with open(tmp_path / "r.csv", encoding="utf-8-sig", newline="") as fh:
        rows = [
            r
            for r in csv.DictReader(fh)
            if r["form"] == "villkor-patient" and r["group"] == "Totalt"
        ]
    for qid, expected, out in (("vem", vem, vem_out), ("nojd", nojd, nojd_out)):
        got = {
            r["answer_label"]: (int(r["count"]), int(r["base"]))
            for r in rows
            if r["question"] == qid and r["answer"] != "_out_of_turn"
        }
        assert got == expected, qid
        (extra,) = [r for r in rows if r["question"] == qid and r["answer"] == "_out_of_turn"]
        assert int(extra["count"]) == out and extra["base"] == extra["percent"] == ""
    (extra,) = [r for r in rows if r["question"] == "antal" and r["answer"] == "_out_of_turn"]
    assert int(extra["count"]) == antal_out
    assert not [r for r in rows if r["question"] == "fast" and r["answer"] == "_out_of_turn"]
    with open(tmp_path / "r.pairing.csv", encoding="utf-8-sig", newline="") as fh:
        pairs = list(csv.DictReader(fh))
    assert {r["answer"]: (r["count"], r["base"]) for r in pairs} == {
        "ja": ("5", "7"),
        "nej": ("1", "7"),
        "_blank": ("1", "7"),
        "_out_of_turn": ("2", ""),
    }

    result = run(tmp_path / "p.csv", "-o", tmp_path / "en.html", "--lang", "en")
    assert result.exit_code == 0, result.output
    english = (tmp_path / "en.html").read_text("utf-8")
    assert "The question applied to 12 of 22 respondents" in english
    assert "Besides, 4 answered although the question did not apply to them" in english


def test_answers_out_of_turn_follow_the_privacy_rules(tmp_path):
    form, _faults = parse_definition(CONDITIONAL_YAML, "villkor.yaml")
    answers = out_of_turn_answers()
    objs = [
        response(form, {k: v for k, v in x.items() if k != "_lang"}, i, lang=x["_lang"])
        for i, x in enumerate(answers)
    ]
    write_dataset(tmp_path / "p.csv", [form], objs)
    for fmt in ("html", "csv"):
        result = run(tmp_path / "p.csv", "-o", tmp_path / f"g.{fmt}", "--by", "language")
        assert result.exit_code == 0, result.output
    tables = html_tables(tmp_path / "g.html")
    html = (tmp_path / "g.html").read_text("utf-8")
    # vem applied to 4 English respondents (hidden, fewer than 5) and to 8 Swedish ones,
    # hidden too or the total would give the English four away; the out-of-turn counts
    # of hidden cells go with them (sv 3, en 1: the total's 4 minus 3 would tell).
    for lang in ("sv", "en"):
        assert f"villkor-patient/{lang}/vem" not in tables.tables
    check_choice_table(
        tables, "villkor-patient/total/vem", expected_rows(form, form.question("vem"), answers)
    )
    assert html.count("Dessutom svarade 4 fast frågan inte gällde dem") == 1
    assert "Dessutom svarade 3 fast" not in html
    # antal likewise (en 4 hidden, sv 8 hidden by complement): its one out of turn, once
    assert html.count("Dessutom svarade 1 fast frågan inte gällde dem") == 1
    with open(tmp_path / "g.csv", encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["question"] == "vem"]
    by_group = {}
    for r in rows:
        by_group.setdefault(r["group"], []).append(r)
    assert [r["suppressed"] for r in by_group["Svenska"]] == ["complement"]
    assert [r["suppressed"] for r in by_group["Engelska"]] == ["small"]
    assert [r["count"] for r in by_group["Totalt"] if r["answer"] == "_out_of_turn"] == ["4"]
