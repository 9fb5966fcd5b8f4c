"""Raw field values → answers and problems (SPEC §1 and §4), without any PDF."""

from __future__ import annotations

import datetime

import pytest

from pdfforms.parse import respond

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def form(forms):
    return forms["all_types"]


def run(form, **fields):
    base = {"namn": "Bo"}  # the one required question, so problems are only the tested ones
    return respond(form, base | fields, "sv", today=TODAY)


def codes(problems):
    return [(p.question, p.code, p.severity) for p in problems]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2026-03-05", "2026-03-05"),
        ("20260305", "2026-03-05"),
        ("260305", "2026-03-05"),
        ("5/3 2026", "2026-03-05"),
        ("5/3-2026", "2026-03-05"),
        ("5.3.2026", "2026-03-05"),
        ("5 mars 2026", "2026-03-05"),
        ("5:e mars 2026", "2026-03-05"),
        (" 2026/03/05 ", "2026-03-05"),
    ],
)
def test_dates_as_swedes_write_them(form, text, expected):
    answers, problems = run(form, besok=text)
    assert answers["besok"] == expected
    assert problems == []


def test_impossible_date_is_an_error_quoting_the_text(form):
    answers, problems = run(form, besok="31/2 2026")
    assert answers["besok"] is None
    assert codes(problems) == [("besok", "invalid_date", "error")]
    assert "'31/2 2026'" in problems[0].message


def test_date_out_of_range_keeps_value_and_reports(form):
    answers, problems = run(form, besok="1999-12-31")
    assert answers["besok"] == "1999-12-31"
    assert codes(problems) == [("besok", "out_of_range", "error")]
    assert "'1999-12-31'" in problems[0].message


@pytest.mark.parametrize(
    "text,expected", [("71,5", 71.5), ("71.5", 71.5), ("80", 80.0), (" 1 00,0 ", None)]
)
def test_decimal_numbers(form, text, expected):
    answers, problems = run(form, vikt=text)
    if expected is None:
        assert answers["vikt"] is None and codes(problems) == [("vikt", "invalid_number", "error")]
        assert repr(text) in problems[0].message
    else:
        assert answers["vikt"] == expected and isinstance(answers["vikt"], float)
        assert problems == []


def test_whole_numbers_are_json_integers(form):
    answers, problems = run(form, antal="4")
    assert answers["antal"] == 4 and isinstance(answers["antal"], int)
    answers, problems = run(form, antal="4,5")
    assert answers["antal"] is None
    assert (
        codes(problems) == [("antal", "invalid_number", "error")] and "'4,5'" in problems[0].message
    )


def test_number_out_of_range(form):
    answers, problems = run(form, antal="31")
    assert answers["antal"] == 31
    assert codes(problems) == [("antal", "out_of_range", "error")]


def test_too_many_decimals_is_a_warning(form):
    answers, problems = run(form, vikt="71,25")
    assert answers["vikt"] == 71.25
    assert codes(problems) == [("vikt", "too_many_decimals", "warning")]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("19121212-1212", "19121212-1212"),
        ("191212121212", "19121212-1212"),
        ("19121212 1212", "19121212-1212"),
        ("121212+1212", "19121212-1212"),
        # ten digits without '+': the latest century that is not in the future
        ("121212-1212", "20121212-1212"),
        ("1212121212", "20121212-1212"),
        (" 121212–1212 ", "20121212-1212"),
    ],
)
def test_personnummer_spellings(form, text, expected):
    answers, problems = run(form, pnr=text)
    assert answers["pnr"] == expected and problems == []


def test_samordningsnummer(form):
    answers, problems = run(form, pnr="19121272-1219")  # day 12 + 60
    assert problems == [] and answers["pnr"] == "19121272-1219"


def test_personnummer_bad_checksum(form):
    answers, problems = run(form, pnr="19121212-1213")
    assert answers["pnr"] is None
    assert codes(problems) == [("pnr", "invalid_personnummer", "error")]
    assert "'19121212-1213'" in problems[0].message


