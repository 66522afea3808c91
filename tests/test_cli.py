"""The commands, their formats, filters, names and exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest

from conftest import DATA, edit
from shiwanqian.cli import app

ALL_REGIONS = [
    "炎陵县",
    "茶陵县",
    "攸县",
    "醴陵市",
    "株洲县",
    "荷塘区",
    "芦淞区",
    "天元区",
    "石峰区",
    "云龙示范区",
    "直属学校",
]


def test_every_command_has_chinese_help(cli):
    result = cli("--help")
    assert result.exit_code == 0
    for name in ("check", "quota", "schedule", "plans"):
        assert name in result.output
        sub = cli(name, "--help")
        assert sub.exit_code == 0
        assert "示例" in sub.output and re.search(r"[\u4e00-\u9fff]{4}", sub.output)


def test_check_passes_on_shipped_data_and_lists_warnings(cli):
    result = cli("check", "--verbose")
    assert result.exit_code == 0
    assert "检查通过：0 个错误，14 个警告" in result.output
    assert "workstations.yaml" in result.output and "附件11" in result.output


def test_check_strict_fails_on_acknowledged_warnings(cli):
    assert cli("check", "--strict").exit_code == 1


def test_check_json_is_a_list_of_findings(cli):
    result = cli("check", "--format", "json")
    data = json.loads(result.output)
    assert len(data) == 14
    assert set(data[0]) >= {"severity", "code", "message", "file", "line", "column", "source"}
    assert {d["severity"] for d in data} == {"warning"}


def test_check_github_annotations(cli, data_copy):
    edit(data_copy / "quotas" / "lessons.yaml", "    total: 1545\n", "    total: 1546\n")
    result = cli("check", "--format", "github", "--data", str(data_copy))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("::error ")]
    titles = sorted(re.search(r"title=([^:]+)::", e).group(1) for e in errors)
    assert titles == ["quote-mismatch", "row-total-mismatch", "total-mismatch"]
    assert all("lessons.yaml,line=" in e for e in errors)
    assert sum(line.startswith("::warning ") for line in result.output.splitlines()) == 14


def test_data_option_and_environment_variable(cli, data_copy):
    edit(data_copy / "quotas" / "lessons.yaml", "    total: 1545\n", "    total: 1546\n")
    assert cli("check", "--data", str(data_copy)).exit_code == 1
    assert cli("check", env={"SHIWANQIAN_DATA": str(data_copy)}).exit_code == 1
    assert cli("check", "--data", str(data_copy / "nope")).exit_code == 2


def test_queries_on_broken_data_exit_1_with_located_errors(cli, data_copy):
    line = edit(data_copy / "quotas" / "lessons.yaml", "高中: 200,", "高中: -200,")
    result = cli("quota", "-d", "攸县", "--data", str(data_copy))
    assert result.exit_code == 1
    assert f"lessons.yaml:{line}:" in result.output


@pytest.mark.parametrize("region", ALL_REGIONS)
def test_quota_table_for_every_region(cli, region):
    result = cli("quota", "--district", region)
    assert result.exit_code == 0
    assert f"千名优秀骨干教师（人）— {region}" in result.output
    assert f"万节优质课堂教学资源（节）— {region}" in result.output


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("攸县", "攸县"),
        ("youxian", "攸县"),
        ("YouXian", "攸县"),
        ("醴陵", "醴陵市"),
        ("liling", "醴陵市"),
        ("云龙", "云龙示范区"),
        ("直属", "直属学校"),
        ("市直", "直属学校"),
        ("渌口区", "株洲县"),
        ("渌口", "株洲县"),
        ("lukou", "株洲县"),
        ("炎陵", "炎陵县"),
        ("茶陵", "茶陵县"),
        ("荷塘", "荷塘区"),
        ("芦淞", "芦淞区"),
        ("天元", "天元区"),
        ("石峰", "石峰区"),
        ("株洲县", "株洲县"),
        ("ｙｏｕｘｉａｎ", "攸县"),
    ],
)
def test_region_names_and_aliases(cli, typed, region):
    result = cli("quota", "--district", typed, "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert {r["region"] for r in records} - {"全市"} == {region}


def test_historical_name_says_so(cli):
    result = cli("quota", "--district", "渌口区")
    assert "渌口区即原株洲县" in result.output


def test_unknown_district_exits_2_with_suggestion(cli):
    result = cli("quota", "--district", "油县")
    assert result.exit_code == 2
    assert "您是不是要找" in result.output and "攸县" in result.output


def test_quota_json_records_are_flat_and_complete(cli):
    records = json.loads(cli("quota", "--district", "攸县", "--format", "json").stdout)
    keys = {"quota", "title", "region", "level", "year", "kind", "value", "unit", "source"}
    assert all(keys <= set(r) for r in records)
    lessons = {r["level"]: r["value"] for r in records if r["quota"] == "lessons" and r["kind"] == "target"}
    assert lessons == {
        "高中": 500,
        "初中": 450,
        "小学": 350,
        "幼儿教育": 95,
        "职业教育": 120,
        "特殊教育": 30,
        None: 1545,
    }
    schedule = {
        (r["year"], r["level"]): r["value"]
        for r in records
        if r["quota"] == "backbone-teachers" and r["kind"] == "schedule" and r["region"] == "攸县"
    }
    assert schedule == {(2016, "高中"): 30, (2017, "小学"): 60, (2017, "初中"): 60}
    other = {r["quota"] for r in records if r["kind"] == "target"}
    assert {"base-schools", "network-college", "it-completion"} <= other


def test_quota_csv(cli):
    out = cli("quota", "--district", "醴陵", "--plan", "leading-teachers", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    built = {r["year"]: r["value"] for r in rows if r["kind"] == "schedule"}
    assert built == {"2016": "1", "2017": "2", "2018": "1"}


def test_quota_year_filter(cli):
    records = json.loads(cli("quota", "-d", "攸县", "--year", "2017", "--format", "json").stdout)
    assert {r["year"] for r in records} <= {None, 2017}
    assert any(r["year"] == 2017 and r["kind"] == "schedule" for r in records)


def test_quota_markdown(cli):
    out = cli("quota", "-d", "攸县", "--format", "markdown").stdout
    assert "### 千名优秀骨干教师（人）— 攸县" in out and "| 名额 | 30 | 60 | 60 | 10 | 9 | 2 | 171 |" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("quota", "-d", "攸县", "--year", "2025"), "不在工程期"),
        (("quota", "-d", "攸县", "--plan", "lesson"), "您是不是要找"),
        (("schedule", "--unit", "市教师培训中"), "您是不是要找"),
        (("quota", "-d", "攸县", "--format", "xml"), ""),
    ],
)
def test_usage_errors_exit_2(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.output


def _schedule(cli, *args):
    return json.loads(cli("schedule", *args, "--format", "json").stdout)


def test_schedule_year_includes_recurring_items(cli):
    tasks = _schedule(cli, "--year", "2018")
    names = {t["name"] for t in tasks}
    assert "青年教师系列培训班" in names  # 2016-2020年，每年一轮
    assert "青年教师比武大赛" in names  # 2018年5月
    assert "空间评选" in names and "微课评选" not in names
    assert all(2018 in t["years"] for t in tasks)


def test_schedule_lists_every_task_of_the_document(cli, catalog):
    everything = _schedule(cli)
    assert len(everything) == sum(len(p.model.tasks) for p in catalog.plans)
    source = catalog.source_text
    # Every 实施时间 of the document is one task of kind 工作安排.
    assert source.count("实施时间：") == sum(t["category"] == "工作安排" for t in everything) == 58
    for task in everything:
        if task["category"] == "工作安排":
            assert f"实施时间：{task['when']}" in source


def test_schedule_by_unit(cli):
    tasks = _schedule(cli, "--unit", "市教师培训中心", "--exact")
    assert tasks and all("市教师培训中心" in t["units"] for t in tasks)
    assert len(_schedule(cli, "--unit", "培训中心", "--exact")) == len(tasks)  # alias
    shared = _schedule(cli, "--unit", "市教师培训中心")
    assert [t for t in shared if t["share"] == "own"] == tasks


def test_schedule_by_district(cli):
    youxian = _schedule(cli, "--district", "攸县")
    names = [t["name"] for t in youxian]
    assert "教师适岗培训" in names  # 县市区教育局
    assert "空间评选" not in names  # 市装备所 only
    assert "2016年名优特教师工作站建设" in names  # 攸县 is listed in 2016
    lusong = [t["name"] for t in _schedule(cli, "--district", "芦淞区")]
    assert "2016年名优特教师工作站建设" not in lusong and "2017年名优特教师工作站建设" in lusong
    direct = [t["name"] for t in _schedule(cli, "--district", "直属学校")]
    assert "教师适岗培训" not in direct and "2016年名优特教师工作站建设" in direct


def test_schedule_filters_combine_and_are_in_time_order(cli):
    tasks = _schedule(cli, "--year", "2017", "--district", "醴陵", "--plan", "leading-teachers")
    assert next(t["name"] for t in tasks) == "2017年名优特教师工作站建设"
    all_tasks = _schedule(cli)
    firsts = [t["years"][0] for t in all_tasks]
    assert firsts == sorted(firsts)


def test_schedule_table_and_csv(cli):
    table = cli("schedule", "--year", "2019")
    assert table.exit_code == 0 and "任务表（2019年）" in table.output
    rows = list(csv.DictReader(io.StringIO(cli("schedule", "--year", "2019", "--format", "csv").stdout)))
    assert rows and set(rows[0]) >= {
        "plan",
        "item",
        "name",
        "when",
        "years",
        "months",
        "requirement",
        "units",
        "source",
    }


def test_plans(cli):
    data = json.loads(cli("plans", "--format", "json").stdout)
    assert len(data) == 15
    assert [d["category"] for d in data].count("支持计划") == 10
    assert cli("plans").exit_code == 0


def test_output_is_deterministic(cli):
    assert cli("schedule").stdout == cli("schedule").stdout
    assert cli("check", "--format", "json").stdout == cli("check", "--format", "json").stdout


def test_installed_entry_point_runs_as_module(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "shiwanqian", "quota", "--district", "攸县", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert any(r["value"] == 1545 for r in json.loads(result.stdout))
    assert "Traceback" not in result.stderr


def test_app_is_a_typer_app():
    assert app.info.name == "shiwanqian"
    assert DATA.is_dir()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["quota", "-d", "攸县", "--format", "xml"],
            "选项 --format 的值无效：“xml”不是可选的值，可选：table、json、csv、markdown",
        ),
        (["schedule", "--year", "abc"], "选项 --year 的值无效：应为整数"),
        (["quotaa"], "没有命令“quotaa”；您是不是要找：quota？"),
        (["quota", "-d", "攸县", "--bogus"], "没有选项 --bogus"),
        (["check", "extra"], "多余的参数：extra"),
        (["quota", "-d"], "选项 -d 后面需要一个值"),
        (["check", "--data", "/etc/passwd"], "是一个文件，这里需要的是目录"),
    ],
)
def test_usage_errors_are_in_chinese(args, expected):
    result = subprocess.run([sys.executable, "-m", "shiwanqian", *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert expected in result.stderr and "--help" in result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


@pytest.mark.parametrize("columns", ["80", "120"])
def test_plans_table_keeps_ids_and_periods_whole(cli, columns):
    # Users copy plan and table ids from this table into --plan: a folded id is a wrong id.
    plans = json.loads(cli("plans", "--format", "json").output)
    table = cli("plans", env={"COLUMNS": columns}).output
    words = set(table.split())
    for plan in plans:
        assert plan["plan"] in words, (columns, plan["plan"])
        assert plan["period"] is None or plan["period"] in words
        for quota in plan["quotas"]:
            assert quota in table.replace("、", " ").split() or quota in table
    assert max(len(line) for line in table.splitlines()) <= int(columns) + 2  # CJK: cells, not chars


def test_plans_table_leaves_out_optional_columns_only_when_narrow(cli):
    wide = cli("plans", env={"COLUMNS": "160"}).output
    narrow = cli("plans", env={"COLUMNS": "80"}).output
    assert "数字条数" in wide and "正文" in wide
    assert "数字条数" not in narrow.splitlines()[2] and "编号" in narrow
