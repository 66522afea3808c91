"""The fill-in template has one table a sheet (issue 23): 目标出处 no longer puts the quota
targets (A–F) and the tasks (G–I) on the same rows; a template exported by 0.3.0 still imports."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import REPO

OLD = REPO / "tests" / "fixtures" / "workbooks" / "template-0.3.0-攸县-2017.xlsx"  # exported by 0.3.0's code
TABLES = {
    "名额完成情况": ["名额表", "区域", "学段", "年份", "目标", "实际完成", "说明"],
    "任务完成情况": ["计划", "事项", "年份", "责任单位", "完成情况", "日期", "说明"],
    "目标出处": ["名额表", "区域", "学段", "年份", "目标", "出处"],
    "任务出处": ["计划", "事项", "年份", "截止日期", "出处"],
}


@pytest.fixture
def template(cli, tmp_path: Path) -> Path:
    out = tmp_path / "new" / "攸县-2017.xlsx"
    out.parent.mkdir()
    assert cli("export", "template", "--district", "攸县", "--year", "2017", "--out", str(out)).exit_code == 0
    return out


def test_every_sheet_but_the_instructions_is_one_table(template):
    wb = load_workbook(template)
    assert wb.sheetnames == ["说明", *TABLES]
    for name, headers in TABLES.items():
        ws = wb[name]
        assert [c.value for c in ws[1]] == headers, name
        assert ws.max_column == len(headers), f"{name}: cells right of the header"
        for row in ws.iter_rows(min_row=2, values_only=True):
            assert row[0] is not None, f"{name}: a row that is not a record of the table: {row}"


def test_the_source_sheets_hold_each_target_and_each_task_once(template):
    wb = load_workbook(template)

    def rows(name: str, width: int) -> list[tuple]:
        return [r[:width] for r in wb[name].iter_rows(min_row=2, values_only=True)]

    assert rows("目标出处", 5) == rows("名额完成情况", 5)
    assert [(a, b, c) for a, b, c, *_ in rows("任务出处", 5)] == rows("任务完成情况", 3)
    assert all(r[5] for r in rows("目标出处", 6)) and all(r[3] and r[4] for r in rows("任务出处", 5))
    assert ("千名优秀骨干教师", "攸县", "初中", 2017, 60, "附件12 四 2") in rows("目标出处", 6)


def fill(path: Path) -> None:
    """As a bureau fills it: the date, the evidence, every target met, the first task done."""
    wb = load_workbook(path)
    wb["说明"]["B6"], wb["说明"]["B7"] = dt.date(2017, 12, 31), "攸县2017年工作总结（测试）"
    ws = wb["名额完成情况"]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 6).value = ws.cell(r, 5).value
    wb["任务完成情况"].cell(2, 5).value = "完成"
    wb["任务完成情况"].cell(2, 6).value = dt.date(2017, 9, 1)
    wb.save(path)


def test_a_template_exported_by_0_3_0_imports_as_a_new_one_does(cli, template, tmp_path):
    old_layout = load_workbook(OLD)["目标出处"]
    assert [c.value for c in old_layout[1]][5:] == ["出处", "计划", "事项", "截止日期", "事项出处"]  # the old layout
    old = tmp_path / "old" / "攸县-2017.xlsx"
    old.parent.mkdir()
    shutil.copy(OLD, old)
    written = {}
    for path in (old, template):
        fill(path)
        folder = tmp_path / f"progress-{path.parent.name}"
        result = cli("progress", "import", str(path), "--progress", str(folder))
        assert result.exit_code == 0, result.output
        written[path.parent.name] = (folder / "攸县-2017-2017-12-31.yaml").read_text(encoding="utf-8")
    assert written["old"] == written["new"]
    assert "{plan: it-training, item: '1', year: 2017, region: 攸县, status: 完成, date: 2017-09-01}" in written["old"]
