"""The report's blocks → an A4 PDF with reportlab (platypus), charts in reportlab graphics.

Type. Body text is 11 pt, tables and notes 10 pt, headings 13–20 pt: readers
print this and many are older. The font is Bitstream Vera Sans, which ships
with reportlab, embedded as a subset with its Unicode map: every Swedish
letter prints and copies right, and pdfplumber reads the text back (the tests
do). reportlab's standard Helvetica is WinAnsi only; `generate/overlay.py` embeds
Vera for form fields for the same reason. A character Vera lacks becomes its
base letter (ő → o) or "?", never a missing glyph box.

Tags. Every flowable is drawn into an element of a structure tree made here in
reading order (`tagged.py` marks the content and finishes the file), so the
report is PDF/UA-1 and PDF/A-2a: a screen reader gets headings, lists, tables
with their headers and each chart's numbers; footers and rules are artifacts.
"""

from __future__ import annotations

import gc
import io
import unicodedata
import zlib
from collections.abc import Iterator
from functools import lru_cache
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.shapes import Line as RLLine
from reportlab.graphics.shapes import Rect as RLRect
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFStream
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Table as RLTable

from .. import __version__
from ..model import fonts
from ..model.layout import wrap
from . import document as doc
from .charts import Chart, Label, Line, Rect, swatch
from .tagged import (
    Elem,
    TableTags,
    TaggedContents,
    TaggedLines,
    TaggedParagraph,
    finish,
    tagger,
)
from .text import Words

FONT, BOLD, ITALIC = "PfReport", "PfReport-Bold", "PfReport-Italic"
FONT_DIR = f"{reportlab.__path__[0]}/fonts"
MARGIN_X = 45
MARGIN_TOP = 50
MARGIN_BOTTOM = 55
WIDTH = A4[0] - 2 * MARGIN_X
LANG_TAGS = {"sv": "sv-SE", "en": "en-GB"}

BODY = 11
SMALL = 10  # the smallest type in the report: notes, tables, footer
FIXED = {"count": 40, "percent": 40, "cell": 48}  # least column widths; wider for wider text
MAIN_COLUMN = 220  # the label column of a table with a chart: bars stay near their labels
LONG_TABLE = 12  # rows; a longer table may start on one page and go on on the next,
ROOM_FOR_A_START = 200  # if this much of the page is left for its heading and first rows


def _grey(level: float) -> Color:
    return Color(level, level, level)


@lru_cache(maxsize=1)
def _register() -> frozenset[int]:
    """Register the fonts once; return the code points Vera can draw."""
    for name, file in (
        (FONT, "Vera.ttf"),
        (BOLD, "VeraBd.ttf"),
        (ITALIC, "VeraIt.ttf"),
        ("PfReport-BoldItalic", "VeraBI.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, f"{FONT_DIR}/{file}"))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic="PfReport-BoldItalic"
    )
    return frozenset(TTFontFile(f"{FONT_DIR}/Vera.ttf").charToGlyph)


@lru_cache(maxsize=1)
def _drawable_characters() -> frozenset[str]:
    return frozenset(map(chr, _register())) | {"\n"}


def clean(text: str, drawable: frozenset[int] | None = None) -> str:
    """Text the font can draw: unknown characters become their base letter, or '?'."""
    if drawable is None and _drawable_characters().issuperset(text):
        return text  # the common case, decided without a loop in Python
    drawable = drawable if drawable is not None else _register()
    out = []
    for ch in text:
        if ord(ch) in drawable or ch == "\n":
            out.append(ch)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if ord(c) in drawable and c.isprintable()
        )
        out.append(base or ("" if unicodedata.category(ch).startswith("C") else "?"))
    return "".join(out)


def markup(text: str) -> str:
    """Plain text as paragraph markup: escaped, line breaks kept."""
    return escape(clean(text)).replace("\n", "<br/>")


# What people wrote may be in any language the forms are printed in: a free text the
# report's own font (Vera: Latin) cannot draw is drawn in the forms' fonts for its
# script (model/fonts.py), Arabic script right to left, so that no answer in
# Ukrainian, Northern Sami or Arabic comes out as question marks.
_RTL_CLASSES = ("R", "AL")


