"""The reader's short cuts give what the long way gives.

read_file reads the embedded definition straight from the name tree when it has
the one entry we write, keeps decoded definitions by their compressed bytes, and
opens a radio group's widgets only when the group's /V is unusable. Each test
builds a file where the short cut and the long way could part, and checks the
answer against pikepdf's own attachment reader or the quirk it stands for.
"""

from __future__ import annotations

import io
import zlib

import pikepdf
import pytest

from pdfforms.model.identity import DEFINITION_ATTACHMENT
from pdfforms.read import read_file
from pdfforms.read.detect import MAX_DEFINITION_BYTES, embedded_definition


@pytest.fixture
def patient(blank_pdf):
    return blank_pdf("patient", "sv")


def _save(pdf: pikepdf.Pdf, tmp_path, name: str, **options):
    path = tmp_path / name
    pdf.save(path, **options)
    return path


def _by_pikepdf(path) -> str | None:
    """The long way: pikepdf's attachment reader, with read_file's size limit."""
    with pikepdf.open(path) as pdf:
        if DEFINITION_ATTACHMENT not in pdf.attachments:
            return None
        stream = pdf.attachments[DEFINITION_ATTACHMENT].get_file()
        if stream.size > MAX_DEFINITION_BYTES:
            return None
        try:
            return stream.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            return None


def _definition_stream(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    return pdf.attachments[DEFINITION_ATTACHMENT].get_file().obj


def test_embedded_definition_as_written(tmp_path, patient):
    path = tmp_path / "blank.pdf"
    path.write_bytes(patient)
    text = read_file(path).embedded_definition
    assert text and text == _by_pikepdf(path)
    assert read_file(path).embedded_definition == text  # again, decoded from the cache


def test_embedded_definition_in_a_name_tree_with_kids(tmp_path, patient):
    with pikepdf.open(io.BytesIO(patient)) as pdf:
        tree = pdf.Root.Names.EmbeddedFiles
        leaf = pdf.make_indirect(
            pikepdf.Dictionary(
                Names=tree.Names,
                Limits=pikepdf.Array([pikepdf.String("a"), pikepdf.String("z")]),
            )
        )
        del tree["/Names"]
        tree.Kids = pikepdf.Array([leaf])
        path = _save(pdf, tmp_path, "kids.pdf")
    text = read_file(path).embedded_definition
    assert text is not None and text == _by_pikepdf(path)


def test_embedded_definition_beside_other_attachments(tmp_path, patient):
    with pikepdf.open(io.BytesIO(patient)) as pdf:
        pdf.attachments["a-note.txt"] = pikepdf.AttachedFileSpec(pdf, b"a note")
        path = _save(pdf, tmp_path, "two.pdf")
    text = read_file(path).embedded_definition
    assert text is not None and text == _by_pikepdf(path)


def test_embedded_definition_under_another_name_is_not_ours(tmp_path, patient):
    with pikepdf.open(io.BytesIO(patient)) as pdf:
        pdf.Root.Names.EmbeddedFiles.Names[0] = pikepdf.String("other.yaml")
        path = _save(pdf, tmp_path, "other.pdf")
    assert read_file(path).embedded_definition is None


def test_embedded_definition_declared_too_large_is_ignored(tmp_path, patient):
    with pikepdf.open(io.BytesIO(patient)) as pdf:
        _definition_stream(pdf).Params.Size = MAX_DEFINITION_BYTES + 1
        path = _save(pdf, tmp_path, "large.pdf")
    assert read_file(path).embedded_definition is None
    assert _by_pikepdf(path) is None


def test_embedded_definition_stream_chosen_as_qpdf_chooses(tmp_path, patient):
    """/UF before /F: a file whose two entries differ gives what pikepdf gives."""
    with pikepdf.open(io.BytesIO(patient)) as pdf:
        spec = pdf.Root.Names.EmbeddedFiles.Names[1]
        spec.EF.F = pikepdf.Stream(pdf, b"id: not-this-one\n")
        path = _save(pdf, tmp_path, "uf.pdf")
    text = read_file(path).embedded_definition
    assert text == _by_pikepdf(path) and "not-this-one" not in text


def test_cached_definitions_follow_the_bytes_and_the_filter(tmp_path, patient):
    """Two files whose compressed bytes are equal but whose filters differ, and two
    with different definitions: each gets its own text."""
    texts = {}
    for name, data, filters in (
        ("plain", b"id: one\n", None),
        ("flate", zlib.compress(b"id: two\n"), pikepdf.Name.FlateDecode),
        ("same-bytes-no-filter", zlib.compress(b"id: two\n"), None),
    ):
        with pikepdf.open(io.BytesIO(patient)) as pdf:
            stream = _definition_stream(pdf)
            if filters is None:
                del stream["/Filter"]
            else:
                stream.Filter = filters
            stream.write(data, filter=filters, type_check=False)
            # saved as written: neither compressed nor decoded
            path = _save(
                pdf,
                tmp_path,
                f"{name}.pdf",
                compress_streams=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
            )
        for _ in range(2):  # the second read is served from the cache
            with pikepdf.open(path) as pdf:
                assert _definition_stream(pdf).read_raw_bytes() == data
                texts[name] = embedded_definition(pdf)
                assert texts[name] == _by_pikepdf(path)
    assert texts["plain"] == "id: one\n"
    assert texts["flate"] == "id: two\n"
    assert texts["same-bytes-no-filter"] is None  # deflated bytes are not UTF-8


def test_radio_widgets_are_read_only_without_a_usable_value(tmp_path, patient):
    """A group's /V wins over its widgets (they are not opened); without one, the
    widget that is on tells."""
    with pikepdf.open(io.BytesIO(patient)) as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        group = fields["nasta_steg"]
        for kid in group.Kids:
            on = [str(k)[1:] for k in kid.AP.N.keys() if str(k) != "/Off"][0]
            kid.AS = pikepdf.Name("/" + on) if on == "nej" else pikepdf.Name.Off
        group.V = pikepdf.Name("/delvis")  # stale widgets, current /V
        other = fields["nasta_tid"]
        for kid in other.Kids:
            on = [str(k)[1:] for k in kid.AP.N.keys() if str(k) != "/Off"][0]
            kid.AS = pikepdf.Name("/" + on) if on == "ja" else pikepdf.Name.Off
        if "/V" in other:
            del other["/V"]
        path = _save(pdf, tmp_path, "radios.pdf")
    raw = read_file(path)
    assert raw.fields["nasta_steg"] == "delvis"
    assert raw.fields["nasta_tid"] == "ja"


def test_a_definition_larger_than_declared_is_measured_not_read(tmp_path, patient):
    """A /Size can lie: what inflates past a definition's size is not read at all."""
    from pdfforms.read import detect

    big = ("# " + "x" * 98 + "\n") * (MAX_DEFINITION_BYTES // 100 + 1)
    with pikepdf.open(io.BytesIO(patient)) as pdf:
        stream = _definition_stream(pdf)
        stream.write(zlib.compress(big.encode()), filter=pikepdf.Name.FlateDecode)
        stream.Params.Size = 100  # what a hostile file may claim
        path = _save(pdf, tmp_path, "bomb.pdf")
    assert _by_pikepdf(path) == big  # what an unguarded reader would inflate
    assert read_file(path).embedded_definition is None
    assert big not in detect._DEFINITION_TEXTS.values()


def _page_of(pdf: pikepdf.Pdf, xobject: pikepdf.Stream, fonts: bool = False) -> None:
    resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=xobject))
    if fonts:
        resources.Font = pikepdf.Dictionary(
            F0=pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1)
        )
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 100, 100],
        Resources=resources,
        Contents=pikepdf.Stream(pdf, b"q 100 0 0 100 0 0 cm /X0 Do Q"),
    )
    pdf.pages.append(pikepdf.Page(page))


