"""Fuzz: no damaged copy of our forms reads differently without saying so (issue 13).

Seeded mutants (tests/fuzz.py) of a filled form, a flattened copy and a copy
pdf.js saved incrementally are each parsed. Every mutant must be refused with a
reason (ReadError, never another exception), read the same as its original, or
read differently with a problem or review item its original lacks. The few that
read differently without one must fall in a category that no reader can see by
nature (fuzz.UNDETECTABLE: a byte changed inside a stored value); the test
prints how many mutants ended each way.
"""

from __future__ import annotations

import collections
import os
import zlib

import pytest

from pdfforms.generate.render import generate
from pdfforms.parse.file import parse
from pdfforms.read.quiet import quiet_libraries

from . import fuzz
from .answer_sets import answer_sets
from .clients import FILLERS
from .conftest import DEFINITIONS, TEST_FORMS

# Mutants per original. A flattened copy is drawn and read from its pixels (about
# 0.1 s a mutant here), a copy with fields in a few ms: about 30 s in all.
COUNTS = {"filled": 250, "flattened": 150, "incremental": 250}


@pytest.fixture(scope="module")
def originals(forms, tmp_path_factory):
    form = forms["all_types"]
    answers = answer_sets(form)["rich"]
    blank = generate(form, fuzz.LANGUAGE, serial=fuzz.SERIAL)
    pdfjs = FILLERS["pdfjs"]
    reason = pdfjs.missing()
    if reason and os.environ.get("CI"):
        pytest.fail(f"{pdfjs.name}: {reason}")
    made = fuzz.originals(blank, form, answers, None if reason else pdfjs.run)
    return made, answers


@pytest.mark.parametrize("name", list(COUNTS))
def test_no_mutant_reads_differently_without_saying_so(name, originals, tmp_path, capsys):
    _fuzz(name, COUNTS[name], fuzz.SEED, originals, tmp_path, capsys)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(COUNTS))
def test_four_times_as_many_mutants(name, originals, tmp_path, capsys):
    """The long run (`make bench`, or `pytest -m slow`): other seeds, 4× the mutants."""
    _fuzz(name, 4 * COUNTS[name], fuzz.SEED + 1, originals, tmp_path, capsys)


def _fuzz(name: str, count: int, seed: int, originals, tmp_path, capsys) -> None:
    made, answers = originals
    if name not in made:
        pytest.skip("pdf.js is not installed: no incrementally saved original")
    data = made[name]
    definitions = [DEFINITIONS, TEST_FORMS]
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    original = parse(path, definitions)
    assert original.answers == answers and original.language == fuzz.LANGUAGE
    # a flattened copy says the rich textarea answer fills its box (test_flattened.py's
    # FILLS_ITS_BOX): had it gone on, a print could have cut the rest away; and once that
    # its typed letters are certain only within Windows-1252
    expected = (
        [("beskrivning", "text_fills_box"), (None, "text_unsure")] if name == "flattened" else []
    )
    assert original.serial == fuzz.SERIAL
    assert [(p.question, p.code) for p in original.problems] == expected
    verdicts: collections.Counter = collections.Counter()
    unexplained = []
    seed += zlib.crc32(name.encode())
    with quiet_libraries():  # pdfminer's complaints about the mutants are not the test's
        for mutant in fuzz.mutants(data, seed, count):
            try:
                verdict, detail = fuzz.judge(mutant, data, original, tmp_path, definitions)
            except Exception as exc:  # noqa: BLE001 - anything but ReadError is a failure
                pytest.fail(f"{name}, {mutant.name}: raised {type(exc).__name__}: {exc}")
            if verdict == "silent":
                found = fuzz.category(mutant, data)
                verdict = f"silent: {found}" if found else "silent, unexplained"
                if found is None:
                    unexplained.append(f"{mutant.name}: {detail}")
            verdicts[verdict] += 1
    with capsys.disabled():
        print(f"\n{name}: {sum(verdicts.values())} mutants: {dict(sorted(verdicts.items()))}")
    assert unexplained == []
    assert verdicts["refused"] + verdicts["flagged"] > 0  # the mutations do damage
