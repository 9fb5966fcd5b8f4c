"""One large scan file on many cores: a file as one task against its pages in tasks.

What is measured, and how (`split_section()`; alone: `python benchmarks/split_bench.py`):

- The file: one image-only PDF of PAGES pages, unit questionnaires filled by hand and
  scanned (pdfforms/testing/scans.py, "test" distortion), as a reception scanner's feeder
  writes a day's returns into one file.
- `pdfforms extract FILE --workers N --fresh` as a subprocess, timed from start to exit,
  with 1 and 2 workers, and `--cluster` on a distributed.LocalCluster of 2 worker processes
  (one thread each) started by this benchmark: once with the file as one task (page tasks
  off: extract.PAGES_PER_TASK = None, what extract did before) and once in page tasks of
  extract.PAGES_PER_TASK pages (and of the other sizes in TASK_SIZES, 2 workers), in one
  run, on the same file. Every run must give the same questionnaires.
- CPU seconds: user + system of the CLI and the reader processes it started (getrusage of
  ended children); a cluster's workers are not the CLI's children, so its rows have none.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = 201  # 67 unit questionnaires of 3 pages
TASK_SIZES = (64,)  # besides extract.PAGES_PER_TASK, with 2 workers


def write_scan(path: Path, pages: int = PAGES) -> int:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from pdfforms.model.definition import load_form
    from pdfforms.testing.scans import make_scan, scanned_pdf, serial_for
    from pdfforms.testing.synthetic import synthetic_answers

    form = load_form(ROOT / "form_definitions" / "unit.yaml")
    rng = random.Random(7)
    images = []
    while len(images) < pages:
        answers = synthetic_answers(form, rng)
        images += make_scan(form, "sv", answers, serial_for(rng), rng, "test")[0]
    path.write_bytes(scanned_pdf(images))
    return len(images)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(scan: Path, out: Path, task_pages: int | None, where: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one cold CLI run; `task_pages` None: the file is one task."""
    out.mkdir(parents=True)
    command = [
        sys.executable,
        __file__,
        "--cli",
        str(task_pages or 0),
        "extract",
        str(scan),
        "-o",
        str(out / "d.csv"),
        "--fresh",
        "--definitions",
        str(ROOT / "form_definitions"),
        *where,
    ]
    cpu0, t0 = _children_cpu(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if done.returncode not in (0, 1):  # 1: questionnaires wait for review
        raise RuntimeError(f"pdfforms extract failed: {done.stderr.strip()}")
    return seconds, _children_cpu() - cpu0


def split_section() -> list[str]:
    import distributed

    from pdfforms.dataset.extract import PAGES_PER_TASK

    with tempfile.TemporaryDirectory(prefix="pdfforms-split-bench-") as tmpdir:
        tmp = Path(tmpdir)
        scan = tmp / "scanner.pdf"
        pages = write_scan(scan)
        rows = []
        runs = 0

        def measure(name: str, task_pages: int | None, where: list[str], cluster=False):
            nonlocal runs
            runs += 1
            out = tmp / f"run{runs}"
            seconds, cpu = run(scan, out, task_pages, where)
            rows.append((name, task_pages, seconds, None if cluster else cpu, out))

        for workers in (1, 2):
            for task_pages in (None, PAGES_PER_TASK):
                measure(
                    f"{workers} worker{'s' * (workers > 1)}",
                    task_pages,
                    ["--workers", str(workers)],
                )
        for task_pages in TASK_SIZES:
            measure("2 workers", task_pages, ["--workers", "2"])
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            for task_pages in (None, PAGES_PER_TASK):
                where = ["--cluster", cluster.scheduler_address]
                measure("Dask LocalCluster, 2 workers", task_pages, where, cluster=True)
        first = rows[0][4] / "d.csv"
        for row in rows[1:]:  # every run read the same questionnaires
            assert (row[4] / "d.csv").read_bytes() == first.read_bytes(), row[:2]
        whole = {name: seconds for name, task_pages, seconds, _, _ in rows if task_pages is None}
        lines = [
            f"## Extract: one scan file of {pages} pages on many cores (issue 17)",
            "",
            "| where | pages a task | seconds | pages per second | CPU s per page "
            "| × the file as one task |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, task_pages, seconds, cpu, _ in rows:
            cpu_text = "–" if cpu is None else f"{cpu / pages:.3f}"
            lines.append(
                f"| {name} | {task_pages or 'the whole file'} | {seconds:.1f} "
                f"| {pages / seconds:.2f} | {cpu_text} | {whole[name] / seconds:.2f} |"
            )
        return lines + [
            "",
            f"One image-only PDF of {pages} synthetic hand-filled pages (unit questionnaires,",
            '"test" distortion). `pdfforms extract` from start to exit, cold, each run into a',
            "new folder; the file as one task (what extract did before) and in tasks of pages",
            "(a task per range, then the file assembled), in the same run. Every run gives the",
            "same dataset. The cluster is a LocalCluster of 2 processes on this machine; its",
            "CPU is not counted (its workers are not the CLI's children).",
            "",
        ]


def _cli(argv: list[str]) -> None:
    """`split_bench.py --cli PAGES extract ...`: the CLI with page tasks of PAGES (0: off)."""
    import pdfforms.dataset.extract as extract
    from pdfforms.cli import main

    extract.PAGES_PER_TASK = int(argv[0]) or None
    sys.argv = ["pdfforms", *argv[1:]]
    main()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--cli"]:
        _cli(sys.argv[2:])
    else:
        t0 = time.perf_counter()
        print("\n".join(split_section()))
        print(f"(section took {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
