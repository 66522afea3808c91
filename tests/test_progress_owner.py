"""A progress folder records the programme it belongs to (issue 23): a second programme started
beside the first one's ./progress is not checked against the first one's reports."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import REPO
from shiwanqian.domain.progress.owner import verdict

EXAMPLES = REPO / "examples" / "progress"
SECOND = [
    "init",
    "新工程",
    "--title",
    "关于实施“名师成长”计划的意见",
    "--issuer",
    "某县教育局",
    "--document",
    "某教发〔2026〕1号",
    "--start",
    "2026",
    "--end",
    "2030",
    "--region",
    "城关镇、东区、直属学校",
    "--level",
    "初中、小学",
]


@pytest.fixture
def office(cli, tmp_path: Path, monkeypatch) -> Path:
    """A working folder with the shipped programme's ./progress (one imported workbook) and a
    second programme started beside it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SHIWANQIAN_PROGRESS", raising=False)
    monkeypatch.delenv("SHIWANQIAN_DATA", raising=False)
    assert cli("export", "template", "--district", "攸县", "--year", "2017", "--out", "攸县-2017.xlsx").exit_code == 0
    wb = load_workbook("攸县-2017.xlsx")
    wb["说明"]["B6"] = dt.date(2017, 12, 31)
    ws = wb["名额完成情况"]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 6).value = ws.cell(r, 5).value
    wb.save("攸县-2017.xlsx")
    imported = cli("progress", "import", "攸县-2017.xlsx")
    assert imported.exit_code == 0, imported.output
    assert cli(*SECOND).exit_code == 0
    return tmp_path


def test_import_records_the_programme(office):
    record = (office / "progress" / "programme.yaml").read_text(encoding="utf-8")
    assert "programme: shiwanqian\ndocument: 株教发〔2016〕4号\nperiod: {start: 2016, end: 2020}\n" in record


def test_import_says_so_once(cli, office):
    again = cli("progress", "import", "攸县-2017.xlsx")
    assert "programme.yaml" not in again.stdout and "无变化" in again.stdout


def test_a_second_programme_ignores_the_first_ones_progress_folder(cli, office):
    check = cli("check", "--data", "新工程")
    assert check.exit_code == 0, check.output
    assert "检查通过：0 个错误，0 个警告（数据目录 新工程）" in check.stdout and "进度目录" not in check.stdout
    assert check.stderr.count("\n") == 1
    assert "progress 属于另一个工程 shiwanqian，已忽略" in check.stderr
    progress = cli("progress", "--data", "新工程", "--format", "json")
    assert progress.exit_code == 0 and "已忽略" in progress.stderr
    # The first programme still reads it, without a word.
    mine = cli("check")
    assert mine.exit_code == 0 and "进度目录 progress" in mine.stdout and mine.stderr == ""


def test_another_programmes_folder_named_explicitly_is_refused(cli, office):
    for args in (
        ["check", "--data", "新工程", "--progress", "progress"],
        ["progress", "--data", "新工程", "--progress", "progress"],
    ):
        result = cli(*args)
        assert result.exit_code == 2, result.output
        message = " ".join(result.stderr.split())
        assert "进度目录 progress 属于另一个工程 shiwanqian（株教发〔2016〕4号，2016–2020年）" in message
        assert "不是当前数据的工程 新工程（某教发〔2026〕1号，2026–2030年）" in message
    env = cli("check", "--data", "新工程", env={"SHIWANQIAN_PROGRESS": "progress"})
    assert env.exit_code == 2


def test_import_never_writes_into_another_programmes_folder(cli, office):
    before = sorted(p.name for p in (office / "progress").iterdir())
    result = cli("progress", "import", "攸县-2017.xlsx", "--data", "新工程")
    assert result.exit_code == 2 and "属于另一个工程" in result.stderr
    assert sorted(p.name for p in (office / "progress").iterdir()) == before


@pytest.fixture
def legacy(tmp_path: Path, monkeypatch) -> Path:
    """examples/progress as ./progress: a folder of an earlier version, with no record."""
    shutil.copytree(EXAMPLES, tmp_path / "progress")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SHIWANQIAN_PROGRESS", raising=False)
    return tmp_path / "progress"


def test_a_folder_of_an_earlier_version_keeps_working(cli, legacy):
    assert not (EXAMPLES / "programme.yaml").exists()  # the examples stay as 0.3.0 wrote such folders
    implicit = cli("check")
    assert implicit.exit_code == 0 and "进度目录 progress" in implicit.stdout
    assert implicit.stderr == "提示：progress 未记录所属工程，按本工程读取（progress adopt 可记下）。\n"
    named = cli("progress", "--progress", str(legacy), "--district", "攸县", "--format", "json")
    assert named.exit_code == 0 and named.stderr == ""
    assert json.loads(named.stdout)["quotas"]


def test_adopt_records_the_programme_of_a_legacy_folder(cli, legacy):
    adopted = cli("progress", "adopt")
    assert adopted.exit_code == 0, adopted.output
    assert "progress/programme.yaml：新建（所属工程 shiwanqian）" in adopted.stdout
    assert cli("check").stderr == ""
    again = cli("progress", "adopt")
    assert again.exit_code == 0 and "没有变化" in again.stdout


def test_adopt_refuses_a_folder_with_errors(cli, legacy):
    (legacy / "bad.yaml").write_text(
        "id: bad\nreporter: x\nas_of: 2017-12-31\nevidence: y\nquotas:\n  - {quota: lesson, region: 攸县, year: 2017, achieved: 1}\n",
        encoding="utf-8",
    )
    result = cli("progress", "adopt")
    assert result.exit_code == 1 and "unknown-quota" in result.stderr
    assert not (legacy / "programme.yaml").exists()


def test_a_broken_record_is_an_error_with_its_line(cli, legacy):
    (legacy / "programme.yaml").write_text(
        "programme: shiwanqian\ndocument: 株教发〔2016〕4号\nperiod: 2016\n", "utf-8"
    )
    result = cli("check", "--format", "json")
    assert result.exit_code == 1
    found = [(Path(f["file"]).name, f["line"]) for f in json.loads(result.stdout) if f["severity"] == "error"]
    assert found == [("programme.yaml", 3)]


def test_the_record_is_not_read_as_a_report(legacy):
    from shiwanqian.load.progress import load_progress

    (legacy / "programme.yaml").write_text(
        "programme: shiwanqian\ndocument: 株教发〔2016〕4号\nperiod: {start: 2016, end: 2020}\n", "utf-8"
    )
    loaded = load_progress(legacy)
    assert loaded.problems == [] and len(loaded.reports) == len(list(EXAMPLES.glob("*.yaml")))


IDENTITY = {"programme": "shiwanqian", "document": "株教发〔2016〕4号", "period": [2016, 2020], "title": "旧标题"}


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        (None, "legacy"),
        (IDENTITY, "belongs"),
        ({**IDENTITY, "title": "改过的标题"}, "belongs"),  # the title is for people
        ({**IDENTITY, "programme": "新工程"}, "foreign"),
        ({**IDENTITY, "document": "株教发〔2021〕1号"}, "foreign"),
        ({**IDENTITY, "period": [2021, 2025]}, "foreign"),  # the next five years
    ],
)
def test_the_verdict(owner, expected):
    assert verdict(owner, IDENTITY) == expected
