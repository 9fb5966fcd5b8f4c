"""The AcroForm reader absorbs the ways programs store values (PDF-NOTES, 'What each
viewer stores'). Each test writes one quirk into a generated form with pikepdf,
byte for byte as that program does, and parses the result."""

from __future__ import annotations

import io
import re
import warnings

import pikepdf
import pytest

from pdfforms.model.library import FormLibrary
from pdfforms.parse.file import parse
from pdfforms.read import read_file

from .conftest import DEFINITIONS


def _fields(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Dictionary]:
    return {str(f.T): f for f in pdf.Root.AcroForm.Fields}


def _edit(blank: bytes, tmp_path, edit, name="quirk.pdf"):
    with pikepdf.open(io.BytesIO(blank)) as pdf:
        edit(pdf, _fields(pdf))
        path = tmp_path / name
        with warnings.catch_warnings():  # pikepdf warns about widgets without /AcroForm
            warnings.simplefilter("ignore")
            pdf.save(path)
    return path


def _select_radio(field, value: str, parent_v=True, as_string=False, widget_v=False):
    for kid in field.Kids:
        states = [str(k)[1:] for k in kid.AP.N.keys() if str(k) != "/Off"]
        on = states[0] == value
        kid.AS = pikepdf.Name("/" + value) if on else pikepdf.Name.Off
        if widget_v:
            kid.V = pikepdf.String("/" + value)
    if parent_v:
        field.V = pikepdf.String("/" + value) if as_string else pikepdf.Name("/" + value)


@pytest.fixture
def patient(blank_pdf):
    return blank_pdf("patient", "sv")


@pytest.fixture
def all_types(blank_pdf):
    return blank_pdf("all_types", "sv")


def test_radio_as_name_on_parent_like_pdfjs_pdfium_poppler(tmp_path, patient):
    path = _edit(patient, tmp_path, lambda pdf, f: _select_radio(f["nasta_steg"], "delvis"))
    assert parse(path).answers["nasta_steg"] == "delvis"


def test_radio_as_string_on_parent_and_widgets_like_pypdf(tmp_path, patient):
    path = _edit(
        patient,
        tmp_path,
        lambda pdf, f: _select_radio(f["nasta_steg"], "vet_inte", as_string=True, widget_v=True),
    )
    assert parse(path).answers["nasta_steg"] == "vet_inte"


def test_radio_only_on_widget_appearance_state(tmp_path, patient):
    path = _edit(
        patient, tmp_path, lambda pdf, f: _select_radio(f["nasta_steg"], "nej", parent_v=False)
    )
    assert parse(path).answers["nasta_steg"] == "nej"


def test_radio_stale_parent_value_loses_to_widget_state(tmp_path, patient):
    def edit(pdf, f):
        _select_radio(f["nasta_steg"], "nej", parent_v=False)
        f["nasta_steg"].V = pikepdf.Name("/Off")

    assert parse(_edit(patient, tmp_path, edit)).answers["nasta_steg"] == "nej"


def test_checkbox_with_on_state_other_than_yes(tmp_path, patient):
    def edit(pdf, f):
        box = f["kontaktvagar__video"]
        normal = box.AP.N
        normal["/On"] = normal["/Yes"]
        del normal["/Yes"]
        box.V = pikepdf.Name("/On")
        box.AS = pikepdf.Name("/On")

    assert parse(_edit(patient, tmp_path, edit)).answers["kontaktvagar"] == ["video"]


def test_checkbox_value_as_string_and_off_as_string(tmp_path, patient):
    def edit(pdf, f):
        f["kontaktvagar__telefon"].V = pikepdf.String("/Yes")
        f["kontaktvagar__telefon"].AS = pikepdf.Name.Yes  # what it shows agrees
        f["kontaktvagar__besok"].V = pikepdf.String("Off")

    assert parse(_edit(patient, tmp_path, edit)).answers["kontaktvagar"] == ["telefon"]


@pytest.mark.parametrize("encoding", ["utf-16-be-bom", "utf-16-le-bom", "pdfdoc"])
def test_text_encodings(tmp_path, patient, encoding):
    text = "Åka skidor i Åre – med barnbarnen"
    if encoding == "utf-16-be-bom":
        raw = b"\xfe\xff" + text.encode("utf-16-be")
    elif encoding == "utf-16-le-bom":
        raw = b"\xff\xfe" + text.encode("utf-16-le")
    else:
        raw = text.replace("–", "\x85").encode("latin-1")  # 0x85 is en dash in PDFDocEncoding

    def edit(pdf, f):
        f["viktigast_nu"].V = pikepdf.String(raw)

    assert parse(_edit(patient, tmp_path, edit)).answers["viktigast_nu"] == text


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_newlines_are_normalised(tmp_path, patient, newline):
    def edit(pdf, f):
        f["viktigast_nu"].V = pikepdf.String(f"Rad ett{newline}Rad två")

    assert parse(_edit(patient, tmp_path, edit)).answers["viktigast_nu"] == "Rad ett\nRad två"


def test_choice_value_as_array_like_pdftk(tmp_path, all_types):
    def edit(pdf, f):
        f["lan"].V = pikepdf.Array([pikepdf.String("C")])

    assert parse(_edit(all_types, tmp_path, edit)).answers["lan"] == "C"


def test_choice_with_stale_index_like_pikepdf(tmp_path, all_types):
    def edit(pdf, f):
        f["lan"].V = pikepdf.String("AB")
        f["lan"].I = pikepdf.Array([3])  # still points at "Z"

    assert parse(_edit(all_types, tmp_path, edit)).answers["lan"] == "AB"