def test_required_blank_is_an_error(form):
    answers, problems = respond(form, {"namn": "   "}, "sv", today=TODAY)
    assert answers["namn"] is None
    assert codes(problems) == [("namn", "required", "error")]


def test_text_over_max_length_is_kept_with_a_warning(form):
    answers, problems = run(form, namn="x" * 41)
    assert answers["namn"] == "x" * 41
    assert codes(problems) == [("namn", "too_long", "warning")]


def test_answer_to_skipped_question_is_kept_as_warning(form):
    answers, problems = run(form, roker="no", hur_mycket="lite")
    assert answers["roker"] is False and answers["hur_mycket"] == "lite"
    assert codes(problems) == [("hur_mycket", "should_be_skipped", "warning")]


def test_required_only_when_its_condition_holds(form):
    answers, problems = run(form, roker="no")
    assert problems == []
    answers, problems = run(form, roker="yes")
    assert codes(problems) == [("hur_mycket", "required", "error")]


def test_condition_on_a_scale(form):
    _, problems = run(form, smak="7", smak_varfor="Gott")
    assert codes(problems) == [("smak_varfor", "should_be_skipped", "warning")]
    _, problems = run(form, smak="1", smak_varfor="Salt")
    assert problems == []


def test_single_other_by_text_alone(form):
    answers, problems = run(form, roker="yes", hur_mycket__other_text="Ibland på fest")
    assert answers["hur_mycket"] == "other"
    assert answers["hur_mycket__other_text"] == "Ibland på fest"
    assert problems == []


def test_single_other_text_beside_another_choice(form):
    answers, problems = run(form, roker="yes", hur_mycket="lite", hur_mycket__other_text="x")
    assert answers["hur_mycket"] == "lite" and answers["hur_mycket__other_text"] == "x"
    assert codes(problems) == [("hur_mycket", "other_text_not_chosen", "warning")]


def test_multiple_other_by_text_and_definition_order(form):
    answers, problems = run(form, frukt__banan="Yes", frukt__apple="On", frukt__other_text="Lingon")
    assert answers["frukt"] == ["apple", "banan", "other"]
    assert problems == []


def test_multiple_too_many_choices(form):
    answers, problems = run(
        form, frukt__banan="Yes", frukt__apple="Yes", frukt__paron="Yes", frukt__other="Yes"
    )
    assert codes(problems) == [("frukt", "too_many_choices", "error")]


def test_grid_rows_and_unknown_cell_value(form):
    answers, problems = run(form, vanor__promenad="alltid", vanor__laser="varje_dag")
    assert answers["vanor"] == {"promenad": "alltid", "laser": None, "sjunger": None}
    assert codes(problems) == [("vanor", "unknown_value", "error")]
    assert "'varje_dag'" in problems[0].message and "laser" in problems[0].message


def test_scale_values(form):
    assert run(form, smak="10")[0]["smak"] == 10
    assert run(form, smak="vet_inte")[0]["smak"] == "vet_inte"


def test_every_question_has_a_key_in_definition_order(form):
    answers, _ = run(form)
    assert list(answers) == form.answer_keys()


@pytest.mark.parametrize(
    "field,question",
    [("roker", "roker"), ("smak", "smak"), ("hur_mycket", "hur_mycket"), ("vanor__laser", "vanor")],
)
def test_two_marks_in_one_radio_group_are_a_problem_not_a_guess(form, field, question):
    answers, problems = respond(
        form,
        {"namn": "Bo", "roker": "yes", field: None},
        "sv",
        today=TODAY,
        multiple={field: ["a", "b"]},
    )
    assert [(p.question, p.code) for p in problems if p.code == "multiple_marks"] == [
        (question, "multiple_marks")
    ]
    value = answers[question]
    assert value is None or (isinstance(value, dict) and value["laser"] is None)


