"""Read a form whose fields are gone: flattened, or printed to PDF.

pdftk `flatten`, pikepdf `flatten_annotations()`, PDFium `FPDFPage_Flatten`,
`pdftocairo -pdf` and Ghostscript all draw each field's appearance into the
page (PDF-NOTES). The layout says where every field was, so values are read
back from inside each field's rectangle:

- text with pdfplumber, from the characters drawn inside a text field's box;
- ticks from pixels: the page is drawn with PDFium and the ink inside the
  middle of each tick box measured, so a tick reads the same whether it was
  drawn as a glyph, a path or an image.

The corner marks are found on the page and the layout is mapped onto them,
so a print that was scaled or shifted ("fit to page") still lines up.
"""

from __future__ import annotations

import io
import mmap
import unicodedata
import zlib
from dataclasses import dataclass, field

import numpy as np

from ..model import fonts
from ..model.identity import Identity, parse_small_print, parse_unit_line
from ..model.layout import (
    CONTENT_BOTTOM,
    MARK_SIZE,
    Layout,
    PageLayout,
    Transform,
    Widget,
    width_of,
)
from ..model.messages import text as msg
from .guards import check_page_size
from .raw import ReadError

# Ink inside the middle half of a tick box, as a share of its pixels. An empty
# box measures 0.000 (its border lies outside the middle half); our cross
# measured 0.41–0.52 after pikepdf, pdftk, pdftocairo and Ghostscript
# flattening at RENDER_DPI (tests/test_flattened.py prints the spread). A
# quarter of the faintest tick is the cut-off, far from both.
#
# This is not the scan reader's ink model (read/scan/ink.py), and cannot become
# it without changing what is read. A flattened page is drawn here from its own
# drawing: no paper to tell from ink, no noise, no fold moving a box, and every
# mark is a viewer's cross, so plain dark pixels in the middle of the box say
# it all. The scan's model measures darkness against a paper map and the blank
# form, looks for each box's border and for rings around it, and its
# thresholds were set on scans: run on these pages it would give other numbers
# and, at the edges, other decisions. Each keeps the model its thresholds were
# measured with.
TICK_INK = 0.10
TICK_WINDOW = 0.5  # side of the measured square, as a share of the box side
DARK = 128  # a pixel darker than this (0–255) is ink
RENDER_DPI = 100
# A drawn page must show the boxes of the form before they are believed empty: a
# page whose drawing is damaged reads as "nothing marked" otherwise. A box side
# (left or right) is drawn when, within BORDER_REACH points of where the layout,
# aligned on the corner marks, puts it, BORDER_ROWS of the rows along it hold ink.
# Every flattener and print to PDF in the viewer matrix drew every side
# (tests/test_damaged.py prints the shares), also Ghostscript's print of a
# pypdf-filled form, which loses the page's printed questions and corner marks
# but keeps the boxes; a page showing under MIN_SHOWN of its box sides is damaged.
BORDER_REACH = 2.0
BORDER_ROWS = 0.7
MIN_SHOWN = 0.9


# How many more lines a box of several lines must have room for before nothing
# past it can be missed (_room_left). A line that would not be read inside the box
# may have been cut away; and an empty line between paragraphs shows nothing, so
# a paragraph after it shows only if a line after the empty one fits too. pdftk's
# appearance of all_types' `beskrivning` (LONG_TEXT in tests/test_flattened.py)
# ends on such an empty line, the paragraph after it cut away by Ghostscript and
# pdftocairo. Text after two or more empty lines past the box leaves no trace such
# a print could show.
FREE_LINES = 2
# A line past the last one is counted as room only when at least this share of a
# line's height lies inside the box. A line drawn lower is cut by the box's clip,
# and pdftocairo drops it even when its middle is inside the box (measured:
# all_types' `beskrivning` holds four whole lines and a fifth whose middle lies
# 0.3 pt above the box's bottom; pikepdf and Ghostscript keep that fifth line and
# pdftocairo drops it, tests/test_flattened.py).
KEPT = 0.5


def _stream(data) -> io.IOBase:
    """A file object over a file's bytes; a memory map of the file (a scan, read_file)
    is one already, and is read where needed instead of copied whole."""
    if isinstance(data, mmap.mmap):
        data.seek(0)
        return data
    return io.BytesIO(data)


