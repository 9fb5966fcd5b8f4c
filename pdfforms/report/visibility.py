"""Which cells of a summary a report may show: `privacy.hide` applied to every table.

Decided once, before anything is written, so that the PDF, the HTML and the CSV
show and hide exactly the same cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .pairing import UNMATCHED, Pairing
from .privacy import SMALL, hide
from .summarise import TOTAL, FormSummary, Summary

REST = "\0rest"  # a group's responses in neither period compared: never shown


@dataclass
class Visibility:
    min_count: int
    groups: dict[str, dict[str, str]] = field(default_factory=dict)  # form → key → reason
    questions: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    pairings: list[dict[str, dict[str, str]]] = field(default_factory=list)  # code → unit → why
    # (form, question id or "" for the whole group) → (group or TOTAL, period) → why
    periods: dict[tuple[str, str], dict[tuple[str, str], str]] = field(default_factory=dict)

    def group(self, form_id: str, key: str) -> str | None:
        """Why a whole group (or TOTAL) is hidden, or None when it is shown."""
        return self.groups.get(form_id, {}).get(key)

    def question(self, form_id: str, qid: str, key: str) -> str | None:
        """Why one question's table in one group (or TOTAL) is hidden, or None."""
        return self.group(form_id, key) or self.questions.get((form_id, qid), {}).get(key)

    def period(self, form_id: str, qid: str, key: str, period: str) -> str | None:
        """Why one group's (or TOTAL's) counts in one period compared are hidden, or None.
        `qid` "" is the group's number of responses in the period."""
        return self.periods.get((form_id, qid), {}).get((key, period))

    def patients(self, index: int, code: str, unit_key: str) -> str | None:
        """Why the patients' answers of one unit (or TOTAL) to one code are hidden, or None."""
        return self.pairings[index].get(code, {}).get(unit_key)


def decide(summary: Summary, pairings: list[Pairing], min_count: int) -> Visibility:
    seen = Visibility(min_count)
    for form_id, fs in summary.forms.items():
        hidden: dict[str, str] = {}
        if 0 < fs.total.n < min_count:
            hidden[TOTAL] = SMALL
        if fs.group_by is not None:
            hidden.update(hide({k: g.n for k, g in fs.groups.items()}, min_count))
        seen.groups[form_id] = hidden
        for q in fs.questions:
            total = fs.total.questions.get(q.id)
            base = total.base if total else 0
            per_question: dict[str, str] = {}
            if 0 < base < min_count:
                per_question[TOTAL] = SMALL
            if fs.group_by is not None:
                sizes = {
                    k: (g.questions[q.id].base if q.id in g.questions else 0)
                    for k, g in fs.groups.items()
                }
                always = [k for k in hidden if k != TOTAL]
                per_question.update(hide(sizes, min_count, always))
            seen.questions[(form_id, q.id)] = per_question
    for pairing in pairings:
        per_code: dict[str, dict[str, str]] = {}
        for pair in pairing.pairs:
            code = pair.code
            hidden = {}
            if 0 < pairing.patients.base[code] < min_count:
                hidden[TOTAL] = SMALL
            if pairing.per_unit:
                sizes = {key: unit.patients.base[code] for key, unit in pairing.units.items()}
                sizes[UNMATCHED] = pairing.unmatched.base[code]
                hidden.update(hide(sizes, min_count, always=[UNMATCHED]))
            per_code[code] = hidden
        seen.pairings.append(per_code)
    for fs in summary.forms.values():
        if fs.periods is not None and fs.periods.latest is not None:
            decide_periods(seen, fs)
    return seen


def decide_periods(seen: Visibility, fs: FormSummary) -> None:
    """The cells of the periods compared: a table (groups and the total) × (the latest
    period, the one before, and the rest: earlier periods and undated responses).

    Each group's whole is shown or hidden already (`decide`); its period cells must
    not let a hidden one be worked out, either along its row (the whole minus the
    shown periods: the rest is never shown, so it counts as hidden) or down a column
    (the period's total minus its shown groups). `privacy.hide` is applied to each
    row and each column in turn until nothing more is hidden: every line then has
    hidden cells that add up to none or to at least `min_count`.
    """
    periods = fs.periods
    compared = [periods.latest, periods.previous]
    form_id = fs.form.id
    keys = [TOTAL, *fs.groups]
    measures = [""] + [q.id for q in fs.questions]

    def size(group, qid: str) -> int:
        if group is None:
            return 0
        if not qid:
            return group.n
        count = group.questions.get(qid)
        return count.base if count is not None else 0

    for qid in measures:
        cells: dict[tuple[str, str], int] = {}
        hidden: dict[tuple[str, str], str] = {}
        for key in keys:
            whole = size(fs.total if key == TOTAL else fs.groups[key], qid)
            in_periods = 0
            for period in compared:
                counts = periods.counts.get(period)
                group = None
                if counts is not None:
                    group = counts.total if key == TOTAL else counts.groups.get(key)
                cells[(key, period)] = size(group, qid)
                in_periods += cells[(key, period)]
            cells[(key, REST)] = whole - in_periods
            hidden[(key, REST)] = SMALL
            why = seen.question(form_id, qid, key) if qid else seen.group(form_id, key)
            if why:
                for period in compared:
                    hidden[(key, period)] = why
        while True:
            before = len(hidden)
            for key in keys:  # along a row: the group's whole is what is subtracted from
                row = {p: cells[(key, p)] for p in (*compared, REST)}
                always = [p for p in row if (key, p) in hidden]
                for p, why in hide(row, seen.min_count, always).items():
                    hidden.setdefault((key, p), why)
            for period in compared:  # down a column, when the period's total is shown
                if (TOTAL, period) in hidden:
                    continue
                column = {k: cells[(k, period)] for k in keys if k != TOTAL}
                always = [k for k in column if (k, period) in hidden]
                for k, why in hide(column, seen.min_count, always).items():
                    hidden.setdefault((k, period), why)
            if len(hidden) == before:
                break
        seen.periods[(form_id, qid)] = {c: why for c, why in hidden.items() if c[1] != REST}
