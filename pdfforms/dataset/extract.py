"""Many returned files → one dataset, with every input file accounted for.

The run has two halves:

1. Reading. Every input file is read in a worker process under a time and a
   memory limit (workers.py), locally or on a Dask cluster. Each file's result
   is appended to a journal beside the dataset (`stem.journal.jsonl`) as soon as
   it arrives, personnummer already pseudonymised or removed. The journal is what
   makes a run resumable (journal.py).
2. Writing. The dataset is written from the journal (build.py), in the order of
   the inputs, with duplicates decided there.

Memory stays flat: responses stream from the journal to the tables. What is held
per file is its path and its place in the journal, under 1 kB (measured: the batch
process grows 7 MB from 1,000 to 10,000 files; `make bench`).
"""

from __future__ import annotations

import glob
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .. import __version__
from ..model import messages
from ..model.messages import text as msg
from ..model.privacy import DROP, KEEP, PSEUDONYMISE, Privacy
from .build import RunSummary, write_dataset
from .journal import ExtractError, Input, Journal, file_stamp
from .tables import DatasetFiles, format_of
from .units import read_unit_ledgers
from .workers import Limits, Pool, PoolError, failed

CLUSTER_CHUNK = 64  # files per Dask task: amortises a worker process per task


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
    decimal: str = ".",
    progress: bool | None = None,
    warn: Callable[[str], None] | None = None,
    ledgers: list[Path] | None = None,
) -> RunSummary:
    """Read every input file into one dataset at `output` (.csv .xlsx .jsonl .parquet .sav .dta).

    `ledgers`: print runs' ledgers (`<output>.ledger.csv`); a copy that names no unit
    (a scan) gets its serial's unit from them, with a warning saying so (units.py).

    Raises ExtractError (or OutputError) only when the run cannot happen at all;
    a file that cannot be read is a row of the ledger, never an exception.
    """
    output = Path(output)
    format_of(output)  # an unknown format is refused before any work
    privacy = privacy or Privacy()
    limits = limits or Limits()
    warn = warn or (lambda message: print(message, file=sys.stderr))
    files = DatasetFiles(output, delimiter, decimal)
    units = read_unit_ledgers(list(ledgers or []))  # a bad ledger stops the run before work
    journal_path = files.sidecar("journal.jsonl")
    review_dir = output.parent / "review"
    items, missing = expand_inputs(inputs)
    items = [i for i in items if not _is_ours(i.path, files, review_dir)]
    if not items and not missing:
        where = ", ".join(inputs) or msg("extract.no_inputs")
        raise ExtractError(msg("extract.no_files", where=where))
    header = {
        "pdfforms": __version__,
        "definitions": [os.path.abspath(d) for d in definitions] if definitions else None,
        "personnummer": privacy.mode,
        "key": privacy.key_id,
    }
    # The dataset's folder is made as generate makes its output's: a new folder
    # is no fault, and it is made only once there is something to read into it.
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExtractError(
            msg("extract.cannot_make_folder", path=output.parent, reason=exc.strerror or exc)
        ) from None
    journal = Journal(journal_path, header, fresh)
    if journal.notice:
        warn(journal.notice)
    summary = RunSummary()
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
                # the readers' messages (a problem's words) in this run's language, in
                # its reader processes and on a cluster's machines alike
                "lang": messages.language(),
            },
            workers or os.cpu_count() or 1,
            limits,
            cluster,
            Progress(len(todo), enabled=progress),
        )
        summary.seconds = time.monotonic() - started
        journal.add_run(items, missing, delimiter, decimal, units)
    finally:
        journal.close()
    write_dataset(files, journal, items, missing, privacy, summary)
    return summary


def _is_ours(path: str, files: DatasetFiles, review_dir: Path) -> bool:
    """Files this tool wrote beside the dataset are not inputs when a folder holds both."""
    p = Path(path)
    if p.parent == files.path.parent.absolute() and p.name.startswith(files.stem + "."):
        return True
    return Path(os.path.abspath(review_dir)) in p.parents


