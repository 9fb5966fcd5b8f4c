"""Records → counts per form, per group and per question. Pure counting, no output.

What is held is what a report prints: counts, the distinct values of number
questions (for medians), months of dates, and the free texts. A record is
dropped as soon as it is counted, so memory does not grow with the number of
returns beyond the free texts.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from ..model.form import OTHER, Form, Question, tr
from ..model.library import version_key
from ..model.messages import text as msg
from ..model.privacy import mask_for_report, personal
from ..model.rules import asked, is_blank_answer
from .load import Record, ReportError
from .spill import Texts, TextStore

TOTAL = "\0total"  # the key of "all respondents" beside the groups' keys
BLANK_GROUP = ""  # the group of respondents who left the --by question blank
ONE_CHOICE_TYPES = ("single", "dropdown", "yesno", "scale")  # one answer of a few: counted
# Answers read as written texts: a group's rows too, each row one line of its cells
# (group_row), listed in the appendix as a textarea's answers are.
TEXT_TYPES = ("text", "textarea", "group")
GROUP_CELL_SEPARATOR = " · "
BLANK_CELL = "–"
META_GROUPS = ("language", "kind", "version")
NEVER_GROUPS = ("file", "sha256", "serial", "questionnaire", "outcome", "problems", "review")
# Questions that name the care unit, by id or code (a form may spell it either way).
UNIT_NAMES = (
    "vardenhet",
    "enhet",
    "enhetens_namn",
    "verksamhet",
    "verksamhetens_namn",
    "unit",
    "care_unit",
)
UNIT_ALIASES = ("enhet", "vardenhet", "unit")  # --by enhet: the unit (UNIT_GROUP)
# Grouping by care unit: the unit the copy was printed for (the dataset's `unit`
# column, from the copy or its print run's ledger), else the answer to the question
# naming the unit (the unit form's own "Verksamhetens namn"). It is the report's
# grouping when none is asked for and any return names a unit.
UNIT_GROUP = "unit"
COMPOSITE = "\x1f"  # between the parts of a key grouped by several columns
# The date a response was given: its answer to the form's date question, the one with
# one of these ids or codes (the patient form's "Datum", the unit form's "Datum då
# blanketten fylldes i"), else the form's only date question. Nothing else is taken
# for it: the ledger's `generated` is when the copy was printed, and a file's time is
# when it was scanned or saved; a response without that answer has no date.
DATE_NAMES = ("datum", "ifylld_datum", "svarsdatum", "date", "response_date")
# --compare: the periods compared, latest against the one before it in the calendar.
PERIODS = ("quarter", "month", "year")


@dataclass
class QuestionCount:
    """One question in one group."""

    base: int = 0  # respondents the question applied to (answered or blank)
    blank: int = 0
    # Respondents who answered though the question did not apply to them (its
    # enable_when not met). Not in the base, the counts or the texts: the report
    # says how many there were, and nothing else about their answers.
    out_of_turn: int = 0
    pending: int = 0  # blank because a person has yet to review a scan
    counts: Counter = field(default_factory=Counter)  # choice → respondents
    rows: dict[str, Counter] = field(default_factory=dict)  # grid row → choice|None → n
    values: Counter = field(default_factory=Counter)  # number → n; date → "YYYY-MM" → n
    first: str | None = None  # dates
    last: str | None = None
    texts: list[str] = field(default_factory=list)
    other_texts: list[str] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return self.base - self.blank


@dataclass
class GroupCount:
    n: int = 0
    kinds: Counter = field(default_factory=Counter)
    needs_review: int = 0
    questions: dict[str, QuestionCount] = field(default_factory=dict)


@dataclass
class GroupBy:
    """How one form's records fall into groups (`--by COLUMN`, or several: `parts`)."""

    column: str
    question: Question | None = None  # None: a meta column (language, kind, version, unit)
    shown: dict[str, str] = field(default_factory=dict)  # text key → first spelling seen
    parts: list[GroupBy] = field(default_factory=list)  # several --by: a group per combination
    ledger: dict[str, dict[str, str]] | None = None  # a ledger column: serial → its row

    def key(self, record: Record) -> str:
        if self.parts:
            keys = [part.key(record) for part in self.parts]
            if all(k == BLANK_GROUP for k in keys):
                return BLANK_GROUP
            return COMPOSITE.join(keys)
        if self.ledger is not None:
            row = self.ledger.get(record.serial or "")
            text = " ".join(((row or {}).get(self.column) or "").split())
            key = normalise(text)
            self.shown.setdefault(key, text)
            return key or BLANK_GROUP
        if self.question is None:
            if self.column == UNIT_GROUP:
                key, text = record_unit(record)
                self.shown.setdefault(key, text)
                return key
            if self.column == "version":
                return record.form.version
            return getattr(record, self.column) or BLANK_GROUP
        q = self.question
        value = record.answers.get(q.id)
        if value is None:
            return BLANK_GROUP
        if q.type == "date":
            return value[:7]
        if q.type == "yesno":
            return "yes" if value else "no"
        if q.type == "text":
            key = normalise(value)
            self.shown.setdefault(key, " ".join(value.split()))
            return key or BLANK_GROUP
        return str(value)

    def sort_key(self, key: str):
        if key == BLANK_GROUP:
            return (2, 0, "")
        if self.parts:
            keys = key.split(COMPOSITE)
            return tuple(p.sort_key(k) for p, k in zip(self.parts, keys, strict=True))
        q = self.question
        if q is not None and q.type in ONE_CHOICE_TYPES:
            values = ("yes", "no") if q.type == "yesno" else q.choice_values
            if key in values:
                return (0, values.index(key), "")
        return (1, 0, swedish_order(self.shown.get(key, key)))


