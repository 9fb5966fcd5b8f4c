"""Open a returned file, find out which form it is, and pick the reader for it."""

from __future__ import annotations

import decimal
import hashlib
import io
import mmap
import os
import re
from pathlib import Path

import pikepdf

from ..model.identity import (
    DEFINITION_ATTACHMENT,
    INFO_EDITION,
    INFO_FINGERPRINT,
    INFO_FORM,
    INFO_LANGUAGE,
    INFO_PRINT,
    INFO_SERIAL,
    INFO_UNIT,
    INFO_VERSION,
    Identity,
    clean_unit,
    edition_of,
    parse_keywords,
)
from ..model.messages import text as msg
from .acroform import decode_string, read_acroform
from .flattened import (
    SMALL_PRINT_PAGES,
    check_drawing,
    identify_from_page_text,
    unit_from_page_text,
)
from .guards import check_drawable, decoded_size, inherited_key
from .raw import RawForm, ReadError, check_regular_file
from .scan.pages import is_image_only_pdf

MAX_DEFINITION_BYTES = 1_000_000  # a definition is a few kB; more is not ours


def _info_text(info, key: str) -> str | None:
    value = info.get(key) if info is not None else None
    if value is None:
        return None
    if isinstance(value, pikepdf.String):
        text = decode_string(value)[0]  # a broken UTF-16 or UTF-8 string must not raise
    else:
        try:
            text = str(value)
        except UnicodeDecodeError:
            return None
    text = text.strip()
    return text or None


# What the two copies of the identity in the document information must agree on.
_AGREE = ("form", "version", "language", "serial", "edition")


def identify(pdf: pikepdf.Pdf) -> tuple[Identity, list[str]]:
    """The identity in the document information, and what of it its two copies disagree on.

    We write it twice: as custom keys (exact, kept by every viewer's save) and as
    the Keywords line (kept by Ghostscript too). A value one copy lacks is taken
    from the other; a value they both have but differ on is not decided here.
    """
    try:
        info = pdf.trailer.get("/Info")
    except pikepdf.PdfError:
        info = None
    if not isinstance(info, pikepdf.Dictionary):
        return Identity(), []
    # Only keys the file has are read: pikepdf's .get() of a missing key costs
    # more (it raises and catches inside) than fetching all the keys once.
    present = info.keys()

    def text(key: str) -> str | None:
        return _info_text(info, key) if key in present else None

    keywords = parse_keywords(text("/Keywords") or "")
    if not text(INFO_FORM):
        return keywords or Identity(), []
    ident = Identity(
        form=text(INFO_FORM),
        version=text(INFO_VERSION),
        language=text(INFO_LANGUAGE),
        serial=text(INFO_SERIAL),
        fingerprint=text(INFO_FINGERPRINT),
        large_print=text(INFO_PRINT) == "large",
        edition=edition_of(text(INFO_EDITION)),
        found_in="info",
        unit=clean_unit(text(INFO_UNIT)),
    )
    if keywords is None:
        return ident, []
    ident.unit = ident.unit or keywords.unit
    differ = []
    for key in _AGREE:
        mine, theirs = getattr(ident, key), getattr(keywords, key)
        if mine is None:
            setattr(ident, key, theirs)
        elif theirs is not None and mine != theirs:
            differ.append(key)
    ident.large_print = bool(ident.large_print or keywords.large_print)
    return ident, differ


