"""Analyst-ready data: CSV for Swedish Excel, a labelled workbook, SPSS and Stata files,
typed Parquet and a codebook that says what every value means (issue 16)."""

from __future__ import annotations

import csv
import datetime

import pytest
from click.testing import CliRunner

from pdfforms.cli import main
from pdfforms.dataset.reader import find_manifest, read_manifest, table_rows

from .conftest import filled, read_csv, run


def generate_form(form) -> bytes:
    from pdfforms.generate.render import generate

    return generate(form, form.default_language)


def fields_of(form, answers: dict) -> dict:
    from pdfforms.generate.fields import answers_to_fields

    return answers_to_fields(form, answers)


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


def test_the_locale_says_which_csv():
    from pdfforms.dataset.tables import csv_dialect_of_locale

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


# -- SPSS and Stata --------------------------------------------------------------------


def _same_cells(a: dict, b: dict) -> bool:
    """Two readings of one row agree: numbers by value (64.0 in a CSV is 64 in SPSS)."""
    if a.keys() != b.keys():
        return False
    for key, x in a.items():
        y = b[key]
        if x == y:
            continue
        try:
            if float(x) == float(y):
                continue
        except (TypeError, ValueError):
            pass
        return False
    return True


def _reads_back_as_the_csv_does(tmp_path, root, out, fmt: str) -> None:
    """The dataset's reader gets the definition's values back from `out`: the same cells
    as from a CSV of the same returns, and the same Sammanställning."""
    csv_out = tmp_path / "tabell.csv"
    run([root], csv_out)
    as_csv = {
        c["file"]: c
        for _n, c in table_rows(read_manifest(find_manifest(csv_out)).tables[FORM_ID], "csv")
    }
    manifest = read_manifest(find_manifest(out))
    assert manifest.format == fmt
    cells = {c["file"]: c for _n, c in table_rows(manifest.tables[FORM_ID], fmt)}
    assert cells.keys() == as_csv.keys()
    for file, row in cells.items():
        assert _same_cells(row, as_csv[file]), file
    assert cells[next(f for f in cells if f.endswith("a0.pdf"))]["smak"] == "vet_inte"
    runner = CliRunner()
    for source, target in ((out, "from-typed.csv"), (csv_out, "from-csv.csv")):
        result = runner.invoke(main, ["report", str(source), "-o", str(tmp_path / target)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "from-typed.csv").read_bytes() == (tmp_path / "from-csv.csv").read_bytes()


@pytest.mark.parametrize("fmt", ["sav", "dta"])
def test_spss_and_stata_files_keep_every_label(tmp_path, returned, forms, fmt):
    import pandas as pd
    import pyreadstat

    root, _truth = returned
    form = forms["all_types"]
    out = tmp_path / f"svar.{fmt}"
    run([root], out)
    read = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
    data, meta = read(out, user_missing=True)
    rows = {f.rsplit("/", 1)[-1]: i for i, f in enumerate(data["file"])}
    labels = meta.column_names_to_labels
    values = meta.variable_value_labels
    smak = form.question("smak")
    # variable labels: the printed number and the question, Swedish first
    assert labels["smak"] == f"{smak.number}. Hur gott är ärtsoppa?"
    assert labels["vanor__laser"] == (
        f"{form.question('vanor').number}. Hur ofta gör du följande? – Läser en bok"
    )
    # value labels: every choice's label
    assert values["hur_mycket"] == {1: "Lite", 2: "Mycket", 3: "Annat, nämligen"}
    assert values["lan"] == {1: "Stockholms län", 2: "Uppsala län", 3: "Jämtlands län"}
    assert values["frukt__paron"] == {1: "Markerad", 0: "Inte markerad"}
    assert values["roker"] == {1: "Ja", 0: "Nej"}
    assert values["vanor__laser"] == {1: "Alltid", 2: "Ibland", 3: "Sällan eller aldrig"}
    na = 99 if fmt == "sav" else "a"  # SPSS: a user-missing code; Stata: .a
    assert values["smak"] == {0: "Inte gott alls", 10: "Mycket gott", na: "Vet inte"}
    # the cells: codes, numbers, dates and text
    a0, a1 = data.iloc[rows["a0.pdf"]], data.iloc[rows["a1.pdf"]]
    assert a0["smak"] == na and a1["smak"] == 7
    assert a0["lan"] == 3 and a1["lan"] == 1 and a0["frukt__paron"] == 1
    assert a0["vikt"] == 71.5 and a0["besok"] == datetime.date(2026, 3, 1)
    assert a0["namn"] == "Åsa-0"
    if fmt == "sav":
        assert meta.missing_ranges["smak"] == [{"lo": 99.0, "hi": 99.0}]
    else:
        assert meta.missing_user_values["smak"] == ["a"]

    # pandas opens them too, with the labels applied
    if fmt == "sav":
        frame = pd.read_spss(out)
    else:
        frame = pd.read_stata(out)
        with pd.io.stata.StataReader(out) as reader:
            assert reader.variable_labels()["smak"] == labels["smak"]
    p0, p1 = frame.iloc[rows["a0.pdf"]], frame.iloc[rows["a1.pdf"]]
    assert p0["lan"] == "Jämtlands län" and p1["lan"] == "Stockholms län"
    assert p0["frukt__paron"] == "Markerad" and p0["roker"] in ("Ja", "Nej")
    assert pd.isna(p0["smak"])  # "don't know" is missing for the analysis, never a point
    assert p0["namn"] == "Åsa-0"

    _reads_back_as_the_csv_does(tmp_path, root, out, fmt)

    # the codebook names each column's variable and its codes
    book = {r["column"]: r for r in read_csv(tmp_path / "svar.codebook.csv")}
    assert book["lan"]["variable"] == "lan"
    assert book["lan"]["codes"] == "1 = AB; 2 = C; 3 = Z"
    assert book["smak"]["codes"] == ("99 = vet_inte" if fmt == "sav" else ".a = vet_inte")


LONG = """\
form: langa-namn
version: "1"
languages: [sv, en]
title: Långa namn
sections:
  - id: del
    questions:
      - id: hur_nojd_ar_du_med_bemotandet_vid_ditt_senaste_besok
        type: single
        label: {sv: "Hur nöjd är du med bemötandet?", en: "How pleased are you?"}
        options:
          - {value: mycket_nojd_med_allt_som_hande, label: {sv: "Mycket nöjd", en: "Very"}}
          - {value: inte_nojd, label: {sv: "Inte nöjd", en: "Not"}}
      - id: hur_nojd_ar_du_med_bemotandet_vid_ditt_forsta_besok
        type: text
        label: {sv: "Och första gången?", en: "And the first time?"}
      - id: vilka_hjalpmedel_anvander_du_i_vardagen
        type: multiple
        label: {sv: "Vilka hjälpmedel använder du?", en: "Which aids do you use?"}
        options:
          - {value: rullator_eller_rullstol, label: {sv: "Rullator", en: "Walker"}}
          - {value: horapparat, label: {sv: "Hörapparat", en: "Hearing aid"}}
"""


def test_long_names_are_cut_unique_and_stable_for_stata_with_the_mapping_in_the_codebook(
    tmp_path,
):
    import pyreadstat

    from pdfforms.dataset.labelled import variable_names
    from pdfforms.model.definition import parse_definition
    from pdfforms.testing.synthetic import fill_like_pypdf

    form, faults = parse_definition(LONG, "langa.yaml")
    assert not faults, faults
    first, second = form.answerable[0], form.answerable[1]
    (tmp_path / "in").mkdir()
    for i, choice in enumerate(("mycket_nojd_med_allt_som_hande", "inte_nojd")):
        answers = {
            first.id: choice,
            second.id: f"Bra {i}",
            "vilka_hjalpmedel_anvander_du_i_vardagen": ["horapparat"],
        }
        blank = generate_form(form)
        (tmp_path / "in" / f"l{i}.pdf").write_bytes(
            fill_like_pypdf(blank, fields_of(form, answers))
        )
    out = tmp_path / "svar.dta"
    run([tmp_path / "in"], out)
    data, meta = pyreadstat.read_dta(out)
    names = list(data.columns)
    assert all(len(n) <= 32 for n in names) and len({n.lower() for n in names}) == len(names)
    book = {r["column"]: r for r in read_csv(tmp_path / "svar.codebook.csv")}
    long_columns = [c for c in book if len(c) > 32]
    assert len(long_columns) == 4
    for column in long_columns:
        name = book[column]["variable"]
        assert name in names and len(name) <= 32
        assert name[:20] == column[:20]  # recognisable: the start of the column name
    # the two questions that begin alike get different names
    assert book[first.id]["variable"] != book[second.id]["variable"]
    # stable: a name depends on its column alone, not on the columns around it
    alone = variable_names([second.id], "dta")
    assert alone == [book[second.id]["variable"]]
    assert variable_names(["a", second.id, "b"], "dta")[1] == alone[0]
    assert meta.column_names_to_labels[book[first.id]["variable"]] == (
        f"{first.number}. Hur nöjd är du med bemötandet?"
    )
    # read back with their own names and values
    manifest = read_manifest(find_manifest(out))
    cells = sorted(
        (c for _n, c in table_rows(manifest.tables["langa-namn"], "dta")), key=lambda c: c["file"]
    )
    assert [c[first.id] for c in cells] == ["mycket_nojd_med_allt_som_hande", "inte_nojd"]
    assert [c[second.id] for c in cells] == ["Bra 0", "Bra 1"]


def test_names_spss_and_stata_refuse_are_made_valid():
    from pdfforms.dataset.labelled import variable_names

    assert variable_names(["by", "file", "in"], "sav") == ["by_", "file", "in"]
    assert variable_names(["by", "in", "if"], "dta") == ["by", "in_", "if_"]
    names = variable_names(["frukt__äpple", "frukt__apple", "3_val", "vård-tid"], "dta")
    assert names[0] == "frukt__apple" and names[1].startswith("frukt__apple_")
    assert names[2] == "v3_val" and names[3] == "vard_tid"


def test_labels_too_long_for_a_format_are_cut_and_say_so(forms):
    from pdfforms.dataset.columns import FormTable
    from pdfforms.dataset.labelled import _cut, form_variables
    from pdfforms.model.privacy import Privacy

    table = FormTable([forms["patient"]], Privacy())
    q = forms["patient"].question("leva_livet")
    whole = f"{q.number}. {q.label['sv']}"
    assert len(whole) > 80
    stata = {v.column: v for v in form_variables(table, "dta")}["leva_livet"]
    assert len(stata.label) == 80 and stata.label.endswith("…")
    assert whole.startswith(stata.label[:-1].rstrip())
    spss = {v.column: v for v in form_variables(table, "sav")}["leva_livet"]
    assert spss.label == whole  # SPSS holds 256 bytes
    # SPSS counts bytes: 200 å are 400 bytes, cut to at most 120
    cut = _cut("å" * 200, 120, "sav")
    assert len(cut.encode("utf-8")) <= 120 and cut.endswith("…") and cut.startswith("åå")


# -- Parquet ---------------------------------------------------------------------------


def test_parquet_is_typed_with_ordered_choices_and_the_labels_in_its_schema(
    tmp_path, returned, forms
):
    import json

    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    root, _truth = returned
    form = forms["all_types"]
    out = tmp_path / "svar.parquet"
    run([root], out)
    table = pq.read_table(out)
    schema = table.schema
    # scales as integers, numbers as numbers, dates as dates, options as 0/1
    assert schema.field("smak").type == pa.int64()
    assert schema.field("antal").type == pa.int64()
    assert schema.field("vikt").type == pa.float64()
    assert schema.field("besok").type == pa.date32()
    assert schema.field("frukt__paron").type == pa.int8()
    # a single choice and a grid row: ordered categories of the definition's values
    for name in ("hur_mycket", "vanor__laser"):
        kind = schema.field(name).type
        assert pa.types.is_dictionary(kind) and kind.ordered, name
    assert not schema.field("lan").type.ordered  # a list of counties has no order
    # "don't know" is never a point: its own field beside the scale
    assert schema.field("smak__na").type == pa.bool_()
    rows = {f.rsplit("/", 1)[-1]: i for i, f in enumerate(table.column("file").to_pylist())}
    smak, na = table.column("smak").to_pylist(), table.column("smak__na").to_pylist()
    assert (smak[rows["a0.pdf"]], na[rows["a0.pdf"]]) == (None, True)
    assert (smak[rows["a1.pdf"]], na[rows["a1.pdf"]]) == (7, False)
    assert table.column("vikt").to_pylist()[rows["a0.pdf"]] == 71.5
    # the value labels, the question and its printed number in the field's metadata
    meta = schema.field("hur_mycket").metadata
    assert meta[b"pdfforms.number"] == str(form.question("hur_mycket").number).encode()
    assert json.loads(meta[b"pdfforms.label"])["sv"] == "Hur mycket röker du?"
    labels = json.loads(meta[b"pdfforms.values"])
    assert labels["lite"] == {"sv": "Lite", "en": "A little"}
    smak_labels = json.loads(schema.field("smak").metadata[b"pdfforms.values"])
    assert smak_labels["10"]["sv"] == "Mycket gott" and smak_labels["vet_inte"]["sv"] == "Vet inte"
    # pandas reads ordered categories, in printed order
    frame = pd.read_parquet(out)
    assert frame["hur_mycket"].cat.ordered
    assert list(frame["hur_mycket"].cat.categories) == ["lite", "mycket", "other"]
    assert list(frame["vanor__laser"].cat.categories) == ["alltid", "ibland", "aldrig"]
    assert frame["lan"].iloc[rows["a0.pdf"]] == "Z"

    _reads_back_as_the_csv_does(tmp_path, root, out, "parquet")


# -- the workbook ----------------------------------------------------------------------


def test_the_workbook_has_questions_labels_a_frozen_header_and_filters(tmp_path, returned, forms):
    import pandas as pd
    from openpyxl import load_workbook

    root, _truth = returned
    form = forms["all_types"]
    out = tmp_path / "svar.xlsx"
    run([root], out)
    book = load_workbook(out)
    sheet = book[FORM_ID]
    questions = [c.value for c in sheet[1]]
    names = [c.value for c in sheet[2]]
    # the question as printed, with its number, above each column's name
    smak = form.question("smak")
    assert questions[names.index("smak")] == f"{smak.number}. Hur gott är ärtsoppa?"
    assert questions[names.index("file")] == "Den returnerade filen"
    assert sheet["A1"].font.b  # the questions in bold
    # the answers in words beside coded answers, in the form's first language
    for name in ("hur_mycket", "lan", "vanor__laser", "roker"):
        assert names[names.index(name) + 1] == f"{name}__label", name
    assert questions[names.index("lan__label")].endswith("(i ord)")
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
    by_file = {r[0].rsplit("/", 1)[-1]: dict(zip(names, r, strict=True)) for r in rows}
    a0 = by_file["a0.pdf"]
    assert (a0["lan"], a0["lan__label"]) == ("Z", "Jämtlands län")
    assert a0["roker__label"] == {1: "Ja", 0: "Nej", None: None}[a0["roker"]]
    assert by_file["a1.pdf"]["lan__label"] == "Stockholms län"
    # a frozen header (both rows) and a filter on every column
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:{sheet.cell(2, len(names)).column_letter}{len(rows) + 2}"
    for other in ("problems", "ledger", "codebook"):
        assert book[other].freeze_panes == "A2" and book[other].auto_filter.ref.startswith("A1:")
    # pandas reads the names with header=1
    frame = pd.read_excel(out, sheet_name=FORM_ID, header=1)
    assert list(frame.columns) == names

    _reads_back_as_the_csv_does(tmp_path, root, out, "xlsx")


# -- written again, and the limits of the formats ------------------------------------------


@pytest.mark.parametrize("suffix", ["sav", "dta", "xlsx", "parquet"])
def test_a_dataset_written_again_from_its_journal_reads_the_same(tmp_path, returned, suffix):
    """What `pdfforms review` does as decisions come in: every format is written again."""
    from pdfforms.dataset.build import rebuild
    from pdfforms.model.privacy import Privacy

    root, _truth = returned
    out = tmp_path / f"svar.{suffix}"
    run([root], out)

    def cells():
        manifest = read_manifest(find_manifest(out))
        return [c for _n, c in table_rows(manifest.tables[FORM_ID], suffix)]

    before = cells()
    rebuild(out, Privacy())
    assert cells() == before and len(before) == 3


def test_stata_keeps_a_long_text_beside_an_empty_one(tmp_path):
    """Stata has no empty text but "": a text longer than 2,045 bytes (a strL) beside a
    missing one failed in pyreadstat ("A registered string reference was never inserted")."""
    import pyreadstat

    from pdfforms.dataset.tables import DatasetFiles

    files = DatasetFiles(tmp_path / "t.dta")
    sink = files.table("t", ["file", "text"], ["text", "text"], main=True)
    long = "Att kunna gå i skogen med hunden. " * 100
    for row in (["a.pdf", long], ["b.pdf", None], ["c.pdf", "kort"]):
        sink.write(row)
    files.commit()
    data, _meta = pyreadstat.read_dta(tmp_path / "t.dta")
    assert list(data["text"]) == [long, "", "kort"]


def test_the_python_api_writes_swedish_csv_when_asked(tmp_path, returned):
    import pdfforms

    root, _truth = returned
    out = tmp_path / "svar.csv"
    pdfforms.extract(root, out, csv="sv", workers=1)
    assert out.read_bytes()[3:].startswith(b"file;questionnaire;")
    pdfforms.extract(root, tmp_path / "en.csv", workers=1)  # English unless asked
    assert (tmp_path / "en.csv").read_bytes()[3:].startswith(b"file,questionnaire,")
    with pytest.raises(ValueError):
        pdfforms.extract(root, tmp_path / "x.csv", csv="de")
