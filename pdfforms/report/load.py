"""A dataset as `pdfforms extract` wrote it → typed answers, one record at a time.

DATASET is the path given to `extract -o` (or its manifest, or the folder that
holds exactly one manifest). The manifest says which file holds which form's
table, in which format, and carries the definitions the answers were read with,
so the report needs nothing else. The files are read through dataset's own
reader (dataset/reader.py), whatever the format (CSV, XLSX, JSONL, Parquet);
rows stream through: a record is made, counted and dropped.

Columns that can identify a person are never read: personnummer columns,
`serial` except to match a print-run ledger, `file` and `sha256` except to spot
the same questionnaire given twice and to join review items.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..dataset.columns import outcome_of
from ..dataset.reader import (
    DatasetError,
    TableRef,
    csv_cell,
    find_manifest,
    jsonl_responses,
    read_manifest,
    table_rows,
)
from ..dataset.units import LedgerError, ledger_rows
from ..model.definition import parse_definition
from ..model.errors import PdfformsError
from ..model.form import Form, Question, cell_name
from ..model.identity import clean_unit
from ..model.library import FormLibrary, default_definition_dirs
from ..model.messages import text as msg

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
    unit: str | None = None  # the care unit the copy was printed for (dataset's `unit`)


@dataclass
class Dataset:
    """One DATASET argument: its manifest, its tables, and the definitions it was read with."""

    manifest: Path
    format: str
    tables: dict[str, TableRef]
    review: TableRef | None
    forms: dict[str, dict[str, Form]] = field(default_factory=dict)  # id → version → Form


def open_dataset(path: Path, library: FormLibrary | None = None) -> Dataset:
    try:
        manifest = read_manifest(find_manifest(path))
    except DatasetError as exc:
        raise ReportError(str(exc)) from None
    manifest_path = manifest.path
    tables = {}
    for form_id, ref in manifest.tables.items():
        if not ref.path.exists():
            raise ReportError(msg("load.missing", path=ref.path, manifest=manifest_path.name))
        tables[form_id] = ref
    review = manifest.review  # optional: only for "awaits review" notes
    review = review if review is not None and review.path.exists() else None
    dataset = Dataset(manifest_path, manifest.format, tables, review)
    definitions = manifest.definitions
    for form_id in tables:
        versions = definitions.get(form_id) or {}
        for version, text in versions.items():
            form, faults = parse_definition(text, f"{manifest_path}#{form_id}")
            if form is None:
                raise ReportError(
                    msg(
                        "load.definition_faults",
                        path=manifest_path,
                        form=form_id,
                        version=version,
                        fault=faults[0].message,
                    )
                )
            dataset.forms.setdefault(form_id, {})[version] = form
        if not versions:  # a manifest from before definitions were stored in it
            library = library or FormLibrary.from_dirs(default_definition_dirs())
            for version in library.versions(form_id):
                dataset.forms.setdefault(form_id, {})[version] = library.get(form_id, version)
        if form_id not in dataset.forms:
            raise ReportError(msg("load.no_definition", path=manifest_path, form=form_id))
    return dataset


# -- cells → typed answers ---------------------------------------------------------


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
            elif q.type == "group":
                names += q.field_names()
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
            elif q.type == "group":  # the k-th written row's cells → its row object
                rows = [
                    {i.id: _typed(i, cells.get(cell_name(q.id, k, i.id)), where) for i in q.items}
                    for k in range(1, q.row_count + 1)
                ]
                out[q.id] = [row for row in rows if any(v is not None for v in row.values())]
            else:
                out[q.id] = _typed(q, cells.get(q.id), where)
            if q.other is not None:
                out[f"{q.id}__other_text"] = cells.get(f"{q.id}__other_text")
        return out


def _bad(where, column: str, raw: str, q: Question, allowed: str) -> ReportError:
    return ReportError(
        msg(
            "load.not_an_answer",
            path=where(),
            column=column,
            value=repr(raw),
            id=q.id,
            allowed=allowed,
        )
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


# -- the dataset's rows -------------------------------------------------------------


def _rows(ref: TableRef, fmt: str) -> Iterator[tuple[int, dict]]:
    try:
        yield from table_rows(ref, fmt)
    except DatasetError as exc:
        raise ReportError(str(exc)) from None


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
                raise ReportError(msg("load.twice", path=path, other=seen[key]))
            seen[key] = Path(path)
            self.datasets.append(dataset)
        self.forms: dict[str, dict[str, Form]] = {}
        for dataset in self.datasets:
            for form_id, versions in dataset.forms.items():
                known = self.forms.setdefault(form_id, {})
                for version, form in versions.items():
                    if version in known and known[version].fingerprint != form.fingerprint:
                        raise ReportError(
                            msg(
                                "load.differs",
                                path=dataset.manifest,
                                form=form_id,
                                version=version,
                            )
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
        raise ReportError(msg("load.not_in_manifest", path=where(), form=form_id))
    form = versions.get(str(version)) if version is not None else None
    if form is None:
        if version is not None and len(versions) > 1:
            raise ReportError(msg("load.no_version", path=where(), form=form_id, version=version))
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
                raise ReportError(msg("load.no_form_columns", path=ref))
        row_form = cells.get("form") or form_id
        if row_form != form_id:
            raise ReportError(msg("load.other_form", path=where(), row_form=row_form, form=form_id))
        form = _form_of(dataset, form_id, cells.get("version"), where)
        reader = readers.get(form.version)
        if reader is None:
            reader = readers[form.version] = _Reader(form)
            missing = [c for c in reader.columns() if c not in cells]
            if missing:
                more = msg("drawing.more", n=len(missing) - 1) if len(missing) > 1 else ""
                raise ReportError(
                    msg(
                        "load.no_column",
                        path=ref,
                        column=missing[0],
                        form=form_id,
                        version=form.version,
                        more=more,
                    )
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
                unit=clean_unit(cells.get("unit")),
            ),
        )


def _jsonl_records(dataset: Dataset, path: Path):
    readers: dict[tuple[str, str], _Reader] = {}
    per_file: dict[str, int] = {}  # a scan's questionnaires share its sha256: number them
    for number, obj in _responses(path):

        def where(number=number) -> str:
            return f"{path}: line {number}"

        form_id, answers = obj["form"]["id"], obj["answers"]
        form = _form_of(dataset, form_id, obj["form"]["version"], where)
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
                unit=clean_unit(obj.get("unit")),
            ),
        )


def _responses(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        yield from jsonl_responses(path)
    except DatasetError as exc:
        raise ReportError(str(exc)) from None


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
                cells[f"{q.id}__{r.id}"] = csv_cell(rows.get(r.id))
        elif q.type == "group":
            written = value if isinstance(value, list) else []
            for k in range(1, q.row_count + 1):
                row = (
                    written[k - 1] if k <= len(written) and isinstance(written[k - 1], dict) else {}
                )
                for i in q.items:
                    cells[cell_name(q.id, k, i.id)] = csv_cell(row.get(i.id))
        else:
            cells[q.id] = csv_cell(value)
        if q.other is not None:
            cells[f"{q.id}__other_text"] = csv_cell(answers.get(f"{q.id}__other_text"))
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


def read_ledgers(
    paths: list[Path], rows: dict[str, dict[str, str]] | None = None
) -> dict[str, set[str]]:
    """Print-run ledgers → form id → the serials sent out (and into `rows`, when given,
    serial → the ledger's row: what `--by` may group by)."""
    sent: dict[str, set[str]] = {}
    for path in paths:
        try:
            for _line, row in ledger_rows(path):
                if row.get("serial") and row.get("form"):
                    sent.setdefault(row["form"], set()).add(row["serial"])
                    if rows is not None:
                        rows[row["serial"]] = row
        except LedgerError as exc:
            raise ReportError(str(exc)) from None
    return sent