def written(text: str, style: ParagraphStyle, width: float) -> tuple[str, ParagraphStyle]:
    """A free text as paragraph markup, with the style of the font that draws it."""
    if clean(text) == text:
        return markup(text), style
    rtl = any(unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in text)
    face = (fonts.NOTO_SANS_ARABIC if rtl else fonts.NOTO_SANS).regular
    name = fonts.register(face)
    drawable = fonts.charset(face)
    own = ParagraphStyle(
        f"{style.name}-{name}", style, fontName=name, alignment=TA_RIGHT if rtl else style.alignment
    )
    if not rtl:
        return escape(clean(text, drawable)).replace("\n", "<br/>"), own
    # A right-to-left text is broken into lines first (in reading order, measured in
    # its font), then each line is put in the order it is drawn in, its letters joined.
    room = width - style.leftIndent - style.rightIndent
    lines = [
        fonts.visual(line)
        for part in clean(text, drawable).split("\n")
        for line in wrap(part, name, style.fontSize, room)
    ]
    return "<br/>".join(escape(line) for line in lines), own


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=BODY, leading=15, spaceAfter=6)
    return {
        "body": base,
        "note": ParagraphStyle("note", base, fontSize=SMALL, leading=13.5, textColor=_grey(0.2)),
        "lead": ParagraphStyle("lead", base, fontName=BOLD, spaceBefore=4, spaceAfter=4),
        "hidden": ParagraphStyle(
            "hidden",
            base,
            fontName=ITALIC,
            backColor=_grey(0.93),
            borderPadding=(5, 6, 5, 6),
            spaceBefore=4,
            spaceAfter=10,
        ),
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=34, leading=40),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=16, leading=21, spaceAfter=24),
        "h1": ParagraphStyle(
            "h1", base, fontName=BOLD, fontSize=20, leading=25, spaceAfter=10, keepWithNext=1
        ),
        "h2": ParagraphStyle(
            "h2",
            base,
            fontName=BOLD,
            fontSize=16,
            leading=20,
            spaceBefore=16,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3",
            base,
            fontName=BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=14,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "cell": ParagraphStyle("cell", base, fontSize=SMALL, leading=12.5, spaceAfter=0),
        "cell_bold": ParagraphStyle(
            "cell_bold", base, fontName=BOLD, fontSize=SMALL, leading=12.5, spaceAfter=0
        ),
        "cell_italic": ParagraphStyle(
            "cell_italic", base, fontName=ITALIC, fontSize=SMALL, leading=12.5, spaceAfter=0
        ),
        "num": ParagraphStyle(
            "num", base, fontSize=SMALL, leading=12.5, spaceAfter=0, alignment=TA_RIGHT
        ),
        "num_bold": ParagraphStyle(
            "num_bold",
            base,
            fontName=BOLD,
            fontSize=SMALL,
            leading=12.5,
            spaceAfter=0,
            alignment=TA_RIGHT,
        ),
        "centre": ParagraphStyle(
            "centre", base, fontSize=SMALL, leading=12.5, spaceAfter=0, alignment=TA_CENTER
        ),
        "centre_bold": ParagraphStyle(
            "centre_bold",
            base,
            fontName=BOLD,
            fontSize=SMALL,
            leading=12.5,
            spaceAfter=0,
            alignment=TA_CENTER,
        ),
        "fact_label": ParagraphStyle("fact_label", base, fontName=BOLD, fontSize=12, leading=16),
        "fact": ParagraphStyle("fact", base, fontSize=12, leading=16, spaceAfter=2),
        "text": ParagraphStyle(
            "text",
            base,
            leftIndent=14,
            borderColor=_grey(0.6),
            borderWidth=0.6,
            borderPadding=(4, 6, 4, 6),
            spaceBefore=4,
            spaceAfter=10,
        ),
        "toc1": ParagraphStyle("toc1", base, fontName=BOLD, fontSize=12, leading=17),
        "toc2": ParagraphStyle("toc2", base, fontSize=SMALL, leading=14, leftIndent=16),
    }


