"""The outputs themselves: English, the CSV format by option, and HTML that opens and
prints offline in Chromium."""

from __future__ import annotations

import re

from .conftest import (
    check_choice_table,
    expected_rows,
    html_tables,
    pct,
    pdf_text,
    run,
)


def test_english_and_the_csv_format_option(tmp_path, patient_data, forms):
    root, answers, _units = patient_data
    result = run(root / "svar.csv", "-o", tmp_path / "en.html", "--lang", "en")
    assert result.exit_code == 0, result.output
    tables = html_tables(tmp_path / "en.html")
    form = forms["patient"]
    q = form.question("fast_vardkontakt")
    check_choice_table(
        tables, f"patient-7-fragor/total/{q.id}", expected_rows(form, q, answers, "en")
    )
    assert "Summary report" in (tmp_path / "en.html").read_text("utf-8")
    result = run(root / "svar.csv", "-o", tmp_path / "tables", "--format", "csv")
    assert result.exit_code == 0 and (tmp_path / "tables").read_text("utf-8-sig").startswith(
        "form,"
    )


def test_the_html_report_opens_and_prints_offline_in_chromium(tmp_path, patient_data, forms):
    import subprocess

    from tests.conftest import require_program

    chromium = require_program("chromium")
    root, answers, _units = patient_data
    page = tmp_path / "r.html"
    assert run(root / "svar.csv", root / "enheter.csv", "-o", page).exit_code == 0
    html = page.read_text("utf-8")
    # one file: no scripts, no links to fetch (the SVG namespace is a name, not a fetch)
    assert "<script" not in html and "<link" not in html and "src=" not in html
    assert not re.search(r"url\(|@import|href=\"http", html)
    printed = tmp_path / "printed.pdf"
    subprocess.run(
        [
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = pdf_text(printed).replace("\u00a0", " ")
    assert "Sammanställning" in text and "Patienter och verksamhet sida vid sida" in text
    form = forms["patient"]
    q = form.question("fast_vardkontakt")
    for label, (count, base) in expected_rows(form, q, answers).items():
        assert re.search(rf"^{re.escape(label)} {count} {pct(count, base)} %", text, re.M), label


def test_free_texts_in_every_script_are_printed_not_replaced(tmp_path, forms):
    """Patients write in the languages their forms are printed in: the Sammanställning
    prints a Ukrainian, Northern Sami or Arabic answer in a font that has its letters
    (an Arabic one right to left, its letters joined), never as question marks."""
    import pikepdf

    from pdfforms.model import fonts
    from tests.clients.validators import page_failures, pdfua_findings

    from .conftest import patients, response, write_dataset

    form = forms["patient"]
    answers = patients(form, 12, seed=3)
    written = {
        0: "Мені важливо бачити того самого лікаря.",
        1: "Mun háliidan oažžut veahki ŋ ŧ đ č.",
        2: "أريد أن أعرف متى موعدي القادم مع الطبيب.",
    }
    for n, text in written.items():
        answers[n]["viktigast_nu"] = text
    data = write_dataset(
        tmp_path / "svar.csv", [form], [response(form, a, i) for i, a in enumerate(answers)]
    )
    out = tmp_path / "rapport.pdf"
    result = run(data, "-o", out)
    assert result.exit_code == 0, result.output
    text = pdf_text(out)
    assert written[0] in text and "Mun háliidan oažžut veahki ŋ ŧ đ č." in text
    assert "????" not in text
    drawn_arabic = fonts.visual(written[2])
    with pikepdf.open(out) as pdf:
        used = {
            str(font.BaseFont).split("+")[-1]
            for page in pdf.pages
            for font in page.obj.Resources.get("/Font", {}).values()
        }
    assert {"NotoSans-Regular", "NotoSansArabicLatinpdfforms-Regular"} <= used
    # the Arabic line as drawn: its joined letters, right to left (pdfplumber reads
    # the glyphs as they stand, left to right)
    assert "".join(drawn_arabic.split()) in "".join(text.split())
    data_bytes = out.read_bytes()
    assert page_failures(data_bytes) == []
    assert page_failures(data_bytes, profile="2a") == []
    assert [f for f in pdfua_findings(data_bytes) if "ERROR" in f] == []
