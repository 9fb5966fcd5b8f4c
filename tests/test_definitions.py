"""Definition loading: every fault is found, pinned to its line and named (SPEC §1).

Each fault test starts from BASE, a small valid definition, alters it in one
place, and checks that loading refuses it with exactly the expected fault: on
the line of a marker found in the altered text (never a hand-counted number),
naming the id involved and saying what is wrong. The JSON Schema and the
`validate`/`schema` commands are checked at the end.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from textwrap import dedent, indent

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from pdfforms.cli import main
from pdfforms.model.definition import DefinitionError, check_definition, load_form, parse_definition
from pdfforms.model.form import Fault
from pdfforms.model.schema import json_schema

from .conftest import DEFINITIONS, FORM_FILES

SOURCE = "def.yaml"

# A small valid definition; the last section's questions end the text, so
# add() can append questions to it.
BASE = dedent(
    """\
    # a small valid definition for the fault tests
    form: test-form
    version: "1"
    languages: [sv, en]
    title: {sv: "Titel", en: "Title"}
    option_sets:
      jnv:
        - {value: ja, label: {sv: "Ja", en: "Yes"}}
        - {value: nej, label: {sv: "Nej", en: "No"}}
    sections:
      - id: forsta
        title: {sv: "Första delen", en: "Part one"}
        questions:
          - id: roker
            type: yesno
            label: {sv: "Röker du?", en: "Do you smoke?"}
          - id: farg
            type: single
            label: {sv: "Vilken färg?", en: "Which colour?"}
            options: jnv
          - id: namn
            type: text
            label: {sv: "Namn", en: "Name"}
          - id: antal
            type: number
            label: {sv: "Hur många?", en: "How many?"}
            min: 0
            max: 10
          - id: kommentar
            type: textarea
            label: {sv: "Kommentar", en: "Comment"}
            lines: 3
    """
)
QUESTION_INDENT = "      "


def section(block: str) -> str:
    """A section block written at column 0, indented to follow BASE's sections."""
    return indent(dedent(block), "  ")


def add(*blocks: str, text: str = BASE) -> str:
    """BASE with question blocks (written at column 0) appended to its last section."""
    return text + "".join(indent(dedent(block), QUESTION_INDENT) for block in blocks)


def alter(old: str, new: str, text: str = BASE) -> str:
    """`text` with the one occurrence of `old` replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, marker: str) -> int:
    """The 1-based number of the one line of `text` that contains `marker`."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
    assert len(hits) == 1, f"marker {marker!r} is on lines {hits}"
    return hits[0]


def id_lines(text: str, ident: str) -> list[int]:
    """The numbers of the lines that read `- id: <ident>`."""
    return [
        n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == f"- id: {ident}"
    ]


def faults_of(text: str) -> list[Fault]:
    """Load text that must be refused; return its faults."""
    form, faults = parse_definition(text, SOURCE)
    assert form is None
    assert faults, "a refused definition must say why"
    assert all(f.file == SOURCE for f in faults)
    return faults


def only_fault(text: str) -> Fault:
    faults = faults_of(text)
    assert len(faults) == 1, "\n".join(map(str, faults))
    return faults[0]


def assert_fault(text: str, marker: str, *fragments: str) -> Fault:
    """Exactly one fault, on the marker's line, whose message holds every fragment."""
    fault = only_fault(text)
    assert fault.line == line_of(text, marker), str(fault)
    for fragment in fragments:
        assert fragment in fault.message, f"{fragment!r} not in {fault.message!r}"
    assert str(fault) == f"{SOURCE}:{fault.line}: {fault.message}"
    return fault


def loads(text: str):
    form, faults = parse_definition(text, SOURCE)
    assert faults == [], "\n".join(map(str, faults))
    assert form is not None
    return form


# ------------------------------------------------------------ the base


def test_base_definition_is_valid():
    form = loads(BASE)
    assert [q.id for q in form.questions] == ["roker", "farg", "namn", "antal", "kommentar"]
    assert form.languages == ["sv", "en"]


def test_helpers_append_questions_to_the_last_section():
    form = loads(add("- id: extra\n  type: text\n  label: Extra\n"))
    assert form.sections[-1].questions[-1].id == "extra"


# ------------------------------------------------------------ unknown types and keys


def test_unknown_type_suggests_the_nearest():
    text = add("- id: x\n  type: singel\n  label: X\n  options: jnv\n")
    assert_fault(
        text,
        "type: singel",
        "question 'x'",
        "unknown type 'singel'",
        "did you mean 'single'",
    )


def test_unknown_type_without_a_near_match_lists_the_types():
    text = add("- id: x\n  type: zzzz\n  label: X\n")
    fault = assert_fault(text, "type: zzzz", "question 'x'", "unknown type 'zzzz'")
    assert "did you mean" not in fault.message
    assert "single" in fault.message and "grid" in fault.message


def test_misspelt_key_suggests_the_nearest():
    text = add("- id: x\n  type: text\n  label: X\n  hlep: Y\n")
    assert_fault(
        text,
        "hlep:",
        "question 'x'",
        "unknown key 'hlep' for a text question",
        "did you mean 'help'",
    )


def test_misspelt_label_is_named_on_its_line():
    text = add("- id: x\n  type: single\n  lable: X\n  options: jnv\n")
    faults = faults_of(text)
    typo = [f for f in faults if "'lable'" in f.message]
    assert len(typo) == 1
    assert typo[0].line == line_of(text, "lable:")
    assert "question 'x': unknown key 'lable'" in typo[0].message
    assert "did you mean 'label'" in typo[0].message
    assert all("question 'x'" in f.message for f in faults)


