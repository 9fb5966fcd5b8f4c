"""Which importer reads a file `pdfforms import` is given: by its kind.

JSON is a FHIR R4 Questionnaire (fhir.py), .xlsx an XLSForm workbook (xlsform.py).
Each importer returns (the definition, the notes: what could not be carried over).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model.errors import PdfformsError
from ..model.messages import text as msg

# the notes are strings (FHIR: "item 1.3 ...") or xlsform.Note ("survey row 14: ...")
Importer = Callable[[Path], tuple[dict, list]]


class ImportFormatError(PdfformsError):
    """A file `pdfforms import` cannot take: a kind it does not know, or cannot read here."""


def importer_for(path: Path) -> Importer:
    """The importer of `path`, by its suffix; ImportFormatError names the file otherwise."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        from .fhir import import_questionnaire

        return import_questionnaire
    if suffix in (".xlsx", ".xls", ".xlsm"):  # .xls: the reader says to save it as .xlsx
        from .xlsform import import_xlsform

        return import_xlsform
    raise ImportFormatError(msg("exchange.unknown_kind", path=path, suffix=suffix or "''"))


def definition_yaml(definition: dict, notes: list, source: str = "") -> str:
    """A definition as YAML, with where it came from and the notes (what could not be
    carried over) as comments at its top."""
    import yaml

    head = [msg("exchange.yaml_head", source=source)] if source else []
    if notes:
        head.append(msg("exchange.yaml_notes", n=len(notes)))
        head += [f"  {note}" for note in notes]
    comments = "".join(f"# {line}\n" for text in head for line in str(text).splitlines())
    body = yaml.safe_dump(
        definition, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )
    return comments + ("\n" if comments else "") + body
