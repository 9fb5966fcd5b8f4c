"""Reading files in watched worker processes: limits, crashes and restarts fail one file,
never the run, and the dataset is the same however many workers, or a Dask cluster."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pdfforms.dataset.workers import Limits

from .conftest import (
    _scan_file,
    _without_seconds,
    filled,
    ledger,
    read_csv,
    run,
)


def test_one_worker_and_two_give_the_same_dataset(tmp_path, folder):
    root, _truth = folder
    one, two = tmp_path / "one" / "d.csv", tmp_path / "two" / "d.csv"
    one.parent.mkdir()
    two.parent.mkdir()
    run([root], one, workers=1)
    run([root], two, workers=2)
    names = sorted(p.name for p in one.parent.iterdir() if p.name != "d.journal.jsonl")
    assert names == sorted(p.name for p in two.parent.iterdir() if p.name != "d.journal.jsonl")
    for name in names:
        if name == "d.ledger.csv":  # its last column is each file's reading time
            assert _without_seconds(one.parent / name) == _without_seconds(two.parent / name)
        else:
            assert (one.parent / name).read_bytes() == (two.parent / name).read_bytes(), name


def test_a_file_over_the_time_limit_fails_and_the_run_goes_on(tmp_path, forms):
    good, _ = filled(forms, "patient", 1)
    (tmp_path / "good.pdf").write_bytes(good)
    _scan_file(forms, tmp_path / "slow.pdf", ("AAAAAAAAA1", "BBBBBBBBB2"))  # seconds to read
    os.mkfifo(tmp_path / "pipe.pdf")  # opening it would block for ever
    out = tmp_path / "out" / "d.csv"
    out.parent.mkdir()
    summary = run([tmp_path], out, limits=Limits(seconds=0.3), workers=1)
    rows = ledger(out)
    slow = rows[str(tmp_path / "slow.pdf")]
    assert slow["outcome"] == "failed" and "longer than 0.3 s" in slow["reason"]
    assert slow["sha256"] and float(slow["seconds"]) >= 0.3
    pipe = rows[str(tmp_path / "pipe.pdf")]
    assert (pipe["outcome"], pipe["reason"]) == (
        "failed",
        "is not a regular file (a pipe, a device or a socket)",
    )
    assert rows[str(tmp_path / "good.pdf")]["outcome"] == "parsed"
    assert summary.outcomes["failed"] == 2 and summary.outcomes["parsed"] == 1


def test_a_file_over_the_memory_limit_fails_and_the_run_goes_on(tmp_path, forms):
    good, _ = filled(forms, "patient", 1)
    (tmp_path / "good.pdf").write_bytes(good)
    _scan_file(forms, tmp_path / "big.pdf", ("AAAAAAAAA1", "BBBBBBBBB2"))
    out = tmp_path / "out" / "d.csv"
    out.parent.mkdir()
    # a worker needs about 70 MB before its first file; the scan's pages need more
    run([tmp_path], out, limits=Limits(memory_mb=100), workers=1)
    rows = ledger(out)
    big = rows[str(tmp_path / "big.pdf")]
    assert big["outcome"] == "failed" and "more than 100 MB" in big["reason"], big
    assert rows[str(tmp_path / "good.pdf")]["outcome"] == "parsed"


def test_a_dask_cluster_gives_the_same_dataset(tmp_path, folder):
    distributed = pytest.importorskip("distributed") if not os.environ.get("CI") else None
    if distributed is None:
        import distributed
    root, _truth = folder
    local, remote = tmp_path / "local" / "d.csv", tmp_path / "remote" / "d.csv"
    local.parent.mkdir()
    remote.parent.mkdir()
    run([root], local)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        run([root], remote, cluster=cluster.scheduler_address)
    for name in ("d.patient-7-fragor.csv", "d.verksamhet-7-fragor.csv", "d.problems.csv"):
        assert (local.parent / name).read_bytes() == (remote.parent / name).read_bytes()
    assert _without_seconds(local.with_name("d.ledger.csv")) == _without_seconds(
        remote.with_name("d.ledger.csv")
    )


def test_broken_and_hostile_files_fail_with_their_reason_and_the_good_ones_are_read(
    tmp_path, forms
):
    from tests.hostile import make_corpus

    returned = tmp_path / "in"
    expected = make_corpus(returned)
    good = {}
    for i in range(6):
        data, answers = filled(forms, "patient" if i % 2 else "unit", 200 + i)
        (returned / f"good-{i}.pdf").write_bytes(data)
        good[f"good-{i}.pdf"] = answers
    out = tmp_path / "out" / "d.csv"
    out.parent.mkdir()
    # Limits well above what a good file needs and well below what a bomb would take.
    # The shipped definitions only: without --definitions, a file that embeds its
    # own definition (as the unknown version does) is read with it.
    summary = run(
        [returned],
        out,
        limits=Limits(seconds=60, memory_mb=1024),
        definitions=[Path(__file__).resolve().parent.parent.parent / "form_definitions"],
    )
    rows = {Path(name).name: row for name, row in ledger(out).items()}
    assert set(rows) == set(expected) | set(good)
    assert summary.files == len(expected) + len(good)
    for name in good:
        assert rows[name]["outcome"] == "parsed", (name, rows[name])
    for name, reason in expected.items():
        row = rows[name]
        assert row["outcome"] == "failed", (name, row)
        assert reason in row["reason"].lower(), (name, row["reason"])
    assert len(read_csv(out.with_name("d.patient-7-fragor.csv"))) == 3
    assert len(read_csv(out.with_name("d.verksamhet-7-fragor.csv"))) == 3


def _ending_worker(monkeypatch, how: str) -> None:
    from pdfforms.dataset.workers import _Worker

    script = Path(__file__).resolve().parent / "ending_worker.py"
    monkeypatch.setattr(_Worker, "command", (sys.executable, str(script), how))


@pytest.fixture(scope="module")
def six_files(tmp_path_factory, forms):
    """Five returned forms and a file that is not one: an even number, as ending_worker needs."""
    root = tmp_path_factory.mktemp("six")
    for i in range(5):
        data, _answers = filled(forms, "patient" if i % 2 else "unit", 300 + i)
        (root / f"f{i}.pdf").write_bytes(data)
    (root / "f5.pdf").write_bytes(b"Dear colleague, the forms are attached.\n")
    return root


def test_a_worker_that_ends_while_handed_a_file_does_not_stop_the_run(
    tmp_path, six_files, monkeypatch
):
    # Issue 13 item 11: a worker asking to restart ends right after its answer; the
    # batch had handed it the next file already, the write failed with a broken pipe
    # and the run stopped with exit 2 and no dataset. Every worker here loses that
    # race: f2 and f4 are each handed to a worker that has ended before a fresh one.
    plain, restarting = tmp_path / "plain" / "d.csv", tmp_path / "restarting" / "d.csv"
    plain.parent.mkdir()
    restarting.parent.mkdir()
    run([six_files], plain, workers=1)
    _ending_worker(monkeypatch, "restart")
    summary = run([six_files], restarting, workers=1)
    assert summary.files == 6 and summary.outcomes["parsed"] == 5
    names = sorted(p.name for p in plain.parent.iterdir() if p.name != "d.journal.jsonl")
    assert names == sorted(
        p.name for p in restarting.parent.iterdir() if p.name != "d.journal.jsonl"
    )
    for name in names:
        if name == "d.ledger.csv":  # its last column is each file's reading time
            assert _without_seconds(plain.parent / name) == _without_seconds(
                restarting.parent / name
            )
        else:
            assert (plain.parent / name).read_bytes() == (restarting.parent / name).read_bytes(), (
                name
            )


def test_a_worker_that_dies_while_handed_a_file_fails_only_the_file_it_was_reading(
    tmp_path, six_files, monkeypatch
):
    _ending_worker(monkeypatch, "crash")
    out = tmp_path / "d.csv"
    summary = run([six_files], out, workers=1)
    rows = {Path(name).name: row for name, row in ledger(out).items()}
    assert sorted(rows) == [f"f{i}.pdf" for i in range(6)]
    # each worker reads its first file and dies on its second (f1, f3, f5)
    for name in ("f1.pdf", "f3.pdf", "f5.pdf"):
        assert rows[name]["outcome"] == "failed"
        assert rows[name]["reason"].startswith(
            "made its reader stop unexpectedly (exit status 3)"
        ), rows[name]
    for name in ("f0.pdf", "f2.pdf", "f4.pdf"):
        assert rows[name]["outcome"] == "parsed", rows[name]
    assert summary.outcomes["failed"] == 3 and summary.outcomes["parsed"] == 3


def test_a_reader_process_that_cannot_start_is_named_as_such(tmp_path, six_files, monkeypatch):
    import pdfforms.dataset.workers as workers
    from pdfforms.dataset.journal import ExtractError

    real = subprocess.Popen
    started = []

    def popen(*args, **kw):
        if started:  # the system gives one process and no more (EAGAIN)
            raise BlockingIOError(11, "Resource temporarily unavailable")
        started.append(args)
        return real(*args, **kw)

    monkeypatch.setattr(workers.subprocess, "Popen", popen)
    out = tmp_path / "d.csv"
    summary = run([six_files], out, workers=2)  # goes on with the one it has
    assert summary.files == 6 and summary.outcomes["parsed"] == 5
    started.append("no more")
    with pytest.raises(ExtractError) as caught:  # none at all: the reason, not "cannot write"
        run([six_files], tmp_path / "e.csv", workers=2)
    assert str(caught.value) == (
        "cannot start a reader process (Resource temporarily unavailable); "
        "the system may be out of processes or memory"
    )


def test_a_file_over_the_size_limit_fails_unread_and_the_run_goes_on(tmp_path, six_files):
    big = tmp_path / "in"
    big.mkdir()
    for name in ("f0.pdf", "f1.pdf"):
        (big / name).write_bytes((six_files / name).read_bytes())
    # a PDF that would be read if it were let in: a form with 2 MB appended after its end
    padded = (six_files / "f2.pdf").read_bytes() + b"\n%" + b"x" * (2 * 2**20)
    (big / "huge.pdf").write_bytes(padded)
    out = tmp_path / "out" / "d.csv"
    out.parent.mkdir()
    summary = run([big], out, limits=Limits(file_mb=1), workers=1)
    rows = {Path(name).name: row for name, row in ledger(out).items()}
    huge = rows["huge.pdf"]
    assert huge["outcome"] == "failed"
    assert huge["reason"] == "is 2 MB, larger than the 1 MB limit for one file (--file-limit)"
    assert huge["sha256"] == hashlib.sha256(padded).hexdigest()  # the ledger still names it
    assert huge["bytes"] == str(len(padded)) and huge["questionnaires"] == "0"
    assert rows["f0.pdf"]["outcome"] == rows["f1.pdf"]["outcome"] == "parsed"
    assert summary.files == 3 and summary.outcomes["failed"] == 1


def test_workers_replaced_after_their_share_of_files_lose_and_repeat_nothing(
    tmp_path, six_files, monkeypatch
):
    """A worker retires after RECYCLE_AFTER files (a slow leak in a library must not grow);
    the files it was handed but had not begun go to a fresh one, each read once."""
    import pdfforms.dataset.workers as workers

    plain, recycled = tmp_path / "plain" / "d.csv", tmp_path / "recycled" / "d.csv"
    plain.parent.mkdir()
    recycled.parent.mkdir()
    run([six_files], plain, workers=2)
    monkeypatch.setattr(workers, "RECYCLE_AFTER", 1)  # every worker retires after one file
    real, started = subprocess.Popen, []

    def popen(*args, **kw):
        started.append(args)
        return real(*args, **kw)

    monkeypatch.setattr(workers.subprocess, "Popen", popen)
    summary = run([six_files], recycled, workers=2)
    # six files, each worker reading at most the PREFETCH (2) it was handed before it was
    # told to stop: at least three workers, where a run without retiring starts two
    assert workers.PREFETCH == 2 and len(started) >= 3
    assert summary.files == 6 and summary.read_now == 6
    assert summary.outcomes["parsed"] == 5 and summary.outcomes["failed"] == 1
    for name in ("d.unit-7-fragor.csv", "d.patient-7-fragor.csv", "d.problems.csv"):
        if (plain.parent / name).exists():
            assert (plain.parent / name).read_bytes() == (recycled.parent / name).read_bytes()
    assert _without_seconds(plain.with_name("d.ledger.csv")) == _without_seconds(
        recycled.with_name("d.ledger.csv")
    )


def test_every_exception_of_a_reader_becomes_the_reason_of_its_file():
    """The one place a reader's exception becomes a file's reason (extract's ledger and
    `pdfforms parse` say the same), and whether its worker must start afresh."""
    from pdfforms.dataset.workers import reason_for
    from pdfforms.read import ReadError

    assert reason_for(ReadError("is encrypted")) == ("is encrypted", {})
    reason, restart = reason_for(MemoryError())
    assert reason.startswith("ran out of memory while being read") and restart == {"restart": True}
    reason, restart = reason_for(RecursionError("maximum recursion depth exceeded"))
    assert reason == "is nested too deeply to be read (a looping structure?)" and restart == {}
    reason, restart = reason_for(ValueError("no /Kids here\nand a second line"))
    assert reason == (  # one line, whatever the exception says
        "could not be read: ValueError: no /Kids here (a fault in pdfforms; please report it "
        "with the file if you may share it)"
    )
    assert restart == {"restart": True}  # the worker's state cannot be trusted after a bug


def test_a_reader_that_fails_unexpectedly_fails_its_file_with_the_reason(
    tmp_path, six_files, monkeypatch
):
    """Inside a worker: a bug in a reader is one file's reason, never an exception."""
    from pdfforms.dataset.workers import process_file
    from pdfforms.parse import file as parse_file

    def broken(path, definitions=None, review_dir=None):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(parse_file, "parse_document", broken)
    path = six_files / "f0.pdf"
    options = {"definitions": None, "review_dir": str(tmp_path), "file_mb": 1024}
    record = process_file(str(path), options)
    assert record["outcome"] == "failed" and record["restart"] is True
    assert record["reason"] == (
        "could not be read: ZeroDivisionError: division by zero (a fault in pdfforms; please "
        "report it with the file if you may share it)"
    )
    assert record["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert record["responses"] == []


def test_a_reader_process_keeps_freed_memory_for_the_next_page(tmp_path, forms, monkeypatch):
    """A worker starts with glibc's allocator told to keep a page's arrays (MALLOC_ENV)
    rather than give them back and fault them in anew; a value the user set wins."""
    from pdfforms.dataset import workers

    started = []
    real = subprocess.Popen

    def watching(*args, **kwargs):
        started.append(kwargs["env"])
        return real(*args, **kwargs)

    monkeypatch.setattr(workers.subprocess, "Popen", watching)
    data, _answers = filled(forms, "unit", 400)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "f.pdf").write_bytes(data)
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "12345678")
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    summary = run([tmp_path / "in"], tmp_path / "out" / "d.csv", workers=1)
    assert summary.outcomes["parsed"] == 1
    assert started, "no reader process was started"
    for env in started:
        assert env["MALLOC_MMAP_THRESHOLD_"] == workers.MALLOC_ENV["MALLOC_MMAP_THRESHOLD_"]
        assert env["MALLOC_TRIM_THRESHOLD_"] == "12345678"


