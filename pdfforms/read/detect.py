"""Open a returned file, find out which form it is, and pick the reader for it."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pikepdf

from ..identity import (
    INFO_FINGERPRINT,
    INFO_FORM,
    INFO_LANGUAGE,
    INFO_PRINT,
    INFO_SERIAL,
    INFO_VERSION,
    Identity,
    parse_keywords,
)
from ..render import DEFINITION_ATTACHMENT
from .acroform import read_acroform
from .flattened import identify_from_page_text
from .raw import RawForm, ReadError
from .scan import is_image_only_pdf

MAX_DEFINITION_BYTES = 1_000_000  # a definition is a few kB; more is not ours


def _info_text(info, key: str) -> str | None:
    value = info.get(key) if info is not None else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def identify(pdf: pikepdf.Pdf) -> Identity:
    """The form identity the file carries: custom info keys, else the Keywords line."""
    try:
        info = pdf.trailer.get("/Info")
    except pikepdf.PdfError:
        info = None
    ident = Identity()
    if isinstance(info, pikepdf.Dictionary):
        ident.form = _info_text(info, INFO_FORM)
        ident.version = _info_text(info, INFO_VERSION)
        ident.language = _info_text(info, INFO_LANGUAGE)
        ident.serial = _info_text(info, INFO_SERIAL)
        ident.fingerprint = _info_text(info, INFO_FINGERPRINT)
        ident.large_print = _info_text(info, INFO_PRINT) == "large"
        if ident.form:
            ident.found_in = "info"
            return ident
        from_keywords = parse_keywords(_info_text(info, "/Keywords") or "")
        if from_keywords is not None:
            return from_keywords
    return Identity()


def embedded_definition(pdf: pikepdf.Pdf) -> str | None:
    """The definition YAML we embedded when the form was generated, if still there."""
    try:
        attachments = pdf.attachments
        if DEFINITION_ATTACHMENT not in attachments:
            return None
        stream = attachments[DEFINITION_ATTACHMENT].get_file()
        if stream.size > MAX_DEFINITION_BYTES:
            return None
        return stream.read_bytes().decode("utf-8")
    except (pikepdf.PdfError, KeyError, UnicodeDecodeError, AttributeError, ValueError):
        return None


def read_file(path: str | Path, data: bytes | None = None) -> RawForm:
    """Read one returned file into raw values, or raise ReadError saying why not."""
    path = Path(path)
    from_memory = data is not None
    if data is None:
        try:
            data = path.read_bytes()
        except IsADirectoryError:
            raise ReadError("is a folder, not a PDF file") from None
        except FileNotFoundError:
            raise ReadError("no such file") from None
        except OSError as exc:
            raise ReadError(f"cannot be read ({exc.strerror or exc})") from None
    if not data:
        raise ReadError("is empty (0 bytes)")
    if b"%PDF-" not in data[:1024]:
        raise ReadError("is not a PDF file")
    raw = RawForm(file=str(path), sha256=hashlib.sha256(data).hexdigest())
    try:
        # qpdf reads a file by name twice as fast as through a Python stream.
        source = io.BytesIO(data) if from_memory else path
        pdf = pikepdf.open(source)
    except pikepdf.PasswordError:
        raise ReadError(
            "is encrypted with a password; save an unprotected copy and read that"
        ) from None
    except pikepdf.PdfError as exc:
        raise ReadError(f"is a damaged PDF that cannot be opened ({_short(exc)})") from None
    with pdf:
        try:
            raw.pages = len(pdf.pages)
            raw.identity = identify(pdf)
            raw.embedded_definition = embedded_definition(pdf)
            if not read_acroform(pdf, raw):
                # No fields: a flattened or printed copy. Its values are read from the
                # drawn page once the form (and so the layout) is known.
                raw.kind = "flattened"
                raw.data = data
                if not raw.identity.form:
                    raw.identity = identify_from_page_text(data)
                if not raw.identity.form and is_image_only_pdf(pdf):
                    raw.kind = "scan"  # pages of pixels: read by scanparse
        except pikepdf.PdfError as exc:
            raise ReadError(f"is a damaged PDF ({_short(exc)})") from None
        except RecursionError:
            raise ReadError("has a looping object structure") from None
    return raw


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
