"""Review items → what a person decides at once, and what a decision does to the answers.

A parsed form's `review` list names single boxes and text fields. A person
decides a little more at once:

- a text box (handwriting, faint writing, OCR to check): the text;
- a radio group with uncertain boxes (a single-choice, scale, yes/no question or
  one row of a grid): which option is marked, if any;
- a multiple-choice question with uncertain boxes: which options are marked;
- a page that could not be read (corner marks not found, too poor a scan) or was
  placed by its layout alone: every question on it.

That is a *unit*, named `<sha256>:<questionnaire>:<target>`. A decision on it
gives the raw value a form field would have held, and the form is interpreted
again with it, so a transcribed date, number or choice is checked exactly as a
filled PDF is: a typed "31/2" is an `invalid_date` problem, not a value.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from ..dataset import Privacy
from ..form import Form, Question, Row
from ..interpret import Problem, interpret
from ..personnummer import PersonnummerError, parse_personnummer
from .log import Decision

FLOW_CODES = ("required", "should_be_skipped")  # depend on other answers: worked out again
UNSURE = 0.5  # an uncertain box at or above this confidence leans towards marked


@dataclass(frozen=True)
class Target:
    """One thing a person fills in: a text, a radio group's choice, a multiple's choices."""

    name: str  # the field; for a multiple-choice question, the question id
    question: Question
    input: str  # text | textarea | personnummer | choice | multiple
    row: Row | None = None
    other: bool = False  # the "other" text of a question

    def options(self) -> list:
        if self.input == "multiple" or (self.input == "choice" and self.row is None):
            return list(self.question.choices)
        if self.row is not None:
            return list(self.question.options)
        return []


@dataclass
class Unit:
    key: str
    reason: str
    page: int | None
    targets: list[Target]
    whole_page: bool
    items: list[dict] = field(default_factory=list)

    @property
    def questions(self) -> set[str]:
        return {t.question.id for t in self.targets}


_TARGETS: dict[tuple[str, str, int], dict[str, Target]] = {}


def targets_of(form: Form) -> dict[str, Target]:
    """Every field of a form → the target a person fills it through (in form order)."""
    key = (form.id, form.version, id(form))
    if key in _TARGETS:
        return _TARGETS[key]
    found: dict[str, Target] = {}
    for q in form.answerable:
        if q.type in ("text", "textarea", "number", "date"):
            found[q.id] = Target(q.id, q, "textarea" if q.type == "textarea" else "text")
        elif q.type == "personnummer":
            found[q.id] = Target(q.id, q, "personnummer")
        elif q.type in ("single", "dropdown", "scale", "yesno"):
            found[q.id] = Target(q.id, q, "choice")
        elif q.type == "multiple":
            target = Target(q.id, q, "multiple")
            for o in q.choices:
                found[f"{q.id}__{o.value}"] = target
        elif q.type == "grid":
            for row in q.rows:
                name = f"{q.id}__{row.id}"
                found[name] = Target(name, q, "choice", row=row)
        if q.other is not None:
            name = f"{q.id}__other_text"
            found[name] = Target(name, q, "text", other=True)
    if len(_TARGETS) > 64:
        _TARGETS.clear()
    _TARGETS[key] = found
    return found


def _distinct(targets) -> list[Target]:
    seen: dict[str, Target] = {}
    for t in targets:
        seen.setdefault(t.name, t)
    return list(seen.values())


def units_of(obj: dict, questionnaire: int, form: Form) -> list[Unit]:
    """The units of one parsed form, in the order of its review items."""
    targets = targets_of(form)
    sha = obj["source"].get("sha256") or ""
    units: dict[str, Unit] = {}
    for item in obj.get("review") or []:
        if item.get("question") is None:  # a whole page
            fields = item.get("fields") or list(targets)
            chosen = _distinct(targets[f] for f in fields if f in targets)
            name, whole = f"page{item.get('page')}", True
        else:
            target = targets.get(item.get("field") or item["question"])
            if target is None:  # a question this form does not have: nothing to decide
                continue
            chosen, name, whole = [target], target.name, False
        key = f"{sha}:{questionnaire}:{name}"
        unit = units.get(key)
        if unit is None:
            unit = units[key] = Unit(key, item.get("reason") or "", item.get("page"), chosen, whole)
        unit.items.append(item)
    return list(units.values())


# -- what the machine thinks ---------------------------------------------------------------


def guess(obj: dict, unit: Unit, target: Target):
    """The value to preselect: what was read, OCR's text, or the uncertain mark that leans in."""
    answers = obj["answers"]
    q = target.question
    items = [i for i in unit.items if i.get("field") == target.name or unit.whole_page]
    if target.input in ("text", "textarea", "personnummer"):
        for i in items:
            if i.get("text"):
                return i["text"]
        value = answers.get(target.name)
        return "" if value is None else str(value)
    leaning = {
        i["option"]: float(i.get("confidence") or 0)
        for i in unit.items
        if i.get("reason") == "uncertain_mark" and i.get("option") is not None
    }
    leaning = {o: c for o, c in leaning.items() if c >= UNSURE}
    if target.input == "multiple":
        chosen = list(answers.get(q.id) or [])
        return [o.value for o in q.choices if o.value in chosen or o.value in leaning]
    value = answers.get(q.id)
    if target.row is not None:
        value = (value or {}).get(target.row.id)
    if value is not None:
        return _field_text(q, value)
    for i in items:
        for option in i.get("marked") or []:  # boxes read as firmly marked beside the unsure one
            leaning[option] = max(leaning.get(option, 0), 1.0)
    return max(leaning, key=leaning.get) if leaning else None


def _field_text(q: Question, value) -> str:
    if q.type == "yesno":
        return "yes" if value else "no"
    return str(value)


# -- applying decisions ------------------------------------------------------------------


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
        elif q.type != "personnummer":
            fields[q.id] = None if value is None else _field_text(q, value)
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


def _value_for(decision: Decision, unit: Unit, target: Target):
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
    units = units_of(obj, questionnaire, form)
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
    new_answers, new_problems = interpret(
        form, fields, obj["form"].get("language"), None, None, pending | unreadable
    )
    numbered = {q.id for q in form.answerable if q.type == "personnummer"}
    for key, value in new_answers.items():
        if key in numbered:
            answers[key] = numbers[key] if key in numbers else answers.get(key)
        elif key.endswith("__other_text") or form.question(key).type in ("text", "textarea"):
            answers[key] = privacy.text(value)
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
                "message": f"question {q.number or qid} '{qid}' could not be read "
                "(so marked in review)",
            }
        )
    order = _order(form)
    problems.sort(key=lambda p: order(p.get("question")))
    obj["problems"] = problems
    settled = {id(i) for u, _d in decided for i in u.items}
    obj["review"] = [i for i in obj["review"] if id(i) not in settled]
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
    unit: Unit,
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
