"""Guidance while filling (issue 15): required questions marked on paper and flagged
on screen, in the clients that show it; what a reader reads back stays the same."""

from __future__ import annotations

import datetime
import io
import json
import os
import random
import shutil
import subprocess
import tempfile

import pikepdf
import pytest

from pdfforms.generate import scripts
from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.fill import fill_pdf
from pdfforms.generate.render import generate, required_fields
from pdfforms.model.definition import parse_definition
from pdfforms.model.layout import REQUIRED_MARK, build_layout, hint
from pdfforms.parse.file import parse
from pdfforms.parse.interpret import respond

from .clients import pdfium as pdfium_client
from .clients import pdfjs as pdfjs_client

REQUIRED_FLAG = 1 << 1  # /Ff bit 2 (ISO 32000-1, table 221)

GUIDED = """\
form: guided
version: "1"
languages: [sv, en]
title: {sv: "Vägledning", en: "Guidance"}
intro: {sv: "Inledning.", en: "Introduction."}
sections:
  - id: del
    title: {sv: "Del", en: "Part"}
    questions:
      - id: namn
        type: text
        label: {sv: "Namn", en: "Name"}
        required: true
      - id: fritt
        type: textarea
        label: {sv: "Fritt", en: "Free"}
      - id: roker
        type: yesno
        label: {sv: "Röker du?", en: "Do you smoke?"}
        required: true
      - id: hur_mycket
        type: single
        label: {sv: "Hur mycket?", en: "How much?"}
        enable_when: {question: roker, equals: yes}
        required: true
        options:
          - {value: lite, label: {sv: "Lite", en: "A little"}}
          - {value: mycket, label: {sv: "Mycket", en: "A lot"}}
      - id: farg
        type: single
        label: {sv: "Färg", en: "Colour"}
        required: true
        options:
          - {value: rod, label: {sv: "Röd", en: "Red"}}
          - {value: bla, label: {sv: "Blå", en: "Blue"}}
        other: {sv: "Annan", en: "Other"}
      - id: frukt
        type: multiple
        label: {sv: "Frukt", en: "Fruit"}
        required: true
        options:
          - {value: apple, label: {sv: "Äpple", en: "Apple"}}
          - {value: paron, label: {sv: "Päron", en: "Pear"}}
      - id: vanor
        type: grid
        label: {sv: "Vanor", en: "Habits"}
        required: true
        rows:
          - {id: lasa, label: {sv: "Läsa", en: "Read"}}
          - {id: ga, label: {sv: "Gå", en: "Walk"}}
        options:
          - {value: ofta, label: {sv: "Ofta", en: "Often"}}
          - {value: sallan, label: {sv: "Sällan", en: "Rarely"}}
      - id: lan
        type: dropdown
        label: {sv: "Län", en: "County"}
        required: true
        options:
          - {value: ab, label: {sv: "Stockholm", en: "Stockholm"}}
          - {value: ac, label: {sv: "Västerbotten", en: "Västerbotten"}}
      - id: datum
        type: date
        label: {sv: "Datum", en: "Date"}
"""

# The fields a viewer must demand: what the reader calls "required but blank"
# when left empty, and nothing a respondent may rightly leave blank.
FLAGGED = {"namn", "roker", "farg", "vanor__lasa", "vanor__ga", "lan"}


@pytest.fixture(scope="module")
def guided():
    form, faults = parse_definition(GUIDED, "guided.yaml")
    assert not faults, faults
    return form


@pytest.fixture(scope="module")
def guided_pdf(guided):
    return generate(guided, "sv")


def test_required_flag_only_where_the_reader_demands_an_answer(guided, guided_pdf):
    assert required_fields(guided) == FLAGGED
    with pikepdf.open(io.BytesIO(guided_pdf)) as pdf:
        flags = {str(f.T): int(f.get("/Ff", 0)) for f in pdf.Root.AcroForm.Fields}
    assert set(flags) == set(guided.field_names())
    assert {name for name, ff in flags.items() if ff & REQUIRED_FLAG} == FLAGGED
    # The flag is added to the others, never put in their place.
    assert flags["fritt"] & (1 << 12)  # Multiline
    assert flags["roker"] & (1 << 15)  # Radio
    assert flags["lan"] & (1 << 17)  # Combo


