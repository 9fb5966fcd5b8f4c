"""What a report never shows: groups under the threshold and their complement, personnummer,
serials and file names, free text when told."""

from __future__ import annotations

import csv
import io
import random

import pytest

from pdfforms.model.privacy import KEEP, Privacy, mask_for_report
from pdfforms.report.privacy import COMPLEMENT, SMALL, hide
from pdfforms.testing.synthetic import synthetic_personnummer

from .conftest import (
    check_choice_table,
    expected_rows,
    html_tables,
    number,
    patients,
    pct,
    pdf_text,
    response,
    run,
    table_rows,
    write_dataset,
)

# -- privacy ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [4, 5])
def test_suppression_at_the_boundary(tmp_path, forms, n):
    form = forms["patient"]
    answers = patients(
        form, n, seed=40 + n, viktigast_nu=lambda rng: f"Min egen text {rng.random()}"
    )
    write_dataset(tmp_path / "s.csv", [form], [response(form, a, i) for i, a in enumerate(answers)])
    for fmt in ("html", "pdf", "csv"):
        assert run(tmp_path / "s.csv", "-o", tmp_path / f"out.{fmt}").exit_code == 0
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    text = pdf_text(tmp_path / "out.pdf")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text("utf-8-sig"))))
    tables = html_tables(tmp_path / "out.html")
    secret = [a["viktigast_nu"] for a in answers]
    if n == 4:
        assert not [k for k in tables.tables if k.startswith("patient-7-fragor/")]
        assert "Färre än 5 svarande: inga resultat visas." in html
        assert "Frågor till patient: färre än 5" in html
        assert "Färre än 5 svarande" in text
        assert not any(s in html or s in text for s in secret)
        assert rows and all(r["suppressed"] == "small" and not r["count"] for r in rows)
    else:
        q = form.question("fast_vardkontakt")
        check_choice_table(
            tables, f"patient-7-fragor/total/{q.id}", expected_rows(form, q, answers)
        )
        assert all(s in html for s in secret)
        assert "Frågor till patient: 5 " in html
        assert not any(r["suppressed"] for r in rows if r["question"] == q.id)


def grouped(tmp_path, form, sizes: dict[str, int], by="datum", **fixed):
    """A dataset whose respondents fall into groups of the given sizes (by month of `datum`)."""
    objs, answers = [], {}
    for g, (month, k) in enumerate(sizes.items()):
        answers[month] = patients(form, k, seed=100 + g, datum=f"{month}-15", **fixed)
        objs += [response(form, a, len(objs) + i) for i, a in enumerate(answers[month])]
    write_dataset(tmp_path / "g.csv", [form], objs)
    result = run(tmp_path / "g.csv", "-o", tmp_path / "g.html", "--by", by)
    assert result.exit_code == 0, result.output
    return html_tables(tmp_path / "g.html"), (tmp_path / "g.html").read_text("utf-8"), answers


def test_groups_by_month_and_the_complement_of_a_hidden_group(tmp_path, forms):
    form = forms["patient"]
    q = form.question("fast_vardkontakt")
    sizes = {"2026-03": 6, "2026-04": 12, "2026-05": 4}
    unique = {"viktigast_nu": lambda rng: f"Egen text nr {rng.randrange(10**9)}"}
    tables, html, answers = grouped(tmp_path, form, sizes, **unique)
    # May (4) is hidden; the total minus April would then give May, so March (6) goes too
    for month in sizes:
        key = f"patient-7-fragor/{month}/{q.id}"
        if month == "2026-04":
            check_choice_table(tables, key, expected_rows(form, q, answers[month]))
        else:
            assert key not in tables.tables
    everyone = [a for group in answers.values() for a in group]
    check_choice_table(tables, f"patient-7-fragor/total/{q.id}", expected_rows(form, q, everyone))
    sizes_table = {r[0]: r[1] for r in tables.tables["patient-7-fragor/groups"][1:]}
    assert sizes_table == {
        "mars 2026": "dold",
        "april 2026": "12",
        "maj 2026": "färre än 5",
        "Totalt": "22",
    }
    assert "för att skydda en mindre grupp" in html
    compare = {r[0]: r for r in tables.tables[f"patient-7-fragor/compare/{q.id}"][1:]}
    assert set(compare["maj 2026"][1:-1]) == {"–"} and set(compare["mars 2026"][1:-1]) == {"–"}
    april = expected_rows(form, q, answers["2026-04"])
    assert [number(c) for c in compare["april 2026"][1:-1]] == [
        pct(k, b) for k, b in april.values()
    ]
    # free text: per group only, and never from a hidden group
    for month, group in answers.items():
        for a in group:
            assert (a["viktigast_nu"] in html) == (month == "2026-04")
    assert "patient-7-fragor/total/viktigast_nu" not in tables.lists
    shown = tables.lists["patient-7-fragor/2026-04/viktigast_nu"]
    assert shown == [a["viktigast_nu"] for a in answers["2026-04"]]


def test_a_question_that_applied_to_few_in_a_shown_group_is_hidden(tmp_path, forms):
    form = forms["patient"]
    # in April only 3 have a regular care contact, so yrkesroll applies to 3 of 10
    sizes = {"2026-04": 10, "2026-05": 20}
    objs, answers = [], {}
    for g, (month, k) in enumerate(sizes.items()):
        group = patients(form, k, seed=7 + g, datum=f"{month}-02")
        for i, a in enumerate(group):
            contact = month == "2026-05" or i < 3
            a["fast_vardkontakt"] = "ja" if contact else "nej"
            a["yrkesroll"] = "lakare" if contact else None
            a["yrkesroll__other_text"] = None
        answers[month] = group
        objs += [response(form, a, len(objs) + i) for i, a in enumerate(group)]
    write_dataset(tmp_path / "c.csv", [form], objs)
    assert run(tmp_path / "c.csv", "-o", tmp_path / "c.html", "--by", "datum").exit_code == 0
    tables = html_tables(tmp_path / "c.html")
    assert "patient-7-fragor/2026-04/fast_vardkontakt" in tables.tables
    assert "patient-7-fragor/2026-04/yrkesroll" not in tables.tables
    # and May's yrkesroll with it, or the total would give April's three away
    assert "patient-7-fragor/2026-05/yrkesroll" not in tables.tables
    rows = table_rows(tables, "patient-7-fragor/total/yrkesroll")
    assert rows["Läkare"] == (23, 100)


