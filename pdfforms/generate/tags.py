"""Tagged PDF (PDF/UA-1): the structure tree a screen reader reads a form by.

reportlab has no tagging, so it is done in two halves:

- while drawing (render.py), every text that is real content is wrapped in a
  marked-content sequence with its own MCID (`Tagger.text`), and everything else
  on the page (corner marks, rules, shading, header and footer) in
  `/Artifact BMC … EMC` (`Tagger.artifact`);
- in the pikepdf pass (`build_tree`), the structure tree is built in reading
  order from the form itself (title, intro, sections, questions, options) and
  each marked-content sequence and each widget is hung in its place: every
  widget in a /Form element with an OBJR and an accessible name that includes its
  option ("4. Har du ont? – Ja"), grid questions as a Table with TH headers.

Which text is what comes from the layout: each TextItem's `role` (model/layout.py).
A text with the role ("furniture",) is drawn as an artifact; one with no role is
refused, so that nothing drawn is silently hidden from a screen reader.
"""

from __future__ import annotations

import io
from collections import defaultdict

import pikepdf

from ..model.form import DATA_PROTECTION_PARTS, Form, Question, cell_name, tr
from ..model.layout import Layout, Widget

# The structure type of each kind of text (TextItem.role[0]).
TEXT_TYPES = {
    "title": "H1",
    "intro": "P",
    "section_title": "H2",
    "section_intro": "P",
    "section_condition": "P",
    "label": "P",
    "number": "P",
    "text": "P",
    "condition": "P",
    "help": "P",
    "multiple": "P",
    "after": "P",
    "option": "P",
    "ends": "P",
    "column": "TH",
    "row": "TH",
    "required": "P",  # the mark after a required question's label: part of the label
    "required_legend": "P",
    "dp_pointer": "P",
    "dp_title": "H2",
    "dp_heading": "H3",
    "dp_text": "P",
    "logo": "Figure",  # the definition's logo beside the title (its Alt: build_tree)
}

ARTIFACT = b"/Artifact BMC"


class Tagger:
    """Numbers the marked-content sequences of the pages while reportlab draws them."""

    def __init__(self) -> None:
        # role → [(page index, MCID)], in drawing order
        self.marks: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
        self.counts: list[int] = []

    def start_page(self) -> None:
        self.counts.append(0)

    def begin(
        self, canvas, role: tuple[str, ...], text: str = "", actual: str | None = None
    ) -> None:
        """Open the marked content of one drawn text (close it with `end`).

        `actual`: the text in reading order where what is drawn differs from it (a
        right-to-left line is drawn in visual order, its letters in joined forms): a
        screen reader and a copy of the text take it from /ActualText.
        """
        page = len(self.counts) - 1
        kind = role[0] if role else ""
        if kind not in TEXT_TYPES and kind != "furniture":
            raise ValueError(
                f"text {text!r} has no known role ({role}): give its TextItem a role "
                "(model/layout.py) that generate/tags.py places in the structure tree"
            )
        earlier = self.marks.get(role, [])
        # A grid's header row repeated on a page the grid continues on is a
        # pagination artifact: the table has it once.
        repeated = kind == "column" and any(p < page for p, _ in earlier)
        if kind == "furniture" or repeated:
            canvas.addLiteral(ARTIFACT.decode())
            return
        mcid = self.counts[page]
        self.counts[page] += 1
        self.marks[role].append((page, mcid))
        said = f" /ActualText <{utf16_hex(actual)}>" if actual else ""
        canvas.addLiteral(f"/{TEXT_TYPES[kind]} <</MCID {mcid}{said}>> BDC")

    @staticmethod
    def artifact(canvas) -> None:
        canvas.addLiteral(ARTIFACT.decode())

    @staticmethod
    def end(canvas) -> None:
        canvas.addLiteral("EMC")


def utf16_hex(text: str) -> str:
    """A text string as PDF hex: UTF-16BE with its byte-order mark."""
    return (b"\xfe\xff" + text.encode("utf-16-be")).hex().upper()


