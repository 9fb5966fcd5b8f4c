"""The rules of docs/architecture.md, read from the code itself.

Every module of pdfforms is parsed with `ast`, and every import in it is looked
at: at the top of the file or inside a function, absolute or relative. The rules:

- a package imports only the packages the table below allows it (a package's own
  modules may import each other);
- no circle of imports between modules;
- no module imports another module's `_private` name, nor reaches one through a
  module it imported;
- nothing but `pdfforms/testing` imports a test-only package, and the runtime
  dependencies list none; an optional extra (Parquet, Dask) is imported only
  inside the function that needs it, so `import pdfforms` works without it;
- scripts/ and benchmarks/ take their synthetic data from pdfforms.testing,
  never from tests/.

Each failure lists every violation as `file:line imports name (why not)`.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pdfforms"

# Which package may import which: the table of docs/architecture.md, "The rules".
# A package is the first folder under pdfforms/ ("read" holds read/scan/ too);
# "api" is pdfforms/__init__.py, the public API; "cli" is pdfforms/cli.py.
STEPS = ("model", "generate", "read", "parse", "dataset", "report", "exchange")
MAY_IMPORT: dict[str, set[str]] = {
    "model": set(),
    "generate": {"model"},
    "read": {"model"},
    # the scan reader measures a page against the blank form that generate draws
    "parse": {"model", "read", "generate"},
    # the workers parse files; ReadError is the reason a file failed
    # ... and writes responses as FHIR for `extract --format fhir`
    "dataset": {"model", "read", "parse", "exchange"},
    "review": {"model", "dataset"},
    "report": {"model", "dataset"},
    # FHIR and XLSForm in and out: definitions and responses are model objects
    "exchange": {"model"},
    "api": set(STEPS),
    "cli": {*STEPS, "api", "review"},
    "testing": {*STEPS, "api"},
}

# The root package's `__version__` is the one name any module may import from it:
# pdfforms/__init__.py assigns it before it imports anything (checked below), so
# the import can close no circle, and setuptools reads it from there.
VERSION = "__version__"

# Test-only packages: pdfforms/testing may use the `testing` extra (and, inside a
# function, the `bench` extra); nothing else of pdfforms imports any of them.
TEST_EXTRAS = ("testing", "test", "bench")
# Optional features: imported only inside the function that needs them.
FEATURE_EXTRAS = ("parquet", "cluster", "stats")
# Imports that come with a dependency rather than being one, and why that is enough.
THROUGH: dict[str, str] = {
    # pdfplumber pins the pdfminer.six it is built on; we catch its exceptions and
    # use its stream decoders to bound what a hostile stream may decode to
    "pdfminer-six": "pdfplumber",
    # the cluster extra asks for dask[distributed], whose extra is this package
    "distributed": "dask",
}


# -- reading the code ---------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    file: str  # relative to the repository, e.g. pdfforms/read/detect.py
    line: int
    module: str  # the importing module, e.g. pdfforms.read.detect
    target: str  # the module imported: pdfforms.read.raw, or a third-party top name
    names: tuple[str, ...]  # for `from target import a, b`; () for `import target`
    bound: tuple[str, ...]  # the local names the import binds (`as` names included)
    in_function: bool


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _our_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


MODULES = _our_modules()


def _imports(path: Path, root: Path = ROOT) -> list[Import]:
    """Every import statement of a file, resolved to absolute module names."""
    module = _module_name(path, root)
    package = module if _is_package(path) else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Import] = []
    rel = str(path.relative_to(root))

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
            )
            if isinstance(child, ast.Import):
                for alias in child.names:
                    bound = (alias.asname or alias.name.split(".")[0],)
                    found.append(
                        Import(rel, child.lineno, module, alias.name, (), bound, in_function)
                    )
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join([*base, child.module] if child.module else base)
                else:
                    target = child.module or ""
                names = tuple(a.name for a in child.names)
                bound = tuple(a.asname or a.name for a in child.names)
                found.append(Import(rel, child.lineno, module, target, names, bound, in_function))
            visit(child, inside)

    visit(tree, False)
    return found


ALL_IMPORTS = [i for path in MODULES.values() for i in _imports(path)]


def _ours(name: str) -> bool:
    return name == "pdfforms" or name.startswith("pdfforms.")


def _edges(imp: Import) -> list[str]:
    """The modules of ours an import makes its module depend on.

    `from pkg import name` depends on the submodule pkg.name when there is one,
    else on pkg itself. The root's __version__ is no dependency (see VERSION).
    """
    if not _ours(imp.target):
        return []
    if not imp.names:
        return [imp.target]
    out = []
    for name in imp.names:
        if imp.target == "pdfforms" and name == VERSION:
            continue
        sub = f"{imp.target}.{name}"
        out.append(sub if sub in MODULES else imp.target)
    return list(dict.fromkeys(out))


def _area(module: str) -> str:
    """The package of a module of ours, as the rules name it."""
    parts = module.split(".")
    if len(parts) == 1:
        return "api"
    return parts[1]  # "cli" for pdfforms.cli


# -- the rules ------------------------------------------------------------------------------


def _layer_violations() -> list[tuple[str, str, str]]:
    """(file:line, what, why) for each import the table does not allow."""
    out = []
    for imp in ALL_IMPORTS:
        mine = _area(imp.module)
        allowed = MAY_IMPORT[mine]
        for target in _edges(imp):
            theirs = _area(target)
            if theirs == mine or theirs in allowed:
                continue
            may = ", ".join(sorted(allowed)) or "nothing outside itself"
            out.append(
                (f"{imp.file}:{imp.line}", target, f"imports {target} ({mine} may import: {may})")
            )
    return out


def _private_violations() -> list[tuple[str, str, str]]:
    """(file:line, what, why) for each `_private` name one module takes from another."""
    out = []
    for imp in ALL_IMPORTS:
        if not _ours(imp.target):
            continue
        for name in imp.names:
            if name.startswith("_") and not name.startswith("__"):
                what = f"{imp.target}.{name}"
                out.append((f"{imp.file}:{imp.line}", what, f"imports {what}, a private name"))
    # module._name through a module bound by an import
    for path in MODULES.values():
        rel = str(path.relative_to(ROOT))
        bound: dict[str, str] = {}  # local name → the module of ours it stands for
        for imp in _imports(path):
            if not _ours(imp.target):
                continue
            if not imp.names:  # `import pdfforms.x.y` binds pdfforms; `as z` binds z to x.y
                plain = imp.bound[0] == imp.target.split(".")[0]
                bound[imp.bound[0]] = "pdfforms" if plain else imp.target
                continue
            for name, local in zip(imp.names, imp.bound, strict=True):
                if f"{imp.target}.{name}" in MODULES:
                    bound[local] = f"{imp.target}.{name}"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                what = f"{bound[node.value.id]}.{node.attr}"
                out.append((f"{rel}:{node.lineno}", what, f"uses {what}, a private name"))
    return out


def _check(found: list[tuple[str, str, str]], rule: str) -> None:
    """Fail with every violation, each with its file and line."""
    lines = [f"{where} {why}" for where, _what, why in found]
    assert not lines, f"{rule} (docs/architecture.md):\n  " + "\n  ".join(lines)


def test_imports_are_found_wherever_they_are_and_resolved(tmp_path):
    """The reader of imports itself: relative levels, packages, aliases, functions."""
    folder = tmp_path / "pdfforms" / "read" / "scan"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("from .ink import measure\n")
    (folder / "ink.py").write_text(
        "import numpy as np\n"
        "from ...model.layout import Widget\n"
        "from .. import raw as r\n"
        "from . import align\n"
        "import pdfforms.parse.file\n"
        "\n"
        "\n"
        "def measure():\n"
        "    from ...generate.render import render\n"
        "    return np, Widget, r, align, render\n"
    )
    found = {
        (i.line, i.target, i.names, i.bound, i.in_function)
        for i in _imports(folder / "ink.py", tmp_path)
    }
    assert found == {
        (1, "numpy", (), ("np",), False),
        (2, "pdfforms.model.layout", ("Widget",), ("Widget",), False),
        (3, "pdfforms.read", ("raw",), ("r",), False),
        (4, "pdfforms.read.scan", ("align",), ("align",), False),
        (5, "pdfforms.parse.file", (), ("pdfforms",), False),
        (9, "pdfforms.generate.render", ("render",), ("render",), True),
    }
    (package,) = _imports(folder / "__init__.py", tmp_path)
    assert (package.module, package.target) == ("pdfforms.read.scan", "pdfforms.read.scan.ink")


def test_a_circle_is_found_and_named():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert _cycles(graph) == [["a", "b", "c"], ["e"]]
    assert _a_path(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]


def test_each_package_imports_only_what_the_rules_allow():
    _check(_layer_violations(), "imports the rules do not allow")


def test_no_module_imports_another_modules_private_name():
    _check(_private_violations(), "private names used from another module")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (or a self-import)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def connect(v: str) -> None:  # Tarjan; the graph has a few dozen modules
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def _graph() -> dict[str, set[str]]:
    """Module → the modules of ours it imports (a package's `from . import x` of a
    name its own __init__ defines is no edge)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in ALL_IMPORTS:
        for target in _edges(imp):
            if target != imp.module:
                graph[imp.module].add(target)
    return graph