@pytest.mark.parametrize(
    ("key", "owners"),
    [
        ("lines: 5", "textarea questions"),
        ("min: 3", "number, date, scale questions"),
        ("rows: []", "grid, group questions"),
    ],
)
def test_key_of_another_type_names_the_types_it_belongs_to(key, owners):
    text = add(f"- id: x\n  type: single\n  label: X\n  options: jnv\n  {key}\n")
    name = key.split(":")[0]
    fault = assert_fault(
        text,
        f"  {key}",
        "question 'x'",
        f"unknown key '{name}' for a single question",
        f"it belongs to {owners}",
    )
    assert "did you mean" not in fault.message


def test_unknown_top_level_key():
    text = alter('version: "1"\n', 'version: "1"\nvesion: "2"\n')
    assert_fault(text, "vesion:", "form: unknown key 'vesion'", "did you mean 'version'")


def test_unknown_section_key():
    text = alter('    title: {sv: "Första delen"', '    titel: {sv: "Första delen"')
    assert_fault(text, "titel:", "section 'forsta'", "unknown key 'titel'", "did you mean 'title'")


def test_unknown_key_in_an_option():
    text = alter("{value: nej, label:", "{value: nej, lable:")
    faults = faults_of(text)
    typo = [f for f in faults if "'lable'" in f.message]
    assert len(typo) == 1
    assert typo[0].line == line_of(text, "value: nej")
    assert "did you mean 'label'" in typo[0].message


def test_unknown_key_in_a_condition():
    text = add("- id: x\n  type: text\n  label: X\n  enable_when: {question: roker, equal: yes}\n")
    faults = faults_of(text)
    typo = [f for f in faults if "'equal'" in f.message]
    assert len(typo) == 1
    assert typo[0].line == line_of(text, "enable_when:")
    assert "did you mean 'equals'" in typo[0].message


# ------------------------------------------------------------ ids


def test_duplicate_question_id_names_both_lines():
    text = add("- id: roker\n  type: text\n  label: Igen\n")
    first, second = id_lines(text, "roker")
    fault = only_fault(text)
    assert fault.line == second
    assert "question 'roker'" in fault.message
    assert "appears twice" in fault.message
    assert f"first on line {first}" in fault.message


def test_duplicate_question_id_across_sections():
    text = BASE + section(
        """\
          - id: andra
            questions:
              - id: namn
                type: text
                label: Igen
        """
    )
    fault = only_fault(text)
    first, second = id_lines(text, "namn")
    assert fault.line == second
    assert "question 'namn'" in fault.message
    assert f"first on line {first}" in fault.message


def test_duplicate_section_id_names_both_lines():
    text = BASE + section(
        """\
          - id: forsta
            title: Igen
            questions:
              - id: annan
                type: text
                label: Annan
        """
    )
    fault = only_fault(text)
    first, second = id_lines(text, "forsta")
    assert fault.line == second
    assert "section 'forsta'" in fault.message
    assert "appears twice" in fault.message
    assert f"first on line {first}" in fault.message


@pytest.mark.parametrize("bad", ["Namn", "a__b", "1abc", "_a", "a-b"])
def test_bad_question_id(bad):
    text = add(f"- id: {bad}\n  type: text\n  label: X\n")
    assert_fault(text, f"- id: {bad}", f"id '{bad}'", "lowercase", "no '__'")


def test_bad_section_id():
    text = alter("  - id: forsta", "  - id: Forsta")
    assert_fault(text, "- id: Forsta", "section", "id 'Forsta'")


def test_bad_grid_row_id():
    text = add(
        "- id: g\n  type: grid\n  label: G\n  options: jnv\n  rows:\n    - {id: Rad, label: R}\n"
    )
    assert_fault(text, "{id: Rad", "question 'g', row", "id 'Rad'")


@pytest.mark.parametrize("bad", ["Test_Form", "1form", "a__b"])
def test_bad_form_id(bad):
    text = alter("form: test-form", f"form: {bad}")
    assert_fault(text, f"form: {bad}", f"id '{bad}'")


def test_form_id_may_hold_a_dash():
    assert loads(alter("form: test-form", "form: patient-7-fragor")).id == "patient-7-fragor"


# ------------------------------------------------------------ options


def test_duplicate_option_value():
    text = add(
        "- id: x\n  type: single\n  label: X\n  options:\n"
        "    - {value: a, label: A}\n"
        "    - {value: b, label: B}\n"
        "    - {value: a, label: C}\n"
    )
    assert_fault(text, "{value: a, label: C}", "question 'x'", "option value 'a' appears twice")


def test_duplicate_option_value_in_an_option_set():
    text = alter(
        '    - {value: nej, label: {sv: "Nej", en: "No"}}\n',
        '    - {value: nej, label: {sv: "Nej", en: "No"}}\n'
        '    - {value: ja, label: {sv: "Ja igen", en: "Yes again"}}\n',
    )
    fault = faults_of(text)[0]
    assert fault.line == line_of(text, "Ja igen")
    assert "option set 'jnv': option value 'ja' appears twice" in fault.message


def test_option_value_other_is_reserved():
    text = add(
        "- id: x\n  type: single\n  label: X\n  options:\n"
        "    - {value: a, label: A}\n"
        "    - {value: other, label: Annat}\n"
    )
    assert_fault(
        text,
        "{value: other",
        "question 'x'",
        "option value 'other' is reserved",
        "use the key 'other'",
    )


