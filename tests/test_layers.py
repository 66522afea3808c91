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
