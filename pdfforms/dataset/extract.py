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
import shutil
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
from .workers import Limits, Pool, PoolError, failed, file_sha256, split_staging

CLUSTER_CHUNK = 64  # files per Dask task: amortises a worker process per task
# A scan file of more pages than this is read in tasks of this many pages, on every
# core (or machine) at once, then assembled: a scanner's 1,000-page file does not
# wait for one core while the others idle. Measured on a 201-page file
# (benchmarks/split_bench.py, results.md): 32 and 64 cost the same CPU a page as the
# file read whole; 32 shares the file more evenly among the workers (1.5x against
# 1.4x with 2), and is about 5 s of one core, far inside the time limit.
PAGES_PER_TASK = 32
# A file smaller than this is not looked at to see whether it is a scan of many pages
# (looking opens it once more). A scanned page is 30-60 kB in black and white (CCITT
# G4) and 100-350 kB in grey, so a scan of more pages than a task reads is above it;
# a returned fillable form is about 100 kB.
SPLIT_MIN_BYTES = 1 << 20


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
    options = {**options, "pages_per_task": PAGES_PER_TASK, "split_min_bytes": SPLIT_MIN_BYTES}
    tasks = [(n, item.path) for n, item in enumerate(todo)]
    runner = _Cluster(cluster, options, limits) if cluster else Pool(workers, options, limits)
    results = runner.run(tasks)
    split = _SplitFiles(runner, todo, options)
    try:
        for task_id, record in results:
            done = split.take(task_id, record)
            if done is None:
                continue
            n, record = done
            journal.add_file(_journal_entry(todo[n], record, journal, privacy))
            progress.step()
    except PoolError as exc:
        raise ExtractError(str(exc)) from None
    finally:
        progress.finish()
        close = getattr(results, "close", None)
        if close:
            close()


class _SplitFiles:
    """The scan files read in page ranges: each range handed out as a task of its own,
    the file assembled (a task too) when all its ranges are back. A file comes out
    once, read or failed, as a file read whole does; a range that fails (a bad page,
    a limit, a lost worker) fails its file, with the pages it was reading."""

    def __init__(self, runner, todo: list[Input], options: dict):
        self.runner = runner
        self.todo = todo
        self.options = options
        self.size = options["pages_per_task"]
        self.files: dict[int, dict] = {}

    def take(self, task_id, record: dict) -> tuple[int, dict] | None:
        """A task's result → (file number, the file's record) when the file is done."""
        if not isinstance(task_id, tuple):  # a file's own task
            if record.get("outcome") != "split":
                return task_id, record
            return self._split(task_id, record)
        n, job = task_id[0], task_id[1]
        state = self.files[n]
        state["seconds"] += record.get("seconds") or 0.0
        if job == "assemble":
            del self.files[n]
            return n, {**record, "seconds": round(state["seconds"], 4)}
        state["left"] -= 1
        if record.get("outcome") == "pages":
            state["results"] += record["results"]
        elif state["failed"] is None or task_id[2] < state["failed"][0]:
            state["failed"] = (task_id[2], task_id[3], record.get("reason") or "")
        if state["left"]:
            return None
        path = self.todo[n].path
        if state["failed"] is not None:
            del self.files[n]
            shutil.rmtree(split_staging(path, self.options), ignore_errors=True)
            first, last, reason = state["failed"]
            reason = msg("extract.pages_failed", first=first, last=last, reason=reason)
            seconds = round(state["seconds"], 4)
            meta = {**state["meta"], "sha256": file_sha256(path), "seconds": seconds}
            return n, failed(reason, **meta)
        results, state["results"] = state["results"], []
        self.runner.add([((n, "assemble"), path, ("assemble", results))], first=True)
        return None

    def _split(self, n: int, record: dict) -> None:
        path, pages = self.todo[n].path, record["pages"]
        ranges = [(a, min(a + self.size, pages + 1)) for a in range(1, pages + 1, self.size)]
        self.files[n] = {
            "left": len(ranges),
            "results": [],
            "failed": None,
            "seconds": record.get("seconds") or 0.0,
            "meta": {"bytes": record.get("bytes"), "kind": "scan", "pages": pages},
        }
        # before the files not begun: a split file's results wait in memory until
        # its last range is back
        self.runner.add([((n, "pages", a, b - 1), path, ("pages", a, b)) for a, b in ranges], True)
        return None


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


class _Cluster:
    """A Dask cluster reading the files: chunks of CLUSTER_CHUNK files a task, and a
    split file's page ranges a task each, every task under the same guarded reading."""

    def __init__(self, address: str, options: dict, limits: Limits):
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise ExtractError(msg("extract.needs_dask")) from None
        try:
            self.client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise ExtractError(msg("extract.no_cluster", address=address, reason=exc)) from None
        # a file missing on a worker machine is said to be so (workers.py)
        self.options = {**options, "cluster": True}
        self.limits = limits
        self.sent: dict = {}
        self.futures = as_completed()

    def _submit(self, chunk: list, priority: int = 0) -> None:
        from .workers import run_chunk

        future = self.client.submit(
            run_chunk, chunk, self.options, self.limits, pure=False, priority=priority
        )
        self.sent[future] = chunk
        self.futures.add(future)

    def add(self, tasks, first: bool = False) -> None:
        for task in tasks:  # a page range is a task of its own, on any worker
            self._submit([task], priority=1 if first else 0)

    def run(self, tasks: list):
        try:
            for i in range(0, len(tasks), CLUSTER_CHUNK):
                self._submit(tasks[i : i + CLUSTER_CHUNK])
            for future in self.futures:
                chunk = self.sent.pop(future)
                try:
                    done = future.result()
                except Exception as exc:  # noqa: BLE001 - a lost Dask worker fails its files only
                    reason = msg("extract.lost_worker", reason=f"{type(exc).__name__}: {exc}")
                    done = [(task[0], failed(reason[:300])) for task in chunk]
                future.release()
                yield from done
        finally:
            self.client.close()


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
