"""Raw field values → typed answers and problems, with the Form (`respond`).

This step never touches a PDF: every reader (form fields, flattened drawings,
scans), and a person's decisions in review, hand it the same raw values keyed by
field name (SPEC §2), so the rules of SPEC §1 and §4 live here once.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from ..model.coerce import CoerceError, parse_date, parse_number
from ..model.form import OTHER, Form, Question, cell_name, leaves, tr
from ..model.messages import text as msg
from ..model.personnummer import PersonnummerError, parse_personnummer
from ..model.quote import quote  # whole (limit=None): a field's value is kept in its problem
from ..model.response import Problem
from ..model.rules import applies, describe, is_blank_answer

YES_STATES = {"yes", "ja", "y", "true", "on", "1"}
NO_STATES = {"no", "nej", "n", "false", "0"}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Interpreter:
    def __init__(
        self, form: Form, fields: dict[str, str | None], lang: str, today: datetime.date | None
    ):
        self.form = form
        self.fields = fields
        self.lang = lang
        self.today = today
        self.answers: dict = {}
        self.applied: dict[str, bool] = {}  # question id → asked of this respondent (see asked)
        self.problems: list[Problem] = []
        self.multiple_marks: dict[str, list[str]] = {}
        self.pending: set[str] = set()
        self.cell_names: dict[str, str] = {}  # a group's cell field → its words (name_of)

    def problem(self, q: Question, code: str, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(q.id, code, severity, message))

    def raw(self, name: str) -> str | None:
        value = self.fields.get(name)
        return None if _blank(value) else value

    def skipped_message(self, q: Question) -> str:
        """Why an answered question should have been skipped, in the words of its
        condition (of its own and of its section)."""
        rule = self.form.condition_of(q)
        when = describe(rule, lambda qid: self.name_of(self.form.question(qid)))
        unmet = [leaf.question for leaf in leaves(rule) if not self.applied.get(leaf.question)]
        return msg("interpret.should_be_skipped", question=self.name_of(q), when=when) + "".join(
            msg("interpret.did_not_apply", question=self.name_of(self.form.question(qid)))
            for qid in dict.fromkeys(unmet)
        )

    def name_of(self, q: Question) -> str:
        if q.id in self.cell_names:  # a cell of a group: the group, its row and column
            return self.cell_names[q.id]
        if q.number:
            return msg("interpret.question_numbered", number=q.number, id=q.id)
        return msg("interpret.question", id=q.id)

    # -- per type ---------------------------------------------------------------------

    def text(self, q: Question):
        value = self.raw(q.id)
        if value is None:
            return None
        if q.type == "text":
            value = " ".join(value.split("\n")).strip()
        else:
            value = "\n".join(line.rstrip() for line in value.strip().split("\n"))
        if q.max_length is not None and len(value) > q.max_length:
            self.problem(
                q,
                "too_long",
                msg(
                    "interpret.too_long",
                    question=self.name_of(q),
                    n=len(value),
                    max=q.max_length,
                    value=quote(value, limit=None),
                ),
                "warning",
            )
        return value

    textarea = text

    def number(self, q: Question):
        text = self.raw(q.id)
        if text is None:
            return None
        try:
            value = parse_number(text, 0 if q.decimals == 0 else None)
        except CoerceError as exc:
            self.problem(q, "invalid_number", f"{self.name_of(q)}: {exc}")
            return None
        if q.decimals and q.decimals > 0:
            try:
                value = float(value)
            except OverflowError:  # a whole number of hundreds of digits
                self.problem(
                    q,
                    "invalid_number",
                    msg(
                        "interpret.too_large",
                        question=self.name_of(q),
                        value=quote(text, limit=None),
                    ),
                )
                return None
            if round(value, q.decimals) != value:
                self.problem(
                    q,
                    "too_many_decimals",
                    msg(
                        "interpret.too_many_decimals",
                        question=self.name_of(q),
                        value=quote(text, limit=None),
                        decimals=q.decimals,
                    ),
                    "warning",
                )
        self.check_range(q, value, text)
        return value

    def check_range(self, q: Question, value, text: str) -> None:
        if q.min is not None and value < q.min:
            self.problem(
                q,
                "out_of_range",
                msg(
                    "interpret.below_min",
                    question=self.name_of(q),
                    value=quote(text, limit=None),
                    min=q.min,
                ),
            )
        if q.max is not None and value > q.max:
            self.problem(
                q,
                "out_of_range",
                msg(
                    "interpret.above_max",
                    question=self.name_of(q),
                    value=quote(text, limit=None),
                    max=q.max,
                ),
            )

    def date(self, q: Question):
        text = self.raw(q.id)
        if text is None:
            return None
        try:
            value = parse_date(text, today=self.today).isoformat()
        except CoerceError as exc:
            self.problem(q, "invalid_date", f"{self.name_of(q)}: {exc}")
            return None
        self.check_range(q, value, text)  # ISO strings compare as dates
        return value

    def personnummer(self, q: Question):
        text = self.raw(q.id)
        if text is None:
            return None
        try:
            return parse_personnummer(text, today=self.today).number
        except PersonnummerError as exc:
            self.problem(q, "invalid_personnummer", f"{self.name_of(q)}: {exc}")
            return None

    def choice(self, q: Question, name: str, what: str | None = None):
        """The chosen option value of one radio group or choice field."""
        if self.marked_twice(q, name, what):
            return None
        value = self.raw(name)
        if value is None:
            return None
        value = value.strip()
        allowed = q.choice_values
        if value in allowed:
            return value
        # A viewer that stored the label instead of the export value, or a case change.
        for opt in q.choices:
            labels = [v for v in opt.label.values()] if opt.label else []
            if value.casefold() in (x.casefold() for x in [opt.value, *labels]):
                return opt.value
        where = f"{self.name_of(q)}{what or ''}"
        self.problem(
            q,
            "unknown_value",
            msg(
                "interpret.unknown_value",
                question=where,
                value=quote(value, limit=None),
                allowed=", ".join(allowed),
            ),
        )
        return None

    def marked_twice(self, q: Question, name: str, what: str | None = None) -> bool:
        """A radio group a reader of paper found marked more than once: a problem."""
        if name not in self.multiple_marks:
            return False
        marks = ", ".join(self.multiple_marks[name])
        self.problem(
            q,
            "multiple_marks",
            msg("interpret.multiple_marks", question=f"{self.name_of(q)}{what or ''}", marks=marks),
        )
        return True

    def yesno(self, q: Question):
        if self.marked_twice(q, q.id):
            return None
        value = self.raw(q.id)
        if value is None:
            return None
        state = value.strip().casefold()
        if state in YES_STATES:
            return True
        if state in NO_STATES:
            return False
        self.problem(
            q,
            "unknown_value",
            msg(
                "interpret.not_yes_or_no", question=self.name_of(q), value=quote(value, limit=None)
            ),
        )
        return None

    def single(self, q: Question):
        value = self.choice(q, q.id)
        other_text = self.other_text(q)
        if value is None and other_text is not None:
            value = OTHER
        elif value not in (None, OTHER) and other_text is not None:
            self.problem(
                q,
                "other_text_not_chosen",
                msg(
                    "interpret.other_text_not_chosen",
                    question=self.name_of(q),
                    text=quote(other_text, limit=None),
                    value=value,
                ),
                "warning",
            )
        return value

    def dropdown(self, q: Question):
        return self.choice(q, q.id)

    def scale(self, q: Question):
        value = self.choice(q, q.id)
        if value is None or (q.na is not None and value == q.na.value):
            return value
        return int(value)

    def multiple(self, q: Question):
        chosen = [o.value for o in q.choices if self.raw(f"{q.id}__{o.value}") is not None]
        other_text = self.other_text(q)
        if other_text is not None and OTHER not in chosen:
            chosen.append(OTHER)  # OTHER is always the last choice
        if chosen:
            if q.min_choices is not None and len(chosen) < q.min_choices:
                self.problem(
                    q,
                    "too_few_choices",
                    msg(
                        "interpret.too_few_choices",
                        question=self.name_of(q),
                        n=len(chosen),
                        chosen=", ".join(chosen),
                        min=q.min_choices,
                    ),
                )
            if q.max_choices is not None and len(chosen) > q.max_choices:
                self.problem(
                    q,
                    "too_many_choices",
                    msg(
                        "interpret.too_many_choices",
                        question=self.name_of(q),
                        n=len(chosen),
                        chosen=", ".join(chosen),
                        max=q.max_choices,
                    ),
                )
        return chosen

    def grid(self, q: Question):
        return {
            row.id: self.choice(q, f"{q.id}__{row.id}", msg("interpret.row", row=row.id))
            for row in q.rows
        }

    def group(self, q: Question) -> list[dict]:
        """A group's rows as objects {item: value}, printed rows with nothing written
        left out, a blank cell of a written row null. A cell is read as a question of
        its column's type; its problems are the group's and name the row and column."""
        rows = []
        for k in range(1, q.row_count + 1):
            row, written = {}, False
            for item in q.items:
                name = cell_name(q.id, k, item.id)
                self.cell_names[name] = msg(
                    "interpret.cell",
                    question=self.name_of(q),
                    row=k,
                    item=tr(item.label, self.lang),
                )
                start = len(self.problems)
                row[item.id] = getattr(self, item.type)(replace(item, id=name, number=None))
                for problem in self.problems[start:]:
                    problem.question = q.id
                written = written or self.raw(name) is not None
            if written:  # kept when a cell could not be read: its problem says why
                rows.append(row)
        return rows

    def other_text(self, q: Question) -> str | None:
        value = self.raw(f"{q.id}__other_text")
        if value is None:
            return None
        value = " ".join(value.split("\n")).strip()
        self.answers[f"{q.id}__other_text"] = value
        return value

    # -- the whole form -----------------------------------------------------------------

    def run(self) -> tuple[dict, list[Problem]]:
        for q in self.form.answerable:
            if q.other is not None:
                self.answers[f"{q.id}__other_text"] = None
            value = getattr(self, q.type)(q)  # text, single, grid, … below
            self.answers[q.id] = value
            # keep SPEC's key order: the question, then its other text
            if q.other is not None:
                self.answers[f"{q.id}__other_text"] = self.answers.pop(f"{q.id}__other_text")
            self.check_flow(q, value)
        return self.answers, self.problems

    def check_flow(self, q: Question, value) -> None:
        # asked()'s own step (model/rules.py), so that "not asked" and "missing" are
        # told apart here as in the dataset and the report
        enabled = applies(self.form, q, self.answers, self.applied)
        self.applied[q.id] = enabled
        answered = not is_blank_answer(value)
        if not enabled:
            if answered:
                self.problem(q, "should_be_skipped", self.skipped_message(q), "warning")
            return
        if not q.required or q.id in self.pending:
            return  # pending: a person has yet to read it (handwriting, an uncertain mark)
        if q.type == "grid":
            missing = [r for r, v in value.items() if v is None]
            if missing:
                self.problem(
                    q,
                    "required",
                    msg(
                        "interpret.required_rows", question=self.name_of(q), rows=", ".join(missing)
                    ),
                )
        elif q.type == "group" and not answered:
            self.problem(q, "required", msg("interpret.required_group", question=self.name_of(q)))
        elif not answered:
            self.problem(
                q,
                "required",
                msg(
                    "interpret.required",
                    question=self.name_of(q),
                    label=repr(tr(q.label, self.lang)),
                ),
            )


def respond(
    form: Form,
    fields: dict[str, str | None],
    language: str | None = None,
    *,
    today: datetime.date | None = None,
    multiple: dict[str, list[str]] | None = None,
    pending: set[str] | None = None,
) -> tuple[dict, list[Problem]]:
    """Raw field values → typed answers (every question of the form) and their problems.

    The one door to the rules of SPEC §1 and §4: a filled or flattened file
    (parse/file.py), a scanned questionnaire (parse/scan.py) and a questionnaire
    a person's review decisions changed (dataset/decisions.py) all come in here.
    `language` is the one the form was filled in (None: the form's first);
    `today` dates "today" for dates and personnummer (None: the real today).
    `multiple` names radio groups that a reader of drawn or scanned pages found
    marked more than once: those are problems, never a guess. `pending` names
    questions a person still has to read: blank for now, but not "required but
    blank".
    """
    interpreter = _Interpreter(form, fields, language or form.default_language, today)
    interpreter.multiple_marks = multiple or {}
    interpreter.pending = pending or set()
    return interpreter.run()
