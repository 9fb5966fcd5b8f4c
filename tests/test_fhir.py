"""FHIR R4 in and out (exchange/fhir.py): a Questionnaire becomes a definition that
prints and reads back, a definition becomes a Questionnaire, a returned form a
QuestionnaireResponse. Every resource is checked with `fhir.resources` (R4B, whose
Questionnaire and QuestionnaireResponse are R4's) and with the rules of R4 that its
models do not check (codes of item types, linkIds, enableWhen targets)."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

import pdfforms
from pdfforms.cli import main
from pdfforms.exchange.fhir import (
    CONCEPTS,
    PERSONNUMMER_SYSTEM,
    import_questionnaire,
    options_system,
    questionnaire,
    questionnaire_response,
    questionnaire_url,
)
from pdfforms.exchange.importers import definition_yaml
from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.render import generate
from pdfforms.model.definition import parse_definition
from pdfforms.model.form import leaves
from pdfforms.model.privacy import KEEP, PSEUDONYMISE, Privacy
from pdfforms.model.schema import json_schema
from pdfforms.parse.file import parse
from pdfforms.testing.synthetic import fill_like_pypdf, synthetic_answers

from .conftest import FORM_FILES

fhir = pytest.importorskip("fhir.resources.R4B.questionnaire")
from fhir.resources.R4B.bundle import Bundle  # noqa: E402
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse  # noqa: E402

DATA = Path(__file__).parent / "data" / "fhir"
PNR = "19121212-1212"  # a synthetic respondent (the tests' birth date)
KEY = b"0123456789abcdef0123456789abcdef"
# R4's item types (http://hl7.org/fhir/R4/valueset-item-type.html)
ITEM_TYPES = {
    "group",
    "display",
    "boolean",
    "decimal",
    "integer",
    "date",
    "dateTime",
    "time",
    "string",
    "text",
    "url",
    "choice",
    "open-choice",
    "attachment",
    "reference",
    "quantity",
}
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}


def _items(items):
    for item in items or []:
        yield item
        yield from _items(item.get("item"))


def check_questionnaire(resource: dict) -> None:
    """Valid by fhir.resources, and by the rules of R4 it leaves to us."""
    fhir.Questionnaire.model_validate(resource)
    seen: list[str] = []
    for item in _items(resource.get("item")):
        assert item["type"] in ITEM_TYPES, item
        assert item["linkId"] not in seen, item["linkId"]  # que-2: linkIds are unique
        for test in item.get("enableWhen") or []:
            assert test["operator"] in OPERATORS
            assert test["question"] in seen, test  # an earlier item's answer
        if item["type"] == "display":
            assert "required" not in item and "answerOption" not in item  # que-6
        if item["type"] == "group":
            assert item.get("item"), item["linkId"]  # que-1
        for option in item.get("answerOption") or []:
            coding = option.get("valueCoding")
            if coding is not None:
                assert coding["system"] and coding["code"]
        seen.append(item["linkId"])


def check_response(resource: dict, q: dict | None = None) -> None:
    QuestionnaireResponse.model_validate(resource)
    assert resource["status"] in ("completed", "in-progress")
    if q is not None:
        links = {i["linkId"]: i for i in _items(q.get("item"))}
        for item in _items(resource.get("item")):
            assert item["linkId"] in links, item["linkId"]
            asked = links[item["linkId"]]
            for answer in item.get("answer") or []:
                (key,) = [k for k in answer if k.startswith("value")]
                if "valueCoding" == key:
                    options = [o["valueCoding"] for o in asked.get("answerOption", [])]
                    assert {
                        "system": answer[key]["system"],
                        "code": answer[key]["code"],
                    } in [{"system": o["system"], "code": o["code"]} for o in options]


def answers_of(resource: dict) -> dict:
    """linkId → its answers' values, codes as (system, code)."""
    out = {}
    for item in _items(resource.get("item")):
        if "answer" in item:
            values = []
            for answer in item["answer"]:
                (key,) = [k for k in answer if k.startswith("value")]
                value = answer[key]
                values.append((value["system"], value["code"]) if key == "valueCoding" else value)
            out.setdefault(item["linkId"], []).extend(values)
    return out


