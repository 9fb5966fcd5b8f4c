"""A scan file of many pages is read in page ranges, each a task of its own on the
worker pool or a Dask cluster, then assembled: the dataset is the one reading the
file whole gives, and a range that fails fails its file only."""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest

from pdfforms.testing.scans import make_scan, scanned_pdf
from pdfforms.testing.synthetic import synthetic_answers

from .conftest import _without_seconds, filled, ledger, run

SERIALS = ("AAAAAAAAA1", "BBBBBBBBB2", "CCCCCCCCC3")


@pytest.fixture(scope="module")
def scans(tmp_path_factory, forms) -> Path:
    """A 9-page scan of three unit questionnaires, shuffled, and a returned PDF form."""
    root = tmp_path_factory.mktemp("split")
    rng = random.Random(11)
    pages = []
    for serial in SERIALS:
        answers = synthetic_answers(forms["unit"], rng)
        pages += make_scan(forms["unit"], "sv", answers, serial, rng, "test")[0]
    rng.shuffle(pages)
    (root / "scan.pdf").write_bytes(scanned_pdf(pages))
    data, _ = filled(forms, "patient", 1)
    (root / "form.pdf").write_bytes(data)
    return root


def _split(monkeypatch, pages: int | None) -> list[int]:
    """Split scan files above `pages` pages (None: never); the page counts of the
    files the run split, as it splits them."""
    import pdfforms.dataset.extract as extract

    monkeypatch.setattr(extract, "PAGES_PER_TASK", pages)
    monkeypatch.setattr(extract, "SPLIT_MIN_BYTES", 0)
    split: list[int] = []
    real = extract._SplitFiles._split

    def spy(self, n, record):
        split.append(record["pages"])
        return real(self, n, record)

    monkeypatch.setattr(extract._SplitFiles, "_split", spy)
    return split


def _same_dataset(one: Path, two: Path) -> None:
    names = sorted(p.name for p in one.parent.iterdir() if p.name != "d.journal.jsonl")
    assert names == sorted(p.name for p in two.parent.iterdir() if p.name != "d.journal.jsonl")
    for name in names:
        if name == "d.ledger.csv":  # its last column is each file's reading time
            assert _without_seconds(one.parent / name) == _without_seconds(two.parent / name)
        elif name != "review":
            assert (one.parent / name).read_bytes() == (two.parent / name).read_bytes(), name
    crops = [p.relative_to(one.parent) for p in sorted((one.parent / "review").rglob("*"))]
    assert crops == [p.relative_to(two.parent) for p in sorted((two.parent / "review").rglob("*"))]
    for crop in crops:
        if (one.parent / crop).is_file():
            assert (one.parent / crop).read_bytes() == (two.parent / crop).read_bytes()


def test_a_scan_read_in_page_tasks_gives_the_dataset_of_reading_it_whole(
    tmp_path, scans, monkeypatch
):
    whole, split = tmp_path / "whole" / "d.csv", tmp_path / "split" / "d.csv"
    unsplit = _split(monkeypatch, None)
    run([scans], whole, workers=2)
    assert unsplit == []
    monkeypatch.undo()
    splits = _split(monkeypatch, 2)  # five tasks of pages, and the assembly
    summary = run([scans], split, workers=2)
    assert splits == [9]
    assert summary.files == 2 and summary.outcomes["failed"] == 0
    rows = ledger(split)
    scan = rows[str(scans / "scan.pdf")]
    assert scan["questionnaires"] == "3" and scan["pages"] == "9"
    assert sorted(scan["serials"].split()) == list(SERIALS)
    assert any((split.parent / "review").rglob("*.png"))
    assert not list((split.parent / "review").rglob(".pages"))  # no staged crop is left
    _same_dataset(whole, split)
    # the journal has each file once
    lines = split.with_name("d.journal.jsonl").read_text().splitlines()
    assert sum('"path"' in line and "scan.pdf" in line for line in lines) == 1