@pytest.mark.parametrize("bad", ["a-b", "a__b", "å"])
def test_bad_option_value(bad):
    text = add(
        f"- id: x\n  type: single\n  label: X\n  options:\n    - {{value: {bad}, label: A}}\n"
    )
    assert_fault(text, f"{{value: {bad},", "question 'x'", f"option value '{bad}'")


def test_unknown_option_set_suggests_the_nearest():
    text = add("- id: x\n  type: single\n  label: X\n  options: jvn\n")
    assert_fault(
        text,
        "options: jvn",
        "question 'x'",
        "unknown option set 'jvn'",
        "did you mean 'jnv'",
    )


def test_missing_options_on_single():
    text = add("- id: x\n  type: single\n  label: X\n")
    assert_fault(text, "- id: x", "question 'x'", "'options' is missing")


def test_empty_options_list():
    text = add("- id: x\n  type: dropdown\n  label: X\n  options: []\n")
    assert_fault(text, "options: []", "question 'x'", "non-empty list")


def test_yes_and_no_stay_words_as_option_values():
    form = loads(
        add(
            "- id: x\n  type: single\n  label: X\n  options:\n"
            "    - {value: yes, label: Ja}\n"
            "    - {value: no, label: Nej}\n"
            "    - {value: off, label: Av}\n"
            "- id: y\n  type: text\n  label: Y\n  enable_when: {question: x, equals: no}\n"
        )
    )
    assert form.question("x").choice_values == ("yes", "no", "off")
    assert form.question("y").enable_when.values == ("no",)


# ------------------------------------------------------------ texts and translations


def test_missing_translation_names_question_and_language():
    text = add('- id: x\n  type: text\n  label: {sv: "Bara svenska"}\n')
    assert_fault(
        text,
        "Bara svenska",
        "question 'x'",
        "'label' has no translation for 'en'",
    )


def test_missing_translation_in_an_option_names_the_option():
    text = alter('{value: nej, label: {sv: "Nej", en: "No"}}', '{value: nej, label: {sv: "Nej"}}')
    fault = faults_of(text)[0]
    assert fault.line == line_of(text, "value: nej")
    assert "option set 'jnv', option 'nej': 'label' has no translation for 'en'" in fault.message


def test_missing_translation_of_the_title():
    text = alter('title: {sv: "Titel", en: "Title"}', 'title: {sv: "Titel"}')
    assert_fault(text, 'title: {sv: "Titel"}', "form", "'title' has no translation for 'en'")


def test_translation_in_a_language_not_listed():
    text = add('- id: x\n  type: text\n  label: {sv: "X", en: "X", de: "X"}\n')
    assert_fault(
        text,
        'de: "X"',
        "question 'x'",
        "'label' has a text in 'de'",
        "not one of the form's languages (sv, en)",
    )


def test_plain_string_label_serves_every_language():
    form = loads(add("- id: x\n  type: text\n  label: Samma text\n"))
    assert form.question("x").label == {"sv": "Samma text", "en": "Samma text"}


@pytest.mark.parametrize(
    ("label", "fragment"),
    [
        ('""', "'label' is empty"),
        ('"   "', "'label' is empty"),
        ('{sv: "", en: "X"}', "'label' in 'sv' is empty"),
    ],
)
def test_empty_label(label, fragment):
    text = add(f"- id: x\n  type: text\n  label: {label}\n")
    assert_fault(text, f"label: {label}", "question 'x'", fragment)


def test_missing_label_on_a_question():
    text = add("- id: x\n  type: text\n")
    assert_fault(text, "- id: x", "question 'x'", "'label' is missing")


def test_info_needs_no_label_but_needs_text_or_label():
    form = loads(add("- id: x\n  type: info\n  text: Läs detta.\n"))
    assert form.question("x").label is None
    assert not form.question("x").answerable
    text = add("- id: y\n  type: info\n")
    assert_fault(text, "- id: y", "question 'y'", "needs 'text' or 'label'")


# ------------------------------------------------------------ enable_when


def condition_text(condition: str, target_block: str = "") -> str:
    return add(target_block, f"- id: x\n  type: text\n  label: X\n  enable_when: {condition}\n")


def test_condition_on_an_unknown_question_suggests_the_nearest():
    text = condition_text("{question: rokr, equals: yes}")
    assert_fault(
        text,
        "enable_when:",
        "question 'x'",
        "enable_when refers to unknown question 'rokr'",
        "did you mean 'roker'",
    )


def test_condition_on_a_later_question():
    text = add(
        "- id: x\n  type: text\n  label: X\n  enable_when: {question: senare, equals: ja}\n",
        "- id: senare\n  type: single\n  label: S\n  options: jnv\n",
    )
    assert_fault(
        text, "enable_when:", "question 'x'", "refers to 'senare'", "does not come before it"
    )


def test_condition_on_the_question_itself():
    text = add(
        "- id: x\n  type: single\n  label: X\n  options: jnv\n"
        "  enable_when: {question: x, equals: ja}\n"
    )
    assert_fault(text, "enable_when:", "question 'x'", "refers to 'x'", "does not come before it")


@pytest.mark.parametrize(("target", "qtype"), [("namn", "text"), ("kommentar", "textarea")])
def test_condition_on_a_question_without_choices(target, qtype):
    text = condition_text(f"{{question: {target}, equals: ja}}")
    assert_fault(
        text,
        "enable_when:",
        "question 'x'",
        f"refers to '{target}', a {qtype} question",
        "conditions need a yesno, single",
    )


