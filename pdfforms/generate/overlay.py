"""What is drawn over a page as raw content-stream bytes, and the fonts it is drawn in.

- The per-copy marks of a page: its QR code and its small print.
- Values drawn into boxes (text_ops, cross_ops): field appearances and pre-filled
  print-run copies.
- The fonts: one embedded font (Noto Sans cut to Windows-1252, WinAnsiEncoding)
  for the small print, and the fields' font for what viewers draw as people type
  into our fields (add_field_font; the same font where the language's letters are
  Windows-1252's); print runs' cover letters add its bold; values we draw into
  boxes are in the values' font (VALUE_FONT says why).

The marks are the only parts of a page that differ between the copies of a print run
(the serial), so they are drawn as an overlay on a shared page: the same bytes
serve a single generated form and copy 9,999 of a run. Drawing them is the hot
path of a print run, so the QR code comes from segno (with its mask chosen as the
QR standard asks) and becomes one rectangle per run of dark modules.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pikepdf
import segno
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFontFile

from ..model import fonts, printable
from ..model.layout import (
    MARGIN_X,
    MARK_INSET,
    SERIAL_DIGIT_SPAN,
    SERIAL_GRAY,
    SERIAL_SIZE,
    Layout,
    edition,
    wrap_measured,
)
from ..model.messages import text as msg
from ..model.serials import printed_code
from .tags import artifact_ops

# The overlay's font key in every page's resources. It was Helvetica, not embedded;
# it is an embedded font now, so that every font of a page is embedded (PDF/UA,
# PDF/A) and prints the same everywhere. The key stays, so that older files and
# newer ones name it alike.
OVERLAY_FONT = "/PfHelv"
QUIET_ZONE = 2  # modules of white around the code; the corner mark is 8 pt away
SMALL_PRINT_SIZE = 7
# The unit's line ("Enhet: Vårdcentralen Norrfjäll") on a copy's first page: between
# the page header (its baseline 35 pt from the top, 16 pt at most) and the content
# (62 pt from the top, model/layout.py CONTENT_TOP), in black 9 pt, 12 pt in large
# print (what fits between the 16 pt header and the content). It is the copy's own,
# like its serial, so it is drawn with the overlay, never into an edition's page
# design: the readers measure nothing there (no box lies above CONTENT_TOP), and
# copies of every edition may carry it.
UNIT_SIZE = 9
UNIT_SIZE_LARGE = 12
UNIT_FROM_TOP = 50.0


def pdf_text(text: str) -> bytes:
    """Text for a content-stream string in WinAnsi (OVERLAY_FONT's encoding).

    A character the font lacks raises printable.UnprintableError: the texts are
    checked where they enter, and this is the last guard against a '?' on paper.
    """
    raw = printable.encode(text)
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def qr_ops(
    payload: str,
    x: float,
    y: float,
    size: float,
    mask: int | None = None,
    boost: bool = False,
) -> bytes:
    """Fill operations drawing a QR code in the square (x, y, size).

    Without `mask`, segno scores all eight masks as the QR standard asks (2 ms);
    a print run scores them once and reuses the winner for every copy (0.4 ms):
    every mask is a valid code, the score only prefers fewer large blotches.
    `boost` (edition 5 on): the highest error correction (Q or H) that keeps the
    version level M needs, so the modules keep their size.
    """
    code = segno.make_qr(payload, error="m", boost_error=boost, mask=mask)
    matrix = code.matrix
    n = len(matrix)
    module = size / (n + 2 * QUIET_ZONE)
    ops = [b"q 0 g"]
    for r, row in enumerate(matrix):
        top = y + size - (QUIET_ZONE + r) * module
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                ops.append(
                    b"%.3f %.3f %.3f %.3f re"
                    % (
                        x + (QUIET_ZONE + start) * module,
                        top - module,
                        (c - start) * module,
                        module,
                    )
                )
            else:
                c += 1
    ops.append(b"f Q")
    return b"\n".join(ops)


def qr_mask(payload: str, boost: bool = False) -> int:
    """The mask segno's scoring picks for a payload (to reuse for payloads like it)."""
    return segno.make_qr(payload, error="m", boost_error=boost).mask


def overlay_ops(
    layout: Layout,
    page_no: int,
    serial: str | None,
    mask: int | None = None,
    unit: str | None = None,
) -> bytes:
    """QR code and small print of one page of one copy, and on its first page the unit
    it was printed for."""
    page = layout.pages[page_no - 1]
    ops = []
    if unit and page_no == 1:
        ops.append(unit_ops(layout, unit))
    boost = edition(layout.edition).two_codes
    for q in (page.qr, page.second_qr):
        if q is not None:
            ops.append(qr_ops(layout.qr_payload(page_no, serial), q.x, q.y, q.w, mask, boost))
    small = layout.footer_small_print(page_no, serial)
    ops.append(
        b"q 0.3 g BT %s %d Tf %.2f %.2f Td (%s) Tj ET Q"
        % (OVERLAY_FONT.encode(), SMALL_PRINT_SIZE, MARGIN_X, MARK_INSET + 6, pdf_text(small))
    )
    code = printed_code(serial, page_no) if page.serial_line is not None else None
    if code is not None:
        ops.append(serial_line_ops(page.serial_line, code))
    return b"\n".join(ops)


def serial_line_ops(where, code: str) -> bytes:
    """Edition 6's serial line (model/layout.py serial_line): the digits turned a
    quarter left, running up the right margin. The overlay font's digits are Noto
    Sans's (the reader matches them: read/scan/serial.py)."""
    baseline = where.x + SERIAL_DIGIT_SPAN[1] * SERIAL_SIZE
    return b"q %.2f g BT %s %.1f Tf 0 1 -1 0 %.2f %.2f Tm (%s) Tj ET Q" % (
        SERIAL_GRAY,
        OVERLAY_FONT.encode(),
        SERIAL_SIZE,
        baseline,
        where.y,
        pdf_text(code),
    )


def unit_ops(layout: Layout, unit: str) -> bytes:
    """The line naming the copy's unit, at the top of its first page."""
    from ..model.identity import unit_line
    from ..model.layout import PAGE_WIDTH

    text = unit_line(unit, layout.language)
    size = UNIT_SIZE_LARGE if layout.large_print else UNIT_SIZE
    x = MARGIN_X
    if fonts.is_rtl(layout.language):  # the header's title is on the right: so is this
        x = PAGE_WIDTH - MARGIN_X - stringWidth(text, measure_font(), size)
    return b"q 0 g BT %s %d Tf %.2f %.2f Td (%s) Tj ET Q" % (
        OVERLAY_FONT.encode(),
        size,
        x,
        layout.height - UNIT_FROM_TOP,
        pdf_text(text),
    )


# -- the fields' font ------------------------------------------------------------
#
# The font viewers use to draw what people type into our fields.
#
# Why not Helvetica, like the printed labels: PDFium (Chrome, Edge) draws every
# character that its charset table does not file under "ANSI" (– — “ ” ‘ ’ …
# • among them) in a fallback CJK font (DroidSansFallback, SimSun) that it
# neither embeds nor maps to Unicode. The saved value is right, but the drawn
# field shows those characters in a Chinese font, and a copy printed through
# poppler/cairo shows empty boxes: the characters are lost on paper
# (tests/test_viewer_matrix.py, PDFium × pdftocairo, found it).
#
# PDFium skips that charset test only for the field's own font, and only when
# that font is embedded and its resource name is one of Wingdings, Wingdings2,
# Wingdings3 or Webdings (CPDF_BAFontMap). So the fields' font is an embedded
# font that covers all of Windows-1252 (every Swedish letter, – “ ” € …) under the
# resource name /Wingdings. The name is only a key into the form's resources; every
# viewer draws the font the key points to. docs/viewers.md records this.
#
# The font is Noto Sans cut down to Windows-1252 (scripts/build_fonts.py; 32 kB,
# embedded whole in every form). It was Bitstream Vera, which has a Mac Roman cmap
# beside its Windows one: PDF/UA validators (page-validation) then check the
# widths of codes 128–255 against the Mac Roman glyphs, and the middle dot of the
# small print failed. The cut Noto has only the Windows cmap.
FIELD_FONT_ALIAS = "/Wingdings"


FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_FILE = FONT_DIR / "NotoSansWinAnsi-Regular.ttf"
BOLD_FILE = FONT_DIR / "NotoSansWinAnsi-Bold.ttf"


BASE_FONT = "/NotoSansWinAnsipdfforms-Regular"
BOLD_BASE_FONT = "/NotoSansWinAnsipdfforms-Bold"
# reportlab's names for them, to measure text drawn in them (wrap)
MEASURE_FONT, MEASURE_BOLD = "PfOverlay", "PfOverlay-Bold"


def measure_font(bold: bool = False) -> str:
    """The name reportlab measures the overlay font by (registered on first use)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name, path = (MEASURE_BOLD, BOLD_FILE) if bold else (MEASURE_FONT, FONT_FILE)
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


@lru_cache(maxsize=2)
def font_metrics(bold: bool = False) -> tuple[bytes, dict]:
    path = BOLD_FILE if bold else FONT_FILE
    data = path.read_bytes()
    tt = TTFontFile(str(path))
    widths = []
    for code in range(32, 256):
        char = bytes([code]).decode("cp1252", errors="replace")
        widths.append(round(tt.charWidths.get(ord(char), tt.defaultWidth), 2))
    info = {
        "widths": widths,
        "bbox": [round(v, 2) for v in tt.bbox],
        "ascent": round(tt.ascent, 2),
        "descent": round(tt.descent, 2),
        "cap_height": round(tt.capHeight, 2),
        "stem_v": tt.stemV,
        "italic_angle": tt.italicAngle,
        "base": BOLD_BASE_FONT if bold else BASE_FONT,
    }
    return data, info


def _descriptor(pdf: pikepdf.Pdf, base: pikepdf.Name, data: bytes, m: dict) -> pikepdf.Dictionary:
    """A TrueType font's file and its FontDescriptor (printrun._descriptor writes the
    same into a print run's file)."""
    font_file = pikepdf.Stream(pdf, data)
    font_file.Length1 = len(data)
    return pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=base,
        Flags=32,
        FontBBox=m["bbox"],
        ItalicAngle=m.get("italic_angle", 0),
        Ascent=m["ascent"],
        Descent=m["descent"],
        CapHeight=m["cap_height"],
        StemV=m["stem_v"],
        FontFile2=pdf.make_indirect(font_file),
    )


