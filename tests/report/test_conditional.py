"""A question asked of some: counted among those it applied to, answers given out of turn
said and not counted, under the privacy rules."""

from __future__ import annotations

import csv

from pdfforms.model.definition import parse_definition
from pdfforms.model.form import Form

from .conftest import (
    applies,
    check_choice_table,
    expected_rows,
    html_tables,
    number,
    pct,
    pdf_text,
    response,
    run,
    write_dataset,
)

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