def test_condition_value_not_among_the_answers():
    text = condition_text("{question: farg, in: [ja, kanske]}")
    assert_fault(
        text,
        "enable_when:",
        "question 'x'",
        "enable_when value 'kanske' is not an answer of 'farg' (ja, nej)",
    )


def test_condition_value_on_a_yesno_must_be_yes_or_no():
    text = condition_text("{question: roker, equals: ja}")
    assert_fault(text, "enable_when:", "question 'x'", "value 'ja'", "'roker' (yes, no)")


def test_condition_value_on_a_scale_must_be_a_point():
    text = add(
        "- id: s\n  type: scale\n  label: S\n  min: 1\n  max: 5\n",
        "- id: x\n  type: text\n  label: X\n  enable_when: {question: s, in: [1, 6]}\n",
    )
    assert_fault(text, "enable_when:", "question 'x'", "value '6'", "'s' (1, 2, 3, 4, 5)")


def test_condition_with_both_in_and_equals():
    text = condition_text("{question: farg, in: [ja], equals: ja}")
    assert_fault(text, "enable_when:", "question 'x'", "exactly one of 'in' and 'equals'")


def test_condition_with_neither_in_nor_equals():
    text = condition_text("{question: farg}")
    assert_fault(text, "enable_when:", "question 'x'", "exactly one of 'in' and 'equals'")


def test_condition_without_a_question():
    text = condition_text("{equals: ja}")
    assert_fault(text, "enable_when:", "question 'x'", "enable_when needs 'question'")


@pytest.mark.parametrize(
    ("condition", "values"),
    [
        ("{question: roker, equals: yes}", ("yes",)),
        ("{question: roker, equals: no}", ("no",)),
        ("{question: roker, in: [yes, no]}", ("yes", "no")),
        ("{question: roker, equals: true}", ("yes",)),
        ("{question: farg, in: [ja, nej]}", ("ja", "nej")),
    ],
)
def test_valid_conditions(condition, values):
    """`equals: yes` is the word yes (YAML 1.1 would make it a boolean)."""
    form = loads(condition_text(condition))
    assert form.question("x").enable_when.values == values


def test_condition_on_other_and_on_scale_points_are_valid():
    form = loads(
        add(
            "- id: y\n  type: multiple\n  label: Y\n  options: jnv\n  other: Annat\n",
            "- id: s\n  type: scale\n  label: S\n  min: 0\n  max: 10\n",
            "- id: x\n  type: text\n  label: X\n  enable_when: {question: y, equals: other}\n",
            "- id: z\n  type: text\n  label: Z\n  enable_when: {question: s, in: [0, 10]}\n",
        )
    )
    assert form.question("z").enable_when.values == ("0", "10")


# ------------------------------------------------------------ ranges and sizes


def test_number_min_greater_than_max():
    text = add("- id: x\n  type: number\n  label: X\n  min: 5\n  max: 2\n")
    assert_fault(text, "max: 2", "question 'x'", "min (5) is greater than max (2)")


def test_scale_min_greater_than_max():
    text = add("- id: x\n  type: scale\n  label: X\n  min: 5\n  max: 2\n")
    assert_fault(text, "max: 2", "question 'x'", "min (5) is greater than max (2)")


def test_min_choices_greater_than_max_choices():
    text = add(
        "- id: x\n  type: multiple\n  label: X\n  options: jnv\n  min_choices: 2\n"
        "  max_choices: 1\n"
    )
    assert_fault(
        text,
        "max_choices: 1",
        "question 'x'",
        "min_choices (2) is greater than max_choices (1)",
    )


def test_max_choices_above_the_number_of_choices():
    text = add("- id: x\n  type: multiple\n  label: X\n  options: jnv\n  max_choices: 5\n")
    assert_fault(text, "max_choices: 5", "question 'x'", "max_choices 5 is more than the 2")


def test_scale_with_min_equal_to_max():
    text = add("- id: x\n  type: scale\n  label: X\n  min: 3\n  max: 3\n")
    assert_fault(text, "max: 3", "question 'x'", "a scale needs min < max", "3 to 3")


def test_scale_with_more_than_eleven_points():
    text = add("- id: x\n  type: scale\n  label: X\n  min: 0\n  max: 11\n")
    assert_fault(text, "max: 11", "question 'x'", "at most 11 points, not 12")


def test_scale_of_eleven_points_is_valid():
    form = loads(add("- id: x\n  type: scale\n  label: X\n  min: 0\n  max: 10\n"))
    assert len(form.question("x").choices) == 11


def test_scale_without_max():
    text = add("- id: x\n  type: scale\n  label: X\n  min: 1\n")
    assert_fault(text, "- id: x", "question 'x'", "a scale needs 'max'")


def test_scale_with_a_fractional_point():
    text = add("- id: x\n  type: scale\n  label: X\n  min: 0.5\n  max: 3\n")
    assert_fault(text, "min: 0.5", "question 'x'", "'min' must be a whole number")


def test_scale_na_value_that_looks_like_a_point():
    text = add(
        "- id: x\n  type: scale\n  label: X\n  min: 1\n  max: 5\n"
        "  na: {value: 0, label: Vet inte}\n"
    )
    assert_fault(text, "na: {value: 0", "question 'x'", "na value '0' looks like a number")


def test_whole_number_question_with_a_fractional_min():
    text = add("- id: x\n  type: number\n  label: X\n  min: 0.5\n  max: 3\n  decimals: 0\n")
    assert_fault(text, "min: 0.5", "question 'x'", "'min' is 0.5 but decimals is 0")


