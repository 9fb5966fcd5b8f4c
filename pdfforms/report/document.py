"""A summary → the report as a list of blocks (headings, tables, texts), in one language.

Everything a reader sees is decided here: order, wording, what is hidden and
why. The PDF and HTML writers only draw these blocks, so both always show the
same numbers and hide the same cells.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ..model.form import Condition, Form, Question, tr
from . import charts
from .charts import Chart, Pattern
from .pairing import Pairing, by_difference
from .privacy import COMPLEMENT, hide
from .summarise import (
    BLANK_GROUP,
    COMPOSITE,
    GROUP_CELL_SEPARATOR,
    ONE_CHOICE_TYPES,
    TEXT_TYPES,
    TOTAL,
    UNIT_GROUP,
    FormSummary,
    GroupCount,
    QuestionCount,
    Summary,
    choice_label,
    choice_rows,
    date_question,
    mean,
    median,
    quantile,
    scale_values,
    swedish_order,
)
from .text import PHRASES, Words, percent_int
from .visibility import Visibility

BAR_WIDTH = 150  # points in the PDF, pixels in the HTML
BAR_HEIGHT = 13
STACK_WIDTH = 130
STACK_HEIGHT = 16
SKR_STACK_WIDTH = 110  # beside six columns of shares and the unit's answer, on A4
CHART_TEXT = 8.5  # numbers printed inside stacked segments (the table repeats them)
DATE_MONTHS = 18  # a date question spanning up to this many months is shown per month,
DATE_QUARTERS = 60  # up to this many per quarter, beyond it per year


# -- blocks ----------------------------------------------------------------------------


@dataclass
class Title:
    title: str
    subtitle: str


@dataclass
class Facts:
    items: list[tuple[str, list[str]]]  # label → lines


@dataclass
class Contents:
    pass


@dataclass
class Heading:
    text: str
    level: int  # 1 form or section, 2 part, 3 question
    anchor: str = ""


@dataclass
class Para:
    text: str
    kind: str = "body"  # body | note | hidden | lead


@dataclass
class ReportColumn:
    """A column of a table in the report: its header and what its cells hold."""

    header: str
    kind: str  # label | count | percent | cell | number | chart
    swatch: Pattern | None = None


@dataclass
class Table:
    key: str  # says what the table holds: form/group/question[/row]
    columns: list[ReportColumn]
    rows: list[list]
    styles: list[str] = field(default_factory=list)  # per row: "" | blank | total | hidden


@dataclass
class TextList:
    key: str
    items: list[str]


@dataclass
class PageBreak:
    pass


def cell_text(column: ReportColumn, value, words: Words) -> str:
    """A table cell as text, whatever the output."""
    if column.kind == "chart":
        return ""
    if value is None:
        return "–"
    if column.kind == "count":
        return words.count(value)
    if column.kind == "percent":
        return words.percent(*value)
    if column.kind == "cell":
        count, base = value
        return f"{words.count(count)} ({words.percent(count, base)})"
    return str(value)


# -- labels -----------------------------------------------------------------------------


class Labels:
    """How groups, units' answers and texts are named in one language (shared with the CSV)."""

    def __init__(self, lang: str, by: str | None = None):
        self.lang = lang
        self.words = Words(lang)
        self.by = by

    def tr(self, text) -> str:
        return tr(text, self.lang)

    def group(self, fs: FormSummary, key: str) -> str:
        if key == TOTAL:
            return self.words("total")
        return self.group_label(fs.group_by, key)

    def group_label(self, gb, key: str) -> str:
        w = self.words
        if key == BLANK_GROUP:
            if gb is not None and gb.column == UNIT_GROUP and gb.question is None:
                return w("no_unit")
            return w("no_answer")
        if gb is None:
            return key
        if gb.parts:
            keys = key.split(COMPOSITE)
            return " · ".join(self.group_label(p, k) for p, k in zip(gb.parts, keys, strict=True))
        if gb.ledger is not None or (gb.question is None and gb.column == UNIT_GROUP):
            return gb.shown.get(key, key)
        if gb.question is None:
            phrase = {"language": "lang_", "kind": "kind_"}.get(gb.column, "") + key
            if gb.column in ("language", "kind") and phrase in PHRASES:
                return w(phrase)
            if gb.column == "version":
                return f"{w('version')} {key}"
            return key
        q = gb.question
        if q.type == "date":
            return w.month(key)
        if q.type == "text":
            return gb.shown.get(key, key)
        if q.type == "yesno":
            return w("yes") if key == "yes" else w("no")
        return choice_label(q, key, self.lang)

    def by_label(self, fs: FormSummary) -> str:
        return self.by_words(fs.group_by)

    def by_words(self, gb) -> str:
        if gb is None:
            return self.by or ""
        if gb.parts:
            return " · ".join(self.by_words(p) for p in gb.parts)
        if gb.question is not None:
            return self.tr(gb.question.label)
        if gb.column == UNIT_GROUP:
            return self.words("unit")
        if gb.ledger is not None:
            return gb.column
        return self.words({"language": "language", "kind": "kind"}.get(gb.column, "version"))

    def unit_answers(self, q: Question, counts, total: bool) -> str:
        """The unit's answer ("Delvis"), or how many units gave each answer."""
        w = self.words
        if not counts:
            return w("no_unit_answer")
        parts = []
        for value in [v for v, _l in choice_rows(q)] + [None]:
            k = counts.get(value, 0)
            if k:
                label = w("no_answer") if value is None else choice_label(q, value, self.lang)
                parts.append((label, k))
        if len(parts) == 1 and (not total or parts[0][1] == 1):
            return parts[0][0]
        return "; ".join(f"{label}: {w.count(k)}" for label, k in parts)


# -- the builder -----------------------------------------------------------------------


