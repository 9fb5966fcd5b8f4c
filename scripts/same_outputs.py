"""Whether two runs of `make demo` wrote the same files, byte for byte.

    python scripts/same_outputs.py BEFORE/output AFTER/output

For a change that must not change behaviour (a regrouping of the code): run the
demo on a clean clone before and after, at the same path, and compare. Only what
a run cannot repeat is set aside, each for a stated reason:

- how long a file took to read (`seconds` in the ledger and the journal), the
  file's modification time the journal keeps to notice an edited file (`stamp`),
  and the order of the journal's lines (workers finish in any order);
- the time a workbook was written (an .xlsx's docProps), and so a workbook is compared
  by its cells and styles; likewise the time an SPSS or Stata file was written, and so
  those are compared by their data and labels;
- `review-screenshot.png`, which the test suite (not the demo) writes.

Every other byte must match. Exit 0 when all do; otherwise each difference is
listed and the exit status is 1.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from pathlib import Path

NOT_THE_DEMOS = {"review-screenshot.png"}
TIMING = ("seconds", "stamp")


def _journal(data: bytes) -> list:
    """The journal's entries; files in path order and definitions by id (workers finish
    in any order, and a definition is written when the first file of its form comes back)."""
    out = []
    for line in data.decode("utf-8").splitlines():
        entry = json.loads(line)
        for key in TIMING:
            entry.pop(key, None)
        out.append(entry)
    return sorted(
        out,
        key=lambda e: (
            e.get("t") == "file",
            str(e.get("path", "")),
            str(e.get("id", "")) if e.get("t") == "def" else "",
            str(e.get("version", "")) if e.get("t") == "def" else "",
        ),
    )


def _ledger(data: bytes) -> list:
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","  # a Swedish CSV
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    for row in rows:
        row.pop("seconds", None)
    return rows


def _workbook(data: bytes) -> dict:
    """Every sheet's cells (a `seconds` column left out); the file's own metadata aside."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        if rows and "seconds" in rows[0]:
            at = rows[0].index("seconds")
            rows = [r[:at] + r[at + 1 :] for r in rows]
        sheets[sheet.title] = rows
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # styles, widths, frozen panes …
        rest = {n: z.read(n) for n in z.namelist() if not n.startswith(("docProps/", "xl/work"))}
    return {"sheets": sheets, "rest": rest}


def comparable(path: Path):
    data = path.read_bytes()
    if path.name.endswith(".journal.jsonl"):
        return _journal(data)
    if path.name.endswith(".ledger.csv"):
        return _ledger(data)
    if path.suffix == ".xlsx":
        return _workbook(data)
    if path.suffix in (".sav", ".dta"):
        return _labelled(path)
    return data


def _labelled(path: Path):
    """An SPSS or Stata file's data and labels, without the time it was written."""
    import pyreadstat

    read = pyreadstat.read_sav if path.suffix == ".sav" else pyreadstat.read_dta
    frame, meta = read(path, user_missing=True)
    labels = (meta.column_names_to_labels, meta.variable_value_labels, meta.file_label)
    return frame.astype(str).values.tolist(), list(frame.columns), labels


def main(before: Path, after: Path) -> int:
    def files(root: Path) -> set[str]:
        return {
            str(p.relative_to(root))
            for p in root.rglob("*")
            if p.is_file() and p.name not in NOT_THE_DEMOS
        }

    a, b = files(before), files(after)
    differ = [f"only in {before}: {n}" for n in sorted(a - b)]
    differ += [f"only in {after}: {n}" for n in sorted(b - a)]
    same = 0
    for name in sorted(a & b):
        if comparable(before / name) == comparable(after / name):
            same += 1
        else:
            differ.append(f"differs: {name}")
    for line in differ:
        print(line)
    print(f"{same} file(s) the same, {len(differ)} difference(s)")
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
