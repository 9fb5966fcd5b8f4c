"""A dataset as `pdfforms extract` wrote it → typed answers, one record at a time.

DATASET is the path given to `extract -o` (or its manifest, or the folder that
holds exactly one manifest). The manifest says which file holds which form's
table, in which format, and carries the definitions the answers were read with,
so the report needs nothing else. Whatever the format (CSV, XLSX, JSONL,
Parquet), rows stream through: a record is made, counted and dropped.

Columns that can identify a person are never read: personnummer columns,
`serial` except to match a print-run ledger, `file` and `sha256` except to spot
the same questionnaire given twice and to join review items.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..dataset.columns import outcome_of
from ..model.definition import parse_definition
from ..model.errors import PdfformsError
from ..model.form import Form, Question
from ..model.library import FormLibrary, default_definition_dirs

FORMATS = ("csv", "xlsx", "jsonl", "parquet")
# Review reasons that leave an answer blank until a person has looked at it.
PENDING_REASONS = frozenset({"handwriting", "uncertain_mark", "faint_writing"})


class ReportError(PdfformsError):
    """Bad input; the message names the file and what is wrong, in one line."""


@dataclass
class Record:
    """One returned questionnaire: its form (the version it was read with) and typed answers."""

    form: Form
    language: str | None
    kind: str | None
    outcome: str | None
    answers: dict
    serial: str | None = None  # only to match a print-run ledger; never shown
    pending: frozenset[str] = frozenset()  # questions a person has yet to read


@dataclass
class TableRef:
    path: Path
    sheet: str | None = None

    def __str__(self) -> str:
        return f"{self.path}#{self.sheet}" if self.sheet else str(self.path)


@dataclass
class Dataset:
    """One DATASET argument: its manifest, its tables, and the definitions it was read with."""

    manifest: Path
    format: str
    tables: dict[str, TableRef]
    review: TableRef | None
    forms: dict[str, dict[str, Form]] = field(default_factory=dict)  # id → version → Form


def find_manifest(path: Path) -> Path:
    """The manifest of a dataset named by the path given to extract, its manifest or folder."""
    if path.is_dir():
        found = sorted(path.glob("*.manifest.json"))
        if len(found) == 1:
            return found[0]
        if not found:
            raise ReportError(f"{path}: no dataset here (no *.manifest.json in the folder)")
        raise ReportError(
            f"{path}: holds {len(found)} datasets ({', '.join(p.name for p in found)}); "
            "name one of them"
        )
    if path.name.endswith(".manifest.json"):
        if not path.exists():
            raise ReportError(f"{path}: no such file")
        return path
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    while True:
        candidate = path.with_name(f"{stem}.manifest.json")
        if candidate.exists():
            return candidate
        if "." not in stem:
            break
        stem = stem.rsplit(".", 1)[0]  # svar.patient-7-fragor.csv → svar
    if not path.exists():
        raise ReportError(f"{path}: no such file")
    raise ReportError(
        f"{path}: no manifest beside it ({path.name[: -len(path.suffix) or None]}.manifest.json); "
        "give the path that was given to `pdfforms extract -o`"
    )


def open_dataset(path: Path, library: FormLibrary | None = None) -> Dataset:
    manifest_path = find_manifest(path)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportError(f"{manifest_path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ReportError(f"{manifest_path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ReportError(
            f"{manifest_path}: not a dataset manifest (bad JSON at line {exc.lineno}: {exc.msg})"
        ) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
        raise ReportError(f"{manifest_path}: not a dataset manifest (no 'tables')")
    fmt = manifest.get("format")
    if fmt not in FORMATS:
        raise ReportError(f"{manifest_path}: unknown dataset format {fmt!r}")
    base = manifest_path.parent
    tables = {}
    for form_id, name in manifest["tables"].items():
        tables[form_id] = _table_ref(manifest_path, base, name)
    review = None
    if isinstance(manifest.get("review"), str):  # optional: only for "awaits review" notes
        file, _, sheet = manifest["review"].partition("#")
        review = TableRef(base / file, sheet or None)
        review = review if review.path.exists() else None
    dataset = Dataset(manifest_path, fmt, tables, review)
    definitions = manifest.get("definitions") or {}
    for form_id in tables:
        versions = definitions.get(form_id) or {}
        for version, text in versions.items():
            form, faults = parse_definition(text, f"{manifest_path}#{form_id}")
            if form is None:
                raise ReportError(
                    f"{manifest_path}: the definition of {form_id} version {version} "
                    f"has faults ({faults[0].message})"
                )
            dataset.forms.setdefault(form_id, {})[version] = form
        if not versions:  # a manifest from before definitions were stored in it
            library = library or FormLibrary.from_dirs(default_definition_dirs())
            for version in library.versions(form_id):
                dataset.forms.setdefault(form_id, {})[version] = library.get(form_id, version)
        if form_id not in dataset.forms:
            raise ReportError(
                f"{manifest_path}: no definition of form '{form_id}' in the manifest or in "
                "form_definitions/; give --definitions DIR"
            )
    return dataset


def _table_ref(manifest: Path, base: Path, name) -> TableRef:
    if not isinstance(name, str) or not name:
        raise ReportError(f"{manifest}: a table entry is {name!r}, not a file name")
    file, _, sheet = name.partition("#")
    ref = TableRef(base / file, sheet or None)
    if not ref.path.exists():
        raise ReportError(f"{ref.path}: missing (the manifest {manifest.name} names it)")
    return ref


# -- cells → typed answers ---------------------------------------------------------


def _cell(value) -> str | None:
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


class _Reader:
    """Column names → the typed answers of one form version (SPEC §4 shapes)."""

    def __init__(self, form: Form):
        self.form = form
        self.questions = [q for q in form.answerable if q.type != "personnummer"]

    def columns(self) -> list[str]:
        names = []
        for q in self.questions:
            if q.type == "multiple":
                names += [f"{q.id}__{v}" for v in q.choice_values]
            elif q.type == "grid":
                names += [f"{q.id}__{r.id}" for r in q.rows]
            else:
                names.append(q.id)
            if q.other is not None:
                names.append(f"{q.id}__other_text")
        return names

    def answers(self, cells: dict, where) -> dict:
        out: dict = {}
        for q in self.questions:
            if q.type == "multiple":
                out[q.id] = [
                    v for v in q.choice_values if _flag(cells.get(f"{q.id}__{v}"), where, q, v)
                ]
            elif q.type == "grid":
                out[q.id] = {
                    r.id: _choice(q, cells.get(f"{q.id}__{r.id}"), where, f"{q.id}__{r.id}")
                    for r in q.rows
                }
            else:
                out[q.id] = _typed(q, cells.get(q.id), where)
            if q.other is not None:
                out[f"{q.id}__other_text"] = cells.get(f"{q.id}__other_text")
        return out


def _bad(where, column: str, raw: str, q: Question, allowed: str) -> ReportError:
    return ReportError(
        f"{where()}, column '{column}': {raw!r} is not an answer of question '{q.id}' ({allowed})"
    )


def _flag(raw, where, q: Question, value: str) -> bool:
    if raw is None or raw == "0":
        return False
    if raw == "1":
        return True
    raise _bad(where, f"{q.id}__{value}", raw, q, "1, 0 or empty")


def _choice(q: Question, raw, where, column: str):
    if raw is None:
        return None
    if raw in q.choice_values:
        return raw
    raise _bad(where, column, raw, q, ", ".join(q.choice_values))


def _typed(q: Question, raw, where):
    if raw is None:
        return None
    if q.type in ("text", "textarea"):
        return raw
    if q.type == "number":
        try:
            value = float(raw.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
        except ValueError:
            raise _bad(where, q.id, raw, q, "a number") from None
        return int(value) if value.is_integer() else value
    if q.type == "date":
        try:
            return datetime.date.fromisoformat(raw[:10]).isoformat()
        except ValueError:
            raise _bad(where, q.id, raw, q, "a date YYYY-MM-DD") from None
    if q.type == "yesno":
        if raw in ("1", "true", "True"):
            return True
        if raw in ("0", "false", "False"):
            return False
        raise _bad(where, q.id, raw, q, "1 or 0")
    if q.type == "scale":
        value = _choice(q, raw, where, q.id)
        return value if q.na is not None and value == q.na.value else int(value)
    return _choice(q, raw, where, q.id)  # single, dropdown


# -- table readers: (row number, {column: cell}) -----------------------------------


def _rows(ref: TableRef, fmt: str) -> Iterator[tuple[int, dict]]:
    if fmt == "csv":
        yield from _csv_rows(ref.path)
    elif fmt == "xlsx":
        yield from _xlsx_rows(ref)
    elif fmt == "parquet":
        yield from _parquet_rows(ref.path)
    else:  # pragma: no cover - jsonl has its own reader
        raise ValueError(fmt)


def _csv_rows(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise ReportError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with fh:
        try:
            first = fh.readline()
            # extract writes ',' unless told ';' or tab (--delimiter): the header shows which
            delimiter = max((",", ";", "\t"), key=first.count)
            fh.seek(0)  # the decoder starts afresh and skips the byte-order mark again
            reader = csv.reader(fh, delimiter=delimiter)
            header = next(reader, None)
            if not header:
                raise ReportError(f"{path}: empty; not a table written by pdfforms extract")
            for number, row in enumerate(reader, start=2):
                if not row:
                    continue
                if len(row) != len(header):
                    raise ReportError(
                        f"{path}: row {number} has {len(row)} cells, the header {len(header)}"
                    )
                yield number, {h: _cell(v) for h, v in zip(header, row, strict=True)}
        except UnicodeDecodeError:
            raise ReportError(f"{path}: not UTF-8 text (was it saved again by Excel?)") from None
        except csv.Error as exc:
            raise ReportError(f"{path}: not a readable CSV table ({exc})") from None


def _xlsx_rows(ref: TableRef) -> Iterator[tuple[int, dict]]:
    try:
        from openpyxl import load_workbook

        book = load_workbook(ref.path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ReportError(f"{ref.path}: not a readable Excel workbook ({exc})") from None
    try:
        if ref.sheet not in book.sheetnames:
            raise ReportError(f"{ref.path}: no sheet '{ref.sheet}'")
        rows = book[ref.sheet].iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise ReportError(f"{ref}: empty sheet")
        header = [str(h) if h is not None else "" for h in header]
        for number, row in enumerate(rows, start=2):
            cells = {}
            for i, h in enumerate(header):
                v = row[i] if i < len(row) else None  # read-only rows end at their last value
                if isinstance(v, str) and v.startswith("'="):
                    v = v[1:]  # the writer quotes text that Excel would take for a formula
                cells[h] = _cell(v)
            if any(v is not None for v in cells.values()):
                yield number, cells
    finally:
        book.close()


def _parquet_rows(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ReportError(
            f"{path}: reading .parquet needs pyarrow: pip install 'pdfforms[parquet]'"
        ) from None
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds for a bad file
        raise ReportError(f"{path}: not a readable Parquet file ({exc})") from None
    number = 1
    for batch in parquet.iter_batches(batch_size=4096):
        for row in batch.to_pylist():
            number += 1
            yield number, {k: _cell(v) for k, v in row.items()}


# -- the whole input ---------------------------------------------------------------


class Datasets:
    """All DATASET arguments together: the forms they hold, and their records in order."""

    def __init__(self, paths: list[Path], definitions: list[Path] | None = None):
        library = FormLibrary.from_dirs(definitions) if definitions else None
        self.datasets: list[Dataset] = []
        seen: dict[Path, Path] = {}
        for path in paths:
            dataset = open_dataset(Path(path), library)
            key = dataset.manifest.resolve()
            if key in seen:
                raise ReportError(f"{path}: the same dataset as {seen[key]}, given twice")
            seen[key] = Path(path)
            self.datasets.append(dataset)
        self.forms: dict[str, dict[str, Form]] = {}
        for dataset in self.datasets:
            for form_id, versions in dataset.forms.items():
                known = self.forms.setdefault(form_id, {})
                for version, form in versions.items():
                    if version in known and known[version].fingerprint != form.fingerprint:
                        raise ReportError(
                            f"{dataset.manifest}: form {form_id} version {version} differs "
                            "from the definition of that version in another dataset"
                        )
                    known.setdefault(version, form)
        self.duplicates = 0

    def records(self) -> Iterator[Record]:
        """Every questionnaire once: one seen in an earlier dataset is counted as a duplicate."""
        seen: set[tuple[str, str]] = set()
        for dataset in self.datasets:
            pending = _pending(dataset)
            if dataset.format == "jsonl":
                done: set[Path] = set()
                for ref in dataset.tables.values():
                    if ref.path not in done:
                        done.add(ref.path)
                        yield from self._dedup(_jsonl_records(dataset, ref.path), seen)
                continue
            for form_id, ref in dataset.tables.items():
                yield from self._dedup(_table_records(dataset, form_id, ref, pending), seen)

    def _dedup(self, items, seen: set) -> Iterator[Record]:
        for key, record in items:
            if key is not None:
                if key in seen:
                    self.duplicates += 1
                    continue
                seen.add(key)
            yield record


def _form_of(dataset: Dataset, form_id: str, version, where) -> Form:
    versions = dataset.forms.get(form_id)
    if not versions:
        raise ReportError(f"{where()}: form '{form_id}' is not in the manifest")
    form = versions.get(str(version)) if version is not None else None
    if form is None:
        if version is not None and len(versions) > 1:
            raise ReportError(f"{where()}: no definition of {form_id} version {version}")
        form = next(iter(versions.values()))  # one version: a table without the column
    return form


def _table_records(dataset: Dataset, form_id: str, ref: TableRef, pending: dict):
    readers: dict[str, _Reader] = {}
    checked = False
    for number, cells in _rows(ref, dataset.format):

        def where(number=number) -> str:
            return f"{ref}: row {number}"

        if not checked:
            checked = True
            if "form" not in cells or "version" not in cells:
                raise ReportError(
                    f"{ref}: no 'form' and 'version' columns; not a table written by "
                    "pdfforms extract"
                )
        row_form = cells.get("form") or form_id
        if row_form != form_id:
            raise ReportError(f"{where()}: holds form '{row_form}' in the table of '{form_id}'")
        form = _form_of(dataset, form_id, cells.get("version"), where)
        reader = readers.get(form.version)
        if reader is None:
            reader = readers[form.version] = _Reader(form)
            missing = [c for c in reader.columns() if c not in cells]
            if missing:
                raise ReportError(
                    f"{ref}: no column '{missing[0]}' of {form_id} version {form.version}"
                    + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
                    + "; was the table edited?"
                )
        file, questionnaire = cells.get("file"), cells.get("questionnaire")
        key = (cells["sha256"], questionnaire or "1") if cells.get("sha256") else None
        yield (
            key,
            Record(
                form=form,
                language=cells.get("language"),
                kind=cells.get("kind"),
                outcome=cells.get("outcome"),
                answers=reader.answers(cells, where),
                serial=cells.get("serial"),
                pending=pending.get((file, questionnaire or "1"), frozenset()),
            ),
        )


def _jsonl_records(dataset: Dataset, path: Path):
    readers: dict[tuple[str, str], _Reader] = {}
    per_file: dict[str, int] = {}  # a scan's questionnaires share its sha256: number them
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise ReportError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with fh:
        try:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue

                def where(number=number) -> str:
                    return f"{path}: line {number}"

                try:
                    obj = json.loads(line)
                    form_id = obj["form"]["id"]
                    version = obj["form"]["version"]
                    answers = obj["answers"]
                    if not isinstance(answers, dict):
                        raise TypeError
                except (ValueError, KeyError, TypeError):
                    raise ReportError(
                        f"{where()}: not a parsed form (SPEC §4 object with form and answers)"
                    ) from None
                form = _form_of(dataset, form_id, version, where)
                reader = readers.get((form_id, form.version))
                if reader is None:
                    reader = readers[(form_id, form.version)] = _Reader(form)
                source = obj.get("source") or {}
                pending = frozenset(
                    item.get("question")
                    for item in obj.get("review") or []
                    if item.get("reason") in PENDING_REASONS and item.get("question")
                )
                sha = source.get("sha256")
                key = None
                if sha:
                    per_file[sha] = per_file.get(sha, 0) + 1
                    key = (sha, str(per_file[sha]))
                yield (
                    key,
                    Record(
                        form=form,
                        language=obj["form"].get("language"),
                        kind=source.get("kind"),
                        outcome=_outcome(obj),
                        answers=reader.answers(_jsonl_cells(reader, answers), where),
                        serial=obj.get("serial"),
                        pending=pending,
                    ),
                )
        except UnicodeDecodeError:
            raise ReportError(f"{path}: not UTF-8 text") from None


def _outcome(obj: dict) -> str | None:
    try:
        return outcome_of(obj)
    except (KeyError, TypeError):
        return None


def _jsonl_cells(reader: _Reader, answers: dict) -> dict:
    """A SPEC §4 answers object laid out as a table's cells, to be checked the same way."""
    cells: dict = {}
    for q in reader.questions:
        value = answers.get(q.id)
        if q.type == "multiple":
            chosen = value if isinstance(value, list) else []
            for v in q.choice_values:
                cells[f"{q.id}__{v}"] = "1" if v in chosen else None
        elif q.type == "grid":
            rows = value if isinstance(value, dict) else {}
            for r in q.rows:
                cells[f"{q.id}__{r.id}"] = _cell(rows.get(r.id))
        else:
            cells[q.id] = _cell(value)
        if q.other is not None:
            cells[f"{q.id}__other_text"] = _cell(answers.get(f"{q.id}__other_text"))
    return cells