def embedded_font(pdf: pikepdf.Pdf, bold: bool = False) -> pikepdf.Object:
    """The overlay font (or its bold) as an embedded TrueType font with WinAnsiEncoding."""
    data, m = font_metrics(bold)
    descriptor = _descriptor(pdf, pikepdf.Name(m["base"]), data, m)
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.TrueType,
            BaseFont=pikepdf.Name(m["base"]),
            FirstChar=32,
            LastChar=255,
            Widths=m["widths"],
            Encoding=pikepdf.Name.WinAnsiEncoding,
            FontDescriptor=pdf.make_indirect(descriptor),
        )
    )


def add_field_font(pdf: pikepdf.Pdf, layout: Layout) -> pikepdf.Object | None:
    """Embed the fields' font of the layout's language (model/fonts.py) and make it the
    default font of every text and choice field. A right-to-left language's text
    fields are set against their right edge (/Q 2).

    A form of tick boxes only has no field that draws text, and reportlab then
    writes no /DA and no /DR at all: nothing to embed (and no /DR to add to).
    """
    acro = pdf.Root.AcroForm
    holders = [h for h in [acro, *acro.Fields] if "/DA" in h]
    if not holders:
        return None
    typed = layout.fields_font
    font = typed_font_object(pdf, typed)
    if "/DR" not in acro:
        acro.DR = pikepdf.Dictionary()
    if "/Font" not in acro.DR:
        acro.DR.Font = pikepdf.Dictionary()
    acro.DR.Font[FIELD_FONT_ALIAS] = font
    for holder in holders:
        da = str(holder.DA).split()
        if "Tf" in da:
            da[da.index("Tf") - 2] = FIELD_FONT_ALIAS
            holder.DA = pikepdf.String(" ".join(da))
        if typed.rtl and str(holder.get("/FT", "")) == "/Tx":
            holder.Q = 2
    return font


