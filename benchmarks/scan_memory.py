"""Peak memory of reading one image-only PDF of 100 and of 1,000 pages, today's reader
and the reader before issue 17 side by side (`memory_section()`; alone:
`python benchmarks/scan_memory.py [SMALL LARGE]`).

The files: unit questionnaires, each printed with its own serial
(pdfforms.generate), drawn at 200 dpi and written one grey JPEG a page, as a
scanner's feeder writes a day's pile (one blank back side makes the count
round). Each reading is `parse_document` in a child process of its own, with the
reader of this checkout or of before.BEFORE (before.py), and its peak resident
memory is what the child's kernel counted (VmHWM, as `pdfforms.testing.memory`
reads it; not ru_maxrss, which a child inherits from its parent), printed by the
child as it ends. The default memory limit of a worker (dataset/workers.py
Limits) is the bar: a file that needs more fails in `extract`.

The 1,000-page file is then also read as a reception's day would be: by `pdfforms
extract --workers 2`, which splits its pages among the two worker processes
(dataset/extract.py PAGES_PER_TASK), timed from start to exit. The reader before
could not split a file: its figure beside it is its own reading of the file, in
one process.

Building the 1,000-page file takes about two minutes, reading it with the old
reader about as long again, on a 2-core machine.
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import before

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = (100, 1000)
JPEG_QUALITY = 85  # a scanner's usual setting; the file is about 0.3 MB a page
# The page design the pile is printed in: the last one the reader before knows (the
# one before comb cells); today's reads every edition, so the two read the same pages.
EDITION = 3

_CHILD = """
import json, sys, tempfile, time
from pathlib import Path
t0 = time.perf_counter()
import pdfforms
from pdfforms.parse.file import parse_document
def peak_resident():  # pdfforms.testing.memory's, which the reader before lacks
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
with tempfile.TemporaryDirectory() as review:
    result = parse_document(Path(sys.argv[1]), review_dir=Path(review))
print(json.dumps({
    "rss": peak_resident(),
    "seconds": time.perf_counter() - t0,
    "questionnaires": len(result.responses),
    "read": sum(p.status == "read" for p in result.pages),
    "package": pdfforms.__file__,
}))
"""


def write_pile(path: Path, pages: int, seed: int = 17) -> int:
    """An image-only PDF of `pages` pages: whole unit questionnaires, then blank backs."""
    import numpy as np
    import pikepdf
    from PIL import Image

    from pdfforms.generate.render import render
    from pdfforms.model.definition import load_form, logo_path
    from pdfforms.model.layout import build_layout
    from pdfforms.read.scan.pages import ScanPages
    from pdfforms.testing.scans import serial_for

    form = load_form(ROOT / "form_definitions" / "unit.yaml")
    # printed in layout edition EDITION, which the reader before issue 17 knows too
    # (edition 4's comb cells came later): both readers read every page
    layout = build_layout(form, "sv", False, EDITION)
    rng = random.Random(seed)
    pdf = pikepdf.new()
    written = 0

    def add(pixels: np.ndarray) -> None:
        buf = io.BytesIO()
        Image.fromarray(pixels, "L").save(buf, "JPEG", quality=JPEG_QUALITY)
        rows, cols = pixels.shape
        image = pikepdf.Stream(pdf, buf.getvalue())
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent = cols, rows, 8
        image.ColorSpace, image.Filter = pikepdf.Name.DeviceGray, pikepdf.Name.DCTDecode
        w, h = cols * 72 / 200, rows * 72 / 200  # 200 dpi
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, w, h],
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
            Contents=pikepdf.Stream(pdf, f"q {w:.4f} 0 0 {h:.4f} 0 0 cm /Im0 Do Q".encode()),
        )
        pdf.pages.append(pikepdf.Page(page))

    blank = None
    while written < pages:
        copy = render(form, layout, serial_for(rng), logo=logo_path(form) if form.logo else None)
        with ScanPages("copy.pdf", copy) as drawn:
            if written + len(drawn) > pages:
                break
            for page in drawn:
                add(page.pixels)
                blank = np.full_like(page.pixels, 250)
                written += 1
    while written < pages:
        add(blank)
        written += 1
    pdf.save(path)
    return written


def read_peak(path: Path, tree: Path | None) -> dict:
    """One child process reads `path` with the reader of `tree` (None: this checkout)."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        capture_output=True,
        text=True,
        env=before.env(tree),
        cwd=tree or ROOT,
    )
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1][:200]}
    import json

    out = json.loads(done.stdout.strip().splitlines()[-1])
    expected = Path(tree or ROOT) / "pdfforms" / "__init__.py"
    assert Path(out["package"]).resolve() == expected.resolve(), out["package"]
    return out