def test_personnummer_serials_and_file_names_never_appear(tmp_path, forms):
    form = forms["patient"]
    rng = random.Random(9)
    numbers = [synthetic_personnummer(rng) for _ in range(8)]
    answers = patients(form, 8, seed=2)
    objs = []
    for i, (a, pnr) in enumerate(zip(answers, numbers, strict=True)):
        a["personnummer"] = pnr
        a["viktigast_nu"] = f"Mitt nummer är {pnr}, ring 0701234567."
        objs.append(response(form, a, i, serial=f"SERIAL{i:03d}X"))
    write_dataset(tmp_path / "k.csv", [form], objs, privacy=Privacy(KEEP))
    assert numbers[0] in (tmp_path / "k.csv").read_text("utf-8-sig")  # the dataset has them
    outputs = []
    for fmt in ("html", "pdf", "csv"):
        out = tmp_path / f"out.{fmt}"
        assert run(tmp_path / "k.csv", "-o", out).exit_code == 0
        outputs.append(pdf_text(out) if fmt == "pdf" else out.read_text("utf-8-sig"))
    for out in outputs:
        flat = out.replace("\u00a0", " ")
        for pnr in numbers:
            digits = pnr.replace("-", "")
            assert pnr not in flat and digits not in flat and pnr[2:] not in flat
        assert "SERIAL" not in flat and "inkommet/" not in flat and "0701234567" not in flat
        assert "sha256" not in flat
    assert "Mitt nummer är [personnummer], ring [nummer]." in outputs[0]


def test_no_free_text(tmp_path, patient_data):
    root, answers, _units = patient_data
    assert run(root / "svar.csv", "-o", tmp_path / "n.html", "--no-free-text").exit_code == 0
    html = (tmp_path / "n.html").read_text("utf-8")
    assert "Fritextsvaren är utelämnade" in html
    for a in answers:
        for key in ("viktigast_nu", "bra_dag", "mer_att_beratta"):
            if a[key]:
                assert a[key].split("\n")[0] not in html
    tables = html_tables(tmp_path / "n.html")
    assert not tables.lists
    assert "patient-7-fragor/total/kontaktvagar__other_text" not in tables.tables


# -- the rule itself, on sizes alone (report/privacy.py) ----------------------------------


def test_a_small_group_and_the_smallest_shown_one_are_hidden():
    assert hide({"a": 4, "b": 6, "c": 12, "empty": 0}, 5) == {"a": SMALL, "b": COMPLEMENT}
    assert hide({"a": 5, "b": 6}, 5) == {}  # at the threshold: shown
    # a group hidden whatever its size counts towards what is hidden
    assert hide({"unmatched": 3, "a": 9, "b": 8}, 5, always=["unmatched"]) == {
        "unmatched": SMALL,
        "b": COMPLEMENT,
    }
    assert hide({"a": 9}, 5, always=["nobody"]) == {"nobody": SMALL}  # 0 hidden: nothing to tell


def test_no_hidden_group_can_be_worked_out_by_subtraction():
    rng = random.Random(13)
    for _ in range(2000):
        min_count = rng.randint(2, 10)
        sizes = {f"g{i}": rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 30]) for i in range(6)}
        always = [k for k in sizes if rng.random() < 0.1]
        hidden = hide(sizes, min_count, always)
        shown = {k: n for k, n in sizes.items() if k not in hidden and n > 0}
        assert all(n >= min_count for n in shown.values()), (sizes, hidden)
        assert all(hidden[k] == SMALL for k in always)
        assert all(k in hidden for k, n in sizes.items() if 0 < n < min_count)
        total_hidden = sum(sizes[k] for k in hidden)
        assert total_hidden == 0 or total_hidden >= min_count or not shown, (sizes, hidden)
        complement = [sizes[k] for k, why in hidden.items() if why == COMPLEMENT]
        if complement:  # the smallest shown groups went, and no more than needed
            assert max(complement) <= min(shown.values(), default=max(complement))
            assert total_hidden - max(complement) < min_count, (sizes, hidden)


def test_free_text_is_masked_whatever_the_dataset_kept():
    assert mask_for_report("Ring 19121212-1212, 121212-1212 eller 191212121212.") == (
        "Ring [personnummer], [personnummer] eller [personnummer]."
    )
    assert mask_for_report("min kod pn:0123456789abcdef") == "min kod [personnummer]"
    # shaped like a personnummer but failing its check: a slip of the pen, or a phone number
    assert mask_for_report("nr 19121212-1213, ring 0701234567") == "nr [nummer], ring [nummer]"
    kept = "Jag dricker 3 koppar om dagen sedan 2026-01-15, 0,5 l, skala 0 5 10, rum 012."
    assert mask_for_report(kept) == kept
    # a telephone number names a person however it is written
    for phone in (
        "070-123 45 67",
        "08-12 34 56",
        "0910-123 45",
        "+46 70 123 45 67",
        "0046701234567",
    ):
        assert mask_for_report(f"ring mig på {phone} efter 5") == "ring mig på [nummer] efter 5"
