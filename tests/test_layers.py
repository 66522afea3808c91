"""The package's layers and the packages inside them import only along the allowed edges.

base (``findings``, ``safetext``, ``fileio``, the version) → ``load`` → ``domain`` → ``storage``,
``output`` → ``cli`` → ``entry``. Inside ``domain`` each package states what it may import (its
``__init__`` docstring says the same in words). Checked on the source text with ``ast``, so
imports inside functions count too; and no module imports itself back through others.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "shiwanqian"
DOMAIN = ("numerals", "programme", "allocation", "checks", "progress", "draft", "refine", "revision", "review")
ALL_DOMAIN = {f"domain.{d}" for d in DOMAIN} | {"domain"}
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "load": {"base"},
    "domain": set(),  # the package's own __init__: a docstring
    "domain.numerals": {"base"},
    "domain.programme": {"base", "load", "domain.numerals"},
    "domain.allocation": {"base", "load"},
    "domain.checks": {"base", "load", "domain.numerals", "domain.programme"},
    "domain.progress": {"base", "load", "domain.programme", "domain.allocation"},
    "domain.draft": {"base", "load", "domain.numerals", "domain.programme", "domain.checks"},
    "domain.refine": {"base", "load", "domain.programme", "domain.allocation", "domain.progress"},
    "domain.revision": {"base", "load", "domain.numerals", "domain.programme", "domain.allocation", "domain.checks"},
    "domain.review": {"base", "load", "domain.programme"},
    "storage": {"base", "load"} | ALL_DOMAIN,
    "output": {"base", "load"} | ALL_DOMAIN,
    "cli": {"base", "load", "storage", "output"} | ALL_DOMAIN,
    "entry": {"base", "load", "cli"},
}


def layer_of(module: str) -> str:
    """The package a module belongs to, as ``ALLOWED`` names it."""
    parts = module.split(".")[1:]
    if not parts or parts[0] in ("findings", "safetext", "fileio", "__init__"):
        return "base"
    if parts[0] == "domain" and len(parts) > 1 and parts[1] in DOMAIN:
        return f"domain.{parts[1]}"
    return parts[0] if parts[0] in ALLOWED else "base"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[str]:
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                targets = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
            else:
                targets = [node.module or ""]
            found += [t for t in targets if t.startswith("shiwanqian.")]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("shiwanqian.")]
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")


def test_every_package_has_its_rule() -> None:
    found = {layer_of(module_name(p)) for p in MODULES}
    assert found == set(ALLOWED), found ^ set(ALLOWED)
    for name in DOMAIN[1:]:
        doc = ast.get_docstring(ast.parse((PACKAGE / "domain" / name / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "import" in doc.lower(), f"domain/{name}/__init__.py does not say what it may import"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_follow_the_allowed_edges(path: Path) -> None:
    own = layer_of(module_name(path))
    wrong = [t for t in imports(path) if layer_of(t) != own and layer_of(t) not in ALLOWED[own]]
    assert wrong == [], f"{module_name(path)} ({own}) may not import {wrong}"


def _graph() -> dict[str, set[str]]:
    names = {module_name(p): p for p in PACKAGE.rglob("*.py")}

    def module(target: str) -> str:  # "pkg.mod.name" → "pkg.mod"
        while target not in names and "." in target:
            target = target.rpartition(".")[0]
        return target

    return {m: {module(t) for t in imports(p)} - {m} for m, p in names.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph)))
    try:
        for v in sorted(graph):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_no_import_circle_anywhere() -> None:
    assert cycles(_graph()) == []


def test_the_circle_check_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_check_sees_upward_imports(tmp_path: Path) -> None:
    # The parser must resolve relative imports, or the test above could pass vacuously.
    sample = PACKAGE / "load" / "loader.py"
    assert "shiwanqian.findings" in imports(sample)
    assert any(t.startswith("shiwanqian.load.") or t == "shiwanqian.load" for t in imports(sample))
    assert layer_of("shiwanqian.cli.quota") == "cli" and layer_of("shiwanqian.findings") == "base"
    assert layer_of("shiwanqian.domain.checks.quotes") == "domain.checks"
    assert layer_of("shiwanqian.storage.snapshot") == "storage"


SPREADSHEET_LIBRARIES = ("openpyxl",)


def library_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
    return found


@pytest.mark.parametrize(
    "path", [p for p in MODULES if layer_of(module_name(p)) == "domain"], ids=lambda p: module_name(p)
)
def test_domain_reads_no_workbook_files(path: Path) -> None:
    # Reading a workbook is loading (load/workbook.py), writing one is output: the domain
    # only interprets cell values, so it never needs the spreadsheet library.
    assert not library_imports(path) & set(SPREADSHEET_LIBRARIES), f"{module_name(path)} opens workbooks"


def test_the_workbook_reader_is_in_load_and_lazy() -> None:
    reader = PACKAGE / "load" / "workbook.py"
    assert "openpyxl" in library_imports(reader)
    top_level = [
        n for n in ast.parse(reader.read_text(encoding="utf-8")).body if isinstance(n, (ast.Import, ast.ImportFrom))
    ]
    assert not any("openpyxl" in ast.unparse(n) for n in top_level)