def _pending(dataset: Dataset) -> dict[tuple[str, str], frozenset[str]]:
    """(file, questionnaire) → questions whose answer waits for a person (from the review table)."""
    if dataset.review is None or dataset.format == "jsonl":
        return {}
    out: dict[tuple[str, str], set[str]] = {}
    for _number, cells in _rows(dataset.review, dataset.format):
        if cells.get("reason") in PENDING_REASONS and cells.get("question"):
            key = (cells.get("file"), cells.get("questionnaire") or "1")
            out.setdefault(key, set()).add(cells["question"])
    return {k: frozenset(v) for k, v in out.items()}


# -- print-run ledgers -------------------------------------------------------------


def read_ledgers(paths: list[Path]) -> dict[str, set[str]]:
    """Print-run ledgers → form id → the serials sent out."""
    sent: dict[str, set[str]] = {}
    for path in paths:
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                first = fh.readline()
                fh.seek(0)
                delimiter = max((",", ";", "\t"), key=first.count)
                reader = csv.DictReader(fh, delimiter=delimiter)
                fields = reader.fieldnames or []
                if "serial" not in fields or "form" not in fields:
                    hint = ""
                    if "outcome" in fields and "file" in fields:
                        hint = (
                            "; this is the ledger of `pdfforms extract` – give the one a print "
                            "run wrote (<output>.ledger.csv)"
                        )
                    raise ReportError(
                        f"{path}: not a print-run ledger (no 'serial' and 'form' columns){hint}"
                    )
                for row in reader:
                    if row.get("serial") and row.get("form"):
                        sent.setdefault(row["form"], set()).add(row["serial"])
        except OSError as exc:
            raise ReportError(f"{path}: cannot read ({exc.strerror or exc})") from None
        except UnicodeDecodeError:
            raise ReportError(f"{path}: not UTF-8 text") from None
        except csv.Error as exc:
            raise ReportError(f"{path}: not a readable CSV file ({exc})") from None
    return sent
