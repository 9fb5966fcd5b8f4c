"""Tagged PDF for the report: reportlab draws, this module says what each drawing is.

reportlab writes no structure tree. While it draws, the report's flowables wrap
what they draw in marked content (`/H2 <</MCID 4>> BDC … EMC`) through the
canvas, and everything that is only decoration (the footer, table rules and
shading, a table header repeated on a new page) in `/Artifact … EMC`. A
`ReportTagger` on the canvas numbers the marks per page and remembers which
structure element each belongs to. After reportlab has written the file,
`finish` sets each page's /StructParents, ties the link annotations to their
Link elements and adds what PDF/UA-1 and PDF/A-2 ask of the document (MarkInfo,
/Tabs /S, XMP with dc:title, pdfuaid and pdfaid, an sRGB OutputIntent) with
pikepdf, then writes the StructTreeRoot, its elements and its ParentTree after
the saved file as an incremental update, as text, without holding them as
objects (see `finish`).

The tree itself (`Elem`) is made by the report writer in reading order, before
anything is drawn; a flowable holds the element its content belongs to. A
paragraph split over two pages is one element with a mark on each page.
"""

from __future__ import annotations

import io
import itertools
import re
import struct
import zlib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape, unescape

import pikepdf
from PIL import ImageCms
from reportlab.lib.geomutils import normalizeTRBL
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.tableofcontents import TableOfContents

from ..model.fonts import drop_null_unicode
from ..model.layout import wrap_measured

# The catalogue's conformance claims. pdfaid conformance A: the document is tagged,
# as PDF/A-2 level A asks; both claims are checked by the validators in the tests.
PDFA_PART, PDFA_CONFORMANCE, PDFUA_PART = "2", "A", "1"


@dataclass(eq=False, slots=True)  # tens of thousands in a large report: no __dict__ each
class Elem:
    """One structure element: a role of PDF's standard set, its children in reading order.

    A large report has some 40,000 (two for each free text): what each holds is
    kept small, since it is held until the tree is written. No kids is an empty
    tuple, not a list each; the element's first mark and its object number are
    its own fields, not entries of dictionaries keyed by it; a list item's LI, which
    holds nothing but its LBody, is made only when the tree is written (`wrap`).
    """

    role: str
    kids: list[Elem] | tuple = ()
    alt: str = ""  # /Alt: what a figure shows, or what an empty header cell is about
    table: dict | None = None  # Table attributes: Scope, ColSpan
    contents: str = ""  # a Link's words, given to its annotations as /Contents
    late: bool = False  # its cell starts as layout; its mark begins inside (TaggedContents)
    mark: int = -1  # its first mark, page << MARK_BITS | MCID (the tagger of the pass sets it)
    number: int = 0  # its object number, while the tree is written (its wrapper's, if any)
    wrap: str = ""  # the role of a parent made when the tree is written, with it its only kid

    @property
    def own(self) -> int:
        """Its own object number (after its wrapper's)."""
        return self.number + 1 if self.wrap else self.number

    def add(self, role: str, **kw) -> Elem:
        kid = Elem(role, **kw)
        if not self.kids:
            self.kids = []
        self.kids.append(kid)
        return kid


MARK_BITS = 20  # an MCID in an element's `mark`: far more marks than a page holds


