"""Broken and hostile files (tests/hostile.py): each refused fast, with its reason.

Every file is read by `parse_document` in a child process of its own, under an
address-space limit and a time-out, as `pdfforms extract` reads files in its
workers: a reader that hangs or swallows memory fails its test instead of
stopping pytest. What is asserted is the real outcome: a ReadError whose one-line
message (without the file's name: the caller puts it first) gives the reason.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from .hostile import CORPUS_DEFINITIONS, READABLE, REASONS, make_corpus, make_readable

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the memory bound reads /proc (Linux)"
)

# A guard against hangs, not a benchmark: here every file is refused within
# 0.2 s, and starting Python and importing the readers takes about a second.
HANG_SECONDS = 10
READ_SECONDS = 5  # the parse itself, measured in the child
# How far the child's address space may grow past what it holds after importing
# the readers (about 210 MB of virtual memory here, with numpy, pypdfium2 and
# pdfplumber loaded): the "~1 GB" a hostile file may cost at most. RLIMIT_AS
# counts virtual memory, so it is set relative to the measured start.
HEADROOM_BYTES = 2**30

CHILD = r"""
import json, resource, sys, time
from pathlib import Path

import numpy, pdfplumber, pypdfium2  # noqa: F401 - loaded before the limit, as in a worker
import pdfforms.parse.scan  # noqa: F401
from pdfforms.parse.file import parse_document
from pdfforms.read import ReadError


def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024


path, definitions, headroom, review = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
base = status("VmSize")
resource.setrlimit(resource.RLIMIT_AS, (base + headroom, base + headroom))
start = time.perf_counter()
try:
    result = parse_document(path, [Path(definitions)], review_dir=Path(review))
    out = {"outcome": "read", "responses": len(result.responses)}
    out["problems"] = sorted({p.code for r in result.responses for p in r.problems})
except ReadError as exc:
    out = {"outcome": "refused", "reason": str(exc)}
except BaseException as exc:  # noqa: BLE001 - reported to the test, which fails on it
    out = {"outcome": type(exc).__name__, "reason": str(exc)[:500]}
out["seconds"] = round(time.perf_counter() - start, 3)
out["base_mb"] = base // 2**20
out["peak_mb"] = status("VmPeak") // 2**20
print(json.dumps(out))
"""


def read_in_child(path, review_dir) -> dict:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), str(CORPUS_DEFINITIONS)]
            + [str(HEADROOM_BYTES), str(review_dir)],
            capture_output=True,
            text=True,
            timeout=HANG_SECONDS,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path.name}: no answer within {HANG_SECONDS} s (a hang?)")
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and lines, f"{path.name}: the child died\n{done.stderr[-3000:]}"
    result = json.loads(lines[-1])
    result["wall"] = round(time.perf_counter() - started, 3)
    result["stderr"] = done.stderr[-2000:]
    return result


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    started = time.perf_counter()
    reasons = make_corpus(folder)
    made_in = time.perf_counter() - started
    return folder, reasons, made_in


def test_corpus_is_small_and_quick_to_make(corpus):
    folder, reasons, made_in = corpus
    assert made_in < 10, made_in  # about a second here: the bombs are never inflated
    assert sorted(p.name for p in folder.iterdir()) == sorted(reasons)
    for name in reasons:
        assert (folder / name).stat().st_size < 3 * 2**20, name


@pytest.mark.parametrize("name", list(REASONS))
def test_hostile_file_is_refused_with_its_reason(corpus, name, tmp_path):
    folder, reasons, _ = corpus
    path = folder / name
    result = read_in_child(path, tmp_path / "review")
    assert result["outcome"] == "refused", result
    reason = result["reason"]
    assert reasons[name] in reason.lower(), result
    assert "\n" not in reason and "Traceback" not in reason, reason
    assert name not in reason and str(folder) not in reason, reason  # the caller names the file
    assert result["seconds"] < READ_SECONDS, result


@pytest.fixture(scope="module")
def readable(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readable")
    return folder, make_readable(folder)


@pytest.mark.parametrize("name", list(READABLE))
def test_hostile_or_broken_part_of_a_good_form_is_stepped_round(readable, name, tmp_path):
    folder, problems = readable
    result = read_in_child(folder / name, tmp_path / "review")
    assert result["outcome"] == "read" and result["responses"] == 1, result
    if problems[name] is not None:  # what is broken is said, in the JSON
        assert problems[name] in result["problems"], result
    assert result["seconds"] < READ_SECONDS, result
