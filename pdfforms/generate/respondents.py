"""Respondents for a print run: a CSV file → one pre-filled copy per row.

A care unit exports its list of patients from Excel: one row per respondent.
Columns named after questions pre-fill those questions; the other columns the
cover page asks for (a name, an address) are kept as raw text; a `language`
column gives each respondent their language.

Nothing is printed for a file with a single bad cell. Every fault in the file
is reported at once, each as `FILE:LINE: column 'x': message`, where LINE is
the line a person sees in Excel (the header is line 1) and, for a record whose
quoted cell spans several lines, the line where the record starts. The
messages quote the cells, so they hold personal data: they are for the person
who fixes the file, never for a general log. Nothing else here prints or logs.

Values are read as people type them into Excel: option labels in any of the
form's languages as well as values, `ja`/`nej`, Swedish dates and numbers.
The answers given to `pdfforms fill` (a JSON object) are read by the same
functions (`read_answers`), so the two accept the same things.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..model import printable
from ..model.coerce import CoerceError, parse_date, parse_number
from ..model.errors import PdfformsError
from ..model.form import OTHER, Condition, Form, Question, cell_name
from ..model.identity import MAX_UNIT, clean_unit
from ..model.messages import text as msg
from ..model.personnummer import PersonnummerError, parse_personnummer
from ..model.rules import describe, is_blank_answer, undecided_holds
from .fields import AnswerError, answers_to_fields

__all__ = [
    "LANGUAGE_COLUMN",
    "Respondent",
    "RespondentsError",
    "answer_from_text",
    "read_answers",
    "read_respondents",
]

LANGUAGE_COLUMN = "language"
# The care unit the copy is for, printed on it and kept in the run's ledger (a run's
# --unit serves the rows that leave it blank).
UNIT_COLUMN = "unit"

# What people type for yes and no, in Swedish and English; SANT/FALSKT is what
# Swedish Excel writes for a TRUE/FALSE cell.
_YES = {"ja", "j", "yes", "y", "true", "sant", "1"}
_NO = {"nej", "n", "no", "false", "falskt", "0"}


@dataclass
class Respondent:
    """One row of the file: who gets a copy, in which language, pre-filled with what."""

    row: int  # the line in the file where the row starts (the header is line 1)
    language: str
    answers: dict = field(default_factory=dict)  # SPEC §4 shape, only the questions given
    cover: dict[str, str] = field(default_factory=dict)  # non-question columns, raw text
    unit: str | None = None  # the `unit` column, None when blank


class RespondentsError(PdfformsError, ValueError):
    """The file cannot be used; `faults` lists everything wrong with it, by line."""

    def __init__(self, faults: list[str]):
        self.faults = list(faults)
        super().__init__("\n".join(self.faults))


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class _Column:
    name: str
    kind: str  # answer | other | grid | cell | language | unit | cover
    question: Question | None = None
    row: str | None = None  # grid row id; a group's printed row (1, 2, …)
    item: Question | None = None  # a group's column


class CellError(ValueError):
    """A value that the question does not allow; the message quotes the value."""


def _did_you_mean(word: str, choices) -> str:
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return msg("def.did_you_mean", word=match[0]) if match else ""


def _classify(form: Form, cover_fields) -> tuple[dict[str, _Column], dict[str, str]]:
    """Every column name the file may use, and the names refused with a specific hint."""
    allowed: dict[str, _Column] = {}
    hints: dict[str, str] = {}
    for q in form.answerable:
        if q.type == "grid":
            for row in q.rows:
                name = f"{q.id}__{row.id}"
                allowed[name] = _Column(name, "grid", q, row.id)
            columns = ", ".join(f"{q.id}__{row.id}" for row in q.rows)
            hints[q.id] = msg("resp.grid_column", id=q.id, columns=columns)
        elif q.type == "group":
            # one column a cell, as its field is named: plan__2__nar
            for k in range(1, q.row_count + 1):
                for item in q.items:
                    name = cell_name(q.id, k, item.id)
                    allowed[name] = _Column(name, "cell", q, str(k), item)
            example = ", ".join(cell_name(q.id, 1, item.id) for item in q.items)
            hints[q.id] = msg("resp.group_column", id=q.id, columns=example)
        else:
            allowed[q.id] = _Column(q.id, "answer", q)
        if q.other is not None:
            name = f"{q.id}__other_text"
            allowed[name] = _Column(name, "other", q)
        if q.type == "multiple":
            for opt in q.choices:
                hints.setdefault(
                    f"{q.id}__{opt.value}",
                    msg("resp.checkbox_column", column=f"{q.id}__{opt.value}", id=q.id),
                )
    allowed.setdefault(LANGUAGE_COLUMN, _Column(LANGUAGE_COLUMN, "language"))
    allowed.setdefault(UNIT_COLUMN, _Column(UNIT_COLUMN, "unit"))
    for name in cover_fields:
        allowed.setdefault(name, _Column(name, "cover"))
    return allowed, hints


# --------------------------------------------------------------------------- values


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def choice_from_text(q: Question, raw: str) -> str:
    """The option value a text names: the value itself or a label in any language."""
    if raw in q.choice_values:
        return raw
    wanted = _norm(raw)
    hits = [o.value for o in q.choices if _norm(o.value) == wanted]
    if not hits:
        hits = [
            o.value
            for o in q.choices
            if any(_norm(label) == wanted for label in (o.label or {}).values())
        ]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise CellError(msg("resp.ambiguous", value=repr(raw), hits=", ".join(hits)))
    raise CellError(
        msg("fields.not_one_of_bare", value=repr(raw), allowed=", ".join(q.choice_values))
    )


def _one_line(raw: str) -> str:
    return " ".join(raw.split("\n")).strip()


def _check_range(q: Question, value, raw: str) -> None:
    if q.min is not None and value < q.min:
        raise CellError(msg("resp.below_min", value=repr(raw), min=q.min))
    if q.max is not None and value > q.max:
        raise CellError(msg("resp.above_max", value=repr(raw), max=q.max))


def answer_from_text(
    q: Question, raw: str, list_separators: str = ";|", today: datetime.date | None = None
):
    """A non-blank value of question `q` as a person types it → its answer (SPEC §4), or
    CellError. A respondents CSV's cells and the answers given to `pdfforms fill` are
    read by this one function, so both accept the same things."""
    if q.type == "text":
        return _one_line(raw)  # a one-line field reads back joined, so pre-fill it joined
    if q.type == "textarea":
        return "\n".join(line.rstrip() for line in raw.split("\n"))
    if q.type == "number":
        try:
            value = parse_number(raw, 0 if q.decimals == 0 else None)
        except CoerceError as exc:
            raise CellError(str(exc)) from None
        if q.decimals:
            value = float(value)
            if round(value, q.decimals) != value:
                raise CellError(
                    msg(
                        "resp.decimals" if q.decimals > 1 else "resp.decimal",
                        value=repr(raw),
                        n=q.decimals,
                    )
                )
        _check_range(q, value, raw)
        return value
    if q.type == "date":
        try:
            value = parse_date(raw, today=today).isoformat()
        except CoerceError as exc:
            raise CellError(str(exc)) from None
        _check_range(q, value, raw)  # ISO strings compare as dates
        return value
    if q.type == "personnummer":
        try:
            return parse_personnummer(raw, today=today).number
        except PersonnummerError as exc:
            raise CellError(str(exc)) from None
    if q.type == "yesno":
        word = raw.casefold()
        if word in _YES:
            return True
        if word in _NO:
            return False
        raise CellError(msg("resp.not_yes_or_no", value=repr(raw)))
    if q.type in ("single", "dropdown"):
        return choice_from_text(q, raw)
    if q.type == "scale":
        value = choice_from_text(q, raw)
        return value if q.na is not None and value == q.na.value else int(value)
    if q.type == "multiple":
        parts = [raw]
        for sep in list_separators:
            parts = [piece for part in parts for piece in part.split(sep)]
        chosen, bad = _choices(q, [p.strip() for p in parts if p.strip()])
        if bad:
            raise CellError(
                msg(
                    "resp.not_among_one" if len(bad) == 1 else "resp.not_among_many",
                    listed=", ".join(repr(b) for b in bad),
                    value=repr(raw),
                    allowed=", ".join(q.choice_values),
                    separators=msg("rules.or").join(repr(s) for s in list_separators),
                )
            )
        return chosen
    raise AssertionError(f"no cell reader for a {q.type} question")  # grid is read per row


# --------------------------------------------------------------------------- the file


def _read_text(path: Path, name: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RespondentsError(
            [msg("resp.cannot_read", where=f"{name}:1", reason=exc.strerror or exc)]
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RespondentsError([msg("resp.not_utf8", where=f"{name}:{line}")]) from None


def _records(text: str, delimiter: str, name: str, faults: list[tuple[int, str]]):
    """(start line, cells) for each record; a broken quote ends the file with a fault."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "end of data" in str(exc):
                why = msg("resp.quote_open")
            else:
                why = msg("resp.quoting", reason=exc)
            faults.append((start, msg("resp.nothing_after", where=f"{name}:{start}", why=why)))
            return
        cells = [c.replace("\r\n", "\n").replace("\r", "\n").strip() for c in record]
        yield start, cells


