"""The decisions a person made in review: append-only, newest on an item counts.

`stem.decisions.jsonl` beside the dataset holds one JSON line per decision:

    {"t": "decision", "id": "…", "item": "<sha256>:<questionnaire>:<target>",
     "status": "transcribed" | "unreadable", "value": …, "by": "anna",
     "at": "2026-11-23T14:02:11+01:00", "tab": "…", "replaces": "<id>" | null}

A line is written and flushed to disk before the page hears "saved", so a
crash, a kill or a closed tab loses nothing that was confirmed. A line torn by a
kill is passed over when the log is read. Decisions are never rewritten: a
changed mind is a new line that names the one it replaces, so the log is also
the record of who decided what, and when.

Items are named by the file's SHA-256, not its path: moving the returned files,
or reading them again with `extract`, keeps the decisions; a file whose bytes
changed (scanned again) is a new file with new items.
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..model.errors import PdfformsError
from ..model.form import Form, cell_name
from ..model.messages import text as msg
from ..model.personnummer import PersonnummerError, parse_personnummer
from ..model.privacy import Privacy
from ..model.response import Problem
from ..parse import respond
from .items import DecisionItem, Target, decision_items, field_text

STATUSES = ("transcribed", "unreadable")


class LogError(PdfformsError):
    """The decisions file cannot be read or written."""


@dataclass(frozen=True)
class Decision:
    id: str
    item: str
    status: str
    value: object
    by: str
    at: str
    tab: str = ""
    replaces: str | None = None

    def to_json(self) -> dict:
        return {
            "t": "decision",
            "id": self.id,
            "item": self.item,
            "status": self.status,
            "value": self.value,
            "by": self.by,
            "at": self.at,
            "tab": self.tab,
            "replaces": self.replaces,
        }


def read_decisions(path: Path) -> dict[str, Decision]:
    """The newest decision on each item (an absent file: none)."""
    latest: dict[str, Decision] = {}
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return latest
    except OSError as exc:
        raise LogError(msg("decisions.cannot_read", path=path, reason=exc.strerror)) from None
    with fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break  # torn by a kill: that decision was never confirmed
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("t") != "decision" or entry.get("status") not in STATUSES:
                continue
            try:
                decision = Decision(
                    id=str(entry["id"]),
                    item=str(entry["item"]),
                    status=entry["status"],
                    value=entry.get("value"),
                    by=str(entry.get("by") or ""),
                    at=str(entry.get("at") or ""),
                    tab=str(entry.get("tab") or ""),
                    replaces=entry.get("replaces"),
                )
            except KeyError:
                continue
            latest[decision.item] = decision
    return latest


class DecisionLog:
    """The log as the review server writes it: one writer, many readers."""

    def __init__(self, path: Path):
        self.path = path
        self.lock = threading.Lock()
        self.latest = read_decisions(path)
        self._repair()
        self.written = 0

    def _repair(self) -> None:
        """Cut a line torn by a kill, so the next decision starts a line of its own."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        if data and not data.endswith(b"\n"):
            with open(self.path, "r+b") as fh:
                fh.truncate(data.rfind(b"\n") + 1)

    def current(self, item: str) -> Decision | None:
        return self.latest.get(item)

    def add(
        self,
        item: str,
        status: str,
        value,
        by: str,
        tab: str,
        base: str | None,
    ) -> tuple[Decision | None, Decision | None]:
        """(the new decision, None), or (None, the decision that got there first).

        `base` is the decision the person saw when they started (None for an item
        that had none): if another has been made since, nothing is written and that
        one is returned, so two people never overwrite each other unseen.
        """
        if status not in STATUSES:
            raise ValueError(status)
        with self.lock:
            now = self.latest.get(item)
            if (now.id if now else None) != base:
                return None, now
            decision = Decision(
                id=uuid.uuid4().hex,
                item=item,
                status=status,
                value=value,
                by=by,
                at=datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                tab=tab,
                replaces=base,
            )
            line = json.dumps(decision.to_json(), ensure_ascii=False, separators=(",", ":"))
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    os.write(fd, (line + "\n").encode("utf-8"))
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as exc:
                raise LogError(
                    msg("decisions.cannot_save", path=self.path, reason=exc.strerror)
                ) from None
            self.latest[item] = decision
            self.written += 1
            return decision, None


FLOW_CODES = ("required", "should_be_skipped")  # depend on other answers: worked out again


def fields_from_answers(form: Form, answers: dict) -> dict[str, str | None]:
    """The raw field values that interpret back to `answers` (personnummer left out)."""
    fields: dict[str, str | None] = {}
    for q in form.answerable:
        value = answers.get(q.id)
        if q.type == "multiple":
            for o in q.choices:
                fields[f"{q.id}__{o.value}"] = "Yes" if o.value in (value or []) else None
        elif q.type == "grid":
            for row in q.rows:
                v = (value or {}).get(row.id)
                fields[f"{q.id}__{row.id}"] = None if v is None else str(v)
        elif q.type == "group":
            # the rows from the first printed row on: what was read of a group is its
            # rows in printed order. A scan's written cells are blank until a person
            # transcribes them (no OCR), so a decision names a row nothing else fills.
            fields.update(dict.fromkeys(q.field_names()))
            for k, row in enumerate(value or [], start=1):
                for item_id, v in row.items():
                    fields[cell_name(q.id, k, item_id)] = None if v is None else str(v)
        elif q.type != "personnummer":
            fields[q.id] = None if value is None else field_text(q, value)
        if q.other is not None:
            fields[f"{q.id}__other_text"] = answers.get(f"{q.id}__other_text")
    return fields