def test_decimals_out_of_range():
    text = add("- id: x\n  type: number\n  label: X\n  decimals: 7\n")
    assert_fault(text, "decimals: 7", "question 'x'", "'decimals' must be 0 to 6")


def test_number_min_that_is_not_a_number():
    text = add('- id: x\n  type: number\n  label: X\n  min: "fem"\n')
    assert_fault(text, 'min: "fem"', "question 'x'", "'min' must be a number")


@pytest.mark.parametrize("bad", ['"yesterday"', "2020-13-01", '"2020-02-30"', "20200101"])
def test_date_min_not_a_date(bad):
    text = add(f"- id: x\n  type: date\n  label: X\n  min: {bad}\n")
    assert_fault(text, f"min: {bad}", "question 'x'", "'min' must be a date \"YYYY-MM-DD\"")


def test_unquoted_date_stays_a_string():
    form = loads(add("- id: x\n  type: date\n  label: X\n  min: 2020-01-31\n"))
    assert form.question("x").min == "2020-01-31"


def test_lines_over_thirty():
    text = add("- id: x\n  type: textarea\n  label: X\n  lines: 31\n")
    assert_fault(text, "lines: 31", "question 'x'", "'lines' must be at most 30", "not 31")


def test_lines_of_thirty_is_valid():
    assert (
        loads(add("- id: x\n  type: textarea\n  label: X\n  lines: 30\n")).question("x").lines == 30
    )


def test_lines_of_zero():
    text = add("- id: x\n  type: textarea\n  label: X\n  lines: 0\n")
    assert_fault(text, "lines: 0", "question 'x'", "'lines' must be at least 1")


def test_max_length_that_is_not_whole():
    text = add("- id: x\n  type: text\n  label: X\n  max_length: 2.5\n")
    assert_fault(text, "max_length: 2.5", "question 'x'", "'max_length' must be a whole number")


# ------------------------------------------------------------ required, info, grid, code


@pytest.mark.parametrize("word", ["yes", "no", "ja", '"true"'])
def test_required_must_be_true_or_false(word):
    text = add(f"- id: x\n  type: text\n  label: X\n  required: {word}\n")
    assert_fault(text, f"required: {word}", "question 'x'", "'required' must be true or false")


def test_required_true_and_false_are_accepted():
    form = loads(
        add(
            "- id: x\n  type: text\n  label: X\n  required: true\n",
            "- id: y\n  type: text\n  label: Y\n  required: false\n",
        )
    )
    assert form.question("x").required is True
    assert form.question("y").required is False


def test_info_cannot_be_required():
    text = add("- id: x\n  type: info\n  text: Läs.\n  required: true\n")
    assert_fault(text, "required: true", "question 'x'", "info question", "cannot be required")


def test_grid_without_rows():
    text = add("- id: g\n  type: grid\n  label: G\n  options: jnv\n")
    assert_fault(text, "- id: g", "question 'g'", "a grid needs 'rows'")


def test_grid_with_an_empty_row_list():
    text = add("- id: g\n  type: grid\n  label: G\n  options: jnv\n  rows: []\n")
    assert_fault(text, "rows: []", "question 'g'", "a grid needs 'rows'")


def test_duplicate_grid_row_id():
    text = add(
        "- id: g\n  type: grid\n  label: G\n  options: jnv\n  rows:\n"
        "    - {id: a, label: A}\n"
        "    - {id: b, label: B}\n"
        "    - {id: a, label: C}\n"
    )
    assert_fault(text, "{id: a, label: C}", "question 'g'", "row id 'a' appears twice")


def test_grid_row_without_a_label():
    text = add("- id: g\n  type: grid\n  label: G\n  options: jnv\n  rows:\n    - {id: a}\n")
    assert_fault(text, "{id: a}", "question 'g', row 'a'", "'label' is missing")


def test_code_used_twice_in_one_form():
    text = add(
        "- id: x\n  type: single\n  label: X\n  code: skr-7-1\n  options: jnv\n",
        "- id: y\n  type: single\n  label: Y\n  code: skr-7-1\n  options: jnv\n",
    )
    assert_fault(
        text,
        "- id: y",
        "question 'y'",
        "code 'skr-7-1' is already used by question 'x'",
    )


def test_code_that_is_not_a_word():
    text = add('- id: x\n  type: text\n  label: X\n  code: "skr 7"\n')
    assert_fault(text, "code:", "question 'x'", "code 'skr 7'")


def test_question_without_a_type():
    text = add("- id: x\n  label: X\n")
    assert_fault(text, "- id: x", "question 'x'", "'type' is missing", "single")


def test_section_without_questions():
    text = BASE + "  - id: tom\n    title: Tom\n    questions: []\n"
    assert_fault(text, "questions: []", "section 'tom'", "'questions' must be a non-empty list")


# ------------------------------------------------------------ YAML-level faults


def test_duplicate_yaml_key_names_the_first_line():
    text = add("- id: x\n  type: text\n  label: Först\n  label: Sedan\n")
    fault = assert_fault(text, "label: Sedan", "key 'label' appears twice")
    assert f"first on line {line_of(text, 'label: Först')}" in fault.message


def test_duplicate_top_level_key():
    text = alter('version: "1"\n', 'version: "1"\nversion: "2"\n')
    assert_fault(
        text,
        'version: "2"',
        "key 'version' appears twice",
        f"first on line {line_of(BASE, 'version:')}",
    )


def test_yaml_syntax_error_gives_its_line():
    text = add("- id: x\n  type: text\n  label: Vad: är det\n")
    assert_fault(text, "label: Vad: är det", "YAML syntax error")


