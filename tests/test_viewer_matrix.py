"""The real-client matrix: every program fills our forms as it does for its users,
and every returned file, as saved or flattened, parses to exactly the answers filled.

Each test id reads client × form-language × answer set (× flattener); the summary
at the end of the run lists the matrix with its results (conftest.py).
"""

from __future__ import annotations

import os

import pytest

from pdfforms.fields import answers_to_fields
from pdfforms.fill import fill_pdf
from pdfforms.layout import build_layout
from pdfforms.parse import parse

from .answer_sets import answer_sets
from .clients import FILLERS, FLATTENERS, READERS, Program

FORMS = [
    ("patient", "sv"),
    ("patient", "en"),
    ("unit", "sv"),
    ("unit", "en"),
    ("all_types", "sv"),
    ("all_types", "en"),
]
CASES = ["synthetic", "blank", "rich"]
FLAT_FORMS = [("patient", "sv"), ("unit", "en"), ("all_types", "sv"), ("all_types", "en")]

_filled: dict[tuple, bytes] = {}


def need(program: Program) -> None:
    reason = program.missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{program.name}: {reason}")
        pytest.skip(f"{program.name}: {reason}")


def filled_by(client: str, name: str, lang: str, case: str, forms, blank_pdf) -> tuple[bytes, dict]:
    form = forms[name]
    answers = answer_sets(form)[case]
    key = (client, name, lang, case)
    if key not in _filled:
        program = FILLERS[client]
        need(program)
        values = answers_to_fields(form, answers, lang)
        _filled[key] = program.run(blank_pdf(name, lang), values, build_layout(form, lang))
    return _filled[key], answers


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name,lang", FORMS)
@pytest.mark.parametrize("client", list(FILLERS))
def test_saved_by_client(client, name, lang, case, forms, blank_pdf, tmp_path, matrix):
    data, answers = filled_by(client, name, lang, case, forms, blank_pdf)
    path = tmp_path / f"{client}-{name}-{lang}-{case}.pdf"
    path.write_bytes(data)
    response = parse(path)
    ok = response.answers == answers and response.source["kind"] == "acroform"
    matrix.record("saved", client, f"{name}-{lang}", case, ok)
    assert response.source["kind"] == "acroform"
    assert response.answers == answers


@pytest.mark.parametrize("flattener", list(FLATTENERS))
@pytest.mark.parametrize("name,lang", FLAT_FORMS)
@pytest.mark.parametrize("client", list(FILLERS))
def test_flattened_after_client(client, name, lang, flattener, forms, blank_pdf, tmp_path, matrix):
    data, answers = filled_by(client, name, lang, "rich", forms, blank_pdf)
    program = FLATTENERS[flattener]
    need(program)
    flat = program.run(data)
    path = tmp_path / f"{client}-{flattener}-{name}-{lang}.pdf"
    path.write_bytes(flat)
    # printing to PDF may drop the embedded definition: the folders hold every form
    from .conftest import DEFINITIONS, TEST_FORMS

    response = parse(path, [DEFINITIONS, TEST_FORMS])
    ok = response.answers == answers and response.source["kind"] == "flattened"
    matrix.record(f"flattened by {flattener}", client, f"{name}-{lang}", "rich", ok)
    assert response.source["kind"] == "flattened"
    assert response.answers == answers


def _expected_reading(values: dict) -> dict:
    """What a viewer should report for field values we wrote (blank → None, unticked → False)."""
    out = {}
    for name, value in values.items():
        if value is False:
            out[name] = False
        elif value in (None, ""):
            out[name] = None
        else:
            out[name] = value
    return out


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name,lang", FORMS)
@pytest.mark.parametrize("reader", list(READERS))
def test_our_files_read_the_same_in_every_viewer(
    reader, name, lang, case, forms, blank_pdf, matrix
):
    """A form we fill (for tests or pre-filling) shows our values in every viewer."""
    program = READERS[reader]
    need(program)
    form = forms[name]
    values = answers_to_fields(form, answer_sets(form)[case], lang)
    ours = fill_pdf(blank_pdf(name, lang), values)
    seen = program.run(ours, build_layout(form, lang))
    expected = _expected_reading(values)
    got = {
        k: (False if expected[k] is False and seen.get(k) in (None, False) else seen.get(k))
        for k in expected
    }
    matrix.record(f"read by {reader}", "pdfforms fill", f"{name}-{lang}", case, got == expected)
    assert got == expected
