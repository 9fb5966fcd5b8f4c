"""Conditions on a whole section, with all/any/not and comparisons of numbers (issue 16).

One rule (model/rules.py `asked`) says who was asked what; the reader, the print
run's respondents CSV, the fillable form's Required flags and the printed words
all follow it, and the definition's validation says what is wrong with one.
"""

from __future__ import annotations

import pikepdf
import pytest

from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.fill import fill_pdf
from pdfforms.generate.render import generate, required_fields
from pdfforms.generate.respondents import RespondentsError, read_respondents
from pdfforms.model.definition import parse_definition
from pdfforms.model.form import AllOf, AnyOf, Condition, Not
from pdfforms.model.layout import build_layout
from pdfforms.model.rules import asked
from pdfforms.parse.file import parse

from .conftest import DEFINITIONS

YAML = """\
form: villkor-delar
version: "1"
languages: [sv, en]
title: {sv: "Villkor", en: "Conditions"}
sections:
  - id: start
    title: {sv: "Start", en: "Start"}
    questions:
      - id: roker
        type: yesno
        required: true
        label: {sv: "Röker du?", en: "Do you smoke?"}
      - id: alder
        type: number
        decimals: 0
        label: {sv: "Hur gammal är du?", en: "How old are you?"}
      - id: halsa
        type: scale
        min: 1
        max: 5
        na: {value: vet_inte, label: {sv: "Vet inte", en: "Don't know"}}
        label: {sv: "Hur mår du?", en: "How are you?"}
  - id: rokning
    title: {sv: "Om rökning", en: "About smoking"}
    enable_when: {question: roker, equals: yes}
    questions:
      - id: cigaretter
        type: number
        decimals: 0
        required: true
        label: {sv: "Hur många cigaretter om dagen?", en: "How many cigarettes a day?"}
      - id: sluta
        type: yesno
        label: {sv: "Vill du sluta?", en: "Do you want to stop?"}
        enable_when: {question: cigaretter, at_least: 10}
  - id: aldre
    title: {sv: "Hjälp hemma", en: "Help at home"}
    enable_when:
      all:
        - {question: alder, at_least: 65}
        - not: {question: halsa, in: [4, 5]}
    questions:
      - id: hjalp
        type: single
        required: true
        label: {sv: "Får du hjälp hemma?", en: "Do you get help at home?"}
        options:
          - {value: ja, label: {sv: "Ja", en: "Yes"}}
          - {value: nej, label: {sv: "Nej", en: "No"}}
      - id: vilken
        type: text
        label: {sv: "Vilken hjälp?", en: "What help?"}
        enable_when:
          any:
            - {question: hjalp, equals: ja}
            - {question: halsa, less_than: 2}
"""


@pytest.fixture(scope="module")
def form():
    form, faults = parse_definition(YAML, "villkor.yaml", printable=True)
    assert not faults, "\n".join(map(str, faults))
    return form


def test_the_definition_holds_the_conditions_it_says(form):
    rokning, aldre = form.sections[1], form.sections[2]
    assert rokning.enable_when == Condition("roker", ("yes",))
    assert aldre.enable_when == AllOf(
        (Condition("alder", (), at_least=65), Not(Condition("halsa", ("4", "5"))))
    )
    vilken = form.question("vilken")
    assert vilken.enable_when == AnyOf(
        (Condition("hjalp", ("ja",)), Condition("halsa", (), less_than=2))
    )
    # a question's own condition and its section's both decide
    assert form.condition_of(vilken) == AllOf((aldre.enable_when, vilken.enable_when))
    assert form.condition_of(form.question("roker")) is None


def _asked(form, **answers) -> set[str]:
    return {qid for qid, yes in asked(form, answers).items() if yes}


ALWAYS = {"roker", "alder", "halsa"}


