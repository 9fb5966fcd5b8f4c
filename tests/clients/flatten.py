"""Flatteners: programs that turn a filled form into a PDF without fields.

Each is `flatten(pdf: bytes) -> bytes`: pikepdf's flatten_annotations(),
printing to PDF with poppler's pdftocairo and with Ghostscript's pdfwrite, and
(in their own modules) pdftk's `flatten` and PDFium's FPDFPage_Flatten.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pikepdf

TIMEOUT = 120


def pikepdf_flatten(pdf: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.flatten_annotations(mode="all")
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


def _run_tool(args_for, pdf: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        src.write_bytes(pdf)
        result = subprocess.run(args_for(src, dst), capture_output=True, timeout=TIMEOUT)
        if result.returncode != 0 or not dst.exists():
            raise RuntimeError(f"{args_for(src, dst)[0]} failed: {result.stderr.decode()[:500]}")
        return dst.read_bytes()


def pdftocairo_print(pdf: bytes) -> bytes:
    """Print to PDF as Evince/Okular's "print to file" does (cairo)."""
    return _run_tool(lambda src, dst: ["pdftocairo", "-pdf", str(src), str(dst)], pdf)


def ghostscript_print(pdf: bytes) -> bytes:
    """Print to PDF through Ghostscript (CUPS-PDF, many "PDF printers")."""
    return _run_tool(
        lambda src, dst: [
            "gs",
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dSAFER",
            "-sDEVICE=pdfwrite",
            "-dPrinted",
            f"-sOutputFile={dst}",
            str(src),
        ],
        pdf,
    )


def missing(program: str) -> str | None:
    return None if shutil.which(program) else f"{program} is not installed"
