"""A damaged copy of one of our forms is never read as if it were whole (issue 13, item 6).

Each test damages a returned file the way it happens outside (a download cut
short, a copy whose identity or drawing was lost, a field that lost its type)
and checks what a person needs: the file is refused with its reason, or its
answers come with a `damaged_file` error saying what is wrong; an answer is
never taken from what cannot be read, and the language never changes silently.
The files saved incrementally come from the real clients that save that way
(pdf.js, poppler); real clients' own files are never taken for damaged ones
(tests/test_viewer_matrix.py asserts it for every client and flattener).
"""

from __future__ import annotations

import csv
import io
import os

import pikepdf
import pytest

from pdfforms.dataset.extract import extract
from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.fill import fill_pdf, flatten_pdf
from pdfforms.generate.render import generate
from pdfforms.model.identity import INFO_LANGUAGE
from pdfforms.model.layout import build_layout
from pdfforms.model.rules import blank_value
from pdfforms.parse.file import parse
from pdfforms.read import ReadError
from pdfforms.read.flattened import MIN_SHOWN, read_flattened
from pdfforms.testing.synthetic import fill_like_pypdf

from .answer_sets import answer_sets
from .clients import FILLERS, FLATTENERS
from .conftest import need

SERIAL = "7KQ3M9XW2A"


def damaged(response) -> list:
    return [p for p in response.problems if p.code == "damaged_file"]


def read(tmp_path, data: bytes, name: str = "returned.pdf", definitions=None):
    path = tmp_path / name
    path.write_bytes(data)
    return parse(path, definitions)


@pytest.fixture(scope="module")
def english(forms):
    """The patient form in English (not its first language), with a serial, rich answers."""
    form = forms["patient"]
    answers = answer_sets(form)["rich"]
    blank = generate(form, "en", serial=SERIAL)
    return form, blank, answers, answers_to_fields(form, answers, "en")


_saved: dict[str, bytes] = {}


def saved_by(client: str, english) -> bytes:
    """The English form filled and saved by a real client (cached per client)."""
    form, blank, _answers, values = english
    if client not in _saved:
        program = FILLERS[client]
        need(program)
        _saved[client] = program.run(blank, values, build_layout(form, "en"))
    return _saved[client]


# -- a download cut short ---------------------------------------------------------------

INCREMENTAL = ["pdfjs", "poppler"]  # the clients that save by appending an update


@pytest.mark.parametrize("client", INCREMENTAL)
def test_cut_update_is_refused_not_counted_as_a_blank_form(client, english, tmp_path):
    _form, blank, _answers, _values = english
    data = saved_by(client, english)
    assert data[: len(blank)] == blank  # an incremental save keeps the file and appends
    cut = data[: len(blank) + 20]  # inside the update's first object: every answer lost
    with pytest.raises(ReadError) as refused:
        read(tmp_path, cut)
    reason = str(refused.value)
    assert "damaged" in reason and "cut short" in reason and "\n" not in reason


@pytest.mark.parametrize("client", INCREMENTAL)
def test_cut_after_the_update_keeps_the_answers_and_says_the_file_is_damaged(
    client, english, tmp_path
):
    _form, _blank, answers, _values = english
    data = saved_by(client, english)
    cut = data[: data.rindex(b"startxref")]  # the update whole; only its end lost
    response = read(tmp_path, cut)
    assert response.answers == answers and response.language == "en"
    [problem] = damaged(response)
    assert problem.severity == "error" and problem.question is None
    assert "cut short" in problem.message


def test_extract_fails_a_cut_blank_and_flags_a_cut_whole(english, tmp_path):
    _form, blank, _answers, _values = english
    data = saved_by("pdfjs", english)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "lost.pdf").write_bytes(data[: len(blank) + 20])
    (folder / "kept.pdf").write_bytes(data[: data.rindex(b"startxref")])
    out = tmp_path / "svar.csv"
    extract([str(folder)], out, workers=1, progress=False, warn=lambda message: None)
    with open(tmp_path / "svar.ledger.csv", encoding="utf-8-sig", newline="") as fh:
        rows = {os.path.basename(r["file"]): r for r in csv.DictReader(fh)}
    assert rows["lost.pdf"]["outcome"] == "failed"
    assert "damaged" in rows["lost.pdf"]["reason"]
    assert rows["kept.pdf"]["outcome"] == "parsed_with_problems"


