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


def pdftoppm_render(pdf: bytes, dpi: int = 100, with_forms: bool = True) -> list:
    """Every page drawn by poppler's pdftoppm as a grayscale numpy array.

    Raises RuntimeError when poppler prints any warning: our files must open cleanly.
    """
    import numpy as np
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        args = ["pdftoppm", "-r", str(dpi), "-gray", "-png"]
        if not with_forms:
            args.append("-hide-annotations")
        result = subprocess.run(
            [*args, str(src), str(Path(tmp) / "p")], capture_output=True, text=True, timeout=TIMEOUT
        )
        if result.returncode != 0 or result.stderr:
            raise RuntimeError(f"pdftoppm: {result.stderr.strip() or result.returncode}")
        files = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        return [np.asarray(Image.open(f).convert("L")) for f in files]
