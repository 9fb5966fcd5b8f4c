"""A form's columns and codebook, and what they hold of personnummer."""

from __future__ import annotations

import random
from pathlib import Path

from pdfforms.model.personnummer import parse_personnummer, pseudonymise
from pdfforms.model.privacy import DROP, KEEP, PSEUDONYMISE, Privacy
from pdfforms.testing.synthetic import synthetic_personnummer

from .conftest import (
    filled,
    read_csv,
    run,
)

KEY = b"0123456789abcdef-test-key"


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