def artifact_ops(ops: bytes) -> bytes:
    """Raw content-stream operations as an artifact (the stamp's QR code and small print)."""
    return ARTIFACT + b"\n" + ops + b"\nEMC"


class _Tree:
    def __init__(self, pdf: pikepdf.Pdf, marks):
        self.pdf = pdf
        self.pages = [p.obj for p in pdf.pages]
        self.marks = marks
        self.used: set[tuple[str, ...]] = set()
        self.parent_of: dict[tuple[int, int], pikepdf.Object] = {}
        self.annot_parents: list[tuple[pikepdf.Object, pikepdf.Object]] = []
        self.root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))

    def element(self, kind: str, parent, **attrs) -> pikepdf.Object:
        el = self.pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + kind), P=parent)
        )
        for key, value in attrs.items():
            el[pikepdf.Name("/" + key)] = value
        el.K = pikepdf.Array()
        parent.K.append(el)
        return el

    def add_marks(self, el: pikepdf.Object, *roles: tuple[str, ...]) -> None:
        """Hang the marked content of these roles (in this order) under `el`."""
        for role in roles:
            if role in self.used:
                continue
            self.used.add(role)
            for page, mcid in self.marks.get(role, []):
                if "/Pg" not in el:
                    el.Pg = self.pages[page]
                if el.Pg.objgen == self.pages[page].objgen:
                    el.K.append(mcid)
                else:
                    el.K.append(
                        pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=self.pages[page], MCID=mcid)
                    )
                self.parent_of[(page, mcid)] = el

    def block(self, kind: str, parent, *roles: tuple[str, ...]) -> None:
        """An element of its own for these roles, if anything of them was drawn."""
        if any(self.marks.get(r) and r not in self.used for r in roles):
            self.add_marks(self.element(kind, parent), *roles)

    def widget(self, parent, annot: pikepdf.Object, page: int, name: str) -> None:
        el = self.element("Form", parent, Pg=self.pages[page], Alt=pikepdf.String(name))
        el.K.append(pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annot, Pg=self.pages[page]))
        self.annot_parents.append((annot, el))


def _annotations(pdf: pikepdf.Pdf, layout: Layout) -> dict[int, tuple[pikepdf.Object, int]]:
    """id(layout widget) → (its widget annotation, page index), matched by rectangle."""
    found = {}
    for index, (page, lpage) in enumerate(zip(pdf.pages, layout.pages, strict=True)):
        by_rect = {}
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") == pikepdf.Name.Widget:
                by_rect[tuple(round(float(v), 1) for v in annot.Rect)] = annot
        for w in lpage.widgets:
            key = tuple(round(v, 1) for v in w.rect)
            if key not in by_rect:
                raise ValueError(f"widget {w.field}={w.on} has no annotation at {key}")
            found[id(w)] = (by_rect[key], index)
    return found


def accessible_name(w: Widget) -> str:
    """What a screen reader says for a box: the question, and for a tick box its option."""
    if w.kind in ("radio", "checkbox") and w.option_label:
        return f"{w.tooltip} – {w.option_label}"
    return w.tooltip


