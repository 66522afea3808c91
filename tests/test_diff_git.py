"""`shiwanqian diff --git REV`: a data folder against a revision of itself, in a real git repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DATA, LESSONS_FILES, LESSONS_MOVE, diff_records, revise


def git(folder: Path, *args: str) -> str:

    command = ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "仓库"
    shutil.copytree(DATA, repo / "data")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "data as shipped")
    return repo


def test_against_a_git_revision(cli, repository, tmp_path):
    folder = repository / "data"
    revise(folder, LESSONS_MOVE, LESSONS_FILES)
    status, records = diff_records(cli, "--git", "HEAD", str(folder))
    assert status == 1
    _, direct = diff_records(cli, str(DATA), str(folder))
    strip = lambda r: {k: v for k, v in r.items() if k != "old_file"}  # noqa: E731
    assert [strip(r) for r in records] == [strip(r) for r in direct]
    assert all(r["old_file"].startswith("HEAD:") for r in records if r["old_file"])
    assert "HEAD:data/quotas/lessons.yaml" in {r["old_file"] for r in records}
    git(repository, "commit", "-qam", "revised")
    assert diff_records(cli, "--git", "HEAD", str(folder)) == (0, [])
    assert [strip(r) for r in diff_records(cli, "--git", "HEAD~1", str(folder))[1]] == [strip(r) for r in records]


@pytest.mark.parametrize(("revision", "message"), [("no-such-rev", "没有版本"), ("--output=x", "不能以 - 开头")])
def test_a_bad_revision_is_a_usage_error(cli, repository, revision, message):
    result = cli("diff", "--git", revision, str(repository / "data"))
    assert result.exit_code == 2 and message in result.output


def test_without_a_folder_git_compares_the_data_of_the_current_folder(cli, repository, tmp_path, monkeypatch):
    """From the repository's top (``./data``) or from inside the data folder itself; elsewhere a
    usage error, never the data installed with the program (in a checkout of shiwanqian that is
    a folder of another repository, and the answer would silently be "no change")."""
    monkeypatch.delenv("SHIWANQIAN_DATA", raising=False)
    revise(repository / "data", LESSONS_MOVE, LESSONS_FILES)
    _, expected = diff_records(cli, "--git", "HEAD", str(repository / "data"))
    for where in (repository, repository / "data"):
        monkeypatch.chdir(where)
        status, records = diff_records(cli, "--git", "HEAD")
        assert status == 1 and [r["new"] for r in records] == [r["new"] for r in expected]
    monkeypatch.chdir(tmp_path)
    result = cli("diff", "--git", "HEAD")
    assert result.exit_code == 2 and "当前目录中没有数据目录" in result.output


def test_git_outside_a_repository_is_a_usage_error(cli, data_copy):
    result = cli("diff", "--git", "HEAD", str(data_copy))
    assert result.exit_code == 2 and "不在 git 仓库中" in result.output


# ------------------------------------------------------------------ git diff through textconv


@pytest.fixture
def driver(repository: Path) -> Path:
    """The recipe of docs/guide/revisions.md: .gitattributes in the repository, textconv in its config."""
    import sys

    (repository / ".gitattributes").write_text("data/**/*.yaml diff=shiwanqian\n", encoding="utf-8")
    git(repository, "config", "diff.shiwanqian.textconv", f'"{sys.executable}" -m shiwanqian diff --textconv')
    git(repository, "add", ".gitattributes")
    git(repository, "commit", "-qm", "semantic diffs")
    return repository


def test_git_diff_shows_what_a_file_says_differently(driver):
    path = driver / "data" / "quotas" / "lessons.yaml"
    text = path.read_text(encoding="utf-8")
    # Comments, block against flow style and the order of keys change nothing a file says.
    text = text.replace("# 万节优质课堂教学资源：", "# 修订时改过的注释：").replace(
        "values: {高中: 500, 初中: 450, 小学: 350, 幼儿教育: 95, 职业教育: 120, 特殊教育: 30}",
        "values:\n      特殊教育: 30\n      初中: 450\n      高中: 500\n      小学: 350\n      幼儿教育: 95\n      职业教育: 120",
    )
    path.write_text(text, encoding="utf-8")
    assert git(driver, "diff", "--stat") != ""  # the text did change
    assert git(driver, "diff") == ""  # its meaning did not
    path.write_text(text.replace("      高中: 500\n", "      高中: 490\n"), encoding="utf-8")
    shown = git(driver, "diff").splitlines()
    changed = [line for line in shown if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        "-名额（区域 × 学段）｜万节优质课堂教学资源 · 攸县 · 高中 = 500",
        "+名额（区域 × 学段）｜万节优质课堂教学资源 · 攸县 · 高中 = 490",
    ]
    assert "--- a/data/quotas/lessons.yaml" in shown
    raw = git(driver, "diff", "--no-textconv")
    assert "高中: 490" in raw and "修订时改过的注释" in raw  # the text itself stays one option away


def test_a_file_that_is_not_data_is_shown_as_it_is(driver):
    path = driver / "data" / "quotas" / "lessons.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "rows: [\n", encoding="utf-8")
    shown = git(driver, "diff")
    assert "不能按数据格式读取" in shown and "+rows: [" in shown


def test_textconv_on_every_kind_of_file(cli):
    for path in sorted(DATA.rglob("*.yaml")):
        result = cli("diff", "--textconv", str(path))
        assert result.exit_code == 0
        first, *facts = result.stdout.splitlines()
        assert first.startswith("# shiwanqian：") and "不能按数据格式读取" not in first, path
        assert len(facts) > 3 and all("｜" in line and " = " in line for line in facts), path