def test_a_worker_that_has_just_answered_is_not_killed_for_the_file_it_answered():
    """The time limit counts from when a worker's last answer came in. An answer still in
    its pipe (not yet read) or read but not yet handled means the worker is on its next
    file: killed then, that next file would fail for the time of the one before it, with
    next to no time of its own (a flaky run of the time-limit test above did this)."""
    import time
    from collections import deque
    from types import SimpleNamespace

    from pdfforms.dataset.workers import Pool, _Worker

    class Stand(_Worker):
        def __init__(self, stdout):  # no process: only what the watch looks at
            self.proc = SimpleNamespace(stdout=stdout)
            self.tasks, self.kill_reason = deque([(1, "next.pdf")]), None
            self.started, self.heard_at = time.monotonic() - 1.0, 0.0

        def kill(self, reason):
            self.kill_reason = reason

        def rss(self):
            return 0

    pool = Pool(1, {}, Limits(seconds=0.3))
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb") as stdout, os.fdopen(write_end, "wb") as stdin:
        worker = Stand(stdout)
        pool._workers = [worker]
        stdin.write(b"an answer")
        stdin.flush()
        pool._watch(time.monotonic())  # its answer is in the pipe
        assert worker.kill_reason is None
        stdout.read1(100)  # read, and not yet handled by the batch
        worker.heard_at = time.monotonic()
        pool._watch(time.monotonic())
        assert worker.kill_reason is None
        worker.answered()  # the next file began when the answer came in
        worker.tasks.append((2, "after.pdf"))
        assert worker.started == worker.heard_at
        pool._watch(worker.heard_at + 0.31)  # and has taken too long since
        assert worker.kill_reason and "0.3" in worker.kill_reason