class ReportTagger:
    """The marks of one drawing pass: (page, MCID) → element, and which links each holds."""

    def __init__(self, canvas):
        self.canvas = canvas
        # page → its marked elements, by MCID; an element's first mark is on it (Elem.mark)
        # and its marks after the first, of a text split over pages, are in `more`
        self.on_page: list[list[Elem]] = []
        self.more: dict[int, tuple[Elem, list[tuple[int, int]]]] = {}
        self.links: list[tuple[int, Elem]] = []  # per link annotation, in the order made
        self.open: Elem | None = None
        self.owner: Elem | None = None  # whose links are made outside its mark (see Elem.late)
        # id(row) → (row, the page it was first drawn on); the row is kept so its id is not
        # reused within the pass
        self.seen_rows: dict[int, tuple[list, int]] = {}
        link = canvas.linkRect

        def link_rect(*args, **kw):  # reportlab makes links through this one method
            self.links.append((self.page, self.open or self.owner))
            return link(*args, **kw)

        canvas.linkRect = link_rect

    def release(self) -> None:
        """Let the canvas go once its pass is drawn: its link hook refers to the canvas
        through this tagger, a cycle that would keep the pass's document alive."""
        if self.canvas is not None:
            vars(self.canvas).pop("linkRect", None)
            vars(self.canvas).pop("pdfforms_tagger", None)
            self.canvas = None

    @property
    def page(self) -> int:
        return self.canvas.getPageNumber() - 1

    def begin(self, elem: Elem) -> None:
        if self.open is not None:  # marks do not nest: a mark belongs to one element
            raise RuntimeError(f"{elem.role} drawn inside {self.open.role}")
        page = self.page
        while len(self.on_page) <= page:
            self.on_page.append([])
        mcid = len(self.on_page[page])
        self.on_page[page].append(elem)
        if elem.mark < 0:
            elem.mark = page << MARK_BITS | mcid
        else:
            self.more.setdefault(id(elem), (elem, []))[1].append((page, mcid))
        self.open = elem
        self.canvas.addLiteral(f"/{elem.role} <</MCID {mcid}>> BDC")

    def marks(self, elem: Elem) -> list[tuple[int, int]]:
        """(page, MCID) of each of the element's marks, in the order drawn."""
        if elem.mark < 0:
            return []
        first = (elem.mark >> MARK_BITS, elem.mark & ((1 << MARK_BITS) - 1))
        more = self.more.get(id(elem))
        return [first] + more[1] if more else [first]

    def end(self) -> None:
        self.open = None
        self.canvas.addLiteral("EMC")

    def artifact(self, kind: str = "Layout", subtype: str = "") -> None:
        sub = f" /Subtype /{subtype}" if subtype else ""
        self.canvas.addLiteral(f"/Artifact <</Type /{kind}{sub}>> BDC")

    def end_artifact(self) -> None:
        self.canvas.addLiteral("EMC")


def tagger(canvas) -> ReportTagger:
    """The canvas's tagger (each pass of a multi-pass build draws on a new canvas)."""
    found = getattr(canvas, "pdfforms_tagger", None)
    if found is None:
        found = canvas.pdfforms_tagger = ReportTagger(canvas)
    return found


class TaggedParagraph(Paragraph):
    """A paragraph whose text is the content of one structure element."""

    def __init__(self, text, style=None, elem: Elem | None = None, **kw):
        super().__init__(text, style, **kw)
        self.elem = elem  # reportlab's split makes the parts without it: see split

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:  # the second half goes on the next page, still the same element
            part.elem = self.elem
        return parts

    def drawOn(self, canvas, x, y, _sW=0):
        t = tagger(canvas)
        t.begin(self.elem)
        super().drawOn(canvas, x, y, _sW)
        t.end()