def read_respondents(
    path,
    form: Form,
    default_language: str,
    cover_fields: set[str] = frozenset(),
    today: datetime.date | None = None,
) -> list[Respondent]:
    """The respondents of a CSV file, in file order; RespondentsError lists every fault.

    `cover_fields` are the names the cover page uses: columns with those names
    are allowed and handed over as raw text. `today` anchors two-digit years
    and personnummer centuries (tests and re-runs pass it).
    """
    if default_language not in form.languages:
        raise ValueError(
            f"language {default_language!r} is not one of the form's languages "
            f"({', '.join(form.languages)})"
        )
    path = Path(path)
    name = str(path)
    text = _read_text(path, name)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    list_separators = "|" if delimiter == ";" else ";|"

    faults: list[tuple[int, str]] = []
    records = _records(text, delimiter, name, faults)
    header: list[str] | None = None
    header_line = 1
    for start, cells in records:
        if any(cells):
            header, header_line = cells, start
            break
    if header is None:
        raise RespondentsError([msg("resp.empty", where=f"{name}:1"), *(f for _, f in faults)])
    allowed, hints = _classify(form, cover_fields)
    columns: list[_Column | None] = []
    seen: dict[str, int] = {}
    for index, col in enumerate(header, start=1):
        if not col:
            columns.append(None)  # checked per row: a value under no name is a fault
            continue
        if col in seen:
            faults.append(
                (
                    header_line,
                    msg(
                        "resp.column_twice",
                        where=f"{name}:{header_line}",
                        column=col,
                        first=seen[col],
                        second=index,
                    ),
                )
            )
            columns.append(None)
            continue
        seen[col] = index
        if col in allowed:
            columns.append(allowed[col])
            continue
        message = hints.get(col) or (
            msg("resp.unknown_column", column=col, form=form.id, hint=_did_you_mean(col, allowed))
        )
        faults.append((header_line, f"{name}:{header_line}: {message}"))
        columns.append(None)

    respondents: list[Respondent] = []
    rows = 0
    for start, cells in records:
        if not any(cells):
            continue  # an empty line, or Excel's ";;;;" for a row left blank
        rows += 1
        row_faults: list[str] = []
        respondent = _read_row(
            form,
            header,
            columns,
            cells,
            start,
            name,
            default_language,
            list_separators,
            today,
            row_faults,
        )
        if row_faults:
            faults.extend((start, f) for f in row_faults)
        else:
            respondents.append(respondent)
    if not rows and not any(line > header_line for line, _ in faults):
        faults.append((header_line, msg("resp.only_header", where=f"{name}:{header_line}")))
    if faults:
        faults.sort(key=lambda item: item[0])  # stable: columns stay in file order
        raise RespondentsError([f for _, f in faults])
    return respondents


