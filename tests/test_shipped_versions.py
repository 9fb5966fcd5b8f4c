"""The shipped forms' versions (issue 16): SKR's seven questions in SKR's words and
numbered 1–7 on both forms, the unit form's answer scales fit their questions, and
copies printed from an older version are still read with it.
"""

from __future__ import annotations

import pytest

from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.fill import fill_pdf
from pdfforms.generate.render import generate
from pdfforms.model.definition import load_form, parse_definition
from pdfforms.model.layout import build_layout
from pdfforms.model.library import FormLibrary
from pdfforms.model.rules import blank_answers
from pdfforms.parse.file import parse
from pdfforms.parse.resolve import resolve_form
from pdfforms.read.raw import RawForm

from .conftest import DEFINITIONS, FORM_FILES

# SKR's published wording ("7 frågor", skr.se: Patientkontrakt, Metodstöd uppföljning,
# 2022), question n at index n - 1.
SKR_PATIENT = [
    "Känner du att du kan ha fokus på att leva livet och litar på att du lätt får hjälp "
    "från vården när du behöver det?",
    "Har du en överenskommelse med vården som utgår från vad som är viktigt för dig, där du "
    "vet vad du gör för att må bra, vad du gör om du blir sjuk och vad vården gör?",
    "Har du enkla sätt att ta kontakt med vården?",
    "Har du en fast vårdkontakt (vid behov)?",
    "Vet du ditt nästa steg?",
    "Har du och vården kommit överens om din nästa tid tillsammans?",
    "Har du en överblick av dina olika planer i vården och hjälp med samordning vid behov?",
]
SKR_UNIT = [
    "Vet ni om era patienter känner att de kan ha fokus på att leva livet och litar på att "
    "de lätt får hjälp från er när de behöver det?",
    "Har ni en överenskommelse med patienterna som utgår från vad som är viktigt för dem, "
    "där de vet vad de ska göra för att må bra, vad de ska göra om de blir sjuka och vad ni "
    "i vården ska göra?",
    "Har patienterna enkla sätt att ta kontakt med er?",
    "Erbjuder ni patienterna en fast vårdkontakt (vid behov)?",
    "Vet patienterna alltid sitt nästa steg?",
    "Har ni och patienten tillsammans kommit överens om tiden för nästa kontakt?",
    "Har era patienter en överblick av sina olika planer i vården och får hjälp med "
    "samordning vid behov?",
]


@pytest.mark.parametrize("name,wording", [("patient", SKR_PATIENT), ("unit", SKR_UNIT)])
def test_skrs_seven_questions_are_1_to_7_in_skrs_words(forms, name, wording):
    form = forms[name]
    skr = [q for q in form.answerable if (q.code or "").startswith("skr-7-")]
    assert [q.code for q in skr] == [f"skr-7-{n}" for n in range(1, 8)]
    assert [q.number for q in skr] == list(range(1, 8))
    assert [q.label["sv"] for q in skr] == wording
    # printed so, on paper and to a screen reader
    layout = build_layout(form, "sv")
    printed = {
        t.role[1]: t.text for p in layout.pages for t in p.texts if t.role[:1] == ("number",)
    }
    assert [printed[q.id] for q in skr] == [f"{n}." for n in range(1, 8)]
    widgets = {w.question: w.tooltip for w in layout.widgets()}
    assert [widgets[q.id] for q in skr] == [f"{n}. {w}" for n, w in enumerate(wording, 1)]


def test_the_questions_before_skrs_are_printed_without_a_number(forms):
    for name, first in (("patient", "viktigast_nu"), ("unit", "enhetens_namn")):
        form = forms[name]
        assert not form.sections[0].numbered
        q = form.question(first)
        assert q.number is None
        layout = build_layout(form, "sv")
        assert not [t for p in layout.pages for t in p.texts if t.role == ("number", q.id)]
        [tooltip] = {w.tooltip for w in layout.widgets() if w.question == q.id}
        assert tooltip == q.label["sv"]  # no "None. " before it


