"""The Sammanställning is a tagged PDF: two independent validators pass it as PDF/UA-1
(`page-validation`, the full rule set, which also checks PDF/A-2a; `pdfua`, the
machine-checkable subset), and its structure tree, read back by pdfplumber, holds the
report's headings, tables, lists and charts in reading order; poppler reads the same.
`structure_outline` prints the tree as indented text (role, then words or [Alt])."""

from __future__ import annotations

import functools
import re
import subprocess
import zlib
from collections import defaultdict
from pathlib import Path

import page
import pdfplumber
import pikepdf
import pytest
from pdfua import validate as pdfua_validate

from pdfforms.report.tagged import save_pdfa

from .conftest import UNITS, patients, response, run, with_unit_question, write_dataset

# -- the reports ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def reports(patient_data, forms, tmp_path_factory) -> dict[str, Path]:
    """The report in every shape the fixtures make: Swedish, English, grouped by unit with
    small groups hidden and a comparison with the units' own answers, per month (long
    tables that go on over a page), no free text, too few respondents to show anything,
    a free text longer than a page, unit names that look like markup, every question
    type."""
    root, _answers, _units = patient_data
    tmp = tmp_path_factory.mktemp("tagged")
    out: dict[str, Path] = {}

    def make(name: str, *args) -> None:
        out[name] = tmp / f"{name}.pdf"
        result = run(*args, "-o", out[name])
        assert result.exit_code == 0, result.output

    make("sv", root / "svar.csv")
    make("en", root / "svar.csv", "--lang", "en")
    make("no_free_text", root / "svar.csv", "--no-free-text")
    make("per_month", root / "svar.csv", "--by", "datum")
    patient_form, unit_form = with_unit_question(), forms["unit"]
    sizes = {UNITS[0]: 9, UNITS[1]: 7, UNITS[2]: 3, "Lilla VC": 2}  # 3 and 2: hidden
    objs = []
    for g, (unit, k) in enumerate(sizes.items()):
        for a in patients(patient_form, k, seed=g, vardenhet=unit):
            objs.append(response(patient_form, a, len(objs)))
    write_dataset(tmp / "p.csv", [patient_form], objs)
    units = [patients(unit_form, 1, seed=50 + g, enhetens_namn=u)[0] for g, u in enumerate(sizes)]
    write_dataset(
        tmp / "u.csv", [unit_form], [response(unit_form, a, i) for i, a in enumerate(units)]
    )
    make("by_unit", tmp / "p.csv", tmp / "u.csv", "--by", "enhet")
    odd = [
        a
        for g, unit in enumerate(ODD_UNITS)
        for a in patients(patient_form, 6, seed=g, vardenhet=unit)
    ]
    write_dataset(
        tmp / "odd.csv", [patient_form], [response(patient_form, a, i) for i, a in enumerate(odd)]
    )
    make("odd_names", tmp / "odd.csv", "--by", "enhet")
    make("by_unit_en", tmp / "p.csv", tmp / "u.csv", "--by", "enhet", "--lang", "en")
    few = patients(patient_form, 4, seed=3)
    write_dataset(
        tmp / "few.csv", [patient_form], [response(patient_form, a, i) for i, a in enumerate(few)]
    )
    make("too_few", tmp / "few.csv")
    talkative = patients(patient_form, 6, seed=8)
    talkative[0]["viktigast_nu"] = " ".join(
        f"Mening {i} om hur vården kan bli bättre." for i in range(400)
    )
    write_dataset(
        tmp / "long.csv",
        [patient_form],
        [response(patient_form, a, i) for i, a in enumerate(talkative)],
    )
    make("long_text", tmp / "long.csv")
    every = forms["all_types"]  # every question type: grids with stacked bars, numbers, dates
    answers = patients(every, 30, seed=4)
    write_dataset(tmp / "all.csv", [every], [response(every, a, i) for i, a in enumerate(answers)])
    make("all_types", tmp / "all.csv")
    return out