NESTED = """
form: nested
version: "1"
languages: [sv]
title: Nästlade villkor
sections:
  - id: s
    title: Frågor
    questions:
      - {id: har_kontakt, type: yesno, label: "Har du en fast vårdkontakt?"}
      - id: vem
        type: single
        label: Vem är det?
        enable_when: {question: har_kontakt, equals: "yes"}
        options:
          - {value: lakare, label: Läkare}
          - {value: annan, label: Annan}
      - id: lakarens_namn
        type: text
        label: Läkarens namn
        enable_when: {question: vem, equals: lakare}
      - id: hur
        type: multiple
        label: Hur når du läkaren?
        enable_when: {question: vem, equals: lakare}
        options:
          - {value: telefon, label: Telefon}
          - {value: brev, label: Brev}
"""


@pytest.fixture
def nested():
    from pdfforms.model.definition import parse_definition

    form, faults = parse_definition(NESTED, "<nested>")
    assert faults == []
    return form


def test_an_answer_out_of_turn_does_not_make_a_later_question_apply(nested):
    # "vem" is answered though "har_kontakt" is no: that answer cannot make
    # "lakarens_namn" apply, so its answer is out of turn too and is said to be.
    _, problems = respond(
        nested,
        {"har_kontakt": "no", "vem": "lakare", "lakarens_namn": "Dr Berg"},
        "sv",
        today=TODAY,
    )
    assert codes(problems) == [
        ("vem", "should_be_skipped", "warning"),
        ("lakarens_namn", "should_be_skipped", "warning"),
    ]
    assert "did not apply" in problems[1].message
    _, problems = respond(
        nested,
        {"har_kontakt": "yes", "vem": "lakare", "lakarens_namn": "Dr Berg"},
        "sv",
        today=TODAY,
    )
    assert problems == []


def test_option_columns_of_a_question_that_did_not_apply_are_empty_not_zero(nested):
    from pdfforms.dataset.columns import FormTable
    from pdfforms.model.privacy import KEEP, Privacy

    table = FormTable([nested], Privacy(KEEP))
    names = [c.name for c in table.written]

    def cells(answers):
        obj = {
            "form": {"id": "nested", "version": "1", "language": "sv"},
            "serial": None,
            "source": {"file": "a.pdf", "sha256": "0", "kind": "acroform"},
            "answers": answers,
            "problems": [],
            "review": [],
        }
        row = dict(zip(names, table.row(obj, 1), strict=True))
        return row["hur__telefon"], row["hur__brev"]

    base = {"lakarens_namn": None, "hur": []}
    assert cells(base | {"har_kontakt": True, "vem": "lakare"}) == (0, 0)
    # "vem" given out of turn: "hur" was never asked, so its columns stay empty
    assert cells(base | {"har_kontakt": False, "vem": "lakare"}) == (None, None)


def test_raw_values_become_answers_through_one_door():
    """A filled or flattened file, a scan and a review decision all use parse.respond:
    nothing else runs the rules, so no way in can skip or bend one."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "pdfforms"
    runs, callers = [], set()
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            for call in [n for n in ast.walk(fn) if isinstance(n, ast.Call)]:
                name = getattr(call.func, "id", getattr(call.func, "attr", None))
                if name == "_Interpreter":
                    runs.append((path.relative_to(package).as_posix(), fn.name))
                elif name == "respond":
                    callers.add(path.relative_to(package).as_posix())
    assert runs == [("parse/interpret.py", "respond")]
    assert {"parse/file.py", "parse/scan.py", "dataset/decisions.py"} <= callers


def test_a_value_that_is_dropped_is_quoted_whole_in_its_problem(form):
    """The message is the only place the value is kept (SPEC §4): no cut, however long;
    the parsers of typed text cut theirs at MAX_QUOTED (tests/test_coerce.py)."""
    from pdfforms.model.quote import MAX_QUOTED, quote

    value = "x" * (MAX_QUOTED + 500)
    answers, problems = run(form, roker=value)
    assert answers["roker"] is None
    assert codes(problems) == [("roker", "unknown_value", "error")]
    assert repr(value) in problems[0].message
    assert quote(value) == repr(value[: MAX_QUOTED - 1] + "\u2026")
    assert quote(value, limit=None) == repr(value)
