"""The Sammanställning as a tagged PDF (PDF/UA-1): what reportlab's platypus draws,
marked as it is drawn, and the structure tree built from those marks afterwards.

platypus has no tagging. Three hooks of its public API are enough:

- a Paragraph subclass whose drawOn wraps what it draws in a marked-content
  sequence, of the type its style names (h1 → H2, the title → H1, else P);
- a Table's renderCB (called at the start and end of every row and cell): each
  cell becomes a TH or TD in a TR, its background and rules artifacts; the table
  of contents' table becomes a TOC of TOCI entries;
- the page callback, whose footer is an artifact.

Each mark is recorded as it is drawn, in a tree of `Node`s (the order platypus
draws in is the reading order), and `finish` turns that tree into the PDF's
structure tree with pikepdf, with each TOC link in a Link element.

A table split over pages becomes one Table element per page, each with its
header row (which platypus repeats).
"""

from __future__ import annotations

import html
import io
import re
import zlib
from dataclasses import dataclass, field

import pikepdf
from reportlab.platypus import Paragraph

# What a paragraph's style is in the structure: the report's title is its one H1,
# so its headings (h1–h3) sit one level below it.
STYLE_TYPES = {"title": "H1", "h1": "H2", "h2": "H3", "h3": "H4"}


@dataclass
class Node:
    kind: str
    kids: list = field(default_factory=list)  # Node | (page index, MCID)
    attrs: dict = field(default_factory=dict)
    boxes: list = field(default_factory=list)  # (page index, x0, y0, x1, y1) of a TOC entry
    text: str = ""  # a TOC entry's heading, for its links' descriptions