def _labels(q, lang="sv") -> list[str]:
    return [o.label[lang] for o in q.choices]


def test_the_unit_forms_answers_fit_its_questions(forms):
    unit = forms["unit"]
    skr = [q for q in unit.answerable if (q.code or "").startswith("skr-7-")]
    for q in skr:
        labels = _labels(q)
        if q.label["sv"].startswith("Vet ni om"):
            # "Do you know whether …?" is answered by whether you know
            assert labels == ["Ja, vi vet", "Delvis", "Nej, men vi ska ta reda på det", "Nej"]
        else:
            assert labels[:4] == ["Ja, fullt ut", "Delvis", "Nej, men planerat", "Nej"], q.id
    # what the unit may not know of its patients may be answered "Vet inte"
    knows_not = {q.id for q in skr if "vet_inte" in q.choice_values}
    assert knows_not == {"nasta_steg", "overblick_planer"}
    assert [_labels(unit.question(q), "en")[-1] for q in sorted(knows_not)] == ["Don't know"] * 2
    # the patients may say "Vet inte" to each of the seven, as before
    patient = forms["patient"]
    assert all(
        "vet_inte" in q.choice_values
        for q in patient.answerable
        if (q.code or "").startswith("skr-7-")
    )


@pytest.mark.parametrize("name", ["patient", "unit"])
def test_the_old_version_stays_beside_the_new(name):
    old = load_form(DEFINITIONS / f"{name}-v1.yaml")
    new = load_form(FORM_FILES[name])
    assert (old.id, old.version, new.version) == (new.id, "1", "2")
    library = FormLibrary.from_dirs([DEFINITIONS])
    assert library.versions(new.id) == ["1", "2"]
    # the field names are the same, so a copy of either is read with its own version
    assert old.field_names() == new.field_names()


ANSWERS_V1 = {"enhetens_namn": "Vårdcentralen Norrfjäll", "leva_livet": "ja_fullt"}
ANSWERS_V2 = {
    "enhetens_namn": "Vårdcentralen Norrfjäll",
    "leva_livet": "ja",
    "nasta_steg": "vet_inte",
}


@pytest.mark.parametrize("file,answers", [("unit-v1.yaml", ANSWERS_V1), ("unit.yaml", ANSWERS_V2)])
@pytest.mark.parametrize("embedded", [True, False])
def test_a_copy_of_either_version_is_read_with_its_own(tmp_path, file, answers, embedded):
    """A copy printed from version 1 says version 1 and is read with unit-v1.yaml (from
    the folder too: a scan carries no definition), its answers those of version 1."""
    form = load_form(DEFINITIONS / file)
    path = tmp_path / "copy.pdf"
    path.write_bytes(fill_pdf(generate(form, "sv"), answers_to_fields(form, answers)))
    response = parse(path, None if embedded else [DEFINITIONS])
    assert response.form.version == form.version
    assert response.answers == blank_answers(form) | answers
    assert response.problems == []


def test_a_file_that_names_no_form_is_read_with_the_newest_version_its_fields_fit(forms):
    """Versions with the same field names: the newest is taken, not whichever came first."""
    unit = forms["unit"]
    raw = RawForm(file="x.pdf", sha256="0", fields=dict.fromkeys(unit.field_names()))
    assert resolve_form(raw, [DEFINITIONS]).version == "2"


def test_a_condition_may_not_name_a_question_printed_without_a_number():
    text = (
        (FORM_FILES["unit"])
        .read_text(encoding="utf-8")
        .replace(
            "        type: single\n        code: skr-7-3\n",
            "        type: single\n        code: skr-7-3\n"
            "        enable_when: {question: ifylld_av, equals: x}\n",
        )
    )
    form, faults = parse_definition(text, "unit.yaml")
    assert form is None
    assert any(
        "enable_when refers to 'ifylld_av', which is printed without a number" in f.message
        for f in faults
    ), faults
