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

from dataclasses import dataclass, field

from ..model.form import Form, Question, Row, cell_name, tr
from ..model.layout import hint
from ..model.response import ReviewItem

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
class DecisionItem:
    key: str
    reason: str
    page: int | None
    targets: list[Target]
    whole_page: bool
    items: list[ReviewItem] = field(default_factory=list)
    # where each of `items` stands in the parsed form's `review` list
    positions: list[int] = field(default_factory=list)

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
        elif q.type == "group":  # a cell is a text to transcribe; its row says which
            for k in range(1, q.row_count + 1):
                for item in q.items:
                    name = cell_name(q.id, k, item.id)
                    where = {
                        lang: hint(lang, "cell", n=k, item=tr(item.label, lang))
                        for lang in form.languages
                    }
                    found[name] = Target(name, q, "text", row=Row(name, where))
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


def decision_items(obj: dict, questionnaire: int, form: Form) -> list[DecisionItem]:
    """The units of one parsed form, in the order of its review items."""
    targets = targets_of(form)
    sha = obj["source"].get("sha256") or ""
    units: dict[str, DecisionItem] = {}
    for position, json_item in enumerate(obj.get("review") or []):
        item = ReviewItem.from_json(json_item)
        if item.question is None:  # a whole page
            fields = item.fields or list(targets)
            chosen = _distinct(targets[f] for f in fields if f in targets)
            name, whole = f"page{item.page}", True
        else:
            target = targets.get(item.field or item.question)
            if target is None:  # a question this form does not have: nothing to decide
                continue
            chosen, name, whole = [target], target.name, False
        key = f"{sha}:{questionnaire}:{name}"
        unit = units.get(key)
        if unit is None:
            unit = units[key] = DecisionItem(key, item.reason or "", item.page, chosen, whole)
        unit.items.append(item)
        unit.positions.append(position)
    return list(units.values())


# -- what the machine thinks ---------------------------------------------------------------


def guess(obj: dict, unit: DecisionItem, target: Target):
    """The value to preselect: what was read, OCR's text, or the uncertain mark that leans in."""
    answers = obj["answers"]
    q = target.question
    items = [i for i in unit.items if i.field == target.name or unit.whole_page]
    if target.input in ("text", "textarea", "personnummer"):
        for i in items:
            if i.text:
                return i.text
            # digits read in comb cells: pre-filled only when every digit was read
            # surely and the value passes the question's own check; else the person
            # sees the suggestion beside the box (review/session.py), not in it
            if i.suggestion and i.suggestion_problem is None:
                return i.suggestion
        value = answers.get(target.name)
        return "" if value is None else str(value)
    leaning = {
        i.option: float(i.confidence or 0)
        for i in unit.items
        if i.reason == "uncertain_mark" and i.option is not None
    }
    leaning = {o: c for o, c in leaning.items() if c >= UNSURE}
    if target.input == "multiple":
        chosen = list(answers.get(q.id) or [])
        return [o.value for o in q.choices if o.value in chosen or o.value in leaning]
    value = answers.get(q.id)
    if target.row is not None:
        value = (value or {}).get(target.row.id)
    if value is not None:
        return field_text(q, value)
    for i in items:
        for option in i.marked or []:  # boxes read as firmly marked beside the unsure one
            leaning[option] = max(leaning.get(option, 0), 1.0)
    return max(leaning, key=leaning.get) if leaning else None


def field_text(q: Question, value) -> str:
    if q.type == "yesno":
        return "yes" if value else "no"
    return str(value)


# -- applying decisions ------------------------------------------------------------------
