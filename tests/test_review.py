"""Review decisions without a browser: the queue, checks, the log, and `extract` keeping them."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from pdfforms.dataset.build import rebuild
from pdfforms.dataset.decisions import DecisionLog, fields_from_answers, read_decisions
from pdfforms.dataset.extract import extract
from pdfforms.model.privacy import Privacy
from pdfforms.review.session import Refused, ReviewError, ReviewSession
from pdfforms.testing.synthetic import synthetic_answers
from tests.dataset.conftest import _scan_file


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def made(tmp_path_factory, forms):
    root = tmp_path_factory.mktemp("rv")
    (root / "in").mkdir()
    _scan_file(forms, root / "in" / "scan.pdf")
    (root / "out").mkdir()
    extract([str(root / "in")], root / "out" / "d.csv", progress=False, workers=1)
    return root


@pytest.fixture
def copy(made, tmp_path):
    shutil.copytree(made / "in", tmp_path / "in")
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "d.csv"
    extract([str(tmp_path / "in")], out, progress=False, workers=1)
    return tmp_path, out


def _decide_all(session: ReviewSession) -> dict[str, str]:
    """Type a value into every text item; what each column should then hold."""
    typed = {}
    n = 0
    while True:
        shown = session.next("tab")["unit"]
        if shown is None:
            return typed
        target = shown["targets"][0]
        value = {"number": "42", "date": "2026-11-03"}.get(target["type"], f"Svar {n} – åäö")
        if target["input"] in ("choice", "multiple"):
            value = target["options"][0]["value"]
            value = [value] if target["input"] == "multiple" else value
        session.decide("tab", {"key": shown["key"], "status": "transcribed", "value": value})
        typed[target["name"]] = value
        n += 1


def test_extract_again_keeps_the_decisions_fresh_and_moved(copy, forms):
    root, out = copy
    session = ReviewSession(out, None, "anna")
    assert session.counts()["left"] > 0
    typed = _decide_all(session)
    assert session.counts()["left"] == 0
    for run in (
        lambda: extract([str(root / "in")], out, progress=False, workers=1),
        lambda: extract([str(root / "in")], out, progress=False, workers=1, fresh=True),
        lambda: rebuild(out, Privacy()),
    ):
        summary = run()
        assert summary.reviewed == len(typed)
        (row,) = _rows(out)
        for name, value in typed.items():
            if name in row:
                assert row[name] == value, name
        assert set(row["by_person"].split()) == {n.split("__")[0] for n in typed}
        assert row["review"] == "0" and _rows(out.with_name("d.review.csv")) == []
        who = _rows(out.with_name("d.reviewed.csv"))
        assert {r["by"] for r in who} == {"anna"} and len(who) == len(typed)
    # the returned files moved: decisions follow the bytes, not the path
    shutil.move(root / "in", root / "moved")
    extract([str(root / "moved")], out, progress=False, workers=1)
    (row,) = _rows(out)
    assert row["by_person"] and row["review"] == "0"


def test_an_invalid_date_or_number_is_refused_until_confirmed_and_then_a_problem(copy):
    _root, out = copy
    session = ReviewSession(out, None, "anna")
    entry = next(
        e for e in session.entries if e.unit.targets[0].question.type in ("date", "number")
    )
    kind = entry.unit.targets[0].question.type
    typed = {"date": "31/2 2026", "number": "många"}[kind]
    session.claim("tab", entry.unit.key)
    body = {"key": entry.unit.key, "status": "transcribed", "value": typed}
    with pytest.raises(Refused) as refused:
        session.decide("tab", body)
    assert refused.value.status == 422 and typed in str(refused.value)
    session.decide("tab", {**body, "force": True})
    rebuild(out, Privacy())
    problems = _rows(out.with_name("d.problems.csv"))
    assert any(p["code"] == f"invalid_{kind}" and typed in p["message"] for p in problems)


def test_unreadable_is_a_warning_not_a_required_problem(copy):
    _root, out = copy
    session = ReviewSession(out, None, "anna")
    key = session.next("tab")["unit"]["key"]
    question = session.entries[session.by_key[key]].unit.targets[0].question.id
    session.decide("tab", {"key": key, "status": "unreadable"})
    rebuild(out, Privacy())
    mine = [p for p in _rows(out.with_name("d.problems.csv")) if p["question"] == question]
    assert [p["code"] for p in mine] == ["unreadable"]
    (row,) = _rows(out)
    assert question in row["by_person"].split()


def test_a_personnummer_typed_in_free_text_is_masked_before_it_is_saved(copy):
    _root, out = copy
    session = ReviewSession(out, None, "anna")
    entry = next(e for e in session.entries if e.unit.targets[0].input == "textarea")
    session.decide(
        "tab",
        {"key": entry.unit.key, "status": "transcribed", "value": "ring 19121212-1212"},
    )
    saved = read_decisions(out.with_name("d.decisions.jsonl"))[entry.unit.key]
    assert saved.value == "ring [personnummer]"  # the log never holds the number


def test_two_tabs_get_different_items_and_a_stale_save_is_refused(copy):
    _root, out = copy
    session = ReviewSession(out, None, "anna")
    a = session.next("A")["unit"]["key"]
    b = session.next("B")["unit"]["key"]
    assert a != b
    with pytest.raises(Refused) as held:
        session.claim("B", a)
    assert held.value.status == 409
    session.decide("A", {"key": a, "status": "transcribed", "value": "x"})
    session.next("A")  # A moves on; B now takes a, seen with no decision
    with pytest.raises(Refused) as stale:
        session.decide("B", {"key": a, "status": "transcribed", "value": "y", "base": None})
    assert stale.value.status == 409 and stale.value.extra["decision"]["value"] == "x"


def test_the_log_is_append_only_private_and_survives_a_torn_line(tmp_path):
    path = tmp_path / "d.decisions.jsonl"
    log = DecisionLog(path)
    first, _ = log.add("k", "transcribed", "a", "anna", "t1", None)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    lost, current = log.add("k", "transcribed", "b", "bo", "t2", None)
    assert lost is None and current.id == first.id
    second, _ = log.add("k", "transcribed", "b", "bo", "t2", first.id)
    with open(path, "ab") as fh:
        fh.write(b'{"t":"decision","id":"torn')  # a kill mid-line
    assert read_decisions(path)["k"].value == "b"
    again = DecisionLog(path)  # the torn line is cut, the next starts on its own line
    third, _ = again.add("k", "unreadable", None, "anna", "t1", second.id)
    assert read_decisions(path)["k"].id == third.id
    assert len(path.read_text("utf-8").splitlines()) == 3


@pytest.mark.parametrize("name", ["patient", "unit"])
def test_fields_from_answers_interpret_back_to_the_answers(forms, name):
    import random

    from pdfforms.parse import respond

    form = forms[name]
    rng = random.Random(3)
    for _ in range(200):
        answers = synthetic_answers(form, rng)
        again, _problems = respond(form, fields_from_answers(form, answers))
        for q in form.answerable:
            if q.type != "personnummer":
                assert again[q.id] == answers[q.id], q.id


def _add_whole_page(out, fields: list[str]) -> None:
    """A page of the scan that could not be read, as parse/scan.py lists one: every field on it."""
    journal = out.with_name("d.journal.jsonl")
    lines = journal.read_text("utf-8").splitlines(keepends=True)
    for n, line in enumerate(lines):
        entry = json.loads(line)
        if entry.get("t") == "file":
            entry["responses"][0]["review"].append(
                {"question": None, "page": 2, "reason": "alignment", "fields": fields}
            )
            lines[n] = json.dumps(entry, ensure_ascii=False) + "\n"
            break
    journal.write_text("".join(lines), "utf-8")


def test_an_empty_transcription_is_saved_only_when_marked_as_meant(copy):
    # Issue 13 item 7: what a key pressed once too often sends (nothing typed, nothing
    # chosen) must not become an answer; the page says "empty": true only for a
    # person's act (Alt+T, 0 among options), so no fault of a page saves one silently.
    _root, out = copy
    _add_whole_page(out, ["ifylld_av", "leva_livet"])
    session = ReviewSession(out, None, "anna")
    text = next(
        e
        for e in session.entries
        if e.unit.targets[0].input in ("text", "textarea")
        and not e.unit.targets[0].question.required  # blank would be a problem of its own
    )
    page = next(e for e in session.entries if e.unit.whole_page)
    log = out.with_name("d.decisions.jsonl")
    refused_bodies = [
        (text, None, None),
        (text, "", None),
        (text, " \n\t", None),
        (text, None, "true"),  # only JSON true says it
        (text, None, False),
        (page, {"ifylld_av": None, "leva_livet": None}, None),
        (page, {"ifylld_av": "  ", "leva_livet": None}, None),
    ]
    for entry, value, empty in refused_bodies:
        body = {"key": entry.unit.key, "status": "transcribed", "value": value}
        if empty is not None:
            body["empty"] = empty
        with pytest.raises(Refused) as refused:
            session.decide("tab", body)
        assert (refused.value.status, refused.value.extra["reason"]) == (422, "empty"), body
    assert read_decisions(log) == {}
    # marked as meant, it is saved: the person looked and found nothing written
    session.decide(
        "tab", {"key": text.unit.key, "status": "transcribed", "value": None, "empty": True}
    )
    # part of a page is an answer like any other; so is "unreadable", which holds no value
    session.decide(
        "tab",
        {"key": page.unit.key, "status": "transcribed", "value": {"ifylld_av": "Anna"}},
    )
    other = next(e for e in session.entries if e.unit.key not in (text.unit.key, page.unit.key))
    session.decide("tab", {"key": other.unit.key, "status": "unreadable"})
    saved = read_decisions(log)
    assert (saved[text.unit.key].status, saved[text.unit.key].value) == ("transcribed", None)
    assert saved[page.unit.key].value == {"ifylld_av": "Anna", "leva_livet": None}
    assert saved[other.unit.key].status == "unreadable"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[]", "not a dataset manifest (no 'tables')"),
        ("{not json", "not a dataset manifest (bad JSON at line 1"),
        ('{"tables": {}, "format": "docx"}', "unknown dataset format 'docx'"),
    ],
)
def test_a_manifest_that_is_none_of_ours_is_one_error_naming_it(tmp_path, text, says):
    """Review reads the manifest through the dataset's reader, as the report does."""
    manifest = tmp_path / "d.manifest.json"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(ReviewError) as caught:
        ReviewSession(tmp_path / "d.csv")
    assert str(caught.value).startswith(f"{manifest}: {says}")
