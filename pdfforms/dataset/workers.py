"""Read returned files in worker processes, each file under a time and a memory limit.

A corrupt, huge or hostile file must never stop a batch or take its memory with it.
So every file is read in a separate process (`python -m pdfforms.dataset.workers`) that the
batch watches: a worker that takes longer than the time limit, or grows past the
memory limit, is killed and replaced, and its file is recorded as failed with the
reason; a worker that crashes is replaced the same way. The workers are plain
subprocesses talking pickle over their stdin/stdout, so the same pool runs inside
a Dask worker (whose processes may not fork children of their own) as on a laptop.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import queue
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import messages
from ..model.errors import PdfformsError
from ..model.messages import count
from ..model.messages import text as msg

# A worker is replaced after this many files, so a slow leak in a library cannot
# grow into a memory problem over a run of hundreds of thousands of files.
RECYCLE_AFTER = 20_000
# How often the batch looks at each busy worker's clock and memory. The memory
# limit can be overshot by what a worker allocates in this time; the address-space
# limit set inside the worker (below) is the hard stop behind it.
WATCH_INTERVAL = 0.05
# A worker that dies before finishing its first file this many times in a row
# means workers cannot start at all (a broken installation): stop with its error.
MAX_START_FAILURES = 3
# Files handed to a worker ahead of the one it is reading, so it never waits for the
# batch to write a result before it gets the next. The time limit counts from when
# a worker starts on a file, not from when it was handed over.
PREFETCH = 2
# glibc's allocator, in a reader process: a scanned page's arrays (its pixels, its
# darkness, a few MB each) come from memory kept from the page before, not from new
# pages of the system's that are mapped, zeroed and faulted in one by one and given
# back when the page is done (1,100 page faults and 3-5 ms of system time a page,
# measured on the scan benchmark's pages; 57 faults and about 1 ms with these). At
# most 32 MB of freed memory is kept. Other C libraries ignore the variables; one the
# user set is kept.
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": str(16 * 2**20), "MALLOC_TRIM_THRESHOLD_": str(32 * 2**20)}


@dataclass(frozen=True)
class Limits:
    """What one file may cost. Exceeding a limit fails that file, never the run."""

    seconds: float = 300.0  # a 200-page scan file takes about a minute on one core
    memory_mb: int = 2048  # a scan is read a page at a time: ~350 MB, whatever its pages
    file_mb: int = 1024  # bigger is not a returned questionnaire

    def describe_time(self) -> str:
        return msg("workers.time_limit", seconds=f"{self.seconds:g}")

    def describe_memory(self) -> str:
        return msg("workers.memory_limit", mb=self.memory_mb)


class PoolError(PdfformsError):
    """The workers cannot run at all (not: one file failed)."""


def failed(reason: str, **extra) -> dict:
    return {"outcome": "failed", "reason": reason, "responses": [], **extra}


def file_sha256(path: str) -> str | None:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # opening a pipe could block for ever
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


# -- inside a worker ------------------------------------------------------------------


def process_file(path: str, options: dict, job: tuple | None = None) -> dict:
    """Read one file: a record of its outcome, its parsed forms and the definitions used.

    Never raises for a bad file: every way a file can fail becomes a reason. Its
    words (reasons, problems) are in the run's language, `options["lang"]`.

    A scan file of more than `options["pages_per_task"]` pages is not read here: the
    record says `split` and its pages, and the batch hands out its page ranges
    (`job` ("pages", first, last): read_pages' results, outcome `pages`) and, when
    all are back, their assembly (`job` ("assemble", results): the file's record).
    """
    with messages.in_language(options.get("lang")):
        if job is None:
            return _process_file(path, options)
        return _process_part(path, options, job)


def _process_part(path: str, options: dict, job: tuple) -> dict:
    from ..parse.file import assemble_document
    from ..parse.scan import read_pages

    started = time.perf_counter()
    review_dir = Path(options["review_dir"]) / _review_folder(path)
    definitions = [Path(d) for d in options["definitions"]] if options["definitions"] else None
    try:
        _check_seen(path, options)
        if job[0] == "pages":
            results = read_pages(path, job[1], job[2], definitions, review_dir)
            seconds = round(time.perf_counter() - started, 4)
            return {"outcome": "pages", "results": results, "seconds": seconds}
        result = assemble_document(path, job[1], definitions, review_dir=review_dir)
    except Exception as exc:  # noqa: BLE001 - a reader bug must fail one file, not the run
        reason, restart = reason_for(exc)
        return failed(reason, sha256=file_sha256(path), **restart)
    record = {"sha256": None, "bytes": _size(path), "kind": None, "pages": None}
    return _read_record(path, result, record, started)


def _check_seen(path: str, options: dict) -> None:
    """check_regular_file, and on a cluster a file missing says where it is missing."""
    from ..read import ReadError
    from ..read.raw import check_regular_file

    if options.get("cluster") and not os.path.lexists(path):
        import socket

        raise ReadError(msg("workers.not_on_worker", host=socket.gethostname()))
    check_regular_file(path)


def split_staging(path: str, options: dict) -> Path:
    """Where a split scan file's page ranges keep their crops until it is assembled."""
    from ..parse.scan import STAGING

    return Path(options["review_dir"]) / _review_folder(path) / STAGING


def _process_file(path: str, options: dict) -> dict:
    from ..parse.file import parse_document, scan_page_count
    from ..read import ReadError

    started = time.perf_counter()
    record: dict = {"sha256": None, "bytes": None, "kind": None, "pages": None}
    try:
        _check_seen(path, options)  # the one check parse makes too: a pipe is never opened
        info = os.stat(path)
    except ReadError as exc:
        return failed(str(exc), **record)
    except OSError as exc:
        return failed(msg("read.cannot_read", reason=exc.strerror or exc), **record)
    size = record["bytes"] = info.st_size
    if size > options["file_mb"] * 2**20:
        record["sha256"] = file_sha256(path)
        return failed(
            msg("workers.file_limit", size=count(round(size / 2**20)), mb=options["file_mb"]),
            **record,
        )
    split = options.get("pages_per_task")
    if split and size >= options["split_min_bytes"]:
        pages = scan_page_count(path)
        if pages and pages > split:
            seconds = round(time.perf_counter() - started, 4)
            return {**record, "outcome": "split", "pages": pages, "seconds": seconds}
    definitions = [Path(d) for d in options["definitions"]] if options["definitions"] else None
    review_dir = Path(options["review_dir"]) / _review_folder(path)
    try:
        result = parse_document(path, definitions, review_dir=review_dir)
    except Exception as exc:  # noqa: BLE001 - a reader bug must fail one file, not the run
        reason, restart = reason_for(exc)
        return failed(reason, **{**record, "sha256": file_sha256(path)}, **restart)
    return _read_record(path, result, record, started)


def _read_record(path: str, result, record: dict, started: float) -> dict:
    """The record of a file read: its responses, the definitions they use, its pages."""
    responses = []
    definitions_used = {}
    for response in result.responses:
        responses.append(response.to_json())
        form = response.form
        if form is not None:
            definitions_used[f"{form.id}\0{form.version}"] = form.source_text
    first = result.responses[0].source if result.responses else {}
    record.update(
        sha256=first.get("sha256") or file_sha256(path),
        kind=first.get("kind"),
        # a scan file's own page count (a questionnaire's is in its source)
        pages=len(result.pages) or first.get("pages"),
        outcome="read",
        reason="",
        responses=responses,
        definitions=definitions_used,
        unread_pages=[
            {"page": p.page, "status": p.status, "note": p.note}
            for p in result.pages
            if p.status == "unidentified"
        ],
        seconds=round(time.perf_counter() - started, 4),
    )
    return record


def reason_for(exc: Exception) -> tuple[str, dict]:
    """Why a file could not be read, and whether its worker must start afresh.

    The one place a reader's exception becomes a file's reason: extract's ledger
    and `pdfforms parse` (its last-resort net) say the same.
    """
    from ..read import ReadError

    if isinstance(exc, ReadError):
        return str(exc), {}
    if isinstance(exc, MemoryError):
        return msg("workers.out_of_memory"), {"restart": True}
    if isinstance(exc, RecursionError):
        return msg("workers.too_deep"), {}
    return msg("workers.could_not_read", error=internal_error(exc)), {"restart": True}


def internal_error(exc: BaseException, file: bool = True) -> str:
    """An exception pdfforms did not expect, in one line: what it was, and to report it."""
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    what = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return msg("workers.internal_file" if file else "workers.internal", what=what)


def _review_folder(path: str) -> str:
    """One folder of review crops per input file: readable, and unique across folders."""
    stem = Path(path).stem[:60] or "file"
    return f"{stem}-{hashlib.sha1(path.encode('utf-8', 'surrogateescape')).hexdigest()[:8]}"


def _set_memory_backstop(memory_mb: int) -> None:
    """A hard address-space limit behind the watched one: a very fast allocation fails here."""
    try:
        import resource

        import psutil

        now = psutil.Process().memory_info().vms
        limit = now + 2 * memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform: the watch remains
        pass


def worker_main() -> None:
    """`python -m pdfforms.dataset.workers`: read tasks from stdin, answer on the real stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch decides when to stop
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, not into the answers
    import logging
    import warnings

    logging.disable(logging.WARNING)  # pdfminer warns about many harmless things
    warnings.simplefilter("ignore")
    inp = sys.stdin.buffer
    options = pickle.load(inp)
    from ..parse import file as _parse  # noqa: F401 - the readers of fields, before the first file

    _set_memory_backstop(options["memory_mb"])
    pickle.dump(("ready", os.getpid()), out)
    out.flush()
    sent: set[str] = set()
    while True:
        try:
            task = pickle.load(inp)
        except EOFError:
            return
        if task is None:
            return
        task_id, path, *job = task
        record = process_file(path, options, *job)
        for key in list(record.get("definitions") or ()):
            if key in sent:  # the batch has it: each definition crosses the pipe once
                del record["definitions"][key]
            sent.add(key)
        pickle.dump((task_id, record), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()
        if record.get("restart"):
            return


# -- the pool -------------------------------------------------------------------------


class _Worker:
    # The reader process; a test puts a stand-in here that behaves badly on purpose.
    command = (sys.executable, "-m", "pdfforms.dataset.workers")

    def __init__(self, options: dict, events: queue.Queue):
        self.stderr = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(
                list(self.command),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.stderr,
                env={**MALLOC_ENV, **os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True,  # Ctrl-C reaches the batch, which then stops its workers
            )
        except OSError as exc:
            self.stderr.close()
            raise PoolError(msg("workers.cannot_start", reason=exc.strerror or exc)) from None
        self.tasks: deque[tuple] = deque()  # handed over, not yet answered
        self.started = 0.0  # when it started on the first of them
        # when its last message came in (set by the reader thread, before the batch
        # handles it): the worker went on to its next file then (Pool._watch)
        self.heard_at = 0.0
        self.done = 0
        self.kill_reason: str | None = None
        self.ready = False
        self.retiring = False
        # Its input is gone: it has ended (or is ending) though its answers and its end
        # may not have arrived yet. Nothing more is sent to it; its end, when it
        # arrives, settles the files it holds.
        self.deaf = False
        self._ps = None
        self._write(options)
        threading.Thread(target=self._read, args=(events,), daemon=True).start()

    def _write(self, obj) -> bool:
        """Send to the worker; False (and deaf from now on) when it can no longer listen.

        A worker that asks to restart ends right after its answer, so the batch may
        have handed it the next file before reading that answer: the write then fails
        with a broken pipe. That, or any other I/O error here, is the worker ending,
        which its reader thread reports; it must never end the run.
        """
        if self.deaf:
            return False
        try:
            pickle.dump(obj, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.proc.stdin.flush()
        except (OSError, ValueError):  # ValueError: its input was closed already
            self.deaf = True
            return False
        return True

    def _read(self, events: queue.Queue) -> None:
        stream = self.proc.stdout
        while True:
            try:
                message = pickle.load(stream)
            except Exception:  # noqa: BLE001 - EOF or a torn message: the worker is gone
                events.put((self, None))
                return
            self.heard_at = time.monotonic()
            events.put((self, message))

    @property
    def task(self) -> tuple | None:
        """The file it is reading now."""
        return self.tasks[0] if self.tasks else None

    def send(self, task: tuple) -> bool:
        """Hand a file over; False if the worker did not get it (it stays the batch's)."""
        if not self._write(task):
            if not self.tasks:  # nothing of it to wait for: make sure it ends
                self.kill("stopped taking files")
            return False
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append(task)
        return True

    @property
    def begun(self) -> float:
        """When it began the file it is on: it went straight on to the next one when
        its answer came in, not when the batch got round to the answer."""
        return max(self.started, self.heard_at)

    def answered(self) -> None:
        self.tasks.popleft()
        self.started = self.begun

    def answer_waiting(self) -> bool:
        """An answer is in its pipe, not yet read by the batch."""
        import select

        try:
            return bool(select.select([self.proc.stdout], [], [], 0)[0])
        except (OSError, ValueError):  # its output is closed: nothing is waiting
            return False

    def rss(self) -> int:
        try:
            import psutil

            if self._ps is None:
                self._ps = psutil.Process(self.proc.pid)
            return self._ps.memory_info().rss
        except Exception:  # noqa: BLE001 - gone already: its end arrives as an event
            return 0

    def kill(self, reason: str) -> None:
        if self.kill_reason is None:
            self.kill_reason = reason
        try:
            self.proc.kill()
        except OSError:
            pass

    def stop(self) -> None:
        try:
            self.proc.stdin.close()
        except OSError:
            pass

    def death_reason(self) -> str:
        if self.kill_reason:
            return self.kill_reason
        code = self.proc.wait()
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            if -code == signal.SIGKILL:
                return msg("workers.killed")
            return msg("workers.crashed", signal=name)
        return msg("workers.stopped", code=code, tail=self.stderr_tail())

    def stderr_tail(self) -> str:
        try:
            self.stderr.seek(0)
            lines = [ln for ln in self.stderr.read().decode("utf-8", "replace").splitlines() if ln]
        except OSError:
            return ""
        return lines[-1][:300] if lines else msg("workers.no_message")

    def reap(self) -> None:
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.stderr.close()


class Pool:
    """`workers` processes reading files; results come back as they finish, in any order."""

    def __init__(self, workers: int, options: dict, limits: Limits):
        self.size = max(1, workers)
        self.limits = limits
        self.options = {
            **options,
            "memory_mb": limits.memory_mb,
            "file_mb": limits.file_mb,
        }
        self._events: queue.Queue = queue.Queue()
        self._workers: list[_Worker] = []
        self._start_failures = 0

    def run(self, tasks: Iterable[tuple], keep: bool = False) -> Iterator[tuple]:
        """Yield (task id, record) for every task, each exactly once: a task is
        (task id, path) or (task id, path, job) (process_file). `keep`: the reader
        processes stay for the next run (close() ends them)."""
        self._pending = deque(tasks)
        last_watch = 0.0
        done = False
        try:
            while self._pending or any(w.tasks for w in self._workers):
                self._hand_out()
                try:
                    worker, message = self._events.get(timeout=WATCH_INTERVAL)
                except queue.Empty:
                    worker = None
                if worker is not None:
                    result = self._handle(worker, message)
                    if result is not None:
                        yield result
                now = time.monotonic()
                if now - last_watch >= WATCH_INTERVAL:
                    last_watch = now
                    self._watch(now)
            done = True
        finally:
            if not (keep and done):
                self.close()

    def add(self, tasks: Iterable[tuple], first: bool = False) -> None:
        """More tasks while the pool runs (a split file's pages); `first`: before the rest."""
        if first:
            self._pending.extendleft(reversed(list(tasks)))
        else:
            self._pending.extend(tasks)

    def _hand_out(self) -> None:
        """Keep every worker's queue full; start workers while there is work for them."""
        active = [w for w in self._workers if not (w.retiring or w.deaf)]
        room = sum(PREFETCH - len(w.tasks) for w in active)
        if len(self._pending) > room and len(self._workers) < self.size:
            try:
                self._workers.append(_Worker(self.options, self._events))
            except PoolError:
                if not self._workers:
                    raise
                self.size = len(self._workers)  # the system gives no more: go on with these
        for w in active:
            while w.ready and not w.deaf and self._pending and len(w.tasks) < PREFETCH:
                task = self._pending.popleft()
                if not w.send(task):
                    self._pending.appendleft(task)  # a fresh worker reads it

    def _handle(self, worker: _Worker, message) -> tuple[int, dict] | None:
        if message is None:  # the worker is gone
            return self._gone(worker)
        if message[0] == "ready":
            worker.ready = True
            return None
        task_id, record = message
        worker.answered()
        worker.done += 1
        self._start_failures = 0
        if record.get("restart") or worker.done >= RECYCLE_AFTER:
            worker.retiring = True
            worker.stop()
        return task_id, record

    def _gone(self, worker: _Worker) -> tuple[int, dict] | None:
        """A worker ended: the file it was reading fails with the reason, unless it retired.

        Files handed to it but not begun go back to the front of the queue.
        """
        self._workers.remove(worker)
        reason = worker.death_reason()
        worker.reap()
        if not worker.ready and not worker.retiring:
            self._start_failures += 1
            if self._start_failures >= MAX_START_FAILURES:
                raise PoolError(msg("workers.pool_cannot_start", reason=reason))
        tasks = list(worker.tasks)
        if worker.retiring and not worker.kill_reason:
            self._pending.extendleft(reversed(tasks))  # it stopped before them, by design
            return None
        if not tasks:
            return None
        self._pending.extendleft(reversed(tasks[1:]))
        self._start_failures = 0
        elapsed = round(time.monotonic() - worker.begun, 4)
        task_id, path, *_job = tasks[0]
        return task_id, failed(reason, sha256=file_sha256(path), bytes=_size(path), seconds=elapsed)

    def _watch(self, now: float) -> None:
        for w in self._workers:
            if w.task is None or w.kill_reason:
                continue
            # The file it is on began when its last answer came in, which the batch
            # may not have handled yet, and an answer may still be in the pipe: a
            # worker that has just answered is not killed for the time of the file it
            # answered (the next file would fail for it, with no time of its own).
            if now - w.begun > self.limits.seconds:
                if not w.answer_waiting():
                    w.kill(self.limits.describe_time())
            elif w.rss() > self.limits.memory_mb * 2**20:
                w.kill(self.limits.describe_memory())

    def close(self) -> None:
        for w in self._workers:
            w.stop()
        deadline = time.monotonic() + 2
        for w in self._workers:
            try:
                w.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                w.proc.kill()
            w.reap()
        self._workers.clear()


def _size(path: str) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


# The reader process of each Dask worker thread, kept from one task to the next (with
# the same options and limits): a task of a split file's pages is a few seconds of
# work, and a fresh reader costs about a second to start (its imports). It ends with
# its Dask worker, whose end closes its input.
_KEPT = threading.local()


def run_chunk(tasks: list[tuple], options: dict, limits: Limits) -> list:
    """One chunk of a Dask run: the same guarded reading, on whichever machine runs it."""
    pool = getattr(_KEPT, "pool", None)
    if pool is None or _KEPT.key != (options, limits):
        if pool is not None:
            pool.close()
        pool = _KEPT.pool = Pool(1, options, limits)
        _KEPT.key = (options, limits)
    try:
        return list(pool.run(tasks, keep=True))
    except BaseException:
        _KEPT.pool = None
        pool.close()
        raise


if __name__ == "__main__":
    worker_main()
