"""generate → fill with pypdf → parse gives back exactly the answers filled."""

from __future__ import annotations

import random

import pytest

from pdfforms.generate.fields import answers_to_fields
from pdfforms.model.rules import blank_answers, is_blank_answer
from pdfforms.parse.file import parse
from pdfforms.testing.synthetic import fill_like_pypdf, synthetic_answers

from .conftest import FORMS_AND_LANGS


def _roundtrip(tmp_path, blank_pdf, form, lang, answers, name="filled.pdf"):
    pdf = blank_pdf(_key(form), lang)
    filled = fill_like_pypdf(pdf, answers_to_fields(form, answers, lang))
    path = tmp_path / name
    path.write_bytes(filled)
    return parse(path)


def _key(form) -> str:
    names = {
        "patient-7-fragor": "patient",
        "verksamhet-7-fragor": "unit",
        "min-vardplan": "vardplan",
    }
    return names.get(form.id, "all_types")


@pytest.mark.parametrize("name,lang", FORMS_AND_LANGS)
@pytest.mark.parametrize("seed", range(4))
def test_synthetic_answers_round_trip(tmp_path, forms, blank_pdf, name, lang, seed):
    form = forms[name]
    answers = synthetic_answers(form, random.Random(seed * 31 + len(name)))
    response = _roundtrip(tmp_path, blank_pdf, form, lang, answers)
    assert response.answers == answers
    assert response.form_id == form.id and response.version == form.version
    assert response.language == lang
    assert response.source["kind"] == "acroform"
    # Synthetic answers are valid: only a required-but-blank can be a problem.
    assert [p for p in response.problems if p.code != "required"] == []


@pytest.mark.parametrize("name,lang", FORMS_AND_LANGS)
def test_blank_form_parses_to_every_key_blank(tmp_path, forms, blank_pdf, name, lang):
    form = forms[name]
    path = tmp_path / "blank.pdf"
    path.write_bytes(blank_pdf(name, lang))
    response = parse(path)
    assert response.answers == blank_answers(form)
    assert list(response.answers) == form.answer_keys()
    required = [q.id for q in form.answerable if q.required and q.enable_when is None]
    assert sorted(p.question for p in response.problems if p.code == "required") == sorted(required)
    assert all(p.severity == "error" for p in response.problems)


def test_every_type_with_swedish_text_other_texts_and_newlines(tmp_path, forms, blank_pdf):
    form = forms["all_types"]
    answers = blank_answers(form) | {
        "namn": "Åsa-Märta Öhrn – “Fido” €",
        "beskrivning": "Första raden: ärtsoppa.\nAndra raden – pannkakor!\n\nFjärde efter tom rad.",
        "antal": 4,
        "vikt": 71.5,
        "besok": "2026-02-28",
        "pnr": "19121212-1212",
        "roker": True,
        "hur_mycket": "other",
        "hur_mycket__other_text": "Bara på midsommar",
        "frukt": ["apple", "banan", "other"],
        "frukt__other_text": "Lingon & hjortron",
        "smak": 0,
        "vanor": {"promenad": "alltid", "laser": None, "sjunger": "aldrig"},
        "lan": "Z",
        "smak_varfor": "För salt.\nMen ändå.",
    }
    response = _roundtrip(tmp_path, blank_pdf, form, "sv", answers)
    assert response.answers == answers
    assert response.problems == []


def test_scale_not_applicable_and_yes_no_false(tmp_path, forms, blank_pdf):
    form = forms["all_types"]
    answers = blank_answers(form) | {
        "namn": "Bo",
        "roker": False,
        "smak": "vet_inte",
        "frukt": ["paron"],
    }
    response = _roundtrip(tmp_path, blank_pdf, form, "en", answers)
    assert response.answers == answers
    assert response.problems == []


def test_synthetic_respondents_never_answer_a_skipped_question(forms):
    form = forms["all_types"]
    for seed in range(50):
        answers = synthetic_answers(form, random.Random(seed))
        if answers["roker"] is not True:
            assert is_blank_answer(answers["hur_mycket"])
