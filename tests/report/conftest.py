"""What the report tests share: datasets written the way `extract` writes them, the
reports read back, and the expected counts, computed here from the answers the tests
generated, never by the report's own counting code."""

from __future__ import annotations

import copy
import hashlib
import json
import random
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
from pdfforms.model.privacy import DROP, Privacy
from pdfforms.testing.synthetic import synthetic_answers

ROOT = Path(__file__).resolve().parent.parent.parent
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
        '    title: {sv: "Om besöket", en: "About the visit", fi: "Käynti", se: "Galledeapmi",'
        ' uk: "Візит", ar: "الزيارة"}\n'
        "    questions:\n"
        "      - id: vardenhet\n"
        "        type: text\n"
        '        label: {sv: "Vilken vårdenhet besökte du?", en: "Which care unit?",'
        ' fi: "Mikä hoitoyksikkö?", se: "Makkár dikšunovttadat?", uk: "Який заклад?",'
        ' ar: "ما هي وحدة الرعاية؟"}\n'
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