@dataclass
class PeriodCount:
    """One period's counts of one form: in total and per group (no free text)."""

    total: GroupCount = field(default_factory=GroupCount)
    groups: dict[str, GroupCount] = field(default_factory=dict)


@dataclass
class Periods:
    """A form's responses by period: how many in each, and the counts of the latest
    period and the one before it in the calendar (only those two are kept, so memory
    does not grow with the span of the dataset)."""

    size: str  # quarter | month | year
    n: Counter = field(default_factory=Counter)  # period key → responses
    undated: int = 0  # no answer to the date question, or no date question
    future: int = 0  # a date after the report's day: not taken as a date
    latest: str | None = None
    counts: dict[str, PeriodCount] = field(default_factory=dict)  # latest and the one before

    @property
    def previous(self) -> str | None:
        return None if self.latest is None else previous_period(self.latest, self.size)

    def compared(self) -> bool:
        """Whether there is a comparison: responses in the latest period and the one before."""
        return bool(self.latest and self.n[self.latest] and self.n[self.previous])


@dataclass
class FormSummary:
    form: Form  # the newest version: its wording labels the report
    versions: list[str]
    questions: list[Question]  # every answerable question of any version, personnummer left out
    total: GroupCount = field(default_factory=GroupCount)
    group_by: GroupBy | None = None
    groups: dict[str, GroupCount] = field(default_factory=dict)
    dates: tuple[str, str] | None = None  # earliest and latest date answered
    from_run: int = 0  # returns whose serial is in a print-run ledger
    not_from_run: int = 0
    periods: Periods | None = None  # --compare: None when not asked or not spanned

    def ordered_groups(self) -> list[str]:
        if self.group_by is None:
            return []
        return sorted(self.groups, key=self.group_by.sort_key)


@dataclass
class Summary:
    forms: dict[str, FormSummary]
    by: str | None
    sent: dict[str, int]  # form id → copies sent out in the print runs given
    duplicates: int = 0
    free_text: bool = True
    compare: str | None = None  # the period compared (quarter, month, year), if any


def period_of(date: str, size: str) -> str:
    """'2026-05-14' → '2026-Q2' (quarter), '2026-05' (month) or '2026' (year)."""
    if size == "quarter":
        return f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"
    return date[:7] if size == "month" else date[:4]


def previous_period(key: str, size: str) -> str:
    """The period just before `key` in the calendar."""
    year = int(key[:4])
    if size == "year":
        return str(year - 1)
    if size == "quarter":
        q = int(key[-1])
        return f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"
    month = int(key[5:7])
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def date_question(form: Form) -> Question | None:
    """The question whose answer is the response's date (DATE_NAMES), if the form has one."""
    dates = [q for q in form.answerable if q.type == "date"]
    for q in dates:
        if q.id in DATE_NAMES or (q.code or "").casefold() in DATE_NAMES:
            return q
    return dates[0] if len(dates) == 1 else None


def normalise(text: str) -> str:
    """A written name as a key: case, spacing and punctuation at the ends do not matter."""
    return " ".join(text.casefold().split()).strip(" .,;:-")


