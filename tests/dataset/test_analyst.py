"""Analyst-ready data: CSV for Swedish Excel, a labelled workbook, SPSS and Stata files,
typed Parquet and a codebook that says what every value means (issue 16)."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from pdfforms.cli import main
from pdfforms.dataset.reader import find_manifest, read_manifest, table_rows
from pdfforms.dataset.tables import csv_dialect_of_locale

from .conftest import filled, read_csv, run

FORM_ID = "testform-alla-typer"


@pytest.fixture(scope="module")
def returned(tmp_path_factory, forms):
    """Three filled copies of the all-types form with known answers, and what they hold."""
    root = tmp_path_factory.mktemp("alla")
    truth = {}
    changes = (
        {"vikt": 71.5, "smak": "vet_inte", "frukt": ["paron"], "lan": "Z"},
        {"vikt": 80.25, "smak": "7", "frukt": ["apple", "banan"], "lan": "AB"},
        {"vikt": 64, "smak": "0", "frukt": ["banan"], "lan": "C"},
    )
    for i, change in enumerate(changes):
        change = dict(change, besok="2026-03-0" + str(i + 1), namn="Åsa-" + str(i))
        data, answers = filled(forms, "all_types", 40 + i, **change)
        (root / f"a{i}.pdf").write_bytes(data)
        truth[f"a{i}.pdf"] = answers
    return root, truth


def _by_file(rows: list[dict]) -> dict[str, dict]:
    return {r["file"].rsplit("/", 1)[-1]: r for r in rows}


# -- CSV for Excel set to Swedish ------------------------------------------------------


def test_the_locale_says_which_csv(monkeypatch):
    assert csv_dialect_of_locale({"LANG": "sv_SE.UTF-8"}) == "sv"
    assert csv_dialect_of_locale({"LANG": "sv_FI.UTF-8"}) == "sv"
    assert csv_dialect_of_locale({"LANG": "en_GB.UTF-8"}) == "en"
    assert csv_dialect_of_locale({}) == "en"
    # POSIX's order: LC_ALL before LC_NUMERIC before LANG
    assert csv_dialect_of_locale({"LC_ALL": "C.UTF-8", "LANG": "sv_SE.UTF-8"}) == "en"
    assert csv_dialect_of_locale({"LC_NUMERIC": "sv_SE.UTF-8", "LANG": "en_US.UTF-8"}) == "sv"


def test_swedish_csv_has_semicolons_decimal_commas_and_a_byte_order_mark(tmp_path, returned):
    root, truth = returned
    out = tmp_path / "svar.csv"
    result = CliRunner().invoke(
        main, ["extract", str(root), "-o", str(out), "--csv", "sv", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    # UTF-8 with a byte-order mark: Excel shows å, ä and ö
    assert data.startswith(b"\xef\xbb\xbffile;questionnaire;")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert len(rows) == 3 and len(rows[0]) > 20  # columns, not one long column
    by_file = _by_file(rows)
    assert by_file["a0.pdf"]["vikt"] == "71,5" and by_file["a1.pdf"]["vikt"] == "80,25"
    assert by_file["a2.pdf"]["vikt"] == "64,0"  # as the English CSV writes 64.0
    assert by_file["a0.pdf"]["namn"] == "Åsa-0"  # text is never touched
    assert by_file["a0.pdf"]["besok"] == "2026-03-01"
    for sidecar in ("codebook", "ledger", "problems"):
        with open(tmp_path / f"svar.{sidecar}.csv", encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh, delimiter=";"))
        assert len(header) > 3, sidecar
    with open(tmp_path / "svar.ledger.csv", encoding="utf-8-sig", newline="") as fh:
        seconds = [r["seconds"] for r in csv.DictReader(fh, delimiter=";")]
    assert all("." not in s for s in seconds) and any("," in s for s in seconds)

    # the dataset's own reader (the report's and review's) reads it back as numbers
    manifest = read_manifest(find_manifest(out))
    cells = _by_file([c for _n, c in table_rows(manifest.tables[FORM_ID], "csv")])
    assert cells["a0.pdf"]["vikt"] == "71.5" and cells["a1.pdf"]["vikt"] == "80.25"
    assert cells["a0.pdf"]["namn"] == "Åsa-0"

    # and so does the Sammanställning, which counts what it reads
    report = tmp_path / "r.csv"
    result = CliRunner().invoke(main, ["report", str(out), "-o", str(report)])
    assert result.exit_code == 0, result.output


def test_the_csv_follows_the_locale_unless_told(tmp_path, returned):
    root, _truth = returned
    runner = CliRunner()
    sv = tmp_path / "sv.csv"
    result = runner.invoke(
        main,
        ["extract", str(root), "-o", str(sv), "--workers", "1"],
        env={"LC_ALL": "", "LC_NUMERIC": "", "LANG": "sv_SE.UTF-8"},
    )
    assert result.exit_code == 0, result.output
    assert sv.read_bytes()[3:].startswith(b"file;questionnaire;")
    en = tmp_path / "en.csv"
    result = runner.invoke(
        main,
        ["extract", str(root), "-o", str(en), "--workers", "1", "--csv", "en"],
        env={"LC_ALL": "", "LC_NUMERIC": "", "LANG": "sv_SE.UTF-8"},
    )
    assert result.exit_code == 0, result.output
    rows = _by_file(read_csv(en))
    assert rows["a0.pdf"]["vikt"] == "71.5"
    manifest = read_manifest(find_manifest(en))
    cells = _by_file([c for _n, c in table_rows(manifest.tables[FORM_ID], "csv")])
    assert cells["a0.pdf"]["vikt"] == "71.5"


def test_a_review_rebuild_keeps_the_swedish_csv(tmp_path, returned):
    from pdfforms.dataset.build import rebuild
    from pdfforms.model.privacy import Privacy

    root, _truth = returned
    out = tmp_path / "svar.csv"
    run([root], out, delimiter=";", decimal=",")
    before = out.read_bytes()
    rebuild(out, Privacy())
    assert out.read_bytes() == before


# -- the codebook ----------------------------------------------------------------------


def test_the_codebook_says_what_every_value_means_in_every_language(tmp_path, returned, forms):
    from pdfforms.dataset.columns import FormTable, codebook_columns, codebook_rows
    from pdfforms.model.privacy import Privacy

    root, _truth = returned
    out = tmp_path / "svar.csv"
    run([root], out)
    book = {r["column"]: r for r in read_csv(tmp_path / "svar.codebook.csv")}
    form = forms["all_types"]
    for q in form.answerable:  # the number printed beside each question
        column = f"{q.id}__{q.choices[0].value}" if q.type == "multiple" else q.id
        if q.type == "grid":
            column = f"{q.id}__{q.rows[0].id}"
        assert book[column]["number"] == str(q.number), column
    assert book["file"]["number"] == ""
    # a multiple-choice column says what 1 and 0 mean, never "1 = 1; 0 = 0"
    assert book["frukt__paron"]["values_sv"] == "1 = Markerad; 0 = Inte markerad"
    assert book["frukt__paron"]["values_en"] == "1 = Marked; 0 = Not marked"
    assert book["roker"]["values_sv"] == "1 = Ja; 0 = Nej"
    # a scale: its ends with their labels, the points between, and "don't know"
    smak = book["smak"]["values_sv"].split("; ")
    assert smak[0] == "0 = Inte gott alls" and smak[10] == "10 = Mycket gott"
    assert smak[5] == "5" and smak[11] == "vet_inte = Vet inte"
    assert book["smak"]["values_en"].split("; ")[10] == "10 = Very good"
    assert book["vanor__laser"]["values_sv"] == (
        "alltid = Alltid; ibland = Ibland; aldrig = Sällan eller aldrig"
    )

    # a form in six languages: every value labelled in each of them
    patient = forms["patient"]
    table = FormTable([patient], Privacy())
    header = codebook_columns(patient.languages)
    rows = {
        r[1]: dict(zip(header, r, strict=True))
        for r in codebook_rows("svar", table, patient.languages)
    }
    q = patient.question("kontaktvagar")
    option = f"kontaktvagar__{q.choices[0].value}"
    assert rows[option]["number"] == str(q.number)
    assert rows[option]["values_fi"] == "1 = Kyllä; 0 = Ei"
    assert rows[option]["values_uk"] == "1 = Так; 0 = Ні"
    leva = patient.question("leva_livet")
    for lang in patient.languages:
        assert rows["leva_livet"][f"values_{lang}"] == "; ".join(
            f"{o.value} = {o.label[lang]}" for o in leva.choices
        )


def test_a_question_numbered_otherwise_in_an_older_version_says_so():
    from pdfforms.dataset.columns import FormTable
    from pdfforms.model.definition import parse_definition
    from pdfforms.model.privacy import Privacy

    def version(v: str, ids: list[str]):
        text = f'form: nummer\nversion: "{v}"\nlanguages: [sv]\ntitle: Nummer\nsections:\n'
        text += "  - id: del\n    questions:\n"
        text += "".join(f"      - {{id: {i}, type: text, label: {i}}}\n" for i in ids)
        form, faults = parse_definition(text, f"v{v}.yaml")
        assert not faults, faults
        return form

    table = FormTable([version("1", ["b"]), version("2", ["a", "b"])], Privacy())
    numbers = {c.name: c.number for c in table.columns}
    assert numbers["a"] == "1" and numbers["b"] == "2 (1 in version 1)"
