"""The Sammanställning is a tagged PDF/UA-1 document: two independent validators pass
it, headings nest under its title, and every count is in a table cell with its
headers (issue 15)."""

from __future__ import annotations

import io

import pikepdf
import pytest

from pdfforms.generate.tags import reading_order

from ..clients.validators import page_failures, pdfua_findings
from .conftest import run


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_passes_both_validators(tmp_path, patient_data, lang):
    root, _answers, units = patient_data
    out = tmp_path / f"report-{lang}.pdf"
    result = run(root / "svar.csv", root / "enheter.csv", "-o", out, "--lang", lang)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert page_failures(data, allow_helvetica=False) == []
    assert pdfua_findings(data) == []


def test_report_structure_reads_as_the_report(tmp_path, patient_data, forms):
    root, _answers, _units = patient_data
    out = tmp_path / "report.pdf"
    assert run(root / "svar.csv", "-o", out).exit_code == 0
    data = out.read_bytes()
    lines = reading_order(data).splitlines()
    assert lines[0] == "Document"
    assert lines[1] == "  H1: Sammanställning"
    kinds = [line.strip().split(":")[0] for line in lines]
    assert "TOC" in kinds and "Link" in kinds
    # each question is a heading below the title's, in the form's order
    form = forms["patient"]
    numbered = [line.strip() for line in lines if line.strip().startswith("H4: ")]
    numbers = [int(h[4:].split(".")[0]) for h in numbered if h[4:].split(".")[0].isdigit()]
    assert numbers == sorted(set(numbers))
    assert set(numbers) <= {q.number for q in form.answerable} and len(numbers) > 10
    # a count table: its header row is TH, and each count sits in a TD of a row
    # whose first cell (the answer) is a row header
    table = lines.index(
        "  Table", lines.index("  H4: 4. " + form.question("leva_livet").label["sv"])
    )
    rows = []
    for line in lines[table + 1 :]:
        if not line.startswith("    "):
            break
        rows.append(line.strip())
    assert rows[0] == "TR" and rows[1].startswith("TH")
    assert any(r.startswith("TH: Ja") for r in rows) and any(r.startswith("TD: ") for r in rows)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                assert str(annot.Contents).strip(), "a link without a description"
    # each contents entry's links are in it, described by its heading and page
    entry = None
    for line in lines:
        if line.strip().startswith("TOCI: "):
            entry = line.strip()[len("TOCI: ") :]
        elif line.strip().startswith("Link: [link: "):
            heading, _, page = line.strip()[len("Link: [link: ") : -1].rpartition(", ")
            assert heading and entry.startswith(heading), (heading, entry)
            assert entry.endswith(page.split()[-1])


def test_report_is_pdf_a_2a_for_archiving(tmp_path, patient_data):
    """PDF/A-2 level A (tagged, Unicode) by page's PDF/A rule set: an sRGB output
    intent, every font embedded, printable links, XMP in step with the document
    information and declaring pdfuaid through an extension schema."""
    root, _answers, _units = patient_data
    out = tmp_path / "report.pdf"
    assert run(root / "svar.csv", root / "enheter.csv", "-o", out).exit_code == 0
    assert page_failures(out.read_bytes(), profile="2a", allow_helvetica=False) == []