class ReportTagger:
    """The marks of one build pass of a document (multiBuild draws it more than once)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.root = Node("Document")
        self.stack = [self.root]
        self.counts: dict[int, int] = {}
        self.in_cell = False

    def _page(self, canvas) -> int:
        return canvas.getPageNumber() - 1

    def begin(self, canvas, node: Node, attach: bool = True) -> None:
        """Open marked content belonging to `node` (added to the open element first)."""
        page = self._page(canvas)
        mcid = self.counts.get(page, 0)
        self.counts[page] = mcid + 1
        if attach:
            self.stack[-1].kids.append(node)
        node.kids.append((page, mcid))
        canvas.addLiteral(f"/{node.kind} <</MCID {mcid}>> BDC")

    @staticmethod
    def artifact(canvas) -> None:
        canvas.addLiteral("/Artifact BMC")

    @staticmethod
    def end(canvas) -> None:
        canvas.addLiteral("EMC")

    def open(self, node: Node) -> None:
        self.stack[-1].kids.append(node)
        self.stack.append(node)

    def close(self) -> None:
        self.stack.pop()


def tagger_of(canvas) -> ReportTagger | None:
    return getattr(canvas, "_pf_tagger", None)


class TaggedParagraph(Paragraph):
    """A paragraph that marks what it draws (inside a table cell, the cell does)."""

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - platypus's name
        tagger = tagger_of(canvas)
        if tagger is None or tagger.in_cell:
            return super().drawOn(canvas, x, y, _sW)
        tagger.begin(canvas, Node(STYLE_TYPES.get(self.style.name, "P")))
        super().drawOn(canvas, x, y, _sW)
        tagger.end(canvas)


def table_tags(header_rows: int, header_cols: int):
    """A renderCB for a data table: the first `header_rows` rows are column headers,
    the first `header_cols` columns row headers (TH with their Scope)."""

    def callback(table, event, *args) -> None:
        canvas = table.canv
        tagger = tagger_of(canvas)
        if tagger is None:
            return
        if event == "startTable":
            tagger.open(Node("Table"))
        elif event in ("startBG", "startLines"):
            tagger.artifact(canvas)
        elif event in ("endBG", "endLines"):
            tagger.end(canvas)
        elif event == "startRow":
            tagger.open(Node("TR"))
        elif event == "startCell":
            row, col = args[0], args[1]
            attrs = {}
            if row < header_rows:
                kind, attrs["Scope"] = "TH", "Column"
            elif col < header_cols:
                kind, attrs["Scope"] = "TH", "Row"
            else:
                kind = "TD"
            span = getattr(table, "_spanRanges", {}).get((col, row))
            if span is not None and span[2] > span[0]:
                attrs["ColSpan"] = span[2] - span[0] + 1
            tagger.begin(canvas, Node(kind, attrs=attrs))
            tagger.in_cell = True
        elif event == "endCell":
            tagger.in_cell = False
            tagger.end(canvas)
        elif event in ("endRow", "endTable"):
            tagger.close()

    return callback


def toc_tags(table, event, *args) -> None:
    """A renderCB for the table of contents' table: a TOC of TOCI entries, each
    remembering where it is drawn so that its link can be put in it."""
    canvas = table.canv
    tagger = tagger_of(canvas)
    if tagger is None:
        return
    if event == "startTable":
        tagger.open(Node("TOC"))
    elif event in ("startBG", "startLines"):
        tagger.artifact(canvas)
    elif event in ("endBG", "endLines"):
        tagger.end(canvas)
    elif event == "startCell":
        (x, y), (w, h) = args[4], args[5]
        node = Node("TOCI")
        tagger.begin(canvas, node)
        x0, y0 = canvas.absolutePosition(x, y)
        x1, y1 = canvas.absolutePosition(x + w, y + h)
        node.boxes.append((tagger._page(canvas), x0, y0, x1, y1))
        cell = args[2]  # the entry's paragraph (platypus may hand it over in a tuple)
        flowables = cell if isinstance(cell, list | tuple) else [cell]
        node.text = " ".join(_plain(getattr(f, "text", "")) for f in flowables).strip()
        tagger.in_cell = True
    elif event == "endCell":
        tagger.in_cell = False
        tagger.end(canvas)
    elif event == "endTable":
        tagger.close()


# -- after the build -------------------------------------------------------------------


def finish(data: bytes, tagger: ReportTagger, title: str, link_text) -> bytes:
    """Add the structure tree of `tagger`'s marks, /MarkInfo, /Tabs /S and XMP to `data`.

    `link_text(heading, page_number)` describes a TOC entry's link (its /Contents).
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = [p.obj for p in pdf.pages]
        root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        parents: dict[tuple[int, int], pikepdf.Object] = {}
        tocis: list[tuple[Node, pikepdf.Object]] = []

        def build(node: Node, parent) -> pikepdf.Object:
            el = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + node.kind), P=parent
                )
            )
            if node.attrs:
                attrs = pikepdf.Dictionary(O=pikepdf.Name.Table)
                for key, value in node.attrs.items():
                    attrs[pikepdf.Name("/" + key)] = (
                        pikepdf.Name("/" + value) if isinstance(value, str) else value
                    )
                el.A = attrs
            kids = pikepdf.Array()
            for kid in node.kids:
                if isinstance(kid, Node):
                    kids.append(build(kid, el))
                    continue
                page, mcid = kid
                if "/Pg" not in el:
                    el.Pg = pages[page]
                if el.Pg.objgen == pages[page].objgen:
                    kids.append(mcid)
                else:
                    kids.append(
                        pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=pages[page], MCID=mcid)
                    )
                parents[(page, mcid)] = el
            el.K = kids
            if node.kind == "TOCI":
                tocis.append((node, el))
            return el

        document = build(tagger.root, root)
        root.K = pikepdf.Array([document])
        nums = pikepdf.Array()
        for index, page in enumerate(pages):
            count = tagger.counts.get(index, 0)
            page.StructParents = index
            nums.append(index)
            nums.append(pikepdf.Array([parents[(index, m)] for m in range(count)]))
        key = len(pages)
        page_number = {p.objgen: n for n, p in enumerate(pages, start=1)}
        for index, page in enumerate(pages):
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") != pikepdf.Name.Link:
                    continue
                entry = _toci_at(tocis, index, annot.Rect)
                holder = entry[1] if entry else document
                link = pdf.make_indirect(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.StructElem, S=pikepdf.Name.Link, P=holder, Pg=page
                    )
                )
                link.K = pikepdf.Array(
                    [pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annot, Pg=page)]
                )
                holder.K.append(link)
                dest = annot.get("/Dest")
                target = (
                    page_number.get(dest[0].objgen) if isinstance(dest, pikepdf.Array) else None
                )
                annot.Contents = pikepdf.String(link_text(entry[0].text if entry else "", target))
                annot.StructParent = key
                nums.append(key)
                nums.append(link)
                key += 1
            page.Tabs = pikepdf.Name.S
        root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
        root.ParentTreeNextKey = key
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        _no_null_unicode(pdf)
        archive(pdf, title)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def _plain(markup: str) -> str:
    """The text of a paragraph's markup (a TOC entry: <a href=…>heading</a><onDraw …/>)."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup)).strip()


def _toci_at(tocis, page: int, rect) -> tuple[Node, pikepdf.Object] | None:
    """The TOC entry drawn where a link is (its centre inside the entry's box)."""
    cx = (float(rect[0]) + float(rect[2])) / 2
    cy = (float(rect[1]) + float(rect[3])) / 2
    for node, el in tocis:
        for p, x0, y0, x1, y1 in node.boxes:
            if p == page and x0 <= cx <= x1 and min(y0, y1) <= cy <= max(y0, y1):
                return node, el
    return None


def _no_null_unicode(pdf: pikepdf.Pdf) -> None:
    """Drop the ToUnicode entries reportlab writes for code 0 (its .notdef), which
    map to U+0000: PDF/UA (7.21.7) forbids a mapping to U+0000, and no drawn text
    uses code 0."""
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            cmap = font.get("/ToUnicode")
            if cmap is None:
                continue
            text = cmap.read_bytes()
            fixed = _drop_null_mappings(text)
            if fixed != text:
                cmap.write(zlib.compress(fixed), filter=pikepdf.Name.FlateDecode)


def _drop_null_mappings(cmap: bytes) -> bytes:
    """The CMap without its `<xx> <0000>` bfchar entries, each block recounted (at most
    100 entries a block, as the CMap format allows)."""
    if b"<0000>" not in cmap:
        return cmap
    head, _, rest = cmap.partition(b"beginbfchar")
    head, _, _count = head.rpartition(b"\n")
    body, _, tail = rest.rpartition(b"endbfchar")
    entries = []
    for line in body.replace(b"endbfchar", b"").split(b"\n"):
        parts = line.split()
        if len(parts) == 2 and parts[0].startswith(b"<") and parts[1] != b"<0000>":
            entries.append(line.strip())
        # other lines are the next block's "N beginbfchar": recounted below
    blocks = [entries[i : i + 100] for i in range(0, len(entries), 100)]
    text = b"".join(
        b"%d beginbfchar\n%s\nendbfchar\n" % (len(block), b"\n".join(block)) for block in blocks
    )
    return head + b"\n" + text + tail.lstrip(b"\n")


# -- PDF/A-2 (archiving) -----------------------------------------------------------------

# The XMP extension schema that declares pdfuaid: PDF/A allows only XMP properties
# of its predefined schemas, or of schemas the file declares (ISO 19005-2, 6.6.2.3).
PDFUA_EXTENSION = b"""<rdf:Description rdf:about=""
  xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
  xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
  xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
 <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
  <pdfaSchema:schema>PDF/UA identification</pdfaSchema:schema>
  <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
  <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
  <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
   <pdfaProperty:name>part</pdfaProperty:name>
   <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
   <pdfaProperty:category>internal</pdfaProperty:category>
   <pdfaProperty:description>The part of ISO 14289 the file conforms to</pdfaProperty:description>
  </rdf:li></rdf:Seq></pdfaSchema:property>
 </rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""


def srgb_profile() -> bytes:
    """An sRGB ICC profile (Pillow's littleCMS builds it) for the output intent.

    Two header fields are set so that the file is the same on every run and
    readable by PDF 1.7: the creation date (bytes 24–35, the build time) becomes
    2000-01-01, as reportlab's invariant dates are; the version (bytes 8–11)
    becomes 4.2, the ICC version PDF 1.7 names (littleCMS writes 4.4; the profile
    uses nothing newer). The profile ID (bytes 84–99) is left zero, "not computed".
    """
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[8:12] = bytes([4, 0x20, 0, 0])
    data[24:36] = bytes([0x07, 0xD0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0])
    return bytes(data)


def archive(pdf: pikepdf.Pdf, title: str) -> None:
    """Make a tagged report PDF/A-2a as well: an sRGB output intent, printable links,
    and XMP that repeats the document information and declares both standards."""
    profile = pikepdf.Stream(pdf, srgb_profile())
    profile.N = 3
    pdf.Root.OutputIntents = pikepdf.Array(
        [
            pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent,
                S=pikepdf.Name.GTS_PDFA1,
                OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
                Info=pikepdf.String("sRGB IEC61966-2.1"),
                DestOutputProfile=pdf.make_indirect(profile),
            )
        ]
    )
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            annot.F = 4  # Print: PDF/A wants every annotation printed as shown
    info = pdf.docinfo
    for key in ("/Author", "/Keywords", "/Trapped"):  # empty, or with no XMP twin
        if key in info:
            del info[key]
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta.load_from_docinfo(info)
        meta["dc:title"] = title
        meta["pdfuaid:part"] = "1"
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "A"
    xmp = pdf.Root.Metadata.read_bytes()
    xmp = xmp.replace(b"</rdf:RDF>", PDFUA_EXTENSION + b"</rdf:RDF>", 1)
    pdf.Root.Metadata.write(xmp)
