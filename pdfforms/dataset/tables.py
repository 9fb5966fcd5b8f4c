"""Write a dataset's tables as CSV, XLSX or Parquet, row by row, never half a file.

Every file is written under a temporary name beside its target and renamed into
place only when the whole dataset is done, so an interrupted run leaves the last
complete dataset (or none) on disk, never a torn one. Rows stream through: no
table is held in memory, whatever the number of returned forms. reader.py reads
what is written here.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
from pathlib import Path

from ..model.errors import PdfformsError
from ..model.messages import count
from ..model.messages import text as msg

FORMATS = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".jsonl": "jsonl",
    ".parquet": "parquet",
    ".sav": "sav",  # SPSS, with variable and value labels (labelled.py)
    ".dta": "dta",  # Stata, likewise
    ".json": "fhir",  # a FHIR R4 Bundle of QuestionnaireResponses (exchange/fhir.py)
}
PARQUET_BATCH = 4096  # rows per record batch, written and read: a few MB at most, at any size
XLSX_MAX_ROWS = 1_048_576  # Excel's limit per sheet
# A CSV's dialect: (separator, decimal mark). Excel reads a CSV with the list separator
# and decimal mark of the computer's regional settings: set to Swedish it splits on ';'
# and reads 3,5 as a number, and it opens a ','-separated file in one column.
CSV_DIALECTS = {"sv": (";", ","), "en": (",", ".")}


def csv_dialect_of_locale(environ=None) -> str:
    """'sv' when the user's locale for numbers is Swedish, else 'en'.

    The locale for numbers is the first of LC_ALL, LC_NUMERIC and LANG that is set,
    as POSIX orders them; sv_SE and sv_FI (Swedish in Finland) both write 3,5.
    """
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_NUMERIC", "LANG"):
        value = environ.get(name)
        if value:
            return "sv" if value.lower().startswith("sv") else "en"
    return "en"


class OutputError(PdfformsError):
    """A dataset that cannot be written; the message names the file and why."""


def format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise OutputError(msg("tables.unknown_format", path=path, suffix=path.suffix))
    return fmt


class AtomicFile:
    """A file written under a temporary name and renamed over the target on commit."""

    def __init__(self, target: Path):
        self.target = target
        self.tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")

    def commit(self) -> None:
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        self.tmp.unlink(missing_ok=True)


class _CsvSink:
    def __init__(
        self,
        file: AtomicFile,
        columns: list[str],
        delimiter: str,
        decimal: str = ".",
        types: list[str] | None = None,
    ):
        # UTF-8 with a byte order mark: Excel then shows å, ä and ö; pandas and R skip it.
        self._fh = open(file.tmp, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._fh, delimiter=delimiter)
        self._writer.writerow(columns)
        # only numbers of a decimal column take the decimal comma: a text answer "1,5"
        # or a serial stays as written
        self._decimals = (
            [i for i, t in enumerate(types or ()) if t == "float"] if decimal != "." else []
        )
        self._decimal = decimal

    def write(self, row: list) -> None:
        row = ["" if v is None else v for v in row]
        for i in self._decimals:
            if isinstance(row[i], float):
                row[i] = repr(row[i]).replace(".", self._decimal)
        self._writer.writerow(row)

    def close(self) -> None:
        self._fh.close()


class _XlsxSheet:
    """One sheet: a frozen header and filters on every column.

    A form's sheet (`form`) has two header rows, the question as printed (its number
    and text, in the form's first language) above the column's name, and beside
    each column of coded answers (a single choice, a dropdown, a grid row, yes/no) a
    column `<name>__label` with the answer in words: the value stays what the other
    formats and the codebook call it, and Excel's filter shows the words.
    """

    def __init__(self, book, title: str, columns: list[str], types: list[str], form=None):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self._sheet = book.create_sheet(_sheet_title(title))
        self._labels: list[dict | None] = [None] * len(columns)
        names = list(columns)
        self.label_columns: list[str] = []
        if form is not None:
            lang = form.languages[0] if form.languages else "sv"
            headings = []
            names = []
            taken = set(columns)
            for i, col in enumerate(form.written):
                heading = col.labels.get(lang) or next(iter(col.labels.values()), col.name)
                if col.kind != "meta" and col.number:
                    heading = f"{col.number.split(' ')[0]}. {heading}"
                headings.append(heading)
                names.append(col.name)
                labels = form.value_labels(col, lang)
                label_name = f"{col.name}__label"
                if labels and label_name not in taken:
                    self._labels[i] = labels
                    headings.append(f"{heading} {LABEL_HEADING.get(lang, LABEL_HEADING['en'])}")
                    names.append(label_name)
                    self.label_columns.append(label_name)
            bold = Font(bold=True)
            cells = []
            for heading in headings:
                cell = WriteOnlyCell(self._sheet, value=_xlsx_cell(heading))
                cell.font = bold
                cells.append(cell)
            self._sheet.freeze_panes = "A3"
            self._sheet.append(cells)
            self.header_row = 2
        else:
            self._sheet.freeze_panes = "A2"
            self.header_row = 1
        self._width = len(names)
        self._sheet.append(names)
        self._dates = [i for i, t in enumerate(types) if t == "date"]
        self._rows = self.header_row
        self.title = title

    def write(self, row: list) -> None:
        self._rows += 1
        if self._rows > XLSX_MAX_ROWS:
            raise OutputError(
                msg("tables.too_many_rows", sheet=self.title, max=count(XLSX_MAX_ROWS))
            )
        if self._dates:
            row = list(row)
            for i in self._dates:
                if isinstance(row[i], str):
                    try:
                        row[i] = datetime.date.fromisoformat(row[i])
                    except ValueError:
                        pass
        cells = []
        for value, labels in zip(row, self._labels, strict=True):
            cells.append(_xlsx_cell(value))
            if labels is not None:
                cells.append(None if value is None else labels.get(str(value), str(value)))
        self._sheet.append(cells)

    def close(self) -> None:
        from openpyxl.utils import get_column_letter

        last = get_column_letter(max(self._width, 1))
        self._sheet.auto_filter.ref = f"A{self.header_row}:{last}{self._rows}"


# The heading of a column of answers in words, after the question's (sv first)
LABEL_HEADING = {"sv": "(i ord)", "en": "(in words)"}


def _xlsx_cell(value):
    # A cell that starts with '=' would be taken for a formula by openpyxl: answers are text.
    if isinstance(value, str) and value[:1] == "=":
        return "'" + value
    return value


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, "_")
    return title[:31]


class _ParquetSink:
    """Typed columns in record batches: numbers as numbers, dates as dates, a scale as
    integers, a single choice as an ordered Arrow dictionary of its values, with each
    question's number, text and value labels in its field's metadata (`form`)."""

    def __init__(self, file: AtomicFile, columns: list[str], types: list[str], form=None):
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._pa = pa
        self._target = file.target
        self._plan = _parquet_plan(pa, columns, types, form)
        fields = [f for _how, fs, _extra in self._plan for f in fs]
        # each field's dictionary (the values of a choice, in order), None for the rest
        self._dictionaries = []
        for how, fs, extra in self._plan:
            self._dictionaries += [list(extra) if how == "choice" else None] + [None] * (
                len(fs) - 1
            )
        metadata = None
        if form is not None:
            metadata = {
                "pdfforms.form": form.form_id,
                "pdfforms.languages": json.dumps(form.languages),
            }
        self._schema = pa.schema(fields, metadata=metadata)
        self._writer = pq.ParquetWriter(file.tmp, self._schema)
        self._batch: list[list] = [[] for _ in fields]
        self._n = 0

    def write(self, row: list) -> None:
        i = 0
        for (how, fields, extra), value in zip(self._plan, row, strict=True):
            if how == "choice":
                index = extra.get(value) if value is not None else None
                if value is not None and index is None:
                    raise OutputError(
                        msg(
                            "tables.unknown_value",
                            path=self._target,
                            column=fields[0].name,
                            value=repr(value),
                        )
                    )
                self._batch[i].append(index)
            elif how == "scale":
                na = value is not None and str(value) == extra
                self._batch[i].append(None if value is None or na else int(value))
                if extra is not None:
                    i += 1
                    self._batch[i].append(None if value is None else na)
            else:
                self._batch[i].append(value)
            i += 1
        self._n += 1
        if self._n >= PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._n:
            return
        arrays = [
            _arrow_array(self._pa, values, field.type, dictionary)
            for values, field, dictionary in zip(
                self._batch, self._schema, self._dictionaries, strict=True
            )
        ]
        self._writer.write_batch(self._pa.record_batch(arrays, schema=self._schema))
        self._batch = [[] for _ in self._batch]
        self._n = 0

    def close(self) -> None:
        self._flush()
        self._writer.close()


def _parquet_plan(pa, columns: list[str], types: list[str], form) -> list[tuple]:
    """Each written column's Arrow field(s), and how its cells become them.

    (how, fields, extra): "plain" as its type says; "choice" an ordered dictionary
    of the definition's values (extra: value → index); "scale" integers, and for a
    scale with "don't know" a second field `<column>__na`, true when it was marked
    (extra: its value), as the points cannot hold it and it is never a point.
    """
    written = form.written if form is not None else [None] * len(columns)
    plan = []
    for name, kind, col in zip(columns, types, written, strict=True):
        meta = _field_metadata(col) if col is not None and col.kind != "meta" else None
        if col is not None and col.kind in ("answer", "row") and col.type in CHOICES:
            values = form.values_of(col)
            # a list of counties has no order; a single choice's or a grid's does
            kind_of = pa.dictionary(pa.int16(), pa.string(), ordered=col.type != "dropdown")
            field = pa.field(name, kind_of, metadata=meta)
            plan.append(("choice", [field], {v: i for i, v in enumerate(values)}))
        elif col is not None and col.kind == "answer" and col.type == "scale":
            na = form.na_of(col)
            fields = [pa.field(name, pa.int64(), metadata=meta)]
            if na is not None:
                fields.append(
                    pa.field(
                        f"{name}__na",
                        pa.bool_(),
                        metadata={"pdfforms.na_of": name, "pdfforms.na_value": na},
                    )
                )
            plan.append(("scale", fields, na))
        else:
            plan.append(("plain", [pa.field(name, _arrow_type(pa, kind), metadata=meta)], None))
    return plan


CHOICES = ("single", "dropdown", "grid")


def _field_metadata(col) -> dict[str, str]:
    """A question column's number, question and value labels, for its Parquet field."""
    meta = {"pdfforms.question": col.question or "", "pdfforms.number": col.number}
    meta["pdfforms.label"] = json.dumps(col.labels, ensure_ascii=False)
    if col.values:
        meta["pdfforms.values"] = json.dumps(
            {value: labels for value, labels in col.values}, ensure_ascii=False
        )
    return meta


