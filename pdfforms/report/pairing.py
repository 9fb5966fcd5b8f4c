"""Patients and the care unit side by side: the questions two forms share by `code`.

The shipped patient and unit forms put SKR's seven questions to both sides with
the same codes (`skr-7-1` … `skr-7-7`) but different answer lists ("Ja" against
"Ja, fullt ut"). To say where they disagree, each answer gets a score on one
scale, 0–100 (SCORES; a scale question by its position; an unknown list by its
order, first = best), and the difference is the unit's score minus the
patients' mean. "Vet inte" and blanks carry no score.

Care units are matched by the unit each copy was printed for (the dataset's
`unit`), else by the question that names the unit on the form
(`summarise.record_unit`): so the unit's own form is paired with its patients.
When neither form names units, patients and units are paired in total only,
and the report says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..model.form import OTHER, Form, Question
from ..model.library import version_key
from ..model.rules import asked, is_blank_answer
from .load import Record
from .summarise import (
    BLANK_GROUP,
    ONE_CHOICE_TYPES,
    choice_rows,
    merged_questions,
    record_unit,
    swedish_order,
    unit_question,
)

# One scale for the answers of both sides (values as in the shipped option sets).
SCORES = {
    "ja": 100,
    "ja_fullt": 100,
    "yes": 100,
    "delvis": 50,
    "nej": 0,
    "nej_planerat": 0,  # "No, but planned": not yet in place, as the patient meets it
    "no": 0,
}
DONT_KNOW = frozenset({"vet_inte", "vet_ej", "dont_know", "unknown"})
# A form whose id holds one of these answers for the unit, not for patients.
UNIT_FORM_WORDS = ("verksamhet", "enhet", "unit", "clinic")
UNMATCHED = "\0unmatched"


@dataclass
class Pair:
    code: str
    patient: Question
    unit: Question


@dataclass
class Side:
    """The answers of one form's respondents (in one unit, or all) to the coded questions."""

    n: int = 0
    base: Counter = field(default_factory=Counter)  # code → respondents it applied to
    counts: dict[str, Counter] = field(default_factory=dict)  # code → value|None → n
    # code → respondents who answered though the question did not apply to them
    out_of_turn: Counter = field(default_factory=Counter)

    def add(self, other: Side) -> None:
        self.n += other.n
        self.base.update(other.base)
        self.out_of_turn.update(other.out_of_turn)
        for code, counter in other.counts.items():
            self.counts.setdefault(code, Counter()).update(counter)

    def of(self, code: str) -> Counter:
        return self.counts.get(code, Counter())


@dataclass
class Unit:
    key: str
    label: str
    patients: Side = field(default_factory=Side)
    unit: Side = field(default_factory=Side)


@dataclass
class Pairing:
    patient_form: Form
    unit_form: Form
    pairs: list[Pair]
    per_unit: bool
    lacking: list[Form]  # forms without a question naming the unit
    patients: Side  # all patients
    units_total: Side  # all unit forms
    units: dict[str, Unit]
    unmatched: Side  # patients whose unit sent no unit form (or left the unit blank)

    def ordered_units(self) -> list[Unit]:
        return sorted(
            self.units.values(), key=lambda u: (u.key == BLANK_GROUP, swedish_order(u.label))
        )


def score(q: Question, value) -> float | None:
    """An answer on the common 0–100 scale; None for "Vet inte", "other" and blank."""
    if value is None or value == OTHER or value in DONT_KNOW:
        return None
    if q.na is not None and value == q.na.value:
        return None
    if q.type == "scale":
        return 100 * (int(value) - q.min) / (q.max - q.min)
    if value in SCORES:
        return SCORES[value]
    ordered = [v for v, _l in choice_rows(q) if v not in DONT_KNOW and v != OTHER]
    if len(ordered) < 2 or value not in ordered:
        return None
    return 100 * (len(ordered) - 1 - ordered.index(value)) / (len(ordered) - 1)


def mean_score(q: Question, counts: Counter) -> float | None:
    total = weight = 0.0
    for value, k in counts.items():
        s = score(q, value)
        if s is not None:
            total += s * k
            weight += k
    return total / weight if weight else None


def difference(pair: Pair, patients: Counter, units: Counter) -> float | None:
    """The unit's score minus the patients' mean score, or None when either has none."""
    p = mean_score(pair.patient, patients)
    u = mean_score(pair.unit, units)
    return None if p is None or u is None else u - p