def drawing(chart: Chart) -> Drawing:
    """A chart's shapes as a reportlab Drawing (y turned upwards)."""
    d = Drawing(chart.width, chart.height)
    d.initialFontName = FONT  # reportlab's renderer would otherwise declare Helvetica
    height = chart.height
    for s in chart.shapes:
        if isinstance(s, Rect):
            d.add(
                RLRect(
                    s.x,
                    height - s.y - s.h,
                    s.w,
                    s.h,
                    fillColor=None if s.fill is None else _grey(s.fill),
                    strokeColor=None if s.stroke is None else _grey(s.stroke),
                    strokeWidth=s.width,
                )
            )
        elif isinstance(s, Line):
            d.add(
                RLLine(
                    s.x1,
                    height - s.y1,
                    s.x2,
                    height - s.y2,
                    strokeColor=_grey(s.grey),
                    strokeWidth=s.width,
                )
            )
        elif isinstance(s, Label):
            d.add(
                String(
                    s.x,
                    height - s.y,
                    clean(s.text),
                    fontName=BOLD,
                    fontSize=s.size,
                    fillColor=_grey(s.grey),
                    textAnchor=s.anchor,
                )
            )
    return d


def _compress_pages(canvas) -> None:
    """Each page's content compressed as the page is finished, not when the file is saved.

    reportlab keeps every page's drawing as text until it writes the file: some
    5 MB for the 960 pages of 5,000 responses (tracemalloc), compressed as each page
    is added under 1 MB (benchmarks/report_memory.py). The content is the same:
    Flate alone, without reportlab's ASCII85 on top, which pikepdf's save
    (tagged.finish) takes off anyway.
    """
    add = canvas._doc.addPage

    def add_page(page) -> None:
        if page.stream and not page.Contents:
            stream = PDFStream(content=zlib.compress(page.stream.encode("utf-8")))
            stream.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])
            page.Contents, page.stream = stream, None
        add(page)

    canvas._doc.addPage = add_page


class _Doc(BaseDocTemplate):
    def __init__(self, buf, words: Words, footer: str, **kw):
        super().__init__(buf, **kw)
        self.words = words
        self.footer = footer
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            WIDTH,
            A4[1] - MARGIN_TOP - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._page)])

    def handle_documentBegin(self) -> None:
        if getattr(self, "tagger", None) is not None:
            # the pass before's document (every page's objects) goes now, not when
            # Python's collector next looks for cycles, some way into this pass
            self.tagger.release()
            gc.collect()
        self.tagger = tagger(self.canv)  # a new canvas, and new marks, for each pass
        _compress_pages(self.canv)
        super().handle_documentBegin()

    def _page(self, canvas, _doc) -> None:
        tagger(canvas).artifact("Pagination", "Footer")
        canvas.saveState()
        canvas.setFont(FONT, SMALL)
        canvas.setFillColor(_grey(0.3))
        canvas.drawString(MARGIN_X, MARGIN_BOTTOM - 28, clean(self.footer))
        canvas.drawRightString(
            A4[0] - MARGIN_X, MARGIN_BOTTOM - 28, f"{self.words('page')} {canvas.getPageNumber()}"
        )
        canvas.restoreState()
        tagger(canvas).end_artifact()

    def afterFlowable(self, flowable) -> None:
        level = getattr(flowable, "_pf_level", None)
        if level is None:
            return
        key = flowable._pf_anchor
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable._pf_plain, key, level - 1, closed=level > 1)
        if level <= 2:
            # the contents draw their entries as paragraph markup: a unit named
            # "Vård & Hälsa <Norr>" keeps its "<Norr>"
            self.notify("TOCEntry", (level - 1, escape(flowable._pf_plain), self.page, key))


LOOK_AHEAD = 16  # flowables made ahead: longer than any chain kept with the next


