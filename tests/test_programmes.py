"""Every command on both data sets: the shipped programme and the fictional example
(examples/sample-city-2021-2025: 2021–2025, 7 regions, 4 学段, its own table ids and rates).

Nothing in the code may know either programme: the example's answers must be complete,
labelled from its own data, and free of the shipped programme's words and of ``None``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import DATA, REPO
from shiwanqian.domain import checks
from shiwanqian.load import loader

EXAMPLE = REPO / "examples" / "sample-city-2021-2025"
SETS = {"shipped": DATA, "example": EXAMPLE}
FOREIGN = ("十百千万", "株洲", "优质课", "None")  # words that must never label the example's output
EX_REGIONS = ["松岭县", "云杉县", "桂溪县", "白鹭市", "明湖区", "清溪区", "直属学校"]
EX_MAIN = [("乡村教师工作坊", "个"), ("学科带头人", "人"), ("精品课例", "节")]  # plan order: 附件2, 4, 5


def run(cli, data: Path, *args: str):
    result = cli(*args, "--data", str(data))
    return result


def clean(text: str) -> None:
    for word in FOREIGN:
        assert word not in text, f"“{word}” in the example's output"


@pytest.fixture(scope="module")
def example():
    return loader.load(EXAMPLE)


# ------------------------------------------------------------------ check


@pytest.mark.parametrize("name", SETS)
def test_check_passes_on_both(cli, name):
    result = run(cli, SETS[name], "check")
    assert result.exit_code == 0 and "检查通过：0 个错误" in result.output


def test_example_has_no_findings_at_all(example):
    assert checks.run(example) == []


def test_example_is_marked_fictional_and_has_its_own_shape(example):
    text = (EXAMPLE / "source.txt").read_text(encoding="utf-8")
    assert "虚构" in text and "虚构" in (EXAMPLE / "README.md").read_text(encoding="utf-8")
    for path in [*EXAMPLE.glob("*.yaml"), *EXAMPLE.glob("*/*.yaml")]:
        assert "虚构示例" in path.read_text(encoding="utf-8"), path
    programme = example.programme.model
    assert (programme.period.start, programme.period.end) == (2021, 2025)
    assert [r.name for r in example.regions.model.regions] == EX_REGIONS
    assert list(programme.levels) == ["高中", "初中", "小学", "学前教育"]
    tables = {q.model.id: q.model for q in example.quotas}
    assert tables["model-lessons"].shares and tables["subject-leaders"].schedule
    assert sorted(r.value for r in tables["model-lessons"].rates) == [20, 150, 500]
    # The document's shape: annexes that open with 附件N and a title, numbered tasks with the
    # three labelled lines, region-by-region quota sentences and yearly shares.
    assert re.findall(r"^ 附件(\d)\n\n(\S+)", text, re.M) == [
        ("1", "新任教师入职培训计划"),
        ("2", "乡村教师工作坊建设计划"),
        ("3", "教师数字素养提升计划"),
        ("4", "学科带头人培养方案"),
        ("5", "精品课例建设方案"),
    ]
    tasks = sum(len(p.model.tasks) for p in example.plans)
    assert text.count("实施时间：") == text.count("工作要求：") == text.count("责任单位：") == tasks == 19
    assert "（1）成立工程领导小组" in text and "2022年完成总任务的20%" in text


# ------------------------------------------------------------------ quota


@pytest.mark.parametrize("region", EX_REGIONS)
def test_example_quota_for_every_region(cli, example, region):
    out = run(cli, EXAMPLE, "quota", "--district", region).output
    clean(out)
    titles = [f"{title}（{unit}）— {region}" for title, unit in EX_MAIN]
    positions = [out.find(t) for t in titles]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)  # all three, in plan order
    records = json.loads(run(cli, EXAMPLE, "quota", "--district", region, "--format", "json").stdout)
    tables = {q.model.id: q.model for q in example.quotas}
    for table_id in ("subject-leaders", "model-lessons", "rural-workshops"):
        row = next(r for r in tables[table_id].rows if r.region == region)
        mine = {r["name"]: r["value"] for r in records if r["quota"] == table_id and r["kind"] == "target"}
        assert mine["合计"] == (row.total if row.total is not None else row.value)
        for level, value in (row.values or {}).items():
            assert mine[level] == value
    alloc = [r for r in records if r["kind"] == "allocation"]
    assert sum(r["value"] for r in alloc) == next(r.total for r in tables["model-lessons"].rows if r.region == region)
    assert all(r["name"] is not None and "None" not in str(r["name"]) for r in records)


def test_city_wide_figure_without_level_is_labelled(cli):
    records = json.loads(run(cli, EXAMPLE, "quota", "-d", "直属学校", "--format", "json").stdout)
    city = [r for r in records if r["region"] == "全市" and r["quota"] == "rural-workshops"]
    assert [(r["year"], r["name"], r["value"]) for r in city] == [(2024, "合计（全市，未分解到区域）", 2)]
    out = run(cli, EXAMPLE, "quota", "-d", "直属学校").output
    assert "2024年安排   （全市 2）" in out


def test_shipped_quota_lists_main_tables_in_plan_order(cli):
    out = cli("quota", "-d", "攸县").output
    order = [
        out.find(t)
        for t in ("名优特教师工作站（个）", "千名优秀骨干教师（人）", "万节优质课堂教学资源（节）", "其他任务与指标")
    ]
    assert all(p >= 0 for p in order) and order == sorted(order)


# ------------------------------------------------------------------ schedule, plans


@pytest.mark.parametrize("region", ["明湖区", "直属学校"])
def test_example_schedule_for_a_region(cli, region):
    out = run(cli, EXAMPLE, "schedule", "--district", region).output
    clean(out)
    assert f"{region} 精品课例年度目标（节，受控取整的年度分配）" in out
    assert f"shiwanqian allocate model-lessons --by year --district {region}" in out
    assert "精品课例建设" in out and "入职集中培训" not in out  # a task of schools; a city-level task
    # 县市区教育局 tasks fall on the counties and districts, not on the directly run schools
    assert ("跟岗研修" in out) == (region != "直属学校")


def test_example_schedule_by_year_and_unit(cli):
    out = run(cli, EXAMPLE, "schedule", "--year", "2024", "--format", "json").stdout
    names = {r["name"] for r in json.loads(out) if "plan" in r}
    assert {"2024年乡村教师工作坊建设", "2024年学科带头人培养", "工作坊评估"} <= names
    assert "2022年乡村教师工作坊建设" not in names
    out = run(cli, EXAMPLE, "schedule", "--unit", "教研室").output
    clean(out)
    assert "数字化教学案例评选" in out


def test_example_plans(cli):
    out = run(cli, EXAMPLE, "plans").output
    clean(out)
    assert "示例市教育局《关于实施教师队伍“强师启航”工程的意见》的计划与附件" in out
    records = json.loads(run(cli, EXAMPLE, "plans", "--format", "json").stdout)
    assert [r["plan"] for r in records] == [
        "organisation",
        "new-teachers",
        "rural-workshops",
        "digital-literacy",
        "subject-leaders",
        "model-lessons",
    ]


# ------------------------------------------------------------------ allocate, budget


def test_example_allocation_adds_up(cli):
    records = json.loads(run(cli, EXAMPLE, "allocate", "model-lessons", "--by", "year", "--format", "json").stdout)
    by_year: dict[int, int] = {}
    for r in records:
        by_year[r["year"]] = by_year.get(r["year"], 0) + r["value"]
    assert by_year == {2021: 300, 2022: 600, 2023: 750, 2024: 750, 2025: 600}
    out = run(cli, EXAMPLE, "allocate", "model-lessons", "--by", "year").output
    clean(out)
    assert "精品课例年度分配（节）" in out


def test_example_budget_uses_its_own_rates(cli):
    records = json.loads(run(cli, EXAMPLE, "budget", "--format", "json").stdout)
    assert {r["quota"] for r in records} == {"model-lessons"} and len(records) == 7 * 5  # region × year
    total = {k: sum(r[k] for r in records) for k in ("count", "hours", "making_fee", "review_fee", "cost")}
    assert total == {"count": 3000, "hours": 60_000, "making_fee": 1_500_000, "review_fee": 450_000, "cost": 1_950_000}
    assert all(r["cost"] == r["count"] * 650 and r["hours"] == r["count"] * 20 for r in records)
    out = run(cli, EXAMPLE, "budget", "model-lessons", "--district", "白鹭").output
    clean(out)
    assert "精品课例：按标准计算 — 白鹭市" in out and "制作补助（元）" in out and "继续教育学时（学时）" in out
    assert "312,000" in out and "制作补助 500 元/节" in out
    assert run(cli, EXAMPLE, "budget", "subject-leaders").exit_code == 2


# ------------------------------------------------------------------ timeline, exports


def test_example_timeline_is_titled_with_its_name(cli, tmp_path):
    out = run(cli, EXAMPLE, "timeline").output
    clean(out)
    assert out.startswith("强师启航工程时间线（2021–2025年）")
    for label, numbers in (
        ("乡村教师工作坊（个，年度安排）", ["9", "11", "2"]),
        ("学科带头人（人，年度安排）", ["87", "75", "78"]),
        ("精品课例（节，年度分配）", ["300", "600", "750", "750", "600"]),
    ):
        line = next(line for line in out.splitlines() if label in line)
        assert re.findall(r"\d+", line.split("│", 1)[1]) == numbers
    for suffix in ("svg", "html"):
        path = tmp_path / f"t.{suffix}"
        assert run(cli, EXAMPLE, "timeline", "--tasks", "--out", str(path)).exit_code == 0
        text = path.read_text(encoding="utf-8")
        clean(text)
        assert "强师启航工程时间线" in text


def test_shipped_timeline_keeps_its_title(cli):
    assert cli("timeline").output.startswith("十百千万工程时间线（2016–2020年）")


def _cells(path: Path) -> list[tuple[str, str, object]]:
    wb = load_workbook(path)
    return [(ws.title, c.coordinate, c.value) for ws in wb for row in ws.iter_rows() for c in row]


@pytest.mark.parametrize("region", [None, *EX_REGIONS])
def test_example_workbook(cli, tmp_path, region):
    out = tmp_path / "w.xlsx"
    args = ["export", "xlsx", "--out", str(out)] + (["--district", region] if region else [])
    assert run(cli, EXAMPLE, *args).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "乡村教师工作坊",
        "学科带头人",
        "精品课例",
        "乡村教师工作坊年度安排",
        "学科带头人年度安排",
        "精品课例年度分配",
        "任务表",
        "其他指标",
    ]
    assert wb.properties.title == "强师启航工程" + (f"（{region}）" if region else "")
    assert wb["精品课例"].oddHeader.left.text == "强师启航工程"
    for sheet, where, value in _cells(out):
        if isinstance(value, str):
            clean(value)
            match = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", value)
            if value.startswith("="):
                # every range is a real range that does not include the cell itself
                assert match and int(match.group(2)) <= int(match.group(4)), (sheet, where, value)
                row = int(re.sub(r"[A-Z]", "", where))
                col = re.sub(r"\d", "", where)
                assert not (
                    match.group(1) <= col <= match.group(3) and int(match.group(2)) <= row <= int(match.group(4))
                )


def test_region_with_only_city_wide_figures_gets_no_empty_sum(cli, tmp_path):
    out = tmp_path / "w.xlsx"
    assert run(cli, EXAMPLE, "export", "xlsx", "--out", str(out), "--district", "直属学校").exit_code == 0
    ws = load_workbook(out)["乡村教师工作坊年度安排"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[1][0] == "直属学校没有单列的年度安排" and rows[2] == ["直属学校名额（原文）", None, None, None, 2]
    assert ["全市（未分解到区域）", None, None, 2, "=SUM(B5:D5)"] in rows


@pytest.mark.parametrize("region", [None, "桂溪县"])
def test_example_calendar(cli, tmp_path, region):
    out = tmp_path / "c.ics"
    args = ["export", "ics", "--out", str(out)] + (["--district", region] if region else [])
    assert run(cli, EXAMPLE, *args).exit_code == 0
    text = out.read_text(encoding="utf-8")
    clean(text)
    assert "PRODID:-//shiwanqian//强师启航工程//ZH" in text
    assert "X-WR-CALNAME:强师启航工程任务" + (f"（{region}）" if region else "") in text
    assert text.count("BEGIN:VEVENT") + text.count("BEGIN:VTODO") > 20


def test_example_outputs_in_every_format_are_clean(cli):
    for args in (
        ("quota", "-d", "松岭"),
        ("schedule",),
        ("plans",),
        ("budget",),
        ("allocate", "model-lessons", "--by", "year"),
    ):
        for fmt in ("table", "json", "csv", "markdown"):
            result = run(cli, EXAMPLE, *args, "--format", fmt)
            assert result.exit_code == 0, (args, fmt, result.output)
            clean(result.stdout)


def test_top_level_help_names_the_data_in_use(tmp_path):
    import os
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "shiwanqian", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SHIWANQIAN_DATA": str(EXAMPLE)},
        cwd=tmp_path,
    ).stdout
    assert " 当前数据：强师启航工程（示例教发〔2021〕7号，2021–2025年）\n" in out
    clean(out)


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module except docstrings (which may quote a document)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_programme_words_in_code():
    """No string the program can print names one programme (its regions, its document, its
    name): the stored help and every string literal of the package."""
    words = ("十百千万", "株洲", "优质课", "攸县", "醴陵", "株教发")
    src = REPO / "src" / "shiwanqian"
    help_text = (src / "help.txt").read_text(encoding="utf-8")
    assert not [w for w in words if w in help_text]
    found = [
        (str(path.relative_to(REPO)), line, word)
        for path in src.rglob("*.py")
        for line, text in _string_literals(path)
        for word in words
        if word in text
    ]
    assert found == []


COMMANDS = {
    "check": ["check"],
    "quota": ["quota", "--district", "{region}"],
    "schedule": ["schedule", "--district", "{region}"],
    "plans": ["plans"],
    "allocate": ["allocate", "{shares}", "--by", "year"],
    "budget": ["budget"],
    "timeline": ["timeline", "--tasks"],
    "export xlsx": ["export", "xlsx", "--out", "{tmp}/w.xlsx"],
    "export ics": ["export", "ics", "--out", "{tmp}/c.ics"],
}


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_on_both_data_sets(cli, tmp_path, name, command):
    """Each command answers on each data set, with values drawn from that data set only."""
    catalog = loader.load(SETS[name])
    region = catalog.regions.model.regions[-1].name
    shares = next(q.model.id for q in catalog.quotas if q.model.shares is not None)
    args = [a.format(region=region, shares=shares, tmp=tmp_path) for a in COMMANDS[command]]
    result = run(cli, SETS[name], *args)
    assert result.exit_code == 0, result.output
    text = result.stdout
    for written in tmp_path.iterdir():
        if written.suffix == ".xlsx":
            text += (
                load_workbook(written).properties.title
                + "\n"
                + "\n".join(str(v) for _, _, v in _cells(written) if v is not None)
            )
        else:
            text += written.read_text(encoding="utf-8")
    assert text.strip()
    programme = catalog.programme.model
    if command in ("plans", "timeline", "export xlsx", "export ics"):  # titled with the programme
        assert programme.name in text or programme.title in text
    if name == "example":
        clean(text)
    else:  # and the shipped programme's output never shows the example's words
        assert "强师启航" not in text and "松岭" not in text