class TaggedLines(Flowable):
    """A free text as plain lines in one font, drawn as a Paragraph of `style` draws it
    (the same lines, baselines, box and spacing), the content of one structure element.

    The appendix of a large report is thousands of these, drawn once per pass of
    reportlab's build; a Paragraph parses its markup into fragments, measures each
    word and draws it fragment by fragment, which took most of the report's time.
    Here a line's width is summed from the font's table of glyph widths, and a
    line is drawn as one string. Text in a font the report's own cannot draw stays
    a TaggedParagraph (see pdf.written).
    """

    def __init__(self, text: str | None, style, elem: Elem, lines=None, first=True, last=True):
        super().__init__()
        self.text = text  # None for a part of a split text, whose `lines` are made
        self.lines: list[str] = lines or []
        self.style = style
        self.elem = elem
        self.first, self.last = first, last  # a part of a split text: the space it keeps
        self._room: float | None = None
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):
        style = self.style
        room = availWidth - style.leftIndent - style.rightIndent
        if self.text is not None and self._room != room:
            self.lines = _lines(self.text, style.fontName, style.fontSize, room)
            self._room = room
        self.width = availWidth
        self.height = len(self.lines) * style.leading
        return self.width, self.height

    def getSpaceBefore(self):
        return self.style.spaceBefore if self.first else 0

    def getSpaceAfter(self):
        return self.style.spaceAfter if self.last else 0

    def split(self, availWidth, availHeight):
        """As a Paragraph splits: the lines that fit, at least two, and the rest."""
        self.wrap(availWidth, availHeight)
        fit = int(availHeight / self.style.leading)
        if fit <= 1 or len(self.lines) <= fit:
            return [] if fit <= 1 else [self]
        if len(self.lines) == fit + 1 and len(self.lines) > 3:
            fit -= 1  # no line left alone at the top of the next page
        head = TaggedLines(None, self.style, self.elem, self.lines[:fit], self.first, False)
        tail = TaggedLines(None, self.style, self.elem, self.lines[fit:], False, self.last)
        return [head, tail]

    def draw(self):
        canvas, style = self.canv, self.style
        t = tagger(canvas)
        top, right, bottom, left = normalizeTRBL(style.borderPadding)
        t.artifact()
        canvas.saveState()
        canvas.setStrokeColor(style.borderColor)
        canvas.setLineWidth(style.borderWidth)
        canvas.rect(
            style.leftIndent - left,
            -bottom,
            self.width - style.leftIndent - style.rightIndent + left + right,
            self.height + top + bottom,
            fill=0,
            stroke=1,
        )
        canvas.restoreState()
        t.end_artifact()
        t.begin(self.elem)
        text = canvas.beginText(style.leftIndent, self.height - style.fontSize)
        text.setFont(style.fontName, style.fontSize, style.leading)
        text.setFillColor(style.textColor)
        for line in self.lines:
            text.textLine(line)
        canvas.drawText(text)
        t.end()