def test_a_page_range_that_fails_fails_its_file_once_and_the_run_goes_on(
    tmp_path, scans, monkeypatch
):
    from pdfforms.dataset.workers import _Worker

    script = Path(__file__).resolve().parent / "page_crash_worker.py"
    monkeypatch.setattr(_Worker, "command", (sys.executable, str(script), "6"))
    _split(monkeypatch, 4)  # pages 1-4, 5-8 and 9: page 6 kills its reader
    out = tmp_path / "d.csv"
    summary = run([scans], out, workers=2)
    rows = ledger(out)
    scan = rows[str(scans / "scan.pdf")]
    assert scan["outcome"] == "failed"
    assert scan["reason"].startswith("pages 5–8: made its reader stop unexpectedly"), scan
    assert scan["sha256"] and scan["pages"] == "9"
    assert rows[str(scans / "form.pdf")]["outcome"] == "parsed"
    assert summary.outcomes["failed"] == 1 and summary.outcomes["parsed"] == 1
    assert not list((out.parent / "review").rglob(".pages"))
    lines = out.with_name("d.journal.jsonl").read_text().splitlines()
    assert sum('"path"' in line and "scan.pdf" in line for line in lines) == 1


def test_a_dask_cluster_reads_a_scan_in_page_tasks(tmp_path, scans, monkeypatch):
    distributed = pytest.importorskip("distributed") if not os.environ.get("CI") else None
    if distributed is None:
        import distributed
    local, remote = tmp_path / "local" / "d.csv", tmp_path / "remote" / "d.csv"
    whole = _split(monkeypatch, None)
    run([scans], local, workers=1)
    assert whole == []
    monkeypatch.undo()
    splits = _split(monkeypatch, 2)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        run([scans], remote, cluster=cluster.scheduler_address)
    assert splits == [9]
    _same_dataset(local, remote)


def test_a_file_a_cluster_worker_cannot_see_is_named_with_the_worker(tmp_path):
    from pdfforms.dataset.workers import process_file

    record = process_file(
        str(tmp_path / "gone.pdf"),
        {"cluster": True, "lang": "en", "definitions": None, "review_dir": str(tmp_path)},
    )
    assert record["outcome"] == "failed"
    assert record["reason"].startswith("is not on the Dask worker ")
    assert "same path" in record["reason"]


def test_a_dask_worker_keeps_its_reader_from_one_task_to_the_next(scans, tmp_path):
    """A page range is a few seconds of work: a fresh reader process a task (its
    imports) would cost a large share of it."""
    from pdfforms.dataset import workers

    options = {"definitions": None, "review_dir": str(tmp_path), "lang": "en"}
    form = str(scans / "form.pdf")
    try:
        [(_, first)] = workers.run_chunk([(0, form)], options, workers.Limits())
        pid = workers._KEPT.pool._workers[0].proc.pid
        [(_, second)] = workers.run_chunk([(1, form)], options, workers.Limits())
        assert workers._KEPT.pool._workers[0].proc.pid == pid
        assert first["outcome"] == second["outcome"] == "read"
        workers.run_chunk([(2, form)], options, workers.Limits(seconds=100))
        assert workers._KEPT.pool._workers[0].proc.pid != pid  # other limits: a fresh one
    finally:
        workers._KEPT.pool.close()
        workers._KEPT.pool = None


def test_a_page_range_over_the_memory_limit_fails_its_file_with_its_pages(
    tmp_path, scans, monkeypatch
):
    from pdfforms.dataset.workers import Limits

    splits = _split(monkeypatch, 4)
    out = tmp_path / "d.csv"
    # a reader needs about 70 MB before its first file; a page drawn and read needs more
    summary = run([scans], out, workers=1, limits=Limits(memory_mb=100))
    assert splits == [9]  # looking at the file (not drawing it) stays under the limit
    rows = ledger(out)
    scan = rows[str(scans / "scan.pdf")]
    assert scan["outcome"] == "failed"
    assert scan["reason"].startswith("pages 1–4: ") and "more than 100 MB" in scan["reason"]
    assert rows[str(scans / "form.pdf")]["outcome"] == "parsed"
    assert summary.outcomes["failed"] == 1
