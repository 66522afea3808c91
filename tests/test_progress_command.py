"""`shiwanqian progress`: 达成度 from the fictional example reports, tasks due, ranking, exit codes."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import ROUND_HALF_UP, Decimal

import pytest

from conftest import DATA, REPO

EXAMPLES = REPO / "examples" / "progress"
QUOTA_KEYS = [
    "quota",
    "region",
    "level",
    "year",
    "target",
    "cumulative_target",
    "actual",
    "cumulative_actual",
    "rate",
    "status",
]
TASK_KEYS = ["plan", "item", "name", "year", "due", "status", "units"]


def run_json(cli, *args: str) -> dict:
    result = cli("progress", "--progress", str(EXAMPLES), *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def pick(records, **match):
    hits = [r for r in records if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1, (match, hits)
    return hits[0]


def test_records_carry_exactly_the_documented_keys(cli):
    report = run_json(cli, "--district", "攸县", "--as-of", "2017-12-31")
    assert report["quotas"] and report["tasks"]
    assert all(list(r) == QUOTA_KEYS for r in report["quotas"])
    assert all(list(r) == TASK_KEYS for r in report["tasks"])


# What examples/progress says 攸县 built of the lessons table (高中 … 特殊教育).
REPORTED = {2016: [50, 45, 30, 9, 12, 2], 2017: [125, 113, 80, 24, 30, 8]}


@pytest.fixture(scope="module")
def lesson_targets():
    """攸县's yearly lessons targets: the controlled-rounding allocation, computed independently."""
    from shiwanqian.domain.allocation.cache import allocation
    from shiwanqian.domain.allocation.records import allocation_problem
    from shiwanqian.load.loader import load

    # Solved afresh: a module fixture is set up before the per-test private cache is in place.
    table = next(loc.model for loc in load(DATA).quotas if loc.model.id == "lessons")
    values = allocation(allocation_problem(table), "controlled", use_cache=False).values
    levels = ["高中", "初中", "小学", "幼儿教育", "职业教育", "特殊教育"]
    return {year: [values["攸县", lv, year] for lv in levels] for year in (2016, 2017)}