def _lines(text: str, font: str, size: float, room: float) -> list[str]:
    """Greedy word wrap as model.layout.wrap does, each word measured once (a line's
    width is the sum of its words' and spaces'); a word wider than a line is cut there."""
    space = _word_width(font, size, " ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current: list[str] = []
        used = 0.0
        for word in paragraph.split():
            width = _word_width(font, size, word)
            if current and used + space + width <= room:
                current.append(word)
                used += space + width
                continue
            if current:
                lines.append(" ".join(current))
            if width > room:
                *whole, word = wrap_measured(word, lambda t: _word_width(font, size, t), room)
                lines += whole
                width = _word_width(font, size, word)
            current, used = [word], width
        lines.append(" ".join(current))
    return lines


@lru_cache(maxsize=1 << 16)  # words recur; bounded, so memory does not grow with the report
def _word_width(font: str, size: float, word: str) -> float:
    face = pdfmetrics.getFont(font).face
    widths, default = face.charWidths, face.defaultWidth
    return sum(widths.get(ord(ch), default) for ch in word) * size / 1000


class TableTags:
    """A table's cells → the elements their content belongs to, as a reportlab `renderCB`.

    Rows are known by the row lists themselves, which reportlab shares between the
    pieces of a table split over pages, so a header row repeated on the next page is
    recognised and drawn as an artifact. A cell with no element (an empty cell) is an
    artifact too; rules and shading always are.
    """

    def __init__(self):
        self.rows: dict[int, tuple[list, list[Elem | None]]] = {}

    def set_rows(self, table, cells: list[list[Elem | None]]) -> None:
        """After the reportlab Table is made: its (normalised) rows and their elements."""
        self.rows = {
            id(row): (row, elems) for row, elems in zip(table._cellvalues, cells, strict=True)
        }
        table._renderCB = self

    def __call__(self, table, event: str, *args) -> None:
        t = tagger(table.canv)
        if event in ("startBG", "startLines"):
            t.artifact()
        elif event in ("endBG", "endLines"):
            t.end_artifact()
        elif event == "startRow":
            self._row = table._cellvalues[args[0]]
            _row, first = t.seen_rows.setdefault(id(self._row), (self._row, t.page))
            self._repeat = first != t.page
        elif event == "startCell":
            _row, elems = self.rows[id(self._row)]
            elem = elems[args[1]]
            self._marked = elem is not None and not self._repeat
            if self._marked and elem.late:
                t.artifact()
                t.owner = elem  # links made in the cell, before or after its mark, are its
            elif self._marked:
                t.begin(elem)
            else:
                t.artifact("Pagination" if self._repeat else "Layout")
        elif event == "endCell":
            t.owner = None
            if self._marked:
                t.end()
            else:
                t.end_artifact()


class TaggedContents(TableOfContents):
    """The table of contents as TOC → TOCI → Link, each entry's link annotations in its Link."""

    def __init__(self, elem: Elem, page_word: str, **kw):
        super().__init__(**kw)
        self.elem = elem
        self.page_word = page_word

    def wrap(self, availWidth, availHeight):
        size = super().wrap(availWidth, availHeight)
        self.elem.kids = []
        cells = []
        entries = iter(self._lastEntries)
        parent = self.elem
        for row in self._table._cellvalues:
            cell = row[0][0] if isinstance(row[0], list | tuple) and row[0] else row[0]
            if not isinstance(cell, Paragraph):  # a spacer row of a level's spaceBefore
                cells.append([None])
                continue
            level, text, page, _key = next(entries, (0, "", 0, None))
            if level == 0 or parent is self.elem:
                item = self.elem.add("TOCI")
                parent = item
            else:
                inner = parent.kids[-1] if parent.kids[-1].role == "TOC" else parent.add("TOC")
                item = inner.add("TOCI")
            words = unescape(text)  # an entry's text is paragraph markup
            link = item.add("Link", contents=f"{words}, {self.page_word} {page}", late=True)
            cells.append([link])
        TableTags().set_rows(self._table, cells)
        # reportlab draws an entry's dot leader and page number from inside the drawing
        # of the entry's words (a named callback), but before the words themselves, which
        # it writes out last: the cell starts as layout, and the Link's mark begins once
        # the leader is drawn (a Link is `late`)
        draw_end = self.canv.getNamedCB("drawTOCEntryEnd")

        def leader(canvas, kind, label):
            draw_end(canvas, kind, label)
            t = tagger(canvas)
            if t.owner is not None and t.owner.late and t.open is None:
                t.end_artifact()
                t.begin(t.owner)

        self.canv.setNamedCB("drawTOCEntryEnd", leader)
        return size


def finish(
    data: bytes | io.BytesIO, drawn: ReportTagger, root: Elem, title: str, lang: str
) -> bytes:
    """reportlab's file with its structure tree, and what PDF/UA-1 and PDF/A-2 ask.

    `drawn` is the tagger of the last drawing pass, the one reportlab wrote.

    Everything but the tree is done with pikepdf, which then saves the file. The
    tree (one object per element: some 40,000 for 5,000 free texts) is written after
    it as an incremental update, object by object as text, packed in object
    streams: made as pikepdf objects, qpdf held about 1.5 kB for each until the
    file was saved, the one part of the report's memory that grew with the number
    of responses (benchmarks/report_memory.py).
    """
    pdf = pikepdf.open(data if isinstance(data, io.BytesIO) else io.BytesIO(data))
    pages = [p.obj for p in pdf.pages]
    made: dict[int, int] = defaultdict(int)
    annot_keys: list[tuple[int, int, Elem]] = []  # page, annotation's index on it, its Link
    for page, elem in drawn.links:
        if elem is None or elem.role != "Link":
            raise RuntimeError(f"a link drawn outside a Link element, in {elem}")
        annot = pages[page].Annots[made[page]]
        annot.Contents = pikepdf.String(elem.contents)
        annot.F = 4  # printed: PDF/A wants every annotation's flags said
        annot.StructParent = len(pages) + len(annot_keys)
        annot_keys.append((page, made[page], elem))
        made[page] += 1
    for i, page in enumerate(pages):
        if len(page.get("/Annots", [])) != made[i]:
            raise RuntimeError(f"page {i + 1}: an annotation made outside the tagger")
        page.StructParents = i
        page.Tabs = pikepdf.Name.S  # tab order follows the structure
    if len(drawn.on_page) > len(pages):
        raise RuntimeError(f"marks on page {len(drawn.on_page)} of a file of {len(pages)}")
    # the root is in the saved file (the catalog names it) and made whole in the update
    pdf.Root.StructTreeRoot = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot)
    )
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    pdf.Root.Lang = pikepdf.String(lang)
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    drop_null_unicode(pdf)
    _output_intent(pdf)
    _metadata(pdf, title, lang)
    saved = save_pdfa(pdf)
    pdf.close()
    del pdf, pages
    return saved + _tree_update(saved, drawn, root, annot_keys)


