"""City-wide views and clear answers to empty or partial questions."""

from __future__ import annotations

import json

import pytest

REGIONS = [
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


def records(cli, *args: str) -> list[dict]:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ------------------------------------------------------------------ city-wide view


@pytest.mark.parametrize("args", [["--district", "全市"], ["--all"], ["-d", "quanshi"]])
def test_city_wide_view_shows_every_main_table_as_region_by_level(cli, args):
    # 0.1.0: `quota -d 全市` was an unknown region; the region × 学段 table existed only in the workbook.
    result = cli("quota", *args)
    assert result.exit_code == 0, result.output
    out = result.output
    for title in (
        "千名优秀骨干教师（人，名额）— 全市",
        "万节优质课堂教学资源（节，名额）— 全市",
        "名优特教师工作站（个，名额）— 全市",
    ):
        assert title in out
    assert "原文合计" in out and "1000左右" in out and "10000" in out
    assert all(region in out for region in REGIONS)


def test_city_wide_records_add_up_and_carry_the_stated_totals(cli):
    rows = records(cli, "quota", "--all")
    for table, stated, qualifier in (
        ("backbone-teachers", 1000, "左右"),
        ("lessons", 10000, None),
        ("workstations", 25, None),
    ):
        mine = [r for r in rows if r["quota"] == table]
        totals = {r["region"]: r["value"] for r in mine if r["name"] == "合计" and r["region"] != "全市"}
        assert set(totals) == set(REGIONS)
        city = [r for r in mine if r["region"] == "全市" and r["name"] == "合计"]
        assert [(r["value"], r["qualifier"]) for r in city] == [(stated, qualifier)]
        for region in REGIONS:  # the same numbers as the region's own view
            own = [
                r
                for r in records(cli, "quota", "-d", region, "--plan", table)
                if r["quota"] == table and r["kind"] == "target" and r["name"] == "合计"
            ]
            assert [r["value"] for r in own] == [totals[region]]
        levels = [r for r in mine if r["level"] and r["region"] != "全市"]
        if levels:
            assert sum(r["value"] for r in levels) == sum(totals.values())


def test_city_wide_view_of_one_year(cli):
    result = cli("quota", "--all", "--year", "2018", "--plan", "backbone-teachers")
    assert result.exit_code == 0
    assert "千名优秀骨干教师（人，2018年）— 全市" in result.output
    assert "全市（未分解到区域）" in result.output  # 2018年 全市幼儿教育 80 人 …
    gap = cli("quota", "--all", "--year", "2019", "--plan", "backbone-teachers")
    assert "2019 年没有年度安排或分配" in gap.output and "2016、2017、2018" in gap.output


# ------------------------------------------------------------------ plans and table ids


def test_plan_accepts_a_table_id_and_says_which_plan_it_belongs_to(cli):
    # 0.1.0: `--plan workstations` failed although JSON calls the table so.
    result = cli("schedule", "--plan", "workstations")
    assert result.exit_code == 0, result.output
    assert "名额表的编号" in result.output and "leading-teachers" in result.output
    assert "2016年名优特教师工作站建设" in result.output
    quota = records(cli, "quota", "-d", "攸县", "--plan", "workstations")
    assert quota and {r["quota"] for r in quota} == {"workstations"}
    assert cli("agenda", "--as-of", "2016-09-01", "--plan", "workstations").exit_code == 0
    assert cli("timeline", "--plan", "workstations").exit_code == 0
    unknown = cli("schedule", "--plan", "workstation")
    assert unknown.exit_code == 2 and "workstations" in unknown.output


# ------------------------------------------------------------------ empty and partial answers


def test_a_plan_without_quota_tables_says_so(cli):
    # 0.1.0: `quota -d 攸县 --plan young-teachers` printed nothing and exited 0.
    result = cli("quota", "-d", "攸县", "--plan", "young-teachers")
    assert result.exit_code == 0
    assert "计划 young-teachers（青年教师岗位成长援助计划）没有名额表" in result.output
    assert "shiwanqian schedule --plan young-teachers --district 攸县" in result.output


def test_a_year_without_an_entry_says_so_with_the_total_and_the_years_that_have_one(cli):
    # 0.1.0: `quota -d 攸县 -y 2019 --plan backbone-teachers` showed 171 with no word.
    result = cli("quota", "-d", "攸县", "-y", "2019", "--plan", "backbone-teachers")
    assert result.exit_code == 0
    out = result.output
    assert "2019 年没有年度安排或分配" in out and "2016、2017、2018" in out and "171" in out
    assert "2016–2020 年的名额合计" in out
    # A year that has entries gets no such note.
    assert "没有年度安排" not in cli("quota", "-d", "攸县", "-y", "2017", "--plan", "backbone-teachers").output


def test_schedule_and_timeline_say_why_nothing_matched(cli):
    result = cli("schedule", "--unit", "13个高中学科基地", "--exact", "--period", "2019")
    assert result.exit_code == 0
    assert "没有符合条件的任务：单看每个条件都有任务" in result.output
    plan = cli("schedule", "--plan", "leadership")
    assert "计划 leadership 没有任何任务" in plan.output
    json_out = cli("schedule", "--plan", "leadership", "--format", "json")
    assert json.loads(json_out.stdout) == []
    timeline = cli("timeline", "--unit", "13个高中学科基地", "--exact", "--period", "2019")
    assert timeline.exit_code == 0 and "单看每个条件都有任务" in timeline.output


def test_an_empty_calendar_says_why(cli, tmp_path):
    out = tmp_path / "none.ics"
    result = cli("export", "ics", "--out", str(out), "--unit", "13个高中学科基地", "--exact", "--period", "2019")
    assert result.exit_code == 0
    assert "单看每个条件都有任务" in result.output and "日历文件中没有事项" in result.output
    assert b"BEGIN:VCALENDAR" in out.read_bytes()
