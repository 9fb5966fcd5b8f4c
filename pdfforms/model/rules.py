"""Rules of the definition format that every step applies the same way.

What counts as a blank answer, and who was asked a question (`enable_when` of a
question or of its section, with all/any/not and comparisons of numbers, nested
conditions included): interpretation, print runs, the dataset's columns,
review and the report all follow these, so they live with the model.
"""

from __future__ import annotations

from .form import AllOf, Condition, Form, Not, Question, Rule
from .messages import text as msg


def blank_answers(form: Form) -> dict:
    """Every answer key of a form, blank: what an unanswered form parses to."""
    answers: dict = {}
    for q in form.answerable:
        answers[q.id] = blank_value(q)
        if q.other is not None:
            answers[f"{q.id}__other_text"] = None
    return answers


def blank_value(q: Question):
    """A blank answer of a question: [] for a multiple or a group (no rows written),
    all-null rows for a grid, else None."""
    if q.type in ("multiple", "group"):
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

    A question applies when it has no condition (of its own or of its section), or
    when its condition holds (`holds`): a test of an earlier question's answer is met
    only by an answer to a question that itself applied, so an answer given out of
    turn cannot make a later question apply (conditions only look back, so one pass
    in form order settles every question). Interpretation, the dataset's option
    columns and the report's bases all follow this one rule.
    """
    out: dict[str, bool] = {}
    for q in form.answerable:
        out[q.id] = applies(form, q, answers, out)
    return out


def applies(form: Form, q: Question, answers: dict, applied: dict[str, bool]) -> bool:
    """Whether `q` applied, given whether each question before it did (`asked`'s step)."""
    rule = form.condition_of(q)
    return rule is None or holds(form, rule, answers, applied)


def holds(form: Form, rule: Rule, answers: dict, applied: dict[str, bool] | None = None) -> bool:
    """Whether a condition holds. A test is met only by an answer that is there (and,
    given `applied`, to a question that applied): a blank or skipped answer meets no
    test, so `not` of a test holds for it, as the printed words say ("answer if you
    did not answer Yes to question 4")."""
    if isinstance(rule, Condition):
        if applied is not None and not applied.get(rule.question, False):
            return False
        return condition_met(form, rule, answers)
    if isinstance(rule, Not):
        return not holds(form, rule.condition, answers, applied)
    if isinstance(rule, AllOf):
        return all(holds(form, r, answers, applied) for r in rule.conditions)
    return any(holds(form, r, answers, applied) for r in rule.conditions)


def undecided_holds(form: Form, rule: Rule, answers: dict) -> bool | None:
    """Whether a condition holds for answers some of which are still to come (a
    pre-filled copy): None while it depends on a blank answer, which the respondent
    may still give."""
    if isinstance(rule, Condition):
        if is_blank_answer(answers.get(rule.question)):
            return None
        return condition_met(form, rule, answers)
    if isinstance(rule, Not):
        inner = undecided_holds(form, rule.condition, answers)
        return None if inner is None else not inner
    parts = [undecided_holds(form, r, answers) for r in rule.conditions]
    if isinstance(rule, AllOf):
        return False if False in parts else None if None in parts else True
    return True if True in parts else None if None in parts else False


def condition_met(form: Form, cond: Condition, answers: dict) -> bool:
    """Whether one test of an earlier answer is met, given the answers before it."""
    target = form.question(cond.question)
    value = answers.get(cond.question)
    if is_blank_answer(value):
        return False
    if cond.numeric:
        # a number or a scale's point; a scale's na (a word) and a number that could not
        # be read are no number, and meet no comparison
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return all(_COMPARE[name](value, bound) for name, bound in cond.bounds.items())
    if target.type == "yesno":
        return ("yes" if value else "no") in cond.values
    if target.type == "multiple":
        return any(v in cond.values for v in value)
    return str(value) in cond.values


_COMPARE = {
    "at_least": lambda v, b: v >= b,
    "at_most": lambda v, b: v <= b,
    "more_than": lambda v, b: v > b,
    "less_than": lambda v, b: v < b,
}


def describe(rule: Rule, name=lambda qid: f"'{qid}'") -> str:
    """A condition in words for messages, in the messages' language (model/messages.py):
    `name(question id)` names a question."""
    if isinstance(rule, Condition):
        if rule.numeric:
            words = {"at_least": ">=", "at_most": "<=", "more_than": ">", "less_than": "<"}
            tests = msg("rules.and").join(f"{words[k]} {_num(b)}" for k, b in rule.bounds.items())
            return msg("rules.is", question=name(rule.question), values=tests)
        values = msg("rules.or").join(rule.values)
        return msg("rules.is", question=name(rule.question), values=values)
    if isinstance(rule, Not):
        return msg("rules.not", condition=describe(rule.condition, name))
    joiner = msg("rules.and") if isinstance(rule, AllOf) else msg("rules.or")
    return joiner.join(
        describe(r, name) if isinstance(r, Condition | Not) else f"({describe(r, name)})"
        for r in rule.conditions
    )


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