def _settle_identity(
    ident: Identity, differ: list[str], data: bytes | None
) -> tuple[Identity, str]:
    """The identity to read the file by, and a damage note when its copies contradicted.

    The footer's small print (what the respondent saw on the page) settles what
    the document information contradicts itself on, and gives what it lacks (a
    file whose information was lost, a print run's file, which names no language).
    A value that nothing settles is not known (None), never guessed. `data` None:
    the first pages hold no text (_no_text), so their small print says nothing.
    """
    if ident.form and ident.version and ident.language and not differ:
        return ident, ""
    page = identify_from_page_text(data) if data is not None else Identity()
    note = ""
    if differ:
        said = [f"{k} {getattr(page, k)!r}" for k in differ if getattr(page, k) is not None]
        note = msg("detect.identity_disagrees", keys=msg("rules.and").join(differ)) + (
            msg("detect.small_print_says", said=", ".join(said)) if said else ""
        )
    if not ident.form:
        return page, note  # Identity() when the pages tell nothing either
    same_form = (page.form, page.version) == (ident.form, ident.version)
    if page.form and not same_form and not {"form", "version"} & set(differ):
        mismatch = msg(
            "detect.pages_disagree",
            page_form=page.form,
            page_version=page.version,
            form=ident.form,
            version=ident.version,
        )
        note = f"{note}; {mismatch}" if note else mismatch
        page = Identity()  # the pages of another form settle nothing of this one
    for key in _AGREE:
        if key in differ or getattr(ident, key) is None:
            setattr(ident, key, getattr(page, key))
    return ident, note


# Decoded definitions by (compressed bytes, filter): every returned copy of a form
# carries the same definition, and inflating and decoding it again costs 20 µs.
_DEFINITION_TEXTS: dict[tuple[bytes, str], str] = {}


def embedded_definition(pdf: pikepdf.Pdf) -> str | None:
    """The definition YAML we embedded when the form was generated, if still there."""
    try:
        # The name tree as generate/render.py writes it (one entry, no /Kids) is read
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
    """Read one returned file into raw values, or raise ReadError saying why not.

    What is found broken on the way is kept in `raw.damage` (the file) and
    `raw.field_faults` (single fields) for parse to report; nothing broken is
    passed on as if whole.
    """
    path = Path(path)
    from_memory = data is not None
    if data is None:
        check_regular_file(path)  # a pipe or a device is never opened
        try:
            data, sha = _mapped(path)
        except OSError as exc:
            raise ReadError(msg("read.cannot_read", reason=exc.strerror or exc)) from None
    else:
        sha = hashlib.sha256(data).hexdigest()
    if not data:
        raise ReadError(msg("read.empty"))
    if b"%PDF-" not in data[:1024]:
        raise ReadError(msg("read.not_pdf"))
    raw = RawForm(file=str(path), sha256=sha)
    try:
        # qpdf reads a file by name twice as fast as through a Python stream.
        source = io.BytesIO(data) if from_memory else path
        pdf = pikepdf.open(source)
    except pikepdf.PasswordError:
        raise ReadError(msg("read.encrypted")) from None
    except pikepdf.PdfError as exc:
        raise ReadError(msg("read.cannot_open", reason=_short(exc, path))) from None
    with pdf:
        try:
            raw.pages = len(pdf.pages)
            identity, differ = identify(pdf)
            raw.embedded_definition = embedded_definition(pdf)
            fields = read_acroform(pdf, raw)
            if not fields:
                # No fields: a flattened or printed copy. Its values are read from the
                # drawn page once the form (and so the layout) is known.
                raw.kind = "flattened"
                check_drawable(pdf)  # before pdfplumber or PDFium draw a page
                unplaced = _page_geometry_fault(pdf)  # one qpdf repairs, and says
                if unplaced:
                    raise ReadError(msg("read.damaged", what=unplaced))
                raw.damage += check_drawing(pdf)
            # qpdf says what it had to repair while the file was opened and read.
            repaired = _qpdf_damage(pdf, data, path)
            if repaired:
                raw.damage.insert(0, repaired)
            unsettled = differ or not (identity.form and identity.version and identity.language)
            drawn = not fields and not is_image_only_pdf(pdf)  # a flattened copy
            if drawn or (repaired and (unsettled or not fields)):
                # The page readers (pdfplumber, PDFium) read the file as qpdf wrote it
                # out: every reader then sees the objects qpdf saw, whose damage was
                # judged above. Each reader repairs a broken file in its own way, and
                # one that qpdf reads whole, pdfminer may read without a page's look.
                # (Scans are written out only when damaged: their images are large.)
                data = _rewritten(pdf) or data
            if drawn:
                data = bytes(data)  # the page readers take bytes (a flattened copy is small)
            if unsettled:
                if fields:
                    check_drawable(pdf)  # the small print is read from the page
                text = None if _no_text(pdf) else _first_pages(pdf, data)
                identity, note = _settle_identity(identity, differ, text)
                if note:
                    raw.damage.append(note)
            raw.identity = identity
            if drawn and not identity.unit:
                # a print to PDF keeps no document information: the unit's line on
                # the first page says it (generate/overlay.py unit_ops)
                identity.unit = unit_from_page_text(data)
            if not fields:
                raw.data = data
                if not raw.identity.form and is_image_only_pdf(pdf):
                    raw.kind = "scan"  # pages of pixels: read by parse/scan.py
        except pikepdf.PdfError as exc:
            raise ReadError(msg("read.damaged_pdf", reason=_short(exc, path))) from None
        except RecursionError:
            raise ReadError(msg("read.looping")) from None
    return raw


