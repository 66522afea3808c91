"""The rooms stay small enough to read: no module over 600 lines and no function over 80 lines
(signature and docstring included) without a stated reason, written as a comment
``# long: <why>`` on the line above the ``def`` (or above its decorators)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "shiwanqian"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE, MAX_FUNCTION = 600, 80


def long_functions(source: str) -> list[tuple[str, int, int]]:
    """(name, line, length) of every function over the limit without a ``# long:`` reason."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION and not _reason_above(
                lines, min([node.lineno, *(d.lineno for d in node.decorator_list)])
            ):
                found.append((node.name, node.lineno, length))
    return found


def _reason_above(lines: list[str], first: int) -> bool:
    """A ``# long: <why>`` comment in the block of comment lines right above line ``first``."""
    at = first - 2
    while at >= 0 and lines[at].strip().startswith("#"):
        text = lines[at].strip()
        if text.startswith("# long:") and len(text) > len("# long:") + 10:
            return True
        at -= 1
    return False


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_and_functions_are_small(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_MODULE, f"{path.name}: {len(source.splitlines())} lines"
    assert long_functions(source) == []


def test_the_rule_sees_a_long_function_and_its_reason() -> None:
    body = "\n".join(f"    x = {i}" for i in range(85))
    assert [name for name, _, _ in long_functions(f"def f():\n{body}\n")] == ["f"]
    assert long_functions(f"# long: one table of the document, row by row\ndef f():\n{body}\n") == []
    assert [n for n, _, _ in long_functions(f"# long:\ndef f():\n{body}\n")] == ["f"]  # a reason, not a tag
    two_lines = f"# long: one table of the document,\n# row by row\ndef f():\n{body}\n"
    assert long_functions(two_lines) == []
    assert [n for n, _, _ in long_functions(f"# long: one table of the document\n\ndef f():\n{body}\n")] == ["f"]