ODD_UNITS = ["Vård & Hälsa <Norr>", "A&O"]  # names that are markup to reportlab
VARIANTS = [
    "sv",
    "en",
    "no_free_text",
    "per_month",
    "by_unit",
    "by_unit_en",
    "too_few",
    "long_text",
    "odd_names",
    "all_types",
]


# -- the validators ---------------------------------------------------------------------


def page_failures(path: Path, profile: str) -> list[str]:
    report = page.validate_pdf(path, profile=profile)
    failures = [f"{f.rule_id}: {f.message}" for f in report.failures]
    assert report.is_compliant == (not failures)
    return failures


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_structure_tree_is_an_update_qpdf_reads_without_repair(reports, variant):
    """The tree is written after the saved file, by hand (tagged._update): its object
    streams and cross-reference stream must read as they are, with no offset mended."""
    with pikepdf.open(reports[variant], attempt_recovery=False) as pdf:
        assert pdf.check_pdf_syntax() == [] and pdf.get_warnings() == []
        assert "/Prev" in pdf.trailer  # the update's, after the file pikepdf saved
        tree = pdf.Root.StructTreeRoot
        assert tree.K.S == "/Document" and len(tree.ParentTree.Nums) > 0


@pytest.mark.parametrize("variant", VARIANTS)
def test_page_validation_passes_the_report_as_pdf_ua_1(reports, variant):
    assert page_failures(reports[variant], "ua1") == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_page_validation_passes_the_report_as_pdf_a_2a(reports, variant):
    assert page_failures(reports[variant], "2a") == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_pdfua_passes_the_report_with_every_rule_run(reports, variant):
    report = pdfua_validate(str(reports[variant]))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    # a rule that could not look counts as a failure here, not as a pass
    assert [(o.rule_id, o.skipped_reason) for o in report.skipped] == []
    assert len(report.outcomes) >= 10


# -- the structure tree, read back by pdfplumber ----------------------------------------


@functools.cache
def structure_outline(path: Path) -> str:
    """The structure tree as indented text: role, then the element's text (from the
    characters pdfplumber finds under its marked content) or /Alt, in reading order."""
    with pdfplumber.open(path) as pdf:
        text: dict[tuple[int, int], str] = defaultdict(str)
        for number, p in enumerate(pdf.pages, 1):
            line: dict[int, float] = {}
            for c in p.chars:
                if c.get("mcid") is None:
                    continue
                if line.setdefault(c["mcid"], c["top"]) != c["top"]:  # a new line: a space
                    text[number, c["mcid"]] += " "
                    line[c["mcid"]] = c["top"]
                text[number, c["mcid"]] += c["text"]
        lines: list[str] = []

        def walk(elem: dict, depth: int) -> None:
            words = "".join(text[elem.get("page_number"), m] for m in elem.get("mcids") or [])
            words = " ".join(words.split())[:60]
            alt = elem.get("alt_text")
            shown = words or (f"[{alt}]" if alt else "")
            lines.append(f"{'  ' * depth}{elem['type']}" + (f" {shown}" if shown else ""))
            for kid in elem.get("children", []):
                walk(kid, depth + 1)

        for elem in pdf.structure_tree:
            walk(elem, 0)
    return "\n".join(lines)


def outline_of(reports, variant: str) -> list[str]:
    return structure_outline(reports[variant]).splitlines()


def _heading(q) -> str:
    """A question's heading: its printed number, if it has one, and its label."""
    number = f"{q.number}. " if q.number is not None else ""
    return f"H3 {number}{q.label['sv']}"[:63]


