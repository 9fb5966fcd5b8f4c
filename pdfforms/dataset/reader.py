"""A dataset as `extract` wrote it, read back: its manifest, its tables row by row.

The writers are beside this reader (build.py writes the manifest, tables.py the
tables), so what a dataset looks like on disk is known in this package only.
Whatever the format (CSV, XLSX, JSONL, Parquet, SPSS, Stata), rows stream through: a row is
`{column: cell}` with every cell as the text CSV would hold (None for empty), so
whoever reads on (the report) checks one shape. Nothing here knows what the
answers mean; a fault names the file (and row or line) and what is wrong.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..model.messages import text as msg
from .tables import FORMATS, PARQUET_BATCH


class DatasetError(Exception):
    """A dataset that cannot be read; the message names the file and what is wrong."""


@dataclass
class TableRef:
    """Where a table is: a file, and for a workbook its sheet."""

    path: Path
    sheet: str | None = None
    # a Swedish CSV's columns whose numbers are written 3,5 (read back as 3.5)
    decimal_columns: frozenset[str] = frozenset()
    # a .sav or .dta table: [variable, column, {code: value} or None] (the manifest's)
    variables: list | None = None
    # a workbook's sheet: the row of its column names, and its columns of answers in
    # words (a form's sheet has the questions above the names)
    header_row: int = 1
    label_columns: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return f"{self.path}#{self.sheet}" if self.sheet else str(self.path)


@dataclass
class Manifest:
    """`stem.manifest.json`: which file holds which table, and what the answers were read with.

    The tables are named as the manifest names them; whether their files are
    still there is the caller's question (a review writes them again).
    """

    path: Path
    format: str
    tables: dict[str, TableRef]  # form id → its table
    review: TableRef | None  # the review items' table (None for JSONL)
    # form id → version → the definition's text the answers were read with
    definitions: dict[str, dict[str, str]] = field(default_factory=dict)
    personnummer: str | None = None  # the privacy mode the dataset was made with
    key: str | None = None  # the id of the pseudonymisation key, if any


def find_manifest(path: Path) -> Path:
    """The manifest of a dataset named by the path given to extract, its manifest or folder."""
    if path.is_dir():
        found = sorted(path.glob("*.manifest.json"))
        if len(found) == 1:
            return found[0]
        if not found:
            raise DatasetError(msg("reader.no_dataset", path=path))
        names = ", ".join(p.name for p in found)
        raise DatasetError(msg("reader.many_datasets", path=path, n=len(found), names=names))
    if path.name.endswith(".manifest.json"):
        if not path.exists():
            raise DatasetError(msg("reader.no_such_file", path=path))
        return path
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    while True:
        candidate = path.with_name(f"{stem}.manifest.json")
        if candidate.exists():
            _same_format(path, candidate)
            return candidate
        if "." not in stem:
            break
        stem = stem.rsplit(".", 1)[0]  # svar.patient-7-fragor.csv → svar
    if not path.exists():
        raise DatasetError(msg("reader.no_such_file", path=path))
    raise DatasetError(
        msg("reader.no_manifest", path=path, stem=path.name[: -len(path.suffix) or None])
    )


def _same_format(path: Path, manifest: Path) -> None:
    """Datasets of one name in one folder (svar.csv, svar.xlsx) share their manifest, and
    the last written wins: a file of another format must not be read as that one."""
    want = FORMATS.get(path.suffix.lower())
    if want is None:
        return
    try:
        have = json.loads(manifest.read_text(encoding="utf-8")).get("format")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return  # read_manifest says what is wrong with it
    if have in FORMATS.values() and have != want:
        raise DatasetError(
            msg(
                "reader.manifest_other_format",
                path=path,
                manifest=manifest.name,
                have=have,
                name=path.name,
            )
        )


def read_manifest(path: Path) -> Manifest:
    """The manifest at `path`, checked to be one `extract` wrote."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DatasetError(msg("cli.cannot_read", path=path, reason=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise DatasetError(msg("reader.not_utf8", path=path)) from None
    except json.JSONDecodeError as exc:
        raise DatasetError(
            msg("reader.bad_manifest_json", path=path, line=exc.lineno, reason=exc.msg)
        ) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
        raise DatasetError(msg("reader.no_tables", path=path))
    fmt = manifest.get("format")
    if fmt not in FORMATS.values():
        raise DatasetError(msg("reader.unknown_format", path=path, format=repr(fmt)))
    if fmt == "fhir":  # a Bundle is for other systems; its tables are not ours to read
        raise DatasetError(msg("reader.fhir_bundle", path=path))
    base = path.parent
    tables = {}
    for form_id, name in manifest["tables"].items():
        if not isinstance(name, str) or not name:
            raise DatasetError(msg("reader.bad_table_entry", path=path, name=repr(name)))
        tables[form_id] = _ref(base, name)
    variables = manifest.get("variables") or {}
    if not isinstance(variables, dict):
        raise DatasetError(msg("reader.bad_variables", path=path))
    dialect = manifest.get("csv") or {}
    if dialect.get("decimal", ".") != ".":
        for form_id, columns in (dialect.get("decimal_columns") or {}).items():
            if form_id in tables and isinstance(columns, list):
                tables[form_id].decimal_columns = frozenset(map(str, columns))
    review = None
    if isinstance(manifest.get("review"), str):  # none for JSONL
        review = _ref(base, manifest["review"])
    sheets = manifest.get("xlsx") or {}
    for ref in tables.values():
        layout = sheets.get(ref.sheet) if fmt == "xlsx" and isinstance(sheets, dict) else None
        if isinstance(layout, dict):
            ref.header_row = int(layout.get("header_row") or 1)
            ref.label_columns = frozenset(layout.get("label_columns") or ())
    for ref in [*tables.values(), review]:
        if ref is not None and fmt in ("sav", "dta"):
            ref.variables = variables.get(ref.path.name)
            if not isinstance(ref.variables, list):
                raise DatasetError(msg("reader.no_variables", path=path, name=ref.path.name))
    return Manifest(
        path,
        fmt,
        tables,
        review,
        manifest.get("definitions") or {},
        manifest.get("personnummer"),
        manifest.get("key"),
    )


