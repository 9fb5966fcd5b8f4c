"""What one returned file may make us decode or draw, checked before anything is drawn.

A hostile file is refused with its reason (too many pages, a page too large, an
image of too many pixels, content that inflates past a bound) rather than left to
the batch's time and memory limits (dataset.workers.Limits), which only say that a
limit was hit. Flattened copies and scans are checked here before pdfplumber or
PDFium touch them.
"""

from __future__ import annotations

import io

from ..model.messages import text as msg
from .raw import ReadError

SCAN_DPI = 200


# What one file may make us draw. A hostile file is refused with its reason
# before any page is drawn, rather than left to the batch's time and memory
# limits (workers.Limits), which only say that a limit was hit.
#
# A scan file may hold a stack of questionnaires: a scanner's feeder batch of
# 500 sheets, both sides, is 1,000 pages. More is not one scanning session.
# (Its pages are drawn one at a time, 3.9 MB for A4 at SCAN_DPI, and dropped once
# read: 1,000 pages need no more memory than 100, benchmarks/scan_memory.py.)
# Every other returned file of ours (filled or flattened) has a handful of pages.
MAX_SCAN_PAGES = 1000


# Pixels of one page image: a scanned image, an image on a PDF page, or a PDF
# page drawn at SCAN_DPI. A3 scanned at 600 dpi is 70 million; our forms are read
# at 200 dpi (A4: 4 million). Reading costs about ten bytes a pixel (the grey
# copy and a float darkness map), so this bound keeps a page near 1 GB.
MAX_PAGE_PIXELS = 100_000_000


# Bytes that drawing a PDF's pages inflates, images aside (those are judged by
# their pixels): content streams, form XObjects, fonts, patterns. Our forms draw
# about 110 kB in all, also after Ghostscript or pdftocairo printed them; a font
# embedded whole may be 20 MB. The bound is for bombs (stopped here in 0.2 s):
# dense text far below it is slow rather than big (pdfplumber took 38 s over
# 4.7 MB of text operators), and that is left to the batch's time limit.
MAX_DRAWN_BYTES = 64 * 2**20


def check_page_count(count: int) -> None:
    """Refuse a file of more than MAX_SCAN_PAGES pages."""
    if count > MAX_SCAN_PAGES:
        raise ReadError(msg("read.too_many_pages", n=count, max=MAX_SCAN_PAGES))


def check_page_pixels(what: str, width: float, height: float, bomb: bool = True) -> None:
    """Refuse an image (or a page drawn) of more than MAX_PAGE_PIXELS: `what` names it
    (from the catalogue); `bomb`: say it may be a decompression bomb."""
    pixels = float(width) * float(height)
    if pixels > MAX_PAGE_PIXELS:
        raise ReadError(
            msg(
                "read.too_many_pixels",
                what=what,
                width=f"{width:,.0f}",
                height=f"{height:,.0f}",
                max=f"{MAX_PAGE_PIXELS:,}",
            )
            + (msg("read.bomb") if bomb else "")
        )


def check_page_size(number: int, width_pt: float, height_pt: float) -> None:
    """Refuse a page that would be too many pixels once drawn at SCAN_DPI."""
    scale = SCAN_DPI / 72
    check_page_pixels(
        msg(
            "read.page_measures",
            page=number,
            width=f"{width_pt * 25.4 / 72:,.0f}",
            height=f"{height_pt * 25.4 / 72:,.0f}",
            dpi=SCAN_DPI,
        ),
        width_pt * scale,
        height_pt * scale,
        bomb=False,
    )


def bomb_pixels(exc: Exception) -> str:
    """The pixel count in Pillow's DecompressionBombError message, for ours."""
    import re

    found = re.search(r"\((\d+) pixels\)", str(exc))
    return f"{int(found[1]):,}" if found else "too many"


class _TooLarge(Exception):
    pass


_FLATE = {"/FlateDecode", "/Fl"}


_LZW = {"/LZWDecode", "/LZW"}


_RUN_LENGTH = {"/RunLengthDecode", "/RL"}


_HEX = {"/ASCIIHexDecode", "/AHx"}


_A85 = {"/ASCII85Decode", "/A85"}


_CHUNK = 2**20


def _inflate(data: bytes, limit: int, keep: bool) -> tuple[int, bytes]:
    """Inflate at most `limit` bytes; (size, the bytes if `keep`). Corrupt data ends it."""
    import zlib

    inflater = zlib.decompressobj()
    size, out = 0, []
    try:
        while data:
            chunk = inflater.decompress(data, _CHUNK)
            stuck = not chunk and len(inflater.unconsumed_tail) >= len(data)
            data = inflater.unconsumed_tail
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            if keep:
                out.append(chunk)
            if inflater.eof or stuck:
                break
        rest = inflater.flush()  # at most a window's worth
    except zlib.error:
        rest = b""
    size += len(rest)
    if size > limit:
        raise _TooLarge
    return size, b"".join(out) + rest if keep else b""


def _lzw(data: bytes, limit: int) -> bytes:
    from pdfminer.lzw import LZWDecoder

    out, size = [], 0
    for piece in LZWDecoder(io.BytesIO(data)).run():
        size += len(piece)
        if size > limit:
            raise _TooLarge
        out.append(piece)
    return b"".join(out)