def test_choice_holding_the_label_instead_of_the_export_value(tmp_path, all_types):
    def edit(pdf, f):
        f["lan"].V = pikepdf.String("Jämtlands län")

    response = parse(_edit(all_types, tmp_path, edit))
    assert response.answers["lan"] == "Z"
    assert response.problems == [p for p in response.problems if p.code == "required"]


def test_unknown_radio_state_is_a_problem_quoting_it(tmp_path, patient):
    def edit(pdf, f):
        f["nasta_steg"].V = pikepdf.Name("/kanske")

    response = parse(_edit(patient, tmp_path, edit))
    assert response.answers["nasta_steg"] is None
    [problem] = [p for p in response.problems if p.question == "nasta_steg"]
    assert problem.code == "unknown_value" and "'kanske'" in problem.message


def _incremental_update(data: bytes, field_objgen: tuple[int, int], new_dict: bytes) -> bytes:
    """Append a revision that replaces one object, the way pdf.js and poppler save."""
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    num, gen = field_objgen
    body = b"\n%d %d obj\n" % (num, gen) + new_dict + b"\nendobj\n"
    offset = len(data) + 1  # the object starts after the leading newline
    xref_at = len(data) + len(body)
    size = int(re.findall(rb"/Size\s+(\d+)", data)[-1])
    root = re.findall(rb"/Root\s+(\d+ \d+ R)", data)[-1]
    info = re.findall(rb"/Info\s+(\d+ \d+ R)", data)[-1]
    xref = (
        b"xref\n%d 1\n%010d %05d n \ntrailer\n<< /Size %d /Root %s /Info %s /Prev %d >>\n"
        b"startxref\n%d\n%%%%EOF\n" % (num, offset, gen, size, root, info, startxref, xref_at)
    )
    return data + body + xref


def test_incremental_update_newest_revision_wins(tmp_path, patient):
    with pikepdf.open(io.BytesIO(patient)) as pdf:
        _fields(pdf)["mer_att_beratta"].V = pikepdf.String("Första versionen")
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    base = out.getvalue()
    with pikepdf.open(io.BytesIO(base)) as pdf:
        field = _fields(pdf)["mer_att_beratta"]
        field.V = pikepdf.String("Andra versionen – ändrad")
        objgen, new_dict = field.objgen, field.unparse(resolved=True)
    path = tmp_path / "incremental.pdf"
    path.write_bytes(_incremental_update(base, objgen, new_dict))
    assert parse(path).answers["mer_att_beratta"] == "Andra versionen – ändrad"
    path.write_bytes(base)
    assert parse(path).answers["mer_att_beratta"] == "Första versionen"


def test_fields_without_acroform_dictionary_are_found_on_pages(tmp_path, patient):
    def edit(pdf, f):
        f["bra_dag"].V = pikepdf.String("Sol")
        del pdf.Root["/AcroForm"]

    assert parse(_edit(patient, tmp_path, edit)).answers["bra_dag"] == "Sol"


def test_identity_survives_loss_of_custom_info_keys(tmp_path, patient):
    def edit(pdf, f):
        for key in list(pdf.docinfo.keys()):
            if key.startswith("/Pdfforms"):
                del pdf.docinfo[key]

    raw = read_file(_edit(patient, tmp_path, edit))
    assert (raw.identity.form, raw.identity.version, raw.identity.language) == (
        "patient-7-fragor",
        "2",  # the shipped version
        "sv",
    )
    assert raw.identity.found_in == "keywords"


def test_form_without_any_identity_is_recognised_by_its_fields(tmp_path, patient):
    def edit(pdf, f):
        del pdf.trailer["/Info"]
        f["bra_dag"].V = pikepdf.String("Bad")

    response = parse(_edit(patient, tmp_path, edit))
    assert response.form_id == "patient-7-fragor" and response.answers["bra_dag"] == "Bad"


def test_form_named_nowhere_is_read_by_its_fields_and_says_so(tmp_path, patient):
    """No document information, no embedded definition and no QR code or small print
    on its pages (the overlay drawn last on each page, taken out): the form is the one
    whose fields the file has."""

    def edit(pdf, f):
        del pdf.trailer["/Info"]
        for name in list(pdf.attachments):
            del pdf.attachments[name]
        for page in pdf.pages:
            page.obj.Contents = pikepdf.Array(list(page.obj.Contents)[:-1])
        f["bra_dag"].V = pikepdf.String("Bad")

    path = _edit(patient, tmp_path, edit)
    assert read_file(path).identity.form is None
    response = parse(path)
    assert response.form_id == "patient-7-fragor" and response.answers["bra_dag"] == "Bad"
    # never taken silently: which form and version it was read as, and which other
    # versions have the same fields and may be the one it was printed from
    [said] = [p for p in response.problems if "does not say which form" in p.message]
    assert said.code == "damaged_file" and said.severity == "error"
    assert f"version '{response.version}'" in said.message
    library = FormLibrary.from_dirs([DEFINITIONS])
    taken = library.get(response.form_id, response.version)
    same = [
        v
        for v in library.versions(response.form_id)
        if v != response.version
        and set(library.get(response.form_id, v).field_names()) == set(taken.field_names())
    ]
    assert same, "the shipped form keeps an older version with the same fields"
    assert f"version(s) {', '.join(same)} of the form have the same fields" in said.message


def test_file_with_its_fields_removed_is_read_from_the_drawn_page(tmp_path, patient):
    def edit(pdf, f):
        del pdf.Root["/AcroForm"]
        for page in pdf.pages:
            if "/Annots" in page.obj:  # a page with nothing to fill has none
                del page.obj["/Annots"]

    response = parse(_edit(patient, tmp_path, edit))
    assert response.source["kind"] == "flattened"
    assert response.answers["viktigast_nu"] is None and response.answers["kontaktvagar"] == []