def test_reading_order_of_headings_and_tables(reports, forms):
    lines = outline_of(reports, "sv")
    assert lines[0] == "Document"
    top = [line.strip() for line in lines if line.startswith("  ") and line[2] != " "]
    # title page: title, subtitle, the facts as a labelled list, notes, the contents
    assert top[:3] == ["H1 Sammanställning", "P Frågor till patient", "L"]
    assert top.index("TOC") < top.index("H1 Frågor till patient")
    form = forms["patient"]
    headings = [t for t in top if re.match(r"H\d ", t)]
    expected = ["H1 Sammanställning", "H1 Frågor till patient", "H2 Alla svar"]
    shown = [q for q in form.answerable if q.type != "personnummer"]  # never in a report
    expected += [_heading(q) for q in shown]
    assert headings[: len(expected)] == expected
    assert headings[-1] == "H1 Om sammanställningen"
    # under each question's heading, before the next: its table, or its list of free texts
    for q in shown:
        at = top.index(_heading(q))
        following = top[at + 1 :]
        until = next((i for i, t in enumerate(following) if re.match(r"H\d ", t)), None)
        kinds = {t for t in following[:until] if t in ("Table", "L")}
        assert kinds == ({"L"} if q.type == "textarea" else {"Table"}), q.id


@pytest.mark.parametrize("variant", ["sv"])
def test_poppler_reads_the_same_tree_in_the_same_order(reports, variant):
    """A second reader of the tree, poppler (the engine of Evince and Okular), finds the
    same elements in the same order as pdfplumber, and the same headings."""
    from tests.conftest import require_program

    pdfinfo = require_program("pdfinfo")
    out = subprocess.run(
        [pdfinfo, "-struct-text", str(reports[variant])], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    ours = outline_of(reports, variant)
    # poppler's lines: an element ("TH:" when attributes follow), its attributes ("/Scope
    # /Column"), its text in quotes, an annotation ("Object 3 0")
    elements = [
        line.split()[0].rstrip(":")
        for line in out
        if not line.strip().startswith(('"', "Object ", "/"))
    ]
    assert elements == [line.split()[0] for line in ours]
    # the words of each heading (poppler joins a wrapped line's words without a space)
    headings = [
        re.sub(r"\s", "", out[i + 1].strip().strip('"'))
        for i, line in enumerate(out)
        if re.fullmatch(r"\s*H\d \(block\)", line)
    ]
    ours_headings = [
        re.sub(r"\s", "", line.strip().split(" ", 1)[1])
        for line in ours
        if re.match(r"\s*H\d ", line)
    ]
    assert headings and [h[:40] for h in headings] == [h[:40] for h in ours_headings]


@pytest.mark.parametrize("variant", VARIANTS)
def test_tables_have_column_headers_with_scope_and_charts_say_their_numbers(reports, variant):
    with pikepdf.open(reports[variant]) as pdf:
        elements = _elements(pdf.Root.StructTreeRoot)
        tables = [e for e in elements if e.S == "/Table"]
        figures = [e for e in elements if e.S == "/Figure"]
        for table in tables:
            rows = _kids(table)
            assert rows and all(r.S == "/TR" for r in rows)
            head = _kids(rows[0])
            assert head and all(c.S == "/TH" and c.A.Scope == "/Column" for c in head)
            for row in rows[1:]:  # every row as wide as the header, spans counted
                cells = _kids(row)
                if len(cells) > 1:  # the first cell heads its row; a caption spans it
                    assert cells[0].S == "/TH" and cells[0].A.Scope == "/Row"
                assert all(c.S == "/TD" for c in cells[1:])
                spans = [int(c.A.get("/ColSpan", 1)) if "/A" in c else 1 for c in cells]
                assert sum(spans) == len(head)
        # a chart says what it shows: its label and its share ("Ja: 13 %")
        assert all(re.fullmatch(r".+: \d+\s?%", str(f.Alt)) for f in figures)
    if variant != "too_few":
        assert tables and figures


def test_a_stacked_bar_says_every_segment(reports, forms):
    """A grid's row is a bar of segments: its Figure names each column and its share."""
    grid = next(q for q in forms["all_types"].answerable if q.type == "grid")
    lines = outline_of(reports, "all_types")
    at = next(i for i, line in enumerate(lines) if line.startswith(f"  H3 {grid.number}. "))
    with pikepdf.open(reports["all_types"]) as pdf:
        alts = [str(e.Alt) for e in _elements(pdf.Root.StructTreeRoot) if e.S == "/Figure"]
    stacked = [a for a in alts if "; " in a]
    assert len(stacked) == len(grid.rows)
    header = [line.strip()[3:] for line in lines[at:] if line.startswith("      TH ")]
    segments = header[1 : header.index("[Diagram]")]  # the row label's column, then these
    for alt in stacked:
        assert [part.split(": ")[0] for part in alt.split("; ")] == segments


def test_the_facts_and_free_texts_are_lists(reports):
    lines = outline_of(reports, "sv")
    facts = lines.index("  L")
    assert lines[facts + 1 : facts + 4] == ["    LI", "      Lbl Formulär", lines[facts + 3]]
    assert lines[facts + 3].startswith("      LBody Frågor till patient (patient-7-fragor")
    texts = [i for i, line in enumerate(lines) if line.strip().startswith("LBody Ring mig")]
    assert texts and lines[texts[0] - 1].strip() == "LI"
    assert "[personnummer]" in lines[texts[0]]


def test_the_contents_link_to_their_sections_and_say_where(reports):
    with pikepdf.open(reports["sv"]) as pdf:
        links = [e for e in _elements(pdf.Root.StructTreeRoot) if e.S == "/Link"]
        annots = [a for p in pdf.pages for a in p.get("/Annots", [])]
        owned = [k.Obj for e in links for k in _objrs(e)]
        assert annots and len(owned) == len(annots)
        assert {a.objgen for a in owned} == {a.objgen for a in annots}
        words = sorted({str(a.Contents) for a in annots})
        # each link is one run of words; its dot leader and page number are layout
        assert all(len(_marks(e)) == 1 for e in links)
    assert words == [
        "Alla svar, sida 2",
        "Frågor till patient, sida 2",
        "Om sammanställningen, sida 15",
        # the synthetic answers' dates span 2024-2026, but too few in each of the last
        # two quarters to show a share: their comparison is one line, not a section
    ]
    entries = [
        line.strip() for line in outline_of(reports, "sv") if line.strip().startswith("Link")
    ]
    assert entries == [
        "Link Frågor till patient",
        "Link Alla svar",
        "Link Om sammanställningen",
    ]


def test_the_contents_show_a_name_that_looks_like_markup_whole(reports):
    """A unit named "Vård & Hälsa <Norr>" is a heading in the contents: it is shown whole
    (reportlab read "<Norr>" as a tag and dropped it), and its links say it whole."""
    with pdfplumber.open(reports["odd_names"]) as pdf:
        contents = pdf.pages[0].extract_text()
    with pikepdf.open(reports["odd_names"]) as pdf:
        words = {str(a.Contents) for p in pdf.pages for a in p.get("/Annots", [])}
    for name in ODD_UNITS:
        assert re.search(rf"^{re.escape(name)}[ .]+\d+$", contents, re.M), name
        assert any(w.startswith(f"{name}, sida ") for w in words), name


def test_a_header_repeated_on_the_next_page_is_an_artifact(reports):
    """A long table goes on over a page with its header row again: read once, not twice."""
    with pdfplumber.open(reports["per_month"]) as pdf:
        repeated = 0
        for p in pdf.pages[1:]:
            top = min((c["top"] for c in p.chars), default=0)
            first = [c for c in p.chars if c["top"] == top]
            if first and all(c["tag"] == "Artifact" for c in first):
                repeated += 1
        assert repeated  # the fixture makes at least one such table
        for p in pdf.pages:  # all else is tagged: every character marked one way or the other
            assert all(c["tag"] for c in p.chars)


def test_a_text_that_goes_on_over_a_page_is_one_element(reports):
    with pikepdf.open(reports["long_text"]) as pdf:
        bodies = [e for e in _elements(pdf.Root.StructTreeRoot) if e.S == "/LBody"]
        longest = max(bodies, key=lambda e: len(e.K) if isinstance(e.K, pikepdf.Array) else 1)
        pages = {longest.Pg.objgen} | {
            k.Pg.objgen for k in longest.K if isinstance(k, pikepdf.Dictionary)
        }
        assert len(pages) >= 2  # its first page's MCID, and an MCR on each further page
    text = [line for line in outline_of(reports, "long_text") if "Mening 0 " in line]
    assert len(text) == 1 and text[0].strip().startswith("LBody Mening 0 om hur")


def test_no_stream_ends_in_cr_before_endstream(tmp_path):
    """A compressed page whose last byte happens to be CR (its Adler-32 says so) reads,
    with qpdf's LF after it, as CR LF: one byte short of /Length for PDF/A."""
    data = b"BT /F1 12 Tf 72 720 Td (" + b"x" * 557 + b") Tj ET\n"
    assert zlib.compress(data).endswith(b"\r")  # the case: found by trying lengths
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(zlib.compress(data), Filter=pikepdf.Name.FlateDecode)

    def stream_failures(path: Path) -> list[str]:
        return [f for f in page_failures(path, "2b") if f.startswith("PDFA2B-STREAM-LENGTH")]

    pdf.save(tmp_path / "plain.pdf")
    assert stream_failures(tmp_path / "plain.pdf")  # page-validation sees the short stream
    (tmp_path / "mended.pdf").write_bytes(save_pdfa(pdf))
    assert stream_failures(tmp_path / "mended.pdf") == []
    with pikepdf.open(tmp_path / "mended.pdf") as again:  # the page draws the same
        assert again.pages[0].Contents.read_bytes().rstrip(b"\n") == data.rstrip(b"\n")


def test_the_same_data_make_the_same_bytes(reports, patient_data, tmp_path):
    root, _answers, _units = patient_data
    again = tmp_path / "again.pdf"
    assert run(root / "svar.csv", "-o", again).exit_code == 0
    assert again.read_bytes() == reports["sv"].read_bytes()


def test_language_title_and_conformance_claims(reports):
    for variant, lang, title in (
        ("sv", "sv-SE", "Sammanställning – Frågor till patient"),
        ("en", "en-GB", "Summary report – Questions for the patient"),
    ):
        with pikepdf.open(reports[variant]) as pdf:
            assert str(pdf.Root.Lang) == lang
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
            assert pdf.Root.MarkInfo.Marked is True
            meta = pdf.open_metadata()
            assert meta["dc:title"] == title == str(pdf.docinfo.Title)
            assert meta["pdfuaid:part"] == "1"
            assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "A")
            assert all(p.Tabs == "/S" for p in pdf.pages)
            intent = pdf.Root.OutputIntents[0]
            assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
            fonts = [f for p in pdf.pages for f in p.Resources.Font.values()]
            assert fonts and all("/FontFile2" in f.FontDescriptor for f in fonts)


# -- helpers over pikepdf's view of the tree -----------------------------------------------


def _kids(elem) -> list:
    k = elem.get("/K")
    items = list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]
    return [
        i
        for i in items
        if isinstance(i, pikepdf.Dictionary)
        and i.get("/Type") != "/MCR"
        and i.get("/Type") != "/OBJR"
        and "/S" in i
    ]


def _marks(elem) -> list:
    """The element's own marked content: MCIDs, and MCRs on other pages."""
    k = elem.get("/K")
    items = list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]
    return [
        i
        for i in items
        if isinstance(i, int) or (isinstance(i, pikepdf.Dictionary) and i.get("/Type") == "/MCR")
    ]


def _objrs(elem) -> list:
    k = elem.get("/K")
    items = list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]
    return [i for i in items if isinstance(i, pikepdf.Dictionary) and i.get("/Type") == "/OBJR"]


def _elements(node) -> list:
    out = []
    for kid in _kids(node):
        out.append(kid)
        out += _elements(kid)
    return out