def test_pdfium_reads_the_required_flag(guided_pdf):
    flags = pdfium_client.field_flags(guided_pdf)
    assert {name for name, ff in flags.items() if ff & REQUIRED_FLAG} == FLAGGED


def test_pdfjs_marks_required_widgets(guided_pdf):
    """pdf.js sets `required` and `aria-required` on exactly these widgets' elements."""
    reason = pdfjs_client.available()
    if reason:
        pytest.skip(reason)
    widgets = pdfjs_client.widgets(guided_pdf)
    assert {w["field"] for w in widgets if w["required"]} == FLAGGED
    # every widget of a flagged radio group, not only its first
    roker = [w for w in widgets if w["field"] == "roker"]
    assert len(roker) == 2 and all(w["required"] for w in roker)


def test_required_flag_does_not_change_what_is_read_back(guided, guided_pdf, tmp_path):
    answers = {
        "namn": "Tolvan Tolvansson",
        "roker": False,
        "farg": "other",
        "farg__other_text": "Grön",
        "frukt": ["paron"],
        "vanor": {"lasa": "ofta", "ga": "sallan"},
        "lan": "ac",
    }
    filled = fill_pdf(guided_pdf, answers_to_fields(guided, answers, "sv"))
    path = tmp_path / "filled.pdf"
    path.write_bytes(filled)
    response = parse(path)
    assert {k: v for k, v in response.answers.items() if v not in (None, [], {})} == answers
    assert not [p for p in response.problems if p.severity == "error"]


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_required_questions_are_starred_on_paper_in_edition_2(guided, lang, large):
    layout = build_layout(guided, lang, large, edition_no=2)
    texts = [t for p in layout.pages for t in p.texts]
    stars = [t for t in texts if t.text == REQUIRED_MARK]
    # namn, roker, hur_mycket (conditional, starred with its condition), farg,
    # frukt, vanor, lan: every required question once, beside its label's last line
    assert len(stars) == 7
    labels = {t.text: t for t in texts if t.font.endswith("Bold")}
    star_of_name = min(stars, key=lambda t: abs(t.y - labels["Namn" if lang == "sv" else "Name"].y))
    name = labels["Namn" if lang == "sv" else "Name"]
    assert star_of_name.y == name.y and star_of_name.x > name.x
    legend = hint(lang, "required")
    assert [t.text for t in texts].count(legend) == 1
    assert "*" in legend


def test_edition_1_shows_no_star_and_no_legend(guided):
    layout = build_layout(guided, "sv", False, edition_no=1)
    texts = [t.text for p in layout.pages for t in p.texts]
    assert REQUIRED_MARK not in texts
    assert hint("sv", "required") not in texts


def test_no_legend_on_a_form_without_required_questions(guided):
    text = GUIDED.replace("        required: true\n", "")
    form, faults = parse_definition(text, "optional.yaml")
    assert not faults
    layout = build_layout(form, "sv", False, edition_no=2)
    texts = [t.text for p in layout.pages for t in p.texts]
    assert hint("sv", "required") not in texts and REQUIRED_MARK not in texts
    assert required_fields(form) == set()


# --------------------------------------------------------------------------- checks while filling

TODAY = datetime.date(2026, 3, 1)  # the day after a 28 February: the leap-day edges are near

CHECKED = """\
form: checked
version: "1"
languages: [sv, en]
title: {sv: "Kontroller", en: "Checks"}
sections:
  - id: del
    questions:
      - {id: datum, type: date, label: Datum, min: "2000-01-01", max: "2030-12-31"}
      - {id: fritt_datum, type: date, label: Datum}
      - {id: antal, type: number, label: Antal, min: 0, max: 30, decimals: 0}
      - {id: vikt, type: number, label: Vikt, min: 20, max: 350, decimals: 1}
      - {id: tal, type: number, label: Tal}
      - {id: negativ, type: number, label: Tal, min: -10.5, max: -0.5}
      - {id: pnr, type: personnummer, label: Personnummer}
"""

