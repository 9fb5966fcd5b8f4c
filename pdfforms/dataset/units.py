"""The care unit of each returned copy: as the copy says, or as its print run's ledger does.

A copy printed for a unit names it in its document information and on its first
page (generate/printrun.py), and parse reads it from there. A scan has neither
(nothing reads the printed line back from pixels), and a copy saved by a program
that drops the document information may lose it; the print run's ledger
(`<output>.ledger.csv`: serial → unit) still knows it by the copy's serial. So
`extract --ledger` gives each copy without a unit its serial's unit, and says so
in a warning (`unit_from_ledger`): the unit was not read from the copy. A copy
whose own unit differs from its ledger's keeps its own (what the respondent saw
printed) with a warning (`unit_differs`), never silently.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from ..model.errors import PdfformsError
from ..model.identity import clean_unit
from ..model.messages import text as msg
from .journal import ExtractError

UNIT_FROM_LEDGER = "unit_from_ledger"
UNIT_DIFFERS = "unit_differs"


def ledger_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """A print run's ledger (any of the separators `generate` and Excel write): each row
    with its line. Raises LedgerError naming the file when it cannot be read or is not a
    print run's ledger (the ledger `extract` writes beside a dataset is named as such)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            first = fh.readline()
            fh.seek(0)
            delimiter = max((",", ";", "\t"), key=first.count)
            reader = csv.DictReader(fh, delimiter=delimiter)
            fields = reader.fieldnames or []
            if "serial" not in fields or "form" not in fields:
                hint = ""
                if "outcome" in fields and "file" in fields:
                    hint = msg("load.extract_ledger")
                raise LedgerError(msg("load.not_a_ledger", path=path) + hint)
            yield from enumerate(reader, start=2)
    except OSError as exc:
        raise LedgerError(msg("cli.cannot_read", path=path, reason=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise LedgerError(msg("reader.not_utf8", path=path)) from None
    except csv.Error as exc:
        raise LedgerError(msg("reader.bad_csv", path=path, reason=exc)) from None


class LedgerError(PdfformsError, ValueError):
    """A print-run ledger that cannot be read."""


def read_unit_ledgers(paths: list[Path]) -> dict[str, str]:
    """Print-run ledgers → serial → unit (serials printed for no unit left out).

    Raises ExtractError naming the file when one is not a print run's ledger, or
    when two ledgers give one serial different units."""
    units: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        try:
            for line, row in ledger_rows(path):
                serial, unit = (row.get("serial") or "").strip(), clean_unit(row.get("unit"))
                if not serial or unit is None:
                    continue  # printed for no unit (or before units)
                if units.get(serial, unit) != unit:
                    raise ExtractError(
                        msg(
                            "units.two_units",
                            path=path,
                            line=line,
                            serial=serial,
                            unit=repr(unit),
                            other=repr(units[serial]),
                        )
                    )
                units[serial] = unit
        except LedgerError as exc:
            raise ExtractError(str(exc)) from None
    return units


def assign_unit(obj: dict, units: dict[str, str]) -> None:
    """Give a parsed form (SPEC §4 JSON) its serial's unit from the ledgers, or say
    that its own unit differs from theirs."""
    own = clean_unit(obj.get("unit"))
    obj["unit"] = own
    serial = obj.get("serial")
    ledger = units.get(serial) if serial else None
    if ledger is None:
        return
    if own is None:
        obj["unit"] = ledger
        obj["problems"].append(
            {
                "question": None,
                "code": UNIT_FROM_LEDGER,
                "severity": "warning",
                "message": (
                    f"the copy names no unit that could be read; its unit {ledger!r} is the "
                    f"one the print run's ledger gives its serial {serial}"
                ),
            }
        )
    elif own != ledger:
        obj["problems"].append(
            {
                "question": None,
                "code": UNIT_DIFFERS,
                "severity": "warning",
                "message": (
                    f"the copy names the unit {own!r}, but the print run's ledger gives its "
                    f"serial {serial} the unit {ledger!r}; the copy's own is kept: check which "
                    "unit it came from"
                ),
            }
        )