_SWEDISH = str.maketrans({"å": "z\u0001", "ä": "z\u0002", "ö": "z\u0003", "æ": "z\u0002"})


def swedish_order(text: str) -> str:
    """Sort key putting å, ä, ö after z, as a Swedish reader expects."""
    return text.casefold().translate(_SWEDISH)


def record_unit(record: Record) -> tuple[str, str]:
    """(key, name as written) of the care unit a return belongs to: the unit its copy was
    printed for, else its answer to the question naming the unit; BLANK_GROUP if none."""
    if record.unit:
        return normalise(record.unit) or BLANK_GROUP, record.unit
    q = unit_question(record.form)
    if q is None:
        return BLANK_GROUP, ""
    return unit_key(record.form, q, record.answers.get(q.id))


def unit_key(form: Form, q: Question, value) -> tuple[str, str]:
    """(matching key, name as written) of a unit answer; choices match by their label."""
    if value is None or is_blank_answer(value):
        return BLANK_GROUP, ""
    if q.type == "text":
        text = " ".join(str(value).split())
    else:
        text = next(
            (tr(o.label, form.default_language) for o in q.choices if o.value == value),
            str(value),
        )
    return normalise(text) or BLANK_GROUP, text


def unit_question(form: Form) -> Question | None:
    """The question that names the care unit, if the form has one."""
    for q in form.answerable:
        if q.type in ("text", "single", "dropdown") and (
            q.id in UNIT_NAMES or (q.code or "").casefold() in UNIT_NAMES
        ):
            return q
    return None


def merged_questions(forms: list[Form]) -> list[Question]:
    """Every question of all versions, newest wording and order first."""
    seen: dict[str, Question] = {}
    for form in forms:
        for q in form.answerable:
            if q.type != "personnummer":
                seen.setdefault(q.id, q)
    return list(seen.values())


def group_by_for(
    summary: FormSummary, column: str, ledger: dict[str, dict[str, str]] | None = None
) -> GroupBy | None:
    """What `--by COLUMN` means for one form, None when the form lacks it. `ledger`:
    the print runs' ledgers' rows by serial, whose columns may group too."""
    if column in NEVER_GROUPS:
        raise ReportError(msg("summarise.never_by", column=column))
    if column in META_GROUPS:
        return GroupBy(column)
    if column.casefold() in UNIT_ALIASES:
        return GroupBy(UNIT_GROUP)
    for q in summary.questions:
        if q.id == column:
            if q.type == "personnummer" or personal(q.id) or personal(q.code or ""):
                raise ReportError(msg("summarise.personal", column=column))
            if q.type in ("single", "dropdown", "yesno", "scale", "date", "text"):
                return GroupBy(column, q)
            raise ReportError(msg("summarise.no_groups", column=column, type=q.type))
    if ledger is not None and column not in LEDGER_NEVER:
        if any(column in row for row in ledger.values()):
            return GroupBy(column, ledger=ledger)
    return None


# The print-run ledger's columns a report never groups by: where a person's row was.
LEDGER_NEVER = ("serial", "csv_line", "pages", "file")


