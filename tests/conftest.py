"""Shared fixtures: the forms, generated once per session, and real-client checks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pdfforms.generate.render import generate
from pdfforms.model import messages
from pdfforms.model.definition import load_form
from pdfforms.model.form import Form

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "form_definitions"
TEST_FORMS = Path(__file__).resolve().parent / "forms"
FORMS_AND_LANGS = [
    ("patient", "sv"),
    ("patient", "en"),
    ("unit", "sv"),
    ("unit", "en"),
    ("all_types", "sv"),
    ("all_types", "en"),
    ("vardplan", "sv"),
    ("vardplan", "en"),
]
FORM_FILES = {
    "patient": DEFINITIONS / "patient.yaml",
    "unit": DEFINITIONS / "unit.yaml",
    "vardplan": DEFINITIONS / "vardplan.yaml",
    "all_types": TEST_FORMS / "all_types.yaml",
}


# The tests were written against the English messages: they run in English, also in
# what session fixtures make before english_messages below first runs.
os.environ[messages.ENV] = "en"


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """The tests were written against the English messages, so they run in English
    (PDFFORMS_LANG reaches the commands they start too); a test of the Swedish ones
    says so (tests/test_messages.py). Whatever a test chose is undone after it."""
    monkeypatch.setenv(messages.ENV, "en")
    messages.set_language(None)
    yield
    messages.set_language(None)


def _missing(message: str) -> None:
    """A real client is missing: under CI that fails, never skips."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_program(name: str) -> str:
    """The path of a real PDF client; under CI a missing one fails, never skips."""
    path = shutil.which(name)
    if path is None:
        _missing(
            f"{name} is not installed (make test installs it: scripts/install-test-clients.sh)"
        )
    return path


def need(program) -> None:
    """A client of tests/clients (a Program) must be there; under CI a missing one fails."""
    reason = program.missing()
    if reason:
        _missing(f"{program.name}: {reason}")


@pytest.fixture(scope="session")
def forms() -> dict[str, Form]:
    return {name: load_form(path) for name, path in FORM_FILES.items()}


_pdf_cache: dict[tuple[str, str, bool], bytes] = {}


@pytest.fixture(scope="session")
def blank_pdf(forms):
    """blank_pdf(name, lang, large_print=False) → the generated PDF's bytes (cached)."""

    def make(name: str, lang: str | None = None, large_print: bool = False) -> bytes:
        form = forms[name]
        key = (name, lang or form.default_language, large_print)
        if key not in _pdf_cache:
            _pdf_cache[key] = generate(form, key[1], large_print=large_print)
        return _pdf_cache[key]

    return make


class Matrix:
    """Results of the real-client matrix, printed as a table at the end of the run."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, bool]] = []

    def record(self, what: str, client: str, form: str, case: str, ok: bool | str) -> None:
        """`ok`: True, False (a mismatch), or "said": not read exactly, but every answer
        that differs carries an error (never silently wrong)."""
        self.rows.append((what, client, form, case, ok))

    def lines(self) -> list[str]:
        if not self.rows:
            return []
        out = ["what | client | form | answers | result", "---|---|---|---|---"]
        shown = {True: "ok", False: "MISMATCH", "said": "said (error on each answer it lost)"}
        for what, client, form, case, ok in sorted(self.rows, key=str):
            out.append(f"{what} | {client} | {form} | {case} | {shown[ok]}")
        bad = sum(1 for row in self.rows if row[-1] is False)
        said = sum(1 for row in self.rows if row[-1] == "said")
        out.append(f"{len(self.rows)} combinations, {bad} mismatches, {said} said, not read")
        return out


_MATRIX = Matrix()


@pytest.fixture(scope="session")
def matrix() -> Matrix:
    return _MATRIX


def pytest_terminal_summary(terminalreporter) -> None:
    lines = _MATRIX.lines()
    if lines:
        terminalreporter.section("real-client matrix")
        for line in lines:
            terminalreporter.write_line(line)
