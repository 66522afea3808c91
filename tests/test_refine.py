"""A county's programme under the city's (issue 18): the fictional example child
examples/county-youxian of the shipped data, held to the parent's numbers by ``check``, and
broken on purpose in each way the check must see.

The example and its parent are copied together (keeping ``parent.data: ../../../data`` valid),
so a test may change either side."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import DATA, REPO, edit

EXAMPLE = REPO / "examples" / "county-youxian"
CHILD = EXAMPLE / "data"
TOWNS = ["甲镇", "乙镇", "丙乡", "丁乡", "县直学校"]


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """(parent, child) copies laid out as in the repository."""
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "county-youxian")
    return tmp_path / "data", tmp_path / "examples" / "county-youxian" / "data"


def check(cli, data: Path, *args: str) -> tuple[int, list[dict]]:
    result = cli("check", "--format", "json", "--data", str(data), *args)
    return result.exit_code, json.loads(result.output)


def errors(found: list[dict]) -> list[dict]:
    return [f for f in found if f["severity"] == "error"]


def line_of(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def change_everywhere(child: Path, old: str, new: str) -> None:
    """The same change (its first occurrence in each file) in the data and in the county's
    document, so that quotations still hold."""
    for path in [child / "source.txt", *child.glob("quotas/*.yaml")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ------------------------------------------------------------------ the example as shipped


def test_the_example_child_passes_check(cli):
    result = cli("check", "--data", str(CHILD))
    assert result.exit_code == 0, result.output
    assert "检查通过：0 个错误，0 个警告" in result.output


def test_the_example_is_marked_fictional_and_refines_every_main_table():
    from shiwanqian.load import loader

    text = (CHILD / "source.txt").read_text(encoding="utf-8")
    assert "虚构" in text and "虚构" in (EXAMPLE / "README.md").read_text(encoding="utf-8")
    for path in [*CHILD.rglob("*.yaml"), *(EXAMPLE / "progress").glob("*.yaml")]:
        assert "虚构示例" in path.read_text(encoding="utf-8"), path
    catalog = loader.load(CHILD)
    programme = catalog.programme_model
    assert programme.parent is not None and programme.parent.region == "攸县"
    assert programme.vocabulary.area == "全县"
    assert [r.name for r in catalog.regions_model.regions] == TOWNS
    assert {q.model.id: q.model.refines.table for q in catalog.quotas if q.model.refines} == {
        "workstations": "workstations",
        "backbone-teachers": "backbone-teachers",
        "lessons": "lessons",
    }


def test_the_childs_sums_are_the_parents_numbers():
    # Independent of the check: add the example's numbers up here and compare with the shipped
    # data's 攸县 row, 学段 by 学段 (学前教育 is the parent's 幼儿教育).
    from shiwanqian.load import loader

    parent = {q.model.id: q.model for q in loader.load(DATA).quotas}
    child = {q.model.id: q.model for q in loader.load(CHILD).quotas}
    rename = {"学前教育": "幼儿教育"}
    for tid in ("backbone-teachers", "lessons"):
        sums: dict[str, int] = {}
        for row in child[tid].rows:
            for level, value in (row.values or {}).items():
                sums[rename.get(level, level)] = sums.get(rename.get(level, level), 0) + value
        (youxian,) = [r for r in parent[tid].rows if r.region == "攸县"]
        assert sums == dict(youxian.values)
    assert sum(r.value or 0 for r in child["workstations"].rows) == 3


def test_the_parent_with_its_child_passes_check(cli):
    result = cli("check", "--child", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "检查通过：0 个错误，14 个警告（数据目录" in result.output and "下级工程 1 个" in result.output


# ------------------------------------------------------------------ broken on purpose


def test_one_towns_number_changed_is_an_error_quoting_the_parent(cli, pair):
    _, child = pair
    table = child / "quotas" / "backbone-teachers.yaml"
    edit(
        table,
        "values: {高中: 8, 初中: 18, 小学: 17, 学前教育: 3}",
        "values: {高中: 8, 初中: 19, 小学: 17, 学前教育: 3}",
    )
    status, found = check(cli, child)
    assert status == 1
    (sum_error,) = [f for f in found if f["code"] == "refine-sum"]
    assert Path(sum_error["file"]).name == "backbone-teachers.yaml"
    assert sum_error["line"] == line_of(table, "  - region: 甲镇")
    message = sum_error["message"]
    assert "初中：各区域之和为 61" in message and "甲镇 19" in message
    assert "分给攸县的是 60（株教发〔2016〕4号 附件12 二（二）3" in message


def test_a_consistent_change_in_the_county_still_breaks_the_parents_sum(cli, pair):
    # The county's own document, table total and schedule all say 19 (so its own check is
    # clean): only the parent's 60 is missed, in the 学段's total and in its year.
    _, child = pair
    change_everywhere(
        child, "初中18人、小学17人、学前教育3人。合计46人。", "初中19人、小学17人、学前教育3人。合计47人。"
    )
    change_everywhere(child, "初中骨干教师60人（甲镇18人", "初中骨干教师61人（甲镇19人")
    change_everywhere(child, "市下达我县骨干教师171人", "市下达我县骨干教师172人")
    table = child / "quotas" / "backbone-teachers.yaml"
    edit(
        table,
        "values: {高中: 8, 初中: 18, 小学: 17, 学前教育: 3}\n    total: 46",
        "values: {高中: 8, 初中: 19, 小学: 17, 学前教育: 3}\n    total: 47",
    )
    edit(table, "total: 60\n        regions: {甲镇: 18,", "total: 61\n        regions: {甲镇: 19,")
    edit(table, "total: {value: 171,", "total: {value: 172,")
    status, found = check(cli, child)
    assert status == 1
    assert sorted(f["code"] for f in errors(found)) == ["refine-sum", "refine-yearly"], errors(found)
    yearly = next(f for f in found if f["code"] == "refine-yearly")
    assert "2017年初中：各区域之和为 61" in yearly["message"] and "附件12 四 2" in yearly["message"]
    assert yearly["line"] == line_of(table, "  - year: 2017") and Path(yearly["file"]).name == "backbone-teachers.yaml"


def test_a_years_split_that_misses_the_parents_allocation(cli, pair):
    _, child = pair
    change_everywhere(child, "高中甲镇13节、县直学校37节", "高中甲镇14节、县直学校37节")
    change_everywhere(child, "regions: {甲镇: 13, 县直学校: 37}", "regions: {甲镇: 14, 县直学校: 37}")
    change_everywhere(child, "高中甲镇33节、县直学校92节", "高中甲镇32节、县直学校92节")  # 2017 (2018 is alike)
    change_everywhere(child, "regions: {甲镇: 33, 县直学校: 92}", "regions: {甲镇: 32, 县直学校: 92}")
    lessons = child / "quotas" / "lessons.yaml"
    status, found = check(cli, child)
    assert status == 1
    assert [(f["code"], f["line"]) for f in errors(found)] == [
        ("refine-yearly", line_of(lessons, "  - year: 2016")),
        ("refine-yearly", line_of(lessons, "  - year: 2017")),
    ]
    first = errors(found)[0]["message"]
    assert "2016年高中：各区域之和为 51（甲镇 14、县直学校 37）" in first
    assert "给攸县的是 50（株教发〔2016〕4号 附件13 四 2，按年度比例受控取整的年度分配）" in first


def test_a_changed_parent_number_breaks_the_child(cli, pair):
    parent, child = pair
    edit(
        parent / "quotas" / "workstations.yaml",
        "{region: 攸县, value: 3, text: 攸县建3个",
        "{region: 攸县, value: 4, text: 攸县建4个",
    )
    shutil.copy(parent / "source.txt", parent / "source.txt.bak")
    text = (parent / "source.txt").read_text(encoding="utf-8").replace("攸县建3个", "攸县建4个")
    (parent / "source.txt").write_text(text, encoding="utf-8")
    _, found = check(cli, child)
    codes = {f["code"] for f in errors(found)}
    # The parent's own check fails (its table total is 25): the child says it cannot be checked.
    assert codes == {"refine-parent"}
    assert "上级数据目录 ../../../data 有" in errors(found)[0]["message"]


def test_periods_that_disagree(cli, pair):
    _, child = pair
    line = edit(child / "programme.yaml", "period: {start: 2016, end: 2020}", "period: {start: 2016, end: 2021}")
    _, found = check(cli, child)
    (problem,) = [f for f in errors(found) if f["code"] == "refine-period"]
    assert problem["line"] == line and "上级工程（十百千万工程）的计划期 2016–2020" in problem["message"]


@pytest.mark.parametrize(
    ("old", "new", "code", "words"),
    [
        (
            "refines: {table: workstations}",
            "refines: {table: workstation}",
            "refine-unknown-table",
            "您是不是要找：workstations",
        ),
        (
            "refines: {table: workstations}",
            "refines: {table: it-completion}",
            "refine-unknown-table",
            "没有分给攸县的名额",
        ),
    ],
)
def test_a_table_that_refines_nothing_of_the_parent(cli, pair, old, new, code, words):
    _, child = pair
    line = edit(child / "quotas" / "workstations.yaml", old, new)
    _, found = check(cli, child)
    (problem,) = errors(found)
    assert (problem["code"], problem["line"]) == (code, line) and words in problem["message"]


def test_a_level_the_parent_does_not_have(cli, pair):
    _, child = pair
    line = edit(child / "quotas" / "lessons.yaml", "levels: {学前教育: 幼儿教育}", "levels: {学前教育: 幼教}")
    _, found = check(cli, child)
    codes = [(f["code"], f["line"]) for f in errors(found)]
    assert ("refine-unknown-level", line) in codes
    assert "refine-sum" in {c for c, _ in codes}  # 学前教育 now has no parent figure: 95 is missed too


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("data: ../../../data", "data: ../../../no-such-folder", "上级数据目录 ../../../no-such-folder 不存在"),
        ("data: ../../../data", "data: ../../county-youxian/progress", "不是数据目录"),
        ("region: 攸县", "region: 攸", "没有区域“攸”（须写全称）；您是不是要找：攸县？"),
    ],
)
def test_a_parent_that_cannot_be_read(cli, pair, old, new, words):
    _, child = pair
    line = edit(child / "programme.yaml", old, new)
    _, found = check(cli, child)
    (problem,) = errors(found)
    assert (problem["code"], problem["line"]) == ("refine-parent", line) and words in problem["message"]


def test_queries_never_read_the_parent(cli, pair):
    # Only check holds a child to its parent: with the parent gone, the county's own queries
    # still answer from its own (valid) data.
    parent, child = pair
    shutil.rmtree(parent)
    result = cli("quota", "--district", "甲镇", "--format", "json", "--data", str(child))
    assert result.exit_code == 0 and {r["region"] for r in json.loads(result.output)} == {"甲镇"}
    status, found = check(cli, child)
    assert status == 1 and [f["code"] for f in errors(found)] == ["refine-parent"]


def test_refines_without_a_parent_is_an_error_everywhere(cli, pair):
    _, child = pair
    text = (child / "programme.yaml").read_text(encoding="utf-8")
    start = text.index("parent:")
    end = text.index("counts:")
    (child / "programme.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    _, found = check(cli, child)
    assert {f["code"] for f in errors(found)} == {"refine-without-parent"}
    result = cli("quota", "--district", "甲镇", "--data", str(child))
    assert result.exit_code == 1 and "refine-without-parent" in result.output


def test_weights_name_the_programmes_own_regions_and_levels(cli, pair):
    _, child = pair
    programme = child / "programme.yaml"
    line = edit(programme, "      丁乡: {", "      丁镇: {")
    level_line = edit(programme, "学前教育: 50, 职业教育: 180", "幼儿教育: 50, 职业教育: 180")
    _, found = check(cli, child)
    assert sorted((f["code"], f["line"]) for f in errors(found)) == [
        ("unknown-level", level_line),
        ("unknown-region", line),
    ]


def test_the_parent_checks_its_children(cli, pair, tmp_path):
    parent, child = pair
    edit(child / "quotas" / "workstations.yaml", "{region: 县直学校, value: 1,", "{region: 县直学校, value: 2,")
    result = cli("check", "--data", str(parent), "--child", str(child.parent), "--quiet")
    assert result.exit_code == 1
    assert re.search(r"county-youxian/data/quotas/workstations\.yaml:\d+:\d+: 错误\[refine-sum\]", result.output)
    assert "分给攸县的是 3（株教发〔2016〕4号 附件11 二 2" in result.output
    # A folder of children, one of which is not the parent's.
    other = tmp_path / "children"
    other.mkdir()
    shutil.copytree(child.parent, other / "youxian")
    shutil.copytree(REPO / "examples" / "sample-city-2021-2025", other / "sample")
    result = cli("check", "--data", str(REPO / "examples" / "sample-city-2021-2025"), "--child", str(other), "-q")
    assert "上级数据目录写的是 ../../../data，不是本次检查的上级" in result.output
    assert re.search(r"sample/programme\.yaml:\d+:1: 错误\[refine-parent\] 下级 .* 没有写明上级工程", result.output)


def test_a_child_without_a_parent_link_behaves_as_before(cli):
    for folder in (DATA, REPO / "examples" / "sample-city-2021-2025", REPO / "tests" / "compat" / "data-0.1.0"):
        result = cli("check", "--data", str(folder), "--format", "json")
        assert not [f for f in json.loads(result.output) if f["code"].startswith("refine-")]