@pytest.mark.parametrize(
    "answers,also",
    [
        # a section asked or not: every question of it follows
        ({"roker": True, "cigaretter": 12}, {"cigaretter", "sluta"}),
        ({"roker": True, "cigaretter": 9}, {"cigaretter"}),  # at_least 10 not met
        ({"roker": False, "cigaretter": 20}, set()),  # out of turn: makes nothing apply
        ({"roker": None}, set()),
        # all of: 65 or more, and not 4 or 5 (a blank, or vet_inte, is not 4 or 5)
        ({"alder": 70, "halsa": 3}, {"hjalp"}),
        ({"alder": 70, "halsa": None}, {"hjalp"}),
        ({"alder": 70, "halsa": "vet_inte"}, {"hjalp"}),
        ({"alder": 70, "halsa": 4}, set()),
        ({"alder": 64, "halsa": 3}, set()),
        ({"alder": None, "halsa": 3}, set()),
        # any of: help given, or health below 2 (vet_inte is no number)
        ({"alder": 70, "halsa": 3, "hjalp": "ja"}, {"hjalp", "vilken"}),
        ({"alder": 70, "halsa": 1, "hjalp": "nej"}, {"hjalp", "vilken"}),
        ({"alder": 70, "halsa": "vet_inte", "hjalp": "nej"}, {"hjalp"}),
        # the section's condition holds the question's own back
        ({"alder": 50, "halsa": 1, "hjalp": "ja"}, set()),
    ],
)
def test_asked_follows_sections_and_all_any_not_and_comparisons(form, answers, also):
    assert _asked(form, **answers) == ALWAYS | also


def _filled(tmp_path, form, answers: dict, name: str = "f.pdf"):
    path = tmp_path / name
    path.write_bytes(fill_pdf(generate(form, "sv"), answers_to_fields(form, answers)))
    return parse(path, [tmp_path])


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "villkor.yaml").write_text(YAML, encoding="utf-8")
    return tmp_path


def _problems(response) -> set[tuple[str, str, str]]:
    return {(p.question, p.code, p.severity) for p in response.problems}


def test_the_reader_tells_not_asked_from_missing_by_the_sections_condition(folder, form):
    # smoker: the smoking section was asked, so its required question is missing;
    # 40 years old: the help section was not, so its required question is not
    smoker = _filled(folder, form, {"roker": True, "alder": 40})
    assert _problems(smoker) == {("cigaretter", "required", "error")}
    # a non-smoker who answers the smoking section anyway: kept, and said
    old = _filled(folder, form, {"roker": False, "alder": 70, "halsa": 3, "cigaretter": 5})
    assert old.answers["cigaretter"] == 5
    assert _problems(old) == {
        ("cigaretter", "should_be_skipped", "warning"),
        ("hjalp", "required", "error"),
    }
    [skipped] = [p for p in old.problems if p.code == "should_be_skipped"]
    assert "question 4 'cigaretter' is answered, but it is only asked when" in skipped.message
    assert "question 1 'roker' is yes" in skipped.message
    # a compound condition is said in full
    young = _filled(folder, form, {"roker": False, "alder": 30, "halsa": 2, "vilken": "Städning"})
    [skipped] = young.problems
    assert skipped.code == "should_be_skipped" and skipped.question == "vilken"
    assert "'alder' is >= 65 and not (question 3 'halsa' is 4 or 5)" in skipped.message
    assert "'hjalp' is ja or question 3 'halsa' is < 2" in skipped.message


def test_the_fillable_form_demands_no_answer_a_section_may_skip(form):
    """The Required flag (which viewers enforce) only where the section is always asked."""
    assert required_fields(form) == {"roker"}
    with pikepdf.open(__import__("io").BytesIO(generate(form, "sv"))) as pdf:
        flagged = {str(f.T) for f in pdf.Root.AcroForm.Fields if int(f.get("/Ff", 0)) & 2}
    assert flagged == {"roker"}


def _text(layout, role) -> str:
    return " ".join(t.text for p in layout.pages for t in p.texts if t.role == role)


