"""`pdfforms extract` on many returned files: files/s, peak memory, scan pages/s.

What is measured, and how (`extract_section()`; alone: `python benchmarks/extract_bench.py`):

- The corpus: about 200 distinct filled patient forms (Swedish, filled with pypdf as a
  script author would, `fill_like_pypdf`), written to a temporary folder in turn until
  there are N files; each copy gets a PDF comment line after %%EOF (`%copy 000123`), so
  no two files have the same bytes (extract keeps byte-identical files out as duplicates)
  yet every copy reads as its original. One copy is parsed and checked before timing.
- Throughput on 1,000 files: the CLI, `python -m pdfforms.cli extract DIR -o OUT.csv
  --workers N --fresh`, run as a subprocess with 1 and 2 workers, a new output folder
  each time, timed from start to exit: everything a user waits for (Python start, worker
  start, journal, writing the dataset). Median of a few runs. Side by side, for the same
  files, one process reading them in a loop: a raw pikepdf walk of /AcroForm /Fields,
  pypdf's `PdfReader(p).get_fields()`, PyPDFForm's `PdfWrapper(p).data`, `pdftk FILE
  dump_data_fields_utf8` (one subprocess per file, a JVM start each), and our own
  `parse()` for reference. A slow reader is timed on the first files only, within a
  time budget; the table says how many. The alternatives read raw values only: no
  interpretation, no checks, no journal, no dataset. They are a floor, not an equal.
- Peak memory on 1,000 and 10,000 files, 2 workers: the CLI as a subprocess, the RSS
  of its whole process tree (the batch and its reader processes, psutil) sampled every
  20 ms; the peak of the sum, the batch's own peak and the largest reader's peak. The
  target: 10,000 files need at most 1.2× the peak memory of 1,000 files.
- Scans: image-only PDFs of the unit form filled by hand and scanned (pdfforms/
  testing/scans.py, "test" distortion), several questionnaires a file, extracted with 1 and 2
  workers: pages per second, wall time of the CLI; the same files also by the reader before
  issue 17 (benchmarks/before.py), in the same run, and the ratio. Alone:
  `python benchmarks/extract_bench.py scans`.

Each tree's modules are compiled to bytecode before it is timed (`byte_compile`), as
an installed package's are. Every row also gives CPU time (user + system, of the
process and every process it started and waited for: `getrusage`): unlike wall
time, it hardly moves when other programs share the machine, so it is the steadier
number for comparisons.

On a 2-core machine the whole section takes about seven minutes, five of them the
scan rows (each reader run three times with each worker count).
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil
from readers import pdftk_dump_fields, pypdf_get_fields, pypdfform_data, raw_pikepdf_walk

from pdfforms.dataset.workers import RECYCLE_AFTER
from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.render import generate
from pdfforms.model.definition import load_form
from pdfforms.parse.file import parse
from pdfforms.testing.synthetic import fill_like_pypdf, synthetic_answers

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "form_definitions"
DISTINCT_FORMS = 200  # distinct filled copies the corpus cycles through
REPEAT = 3  # CLI runs per worker count for the throughput table (median)
BUDGET_SECONDS = 20.0  # an alternative reader is timed on as many files as fit in this
SAMPLE_INTERVAL = 0.02  # seconds between two memory samples
SCAN_FILES = 6
SCAN_FORMS_PER_FILE = 8  # unit questionnaires of 3 pages: 144 pages in all
SCAN_REPEAT = 3  # runs of each reader and worker count (the median is reported)


# -- the corpus -----------------------------------------------------------------------


def filled_forms(count: int = DISTINCT_FORMS) -> list[tuple[bytes, dict]]:
    """`count` distinct filled patient forms (PDF bytes) with the answers filled in."""
    form = load_form(DEFINITIONS / "patient.yaml")
    blank = generate(form, "sv")
    out = []
    for seed in range(count):
        answers = synthetic_answers(form, random.Random(seed))
        out.append((fill_like_pypdf(blank, answers_to_fields(form, answers)), answers))
    return out


def write_corpus(folder: Path, files: int, forms: list[tuple[bytes, dict]]) -> list[Path]:
    """`files` copies of `forms` in turn, each made unique by a comment after %%EOF."""
    folder.mkdir(parents=True)
    paths = []
    for i in range(files):
        path = folder / f"form{i:06d}.pdf"
        path.write_bytes(forms[i % len(forms)][0] + f"\n%copy {i:06d}\n".encode())
        paths.append(path)
    os.sync()  # so that writing them back to disk does not overlap a timed run
    return paths


# -- running the CLI ------------------------------------------------------------------


def _cli(inputs: Path, output: Path, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pdfforms.cli",
        "extract",
        str(inputs),
        "-o",
        str(output),
        "--workers",
        str(workers),
        "--fresh",
    ]


def _manifest(output: Path) -> dict:
    return json.loads(output.with_name(f"{output.stem}.manifest.json").read_text("utf-8"))


def children_cpu() -> float:
    """CPU seconds of this process's ended children and, through them, their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def byte_compile(tree: Path | None = None) -> None:
    """Compile a tree's modules to bytecode before it is timed, as pip does when it
    installs a package: where PYTHONDONTWRITEBYTECODE is set (this sandbox sets it)
    an editable checkout never gets its .pyc files, and every reader process would
    compile some hundred modules from source on start (0.1-0.2 s each)."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str((tree or ROOT) / "pdfforms")], check=True
    )


def run_extract(
    inputs: Path, out_dir: Path, workers: int, tree: Path | None = None
) -> tuple[float, float, dict]:
    """Wall and CPU seconds of one cold CLI run into a new folder, and its manifest
    (`tree`: the package before a change, before.py; None: this checkout)."""
    import before

    # `python -m` puts the working directory first on sys.path, before PYTHONPATH:
    # the run starts in the tree whose pdfforms it is to import
    env, cwd = before.env(tree), tree or ROOT
    out_dir.mkdir(parents=True)
    output = out_dir / "data.csv"
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    done = subprocess.run(
        _cli(inputs, output, workers), capture_output=True, text=True, env=env, cwd=cwd
    )
    seconds = time.perf_counter() - t0
    if done.returncode:
        raise RuntimeError(f"pdfforms extract failed: {done.stderr.strip()}")
    return seconds, children_cpu() - cpu0, _manifest(output)


def run_extract_watched(inputs: Path, out_dir: Path, workers: int) -> dict:
    """One cold CLI run with the RSS of its process tree sampled every SAMPLE_INTERVAL.

    Returns wall and CPU seconds, the manifest, and peaks in bytes: of the sum over the tree, of
    the batch (the CLI process) alone, and of the largest reader process; and how
    many reader processes were seen (workers are replaced after RECYCLE_AFTER files).
    """
    out_dir.mkdir(parents=True)
    output = out_dir / "data.csv"
    peaks = {"total": 0, "parent": 0, "worker": 0}
    workers_seen: set[int] = set()
    with tempfile.TemporaryFile() as err:
        cpu0 = children_cpu()
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            _cli(inputs, output, workers), stdout=subprocess.DEVNULL, stderr=err
        )
        parent = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                own = parent.memory_info().rss
                children = parent.children(recursive=True)
            except psutil.Error:
                break  # it has just ended
            total = own
            for child in children:
                try:
                    rss = child.memory_info().rss
                except psutil.Error:
                    continue
                workers_seen.add(child.pid)
                total += rss
                peaks["worker"] = max(peaks["worker"], rss)
            peaks["parent"] = max(peaks["parent"], own)
            peaks["total"] = max(peaks["total"], total)
            time.sleep(SAMPLE_INTERVAL)
        code = proc.wait()
        seconds = time.perf_counter() - t0
        cpu = children_cpu() - cpu0
        if code:
            err.seek(0)
            raise RuntimeError(f"pdfforms extract failed: {err.read().decode().strip()}")
    return {
        "seconds": seconds,
        "cpu": cpu,
        "manifest": _manifest(output),
        "peaks": peaks,
        "workers_seen": len(workers_seen),
    }


# -- the alternatives -----------------------------------------------------------------


def loop_rate(read: Callable[[Path], object], paths: list[Path]) -> tuple[float, int, float]:
    """Files/s of `read` over `paths` in this process, files timed, CPU seconds per file.

    One warm-up call first; then files in order until all are read or BUDGET_SECONDS
    have passed, whichever comes first. CPU counts this process and the children it
    started and waited for (pdftk).
    """
    read(paths[0])
    done = 0
    cpu0 = time.process_time() + children_cpu()
    t0 = time.perf_counter()
    for path in paths:
        read(path)
        done += 1
        if time.perf_counter() - t0 > BUDGET_SECONDS:
            break
    seconds = time.perf_counter() - t0
    return done / seconds, done, (time.process_time() + children_cpu() - cpu0) / done


# -- scans ----------------------------------------------------------------------------


def write_scans(folder: Path) -> int:
    """SCAN_FILES image-only PDFs of SCAN_FORMS_PER_FILE unit questionnaires; pages."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from pdfforms.testing.scans import make_scan, scanned_pdf, serial_for

    form = load_form(DEFINITIONS / "unit.yaml")
    rng = random.Random(7)
    folder.mkdir(parents=True)
    pages_total = 0
    for n in range(SCAN_FILES):
        pages = []
        for _ in range(SCAN_FORMS_PER_FILE):
            answers = synthetic_answers(form, rng)
            # printed in layout edition 3, which the reader before issue 17 knows too
            # (edition 4's comb cells came later): both read the same pages
            pages += make_scan(form, "sv", answers, serial_for(rng), rng, "test", edition=3)[0]
        (folder / f"scan{n}.pdf").write_bytes(scanned_pdf(pages))
        pages_total += len(pages)
    return pages_total


