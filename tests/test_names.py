"""Names in the package: a public class name means one thing.

Read from the source (no import), so the test names the file and line of what
breaks the rule. (That private names stay in their module is an import rule:
tests/test_architecture.py.)
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pdfforms"


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (str(path.relative_to(PACKAGE.parent)), ast.parse(path.read_text("utf-8")))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _ours(node: ast.ImportFrom | ast.Import) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] == "pdfforms"
    return any(a.name.split(".")[0] == "pdfforms" for a in node.names)


def test_a_class_name_is_defined_in_one_module_only():
    """`Row`, `Summary`, `Column` each said two things; a public class has one home."""
    homes: dict[str, list[str]] = {}
    for where, tree in _modules():
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and not _private(node.name):
                homes.setdefault(node.name, []).append(f"{where}:{node.lineno}")
    twice = {name: places for name, places in homes.items() if len(places) > 1}
    assert not twice, twice