def _a_path(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One circle through a component, to name in the failure: a → b → … → a."""
    members = set(component)
    start = component[0]
    seen = {start: [start]}
    todo = [start]
    while todo:
        v = todo.pop(0)
        for w in sorted(graph[v] & members):
            if w == start:
                return [*seen[v], start]
            if w not in seen:
                seen[w] = [*seen[v], w]
                todo.append(w)
    return component


def test_no_circular_imports_between_modules():
    graph = _graph()
    circles = [" → ".join(_a_path(graph, c)) for c in _cycles(graph)]
    assert not circles, "modules that import each other in a circle:\n  " + "\n  ".join(circles)


def test_the_version_is_set_before_the_root_imports_our_modules():
    """What makes `from pdfforms import __version__` safe from inside (see VERSION)."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    ours = [i.line for i in _imports(PACKAGE / "__init__.py") if _ours(i.target)]
    first_import = min(ours, default=None)
    assigned = [
        n.lineno
        for n in tree.body
        if isinstance(n, (ast.Assign, ast.AnnAssign))
        and any(
            isinstance(t, ast.Name) and t.id == VERSION
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
        )
        and isinstance(n.value, ast.Constant)
    ]
    assert assigned, "pdfforms/__init__.py must assign __version__ a literal"
    assert first_import is None or assigned[0] < first_import, (
        f"pdfforms/__init__.py:{first_import} imports a module of ours before __version__ is set "
        f"(line {assigned[0]}): a module importing __version__ could then find it unset"
    )


def test_the_rules_name_every_package():
    """A new package needs its row in the table (and its paragraph in the doc)."""
    areas = {_area(m) for m in MODULES}
    assert areas == set(MAY_IMPORT), (
        f"packages without a rule: {sorted(areas - set(MAY_IMPORT))}; "
        f"rules without a package: {sorted(set(MAY_IMPORT) - areas)}"
    )
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for area in areas - {"api", "cli"}:
        assert f"`pdfforms/{area}/`" in doc, f"docs/architecture.md says nothing of {area}/"
    for area, allowed in MAY_IMPORT.items():
        row = next((line for line in doc.splitlines() if line.startswith(f"| `{area}` |")), None)
        assert row is not None, f"docs/architecture.md has no rule row for `{area}`"
        listed = set(re.findall(r"`(\w+)`", row.split("|")[2]))
        assert listed == allowed, f"docs/architecture.md's row for {area}: {listed} ≠ {allowed}"


# -- dependencies ---------------------------------------------------------------------------


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return _normal(re.match(r"[A-Za-z0-9._-]+", requirement.strip()).group(0))


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _distribution(top: str) -> str:
    """The distribution an import comes from; its own name when not installed here."""
    names = importlib.metadata.packages_distributions().get(top)
    return _normal(names[0]) if names else _normal(top)


def _extra(name: str) -> set[str]:
    """The distributions an extra names, following `pdfforms[other]` into other extras."""
    extras = _project()["optional-dependencies"]
    out: set[str] = set()
    for requirement in extras[name]:
        dist = _requirement_name(requirement)
        if dist == "pdfforms":
            inner = re.search(r"\[(.*)\]", requirement).group(1)
            for other in inner.split(","):
                out |= _extra(other.strip())
        else:
            out.add(dist)
    return out


def _third_party() -> list[tuple[Import, str]]:
    out = []
    for imp in ALL_IMPORTS:
        top = imp.target.split(".")[0]
        if not top or _ours(imp.target) or top in sys.stdlib_module_names:
            continue
        out.append((imp, _distribution(top)))
    return out


def test_no_test_only_package_is_a_runtime_dependency():
    runtime = {_requirement_name(r) for r in _project()["dependencies"]}
    test_only = set().union(*(_extra(e) for e in TEST_EXTRAS)) - runtime
    assert {"pypdf", "pytest", "playwright", "augraphy"} <= test_only  # the rule means these
    overlap = runtime & set().union(*(_extra(e) for e in TEST_EXTRAS))
    assert not overlap, f"test-only packages among the runtime dependencies: {sorted(overlap)}"


def test_pdfforms_imports_only_what_it_depends_on():
    runtime = {_requirement_name(r) for r in _project()["dependencies"]}
    features = set().union(*(_extra(e) for e in FEATURE_EXTRAS)) | {"distributed"}
    testing = _extra("testing")
    bench = _extra("bench")
    wrong = []
    for imp, dist in _third_party():
        where = f"{imp.file}:{imp.line} imports {imp.target}"
        in_testing = _area(imp.module) == "testing"
        if dist in runtime or (dist in THROUGH and THROUGH[dist] in runtime):
            continue
        if dist in features:
            if not imp.in_function:
                wrong.append(f"{where} at the top: an optional extra, import it where it is used")
            continue
        if in_testing and dist in testing:
            continue
        if in_testing and dist in bench:
            if not imp.in_function:
                wrong.append(f"{where} at the top: the bench extra, import it where it is used")
            continue
        if in_testing:
            wrong.append(f"{where}: in no dependency of pdfforms.testing ({dist})")
        elif dist in testing | bench | _extra("test"):
            wrong.append(f"{where}: a test-only package ({dist}); only pdfforms/testing may")
        else:
            wrong.append(f"{where}: not a dependency in pyproject.toml ({dist})")
    assert not wrong, "imports of packages pdfforms does not depend on:\n  " + "\n  ".join(wrong)


def test_scripts_and_benchmarks_do_not_import_the_tests():
    wrong = []
    for folder in ("scripts", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level:
                    names = [node.module or ""]
                for name in names:
                    if name == "tests" or name.startswith("tests."):
                        wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not wrong, "use pdfforms.testing instead:\n  " + "\n  ".join(wrong)


def test_the_command_line_starts_without_the_readers():
    """`pdfforms` imports the PDF and image libraries when a command needs them: every
    command's start (and its --help) is a tenth of a second, not a fifth, and extract's
    batch, which hands its files to worker processes, starts them that much sooner."""
    import subprocess
    import sys

    def imported(modules: str, of: tuple[str, ...]) -> list[str]:
        code = f"import sys, {modules}\nprint(' '.join(m for m in {of!r} if m in sys.modules))"
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return run.stdout.split()

    readers = ("numpy", "pdfplumber", "pikepdf", "pypdf", "pypdfium2")
    assert imported("pdfforms.cli", (*readers, "reportlab", "PIL")) == []
    assert imported("pdfforms.cli, pdfforms.dataset.extract", readers) == []
