"""A dataset's tables as SPSS (.sav) and Stata (.dta) files, with their labels.

Each column becomes a variable with a valid name, a variable label (the printed
question number and the question, in the form's first language: Swedish first)
and value labels for every answer a respondent could mark. What SPSS and Stata
store as a number with a label, the other formats store as the definition's
value: a single choice `ja` is the code 1 labelled "Ja" here, and the codebook
(columns `variable` and `codes`) and the manifest (`variables`) say which code is
which value, so the dataset's reader gets the values back.

A scale's "don't know" (`na` in the definition) is a user-missing value, as an
analyst of either program expects: SPSS keeps the code (NA_CODE) and declares it
missing, Stata stores the extended missing value `.a`; both carry its label.

pyreadstat writes a whole data frame at once: unlike the other formats, a table
is held in memory until it is written. Measured (pyreadstat 1.3.8, pandas 3.1, 30
coded and 10 text columns of 70 characters): peak memory grows 105 MB for 10,000
rows and 142 MB for 50,000, of which about 95 MB is importing pandas and
pyreadstat; so about 1 MB per 1,000 rows.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from ..model.errors import PdfformsError
from ..model.messages import text as msg

# Variable names. Stata: 32 characters, a letter or _ first, then letters, digits and
# _ (Stata's manual, "Variable names"); SPSS: 64 bytes, a letter first, then letters,
# digits, _ . @ # $, never ending in '.' (SPSS Statistics, "Variable names"). Both
# here keep to ASCII letters, digits and _, which both read the same way.
# Stata's 32 is 31 here: pyreadstat names a variable's value labels after it with a
# digit added ("smak0"), and such a name has the same limit (with 32 characters it
# raises "A provided name is too long for the file format"; pyreadstat 1.3.8).
NAME_LIMIT = {"sav": 64, "dta": 31}
# Reserved words neither program accepts as a name (compared without case for SPSS).
RESERVED = {
    "sav": {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"},
    "dta": {
        *("_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int"),
        *("long", "_n", "_pi", "_pred", "_rc", "_skip", "strl", "using", "with", "str"),
    },
}
# Labels: Stata refuses a variable label over 80 characters (pyreadstat raises "A
# provided label is too long"); SPSS's are cut at 256 bytes of UTF-8 and its value
# labels at 120 bytes, without a word (å counts 2). Stata's value labels hold 32,000
# characters. All measured with pyreadstat 1.3.8. A longer label is cut here, with
# "…", so a cut label says so; the codebook holds the whole text.
LABEL_LIMIT = {"sav": 256, "dta": 80}
VALUE_LABEL_LIMIT = {"sav": 120, "dta": 32_000}
LIMIT_IN_BYTES = {"sav": True, "dta": False}
# The code SPSS keeps for a scale's "don't know", declared user-missing; a scale has at
# most 11 points (form.MAX_SCALE_POINTS), so 99 is never a point unless a scale runs
# that high, when the code is the point after its top.
NA_CODE = 99
STATA_NA = "a"  # Stata's extended missing value .a


class LabelledError(PdfformsError):
    """A table that cannot be written as .sav or .dta; the message names file and column."""


@dataclass
class Variable:
    """One column as a variable: its name, label, storage and value labels."""

    column: str
    name: str = ""
    label: str = ""
    storage: str = "text"  # text | number | date | coded
    codes: dict[str, int | str] = field(default_factory=dict)  # value → code (coded)
    value_labels: dict[int | str, str] = field(default_factory=dict)  # code → label
    missing: list[int | str] = field(default_factory=list)  # user-missing codes
    ordered: bool = False  # the codes go in the order of the answers (a scale, a choice)

    def decoding(self) -> dict[str, str] | None:
        """Code → the definition's value, where they differ (for the manifest and the reader)."""
        back = {str(code): value for value, code in self.codes.items() if str(code) != value}
        return back or None


def variable_names(columns: list[str], fmt: str) -> list[str]:
    """Each column's variable name: valid, unique and stable.

    A name that is valid as it is stays. Any other is spelt in ASCII letters,
    digits and _ (a 'v' before a first character that is not a letter, a '_'
    after a reserved word), and one still too long is cut and ends in '_' and 4
    characters of a hash of the whole column name: so a name depends on its
    column alone, and adding a question renames nothing. Names are unique without
    regard to case (SPSS's rule); the rare two that agree once spelt in ASCII
    (frukt__äpple, frukt__apple) get the hash, the later one a longer one.
    """
    limit, reserved = NAME_LIMIT[fmt], RESERVED[fmt]
    taken: set[str] = set()
    out = []
    for column in columns:
        base = _ascii(column)
        if not re.match(r"[A-Za-z]", base):
            base = "v" + base
        if base.lower() in reserved:
            base += "_"
        name = base if len(base) <= limit else _hashed(base, column, limit, 4)
        extra = 4
        while name.lower() in taken:
            name = _hashed(base, column, limit, extra)
            extra += 2
        taken.add(name.lower())
        out.append(name)
    return out


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9_]", "_", folded)


def _hashed(base: str, column: str, limit: int, extra: int) -> str:
    digest = hashlib.sha1(column.encode("utf-8")).hexdigest()[:extra]
    return f"{base[: limit - extra - 1]}_{digest}"


def _cut(text: str, limit: int, fmt: str) -> str:
    """`text` within a label's limit, in characters or (SPSS) bytes of UTF-8."""

    def size(t: str) -> int:
        return len(t.encode("utf-8")) if LIMIT_IN_BYTES[fmt] else len(t)

    if size(text) <= limit:
        return text
    while text and size(text) + size("…") > limit:
        text = text[:-1]
    return text.rstrip() + "…"


