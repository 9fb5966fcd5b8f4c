"""What a report reads: every dataset format, several datasets, a print run's ledger, and
bad input as one line naming the file; and the real pipeline, filled PDFs → extract →
report."""

from __future__ import annotations

import csv

from .conftest import (
    check_choice_table,
    choice_questions,
    expected_rows,
    html_tables,
    patients,
    response,
    run,
    write_dataset,
)

# -- inputs, outputs -------------------------------------------------------------------


def test_every_dataset_format_gives_the_same_summary(tmp_path, forms):
    form = forms["patient"]
    answers = patients(form, 12, seed=77)
    objs = [response(form, a, i) for i, a in enumerate(answers)]
    out = {}
    for ext in ("csv", "xlsx", "jsonl", "parquet"):
        (tmp_path / f"d{ext}").mkdir()
        write_dataset(tmp_path / f"d{ext}" / f"svar.{ext}", [form], objs)
        result = run(tmp_path / f"d{ext}" / f"svar.{ext}", "-o", tmp_path / f"{ext}.csv")
        assert result.exit_code == 0, result.output
        out[ext] = (tmp_path / f"{ext}.csv").read_text("utf-8")
    assert out["csv"] == out["xlsx"] == out["jsonl"] == out["parquet"]
    assert "fast_vardkontakt" in out["csv"]


def test_a_questionnaire_in_two_datasets_counts_once(tmp_path, forms):
    form = forms["patient"]
    answers = patients(form, 8, seed=8)
    objs = [response(form, a, i) for i, a in enumerate(answers)]
    # a scanned file holding two questionnaires: one sha256, both must count
    objs[7]["source"]["sha256"] = objs[6]["source"]["sha256"]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_dataset(tmp_path / "a" / "svar.jsonl", [form], objs)
    write_dataset(tmp_path / "b" / "svar.jsonl", [form], objs[4:])
    result = run(
        tmp_path / "a" / "svar.jsonl", tmp_path / "b" / "svar.jsonl", "-o", tmp_path / "r.html"
    )
    assert result.exit_code == 0, result.output
    tables = html_tables(tmp_path / "r.html")
    q = form.question("fast_vardkontakt")
    check_choice_table(tables, f"patient-7-fragor/total/{q.id}", expected_rows(form, q, answers))
    assert "4 svar fanns i mer än en av de givna datamängderna" in (tmp_path / "r.html").read_text()


def test_response_rate_from_a_print_run_ledger(tmp_path, forms):
    form = forms["patient"]
    ledger = tmp_path / "utskick.ledger.csv"
    serials = [f"K{i:08d}X" for i in range(20)]
    with open(ledger, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "serial",
                "csv_line",
                "form",
                "version",
                "language",
                "large_print",
                "generated",
                "pages",
                "file",
            ]
        )
        for s in serials:
            w.writerow([s, "", form.id, "1", "sv", "no", "2026-03-01", "1-3", ""])
    answers = patients(form, 10, seed=4)
    objs = [
        response(form, a, i, serial=serials[i] if i < 8 else None) for i, a in enumerate(answers)
    ]
    write_dataset(tmp_path / "r.csv", [form], objs)
    result = run(tmp_path / "r.csv", "-o", tmp_path / "r.html", "--ledger", ledger)
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r.html").read_text("utf-8").replace("\u00a0", " ")
    assert "Frågor till patient: 8 av 20 utskickade exemplar (40 %)" in html
    assert "2 svar utan löpnummer" in html
    assert serials[0] not in html


def test_bad_input_is_one_line_naming_the_file(tmp_path, patient_data):
    root, _answers, _units = patient_data

    def fails(*args, says: str):
        result = run(*args)
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("pdfforms: "), result.output
        assert says in lines[0], lines[0]
        assert "Traceback" not in result.output

    out = tmp_path / "r.html"
    fails(tmp_path / "nowhere.csv", "-o", out, says="nowhere.csv: no such file")
    (tmp_path / "lone.csv").write_text("a,b\n1,2\n")
    fails(tmp_path / "lone.csv", "-o", out, says="lone.csv: no manifest beside it")
    (tmp_path / "bad.csv").write_text("x")
    (tmp_path / "bad.manifest.json").write_text("{not json")
    fails(tmp_path / "bad.csv", "-o", out, says="bad.manifest.json: not a dataset manifest")
    edited = tmp_path / "edited"
    edited.mkdir()
    for f in root.glob("svar.*"):
        (edited / f.name).write_bytes(f.read_bytes())
    table = edited / "svar.csv"
    with open(table, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("fast_vardkontakt")

    def rewrite(rows):
        with open(table, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(rows)

    rows[3][col] = "kanske"
    rewrite(rows)
    fails(table, "-o", out, says="svar.csv: row 4, column 'fast_vardkontakt': 'kanske' is not")
    rewrite([[c for i, c in enumerate(r) if i != col] for r in rows])
    fails(table, "-o", out, says="no column 'fast_vardkontakt'")
    fails(root / "svar.csv", "-o", tmp_path / "r.docx", says="r.docx: unknown report format")
    fails(root / "svar.csv", "-o", out, "--by", "serial", says="--by serial")
    fails(root / "svar.csv", "-o", out, "--by", "ingenting", says="--by ingenting: no form")
    wrong = tmp_path / "svar.ledger.csv"  # the ledger extract writes, not a print run's
    wrong.write_text("file,outcome,reason,questionnaires\na.pdf,parsed,,1\n", encoding="utf-8")
    fails(root / "svar.csv", "-o", out, "--ledger", wrong, says="the ledger of `pdfforms extract`")
    fails(root / "svar.csv", "-o", out, "--ledger", tmp_path / "nej.csv", says="nej.csv: cannot")
    fails(root / "svar.csv", root / "svar.manifest.json", "-o", out, says="given twice")
    fails(root / "svar.csv", "-o", root / "svar.csv", says="one of the dataset's own files")


def test_returned_pdfs_through_extract_to_the_report(tmp_path, forms):
    from pdfforms.dataset.extract import extract
    from pdfforms.generate.fields import answers_to_fields
    from pdfforms.generate.render import generate
    from pdfforms.testing.synthetic import fill_like_pypdf

    form = forms["patient"]
    blank = generate(form, "sv")
    answers = patients(form, 6, seed=21)
    inbox = tmp_path / "inkommet"
    inbox.mkdir()
    for i, a in enumerate(answers):
        (inbox / f"p{i}.pdf").write_bytes(fill_like_pypdf(blank, answers_to_fields(form, a)))
    summary = extract([str(inbox)], tmp_path / "svar.csv", workers=2, progress=False)
    assert summary.questionnaires == 6
    result = run(tmp_path / "svar.csv", "-o", tmp_path / "r.html")
    assert result.exit_code == 0, result.output
    tables = html_tables(tmp_path / "r.html")
    for q in choice_questions(form):
        expected = expected_rows(form, q, answers)
        key = f"patient-7-fragor/total/{q.id}"
        if next(iter(expected.values()))[1] < 5:  # a question that applied to fewer than 5
            assert key not in tables.tables
        else:
            check_choice_table(tables, key, expected)