def build_tree(pdf: pikepdf.Pdf, form: Form, layout: Layout, tagger: Tagger) -> None:
    """Add the structure tree, the ParentTree, /MarkInfo, /Tabs /S and the XMP to `pdf`."""
    lang = layout.language
    tree = _Tree(pdf, tagger.marks)
    doc = tree.pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=tree.root, K=[])
    )
    tree.root.K = pikepdf.Array([doc])
    annots = _annotations(pdf, layout)
    widgets_of: dict[str, list[Widget]] = defaultdict(list)
    for w in layout.widgets():
        widgets_of[w.question].append(w)

    tree.block("H1", doc, ("title",))
    if form.logo is not None and tagger.marks.get(("logo",)):
        alt = pikepdf.String(tr(form.logo.alt, lang))
        tree.add_marks(tree.element("Figure", doc, Alt=alt), ("logo",))
    tree.block("P", doc, ("intro",))
    tree.block("P", doc, ("required_legend",))
    tree.block("P", doc, ("dp_pointer",))
    for section in form.sections:
        sect = tree.element("Sect", doc)
        tree.block("H2", sect, ("section_title", section.id))
        tree.block("P", sect, ("section_intro", section.id))
        tree.block("P", sect, ("section_condition", section.id))
        for q in section.questions:
            _question(tree, sect, q, widgets_of[q.id], annots)
        if not sect.K:
            del doc.K[len(doc.K) - 1]
    if form.data_protection is not None and tagger.marks.get(("dp_title",)):
        sect = tree.element("Sect", doc)
        tree.block("H2", sect, ("dp_title",))
        for key in DATA_PROTECTION_PARTS:
            tree.block("H3", sect, ("dp_heading", key))
            tree.block("P", sect, ("dp_text", key))

    left = [r for r in tagger.marks if r not in tree.used]
    if left:  # a text the tree has no place for would be skipped by a screen reader
        raise ValueError(f"texts with no place in the structure tree: {left}")
    _finish_tree(tree, len(tagger.counts))
    root = pdf.Root
    root.StructTreeRoot = tree.root
    root.MarkInfo = pikepdf.Dictionary(Marked=True)
    for page in pdf.pages:
        page.obj.Tabs = pikepdf.Name.S  # tab order follows the structure
    _metadata(pdf, tr(form.title, lang))


def _question(tree: _Tree, parent, q: Question, widgets: list[Widget], annots) -> None:
    if q.type == "info":
        tree.block("P", parent, ("label", q.id))
        tree.block("P", parent, ("text", q.id))
        return
    div = tree.element("Div", parent)
    tree.block("P", div, ("number", q.id), ("label", q.id), ("required", q.id))
    for kind in ("condition", "help", "multiple"):
        tree.block("P", div, (kind, q.id))
    if q.type == "grid":
        _grid(tree, div, q, widgets, annots)
    elif q.type == "group":
        _group(tree, div, q, widgets, annots)
    else:
        for w in widgets:
            annot, page = annots[id(w)]
            tree.widget(div, annot, page, accessible_name(w))
            if w.on is not None:
                tree.block("P", div, ("option", w.field, w.on))
            else:
                tree.block("P", div, ("after", q.id))
    tree.block("P", div, ("after", q.id))
    tree.block("P", div, ("ends", q.id))


def _grid(tree: _Tree, div, q: Question, widgets: list[Widget], annots) -> None:
    table = tree.element("Table", div)
    head = tree.element("TR", table)
    # The corner cell above the row labels: a header cell with no text keeps every
    # row the same number of cells.
    tree.element("TH", head, A=pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Column))
    for i in range(len(q.options)):
        th = tree.element(
            "TH", head, A=pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Column)
        )
        tree.add_marks(th, ("column", q.id, str(i)))
    rows: dict[str, list[Widget]] = defaultdict(list)
    for w in widgets:
        rows[w.field].append(w)
    for name, cells in rows.items():
        tr_ = tree.element("TR", table)
        th = tree.element(
            "TH", tr_, A=pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Row)
        )
        tree.add_marks(th, ("row", name))
        for w in cells:
            annot, page = annots[id(w)]
            td = tree.element("TD", tr_)
            tree.widget(td, annot, page, accessible_name(w))


def _group(tree: _Tree, div, q: Question, widgets: list[Widget], annots) -> None:
    """A group as a Table: a header row of its columns' labels, then a row per printed
    row, its number the row's header and each cell's field a TD."""
    table = tree.element("Table", div)
    head = tree.element("TR", table)
    column = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Column)
    tree.element("TH", head, A=column)  # the corner above the row numbers
    for i in range(len(q.items)):
        th = tree.element("TH", head, A=column)
        tree.add_marks(th, ("column", q.id, str(i)))
    cells = {w.field: w for w in widgets}
    for k in range(1, q.row_count + 1):
        tr_ = tree.element("TR", table)
        th = tree.element(
            "TH", tr_, A=pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Row)
        )
        tree.add_marks(th, ("row", f"{q.id}__{k}"))
        for item in q.items:
            w = cells[cell_name(q.id, k, item.id)]
            annot, page = annots[id(w)]
            tree.widget(tree.element("TD", tr_), annot, page, accessible_name(w))


