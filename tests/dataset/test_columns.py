"""A form's columns and codebook, and what they hold of personnummer."""

from __future__ import annotations

import random
from pathlib import Path

from pdfforms.dataset.columns import FormTable, codebook_columns, codebook_rows
from pdfforms.model.definition import parse_definition
from pdfforms.model.personnummer import parse_personnummer, pseudonymise
from pdfforms.model.privacy import DROP, KEEP, PSEUDONYMISE, Privacy
from pdfforms.model.rules import blank_answers
from pdfforms.testing.synthetic import synthetic_personnummer

from .conftest import (
    filled,
    read_csv,
    run,
)

KEY = b"0123456789abcdef-test-key"


def test_personnummer_pseudonymised_kept_or_left_out(tmp_path, forms):
    form = forms["all_types"]
    text_q = next(q for q in form.answerable if q.type == "textarea")
    rng = random.Random(5)
    person = synthetic_personnummer(rng)
    other = synthetic_personnummer(rng)
    returned = tmp_path / "in"
    returned.mkdir()
    for name, seed, pnr in (("a.pdf", 1, person), ("b.pdf", 2, person), ("c.pdf", 3, other)):
        data, _ = filled(
            forms, "all_types", seed, pnr=pnr, **{text_q.id: f"Ring mig, mitt nr är {pnr}."}
        )
        (returned / name).write_bytes(data)
    bad, _ = filled(forms, "all_types", 4, pnr=person[:-1] + str((int(person[-1]) + 1) % 10))
    (returned / "d.pdf").write_bytes(bad)
    full = parse_personnummer(person).number

    out = tmp_path / "pseud" / "d.csv"
    out.parent.mkdir()
    run([returned], out, privacy=Privacy(PSEUDONYMISE, KEY))
    rows = {Path(r["file"]).name: r for r in read_csv(out)}
    expected = pseudonymise(parse_personnummer(person), KEY)
    assert rows["a.pdf"]["pnr"] == rows["b.pdf"]["pnr"] == expected
    assert rows["c.pdf"]["pnr"] not in ("", expected)
    assert rows["a.pdf"][text_q.id] == f"Ring mig, mitt nr är {expected}."
    everything = "".join(p.read_text("utf-8-sig") for p in out.parent.glob("d.*") if p.is_file())
    for written in (person, full, full.replace("-", ""), person.replace("-", "")):
        assert written not in everything
    problems = read_csv(out.with_name("d.problems.csv"))
    assert any(p["question"] == "pnr" and "[personnummer]" in p["message"] for p in problems)
    book = {r["column"]: r for r in read_csv(out.with_name("d.codebook.csv"))}
    assert "pseudonymised" in book["pnr"]["note"] and book["pnr"]["written"] == "yes"

    out = tmp_path / "drop" / "d.csv"
    out.parent.mkdir()
    run([returned], out, privacy=Privacy(DROP))
    rows = read_csv(out)
    assert "pnr" not in rows[0]
    assert rows[0][text_q.id] == "Ring mig, mitt nr är [personnummer]."
    book = {r["column"]: r for r in read_csv(out.with_name("d.codebook.csv"))}
    assert book["pnr"]["written"] == "no" and "left out" in book["pnr"]["note"]

    out = tmp_path / "keep" / "d.csv"
    out.parent.mkdir()
    run([returned], out, privacy=Privacy(KEEP))
    rows = {Path(r["file"]).name: r for r in read_csv(out)}
    assert rows["a.pdf"]["pnr"] == full


# -- the shape of a form's table, from the definition alone ------------------------------

META = [
    *("file", "questionnaire", "sha256", "kind", "form", "version", "language", "serial", "unit"),
    *("outcome", "problems", "review", "by_person"),
]


def expected_columns(form, keep_personnummer: bool) -> list[str]:
    """The columns README's "Many returned forms → one dataset" promises, in form order."""
    out = list(META)
    for q in form.answerable:
        if q.type == "multiple":
            out += [f"{q.id}__{o.value}" for o in q.choices]
        elif q.type == "grid":
            out += [f"{q.id}__{r.id}" for r in q.rows]
        elif q.type != "personnummer" or keep_personnummer:
            out.append(q.id)
        if q.other is not None:
            out.append(f"{q.id}__other_text")
    return out


def parsed(form, answers: dict, version: str | None = None) -> dict:
    """A parsed form as SPEC §4 has it, as a worker hands it to the table."""
    return {
        "form": {"id": form.id, "version": version or form.version, "language": "sv"},
        "serial": None,
        "source": {"file": "a.pdf", "sha256": "0" * 64, "kind": "acroform", "pages": 1},
        "answers": answers,
        "problems": [],
        "review": [],
    }


def test_a_forms_columns_follow_its_questions(forms):
    for name in ("patient", "unit", "all_types"):
        form = forms[name]
        for privacy, keep in ((Privacy(DROP), False), (Privacy(KEEP), True)):
            table = FormTable([form], privacy)
            assert [c.name for c in table.written] == expected_columns(form, keep), name
            assert len(table.types()) == len(table.written)