def _tree_update(
    saved: bytes,
    drawn: ReportTagger,
    root: Elem,
    annot_keys: list[tuple[int, int, Elem]],
) -> bytes:
    """The structure tree as an incremental update of `saved`: the elements, the
    ParentTree and the StructTreeRoot (rewritten), in object streams, and a
    cross-reference stream that follows the saved file's."""
    with pikepdf.open(io.BytesIO(saved)) as pdf:  # read as needed: pages and annotations
        page_refs = [p.obj.objgen[0] for p in pdf.pages]
        annots = {
            (i, k): a.objgen[0]
            for i, p in enumerate(pdf.pages)
            for k, a in enumerate(p.obj.get("/Annots", []))
        }
        tree_root = pdf.Root.StructTreeRoot.objgen[0]
        size = int(pdf.trailer.Size)
        trailer_id = pdf.trailer.ID
        ids = [bytes(trailer_id[0]).hex(), bytes(trailer_id[1]).hex()]
        info = pdf.trailer.get("/Info")
        info_ref = info.objgen[0] if info is not None else None
        catalog = pdf.Root.objgen[0]
    previous = int(saved[saved.rindex(b"startxref") + 9 :].split()[0])

    count = 0  # each element's object number, in reading order
    stack = [root]
    while stack:
        elem = stack.pop()
        elem.number = size + count
        count += 2 if elem.wrap else 1
        stack += reversed(elem.kids)
    objrs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for page, index, elem in annot_keys:
        objrs[id(elem)].append((page, index))

    def element(elem: Elem, up: int) -> str:
        kids: list[str] = []
        own = drawn.marks(elem)
        for page, mcid in own:  # a bare MCID on the element's own page, else an MCR
            if page == own[0][0]:
                kids.append(str(mcid))
            else:
                kids.append(f"<</Type/MCR/Pg {page_refs[page]} 0 R/MCID {mcid}>>")
        for page, index in objrs.get(id(elem), []):
            kids.append(f"<</Type/OBJR/Obj {annots[(page, index)]} 0 R/Pg {page_refs[page]} 0 R>>")
        kids += [f"{kid.number} 0 R" for kid in elem.kids]
        text = f"<</Type/StructElem/S/{elem.role}/P {up} 0 R"
        if own:
            text += f"/Pg {page_refs[own[0][0]]} 0 R"
        # one kid stands alone: pdfua 0.1.3 cannot look into a heading whose /K is an array
        if kids:
            text += "/K " + (kids[0] if len(kids) == 1 else "[" + " ".join(kids) + "]")
        if elem.alt:
            text += "/Alt " + _pdf_text(elem.alt)
        if elem.table:
            attrs = "".join(
                f"/{k}/{v}" if isinstance(v, str) else f"/{k} {v}" for k, v in elem.table.items()
            )
            text += f"/A<</O/Table{attrs}>>"
        return text + ">>"

    first_free = size + count  # the ParentTree's arrays, itself, then the packing
    parent_tree = first_free + len(page_refs)

    def objects():
        """(number, text) of every object of the tree, made as they are written."""
        walk = [(iter([root]), tree_root)]  # kids still to write, and their parent's number
        while walk:
            elem = next(walk[-1][0], None)
            if elem is None:
                walk.pop()
                continue
            up = walk[-1][1]
            if elem.wrap:
                yield elem.number, f"<</Type/StructElem/S/{elem.wrap}/P {up} 0 R/K {elem.own} 0 R>>"
                up = elem.number
            yield elem.own, element(elem, up)
            if elem.kids:  # not a pair for each of an appendix's 17,000 items at once
                walk.append((iter(elem.kids), elem.own))
        for i in range(len(page_refs)):
            on_page = drawn.on_page[i] if i < len(drawn.on_page) else []
            yield first_free + i, "[" + " ".join(f"{e.own} 0 R" for e in on_page) + "]"
        nums = [f"{i} {first_free + i} 0 R" for i in range(len(page_refs))]
        for key, (_page, _index, elem) in enumerate(annot_keys, start=len(page_refs)):
            nums.append(f"{key} {elem.own} 0 R")
        yield parent_tree, f"<</Nums[{' '.join(nums)}]>>"
        yield (
            tree_root,
            f"<</Type/StructTreeRoot/K {root.number} 0 R/ParentTree {parent_tree} 0 R"
            f"/ParentTreeNextKey {len(page_refs) + len(annot_keys)}>>",
        )

    return _update(
        objects(), parent_tree + 1, previous, len(saved), catalog, info_ref, ids, first=size
    )