# Spellings people write, and near misses: what the readers accept and refuse.
TYPED = {
    "date": [
        "2024-03-05",
        "2024-3-5",
        "2024 03 05",
        "2024/03/05",
        "2024.03.05",
        "20240305",
        "240305",
        "24-03-05",
        "5/3 2024",
        "05.03.2024",
        "5 mars 2024",
        "5:e mars 2024",
        "March 5, 2024",
        "mar 5 2024",
        "5 MAJ 2024",
        "2024–03–05",
        "2024\u00a003\u00a005",
        " 2024-03-05 ",
        "2024-02-29",
        "2023-02-29",
        "1900-02-29",
        "2000-02-29",
        "2024-13-05",
        "2024-00-10",
        "2024-04-31",
        "0000-01-01",
        "1999-12-31",
        "2031-01-01",
        "2030-12-31",
        "2000-01-01",
        "05.03.24",
        "5 mars",
        "igår",
        "2024-03",
        "2024-03-05x",
        "٢٠٢٤-٠٣-٠٥",
        "2024--03-05",
        "2024-03-05-",
        "990229",
        "000229",
        "270101",
        "261231",
        "5th mar 2024",
        "5 Mars, 2024",
        "mars 5th, 2024",
        "5-mars-2024",
        "5 sept 2024",
        "5 sep. 2024",
        "2024\ufeff03\ufeff05",
        "2024\u200b03\u200b05",
        "2024\t03\t05",
        "ſep 5 2024",
    ],
    "number": [
        "0",
        "3",
        "30",
        "31",
        "-1",
        "12,0",
        "12.0",
        "12,5",
        "12.5",
        "1 234",
        "1\u00a0234",
        "1\u202f234,5",
        "1,234",
        "1.234",
        "1,2,3",
        "1.234,5",
        "ca 4",
        "~4",
        "4-5",
        "4 - 5",
        "+4",
        "- 4",
        "−4",
        "50 %",
        "50%",
        "%50",
        "4 kg",
        "",
        "abc",
        "12,",
        ",5",
        "0,05",
        "20",
        "19,9",
        "350",
        "350,1",
        "70,25",
        "70,20",
        "70,2",
        "1e3",
        "١٢",
        "１２",
        "-0,5",
        "-10,5",
        "-10,6",
        "-0,4",
        "0",
        "12 000",
        "12 00",
        "1" * 400,
        "1" * 400 + ",5",
        "0,1000000000000000055511151231257827",
        "7,15",
        "0,125",
    ],
    "personnummer": [
        "19121212-1212",
        "191212121212",
        "121212-1212",
        "1212121212",
        "121212+1212",
        "19121212-1213",
        "19121212+1212",
        "19121272-1218",
        "1912121-21212",
        "19121212--1212",
        "19121212 - 1212",
        "19121212–1212",
        "19121212\u00a01212",
        "20991231-1234",
        "19120230-1234",
        "abc",
        "1912121212",
        "191212-121212",
        "20000229-1235",
        "000229-1235",
        "19000229-1234",
        "٢٠٢٤",
        "1912 1212 1212",
        "19121212_1212",
        "201212121212",
        "20260301-0008",
        "260301-0008",
        "20260302-0007",
        "260302-0007",
        "19260302-0007",
    ],
}
OPTIONS = {"date": ["datum", "fritt_datum"], "number": ["antal", "vikt", "tal", "negativ"]}
OPTIONS["personnummer"] = ["pnr"]


def _random_typing(rng: random.Random, alphabet: str, n: int) -> list[str]:
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(n)]


