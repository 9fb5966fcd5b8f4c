"""Parsed forms → tables: the columns of a form, its codebook, and what may be written.

A dataset has one table per form (one row per returned questionnaire), a table of
problems, a table of review items, a codebook that says what every column holds,
and a ledger of every input file. This module knows the shape of those tables;
`tables.py` writes them as CSV, XLSX, JSONL or Parquet, and `extract.py` feeds them.
It never touches a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..exchange.fhir import question_coding
from ..model.form import OTHER, Form, Question, cell_name, tr
from ..model.layout import hint
from ..model.library import version_key
from ..model.privacy import DROP, Privacy
from ..model.response import ReviewItem
from ..model.rules import asked

# -- columns --------------------------------------------------------------------------


@dataclass
class Column:
    """One column of a form's table, and what the codebook says of it."""

    name: str
    kind: str  # meta | answer | option | row | cell | other_text
    type: str  # the question's type (a group's cell: its column's); meta: text | integer
    question: str | None = None
    item: str | None = None  # a group's cell: its column (the item's id)
    code: str | None = None
    # the code system of `code` (the project's for a bare code such as skr-7-1), so that
    # answers from other regions and tools join on (system, code) (exchange/fhir.py)
    code_system: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    values: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    note: str = ""
    written: bool = True
    # the printed question number in each version that has the column (None: unnumbered)
    numbers: dict[str, int | None] = field(default_factory=dict)

    @property
    def number(self) -> str:
        """The printed question number, as the codebook and the workbook's header show it.

        Versions that print the question under another number are named: "4 (3 in version 1)".
        """
        if not self.numbers:
            return ""
        newest = self.versions[-1] if self.versions else next(iter(self.numbers))
        shown = self.numbers.get(newest)
        text = "" if shown is None else str(shown)
        others = [
            f"{n} in version {v}" for v, n in self.numbers.items() if n is not None and n != shown
        ]
        return f"{text} ({', '.join(others)})" if others else text


def _same(text: str) -> dict[str, str]:
    return {"sv": text, "en": text}


META_COLUMNS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("file", "text", {"sv": "Den returnerade filen", "en": "The returned file"}),
    (
        "questionnaire",
        "integer",
        {
            "sv": "Vilken enkät i filen (en skannad fil kan rymma flera)",
            "en": "Which questionnaire in the file (a scanned file may hold several)",
        },
    ),
    ("sha256", "text", {"sv": "Filens SHA-256", "en": "SHA-256 of the file"}),
    (
        "kind",
        "text",
        {
            "sv": "Hur svaren lästes: acroform (formulärfält), flattened (utplattad), scan",
            "en": "How the answers were read: acroform (form fields), flattened, scan",
        },
    ),
    ("form", "text", {"sv": "Formulärets id", "en": "Form id"}),
    ("version", "text", {"sv": "Formulärets version", "en": "Form version"}),
    ("language", "text", {"sv": "Formulärets språk", "en": "Language of the form"}),
    ("serial", "text", {"sv": "Löpnummer på exemplaret", "en": "Serial of the copy"}),
    (
        "unit",
        "text",
        {
            "sv": "Enheten som exemplaret skrevs ut för (från exemplaret, eller från "
            "utskicksloggen via löpnumret)",
            "en": "The care unit the copy was printed for (from the copy, or from the print "
            "run's ledger by its serial)",
        },
    ),
    (
        "outcome",
        "text",
        {
            "sv": "parsed, parsed_with_problems eller needs_review",
            "en": "parsed, parsed_with_problems or needs_review",
        },
    ),
    ("problems", "integer", {"sv": "Antal problem", "en": "Number of problems"}),
    ("review", "integer", {"sv": "Antal att granska", "en": "Number of items to review"}),
    (
        "by_person",
        "text",
        {
            "sv": "Frågor (id) vars svar en person skrev in eller valde vid granskning "
            "(pdfforms review); tomt om allt lästes maskinellt",
            "en": "Questions (ids) whose answers a person typed or chose in review "
            "(pdfforms review); empty when all was read by machine",
        },
    ),
)


