"""Real PDF programs driven as test helpers: they fill, save, read and flatten our forms.

Every filler has the same shape:

    fill(pdf: bytes, values: dict[str, FieldValue], layout: Layout) -> bytes

`values` maps every field name of the form (SPEC §2) to what to put in it:
text for text fields, an on-state (option value) or None for radio groups,
True/False for checkboxes, an export value or None for choice fields, None to
leave a field blank. `layout` tells where each widget is, for clients that
click and type like a person. The result is the saved file, as that program
writes it.

Readers (`read(pdf) -> dict[str, str | bool | None]`) report what a program
itself reads from a file, to check that files we write show the same values
everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pdfforms.generate.fill import fill_pdf
from pdfforms.testing.synthetic import fill_like_pypdf

from . import flatten, pdfium, pdfjs, pdftk, poppler_glib


@dataclass(frozen=True)
class Program:
    """A real PDF program: what it does, and why it may be missing here."""

    name: str
    run: Callable
    missing: Callable[[], str | None]


def _always() -> str | None:
    return None


FILLERS = {
    "pdfjs": Program("pdf.js (Firefox)", pdfjs.fill, pdfjs.available),
    "pdfium": Program("PDFium (Chrome, Edge), full save", pdfium.fill, pdfium.available),
    "pdfium-incremental": Program(
        "PDFium, incremental save",
        lambda pdf, values, layout: pdfium.fill(pdf, values, layout, incremental=True),
        pdfium.available,
    ),
    "poppler": Program("poppler GLib (Evince)", poppler_glib.fill, poppler_glib.available),
    "pdftk-fdf": Program("pdftk fill_form, FDF", pdftk.fill_fdf, pdftk.available),
    "pdftk-xfdf": Program("pdftk fill_form, XFDF", pdftk.fill_xfdf, pdftk.available),
    "pypdf": Program("pypdf", lambda pdf, values, layout: fill_like_pypdf(pdf, values), _always),
    "pdfforms": Program(
        "pdfforms' own filler", lambda pdf, values, layout: fill_pdf(pdf, values), _always
    ),
}

FLATTENERS = {
    "pdftk": Program("pdftk flatten", pdftk.flatten, pdftk.available),
    "pikepdf": Program("pikepdf flatten_annotations", flatten.pikepdf_flatten, _always),
    "pdfium": Program("PDFium FPDFPage_Flatten", pdfium.flatten, pdfium.available),
    "pdftocairo": Program(
        "pdftocairo -pdf", flatten.pdftocairo_print, lambda: flatten.missing("pdftocairo")
    ),
    "ghostscript": Program(
        "Ghostscript pdfwrite", flatten.ghostscript_print, lambda: flatten.missing("gs")
    ),
}

RENDERERS = {
    "pdfjs": Program("pdf.js", lambda pdf, dpi: pdfjs.render(pdf, dpi), pdfjs.render_available),
    "pdfium": Program("PDFium", lambda pdf, dpi: pdfium.render(pdf, dpi), pdfium.available),
    "poppler": Program(
        "poppler (pdftoppm)",
        lambda pdf, dpi: flatten.pdftoppm_render(pdf, dpi),
        lambda: flatten.missing("pdftoppm"),
    ),
}

READERS = {
    "pdfjs": Program("pdf.js", lambda pdf, layout: pdfjs.read(pdf), pdfjs.available),
    "pdfium": Program("PDFium", lambda pdf, layout: pdfium.read(pdf), pdfium.available),
    "poppler": Program("poppler", poppler_glib.read, poppler_glib.available),
}
