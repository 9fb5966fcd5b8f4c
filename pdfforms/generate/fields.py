"""Answers (SPEC §4) → field values (SPEC §2): the inverse of interpretation.

Used to pre-fill and fill forms and by the tests, which fill a form from known
answers and check that parsing gives them back.
"""

from __future__ import annotations

from ..model.errors import PdfformsError
from ..model.form import Form, Question, cell_name
from ..model.messages import text as msg

FieldValue = str | bool | None
"""Text for text and choice fields, an on-state for radio groups, True/False for checkboxes."""


def _number_text(value, lang: str) -> str:
    text = str(value)
    return text.replace(".", ",") if lang == "sv" else text


class AnswerError(PdfformsError, ValueError):
    """An answer that the form cannot hold (unknown question or value); `faults` lists
    each one, when several are found at once."""

    def __init__(self, message: str, faults: list[str] | None = None):
        self.faults = list(faults) if faults else [message]
        super().__init__(message)


def answers_to_fields(form: Form, answers: dict, lang: str | None = None) -> dict[str, FieldValue]:
    """The field values that make a form parse to `answers`.

    Questions missing from `answers` are left blank. Raises AnswerError for an
    answer that names an unknown question or a value the question does not offer.
    """
    lang = lang or form.default_language
    known = set(form.answer_keys())
    unknown = [k for k in answers if k not in known]
    if unknown:
        raise AnswerError(msg("fields.unknown_questions", questions=", ".join(unknown)))
    out: dict[str, FieldValue] = {}
    for q in form.answerable:
        value = answers.get(q.id)
        other_key = f"{q.id}__other_text"
        if q.other is not None:
            out[other_key] = answers.get(other_key) or None
        if value is None or value == [] or value == {}:
            if q.type == "multiple":
                for opt in q.choices:
                    out[f"{q.id}__{opt.value}"] = False
            elif q.type == "grid":
                for row in q.rows:
                    out[f"{q.id}__{row.id}"] = None
            elif q.type == "group":
                out.update(dict.fromkeys(q.field_names()))
            else:
                out[q.id] = None
            continue
        if q.type in ("text", "textarea", "date", "personnummer"):
            out[q.id] = str(value)
        elif q.type == "number":
            out[q.id] = _number_text(value, lang)
        elif q.type == "yesno":
            if not isinstance(value, bool):
                raise AnswerError(msg("fields.not_bool", question=q.id, value=repr(value)))
            out[q.id] = "yes" if value else "no"
        elif q.type in ("single", "scale", "dropdown"):
            value = str(value)
            if value not in q.choice_values:
                raise AnswerError(
                    msg(
                        "fields.not_one_of",
                        question=q.id,
                        value=repr(value),
                        allowed=", ".join(q.choice_values),
                    )
                )
            out[q.id] = value
        elif q.type == "multiple":
            chosen = set(value)
            bad = chosen - set(q.choice_values)
            if bad:
                raise AnswerError(
                    msg(
                        "fields.not_among",
                        question=q.id,
                        values=", ".join(sorted(bad)),
                        allowed=", ".join(q.choice_values),
                    )
                )
            for opt in q.choices:
                out[f"{q.id}__{opt.value}"] = opt.value in chosen
        elif q.type == "grid":
            for row in q.rows:
                cell = value.get(row.id)
                if cell is not None and cell not in q.choice_values:
                    raise AnswerError(
                        msg(
                            "fields.not_one_of",
                            question=q.id + msg("interpret.row", row=row.id),
                            value=repr(cell),
                            allowed=", ".join(q.choice_values),
                        )
                    )
                out[f"{q.id}__{row.id}"] = cell
        elif q.type == "group":
            out.update(_group_fields(q, value, lang))
    return out


def _group_fields(q: Question, rows, lang: str) -> dict[str, FieldValue]:
    """A group's answer (a list of row objects, SPEC §4) as its cells, the rows from
    the first printed row on."""
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise AnswerError(msg("fields.group_rows", question=q.id, value=repr(rows)))
    if len(rows) > q.row_count:
        raise AnswerError(msg("fields.group_too_many", question=q.id, n=len(rows), max=q.row_count))
    items = {item.id: item for item in q.items}
    out: dict[str, FieldValue] = dict.fromkeys(q.field_names())
    for k, row in enumerate(rows, start=1):
        unknown = [key for key in row if key not in items]
        if unknown:
            raise AnswerError(
                msg(
                    "fields.group_items",
                    question=q.id,
                    row=k,
                    items=", ".join(map(str, unknown)),
                    allowed=", ".join(items),
                )
            )
        for key, cell in row.items():
            if cell is None:
                continue
            text = _number_text(cell, lang) if items[key].type == "number" else str(cell)
            out[cell_name(q.id, k, key)] = text
    return out