def _read_all(todo, journal, privacy, options, workers, limits, cluster, progress) -> None:
    tasks = [(n, item.path) for n, item in enumerate(todo)]
    if cluster:
        results = _cluster_results(cluster, tasks, options, limits)
    else:
        results = Pool(workers, options, limits).run(tasks)
    try:
        for task_id, record in results:
            item = todo[task_id]
            journal.add_file(_journal_entry(item, record, journal, privacy))
            progress.step()
    except PoolError as exc:
        raise ExtractError(str(exc)) from None
    finally:
        progress.finish()
        close = getattr(results, "close", None)
        if close:
            close()


def _journal_entry(item: Input, record: dict, journal: Journal, privacy) -> dict:
    """A worker's record as the journal keeps it: personnummer already dealt with."""
    for key, text in (record.pop("definitions", None) or {}).items():
        form_id, version = key.split("\0")
        journal.add_definition(form_id, version, text)
    responses = []
    for obj in record.get("responses") or []:
        form = journal.form(obj["form"]["id"], obj["form"]["version"])
        if form is None:  # cannot happen: the worker sends every definition it used
            record = failed(msg("extract.definition_lost"), **_meta(record))
            responses = []
            break
        responses.append(privacy.apply(obj, form))
    record["responses"] = responses
    record.pop("restart", None)
    return {"path": item.path, "stamp": file_stamp(item.path), **record}


def _meta(record: dict) -> dict:
    return {k: record.get(k) for k in ("sha256", "bytes", "kind", "pages", "seconds")}


def _cluster_results(address: str, tasks: list, options: dict, limits: Limits):
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ExtractError(msg("extract.needs_dask")) from None
    from .workers import run_chunk

    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise ExtractError(msg("extract.no_cluster", address=address, reason=exc)) from None
    try:
        chunks = [tasks[i : i + CLUSTER_CHUNK] for i in range(0, len(tasks), CLUSTER_CHUNK)]
        futures = [client.submit(run_chunk, c, options, limits, pure=False) for c in chunks]
        sent = dict(zip(futures, chunks, strict=True))
        for future in as_completed(futures):
            chunk = sent.pop(future)
            try:
                done = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost Dask worker fails its files only
                reason = msg("extract.lost_worker", reason=f"{type(exc).__name__}: {exc}")
                done = [(task_id, failed(reason[:300])) for task_id, _path in chunk]
            future.release()
            yield from done
    finally:
        client.close()


# -- the key -------------------------------------------------------------------------


def read_key(path: Path) -> bytes:
    """The pseudonymisation key in a file; a line of text or raw bytes, at least 16 bytes."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(
            msg("extract.cannot_read_key", path=path, reason=exc.strerror or exc)
        ) from None
    try:
        data.decode("ascii")
        data = data.strip()  # a key written as a line of text: its newline is not the key
    except UnicodeDecodeError:
        pass
    if len(data) < 16:
        raise ExtractError(msg("extract.short_key", path=path, n=len(data)))
    return data


def privacy_for(key_file: Path | None = None, keep_personnummer: bool = False) -> Privacy:
    """The personnummer policy asked for: pseudonymised under the key in `key_file`,
    kept as written, or (neither asked) left out. Both at once is refused."""
    if key_file and keep_personnummer:
        raise ExtractError(msg("extract.key_and_keep"))
    if key_file:
        return Privacy(PSEUDONYMISE, read_key(Path(key_file)))
    return Privacy(KEEP if keep_personnummer else DROP)


def write_key(path: Path) -> None:
    """Write a new random 256-bit key to `path`, readable by its owner only.

    An existing file is never replaced: a new key would break the links to the
    pseudonyms made with the old one.
    """
    if path.exists():
        raise ExtractError(msg("extract.key_exists", path=path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # as every command makes its output's
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    except OSError as exc:
        raise ExtractError(msg("cli.cannot_write", path=path, reason=exc.strerror or exc)) from None