def _combine(
    form: Form,
    values: dict,
    other_texts: dict[str, str],
    grids: dict[str, dict[str, str | None]],
    column_of: dict[str, str],
    fault,
    where: str,
    whole: str,
) -> dict:
    """The answers (SPEC §4) of one respondent from each question's own value: an
    other-text joined with its choice, the number of choices and the conditions
    checked. A fault is `fault(name, message)`, naming the `where` (a CSV's column,
    a JSON file's question) and the `whole` (its row, its answers) in messages."""
    answers: dict = {}
    for q in form.answerable:
        if q.type == "grid":
            if q.id in grids:
                answers[q.id] = {row.id: grids[q.id].get(row.id) for row in q.rows}
            continue
        value = values.get(q.id)
        text = other_texts.get(q.id)
        if text is not None:
            other_column = f"{q.id}__other_text"
            if q.type == "single":
                if value is None:
                    value = OTHER  # SPEC §1: a written line alone chooses other
                elif value != OTHER:
                    fault(
                        other_column,
                        msg(
                            "resp.other_and_choice",
                            text=repr(text),
                            where=msg("resp.where_" + where),
                            id=q.id,
                            value=repr(value),
                        ),
                    )
            elif q.type == "multiple":
                value = [v for v in q.choice_values if v in {*(value or []), OTHER}]
        if q.type == "multiple" and value:
            column = column_of.get(q.id, q.id)
            if q.min_choices is not None and len(value) < q.min_choices:
                fault(
                    column,
                    msg("resp.too_few", n=len(value), chosen=", ".join(value), min=q.min_choices),
                )
            if q.max_choices is not None and len(value) > q.max_choices:
                fault(
                    column,
                    msg("resp.too_many", n=len(value), chosen=", ".join(value), max=q.max_choices),
                )
        if value is not None and value != []:  # a cell of only separators says nothing
            answers[q.id] = value
        if text is not None:
            answers[f"{q.id}__other_text"] = text

    for q in form.answerable:
        rule = form.condition_of(q)
        if rule is None or is_blank_answer(answers.get(q.id)):
            continue
        # a blank answer the condition looks at may still be given by the respondent
        if undecided_holds(form, rule, answers) is not False:
            continue
        if isinstance(rule, Condition) and not rule.numeric:
            given = answers[rule.question]
            if isinstance(given, bool):
                given = "yes" if given else "no"
            fault(
                column_of.get(q.id, q.id),
                msg(
                    "resp.skipped_gives",
                    question=rule.question,
                    values=msg("rules.or").join(rule.values),
                    whole=msg("resp." + whole),
                    given=repr(given),
                ),
            )
        else:
            fault(
                column_of.get(q.id, q.id),
                msg("resp.skipped", when=describe(rule), whole=msg("resp." + whole)),
            )
    return answers


