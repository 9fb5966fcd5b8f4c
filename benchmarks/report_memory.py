"""Memory and time of the Sammanställning for many responses with free text.

    .venv/bin/python benchmarks/report_memory.py [N ...]   (default: 1000 5000)

For each N, writes a dataset of N synthetic patient returns (every free-text
question answered, as synthetic_answers does), printed for three care units,
then runs `pdfforms report` on it (per unit, the default for such a dataset)
in a child process, and prints the child's peak resident memory and its time
(wall clock, and CPU, which a busy machine does not stretch).
Memory that grows with N is what the report holds for all of the document at
once; flat memory would show the same peak for 1,000 and 5,000.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pdfforms.dataset.build import RunSummary, manifest_of
from pdfforms.dataset.columns import FormTable
from pdfforms.dataset.tables import DatasetFiles
from pdfforms.model.definition import load_form
from pdfforms.model.privacy import DROP, Privacy
from pdfforms.testing.synthetic import synthetic_answers

ROOT = Path(__file__).resolve().parent.parent
UNITS = ("Vårdcentralen Norrfjäll", "Hälsocentralen Åby", "Vårdcentralen Söder")


def dataset(folder: Path, n: int) -> Path:
    form = load_form(ROOT / "form_definitions" / "patient.yaml")
    privacy = Privacy(DROP)
    path = folder / "svar.csv"
    files = DatasetFiles(path)
    table = FormTable([form], privacy)
    sink = files.table(form.id, [c.name for c in table.written], table.types(), main=True)
    rng = random.Random(n)
    for i in range(n):
        obj = {
            "form": {"id": form.id, "version": form.version, "language": "sv"},
            "serial": None,
            "unit": UNITS[i % len(UNITS)],
            "source": {"file": f"in/{i}.pdf", "sha256": f"{i:064x}", "kind": "acroform"},
            "answers": synthetic_answers(form, rng),
            "problems": [],
            "review": [],
        }
        sink.write(table.row(privacy.apply(obj, form), 1))
    summary = RunSummary(files=n, questionnaires=n)
    manifest = files.text_file(files.sidecar("manifest.json"))
    manifest.write(json.dumps(manifest_of(files, {form.id: table}, privacy, summary)))
    files.commit()
    return path


# The report in a process of its own, which writes its peak resident memory at exit.
CHILD = """
import atexit, sys
from pdfforms.testing.memory import peak_resident
peak, data, out = sys.argv[1:4]
atexit.register(lambda: open(peak, "w").write(str(peak_resident() // 1024)))
from pdfforms import report
report([data], out)
"""


def _children_cpu() -> float:
    """CPU seconds of the finished child processes: on a shared machine the time it
    took, less the waiting for a core."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(sizes: list[int]) -> None:
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = dataset(Path(tmp), n)
            out, peak_file = Path(tmp) / "rapport.pdf", Path(tmp) / "peak"
            started, before = time.perf_counter(), _children_cpu()
            subprocess.run([sys.executable, "-c", CHILD, str(peak_file), str(data), str(out)])
            seconds = time.perf_counter() - started
            cpu = _children_cpu() - before
            peak = int(peak_file.read_text()) / 1024  # kB
            print(
                f"{n:>6} responses: {seconds:5.1f} s ({cpu:5.1f} s CPU), "
                f"peak {peak:6.0f} MB resident, "
                f"{out.stat().st_size / 1e6:.1f} MB PDF"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000])