class Tally:
    """Counts records as they stream past."""

    def __init__(
        self,
        forms: dict[str, dict[str, Form]],
        by: str | None = None,
        free_text: bool = True,
        ledgers: dict[str, set[str]] | None = None,
        ledger_rows: dict[str, dict[str, str]] | None = None,
        compare: str | None = None,
        today: datetime.date | None = None,
        store: TextStore | None = None,
    ):
        """`compare`: quarter, month or year, compared latest against the one before;
        "none" for no comparison; None (the default) per quarter when the dated
        responses span two quarters or more, else none. `store`: where the free texts
        are kept (report/spill.py), else in memory."""
        self.free_text = free_text
        self.store = store
        if compare not in (*PERIODS, "none", None):
            raise ReportError(msg("summarise.compare", compare=compare, periods=", ".join(PERIODS)))
        self.compare_auto = compare is None
        self.compare = "quarter" if compare is None else None if compare == "none" else compare
        self.today = (today or datetime.date.today()).isoformat()
        self.ledgers = ledgers or {}
        self.forms: dict[str, FormSummary] = {}
        for form_id in sorted(forms):
            versions = sorted(forms[form_id], key=version_key, reverse=True)
            newest_first = [forms[form_id][v] for v in versions]
            self.forms[form_id] = FormSummary(
                newest_first[0], versions[::-1], merged_questions(newest_first)
            )
            if self.compare:
                self.forms[form_id].periods = Periods(self.compare)
        # None: by unit when any return's copy was printed for a unit (decided once all
        # are counted); a dataset of copies printed without units keeps the report it
        # had, grouped only when asked (--by unit also groups by the unit question)
        self.auto = by is None
        self.printed_units = False
        columns = [UNIT_GROUP] if by is None else [by] if isinstance(by, str) else list(by)
        columns = [c for c in columns if c]
        for column in columns:
            if personal(column):
                raise ReportError(msg("summarise.personal_column", column=column))
        self.by = " + ".join(columns) or None
        if columns:
            found = False
            for summary in self.forms.values():
                parts = [group_by_for(summary, c, ledger_rows) for c in columns]
                for column, part in zip(columns, parts, strict=True):
                    if part is None and not any(
                        group_by_for(s, column, ledger_rows) for s in self.forms.values()
                    ):
                        questions = sorted(
                            {
                                q.id
                                for s in self.forms.values()
                                for q in s.questions
                                if q.type != "info"
                            }
                        )
                        raise ReportError(
                            msg("summarise.no_such", column=column, questions=", ".join(questions))
                        )
                if any(p is None for p in parts):
                    continue  # shown in total only, and the report says so
                if len(parts) == 1:
                    summary.group_by = parts[0]
                else:
                    summary.group_by = GroupBy(self.by, parts=parts)
                found = True
            if not found and self.forms:
                raise ReportError(msg("summarise.none_has_all", columns=" --by ".join(columns)))

    def add(self, record: Record) -> None:
        summary = self.forms[record.form.id]
        self.printed_units = self.printed_units or bool(record.unit)
        groups = [summary.total]
        key = None
        if summary.group_by is not None:
            key = summary.group_by.key(record)
            groups.append(summary.groups.setdefault(key, GroupCount()))
        serials = self.ledgers.get(record.form.id)
        if serials is not None:
            if record.serial and record.serial in serials:
                summary.from_run += 1
            else:
                summary.not_from_run += 1
        applies = asked(record.form, record.answers)
        self._count_record(summary, groups, record, applies, texts=self.free_text)
        if summary.periods is not None:
            period = self._period(summary.periods, record, applies)
            if period is not None:
                counts = summary.periods.counts.setdefault(period, PeriodCount())
                in_period = [counts.total]
                if key is not None:
                    in_period.append(counts.groups.setdefault(key, GroupCount()))
                self._count_record(None, in_period, record, applies, texts=False)

    def _period(self, periods: Periods, record: Record, applies: dict) -> str | None:
        """The record's period, counted; returned if its answers are kept (the latest
        period or the one before it), else None."""
        q = date_question(record.form)
        value = record.answers.get(q.id) if q is not None and applies[q.id] else None
        if not value:
            periods.undated += 1
            return None
        if value > self.today:  # a slip of the pen, not a date to compare by
            periods.future += 1
            return None
        period = period_of(value, periods.size)
        periods.n[period] += 1
        if periods.latest is None or period > periods.latest:
            periods.latest = period
            keep = (period, periods.previous)
            periods.counts = {k: v for k, v in periods.counts.items() if k in keep}
        return period if period in (periods.latest, periods.previous) else None

    def _count_record(
        self, summary: FormSummary | None, groups: list, record: Record, applies, texts: bool
    ) -> None:
        """Count a record into `groups`; `summary`: the form's, whose dates it widens
        (None for a period's counts)."""
        for group in groups:
            group.n += 1
            group.kinds[record.kind or "acroform"] += 1
            if record.outcome == "needs_review":
                group.needs_review += 1
        answers = record.answers
        for q in record.form.answerable:
            if q.type == "personnummer":
                continue
            value = answers.get(q.id)
            blank = is_blank_answer(value)
            if not applies[q.id] and blank:
                continue
            if summary is not None and applies[q.id] and q.type == "date" and value:
                first, last = summary.dates or (value, value)
                summary.dates = (min(first, value), max(last, value))
            other = answers.get(f"{q.id}__other_text") if q.other is not None else None
            for group in groups:
                count = group.questions.get(q.id)
                if count is None:
                    count = group.questions[q.id] = QuestionCount()
                if applies[q.id]:
                    self._count(count, q, value, blank, other, q.id in record.pending, texts)
                else:  # answered out of turn: counted as such, never as an answer
                    count.out_of_turn += 1

    def _count(
        self, c: QuestionCount, q: Question, value, blank: bool, other, pending, texts: bool
    ) -> None:
        c.base += 1
        if blank:
            c.blank += 1
            c.pending += bool(pending)
        if q.type == "grid":
            for row in q.rows:
                cell = (value or {}).get(row.id)
                c.rows.setdefault(row.id, Counter())[cell] += 1
        elif blank:
            pass
        elif q.type == "multiple":
            c.counts.update(value)
        elif q.type == "yesno":
            c.counts["yes" if value else "no"] += 1
        elif q.type in ONE_CHOICE_TYPES:
            c.counts[str(value)] += 1
        elif q.type == "number":
            c.values[value] += 1
        elif q.type == "date":
            c.values[value[:7]] += 1
            c.first = value if c.first is None else min(c.first, value)
            c.last = value if c.last is None else max(c.last, value)
        elif q.type == "group" and texts:
            self._texts(c, "texts").extend(mask_for_report(group_row(q, row)) for row in value)
        elif q.type in TEXT_TYPES and texts:
            self._texts(c, "texts").append(mask_for_report(value))
        if other and texts:
            self._texts(c, "other_texts").append(mask_for_report(other))

    def _texts(self, c: QuestionCount, name: str):
        """The count's list of texts, in the store if there is one."""
        texts = getattr(c, name)
        if self.store is not None and not isinstance(texts, Texts):
            texts = self.store.texts()
            texts += getattr(c, name)
            setattr(c, name, texts)
        return texts

    def summary(self, sent: dict[str, int] | None = None, duplicates: int = 0) -> Summary:
        if self.auto:
            # a form none of whose returns names a unit is shown in total only (the
            # report says so), and without any unit the report is as before units
            for fs in self.forms.values():
                if set(fs.groups) <= {BLANK_GROUP} or not self.printed_units:
                    fs.group_by, fs.groups = None, {}
            if all(fs.group_by is None for fs in self.forms.values()):
                self.by = None
        for fs in self.forms.values():
            if fs.periods is not None and self.compare_auto and not fs.periods.compared():
                fs.periods = None  # by default only a dataset that spans two quarters
            elif fs.periods is not None and fs.group_by is None:
                for counts in fs.periods.counts.values():
                    counts.groups = {}
        compare = self.compare if any(fs.periods for fs in self.forms.values()) else None
        return Summary(self.forms, self.by, sent or {}, duplicates, self.free_text, compare)