def test_cut_full_rewrite_keeps_its_language_and_serial(english, tmp_path):
    """A full rewrite cut before its index loses the trailer, and with it /Info."""
    _form, blank, answers, values = english
    data = fill_like_pypdf(blank, values)
    cut = data[: data.rindex(b"\nxref")]
    response = read(tmp_path, cut)
    assert response.answers == answers
    assert (response.language, response.serial) == ("en", SERIAL)  # from the page's small print
    [problem] = damaged(response)
    assert "cut short" in problem.message


# -- identity ---------------------------------------------------------------------------


def _edited(data: bytes, edit) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        edit(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def test_identity_copies_that_disagree_are_settled_by_the_page(english, tmp_path):
    _form, blank, answers, values = english
    filled = fill_pdf(blank, values)

    def edit(pdf):
        pdf.docinfo[INFO_LANGUAGE] = "sv"  # the Keywords line still says en

    response = read(tmp_path, _edited(filled, edit))
    assert response.language == "en" and response.answers == answers
    [problem] = damaged(response)
    assert "disagree" in problem.message and "language" in problem.message


def test_identity_lost_is_read_from_the_page(english, tmp_path):
    _form, blank, answers, values = english

    def edit(pdf):
        del pdf.trailer["/Info"]

    response = read(tmp_path, _edited(fill_pdf(blank, values), edit))
    assert (response.language, response.serial) == ("en", SERIAL)
    assert response.answers == answers and damaged(response) == []


def test_a_language_the_form_lacks_is_a_problem_not_a_guess(english, tmp_path):
    _form, blank, _answers, values = english

    def edit(pdf):
        pdf.docinfo[INFO_LANGUAGE] = "de"
        keywords = str(pdf.docinfo["/Keywords"]).replace("language=en", "language=de")
        pdf.docinfo["/Keywords"] = keywords

    response = read(tmp_path, _edited(fill_pdf(blank, values), edit))
    [problem] = damaged(response)
    assert "'de'" in problem.message and problem.severity == "error"


# -- fields that cannot be read ---------------------------------------------------------


def _fields(pdf):
    return {str(f.T): f for f in pdf.Root.AcroForm.Fields}


def _no_ft(pdf):
    del _fields(pdf)["kontaktvagar__telefon"]["/FT"]  # unticked: /V /Off


def _wrong_ft(pdf):
    _fields(pdf)["kontaktvagar__telefon"].FT = pikepdf.Name.Tx


def _as_without_look(pdf):
    group = _fields(pdf)["nasta_steg"]
    del group["/V"]
    group.Kids[0].AS = pikepdf.Name("/nej")  # the "ja" box has no look for "nej"


def _broken_kids(pdf):
    group = _fields(pdf)["nasta_steg"]
    del group["/V"]
    group.Kids = pikepdf.Name("/Kids")


def _text_v_dropped(pdf):
    del _fields(pdf)["bra_dag"]["/V"]  # its look still shows the text


def _checkbox_v_without_mark(pdf):
    box = _fields(pdf)["kontaktvagar__video"]
    box.V, box.AS = pikepdf.Name.Yes, pikepdf.Name.Off


def _broken_utf16(pdf):
    _fields(pdf)["bra_dag"].V = pikepdf.String(b"\xfe\xff\xd8\x00")  # half a surrogate pair


def _broken_utf8(pdf):
    _fields(pdf)["bra_dag"].V = pikepdf.String(b"\xef\xbb\xbf\xff\xfe")


FIELD_DAMAGE = {
    "no /FT on an unticked box": (_no_ft, "kontaktvagar"),
    "a box whose /FT says text": (_wrong_ft, "kontaktvagar"),
    "/AS a state the widget has no look for": (_as_without_look, "nasta_steg"),
    "/Kids that is not an array": (_broken_kids, "nasta_steg"),
    "a text whose /V is gone but shows": (_text_v_dropped, "bra_dag"),
    "a box that stores a mark it does not show": (_checkbox_v_without_mark, "kontaktvagar"),
    "UTF-16 text that does not decode": (_broken_utf16, "bra_dag"),
    "UTF-8 text that does not decode": (_broken_utf8, "bra_dag"),
}


@pytest.mark.parametrize("case", list(FIELD_DAMAGE))
def test_a_field_that_cannot_be_read_gives_no_answer_and_a_problem(case, forms, tmp_path):
    edit, question = FIELD_DAMAGE[case]
    form = forms["patient"]
    answers = {"nasta_steg": "ja", "bra_dag": "Att få gå ut", "kontaktvagar": ["besok"]}
    filled = fill_pdf(generate(form, "sv"), answers_to_fields(form, answers, "sv"))
    response = read(tmp_path, _edited(filled, edit))
    assert response.answers[question] == blank_value(form.question(question))
    [problem] = [p for p in damaged(response) if p.question == question]
    assert problem.severity == "error" and question in problem.message
    assert not [p for p in response.problems if p.code == "required" and p.question == question]


# -- flattened copies whose drawing is damaged -------------------------------------------


@pytest.fixture(scope="module")
def flat(english):
    _form, blank, answers, values = english
    return flatten_pdf(fill_pdf(blank, values)), answers


def _page_questions(form, number: int) -> list[str]:
    layout = build_layout(form, "en")
    return list(dict.fromkeys(w.question for w in layout.pages[number - 1].widgets))


def test_flattened_page_that_draws_nothing_is_not_read_as_nothing_marked(english, flat, tmp_path):
    form = english[0]
    data, answers = flat

    def edit(pdf):
        pdf.pages[1].obj.Contents = pdf.make_stream(b"")

    response = read(tmp_path, _edited(data, edit))
    [problem] = damaged(response)
    assert "page 2" in problem.message
    lost = _page_questions(form, 2)
    for key, value in answers.items():
        question = key.split("__")[0]
        if question in lost and key == question:
            assert response.answers[key] == blank_value(form.question(key)), key
        elif question not in lost:
            assert response.answers[key] == value, key


def _drawing_cut(pdf):
    contents = pdf.pages[1].obj.Contents
    for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
        raw = stream.read_raw_bytes()
        stream.write(raw[: len(raw) // 2], filter=pikepdf.Name.FlateDecode)


def _drawing_changed(pdf):
    contents = pdf.pages[1].obj.Contents
    for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
        raw = bytearray(stream.read_raw_bytes())
        raw[-6] ^= 0x10  # inside the compressed data: only its checksum can tell
        stream.write(bytes(raw), filter=pikepdf.Name.FlateDecode)


def _field_looks_gone(pdf):
    resources = pdf.pages[1].obj.Resources
    del resources["/XObject"]


DRAWING_DAMAGE = {
    "compressed data cut short": (_drawing_cut, "stops short"),
    "compressed data changed": (_drawing_changed, "page 2"),
    "the fields' looks gone": (_field_looks_gone, "which the file lacks"),
}


@pytest.mark.parametrize("case", list(DRAWING_DAMAGE))
def test_flattened_drawing_that_is_damaged_is_said_to_be(case, flat, tmp_path):
    edit, says = DRAWING_DAMAGE[case]
    data, _answers = flat
    changed = _edited(data, edit)
    with pikepdf.open(io.BytesIO(changed)) as pdf:
        assert pdf.get_warnings() == []  # a file qpdf finds whole: only the drawing is not
    try:
        response = read(tmp_path, changed)
    except ReadError as exc:
        assert "damaged" in str(exc)
        return
    problems = damaged(response)
    assert problems and says in problems[0].message, problems


@pytest.mark.parametrize("flattener", list(FLATTENERS))
def test_every_flattener_draws_every_box_side(flattener, forms, blank_pdf, capsys):
    """The measurement behind MIN_SHOWN: real flatteners draw every box's sides."""
    program = FLATTENERS[flattener]
    need(program)
    for name, lang, large in (("patient", "sv", False), ("patient", "sv", True)):
        form = forms[name]
        values = answers_to_fields(form, answer_sets(form)["rich"], lang)
        flat = program.run(fill_like_pypdf(blank_pdf(name, lang, large), values))
        drawn = read_flattened(flat, build_layout(form, lang, large))
        with capsys.disabled():
            print(f"\n{flattener} {name}-{lang}{' large' if large else ''}: {drawn.shown}")
        assert drawn.damage == []
        # a page with no box (the end of the data-protection text) has no side to draw
        assert any(total for _, total in drawn.shown)
        assert all(sides >= MIN_SHOWN * total for sides, total in drawn.shown if total)


def test_operators_a_reader_may_skip_are_not_damage(flat, tmp_path):
    """Between BX and EX a drawing may use operators a reader does not know (ISO 32000)."""
    data, answers = flat

    def edit(pdf):
        page = pdf.pages[0]
        page.contents_add(pdf.make_stream(b"BX 1 2 futureop EX"), prepend=False)

    response = read(tmp_path, _edited(data, edit))
    assert response.answers == answers and damaged(response) == []
