"""The reader as it was before a change, for a benchmark to run side by side with today's.

`tree(folder)` writes the package (and the shipped definitions) of commit BEFORE
into `folder` with `git archive`; a child process started with `env(folder)`
imports pdfforms from there instead of from this checkout. Both readers then run
in one benchmark, on the same files, on the same machine at the same time: on
a shared machine their ratio holds where absolute times drift.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The last commit before issue 17 (scans at production scale): every page of a scan
# held in memory, and the reader as it was timed in benchmarks/results.md then.
BEFORE = "2ae3f7d"


def tree(folder: Path, commit: str = BEFORE) -> Path:
    """pdfforms and form_definitions of `commit`, written under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "pdfforms", "form_definitions"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def env(folder: Path | None) -> dict[str, str]:
    """The environment of a child that imports pdfforms from `folder` (None: this checkout).

    PYTHONPATH comes before the site-packages where this checkout is installed
    (editable), so `import pdfforms` finds the older copy; worker processes inherit it.
    """
    out = dict(os.environ)
    if folder is not None:
        out["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p
        )
    return out