def by_difference(pairs: list[Pair], patients: Side, units: Side) -> list[tuple[Pair, float]]:
    """The pairs with their difference, largest disagreement (either way) first."""
    rows = [(p, difference(p, patients.of(p.code), units.of(p.code))) for p in pairs]
    order = {p.code: i for i, p in enumerate(pairs)}
    return sorted(rows, key=lambda r: (r[1] is None, -abs(r[1] or 0), order[r[0].code]))


def _coded(questions: list[Question]) -> dict[str, Question]:
    return {q.code: q for q in questions if q.code and q.type in ONE_CHOICE_TYPES}


class PairTally:
    """Counts the coded questions of every form that shares codes with another."""

    def __init__(self, forms: dict[str, dict[str, Form]]):
        self.newest: dict[str, Form] = {}
        self.codes: dict[str, dict[str, Question]] = {}
        for form_id, versions in forms.items():
            merged = merged_questions(list(versions.values()))
            self.codes[form_id] = _coded(merged)
            self.newest[form_id] = versions[max(versions, key=version_key)]
        self.candidates: list[tuple[str, str, list[str]]] = []
        ids = sorted(forms)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                shared = [c for c in self.codes[a] if c in self.codes[b]]
                if shared:
                    self.candidates.append((a, b, shared))
        involved = {f for a, b, _s in self.candidates for f in (a, b)}
        self.sides: dict[str, dict[str, Side]] = {f: {} for f in involved}
        self.shown: dict[str, dict[str, str]] = {f: {} for f in involved}
        self.records: Counter = Counter()
        self.named: set[str] = set()  # forms some return of which names its unit

    def add(self, record: Record) -> None:
        form = record.form
        if form.id not in self.sides:
            return
        self.records[form.id] += 1
        key, text = record_unit(record)  # the copy's unit, else its unit question's answer
        if key != BLANK_GROUP:
            self.named.add(form.id)
            self.shown[form.id].setdefault(key, text)
        side = self.sides[form.id].setdefault(key, Side())
        side.n += 1
        codes = self.codes[form.id]
        applies = asked(form, record.answers)
        for q in form.answerable:
            if q.code not in codes or q.type not in ONE_CHOICE_TYPES:
                continue
            value = record.answers.get(q.id)
            blank = is_blank_answer(value)
            if not applies[q.id]:
                if not blank:  # out of turn: counted as such, never as an answer
                    side.out_of_turn[q.code] += 1
                continue
            if q.type == "yesno" and not blank:
                value = "yes" if value else "no"
            side.base[q.code] += 1
            side.counts.setdefault(q.code, Counter())[None if blank else str(value)] += 1

    def pairings(self) -> list[Pairing]:
        out = []
        for a, b, shared in self.candidates:
            patient_id, unit_id = self._roles(a, b)
            pairs = [Pair(c, self.codes[patient_id][c], self.codes[unit_id][c]) for c in shared]
            # codes number their questions as versions do: skr-2 before skr-10
            pairs.sort(key=lambda p: version_key(p.code.replace("skr-", "")))
            out.append(self._pairing(patient_id, unit_id, pairs))
        return out

    def _roles(self, a: str, b: str) -> tuple[str, str]:
        """(patient form, unit form): by the form's id, else the unit side has fewer returns."""
        a_unit = any(w in a for w in UNIT_FORM_WORDS)
        b_unit = any(w in b for w in UNIT_FORM_WORDS)
        if a_unit != b_unit:
            return (b, a) if a_unit else (a, b)
        return (b, a) if self.records[a] < self.records[b] else (a, b)

    def _pairing(self, patient_id: str, unit_id: str, pairs: list[Pair]) -> Pairing:
        patient_form, unit_form = self.newest[patient_id], self.newest[unit_id]
        lacking = [
            f
            for f in (patient_form, unit_form)
            if unit_question(f) is None and f.id not in self.named
        ]
        per_unit = not lacking
        patients, units_total, unmatched = Side(), Side(), Side()
        for side in self.sides[patient_id].values():
            patients.add(side)
        for side in self.sides[unit_id].values():
            units_total.add(side)
        units: dict[str, Unit] = {}
        if per_unit:
            for key, side in self.sides[unit_id].items():
                label = self.shown[unit_id].get(key) or ""
                units[key] = Unit(key, label)
                units[key].unit.add(side)
            for key, side in self.sides[patient_id].items():
                if key != BLANK_GROUP and key in units:
                    units[key].patients.add(side)
                else:
                    unmatched.add(side)
        return Pairing(
            patient_form,
            unit_form,
            pairs,
            per_unit,
            lacking,
            patients,
            units_total,
            units,
            unmatched,
        )