OBJECTS_PER_STREAM = 100  # qpdf packs as many


XREF_ROW = struct.Struct(">BIH")  # a cross-reference stream's row: /W [1 4 2]


class _XrefRows:
    """The update's cross-reference rows by object number. The objects numbered from
    `first` up to `end` (the structure elements and the ParentTree) come in the order of
    their numbers, without a gap, and their rows are packed in one bytearray: a
    dictionary of tuples took some 8 MB for the 40,000 elements of 5,000 responses.
    The few others (the StructTreeRoot written anew, the object streams, the
    cross-reference stream) are in a dictionary."""

    def __init__(self, first: int, end: int):
        self.first, self.end = first, end
        self.rows = bytearray()
        self.others: dict[int, bytes] = {}

    def __setitem__(self, n: int, entry: tuple[int, int, int]) -> None:
        if not self.first <= n < self.end:
            self.others[n] = XREF_ROW.pack(*entry)
        elif n == self.first + len(self.rows) // XREF_ROW.size:
            self.rows += XREF_ROW.pack(*entry)
        else:
            raise RuntimeError(f"object {n} written out of order")

    def __getitem__(self, n: int) -> tuple[int, int, int]:
        if not self.first <= n < self.end:
            return XREF_ROW.unpack(self.others[n])
        return XREF_ROW.unpack_from(self.rows, (n - self.first) * XREF_ROW.size)

    def table(self) -> tuple[list[int], bytes]:
        """/Index (runs of consecutive numbers) and the rows in the order it says."""
        count = len(self.rows) // XREF_ROW.size
        if count not in (0, self.end - self.first):
            raise RuntimeError(f"objects {self.first + count} to {self.end - 1} not written")
        runs = [(n, 1, self.others[n]) for n in self.others]
        if count:
            runs.append((self.first, count, bytes(self.rows)))
        index: list[int] = []
        for n, length, _rows in sorted(runs, key=lambda r: r[0]):
            if index and index[-2] + index[-1] == n:
                index[-1] += length
            else:
                index += [n, length]
        return index, b"".join(rows for _n, _length, rows in sorted(runs, key=lambda r: r[0]))