FUZZ = {
    "date": _random_typing(random.Random(1), "0123456789-/. ,:e\u2013\u00a0maysptMAJ", 3000),
    "number": _random_typing(random.Random(2), "0123456789 ,.-+%~\u2212\u00a0ca", 3000),
    "personnummer": _random_typing(random.Random(3), "0123456789-+ \u2013\u00a0", 3000)
    + [
        f"{y:04d}{m:02d}{d:02d}-{n:04d}"
        for y, m, d, n in (
            (random.Random(k).randint(1890, 2030), k % 13, k % 92, k * 7919 % 10000)
            for k in range(3000)
        )
    ],
}


@pytest.fixture(scope="module")
def checked():
    form, faults = parse_definition(CHECKED, "checked.yaml")
    assert not faults, faults
    return form


def _readers_refuse(form, qid: str, text: str) -> bool:
    _, problems = respond(form, {qid: text}, "sv", today=TODAY)
    return any(p.question == qid for p in problems)


def _script_refuses(qtype: str, opts: dict, texts: list[str]) -> list[bool]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    program = (
        scripts.check_source(qtype)
        + "var input = require('fs').readFileSync(0, 'utf8');\n"
        + f"var today = new Date({TODAY.year}, {TODAY.month - 1}, {TODAY.day});\n"
        + "var out = JSON.parse(input).map(function (t) {\n"
        + f"  return pf_check_{qtype}(t, {json.dumps(opts)}, today) !== null;\n"
        + "});\n"
        + "process.stdout.write(JSON.stringify(out));\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".cjs", delete=False) as fh:
        fh.write(program)
    try:
        done = subprocess.run(
            [node, fh.name], input=json.dumps(texts).encode(), capture_output=True, check=True
        )
    finally:
        os.unlink(fh.name)
    return json.loads(done.stdout)


@pytest.mark.parametrize("qtype", list(TYPED))
def test_the_script_refuses_exactly_what_the_readers_refuse(checked, qtype):
    texts = [t for t in TYPED[qtype] + FUZZ[qtype] if t.strip()]
    for qid in OPTIONS[qtype]:
        q = checked.question(qid)
        script = _script_refuses(qtype, scripts.options(q), texts)
        readers = [_readers_refuse(checked, qid, t) for t in texts]
        disagree = [(t, r) for t, s, r in zip(texts, script, readers, strict=True) if s != r]
        assert disagree == [], f"{qid}: (text, readers refuse) where the script differs"
        # the table holds both kinds, so agreement is no accident of one answer
        assert any(readers) and not all(readers)


def test_pdfjs_runs_the_checks_and_keeps_what_was_typed(checked):
    """pdf.js's own scripting sandbox (QuickJS, as in Firefox) runs the Validate
    actions: an alert in the form's language where the readers would refuse, none
    where they accept, and the value stays exactly as typed."""
    reason = pdfjs_client.available()
    if reason:
        pytest.skip(reason)
    typed = [
        ("datum", "2024-03-05", None),
        ("datum", "2024-02-30", "Det här ser inte ut som ett datum"),
        ("datum", "1999-12-31", "Datumet får inte vara före 2000-01-01."),
        ("antal", "12", None),
        ("antal", "12,5", "Skriv ett heltal"),
        ("antal", "31", "Talet får inte vara större än 30."),
        ("vikt", "70,25", "Skriv högst 1 decimaler."),
        ("vikt", "70,5", None),
        ("tal", "ca 40", "Skriv ett tal"),
        ("pnr", "19121212-1212", None),
        ("pnr", "19121212-1213", "Det här är inget giltigt personnummer."),
        ("pnr", "   ", None),  # blank: no answer, nothing to check
    ]
    results = pdfjs_client.run_scripts(
        generate(checked, "sv"), [(field, text) for field, text, _ in typed]
    )
    for (field, text, expected), got in zip(typed, results, strict=True):
        assert got["field"] == field
        if expected is None:
            assert got["alerts"] == [], (field, text)
        else:
            [alert] = got["alerts"]
            assert alert.startswith(expected) and alert.endswith("Svaret sparas som du skrev det.")
        assert all(u.get("value", text) == text for u in got["updates"]), (field, text)
    [english] = pdfjs_client.run_scripts(generate(checked, "en"), [("pnr", "121212-1213")])
    assert english["alerts"] == [
        "This is not a valid personal identity number. Write it as YYYYMMDD-NNNN and check "
        "the digits. Your answer is kept as you typed it."
    ]


def test_only_written_answers_carry_scripts(checked, guided_pdf):
    with pikepdf.open(io.BytesIO(generate(checked, "sv"))) as pdf:
        scripted = {str(f.T) for f in pdf.Root.AcroForm.Fields if "/AA" in f}
        for f in pdf.Root.AcroForm.Fields:
            if "/AA" in f:
                assert set(f.AA.keys()) == {"/V"}  # no Keystroke or Format rewrites a value
                assert f.AA.V.S == "/JavaScript"
    assert scripted == {q.id for q in checked.answerable}
    with pikepdf.open(io.BytesIO(guided_pdf)) as pdf:
        scripted = {str(f.T): str(f.AA.V.JS) for f in pdf.Root.AcroForm.Fields if "/AA" in f}
    # the date is checked; the written answers are told when they will not fit
    assert set(scripted) == {"datum", "namn", "fritt", "farg__other_text"}
    assert "pf_check_date" in scripted["datum"]
    assert all("pf_fits" in scripted[n] for n in ("namn", "fritt", "farg__other_text"))


def test_a_whole_number_too_large_for_a_float_is_a_problem_not_a_crash(checked):
    """Found by the agreement table: 400 digits in a number question with decimals."""
    answers, problems = respond(checked, {"vikt": "1" * 400}, "sv", today=TODAY)
    assert answers["vikt"] is None
    assert [(p.question, p.code, p.severity) for p in problems] == [
        ("vikt", "invalid_number", "error")
    ]
    assert "too large" in problems[0].message


# --------------------------------------------------------------------------- will it fit on paper

BOXES = {
    "line": {"w": 300.0, "h": 22.0, "size": 12.0, "multiline": False},
    "area": {"w": 400.0, "h": 88.0, "size": 12.0, "multiline": True},
    "large": {"w": 380.0, "h": 102.0, "size": 16.0, "multiline": True},
}


def _fits_in_script(texts: list[str], box: dict) -> list[bool]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    program = (
        scripts.fit_source()
        + "var input = require('fs').readFileSync(0, 'utf8');\n"
        + "var out = JSON.parse(input).map(function (t) {\n"
        + f"  return pf_fits(t, {json.dumps(box)});\n"
        + "});\n"
        + "process.stdout.write(JSON.stringify(out));\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".cjs", delete=False) as fh:
        fh.write(program)
    try:
        done = subprocess.run(
            [node, fh.name], input=json.dumps(texts).encode(), capture_output=True, check=True
        )
    finally:
        os.unlink(fh.name)
    return json.loads(done.stdout)


def _answers_typed(rng: random.Random, n: int) -> list[str]:
    words = [
        "och",
        "jag",
        "vill",
        "träffa",
        "min",
        "läkare",
        "oftare",
        "ÅÄÖ",
        "Mmmmmm",
        "i",
        "hemtjänst/anhörig",
        "sjuk-",
        "gymnastik-övningar",
        "Ärligt:",
        "€5",
        "–",
        "ن",
        "دكتور",
        "\U0001f600",
        "W" * 30,
        "l" * 80,
    ]
    seps = [" ", " ", " ", "\n", "\r\n", "\r", "  ", "\u00a0", "\t"]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 40)):
            parts += [rng.choice(words), rng.choice(seps)]
        out.append("".join(parts))
    return out


