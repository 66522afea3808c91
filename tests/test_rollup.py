"""`progress --child` (issue 18, 5): the city's report shows each region's figure with the units
of the county programme behind it; the county's own report shows its towns; --fail-under counts
both levels. Sums are checked against the parent's own records, not against the rollup's code."""

from __future__ import annotations

import json
import shutil

from conftest import DATA, REPO, edit

EXAMPLE = REPO / "examples" / "county-youxian"
CHILD = EXAMPLE / "data"
CITY_PROGRESS = REPO / "examples" / "progress"
TOWNS = ["甲镇", "乙镇", "丙乡", "丁乡", "县直学校"]
RENAME = {"学前教育": "幼儿教育"}


def progress(cli, *args: str):
    return cli("progress", "--progress", str(CITY_PROGRESS), "--data", str(DATA), *args)


def test_the_regions_figure_with_its_towns_behind_it(cli):
    result = progress(
        cli,
        "--district",
        "攸县",
        "--as-of",
        "2016-12-31",
        "--plan",
        "lessons",
        "--what",
        "quotas",
        "--child",
        str(EXAMPLE),
    )
    assert result.exit_code == 0, result.output
    own, _, behind = result.output.partition("万节优质课堂教学资源（节）达成度 — 攸县各单位")
    assert "2016   合计        154        154        148" in own
    lines = behind.splitlines()
    for town in TOWNS:
        assert any(line.split()[:2] == [town, "2016"] for line in lines), town
    assert next(line for line in lines if "各单位合计" in line).split()[1:4] == ["2016", "154", "148"]
    assert next(line for line in lines if "攸县（填报数）" in line).split()[1:3] == ["2016", "154"]
    assert "下级工程：攸县十百千万工程（虚构示例）" in behind


def test_the_city_view_lists_the_towns_after_the_regions(cli):
    result = progress(cli, "--as-of", "2016-12-31", "--what", "quotas", "--child", str(EXAMPLE))
    assert result.exit_code == 0
    for title in ("名优特教师工作站（个）达成度 — 攸县各单位", "千名优秀骨干教师（人）达成度 — 攸县各单位"):
        assert title in result.output
    assert result.output.index("达成度 — 各区域合计") < result.output.index("达成度 — 攸县各单位")


def test_the_towns_targets_add_up_to_the_regions_and_their_reports_to_its_report(cli):
    result = progress(cli, "--district", "攸县", "--as-of", "2016-12-31", "--format", "json", "--child", str(EXAMPLE))
    payload = json.loads(result.output)
    (child,) = payload["children"]
    assert child["region"] == "攸县" and child["programme"] == "攸县十百千万工程（虚构示例）"
    units = child["quotas"]
    assert {r["unit"] for r in units} == set(TOWNS)
    parent = {(r["quota"], r["level"], r["year"]): r for r in payload["quotas"]}
    sums: dict[tuple, list[int]] = {}
    for r in units:
        if r["level"] is None and r["quota"] in ("backbone-teachers", "lessons"):
            continue  # by-学段 tables: compare 学段 by 学段
        key = (r["quota"], r["parent_level"], r["year"])
        entry = sums.setdefault(key, [0, 0])
        entry[0] += r["target"] or 0
        entry[1] += r["actual"] or 0
    for key, (target, _) in sums.items():
        assert target == (parent[key]["target"] or 0), key
    # 2016: what the towns reported is what 攸县 reported to the city (the example is built so).
    assert sums["lessons", "小学", 2016] == [35, 30]
    assert sums["lessons", "幼儿教育", 2016] == [9, 9]
    assert sums["workstations", None, 2016] == [1, 1]


def test_without_child_the_report_is_as_before(cli):
    result = progress(cli, "--district", "攸县", "--as-of", "2016-12-31", "--format", "json")
    assert "children" not in json.loads(result.output)
    plain = progress(cli, "--district", "攸县", "--as-of", "2016-12-31").output
    assert "各单位" not in plain


def test_fail_under_counts_the_towns_too(cli):
    args = ["--district", "攸县", "--as-of", "2016-12-31", "--year", "2016"]
    # 攸县's own lowest 2016 figure is 66.7% (特殊教育); 丙乡's 小学 is 4 of 7 (57.1%).
    assert progress(cli, *args, "--fail-under", "60", "--what", "quotas").exit_code == 0
    result = progress(cli, *args, "--fail-under", "60", "--what", "quotas", "--child", str(EXAMPLE))
    assert result.exit_code == 1 and "lessons 攸县·丙乡 小学 2016年：57.1%" in result.output
    assert "lessons 攸县 " not in result.output  # the region itself is above the threshold
    result = progress(cli, *args, "--fail-under", "70", "--what", "quotas", "--child", str(EXAMPLE))
    assert result.exit_code == 1 and "lessons 攸县 特殊教育 2016年：66.7%" in result.output
    assert "lessons 攸县·县直学校 特殊教育 2016年：66.7%" in result.output
    assert progress(cli, *args, "--fail-under", "50", "--what", "quotas", "--child", str(EXAMPLE)).exit_code == 0


def test_the_countys_own_report_shows_its_towns_and_fails_under_at_its_level(cli):
    args = ["progress", "--data", str(CHILD), "--progress", str(EXAMPLE / "progress"), "--as-of", "2016-12-31"]
    result = cli(*args, "--plan", "lessons", "--what", "quotas")
    assert result.exit_code == 0 and "万节优质课堂教学资源（节）达成度 — 各区域合计" in result.output
    for town in TOWNS:
        assert town in result.output
    assert "全市" not in result.output and "全县" in result.output
    result = cli(*args, "--fail-under", "58", "--what", "quotas")
    assert result.exit_code == 1 and "lessons 丙乡 小学 2016年：57.1%" in result.output
    assert cli(*args, "--fail-under", "50", "--what", "quotas").exit_code == 0


def test_a_child_of_another_parent_or_with_errors(cli, tmp_path):
    result = progress(cli, "--child", str(REPO / "examples" / "sample-city-2021-2025"))
    assert result.exit_code == 2 and "不是下级工程" in result.output
    result = cli("progress", "--data", str(REPO / "examples" / "sample-city-2021-2025"), "--child", str(EXAMPLE))
    assert result.exit_code == 2 and "的上级是 ../../../data，不是本数据目录" in result.output
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "county-youxian")
    child = tmp_path / "examples" / "county-youxian"
    edit(child / "data" / "quotas" / "workstations.yaml", "{region: 甲镇, value: 1,", "{region: 甲镇, value: 2,")
    result = cli("progress", "--data", str(tmp_path / "data"), "--child", str(child))
    assert result.exit_code == 1 and "数据有" in result.output and "workstations.yaml" in result.output