def _update(objects, number, previous, offset, catalog, info, ids, first=None) -> bytes:
    """`objects` (object number, text) in object streams numbered from `number` on,
    and the cross-reference stream after them, as bytes to append at `offset`.
    The objects numbered from `first` to `number` must come in the order of their
    numbers (see `_XrefRows`); others may come in any order."""
    out = io.BytesIO()
    entries = _XrefRows(number if first is None else first, number)
    objects = iter(objects)
    while chunk := list(itertools.islice(objects, OBJECTS_PER_STREAM)):
        head, body = [], []
        at = 0
        for index, (n, text) in enumerate(chunk):
            head.append(f"{n} {at}")
            body.append(text)
            at += len(text.encode("latin-1")) + 1
            entries[n] = (2, number, index)
        first = " ".join(head) + "\n"
        content = (first + "\n".join(body) + "\n").encode("latin-1")
        entries[number] = (1, offset + out.tell(), 0)
        packed = _no_cr_end(content)
        out.write(
            f"{number} 0 obj\n<</Type/ObjStm/N {len(chunk)}/First {len(first.encode())}"
            f"/Filter/FlateDecode/Length {len(packed)}>>\nstream\n".encode()
        )
        out.write(packed + b"\nendstream\nendobj\n")
        number += 1
    entries[number] = (1, offset + out.tell(), 0)  # the cross-reference stream itself
    index, rows = entries.table()
    packed = zlib.compress(rows)
    plain = packed.endswith(b"\r")  # uncompressed, its last bytes are the generation: 0 0
    filter_entry = "" if plain else "/Filter/FlateDecode"
    packed = rows if plain else packed
    info_entry = f"/Info {info} 0 R" if info is not None else ""
    out.write(
        f"{number} 0 obj\n<</Type/XRef/Size {number + 1}/Index[{' '.join(map(str, index))}]"
        f"/W[1 4 2]/Root {catalog} 0 R{info_entry}/ID[<{ids[0]}><{ids[1]}>]/Prev {previous}"
        f"{filter_entry}/Length {len(packed)}>>\nstream\n".encode()
    )
    out.write(packed + b"\nendstream\nendobj\n")
    out.write(f"startxref\n{entries[number][1]}\n%%EOF\n".encode())
    return out.getvalue()


def _no_cr_end(data: bytes, pad: bytes = b" ") -> bytes:
    """`data` compressed so that its bytes do not end in CR (see `save_pdfa`). They end
    in the data's Adler-32 checksum: one white-space more at the end of an object
    stream gives another."""
    while (packed := zlib.compress(data)).endswith(b"\r"):
        data += pad
    return packed