class Builder:
    def __init__(
        self,
        summary: Summary,
        pairings: list[Pairing],
        seen: Visibility,
        lang: str,
        period: str | None = None,
        today: datetime.date | None = None,
    ):
        self.summary = summary
        self.pairings = pairings
        self.seen = seen
        self.lang = lang
        self.labels = Labels(lang, summary.by)
        self.words = self.labels.words
        self.period = period
        self.today = today or datetime.date.today()
        self.blocks: list = []
        self.anchors = 0
        self.in_appendix = False  # the manager's report: free texts are in its appendix

    # helpers

    def tr(self, text) -> str:
        return self.labels.tr(text)

    def add(self, *blocks) -> None:
        self.blocks.extend(blocks)

    def heading(self, text: str, level: int) -> None:
        self.anchors += 1
        self.add(Heading(text, level, f"s{self.anchors}"))

    def hidden_text(self, reason: str) -> str:
        if reason == COMPLEMENT:
            return self.words("hidden_complement")
        return self.words("hidden_small", n=self.seen.min_count)

    def short_hidden(self, reason: str) -> str:
        if reason == COMPLEMENT:
            return self.words("hidden_short")
        return self.words("hidden_small_short", n=self.seen.min_count)

    def form_title(self, form: Form) -> str:
        return self.tr(form.title)

    def shown_total(self, fs: FormSummary) -> bool:
        return self.seen.group(fs.form.id, TOTAL) is None

    # the report

    def build(self) -> list:
        self.title_page()
        if self.by_unit():
            self.manager()
            self.about()
            return self.blocks
        for index, pairing in enumerate(self.pairings):
            self.pairing_section(index, pairing)
        for fs in self.summary.forms.values():
            self.form_section(fs)
        self.about()
        return self.blocks

    # -- the manager's report: per care unit ---------------------------------------

    def by_unit(self) -> bool:
        """Grouped by care unit alone (the default when returns name their unit)."""
        grouped = [fs.group_by for fs in self.summary.forms.values() if fs.group_by]
        return bool(grouped) and all(
            gb.column == UNIT_GROUP and gb.question is None and not gb.parts for gb in grouped
        )

    def manager(self) -> None:
        """One section per unit: SKR's questions as a chart of the patients' answers
        beside the unit's own, then the other questions; then all units together, and
        the free texts of each unit in an appendix (texts are listed per unit only,
        never under the total: README, "Free text once")."""
        w = self.words
        self.in_appendix = self.summary.free_text
        forms = [fs for fs in self.summary.forms.values() if fs.group_by is not None]
        keys: dict[str, str] = {}  # unit key → label
        for fs in forms:
            for key in fs.ordered_groups():
                keys.setdefault(key, self.labels.group(fs, key))
        order = sorted(keys, key=lambda k: (k == BLANK_GROUP, swedish_order(keys[k])))
        paired = {p.code for pairing in self.pairings if pairing.per_unit for p in pairing.pairs}
        for key in order:
            self.add(PageBreak())
            self.heading(keys[key], 1)
            for index, pairing in enumerate(self.pairings):
                if pairing.per_unit and key in pairing.units:
                    self.skr_section(index, pairing, key)
            for fs in forms:
                if key in fs.groups:
                    self.over_time(fs, key, paired)
            for fs in forms:
                self.unit_form_part(fs, key, paired)
        self.add(PageBreak())
        self.heading(w("all_units"), 1)
        for index, pairing in enumerate(self.pairings):
            self.skr_section(index, pairing, TOTAL)
        for fs in self.summary.forms.values():
            self.over_time(fs, TOTAL, paired)
        for fs in self.summary.forms.values():
            self.heading(self.form_title(fs.form), 2)
            if fs.group_by is None:
                text = w("by_missing", form=self.form_title(fs.form), column=self.summary.by)
                self.add(Para(text, "note"))
            if self.total_withheld(fs):
                continue
            self.add(Para(w("base_all", n=w.count(fs.total.n)), "note"))
            for q in fs.questions:
                self.question(fs, q, TOTAL, fs.total, texts=fs.group_by is None)
            if fs.group_by is not None and len(fs.groups) > 1:
                self.comparison(fs)
        if self.summary.free_text:
            self.appendix(forms, order, keys)

    def skr_section(self, index: int, pairing: Pairing, key: str) -> None:
        w = self.words
        self.heading(w("skr_heading"), 2)
        if key == TOTAL:
            self.add(Para(w("skr_intro_total"), "note"))
            if not pairing.per_unit:
                for form in pairing.lacking:
                    self.add(Para(w("pairing_no_unit", form=self.form_title(form)), "note"))
        else:
            self.add(Para(w("skr_intro_unit"), "note"))
        reasons = {self.seen.patients(index, p.code, key) for p in pairing.pairs}
        reasons.discard(None)
        if reasons == {COMPLEMENT}:
            self.add(Para(w("patients_hidden_complement"), "hidden"))
        elif reasons:
            self.add(Para(w("patients_hidden", n=self.seen.min_count), "hidden"))
        self.add(self.skr_chart(index, pairing, key))

    def skr_chart(self, index: int, pairing: Pairing, key: str) -> Table:
        """Per paired question in the order of its number: its wording on a row of its
        own, then the patients' shares, a stacked bar of them, and the unit's own answer."""
        w = self.words
        options: list[str] = []
        for pair in pairing.pairs:
            options += [v for v, _l in choice_rows(pair.patient) if v not in options]
        first = pairing.pairs[0].patient if pairing.pairs else None
        columns = [ReportColumn(w("code"), "label")]
        for i, value in enumerate(options):
            label = choice_label(first, value, self.lang) if first else value
            columns.append(ReportColumn(label, "percent", charts.pattern(i)))
        columns.append(ReportColumn(w("no_answer"), "percent", charts.BLANK))
        columns.append(ReportColumn(w("patients_chart"), "chart"))
        columns.append(ReportColumn(w("n"), "number"))
        own = "units_answers" if key == TOTAL else "unit_answer"
        columns.append(ReportColumn(w(own), "label"))
        if key == TOTAL:
            patients, units, name = pairing.patients, pairing.units_total, "total"
        else:
            unit = pairing.units[key]
            patients, units, name = unit.patients, unit.unit, unit.label or "-"
        table = Table(f"skr/{name}", columns, [])
        for pair in pairing.pairs:
            reason = self.seen.patients(index, pair.code, key)
            counts = patients.of(pair.code)
            base = patients.base[pair.code]
            answer = self.labels.unit_answers(pair.unit, units.of(pair.code), key == TOTAL)
            table.rows.append([self.question_heading(pair.patient)] + [None] * (len(columns) - 1))
            table.styles.append("caption")
            cells: list = [pair.code]
            if reason or base == 0:
                n = self.short_hidden(reason) if reason else w.count(0)
                cells += [None] * (len(options) + 2) + [n, answer]
                table.rows.append(cells)
                table.styles.append("hidden" if reason else "")
                continue
            cells += self.stacked_shares(
                counts, options, base, columns[1 : len(options) + 2], SKR_STACK_WIDTH
            )
            cells += [w.count(base), answer]
            table.rows.append(cells)
            table.styles.append("")
        return table

    def unit_form_part(self, fs: FormSummary, key: str, paired: set[str]) -> None:
        """One form's other questions in one unit (those SKR's chart shows left out)."""
        w = self.words
        group = fs.groups.get(key)
        if group is None:
            return
        self.heading(self.form_title(fs.form), 2)
        reason = self.seen.group(fs.form.id, key)
        if reason:
            self.add(Para(self.hidden_text(reason), "hidden"))
            return
        self.add(Para(w("base_all", n=w.count(group.n)), "note"))
        for q in fs.questions:
            if q.code in paired and q.type in ONE_CHOICE_TYPES:
                continue  # in the chart above
            if q.type in TEXT_TYPES and q.type != "text":
                continue  # long free text: in the appendix
            self.question(fs, q, key, group, texts=False)
        if any(q.type in ("textarea", "group") for q in fs.questions):
            self.add(Para(w("texts_in_appendix"), "note"))

    def appendix(self, forms: list[FormSummary], order: list[str], keys: dict[str, str]) -> None:
        """The free texts, per unit, under their questions."""
        w = self.words
        self.add(PageBreak())
        self.heading(w("appendix_texts"), 1)
        for key in order:
            self.heading(keys[key], 2)
            for fs in forms:
                group = fs.groups.get(key)
                if group is None:
                    continue
                for q in fs.questions:
                    if q.type not in TEXT_TYPES and q.other is None:
                        continue
                    count = group.questions.get(q.id)
                    if count is None or not (count.texts or count.other_texts):
                        continue
                    self.heading(self.question_heading(q), 3)
                    reason = self.seen.question(fs.form.id, q.id, key)
                    if reason:
                        self.add(Para(self.hidden_text(reason), "hidden"))
                        continue
                    table_key = f"{fs.form.id}/{key}/{q.id}"
                    if count.texts:
                        self.group_columns(q)
                        self.free_texts(table_key, count.texts, True, counted=q.type == "text")
                    if count.other_texts:
                        self.add(Para(w("other_texts", label=self.tr(q.other)), "lead"))
                        self.free_texts(f"{table_key}__other_text", count.other_texts, True, True)

    def title_page(self) -> None:
        w = self.words
        forms = list(self.summary.forms.values())
        self.add(Title(w("report"), " · ".join(self.form_title(fs.form) for fs in forms)))
        facts: list[tuple[str, list[str]]] = [
            (
                w("forms"),
                [
                    f"{self.form_title(fs.form)} ({fs.form.id}, "
                    f"{w('version').lower()} {', '.join(fs.versions)})"
                    for fs in forms
                ],
            ),
            (w("period"), [self.period or self.period_text()]),
            (w("responses"), [self.responses_line(fs) for fs in forms]),
        ]
        over_time = [self.over_time_line(fs) for fs in forms if fs.periods and self.shown_total(fs)]
        if over_time:
            facts.append((w("over_time_fact"), over_time))
        rates = [self.rate_line(fs) for fs in forms if fs.form.id in self.summary.sent]
        if rates:
            facts.append((w("response_rate"), rates))
        if self.summary.by:
            grouped = [fs for fs in forms if fs.group_by is not None]
            facts.append((w("grouped_by"), [self.labels.by_label(grouped[0])]))
        facts.append((w("min_count_fact"), [w.count(self.seen.min_count)]))
        facts.append((w("made"), [self.today.isoformat()]))
        self.add(Facts(facts))
        review = sum(fs.total.needs_review for fs in forms if self.shown_total(fs))
        if review:
            self.add(Para(w("needs_review", n=w.count(review)), "note"))
        if self.summary.duplicates:
            self.add(Para(w("duplicates", n=w.count(self.summary.duplicates)), "note"))
        for fs in forms:
            if fs.form.id in self.summary.sent and fs.not_from_run and self.shown_total(fs):
                self.add(Para(w("rate_unserialled", n=w.count(fs.not_from_run)), "note"))
        self.add(Para(w("about_privacy", n=self.seen.min_count), "note"))
        self.add(Contents())  # every section starts on a new page

    def responses_line(self, fs: FormSummary) -> str:
        w = self.words
        name = self.form_title(fs.form)
        if not self.shown_total(fs):
            return f"{name}: {w('fewer_than', n=self.seen.min_count)}"
        kinds = ", ".join(
            f"{w.count(k)} {w('kind_' + kind) if 'kind_' + kind in PHRASES else kind}"
            for kind, k in sorted(fs.total.kinds.items())
        )
        return f"{name}: {w.count(fs.total.n)}" + (f" ({kinds})" if kinds else "")

    def rate_line(self, fs: FormSummary) -> str:
        w = self.words
        sent = self.summary.sent[fs.form.id]
        name = self.form_title(fs.form)
        if not self.shown_total(fs):
            return f"{name}: –"
        return f"{name}: " + w(
            "rate_line",
            returned=w.count(fs.from_run),
            sent=w.count(sent),
            pct=w.percent(fs.from_run, sent),
        )

    def period_text(self) -> str:
        dates = [
            fs.dates for fs in self.summary.forms.values() if fs.dates and self.shown_total(fs)
        ]
        if not dates:
            return self.words("period_unknown")
        first = min(d[0] for d in dates)[:7]
        last = max(d[1] for d in dates)[:7]
        if first == last:
            return self.words.month(first)
        return f"{self.words.month(first)} – {self.words.month(last)}"

    def over_time_line(self, fs: FormSummary) -> str:
        w, periods = self.words, fs.periods
        latest, previous = w.period(periods.latest or ""), w.period(periods.previous or "")
        name = self.form_title(fs.form)
        if periods.latest is None:
            return f"{name}: {w('period_unknown')}"
        if not periods.compared():
            return w("over_time_none", form=name, latest=latest, previous=previous)
        hidden = [
            self.seen.period(fs.form.id, "", TOTAL, p) for p in (periods.latest, periods.previous)
        ]
        n_latest, n_previous = (
            self.short_hidden(why) if why else w.count(periods.n[p])
            for why, p in zip(hidden, (periods.latest, periods.previous), strict=True)
        )
        return w(
            "over_time_line",
            latest=latest,
            previous=previous,
            form=name,
            n_latest=n_latest,
            n_previous=n_previous,
        )

    # -- over time -----------------------------------------------------------------

    def over_time(self, fs: FormSummary, key: str, paired: set[str]) -> None:
        """The latest period against the one before, for one group (or TOTAL): the share
        of each answer in each period and the change, SKR's questions first. A period
        cell hidden by `visibility.decide_periods` shows "–", and so does the change.

        A comparison that would show no share at all (every period of every question
        hidden or without answers: a unit's own form, returned once a period) is one
        line instead of a heading and a table of dashes."""
        periods = fs.periods
        if periods is None or not periods.compared():
            return
        if key != TOTAL and self.seen.group(fs.form.id, key):
            return  # the group's whole is hidden: its section says so
        if key == TOTAL and not self.shown_total(fs):
            return
        w = self.words
        latest, previous = periods.latest, periods.previous
        order = [previous, latest]
        whole = [self.seen.period(fs.form.id, "", key, p) for p in order]
        table, any_hidden, any_shown = None, False, False
        if not all(whole):
            table, any_hidden, any_shown = self.over_time_table(fs, key, paired, order)
        title = w("over_time", latest=w.period(latest), previous=w.period(previous))
        if not any_shown:
            self.add(
                Para(
                    w(
                        "over_time_too_small",
                        title=title,
                        form=self.form_title(fs.form),
                        n=self.seen.min_count,
                    ),
                    "note",
                )
            )
            return
        self.heading(f"{title} – {self.form_title(fs.form)}", 2)
        q_date = date_question(fs.form)
        where = self.question_heading(q_date) if q_date else w("no_date_question")
        self.add(Para(w("over_time_intro", question=where), "note"))
        if key == TOTAL and periods.undated + periods.future:
            self.add(
                Para(w("over_time_undated", n=w.count(periods.undated + periods.future)), "note")
            )
            if periods.future:
                self.add(
                    Para(
                        w("over_time_future", n=w.count(periods.future), today=self.today),
                        "note",
                    )
                )
        if any_hidden:
            self.add(Para(w("over_time_hidden", n=self.seen.min_count), "note"))
        self.add(table)

    def over_time_table(
        self, fs: FormSummary, key: str, paired: set[str], order: list[str]
    ) -> tuple[Table, bool, bool]:
        """The table of `over_time`, whether any of its periods is hidden, and whether it
        shows any share at all."""
        w = self.words
        previous, latest = order
        counts = [fs.periods.counts.get(p) for p in order]
        groups = [
            None if c is None else (c.total if key == TOTAL else c.groups.get(key)) for c in counts
        ]
        columns = [
            ReportColumn(w("answer"), "label"),
            ReportColumn(w.period(previous), "number"),
            ReportColumn(w.period(latest), "number"),
            ReportColumn(w("change"), "number"),
        ]
        name = "total" if key == TOTAL else key
        table = Table(f"{fs.form.id}/over_time/{name}", columns, [])
        chosen = [q for q in fs.questions if q.type in ONE_CHOICE_TYPES or q.type == "multiple"]
        chosen.sort(key=lambda q: q.code not in paired)  # SKR's questions first, in order
        any_hidden = False
        any_shown = not chosen  # a form without such questions: its table, empty, as ever
        for q in chosen:
            cells = [None if g is None else g.questions.get(q.id) for g in groups]
            bases = [c.base if c is not None else 0 for c in cells]
            hidden = [self.seen.period(fs.form.id, q.id, key, p) for p in order]
            any_hidden = any_hidden or any(hidden)
            table.rows.append([self.question_heading(q), None, None, None])
            table.styles.append("caption")
            shown = [not h and b > 0 for h, b in zip(hidden, bases, strict=True)]
            any_shown = any_shown or any(shown)
            table.rows.append(
                [
                    w("respondents"),
                    *(
                        self.short_hidden(h) if h else w.count(b)
                        for h, b in zip(hidden, bases, strict=True)
                    ),
                    "",  # a count has no change: not "–", which says hidden
                ]
            )
            table.styles.append("hidden" if any(hidden) else "")
            options = [(v, choice_label(q, v, self.lang)) for v, _l in choice_rows(q)]
            options.append((None, w("no_answer")))
            for value, label in options:
                ks = [
                    0 if c is None else c.blank if value is None else c.counts.get(value, 0)
                    for c in cells
                ]
                shares = [
                    percent_int(k, b) if ok else None
                    for k, b, ok in zip(ks, bases, shown, strict=True)
                ]
                change = None
                if all(x is not None for x in shares):
                    change = w.change(shares[1] - shares[0])
                row = [label] + [
                    w.percent(k, b) if ok else None
                    for k, b, ok in zip(ks, bases, shown, strict=True)
                ]
                table.rows.append(row + [change])
                table.styles.append("blank" if value is None else "")
        return table, any_hidden, any_shown

    # -- per form ------------------------------------------------------------------

    def total_withheld(self, fs: FormSummary) -> bool:
        """Whether a form's total is not shown (no respondents, or a group small enough to
        recognise someone in), with the line that says so."""
        if fs.total.n == 0:
            self.add(Para(self.words("no_respondents"), "hidden"))
            return True
        if not self.shown_total(fs):
            self.add(Para(self.words("total_hidden", n=self.seen.min_count), "hidden"))
            return True
        return False

    def form_section(self, fs: FormSummary) -> None:
        w = self.words
        form_id = fs.form.id
        self.add(PageBreak())
        self.heading(self.form_title(fs.form), 1)
        if self.summary.by and fs.group_by is None:
            text = w("by_missing", form=self.form_title(fs.form), column=self.summary.by)
            self.add(Para(text, "note"))
        if self.total_withheld(fs):
            return
        grouped = fs.group_by is not None
        self.heading(w("all_responses"), 2)
        if grouped:
            self.add(Para(w("all_responses_by"), "note"))
        for q in fs.questions:
            self.question(fs, q, TOTAL, fs.total, texts=not grouped)
        self.over_time(fs, TOTAL, set())
        if not grouped:
            return
        if all(self.seen.group(form_id, key) for key in fs.groups):
            self.heading(f"{w('comparison')}: {self.labels.by_label(fs)}", 2)
            self.add(Para(w("all_groups_hidden", n=self.seen.min_count), "hidden"))
            return
        self.comparison(fs)
        keys = fs.ordered_groups()
        if all(self.seen.group(form_id, key) for key in keys):
            self.add(Para(w("all_groups_hidden", n=self.seen.min_count), "hidden"))
            return
        for key in keys:
            label = self.labels.group(fs, key)
            self.heading(label, 2)
            self.add(Para(f"{self.labels.by_label(fs)}: {label}", "note"))
            reason = self.seen.group(form_id, key)
            if reason:
                self.add(Para(self.hidden_text(reason), "hidden"))
                continue
            self.add(Para(w("base_all", n=w.count(fs.groups[key].n)), "note"))
            for q in fs.questions:
                self.question(fs, q, key, fs.groups[key], texts=True)
            self.over_time(fs, key, set())

    def question_heading(self, q: Question) -> str:
        label = self.tr(q.label)
        return f"{q.number}. {label}" if q.number else label

    def question(
        self, fs: FormSummary, q: Question, key: str, group: GroupCount, texts: bool
    ) -> None:
        w = self.words
        self.heading(self.question_heading(q), 3)
        if q.code:
            self.add(Para(f"{w('code')}: {q.code}", "note"))
        reason = self.seen.question(fs.form.id, q.id, key)
        if reason:
            self.add(Para(self.hidden_text(reason), "hidden"))
            return
        count = group.questions.get(q.id)
        if count is None or count.base == 0:
            self.add(Para(w("no_respondents"), "note"))
            if count is not None and count.out_of_turn:
                self.add(Para(w("out_of_turn", n=w.count(count.out_of_turn)), "note"))
            return
        table_key = f"{fs.form.id}/{'total' if key == TOTAL else key}/{q.id}"
        self.add(Para(self.base_text(fs, q, count, group), "note"))
        if count.out_of_turn:
            self.add(Para(w("out_of_turn", n=w.count(count.out_of_turn)), "note"))
        if q.type in ONE_CHOICE_TYPES or q.type == "multiple":
            self.add(self.choice_table(table_key, q, count))
            if q.type == "multiple":
                self.add(Para(w("multiple_note"), "note"))
            if q.type == "scale":
                self.scale_notes(q, count)
        elif q.type == "grid":
            self.add(self.grid_table(table_key, q, count))
        elif q.type == "number":
            self.add(self.number_table(table_key, count))
        elif q.type == "date":
            self.add(self.date_table(table_key, count))
        elif q.type in TEXT_TYPES:
            self.add(Para(w("texts_count", k=w.count(count.answered), n=w.count(count.base))))
            if texts:
                self.group_columns(q)
            self.free_texts(table_key, count.texts, texts, counted=q.type == "text")
        if count.pending:
            self.add(Para(w("pending", n=w.count(count.pending)), "note"))
        if q.other is not None and count.other_texts:
            self.add(Para(w("other_texts", label=self.tr(q.other)), "lead"))
            self.free_texts(f"{table_key}__other_text", count.other_texts, texts, counted=True)

    def group_columns(self, q: Question) -> None:
        """Above a group's rows: what each line holds, its columns in order."""
        if q.type == "group" and self.summary.free_text:
            columns = GROUP_CELL_SEPARATOR.join(self.tr(item.label) for item in q.items)
            self.add(Para(self.words("group_columns", columns=columns), "note"))

    def free_texts(self, key: str, items: list[str], here: bool, counted: bool = False) -> None:
        """Texts in full: long ones one by one, short ones (a name, "other") with their count."""
        w = self.words
        if not self.summary.free_text:
            self.add(Para(w("no_free_text"), "note"))
        elif not here:
            self.add(
                Para(w("texts_in_appendix" if self.in_appendix else "free_text_by_group"), "note")
            )
        elif items and counted:
            # a short answer many wrote alike (a unit's name) is a cell of its own
            distinct = _distinct(items)
            hidden = hide({t: k for t, k in distinct}, self.seen.min_count)
            columns = [ReportColumn(w("answer"), "label"), ReportColumn(w("count"), "number")]
            rows = [
                [t, self.short_hidden(hidden[t]) if t in hidden else w.count(k)]
                for t, k in distinct
            ]
            self.add(Table(key, columns, rows, [""] * len(rows)))
        elif items:
            self.add(TextList(key, items))

    def base_text(self, fs: FormSummary, q: Question, count: QuestionCount, group) -> str:
        w = self.words
        cond = fs.form.condition_of(q)  # its own and its section's
        if cond is None or count.base == group.n:
            return w("base_all", n=w.count(count.base))
        if not isinstance(cond, Condition) or cond.numeric:
            # all, any, not or a comparison: the printed form says it in words
            return w("base_conditional_rule", base=w.count(count.base), n=w.count(group.n))
        try:
            parent = fs.form.question(cond.question)
        except KeyError:
            return w("base_all", n=w.count(count.base))
        if parent.type == "yesno":
            values = [w("yes") if v == "yes" else w("no") for v in cond.values]
        else:
            values = [choice_label(parent, v, self.lang) for v in cond.values]
        return w(
            "base_conditional",
            base=w.count(count.base),
            n=w.count(group.n),
            values=w.join_or(values),
            number=parent.number or parent.id,
        )

    def bar(self, label: str, k: int, base: int, blank: bool = False) -> Chart:
        alt = f"{label}: {self.words.percent(k, base)}"
        return charts.bar(k / base if base else 0, BAR_WIDTH, BAR_HEIGHT, alt, blank)

    def counted_table(self, key: str, first: str, rows: list[tuple[str, int]], count) -> Table:
        """Label, count, share and a bar per row, then "Ej svar" as a row of its own."""
        w = self.words
        columns = [
            ReportColumn(first, "label"),
            ReportColumn(w("count"), "count"),
            ReportColumn(w("share"), "percent"),
            ReportColumn(w("chart"), "chart"),
        ]
        table = Table(key, columns, [])
        base = count.base
        for label, k in rows:
            table.rows.append([label, k, (k, base), self.bar(label, k, base)])
            table.styles.append("")
        label = w("no_answer")
        table.rows.append(
            [label, count.blank, (count.blank, base), self.bar(label, count.blank, base, True)]
        )
        table.styles.append("blank")
        return table

    def choice_table(self, key: str, q: Question, count: QuestionCount) -> Table:
        rows = [
            (choice_label(q, value, self.lang), count.counts.get(value, 0))
            for value, _label in choice_rows(q)
        ]
        return self.counted_table(key, self.words("answer"), rows, count)

    def date_table(self, key: str, count: QuestionCount) -> Table:
        """Answers per month, or per quarter or year over a long span; empty ones shown too."""
        w = self.words
        buckets: dict[str, int] = {}
        labels: dict[str, str] = {}
        months = sorted(count.values)
        span = _month_index(months[-1]) - _month_index(months[0]) + 1 if months else 0
        size = 1 if span <= DATE_MONTHS else 3 if span <= DATE_QUARTERS else 12
        for i in range(_month_index(months[0]), _month_index(months[-1]) + 1) if months else ():
            start = i - i % size
            bucket = _month_key(start)
            buckets.setdefault(bucket, 0)
            buckets[bucket] += count.values.get(_month_key(i), 0)
            if size == 1:
                labels[bucket] = w.month(bucket)
            elif size == 3:
                first, last = w.month(bucket).split()[0], w.month(_month_key(start + 2))
                labels[bucket] = f"{first[:3]}–{last[:3]} {last.split()[-1]}"
            else:
                labels[bucket] = bucket[:4]
        rows = [(labels[b], k) for b, k in buckets.items()]
        header = w("month") if size == 1 else w("period")
        return self.counted_table(key, header, rows, count)

    def scale_notes(self, q: Question, count: QuestionCount) -> None:
        w = self.words
        values = scale_values(q, count.counts)
        if q.min_label or q.max_label:
            ends = w(
                "scale_ends",
                lo=q.min,
                lo_label=self.tr(q.min_label) or "–",
                hi=q.max,
                hi_label=self.tr(q.max_label) or "–",
            )
            self.add(Para(ends, "note"))
        if values:
            middle = w.number(median(values))
            self.add(Para(w("scale_median", median=middle, n=w.count(sum(values.values())))))

    def stacked_shares(
        self, counts: dict, values: list, base: int, columns: list, width: float
    ) -> list:
        """One row's share cells (each value's, then the unanswered) and its stacked
        bar, whose alternative text names each share by its column's header."""
        cells, parts = [], []
        for i, value in enumerate([*values, None]):
            k = counts.get(value, 0)
            cells.append((k, base))
            if value is None:
                parts.append((k / base, charts.BLANK, ""))
            else:
                parts.append((k / base, charts.pattern(i), _pct_digits(k, base)))
        alt = "; ".join(
            f"{col.header}: {self.words.percent(*cell)}"
            for col, cell in zip(columns, cells, strict=True)
        )
        return [*cells, charts.stacked(parts, width, STACK_HEIGHT, alt, CHART_TEXT)]

    def grid_table(self, key: str, q: Question, count: QuestionCount) -> Table:
        w = self.words
        options = choice_rows(q)
        columns = [ReportColumn(w("row"), "label")]
        for i, (value, _label) in enumerate(options):
            columns.append(
                ReportColumn(choice_label(q, value, self.lang), "cell", charts.pattern(i))
            )
        columns.append(ReportColumn(w("no_answer"), "cell", charts.BLANK))
        columns.append(ReportColumn(w("chart"), "chart"))
        table = Table(key, columns, [])
        base = count.base
        for row in q.rows:
            counter = count.rows.get(row.id, {})
            values = [value for value, _label in options]
            cells: list = [self.tr(row.label)]
            cells += self.stacked_shares(counter, values, base, columns[1:-1], STACK_WIDTH)
            table.rows.append(cells)
            table.styles.append("")
        return table

    def number_table(self, key: str, count: QuestionCount) -> Table:
        w = self.words
        values = count.values
        rows = [
            [w("answered"), w.count(count.answered)],
            [w("no_answer"), w.count(count.blank)],
        ]
        if values:
            q1, q3 = quantile(values, 0.25), quantile(values, 0.75)
            rows += [
                [w("mean"), w.number(mean(values))],
                [w("median"), w.number(median(values))],
                [w("quartiles"), f"{w.number(q1)} – {w.number(q3)}"],
                [w("range"), f"{w.number(min(values))} – {w.number(max(values))}"],
            ]
        columns = [ReportColumn(w("measure"), "label"), ReportColumn(w("value"), "number")]
        return Table(key, columns, rows, [""] * len(rows))

    # -- comparison between groups -------------------------------------------------

    def comparison(self, fs: FormSummary) -> None:
        w = self.words
        form_id = fs.form.id
        self.heading(f"{w('comparison')}: {self.labels.by_label(fs)}", 2)
        self.add(Para(w("comparison_intro", n=self.seen.min_count), "note"))
        keys = fs.ordered_groups()
        sizes = Table(
            f"{form_id}/groups",
            [ReportColumn(w("group"), "label"), ReportColumn(w("count"), "number")],
            [],
        )
        for key in keys:
            reason = self.seen.group(form_id, key)
            n = self.short_hidden(reason) if reason else w.count(fs.groups[key].n)
            sizes.rows.append([self.labels.group(fs, key), n])
            sizes.styles.append("hidden" if reason else "")
        sizes.rows.append([w("total"), w.count(fs.total.n)])
        sizes.styles.append("total")
        self.add(Para(w("group_sizes"), "lead"), sizes)
        for q in fs.questions:
            if q.type in ONE_CHOICE_TYPES or q.type == "multiple":
                self.heading(self.question_heading(q), 3)
                self.add(self.compare_choices(fs, q, keys))
            elif q.type == "grid":
                self.heading(self.question_heading(q), 3)
                for row in q.rows:
                    self.add(Para(self.tr(row.label), "lead"))
                    self.add(self.compare_choices(fs, q, keys, row.id))
            elif q.type == "number":
                self.heading(self.question_heading(q), 3)
                self.add(self.compare_numbers(fs, q, keys))

    def _rows_of(self, fs: FormSummary, keys: list[str]):
        for key in [*keys, TOTAL]:
            group = fs.total if key == TOTAL else fs.groups[key]
            yield key, self.labels.group(fs, key), group

    def compare_choices(
        self, fs: FormSummary, q: Question, keys: list[str], row: str | None = None
    ) -> Table:
        w = self.words
        options = choice_rows(q)
        columns = [ReportColumn(w("group"), "label")]
        columns += [ReportColumn(choice_label(q, v, self.lang), "percent") for v, _l in options]
        columns.append(ReportColumn(w("no_answer"), "percent"))
        columns.append(ReportColumn(w("n"), "number"))
        if q.type == "scale":
            columns.append(ReportColumn(w("median"), "number"))
        suffix = f"/{row}" if row else ""
        table = Table(f"{fs.form.id}/compare/{q.id}{suffix}", columns, [])
        for key, label, group in self._rows_of(fs, keys):
            reason = self.seen.question(fs.form.id, q.id, key)
            count = group.questions.get(q.id)
            style = "total" if key == TOTAL else ""
            if reason or count is None or count.base == 0:
                n = self.short_hidden(reason) if reason else w.count(0)
                cells = [label, *[None] * (len(options) + 1), n]
                if q.type == "scale":
                    cells.append(None)
                table.rows.append(cells)
                table.styles.append("hidden" if reason else style)
                continue
            counter = count.rows.get(row, {}) if row else count.counts
            blank = counter.get(None, 0) if row else count.blank
            cells = [label]
            cells += [(counter.get(v, 0), count.base) for v, _l in options]
            cells += [(blank, count.base), w.count(count.base)]
            if q.type == "scale":
                cells.append(w.number(median(scale_values(q, count.counts))))
            table.rows.append(cells)
            table.styles.append(style)
        return table

    def compare_numbers(self, fs: FormSummary, q: Question, keys: list[str]) -> Table:
        w = self.words
        columns = [
            ReportColumn(w("group"), "label"),
            ReportColumn(w("n"), "number"),
            ReportColumn(w("median"), "number"),
            ReportColumn(w("mean"), "number"),
        ]
        table = Table(f"{fs.form.id}/compare/{q.id}", columns, [])
        for key, label, group in self._rows_of(fs, keys):
            reason = self.seen.question(fs.form.id, q.id, key)
            count = group.questions.get(q.id)
            if reason or count is None:
                n = self.short_hidden(reason) if reason else w.count(0)
                table.rows.append([label, n, None, None])
                table.styles.append("hidden" if reason else "")
                continue
            table.rows.append(
                [
                    label,
                    w.count(count.answered),
                    w.number(median(count.values)),
                    w.number(mean(count.values)),
                ]
            )
            table.styles.append("total" if key == TOTAL else "")
        return table

    # -- patients and unit ---------------------------------------------------------

    def pairing_section(self, index: int, pairing: Pairing) -> None:
        w = self.words
        self.add(PageBreak())
        self.heading(w("pairing"), 1)
        codes = [p.code for p in pairing.pairs]
        shown_codes = f"{codes[0]} … {codes[-1]}" if len(codes) > 2 else ", ".join(codes)
        self.add(Para(w("pairing_intro", codes=shown_codes)))
        self.add(Para(w("pairing_unit_answers", n=self.seen.min_count), "note"))
        for form in pairing.lacking:
            self.add(Para(w("pairing_no_unit", form=self.form_title(form)), "note"))
        self.heading(w("pairing_total"), 2)
        self.add(self.pairing_table(index, pairing, TOTAL))
        self.pairing_out_of_turn(index, pairing, TOTAL, pairing.patients, pairing.units_total)
        if not pairing.per_unit:
            return
        if pairing.unmatched.n:
            if pairing.unmatched.n >= self.seen.min_count:
                text = w("pairing_unmatched", n=w.count(pairing.unmatched.n))
            else:
                text = w("pairing_unmatched_few")
            self.add(Para(text, "note"))
        for unit in pairing.ordered_units():
            self.heading(w("pairing_unit", unit=unit.label or w("no_answer")), 2)
            reasons = {self.seen.patients(index, p.code, unit.key) for p in pairing.pairs}
            reasons.discard(None)
            if reasons == {COMPLEMENT}:
                self.add(Para(w("patients_hidden_complement"), "hidden"))
            elif reasons:
                self.add(Para(w("patients_hidden", n=self.seen.min_count), "hidden"))
            self.add(self.pairing_table(index, pairing, unit.key))
            self.pairing_out_of_turn(index, pairing, unit.key, unit.patients, unit.unit)

    def pairing_out_of_turn(self, index: int, pairing: Pairing, key: str, patients, units):
        """Per code, answers given where the question did not apply: said, never counted."""
        w = self.words
        for pair in pairing.pairs:
            k = patients.out_of_turn[pair.code]
            if k and not self.seen.patients(index, pair.code, key):
                text = w("pairing_out_of_turn", code=pair.code, n=w.count(k))
                self.add(Para(text, "note"))
            k = units.out_of_turn[pair.code]
            if k:
                text = w("pairing_unit_out_of_turn", code=pair.code, n=w.count(k))
                self.add(Para(text, "note"))

    def pairing_table(self, index: int, pairing: Pairing, key: str) -> Table:
        """Per paired question: its wording on a row of its own, then the numbers under it.

        Rows come with the largest difference first, unless some patients' answers
        are hidden: then in the order of the codes, since the order itself would
        tell how the hidden answers compare.
        """
        w = self.words
        options: list[tuple[str, str]] = []
        for pair in pairing.pairs:
            for value, _label in choice_rows(pair.patient):
                if value not in [v for v, _l in options]:
                    options.append((value, choice_label(pair.patient, value, self.lang)))
        columns = [ReportColumn(w("code"), "label")]
        columns += [ReportColumn(label, "percent") for _v, label in options]
        columns.append(ReportColumn(w("no_answer"), "percent"))
        columns.append(ReportColumn(w("n"), "number"))
        columns.append(ReportColumn(w("units_answers" if key == TOTAL else "unit_answer"), "label"))
        columns.append(ReportColumn(w("difference"), "number"))
        if key == TOTAL:
            patients, units, name = pairing.patients, pairing.units_total, "total"
        else:
            unit = pairing.units[key]
            patients, units, name = unit.patients, unit.unit, unit.label or "-"
        table = Table(f"pairing/{name}", columns, [])
        hidden = {p.code: self.seen.patients(index, p.code, key) for p in pairing.pairs}
        rows = by_difference(pairing.pairs, patients, units)
        if any(hidden.values()):
            rows = [(p, None) for p in pairing.pairs]
        for pair, diff in rows:
            reason = hidden[pair.code]
            counts = patients.of(pair.code)
            base = patients.base[pair.code]
            answer = self.labels.unit_answers(pair.unit, units.of(pair.code), key == TOTAL)
            table.rows.append([self.question_heading(pair.patient)] + [None] * (len(columns) - 1))
            table.styles.append("caption")
            if reason or base == 0:
                n = self.short_hidden(reason) if reason else w.count(0)
                table.rows.append([pair.code, *[None] * (len(options) + 1), n, answer, None])
                table.styles.append("hidden" if reason else "")
                continue
            cells = [pair.code]
            cells += [(counts.get(v, 0), base) for v, _l in options]
            cells += [(counts.get(None, 0), base), w.count(base), answer]
            cells.append(None if diff is None else _signed(diff, w))
            table.rows.append(cells)
            table.styles.append("")
        return table

    # -- about ---------------------------------------------------------------------

    def about(self) -> None:
        w = self.words
        self.add(PageBreak())
        self.heading(w("about"), 1)
        self.add(Para(w("about_counting")))
        self.add(Para(w("about_privacy", n=self.seen.min_count)))
        if not self.summary.free_text:
            self.add(Para(w("no_free_text")))


def _month_index(key: str) -> int:
    year, month = key.split("-")[:2]
    return int(year) * 12 + int(month) - 1


def _month_key(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _distinct(items: list[str]) -> list[tuple[str, int]]:
    """Texts written alike (case and spacing aside) once, with how many wrote them."""
    seen: dict[str, list] = {}
    for text in items:
        key = " ".join(text.casefold().split())
        if key in seen:
            seen[key][1] += 1
        else:
            seen[key] = [text, 1]
    return sorted(((t, k) for t, k in seen.values()), key=lambda tk: (-tk[1], swedish_order(tk[0])))


def _pct_digits(k: int, base: int) -> str:
    """A share as bare digits for inside a bar segment; nothing for 0."""
    value = percent_int(k, base)
    return "" if not value else str(value)


def _signed(x: float, words: Words) -> str:
    value = round(x)
    if value == 0:
        return "0"
    return ("+" if value > 0 else "−") + words.count(abs(value))


def build(
    summary: Summary,
    pairings: list[Pairing],
    seen: Visibility,
    lang: str,
    period: str | None = None,
    today: datetime.date | None = None,
) -> list:
    """The blocks of the report, in reading order."""
    return Builder(summary, pairings, seen, lang, period, today).build()