def _set(fields: dict, target: Target, value) -> None:
    q = target.question
    if target.input == "multiple":
        chosen = value if isinstance(value, list) else []
        for o in q.choices:
            fields[f"{q.id}__{o.value}"] = "Yes" if o.value in chosen else None
    elif target.input != "personnummer":
        fields[target.name] = value if isinstance(value, str) and value.strip() else None


def _value_for(decision: Decision, unit: DecisionItem, target: Target):
    if decision.status == "unreadable":
        return [] if target.input == "multiple" else None
    if unit.whole_page:
        return (decision.value or {}).get(target.name) if isinstance(decision.value, dict) else None
    return decision.value


def personnummer_answer(text, privacy: Privacy) -> tuple[str | None, str | None]:
    """A typed personnummer → (the answer as the dataset may hold it, or an error message)."""
    if text is None or not str(text).strip():
        return None, None
    text = str(text)
    if text.startswith("pn:"):  # already a pseudonym (a decision saved under a key)
        return (text if privacy.mode != "drop" else None), None
    try:
        number = parse_personnummer(text).number
    except PersonnummerError as exc:
        return None, str(exc)
    return privacy.number(number), None


def apply_decisions(
    obj: dict,
    questionnaire: int,
    form: Form,
    decisions: dict[str, Decision],
    privacy: Privacy,
) -> dict:
    """Put a person's decisions into a parsed form (in place); `obj["reviewed"]` says which."""
    units = decision_items(obj, questionnaire, form)
    decided = [(u, decisions[u.key]) for u in units if u.key in decisions]
    obj["reviewed"] = []
    if not decided:
        return obj
    decided.sort(key=lambda ud: not ud[0].whole_page)  # a page first, then its single boxes
    answers = obj["answers"]
    fields = fields_from_answers(form, answers)
    numbers: dict[str, str | None] = {}
    unreadable: set[str] = set()
    decided_questions: set[str] = set()
    for unit, decision in decided:
        for target in unit.targets:
            value = _value_for(decision, unit, target)
            decided_questions.add(target.question.id)
            if decision.status == "unreadable":
                unreadable.add(target.question.id)
            if target.input == "personnummer":
                numbers[target.name] = personnummer_answer(value, privacy)[0]
            else:
                _set(fields, target, value)
        obj["reviewed"].append(
            {
                "item": unit.key,
                "questions": sorted(unit.questions, key=_order(form)),
                "reason": unit.reason,
                "status": decision.status,
                "by": decision.by,
                "at": decision.at,
            }
        )
    done = {u.key for u, _d in decided}
    still_open = [u for u in units if u.key not in done]
    pending = set().union(*(u.questions for u in still_open)) if still_open else set()
    new_answers, new_problems = respond(
        form, fields, obj["form"].get("language"), pending=pending | unreadable
    )
    numbered = {q.id for q in form.answerable if q.type == "personnummer"}
    for key, value in new_answers.items():
        if key in numbered:
            answers[key] = numbers[key] if key in numbers else answers.get(key)
        elif key.endswith("__other_text") or form.question(key).type in ("text", "textarea"):
            answers[key] = privacy.text(value)
        elif form.question(key).type == "group":
            answers[key] = privacy.group(form.question(key), value)
        else:
            answers[key] = value
    problems = []
    for p in obj["problems"]:
        q = p.get("question")
        keep_flow = q in numbered and q not in decided_questions
        if q not in decided_questions and (p.get("code") not in FLOW_CODES or keep_flow):
            problems.append(p)
    for p in new_problems:
        if p.question in numbered and p.question not in decided_questions:
            continue
        if p.question in decided_questions or p.code in FLOW_CODES:
            problems.append(_problem_json(p, privacy, p.question in numbered))
    for qid in sorted(unreadable, key=_order(form)):
        q = form.question(qid)
        problems.append(
            {
                "question": qid,
                "code": "unreadable",
                "severity": "warning",
                "message": msg("decisions.unreadable", number=q.number or qid, id=qid),
            }
        )
    order = _order(form)
    problems.sort(key=lambda p: order(p.get("question")))
    obj["problems"] = problems
    settled = {n for u, _d in decided for n in u.positions}
    obj["review"] = [i for n, i in enumerate(obj["review"]) if n not in settled]
    return obj


def _problem_json(p: Problem, privacy: Privacy, number: bool) -> dict:
    out = p.to_json()
    out["message"] = (
        privacy.raw_number_text(out["message"]) if number else privacy.text(out["message"])
    )
    return out


def _order(form: Form):
    position = {q.id: n for n, q in enumerate(form.answerable, start=1)}
    return lambda qid: position.get(qid, 0)


def check_decision(
    obj: dict,
    questionnaire: int,
    form: Form,
    unit: DecisionItem,
    decision: Decision,
    decisions: dict[str, Decision],
    privacy: Privacy,
) -> list[dict]:
    """The problems a decision would leave on its own questions (nothing is changed)."""
    trial = copy.deepcopy(obj)
    apply_decisions(trial, questionnaire, form, {**decisions, unit.key: decision}, privacy)
    return [
        p
        for p in trial["problems"]
        if p.get("question") in unit.questions and p.get("code") not in ("unreadable",)
    ]