def _finish_tree(tree: _Tree, pages: int) -> None:
    nums = pikepdf.Array()
    for index in range(pages):
        count = sum(1 for p, _ in tree.parent_of if p == index)
        tree.pages[index].StructParents = index
        nums.append(index)
        nums.append(pikepdf.Array([tree.parent_of[(index, m)] for m in range(count)]))
    key = pages
    for annot, el in tree.annot_parents:
        annot.StructParent = key
        nums.append(key)
        nums.append(el)
        key += 1
    tree.root.ParentTree = tree.pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
    tree.root.ParentTreeNextKey = key


def _metadata(pdf: pikepdf.Pdf, title: str) -> None:
    """XMP with the title and the PDF/UA-1 identification (no dates: output stays deterministic)."""
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = title
        meta["pdfuaid:part"] = "1"


# -- flattened copies --------------------------------------------------------------


RADIO_FLAG = 1 << 15


def appearance_owners(pdf: pikepdf.Pdf) -> list[list[tuple[set, pikepdf.Object, pikepdf.Object]]]:
    """For each page, its widgets in /Annots order: (their appearance streams, their
    /Form element, its PrintField attributes); taken before flattening, which
    removes the widgets.

    The PrintField attributes (PDF 1.7 §14.8.5.6) tell a screen reader what a
    field was once it is no longer one: a text value (tv), a radio button (rb) or
    check box (cb), whether it is ticked, and the field's name (Desc).
    """
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return []
    nums = root.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    owners = []
    for page in pdf.pages:
        widgets = []
        for annot in page.obj.get("/Annots", []):
            el = parents.get(int(annot.get("/StructParent", -1)))
            normal = annot.get("/AP", {}).get("/N")
            if el is None or normal is None:
                continue
            streams = [normal] if isinstance(normal, pikepdf.Stream) else list(normal.values())
            field = annot if "/FT" in annot else annot.get("/Parent", {})
            attrs = pikepdf.Dictionary(O=pikepdf.Name.PrintField, Role=pikepdf.Name.tv)
            if field.get("/FT") == pikepdf.Name.Btn:
                radio = int(field.get("/Ff", 0)) & RADIO_FLAG
                attrs.Role = pikepdf.Name.rb if radio else pikepdf.Name.cb
                on = annot.get("/AS", pikepdf.Name.Off) != pikepdf.Name.Off
                attrs.checked = pikepdf.Name.on if on else pikepdf.Name.off
            if "/Alt" in el:
                attrs.Desc = el.Alt
            widgets.append(({s.objgen for s in streams}, el, attrs))
        owners.append(widgets)
    return owners