SMALL_PRINT_PAGES = 3  # the pages whose small print is looked for


def identify_from_page_text(data: bytes) -> Identity:
    """The identity printed in the footer's small print, for files that lost their metadata."""
    import pdfplumber

    try:
        with pdfplumber.open(_stream(data)) as pdf:
            for page in pdf.pages[:SMALL_PRINT_PAGES]:
                strip = page.crop((0, page.height * 0.85, page.width, page.height))
                found = parse_small_print(strip.extract_text() or "")
                if found is not None:
                    return found
    except MemoryError:
        raise  # not "a page that tells nothing": the file is too much (the caller says so)
    except Exception:  # noqa: BLE001 - a page we cannot read simply tells nothing
        pass
    return Identity()


def unit_from_page_text(data: bytes) -> str | None:
    """The unit named at the top of the first page (generate/overlay.py unit_ops), or
    None: a copy printed for no unit, or a page whose text cannot be read."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page = pdf.pages[0]
            # the top eighth: the header and the unit's line, each a line of its own,
            # also when a print "fit to page" shrank and moved the page a little
            strip = page.crop((0, 0, page.width, page.height / 8))
            return parse_unit_line(strip.extract_text() or "")
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - a page we cannot read names no unit
        return None


# Every operator a content stream may hold (ISO 32000, Annex A), and what pikepdf
# calls an inline image. Anything else is a drawing that was damaged.
OPERATORS = frozenset(
    "b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID "
    "j J K k l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr "
    "Ts Tw Tz v w W W* y ' \"".split()
) | {"INLINE IMAGE"}


def _decoded(stream) -> tuple[bytes, str]:
    """A stream's data, and what is wrong with it ("" when nothing).

    Flate data is inflated here rather than by qpdf, which neither checks the
    data's checksum nor says when it stops short: a changed byte or a cut stream
    then draws part of the page, silently.
    """
    import pikepdf

    filters = stream.get("/Filter") if "/Filter" in stream else None
    if filters == "/FlateDecode" and "/DecodeParms" not in stream:
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(stream.read_raw_bytes())
        except zlib.error:
            return b"", msg("drawing.no_inflate")
        if not inflater.eof:
            return data, msg("drawing.stops_short")
        return data, ""
    try:
        return stream.read_bytes(), ""
    except pikepdf.PdfError:
        return b"", msg("drawing.undecodable")


def _operators(scratch, data: bytes) -> tuple[list, str]:
    """The operators a content stream's data holds, and what is wrong with it ("")."""
    import warnings

    import pikepdf

    before = len(scratch.get_warnings())
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ops = pikepdf.parse_content_stream(pikepdf.Stream(scratch, data))
    except (pikepdf.PdfError, UnicodeDecodeError, ValueError, TypeError):
        # TypeError: pikepdf's word for an object no content stream may hold (an
        # indirect reference, a stream), as a changed byte can make of "/Name"
        return [], msg("drawing.not_operators")
    named = [(_key(op.operator) or "", op.operands) for op in ops]
    if caught or len(scratch.get_warnings()) > before:
        return named, msg("drawing.does_not_parse")
    depth = 0  # inside BX … EX a reader must skip operators it does not know
    for name, _operands in named:
        depth += (name == "BX") - (name == "EX" and depth > 0)
        if name not in OPERATORS and not depth:
            return named, msg("drawing.unknown_operator", operator=repr(name))
    return named, ""


def _key(name) -> str | None:
    """A name (or an operator) as text, as pikepdf spells a dictionary key; None if it is
    none, or its bytes are not UTF-8 (where str() of it would raise)."""
    import pikepdf

    if not isinstance(name, (pikepdf.Name, pikepdf.Operator)):
        return None
    try:
        return str(name)
    except UnicodeDecodeError:
        return None