@pytest.mark.parametrize(
    "lang,rokning,aldre,vilken,sluta",
    [
        (
            "sv",
            "Svara på frågorna i den här delen bara om du svarade ”Ja” på fråga 1.",
            "Svara på frågorna i den här delen bara om du svarade minst 65 på fråga 2 "
            "och du inte svarade ”4” eller ”5” på fråga 3.",
            "Svara bara om du svarade ”Ja” på fråga 6 eller du svarade mindre än 2 på fråga 3.",
            "Svara bara om du svarade minst 10 på fråga 4.",
        ),
        (
            "en",
            "Answer the questions in this part only if you answered “Yes” to question 1.",
            "Answer the questions in this part only if you answered at least 65 to question 2 "
            "and you did not answer “4” or “5” to question 3.",
            "Answer only if you answered “Yes” to question 6 or you answered less than 2 "
            "to question 3.",
            "Answer only if you answered at least 10 to question 4.",
        ),
    ],
)
def test_the_printed_form_says_each_condition_in_words(form, lang, rokning, aldre, vilken, sluta):
    layout = build_layout(form, lang)
    assert _text(layout, ("section_condition", "rokning")) == rokning
    assert _text(layout, ("section_condition", "aldre")) == aldre
    assert _text(layout, ("condition", "vilken")) == vilken
    assert _text(layout, ("condition", "sluta")) == sluta
    assert _text(layout, ("section_condition", "start")) == ""


def test_not_of_a_group_is_said_of_each_test():
    text = YAML.replace(
        "    enable_when:\n      all:\n        - {question: alder, at_least: 65}\n"
        "        - not: {question: halsa, in: [4, 5]}\n",
        "    enable_when:\n      not:\n        any:\n          - {question: alder, less_than: 65}\n"
        "          - {question: halsa, in: [4, 5]}\n",
    )
    form, faults = parse_definition(text, "v.yaml")
    assert not faults, faults
    assert _text(build_layout(form, "sv"), ("section_condition", "aldre")) == (
        "Svara på frågorna i den här delen bara om du inte svarade mindre än 65 på fråga 2 "
        "och du inte svarade ”4” eller ”5” på fråga 3."
    )
    # the same respondents as all-of-at-least-and-not, but for a blank age, which
    # is not "less than 65": not of a test holds for a blank, as printed
    assert _asked(form, alder=70, halsa=3) == ALWAYS | {"hjalp"}
    assert _asked(form, alder=50, halsa=3) == ALWAYS
    assert _asked(form, alder=None, halsa=3) == ALWAYS | {"hjalp"}


def test_every_form_with_a_single_test_prints_as_before():
    """Copies already printed are read by laying their form out again: a condition
    written as before must print in the very same words."""
    old = parse_definition(
        (DEFINITIONS / "patient-v1.yaml").read_text(encoding="utf-8"), "patient-v1.yaml"
    )[0]
    layout = build_layout(old, "sv")
    assert _text(layout, ("condition", "yrkesroll")) == (
        "Svara bara om du svarade ”Ja” eller ”Delvis” på fråga 7."
    )


@pytest.mark.parametrize(
    "change,line_marker,message",
    [
        (  # a section's condition may only look back from its first question
            (
                "enable_when: {question: roker, equals: yes}",
                "enable_when: {question: sluta, equals: yes}",
            ),
            "enable_when: {question: sluta",
            "section 'rokning': enable_when refers to 'sluta', which does not come before it",
        ),
        (
            (
                "enable_when: {question: roker, equals: yes}",
                "enable_when: {question: roker, at_least: 1}",
            ),
            "enable_when: {question: roker, at_least",
            "section 'rokning': enable_when compares 'roker', a yesno question, with a number",
        ),
        (
            (
                "enable_when: {question: roker, equals: yes}",
                "enable_when: {question: roker, equals: yes, all: []}",
            ),
            "enable_when: {question: roker, equals: yes, all",
            "section 'rokning': enable_when 'all' stands alone",
        ),
        (
            (
                "{question: cigaretter, at_least: 10}",
                "{question: cigaretter, at_least: 10, at_most: 5}",
            ),
            "at_most: 5",
            "question 'sluta': enable_when on 'cigaretter' can never hold",
        ),
        (
            (
                "{question: cigaretter, at_least: 10}",
                "{question: cigaretter, at_least: 10, in: [1]}",
            ),
            "in: [1]",
            "question 'sluta': enable_when compares a number (at_least) or names answers",
        ),
        (
            ("{question: cigaretter, at_least: 10}", "{question: cigaretter, at_least: tio}"),
            "at_least: tio",
            "question 'sluta': enable_when 'at_least' must be a number, not 'tio'",
        ),
        (
            ("- not: {question: halsa, in: [4, 5]}", "- not: {question: hals, in: [4, 5]}"),
            "hals, in",
            "section 'aldre': enable_when refers to unknown question 'hals' (did you mean",
        ),
        (
            ("- not: {question: halsa, in: [4, 5]}", "- not: {question: halsa, in: [4, 6]}"),
            "in: [4, 6]",
            "section 'aldre': enable_when value '6' is not an answer of 'halsa'",
        ),
        (
            (
                "any:\n            - {question: hjalp, equals: ja}\n"
                "            - {question: halsa, less_than: 2}\n",
                "any: []\n",
            ),
            "any: []",
            "question 'vilken': enable_when 'any' must be a non-empty list of conditions",
        ),
        (
            ('    title: {sv: "Om rökning"', '    enable_whn: {}\n    title: {sv: "Om rökning"'),
            "enable_whn",
            "section 'rokning': unknown key 'enable_whn' (did you mean 'enable_when'?)",
        ),
    ],
)
def test_validation_says_what_is_wrong_with_a_condition(change, line_marker, message):
    old, new = change
    assert YAML.count(old) == 1
    text = YAML.replace(old, new)
    form, faults = parse_definition(text, "v.yaml")
    assert form is None
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if line_marker in t)
    hits = [f for f in faults if message in f.message]
    assert hits, "\n".join(map(str, faults))
    assert hits[0].line == line, "\n".join(map(str, faults))  # a test in a group: its own


