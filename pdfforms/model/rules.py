"""Rules of the definition format that every step applies the same way.

What counts as a blank answer, and who was asked a question (`enable_when`,
nested conditions included): interpretation, print runs, the dataset's columns,
review and the report all follow these, so they live with the model.
"""

from __future__ import annotations

from .form import Condition, Form, Question


def blank_answers(form: Form) -> dict:
    """Every answer key of a form, blank: what an unanswered form parses to."""
    answers: dict = {}
    for q in form.answerable:
        answers[q.id] = blank_value(q)
        if q.other is not None:
            answers[f"{q.id}__other_text"] = None
    return answers


def blank_value(q: Question):
    """A blank answer of a question: [] for a multiple, all-null rows for a grid, else None."""
    if q.type == "multiple":
        return []
    if q.type == "grid":
        return {row.id: None for row in q.rows}
    return None


def is_blank_answer(value) -> bool:
    if value is None or value == []:
        return True
    if isinstance(value, dict):
        return all(v is None for v in value.values())
    return False


def asked(form: Form, answers: dict) -> dict[str, bool]:
    """Question id → whether the question applied to this respondent (was asked of them).

    A question applies when it has no condition, or when its condition is met by
    an answer to a question that itself applied: an answer given out of turn
    cannot make a later question apply (conditions only look back, so one pass
    in form order settles every question). Interpretation, the dataset's option
    columns and the report's bases all follow this one rule.
    """
    out: dict[str, bool] = {}
    for q in form.answerable:
        cond = q.enable_when
        out[q.id] = cond is None or (
            out.get(cond.question, False) and condition_met(form, cond, answers)
        )
    return out


def condition_met(form: Form, cond: Condition, answers: dict) -> bool:
    """Whether a question's enable_when holds, given the answers before it."""
    target = form.question(cond.question)
    value = answers.get(cond.question)
    if is_blank_answer(value):
        return False
    if target.type == "yesno":
        return ("yes" if value else "no") in cond.values
    if target.type == "multiple":
        return any(v in cond.values for v in value)
    return str(value) in cond.values
