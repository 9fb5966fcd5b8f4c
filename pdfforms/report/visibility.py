"""Which cells of a summary a report may show: `privacy.hide` applied to every table.

Decided once, before anything is written, so that the PDF, the HTML and the CSV
show and hide exactly the same cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .pairing import UNMATCHED, Pairing
from .privacy import SMALL, hide
from .summarise import TOTAL, Summary


@dataclass
class Visibility:
    min_count: int
    groups: dict[str, dict[str, str]] = field(default_factory=dict)  # form → key → reason
    questions: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    pairings: list[dict[str, dict[str, str]]] = field(default_factory=list)  # code → unit → why

    def group(self, form_id: str, key: str) -> str | None:
        """Why a whole group (or TOTAL) is hidden, or None when it is shown."""
        return self.groups.get(form_id, {}).get(key)

    def question(self, form_id: str, qid: str, key: str) -> str | None:
        """Why one question's table in one group (or TOTAL) is hidden, or None."""
        return self.group(form_id, key) or self.questions.get((form_id, qid), {}).get(key)

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
    return seen
