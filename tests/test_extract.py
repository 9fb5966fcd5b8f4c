"""`pdfforms extract`: many returned files → one dataset, every file accounted for."""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdfforms.cli import main
from pdfforms.dataset.extract import Progress, extract, read_key
from pdfforms.dataset.workers import Limits
from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.fill import flatten_pdf
from pdfforms.generate.render import generate
from pdfforms.model.personnummer import parse_personnummer, pseudonymise
from pdfforms.model.privacy import DROP, KEEP, PSEUDONYMISE, Privacy
from pdfforms.testing.synthetic import fill_like_pypdf, synthetic_answers, synthetic_personnummer

KEY = b"0123456789abcdef-test-key"


def filled(forms, name: str, seed: int, serial: str | None = None, **changes) -> tuple[bytes, dict]:
    form = forms[name]
    answers = synthetic_answers(form, random.Random(seed))
    answers.update(changes)
    blank = generate(form, form.default_language, serial=serial)
    return fill_like_pypdf(blank, answers_to_fields(form, answers)), answers


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def ledger(out: Path) -> dict[str, dict]:
    rows = read_csv(out.with_name(out.name[: -len(out.suffix)] + ".ledger.csv"))
    return {r["file"]: r for r in rows}


@pytest.fixture(scope="module")
def folder(tmp_path_factory, forms):
    """Patient and unit forms, an all-types form, a bad file and a byte-for-byte copy."""
    root = tmp_path_factory.mktemp("returned")
    (root / "patient").mkdir()
    (root / "unit").mkdir()
    truth = {}
    for i in range(6):
        data, answers = filled(forms, "patient", i)
        (root / "patient" / f"p{i}.pdf").write_bytes(data)
        truth[f"patient/p{i}.pdf"] = answers
    for i in range(3):
        data, answers = filled(forms, "unit", 100 + i)
        (root / "unit" / f"u{i}.pdf").write_bytes(data)
        truth[f"unit/u{i}.pdf"] = answers
    (root / "not-a-form.pdf").write_bytes(b"Dear colleague, the forms are attached.\n")
    (root / "patient" / "p0-again.pdf").write_bytes((root / "patient" / "p0.pdf").read_bytes())
    (root / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    return root, truth


def run(inputs, out: Path, **kw):
    kw.setdefault("workers", 2)
    kw.setdefault("progress", False)
    kw.setdefault("warn", lambda message: None)
    return extract([str(i) for i in inputs], out, **kw)


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


def _without_seconds(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [row[:-1] for row in csv.reader(fh)]


def test_one_worker_and_two_give_the_same_dataset(tmp_path, folder):
    root, _truth = folder
    one, two = tmp_path / "one" / "d.csv", tmp_path / "two" / "d.csv"
    one.parent.mkdir()
    two.parent.mkdir()
    run([root], one, workers=1)
    run([root], two, workers=2)
    names = sorted(p.name for p in one.parent.iterdir() if p.name != "d.journal.jsonl")
    assert names == sorted(p.name for p in two.parent.iterdir() if p.name != "d.journal.jsonl")
    for name in names:
        if name == "d.ledger.csv":  # its last column is each file's reading time
            assert _without_seconds(one.parent / name) == _without_seconds(two.parent / name)
        else:
            assert (one.parent / name).read_bytes() == (two.parent / name).read_bytes(), name


def test_formats_xlsx_parquet_jsonl(tmp_path, folder, forms):
    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    root, truth = folder
    run([root / "patient"], tmp_path / "d.xlsx")
    book = load_workbook(tmp_path / "d.xlsx", read_only=True)
    assert book.sheetnames == [
        "patient-7-fragor",
        "problems",
        "review",
        "reviewed",
        "ledger",
        "codebook",
    ]
    sheet = list(book["patient-7-fragor"].iter_rows(values_only=True))
    header, rows = sheet[0], sheet[1:]
    assert len(rows) == 6
    viktigast = header.index("viktigast_nu")
    assert {r[viktigast] for r in rows} == {
        truth[f"patient/p{i}.pdf"]["viktigast_nu"] for i in range(6)
    }
    codebook = list(book["codebook"].iter_rows(values_only=True))
    label = forms["patient"].question("fast_vardkontakt").label["sv"]
    assert any(r[1] == "fast_vardkontakt" and r[7] == label for r in codebook)

    run([root / "patient"], tmp_path / "d.parquet")
    table = pq.read_table(tmp_path / "d.parquet")
    assert table.num_rows == 6
    assert str(table.schema.field("kontaktvagar__telefon").type) == "int8"
    assert str(table.schema.field("problems").type) == "int64"
    assert (tmp_path / "d.problems.parquet").exists()

    run([root / "patient"], tmp_path / "d.jsonl")
    objects = [json.loads(x) for x in (tmp_path / "d.jsonl").read_text("utf-8").splitlines()]
    assert len(objects) == 6
    assert {o["answers"]["viktigast_nu"] for o in objects} == {
        truth[f"patient/p{i}.pdf"]["viktigast_nu"] for i in range(6)
    }
    assert set(objects[0]) == {
        *("form", "serial", "source", "answers", "problems", "review", "reviewed")
    }


def test_personnummer_pseudonymised_kept_or_left_out(tmp_path, forms):
    form = forms["all_types"]
    text_q = next(q for q in form.answerable if q.type == "textarea")
    rng = random.Random(5)
    person = synthetic_personnummer(rng)
    other = synthetic_personnummer(rng)
    returned = tmp_path / "in"
    returned.mkdir()
    for name, seed, pnr in (("a.pdf", 1, person), ("b.pdf", 2, person), ("c.pdf", 3, other)):
        data, _ = filled(
            forms, "all_types", seed, pnr=pnr, **{text_q.id: f"Ring mig, mitt nr är {pnr}."}
        )
        (returned / name).write_bytes(data)
    bad, _ = filled(forms, "all_types", 4, pnr=person[:-1] + str((int(person[-1]) + 1) % 10))
    (returned / "d.pdf").write_bytes(bad)
    full = parse_personnummer(person).number

    out = tmp_path / "pseud" / "d.csv"
    out.parent.mkdir()
    run([returned], out, privacy=Privacy(PSEUDONYMISE, KEY))
    rows = {Path(r["file"]).name: r for r in read_csv(out)}
    expected = pseudonymise(parse_personnummer(person), KEY)
    assert rows["a.pdf"]["pnr"] == rows["b.pdf"]["pnr"] == expected
    assert rows["c.pdf"]["pnr"] not in ("", expected)
    assert rows["a.pdf"][text_q.id] == f"Ring mig, mitt nr är {expected}."
    everything = "".join(p.read_text("utf-8-sig") for p in out.parent.glob("d.*") if p.is_file())
    for written in (person, full, full.replace("-", ""), person.replace("-", "")):
        assert written not in everything
    problems = read_csv(out.with_name("d.problems.csv"))
    assert any(p["question"] == "pnr" and "[personnummer]" in p["message"] for p in problems)
    book = {r["column"]: r for r in read_csv(out.with_name("d.codebook.csv"))}
    assert "pseudonymised" in book["pnr"]["note"] and book["pnr"]["written"] == "yes"

    out = tmp_path / "drop" / "d.csv"
    out.parent.mkdir()
    run([returned], out, privacy=Privacy(DROP))
    rows = read_csv(out)
    assert "pnr" not in rows[0]
    assert rows[0][text_q.id] == "Ring mig, mitt nr är [personnummer]."
    book = {r["column"]: r for r in read_csv(out.with_name("d.codebook.csv"))}
    assert book["pnr"]["written"] == "no" and "left out" in book["pnr"]["note"]

    out = tmp_path / "keep" / "d.csv"
    out.parent.mkdir()
    run([returned], out, privacy=Privacy(KEEP))
    rows = {Path(r["file"]).name: r for r in read_csv(out)}
    assert rows["a.pdf"]["pnr"] == full


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


def _scan_file(forms, path: Path, serials=("AAAAAAAAA1",)) -> None:
    from pdfforms.testing.scans import make_scan, scanned_pdf

    rng = random.Random(7)
    pages = []
    for serial in serials:
        answers = synthetic_answers(forms["unit"], rng)
        pages += make_scan(forms["unit"], "sv", answers, serial, rng)[0]
    path.write_bytes(scanned_pdf(pages))


def test_a_file_over_the_time_limit_fails_and_the_run_goes_on(tmp_path, forms):
    good, _ = filled(forms, "patient", 1)
    (tmp_path / "good.pdf").write_bytes(good)
    _scan_file(forms, tmp_path / "slow.pdf", ("AAAAAAAAA1", "BBBBBBBBB2"))  # seconds to read
    os.mkfifo(tmp_path / "pipe.pdf")  # opening it would block for ever
    out = tmp_path / "out" / "d.csv"
    out.parent.mkdir()
    summary = run([tmp_path], out, limits=Limits(seconds=0.3), workers=1)
    rows = ledger(out)
    slow = rows[str(tmp_path / "slow.pdf")]
    assert slow["outcome"] == "failed" and "longer than 0.3 s" in slow["reason"]
    assert slow["sha256"] and float(slow["seconds"]) >= 0.3
    pipe = rows[str(tmp_path / "pipe.pdf")]
    assert (pipe["outcome"], pipe["reason"]) == (
        "failed",
        "is not a regular file (a pipe, a device or a socket)",
    )
    assert rows[str(tmp_path / "good.pdf")]["outcome"] == "parsed"
    assert summary.outcomes["failed"] == 2 and summary.outcomes["parsed"] == 1


def test_a_file_over_the_memory_limit_fails_and_the_run_goes_on(tmp_path, forms):
    good, _ = filled(forms, "patient", 1)
    (tmp_path / "good.pdf").write_bytes(good)
    _scan_file(forms, tmp_path / "big.pdf", ("AAAAAAAAA1", "BBBBBBBBB2"))
    out = tmp_path / "out" / "d.csv"
    out.parent.mkdir()
    # a worker needs about 70 MB before its first file; the scan's pages need more
    run([tmp_path], out, limits=Limits(memory_mb=100), workers=1)
    rows = ledger(out)
    big = rows[str(tmp_path / "big.pdf")]
    assert big["outcome"] == "failed" and "more than 100 MB" in big["reason"], big
    assert rows[str(tmp_path / "good.pdf")]["outcome"] == "parsed"


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


def test_a_dask_cluster_gives_the_same_dataset(tmp_path, folder):
    distributed = pytest.importorskip("distributed") if not os.environ.get("CI") else None
    if distributed is None:
        import distributed
    root, _truth = folder
    local, remote = tmp_path / "local" / "d.csv", tmp_path / "remote" / "d.csv"
    local.parent.mkdir()
    remote.parent.mkdir()
    run([root], local)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        run([root], remote, cluster=cluster.scheduler_address)
    for name in ("d.patient-7-fragor.csv", "d.verksamhet-7-fragor.csv", "d.problems.csv"):
        assert (local.parent / name).read_bytes() == (remote.parent / name).read_bytes()
    assert _without_seconds(local.with_name("d.ledger.csv")) == _without_seconds(
        remote.with_name("d.ledger.csv")
    )


def test_broken_and_hostile_files_fail_with_their_reason_and_the_good_ones_are_read(
    tmp_path, forms
):
    from tests.hostile import make_corpus

    returned = tmp_path / "in"
    expected = make_corpus(returned)
    good = {}
    for i in range(6):
        data, answers = filled(forms, "patient" if i % 2 else "unit", 200 + i)
        (returned / f"good-{i}.pdf").write_bytes(data)
        good[f"good-{i}.pdf"] = answers
    out = tmp_path / "out" / "d.csv"
    out.parent.mkdir()
    # Limits well above what a good file needs and well below what a bomb would take.
    # The shipped definitions only: without --definitions, a file that embeds its
    # own definition (as the unknown version does) is read with it.
    summary = run(
        [returned],
        out,
        limits=Limits(seconds=60, memory_mb=1024),
        definitions=[Path(__file__).resolve().parent.parent / "form_definitions"],
    )
    rows = {Path(name).name: row for name, row in ledger(out).items()}
    assert set(rows) == set(expected) | set(good)
    assert summary.files == len(expected) + len(good)
    for name in good:
        assert rows[name]["outcome"] == "parsed", (name, rows[name])
    for name, reason in expected.items():
        row = rows[name]
        assert row["outcome"] == "failed", (name, row)
        assert reason in row["reason"].lower(), (name, row["reason"])
    assert len(read_csv(out.with_name("d.patient-7-fragor.csv"))) == 3
    assert len(read_csv(out.with_name("d.verksamhet-7-fragor.csv"))) == 3


def _ending_worker(monkeypatch, how: str) -> None:
    from pdfforms.dataset.workers import _Worker

    script = Path(__file__).resolve().parent / "ending_worker.py"
    monkeypatch.setattr(_Worker, "command", (sys.executable, str(script), how))


@pytest.fixture(scope="module")
def six_files(tmp_path_factory, forms):
    """Five returned forms and a file that is not one: an even number, as ending_worker needs."""
    root = tmp_path_factory.mktemp("six")
    for i in range(5):
        data, _answers = filled(forms, "patient" if i % 2 else "unit", 300 + i)
        (root / f"f{i}.pdf").write_bytes(data)
    (root / "f5.pdf").write_bytes(b"Dear colleague, the forms are attached.\n")
    return root


def test_a_worker_that_ends_while_handed_a_file_does_not_stop_the_run(
    tmp_path, six_files, monkeypatch
):
    # Issue 13 item 11: a worker asking to restart ends right after its answer; the
    # batch had handed it the next file already, the write failed with a broken pipe
    # and the run stopped with exit 2 and no dataset. Every worker here loses that
    # race: f2 and f4 are each handed to a worker that has ended before a fresh one.
    plain, restarting = tmp_path / "plain" / "d.csv", tmp_path / "restarting" / "d.csv"
    plain.parent.mkdir()
    restarting.parent.mkdir()
    run([six_files], plain, workers=1)
    _ending_worker(monkeypatch, "restart")
    summary = run([six_files], restarting, workers=1)
    assert summary.files == 6 and summary.outcomes["parsed"] == 5
    names = sorted(p.name for p in plain.parent.iterdir() if p.name != "d.journal.jsonl")
    assert names == sorted(
        p.name for p in restarting.parent.iterdir() if p.name != "d.journal.jsonl"
    )
    for name in names:
        if name == "d.ledger.csv":  # its last column is each file's reading time
            assert _without_seconds(plain.parent / name) == _without_seconds(
                restarting.parent / name
            )
        else:
            assert (plain.parent / name).read_bytes() == (restarting.parent / name).read_bytes(), (
                name
            )


def test_a_worker_that_dies_while_handed_a_file_fails_only_the_file_it_was_reading(
    tmp_path, six_files, monkeypatch
):
    _ending_worker(monkeypatch, "crash")
    out = tmp_path / "d.csv"
    summary = run([six_files], out, workers=1)
    rows = {Path(name).name: row for name, row in ledger(out).items()}
    assert sorted(rows) == [f"f{i}.pdf" for i in range(6)]
    # each worker reads its first file and dies on its second (f1, f3, f5)
    for name in ("f1.pdf", "f3.pdf", "f5.pdf"):
        assert rows[name]["outcome"] == "failed"
        assert rows[name]["reason"].startswith(
            "made its reader stop unexpectedly (exit status 3)"
        ), rows[name]
    for name in ("f0.pdf", "f2.pdf", "f4.pdf"):
        assert rows[name]["outcome"] == "parsed", rows[name]
    assert summary.outcomes["failed"] == 3 and summary.outcomes["parsed"] == 3


def test_a_reader_process_that_cannot_start_is_named_as_such(tmp_path, six_files, monkeypatch):
    import pdfforms.dataset.workers as workers
    from pdfforms.dataset.journal import ExtractError

    real = subprocess.Popen
    started = []

    def popen(*args, **kw):
        if started:  # the system gives one process and no more (EAGAIN)
            raise BlockingIOError(11, "Resource temporarily unavailable")
        started.append(args)
        return real(*args, **kw)

    monkeypatch.setattr(workers.subprocess, "Popen", popen)
    out = tmp_path / "d.csv"
    summary = run([six_files], out, workers=2)  # goes on with the one it has
    assert summary.files == 6 and summary.outcomes["parsed"] == 5
    started.append("no more")
    with pytest.raises(ExtractError) as caught:  # none at all: the reason, not "cannot write"
        run([six_files], tmp_path / "e.csv", workers=2)
    assert str(caught.value) == (
        "cannot start a reader process (Resource temporarily unavailable); "
        "the system may be out of processes or memory"
    )
