"""Shared fixtures: the shipped data, writable copies of it, and a CLI runner."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
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

    def invoke(*args: str, env: dict | None = None, input: str | None = None):
        return runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)

    return invoke


@pytest.fixture(autouse=True)
def _not_in_ci(monkeypatch):
    # `check` in CI (the CI variable set) fails on draft's proposals; the suite runs alike in CI
    # and on a desk, and a test of that behaviour sets the variable itself.
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    # Allocations are cached in the user's cache folder; tests use a folder of their own.
    monkeypatch.setenv("SHIWANQIAN_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


# ------------------------------------------------------------------ revisions (diff, upgrade)
# Revisions are made as a bureau would make them: the document's text (source.txt), the
# quotations and the numbers change together, so the revised folder passes `check`.

# 10 高中 骨干教师 move from 攸县 to 醴陵市: the task decomposition, its row totals, the 2016
# schedule clause and the document's own lines, all as the revised document would say them.
BACKBONE_MOVE = [
    (
        "攸县：高中30人、初中60人、小学60人、幼儿教育10人、职业教育9人，特殊教育2人。合计171人。",
        "攸县：高中20人、初中60人、小学60人、幼儿教育10人、职业教育9人，特殊教育2人。合计161人。",
    ),
    (
        "醴陵市：高中35人、初中65人、小学65人、幼儿教育15人、职业教育12人，特殊教育2人。合计194人。",
        "醴陵市：高中45人、初中65人、小学65人、幼儿教育15人、职业教育12人，特殊教育2人。合计204人。",
    ),
    (
        "{高中: 30, 初中: 60, 小学: 60, 幼儿教育: 10, 职业教育: 9, 特殊教育: 2}\n    total: 171",
        "{高中: 20, 初中: 60, 小学: 60, 幼儿教育: 10, 职业教育: 9, 特殊教育: 2}\n    total: 161",
    ),
    (
        "{高中: 35, 初中: 65, 小学: 65, 幼儿教育: 15, 职业教育: 12, 特殊教育: 2}\n    total: 194",
        "{高中: 45, 初中: 65, 小学: 65, 幼儿教育: 15, 职业教育: 12, 特殊教育: 2}\n    total: 204",
    ),
    ("攸县: 30, 醴陵市: 35", "攸县: 20, 醴陵市: 45"),
    ("攸县30人、醴陵市35人", "攸县20人、醴陵市45人"),
]
BACKBONE_FILES = ["quotas/backbone-teachers.yaml", "plans/12-backbone-teachers.yaml", "source.txt"]
# 10 高中 优质课 move the same way: the yearly allocation and the budget follow.
LESSONS_MOVE = [
    (
        "攸县：高中500节、初中450节、小学350节、幼儿教育95节、职业教育120节，特殊教育30节。合计1545节。",
        "攸县：高中490节、初中450节、小学350节、幼儿教育95节、职业教育120节，特殊教育30节。合计1535节。",
    ),
    (
        "醴陵市：高中550节、初中500节、小学400节、幼儿教育100节、职业教育150节，特殊教育40节。合计1740节。",
        "醴陵市：高中560节、初中500节、小学400节、幼儿教育100节、职业教育150节，特殊教育40节。合计1750节。",
    ),
    (
        "{高中: 500, 初中: 450, 小学: 350, 幼儿教育: 95, 职业教育: 120, 特殊教育: 30}\n    total: 1545",
        "{高中: 490, 初中: 450, 小学: 350, 幼儿教育: 95, 职业教育: 120, 特殊教育: 30}\n    total: 1535",
    ),
    (
        "{高中: 550, 初中: 500, 小学: 400, 幼儿教育: 100, 职业教育: 150, 特殊教育: 40}\n    total: 1740",
        "{高中: 560, 初中: 500, 小学: 400, 幼儿教育: 100, 职业教育: 150, 特殊教育: 40}\n    total: 1750",
    ),
]
LESSONS_FILES = ["quotas/lessons.yaml", "plans/13-lessons.yaml", "source.txt"]


def revise(folder: Path, pairs: list[tuple[str, str]], files: list[str]) -> None:
    found: defaultdict[str, int] = defaultdict(int)
    for name in files:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            found[old] += text.count(old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    assert all(found[old] for old, _ in pairs), [old for old, _ in pairs if not found[old]]


def revised(tmp_path: Path, pairs: list[tuple[str, str]], files: list[str], name: str = "修订") -> Path:
    folder = tmp_path / name
    shutil.copytree(DATA, folder)
    revise(folder, pairs, files)
    assert errors(folder) == []
    return folder


def diff_records(cli, *args: str) -> tuple[int, list[dict]]:
    """The exit status and the records of `shiwanqian diff … --format json`."""
    result = cli("diff", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def line_of(path: Path, text: str) -> int:
    body = path.read_text(encoding="utf-8")
    return body[: body.index(text)].count("\n") + 1