def _read_row(
    form: Form,
    header: list[str],
    columns: list[_Column | None],
    cells: list[str],
    line: int,
    name: str,
    default_language: str,
    list_separators: str,
    today: datetime.date | None,
    faults: list[str],
) -> Respondent:
    def fault(column: str, message: str) -> None:
        faults.append(
            msg("resp.row_column", where=f"{name}:{line}", column=column, message=message)
        )

    def unprintable(column: str, raw: str, value: bool = True) -> bool:
        """A cell that is printed as it is written: a fault if our fonts cannot draw it
        (a value in a box in the values' font, a cover letter's in its WinAnsi font)."""
        reason = printable.value_problem(raw) if value else printable.problem(raw)
        if reason is not None:
            fault(column, f"{raw!r} {reason}")
        return reason is not None

    extra = [i for i in range(len(header), len(cells)) if cells[i]]
    if extra:
        faults.append(
            msg(
                "resp.value_past_header", where=f"{name}:{line}", column=extra[0] + 1, n=len(header)
            )
        )
    cells = cells + [""] * (len(header) - len(cells))

    language = default_language
    unit: str | None = None
    cover: dict[str, str] = {}
    values: dict[str, object] = {}  # question id → answer, from its own column
    other_texts: dict[str, str] = {}
    grids: dict[str, dict[str, str | None]] = {}
    column_of: dict[str, str] = {}  # question id → the column to name in a fault
    group_rows: dict[str, dict[int, dict]] = {}  # a group's written rows: row → item → value
    for index, col in enumerate(columns):
        raw = cells[index]
        if col is None:
            if not header[index] and raw:
                faults.append(msg("resp.value_no_name", where=f"{name}:{line}", column=index + 1))
            continue
        if col.kind == "cover":
            cover[col.name] = raw
            unprintable(col.name, raw, value=False)
            continue
        if not raw:
            continue
        if col.kind == "unit":
            problem = unit_problem(raw)
            if problem:
                fault(col.name, problem)
            unit = clean_unit(raw)
            continue
        if col.kind == "language":
            wanted = raw.casefold()
            if wanted in form.languages:
                language = wanted
            else:
                fault(
                    col.name,
                    msg("resp.language", value=repr(raw), languages=", ".join(form.languages)),
                )
            continue
        q = col.question
        column_of.setdefault(q.id, col.name)
        typed = col.item or q  # a group's cell is of its column's type
        if (col.kind == "other" or typed.type in ("text", "textarea")) and unprintable(
            col.name, raw
        ):
            continue
        try:
            if col.kind == "other":
                other_texts[q.id] = _one_line(raw)
            elif col.kind == "grid":
                grids.setdefault(q.id, {})[col.row] = choice_from_text(q, raw)
            elif col.kind == "cell":
                cell = answer_from_text(col.item, raw, list_separators, today)
                group_rows.setdefault(q.id, {}).setdefault(int(col.row), {})[col.item.id] = cell
            else:
                values[q.id] = answer_from_text(q, raw, list_separators, today)
        except CellError as exc:
            fault(col.name, str(exc))
    for qid, by_row in group_rows.items():  # the rows in printed order, each item in it
        items = form.question(qid).items
        values[qid] = [{i.id: by_row[k].get(i.id) for i in items} for k in sorted(by_row)]

    answers = _combine(form, values, other_texts, grids, column_of, fault, "column", "row")

    if not faults:
        try:
            answers_to_fields(form, answers, language)
        except AnswerError as exc:
            faults.append(f"{name}:{line}: {exc}")
    return Respondent(row=line, language=language, answers=answers, cover=cover, unit=unit)