def fill_and_parse(tmp_path: Path, form, answers: dict, lang: str | None = None):
    lang = lang or form.default_language
    filled = fill_like_pypdf(generate(form, lang), answers_to_fields(form, answers, lang))
    path = tmp_path / f"{form.id}-{lang}.pdf"
    path.write_bytes(filled)
    return parse(path)


# ---------------------------------------------------------------------------- export


@pytest.mark.parametrize("name", sorted(FORM_FILES))
def test_every_shipped_form_is_a_valid_questionnaire(forms, name):
    form = forms[name]
    notes: list[str] = []
    resource = questionnaire(form, notes)
    check_questionnaire(resource)
    assert notes == []  # every condition of the shipped forms is said in enableWhen
    assert resource["url"] == questionnaire_url(form.id)
    assert resource["version"] == form.version
    links = {i["linkId"] for i in _items(resource["item"])}
    assert {q.id for q in form.answerable} <= links
    assert resource["language"] == form.default_language


def test_the_export_carries_every_language_options_and_conditions(forms):
    form = forms["patient"]
    resource = questionnaire(form)
    items = {i["linkId"]: i for i in _items(resource["item"])}
    q = form.question("fast_vardkontakt")
    item = items[q.id]
    langs = {
        e["extension"][0]["valueCode"]: e["extension"][1]["valueString"]
        for e in item["_text"]["extension"]
    }
    assert item["text"] == q.label["sv"]
    assert langs == {lang: text for lang, text in q.label.items() if lang != "sv"}
    codes = [o["valueCoding"]["code"] for o in item["answerOption"]]
    assert codes == [o.value for o in q.choices]
    assert {o["valueCoding"]["system"] for o in item["answerOption"]} == {options_system(form, q)}
    # every condition as enableWhen, naming the earlier question and its coded answer
    for asked in form.answerable:
        rule = form.condition_of(asked)
        if rule is None or form.section_of(asked).enable_when is not None:
            continue
        tests = items[asked.id]["enableWhen"]
        assert {t["question"] for t in tests} == {c.question for c in leaves(rule)}


def test_the_skr_questions_carry_one_code_on_both_forms(forms):
    """The seven SKR questions: the same system and code on the patient's and the
    unit's form, so answers from both (and from other tools) can be joined."""

    def skr(resource):
        return {
            (c["system"], c["code"]): i["linkId"]
            for i in _items(resource["item"])
            for c in i.get("code") or []
        }

    patient = skr(questionnaire(forms["patient"]))
    unit = skr(questionnaire(forms["unit"]))
    expected = {(CONCEPTS, f"skr-7-{n}") for n in range(1, 8)}
    assert expected <= set(patient) and expected <= set(unit)


# ---------------------------------------------------------------------------- import


@pytest.mark.parametrize("name", ["patient", "unit", "vardplan"])
def test_a_shipped_form_comes_back_from_its_questionnaire(tmp_path, forms, name):
    """definition → Questionnaire → definition: the same questions, answers, codes,
    conditions and languages (grids come back as grids, groups as groups)."""
    form = forms[name]
    path = tmp_path / "q.json"
    path.write_text(json.dumps(questionnaire(form)), "utf-8")
    definition, notes = import_questionnaire(path)
    again, faults = parse_definition(definition_yaml(definition, notes), "again.yaml", True)
    assert faults == []
    assert again.languages == form.languages
    assert [q.id for q in again.answerable] == [q.id for q in form.answerable]
    for q in form.answerable:
        b = again.question(q.id)
        assert b.type == q.type, q.id
        assert b.label == q.label
        assert b.required == q.required
        assert [o.value for o in b.choices] == [o.value for o in q.choices], q.id
        assert [r.id for r in b.rows] == [r.id for r in q.rows]
        assert [i.id for i in b.items] == [i.id for i in q.items]
        assert (b.code_system, b.code) == ((CONCEPTS if q.code else None), q.code)
        assert again.condition_of(b) == form.condition_of(q), q.id


