"""`pdfforms extract`: many returned files → one dataset, every file accounted for."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from click.testing import CliRunner

from pdfforms.cli import main
from pdfforms.dataset.extract import Progress, read_key
from pdfforms.generate.fill import flatten_pdf

from .conftest import (
    _scan_file,
    _without_seconds,
    filled,
    ledger,
    read_csv,
    run,
)


def test_a_folder_becomes_one_table_per_form_with_a_ledger_and_codebook(tmp_path, folder, forms):
    root, truth = folder
    out = tmp_path / "svar.csv"
    summary = run([root], out)
    assert summary.files == 11  # .DS_Store is hidden: not an input
    assert summary.outcomes == {
        "parsed": 9,
        "parsed_with_problems": 0,
        "needs_review": 0,
        "failed": 1,
        "duplicate": 1,
    }
    rows = ledger(out)
    assert set(rows) == {str(root / f) for f in truth} | {
        str(root / "not-a-form.pdf"),
        str(root / "patient" / "p0-again.pdf"),
    }
    bad = rows[str(root / "not-a-form.pdf")]
    assert (bad["outcome"], bad["reason"]) == ("failed", "is not a PDF file")
    # sorted input order: p0-again.pdf comes before p0.pdf, so p0.pdf is the repeat
    again = rows[str(root / "patient" / "p0.pdf")]
    assert again["outcome"] == "duplicate"
    assert again["duplicate_of"] == str(root / "patient" / "p0-again.pdf")

    patient = read_csv(tmp_path / "svar.patient-7-fragor.csv")
    unit = read_csv(tmp_path / "svar.verksamhet-7-fragor.csv")
    assert len(patient) == 6 and len(unit) == 3
    assert out.with_name("svar.patient-7-fragor.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    form = forms["patient"]
    by_file = {r["file"]: r for r in patient}
    for i in range(1, 6):
        row, answers = by_file[str(root / "patient" / f"p{i}.pdf")], truth[f"patient/p{i}.pdf"]
        assert row["form"] == "patient-7-fragor" and row["kind"] == "acroform"
        assert row["outcome"] == "parsed" and row["questionnaire"] == "1"
        for q in form.answerable:
            value = answers[q.id]
            if q.type == "personnummer":
                assert q.id not in row  # left out without a key or --keep-personnummer
            elif q.type == "multiple":
                for o in q.choices:
                    assert row[f"{q.id}__{o.value}"] == str(int(o.value in value)), q.id
            elif q.type == "yesno":
                assert row[q.id] == ("" if value is None else str(int(value)))
            elif q.type == "grid":
                for r in q.rows:
                    assert row[f"{q.id}__{r.id}"] == (value[r.id] or "")
            else:
                assert row[q.id] == ("" if value is None else str(value)), q.id

    codebook = read_csv(tmp_path / "svar.codebook.csv")
    entry = {(c["table"], c["column"]): c for c in codebook}
    fast = entry[("svar.patient-7-fragor", "fast_vardkontakt")]
    q = forms["patient"].question("fast_vardkontakt")
    assert (fast["label_sv"], fast["label_en"]) == (q.label["sv"], q.label["en"])
    assert "vårdkontakt" in fast["label_sv"]
    assert fast["code"] == q.code and q.code.startswith("skr-7-")
    assert "ja = Ja" in fast["values_sv"] and "ja = Yes" in fast["values_en"]
    manifest = json.loads((tmp_path / "svar.manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"] == {
        "patient-7-fragor": "svar.patient-7-fragor.csv",
        "verksamhet-7-fragor": "svar.verksamhet-7-fragor.csv",
    }
    assert manifest["outcomes"]["failed"] == 1 and manifest["questionnaires"] == 9


def test_a_serial_returned_twice_is_a_duplicate_and_both_files_are_named(tmp_path, forms):
    first, _ = filled(forms, "patient", 1, serial="ABCDEFGHJ2")
    second, _ = filled(forms, "patient", 2, serial="ABCDEFGHJ2")  # other answers: other bytes
    third, _ = filled(forms, "patient", 3, serial="KLMNPQRST3")
    for name, data in (("1.pdf", first), ("2.pdf", second), ("3.pdf", third)):
        (tmp_path / name).write_bytes(data)
    out = tmp_path / "out" / "d.csv"
    out.parent.mkdir()
    run([tmp_path / "*.pdf"], out)
    rows = ledger(out)
    dup = rows[str(tmp_path / "2.pdf")]
    assert dup["outcome"] == "duplicate"
    assert dup["duplicate_of"] == str(tmp_path / "1.pdf")
    assert "serial ABCDEFGHJ2" in dup["reason"]
    assert [r["serial"] for r in read_csv(out)] == ["ABCDEFGHJ2", "KLMNPQRST3"]


def test_missing_inputs_are_failed_in_the_ledger_and_our_own_files_are_not_inputs(tmp_path, forms):
    data, _ = filled(forms, "patient", 1)
    (tmp_path / "a.pdf").write_bytes(data)
    out = tmp_path / "d.csv"  # the dataset lands in the folder being read
    run([tmp_path, tmp_path / "nowhere.pdf", tmp_path / "none-*.pdf"], out)
    summary = run([tmp_path], out)  # the second run must not read the first one's files
    assert summary.files == 1
    rows = ledger(out)
    assert list(rows) == [str(tmp_path / "a.pdf")]
    run([tmp_path, tmp_path / "nowhere.pdf", tmp_path / "none-*.pdf"], out)
    rows = ledger(out)
    assert rows[str(tmp_path / "nowhere.pdf")]["outcome"] == "failed"
    assert "no such file" in rows[str(tmp_path / "none-*.pdf")]["reason"]


def test_a_scan_file_gives_a_row_per_questionnaire(tmp_path, forms):
    _scan_file(forms, tmp_path / "scan.pdf", ("AAAAAAAAA1", "BBBBBBBBB2"))
    out = tmp_path / "out" / "d.csv"
    out.parent.mkdir()
    run([tmp_path / "scan.pdf"], out)
    rows = read_csv(out)
    assert [(r["questionnaire"], r["serial"], r["kind"]) for r in rows] == [
        ("1", "AAAAAAAAA1", "scan"),
        ("2", "BBBBBBBBB2", "scan"),
    ]
    row = ledger(out)[str(tmp_path / "scan.pdf")]
    assert row["questionnaires"] == "2" and row["serials"] == "AAAAAAAAA1 BBBBBBBBB2"
    for item in read_csv(out.with_name("d.review.csv")):  # crops are found from the dataset
        assert (out.parent / item["image"]).is_file()


def test_an_interrupted_run_continues_without_duplicates(tmp_path, forms):
    returned = tmp_path / "in"
    returned.mkdir()
    for i in range(20):  # flattened copies: slow enough to read (~0.1 s) to kill halfway
        data, _ = filled(forms, "patient", i)
        (returned / f"{i:03d}.pdf").write_bytes(flatten_pdf(data))
    reference = tmp_path / "ref" / "d.csv"
    reference.parent.mkdir()
    run([returned], reference)

    out = tmp_path / "out" / "d.csv"
    out.parent.mkdir()
    journal = out.with_name("d.journal.jsonl")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pdfforms.cli",
            "extract",
            str(returned),
            "-o",
            str(out),
            "--workers",
            "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if journal.exists() and journal.read_bytes().count(b'"t":"file"') >= 3:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    lines = journal.read_bytes().count(b'"t":"file"')
    assert 3 <= lines < 20, "the run must be killed halfway for this test to mean anything"
    assert not out.exists(), "a killed run must leave no half-written dataset"
    with open(journal, "ab") as fh:  # a line torn by the kill
        fh.write(b'{"t":"file","path":"')
    summary = run([returned], out)
    assert summary.from_journal == lines and summary.read_now == 20 - lines
    assert read_csv(out) == read_csv(reference)
    assert _without_seconds(out.with_name("d.ledger.csv")) == _without_seconds(
        reference.with_name("d.ledger.csv")
    )
    assert not list(out.parent.glob(".*.tmp"))


def test_a_changed_file_is_read_again(tmp_path, forms):
    one, _ = filled(forms, "patient", 1)
    two, answers = filled(forms, "patient", 2)
    (tmp_path / "a.pdf").write_bytes(one)
    out = tmp_path / "out" / "d.csv"
    out.parent.mkdir()
    run([tmp_path / "a.pdf"], out)
    (tmp_path / "a.pdf").write_bytes(two)
    os.utime(tmp_path / "a.pdf", ns=(1, 2))
    summary = run([tmp_path / "a.pdf"], out)
    assert summary.read_now == 1
    assert read_csv(out)[0]["viktigast_nu"] == answers["viktigast_nu"]


def test_progress_shows_rate_and_eta_on_a_terminal():
    import io

    stream = io.StringIO()
    progress = Progress(10, stream, enabled=True)
    for _ in range(10):
        progress.step()
    progress.finish()
    assert "10/10 files" in stream.getvalue() and "files/s" in stream.getvalue()
    assert "ETA" in stream.getvalue()
    quiet = io.StringIO()
    Progress(10, quiet, enabled=False).step()
    assert quiet.getvalue() == ""


def test_cli_extract_errors_are_one_line(tmp_path, folder):
    root, _truth = folder
    runner = CliRunner()
    result = runner.invoke(main, ["extract", str(root), "-o", str(tmp_path / "d.txt")])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "name it .csv" in result.output
    key = tmp_path / "short.key"
    key.write_text("abc\n")
    result = runner.invoke(
        main, ["extract", str(root), "-o", str(tmp_path / "d.csv"), "--pseudonymise-key", str(key)]
    )
    assert result.exit_code == 2 and "at least 16" in result.output
    result = runner.invoke(
        main,
        [
            "extract",
            str(root),
            "-o",
            str(tmp_path / "d.csv"),
            "--pseudonymise-key",
            str(key),
            "--keep-personnummer",
        ],
    )
    assert result.exit_code == 2 and "not both" in result.output
    result = runner.invoke(
        main, ["extract", str(tmp_path / "empty-*"), "-o", str(tmp_path / "d.csv")]
    )
    assert result.exit_code == 0  # the pattern that matches nothing is in the ledger
    assert "1 failed" in result.output


def test_keygen_writes_a_private_key_that_extract_reads(tmp_path):
    runner = CliRunner()
    path = tmp_path / "nyckel.key"
    assert runner.invoke(main, ["keygen", str(path)]).exit_code == 0
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(read_key(path)) == 64
    again = runner.invoke(main, ["keygen", str(path)])
    assert again.exit_code == 2 and "exists already" in again.output
