"""A logo on forms and letters (`logo:` in the definition): drawn beside the title in
room the page design leaves free, so that nothing a reader measures moves; needed to
print, never to read."""

from __future__ import annotations

import io
import random
import shutil
from dataclasses import asdict

import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image

from pdfforms.cli import main
from pdfforms.generate.letter import form_logo_box
from pdfforms.generate.render import generate
from pdfforms.model.definition import check_definition, load_form, parse_definition
from pdfforms.model.layout import build_layout
from pdfforms.parse.file import parse
from pdfforms.parse.scan import parse_scan
from pdfforms.testing import scans as synth

from .clients.validators import page_failures, pdfua_findings
from .conftest import TEST_FORMS

LETTER_FORM = TEST_FORMS / "letters" / "brev.yaml"
LOGO_BLOCK = """logo:
  file: logo.png
  alt:
    sv: "Vårdcentralen Norrfjälls logotyp"
    en: "Norrfjäll Health Centre's logo"
    uk: "Логотип медичного центру Норрф'єлль"
"""


def _copy_form(tmp_path, text=None, logo=True):
    """The letters' test form in `tmp_path` (its logo beside it, or not)."""
    path = tmp_path / "brev.yaml"
    path.write_text(text or LETTER_FORM.read_text(encoding="utf-8"), encoding="utf-8")
    if logo:
        shutil.copy(LETTER_FORM.parent / "logo.png", tmp_path / "logo.png")
    return path


def test_the_layout_is_the_same_with_a_logo_as_without():
    """Every page's texts, boxes, widgets, corner marks and QR square: the logo moves
    nothing any reader measures, in every language and in large print."""
    text = LETTER_FORM.read_text(encoding="utf-8")
    assert LOGO_BLOCK in text
    with_logo = load_form(LETTER_FORM)
    without, faults = parse_definition(text.replace(LOGO_BLOCK, ""), "brev.yaml")
    assert faults == [] and without.logo is None and with_logo.logo is not None
    for lang in with_logo.languages:
        for large in (False, True):
            a = build_layout(with_logo, lang, large)
            b = build_layout(without, lang, large)
            assert [asdict(p) for p in a.pages] == [asdict(p) for p in b.pages]
            assert form_logo_box(a) is not None  # and there is room for it
    # the PDF's fields sit where they did
    rects = []
    for form in (with_logo, without):
        with pikepdf.open(io.BytesIO(generate(form, "sv"))) as pdf:
            rects.append(
                sorted(
                    (
                        str(a.T) if "/T" in a else str(a.Parent.T),
                        [round(float(v), 2) for v in a.Rect],
                    )
                    for a in pdf.pages[0].Annots
                )
            )
    assert rects[0] == rects[1]


def test_the_logo_is_drawn_beside_the_title_and_tagged_as_a_figure():
    form = load_form(LETTER_FORM)
    for lang in ("sv", "uk"):
        data = generate(form, lang)
        assert page_failures(data) + pdfua_findings(data) == []
        with pikepdf.open(io.BytesIO(data)) as pdf:
            xobjects = pdf.pages[0].Resources.XObject
            assert [str(x.Subtype) for x in xobjects.values()] == ["/Image"]
            doc = pdf.Root.StructTreeRoot.K
            doc = doc[0] if isinstance(doc, pikepdf.Array) else doc
            kinds = [str(k.S) for k in doc.K]
            assert kinds[:2] == ["/H1", "/Figure"]
            alt = str(doc.K[1].Alt)
            assert alt == form.logo.alt[lang]
    # where it is drawn: beside the title, right of it, below the header
    layout = build_layout(form, "sv")
    x, y, w, h = form_logo_box(layout)
    title = next(t for t in layout.pages[0].texts if t.role == ("title",))
    assert y <= title.y <= y + h and x > title.x + 150
    assert x + w <= layout.width - 54 + 0.01


def test_a_scanned_copy_with_a_logo_reads_back_exactly(tmp_path):
    form = load_form(LETTER_FORM)
    answers = {"nojd": True, "viktigt": "kontakt"}
    rng = random.Random(5)
    pages, truth = synth.make_scan(form, "sv", answers, synth.serial_for(rng), rng, None, logo=True)
    path = tmp_path / "scan.pdf"
    path.write_bytes(synth.scanned_pdf(pages))
    # the reader has no logo file: the definition comes from the library, beside no image
    library = tmp_path / "library"
    library.mkdir()
    shutil.copy(LETTER_FORM, library / "brev.yaml")
    result = parse_scan(path, [library], tmp_path / "review")
    [response] = result.responses
    assert [p.status for p in result.pages] == ["read"]
    assert response.review == [] and response.problems == []
    assert response.answers["nojd"] is True and response.answers["viktigt"] == "kontakt"
    assert response.serial == truth["serial"]


