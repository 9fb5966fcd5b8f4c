"""A corpus of broken and hostile returned files, made on the spot (not a test file).

`make_corpus(folder)` writes every file into `folder` and returns
{file name: a lowercase piece of the reason a reader must give for refusing it}.
Everything is synthetic and made in about a second: the bombs are built without
ever holding what they inflate to, and the 10,000 pages share one content stream.

Read the corpus with `definitions=[CORPUS_DEFINITIONS]` (`--definitions
form_definitions`): `version_unknown.pdf` carries its own, consistent definition
of version 99, and is read with it when the definitions embedded in a file are
allowed to count (SPEC §5) — only against the shipped folder is it unknown.
"""

from __future__ import annotations

import io
import random
import re
import struct
import zlib
from pathlib import Path

import pikepdf

from pdfforms.model.identity import DEFINITION_ATTACHMENT, INFO_FORM, INFO_LANGUAGE, INFO_VERSION

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DEFINITIONS = ROOT / "form_definitions"

A4 = (595.0, 842.0)
GIB = 2**30


# -- building blocks --------------------------------------------------------------------


def deflate_repeated(byte: int, count: int, chunk: int = 2**20) -> bytes:
    """A zlib stream that inflates to `count` copies of one byte, made in milliseconds.

    After a full flush deflate starts afresh, so every further chunk compresses to
    the same bytes: the stream is one compressed chunk repeated, with the checksum
    worked out rather than computed over gigabytes.
    """
    data = bytes([byte]) * chunk
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = co.compress(data) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(data) + co.flush(zlib.Z_FULL_FLUSH)
    assert first == again
    tail = co.compress(data[: count % chunk]) + co.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    a = (1 + byte * count) % 65521  # Adler-32 of `count` equal bytes, in closed form
    b = (count + byte * (count * (count + 1) // 2)) % 65521
    body = first * (count // chunk) + tail + end
    return b"\x78\xda" + body + struct.pack(">I", (b << 16) | a)


def bomb_stream(pdf: pikepdf.Pdf, byte: int, size: int, **keys) -> pikepdf.Stream:
    """A stream of `size` bytes behind two /FlateDecode layers: a few kB in the file."""
    inner = deflate_repeated(byte, size)
    stream = pikepdf.Stream(pdf, zlib.compress(inner, 9))
    stream.Filter = pikepdf.Array([pikepdf.Name.FlateDecode, pikepdf.Name.FlateDecode])
    for key, value in keys.items():
        stream[f"/{key}"] = value
    return stream


def raw_pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF written by hand (object number → body): for structures pikepdf won't save."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objects[num])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


def png(width: int, height: int, idat: bytes) -> bytes:
    """A PNG whose header claims `width`×`height` grey pixels, whatever the data holds."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _save(pdf: pikepdf.Pdf, target=None) -> bytes | None:
    """Save as it is: no recompression (which would inflate a bomb), no object streams."""
    out = target if target is not None else io.BytesIO()
    pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue() if target is None else None


def _encrypted(filled: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(filled)) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(user="hemligt", owner="hemligare"))
        return out.getvalue()


def _noise_png(rng: random.Random) -> bytes:
    """A real PNG (600 × 800 grey noise), for cutting short."""
    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("L", (600, 800), rng.randbytes(600 * 800)).save(out, "PNG")
    return out.getvalue()


def _patient_identity(pdf: pikepdf.Pdf) -> None:
    """Claim to be our patient form, version 1, in the document information."""
    pdf.docinfo[INFO_FORM] = "patient-7-fragor"
    pdf.docinfo[INFO_VERSION] = "1"
    pdf.docinfo[INFO_LANGUAGE] = "sv"


def _filled(form_text: str | None = None) -> bytes:
    """Our patient form filled with synthetic answers (from `form_text` if given)."""
    from pdfforms.generate.fields import answers_to_fields
    from pdfforms.generate.render import generate
    from pdfforms.model.definition import load_form, parse_definition
    from pdfforms.testing.synthetic import fill_like_pypdf, synthetic_answers

    if form_text is None:
        form = load_form(CORPUS_DEFINITIONS / "patient.yaml")
    else:
        form, faults = parse_definition(form_text, "<patient, changed>")
        assert form is not None, faults
    answers = synthetic_answers(form, random.Random(7))
    return fill_like_pypdf(generate(form, "sv"), answers_to_fields(form, answers))


# -- the files --------------------------------------------------------------------------


def _many_pages(count: int, image: bool) -> bytes:
    """`count` pages that all draw the same content (text, or one small image)."""
    pdf = pikepdf.new()
    if image:
        picture = pikepdf.Stream(pdf, bytes(64 * 64))
        picture.Type, picture.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        picture.Width, picture.Height, picture.BitsPerComponent = 64, 64, 8
        picture.ColorSpace = pikepdf.Name.DeviceGray
        resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=picture))
        content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    else:
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
        resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        content = b"BT /F1 12 Tf 72 760 Td (Vad \\344r viktigt f\\366r dig?) Tj ET"
        _patient_identity(pdf)
    shared = pdf.make_indirect(pikepdf.Stream(pdf, content))
    resources = pdf.make_indirect(resources)
    tree = pdf.Root.Pages
    kids = []
    for _ in range(count):
        kids.append(
            pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Page,
                    Parent=tree,
                    MediaBox=pikepdf.Array([0, 0, *A4]),
                    Resources=resources,
                    Contents=shared,
                )
            )
        )
    tree.Kids = pikepdf.Array(kids)
    tree.Count = count
    return _save(pdf)


def _content_bomb() -> bytes:
    """One page whose content stream is 4 GiB of spaces once both layers are inflated."""
    pdf = pikepdf.new()
    content = pdf.make_indirect(bomb_stream(pdf, ord(" "), 4 * GIB))
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=pikepdf.Array([0, 0, *A4]), Contents=content
    )
    pdf.pages.append(pikepdf.Page(page))
    return _save(pdf)


def _image_bomb() -> bytes:
    """One page drawing a 100,000 × 100,000 grey image: 10 GB of zeros, a few kB stored."""
    pdf = pikepdf.new()
    side = 100_000
    image = bomb_stream(
        pdf,
        0,
        side * side,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=side,
        Height=side,
        BitsPerComponent=8,
        ColorSpace=pikepdf.Name.DeviceGray,
    )
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=pikepdf.Array([0, 0, *A4]),
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=pdf.make_indirect(image))),
        Contents=pdf.make_indirect(pikepdf.Stream(pdf, b"q 595 0 0 842 0 0 cm /Im0 Do Q")),
    )
    pdf.pages.append(pikepdf.Page(page))
    return _save(pdf)


def _huge_page() -> bytes:
    """A scan-like page 200 inches square: drawn at scan resolution, 1.6 G pixels."""
    pdf = pikepdf.new()
    picture = pikepdf.Stream(pdf, bytes(16 * 16))
    picture.Type, picture.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    picture.Width, picture.Height, picture.BitsPerComponent = 16, 16, 8
    picture.ColorSpace = pikepdf.Name.DeviceGray
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=pikepdf.Array([0, 0, 14400, 14400]),
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=picture)),
        Contents=pdf.make_indirect(pikepdf.Stream(pdf, b"q 14400 0 0 14400 0 0 cm /Im0 Do Q")),
    )
    pdf.pages.append(pikepdf.Page(page))
    return _save(pdf)


_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def _page_tree_loop() -> bytes:
    """The page tree lists itself among its kids."""
    return raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
            3: _PAGE,
        }
    )


def _field_kids_loop() -> bytes:
    """A form field whose /Kids holds itself (twice: a walk without memory doubles per level)."""
    return raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>",
            4: b"<< /Type /Annot /Subtype /Widget /Rect [72 700 300 720] /P 3 0 R"
            b" /T (viktigast_nu) /FT /Tx /V (svar) /Kids [4 0 R 4 0 R] >>",
        }
    )


def _field_parent_loop() -> bytes:
    """A widget whose /Parent chain goes round (no /AcroForm: readers climb from the widget)."""
    return raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>",
            4: b"<< /Type /Annot /Subtype /Widget /Rect [72 700 300 720] /P 3 0 R"
            b" /FT /Tx /V (svar) /Parent 5 0 R >>",
            5: b"<< /Parent 6 0 R /Kids [4 0 R] >>",
            6: b"<< /Parent 5 0 R /Kids [5 0 R] >>",
        }
    )


def _someone_elses_form() -> bytes:
    """A fillable PDF from another program: its own field names, no pdfforms identity."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.drawString(72, 780, "Ansökan om parkeringstillstånd")
    c.acroForm.textfield(name="kundnummer", x=72, y=720, width=200, height=20, value="4711")
    c.acroForm.textfield(name="namn", x=72, y=680, width=200, height=20, value="Eva Ek")
    c.acroForm.checkbox(name="samtycke", x=72, y=640, size=14, checked=True)
    c.showPage()
    c.save()
    return out.getvalue()


def _tiff_page_without_size() -> bytes:
    """A two-page TIFF whose second page lacks its width: Pillow raises TypeError on it."""
    from PIL import Image

    out = io.BytesIO()
    first, second = Image.new("L", (50, 60), 255), Image.new("L", (50, 60), 200)
    first.save(out, "TIFF", save_all=True, append_images=[second])
    data = bytearray(out.getvalue())
    ifd = struct.unpack("<I", data[4:8])[0]
    count = struct.unpack("<H", data[ifd : ifd + 2])[0]
    ifd = struct.unpack("<I", data[ifd + 2 + 12 * count : ifd + 6 + 12 * count])[0]
    for i in range(struct.unpack("<H", data[ifd : ifd + 2])[0]):
        entry = ifd + 2 + 12 * i
        if struct.unpack("<H", data[entry : entry + 2])[0] == 256:  # ImageWidth
            data[entry : entry + 2] = struct.pack("<H", 65000)  # a tag no reader knows
    return bytes(data)


def _flattened() -> bytes:
    from pdfforms.generate.fill import flatten_pdf

    return flatten_pdf(_filled())


def _flattened_without_mediabox() -> bytes:
    """A flattened copy whose pages lost their size."""
    with pikepdf.open(io.BytesIO(_flattened())) as pdf:
        for page in pdf.pages:
            del page.obj["/MediaBox"]
        return _save(pdf)


def _flattened_rotate_not_a_number() -> bytes:
    """A flattened copy whose page turn is a name (a byte of "/Rotate 0" lost): pdfminer
    raised a TypeError on it."""
    with pikepdf.open(io.BytesIO(_flattened())) as pdf:
        pdf.pages[1].obj.Rotate = pikepdf.Name("/Trans")
        return _save(pdf)


def _flattened_reference_in_drawing() -> bytes:
    """A flattened copy whose drawing holds an object reference, which no content stream
    may (a changed byte can make one): pikepdf raised a TypeError on it."""
    with pikepdf.open(io.BytesIO(_flattened())) as pdf:
        pdf.pages[0].contents_add(pikepdf.Stream(pdf, b"BT [1 0 R] TJ ET"), prepend=False)
        return _save(pdf)


def _flattened_filter_not_utf8() -> bytes:
    """A flattened copy whose drawing names its filter in bytes that are not UTF-8."""
    with pikepdf.open(io.BytesIO(_flattened())) as pdf:
        contents = pdf.pages[0].obj.Contents
        stream = contents[0] if isinstance(contents, pikepdf.Array) else contents
        stream.Filter = pikepdf.Name("/Zzzz")
        data = _save(pdf)
    assert data.count(b"/Zzzz") == 1
    return data.replace(b"/Zzzz", b"/Z#FFz")


def _flattened_startxref_broken() -> bytes:
    """A flattened copy whose `startxref` is misspelt: qpdf rebuilds it, pdfminer did not."""
    return _flattened().replace(b"startxref", b"startxrex")


def _edited_filled(edit) -> bytes:
    with pikepdf.open(io.BytesIO(_filled())) as pdf:
        edit(pdf, {str(f.T): f for f in pdf.Root.AcroForm.Fields})
        return _save(pdf)


def _text_not_utf8() -> bytes:
    """A text field whose /V is marked UTF-8 and is not: qpdf raises on it."""

    def edit(pdf, fields):
        fields["bra_dag"].V = pikepdf.String(b"\xef\xbb\xbf\xff\xfe")

    return _edited_filled(edit)


def _info_not_utf8() -> bytes:
    """The language in the document information marked UTF-8 and not."""

    def edit(pdf, fields):
        pdf.docinfo[INFO_LANGUAGE] = pikepdf.String(b"\xef\xbb\xbf\xff")

    return _edited_filled(edit)


def _radio_name_not_utf8() -> bytes:
    """A radio group's /V a name whose bytes are not UTF-8 (str() of it raises)."""

    def edit(pdf, fields):
        fields["nasta_steg"].V = pikepdf.Name("/Zzzzzzzz")

    data = _edited_filled(edit)
    assert data.count(b"/Zzzzzzzz") == 1
    return data.replace(b"/Zzzzzzzz", b"/vet#FFte")  # as long: the index stays right


# What each file's reason must contain (lowercase), in the order they are made.
REASONS = {
    "truncated.pdf": "damaged",
    "not_a_pdf.pdf": "not a pdf",
    "random.pdf": "not a pdf",
    "empty.pdf": "empty",
    "encrypted.pdf": "encrypted",
    "pages_10000.pdf": "10000 pages",
    "scan_10000_pages.pdf": "10000 pages",
    "bomb_content.pdf": "decompressed",
    "bomb_image.pdf": "pixels",
    "huge_page.pdf": "pixels",
    "loop_page_tree.pdf": "loop",
    "loop_field_kids.pdf": "loop",
    "loop_field_parent.pdf": "loop",
    "version_unknown.pdf": "unknown version",
    "someone_elses_form.pdf": "not a pdfforms form",
    "scan.png": "not an image",
    "scan_truncated.png": "truncated",
    "huge.png": "pixels",
    "tiff_page_without_size.tif": "one of its pages is damaged",
    "flattened_without_mediabox.pdf": "mediabox",
    "flattened_rotate_not_a_number.pdf": "/rotate",
    "flattened_filter_not_utf8.pdf": "damaged",
}


def make_corpus(folder: Path) -> dict[str, str]:
    """Write every broken or hostile file into `folder`; → {name: piece of its reason}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20240607)
    filled = _filled()
    source = (CORPUS_DEFINITIONS / "patient.yaml").read_text(encoding="utf-8")
    changed, count = re.subn(r'(?m)^version: "[^"]+"$', 'version: "99"', source)
    assert count == 1
    makers = {
        # cut where none of its answers is left: a cut that leaves some is read, with a
        # damaged_file error (tests/test_damaged.py)
        "truncated.pdf": lambda: filled[: len(filled) // 3],
        "not_a_pdf.pdf": lambda: "Hej! Här är mina svar: ja, nej, kanske.\n".encode(),
        "random.pdf": lambda: rng.randbytes(50_000),
        "empty.pdf": lambda: b"",
        "encrypted.pdf": lambda: _encrypted(filled),
        "pages_10000.pdf": lambda: _many_pages(10_000, image=False),
        "scan_10000_pages.pdf": lambda: _many_pages(10_000, image=True),
        "bomb_content.pdf": _content_bomb,
        "bomb_image.pdf": _image_bomb,
        "huge_page.pdf": _huge_page,
        "loop_page_tree.pdf": _page_tree_loop,
        "loop_field_kids.pdf": _field_kids_loop,
        "loop_field_parent.pdf": _field_parent_loop,
        "version_unknown.pdf": lambda: _filled(changed),
        "someone_elses_form.pdf": _someone_elses_form,
        "scan.png": lambda: rng.randbytes(20_000),
        "scan_truncated.png": lambda: _noise_png(rng)[:3000],
        "huge.png": lambda: png(100_000, 100_000, zlib.compress(bytes(100_001))),
        "tiff_page_without_size.tif": _tiff_page_without_size,
        "flattened_without_mediabox.pdf": _flattened_without_mediabox,
        "flattened_rotate_not_a_number.pdf": _flattened_rotate_not_a_number,
        "flattened_filter_not_utf8.pdf": _flattened_filter_not_utf8,
    }
    assert makers.keys() == REASONS.keys()
    for name, make in makers.items():
        (folder / name).write_bytes(make())
    return dict(REASONS)


# Good forms with a hostile or broken part a reader must step round: each must be
# read, giving this problem code (None: none). The broken ones crashed readers once.
READABLE = {
    "bomb_attachment.pdf": None,
    "flattened_startxref_broken.pdf": "damaged_file",
    "flattened_reference_in_drawing.pdf": "damaged_file",
    "text_not_utf8.pdf": "damaged_file",
    "info_not_utf8.pdf": "damaged_file",
    "radio_name_not_utf8.pdf": "unknown_value",
}


def make_readable(folder: Path) -> dict[str, str | None]:
    """Write the READABLE files into `folder`; → {name: the problem code each must give}.

    `bomb_attachment.pdf`: a filled patient form whose embedded definition (the
    attachment) inflates to 4 GiB while its /Params /Size claims 8 kB. The reader
    must leave it and read the form with the shipped definition.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with pikepdf.open(io.BytesIO(_filled())) as pdf:
        stream = pdf.attachments[DEFINITION_ATTACHMENT].get_file().obj
        inner = deflate_repeated(ord("a"), 4 * GIB)
        stream.write(
            zlib.compress(inner, 9),
            filter=pikepdf.Array([pikepdf.Name.FlateDecode, pikepdf.Name.FlateDecode]),
        )
        _save(pdf, folder / "bomb_attachment.pdf")
    makers = {
        "flattened_startxref_broken.pdf": _flattened_startxref_broken,
        "flattened_reference_in_drawing.pdf": _flattened_reference_in_drawing,
        "text_not_utf8.pdf": _text_not_utf8,
        "info_not_utf8.pdf": _info_not_utf8,
        "radio_name_not_utf8.pdf": _radio_name_not_utf8,
    }
    for name, make in makers.items():
        (folder / name).write_bytes(make())
    return dict(READABLE)