def test_a_print_run_refuses_a_prefill_that_breaks_a_sections_condition(tmp_path, form):
    people = tmp_path / "people.csv"
    people.write_text(
        "roker;alder;halsa;cigaretter;hjalp\n"
        "nej;;;20;\n"  # the smoking section is not asked of a non-smoker: a fault
        ";;;20;\n"  # the respondent answers roker: it may well hold
        "ja;40;;;nej\n"  # help section: not asked at 40
        ";70;;;ja\n"  # health still to come: may hold
        ";70;5;;ja\n",  # health 5: never holds
        encoding="utf-8",
    )
    with pytest.raises(RespondentsError) as info:
        read_respondents(people, form, "sv")
    faults = info.value.faults
    assert [f.split(": ")[0].rsplit(":", 1)[1] for f in faults] == ["2", "4", "6"], faults
    assert faults[0] == (
        f"{people}:2: column 'cigaretter': this question is only asked when 'roker' is yes, "
        "and this row gives 'no'; leave one blank"
    )
    assert faults[1] == (
        f"{people}:4: column 'hjalp': this question is only asked when 'alder' is >= 65 and "
        "not ('halsa' is 4 or 5), and this row does not meet that; leave one blank"
    )


def test_the_json_schema_takes_the_new_conditions_and_refuses_a_mixed_one():
    import jsonschema
    import yaml

    from pdfforms.model.schema import json_schema

    validator = jsonschema.Draft202012Validator(json_schema())
    data = yaml.safe_load(YAML)
    assert list(validator.iter_errors(data)) == []
    data["sections"][1]["enable_when"] = {"question": "roker", "equals": "yes", "at_least": 1}
    assert list(validator.iter_errors(data))
    data["sections"][1]["enable_when"] = {"not": {"question": "roker", "equals": "yes"}}
    assert list(validator.iter_errors(data)) == []


def test_a_flattened_copy_of_a_form_with_section_conditions_reads_back(folder, form):
    """The section's printed condition is page text like any other: a flattened copy
    (fields drawn into the page) still reads back to its answers."""
    from pdfforms.generate.fill import fill_answers
    from pdfforms.model.rules import blank_answers

    answers = {"roker": True, "cigaretter": 12, "sluta": False, "alder": 70, "halsa": 1}
    answers |= {"hjalp": "nej", "vilken": "Städning"}
    path = folder / "platt.pdf"
    path.write_bytes(fill_answers(generate(form, "sv"), form, answers, "sv", flatten=True))
    response = parse(path, [folder])
    assert response.source["kind"] == "flattened"
    assert response.answers == blank_answers(form) | answers
    assert [p.code for p in response.problems] == ["text_unsure"]  # said of every flattened copy
