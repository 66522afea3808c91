"""The package's layers import only downwards: base → load → domain → output → cli.

A module may import its own layer and any layer below it, never one above; the base modules
(``findings``, ``fileio``) import no layer at all. Checked on the source text with ``ast``, so
imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "shiwanqian"
ORDER = ["base", "load", "domain", "output", "cli"]


def layer_of(module: str) -> str:
    first = module.split(".")[1] if module.count(".") else ""
    return first if first in ORDER else "base"


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


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py" and p.name != "entry.py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_only_downwards(path: Path) -> None:
    own = ORDER.index(layer_of(module_name(path)))
    upward = [t for t in imports(path) if ORDER.index(layer_of(t)) > own]
    assert upward == [], f"{module_name(path)} imports from a higher layer: {upward}"


def test_the_check_sees_upward_imports(tmp_path: Path) -> None:
    # The parser must resolve relative imports, or the test above could pass vacuously.
    sample = PACKAGE / "load" / "loader.py"
    assert "shiwanqian.findings" in imports(sample)
    assert any(t.startswith("shiwanqian.load.") or t == "shiwanqian.load" for t in imports(sample))
    assert layer_of("shiwanqian.cli.quota") == "cli" and layer_of("shiwanqian.findings") == "base"


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