def tag_flattened(
    pdf: pikepdf.Pdf, owners: list[list[tuple[set, pikepdf.Object, pikepdf.Object]]]
) -> None:
    """Keep a copy flattened by qpdf tagged: each field's appearance, now drawn into
    its page, becomes the marked content of the field's /Form element (a form that
    is no longer interactive), and the widgets' entries leave the ParentTree.

    qpdf draws the appearances in /Annots order, each as `q … cm /FxoN Do Q`, in a
    content stream it adds at the end of the page. Widgets may share one appearance
    stream, so each Do is matched to the next widget whose appearance it draws; an
    appearance of no field of ours is an artifact.
    """
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    nums = root.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for page, widgets in zip(pdf.pages, owners, strict=True):
        contents = page.obj.get("/Contents")
        if not isinstance(contents, pikepdf.Array) or "/StructParents" not in page.obj:
            continue
        last = contents[len(contents) - 1]
        xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
        marks = parents[int(page.obj.StructParents)]
        ops = []
        pending = list(widgets)
        for operands, operator in pikepdf.parse_content_stream(last):
            if str(operator) != "Do":
                ops.append(pikepdf.ContentStreamInstruction(operands, operator))
                continue
            xobject = xobjects.get(str(operands[0]))
            el = attrs = None
            while pending and xobject is not None:
                streams, candidate, attrs = pending.pop(0)
                if xobject.objgen in streams:
                    el = candidate
                    break
            if el is None:
                begin = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Artifact], pikepdf.Operator("BMC")
                )
            else:
                mcid = len(marks)
                marks.append(el)
                if el.Pg.objgen == page.obj.objgen:
                    el.K = pikepdf.Array([mcid])
                else:
                    el.K = pikepdf.Array(
                        [pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page.obj, MCID=mcid)]
                    )
                el.A = attrs
                if attrs.Role == pikepdf.Name.tv:  # its text is read now, after the label
                    del el["/Alt"]
                begin = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Form, pikepdf.Dictionary(MCID=mcid)], pikepdf.Operator("BDC")
                )
            ops.append(begin)
            ops.append(pikepdf.ContentStreamInstruction(operands, operator))
            ops.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
        last.write(pikepdf.unparse_content_stream(ops))
    for widgets in owners:  # a field qpdf drew nothing for (no appearance, hidden)
        for _, el, attrs in widgets:
            if "/A" not in el:
                el.A = attrs
                el.K = pikepdf.Array()
    # the widgets are gone: so are their entries
    kept = pikepdf.Array()
    pages = {int(p.obj.StructParents) for p in pdf.pages if "/StructParents" in p.obj}
    for key, value in parents.items():
        if key in pages:
            kept.append(key)
            kept.append(value)
    root.ParentTree.Nums = kept


# -- print runs -------------------------------------------------------------------


