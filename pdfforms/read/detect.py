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
from .scan import check_drawable, decoded_size, is_image_only_pdf

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
        # Only keys the file has are read: pikepdf's .get() of a missing key costs
        # more (it raises and catches inside) than fetching all the keys once.
        present = info.keys()

        def text(key: str) -> str | None:
            return _info_text(info, key) if key in present else None

        ident.form = text(INFO_FORM)
        ident.version = text(INFO_VERSION)
        ident.language = text(INFO_LANGUAGE)
        ident.serial = text(INFO_SERIAL)
        ident.fingerprint = text(INFO_FINGERPRINT)
        ident.large_print = text(INFO_PRINT) == "large"
        if ident.form:
            ident.found_in = "info"
            return ident
        from_keywords = parse_keywords(text("/Keywords") or "")
        if from_keywords is not None:
            return from_keywords
    return Identity()


# Decoded definitions by (compressed bytes, filter): every returned copy of a form
# carries the same definition, and inflating and decoding it again costs 20 µs.
_DEFINITION_TEXTS: dict[tuple[bytes, str], str] = {}


def embedded_definition(pdf: pikepdf.Pdf) -> str | None:
    """The definition YAML we embedded when the form was generated, if still there."""
    try:
        # The name tree as render.py writes it (one entry, no /Kids) is read
        # directly: qpdf's name-tree helper costs 10 µs more. The stream is chosen
        # and its size judged as qpdf does (/EF /UF, /F, /Unix, /DOS, /Mac; the
        # creator's /Params /Size). Any other tree goes through pdf.attachments.
        root = pdf.Root
        names = root.get("/Names") if "/Names" in root else None
        tree = (
            names.get("/EmbeddedFiles")
            if isinstance(names, pikepdf.Dictionary) and "/EmbeddedFiles" in names
            else None
        )
        items = (
            tree.get("/Names")
            if isinstance(tree, pikepdf.Dictionary) and "/Kids" not in tree and "/Names" in tree
            else None
        )
        stream = None
        if (
            isinstance(items, pikepdf.Array)
            and len(items) == 2
            and isinstance(items[0], pikepdf.String)
            and str(items[0]) == DEFINITION_ATTACHMENT
        ):
            spec = items[1]
            ef = spec.get("/EF") if isinstance(spec, pikepdf.Dictionary) and "/EF" in spec else None
            if isinstance(ef, pikepdf.Dictionary):
                for key in ("/UF", "/F", "/Unix", "/DOS", "/Mac"):
                    if key in ef and isinstance(ef.get(key), pikepdf.Stream):
                        stream = ef.get(key)
                        break
        if stream is not None:
            params = stream.get("/Params") if "/Params" in stream else None
            size = (
                params.get("/Size")
                if isinstance(params, pikepdf.Dictionary) and "/Size" in params
                else 0
            )
            if isinstance(size, int) and size > MAX_DEFINITION_BYTES:
                return None
            filters = stream.get("/Filter") if "/Filter" in stream else None
            if "/DecodeParms" in stream or not (
                filters is None or isinstance(filters, pikepdf.Name)
            ):
                if decoded_size(stream, MAX_DEFINITION_BYTES) > MAX_DEFINITION_BYTES:
                    return None  # /Size can lie: what inflates past it is not read
                return stream.read_bytes().decode("utf-8")
            compressed = stream.read_raw_bytes()
            key = (compressed, str(filters))
            text = _DEFINITION_TEXTS.get(key)
            if text is None:
                if decoded_size(stream, MAX_DEFINITION_BYTES) > MAX_DEFINITION_BYTES:
                    return None  # /Size can lie: what inflates past it is not read
                text = stream.read_bytes().decode("utf-8")
                # Kept only if it is the size of a definition (with its compressed
                # bytes): one near MAX_DEFINITION_BYTES is read, not remembered.
                if len(compressed) + len(text) <= MAX_DEFINITION_BYTES:
                    if len(_DEFINITION_TEXTS) >= 16:
                        _DEFINITION_TEXTS.clear()
                    _DEFINITION_TEXTS[key] = text
            return text
        attachments = pdf.attachments
        if DEFINITION_ATTACHMENT not in attachments:
            return None
        stream = attachments[DEFINITION_ATTACHMENT].get_file()
        if stream.size > MAX_DEFINITION_BYTES:
            return None
        if decoded_size(stream.obj, MAX_DEFINITION_BYTES) > MAX_DEFINITION_BYTES:
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
        raise ReadError(f"is a damaged PDF that cannot be opened ({_short(exc, path)})") from None
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
                check_drawable(pdf)  # before pdfplumber or PDFium draw a page
                if not raw.identity.form:
                    raw.identity = identify_from_page_text(data)
                if not raw.identity.form and is_image_only_pdf(pdf):
                    raw.kind = "scan"  # pages of pixels: read by scanparse
        except pikepdf.PdfError as exc:
            raise ReadError(f"is a damaged PDF ({_short(exc, path)})") from None
        except RecursionError:
            raise ReadError("has a looping object structure") from None
    return raw


def _short(exc: Exception, path: Path | None = None) -> str:
    """The first line of an error, without the file name qpdf puts first (the caller
    names the file): `NAME (object 2 0): text` → `object 2 0: text`."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for source in (str(path) if path is not None else None, "stream <"):
        if source and text.startswith(source):
            rest = text[len(source) :]
            if source == "stream <":
                rest = rest.partition(">")[2]
            detail, colon, message = rest.partition(": ")
            if colon:
                detail = detail.strip().removeprefix("(").removesuffix(")")
                text = f"{detail}: {message}" if detail else message
            break
    return text[:160]