class Story:
    """A story that reportlab takes flowable by flowable, made as it is taken.

    The contents need two passes (the first finds each heading's page), and
    reportlab keeps the list of flowables it is given for the second: every
    paragraph of 5,000 free texts, each with its wrapped lines, was held at once
    (285 MB; benchmarks/report_memory.py). A pass takes its flowables from the front
    of the list and drops each once it is drawn, so this list makes them only as
    they are asked for, and `story[:]`, the copy multiBuild draws each pass from,
    makes them anew. What reportlab does with the list (len, [i], [:i], del, insert
    at 0) is served from a short buffer in front of the blocks still to make.
    """

    def __init__(self, make, indexing: list):
        self._make = make
        self._indexing = indexing
        self._buffer: list = []
        self._rest = None  # the flowables still to make: begun on first use
        self._done = False

    def _fill(self, n: int) -> None:
        if self._rest is None:
            self._rest = iter(self._make())
        while len(self._buffer) < n and not self._done:
            try:
                self._buffer.append(next(self._rest))
            except StopIteration:
                self._done = True

    def __iter__(self):
        # multiBuild looks through the story for its indexing flowables (the
        # contents) before the first pass: they are all it looks for, and making
        # every flowable to find them is what this class is for
        return iter(self._indexing)

    def __len__(self) -> int:
        # reportlab's keepWithNext looks ahead as far as len() says, once: a heading,
        # its notes and its table must all be made by then, or the heading is kept
        # with its notes only and left at the foot of a page (seen in the demo)
        self._fill(LOOK_AHEAD)
        return len(self._buffer) + (0 if self._done else 1)

    def __getitem__(self, key):
        if isinstance(key, slice):
            if key == slice(None):
                return Story(self._make, self._indexing)  # a new pass
            self._fill(key.stop)
        else:
            self._fill(key + 1)
        return self._buffer[key]

    def __delitem__(self, key) -> None:
        self._fill((key.stop if isinstance(key, slice) else key) + 1)
        del self._buffer[key]

    def __setitem__(self, key, value) -> None:
        self._buffer[key] = value  # [0:0] = the parts of a flowable that was split

    def insert(self, index: int, value) -> None:
        self._buffer.insert(index, value)