def _labels(text, languages: list[str]) -> dict[str, str]:
    return {lang: tr(text, lang) for lang in languages} if text else {}


def _option_values(q: Question, languages: list[str]) -> list[tuple[str, dict[str, str]]]:
    return [(o.value, _labels(o.label, languages) or _same(o.value)) for o in q.choices]


# What 1 and 0 mean in a column of one option of a multiple-choice question. Other
# languages say it with the yes and no their printed forms show (layout.HINTS).
MARKED = {"sv": "Markerad", "en": "Marked"}
NOT_MARKED = {"sv": "Inte markerad", "en": "Not marked"}


def _yes_no(languages: list[str], yes: dict | None = None, no: dict | None = None) -> list:
    yes, no = yes or {}, no or {}
    return [
        ("1", {lang: yes.get(lang) or hint(lang, "yes") for lang in languages}),
        ("0", {lang: no.get(lang) or hint(lang, "no") for lang in languages}),
    ]


def _scale_values(q: Question, languages: list[str]) -> list[tuple[str, dict[str, str]]]:
    """Every point of a scale: its ends with their labels, the points between as numbers."""
    out = []
    for o in q.choices:
        if q.na is not None and o.value == q.na.value:
            out.append((o.value, _labels(o.label, languages)))
        elif o.value == str(q.min) and q.min_label:
            out.append((o.value, _labels(q.min_label, languages)))
        elif o.value == str(q.max) and q.max_label:
            out.append((o.value, _labels(q.max_label, languages)))
        else:
            out.append((o.value, {}))
    return out


def outcome_of(obj: dict) -> str:
    """One questionnaire's outcome: needs review, parsed with problems, or parsed."""
    if obj["review"]:
        return "needs_review"
    if obj["problems"]:
        return "parsed_with_problems"
    return "parsed"