def _run_length(data: bytes, limit: int) -> bytes:
    out, i = bytearray(), 0
    while i < len(data) and data[i] != 128:
        n = data[i]
        if n < 128:
            out += data[i + 1 : i + 2 + n]
            i += n + 2
        else:
            out += data[i + 1 : i + 2] * (257 - n)
            i += 2
        if len(out) > limit:
            raise _TooLarge
    return bytes(out)


def _filter_name(obj) -> str:
    """A filter's name as text; its bytes as written when they are not UTF-8 (no filter
    we undo), where str() of a pikepdf name would raise."""
    try:
        return str(obj)
    except UnicodeDecodeError:
        return obj.unparse().decode("latin-1")


def decoded_size(stream, limit: int) -> int:
    """A stream's size once its filters are undone, or limit + 1 if it is more.

    Undoes Flate, LZW, RunLength, ASCIIHex and ASCII85 a piece at a time and stops
    at `limit`, so a decompression bomb costs what `limit` does, not what it
    inflates to. A layer it does not undo (an image codec) ends the count there.
    """
    import pikepdf

    filters = stream.get("/Filter") if "/Filter" in stream else None
    if filters is None:
        names = []
    elif isinstance(filters, pikepdf.Array):
        names = [_filter_name(f) for f in filters]
    else:
        names = [_filter_name(filters)]
    data = stream.read_raw_bytes()
    size = len(data)
    try:
        for i, name in enumerate(names):
            last = i == len(names) - 1
            if name in _FLATE:
                size, data = _inflate(data, limit, keep=not last)
            elif name in _LZW:
                data = _lzw(data, limit)
            elif name in _RUN_LENGTH:
                data = _run_length(data, limit)
            elif name in _HEX or name in _A85:
                from pdfminer.ascii85 import ascii85decode, asciihexdecode

                data = (asciihexdecode if name in _HEX else ascii85decode)(data)
            else:
                break
            if not last or name not in _FLATE:
                size = len(data)
    except _TooLarge:
        return limit + 1
    except Exception:  # noqa: BLE001 - data the readers cannot decode either: it ends here
        pass
    return size


# Keys that lead away from what a page draws (to other pages, outlines, actions).
_NOT_DRAWN = {"/Parent", "/P", "/Dest", "/A", "/AA", "/Next", "/Prev", "/First", "/Last"}
_NOT_DRAWN |= {"/Popup", "/IRT", "/Metadata", "/Thumb", "/PieceInfo", "/StructParents"}


def inherited_key(page, key: str):
    """A page attribute, from the page or the nearest /Pages node above it that has it."""
    import pikepdf

    node = page
    for _ in range(32):  # a page tree deeper than this is not one a reader walks either
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if key in node:
            return node.get(key)
        parent = node.get("/Parent") if "/Parent" in node else None
        if parent is None:
            return None
        node = parent
    return None


def check_drawable(pdf) -> None:
    """Refuse a PDF (pikepdf) whose pages cost too much to draw, saying what and why.

    For files whose pages will be drawn (flattened and scanned copies), before
    pdfplumber or PDFium touch them: the page count, each page's size at
    SCAN_DPI, each image's pixels, and what drawing the pages inflates.
    """
    import pikepdf

    check_page_count(len(pdf.pages))
    budget = MAX_DRAWN_BYTES
    seen: set = set()
    for number, page in enumerate(pdf.pages, start=1):
        obj = page.obj
        for key in ("/MediaBox", "/CropBox"):
            box = inherited_key(obj, key)
            try:
                x0, y0, x1, y1 = (float(v) for v in box)
            except (TypeError, ValueError):
                continue
            check_page_size(number, abs(x1 - x0), abs(y1 - y0))
        stack = [obj.get("/Contents"), inherited_key(obj, "/Resources")]
        annots = obj.get("/Annots") if "/Annots" in obj else None
        if isinstance(annots, pikepdf.Array):
            stack.extend(a.get("/AP") for a in annots if isinstance(a, pikepdf.Dictionary))
        while stack:
            item = stack.pop()
            if not isinstance(item, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)):
                continue
            if item.is_indirect:  # each object once: shared, and perhaps in a loop
                if item.objgen in seen:
                    continue
                seen.add(item.objgen)
            if isinstance(item, pikepdf.Array):
                stack.extend(item)
                continue
            if isinstance(item, pikepdf.Stream):
                if item.get("/Subtype") == "/Image":
                    try:
                        width, height = int(item.get("/Width", 0)), int(item.get("/Height", 0))
                    except (TypeError, ValueError):
                        width = height = 0
                    check_page_pixels(msg("read.page_draws_image", page=number), width, height)
                else:
                    budget -= decoded_size(item, budget)
                    if budget < 0:
                        raise ReadError(
                            msg(
                                "read.draws_too_much",
                                mb=MAX_DRAWN_BYTES // 2**20,
                                page=number,
                            )
                        )
            for key, value in item.items():
                if key not in _NOT_DRAWN and isinstance(
                    value, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)
                ):
                    stack.append(value)
