"""Names in the package: a module's private names stay in it, and a class name means one thing.

Both are read from the source (no import), so the test names the file and line
of what breaks the rule.
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


def test_no_module_uses_another_modules_private_names():
    """A private name (`_form`, `_PNR_IN_TEXT`) used elsewhere gets a public name or an API."""
    found = []
    for where, tree in _modules():
        imported: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom | ast.Import) and _ours(node):
                for alias in node.names:
                    imported.add((alias.asname or alias.name).split(".")[0])
                    if _private(alias.name):
                        found.append(f"{where}:{node.lineno}: imports {alias.name}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and _private(node.attr)
                and isinstance(node.value, ast.Name)
                and node.value.id in imported
            ):
                found.append(f"{where}:{node.lineno}: uses {node.value.id}.{node.attr}")
    assert not found, "\n".join(found)


def test_a_class_name_is_defined_in_one_module_only():
    """`Row`, `Summary`, `Column` each said two things; a public class has one home."""
    homes: dict[str, list[str]] = {}
    for where, tree in _modules():
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and not _private(node.name):
                homes.setdefault(node.name, []).append(f"{where}:{node.lineno}")
    twice = {name: places for name, places in homes.items() if len(places) > 1}
    assert not twice, twice
