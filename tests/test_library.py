"""The definitions a file is read with (model/library.py), and the one order of versions."""

from __future__ import annotations

import io
import re
import shutil

import pikepdf
import pytest
from click.testing import CliRunner

from pdfforms.cli import main
from pdfforms.model.definition import parse_definition
from pdfforms.model.library import FormLibrary, version_key

from .conftest import FORM_FILES

PATIENT = FORM_FILES["patient"].read_text(encoding="utf-8")
CURRENT = re.search(r'(?m)^version: "([^"]+)"$', PATIENT)[1]  # the shipped version


def _as_version(version: str) -> str:
    return PATIENT.replace(f'version: "{CURRENT}"', f'version: "{version}"')


def _version(version: str):
    form, faults = parse_definition(_as_version(version))
    assert not faults and form is not None and form.version == version
    return form


@pytest.mark.parametrize(
    "shuffled,ordered",
    [
        (["10", "2", "1"], ["1", "2", "10"]),
        (["1.10", "1.2", "1.9"], ["1.2", "1.9", "1.10"]),
        (["2-beta", "2", "1-10", "1-9"], ["1-9", "1-10", "2", "2-beta"]),
        (["b", "a", "3"], ["3", "a", "b"]),  # numbers before words
        (["²", "1"], ["1", "²"]),  # a superscript is a word, not a number int() refuses
    ],
)
def test_versions_sort_as_numbers_where_they_are_numbers(shuffled, ordered):
    assert sorted(shuffled, key=version_key) == ordered


def test_the_library_lists_versions_in_that_order():
    library = FormLibrary([_version(v) for v in ("10", "2", "1.10", "1.2")])
    assert library.versions("patient-7-fragor") == ["1.2", "1.10", "2", "10"]
    assert library.versions("no-such-form") == []


def test_an_unknown_version_names_the_known_ones_in_order(tmp_path, blank_pdf):
    folder = tmp_path / "defs"
    folder.mkdir()
    for version in ("10", "2"):
        (folder / f"patient-{version}.yaml").write_text(_as_version(version), encoding="utf-8")
    shutil.copy(FORM_FILES["unit"], folder)
    path = tmp_path / "v9.pdf"
    with pikepdf.open(io.BytesIO(blank_pdf("patient", "sv"))) as pdf:
        pdf.docinfo["/PdfformsVersion"] = "9"
        keywords = str(pdf.docinfo["/Keywords"])
        pdf.docinfo["/Keywords"] = keywords.replace(
            f"pdfforms-version={CURRENT}", "pdfforms-version=9"
        )
        pdf.save(path)
    result = CliRunner().invoke(main, ["parse", str(path), "--definitions", str(folder)])
    assert result.exit_code == 2
    assert f"an unknown version (known: 2, 10 in {folder})" in result.stderr