def check_drawing(pdf) -> list[str]:
    """What is broken in what the pages draw, in words (a pikepdf document).

    A flattened copy's answers are drawn: a drawing whose data is damaged, that
    is not made of drawing operators, or that draws a field's look or a font the
    file lacks, would read as "nothing marked" or "nothing written". Run after
    scan.check_drawable, which bounds what is decoded here.
    """
    import pikepdf

    from .guards import inherited_key

    scratch = pikepdf.new()  # parses content apart, so its warnings are not the file's
    notes: list[str] = []
    seen: set = set()
    for number, page in enumerate(pdf.pages, start=1):
        faults: list[str] = []
        contents = page.obj.get("/Contents") if "/Contents" in page.obj else None
        parts = []
        for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
            if not isinstance(stream, pikepdf.Stream):
                faults.append(msg("drawing.part_missing"))
                continue
            data, wrong = _decoded(stream)
            if wrong:
                faults.append(msg("drawing.in_object", wrong=wrong, object=stream.objgen[0]))
            parts.append(data)
        work = [(b"\n".join(parts), inherited_key(page.obj, "/Resources"), msg("drawing.content"))]
        while work:
            data, res, what = work.pop()
            ops, wrong = _operators(scratch, data)
            if wrong:
                faults.append(f"{what}: {wrong}")
            xobjects, fonts = _sub(res, "/XObject"), _sub(res, "/Font")
            for operator, operands in ops:
                if operator not in ("Do", "Tf") or not operands:
                    continue
                name = _key(operands[0])
                if operator == "Tf":
                    if name is None or not fonts or name not in fonts:
                        faults.append(msg("drawing.font_missing", name=name))
                    continue
                xobject = xobjects.get(name) if name and xobjects and name in xobjects else None
                kind = xobject.get("/Subtype") if isinstance(xobject, pikepdf.Stream) else None
                if xobject is None:
                    faults.append(msg("drawing.xobject_missing", name=name))
                elif kind not in ("/Form", "/Image"):
                    faults.append(msg("drawing.xobject_kind", name=name))
                elif kind == "/Image" or xobject.objgen in seen:
                    continue
                elif not _is_box(xobject.get("/BBox") if "/BBox" in xobject else None):
                    faults.append(msg("drawing.xobject_bbox", name=name))
                else:
                    seen.add(xobject.objgen)
                    data, wrong = _decoded(xobject)
                    if wrong:
                        faults.append(f"{name}: {wrong}")
                        continue
                    own = xobject.get("/Resources") if "/Resources" in xobject else None
                    own = own if isinstance(own, pikepdf.Dictionary) else res
                    work.append((data, own, name))
        if faults:
            more = msg("drawing.more", n=len(faults) - 1) if len(faults) > 1 else ""
            notes.append(msg("drawing.page_damaged", page=number, fault=faults[0]) + more)
    return notes


def _is_box(value) -> bool:
    import pikepdf

    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return False
    try:
        return all(isinstance(float(v), float) for v in value)
    except (TypeError, ValueError):
        return False


def _sub(resources, key: str):
    """A resource dictionary's sub-dictionary (/XObject, /Font), or None."""
    import pikepdf

    if not isinstance(resources, pikepdf.Dictionary) or key not in resources:
        return None
    found = resources.get(key)
    return found if isinstance(found, pikepdf.Dictionary) else None


def _is_dark(color) -> bool:
    if color is None:
        return False
    values = list(color) if isinstance(color, (list, tuple)) else [color]
    if len(values) == 4:  # CMYK: dark when K is high or all inks are
        c, m, y, k = values
        return k > 0.7 or min(c, m, y) > 0.7
    return all(isinstance(v, (int, float)) and v < 0.3 for v in values)


def _find_marks(page) -> list[tuple[float, float]]:
    """Centres (PDF points, origin bottom-left) of filled dark squares near the corners."""
    found = []
    height = float(page.height)
    for obj in list(page.rects) + list(page.curves):
        if not obj.get("fill") or not _is_dark(obj.get("non_stroking_color")):
            continue
        w, h = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
        if not (
            0.5 * MARK_SIZE <= w <= 1.6 * MARK_SIZE and 0.5 * MARK_SIZE <= h <= 1.6 * MARK_SIZE
        ):
            continue
        cx, cy = (obj["x0"] + obj["x1"]) / 2, height - (obj["top"] + obj["bottom"]) / 2
        found.append((cx, cy))
    return found


