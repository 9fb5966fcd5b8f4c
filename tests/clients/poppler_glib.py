"""poppler through its GLib API, the way Evince fills, saves and reads forms.

The work happens in `poppler_glib_worker.py`, run by the system Python
(`/usr/bin/python3` with `python3-gi` and `gir1.2-poppler-0.18`), because the
project's virtualenv cannot import `gi`. The layout goes along with each
request: poppler-glib 22.12 exposes neither a radio button's on-state nor a
choice item's export value, so the worker matches widget rectangles and item
labels against it.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from functools import lru_cache
from pathlib import Path

from pdfforms.model.layout import Layout

SYSTEM_PYTHON = os.environ.get("PDFFORMS_GI_PYTHON", "/usr/bin/python3")
WORKER = Path(__file__).with_name("poppler_glib_worker.py")
TIMEOUT = 120  # seconds per request

FieldValue = str | bool | None


@lru_cache(maxsize=1)
def available() -> str | None:
    """None when poppler-glib can be used, else the reason it cannot."""
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} does not exist"
    probe = (
        "import gi; gi.require_version('Poppler', '0.18'); "
        "from gi.repository import Poppler; print(Poppler.get_version())"
    )
    try:
        done = subprocess.run(
            [SYSTEM_PYTHON, "-c", probe], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{SYSTEM_PYTHON} cannot be run: {exc}"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no error output"])[-1]
        return f"{SYSTEM_PYTHON} cannot import gi/Poppler 0.18: {last}"
    return None


def version() -> str:
    done = subprocess.run(
        [
            SYSTEM_PYTHON,
            "-c",
            "import gi; gi.require_version('Poppler', '0.18'); "
            "from gi.repository import Poppler; print(Poppler.get_version())",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def _widgets(layout: Layout) -> list[dict]:
    out = []
    for page in layout.pages:
        for w in page.widgets:
            out.append(
                {
                    "page": page.number,
                    "field": w.field,
                    "kind": w.kind,
                    "on": w.on,
                    "rect": list(w.rect),
                    "options": [list(o) for o in w.options],
                }
            )
    return out


def _run(request: dict) -> dict:
    reason = available()
    if reason is not None:
        raise RuntimeError(f"poppler-glib is not available: {reason}")
    try:
        done = subprocess.run(
            [SYSTEM_PYTHON, str(WORKER)],
            input=json.dumps(request).encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(
            f"poppler-glib worker ({request['mode']}) took more than {TIMEOUT} s"
        ) from exc
    stderr = done.stderr.decode("utf-8", errors="replace").strip()
    if done.returncode != 0:
        raise RuntimeError(
            f"poppler-glib worker ({request['mode']}) failed with exit code "
            f"{done.returncode}:\n{stderr or '(no error output)'}"
        )
    try:
        return json.loads(done.stdout)
    except ValueError as exc:
        raise RuntimeError(
            f"poppler-glib worker ({request['mode']}) wrote no JSON reply: {exc}\n{stderr}"
        ) from exc


def fill(pdf: bytes, values: dict[str, FieldValue], layout: Layout) -> bytes:
    """Fill as Evince does (set each field, then Save) and return the saved file."""
    reply = _run(
        {
            "mode": "fill",
            "pdf": base64.b64encode(pdf).decode("ascii"),
            "values": values,
            "widgets": _widgets(layout),
        }
    )
    return base64.b64decode(reply["pdf"])


def read(pdf: bytes, layout: Layout) -> dict[str, FieldValue]:
    """What poppler itself reads: text, checkbox state, radio on-state, choice export value.

    Blank text and unselected fields read as None, unticked checkboxes as False.
    """
    reply = _run(
        {
            "mode": "read",
            "pdf": base64.b64encode(pdf).decode("ascii"),
            "widgets": _widgets(layout),
        }
    )
    return reply["values"]
