"""The definitions a returned file may be read with, by form id and version.

Versions sort in one order everywhere (`version_key`): as numbers where they are
numbers, so "2" comes before "10".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .definition import check_definition
from .form import Form


def version_key(version: str) -> tuple:
    """The order of versions: split at '.' and '-', numbers as numbers ("2" before "10",
    "1.2" before "1.10"), and after them the parts that are words ("1" before "1-beta")."""
    return tuple(
        (0, int(part), "") if part.isdecimal() else (1, 0, part)
        for part in re.split(r"[.-]", version)
    )


def definition_files(directory: str | Path) -> Iterator[Path]:
    directory = Path(directory)
    yield from sorted(p for p in directory.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def default_definition_dirs() -> list[Path]:
    """Where forms are looked for when no --definitions is given.

    The working directory's `form_definitions/` comes first (a region's own
    forms), then the forms shipped beside the package.
    """
    dirs = [
        Path.cwd() / "form_definitions",
        Path(__file__).resolve().parent.parent / "form_definitions",
    ]
    out: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [o.resolve() for o in out]:
            out.append(d)
    return out


class FormLibrary:
    """The forms that can be read back, keyed by (form id, version)."""

    def __init__(self, forms: list[Form] | None = None):
        self.forms: dict[tuple[str, str], Form] = {}
        for form in forms or []:
            self.add(form)

    def add(self, form: Form) -> None:
        self.forms.setdefault((form.id, form.version), form)

    @classmethod
    def from_dirs(cls, dirs: list[Path]) -> FormLibrary:
        lib = cls()
        for d in dirs:
            for path in definition_files(d):
                # read as printed, even a text our fonts cannot draw (parse_definition)
                form, _faults = check_definition(path, printable=False)
                if form is not None:
                    lib.add(form)
        return lib

    def get(self, form_id: str, version: str) -> Form | None:
        return self.forms.get((form_id, version))

    def versions(self, form_id: str) -> list[str]:
        return sorted((v for (f, v) in self.forms if f == form_id), key=version_key)