def _image(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    image = pikepdf.Stream(pdf, bytes(4))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = 2, 2, 8
    image.ColorSpace = pikepdf.Name.DeviceGray
    return image


def test_only_pages_of_images_skip_the_small_print():
    """A scanner's pages (images and nothing else) have no small print to read, so
    read_file does not open them in pdfminer; a page with a font, or with a form
    XObject that may draw text of its own, is still read for it."""
    from pdfforms.read.detect import _no_text

    scan = pikepdf.new()
    for _ in range(4):
        _page_of(scan, _image(scan))
    assert _no_text(scan)
    wrapped = pikepdf.new()
    _page_of(wrapped, _image(wrapped))
    form = pikepdf.Stream(wrapped, b"BT /F0 8 Tf (pdfforms) Tj ET")
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 1, 1]
    _page_of(wrapped, form)
    assert not _no_text(wrapped)
    with_fonts = pikepdf.new()
    _page_of(with_fonts, _image(with_fonts), fonts=True)
    assert not _no_text(with_fonts)
    assert not _no_text(pikepdf.new())


def test_a_scan_is_read_without_looking_for_small_print(tmp_path, monkeypatch):
    """An image-only scan goes to the scan reader without pdfminer reading its pages."""
    import random

    import pdfforms.read.detect as detect
    from pdfforms.model.definition import load_form
    from pdfforms.parse.file import parse_document
    from pdfforms.testing import scans as synth

    from .conftest import DEFINITIONS

    def never(data):
        raise AssertionError("the small print of a scan's pages was read")

    monkeypatch.setattr(detect, "identify_from_page_text", never)
    form = load_form(DEFINITIONS / "patient.yaml")
    rng = random.Random(3)
    pages, _ = synth.make_scan(form, "sv", {}, synth.serial_for(rng), rng, None)
    path = tmp_path / "scan.pdf"
    path.write_bytes(synth.scanned_pdf(pages))
    result = parse_document(path, [DEFINITIONS], review_dir=tmp_path / "review")
    assert [r.form.id for r in result.responses] == [form.id]
