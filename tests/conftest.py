"""Shared fixtures: the forms, generated once per session, and real-client checks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pdfforms.form import Form, load_form
from pdfforms.render import generate

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "form_definitions"
TEST_FORMS = Path(__file__).resolve().parent / "forms"
FORM_FILES = {
    "patient": DEFINITIONS / "patient.yaml",
    "unit": DEFINITIONS / "unit.yaml",
    "all_types": TEST_FORMS / "all_types.yaml",
}


def require_program(name: str) -> str:
    """The path of a real PDF client; under CI a missing one fails, never skips."""
    path = shutil.which(name)
    if path is None:
        message = (
            f"{name} is not installed (make test installs it: scripts/install-test-clients.sh)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


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