def _align(page, layout_page: PageLayout, width: float, height: float) -> tuple[Transform, int]:
    """Map the layout's corner marks onto the marks found on the page; and how many were."""
    found = _find_marks(page)
    pairs = []
    for mark in layout_page.marks:
        lx, ly = mark.x + mark.w / 2, mark.y + mark.h / 2
        # the page may be scaled: compare positions relative to the page size
        rx, ry = lx / width, ly / height
        best = min(
            found,
            default=None,
            key=lambda p: (
                (p[0] / float(page.width) - rx) ** 2 + (p[1] / float(page.height) - ry) ** 2
            ),
        )
        if best is None:
            continue
        dist = (best[0] / float(page.width) - rx) ** 2 + (best[1] / float(page.height) - ry) ** 2
        if dist < 0.05**2:
            pairs.append(((lx, ly), best))
    if len(pairs) < 3:
        if abs(float(page.width) - width) < 1 and abs(float(page.height) - height) < 1:
            return Transform.scaling(), len(pairs)
        sx, sy = float(page.width) / width, float(page.height) / height
        return Transform.scaling(sx, sy), len(pairs)
    src = np.array([[lx, ly, 1.0] for (lx, ly), _ in pairs])
    dst = np.array([p for _, p in pairs])
    solution, *_ = np.linalg.lstsq(src, dst, rcond=None)
    return Transform(solution.T), len(pairs)


def _text_item_rect(t) -> tuple[float, float, float, float]:
    """Where a printed text of the layout sits (layout points): its width, and from
    below its baseline (descenders) to a line's height above it."""
    width = width_of(t.text, t.font, t.size)
    x0 = t.x - (width if t.align == "right" else width / 2 if t.align == "center" else 0)
    return x0, t.y - 0.3 * t.size, x0 + width, t.y + t.size


def _text_beyond(
    page, layout_page: PageLayout, w: Widget, transform: Transform, page_width: float
) -> str | None:
    """Text drawn past a text box, where the layout prints nothing: below a box of
    several lines, to the right of a one-line box.

    A viewer draws a value too long for its box and clips it; a flattened or
    printed copy keeps the characters (half a line may even show on paper, or a
    line runs on past the paper's edge), but they are not inside the box. They are
    the end of what was typed, so they must not vanish: the reader says so (parse
    turns it into a problem quoting them) rather than guess where the answer ends.
    The band looked in ends at the next thing the layout draws there, so printed
    words are never taken for typed ones.
    """
    x0, y0, x1, y1 = w.x, w.y, w.x + w.w, w.y + w.h
    others = [_text_item_rect(t) for t in layout_page.texts]
    others += [r.rect for r in layout_page.widgets if r is not w]
    others += [(r.x, r.y, r.x + r.w, r.y + r.h) for r in layout_page.rects]
    # on to the next thing on the box's lines, or past the page's edge: a one-line
    # box runs on there, and so does a line of several that its filler did not wrap
    # (pypdf draws each paragraph as one line)
    wall = min(
        [b[0] for b in others if b[0] >= x1 - 0.5 and b[1] < y1 and b[3] > y0],
        default=2 * page_width,  # a clipped line may run on past the paper
    )
    bands = [(x1, y0, wall, y1)]
    if w.multiline:  # and down to the next thing below the box, across its width
        floor = max(
            [b[3] for b in others if b[3] <= y0 + 0.5 and b[0] < x1 and b[2] > x0],
            default=CONTENT_BOTTOM,
        )
        bands.append((x0, max(floor, CONTENT_BOTTOM), x1, y0))
    height = float(page.height)
    found = []
    for band in bands:
        if band[2] - band[0] < 1 or band[3] - band[1] < 1:
            continue
        bx0, by0, bx1, by1 = transform.rect(*band)
        top, bottom = height - by1, height - by0

        def within(obj, bx0=bx0, bx1=bx1, top=top, bottom=bottom) -> bool:
            if obj.get("object_type") != "char" or not obj.get("text", "").strip():
                return False
            cx = (obj["x0"] + obj["x1"]) / 2
            cy = (obj["top"] + obj["bottom"]) / 2
            return bx0 <= cx <= bx1 and top <= cy <= bottom

        found.append(" ".join(page.filter(within).extract_text().split()))
    return " ".join(t for t in found if t) or None