def form_variables(table, fmt: str) -> list[Variable]:
    """The written columns of a form's table (columns.FormTable) as variables."""
    lang = table.languages[0] if table.languages else "sv"
    types = table.types()
    out = []
    names = variable_names([c.name for c in table.written], fmt)
    for col, kind, name in zip(table.written, types, names, strict=True):
        var = Variable(col.name, name)
        text = col.labels.get(lang) or next(iter(col.labels.values()), "")
        number = col.numbers.get(col.versions[-1]) if col.versions else None
        var.label = _cut(f"{number}. {text}" if number else text, LABEL_LIMIT[fmt], fmt)
        if col.kind == "meta":
            var.storage = "number" if kind == "integer" else "text"
        elif kind == "flag":
            var.storage = "coded"
            var.codes = {"1": 1, "0": 0}
            var.value_labels = {int(v): labels.get(lang, v) for v, labels in col.values}
        elif col.type == "scale" and col.kind == "answer":
            _scale(var, table, col, lang, fmt)
        elif col.kind in ("answer", "row") and col.type in ("single", "dropdown", "grid"):
            var.storage = "coded"
            var.ordered = col.type != "dropdown"  # a list of counties has no order
            labels = dict(col.values)
            for code, value in enumerate(table.values_of(col), start=1):
                var.codes[value] = code
                var.value_labels[code] = (labels.get(value) or {}).get(lang) or value
        elif kind in ("integer", "float"):
            var.storage = "number"
        elif kind == "date":
            var.storage = "date"
        out.append(var)
    return out


def _scale(var: Variable, table, col, lang: str, fmt: str) -> None:
    var.storage = "coded"
    var.ordered = True
    labels = dict(col.values)
    top = 0
    for version in col.versions:
        q = table.forms[version].question(col.question)
        for o in q.choices:
            if q.na is not None and o.value == q.na.value:
                continue
            var.codes[o.value] = int(o.value)
            top = max(top, int(o.value))
            if (labels.get(o.value) or {}).get(lang):
                var.value_labels[int(o.value)] = labels[o.value][lang]
    for version in col.versions:
        q = table.forms[version].question(col.question)
        if q.na is not None and q.na.value not in var.codes:
            code: int | str = STATA_NA if fmt == "dta" else max(NA_CODE, top + 1)
            var.codes[q.na.value] = code
            var.missing.append(code)
            var.value_labels[code] = (labels.get(q.na.value) or {}).get(lang) or q.na.value


def plain_variables(columns: list[str], types: list[str], fmt: str) -> list[Variable]:
    """The columns of problems, review items and the like: text and counts, no labels."""
    names = variable_names(columns, fmt)
    return [
        Variable(c, n, storage="number" if t == "integer" else "text")
        for c, t, n in zip(columns, types, names, strict=True)
    ]


class LabelledSink:
    """One table written as .sav or .dta when the dataset is committed."""

    def __init__(self, tmp, target, fmt: str, variables: list[Variable], file_label: str):
        self._tmp, self._target, self._fmt = tmp, target, fmt
        self.variables = variables
        self._label = _cut(file_label, LABEL_LIMIT[fmt], fmt)
        self._cells: list[list] = [[] for _ in variables]

    def write(self, row: list) -> None:
        for cells, var, value in zip(self._cells, self.variables, row, strict=True):
            cells.append(self._cell(var, value))

    def _cell(self, var: Variable, value):
        if value is None:
            # Stata has no missing text: "" is its empty string (and pyreadstat fails on
            # a missing cell in a column of long texts)
            return "" if var.storage == "text" and self._fmt == "dta" else None
        if var.storage == "text":
            return str(value)
        if var.storage == "number":
            return float(value)
        if var.storage == "date":
            return datetime.date.fromisoformat(value) if isinstance(value, str) else value
        code = var.codes.get(str(int(value)) if isinstance(value, bool) else str(value))
        if code is None:
            raise LabelledError(
                msg(
                    "labelled.unknown_value",
                    path=self._target,
                    column=var.column,
                    value=repr(value),
                )
            )
        return code

    def close(self) -> None:
        import pandas as pd
        import pyreadstat

        frame = pd.DataFrame(
            {
                var.name: pd.Series(cells, dtype="float64" if _numeric(var) else object)
                for var, cells in zip(self.variables, self._cells, strict=True)
            }
        )
        labels = {v.name: v.label or None for v in self.variables}
        limit = VALUE_LABEL_LIMIT[self._fmt]
        value_labels = {
            v.name: {code: _cut(text, limit, self._fmt) for code, text in v.value_labels.items()}
            for v in self.variables
            if v.value_labels
        }
        if self._fmt == "sav":
            pyreadstat.write_sav(
                frame,
                self._tmp,
                file_label=self._label,
                column_labels=labels,
                variable_value_labels=value_labels,
                missing_ranges={v.name: v.missing for v in self.variables if v.missing},
                variable_measure={v.name: _measure(v) for v in self.variables},
            )
        else:
            pyreadstat.write_dta(
                frame,
                self._tmp,
                file_label=self._label,
                column_labels=labels,
                variable_value_labels=value_labels,
                missing_user_values={v.name: v.missing for v in self.variables if v.missing},
            )
        self._cells = []

    def discard(self) -> None:
        """A run that failed: nothing is written."""
        self._cells = []


def _numeric(var: Variable) -> bool:
    """A column pandas may hold as float64 (a Stata .a code is text until written)."""
    return var.storage == "number" or (var.storage == "coded" and not var.missing)


def _measure(var: Variable) -> str:
    """SPSS's level of measurement: a scale's points are ordered, other codes are not."""
    if var.storage == "number":
        return "scale"
    return "ordinal" if var.ordered else "nominal"