QUESTIONNAIRE = {
    "resourceType": "Questionnaire",
    "id": "besok-test",
    "url": "https://example.org/Questionnaire/besok-test",
    "version": "3",
    "status": "active",
    "language": "sv",
    "title": "Efter besöket",
    "_title": {
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [
                    {"url": "lang", "valueCode": "en"},
                    {"url": "content", "valueString": "After the visit"},
                ],
            }
        ]
    },
    "item": [
        {
            "linkId": "1",
            "text": "Om besöket",
            "type": "group",
            "required": True,
            "item": [
                {
                    "linkId": "1.1",
                    "text": "Fick du den hjälp du behövde?",
                    "type": "boolean",
                    "required": True,
                },
                {
                    "linkId": "1.2",
                    "text": "Hur nöjd är du?",
                    "type": "choice",
                    "code": [{"system": "http://snomed.info/sct", "code": "248260006"}],
                    "answerOption": [
                        {
                            "valueCoding": {
                                "system": "https://example.org/nojd",
                                "code": "mycket",
                                "display": "Mycket nöjd",
                            }
                        },
                        {
                            "valueCoding": {
                                "system": "https://example.org/nojd",
                                "code": "inte",
                                "display": "Inte nöjd",
                            }
                        },
                    ],
                },
                {
                    "linkId": "1.3",
                    "text": "Vad kunde ha varit bättre?",
                    "type": "text",
                    "enableWhen": [
                        {
                            "question": "1.2",
                            "operator": "=",
                            "answerCoding": {"system": "https://example.org/nojd", "code": "inte"},
                        }
                    ],
                },
                {"linkId": "1.4", "text": "Antal besök i år", "type": "integer"},
                {
                    "linkId": "1.5",
                    "text": "Vilka vägar använde du?",
                    "type": "choice",
                    "repeats": True,
                    "answerOption": [{"valueString": "Telefon"}, {"valueString": "1177"}],
                },
                {"linkId": "1.6", "text": "Datum", "type": "date"},
                {"linkId": "1.7", "text": "Vikt", "type": "quantity"},
                {
                    "linkId": "1.7.1",
                    "text": "Poäng",
                    "type": "integer",
                    "extension": [
                        {
                            "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden",
                            "valueBoolean": True,
                        }
                    ],
                },
                {
                    "linkId": "1.8",
                    "text": "Läkemedel",
                    "type": "choice",
                    "answerValueSet": "http://example.org/ValueSet/lakemedel",
                },
                {
                    "linkId": "1.9",
                    "text": "Fler besök än fem?",
                    "type": "string",
                    "initial": [{"valueString": "nej"}],
                    "enableWhen": [{"question": "1.4", "operator": ">", "answerInteger": 5}],
                },
                {
                    "linkId": "1.10",
                    "text": "Varför?",
                    "type": "string",
                    "enableWhen": [
                        {"question": "1.6", "operator": ">", "answerDate": "2026-01-01"}
                    ],
                },
            ],
        }
    ],
}


def test_import_lists_each_thing_it_cannot_carry_over(tmp_path):
    path = tmp_path / "besok.json"
    path.write_text(json.dumps(QUESTIONNAIRE), "utf-8")
    definition, notes = import_questionnaire(path)
    joined = "\n".join(notes)
    assert "item 1.7 (type quantity): not supported, left out" in notes
    assert "item 1.8: answerValueSet http://example.org/ValueSet/lakemedel" in joined
    assert "item 1.9: initial answer not carried over" in joined
    assert "item 1.7.1: hidden (questionnaire-hidden), not for the respondent; left out" in notes
    assert "item 1: a required group (at least one answer) cannot be expressed" in joined
    assert "item 1.10: the condition on 1.6 (operator >)" in joined
    # one en translation missing for every text but the title: each says so
    assert "item 1.1: no en text; the sv text is used" in notes
    text = definition_yaml(definition, notes, str(path))
    form, faults = parse_definition(text, "besok.yaml", printable=True)
    assert faults == []
    assert [line[4:] for line in text.splitlines() if line.startswith("#   ")] == notes
    assert form.languages == ["sv", "en"] and form.title == {
        "sv": "Efter besöket",
        "en": "After the visit",
    }
    assert [q.type for q in form.answerable] == [
        "yesno",
        "single",
        "textarea",
        "number",
        "multiple",
        "date",
        "text",  # 1.8: its value set cannot be read offline, so its answer is written
        "text",
        "text",
    ]
    q = form.question("q_1_2")
    assert (q.code_system, q.code) == ("http://snomed.info/sct", "248260006")
    assert q.options[1].code == ("https://example.org/nojd", "inte")
    assert form.condition_of(form.question("q_1_3")).values == ("inte",)
    assert form.condition_of(form.question("q_1_9")).more_than == 5
    assert form.condition_of(form.question("q_1_10")) is None
    assert form.question("q_1_1").required