def test_a_copy_is_read_without_the_logo_file(tmp_path):
    path = _copy_form(tmp_path)
    out = tmp_path / "form.pdf"
    result = CliRunner().invoke(main, ["generate", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    (tmp_path / "logo.png").unlink()
    response = parse(out, [tmp_path])  # the definition, its logo file gone
    assert response.form_id == "brev-test" and response.problems == []


def test_a_missing_logo_file_is_a_print_fault_naming_it(tmp_path):
    path = _copy_form(tmp_path, logo=False)
    out = tmp_path / "form.pdf"
    for args in (["generate", str(path), "-o", str(out)], ["validate", str(path)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code != 0
        lines = [line for line in result.output.splitlines() if "logo.png" in line]
        assert len(lines) == 1
        assert f"{path}:" in lines[0] and "does not exist" in lines[0]
        assert "Traceback" not in result.output
    assert not out.exists()
    # a print run too, before anything is written
    result = CliRunner().invoke(
        main, ["generate", str(path), "--copies", "2", "-o", str(tmp_path / "run.pdf")]
    )
    assert result.exit_code != 0 and "logo.png" in result.output
    assert not (tmp_path / "run.pdf").exists()


@pytest.mark.parametrize(
    "content,said",
    [(b"not an image at all", "cannot be read as an image"), ("gif", "is a GIF image")],
)
def test_an_unreadable_logo_is_a_print_fault(tmp_path, content, said):
    path = _copy_form(tmp_path, logo=False)
    if content == "gif":
        Image.new("RGB", (20, 10), "green").save(tmp_path / "logo.png", format="GIF")
    else:
        (tmp_path / "logo.png").write_bytes(content)
    form, faults = check_definition(path)
    assert form is None and len(faults) == 1
    assert "logo.png" in faults[0].message and said in faults[0].message
    assert faults[0].line == LETTER_FORM.read_text().splitlines().index("  file: logo.png") + 1


def test_validate_checks_the_logos_alt_text_in_every_language(tmp_path):
    text = LETTER_FORM.read_text(encoding="utf-8").replace(
        '    uk: "Логотип медичного центру Норрф\'єлль"\n', ""
    )
    path = _copy_form(tmp_path, text)
    form, faults = check_definition(path)
    assert form is None
    assert any("logo: 'alt'" in f.message and "'uk'" in f.message for f in faults)


def test_a_title_that_leaves_no_room_for_the_logo_is_a_print_fault(tmp_path):
    long_title = "Frågor om din vård och om hur du har det hemma just nu"
    text = LETTER_FORM.read_text(encoding="utf-8").replace(
        'sv: "Frågor om din vård"\n  en:', f'sv: "{long_title}"\n  en:', 1
    )
    path = _copy_form(tmp_path, text)
    form = load_form(path)
    assert form_logo_box(build_layout(form, "sv")) is None
    result = CliRunner().invoke(main, ["generate", str(path), "-o", str(tmp_path / "f.pdf")])
    assert result.exit_code != 0
    assert "the title in 'sv' leaves no room for the logo" in result.output
    assert generate(form, "en")  # the English title leaves room


@pytest.mark.parametrize("flatten", ["pikepdf", "pdftocairo"])
def test_a_flattened_copy_with_a_logo_reads_back_exactly(tmp_path, flatten):
    """Filled on screen, then flattened (as a viewer's "print to PDF" does): the logo
    beside the title is an image among the page's drawing, and the reader still reads
    every answer."""
    from pdfforms.generate.fill import fill_answers

    from .clients.flatten import pdftocairo_print, pikepdf_flatten

    form = load_form(LETTER_FORM)
    answers = {"nojd": False, "viktigt": "tid", "ovrigt": "Mer tid hos läkaren"}
    filled = fill_answers(generate(form, "sv"), form, answers)
    flat = pikepdf_flatten(filled) if flatten == "pikepdf" else pdftocairo_print(filled)
    path = tmp_path / "flat.pdf"
    path.write_bytes(flat)
    library = tmp_path / "library"  # no logo file beside the definition
    library.mkdir()
    shutil.copy(LETTER_FORM, library / "brev.yaml")
    response = parse(path, [library])
    assert response.source["kind"] == "flattened"
    assert {k: response.answers[k] for k in answers} == answers
    assert [p.code for p in response.problems if p.code != "text_unsure"] == []