def memory_section(sizes: tuple[int, int] = PAGES) -> list[str]:
    from pdfforms.dataset.workers import Limits

    limit = Limits().memory_mb
    small, large = sizes
    with tempfile.TemporaryDirectory(prefix="pdfforms-scan-memory-") as tmpdir:
        tmp = Path(tmpdir)
        old = before.tree(tmp / "before")
        files = {}
        for pages in sizes:
            files[pages] = tmp / f"pile-{pages}.pdf"
            write_pile(files[pages], pages)
        runs = {
            (who, pages): read_peak(files[pages], tree)
            for pages in sizes
            for who, tree in (("now", None), ("before", old))
        }
        mb = {pages: files[pages].stat().st_size / 2**20 for pages in sizes}
        day = extract_day(files[large], tmp / "extract")
    for pages in sizes:  # both readers read the same pages, where both finished
        now, then = runs[("now", pages)], runs[("before", pages)]
        if "error" not in now and "error" not in then:
            assert now["questionnaires"] == then["questionnaires"], (pages, now, then)
    lines = [
        f"## Scans: peak memory of one image-only PDF ({small:,} and {large:,} pages)",
        "",
        "| reader | pages | file (MB) | questionnaires | seconds | peak RSS (MB) "
        f"| × peak at {small:,} pages | under the default limit ({limit:,} MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for who, name in (("now", "pdfforms now (a page at a time)"), ("before", "before")):
        base = runs[(who, small)].get("rss")
        for pages in sizes:
            run = runs[(who, pages)]
            if "error" in run:
                lines.append(
                    f"| {name} | {pages:,} | {mb[pages]:.0f} | – | – | – | – | {run['error']} |"
                )
                continue
            ratio = f"{run['rss'] / base:.2f}" if base else "–"
            lines.append(
                f"| {name} | {pages:,} | {mb[pages]:.0f} | {run['questionnaires']} "
                f"| {run['seconds']:.0f} | {run['rss'] / 2**20:,.0f} | {ratio} "
                f"| {'yes' if run['rss'] <= limit * 2**20 else 'NO'} |"
            )
    now_ratio = runs[("now", large)].get("rss", 0) / max(1, runs[("now", small)].get("rss", 1))
    lines += ["", *day_lines(day, runs[("now", large)], runs[("before", large)], large)]
    return lines + [
        "",
        f"Today's reader needs {now_ratio:.2f}× at {large:,} pages what it needs at {small:,} "
        f"(target: at most 1.2×, {'met' if now_ratio <= 1.2 else 'NOT met'}). Each reading is "
        "`parse_document` in a child process of its own (peak RSS as its kernel counted it); "
        f"'before' is the reader of commit {before.BEFORE} (benchmarks/before.py), which held "
        "every page of a scan in memory. The pages: unit questionnaires with serials, printed in "
        f"layout edition {EDITION} (which both readers read), drawn at 200 dpi, one grey JPEG a "
        "page (benchmarks/scan_memory.py).",
        "",
    ]


EXTRACT_WORKERS = 2


def extract_day(path: Path, out_dir: Path) -> dict:
    """`pdfforms extract --workers 2` on one file, today's reader: wall and CPU seconds
    and the file's record (or the error)."""
    from extract_bench import byte_compile, run_extract

    byte_compile()
    try:
        seconds, cpu, manifest = run_extract(path, out_dir, EXTRACT_WORKERS)
    except RuntimeError as exc:
        return {"error": str(exc)[:200]}
    return {"seconds": seconds, "cpu": cpu, "questionnaires": manifest["questionnaires"]}


def day_lines(day: dict, now: dict, then: dict, pages: int) -> list[str]:
    """The 1,000-page file read by extract with two workers, beside the reader before
    reading it in one process (all it could do with one file)."""
    head = [
        f"### A day's pile: one file of {pages:,} pages through `pdfforms extract`",
        "",
        "| reader | how | seconds | pages per second | CPU seconds per page | × before |",
        "|---|---|---:|---:|---:|---:|",
    ]
    if "error" in day:
        return head + [
            f"| pdfforms now | extract, {EXTRACT_WORKERS} workers | – | – | – | – |",
            "",
            f"extract failed: {day['error']}",
        ]
    # the same questionnaires as the file read in one process
    assert day["questionnaires"] == now.get("questionnaires", day["questionnaires"]), (day, now)
    rate = pages / day["seconds"]
    rows = [
        f"| pdfforms now | extract, {EXTRACT_WORKERS} workers (the file's pages split "
        f"among them) | {day['seconds']:.1f} | {rate:.2f} | {day['cpu'] / pages:.3f} | "
        + (f"{rate / (pages / then['seconds']):.2f} |" if "seconds" in then else "– |"),
    ]
    if "seconds" in now:
        rows.append(
            f"| pdfforms now | one process (parse_document) | {now['seconds']:.1f} "
            f"| {pages / now['seconds']:.2f} | – | "
            + (f"{then['seconds'] / now['seconds']:.2f} |" if "seconds" in then else "– |")
        )
    if "seconds" in then:
        rows.append(
            f"| before ({before.BEFORE}) | one process: it cannot split a file "
            f"| {then['seconds']:.1f} | {pages / then['seconds']:.2f} | – | 1.00 |"
        )
    return (
        head
        + rows
        + [
            "",
            "Cold, from the command's start to its exit (Python's and the workers' start, each "
            "worker drawing the blank form's pages once, the file's pages split into tasks of "
            "dataset/extract.py PAGES_PER_TASK and assembled, the dataset written). The pages "
            "are the pile above: clean prints scanned without distortion, so fewer boxes are "
            "uncertain than on the scan benchmark's pages (section 'Extract: scans').",
        ]
    )


def main(argv: list[str]) -> int:
    sizes = (int(argv[0]), int(argv[1])) if len(argv) == 2 else PAGES
    t0 = time.perf_counter()
    print("\n".join(memory_section(sizes)))
    print(f"(section took {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