class FormTable:
    """The table of one form: columns from every version seen, and rows from parsed forms.

    Versions of one form share a table: a column a version lacks is empty in its rows.
    Columns come in the order of the newest version, then those only older ones have.
    """

    def __init__(self, forms: list[Form], privacy: Privacy):
        if not forms:
            raise ValueError("a table needs at least one form")
        self.form_id = forms[0].id
        self.forms = {f.version: f for f in forms}
        self.privacy = privacy
        self.languages: list[str] = []
        for f in forms:
            self.languages += [lang for lang in f.languages if lang not in self.languages]
        newest_first = sorted(forms, key=lambda f: version_key(f.version), reverse=True)
        self.columns: list[Column] = [
            Column(name, "meta", kind, labels=dict(labels)) for name, kind, labels in META_COLUMNS
        ]
        by_name: dict[str, Column] = {}
        for form in newest_first:
            for q in form.answerable:
                for col in self._question_columns(q, form.languages):
                    seen = by_name.get(col.name)
                    if seen is None:
                        by_name[col.name] = col
                        self.columns.append(col)
                        seen = col
                    seen.versions.append(form.version)
                    seen.numbers[form.version] = q.number
        for col in self.columns:
            col.versions.sort(key=version_key)
        self.written = [c for c in self.columns if c.written]
        self._plans = {v: self._plan(f) for v, f in self.forms.items()}

    def _question_columns(self, q: Question, languages: list[str]) -> list[Column]:
        label = _labels(q.label or q.text, languages)
        coding = question_coding(q)
        common = {
            "question": q.id,
            "code": q.code,
            "code_system": coding[0] if coding else None,
            "type": q.type,
        }
        if q.type == "multiple":
            cols = [
                Column(
                    f"{q.id}__{o.value}",
                    "option",
                    labels={
                        lang: f"{label.get(lang, q.id)} – {tr(o.label, lang) or o.value}"
                        for lang in languages
                    },
                    values=_yes_no(languages, MARKED, NOT_MARKED),
                    note="1 = marked, 0 = not marked, empty = the question did not apply",
                    **common,
                )
                for o in q.choices
            ]
        elif q.type == "grid":
            cols = [
                Column(
                    f"{q.id}__{r.id}",
                    "row",
                    labels={
                        lang: f"{label.get(lang, q.id)} – {tr(r.label, lang)}" for lang in languages
                    },
                    values=_option_values(q, languages),
                    **common,
                )
                for r in q.rows
            ]
        elif q.type == "group":
            # Wide: a column a cell, `<id>__<k>__<item>` for the k-th written row (JSON's
            # k-th row object), up to the printed rows: every format (CSV, XLSX, Parquet,
            # .sav, .dta) carries it in the one table, one row a response, and the rows
            # are few and fixed by the definition (at most MAX_GROUP_ROWS).
            cols = []
            for k in range(1, q.row_count + 1):
                for item in q.items:
                    col = self._question_columns(item, languages)[0]
                    col.name, col.kind, col.question, col.item = (
                        cell_name(q.id, k, item.id),
                        "cell",
                        q.id,
                        item.id,
                    )
                    col.code, col.code_system = q.code, common["code_system"]
                    col.labels = {
                        lang: f"{label.get(lang, q.id)} – "
                        f"{hint(lang, 'cell', n=k, item=tr(item.label, lang))}"
                        for lang in languages
                    }
                    cols.append(col)
        else:
            col = Column(q.id, "answer", labels=label, **common)
            if q.type == "yesno":
                col.values = _yes_no(languages)
            elif q.type in ("single", "dropdown", "scale"):
                col.values = _option_values(q, languages)
                if q.type == "scale":
                    col.values = _scale_values(q, languages)
                    ends = []
                    if q.min_label:
                        ends.append(f"{q.min} = {tr(q.min_label, languages[0])}")
                    if q.max_label:
                        ends.append(f"{q.max} = {tr(q.max_label, languages[0])}")
                    col.note = "; ".join(ends)
            elif q.type == "personnummer":
                col.note = self.privacy.describe()
                col.written = self.privacy.mode != DROP
            elif q.type == "date":
                col.note = "YYYY-MM-DD"
            elif q.type == "number":
                bounds = [f"min {q.min}" if q.min is not None else "", ""]
                bounds[1] = f"max {q.max}" if q.max is not None else ""
                col.note = ", ".join(b for b in bounds if b)
            cols = [col]
        if q.other is not None:
            cols.append(
                Column(
                    f"{q.id}__other_text",
                    "other_text",
                    "text",
                    question=q.id,
                    code=q.code,
                    code_system=common["code_system"],
                    labels={
                        lang: f"{label.get(lang, q.id)} – {tr(q.other, lang)}" for lang in languages
                    },
                    note=f"written beside '{OTHER}'",
                )
            )
        return cols

    def types(self) -> list[str]:
        """The storage type of each written column (for Parquet and Excel)."""
        out = []
        for col in self.written:
            if col.kind == "meta":
                out.append(col.type)
            elif col.kind == "option" or col.type == "yesno":
                out.append("flag")
            elif col.type == "date":
                out.append("date")
            elif col.type == "number":
                exact = all(self._question(v, col).decimals == 0 for v in col.versions)
                out.append("integer" if exact else "float")
            elif col.type == "scale" and col.kind == "answer":
                has_na = any(self._question(v, col).na is not None for v in col.versions)
                out.append("text" if has_na else "integer")
            else:
                out.append("text")
        return out

    def values_of(self, col: Column) -> list[str]:
        """A choice column's values in every version that has it, the newest's order first."""
        values: list[str] = []
        for version in reversed(col.versions):
            q = self._question(version, col)
            values += [v for v in q.choice_values if v not in values]
        return values

    def value_labels(self, col: Column, lang: str) -> dict[str, str]:
        """Value → its label in `lang`, for a column of coded answers: a single choice, a
        dropdown, a grid row (every version's values) and yes/no (1 and 0); else {}."""
        if col.type == "yesno" and col.kind == "answer":
            return {value: labels.get(lang, value) for value, labels in col.values}
        if col.kind not in ("answer", "row") or col.type not in ("single", "dropdown", "grid"):
            return {}
        out: dict[str, str] = {}
        for version in reversed(col.versions):
            for o in self._question(version, col).choices:
                out.setdefault(o.value, tr(o.label, lang) or o.value)
        return out

    def na_of(self, col: Column) -> str | None:
        """The value of a scale's "don't know" (`na`), if a version has one."""
        for version in reversed(col.versions):
            q = self._question(version, col)
            if q.type == "scale" and q.na is not None:
                return q.na.value
        return None

    def _question(self, version: str, col: Column) -> Question:
        """The question of a column (a group's cell: its column, which has the type)."""
        q = self.forms[version].question(col.question)
        if col.item is not None:
            return next(item for item in q.items if item.id == col.item)
        return q

    def _plan(self, form: Form) -> list:
        """For one version: how to get each written column's cell from a parsed form."""
        steps = []
        questions = {}
        for q in form.answerable:
            questions[q.id] = q
        for col in self.written:
            if col.kind == "meta":
                steps.append(("meta", col.name, None))
                continue
            q = questions.get(col.question)
            if q is None or form.version not in col.versions:
                steps.append(("none", None, None))
            elif col.kind == "option":
                steps.append(("option", q, col.name[len(q.id) + 2 :]))
            elif col.kind == "row":
                steps.append(("row", q, col.name[len(q.id) + 2 :]))
            elif col.kind == "cell":  # (the k-th row, its item)
                k = int(col.name[len(q.id) + 2 :].split("__")[0])
                steps.append(("cell", q, (k, col.item)))
            elif col.kind == "other_text":
                steps.append(("other_text", q, col.name))
            elif q.type == "yesno":
                steps.append(("yesno", q, None))
            else:
                steps.append(("answer", q, None))
        return steps

    def row(self, obj: dict, questionnaire: int) -> list:
        """The cells of one parsed form (SPEC §4 JSON, privacy already applied)."""
        form = self.forms[obj["form"]["version"]]
        answers = obj["answers"]
        source = obj["source"]
        meta = {
            "file": source.get("file"),
            "questionnaire": questionnaire,
            "sha256": source.get("sha256"),
            "kind": source.get("kind"),
            "form": obj["form"]["id"],
            "version": obj["form"]["version"],
            "language": obj["form"]["language"],
            "serial": obj.get("serial"),
            "unit": obj.get("unit"),
            "outcome": outcome_of(obj),
            "problems": len(obj["problems"]),
            "review": len(obj["review"]),
            "by_person": " ".join(
                dict.fromkeys(q for r in obj.get("reviewed") or [] for q in r["questions"])
            )
            or None,
        }
        applies: dict[str, bool] | None = None  # worked out for the first option column
        cells = []
        for step, q, arg in self._plans[form.version]:
            if step == "meta":
                cells.append(meta[q])
            elif step == "none":
                cells.append(None)
            elif step == "answer":
                cells.append(answers.get(q.id))
            elif step == "yesno":
                value = answers.get(q.id)
                cells.append(None if value is None else int(bool(value)))
            elif step == "option":
                if applies is None:
                    applies = asked(form, answers)
                chosen = answers.get(q.id) or []
                cells.append(int(arg in chosen) if applies[q.id] or chosen else None)
            elif step == "row":
                cells.append((answers.get(q.id) or {}).get(arg))
            elif step == "cell":
                rows, (k, item) = answers.get(q.id) or [], arg
                cells.append(rows[k - 1].get(item) if k <= len(rows) else None)
            else:  # other_text
                cells.append(answers.get(arg))
        return cells