def test_unclosed_bracket_is_a_syntax_error():
    fault = only_fault(alter("languages: [sv, en]", "languages: [sv, en"))
    assert "YAML syntax error" in fault.message
    assert fault.line >= line_of(BASE, "languages:")


@pytest.mark.parametrize("text", ["", "\n\n", "# bara en kommentar\n"])
def test_empty_file(text):
    fault = only_fault(text)
    assert fault.line == 1
    assert "the file is empty" in fault.message


@pytest.mark.parametrize("text", ["- form: x\n- version: 1\n", "bara text\n", "42\n"])
def test_top_level_not_a_mapping(text):
    fault = only_fault(text)
    assert fault.line == 1
    assert "a definition must be a mapping" in fault.message
    assert "'form'" in fault.message and "'sections'" in fault.message


@pytest.mark.parametrize(
    "removed",
    [
        "form: test-form\n",
        'version: "1"\n',
        'title: {sv: "Titel", en: "Title"}\n',
    ],
)
def test_missing_required_top_level_key(removed):
    text = alter(removed, "")
    key = removed.split(":")[0]
    fault = only_fault(text)
    # reported where the top-level mapping starts: its first key, after the comment
    first_key = next(n for n, line in enumerate(text.splitlines(), 1) if not line.startswith("#"))
    assert fault.line == first_key == 2
    assert fault.message == f"form: '{key}' is missing"


def test_missing_sections():
    text = BASE[: BASE.index("sections:")]
    assert_fault(text, "form: test-form", "form: 'sections' is missing")


def test_all_required_top_level_keys_missing():
    faults = faults_of("intro: Bara en inledning\n")
    missing = [f.message for f in faults]
    assert missing == [
        f"form: '{key}' is missing" for key in ("form", "version", "languages", "title", "sections")
    ]
    assert {f.line for f in faults} == {1}


def test_bad_language_code():
    text = alter("languages: [sv, en]", "languages: [sv, en, svenska]")
    faults = faults_of(text)
    assert faults[0].line == line_of(text, "languages:")
    assert "language 'svenska'" in faults[0].message


# ------------------------------------------------------------ many faults at once


def test_every_fault_is_reported_in_line_order():
    text = add(
        # found last (conditions are checked after all questions), but earliest in the file
        "- id: qa\n  type: text\n  label: A\n  enable_when: {question: rokr, equals: yes}\n",
        "- id: qb\n  type: singel\n  label: B\n  options: jnv\n",
        "- id: qc\n  type: number\n  label: {sv: C}\n",
        "- id: qd\n  type: number\n  label: D\n  min: 9\n  max: 2\n",
    )
    faults = faults_of(text)
    assert [(f.line, f.message.split(":")[0]) for f in faults] == [
        (line_of(text, "enable_when: {question: rokr"), "question 'qa'"),
        (line_of(text, "type: singel"), "question 'qb'"),
        (line_of(text, "label: {sv: C}"), "question 'qc'"),
        (line_of(text, "max: 2"), "question 'qd'"),
    ]
    assert "unknown question 'rokr'" in faults[0].message
    assert "unknown type 'singel'" in faults[1].message
    assert "no translation for 'en'" in faults[2].message
    assert "min (9) is greater than max (2)" in faults[3].message


def test_faults_in_form_sections_and_questions_are_all_reported():
    text = alter('version: "1"\n', 'version: "1"\nvesion: "2"\n')
    text = alter('    title: {sv: "Första delen"', '    titel: {sv: "Första delen"', text)
    text = add("- id: x\n  type: textarea\n  label: X\n  lines: 99\n", text=text)
    faults = faults_of(text)
    assert [f.line for f in faults] == [
        line_of(text, "vesion:"),
        line_of(text, "titel:"),
        line_of(text, "lines: 99"),
    ]


def test_a_faulty_questions_condition_is_checked_in_the_same_pass():
    """A question with a fault of its own still has its condition checked: validate
    lists both at once, not the condition's fault only once the other is fixed."""
    text = add(
        "- id: qa\n  type: single\n  label: A\n  options: jnv\n",
        "- id: qb\n  type: text\n  enable_when: {question: rokr, equals: yes}\n",
        "- id: qc\n  type: single\n  label: C\n  options: nosuchset\n"
        "  enable_when: {question: qa, in: [kanske]}\n",
        "- id: qd\n  type: singel\n  label: {sv: D}\n  code: 'två ord'\n"
        "  enable_when: {question: qa, in: [nej, vet_ej]}\n",
    )
    faults = faults_of(text)
    got = [(f.line, f.message) for f in faults]
    assert [line for line, _ in got] == [
        id_lines(text, "qb")[0],  # 'label' is missing
        line_of(text, "enable_when: {question: rokr"),
        line_of(text, "options: nosuchset"),
        line_of(text, "in: [kanske]"),
        line_of(text, "type: singel"),
        line_of(text, "label: {sv: D}"),
        line_of(text, "code: 'två ord'"),
        line_of(text, "in: [nej, vet_ej]"),
    ], "\n".join(map(str, faults))
    assert "unknown question 'rokr'" in got[1][1]
    assert "enable_when value 'kanske' is not an answer of 'qa'" in got[3][1]
    assert "unknown type 'singel'" in got[4][1]
    assert "no translation for 'en'" in got[5][1]
    assert "code 'två ord' must be a word" in got[6][1]
    assert "enable_when value 'vet_ej'" in got[7][1]


