"""Answer sets the real-client tests fill: synthetic, all blank, and rich Swedish text."""

from __future__ import annotations

import datetime
import random

from pdfforms.model.form import OTHER, Form
from pdfforms.model.rules import blank_answers, condition_met
from pdfforms.testing.synthetic import synthetic_answers

LINE = "Åsa-Märta Öhrn – “Fido” € 5"
TEXT = "Första raden: ärtsoppa – å ä ö.\nAndra raden ”citat” € 12\n\nEfter en tom rad."
OTHER_TEXT = "Lingon & hjortron – å ä ö €"


def rich_answers(form: Form) -> dict:
    """Every question answered with the hard cases: å ä ö, – “ ” €, newlines, other texts.

    A question whose condition fails stays blank, as a respondent skips it.
    """
    answers = blank_answers(form)
    for q in form.answerable:
        if q.enable_when is not None and not condition_met(form, q.enable_when, answers):
            continue
        if q.type == "text":
            answers[q.id] = LINE[: q.max_length] if q.max_length else LINE
        elif q.type == "textarea":
            answers[q.id] = TEXT
        elif q.type == "number":
            value = q.max if q.max is not None else 42
            answers[q.id] = float(value) - 0.5 if q.decimals else int(value)
        elif q.type == "date":
            day = datetime.date(2026, 2, 28)
            if q.max and day.isoformat() > q.max:
                day = datetime.date.fromisoformat(q.max)
            answers[q.id] = day.isoformat()
        elif q.type == "personnummer":
            answers[q.id] = "19121212-1212"
        elif q.type == "yesno":
            answers[q.id] = True
        elif q.type in ("single", "dropdown"):
            answers[q.id] = OTHER if q.other is not None else q.choice_values[-1]
        elif q.type == "multiple":
            values = q.choice_values
            chosen = [values[0], values[-1]][: q.max_choices or 2]
            answers[q.id] = [v for v in values if v in chosen]
        elif q.type == "scale":
            answers[q.id] = q.na.value if q.na is not None else int(q.max)
        elif q.type == "grid":
            answers[q.id] = {
                row.id: (q.choice_values[i % len(q.choice_values)] if i != 1 else None)
                for i, row in enumerate(q.rows)
            }
        elif q.type == "group":  # a whole row, and one with its later cells blank
            first = {item.id: _cell(item) for item in q.items}
            second = {item.id: _cell(item) if i == 0 else None for i, item in enumerate(q.items)}
            answers[q.id] = [first, second][: q.row_count]
        chosen = answers[q.id]
        if q.other is not None and (
            chosen == OTHER or (isinstance(chosen, list) and OTHER in chosen)
        ):
            answers[f"{q.id}__other_text"] = OTHER_TEXT
    return answers


def _cell(item) -> str | int | float:
    """A hard value for a group's cell, as its column's type asks."""
    if item.type == "text":
        return LINE[: item.max_length] if item.max_length else LINE
    if item.type == "date":
        return "2026-02-28" if not item.max or item.max >= "2026-02-28" else item.max
    value = item.max if item.max is not None else 42
    return float(value) - 0.5 if item.decimals else int(value)


def answer_sets(form: Form) -> dict[str, dict]:
    return {
        "synthetic": synthetic_answers(form, random.Random(len(form.id))),
        "blank": blank_answers(form),
        "rich": rich_answers(form),
    }
