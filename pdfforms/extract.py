"""Many returned files → one dataset, with every input file accounted for.

The run has two halves:

1. Reading. Every input file is read in a worker process under a time and a
   memory limit (`workers.py`), locally or on a Dask cluster. Each file's result
   is appended to a journal beside the dataset (`stem.journal.jsonl`) as soon as
   it arrives, personnummer already pseudonymised or removed. The journal is what
   makes a run resumable: a rerun reads only the files the journal does not hold
   (or whose size or time stamp changed), so Ctrl-C, a kill or a power cut costs
   at most the files being read at that moment.
2. Writing. The dataset is written from the journal, in the order of the inputs
   (sorted paths), so it is the same whatever the number of workers and however
   often the run was interrupted. Duplicates are decided here: a file whose bytes
   were seen before, or a questionnaire whose serial was read before, is kept out
   of the tables and named in the ledger. Every file of the dataset is written
   under a temporary name and renamed into place at the end.

Memory stays flat: responses stream from the journal to the tables. What is held
per file is its path and its place in the journal, under 1 kB (measured: the batch
process grows 7 MB from 1,000 to 10,000 files; `make bench`).
"""

from __future__ import annotations

import glob
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .dataset import (
    FILE_OUTCOMES,
    LEDGER_COLUMNS,
    PROBLEM_COLUMNS,
    REVIEW_COLUMNS,
    REVIEWED_COLUMNS,
    FormTable,
    Privacy,
    codebook_columns,
    codebook_rows,
    outcome_of,
    problem_rows,
    review_rows,
    reviewed_rows,
)
from .form import Form, parse_definition
from .review.log import read_decisions
from .review.units import apply_decisions
from .tables import DatasetFiles, format_of
from .workers import Limits, Pool, PoolError, failed

JOURNAL_SYNC_SECONDS = 1.0  # at most this much reading is lost to a power cut
CLUSTER_CHUNK = 64  # files per Dask task: amortises a worker process per task


class ExtractError(Exception):
    """The run cannot start or cannot write its dataset (not: a file failed)."""


@dataclass
class Input:
    """One input file: as the user named it, and where it is."""

    shown: str
    path: str  # absolute


@dataclass
class Summary:
    files: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FILE_OUTCOMES, 0))
    questionnaires: int = 0
    reviewed: int = 0  # review decisions by a person in the dataset
    read_now: int = 0
    from_journal: int = 0
    seconds: float = 0.0
    written: list[Path] = field(default_factory=list)

    def line(self) -> str:
        parts = [f"{n:,} {name.replace('_', ' ')}" for name, n in self.outcomes.items() if n]
        reviewed = f"; {self.reviewed:,} item(s) decided in review" if self.reviewed else ""
        return (
            f"{self.files:,} file(s): {', '.join(parts) or 'none'}; "
            f"{self.questionnaires:,} questionnaire(s) in the dataset{reviewed}"
        )


# -- inputs ---------------------------------------------------------------------------


def expand_inputs(inputs: list[str]) -> tuple[list[Input], list]:
    """Files, folders (recursively) and globs → input files in sorted order, and misses.

    Hidden files and folders (.DS_Store, .git) are passed over; every other file
    found is an input, whatever its name, so that none is silently left out.
    """
    found: dict[str, Input] = {}
    missing: list[Input] = []

    def add(path: Path, shown: str) -> None:
        full = os.path.abspath(path)
        if full not in found:
            found[full] = Input(shown, full)

    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if not name.startswith("."):
                        add(Path(root) / name, str(Path(root) / name))
        elif path.exists():
            add(path, item)
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            files = [m for m in matches if Path(m).is_file()]
            for m in matches:
                if Path(m).is_dir():
                    files += [i.shown for i in expand_inputs([m])[0]]
            if not files:
                missing.append(Input(item, os.path.abspath(item)))
            for m in files:
                add(Path(m), m)
        else:
            missing.append(Input(item, os.path.abspath(item)))
    return sorted(found.values(), key=lambda i: i.path), missing