class CopyTree:
    """The structure tree of a template (a form drawn once for a print run), written
    again for every copy: each copy's pages share the template's content streams, and
    an MCID means something per page, so each copy has elements of its own that the
    same marked content of its own pages points to (through its pages' StructParents).

    A print run has no fields: each /Form element becomes a printed field
    (PrintField attributes, PDF 1.7 §14.8.5.6) holding the value pre-filled on that
    copy, if any, as marked content of the copy's page.

    Size: the attribute values every copy repeats (the boxes' names, the tables'
    scopes) are written once and referred to, an element names its page once, and
    a copy's elements go in one compressed object stream.
    """

    def __init__(self, pdf: pikepdf.Pdf, layout: Layout):
        root = pdf.Root.StructTreeRoot
        page_index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        by_rect = {}
        for i, lpage in enumerate(layout.pages):
            for w in lpage.widgets:
                by_rect[(i, tuple(round(v, 1) for v in w.rect))] = w
        # each element: (type, [(attribute key, value bytes)], parent index, kids); a
        # kid is ("el", index) | ("mcid", page, mcid) | ("widget", Widget)
        self.elements: list[tuple[bytes, list[tuple[bytes, bytes]], int, list]] = []
        self.widget_element: dict[int, int] = {}  # id(Widget) → element index
        self.lang = bytes(pdf.Root.get("/Lang", pikepdf.String(layout.language)))
        self._shared: dict[bytes, int] = {}  # attribute value → its object in the run

        def visit(node, parent: int, page: int | None) -> int:
            index = len(self.elements)
            if "/Pg" in node:
                page = page_index[node.Pg.objgen]
            attrs = [(k.encode(), node[k].unparse()) for k in ("/A", "/Alt") if k in node]
            kids: list = []
            self.elements.append((str(node.S).encode(), attrs, parent, kids))
            k = node.get("/K", [])
            for kid in k if isinstance(k, pikepdf.Array) else [k]:
                if isinstance(kid, int):
                    kids.append(("mcid", page, int(kid)))
                elif kid.get("/Type") == pikepdf.Name.MCR:
                    kids.append(("mcid", page_index[kid.Pg.objgen], int(kid.MCID)))
                elif kid.get("/Type") == pikepdf.Name.OBJR:
                    at = page_index[kid.Pg.objgen]
                    w = by_rect[(at, tuple(round(float(v), 1) for v in kid.Obj.Rect))]
                    kids.append(("widget", w))
                    self.widget_element[id(w)] = index
                else:
                    kids.append(("el", visit(kid, index, page)))
            return index

        doc = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
        self.top = [visit(kid, -1, None) for kid in doc.K]
        # page → [element index of MCID 0, 1, …]
        self.page_marks: list[list[int]] = [[] for _ in pdf.pages]
        for index, (_, _, _, kids) in enumerate(self.elements):
            for kid in kids:
                if kid[0] == "mcid":
                    marks = self.page_marks[kid[1]]
                    marks.extend([-1] * (kid[2] + 1 - len(marks)))
                    marks[kid[2]] = index

    def mcid_count(self, page: int) -> int:
        return len(self.page_marks[page])

    def _ref(self, writer, value: bytes) -> bytes:
        if value not in self._shared:
            self._shared[value] = writer.write(value)
        return b"%d 0 R" % self._shared[value]

    def write(
        self,
        writer,
        parent: int,
        pages: list[int],
        filled: list[list[Widget]],
        ticked: set[int],
        lang: bytes,
        cover: tuple[int, list[tuple]] | None = None,
    ) -> tuple[int, list[int]]:
        """Write one copy's elements under `parent`: a Part in the copy's language.

        `pages` are the copy's form pages (reserved object numbers), `filled[i]` the
        widgets whose pre-filled value page i draws as MCIDs after the template's,
        `ticked` the id()s of the tick boxes ticked; `cover` its cover page and that
        page's elements (type, MCIDs). Returns the Part and each page's ParentTree
        array (cover page first, if any).
        """
        part = writer.reserve()
        numbers = [writer.reserve() for _ in self.elements]
        kids_of_part: list[bytes] = []
        arrays: list[int] = []
        packed: list[tuple[int, bytes]] = []  # all of it goes in one object stream

        def pack(body: bytes, number: int | None = None) -> int:
            number = writer.reserve() if number is None else number
            packed.append((number, body))
            return number

        if cover is not None:
            page, items = cover
            marks: list[int] = []
            for kind, mcids, *more in items:  # more: a Figure's /Alt
                num = writer.reserve()
                marks += [num] * len(mcids)
                pack(
                    b"<< /S /%s /P %d 0 R /Pg %d 0 R%s /K [%s] >>"
                    % (
                        kind.encode(),
                        part,
                        page,
                        more[0] if more else b"",
                        b" ".join(b"%d" % m for m in mcids),
                    ),
                    num,
                )
                kids_of_part.append(b"%d 0 R" % num)
            arrays.append(pack(b"[%s]" % b" ".join(b"%d 0 R" % n for n in marks)))
        value_mcid: dict[int, tuple[int, int]] = {}  # id(Widget) → (page, MCID)
        for page, widgets in enumerate(filled):
            for offset, w in enumerate(widgets):
                value_mcid[id(w)] = (page, self.mcid_count(page) + offset)
        for index, (kind, attrs, parent_index, kids) in enumerate(self.elements):
            out = []
            home = None  # the element's page (/Pg): its MCIDs there are plain numbers
            entries = dict(attrs)
            for kid in kids:
                if kid[0] == "el":
                    out.append(b"%d 0 R" % numbers[kid[1]])
                    continue
                if kid[0] == "mcid":
                    page, mcid = kid[1], kid[2]
                else:  # a widget: a printed field, holding its pre-filled value if any
                    w = kid[1]
                    entries[b"/A"] = _print_field(w, id(w) in ticked)
                    if id(w) not in value_mcid:
                        continue
                    page, mcid = value_mcid[id(w)]
                    if w.kind not in ("radio", "checkbox"):  # its text is read, not a name
                        entries.pop(b"/Alt", None)
                if home is None:
                    home = page
                if page == home:
                    out.append(b"%d" % mcid)
                else:
                    out.append(b"<< /Type /MCR /Pg %d 0 R /MCID %d >>" % (pages[page], mcid))
            up = part if parent_index < 0 else numbers[parent_index]
            extra = b"".join(b" %s %s" % (k, self._ref(writer, v)) for k, v in entries.items())
            if home is not None:
                extra += b" /Pg %d 0 R" % pages[home]
            pack(
                b"<< /S %s /P %d 0 R%s /K [%s] >>" % (kind, up, extra, b" ".join(out)),
                numbers[index],
            )
        kids_of_part += [b"%d 0 R" % numbers[i] for i in self.top]
        pack(
            b"<< /S /Part /P %d 0 R /Lang %s /K [%s] >>"
            % (parent, pikepdf.String(lang).unparse(), b" ".join(kids_of_part)),
            part,
        )
        for page, marks in enumerate(self.page_marks):
            refs = [numbers[i] for i in marks]
            refs += [numbers[self.widget_element[id(w)]] for w in filled[page]]
            arrays.append(pack(b"[%s]" % b" ".join(b"%d 0 R" % n for n in refs)))
        writer.write_packed(packed)
        return part, arrays


