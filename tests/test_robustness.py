"""Start-up help, determinism, the snapshot cache and a read-only data folder."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, edit
from shiwanqian.entry import HELP_FILE, render_help


def test_stored_top_level_help_is_what_typer_renders():
    assert HELP_FILE.read_text(encoding="utf-8") == render_help(), (
        "help.txt is stale: run `python -m shiwanqian.entry --write-help`"
    )


def test_help_without_arguments_prints_the_stored_help():
    for args in ([], ["--help"], ["-h"]):
        out = subprocess.run([sys.executable, "-m", "shiwanqian", *args], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and out.stdout.startswith(HELP_FILE.read_text(encoding="utf-8"))
        assert "quota" in out.stdout and "Traceback" not in out.stderr
        # and a line naming the programme of the data folder in use, from its programme.yaml
        assert out.stdout[len(HELP_FILE.read_text(encoding="utf-8")) :].startswith(
            " 当前数据：十百千万工程（株教发〔2016〕4号，2016–2020年）\n 数据目录："
        )


def _run(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shiwanqian", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


COMMANDS = [
    ("check", "--format", "json"),
    ("quota", "-d", "攸县", "--format", "json"),
    ("quota", "-d", "醴陵"),
    ("schedule", "--year", "2018", "--format", "csv"),
    ("plans", "--format", "markdown"),
    ("allocate", "lessons", "--by", "year", "--format", "json"),
    ("budget",),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_output_is_byte_identical_across_hash_seeds_and_caches(args, tmp_path):
    outputs = set()
    for seed, cache in (("0", "a"), ("1", "b"), ("12345", "a")):  # "a" twice: cold, then warm cache
        result = _run(*args, env={"PYTHONHASHSEED": seed, "SHIWANQIAN_CACHE": str(tmp_path / cache), "COLUMNS": "120"})
        assert result.returncode in (0,), result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_output_does_not_depend_on_the_order_files_are_listed(tmp_path, monkeypatch):
    """Files are read in sorted order; a reversed directory listing must not change anything."""
    from shiwanqian.domain import checks
    from shiwanqian.load import loader

    forward = [f.render() for f in checks.run(loader.load(DATA))]
    real_iterdir = Path.iterdir
    monkeypatch.setattr(Path, "iterdir", lambda self: iter(sorted(real_iterdir(self), reverse=True)))
    backward = [f.render() for f in checks.run(loader.load(DATA))]
    assert forward == backward


def test_read_only_data_folder_works_and_is_never_written(data_copy, tmp_path):
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    for path in [data_copy, *data_copy.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        for args in COMMANDS:
            result = _run(*args, "--data", str(data_copy), env={"SHIWANQIAN_CACHE": str(tmp_path / "c")})
            assert result.returncode == 0, (args, result.stderr)
    finally:
        for path in [data_copy, *data_copy.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    after = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    assert after == before


def test_unwritable_cache_still_answers(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    result = _run("quota", "-d", "攸县", "--format", "json", env={"SHIWANQIAN_CACHE": str(blocked)})
    assert result.returncode == 0 and json.loads(result.stdout)


def test_snapshot_is_rebuilt_when_data_changes_or_cache_is_corrupt(data_copy, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIWANQIAN_CACHE", str(tmp_path / "cache"))
    first = json.loads(cli("quota", "-d", "攸县", "-f", "json", "--data", str(data_copy)).stdout)
    files = list((tmp_path / "cache" / "shiwanqian").glob("snapshot-*.json"))
    assert len(files) == 1
    files[0].write_text("{broken", encoding="utf-8")
    assert json.loads(cli("quota", "-d", "攸县", "-f", "json", "--data", str(data_copy)).stdout) == first
    edit(data_copy / "regions.yaml", "short: [攸]", "short: [攸, 攸州]")
    assert cli("quota", "-d", "攸州", "-f", "json", "--data", str(data_copy)).exit_code == 0


def test_snapshot_is_never_made_from_invalid_data(data_copy, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIWANQIAN_CACHE", str(tmp_path / "cache"))
    edit(data_copy / "quotas" / "lessons.yaml", "高中: 200,", "高中: -200,")
    assert cli("quota", "-d", "攸县", "--data", str(data_copy)).exit_code == 1
    assert not list((tmp_path / "cache").rglob("snapshot-*.json"))


def test_quota_does_not_import_pydantic_models_yaml_or_solver_on_a_warm_cache(tmp_path):
    env = {"SHIWANQIAN_CACHE": str(tmp_path)}
    _run("quota", "-d", "攸县", env=env)  # warm
    probe = (
        "import sys, runpy; sys.argv=['shiwanqian','quota','-d','攸县','-f','json'];\n"
        "try:\n    runpy.run_module('shiwanqian', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('yaml','networkx','ortools','shiwanqian.load.model','openpyxl') if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env={**os.environ, **env}
    )
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_a_warm_quota_imports_only_what_it_uses(tmp_path):
    # A warm table query reads the snapshot and prints: the task selection (dates, units) and
    # the findings of checks stay unimported (issue 22).
    env = {"SHIWANQIAN_CACHE": str(tmp_path)}
    _run("quota", "-d", "攸县", env=env)  # warm
    unused = (
        "shiwanqian.domain.programme.tasks",
        "shiwanqian.domain.programme.dates",
        "shiwanqian.domain.programme.units",
        "shiwanqian.findings",
    )
    probe = (
        "import sys, runpy; sys.argv=['shiwanqian','quota','-d','攸县'];\n"
        "try:\n    runpy.run_module('shiwanqian', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {unused!r} if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env={**os.environ, **env}
    )
    assert "攸县" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_the_exit_statuses_of_common_are_those_of_findings():
    from shiwanqian.cli import common
    from shiwanqian.findings import ExitStatus

    assert (common.USAGE, common.FINDINGS) == (ExitStatus.USAGE, ExitStatus.FINDINGS)


def test_python_module_and_console_script_agree():
    script = shutil.which("shiwanqian", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("console script not installed next to this interpreter")
    a = subprocess.run([script, "plans", "--format", "json"], capture_output=True, text=True, timeout=60)
    b = _run("plans", "--format", "json")
    assert a.stdout == b.stdout and a.returncode == b.returncode == 0


@pytest.mark.parametrize(
    "args",
    [("quota", "-d", "攸县"), ("budget",), ("allocate", "lessons", "--by", "year"), ("schedule", "-y", "2018")],
    ids=lambda a: a[0],
)
def test_queries_refuse_data_that_check_rejects(args, data_copy, tmp_path):
    """A number that no longer adds up is not a schema error, but must still stop every query."""
    edit(data_copy / "quotas" / "lessons.yaml", "{高中: 500, 初中: 450", "{高中: 510, 初中: 450")
    result = _run(*args, "--data", str(data_copy), env={"SHIWANQIAN_CACHE": str(tmp_path / "c")})
    assert result.returncode == 1 and "lessons.yaml" in result.stderr and result.stdout == ""


def test_data_folder_in_the_current_directory_is_used(data_copy, tmp_path):
    edit(data_copy / "quotas" / "lessons.yaml", "region: 攸县\n", "region: 攸悬\n")
    result = _run("check", cwd=data_copy.parent, env={"SHIWANQIAN_CACHE": str(tmp_path / "c")})
    assert result.returncode == 1 and "unknown-region" in result.stdout


def test_table_piped_into_head_exits_0(tmp_path):
    proc = subprocess.run(
        f'"{sys.executable}" -m shiwanqian schedule | head -1',
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        executable="/bin/bash",
        env={**os.environ, "SHIWANQIAN_CACHE": str(tmp_path)},
    )
    status = subprocess.run(
        f'set -o pipefail; "{sys.executable}" -m shiwanqian schedule | head -1',
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        executable="/bin/bash",
        env={**os.environ, "SHIWANQIAN_CACHE": str(tmp_path)},
    )
    assert proc.stdout.strip() and status.returncode == 0, status.stderr