# -- the journal ----------------------------------------------------------------------


def _stamp(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


class Journal:
    """Append-only record of each file's result; a torn last line (a kill) is dropped."""

    def __init__(self, path: Path, header: dict | None, fresh: bool, readonly: bool = False):
        self.path = path
        self.header = header  # None: take the journal's own (reading only)
        self.index: dict[str, tuple[int, list]] = {}  # file → (offset, stamp) of its last result
        self.definitions: dict[tuple[str, str], str] = {}
        self.run: dict | None = None  # the inputs of the last run that finished reading
        self.notice = ""
        self._fh = None
        self.readonly = readonly
        if readonly:
            self._fh = None
            if not path.exists():
                raise ExtractError(f"{path}: no journal; run `pdfforms extract` again")
            self._load()
            if self.notice:
                raise ExtractError(self.notice)
            return
        if path.exists() and not fresh:
            self._load()
        else:
            self._start()
        self._fh = open(path, "ab")  # noqa: SIM115 - kept open for the run
        self._last_sync = time.monotonic()

    @classmethod
    def reading(cls, path: Path) -> Journal:
        """An existing journal, to write a dataset from without reading any file."""
        return cls(path, None, False, readonly=True)

    def _start(self) -> None:
        if self.readonly:
            return  # the caller reports the notice; a journal read only is never replaced
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_line({"t": "header", **self.header}))
        os.replace(tmp, self.path)

    def _load(self) -> None:
        good_end = 0
        with open(self.path, "rb") as fh:
            first = fh.readline()
            try:
                header = json.loads(first)
            except ValueError:
                header = None
            if not first.endswith(b"\n") or not header or header.get("t") != "header":
                self.notice = f"{self.path}: not a journal of this tool; starting over"
                self._start()
                return
            header.pop("t")
            if self.header is None:
                self.header = header
            if header != self.header:
                changed = sorted(k for k in self.header if header.get(k) != self.header[k])
                self.notice = (
                    f"{self.path}: the saved progress was made with other settings "
                    f"({', '.join(changed)}); reading every file again"
                )
                self._start()
                return
            good_end = fh.tell()
            while True:
                offset = fh.tell()
                line = fh.readline()
                if not line.endswith(b"\n"):
                    break  # end of file, or a line torn by a kill: read that file again
                try:
                    entry = json.loads(line)
                except ValueError:
                    break
                good_end = fh.tell()
                if entry.get("t") == "file":
                    self.index[entry["path"]] = (offset, entry.get("stamp"))
                elif entry.get("t") == "def":
                    self.definitions.setdefault((entry["id"], entry["version"]), entry["text"])
                elif entry.get("t") == "run":
                    self.run = entry
        if good_end < self.path.stat().st_size and not self.readonly:
            with open(self.path, "r+b") as fh:
                fh.truncate(good_end)

    def has(self, item: Input) -> bool:
        known = self.index.get(item.path)
        return known is not None and known[1] == _stamp(item.path)

    def add_definition(self, form_id: str, version: str, text: str) -> None:
        if (form_id, version) not in self.definitions:
            self.definitions[(form_id, version)] = text
            self._write({"t": "def", "id": form_id, "version": version, "text": text})

    def add_file(self, entry: dict) -> None:
        offset = self._fh.tell()
        self._write({"t": "file", **entry})
        self.index[entry["path"]] = (offset, entry.get("stamp"))

    def add_run(self, items: list[Input], missing: list[Input], delimiter: str) -> None:
        """Which inputs the dataset is made of, so it can be written again from here alone."""
        self._write(
            {
                "t": "run",
                "inputs": [[i.shown, i.path] for i in items],
                "missing": [[i.shown, i.path] for i in missing],
                "delimiter": delimiter,
            }
        )
        self.run = {"inputs": [[i.shown, i.path] for i in items]}

    def _write(self, entry: dict) -> None:
        self._fh.write(_line(entry))
        self._fh.flush()
        now = time.monotonic()
        if now - self._last_sync > JOURNAL_SYNC_SECONDS:
            os.fsync(self._fh.fileno())
            self._last_sync = now

    def close(self) -> None:
        if self._fh is not None and not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()

    def entries(self, items: list[Input]) -> Iterator[tuple[Input, dict | None]]:
        """Each input's journal entry, in the order of `items` (random access by offset)."""
        with open(self.path, "rb") as fh:
            for item in items:
                known = self.index.get(item.path)
                if known is None:
                    yield item, None
                    continue
                fh.seek(known[0])
                yield item, json.loads(fh.readline())