# -- the section ----------------------------------------------------------------------


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f}"


class Outputs:
    """A new, empty output folder for every run, so that every run is cold."""

    def __init__(self, root: Path):
        self.root = root
        self.runs = 0

    def new(self) -> Path:
        self.runs += 1
        return self.root / f"run{self.runs}"


def throughput_lines(folder: Path, paths: list[Path], outputs: Outputs) -> list[str]:
    """Files/s of the CLI with 1 and 2 workers, and of the alternatives, on `paths`."""
    files = len(paths)
    fixed, _, _ = run_extract(paths[0], outputs.new(), 1)
    ours = {}
    for workers in (1, 2):
        runs = []
        for _ in range(REPEAT):
            seconds, cpu, manifest = run_extract(folder, outputs.new(), workers)
            assert manifest["outcomes"]["parsed"] == files, manifest["outcomes"]
            runs.append((seconds, cpu))
        seconds, cpu = sorted(runs)[len(runs) // 2]  # the median run
        ours[workers] = (files / seconds, files, cpu / files)
    rows: list[tuple[str, tuple[float, int, float] | None]] = [
        ("pdfforms extract, 1 worker (CLI, cold)", ours[1]),
        ("pdfforms extract, 2 workers (CLI, cold)", ours[2]),
        ("pdfforms parse() in a loop (one process, no dataset)", loop_rate(parse, paths)),
        ("raw pikepdf walk of /AcroForm /Fields (the floor)", loop_rate(raw_pikepdf_walk, paths)),
        ("pypdf PdfReader(p).get_fields()", loop_rate(pypdf_get_fields, paths)),
    ]
    try:
        import PyPDFForm

        name = f"PyPDFForm {PyPDFForm.__version__} PdfWrapper(p).data"
        rows.append((name, loop_rate(pypdfform_data, paths)))
    except ImportError:
        rows.append(("PyPDFForm (not installed: pip install -e '.[bench]')", None))
    if shutil.which("pdftk"):
        rows.append(
            ("pdftk dump_data_fields_utf8, a process per file", loop_rate(pdftk_dump_fields, paths))
        )
    else:
        rows.append(("pdftk (not installed: make clients)", None))
    base = ours[1][0]
    lines = [
        f"## Extract: {files:,} returned patient forms into one dataset",
        "",
        "| reader | files per second | × pdfforms extract (1 worker) | CPU ms per file "
        "| files timed |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, result in rows:
        if result is None:
            lines.append(f"| {name} | – | – | – | – |")
            continue
        rate, timed, cpu = result
        lines.append(f"| {name} | {rate:,.1f} | {rate / base:.2f} | {cpu * 1000:.2f} | {timed:,} |")
    return lines + [
        "",
        f"Each file is one of {DISTINCT_FORMS} distinct filled forms (3 pages, 22 fields), made",
        "unique by a comment after %%EOF. Our runs are the command line as a user runs it,",
        f"timed from start to exit (median of {REPEAT}): Python and worker start, reading, the",
        f"journal, writing the CSV, ledger and codebook; a run on one file takes {fixed:.2f} s,",
        "the fixed part of these numbers. The other rows read in one process and return raw",
        "values only (no interpretation, no checks, no dataset): a floor, not an equal. A slow",
        f"reader is timed on the first files that fit in {BUDGET_SECONDS:.0f} s. CPU: user +",
        "system time of every process involved (ours: the batch and its readers; pdftk: the",
        "JVM), per file.",
        "",
    ]


def memory_lines(runs: dict[int, dict]) -> list[str]:
    """The peak-memory table of run_extract_watched's results, by number of files."""
    (small, ws), (large, wl) = sorted(runs.items())
    lines = [
        "## Extract: peak memory (2 workers, whole process tree sampled every 20 ms)",
        "",
        "| files | seconds | files per second | CPU ms per file | peak, batch + readers (MB) "
        "| batch (MB) | largest reader (MB) | reader processes |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for files, w in sorted(runs.items()):
        p = w["peaks"]
        lines.append(
            f"| {files:,} | {w['seconds']:.1f} | {files / w['seconds']:,.1f} "
            f"| {w['cpu'] / files * 1000:.2f} | {_mb(p['total'])} "
            f"| {_mb(p['parent'])} | {_mb(p['worker'])} | {w['workers_seen']} |"
        )
    ps, pl = ws["peaks"], wl["peaks"]
    ratio = pl["total"] / ps["total"]
    return lines + [
        "",
        f"{large:,} files need {ratio:.2f}× the peak memory of {small:,} files (target: at "
        f"most 1.2×, {'met' if ratio <= 1.2 else 'NOT met'}); the batch process alone "
        f"{pl['parent'] / ps['parent']:.2f}×, the largest reader "
        f"{pl['worker'] / ps['worker']:.2f}×. Readers are replaced after "
        f"{RECYCLE_AFTER:,} files each.",
        "",
    ]


def scan_lines(folder: Path, outputs: Outputs) -> list[str]:
    """Pages/s of the CLI with 1 and 2 workers on synthetic scans, today's reader and the
    reader before issue 17 (before.py) in turn, on the same files in one run."""
    import before

    pages = write_scans(folder)
    old = before.tree(outputs.root.parent / "before")
    for tree in (old, None):
        byte_compile(tree)
    lines = [
        f"## Extract: scans ({SCAN_FILES} files of {SCAN_FORMS_PER_FILE} unit questionnaires, "
        f"{pages} pages)",
        "",
        "| reader | workers | seconds | pages per second | CPU seconds per page "
        "| × before, same workers |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    rates: dict[tuple[str, int], float] = {}
    runs = []
    for workers in (1, 2):
        # the two readers in turn, SCAN_REPEAT times: the machine's speed drifts by a
        # sixth over minutes here, and the median of turns taken side by side holds
        timed: dict[str, list[tuple[float, float]]] = {"before": [], "now": []}
        for _ in range(SCAN_REPEAT):
            for who, tree in (("before", old), ("now", None)):
                seconds, cpu, manifest = run_extract(folder, outputs.new(), workers, tree)
                assert manifest["questionnaires"] == SCAN_FILES * SCAN_FORMS_PER_FILE, manifest
                timed[who].append((seconds, cpu))
        for who, turns in timed.items():
            seconds, cpu = sorted(turns)[len(turns) // 2]  # the median run (by seconds)
            rates[(who, workers)] = pages / seconds
            runs.append((who, workers, seconds, cpu))
    for who, workers, seconds, cpu in sorted(runs, key=lambda r: (r[0] != "now", r[1])):
        name = "pdfforms now" if who == "now" else f"before ({before.BEFORE})"
        ratio = rates[(who, workers)] / rates[("before", workers)]
        lines.append(
            f"| {name} | {workers} | {seconds:.1f} | {pages / seconds:.2f} | {cpu / pages:.3f} "
            f"| {ratio:.2f} |"
        )
    return lines + [
        "",
        'Synthetic hand-filled scans (pdfforms/testing/scans.py, "test" distortion), one image a',
        f"page; the command line timed from start to exit (the median of {SCAN_REPEAT} runs, the",
        "two readers taking turns), cold (Python and worker start and",
        "drawing each form's blank pages once a worker are in it; each tree's modules",
        "compiled to bytecode first, as an installed package has them). The reader before is the",
        f"package of commit {before.BEFORE} (benchmarks/before.py), run on the same files in",
        "the same run: on a shared machine the ratio holds where seconds drift.",
        "",
    ]


def extract_section(files_small: int = 1000, files_large: int = 10000) -> list[str]:
    forms = filled_forms()
    with tempfile.TemporaryDirectory(prefix="pdfforms-extract-bench-") as tmpdir:
        tmp = Path(tmpdir)
        outputs = Outputs(tmp / "out")
        byte_compile()
        small = write_corpus(tmp / "small", files_small, forms)
        assert parse(small[7]).answers == forms[7][1], "the benchmark input must parse correctly"
        lines = throughput_lines(tmp / "small", small, outputs)
        watched = {files_small: run_extract_watched(tmp / "small", outputs.new(), 2)}
        shutil.rmtree(tmp / "small")
        write_corpus(tmp / "large", files_large, forms)
        watched[files_large] = run_extract_watched(tmp / "large", outputs.new(), 2)
        shutil.rmtree(tmp / "large")
        for files, w in watched.items():
            assert w["manifest"]["outcomes"]["parsed"] == files, w["manifest"]["outcomes"]
        lines += memory_lines(watched)
        lines += scan_lines(tmp / "scans", outputs)
    return lines


def scan_section() -> list[str]:
    """The scan rows alone (`python benchmarks/extract_bench.py scans`)."""
    with tempfile.TemporaryDirectory(prefix="pdfforms-extract-bench-") as tmpdir:
        tmp = Path(tmpdir)
        return scan_lines(tmp / "scans", Outputs(tmp / "out"))


def main(argv: list[str]) -> int:
    t0 = time.perf_counter()
    print("\n".join(scan_section() if argv == ["scans"] else extract_section()))
    print(f"(section took {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