# --------------------------------------------------------------------------- fill's answers


def _number_text(value: int | float) -> str:
    """A JSON number as the text a person would type (1e-05 → 0.00001)."""
    return format(decimal.Decimal(repr(value)), "f")


def read_answers(form: Form, given: dict, today: datetime.date | None = None) -> dict:
    """The answers given to `pdfforms fill` (SPEC §4's `answers`, or as a person writes
    them) → SPEC §4's answers, read as a respondents CSV's cells are: option labels in
    any language as well as values, `ja`/`nej`, dates and numbers as Swedes type them,
    a multiple as a list or as text separated by ';' or '|'. What is already a typed
    answer (true/false, a number, a list, a grid's object) is taken as it is meant.

    Raises AnswerError whose `faults` list every fault, each `question 'id': message`.
    """
    faults: list[str] = []

    def fault(key: str, message: str) -> None:
        faults.append(msg("resp.question", id=key, message=message))

    allowed, _hints = _classify(form, ())
    ids = {q.id: q for q in form.answerable}
    values: dict[str, object] = {}
    other_texts: dict[str, str] = {}
    grids: dict[str, dict[str, str | None]] = {}
    group_rows: dict[str, dict[int, dict]] = {}  # a group given cell by cell
    for key, raw in given.items():
        col = allowed.get(key)
        q = ids.get(key)
        if q is None and (col is None or col.kind not in ("answer", "other", "grid", "cell")):
            fault(key, _unknown_answer(form, key, allowed))
            continue
        if raw is None or raw == "" or raw == [] or raw == {}:
            continue
        q = q or col.question
        try:
            if col is not None and col.kind == "other":
                if not isinstance(raw, str):
                    raise CellError(msg("resp.not_text", value=repr(raw)))
                if (reason := printable.value_problem(raw)) is not None:
                    raise CellError(f"{raw!r} {reason}")
                other_texts[q.id] = _one_line(raw)
            elif q.type == "grid":
                rows = raw if col is None else {col.row: raw}
                grids.setdefault(q.id, {}).update(_grid_answer(q, rows))
            elif col is not None and col.kind == "cell":  # one cell, named as its field
                cell = _typed_answer(col.item, raw, today)
                group_rows.setdefault(q.id, {}).setdefault(int(col.row), {})[col.item.id] = cell
            elif q.type == "group":
                values[q.id] = _group_answer(q, raw, today)
            else:
                values[q.id] = _typed_answer(q, raw, today)
        except CellError as exc:
            fault(key, str(exc))
    for qid, by_row in group_rows.items():
        if qid in values:
            fault(qid, msg("resp.group_cell_json", id=qid))
        else:
            items = form.question(qid).items
            values[qid] = [{i.id: by_row[k].get(i.id) for i in items} for k in sorted(by_row)]
    answers = _combine(form, values, other_texts, grids, {}, fault, "question", "form")
    if faults:
        raise AnswerError("\n".join(faults), faults)
    return answers