def test_cells_of_each_type(forms):
    form = forms["all_types"]
    table = FormTable([form], Privacy(KEEP))
    answers = blank_answers(form)
    answers.update(
        namn="Fido",
        antal=3,
        vikt=71.5,
        besok="2026-03-05",
        roker=False,
        frukt=["paron", "other"],
        frukt__other_text="Lingon",
        smak="vet_inte",
        vanor={"promenad": "alltid", "laser": None, "sjunger": "aldrig"},
        lan="Z",
    )
    row = dict(
        zip([c.name for c in table.written], table.row(parsed(form, answers), 2), strict=True)
    )
    assert row["questionnaire"] == 2 and row["outcome"] == "parsed" and row["problems"] == 0
    assert (row["namn"], row["antal"], row["vikt"], row["besok"]) == ("Fido", 3, 71.5, "2026-03-05")
    assert row["roker"] == 0  # no is 0, not empty
    assert [row[f"frukt__{v}"] for v in ("apple", "paron", "banan", "other")] == [0, 1, 0, 1]
    assert row["frukt__other_text"] == "Lingon" and row["smak"] == "vet_inte"
    assert [row[f"vanor__{r}"] for r in ("promenad", "laser", "sjunger")] == [
        "alltid",
        None,
        "aldrig",
    ]
    assert row["hur_mycket"] is None and row["lan"] == "Z"


CONDITIONAL = """\
form: villkor-flerval
version: "1"
languages: [sv]
title: Villkor
sections:
  - id: del
    questions:
      - {id: fast, type: yesno, label: "Har du en fast kontakt?"}
      - id: vagar
        type: multiple
        label: "Hur når du den?"
        enable_when: {question: fast, equals: "yes"}
        options: [{value: telefon, label: Telefon}, {value: video, label: Video}]
"""


def test_options_of_a_question_not_asked_are_empty_and_of_one_left_blank_are_zero():
    form, faults = parse_definition(CONDITIONAL, "villkor.yaml")
    assert not faults, faults
    table = FormTable([form], Privacy(DROP))
    names = [c.name for c in table.written]

    def options(fast, vagar) -> list:
        row = dict(
            zip(names, table.row(parsed(form, {"fast": fast, "vagar": vagar}), 1), strict=True)
        )
        return [row["vagar__telefon"], row["vagar__video"]]

    assert options(True, ["video"]) == [0, 1]
    assert options(True, []) == [0, 0]  # asked and left blank: nothing marked
    assert options(False, []) == [None, None]  # not asked: nothing to say
    assert options(None, []) == [None, None]  # the question it hangs on left blank
    # marked although not asked: kept as marked (interpret warns should_be_skipped)
    assert options(False, ["telefon"]) == [1, 0]


def versioned(version: str, *questions: str):
    """The form `versioner` in one version, with these text questions."""
    text = (
        f'form: versioner\nversion: "{version}"\nlanguages: [sv]\ntitle: Versioner\n'
        "sections:\n  - id: del\n    questions:\n"
    )
    text += "".join(f"      - {{id: {q}, type: text, label: {q}}}\n" for q in questions)
    form, faults = parse_definition(text, f"v{version}.yaml")
    assert not faults, faults
    return form


def test_versions_of_a_form_share_a_table_newest_first():
    old, new = versioned("2", "alla", "gammal"), versioned("10", "ny", "alla")
    table = FormTable([old, new], Privacy(DROP))
    names = [c.name for c in table.written]
    assert names[len(META) :] == ["ny", "alla", "gammal"]  # version 10 is newer than 2
    versions = {c.name: c.versions for c in table.written}
    assert (versions["alla"], versions["ny"], versions["gammal"]) == (["2", "10"], ["10"], ["2"])
    row = dict(zip(names, table.row(parsed(old, {"alla": "a", "gammal": "g"}), 1), strict=True))
    assert (row["version"], row["alla"], row["gammal"], row["ny"]) == ("2", "a", "g", None)
    row = dict(zip(names, table.row(parsed(new, {"alla": "a", "ny": "n"}), 1), strict=True))
    assert (row["version"], row["alla"], row["gammal"], row["ny"]) == ("10", "a", None, "n")


def test_the_codebook_names_every_column_in_table_order_in_every_language(forms):
    form = forms["patient"]
    table = FormTable([form], Privacy(DROP))
    header = codebook_columns(form.languages)
    book = [dict(zip(header, r, strict=True)) for r in codebook_rows("svar", table, form.languages)]
    assert [r["column"] for r in book] == [c.name for c in table.columns]
    written = {c.name for c in table.written}
    for r in book:
        assert r["table"] == "svar" and r["written"] == ("yes" if r["column"] in written else "no")
        if r["kind"] != "meta":
            q = form.question(r["question"])
            assert r["label_sv"] and r["label_en"], r["column"]
            assert r["label_sv"].startswith(q.label["sv"]) and r["versions"] == form.version
    pnr = next(r for r in book if r["type"] == "personnummer")
    assert pnr["written"] == "no"  # left out, but the codebook says it was asked
    single = next(r for r in book if r["column"] == "fast_vardkontakt")
    q = form.question("fast_vardkontakt")
    assert single["values_sv"] == "; ".join(f"{o.value} = {o.label['sv']}" for o in q.choices)
    assert single["values_en"] == "; ".join(f"{o.value} = {o.label['en']}" for o in q.choices)
