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


def test_git_outside_a_repository_is_a_usage_error(cli, data_copy):
    result = cli("diff", "--git", "HEAD", str(data_copy))
    assert result.exit_code == 2 and "不在 git 仓库中" in result.output