@pytest.mark.parametrize("box", list(BOXES))
def test_the_overflow_script_says_what_the_python_model_says(box):
    texts = _answers_typed(random.Random(len(box)), 1500) + ["", "\n\n\n", "a\n" * 3]
    geometry = BOXES[box]
    script = _fits_in_script(texts, geometry)
    model = [
        scripts.text_fits(t, geometry["w"], geometry["h"], geometry["size"], geometry["multiline"])
        for t in texts
    ]
    disagree = [t for t, s, m in zip(texts, script, model, strict=True) if s != m]
    assert disagree == []
    assert any(model) and not all(model)


def test_what_does_not_fit_is_what_the_reader_finds_beyond_the_box(guided, tmp_path):
    """Filled by our own fill and flattened: text the check says will not fit is what
    the flattened reader finds past the box (text_beyond_box); what fits is not."""
    from pdfforms.generate.fill import flatten_pdf

    layout = build_layout(guided, "sv")
    [name_box] = [w for w in layout.widgets() if w.field == "namn"]
    [free_box] = [w for w in layout.widgets() if w.field == "fritt"]

    def fits(w, text):
        return scripts.text_fits(text, w.w, w.h, w.font_size, w.multiline)

    short_name = "Tolvan Tolvansson"
    long_name = " ".join(["Tolvan"] * 60)
    lines = 1
    while fits(free_box, "\n".join(["rad"] * (lines + 1))):
        lines += 1
    full = "\n".join(["rad"] * lines)  # the most lines that fit
    over = "\n".join(["rad"] * (lines + 2))
    assert fits(name_box, short_name) and not fits(name_box, long_name)
    assert fits(free_box, full) and not fits(free_box, over)
    pdf = generate(guided, "sv")
    for name, free, beyond in (
        (short_name, full, set()),
        (long_name, over, {"namn", "fritt"}),
    ):
        values = {"namn": name, "fritt": free, "roker": "no", "farg": "rod", "lan": "ab"}
        values |= {"vanor__lasa": "ofta", "vanor__ga": "ofta"}
        path = tmp_path / f"flat-{len(beyond)}.pdf"
        path.write_bytes(flatten_pdf(fill_pdf(pdf, values)))
        response = parse(path)
        assert response.source["kind"] == "flattened"
        found = {p.question for p in response.problems if p.code == "text_beyond_box"}
        assert found == beyond