# -- the fixed tables -----------------------------------------------------------------

WHICH_COLUMNS = ("file", "questionnaire", "form", "version", "serial")  # see _which
PROBLEM_COLUMNS = (
    *WHICH_COLUMNS,
    "question",
    "code",
    "severity",
    "message",
)
REVIEW_COLUMNS = (
    *WHICH_COLUMNS,
    "question",
    "reason",
    "page",
    "image",
)
REVIEWED_COLUMNS = (
    *WHICH_COLUMNS,
    "questions",
    "reason",
    "status",
    "by",
    "at",
    "item",
)
FILE_LEDGER_COLUMNS = (
    "file",
    "outcome",
    "reason",
    "questionnaires",
    "kind",
    "forms",
    "serials",
    "problems",
    "review",
    "duplicate_of",
    "sha256",
    "bytes",
    "pages",
    "seconds",
)
# Every input file ends in exactly one of these (the ledger's `outcome`).
FILE_OUTCOMES = ("parsed", "parsed_with_problems", "needs_review", "failed", "duplicate")
CODEBOOK_BASE = (
    "table",
    "column",
    "question",
    "number",
    "code",
    "code_system",
    "kind",
    "type",
    "versions",
)


def _which(obj: dict, questionnaire: int) -> tuple:
    """The columns problems and review items share: which questionnaire they are of."""
    form = obj["form"]
    return (
        obj["source"].get("file"),
        questionnaire,
        form["id"],
        form["version"],
        obj.get("serial"),
    )