PADDING = 2.0  # inner margin of a text box, as reportlab and the viewers draw it

# Values we draw into boxes (filled fields' appearances, pre-filled print-run copies)
# are drawn in the values' font (model/fonts.py: Typed Sans, or Noto Sans Arabic Typed
# for right-to-left text), embedded whole under this key. Typed Sans has Helvetica's
# widths: the values were Helvetica (not embedded) before, and the flattened reader's
# overflow checks (text_beyond_box) and the form scripts' "will not fit" warning were
# measured with those widths (tests/test_flattened.py).
VALUE_FONT = "/PfValue"
VALUE_FONT_RTL = "/PfValueRtl"  # the right-to-left one, beside it in a print run's pages


def value_fonts(text: str) -> fonts.TypedFont:
    """The font a value is drawn in (model/fonts.py)."""
    return fonts.value_font(text)


def value_key(font: fonts.TypedFont) -> str:
    """The resource name a values' font is drawn under."""
    return VALUE_FONT_RTL if font.rtl else VALUE_FONT


@lru_cache(maxsize=4)
def composite_metrics(font: fonts.TypedFont) -> dict:
    """What a composite (Type0) embedding of a typed font needs: its file, the width of
    every glyph, the glyph of each character and the ToUnicode map back."""
    tt = TTFontFile(str(font.path))
    scale = 1000 / tt.unitsPerEm
    widths = [round(advance * scale) for advance, _lsb in tt.hmetrics]
    widths += [widths[-1]] * (tt.numGlyphs - len(widths))  # hmtx may end early
    to_unicode: dict[int, int] = {}
    for code, glyph in sorted(tt.charToGlyph.items()):
        to_unicode.setdefault(glyph, code)
    lines = [
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    items = sorted(to_unicode.items())
    for start in range(0, len(items), 100):  # at most 100 a block (PDF 32000, 9.10.3)
        chunk = items[start : start + 100]
        lines.append(b"%d beginbfchar" % len(chunk))
        lines += [b"<%04X> <%s>" % (g, _utf16_hex(u)) for g, u in chunk]
        lines.append(b"endbfchar")
    lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return {
        "data": font.path.read_bytes(),
        "glyphs": dict(tt.charToGlyph),
        "widths": widths,
        "to_unicode": b"\n".join(lines),
        "bbox": [round(v) for v in tt.bbox],
        "ascent": round(tt.ascent),
        "descent": round(tt.descent),
        "cap_height": round(tt.capHeight),
        "stem_v": tt.stemV,
    }


def _utf16_hex(code: int) -> bytes:
    return chr(code).encode("utf-16-be").hex().upper().encode()


def typed_font_object(pdf: pikepdf.Pdf, font: fonts.TypedFont) -> pikepdf.Object:
    """A typed font embedded whole: the WinAnsi one as a simple TrueType font, the
    others as Type0 fonts with Identity-H (each code the glyph's number) and a
    ToUnicode map, so that viewers can encode what people type into them."""
    if not font.composite:
        return embedded_font(pdf)
    m = composite_metrics(font)
    base = pikepdf.Name(font.base)
    descriptor = _descriptor(pdf, base, m["data"], m)
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=base,
        CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        W=[0, m["widths"]],
        CIDToGIDMap=pikepdf.Name.Identity,
    )
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=base,
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=[pdf.make_indirect(cid_font)],
            ToUnicode=pdf.make_indirect(pikepdf.Stream(pdf, m["to_unicode"])),
        )
    )