def expected_total(lesson_targets, year: int) -> dict:
    target, actual = sum(lesson_targets[year]), sum(REPORTED[year])
    cumulative_target = sum(sum(lesson_targets[y]) for y in lesson_targets if y <= year)
    cumulative_actual = sum(sum(REPORTED[y]) for y in REPORTED if y <= year)
    rate = float((Decimal(actual) * 100 / Decimal(target)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    status = "超额" if actual > target else "达成" if actual == target else "滞后"
    return {
        "quota": "lessons",
        "region": "攸县",
        "level": None,
        "year": year,
        "target": target,
        "cumulative_target": cumulative_target,
        "actual": actual,
        "cumulative_actual": cumulative_actual,
        "rate": rate,
        "status": status,
    }


def markdown_row(record: dict, first: str) -> str:
    """The Markdown table row of a region's record (``first``: its 学段 or 合计)."""
    rate = "—" if record["rate"] is None else f"{record['rate']:.1f}%"
    return (
        f"| {record['year']} | {first} | {record['target']} | {record['cumulative_target']} | {record['actual']} | "
        f"{record['cumulative_actual']} | {rate} | {record['status']} |"
    )


def test_rates_statuses_and_cumulative_figures(cli, lesson_targets):
    quotas = run_json(cli, "--district", "攸县", "--as-of", "2017-12-31")["quotas"]
    table = cli(
        "progress", "--progress", str(EXAMPLES), "--district", "攸县", "--as-of", "2017-12-31", "--format", "markdown"
    ).stdout
    for year in (2016, 2017):
        # The region's 合计 is a row of the table, not a JSON record; it sums the 学段 records.
        total = expected_total(lesson_targets, year)
        assert markdown_row(total, "合计") in table
        levels = [r for r in quotas if r["quota"] == "lessons" and r["year"] == year]
        assert (
            sum(r["target"] for r in levels) == total["target"] and sum(r["actual"] for r in levels) == total["actual"]
        )
        for level, target, actual in zip(
            ["高中", "初中", "小学", "幼儿教育", "职业教育", "特殊教育"], lesson_targets[year], REPORTED[year]
        ):
            record = pick(quotas, quota="lessons", level=level, year=year)
            assert (record["target"], record["actual"]) == (target, actual)
            assert record["status"] == ("超额" if actual > target else "达成" if actual == target else "滞后")
    assert pick(quotas, quota="lessons", level="特殊教育", year=2016)["rate"] == 66.7  # 2 of 3
    assert pick(quotas, quota="lessons", level="高中", year=2016)["rate"] == 100.0
    # Document schedules: 攸县 owes 30 高中 backbone teachers in 2016, 60 初中 and 60 小学 in 2017.
    assert (
        markdown_row(
            {
                "year": 2017,
                "target": 120,
                "cumulative_target": 150,
                "actual": 115,
                "cumulative_actual": 145,
                "rate": 95.8,
                "status": "滞后",
            },
            "合计",
        )
        in table
    )
    assert pick(quotas, quota="workstations", year=2016)["status"] == "达成"
    # The year-end report supersedes the mid-year one: 60, not 20.
    assert pick(quotas, quota="backbone-teachers", level="小学", year=2017)["actual"] == 60
    # Target 0 and nothing reported: no rate, nothing due.
    high = pick(quotas, quota="backbone-teachers", level="高中", year=2017)
    assert (high["target"], high["rate"], high["status"]) == (0, None, "—")


def test_json_and_csv_hold_no_total_pseudo_records(cli):
    # Every quota record is one cell owed and reported: a by-学段 table has no level-null 合计
    # record (totals belong to the table view); a table without 学段 keeps its one record.
    report = run_json(cli, "--as-of", "2017-12-31")
    by_level = {"lessons", "backbone-teachers"}
    assert report["quotas"] and all(r["level"] is not None for r in report["quotas"] if r["quota"] in by_level)
    assert any(r["level"] is None for r in report["quotas"] if r["quota"] == "workstations")
    rows = list(
        csv.DictReader(
            io.StringIO(cli("progress", "--progress", str(EXAMPLES), "--as-of", "2017-12-31", "--format", "csv").stdout)
        )
    )
    assert len(rows) == len(report["quotas"])
    assert all(r["level"] for r in rows if r["quota"] in by_level)
    assert (
        "合计"
        in cli(
            "progress",
            "--progress",
            str(EXAMPLES),
            "--district",
            "攸县",
            "--as-of",
            "2017-12-31",
            "--format",
            "markdown",
        ).stdout
    )


def test_as_of_a_mid_year_date_counts_only_reports_made_by_then(cli):
    quotas = run_json(cli, "--district", "攸县", "--as-of", "2017-06-30")["quotas"]
    primary = pick(quotas, quota="backbone-teachers", level="小学", year=2017)
    assert (primary["actual"], primary["rate"], primary["status"]) == (20, 33.3, "进行中")
    lessons = pick(quotas, quota="lessons", level="高中", year=2017)
    assert (lessons["actual"], lessons["cumulative_actual"]) == (60, 110)


def test_a_city_wide_figure_has_no_regional_target(cli):
    quotas = run_json(cli, "--district", "攸县", "--year", "2018", "--as-of", "2018-12-31")["quotas"]
    kindergarten = pick(quotas, quota="backbone-teachers", level="幼儿教育", year=2018)
    assert kindergarten["target"] is None and kindergarten["rate"] is None


def test_tasks_due_by_the_as_of_date_with_their_status(cli):
    tasks = run_json(cli, "--district", "茶陵县", "--plan", "leading-teachers", "--as-of", "2016-12-31")["tasks"]
    assert [(t["item"], t["year"], t["due"], t["status"]) for t in tasks] == [("1", 2016, "2016-09-30", "未开展")]
    tasks = run_json(cli, "--district", "茶陵县", "--plan", "leading-teachers", "--as-of", "2016-09-29")["tasks"]
    assert tasks == []  # not due yet
    # The whole city: city-level reports, else the regions' reports combined.
    tasks = run_json(cli, "--plan", "leading-teachers", "--as-of", "2016-12-31")["tasks"]
    assert {t["item"]: t["status"] for t in tasks} == {"1": "部分完成", "4": "完成", "5": "完成"}


def test_unit_selects_that_units_tasks_only(cli):
    report = run_json(cli, "--unit", "市教师培训中心", "--as-of", "2016-12-31")
    assert report["quotas"] == [] and report["tasks"]
    assert all("市教师培训中心" in t["units"] for t in report["tasks"])


def test_ranking_of_regions_for_a_year(cli):
    ranking = run_json(cli, "--year", "2016", "--as-of", "2016-12-31")["ranking"]
    assert ranking["year"] == 2016
    ranked = [(r["rank"], r["region"]) for r in ranking["rows"] if r["rank"] is not None]
    assert [region for _, region in ranked] == ["醴陵市", "攸县", "茶陵县"]
    assert ranking["rows"][0]["rates"]["workstations"] == 100.0
    rates = [r["rate"] for r in ranking["rows"] if r["rank"] is not None]
    assert rates == sorted(rates, reverse=True)


@pytest.mark.parametrize(("threshold", "status"), [("60", 0), ("66.7", 0), ("66.8", 1), ("95", 1)])
def test_fail_under_exit_codes(cli, threshold, status):
    result = cli(
        "progress",
        "--progress",
        str(EXAMPLES),
        "--district",
        "攸县",
        "--as-of",
        "2017-12-31",
        "--fail-under",
        threshold,
    )
    assert result.exit_code == status, result.output
    if status:
        assert "lessons 攸县 特殊教育 2016年：66.7%" in result.stderr


def test_fail_under_counts_an_unreported_target(cli):
    result = cli(
        "progress", "--progress", str(EXAMPLES), "--district", "荷塘区", "--as-of", "2016-12-31", "--fail-under", "1"
    )
    assert result.exit_code == 1 and "未填报" in result.stderr


def test_csv_and_markdown(cli, lesson_targets):
    result = cli(
        "progress", "--progress", str(EXAMPLES), "--district", "攸县", "--as-of", "2017-12-31", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == QUOTA_KEYS
    result = cli(
        "progress",
        "--progress",
        str(EXAMPLES),
        "--district",
        "攸县",
        "--as-of",
        "2017-12-31",
        "--format",
        "csv",
        "--what",
        "tasks",
    )
    assert list(csv.DictReader(io.StringIO(result.stdout)).fieldnames) == TASK_KEYS
    result = cli(
        "progress", "--progress", str(EXAMPLES), "--district", "攸县", "--as-of", "2017-12-31", "--format", "markdown"
    )
    total = expected_total(lesson_targets, 2017)
    assert (total["actual"], total["cumulative_actual"]) == (380, 528)
    assert markdown_row(total, "合计") in result.stdout


def test_the_table_shows_rates_and_overdue_tasks(cli):
    result = cli("progress", "--progress", str(EXAMPLES), "--district", "茶陵县", "--as-of", "2016-12-31")
    assert result.exit_code == 0
    assert "未开展（逾期）" in result.stdout and "2016年达成度排名" in result.stdout


def test_progress_refuses_broken_reports(cli, tmp_path):
    folder = tmp_path / "progress"
    shutil.copytree(EXAMPLES, folder)
    (folder / "x.yaml").write_text(
        "id: x\nreporter: r\nas_of: 2016-12-31\nevidence: e\n"
        "quotas:\n  - {quota: lessons, region: 攸線, level: 高中, year: 2016, achieved: 1}\n",
        encoding="utf-8",
    )
    result = cli("progress", "--progress", str(folder))
    assert result.exit_code == 1
    assert "x.yaml:6:" in result.stderr and "攸線" in result.stderr


def test_usage_errors(cli):
    assert cli("progress", "--progress", str(EXAMPLES), "--as-of", "2017-13-01").exit_code == 2
    assert cli("progress", "--progress", str(EXAMPLES), "--district", "火星").exit_code == 2
    assert (
        cli("progress", "--progress", str(EXAMPLES), "--format", "csv", "--what", "tasks", "--what", "quotas").exit_code
        == 2
    )