def test_load_form_raises_with_every_fault(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        add(
            "- id: x\n  type: singel\n  label: X\n",
            "- id: y\n  type: textarea\n  label: Y\n  lines: 31\n",
        ),
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as info:
        load_form(path)
    faults = info.value.faults
    assert len(faults) == 2
    assert all(f.file == str(path) for f in faults)
    assert str(info.value).splitlines() == [str(f) for f in faults]


# ------------------------------------------------------------ faults that must not cascade


def test_condition_on_a_faulty_question_is_not_called_unknown():
    text = add(
        "- id: z\n  type: scale\n  label: Z\n  min: 5\n  max: 2\n",
        "- id: x\n  type: text\n  label: X\n  enable_when: {question: z, equals: 1}\n",
    )
    faults = faults_of(text)
    assert faults[0].line == line_of(text, "max: 2")
    assert not [f for f in faults if "unknown question" in f.message], "\n".join(map(str, faults))
    assert len(faults) == 1


def test_question_using_a_faulty_option_set_is_not_told_the_set_is_unknown():
    text = alter('{value: nej, label: {sv: "Nej", en: "No"}}', '{value: nej, label: {sv: "Nej"}}')
    faults = faults_of(text)
    assert not [f for f in faults if "unknown option set" in f.message], "\n".join(map(str, faults))
    assert len(faults) == 1


@pytest.mark.parametrize("languages", ["", "languages: [sv, EN]\n"])
def test_missing_or_bad_languages_give_one_fault(languages):
    text = alter("languages: [sv, en]\n", languages)
    faults = faults_of(text)
    assert len(faults) == 1, "\n".join(map(str, faults))


@pytest.mark.parametrize(
    ("block", "marker"),
    [
        ("- bara en mening\n", "bara en mening"),
        ("- id: x\n  type: single\n  label: X\n  options:\n    - ja\n", "    - ja"),
    ],
)
def test_list_item_that_is_not_a_mapping_has_its_line(block, marker):
    text = add(block)
    fault = only_fault(text)
    assert "must be a mapping" in fault.message
    assert fault.line == line_of(text, marker)


@pytest.mark.parametrize(
    "blocks",
    [
        (
            "- id: x\n  type: multiple\n  label: X\n  other: Annat\n  options:\n"
            "    - {value: other_text, label: A}\n",
        ),
        (
            "- id: a_\n  type: multiple\n  label: A\n  options:\n    - {value: b, label: B}\n",
            "- id: a\n  type: multiple\n  label: A\n  options:\n    - {value: _b, label: B}\n",
        ),
    ],
)
def test_definitions_whose_field_names_collide_are_refused(blocks):
    form, faults = parse_definition(add(*blocks), SOURCE)
    if form is not None:
        duplicates = [n for n, k in Counter(form.field_names()).items() if k > 1]
        assert duplicates  # the PDF would get these fields twice
    assert form is None
    assert faults


# ------------------------------------------------------------ the shipped forms


SHIPPED = [DEFINITIONS / "patient.yaml", DEFINITIONS / "unit.yaml"]
SKR_CODES = [f"skr-7-{n}" for n in range(1, 8)]


EVERY_GOOD_FILE = sorted({*DEFINITIONS.glob("*.yaml"), *FORM_FILES.values()})


def test_the_known_forms_are_shipped():
    assert set(SHIPPED) <= set(EVERY_GOOD_FILE)
    assert all(path.is_file() for path in SHIPPED)


@pytest.mark.parametrize("path", EVERY_GOOD_FILE, ids=lambda p: p.name)
def test_shipped_and_test_forms_have_no_faults(path):
    form, faults = check_definition(path)
    assert faults == []
    assert form is not None
    assert len(set(form.field_names())) == len(form.field_names())


def test_skr_codes_appear_once_on_the_same_questions_of_both_forms():
    by_form = {}
    for path in SHIPPED:
        form = load_form(path)
        assert {"sv", "en"} <= set(form.languages)
        codes = Counter(q.code for q in form.questions if q.code)
        for code in SKR_CODES:
            assert codes[code] == 1, (path.name, code)
        by_form[path.name] = {q.code: q.id for q in form.questions if q.code in SKR_CODES}
    assert by_form["patient.yaml"] == by_form["unit.yaml"]
    assert len(set(by_form["patient.yaml"].values())) == 7


# ------------------------------------------------------------ check_definition and the CLI


def test_check_definition_on_a_missing_file(tmp_path):
    path = tmp_path / "finns_inte.yaml"
    form, faults = check_definition(path)
    assert form is None
    assert len(faults) == 1
    assert faults[0].file == str(path)
    assert "cannot read the file" in faults[0].message
    assert "No such file" in faults[0].message


def test_check_definition_on_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("form: test\ntitle: Första\n".encode("latin-1"))
    form, faults = check_definition(path)
    assert form is None
    assert len(faults) == 1
    assert faults[0].file == str(path)
    assert "not UTF-8" in faults[0].message


def test_check_definition_reads_a_good_file(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(BASE, encoding="utf-8")
    form, faults = check_definition(path)
    assert faults == []
    assert form.id == "test-form"
    assert form.source == str(path)


FAULT_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+): (?P<message>.+)$")


def test_validate_exits_1_and_prints_every_fault(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        add(
            "- id: x\n  type: singel\n  label: X\n",
            "- id: y\n  type: number\n  label: Y\n  min: 3\n  max: 1\n",
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(bad), *map(str, SHIPPED)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    _, expected = check_definition(bad)
    assert lines == [str(f) for f in expected]
    assert len(lines) == 2
    for line in lines:
        match = FAULT_LINE.match(line)
        assert match and match["file"] == str(bad)
    assert "unknown type 'singel'" in lines[0]
    assert "min (3) is greater than max (1)" in lines[1]
    assert "Traceback" not in result.output


def test_validate_exits_1_for_a_missing_file(tmp_path):
    missing = tmp_path / "saknas.yaml"
    result = CliRunner().invoke(main, ["validate", str(missing)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{missing}:1: cannot read the file")
    assert "Traceback" not in result.output


def test_validate_exits_0_for_good_files():
    result = CliRunner().invoke(main, ["validate", *map(str, EVERY_GOOD_FILE)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


# ------------------------------------------------------------ the JSON Schema


@pytest.fixture(scope="module")
def validator():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(validator, data) -> list:
    return list(validator.iter_errors(data))


def test_schema_is_a_valid_draft_2020_12_schema():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", EVERY_GOOD_FILE, ids=lambda p: p.name)
def test_shipped_definitions_satisfy_the_schema(validator, path):
    # safe_load is YAML 1.1 (equals: yes becomes True); the schema allows that
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert schema_errors(validator, data) == []


def test_base_definition_satisfies_the_schema(validator):
    assert schema_errors(validator, yaml.safe_load(BASE)) == []


def all_types() -> dict:
    return yaml.safe_load(FORM_FILES["all_types"].read_text(encoding="utf-8"))


def question_in(data: dict, qid: str) -> dict:
    for section in data["sections"]:
        for question in section["questions"]:
            if question.get("id") == qid:
                return question
    raise KeyError(qid)


def _set_type(q):
    q["type"] = "singel"


def _add_typo(q):
    q["lable"] = q["label"]


def _drop_id(q):
    del q["id"]


def _add_lines(q):
    q["lines"] = 3


def _both_in_and_equals(q):
    q["enable_when"]["in"] = ["yes"]


def _bad_id(q):
    q["id"] = "Hur__mycket"


def _other_value(q):
    q["options"][0]["value"] = "other"


@pytest.mark.parametrize(
    "spoil",
    [_set_type, _add_typo, _drop_id, _add_lines, _both_in_and_equals, _bad_id, _other_value],
)
def test_schema_rejects_a_spoilt_question(validator, spoil):
    data = all_types()
    question = question_in(data, "hur_mycket")  # a single with a condition
    spoil(question)
    errors = schema_errors(validator, data)
    assert errors
    # every error points into that question (sections → n → questions → m)
    index = data["sections"][1]["questions"].index(question)
    for error in errors:
        assert list(error.absolute_path)[:4] == ["sections", 1, "questions", index], error


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d.pop("version"),
        lambda d: d.update(sectons=[]),
        lambda d: d["sections"][0].update(titel="x"),
        lambda d: d.update(languages=[]),
    ],
)
def test_schema_rejects_a_spoilt_form(validator, spoil):
    data = all_types()
    spoil(data)
    assert schema_errors(validator, data)


def test_schema_rejects_what_the_loader_rejects_for_unknown_keys(validator):
    """One key table feeds both: a key the loader refuses, the schema refuses too."""
    data = copy.deepcopy(yaml.safe_load(BASE))
    data["sections"][0]["questions"][1]["lines"] = 3  # farg is a single
    assert schema_errors(validator, data)
    text = alter("    options: jnv\n", "    options: jnv\n        lines: 3\n")
    assert only_fault(text).message.startswith("question 'farg': unknown key 'lines'")


def test_schema_command_prints_the_schema():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed == json_schema()
    jsonschema.Draft202012Validator.check_schema(printed)


def _tree(value):
    """A loaded YAML value with every line it remembers, to compare two loads."""
    if isinstance(value, dict):
        items = {k: _tree(v) for k, v in value.items()}
        return ("map", value.line, dict(value.key_lines), items)
    if isinstance(value, list):
        return ("list", value.line, list(value.item_lines), [_tree(v) for v in value])
    return (type(value).__name__, value)


def _bad_texts() -> list[str]:
    return [
        add("- id: x\n  type: text\n  label: Vad: är det\n"),  # a syntax error
        alter("languages: [sv, en]", "languages: [sv, en"),
        add("- id: x\n  type: text\n  label:\tFörst\n"),  # a tab (libyaml takes it)
        add("- id: x\n  type: text\n  label: Först\x07\n"),  # a control character
        "",
    ]


@pytest.mark.parametrize("which", ["shipped", "faulty"])
def test_libyamls_parser_loads_what_pyyamls_own_loads(monkeypatch, which):
    """yamlsource reads with libyaml's parser (12× faster) where PyYAML has it: every
    value, line and fault is what PyYAML's own parser gives, for every shipped
    definition and for texts it refuses."""
    from pdfforms.model import yamlsource

    assert yamlsource._FAST_LOADER is not None  # the wheel is built with libyaml
    texts = (
        [p.read_text("utf-8") for p in sorted(DEFINITIONS.glob("*.yaml"))]
        if which == "shipped"
        else _bad_texts()
    )
    fast = [yamlsource.load_yaml(t) for t in texts]
    monkeypatch.setattr(yamlsource, "_FAST_LOADER", None)
    own = [yamlsource.load_yaml(t) for t in texts]
    for (a, a_faults), (b, b_faults) in zip(fast, own, strict=True):
        assert a_faults == b_faults
        assert _tree(a) == _tree(b)
    if which == "faulty":
        assert all(faults for _, faults in fast)