class _Writer:
    """Blocks → flowables, and the structure tree they are drawn into (`root`)."""

    def __init__(self, words: Words):
        self.words = words
        self.styles = _styles()
        self.root = Elem("Document")

    def para(self, text: str, style: str, role: str = "P", parent: Elem | None = None):
        elem = (parent or self.root).add(role)
        return TaggedParagraph(markup(text), self.styles[style], elem)

    def story(self, blocks: list) -> Story:
        """The flowables of `blocks`, made anew for each of reportlab's passes."""
        self.toc = None
        if any(isinstance(b, doc.Contents) for b in blocks):
            self.toc = TaggedContents(
                Elem("TOC"),
                self.words("page"),
                dotsMinLevel=0,
                tableStyle=TableStyle(
                    [
                        ("FONT", (0, 0), (-1, -1), FONT, SMALL),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ]
                ),
            )
            self.toc.levelStyles = [self.styles["toc1"], self.styles["toc2"]]
            # The contents' entries are known before anything is drawn, all but their
            # pages: given to the first pass (as the entries of a pass before it), its
            # contents take the room they will take, so its pages are the final ones
            # and the second pass, with the pages filled in, is the last. Without them
            # the first pass drew an empty contents, and every pass after it was one
            # more drawing of the whole report (a third of its time). Should the
            # entries' pages change what they take after all, multiBuild makes another
            # pass, as it did before.
            self.toc._entries = [
                (b.level - 1, escape(clean(b.text)), 0, b.anchor)
                for b in blocks
                if isinstance(b, doc.Heading) and b.level <= 2
            ]
        return Story(lambda: self.flowables(blocks), [self.toc] if self.toc else [])

    def flowables(self, blocks: list) -> Iterator:
        """Each block's flowables, one block at a time, into a new structure tree: a
        pass draws them as they come, so they are made as it asks for them."""
        self.root = Elem("Document")
        in_question = False
        for i, block in enumerate(blocks):
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(block, doc.Heading):
                # A heading stays with what follows it. A long table may break across
                # pages (its header repeats), as long as a good part fits under the heading.
                in_question = not _long_table_follows(blocks, i)
                if not in_question:
                    yield CondPageBreak(ROOM_FOR_A_START)
                heading = self.heading(block)
                heading.keepWithNext = int(in_question)
                yield heading
            elif isinstance(block, doc.Title):
                yield Spacer(1, 120)
                yield self.para(block.title, "title", "H1")
                yield Spacer(1, 10)
                yield self.para(block.subtitle, "subtitle")
            elif isinstance(block, doc.Facts):
                yield self.facts(block)
            elif isinstance(block, doc.Contents):
                # the one contents of every pass (its entries are the last pass's
                # headings), in this pass's structure tree
                self.toc.elem = self.root.add("TOC")
                yield Spacer(1, 18)
                yield self.toc
            elif isinstance(block, doc.PageBreak):
                yield RLPageBreak()
            elif isinstance(block, doc.Para):
                p = self.para(block.text, block.kind)
                # a heading's notes stay with it and with the table they introduce
                if in_question and not isinstance(following, doc.Heading | None):
                    p.keepWithNext = 1
                yield p
            elif isinstance(block, doc.Table):
                in_question = False
                yield self.table(block)
                yield Spacer(1, 8)
            elif isinstance(block, doc.TextList):
                in_question = False
                items = self.root.add("L")
                for item in block.items:
                    body = items.add("LBody", wrap="LI")  # its LI made as the tree is written
                    if clean(item) == item:  # the report's font draws it: plain lines
                        yield TaggedLines(item, self.styles["text"], body)
                        continue
                    text, style = written(item, self.styles["text"], WIDTH)
                    yield TaggedParagraph(text, style, body)

    def heading(self, block: doc.Heading) -> Paragraph:
        p = self.para(block.text, f"h{block.level}", f"H{block.level}")
        p._pf_level = block.level
        p._pf_anchor = block.anchor
        p._pf_plain = clean(block.text)
        return p

    def facts(self, block: doc.Facts) -> RLTable:
        """Label and lines side by side: a list of labelled items to a screen reader."""
        rows = [
            [
                Paragraph(markup(label), self.styles["fact_label"]),
                [Paragraph(markup(line), self.styles["fact"]) for line in lines],
            ]
            for label, lines in block.items
        ]
        items = self.root.add("L")
        cells = []
        for _ in rows:
            item = items.add("LI")
            cells.append([item.add("Lbl"), item.add("LBody")])
        table = RLTable(rows, colWidths=[170, WIDTH - 170])
        TableTags().set_rows(table, cells)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, SMALL),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.5, _grey(0.75)),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    def widths(self, block: doc.Table) -> list[float]:
        """Columns as wide as their longest word or number; the first label takes the rest."""
        rows = [r for r, st in zip(block.rows, _styles_of(block), strict=True) if st != "caption"]
        widths: list[float] = []
        for i, col in enumerate(block.columns):
            head = _longest_word(col.header, BOLD) + 10
            cells = [doc.cell_text(col, row[i], self.words) for row in rows]
            if col.kind == "chart":
                charts = [row[i] for row in rows if isinstance(row[i], Chart)]
                widths.append((max(c.width for c in charts) if charts else 40) + 8)
            elif col.kind in FIXED:
                longest = max([_width(t, FONT) for t in cells] or [0]) + 10
                widths.append(max(FIXED[col.kind], head, longest))
            elif col.kind == "number" or (col.kind == "label" and i > 0):
                longest = max([_width(t, FONT) for t in cells] or [0]) + 10
                widths.append(min(max(longest, head, 34), 110 if col.kind == "label" else 90))
            else:
                widths.append(0)
        free = WIDTH - sum(widths)
        compact = any(c.kind == "chart" for c in block.columns) or len(block.columns) <= 3
        main = min(free, MAIN_COLUMN) if compact else free
        first = max([_longest_word(r[0], FONT) for r in rows if isinstance(r[0], str)] or [0])
        return [w or max(main, first + 10, 60) for w in widths]

    def table(self, block: doc.Table) -> RLTable:
        s = self.styles
        elem = self.root.add("Table")
        head = elem.add("TR")
        tagged: list[list[Elem | None]] = [
            [
                # a chart column's header is drawn empty: its words are the cell's /Alt
                head.add(
                    "TH", table={"Scope": "Column"}, alt=col.header if col.kind == "chart" else ""
                )
                for col in block.columns
            ]
        ]
        header = []
        for col in block.columns:
            style = s["num_bold"] if col.kind not in ("label", "chart") else s["cell_bold"]
            if col.kind == "cell":
                style = s["centre_bold"]
            text = Paragraph(markup(col.header) if col.kind != "chart" else "", style)
            if col.swatch is not None:  # which segment of the bars is this column
                mark = drawing(swatch(col.swatch, 11))
                mark.hAlign = "CENTER"
                header.append([text, Spacer(1, 3), mark])
            else:
                header.append(text)
        rows = [header]
        spans = []
        for n, (cells, style) in enumerate(zip(block.rows, _styles_of(block), strict=True), 1):
            tr = elem.add("TR")
            if style == "caption":  # a row of its own for the wording of what follows
                rows.append([Paragraph(markup(cells[0]), s["cell_bold"])] + [""] * (len(cells) - 1))
                tagged.append([tr.add("TD", table={"ColSpan": len(cells)})])
                tagged[-1] += [None] * (len(cells) - 1)
                spans.append(n)
                continue
            row = []
            tagged.append([])
            for i, (col, value) in enumerate(zip(block.columns, cells, strict=True)):
                # the first label (an answer, a group, a code) heads its row: a screen
                # reader says it with each number of the row
                first = i == 0 and col.kind == "label"
                td = tr.add("TH", table={"Scope": "Row"}) if first else tr.add("TD")
                if col.kind == "chart":
                    chart = isinstance(value, Chart)
                    row.append(drawing(value) if chart else "")
                    tagged[-1].append(td.add("Figure", alt=value.alt) if chart else None)
                    continue
                tagged[-1].append(td)
                text = markup(doc.cell_text(col, value, self.words))
                if col.kind == "label":
                    name = {"total": "cell_bold", "hidden": "cell_italic", "blank": "cell_italic"}
                    row.append(Paragraph(text, s[name.get(style, "cell")]))
                elif col.kind == "cell":
                    row.append(Paragraph(text, s["centre"]))
                else:
                    row.append(Paragraph(text, s["num_bold" if style == "total" else "num"]))
            rows.append(row)
        table = RLTable(rows, colWidths=self.widths(block), repeatRows=1, hAlign="LEFT")
        TableTags().set_rows(table, tagged)
        commands = [
            ("FONT", (0, 0), (-1, -1), FONT, SMALL),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("LINEBELOW", (0, 0), (-1, 0), 1, _grey(0)),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, _grey(0.75)),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        for i, col in enumerate(block.columns):
            if col.swatch is not None:
                commands.append(("ALIGN", (i, 0), (i, 0), "CENTER"))
        for i in spans:
            commands += [
                ("SPAN", (0, i), (-1, i)),
                ("NOSPLIT", (0, i), (-1, min(i + 1, len(rows) - 1))),  # wording with its numbers
                ("LINEABOVE", (0, i), (-1, i), 1, _grey(0)),
                ("LINEBELOW", (0, i), (-1, i), 0, _grey(1)),
                ("TOPPADDING", (0, i), (-1, i), 6),
            ]
        for i, style in enumerate(block.styles, start=1):
            if style == "total":
                commands.append(("LINEABOVE", (0, i), (-1, i), 1, _grey(0)))
            elif style == "hidden":
                commands.append(("BACKGROUND", (0, i), (-1, i), _grey(0.93)))
        table.setStyle(TableStyle(commands))
        return table