def _line(entry: dict) -> bytes:
    return (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


# -- progress -------------------------------------------------------------------------


class Progress:
    """`1,234/10,000 files · 312 files/s · ETA 0:28` on a terminal; nothing otherwise."""

    def __init__(self, total: int, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self._shown = 0.0

    def step(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._shown > 0.2 or self.done == self.total):
            self._shown = now
            rate = self.done / max(now - self.started, 1e-9)
            left = (self.total - self.done) / rate if rate else 0
            eta = f"{int(left // 3600)}:{int(left % 3600 // 60):02d}:{int(left % 60):02d}"
            self.stream.write(
                f"\r{self.done:,}/{self.total:,} files · {rate:,.1f} files/s · ETA {eta}   "
            )
            self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self.done:
            self.stream.write("\n")
            self.stream.flush()


# -- the run --------------------------------------------------------------------------


def extract(
    inputs: list[str],
    output: str | Path,
    *,
    definitions: list[Path] | None = None,
    privacy: Privacy | None = None,
    workers: int | None = None,
    limits: Limits | None = None,
    cluster: str | None = None,
    fresh: bool = False,
    delimiter: str = ",",
    progress: bool | None = None,
    warn: Callable[[str], None] | None = None,
) -> Summary:
    """Read every input file into one dataset at `output` (.csv, .xlsx, .jsonl, .parquet).

    Raises ExtractError (or OutputError) only when the run cannot happen at all;
    a file that cannot be read is a row of the ledger, never an exception.
    """
    output = Path(output)
    format_of(output)  # an unknown format is refused before any work
    privacy = privacy or Privacy()
    limits = limits or Limits()
    warn = warn or (lambda message: print(message, file=sys.stderr))
    if not output.parent.exists():
        raise ExtractError(f"{output.parent}: no such folder for the dataset")
    files = DatasetFiles(output, delimiter)
    journal_path = files.sidecar("journal.jsonl")
    review_dir = output.parent / "review"
    items, missing = expand_inputs(inputs)
    items = [i for i in items if not _is_ours(i.path, files, review_dir)]
    if not items and not missing:
        raise ExtractError(f"found no files to read in {', '.join(inputs) or 'no inputs'}")
    header = {
        "pdfforms": __version__,
        "definitions": [os.path.abspath(d) for d in definitions] if definitions else None,
        "personnummer": privacy.mode,
        "key": privacy.key_id,
    }
    journal = Journal(journal_path, header, fresh)
    if journal.notice:
        warn(journal.notice)
    summary = Summary()
    try:
        todo = [i for i in items if not journal.has(i)]
        summary.from_journal = len(items) - len(todo)
        summary.read_now = len(todo)
        started = time.monotonic()
        _read_all(
            todo,
            journal,
            privacy,
            {
                "definitions": header["definitions"],
                "review_dir": os.path.abspath(review_dir),
            },
            workers or os.cpu_count() or 1,
            limits,
            cluster,
            Progress(len(todo), enabled=progress),
        )
        summary.seconds = time.monotonic() - started
        journal.add_run(items, missing, delimiter)
    finally:
        journal.close()
    _write_dataset(files, journal, items, missing, privacy, summary)
    return summary


def rebuild(output: str | Path, privacy: Privacy) -> Summary:
    """Write the dataset again from its journal and the review decisions; no file is read.

    This is what `pdfforms review` does as decisions come in. The inputs are those
    of the last `extract` run that finished reading.
    """
    output = Path(output)
    journal = Journal.reading(DatasetFiles(output).sidecar("journal.jsonl"))
    run = journal.run
    if run is None:
        raise ExtractError(
            f"{journal.path}: does not say which files the dataset was made from "
            "(made by an older pdfforms); run `pdfforms extract` again"
        )
    files = DatasetFiles(output, run.get("delimiter") or ",")
    items = [Input(shown, path) for shown, path in run["inputs"]]
    missing = [Input(shown, path) for shown, path in run.get("missing") or []]
    summary = Summary()
    _write_dataset(files, journal, items, missing, privacy, summary)
    return summary


def _is_ours(path: str, files: DatasetFiles, review_dir: Path) -> bool:
    """Files this tool wrote beside the dataset are not inputs when a folder holds both."""
    p = Path(path)
    if p.parent == files.path.parent.absolute() and p.name.startswith(files.stem + "."):
        return True
    return Path(os.path.abspath(review_dir)) in p.parents


def _read_all(todo, journal, privacy, options, workers, limits, cluster, progress) -> None:
    forms: dict[tuple[str, str], Form] = {}
    tasks = [(n, item.path) for n, item in enumerate(todo)]
    if cluster:
        results = _cluster_results(cluster, tasks, options, limits)
    else:
        results = Pool(workers, options, limits).run(tasks)
    try:
        for task_id, record in results:
            item = todo[task_id]
            journal.add_file(_journal_entry(item, record, journal, privacy, forms))
            progress.step()
    except PoolError as exc:
        raise ExtractError(str(exc)) from None
    finally:
        progress.finish()
        close = getattr(results, "close", None)
        if close:
            close()


def _journal_entry(item: Input, record: dict, journal: Journal, privacy, forms) -> dict:
    """A worker's record as the journal keeps it: personnummer already dealt with."""
    for key, text in (record.pop("definitions", None) or {}).items():
        form_id, version = key.split("\0")
        journal.add_definition(form_id, version, text)
    responses = []
    for obj in record.get("responses") or []:
        form = _form(journal, forms, obj["form"]["id"], obj["form"]["version"])
        if form is None:  # cannot happen: the worker sends every definition it used
            record = failed("was read with a definition that was lost", **_meta(record))
            responses = []
            break
        responses.append(privacy.apply(obj, form))
    record["responses"] = responses
    record.pop("restart", None)
    return {"path": item.path, "stamp": _stamp(item.path), **record}


def _meta(record: dict) -> dict:
    return {k: record.get(k) for k in ("sha256", "bytes", "kind", "pages", "seconds")}


def _form(journal: Journal, forms: dict, form_id: str, version: str) -> Form | None:
    key = (form_id, version)
    if key not in forms:
        text = journal.definitions.get(key)
        forms[key] = parse_definition(text, f"<{form_id} {version}>")[0] if text else None
    return forms[key]


def _cluster_results(address: str, tasks: list, options: dict, limits: Limits):
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ExtractError("--cluster needs Dask: pip install 'pdfforms[cluster]'") from None
    from .workers import run_chunk

    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise ExtractError(f"cannot reach the Dask cluster at {address} ({exc})") from None
    try:
        chunks = [tasks[i : i + CLUSTER_CHUNK] for i in range(0, len(tasks), CLUSTER_CHUNK)]
        futures = [client.submit(run_chunk, c, options, limits, pure=False) for c in chunks]
        sent = dict(zip(futures, chunks, strict=True))
        for future in as_completed(futures):
            chunk = sent.pop(future)
            try:
                done = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost Dask worker fails its files only
                reason = f"was lost with its Dask worker ({type(exc).__name__}: {exc})"
                done = [(task_id, failed(reason[:300])) for task_id, _path in chunk]
            future.release()
            yield from done
    finally:
        client.close()


# -- writing the dataset --------------------------------------------------------------


def _write_dataset(files, journal, items, missing, privacy, summary) -> None:
    forms: dict[tuple[str, str], Form] = {}
    decisions = read_decisions(files.sidecar("decisions.jsonl"))
    plan = _plan_duplicates(journal, items)
    versions: dict[str, set[str]] = {}
    for (form_id, version), _ in plan["kept_forms"].items():
        versions.setdefault(form_id, set()).add(version)
    tables: dict[str, FormTable] = {}
    for form_id in sorted(versions):
        found = [_form(journal, forms, form_id, v) for v in sorted(versions[form_id])]
        tables[form_id] = FormTable([f for f in found if f is not None], privacy)
    languages: list[str] = []
    for table in tables.values():
        languages += [lang for lang in table.languages if lang not in languages]
    languages = languages or ["sv", "en"]
    try:
        sinks = {}
        jsonl = None
        if files.format == "jsonl":
            jsonl = files.text_file(files.path)
        else:
            for form_id, table in tables.items():
                name = form_id if len(tables) > 1 or files.format == "xlsx" else None
                sinks[form_id] = files.table(
                    name or form_id,
                    [c.name for c in table.written],
                    table.types(),
                    main=name is None,
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
        ledger = files.csv_sidecar("ledger", list(LEDGER_COLUMNS))
        ledger_sheet = None
        if files.format == "xlsx":
            ledger_sheet = files.table(
                "ledger", list(LEDGER_COLUMNS), ["text"] * len(LEDGER_COLUMNS)
            )
        base = files.path.parent.absolute()
        for item, entry in journal.entries(items):
            for number, obj in enumerate((entry or {}).get("responses") or [], start=1):
                form = _form(journal, forms, obj["form"]["id"], obj["form"]["version"])
                if form is not None:  # a person's decisions, before anything is counted
                    apply_decisions(obj, number, form, decisions, privacy)
            row, kept = _ledger_row(item, entry, plan)
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
                sinks[obj["form"]["id"]].write(tables[obj["form"]["id"]].row(obj, number))
                for p in problem_rows(obj, number):
                    problems.write(p)
                for r in review_rows(obj, number):
                    review.write(r)
                for r in reviewed_rows(obj, number):
                    reviewed.write(r)
        for item in missing:
            row = _missing_row(item)
            ledger.write(row)
            if ledger_sheet:
                ledger_sheet.write(row)
            summary.files += 1
            summary.outcomes["failed"] += 1
        book_cols = codebook_columns(languages)
        codebook = files.csv_sidecar("codebook", book_cols)
        book_sheet = None
        if files.format == "xlsx":
            book_sheet = files.table("codebook", book_cols, ["text"] * len(book_cols))
        for form_id, table in tables.items():
            name = files.path.name if len(tables) == 1 else f"{files.stem}.{form_id}"
            for row in codebook_rows(name, table, languages):
                codebook.write(row)
                if book_sheet:
                    book_sheet.write(row)
        manifest = files.text_file(files.sidecar("manifest.json"))
        manifest.write(
            json.dumps(_manifest(files, tables, privacy, summary), ensure_ascii=False, indent=2)
            + "\n"
        )
        summary.written = files.commit()
    except BaseException:
        files.abort()
        raise


def _manifest(files: DatasetFiles, tables, privacy: Privacy, summary: Summary) -> dict:
    def name(suffix: str) -> str:
        return files.sidecar(suffix).name

    fmt = files.format
    if fmt == "jsonl":
        table_files = dict.fromkeys(tables, files.path.name)
    elif fmt == "xlsx":
        table_files = {t: f"{files.path.name}#{t}" for t in tables}
    elif len(tables) == 1:
        table_files = dict.fromkeys(tables, files.path.name)
    else:
        table_files = {t: name(f"{t}.{fmt}") for t in tables}
    return {
        "pdfforms": __version__,
        "format": fmt,
        "tables": table_files,
        "problems": None if fmt == "jsonl" else _in(files, "problems"),
        "review": None if fmt == "jsonl" else _in(files, "review"),
        "reviewed": None if fmt == "jsonl" else _in(files, "reviewed"),
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
        "files": summary.files,
        "outcomes": summary.outcomes,
        "questionnaires": summary.questionnaires,
    }


def _in(files: DatasetFiles, table: str) -> str:
    if files.format == "xlsx":
        return f"{files.path.name}#{table}"
    return files.sidecar(f"{table}.{files.format}").name


def _plan_duplicates(journal: Journal, items: list[Input]) -> dict:
    """Which files and questionnaires are duplicates, decided in input order."""
    first_by_sha: dict[str, str] = {}
    first_by_serial: dict[tuple[str, str], str] = {}
    duplicate_file: dict[str, str] = {}  # path → the file it repeats
    duplicate_serials: dict[tuple[str, int], str] = {}  # (path, questionnaire) → first file
    kept_forms: dict[tuple[str, str], int] = {}
    for item, entry in _light_entries(journal, items):
        if entry is None:
            continue
        sha = entry.get("sha256")
        if sha and sha in first_by_sha:
            duplicate_file[item.path] = first_by_sha[sha]
            continue
        if sha:
            first_by_sha[sha] = item.shown
        for number, (form_id, version, serial) in enumerate(entry["keys"], start=1):
            if serial:
                first = first_by_serial.get((form_id, serial))
                if first is not None:
                    duplicate_serials[(item.path, number)] = first
                    continue
                first_by_serial[(form_id, serial)] = item.shown
            kept_forms[(form_id, version)] = kept_forms.get((form_id, version), 0) + 1
    return {
        "duplicate_file": duplicate_file,
        "duplicate_serials": duplicate_serials,
        "kept_forms": kept_forms,
    }


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


def _ledger_row(item: Input, entry: dict | None, plan: dict) -> tuple[list, list]:
    if entry is None:  # cannot happen: every input was read or found in the journal
        entry = failed("was not read (the run was interrupted?)")
    responses = entry.get("responses") or []
    duplicate_of = plan["duplicate_file"].get(item.path)
    kept: list[tuple[int, dict]] = []
    notes = []
    if duplicate_of is None:
        for number, obj in enumerate(responses, start=1):
            first = plan["duplicate_serials"].get((item.path, number))
            if first is None:
                kept.append((number, obj))
            else:
                notes.append(
                    f"questionnaire {number} (serial {obj.get('serial')}) was already read "
                    f"from {first}"
                )
    if entry.get("outcome") == "failed":
        outcome, reason = "failed", entry.get("reason", "")
    elif duplicate_of is not None:
        outcome, reason = "duplicate", f"the same bytes as {duplicate_of}"
    elif not kept:
        outcome, reason = "duplicate", "; ".join(notes)
        duplicate_of = plan["duplicate_serials"].get((item.path, 1))
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


def _missing_row(item: Input) -> list:
    row = [item.shown, "failed", "no such file or folder, and no file matches it", 0]
    return row + [None] * (len(LEDGER_COLUMNS) - len(row))


def read_key(path: Path) -> bytes:
    """The pseudonymisation key in a file; a line of text or raw bytes, at least 16 bytes."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{path}: cannot read the key ({exc.strerror or exc})") from None
    try:
        data.decode("ascii")
        data = data.strip()  # a key written as a line of text: its newline is not the key
    except UnicodeDecodeError:
        pass
    if len(data) < 16:
        raise ExtractError(
            f"{path}: the key has {len(data)} bytes, at least 16 are needed; make one with "
            "`pdfforms keygen KEYFILE`"
        )
    return data
