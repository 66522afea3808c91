"""Usage of `progress` and `progress import` reads like the other commands: Chinese, exit 2."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str, columns: str = "80") -> subprocess.CompletedProcess:
    env = {"COLUMNS": columns, "TERMINAL_WIDTH": columns, "NO_COLOR": "1", "PATH": ""}
    import os

    env = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-m", "shiwanqian", *args], capture_output=True, text=True, env=env, check=False
    )


def test_help_shows_no_python_type_names():
    for args in (("progress", "--help"), ("progress", "import", "--help")):
        out = run(*args).stdout
        for leak in ("list[", "float range", "[x>=0]", "<list", "Path]"):
            assert leak not in out, (args, leak)
    assert "<百分比>" in run("progress", "--help").stdout


def test_import_of_a_missing_workbook_is_a_usage_error(tmp_path):
    result = run("progress", "import", str(tmp_path / "没有这个.xlsx"), "--progress", str(tmp_path / "p"))
    assert result.returncode == 2
    assert "找不到" in result.stderr and "does not exist" not in result.stderr
    assert not (tmp_path / "p").exists()


def test_import_without_a_workbook_names_the_argument_in_chinese(tmp_path):
    result = run("progress", "import", "--progress", str(tmp_path / "p"))
    assert result.returncode == 2 and "工作簿.xlsx" in result.stderr and "files" not in result.stderr


def test_negative_fail_under_is_refused():
    result = run("progress", "--fail-under", "-3")
    assert result.returncode == 2 and "不能为负" in result.stderr
