"""The summary tables as tidy CSV, for people who draw their own charts.

One row per form × group × question × answer, with count, percent and base,
and the same cells hidden as in the PDF and HTML (`suppressed` says why, and
the numbers are empty). A conditional question has one more row, answer
`_out_of_turn`: how many answered it though it did not apply to them, which
is not part of its base (so no percent and no base). Free texts are not tables and are not written.
Beside it, `<name>.pairing.csv` holds the patients' answers to the paired
questions per care unit, with the unit's own answer and the difference.
"""

from __future__ import annotations

import csv
import io

from .document import Labels
from .pairing import Pairing, by_difference
from .summarise import (
    ONE_CHOICE_TYPES,
    TEXT_TYPES,
    TOTAL,
    Summary,
    choice_label,
    choice_rows,
    mean,
    median,
    quantile,
)
from .visibility import Visibility

BLANK_ANSWER = "_blank"  # the answer column of "Ej svar" rows
# The answer column of the row counting respondents who answered a conditional
# question that did not apply to them: not in the base, so no percent and no base.
OUT_OF_TURN_ANSWER = "_out_of_turn"
SUMMARY_COLUMNS = (
    "form",
    "group_by",
    "group",
    "question",
    "number",
    "code",
    "label",
    "row",
    "answer",
    "answer_label",
    "count",
    "percent",
    "base",
    "value",
    "suppressed",
)
PAIRING_COLUMNS = (
    "unit",
    "code",
    "question",
    "label",
    "answer",
    "answer_label",
    "count",
    "percent",
    "base",
    "unit_answer",
    "difference",
    "suppressed",
)


def _percent(count: int, base: int) -> float | None:
    return round(100 * count / base, 1) if base else None


def _csv(rows, columns) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return "\ufeff" + buf.getvalue()  # a byte-order mark, so Excel reads å, ä and ö


def summary_csv(summary: Summary, seen: Visibility, lang: str, words) -> str:
    return _csv(_summary_rows(summary, seen, lang, words), SUMMARY_COLUMNS)


def _summary_rows(summary: Summary, seen: Visibility, lang: str, words):
    labels = Labels(lang, summary.by)
    for form_id, fs in summary.forms.items():
        keys = [TOTAL] + fs.ordered_groups()
        for key in keys:
            group = fs.total if key == TOTAL else fs.groups[key]
            base_row = {
                "form": form_id,
                "group_by": summary.by if fs.group_by is not None and key != TOTAL else "",
                "group": labels.group(fs, key),
            }
            for q in fs.questions:
                qrow = {
                    **base_row,
                    "question": q.id,
                    "number": q.number,
                    "code": q.code,
                    "label": labels.tr(q.label),
                }
                reason = seen.question(form_id, q.id, key)
                count = group.questions.get(q.id)
                if reason:
                    yield {**qrow, "suppressed": reason}
                    continue
                if count is None:
                    continue
                if count.base:
                    yield from _question_rows(q, count, qrow, lang, words)
                if fs.form.condition_of(q) is not None or count.out_of_turn:
                    yield {
                        **qrow,
                        "answer": OUT_OF_TURN_ANSWER,
                        "answer_label": words("out_of_turn_label"),
                        "count": count.out_of_turn,
                    }


def _question_rows(q, count, qrow: dict, lang: str, words):
    base = count.base

    def answer(value, label, k, row=None):
        return {
            **qrow,
            "row": row,
            "answer": value,
            "answer_label": label,
            "count": k,
            "percent": _percent(k, base),
            "base": base,
        }

    if q.type in ONE_CHOICE_TYPES or q.type == "multiple":
        for value, _label in choice_rows(q):
            k = count.counts.get(value, 0)
            yield answer(value, choice_label(q, value, lang), k)
        yield answer(BLANK_ANSWER, words("no_answer"), count.blank)
    elif q.type == "grid":
        for r in q.rows:
            counter = count.rows.get(r.id, {})
            for value, _label in choice_rows(q):
                yield answer(value, choice_label(q, value, lang), counter.get(value, 0), r.id)
            yield answer(BLANK_ANSWER, words("no_answer"), counter.get(None, 0), r.id)
    elif q.type == "date":
        for month in sorted(count.values):
            yield answer(month, words.month(month), count.values[month])
        yield answer(BLANK_ANSWER, words("no_answer"), count.blank)
    elif q.type == "number":
        yield answer("answered", words("answered"), count.answered)
        yield answer(BLANK_ANSWER, words("no_answer"), count.blank)
        values = count.values
        if values:
            for stat, value in (
                ("mean", mean(values)),
                ("median", median(values)),
                ("q1", quantile(values, 0.25)),
                ("q3", quantile(values, 0.75)),
                ("min", min(values)),
                ("max", max(values)),
            ):
                yield {**qrow, "answer": stat, "base": base, "value": value}
    elif q.type in TEXT_TYPES:
        yield answer("answered", words("answered"), count.answered)
        yield answer(BLANK_ANSWER, words("no_answer"), count.blank)


def pairing_csv(pairings: list[Pairing], seen: Visibility, lang: str, words) -> str:
    return _csv(_pairing_rows(pairings, seen, lang, words), PAIRING_COLUMNS)


def _pairing_rows(pairings: list[Pairing], seen: Visibility, lang: str, words):
    labels = Labels(lang)
    for index, pairing in enumerate(pairings):
        sides = [(TOTAL, words("total"), pairing.patients, pairing.units_total)]
        if pairing.per_unit:
            sides += [
                (u.key, u.label or words("no_answer"), u.patients, u.unit)
                for u in pairing.ordered_units()
            ]
        for key, name, patients, units in sides:
            rows = by_difference(pairing.pairs, patients, units)
            if any(seen.patients(index, p.code, key) for p in pairing.pairs):
                rows = [(p, None) for p in pairing.pairs]  # the order would tell
            for pair, diff in rows:
                q = pair.patient
                common = {
                    "unit": name,
                    "code": pair.code,
                    "question": q.id,
                    "label": labels.tr(q.label),
                    "unit_answer": labels.unit_answers(
                        pair.unit, units.of(pair.code), key == TOTAL
                    ),
                }
                reason = seen.patients(index, pair.code, key)
                if reason:
                    yield {**common, "suppressed": reason}
                    continue
                base = patients.base[pair.code]
                counts = patients.of(pair.code)
                rows = [(v, choice_label(q, v, lang)) for v, _l in choice_rows(q)]
                rows.append((None, words("no_answer")))
                for value, label in rows:
                    k = counts.get(value, 0)
                    yield {
                        **common,
                        "answer": BLANK_ANSWER if value is None else value,
                        "answer_label": label,
                        "count": k,
                        "percent": _percent(k, base),
                        "base": base,
                        "difference": None if diff is None else round(diff, 1),
                    }
                if (
                    pairing.patient_form.condition_of(q) is not None
                    or patients.out_of_turn[pair.code]
                ):
                    yield {
                        **common,
                        "answer": OUT_OF_TURN_ANSWER,
                        "answer_label": words("out_of_turn_label"),
                        "count": patients.out_of_turn[pair.code],
                    }