def _long_table_follows(blocks: list, i: int) -> bool:
    """Whether the table under the heading at `i` is too long to keep with it on one page."""
    for block in blocks[i + 1 :]:
        if isinstance(block, doc.Heading | doc.PageBreak | doc.TextList):
            return False
        if isinstance(block, doc.Table):
            return len(block.rows) > LONG_TABLE
    return False


def _styles_of(block: doc.Table) -> list[str]:
    return block.styles or [""] * len(block.rows)


def _width(text: str, font: str) -> float:
    return pdfmetrics.stringWidth(clean(text), font, SMALL)


def _longest_word(text: str, font: str) -> float:
    return max([_width(word, font) for word in text.split()] or [0])


def write_pdf(blocks: list, words: Words, title: str, footer: str) -> bytes:
    """The PDF of a report's blocks."""
    _register()
    buf = io.BytesIO()
    pdf = _Doc(
        buf,
        words,
        footer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=clean(title),
        author="",
        subject=clean(footer),
        creator=f"pdfforms {__version__}",
        lang=LANG_TAGS.get(words.lang, words.lang),
        displayDocTitle=1,
        invariant=1,
        initialFontName=FONT,  # else reportlab declares a Helvetica nothing uses
        initialFontSize=BODY,
    )
    writer = _Writer(words)
    pdf.multiBuild(writer.story(blocks))
    lang = LANG_TAGS.get(words.lang, words.lang)
    # The drawing is done: reportlab's document of it (every page's objects, held by
    # its canvas) need not wait while pikepdf finishes the file, nor the file be copied.
    drawn = pdf.tagger
    drawn.release()
    del pdf
    gc.collect()
    buf.seek(0)
    return finish(buf, drawn, writer.root, clean(title), lang)