_NUMBER = (int, decimal.Decimal)  # what pikepdf gives for a PDF number


def _page_geometry_fault(pdf: pikepdf.Pdf) -> str | None:
    """What keeps a page's drawing from being lined up with the form, in words.

    The PDF requires a /MediaBox (on the page or inherited), and a /Rotate, where
    there is one, is a whole multiple of 90. Without these no reader can say where
    a box is; pdfminer even fails with a TypeError on a /Rotate that is a name.
    """
    for number, page in enumerate(pdf.pages, start=1):
        box = inherited_key(page.obj, "/MediaBox")
        if not isinstance(box, pikepdf.Array) or len(box) != 4:
            return (
                f"page {number} has no size (/MediaBox), so what is drawn on it cannot "
                "be lined up with the form"
            )
        if any(not isinstance(v, _NUMBER) for v in box):
            return f"page {number}'s size (/MediaBox) is not four numbers"
        rotate = inherited_key(page.obj, "/Rotate")
        if rotate is not None and (not isinstance(rotate, _NUMBER) or rotate % 90):
            return f"page {number}'s turn (/Rotate) is not a whole multiple of 90 degrees"
    return None


# The start of a revision's objects, index or trailer.
_REVISION = re.compile(rb"\d+\s+\d+\s+obj\b|\bxref\b|\btrailer\b")


def _qpdf_damage(pdf: pikepdf.Pdf, data: bytes, path: Path) -> str:
    """What qpdf had to repair to open and read the file, in words; "" when nothing.

    qpdf warns whenever a file is not as the PDF standard says: its index of
    objects (the cross-reference table) is missing or wrong and had to be rebuilt
    by scanning the file, an object is not where the index says, a stream is not
    as long as it claims. Every real client's saved and flattened files open
    without a warning (tests/test_viewer_matrix.py checks), so any warning is damage.
    """
    warnings = pdf.get_warnings()
    if not warnings:
        # qpdf reads a file from its last complete end: an update appended after it
        # and cut off (a viewer's save, downloaded in part) goes unseen by qpdf.
        end = data.rfind(b"%%EOF")
        if end >= 0 and _REVISION.search(data, end):
            return msg("detect.cut_in_update")
        return ""
    rebuilt = any("reconstruct" in w or "xref" in w.lower() for w in warnings)
    if not _ends_with_eof(data):
        return msg("detect.cut_short")
    if rebuilt:
        return msg("detect.xref_broken")
    more = msg("drawing.more", n=len(warnings) - 1) if len(warnings) > 1 else ""
    return msg("detect.repaired", warning=_warning_text(warnings[0], path)) + more