def group_row(q: Question, row: dict) -> str:
    """One written row of a group as a line: its cells in the columns' order."""
    return GROUP_CELL_SEPARATOR.join(
        BLANK_CELL if row.get(item.id) is None else str(row[item.id]) for item in q.items
    )


# -- reading counts back --------------------------------------------------------------


def choice_rows(q: Question) -> list[tuple[str, object]]:
    """(value, label text) of every row a choice table has, in printed order."""
    if q.type == "yesno":
        return [("yes", {"sv": "Ja", "en": "Yes"}), ("no", {"sv": "Nej", "en": "No"})]
    return [(o.value, o.label) for o in q.choices]


def choice_label(q: Question, value: str, lang: str) -> str:
    for v, label in choice_rows(q):
        if v == value:
            text = tr(label, lang) if label else ""
            if q.type == "scale" and value != (q.na.value if q.na else None):
                ends = {str(q.min): q.min_label, str(q.max): q.max_label}
                end = tr(ends.get(value), lang)
                return f"{value} – {end}" if end else value
            return text or value
    return value


def median(values: Counter) -> float | None:
    """The median of counted values (number → how many)."""
    return quantile(values, 0.5)


def quantile(values: Counter, p: float) -> float | None:
    """A quantile by linear interpolation between order statistics (as numpy's default)."""
    n = sum(values.values())
    if not n:
        return None
    position = p * (n - 1)
    lower = int(position)
    fraction = position - lower
    ordered = sorted(values.items())

    def nth(i: int):
        seen = 0
        for value, k in ordered:
            seen += k
            if i < seen:
                return value
        return ordered[-1][0]

    low = nth(lower)
    if fraction == 0:
        return low
    return low + (nth(lower + 1) - low) * fraction


def mean(values: Counter) -> float | None:
    n = sum(values.values())
    return sum(v * k for v, k in values.items()) / n if n else None


def scale_values(q: Question, counts: Counter) -> Counter:
    """The points of a scale chosen, without the `na` answer."""
    na = q.na.value if q.na else None
    return Counter({int(v): k for v, k in counts.items() if v != na and v != OTHER})