class ValueFonts:
    """The values' fonts of one open PDF, each embedded once, when first drawn with."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self._objects: dict[str, pikepdf.Object] = {}

    def object(self, font: fonts.TypedFont) -> pikepdf.Object:
        if font.key not in self._objects:
            self._objects[font.key] = typed_font_object(self.pdf, font)
        return self._objects[font.key]


def encode_typed(text: str, font: fonts.TypedFont) -> bytes:
    """A content-stream string of text in a typed font: a hex string of glyph numbers
    for a composite font. A character the font lacks raises UnprintableError (the
    values are checked where they enter: this is the last guard)."""
    if not font.composite:
        return b"(" + pdf_text(text) + b")"
    glyphs = composite_metrics(font)["glyphs"]
    missing = [ch for ch in text if ord(ch) not in glyphs]
    if missing:
        reason = msg("printable.values_font", chars=printable.describe(missing), has=font.letters)
        raise printable.UnprintableError(f"{text!r} {reason}")
    return b"<" + b"".join(b"%04X" % glyphs[ord(ch)] for ch in text) + b">"


LEADING = 1.15


def text_ops(
    text: str,
    w: float,
    h: float,
    size: float,
    multiline: bool,
    appearance: bool = True,
    comb: int = 0,
) -> bytes:
    """Operations drawing a field's text inside a w × h box whose corner is the origin,
    in the values' font `value_fonts(text)` under its resource name (value_key).

    Right-to-left text is shaped and put in visual order line by line, and set against
    the right edge. An `appearance` (of a field) is marked /Tx as viewers expect; text
    drawn into a page is not, as it is the marked content of its structure element there.
    A `comb` field (its MaxLen cells) has each character centred in a cell of its own,
    as viewers draw comb fields.
    """
    typed = value_fonts(text)
    measure = typed.measure
    ops = [
        b"q",
        b"%.2f %.2f %.2f %.2f re W n" % (PADDING, PADDING, w - 2 * PADDING, h - 2 * PADDING),
    ]
    if text:
        ops += [b"BT", b"%s %.2f Tf" % (value_key(typed).encode(), size), b"0 g"]
        if multiline:
            lines = wrap_measured(
                text, lambda t: _drawn_width(t, typed, measure, size), w - 2 * PADDING - 2
            )
            y = h - PADDING - size
        else:
            lines = [" ".join(text.split("\n"))]
            y = (h - size) / 2 + size * 0.22
        x = PADDING + 1
        if comb and not multiline and not typed.rtl:
            cell = w / comb
            for i, ch in enumerate(lines[0][:comb]):
                left = cell * (i + 0.5) - stringWidth(ch, measure, size) / 2
                ops.append(b"1 0 0 1 %.2f %.2f Tm" % (left, y))
                ops.append(encode_typed(ch, typed) + b" Tj")
            lines = []
        for i, line in enumerate(lines):
            drawn = fonts.visual(line) if typed.rtl else line
            left = x
            if typed.rtl:  # against the right edge, as the box's /Q 2 says
                left = w - PADDING - 1 - stringWidth(drawn, measure, size)
            ops.append(b"1 0 0 1 %.2f %.2f Tm" % (left, y - i * size * LEADING))
            ops.append(encode_typed(drawn, typed) + b" Tj")
        ops.append(b"ET")
    ops.append(b"Q")
    return b"\n".join([b"/Tx BMC", *ops, b"EMC"] if appearance else ops)


def _drawn_width(text: str, typed: fonts.TypedFont, measure: str, size: float) -> float:
    return stringWidth(fonts.visual(text) if typed.rtl else text, measure, size)


def cross_ops(w: float, h: float) -> bytes:
    """A cross in a w × h box whose corner is the origin, as our tick appearance draws."""
    m = w * 0.2
    return b"q 0 G 1.5 w 1 J %.2f %.2f m %.2f %.2f l S %.2f %.2f m %.2f %.2f l S Q" % (
        m,
        m,
        w - m,
        h - m,
        m,
        h - m,
        w - m,
        m,
    )


def overlay_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """The embedded overlay font with WinAnsiEncoding: the font of the small print (and
    of print runs' cover letters). A form that has the fields' font (the same font)
    shares it: one copy of the font file in a file."""
    acro = pdf.Root.get("/AcroForm")
    dr = acro.get("/DR") if acro is not None else None
    dr_fonts = dr.get("/Font") if dr is not None else None
    if dr_fonts is not None and FIELD_FONT_ALIAS in dr_fonts:
        font = dr_fonts[FIELD_FONT_ALIAS]
        if str(font.get("/BaseFont", "")) == BASE_FONT and "/FontDescriptor" in font:
            return font
    return embedded_font(pdf)


def stamp_pages(
    pdf: pikepdf.Pdf,
    layout: Layout,
    serial: str | None,
    font: pikepdf.Object | None = None,
    unit: str | None = None,
) -> None:
    """Draw each page's QR code and small print over it (the overlay; see the module
    docstring), in the overlay font `font` (embedded once, or here)."""
    font = font if font is not None else overlay_font(pdf)
    for number, page in enumerate(pdf.pages, start=1):
        resources = page.obj.get("/Resources")
        if resources is None:
            page.obj.Resources = resources = pikepdf.Dictionary()
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        resources.Font[OVERLAY_FONT] = font
        # not content: the tagged structure (generate/tags.py) reads the form, the
        # machine marks are decoration
        ops = artifact_ops(overlay_ops(layout, number, serial, unit=unit))
        page.contents_add(pikepdf.Stream(pdf, ops), prepend=False)
