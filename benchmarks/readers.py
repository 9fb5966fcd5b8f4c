"""The readers our benchmarks set pdfforms beside: each reads a filled form's raw values.

One home for them, so the parse and extract sections time exactly the same code.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
from pypdf import PdfReader


def raw_pikepdf_walk(path: Path) -> dict:
    """The floor: open, walk /AcroForm /Fields one level, read /V. Nothing else."""
    out = {}
    with pikepdf.open(path) as pdf:
        for f in pdf.Root.AcroForm.Fields:
            out[str(f.T)] = f.get("/V")
    return out


def pypdf_get_fields(path: Path) -> dict:
    return PdfReader(path).get_fields()


def pypdfform_data(path: Path) -> dict:
    """PyPDFForm's reading of a filled form: field name → value."""
    from PyPDFForm import PdfWrapper

    return PdfWrapper(str(path)).data


def pdftk_dump_fields(path: Path) -> str:
    """pdftk's reading of a filled form: a text listing of every field and its value."""
    return subprocess.run(
        ["pdftk", str(path), "dump_data_fields_utf8"],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout
