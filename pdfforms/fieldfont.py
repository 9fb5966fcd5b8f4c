"""The font viewers use to draw what people type into our fields.

Why not Helvetica, like the printed labels: PDFium (Chrome, Edge) draws every
character that its charset table does not file under "ANSI" (– — “ ” ‘ ’ …
• among them) in a fallback CJK font (DroidSansFallback, SimSun) that it
neither embeds nor maps to Unicode. The saved value is right, but the drawn
field shows those characters in a Chinese font, and a copy printed through
poppler/cairo shows empty boxes: the characters are lost on paper
(tests/test_viewer_matrix.py, PDFium × pdftocairo, found it).

PDFium skips that charset test only for the field's own font, and only when
that font is embedded and its resource name is one of Wingdings, Wingdings2,
Wingdings3 or Webdings (CPDF_BAFontMap). So the fields' font is an embedded
Bitstream Vera Sans (shipped with reportlab; it covers all of Windows-1252, so
every Swedish letter, – “ ” € …) under the resource name /Wingdings. The name
is only a key into the form's resources; every viewer draws the font the key
points to, which is Vera. docs/viewers.md records this.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pikepdf
import reportlab
from reportlab.pdfbase.ttfonts import TTFontFile

FIELD_FONT_ALIAS = "/Wingdings"
FONT_FILE = Path(reportlab.__file__).resolve().parent / "fonts" / "Vera.ttf"
BASE_FONT = "/BitstreamVeraSans-Roman"


@lru_cache(maxsize=1)
def _metrics() -> tuple[bytes, dict]:
    data = FONT_FILE.read_bytes()
    tt = TTFontFile(str(FONT_FILE))
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
    }
    return data, info


def add_field_font(pdf: pikepdf.Pdf) -> pikepdf.Object | None:
    """Embed the field font and make it the default font of every text and choice field.

    A form of tick boxes only has no field that draws text, and reportlab then
    writes no /DA and no /DR at all: nothing to embed (and no /DR to add to).
    """
    acro = pdf.Root.AcroForm
    holders = [h for h in [acro, *acro.Fields] if "/DA" in h]
    if not holders:
        return None
    data, m = _metrics()
    font_file = pikepdf.Stream(pdf, data)
    font_file.Length1 = len(data)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=pikepdf.Name(BASE_FONT),
        Flags=32,
        FontBBox=m["bbox"],
        ItalicAngle=m["italic_angle"],
        Ascent=m["ascent"],
        Descent=m["descent"],
        CapHeight=m["cap_height"],
        StemV=m["stem_v"],
        FontFile2=pdf.make_indirect(font_file),
    )
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.TrueType,
            BaseFont=pikepdf.Name(BASE_FONT),
            FirstChar=32,
            LastChar=255,
            Widths=m["widths"],
            Encoding=pikepdf.Name.WinAnsiEncoding,
            FontDescriptor=pdf.make_indirect(descriptor),
        )
    )
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
    return font