def _ends_with_eof(data) -> bool:
    """Whether the file's last bytes, but for white space, are %%EOF: read from its
    end (a scan's memory map is not read whole for this)."""
    end = len(data)
    while end > 0:
        chunk = bytes(data[max(0, end - 65536) : end]).rstrip(b" \t\r\n\x00")
        if chunk:  # the last byte not white space ends the chunk: see the five before it
            last = max(0, end - 65536) + len(chunk)
            return bytes(data[max(0, last - 5) : last]) == b"%%EOF"
        end -= 65536
    return False


def _no_text(pdf: pikepdf.Pdf) -> bool:
    """The pages whose small print is looked for draw images and nothing else: no font,
    and no form XObject (which may hold text of its own). A scanner's file: reading
    its small print would only open it once more in pdfminer (and import it) to find
    no text."""
    for page in pdf.pages[:SMALL_PRINT_PAGES]:
        resources = inherited_key(page.obj, "/Resources")
        if not isinstance(resources, pikepdf.Dictionary) or "/Font" in resources:
            return False
        xobjects = resources.get("/XObject")
        if not isinstance(xobjects, pikepdf.Dictionary) or not len(xobjects):
            return False
        for name in xobjects.keys():
            xobject = xobjects.get(name)
            if not isinstance(xobject, pikepdf.Stream):
                return False
            if xobject.stream_dict.get("/Subtype") != pikepdf.Name.Image:
                return False
    return len(pdf.pages) > 0


def _first_pages(pdf: pikepdf.Pdf, data):
    """The bytes to read the small print from: the file's own, or for a scan of
    more pages a copy of its first SMALL_PRINT_PAGES (pdfplumber walks every page
    of a file to reach its first three: in a 1,000-page scan's memory map that
    kept 69 MB of it resident, where 100 pages kept 7)."""
    if len(pdf.pages) <= SMALL_PRINT_PAGES or not is_image_only_pdf(pdf):
        return data
    try:
        first = pikepdf.new()
        first.pages.extend(pdf.pages[:SMALL_PRINT_PAGES])
        buf = io.BytesIO()
        first.save(buf)
        return buf.getvalue()
    except pikepdf.PdfError:
        return data


def _mapped(path: Path) -> tuple[bytes | mmap.mmap, str]:
    """The file's bytes as a read-only memory map, and their sha256.

    A scan of a scanner's day is hundreds of megabytes: mapped, only what is
    looked at (its head, its end) is read into memory, and the digest is taken
    as the file is read in blocks. An empty file cannot be mapped: b"".
    """
    with open(path, "rb") as fh:
        sha = hashlib.file_digest(fh, "sha256").hexdigest()
        if not os.fstat(fh.fileno()).st_size:
            return b"", sha
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ), sha


def _warning_text(warning: str, path: Path) -> str:
    """A qpdf warning without the file name it starts with (the caller names the file):
    `NAME (object 7 0, offset 40): text` or `NAME, object 7 0 at offset 40: text`
    → `object 7 0: text`."""
    text = warning.strip().splitlines()[0] if warning.strip() else "a warning"
    for source in (str(path), "stream <"):
        if text.startswith(source):
            text = text[len(source) :]
            if source == "stream <":
                text = text.partition(">")[2]
            break
    match = re.match(r"\s*(?:\((object \d+ \d+)[^)]*\)|,\s*(object \d+ \d+)[^:]*)?:\s*(.*)", text)
    if match:
        where = match[1] or match[2]
        text = f"{where}: {match[3]}" if where else match[3]
    return text[:200]


def _rewritten(pdf: pikepdf.Pdf) -> bytes | None:
    """The file as qpdf repaired it, written out whole; None if even that fails."""
    out = io.BytesIO()
    try:
        # Streams are copied as they are: decoding them could inflate a bomb.
        pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none, compress_streams=False)
    except (pikepdf.PdfError, ValueError, OSError):
        return None
    return out.getvalue()


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