def _printed_fonts(page, layout_page: PageLayout, transform: Transform) -> set[str]:
    """The fonts the page's printed words are drawn in, as this copy names them (a
    flattener or a print may rename them): the fonts of the characters that spell a
    printed text of the layout where it stands. A text that typed characters run over
    spells something else and teaches nothing."""
    height = float(page.height)
    names: set[str] = set()
    for t in layout_page.texts:
        bx0, by0, bx1, by1 = transform.rect(*_text_item_rect(t))
        top, bottom = height - by1, height - by0
        chars = [
            ch
            for ch in page.chars
            if bx0 <= (ch["x0"] + ch["x1"]) / 2 <= bx1
            and top <= (ch["top"] + ch["bottom"]) / 2 <= bottom
            and ch.get("text", "").strip()
        ]
        if chars and sorted(c["text"] for c in chars) == sorted(t.text.replace(" ", "")):
            names.update(c.get("fontname", "") for c in chars)
    return names


def _typed_from_above(
    page, layout_page: PageLayout, w: Widget, transform: Transform, printed: set[str]
) -> bool:
    """Whether typed text runs into this box from the box above it: characters in a
    font the page's printed words are not drawn in, between the two boxes. A flattener
    that keeps what ran past a box of several lines draws it over the next question's
    words and on into its box, where it would be read as that question's answer."""
    above = [
        o
        for o in layout_page.widgets
        if o is not w
        and o.kind in ("text", "choice")
        and o.y >= w.y + w.h - 0.5
        and o.x < w.x + w.w
        and o.x + o.w > w.x
    ]
    if not above or not printed:
        return False
    ceiling = min(o.y for o in above)
    bx0, by0, bx1, by1 = transform.rect(w.x, w.y + w.h, w.x + w.w, ceiling)
    height = float(page.height)
    top, bottom = height - by1, height - by0
    for ch in page.chars:
        if not ch.get("text", "").strip() or ch.get("fontname", "") in printed:
            continue
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        if bx0 <= cx <= bx1 and top <= cy <= bottom:
            return True
    return False


def _text_in(
    page,
    box: tuple[float, float, float, float],
    multiline: bool,
    font_size: float,
    comb: bool = False,
) -> str | None:
    """The characters drawn inside a text field's box, as the text that was typed.

    A comb field's characters stand one a cell, far apart: they are one value, read
    without the spaces their gaps would otherwise be taken for."""
    x0, y0, x1, y1 = box
    height = float(page.height)
    top, bottom = height - y1, height - y0

    def inside(obj) -> bool:
        if obj.get("object_type") != "char":
            return False
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return x0 <= cx <= x1 and top <= cy <= bottom

    region = page.filter(inside)
    lines = region.extract_text_lines(return_chars=True, strip=False)
    if not lines:
        return None
    if comb:
        chars = sorted((c for line in lines for c in line["chars"]), key=lambda c: c["x0"])
        return "".join(c["text"] for c in chars).replace(" ", "") or None
    texts: list[str] = []
    leading = _leading(lines, font_size)
    right_set = _set_right(lines)
    for i, line in enumerate(lines):
        text = line["text"].rstrip()
        if i == 0:
            texts.append(text)
            continue
        if not multiline:
            texts[-1] = f"{texts[-1]} {text.strip()}"
            continue
        previous = lines[i - 1]
        # An empty line leaves a gap of two or more lines' height.
        skipped = round((line["top"] - previous["top"]) / leading) - 1
        if skipped > 0:
            texts.extend([""] * skipped)
            texts.append(text)
            continue
        # A viewer wraps a long line itself. If the next line's first word would
        # have fitted beside this one, the writer pressed Enter; else it wrapped.
        # The room is on the right of lines set from the left edge, and on the left
        # of lines set against the right edge (a right-to-left language's boxes, /Q 2).
        needed = _first_word_width(line) + 0.3 * font_size  # the word and a space
        room = previous["x0"] - x0 if right_set else x1 - previous["x1"]
        if text.strip() and needed > room - 1.0:
            texts[-1] = f"{texts[-1]} {text.strip()}"
        else:
            texts.append(text)
    value = "\n".join(texts).strip()
    return value or None


