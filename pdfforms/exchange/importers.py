"""Which importer reads a file `pdfforms import` is given: by its kind.

JSON is a FHIR R4 Questionnaire (fhir.py), .xlsx an XLSForm workbook (xlsform.py).
Each importer returns (the definition, the notes: what could not be carried over).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from ..model.errors import PdfformsError
from ..model.messages import text as msg

Importer = Callable[[Path], tuple[dict, list[str]]]


class ImportFormatError(PdfformsError):
    """A file `pdfforms import` cannot take: a kind it does not know, or cannot read here."""


def importer_for(path: Path) -> Importer:
    """The importer of `path`, by its suffix; ImportFormatError names the file otherwise."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        from .fhir import import_questionnaire

        return import_questionnaire
    if suffix == ".xlsx":
        name = f"{__package__}.xlsform"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module is there; something it needs is not
                raise
            raise ImportFormatError(msg("exchange.no_xlsform", path=path)) from None
        return module.import_xlsform
    raise ImportFormatError(msg("exchange.unknown_kind", path=path, suffix=suffix or "''"))
