"""pdf.js, Firefox's PDF viewer, as a test client: fill a form, read its fields, draw its pages.

Runs the scripts in `tests/clients/pdfjs/` with node. They need the pinned
`pdfjs-dist` installed there once: `npm ci --prefix tests/clients/pdfjs`.
Rendering also needs its optional dependency `@napi-rs/canvas` (a native
module, which `npm ci` installs where a prebuilt binary exists); `fill` and
`read` do not, so `render_available()` is checked apart from `available()`.

`fill` stores values in pdf.js's `annotationStorage` the way Firefox's
AnnotationLayer does when a person types, ticks, clicks and picks, then calls
`saveDocument()` (an incremental update). `read` reports what pdf.js shows in
each field. `render` paints pages with every widget's appearance stream drawn
into the page, as pdf.js does with `AnnotationMode.ENABLE`. See the header
comments of `fill.mjs`, `read.mjs` and `render.mjs`.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import shutil
import subprocess
from pathlib import Path

import numpy

HERE = Path(__file__).resolve().parent / "pdfjs"
FILL = HERE / "fill.mjs"
READ = HERE / "read.mjs"
RENDER = HERE / "render.mjs"
WIDGETS = HERE / "widgets.mjs"
SCRIPTING = HERE / "scripting.mjs"
PACKAGE = HERE / "node_modules" / "pdfjs-dist"
CANVAS = HERE / "node_modules" / "@napi-rs" / "canvas"
TIMEOUT = 120  # seconds; a fill takes well under one


def available() -> str | None:
    """Why the pdf.js client cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed (pdf.js client)"
    if not (PACKAGE / "package.json").is_file():
        return f"pdfjs-dist is not installed: run `npm ci --prefix {HERE}`"
    return None


@functools.lru_cache(maxsize=1)
def _canvas_loads() -> str | None:
    """Why node cannot load `@napi-rs/canvas` (e.g. no binary for this platform), or None."""
    try:
        done = subprocess.run(
            [shutil.which("node"), "-e", 'require("@napi-rs/canvas").createCanvas(1, 1)'],
            capture_output=True,
            cwd=HERE,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "loading @napi-rs/canvas in node timed out"
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        return f"@napi-rs/canvas does not load in node: {err[0] if err else done.returncode}"
    return None


def render_available() -> str | None:
    """Why the pdf.js client cannot render pages here, or None when it can."""
    reason = available()
    if reason is not None:
        return reason
    if not (CANVAS / "package.json").is_file():
        return (
            "@napi-rs/canvas is not installed (pdf.js renders with it in node): "
            f"run `npm ci --prefix {HERE}`"
        )
    return _canvas_loads()


def _run(script: Path, stdin: bytes) -> bytes:
    reason = render_available() if script == RENDER else available()
    if reason is not None:
        raise RuntimeError(reason)
    node = shutil.which("node")
    try:
        done = subprocess.run(
            [node, str(script)],
            input=stdin,
            capture_output=True,
            cwd=HERE,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"pdf.js {script.name} took more than {TIMEOUT} s") from exc
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", errors="replace").strip()
        raise RuntimeError(f"pdf.js {script.name} failed (exit {done.returncode}): {err}")
    return done.stdout


def fill(pdf: bytes, values: dict, layout=None) -> bytes:
    """Fill `values` (field name → str | bool | None) as Firefox does; the saved file.

    `layout` is not needed: pdf.js finds every widget by its field name.
    """
    del layout
    request = {"pdf": base64.b64encode(pdf).decode("ascii"), "values": values}
    out = _run(FILL, json.dumps(request, ensure_ascii=False).encode("utf-8"))
    if not out.startswith(b"%PDF-"):
        raise RuntimeError(f"pdf.js fill.mjs wrote no PDF (starts {out[:40]!r})")
    return out


def read(pdf: bytes) -> dict[str, str | bool | None]:
    """What pdf.js shows in each field: text or None, True/False, an on-state, an export value."""
    return json.loads(_run(READ, pdf).decode("utf-8"))


def widgets(pdf: bytes) -> list[dict]:
    """What pdf.js knows of each widget: field, type, required, multiLine, doNotScroll,
    actions (event → JavaScript); see widgets.mjs."""
    return json.loads(_run(WIDGETS, pdf).decode("utf-8"))


def run_scripts(pdf: bytes, typed: list[tuple[str, str]]) -> list[dict]:
    """Type each (field, text) and leave the field, in pdf.js's scripting sandbox: for
    each, the alerts the form's scripts showed and what they sent back (scripting.mjs)."""
    request = {"pdf": base64.b64encode(pdf).decode("ascii"), "typed": typed}
    return json.loads(_run(SCRIPTING, json.dumps(request, ensure_ascii=False).encode("utf-8")))


def render(pdf: bytes, dpi: int = 100, pages: list[int] | None = None) -> list[numpy.ndarray]:
    """The pages (1-based `pages`, default all) as pdf.js draws them: grayscale uint8 arrays.

    Each array is (rows, columns), the page box times dpi / 72 rounded up, as
    pypdfium2 renders it; 0 is black, 255 white. Form widgets are drawn from
    their appearance streams (`AnnotationMode.ENABLE`).
    """
    from PIL import Image

    request = {
        "pdf": base64.b64encode(pdf).decode("ascii"),
        "dpi": dpi,
        "pages": pages,
        "mode": "L",
    }
    out = json.loads(_run(RENDER, json.dumps(request).encode("utf-8")).decode("utf-8"))
    images = []
    for png in out["pages"]:
        with Image.open(io.BytesIO(base64.b64decode(png))) as image:
            images.append(numpy.asarray(image.convert("L"), dtype=numpy.uint8).copy())
    return images
