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


def main(argv: list[str]) -> int:
    sizes = (int(argv[0]), int(argv[1])) if len(argv) == 2 else PAGES
    t0 = time.perf_counter()
    print("\n".join(memory_section(sizes)))
    print(f"(section took {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
