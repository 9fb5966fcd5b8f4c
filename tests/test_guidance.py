"""Guidance while filling (issue 15): required questions marked on paper and flagged
on screen, in the clients that show it; what a reader reads back stays the same."""

from __future__ import annotations

import io

import pikepdf
import pytest

from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.fill import fill_pdf
from pdfforms.generate.render import generate, required_fields
from pdfforms.model.definition import parse_definition
from pdfforms.model.layout import REQUIRED_MARK, build_layout, hint
from pdfforms.parse.file import parse

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