def test_the_command_prints_the_notes_and_writes_a_valid_definition(tmp_path):
    path = tmp_path / "besok.json"
    path.write_text(json.dumps(QUESTIONNAIRE), "utf-8")
    out = tmp_path / "besok.yaml"
    result = CliRunner().invoke(main, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{path}: item 1.7 (type quantity): not supported, left out" in result.stderr
    assert out.read_text("utf-8").startswith("# Made by 'pdfforms import' from besok.json.")
    result = CliRunner().invoke(main, ["validate", str(out)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "name,content,says",
    [
        ("a.json", "{", "is not JSON"),
        ("a.json", '{"resourceType": "Patient"}', "is not a FHIR Questionnaire"),
        ("a.json", '{"resourceType": "Questionnaire", "item": []}', "no questions"),
        ("a.txt", "x", "unknown kind of file (.txt)"),
    ],
)
def test_a_file_import_cannot_take_is_one_line_naming_it(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_text(content, "utf-8")
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr
    assert says in result.stderr


# ------------------------------------------------------------------------- responses


def test_a_questionnaire_round_trips_to_a_response_with_the_filled_answers(tmp_path):
    """Questionnaire → definition → PDF → filled (as pypdf fills) → parse →
    QuestionnaireResponse: every filled answer, coded in the Questionnaire's own
    codes where it had them."""
    path = tmp_path / "besok.json"
    path.write_text(json.dumps(QUESTIONNAIRE), "utf-8")
    definition, notes = import_questionnaire(path)
    form, faults = parse_definition(definition_yaml(definition, notes), "besok.yaml", True)
    assert faults == []
    for seed in range(3):
        answers = synthetic_answers(form, random.Random(seed), blank_rate=0.1)
        response = fill_and_parse(tmp_path, form, answers, lang=["sv", "en"][seed % 2])
        assert response.answers == answers
        resource = questionnaire_response(response)
        check_response(resource, questionnaire(form))
        got = answers_of(resource)
        for q in form.answerable:
            value = answers[q.id]
            if value in (None, []):
                assert q.id not in got
            elif q.id == "q_1_2":
                option = next(o for o in q.options if o.value == value)
                assert got[q.id] == [option.code]  # the Questionnaire's own coding
            elif q.type == "multiple":
                assert got[q.id] == [(options_system(form, q), v) for v in value]
            elif q.type == "yesno":
                assert got[q.id] == [value]
            else:
                assert got[q.id] == [value], q.id
        assert resource["authored"] == answers["q_1_6"] if answers["q_1_6"] else True


def test_the_public_hunger_vital_sign_becomes_a_pdf_that_reads_back(tmp_path):
    """HL7's SDC example (tests/data/fhir/README.md): imported, printed, filled and
    read back as a QuestionnaireResponse with LOINC's answer codes."""
    source = DATA / "hunger-vital-signs.json"
    original = json.loads(source.read_text("utf-8"))
    check_questionnaire(original)
    definition, notes = import_questionnaire(source)
    assert any("/88124-3" in n and "read-only" in n for n in notes)  # the calculated risk
    form, faults = parse_definition(definition_yaml(definition, notes), "hvs.yaml", True)
    assert faults == []
    # the JSON Schema editors check with knows `code: {system, code}` too
    jsonschema.validate(yaml.safe_load(definition_yaml(definition, notes)), json_schema())
    first, second = form.answerable
    assert first.type == "dropdown" and (first.code_system, first.code) == (
        "http://loinc.org",
        "88122-7",
    )
    answers = {first.id: "LA6729_3", second.id: "LA28398_8"}
    response = fill_and_parse(tmp_path, form, answers)
    assert response.answers == answers and response.problems == []
    resource = questionnaire_response(response)
    check_response(resource)
    got = answers_of(resource)
    assert got[first.id] == [("http://loinc.org", "LA6729-3")]
    assert got[second.id] == [("http://loinc.org", "LA28398-8")]
    assert resource["status"] == "completed"


@pytest.mark.parametrize("seed", [0, 1])
def test_the_public_cardiology_form_as_published_becomes_a_pdf_that_reads_back(tmp_path, seed):
    """HL7's SDC Cardiology form, the JSON as the guide publishes it (not written by us;
    tests/data/fhir/README.md): 122 questions in nested groups, LOINC- and
    SNOMED-coded options, enableWhen. Imported with its notes, printed, filled with
    synthetic answers, read back, and written as a QuestionnaireResponse that
    validates against the Questionnaire our export makes of the imported form."""
    source = DATA / "Questionnaire-CardiologyForm.json"
    # not validated itself: it is SDC's input, and its rendering extensions put a
    # primitive's extension (`_valueString`) inside an extension, which
    # fhir.resources' R4B model refuses; what we write is validated below
    assert json.loads(source.read_text("utf-8"))["resourceType"] == "Questionnaire"
    definition, notes = import_questionnaire(source)
    assert notes and all(isinstance(n, str) and n.strip() for n in notes)
    form, faults = parse_definition(definition_yaml(definition, notes), "cardio.yaml", True)
    assert faults == []
    assert len(form.answerable) > 100
    answers = synthetic_answers(form, random.Random(seed), blank_rate=0.2)
    response = fill_and_parse(tmp_path, form, answers)
    assert response.answers == answers
    resource = questionnaire_response(response)
    check_response(resource, questionnaire(form))
    published = {
        (o["valueCoding"]["system"], o["valueCoding"]["code"])
        for item in _items(json.loads(source.read_text("utf-8"))["item"])
        for o in item.get("answerOption") or []
        if "valueCoding" in o
    }
    coded = [v for values in answers_of(resource).values() for v in values if isinstance(v, tuple)]
    # a choice keeps the form's own coding (SNOMED, LOINC, ...); options the form gave
    # as plain strings are coded in the project's system for the imported form
    assert any(pair in published for pair in coded)
    assert all(pair in published or "pdfforms.invalid" in pair[0] for pair in coded)


def test_personnummer_and_subject_follow_the_datasets_policy(tmp_path, forms):
    form = forms["patient"]
    answers = synthetic_answers(form, random.Random(7), blank_rate=0)
    answers["personnummer"] = PNR
    response = fill_and_parse(tmp_path, form, answers)
    assert response.answers["personnummer"] == PNR

    dropped = questionnaire_response(response)
    check_response(dropped, questionnaire(form))
    assert "subject" not in dropped and "personnummer" not in answers_of(dropped)
    assert "191212" not in json.dumps(dropped)

    pseudonym = questionnaire_response(response, privacy=Privacy(PSEUDONYMISE, KEY))
    check_response(pseudonym)
    assert "subject" not in pseudonym  # a pseudonym is not a personnummer
    assert answers_of(pseudonym)["personnummer"][0].startswith("pn:")

    kept = questionnaire_response(response, privacy=Privacy(KEEP))
    check_response(kept)
    assert kept["subject"] == {
        "identifier": {"system": PERSONNUMMER_SYSTEM, "value": PNR.replace("-", "")}
    }
    assert kept["authored"] == answers["datum"]
    assert kept["questionnaire"] == f"{questionnaire_url(form.id)}|{form.version}"
    # the API's words for the same: a key file, as extract takes it
    key_file = tmp_path / "nyckel.key"
    key_file.write_bytes(KEY)
    assert pdfforms.questionnaire_response(response, pseudonymise_key=key_file) == pseudonym
    assert pdfforms.questionnaire_response(response, keep_personnummer=True) == kept


def test_status_is_in_progress_while_something_is_open(tmp_path, forms):
    form = forms["patient"]
    answers = synthetic_answers(form, random.Random(3), blank_rate=0)
    response = fill_and_parse(tmp_path, form, answers)
    obj = response.to_json()
    assert questionnaire_response(obj, form)["status"] == "completed"
    with_error = copy.deepcopy(obj)
    with_error["problems"].append(
        {"question": "datum", "code": "invalid_date", "severity": "error", "message": "x"}
    )
    assert questionnaire_response(with_error, form)["status"] == "in-progress"
    with_review = copy.deepcopy(obj)
    with_review["review"].append({"question": "datum", "reason": "handwriting"})
    assert questionnaire_response(with_review, form)["status"] == "in-progress"
    warned = copy.deepcopy(obj)
    warned["problems"].append(
        {"question": "datum", "code": "should_be_skipped", "severity": "warning", "message": "x"}
    )
    assert questionnaire_response(warned, form)["status"] == "in-progress"
    unit = copy.deepcopy(obj)  # a warning about the copy's unit, not its answers
    unit["problems"].append(
        {"question": None, "code": "unit_from_ledger", "severity": "warning", "message": "x"}
    )
    assert questionnaire_response(unit, form)["status"] == "completed"


def test_no_date_question_means_no_authored(tmp_path, forms):
    form = forms["unit"]
    answers = synthetic_answers(form, random.Random(5))
    resource = questionnaire_response(fill_and_parse(tmp_path, form, answers))
    assert "authored" not in resource  # never the file's time


def test_parse_and_extract_write_fhir(tmp_path, forms):
    form = forms["patient"]
    folder = tmp_path / "inkommet"
    folder.mkdir()
    for seed in range(2):
        answers = synthetic_answers(form, random.Random(seed))
        filled = fill_like_pypdf(generate(form, "sv"), answers_to_fields(form, answers, "sv"))
        (folder / f"{seed}.pdf").write_bytes(filled)
    runner = CliRunner()
    result = runner.invoke(main, ["parse", str(folder / "0.pdf"), "--format", "fhir"])
    assert result.exit_code == 0, result.output
    one = json.loads(result.stdout)
    check_response(one, questionnaire(form))

    out = tmp_path / "svar.json"
    result = runner.invoke(main, ["extract", str(folder), "-o", str(out), "--format", "fhir"])
    assert result.exit_code == 0, result.output
    bundle = json.loads(out.read_text("utf-8"))
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection" and len(bundle["entry"]) == 2
    for entry in bundle["entry"]:
        check_response(entry["resource"], questionnaire(form))
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"
        assert "subject" not in entry["resource"]  # extract's default: left out
    assert one["id"] in {e["resource"]["id"] for e in bundle["entry"]}
    assert (tmp_path / "svar.ledger.csv").exists() and (tmp_path / "svar.codebook.csv").exists()
    # the report reads the other formats, and says so of a Bundle
    result = runner.invoke(main, ["report", str(out), "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2 and "is a FHIR Bundle" in result.stderr

    result = runner.invoke(
        main, ["extract", str(folder), "-o", str(tmp_path / "s.csv"), "--format", "fhir"]
    )
    assert result.exit_code == 2 and "name the output .json" in result.stderr


def test_export_command_writes_the_questionnaire(tmp_path):
    out = tmp_path / "q.json"
    result = CliRunner().invoke(
        main, ["export", "--fhir", str(FORM_FILES["patient"]), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    check_questionnaire(json.loads(out.read_text("utf-8")))
    result = CliRunner().invoke(main, ["export", str(FORM_FILES["patient"])])
    assert result.exit_code == 2 and "--fhir" in result.stderr


# ------------------------------------------------------------------- the definition


@pytest.mark.parametrize(
    "code,says",
    [
        ("{system: loinc, code: '1'}", "is not an absolute URI"),
        ("{system: 'http://loinc.org', code: ' 1'}", "no space at either end"),
        ("{system: 'http://loinc.org'}", "code must be a word"),
        ("{system: 'http://loinc.org', code: '1', display: x}", "code must be a word"),
    ],
)
def test_a_code_with_a_system_is_checked(code, says):
    text = f"""
form: f
version: "1"
languages: [sv]
title: T
sections:
  - id: s
    questions:
      - id: q
        type: yesno
        label: Q
        code: {code}
"""
    form, faults = parse_definition(text)
    assert form is None and says in str(faults[0]) and faults[0].line == 12  # the line of `code:`


def test_an_option_may_carry_a_code_of_another_system():
    text = """
form: f
version: "1"
languages: [sv]
title: T
sections:
  - id: s
    questions:
      - id: q
        type: single
        label: Q
        code: {system: "http://loinc.org", code: "88122-7"}
        options:
          - {value: a, label: A, code: {system: "http://loinc.org", code: "LA28397-0"}}
          - {value: b, label: B}
"""
    form, faults = parse_definition(text)
    assert faults == []
    q = form.question("q")
    assert (q.code_system, q.code) == ("http://loinc.org", "88122-7")
    assert [o.code for o in q.options] == [("http://loinc.org", "LA28397-0"), None]
    item = questionnaire(form)["item"][0]["item"][0]
    assert item["code"] == [{"system": "http://loinc.org", "code": "88122-7"}]
    assert [o["valueCoding"]["system"] for o in item["answerOption"]] == [
        "http://loinc.org",
        options_system(form, q),
    ]
    assert yaml.safe_load(text)["sections"][0]["questions"][0]["code"]["code"] == "88122-7"


def test_the_codebook_names_each_codes_system(forms):
    """The SKR questions' code with its system in the dataset's codebook, as in FHIR."""
    from pdfforms.dataset.columns import FormTable, codebook_columns, codebook_rows

    form = forms["patient"]
    header = codebook_columns(form.languages)
    rows = [
        dict(zip(header, r, strict=True))
        for r in codebook_rows("svar", FormTable([form], Privacy()), form.languages)
    ]
    skr = {r["code"]: r["code_system"] for r in rows if r["code"]}
    assert skr == {f"skr-7-{n}": CONCEPTS for n in range(1, 8)}
    assert all(r["code_system"] is None for r in rows if not r["code"])


CONDITIONS = """
form: f
version: "1"
languages: [sv]
title: T
sections:
  - id: s
    questions:
      - {id: a, type: single, label: A, options: [{value: x, label: X}, {value: y, label: Y}]}
      - {id: n, type: number, label: N, decimals: 0}
      - {id: one_of, type: text, label: T, enable_when: {question: a, in: [x, y]}}
      - {id: between, type: text, label: T, enable_when: {question: n, at_least: 1, at_most: 3}}
      - {id: none_of, type: text, label: T, enable_when: {not: {question: a, in: [x, y]}}}
      - id: both
        type: text
        label: T
        enable_when: {all: [{question: a, equals: x}, {question: n, more_than: 2}]}
      - id: any_not
        type: text
        label: T
        enable_when: {any: [{question: n, at_least: 1}, {not: {question: a, in: [x, y]}}]}
      - id: all_in
        type: text
        label: T
        enable_when: {all: [{question: a, in: [x, y]}, {question: n, less_than: 9}]}
"""


def test_conditions_are_enable_when_or_a_note_never_a_narrower_question():
    form, faults = parse_definition(CONDITIONS)
    assert faults == []
    notes: list[str] = []
    resource = questionnaire(form, notes)
    check_questionnaire(resource)
    items = {i["linkId"]: i for i in _items(resource["item"])}
    system = options_system(form, form.question("a"))

    def said(link):
        item = items[link]
        tests = [
            (
                t["question"],
                t["operator"],
                t.get("answerCoding", {}).get("code", t.get("answerInteger")),
            )
            for t in item.get("enableWhen", [])
        ]
        return tests, item.get("enableBehavior")

    assert said("one_of") == ([("a", "=", "x"), ("a", "=", "y")], "any")
    assert said("between") == ([("n", ">=", 1), ("n", "<=", 3)], "all")
    assert said("none_of") == ([("a", "!=", "x"), ("a", "!=", "y")], "all")
    assert said("both") == ([("a", "=", "x"), ("n", ">", 2)], "all")
    assert items["one_of"]["enableWhen"][0]["answerCoding"]["system"] == system
    # `any` with a `not` of several values, `all` with an `in` of several: FHIR's flat
    # enableWhen cannot say them; the item is asked of everyone and a note says so
    assert said("any_not") == ([], None) and said("all_in") == ([], None)
    assert notes == [
        "any_not: the condition cannot be said with FHIR's enableWhen; the question is "
        "asked of everyone in the export",
        "all_in: the condition cannot be said with FHIR's enableWhen; the question is "
        "asked of everyone in the export",
    ]