def _ref(base: Path, name: str) -> TableRef:
    file, _, sheet = name.partition("#")  # a workbook's sheet: svar.xlsx#problems
    return TableRef(base / file, sheet or None)


# -- tables: (row number, {column: cell}) ----------------------------------------------


def csv_cell(value) -> str | None:
    """Any format's cell as the text CSV would hold, None for empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if not text.strip():
        return None
    return text


def table_rows(ref: TableRef, fmt: str) -> Iterator[tuple[int, dict]]:
    """Every row of a CSV, XLSX or Parquet table: its number in the file, and its cells."""
    if fmt == "csv":
        yield from _csv_rows(ref.path, ref.decimal_columns)
    elif fmt == "xlsx":
        yield from _xlsx_rows(ref)
    elif fmt == "parquet":
        yield from _parquet_rows(ref.path)
    elif fmt in ("sav", "dta"):
        yield from _labelled_rows(ref, fmt)
    else:  # pragma: no cover - jsonl is read by jsonl_responses
        raise ValueError(fmt)


def _csv_rows(path: Path, decimal_columns=frozenset()) -> Iterator[tuple[int, dict]]:
    try:
        fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise DatasetError(msg("cli.cannot_read", path=path, reason=exc.strerror or exc)) from None
    with fh:
        try:
            first = fh.readline()
            # extract writes ',' or, for Excel set to Swedish, ';' (--csv, --delimiter), or
            # tab: the header shows which (a column name holds none of them)
            delimiter = max((",", ";", "\t"), key=first.count)
            fh.seek(0)  # the decoder starts afresh and skips the byte-order mark again
            reader = csv.reader(fh, delimiter=delimiter)
            header = next(reader, None)
            if not header:
                raise DatasetError(msg("reader.empty_table", path=path))
            for number, row in enumerate(reader, start=2):
                if not row:
                    continue
                if len(row) != len(header):
                    raise DatasetError(
                        msg(
                            "reader.row_cells",
                            path=path,
                            row=number,
                            n=len(row),
                            header=len(header),
                        )
                    )
                cells = {h: csv_cell(v) for h, v in zip(header, row, strict=True)}
                for h in decimal_columns:
                    if cells.get(h):
                        cells[h] = cells[h].replace(",", ".")
                yield number, cells
        except UnicodeDecodeError:
            raise DatasetError(msg("reader.not_utf8_excel", path=path)) from None
        except csv.Error as exc:
            raise DatasetError(msg("reader.bad_csv", path=path, reason=exc)) from None


def _xlsx_rows(ref: TableRef) -> Iterator[tuple[int, dict]]:
    try:
        from openpyxl import load_workbook

        book = load_workbook(ref.path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise DatasetError(msg("reader.bad_xlsx", path=ref.path, reason=exc)) from None
    try:
        if ref.sheet not in book.sheetnames:
            raise DatasetError(msg("reader.no_sheet", path=ref.path, sheet=ref.sheet))
        rows = book[ref.sheet].iter_rows(values_only=True)
        for _above in range(ref.header_row - 1):  # the questions as printed
            next(rows, None)
        header = next(rows, None)
        if not header:
            raise DatasetError(msg("reader.empty_sheet", path=ref))
        header = [str(h) if h is not None else "" for h in header]
        for number, row in enumerate(rows, start=ref.header_row + 1):
            cells = {}
            for i, h in enumerate(header):
                if h in ref.label_columns:
                    continue  # the answer in words, beside its value
                v = row[i] if i < len(row) else None  # read-only rows end at their last value
                if isinstance(v, str) and v.startswith("'="):
                    v = v[1:]  # tables.py quotes text that Excel would take for a formula
                cells[h] = csv_cell(v)
            if any(v is not None for v in cells.values()):
                yield number, cells
    finally:
        book.close()


def _parquet_rows(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DatasetError(msg("reader.needs_pyarrow", path=path)) from None
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds for a bad file
        raise DatasetError(msg("reader.bad_parquet", path=path, reason=exc)) from None
    # a scale's "don't know" is its own field beside the points (tables.py): put it back
    na_fields = {}
    for arrow_field in parquet.schema_arrow:
        meta = arrow_field.metadata or {}
        if b"pdfforms.na_of" in meta:
            na_fields[arrow_field.name] = (
                meta[b"pdfforms.na_of"].decode("utf-8"),
                meta[b"pdfforms.na_value"].decode("utf-8"),
            )
    number = 1
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH):
        for row in batch.to_pylist():
            number += 1
            cells = {k: csv_cell(v) for k, v in row.items() if k not in na_fields}
            for name, (column, value) in na_fields.items():
                if row.get(name):
                    cells[column] = value
            yield number, cells


def _labelled_rows(ref: TableRef, fmt: str) -> Iterator[tuple[int, dict]]:
    """A .sav or .dta table: each variable back to its column, each code to its value."""
    try:
        import pyreadstat
    except ImportError:
        raise DatasetError(msg("reader.needs_pyreadstat", path=ref.path, format=fmt)) from None
    read = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
    columns = {name: (column, decoding or {}) for name, column, decoding in ref.variables or []}
    number = 1
    try:
        # user_missing: a scale's "don't know" comes back as its code, not as empty
        chunks = pyreadstat.read_file_in_chunks(
            read, ref.path, chunksize=PARQUET_BATCH, user_missing=True
        )
        for frame, _meta in chunks:
            for row in frame.itertuples(index=False, name=None):
                number += 1
                cells = {}
                for name, value in zip(frame.columns, row, strict=True):
                    column, decoding = columns.get(name, (name, {}))
                    if isinstance(value, float) and value != value:  # NaN: empty
                        value = None
                    cell = csv_cell(value)
                    cells[column] = decoding.get(cell, cell) if cell is not None else None
                yield number, cells
    except DatasetError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises many kinds for a bad file
        raise DatasetError(msg("reader.bad_stats", path=ref.path, format=fmt, reason=exc)) from None


# -- JSONL: one parsed form (SPEC §4) a line ----------------------------------------------


def jsonl_responses(path: Path) -> Iterator[tuple[int, dict]]:
    """Every parsed form of a JSONL dataset: its line number, and the object.

    Each object has a form id and version and an `answers` object; anything else
    in it is as extract wrote it.
    """
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise DatasetError(msg("cli.cannot_read", path=path, reason=exc.strerror or exc)) from None
    with fh:
        try:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                    form = obj["form"]
                    if not (
                        isinstance(form, dict)
                        and {"id", "version"} <= form.keys()
                        and isinstance(obj["answers"], dict)
                    ):
                        raise TypeError
                except (ValueError, KeyError, TypeError):
                    raise DatasetError(
                        msg("reader.not_parsed_form", path=path, line=number)
                    ) from None
                yield number, obj
        except UnicodeDecodeError:
            raise DatasetError(msg("reader.not_utf8", path=path)) from None