def _set_right(lines: list[dict]) -> bool:
    """Whether a box's lines are set against its right edge: they end together and
    start apart (a right-to-left language's boxes, where the viewer honours /Q 2).
    Lines that start together are set from the left, indented or not."""
    written = [line for line in lines if line["text"].strip()]
    if len(written) < 2:
        return False
    ends = [line["x1"] for line in written]
    starts = [line["x0"] for line in written]
    return max(ends) - min(ends) < 1.5 < max(starts) - min(starts)


def _room_left(page, box: tuple[float, float, float, float], font_size: float) -> int:
    """How many more lines a box of several lines has room for below its last written
    one, up to FREE_LINES (FREE_LINES for an empty box).

    A printer that cuts what a box's clip leaves out (Ghostscript's pdfwrite and
    pdftocairo drop every line drawn wholly outside it) leaves no trace of the lines
    past the box, and a flattener that keeps them may draw them under the printed
    words below the box, where they cannot be told apart. Text written down to the
    bottom of its box may so have gone on: only a person with the paper can say.
    """
    x0, y0, x1, y1 = box
    height = float(page.height)
    top, bottom = height - y1, height - y0

    def inside(obj) -> bool:
        if obj.get("object_type") != "char" or not obj.get("text", "").strip():
            return False
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return x0 <= cx <= x1 and top <= cy <= bottom

    lines = page.filter(inside).extract_text_lines(return_chars=True, strip=False)
    if not lines:
        return FREE_LINES
    last = max(lines, key=lambda line: line["top"])
    leading = _leading(lines, font_size)
    middle = (last["top"] + last["bottom"]) / 2  # pdfplumber's y runs down the page
    room = 0
    while room < FREE_LINES and middle + (room + 1 + KEPT) * leading <= bottom:
        room += 1
    return room


def _leading(lines: list[dict], font_size: float) -> float:
    """Distance between two lines of a text box, as the viewer that drew it spaced them.

    Viewers use 1.0–1.3 × the font size. The smallest gap between neighbouring
    lines is one line, unless every gap spans an empty line too.
    """
    size = max((c["size"] for line in lines for c in line["chars"]), default=font_size)
    gaps = [b["top"] - a["top"] for a, b in zip(lines, lines[1:], strict=False)]
    smallest = min(gaps, default=size * 1.16)
    return smallest if smallest < 1.6 * size else size * 1.16


def _first_word_width(line: dict) -> float:
    """Drawn width of a line's first word, measured on its characters (any font)."""
    word: list[dict] = []
    for c in line["chars"]:
        if not c["text"].strip():
            if word:
                break
            continue
        if word and c["x0"] - word[-1]["x1"] > 0.2 * c["size"]:
            break  # a gap wider than letter spacing: the next word
        word.append(c)
    return word[-1]["x1"] - word[0]["x0"] if word else 0.0


def _ink(
    image: np.ndarray, box: tuple[float, float, float, float], page_height: float, scale: float
) -> float:
    """Share of dark pixels in the middle of a box (page points → image pixels).

    The page was drawn upright at `scale` pixels a point (Transform.drawn's map);
    the window's edges are worked out here as they always were, since a pixel
    more or less at a rounding edge changes the share.
    """
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = (x1 - x0) * TICK_WINDOW / 2, (y1 - y0) * TICK_WINDOW / 2
    left = int(round((cx - half_w) * scale))
    right = int(round((cx + half_w) * scale))
    top = int(round((page_height - cy - half_h) * scale))
    bottom = int(round((page_height - cy + half_h) * scale))
    window = image[max(top, 0) : max(bottom, top + 1), max(left, 0) : max(right, left + 1)]
    if window.size == 0:
        return 0.0
    return float((window < DARK).mean())


def _borders_shown(
    image: np.ndarray,
    widgets: list[Widget],
    transform: Transform,
    page_height: float,
    scale: float,
) -> tuple[int, int]:
    """How many of the widgets' printed box sides (left and right) are drawn, of how many.

    Layout → page point by the fit (`transform`), page point → pixel as in _ink.
    """
    found = total = 0
    reach = BORDER_REACH * scale
    for w in widgets:
        x0, y0, x1, y1 = transform.rect(w.x, w.y, w.x + w.w, w.y + w.h)
        top = int(round((page_height - (y1 - 0.2 * (y1 - y0))) * scale))
        bottom = int(round((page_height - (y0 + 0.2 * (y1 - y0))) * scale))
        for x in (x0, x1):
            left, right = int(round(x * scale - reach)), int(round(x * scale + reach)) + 1
            band = image[max(top, 0) : max(bottom, top + 1), max(left, 0) : max(right, left + 1)]
            total += 1
            if band.size and (band.min(axis=1) < DARK).mean() >= BORDER_ROWS:
                found += 1
    return found, total


