"""Shared fixtures: the shipped data, writable copies of it, and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shiwanqian.cli import app
from shiwanqian.domain import checks
from shiwanqian.load import loader

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


@pytest.fixture(scope="session")
def catalog():
    return loader.load(DATA)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace text in a data file; returns the 1-based line of the first replacement."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not found in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def findings(root: Path) -> list:
    return checks.run(loader.load(root))


def errors(root: Path) -> list[tuple[str, str, int]]:
    """(code, file name, line) of every error, the shape tests assert on."""
    return [(f.code, Path(f.file).name, f.line) for f in findings(root) if f.severity == "error"]


@pytest.fixture(scope="session")
def drafted(tmp_path_factory) -> Path:
    """The shipped document drafted once by `shiwanqian draft`, as a user would run it."""
    out = tmp_path_factory.mktemp("draft") / "草稿"
    result = CliRunner().invoke(app, ["draft", str(DATA / "source.txt"), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "check：0 个错误" in result.output
    return out


@pytest.fixture
def cli():
    runner = CliRunner()

    def invoke(*args: str, env: dict | None = None):
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return invoke


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    # Allocations are cached in the user's cache folder; tests use a folder of their own.
    monkeypatch.setenv("SHIWANQIAN_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