def _pdf_text(text: str) -> str:
    """A text string as PDF writes one: UTF-16BE with its byte order mark, in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def save_pdfa(pdf: pikepdf.Pdf) -> bytes:
    """The file, packed small if it can be: object streams pack small objects many
    times smaller (PDF/A-2 allows them; the structure tree, written after this, packs
    its own: `_update`).

    PDF/A also wants no stream's bytes to end in CR: qpdf writes LF and `endstream`
    after them, and CR LF then reads as the line end, one byte short of /Length
    (6.1.7.1). One compressed stream in 256 ends so, by its Adler-32 checksum, and qpdf
    makes the object streams' bytes while it saves; a report that came out so (one
    did) is saved again with nothing compressed anew, its few such streams mended first.
    """
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    saved = out.getvalue()
    if b"\r\nendstream" not in saved:
        return saved
    del saved
    _no_cr_before_endstream(pdf)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=False)  # each stream as it is now
    if b"\r\nendstream" in out.getvalue():
        raise RuntimeError("a stream still ends in CR")
    return out.getvalue()


def _no_cr_before_endstream(pdf: pikepdf.Pdf) -> None:
    """Mend every stream whose bytes end in CR (see `save_pdfa`): a page's content gets a
    harmless newline more, until its compressed bytes end otherwise; any other stream
    is kept unpacked (a font ends in zeros, a text in a newline or `>`)."""
    contents = {c.objgen for p in pdf.pages for c in _content_streams(p.obj)}
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or not obj.read_raw_bytes().endswith(b"\r"):
            continue
        if obj.objgen in contents:
            data = obj.read_bytes()
            while obj.read_raw_bytes().endswith(b"\r"):
                data += b"\n"
                obj.write(zlib.compress(data), filter=pikepdf.Name.FlateDecode)
        else:
            obj.write(obj.read_bytes())
            if obj.read_raw_bytes().endswith(b"\r"):
                raise RuntimeError(f"stream {obj.objgen} ends in CR however it is written")


def _content_streams(page: pikepdf.Dictionary) -> list:
    contents = page.get("/Contents")
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]


def _output_intent(pdf: pikepdf.Pdf) -> None:
    """An sRGB OutputIntent: the colours (greys set as RGB) are meant as sRGB.

    The profile is made by LittleCMS through Pillow, so no ICC file is shipped.
    """
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    # LittleCMS stamps the profile with the time it was made: a fixed date instead keeps
    # the report the same bytes for the same data, as reportlab's invariant mode does
    # (the profile's MD5 ID, which would cover the date, is left unset by LittleCMS)
    icc[24:36] = struct.pack(">6H", 2000, 1, 1, 0, 0, 0)
    profile = pdf.make_stream(bytes(icc), N=3)
    pdf.Root.OutputIntents = pikepdf.Array(
        [
            pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent,
                S=pikepdf.Name.GTS_PDFA1,
                OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
                Info=pikepdf.String("sRGB IEC61966-2.1"),
                DestOutputProfile=profile,
            )
        ]
    )


_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
<xmp:CreatorTool>{creator}</xmp:CreatorTool>
<xmp:CreateDate>{created}</xmp:CreateDate>
<xmp:ModifyDate>{modified}</xmp:ModifyDate>
<pdf:Producer>{producer}</pdf:Producer>
<pdfaid:part>{pdfa_part}</pdfaid:part>
<pdfaid:conformance>{pdfa_conformance}</pdfaid:conformance>
<pdfuaid:part>{pdfua_part}</pdfuaid:part>
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _xmp_date(value) -> str:
    """A PDF date (D:20000101000000+00'00') as XMP writes it (2000-01-01T00:00:00+00:00)."""
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(Z|[+-]\d\d'?\d\d'?)?", str(value))
    if m is None:
        raise ValueError(f"not a PDF date: {value}")
    y, mo, d, h, mi, sec, zone = m.groups()
    zone = (zone or "Z").replace("'", "")
    zone = "Z" if zone == "Z" else f"{zone[:3]}:{zone[3:]}"
    return f"{y}-{mo}-{d}T{h}:{mi}:{sec}{zone}"


def _metadata(pdf: pikepdf.Pdf, title: str, lang: str) -> None:
    """XMP that says what the document information says, with the conformance claims.

    PDF/A wants the two to agree, and the pdfuaid property declared in an extension
    schema (it is not one of PDF/A's own). Empty and XMP-less entries (Author,
    Keywords, Trapped) are dropped from the information rather than mirrored.
    """
    info = pdf.docinfo
    for key in ("/Author", "/Keywords", "/Trapped"):
        if key in info:
            del info[key]
    info.Title = pikepdf.String(title)
    values = {
        "title": title,
        "subject": str(info.get("/Subject", "")),
        "lang": lang,
        "creator": str(info.get("/Creator", "")),
        "producer": str(info.get("/Producer", "")),
        "created": _xmp_date(info.CreationDate),
        "modified": _xmp_date(info.ModDate),
        "pdfa_part": PDFA_PART,
        "pdfa_conformance": PDFA_CONFORMANCE,
        "pdfua_part": PDFUA_PART,
    }
    xmp = _XMP.format(**{k: escape(v) for k, v in values.items()})
    pdf.Root.Metadata = pdf.make_stream(
        xmp.encode("utf-8"), Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML
    )