def _print_field(w: Widget, ticked: bool) -> bytes:
    """A Form element's attributes in a print run: PrintField in place of a widget."""
    if w.kind in ("radio", "checkbox"):
        role = b"/rb" if w.kind == "radio" else b"/cb"
        field = b"/Role %s /checked %s" % (role, b"/on" if ticked else b"/off")
    else:
        field = b"/Role /tv"
    return b"<< /O /PrintField %s >>" % field


XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def xmp_packet(title: str) -> bytes:
    """XMP with the title and the PDF/UA-1 identification, for a PDF written by hand."""
    from xml.sax.saxutils import escape

    return XMP.format(title=escape(title)).encode("utf-8")


# -- reading the tree back ---------------------------------------------------------


def _described(annot) -> str:
    """A widget as [field name], a link as [link: its description]."""
    if annot.get("/Subtype") == pikepdf.Name.Link:
        return f"[link: {annot.get('/Contents', '')}]"
    return f"[field {annot.get('/T', annot.get('/Parent', {}).get('/T', ''))}]"


def reading_order(data: bytes) -> str:
    """The structure tree of a PDF as indented text: what a screen reader reads, in order.

    Each element is a line with its type, its accessible name (/Alt) if any, and the
    text of its marked content, which pdfplumber finds through each character's
    MCID (so it works whatever font the page is drawn in).
    """
    import pdfplumber

    texts: dict[tuple[int, int], str] = defaultdict(str)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        for index, page in enumerate(doc.pages):
            for word in page.extract_words(extra_attrs=["mcid"], keep_blank_chars=True):
                if word.get("mcid") is not None:
                    key = (index, word["mcid"])
                    texts[key] = f"{texts[key]} {word['text']}".strip()
    lines: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page_index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return "(no structure tree: the PDF is not tagged)\n"

        def kids(node) -> list:
            k = node.get("/K")
            if k is None:
                return []
            return list(k) if isinstance(k, pikepdf.Array) else [k]

        def walk(node, depth: int, page: int | None) -> None:
            if "/Pg" in node:
                page = page_index.get(node.Pg.objgen, page)
            words, children = [], []
            for kid in kids(node):
                if isinstance(kid, int):
                    words.append(texts.get((page, kid), ""))
                elif kid.get("/Type") == pikepdf.Name.MCR:
                    words.append(texts.get((page_index[kid.Pg.objgen], int(kid.MCID)), ""))
                elif kid.get("/Type") == pikepdf.Name.OBJR:
                    words.append(_described(kid.Obj))
                else:
                    children.append(kid)
            line = "  " * depth + str(node.S)[1:]
            if "/Alt" in node:
                line += f' (name: "{node.Alt}")'
            text = " ".join(w for w in words if w)
            if text:
                line += f": {text}"
            lines.append(line)
            for child in children:
                walk(child, depth + 1, page)

        for top in kids(root):
            walk(top, 0, None)
    return "\n".join(lines) + "\n"