def test_pdfjs_warns_of_an_answer_that_will_not_fit_and_keeps_it(guided, guided_pdf):
    reason = pdfjs_client.available()
    if reason:
        pytest.skip(reason)
    long_text = "Jag vill berätta mycket. " * 40
    typed = [("namn", "Tolvan"), ("namn", long_text), ("fritt", "Kort."), ("fritt", long_text)]
    results = pdfjs_client.run_scripts(guided_pdf, typed)
    warning = scripts.message("sv", "overflow")
    assert [r["alerts"] for r in results] == [[], [warning], [], [warning]]
    for (_, text), got in zip(typed, results, strict=True):
        assert all(u.get("value", text) == text for u in got["updates"])
    [english] = pdfjs_client.run_scripts(generate(guided, "en"), [("fritt", long_text)])
    assert english["alerts"] == [scripts.message("en", "overflow")]
    assert english["alerts"][0].startswith("Your answer will not fit in the box when the form")


def test_a_blank_form_drawn_without_scripts_looks_the_same():
    """The scan reader draws the blank form to compare a scan with, without the
    checks run while filling (render's `scripts`): no field has a script, and every
    page draws the same pixels as the form with them."""
    import numpy as np

    from pdfforms.generate.render import render
    from pdfforms.model.definition import load_form
    from pdfforms.read.scan.pages import draw_pages

    from .conftest import DEFINITIONS

    form = load_form(DEFINITIONS / "patient.yaml")  # dates and a personnummer
    layout = build_layout(form, "sv")
    with_scripts, without = render(form, layout), render(form, layout, scripts=False)
    with pikepdf.open(io.BytesIO(with_scripts)) as pdf:
        assert any("/AA" in f for f in pdf.Root.AcroForm.Fields)
    with pikepdf.open(io.BytesIO(without)) as pdf:
        assert not any("/AA" in f for f in pdf.Root.AcroForm.Fields)
    pages = draw_pages(with_scripts, forms=True), draw_pages(without, forms=True)
    assert all(np.array_equal(a, b) for a, b in zip(*pages, strict=True))
