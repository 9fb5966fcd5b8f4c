"""Layout → fillable, printable PDF with reportlab, finished with pikepdf.

reportlab draws the pages and the AcroForm widgets; a short pikepdf pass then
adds what reportlab cannot: the form's identity in the document information
(which every viewer we tested keeps when it saves), the definition itself as
an embedded file (so a returned PDF can be read without the YAML at hand),
tooltips on radio groups, and the document language for screen readers.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from reportlab.lib.colors import Color, black, transparent, white
from reportlab.pdfgen import canvas as rl_canvas

from .. import __version__
from ..model import fonts
from ..model.definition import DefinitionError, logo_path, logo_problem
from ..model.form import Fault, Form, cell_name, tr
from ..model.identity import (
    DEFINITION_ATTACHMENT,
    INFO_EDITION,
    INFO_FINGERPRINT,
    INFO_FORM,
    INFO_LANGUAGE,
    INFO_PRINT,
    INFO_SERIAL,
    INFO_VERSION,
    keywords_line,
)
from ..model.layout import Layout, build_layout, edition
from ..model.messages import text as msg
from .letter import fit_in, form_logo_box
from .overlay import add_field_font, overlay_font, stamp_pages
from .scripts import CHECKED_TYPES, overflow_action, validate_action
from .tags import Tagger, build_tree

# Keys in the document information dictionary. Standard keys are kept by every
# viewer; the custom ones are kept by all we tested and are exact, the Keywords
# line is the fallback that survives even tools that drop unknown keys.
BLANK_CHOICE = " "
# BCP 47 tags for /Lang (screen readers pick their voice by it). Finnish, Sami and
# Ukrainian readers in Sweden: the language without a country.
LANG_TAGS = {"sv": "sv-SE", "en": "en-GB", "fi": "fi", "se": "se", "uk": "uk", "ar": "ar"}


def _gray(level: float) -> Color:
    return Color(level, level, level)


def _draw_page(c: rl_canvas.Canvas, layout: Layout, page_no: int, tagger: Tagger) -> None:
    page = layout.pages[page_no - 1]
    tagger.start_page()
    for r in page.rects:  # rules, shading: decoration, artifacts all
        if r.fill is not None:
            c.setFillColor(_gray(r.fill))
        if r.stroke is not None:
            c.setStrokeColor(_gray(r.stroke))
            c.setLineWidth(r.width)
        tagger.artifact(c)
        if r.h == 0:
            if r.stroke is not None:
                c.line(r.x, r.y, r.x + r.w, r.y)
        else:
            c.rect(
                r.x, r.y, r.w, r.h, stroke=int(r.stroke is not None), fill=int(r.fill is not None)
            )
        tagger.end(c)
    c.setFillColor(black)
    for t in page.texts:
        c.setFillColor(_gray(t.gray))
        c.setFont(fonts.register(t.font), t.size)
        text = fonts.visual(t.text) if t.font in fonts.RTL_FACES else t.text
        # what is drawn in visual order is said in reading order
        tagger.begin(c, t.role, t.text, actual=t.text if text != t.text else None)
        if t.align == "center":
            c.drawCentredString(t.x, t.y, text)
        elif t.align == "right":
            c.drawRightString(t.x, t.y, text)
        else:
            c.drawString(t.x, t.y, text)
        tagger.end(c)
    c.setFillColor(black)
    for m in page.marks:
        tagger.artifact(c)
        c.rect(m.x, m.y, m.w, m.h, stroke=0, fill=1)
        tagger.end(c)


def required_fields(form: Form) -> set[str]:
    """The fields that carry the Required flag (/Ff bit 2), which viewers show on
    screen (pdf.js outlines them and tells screen readers, aria-required).

    Only where the flag asks exactly what the readers ask (parse/interpret.py):
    the one field of a required question, or every row of a required grid. Not
    on a question with enable_when, its own or its section's: a viewer knows nothing
    of the condition and would demand an answer a respondent must leave blank (its
    star on paper and the printed condition say it). Not on the boxes of a multiple: each box is a
    field of its own, and Required on it would demand every box ticked. Not on the cells
    of a group: a required group needs one row, not every cell. Not on an
    `other` write-in line: it is needed only when its box is chosen.
    """
    names: set[str] = set()
    for q in form.answerable:
        if q.required and form.condition_of(q) is None and q.type not in ("multiple", "group"):
            names.update(n for n in q.field_names() if not n.endswith("__other_text"))
    return names


def _flags(flags: str, required: bool) -> str:
    return f"required {flags}".strip() if required else flags


def _draw_widgets(
    c: rl_canvas.Canvas, layout: Layout, page_no: int, required: set[str] = frozenset()
) -> None:
    form = c.acroForm
    common = dict(
        borderColor=black, fillColor=white, textColor=black, borderWidth=1, forceBorder=True
    )

    def box(w) -> dict:  # tick boxes: crosses in squares, as people mark paper
        return dict(x=w.x, y=w.y, size=w.w, buttonStyle="cross", shape="square", **common)

    combs = layout.comb_fields
    for w in layout.pages[page_no - 1].widgets:
        if w.kind == "text":
            form.textfield(
                name=w.field,
                tooltip=w.tooltip,
                x=w.x,
                y=w.y,
                width=w.w,
                height=w.h,
                value="",
                # a comb field: MaxLen cells, one typed character in each, over the
                # printed cells (layout.comb_pattern)
                maxlen=len(w.comb) if combs else 0,
                fontName="Helvetica",
                fontSize=w.font_size,
                fieldFlags=_flags(
                    "comb doNotSpellCheck"
                    if w.comb and combs
                    else "multiline doNotSpellCheck"
                    if w.multiline
                    else "doNotSpellCheck",
                    w.field in required,
                ),
                # a comb's printed cells (page content, under the field) must show
                # through it: no white fill
                **(dict(common, fillColor=transparent) if w.comb else common),
            )
        elif w.kind == "checkbox":
            form.checkbox(
                name=w.field,
                tooltip=f"{w.tooltip} – {w.option_label}",
                checked=False,
                fieldFlags="",
                **box(w),
            )
        elif w.kind == "radio":
            form.radio(
                name=w.field,
                value=w.on,
                tooltip=w.tooltip,
                selected=False,
                # not NoToggleToOff: a respondent can take a cross back
                fieldFlags=_flags("radio", w.field in required),
                **box(w),
            )
        elif w.kind == "choice":
            # A blank first entry lets a respondent take a choice back. reportlab
            # cannot make a choice field without a value, so it gets this blank
            # one, and _finish removes the /V and /I again.
            options = [(BLANK_CHOICE, BLANK_CHOICE)] + list(w.options)
            form.choice(
                name=w.field,
                tooltip=w.tooltip,
                x=w.x,
                y=w.y,
                width=w.w,
                height=w.h,
                value=BLANK_CHOICE,
                options=options,
                fontName="Helvetica",
                fontSize=w.font_size,
                fieldFlags=_flags("combo", w.field in required),
                maxlen=0,
                **common,
            )
        else:  # pragma: no cover - the layout makes no other kinds
            raise ValueError(f"unknown widget kind {w.kind}")


def render(
    form: Form,
    layout: Layout,
    serial: str | None = None,
    stamp: bool = True,
    logo: Path | None = None,
    scripts: bool = True,
) -> bytes:
    """Draw a layout into a finished PDF and return its bytes.

    Without `stamp` the pages lack their QR codes and small print: the template a
    print run stamps once per copy. `logo`: the definition's logo file, drawn
    beside the title (generate/letter.py says where); a reader drawing the blank
    form to compare a scan with leaves it out, and never needs the file. Without
    `scripts` the fields have no checks to run while filling (scripts.py): nothing
    a page draws, and a reader drawing the blank form has no one filling it.
    """
    buf = io.BytesIO()
    lang = layout.language
    design = edition(layout.edition)
    # reportlab selects its initial font at the top of every page even where nothing
    # is drawn in it; from edition 2 that is the page's own embedded font, so no
    # unembedded Helvetica is left in the page resources (PDF/UA, PDF/A).
    initial = fonts.register(design.faces(lang).regular) if design.embedded else None
    c = rl_canvas.Canvas(
        buf,
        pagesize=(layout.width, layout.height),
        invariant=1,
        pageCompression=1,
        initialFontName=initial,
    )
    c.setTitle(tr(form.title, lang))
    c.setSubject(f"{form.id} version {form.version} ({lang})")
    c.setKeywords(keywords_line(layout.identity(serial)))
    c.setCreator(f"pdfforms {__version__}")
    c.setAuthor("")
    required = required_fields(form)
    tagger = Tagger()
    logo_at = _logo_place(form, layout, logo) if logo is not None else None
    for n in range(1, len(layout.pages) + 1):
        _draw_page(c, layout, n, tagger)
        if n == 1 and logo_at is not None:
            x, y, w, h = logo_at
            tagger.begin(c, ("logo",))
            c.drawImage(str(logo), x, y, w, h, mask="auto")
            tagger.end(c)
        # reportlab draws the outline of a multi-line text box into the page as
        # well as into the widget: that copy is decoration
        tagger.artifact(c)
        _draw_widgets(c, layout, n, required)
        tagger.end(c)
        c.showPage()
    c.save()
    return _finish(buf.getvalue(), form, layout, serial, stamp, tagger, scripts)


def _logo_place(form: Form, layout: Layout, logo: Path) -> tuple[float, float, float, float]:
    """The logo's place beside the title; a DefinitionError (a print fault naming the
    file and line) when the file cannot be drawn or the title leaves no room."""
    from PIL import Image

    problem = logo_problem(logo)
    if problem is None:
        box = form_logo_box(layout)
        if box is None:
            problem = msg("def.logo_no_room", lang=layout.language)
    if problem is not None:
        raise DefinitionError([Fault(form.source, form.logo.line, problem)])
    with Image.open(logo) as image:
        width, height = image.size
    return fit_in(box, width, height, right=not fonts.is_rtl(layout.language))


def _finish(
    data: bytes,
    form: Form,
    layout: Layout,
    serial: str | None,
    stamp: bool,
    tagger: Tagger,
    scripts: bool = True,
) -> bytes:
    tooltips = {w.field: w.tooltip for w in layout.widgets() if w.kind == "radio"}
    # Checks while filling, where the viewer runs form scripts (scripts.py).
    checked = {q.id: q for q in form.answerable if q.type in CHECKED_TYPES}
    for q in form.answerable:  # a group's date and number cells, as their columns say
        if q.type == "group":
            for item in q.items:
                if item.type in CHECKED_TYPES:
                    checked.update(
                        (cell_name(q.id, k, item.id), item) for k in range(1, q.row_count + 1)
                    )
    # ... and a warning where a written answer will not fit its box on paper
    boxes = {
        w.field: w
        for w in layout.widgets()
        if w.kind == "text"
        and form.question(w.question).type not in CHECKED_TYPES
        and w.field not in checked
    }
    letters = layout.letters  # the language's letters, whose widths the warning knows
    choices = {w.field for w in layout.widgets() if w.kind == "choice"}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        info = pdf.docinfo
        info[INFO_FORM] = form.id
        info[INFO_VERSION] = form.version
        info[INFO_LANGUAGE] = layout.language
        info[INFO_FINGERPRINT] = form.fingerprint
        if serial:
            info[INFO_SERIAL] = serial
        if layout.large_print:
            info[INFO_PRINT] = "large"
        info[INFO_EDITION] = str(layout.edition)
        root = pdf.Root
        root.Lang = pikepdf.String(LANG_TAGS.get(layout.language, layout.language))
        root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        acro = root.AcroForm
        if "/NeedAppearances" in acro:
            del acro["/NeedAppearances"]
        winansi = None
        if add_field_font(pdf, layout) is not None:
            # a blank choice's appearance is reportlab's, in WinAnsi: the overlay font
            winansi = overlay_font(pdf)
            _embed_appearance_fonts(pdf, winansi)
        if stamp:
            stamp_pages(pdf, layout, serial, winansi)
        for fld in acro.Fields:
            name = str(fld.get("/T", ""))
            if name in choices:
                for key in ("/V", "/I"):
                    if key in fld:
                        del fld[key]
            if name in tooltips:  # reportlab gives a group its first option's tooltip
                fld.TU = pikepdf.String(tooltips[name])
            script = None
            if scripts and name in checked:
                script = validate_action(checked[name], layout.language)
            elif scripts and name in boxes:
                script = overflow_action(boxes[name], layout.language, letters)
            if script is not None:
                fld.AA = pikepdf.Dictionary(
                    V=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(script))
                )
        spec = pikepdf.AttachedFileSpec(
            pdf,
            form.source_text.encode("utf-8"),
            mime_type="application/yaml",
            description=f"pdfforms definition of {form.id} version {form.version}",
            filename=DEFINITION_ATTACHMENT,
        )
        pdf.attachments[DEFINITION_ATTACHMENT] = spec
        build_tree(pdf, form, layout, tagger)
        fonts.drop_null_unicode(pdf)
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
        )
    return out.getvalue()


def _embed_appearance_fonts(pdf: pikepdf.Pdf, font: pikepdf.Object) -> None:
    """reportlab gives the appearance of every text and choice field its Helvetica
    (unembedded) in the appearance's resources: point those at the embedded overlay
    font (WinAnsi, as reportlab encodes), so that no unembedded font is left on a page
    (PDF/UA, PDF/A). An empty field draws no text with it; a drop-down's blank entry
    draws a space."""
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            ap = annot.get("/AP")
            if ap is None:
                continue
            for key in ("/N", "/D", "/R"):
                stream = ap.get(key)
                if not isinstance(stream, pikepdf.Stream):
                    continue  # a button's states: crosses, no text
                fonts = stream.get("/Resources", {}).get("/Font")
                if fonts is None:
                    continue
                for name, value in list(fonts.items()):
                    if str(value.get("/BaseFont", "")) == "/Helvetica":
                        fonts[name] = font


def generate(
    form: Form, lang: str | None = None, large_print: bool = False, serial: str | None = None
) -> bytes:
    """The fillable, printable PDF of a form in one language.

    A form with texts our fonts cannot draw (loaded to read returned copies, see
    form.parse_definition) raises DefinitionError instead of printing boxes.
    """
    if form.print_faults:
        raise DefinitionError(form.print_faults)
    layout = build_layout(form, lang, large_print)
    return render(form, layout, serial, logo=logo_path(form) if form.logo else None)