def problem_rows(obj: dict, questionnaire: int):
    base = _which(obj, questionnaire)
    for p in obj["problems"]:
        yield [*base, p.get("question"), p.get("code"), p.get("severity"), p.get("message")]


def review_rows(obj: dict, questionnaire: int):
    base = _which(obj, questionnaire)
    for item in map(ReviewItem.from_json, obj["review"]):
        yield [*base, item.question, item.reason, item.page, item.image]


def reviewed_rows(obj: dict, questionnaire: int):
    """Who decided what in review, and when (the values are in the form's table)."""
    base = _which(obj, questionnaire)
    for r in obj.get("reviewed") or []:
        yield [
            *base,
            " ".join(r["questions"]),
            r["reason"],
            r["status"],
            r["by"],
            r["at"],
            r["item"],
        ]


def codebook_columns(languages: list[str], labelled: bool = False) -> list[str]:
    """The codebook's columns; `labelled` (.sav, .dta): each column's variable and codes."""
    return [
        *CODEBOOK_BASE,
        *(f"label_{lang}" for lang in languages),
        *(f"values_{lang}" for lang in languages),
        *(("variable", "codes") if labelled else ()),
        "written",
        "note",
    ]


def codebook_rows(
    table_name: str,
    table: FormTable,
    languages: list[str],
    variables: dict[str, tuple] | None = None,
):
    """One row per column; `variables`: column → (its .sav/.dta variable, code → value)."""
    for col in table.columns:
        labelled = []
        if variables is not None:
            name, decoding = variables.get(col.name) or ("", None)
            # Stata's extended missing value a is written .a, as Stata shows it
            codes = "; ".join(
                f"{'.' + code if code.isalpha() else code} = {value}"
                for code, value in (decoding or {}).items()
            )
            labelled = [name, codes]
        yield [
            table_name,
            col.name,
            col.question,
            col.number,
            col.code,
            col.code_system,
            col.kind,
            col.type,
            " ".join(col.versions),
            *(col.labels.get(lang, "") for lang in languages),
            *(
                "; ".join(
                    f"{value} = {labels[lang]}" if labels.get(lang) else value
                    for value, labels in col.values
                )
                for lang in languages
            ),
            *labelled,
            "yes" if col.written else "no",
            col.note,
        ]