@dataclass
class Drawn:
    """What the drawn pages of a flattened copy gave."""

    fields: dict[str, str | None]
    multiple_marks: dict[str, list[str]]  # radio groups with several marks
    damage: list[str]  # pages that do not show the form, in words
    shown: list[tuple[int, int]]  # per page: box sides drawn, of how many
    # text fields whose typed text runs on past their box: field → the text beyond
    beyond: dict[str, str] = field(default_factory=dict)
    # text fields of several lines written down to the bottom of their box, with
    # nothing found past it: field → lines of room left (under FREE_LINES). What went
    # on past the box may be lost (_room_left).
    full: dict[str, int] = field(default_factory=dict)
    # text fields whose drawn text cannot be taken as typed: field → why (value None)
    faults: dict[str, str] = field(default_factory=dict)
    # text fields of a language the fields' font cannot draw all of: field → letters
    unsure: dict[str, str] = field(default_factory=dict)
    # text fields that typed text from the box above runs on into (_typed_from_above)
    runs_on: list[str] = field(default_factory=list)


# What a flattened copy's typed text can be trusted with. Viewers draw what people
# type in the fields' font (model/fonts.py), pdfforms draws values in the values'
# fonts. A letter the fields' font has no code for is drawn by each client and
# flattener in its own way, measured for Ukrainian, Northern Sami and Arabic on forms
# whose fields' font was WinAnsi (docs/viewers.md): exact (PDFium), lost (pdf.js
# writes no appearance, pdftk and pypdf draw it in WinAnsi), or drawn in a font whose
# text map says other letters (poppler's added DejaVu read back as "ҊҫңҝӁҭ" for
# "Привіт", Lao for Arabic) or none ("(cid:1055)"). From layout edition 3 the fields'
# font of such a language has its letters, and pdf.js, PDFium, poppler and pypdf draw
# them exactly through every flattener; pdftk draws no glyph at all ("(cid:0)"),
# which is a glyph fault below. Right-to-left letters are drawn by each viewer in its
# own shapes and order (PDFium puts Arabic back to front, letter by letter), so they
# stay at risk in every edition.
#
# So in a language with letters at risk no typed answer of a flattened copy is
# certain, an empty box included; and in any language, drawn text with glyphs that
# map to no letter, or letters that no font of ours has and the form's own language
# does not have either, is not taken as typed.
def _ours(ch: str) -> bool:
    """Whether a font typed text is drawn in by pdfforms or our forms' viewers has it."""
    return ord(ch) in _OURS


_OURS = frozenset().union(*(fonts.typed_charset(f) for f in fonts.TYPED_FONTS.values()))


def letters_at_risk(layout: Layout) -> str:
    """The letters of the form's language (its printed texts) that typed text may have
    lost or changed on a flattened copy: those the fields' font lacks, and every letter
    written right to left."""
    have = fonts.typed_charset(layout.fields_font)
    risky = (ch for ch in layout.letters if ord(ch) not in have or fonts.has_rtl(ch))
    return "".join(risky)


# What a text map gives for a glyph it has no letter for: U+FFFD, or a code point that
# is no character at all (pdfminer gives U+FFFF for pdftk's empty glyphs in a
# composite font); private-use code points are handled below with the other letters.
_NO_LETTER = ("Cn", "Cs")