def _arrow_type(pa, kind: str):
    return {
        "integer": pa.int64(),
        "count": pa.int64(),
        "flag": pa.int8(),
        "float": pa.float64(),
        "date": pa.date32(),
    }.get(kind, pa.string())


def _arrow_array(pa, values: list, arrow_type, dictionary: list[str] | None = None):
    if dictionary is not None:  # indices into the choice's values
        return pa.DictionaryArray.from_arrays(
            pa.array(values, type=arrow_type.index_type),
            pa.array(dictionary, type=pa.string()),
            ordered=arrow_type.ordered,
        )
    if arrow_type == pa.date32():
        values = [None if v is None else datetime.date.fromisoformat(v) for v in values]
    elif arrow_type == pa.string():
        values = [None if v is None else str(v) for v in values]
    elif arrow_type == pa.float64():
        values = [None if v is None else float(v) for v in values]
    return pa.array(values, type=arrow_type)


class DatasetFiles:
    """The files of one dataset: tables in one format, plus CSV sidecars; all or nothing.

    `DATASET` names the main table. With several forms each form gets its own
    table, named `stem.<form id>.ext`; problems and review items go to
    `stem.problems.ext` and `stem.review.ext` (sheets of the workbook for .xlsx).
    """

    def __init__(self, path: Path, delimiter: str = ",", decimal: str = "."):
        self.path = path
        self.format = format_of(path)
        self.delimiter = delimiter
        self.decimal = decimal
        self.stem = path.name[: -len(path.suffix)]
        self._files: list[AtomicFile] = []
        self._sinks: list = []
        self._book = None
        self._book_file: AtomicFile | None = None
        if self.format == "xlsx":
            try:
                from openpyxl import Workbook
            except ImportError:  # pragma: no cover - openpyxl is a dependency
                raise OutputError(msg("tables.needs_openpyxl")) from None
            self._book = Workbook(write_only=True)
            self._book_file = self._atomic(path)
        if self.format == "parquet":
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise OutputError(msg("tables.needs_pyarrow", path=path)) from None
        # file name → [variable, column, {code: value} or None] of a .sav or .dta table,
        # for the manifest: the reader gets the columns and values back with it
        self.variables: dict[str, list] = {}
        # .xlsx: a form's sheet → the row of its column names and its columns in words
        self.sheets: dict[str, dict] = {}
        self._titles: dict[str, str] = {}  # a table → its sheet in a workbook (sheet_of)
        if self.format in ("sav", "dta"):
            try:
                import pandas  # noqa: F401
                import pyreadstat  # noqa: F401
            except ImportError:
                raise OutputError(
                    msg("tables.needs_pyreadstat", path=path, format=self.format)
                ) from None

    def sidecar(self, suffix: str) -> Path:
        """A file beside the dataset: `stem.<suffix>`."""
        return self.path.with_name(f"{self.stem}.{suffix}")

    def _atomic(self, target: Path) -> AtomicFile:
        file = AtomicFile(target)
        self._files.append(file)
        return file

    def table(self, name: str, columns: list[str], types: list[str], main: bool = False, form=None):
        """A sink for one table; `main` tables take the dataset's own name.

        `form` is the table's columns.FormTable, for the labels of .sav and .dta.
        """
        if self.format == "xlsx":
            title = self.sheet_of(name)
            sink = _XlsxSheet(self._book, title, columns, types, form)
            if form is not None:  # for the manifest: how the reader finds the columns
                self.sheets[title] = {  # as the manifest names the sheet
                    "header_row": sink.header_row,
                    "label_columns": sink.label_columns,
                }
        else:
            target = self.path if main else self.sidecar(f"{name}.{self.format}")
            if self.format in ("sav", "dta"):
                from .labelled import LabelledSink, form_variables, plain_variables

                if form is not None:
                    variables = form_variables(form, self.format)
                else:
                    variables = plain_variables(columns, types, self.format)
                self.variables[target.name] = [[v.name, v.column, v.decoding()] for v in variables]
                file = self._atomic(target)
                sink = LabelledSink(file.tmp, target, self.format, variables, name)
            elif self.format == "csv":
                sink = _CsvSink(self._atomic(target), columns, self.delimiter, self.decimal, types)
            else:
                sink = _ParquetSink(self._atomic(target), columns, types, form)
        self._sinks.append(sink)
        return sink

    def sheet_of(self, name: str) -> str:
        """The sheet a workbook's table is in: Excel allows 31 characters and no [ ] : *
        ? / \\, and no two sheets whose names differ only in case; a form id that is
        longer, or that another's first 31 characters repeat, gets a numbered title."""
        if name not in self._titles:
            title, n = _sheet_title(name), 1
            taken = {t.casefold() for t in self._titles.values()}
            while title.casefold() in taken:
                n += 1
                title = f"{_sheet_title(name)[: 31 - len(str(n)) - 1]}~{n}"
            self._titles[name] = title
        return self._titles[name]

    def csv_sidecar(self, name: str, columns: list[str], types: list[str] | None = None):
        """Codebook and ledger: always CSV beside the dataset, whatever its format."""
        sink = _CsvSink(
            self._atomic(self.sidecar(f"{name}.csv")), columns, self.delimiter, self.decimal, types
        )
        self._sinks.append(sink)
        return sink

    def text_file(self, target: Path):
        """An open text file (JSONL, the manifest) that is committed with the rest."""
        file = self._atomic(target)
        fh = open(file.tmp, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        self._sinks.append(fh)
        return fh

    def targets(self) -> list[Path]:
        return [f.target for f in self._files]

    def commit(self) -> list[Path]:
        for sink in self._sinks:
            sink.close()
        if self._book is not None:
            self._book.save(self._book_file.tmp)
        for file in self._files:
            file.commit()
        return self.targets()

    def abort(self) -> None:
        for sink in self._sinks:
            try:
                getattr(sink, "discard", sink.close)()
            except Exception:  # noqa: BLE001 - cleaning up after a failure already reported
                pass
        for file in self._files:
            file.abort()