def _unknown_answer(form: Form, key: str, allowed: dict[str, _Column]) -> str:
    base, _, option = key.partition("__")
    if base in {q.id for q in form.answerable} and form.question(base).type == "multiple":
        return msg("resp.one_checkbox", key=key, base=base, option=option)
    known = [c.name for c in allowed.values() if c.kind in ("answer", "other")]
    return msg("resp.not_a_question", form=form.id, hint=_did_you_mean(key, known))


def _group_answer(q: Question, rows, today: datetime.date | None) -> list[dict]:
    """A group's answer given in JSON: a list of rows {item: value}, each value typed or
    written as a CSV's cell; rows with nothing in them left out (SPEC §4)."""
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise CellError(msg("resp.group_answer", value=repr(rows)))
    items = {item.id: item for item in q.items}
    out = []
    for k, row in enumerate(rows, start=1):
        unknown = [key for key in row if key not in items]
        if unknown:
            raise CellError(
                msg(
                    "resp.group_item",
                    row=k,
                    items=", ".join(map(str, unknown)),
                    allowed=", ".join(items),
                )
            )
        cells = {}
        for item_id, item in items.items():
            raw = row.get(item_id)
            try:
                cells[item_id] = None if raw in (None, "") else _typed_answer(item, raw, today)
            except CellError as exc:
                raise CellError(msg("resp.group_cell", row=k, item=item_id, error=exc)) from None
        if any(v is not None for v in cells.values()):
            out.append(cells)
    if len(out) > q.row_count:
        raise CellError(msg("resp.group_too_many", n=len(out), max=q.row_count))
    return out


def _grid_answer(q: Question, rows) -> dict[str, str | None]:
    if not isinstance(rows, dict):
        raise CellError(msg("resp.grid_answer", value=repr(rows)))
    ids = [row.id for row in q.rows]
    out: dict[str, str | None] = {}
    for row, raw in rows.items():
        if row not in ids:
            raise CellError(msg("resp.no_row", row=repr(row), rows=", ".join(ids)))
        out[row] = None if raw in (None, "") else choice_from_text(q, str(raw))
    return out


def _choices(q: Question, parts) -> tuple[list, list]:
    """A multiple question's chosen values, in the question's order, from parts written
    as labels or values (a CSV cell's, or a JSON list's), and the parts that are neither."""
    chosen: set[str] = set()
    unknown = []
    for part in parts:
        try:
            chosen.add(choice_from_text(q, str(part)))
        except CellError:
            unknown.append(part)
    return [v for v in q.choice_values if v in chosen], unknown


def _typed_answer(q: Question, raw, today: datetime.date | None):
    """One question's answer given in JSON: typed already, or text read as a CSV cell."""
    if isinstance(raw, bool):
        if q.type == "yesno":
            return raw
        raise CellError(msg("resp.no_answer", value=str(raw).lower(), type=q.type))
    if q.type == "multiple" and isinstance(raw, list):
        bad = [v for v in raw if not isinstance(v, str | int) or isinstance(v, bool)]
        if bad:
            raise CellError(msg("resp.not_an_answer", bad=repr(bad[0]), value=repr(raw)))
        chosen, unknown = _choices(q, raw)
        if unknown:
            raise CellError(
                msg(
                    "resp.not_among_bare_one" if len(unknown) == 1 else "resp.not_among_bare_many",
                    listed=", ".join(repr(b) for b in unknown),
                    allowed=", ".join(q.choice_values),
                )
            )
        return chosen
    if isinstance(raw, int | float):
        raw = _number_text(raw)
    if not isinstance(raw, str):
        raise CellError(msg("resp.no_answer", value=repr(raw), type=q.type))
    if q.type in ("text", "textarea") and (reason := printable.value_problem(raw)) is not None:
        raise CellError(f"{raw!r} {reason}")
    raw = raw.strip()  # as a CSV's cells are
    return answer_from_text(q, raw, today=today) if raw else None


def unit_problem(raw: str) -> str | None:
    """Why `raw` cannot be printed as a copy's unit (in the overlay's font, on one line
    of the first page), or None."""
    if len(clean_unit(raw) or "") > MAX_UNIT:
        return msg("run.unit_too_long", raw=repr(raw), n=MAX_UNIT)
    reason = printable.problem(" ".join(raw.split()))
    return f"{raw!r} {reason}" if reason else None