def _glyph_fault(text: str | None, language_letters: set[str]) -> str:
    """Why drawn text cannot be taken as what was typed ("" when it can)."""
    if not text:
        return ""
    if (
        "(cid:" in text
        or "\ufffd" in text
        or any(unicodedata.category(ch) in _NO_LETTER for ch in text)
    ):
        return msg("drawing.lost_letters")
    odd = sorted(
        {
            ch
            for ch in text
            if 0xE000 <= ord(ch) <= 0xF8FF
            or (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
            or (ch.isalpha() and not _ours(ch) and ch not in language_letters)
        }
    )
    if odd:
        shown = ", ".join(f"U+{ord(ch):04X}" for ch in odd[:6])
        return msg("drawing.foreign_characters", characters=shown)
    return ""


def read_flattened(data: bytes, layout: Layout) -> Drawn:
    """Field values read from the drawn pages, once each page is seen to show the form.

    Raises ReadError when pdfplumber or PDFium cannot read the pages at all.
    """
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException
    from pypdfium2 import PdfiumError

    try:
        return _read_drawn(data, layout)
    except (PdfminerException, MalformedPDFException, PSException, PdfiumError) as exc:
        text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
        why = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
        raise ReadError(msg("read.drawing_unreadable", reason=why)) from None


def _read_drawn(data: bytes, layout: Layout) -> Drawn:
    import pdfplumber
    import pypdfium2 as pdfium

    fields: dict[str, str | None] = {}
    marked: dict[str, list[str]] = {}
    damage: list[str] = []
    shown = []
    beyond: dict[str, str] = {}
    faults: dict[str, str] = {}
    unsure: dict[str, str] = {}
    at_risk = letters_at_risk(layout)
    language_letters = set(layout.letters)  # the glyph check asks only of letters
    full: dict[str, int] = {}
    runs_on: list[str] = []
    doc = pdfium.PdfDocument(data)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for layout_page, page in zip(layout.pages, pdf.pages, strict=False):
                transform, marks = _align(page, layout_page, layout.width, layout.height)
                pdf_page = doc[layout_page.number - 1]
                check_page_size(layout_page.number, *pdf_page.get_size())  # before the bitmap
                scale = RENDER_DPI / 72
                bitmap = pdf_page.render(scale=scale, grayscale=True)
                image = np.asarray(bitmap.to_pil().convert("L"))
                page_height = float(pdf_page.get_height())
                pdf_page.close()
                sides, total = _borders_shown(
                    image, layout_page.widgets, transform, page_height, scale
                )
                shown.append((sides, total))
                if total and sides < MIN_SHOWN * total:
                    questions = list(dict.fromkeys(w.question for w in layout_page.widgets))
                    damage.append(
                        msg(
                            "drawing.boxes_missing",
                            page=layout_page.number,
                            sides=sides,
                            total=total,
                            marks=marks,
                        )
                        + (f" ({', '.join(questions)})" if questions else "")
                    )
                    for w in layout_page.widgets:
                        fields[w.field] = None
                    continue
                printed = _printed_fonts(page, layout_page, transform)
                for w in layout_page.widgets:
                    box = transform.rect(w.x, w.y, w.x + w.w, w.y + w.h)
                    if w.kind in ("text", "choice") and _typed_from_above(
                        page, layout_page, w, transform, printed
                    ):
                        runs_on.append(w.field)
                    if w.kind in ("text", "choice"):
                        fields[w.field] = _text_in(
                            page,
                            box,
                            w.multiline,
                            w.font_size * transform.scale,
                            bool(w.comb) and layout.comb_fields,
                        )
                        fault = _glyph_fault(fields[w.field], language_letters)
                        if fault:
                            faults[w.field], fields[w.field] = fault, None
                        elif at_risk and w.kind == "text":
                            unsure[w.field] = at_risk
                        more = _text_beyond(page, layout_page, w, transform, layout.width)
                        if more:
                            beyond[w.field] = more
                        elif w.multiline:
                            room = _room_left(page, box, w.font_size * transform.scale)
                            if room < FREE_LINES:
                                full[w.field] = room
                        continue
                    ticked = _ink(image, box, page_height, scale) >= TICK_INK
                    fields.setdefault(w.field, None)
                    if not ticked:
                        continue
                    if w.kind == "checkbox":
                        fields[w.field] = "Yes"
                    else:
                        marked.setdefault(w.field, []).append(w.on)
    finally:
        doc.close()
    for name, values in marked.items():
        if len(values) == 1:
            fields[name] = values[0]
        else:
            fields[name] = None
    multiple = {name: values for name, values in marked.items() if len(values) > 1}
    for w in layout.widgets():  # pages missing from the file: their fields are blank
        fields.setdefault(w.field, None)
    return Drawn(fields, multiple, damage, shown, beyond, full, faults, unsure, runs_on)
