"""The collection round trip: export a bureau's template, fill it in as a bureau would, import it,
and ask `progress` for exactly those numbers; refusals name every cell and write nothing."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import REPO

EXAMPLES = REPO / "examples" / "progress"
QUOTA_HEADERS = ["名额表", "区域", "学段", "年份", "目标", "实际完成", "说明"]
TASK_HEADERS = ["计划", "事项", "年份", "责任单位", "完成情况", "日期", "说明"]


@pytest.fixture
def template(cli, tmp_path: Path) -> Path:
    out = tmp_path / "攸县-2018.xlsx"
    result = cli("export", "template", "--district", "攸县", "--year", "2018", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def fill(path: Path, out: Path, *, as_of=dt.date(2018, 12, 31), actual=None, status=None, edits=()) -> dict:
    """Fill the template like a bureau: figures for every lessons row, a status for the first task."""
    wb = load_workbook(path)
    wb["说明"]["B6"] = as_of
    wb["说明"]["B7"] = "攸县2018年工作总结（测试）"
    ws = wb["名额完成情况"]
    filled = {}
    for r in range(2, ws.max_row + 1):
        title, _region, level, _year, target = (ws.cell(r, c).value for c in range(1, 6))
        if title == "万节优质课堂教学资源":
            value = (actual or {}).get(level, target - 1 if isinstance(target, int) and target else 0)
            ws.cell(r, 6).value = value
            filled[level] = (target, value)
    if status:
        wb["任务完成情况"].cell(2, 5).value = status
        wb["任务完成情况"].cell(2, 6).value = dt.date(2018, 9, 1)
    for sheet, cell, value in edits:
        wb[sheet][cell] = value
        if isinstance(value, str):
            wb[sheet][cell].data_type = "s"  # typed text, even when it starts with “=”
    wb.save(out)
    return filled


def test_the_template_has_the_contract_headers_locked_targets_and_validation(template):
    wb = load_workbook(template)
    assert wb.sheetnames == ["说明", "名额完成情况", "任务完成情况", "目标出处", "任务出处"]
    quotas, tasks = wb["名额完成情况"], wb["任务完成情况"]
    assert [c.value for c in quotas[1]] == QUOTA_HEADERS
    assert [c.value for c in tasks[1]] == TASK_HEADERS
    assert quotas.protection.sheet and tasks.protection.sheet
    assert quotas["E2"].protection.locked and not quotas["F2"].protection.locked
    rules = {(dv.type, dv.operator, dv.formula1) for dv in quotas.data_validations.dataValidation}
    assert ("whole", "greaterThanOrEqual", "0") in rules
    lists = [dv for dv in tasks.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"完成,部分完成,未开展,不适用"'
    # Every target has its source.
    sources = wb["目标出处"]
    assert [sources.cell(r, 1).value for r in range(2, quotas.max_row + 1)] == [
        quotas.cell(r, 1).value for r in range(2, quotas.max_row + 1)
    ]
    assert all(sources.cell(r, 6).value for r in range(2, quotas.max_row + 1))
    assert "附件13 四 2" in {sources.cell(r, 6).value for r in range(2, quotas.max_row + 1)}
    assert wb["说明"]["B3"].value == "攸县" and wb["说明"]["B4"].value == 2018


def test_the_template_is_byte_identical_when_exported_twice(cli, template, tmp_path):
    again = tmp_path / "again.xlsx"
    cli("export", "template", "--district", "攸县", "--year", "2018", "--out", str(again))
    assert again.read_bytes() == template.read_bytes()


def test_round_trip_progress_reports_exactly_the_filled_numbers(cli, template, tmp_path):
    filled_path = tmp_path / "filled.xlsx"
    filled = fill(template, filled_path, actual={"高中": 130, "小学": 80}, status="完成")
    folder = tmp_path / "progress"
    result = cli("progress", "import", str(filled_path), "--progress", str(folder))
    assert result.exit_code == 0, result.output
    assert "新建" in result.stdout and "未填报 → 130" in result.stdout
    assert sorted(p.name for p in folder.glob("*.yaml")) == ["programme.yaml", "攸县-2018-2018-12-31.yaml"]
    check = cli("check", "--progress", str(folder))
    assert check.exit_code == 0, check.output
    report = json.loads(
        cli(
            "progress",
            "--progress",
            str(folder),
            "--district",
            "攸县",
            "--year",
            "2018",
            "--as-of",
            "2018-12-31",
            "--format",
            "json",
        ).stdout
    )
    lessons = {r["level"]: r for r in report["quotas"] if r["quota"] == "lessons"}
    for level, (target, value) in filled.items():
        assert (lessons[level]["target"], lessons[level]["actual"]) == (target, value)
        expected = round(value * 100 / target + 1e-9, 1) if target else None
        assert lessons[level]["rate"] == expected
    assert lessons["高中"]["rate"] == 104.0 and lessons["高中"]["status"] == "超额"
    total_target = sum(t for t, _ in filled.values())
    total_actual = sum(v for _, v in filled.values())
    # The region's 合计 is no JSON record (totals belong to the table): the ranking gives its rate.
    assert None not in lessons
    youxian = next(r for r in report["ranking"]["rows"] if r["region"] == "攸县")
    assert youxian["rates"]["lessons"] == round(total_actual * 100 / total_target + 1e-9, 1)
    first_task = [t for t in report["tasks"] if t["status"] == "完成"]
    assert len(first_task) == 1


def test_a_second_import_changes_nothing(cli, template, tmp_path):
    filled_path = tmp_path / "filled.xlsx"
    fill(template, filled_path, status="部分完成")
    folder = tmp_path / "progress"
    assert cli("progress", "import", str(filled_path), "--progress", str(folder)).exit_code == 0
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    result = cli("progress", "import", str(filled_path), "--progress", str(folder))
    assert result.exit_code == 0
    assert "无变化" in result.stdout and "没有变化" in result.stdout
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()} == before


def test_a_bad_workbook_is_refused_with_every_cell_named_and_nothing_written(cli, template, tmp_path):
    bad = tmp_path / "bad.xlsx"
    fill(
        template,
        bad,
        edits=[
            ("名额完成情况", "F8", "三十"),
            ("名额完成情况", "F9", -5),
            ("名额完成情况", "E10", 999),
            ("任务完成情况", "E3", "差不多"),
        ],
    )
    folder = tmp_path / "progress"
    shutil.copytree(EXAMPLES, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = cli("progress", "import", str(bad), "--progress", str(folder))
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("bad.xlsx!")]
    assert [line.split(": ", 1)[0] for line in lines] == [
        "bad.xlsx!名额完成情况!F8",
        "bad.xlsx!名额完成情况!F9",
        "bad.xlsx!名额完成情况!E10",
        "bad.xlsx!任务完成情况!E3",
    ]
    assert "文字“三十”" in lines[0] and "负数" in lines[1] and "目标" in lines[2]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_workbook_for_another_region_or_year_is_refused(cli, template, tmp_path):
    moved = tmp_path / "moved.xlsx"
    fill(template, moved, edits=[("名额完成情况", "B2", "醴陵市"), ("名额完成情况", "D3", 2017)])
    result = cli("progress", "import", str(moved), "--progress", str(tmp_path / "p"))
    assert result.exit_code == 1
    assert "moved.xlsx!名额完成情况!B2:" in result.stderr and "moved.xlsx!名额完成情况!D3:" in result.stderr
    ok = tmp_path / "ok.xlsx"
    fill(template, ok)
    result = cli(
        "progress", "import", str(ok), "--district", "醴陵", "--year", "2017", "--progress", str(tmp_path / "p")
    )
    assert result.exit_code == 1
    assert "ok.xlsx!说明!B3:" in result.stderr and "ok.xlsx!说明!B4:" in result.stderr
    assert not (tmp_path / "p").exists()


def test_unknown_rows_a_note_without_a_figure_and_a_missing_as_of_date(cli, template, tmp_path):
    wb = load_workbook(template)
    ws = wb["名额完成情况"]
    ws["G2"] = "说明写了，数字没填"
    ws.cell(ws.max_row + 1, 1).value = "不存在的表"
    wb.save(tmp_path / "x.xlsx")
    result = cli("progress", "import", str(tmp_path / "x.xlsx"), "--progress", str(tmp_path / "p"))
    assert result.exit_code == 1
    assert f"x.xlsx!名额完成情况!A{ws.max_row}: 未知的行" in result.stderr
    assert "x.xlsx!说明!B6:" in result.stderr  # 截至日期 not filled
    assert "x.xlsx!名额完成情况!F2:" in result.stderr


def test_a_year_end_workbook_supersedes_the_mid_year_one(cli, template, tmp_path):
    mid, end = tmp_path / "mid.xlsx", tmp_path / "end.xlsx"
    fill(template, mid, as_of=dt.date(2018, 6, 30), actual={"高中": 40})
    fill(template, end, as_of=dt.date(2018, 12, 31), actual={"高中": 125})
    folder = tmp_path / "progress"
    assert cli("progress", "import", str(mid), "--progress", str(folder)).exit_code == 0
    result = cli("progress", "import", str(end), "--progress", str(folder))
    assert result.exit_code == 0, result.output
    assert "40 → 125" in result.stdout
    assert cli("check", "--progress", str(folder)).exit_code == 0
    report = json.loads(
        cli("progress", "--progress", str(folder), "--district", "攸县", "--year", "2018", "--format", "json").stdout
    )
    high = next(r for r in report["quotas"] if r["quota"] == "lessons" and r["level"] == "高中")
    assert high["actual"] == 125 and report["as_of"] == "2018-12-31"


def test_import_creates_dot_progress_when_no_folder_is_given(cli, template, tmp_path, monkeypatch):
    filled_path = tmp_path / "filled.xlsx"
    fill(template, filled_path)
    work = tmp_path / "office"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("SHIWANQIAN_PROGRESS", raising=False)
    assert cli("progress", "import", str(filled_path)).exit_code == 0
    assert sorted(p.name for p in (work / "progress").iterdir()) == ["programme.yaml", "攸县-2018-2018-12-31.yaml"]


def test_hostile_text_in_a_note_stays_text(cli, template, tmp_path):
    hostile = tmp_path / "h.xlsx"
    sheet = load_workbook(template)["名额完成情况"]  # the lessons 高中 row, wherever the table order puts it
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if (sheet.cell(r, 1).value, sheet.cell(r, 3).value) == ("万节优质课堂教学资源", "高中")
    )
    fill(
        template,
        hostile,
        edits=[
            ("名额完成情况", f"G{row}", '=HYPERLINK("http://x")\n[red]x[/red] : - {a} &amp;'),
            ("说明", "B7", "'; rm -rf / #"),
        ],
    )
    folder = tmp_path / "progress"
    assert cli("progress", "import", str(hostile), "--progress", str(folder)).exit_code == 0
    assert cli("check", "--progress", str(folder)).exit_code == 0
    import yaml

    data = yaml.safe_load(next(folder.glob("*.yaml")).read_text(encoding="utf-8"))
    assert data["evidence"] == "'; rm -rf / #"
    note = next(q["note"] for q in data["quotas"] if q["quota"] == "lessons" and q["level"] == "高中")
    assert note.startswith("=HYPERLINK(") and "[red]x[/red]" in note


def test_import_into_a_progress_folder_whose_parent_is_missing_writes_nothing(cli, template, tmp_path):
    # Like every --out: the progress folder itself may be made, the folders above it are not.
    filled = tmp_path / "filled.xlsx"
    fill(template, filled)
    result = cli("progress", "import", str(filled), "--progress", str(tmp_path / "typo" / "progress"))
    assert result.exit_code == 1
    assert f"文件夹 {tmp_path / 'typo'} 不存在" in " ".join(result.output.split())
    assert not (tmp_path / "typo").exists()
    made = cli("progress", "import", str(filled), "--progress", str(tmp_path / "progress"))
    assert made.exit_code == 0, made.output
    assert sorted(p.name for p in (tmp_path / "progress").iterdir()) == ["programme.yaml", "攸县-2018-2018-12-31.yaml"]
