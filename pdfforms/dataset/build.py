"""The dataset written from its journal: duplicates, tables, ledger and manifest.

Nothing here reads a returned file. `extract` calls `write_dataset` when its
reading is done, and `rebuild` writes the dataset again from the journal alone
(what `pdfforms review` does as decisions come in). The order is the inputs'
sorted paths, so the dataset is the same whatever the number of workers and
however often the run was interrupted. Duplicates are decided here (`Duplicates`):
a file whose bytes were seen before, or a questionnaire whose serial was read
before, is kept out of the tables and named in the ledger; the review queue asks
`kept_questionnaires` for the same. Every file of the dataset is written under a
temporary name and renamed into place at the end.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..exchange.fhir import questionnaire_response
from ..model.library import version_key
from ..model.messages import count
from ..model.messages import text as msg
from ..model.privacy import Privacy
from .columns import (
    FILE_LEDGER_COLUMNS,
    FILE_OUTCOMES,
    PROBLEM_COLUMNS,
    REVIEW_COLUMNS,
    REVIEWED_COLUMNS,
    FormTable,
    codebook_columns,
    codebook_rows,
    outcome_of,
    problem_rows,
    review_rows,
    reviewed_rows,
)
from .decisions import apply_decisions, read_decisions
from .journal import ExtractError, Input, Journal
from .tables import DatasetFiles
from .units import assign_unit
from .workers import failed


@dataclass
class RunSummary:
    """What one run of `extract` (or a rebuild) read and wrote, for its closing line."""

    files: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FILE_OUTCOMES, 0))
    questionnaires: int = 0
    reviewed: int = 0  # review decisions by a person in the dataset
    read_now: int = 0
    from_journal: int = 0
    seconds: float = 0.0
    written: list[Path] = field(default_factory=list)

    def line(self) -> str:
        parts = [f"{count(n)} {msg('outcome.' + name)}" for name, n in self.outcomes.items() if n]
        reviewed = msg("build.reviewed", n=count(self.reviewed)) if self.reviewed else ""
        return (
            msg(
                "build.summary",
                files=count(self.files),
                outcomes=", ".join(parts) or msg("build.none"),
                questionnaires=count(self.questionnaires),
            )
            + reviewed
        )


def rebuild(output: str | Path, privacy: Privacy) -> RunSummary:
    """Write the dataset again from its journal and the review decisions; no file is read.

    This is what `pdfforms review` does as decisions come in. The inputs are those
    of the last `extract` run that finished reading.
    """
    output = Path(output)
    journal = Journal.reading(DatasetFiles(output).sidecar("journal.jsonl"))
    run = journal.run
    if run is None:
        raise ExtractError(msg("build.no_run", path=journal.path))
    files = DatasetFiles(output, run.get("delimiter") or ",", run.get("decimal") or ".")
    items, missing = journal.inputs()
    summary = RunSummary()
    write_dataset(files, journal, items, missing, privacy, summary)
    return summary


def write_dataset(
    files: DatasetFiles,
    journal: Journal,
    items: list[Input],
    missing: list[Input],
    privacy: Privacy,
    summary: RunSummary,
) -> None:
    """Every file of the dataset, from the journal's entries for `items`, all or nothing."""
    decisions = read_decisions(files.sidecar("decisions.jsonl"))
    duplicates = Duplicates(journal, items)
    versions: dict[str, set[str]] = {}
    for form_id, version in duplicates.kept_forms:
        versions.setdefault(form_id, set()).add(version)
    tables: dict[str, FormTable] = {}
    for form_id in sorted(versions):
        found = [journal.form(form_id, v) for v in sorted(versions[form_id], key=version_key)]
        tables[form_id] = FormTable([f for f in found if f is not None], privacy)
    languages: list[str] = []
    for table in tables.values():
        languages += [lang for lang in table.languages if lang not in languages]
    languages = languages or ["sv", "en"]
    try:
        sinks = {}
        jsonl = fhir = None
        first = True  # the Bundle's first entry has no comma before it
        if files.format == "jsonl":
            jsonl = files.text_file(files.path)
        elif files.format == "fhir":
            # one Bundle, its entries written as they come: never all in memory
            fhir = files.text_file(files.path)
            fhir.write('{"resourceType": "Bundle", "type": "collection", "entry": [')
        else:
            for form_id, table in tables.items():
                name = form_id if len(tables) > 1 or files.format == "xlsx" else None
                sinks[form_id] = files.table(
                    name or form_id,
                    [c.name for c in table.written],
                    table.types(),
                    main=name is None,
                    form=table,
                )
            problems = files.table(
                "problems", list(PROBLEM_COLUMNS), ["text", "integer", *["text"] * 7]
            )
            review = files.table(
                "review",
                list(REVIEW_COLUMNS),
                ["text", "integer", *["text"] * 5, "integer", "text"],
            )
            reviewed = files.table(
                "reviewed", list(REVIEWED_COLUMNS), ["text", "integer", *["text"] * 9]
            )
        ledger_types = ["float" if c == "seconds" else "text" for c in FILE_LEDGER_COLUMNS]
        ledger = files.csv_sidecar("ledger", list(FILE_LEDGER_COLUMNS), ledger_types)
        ledger_sheet = None
        if files.format == "xlsx":
            ledger_sheet = files.table(
                "ledger", list(FILE_LEDGER_COLUMNS), ["text"] * len(FILE_LEDGER_COLUMNS)
            )
        base = files.path.parent.absolute()
        units = (journal.run or {}).get("units") or {}  # serial → unit, from ledgers
        for item, entry in journal.entries(items):
            for number, obj in enumerate((entry or {}).get("responses") or [], start=1):
                form = journal.form(obj["form"]["id"], obj["form"]["version"])
                if form is not None:  # a person's decisions, before anything is counted
                    apply_decisions(obj, number, form, decisions, privacy)
                assign_unit(obj, units)  # the ledger's unit, for a copy that names none
            row, kept = duplicates.ledger_row(item, entry)
            ledger.write(row)
            if ledger_sheet:
                ledger_sheet.write(row)
            summary.files += 1
            summary.outcomes[row[1]] += 1
            for number, obj in kept:
                obj["source"]["file"] = item.shown
                for review_item in obj["review"]:  # crops are found from the dataset's folder
                    if review_item.get("image"):
                        review_item["image"] = os.path.relpath(review_item["image"], base)
                summary.questionnaires += 1
                summary.reviewed += len(obj["reviewed"])
                if jsonl is not None:
                    jsonl.write(json.dumps(obj, ensure_ascii=False) + "\n")
                    continue
                if fhir is not None:
                    form = journal.form(obj["form"]["id"], obj["form"]["version"])
                    resource = questionnaire_response(obj, form, privacy, applied=True)
                    entry = {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
                    fhir.write(
                        ("\n  " if first else ",\n  ") + json.dumps(entry, ensure_ascii=False)
                    )
                    first = False
                    continue
                sinks[obj["form"]["id"]].write(tables[obj["form"]["id"]].row(obj, number))
                for p in problem_rows(obj, number):
                    problems.write(p)
                for r in review_rows(obj, number):
                    review.write(r)
                for r in reviewed_rows(obj, number):
                    reviewed.write(r)
        if fhir is not None:
            fhir.write("\n]}\n")
        for item in missing:
            row = _missing_row(item)
            ledger.write(row)
            if ledger_sheet:
                ledger_sheet.write(row)
            summary.files += 1
            summary.outcomes["failed"] += 1
        labelled = files.format in ("sav", "dta")
        book_cols = codebook_columns(languages, labelled)
        codebook = files.csv_sidecar("codebook", book_cols)
        book_sheet = None
        if files.format == "xlsx":
            book_sheet = files.table("codebook", book_cols, ["text"] * len(book_cols))
        for form_id, table in tables.items():
            name = files.path.name if len(tables) == 1 else f"{files.stem}.{form_id}"
            variables = None
            if labelled:
                variables = _variables_of(files, tables, form_id)
            for row in codebook_rows(name, table, languages, variables):
                codebook.write(row)
                if book_sheet:
                    book_sheet.write(row)
        manifest = files.text_file(files.sidecar("manifest.json"))
        manifest.write(
            json.dumps(manifest_of(files, tables, privacy, summary), ensure_ascii=False, indent=2)
            + "\n"
        )
        summary.written = files.commit()
    except BaseException:
        files.abort()
        raise


def manifest_of(files: DatasetFiles, tables, privacy: Privacy, summary: RunSummary) -> dict:
    """What the manifest says: which file holds which table, the definitions, the counts."""

    def name(suffix: str) -> str:
        return files.sidecar(suffix).name

    fmt = files.format
    if fmt in ("jsonl", "fhir"):
        table_files = dict.fromkeys(tables, files.path.name)
    elif fmt == "xlsx":
        table_files = {t: f"{files.path.name}#{files.sheet_of(t)}" for t in tables}
    elif len(tables) == 1:
        table_files = dict.fromkeys(tables, files.path.name)
    else:
        table_files = {t: name(f"{t}.{fmt}") for t in tables}
    return {
        "pdfforms": __version__,
        "format": fmt,
        "tables": table_files,
        "problems": None if fmt in ("jsonl", "fhir") else _in(files, "problems"),
        "review": None if fmt in ("jsonl", "fhir") else _in(files, "review"),
        "reviewed": None if fmt in ("jsonl", "fhir") else _in(files, "reviewed"),
        "decisions": name("decisions.jsonl"),
        "codebook": name("codebook.csv"),
        "ledger": name("ledger.csv"),
        "journal": name("journal.jsonl"),
        "personnummer": privacy.mode,
        "key": privacy.key_id or None,
        # the definitions the answers were read with, so a report needs nothing else
        "definitions": {
            form_id: {f.version: f.source_text for f in table.forms.values()}
            for form_id, table in tables.items()
        },
        # the CSV's separator and decimal mark, and the columns whose numbers have it
        # .sav and .dta: each table file's [variable, column, {code: value}]
        "variables": files.variables or None,
        # .xlsx: each form's sheet's header row and its columns in words
        "xlsx": files.sheets or None,
        "csv": {
            "delimiter": files.delimiter,
            "decimal": files.decimal,
            "decimal_columns": {
                form_id: [
                    c.name
                    for c, t in zip(table.written, table.types(), strict=True)
                    if t == "float"
                ]
                for form_id, table in tables.items()
            },
        }
        if fmt == "csv"
        else None,
        "files": summary.files,
        "outcomes": summary.outcomes,
        "questionnaires": summary.questionnaires,
    }


def _variables_of(files: DatasetFiles, tables: dict, form_id: str) -> dict[str, tuple]:
    """Column → (its variable in the .sav or .dta file, the codes of its values)."""
    if len(tables) == 1:
        target = files.path.name
    else:
        target = files.sidecar(f"{form_id}.{files.format}").name
    out = {}
    for name, column, decoding in files.variables.get(target) or []:
        out[column] = (name, decoding)
    return out


def _in(files: DatasetFiles, table: str) -> str:
    if files.format == "xlsx":
        return f"{files.path.name}#{files.sheet_of(table)}"
    return files.sidecar(f"{table}.{files.format}").name


class Duplicates:
    """Which files and questionnaires are duplicates, decided in input order.

    A file whose bytes were seen before is a duplicate as a whole; so is a
    questionnaire whose serial (of its form) was read from an earlier file.
    """

    def __init__(self, journal: Journal, items: list[Input]):
        first_by_sha: dict[str, str] = {}
        first_by_serial: dict[tuple[str, str], str] = {}
        self.duplicate_file: dict[str, str] = {}  # path → the file it repeats
        # (path, questionnaire) → the file its serial was first read from
        self.duplicate_serials: dict[tuple[str, int], str] = {}
        self.kept_forms: set[tuple[str, str]] = set()  # (form, version) of what is kept
        for item, entry in _light_entries(journal, items):
            if entry is None:
                continue
            sha = entry.get("sha256")
            if sha and sha in first_by_sha:
                self.duplicate_file[item.path] = first_by_sha[sha]
                continue
            if sha:
                first_by_sha[sha] = item.shown
            for number, (form_id, version, serial) in enumerate(entry["keys"], start=1):
                if serial:
                    first = first_by_serial.get((form_id, serial))
                    if first is not None:
                        self.duplicate_serials[(item.path, number)] = first
                        continue
                    first_by_serial[(form_id, serial)] = item.shown
                self.kept_forms.add((form_id, version))

    def ledger_row(self, item: Input, entry: dict | None) -> tuple[list, list[tuple[int, dict]]]:
        """A file's row of the ledger, and its questionnaires the dataset keeps (number, obj)."""
        if entry is None:  # cannot happen: every input was read or found in the journal
            entry = failed(msg("build.not_read"))
        responses = entry.get("responses") or []
        duplicate_of = self.duplicate_file.get(item.path)
        kept: list[tuple[int, dict]] = []
        notes = []
        if duplicate_of is None:
            for number, obj in enumerate(responses, start=1):
                first = self.duplicate_serials.get((item.path, number))
                if first is None:
                    kept.append((number, obj))
                else:
                    notes.append(
                        msg("build.read_before", n=number, serial=obj.get("serial"), first=first)
                    )
        if entry.get("outcome") == "failed":
            outcome, reason = "failed", entry.get("reason", "")
        elif duplicate_of is not None:
            outcome, reason = "duplicate", msg("build.same_bytes", other=duplicate_of)
        elif not kept:
            outcome, reason = "duplicate", "; ".join(notes)
            duplicate_of = self.duplicate_serials.get((item.path, 1))
        else:
            outcomes = [outcome_of(obj) for _n, obj in kept]
            unread = entry.get("unread_pages") or []
            if unread:
                notes.append(
                    "page(s) not read: "
                    + ", ".join(f"page {p['page']} ({p['note'] or p['status']})" for p in unread)
                )
                outcomes.append("needs_review")
            order = ("needs_review", "parsed_with_problems", "parsed")
            outcome = next(o for o in order if o in outcomes)
            reason = "; ".join(notes)
        forms = sorted({o["form"]["id"] for _n, o in kept})
        serials = [o.get("serial") or "" for _n, o in kept]
        row = [
            item.shown,
            outcome,
            reason,
            len(kept),
            entry.get("kind") or "",
            " ".join(forms),
            " ".join(s for s in serials if s),
            sum(len(o["problems"]) for _n, o in kept),
            sum(len(o["review"]) for _n, o in kept),
            duplicate_of or "",
            entry.get("sha256") or "",
            entry.get("bytes"),
            entry.get("pages"),
            entry.get("seconds"),
        ]
        return row, kept


def kept_questionnaires(journal: Journal, items: list[Input]) -> Iterator[tuple[Input, int, dict]]:
    """Every questionnaire the dataset holds, as read (no decisions applied), in input order.

    (input file, questionnaire number in it, the parsed form): duplicates are left
    out as `write_dataset` leaves them out of the tables.
    """
    duplicates = Duplicates(journal, items)
    for item, entry in journal.entries(items):
        _row, kept = duplicates.ledger_row(item, entry)
        for number, obj in kept:
            yield item, number, obj


def _light_entries(journal: Journal, items: list[Input]):
    """Each entry's sha256 and (form, version, serial) keys, without keeping the answers."""
    for item, entry in journal.entries(items):
        if entry is None:
            yield item, None
            continue
        keys = [
            (o["form"]["id"], o["form"]["version"], o.get("serial"))
            for o in entry.get("responses") or []
        ]
        yield item, {"sha256": entry.get("sha256"), "keys": keys}


def _missing_row(item: Input) -> list:
    row = [item.shown, "failed", msg("build.no_input"), 0]
    return row + [None] * (len(FILE_LEDGER_COLUMNS) - len(row))
