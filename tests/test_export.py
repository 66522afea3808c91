"""Exports: the workbook and the calendar hold the same numbers and tasks as quota/schedule."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from shiwanqian.exports import spans
from shiwanqian.model import Task


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory):
    from typer.testing import CliRunner

    from shiwanqian.cli import app

    out = tmp_path_factory.mktemp("x") / "十百千万.xlsx"
    result = CliRunner().invoke(app, ["export", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def evaluate(ws, value):
    """The value of a cell, computing =SUM(A1:B2) formulas from the cells they name."""
    if isinstance(value, str) and value.startswith("="):
        match = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", value)
        assert match, value
        c1, r1, c2, r2 = match.groups()
        total = 0
        for row in ws.iter_rows(min_row=int(r1), max_row=int(r2), min_col=column_index_from_string(c1),
                                max_col=column_index_from_string(c2)):
            for cell in row:
                total += evaluate(ws, cell.value) or 0
        return total
    return value


def table(ws):
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return header, [dict(zip(header, row)) for row in rows[1:] if row and row[0] is not None]


def test_main_tables_add_up_with_live_formulas(workbook_path):
    wb = load_workbook(workbook_path)
    expected = {"千名优秀骨干教师": 1000, "万节优质课堂教学资源": 10000, "名优特教师工作站": 25}
    for title, total in expected.items():
        ws = wb[title]
        header, rows = table(ws)
        last = ws.max_row
        grand_col = header.index("合计") + 1 if "合计" in header else 2
        assert str(ws.cell(last, grand_col).value).startswith("=SUM(")
        assert evaluate(ws, ws.cell(last, grand_col).value) == total
        for row in rows[:-1]:
            if "原文合计" in header:  # every row's formula equals the document's stated 合计
                n = rows.index(row) + 2
                assert evaluate(ws, ws.cell(n, grand_col).value) == row["原文合计"]


def test_schedules_and_allocation_sheets(workbook_path):
    wb = load_workbook(workbook_path)
    ws = wb["名优特教师工作站年度安排"]
    header, rows = table(ws)
    total_row = next(r for r in rows if r["区域"] == "合计")
    n = rows.index(total_row) + 2
    years = [evaluate(ws, ws.cell(n, c).value) for c in range(3, 6)]
    assert years == [5, 9, 10]
    assert evaluate(ws, ws.cell(n, 6).value) == 24  # the document's own 24-vs-25 contradiction
    ws = wb["优质课年度分配"]
    header, rows = table(ws)
    n = next(i for i, r in enumerate(rows) if r["区域"] == "合计") + 2
    assert [evaluate(ws, ws.cell(n, c).value) for c in range(3, 8)] == [1000, 2500, 2500, 3000, 1000]
    for i, row in enumerate(rows[:-1], start=2):
        assert evaluate(ws, ws.cell(i, 8).value) == row["名额"]


def test_workbook_matches_quota_for_a_district(cli, tmp_path):
    out = tmp_path / "攸县.xlsx"
    assert cli("export", "xlsx", "--out", str(out), "--district", "攸县").exit_code == 0
    wb = load_workbook(out)
    records = json.loads(cli("quota", "-d", "攸县", "--format", "json").stdout)
    for title, quota in (("千名优秀骨干教师", "backbone-teachers"), ("万节优质课堂教学资源", "lessons")):
        header, rows = table(wb[title])
        assert [r["区域"] for r in rows] == ["攸县", "合计"]
        expected = {r["level"]: r["value"] for r in records if r["quota"] == quota and r["kind"] == "target" and r["level"]}
        assert {lv: rows[0][lv] for lv in expected} == expected
    tasks = json.loads(cli("schedule", "-d", "攸县", "--format", "json").stdout)
    header, rows = table(wb["任务表"])
    assert len(rows) == sum(1 for t in tasks if t.get("kind") != "allocation")


def test_sheet_setup(workbook_path):
    wb = load_workbook(workbook_path)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "B2"
        assert ws.auto_filter.ref
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
        assert ws.print_title_rows == "$1:$1"
        assert ws.column_dimensions["A"].width >= 8


def test_workbook_is_byte_identical_across_runs(cli, tmp_path):
    import time

    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    cli("export", "xlsx", "--out", str(a))
    time.sleep(1.1)  # a save-time stamp would differ now
    cli("export", "xlsx", "--out", str(b))
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_recalculates_the_same_totals(workbook_path, tmp_path):
    result = subprocess.run(["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                             "--outdir", str(tmp_path), str(workbook_path)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    lessons = next(p for p in tmp_path.glob("*.csv") if "万节优质课堂教学资源" in p.name and "年度" not in p.name)
    rows = list(csv.reader(lessons.read_text(encoding="utf-8").splitlines()))
    total = rows[-1]
    assert total[0] == "合计" and total[rows[0].index("合计")] == "10000"
    for row in rows[1:-1]:
        assert row[rows[0].index("合计")] == row[rows[0].index("原文合计")]


# ---------------------------------------------------------------------- calendar


def test_calendar_matches_schedule(cli, tmp_path):
    from icalendar import Calendar

    out = tmp_path / "x.ics"
    assert cli("export", "ics", "--out", str(out)).exit_code == 0
    cal = Calendar.from_ical(out.read_bytes())
    items = [c for c in cal.walk() if c.name in ("VEVENT", "VTODO")]
    uids = [str(c["uid"]) for c in items]
    assert len(uids) == len(set(uids))
    tasks = json.loads(cli("schedule", "--format", "json").stdout)
    expected = {(t["name"], y) for t in tasks for y in t["years"]}
    got = set()
    for c in items:
        name = str(c["summary"]).removeprefix("截止：")
        when = c["due"].dt if c.name == "VTODO" else c["dtstart"].dt
        got.add((name, when.year if c.name == "VEVENT" or when.month != 12 else when.year + 1))
    assert got == expected
    again = tmp_path / "y.ics"
    cli("export", "ics", "--out", str(again))
    assert again.read_bytes() == out.read_bytes()


def test_calendar_filters(cli, tmp_path):
    from icalendar import Calendar

    out = tmp_path / "u.ics"
    assert cli("export", "ics", "--out", str(out), "--unit", "市装备所").exit_code == 0
    names = {str(c["summary"]) for c in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert names == {"空间评选", "微课评选"} | ({"送培上门（信息素养）"} & names)
    assert "空间评选" in names and "全员培训" not in names
    out = tmp_path / "d.ics"
    assert cli("export", "ics", "--out", str(out), "--district", "芦淞").exit_code == 0
    names = {str(c["summary"]) for c in Calendar.from_ical(out.read_bytes()).walk("VTODO")}
    assert "截止：2017年名优特教师工作站建设" in names and "截止：2016年名优特教师工作站建设" not in names


def _task(**timing) -> Task:
    return Task.model_validate({"item": "1", "name": "x", "when": "w", "requirement": "r", "units": ["u"],
                                "source": "s", "timing": {"years": [2018], **timing}})


@pytest.mark.parametrize(("timing", "expected"), [
    ({}, [("event", dt.date(2018, 1, 1), dt.date(2018, 12, 31))]),
    ({"months": [5]}, [("event", dt.date(2018, 5, 1), dt.date(2018, 5, 31))]),
    ({"months": [4, 5]}, [("event", dt.date(2018, 4, 1), dt.date(2018, 5, 31))]),
    ({"months": [8, 10]}, [("event", dt.date(2018, 8, 1), dt.date(2018, 8, 31)),
                           ("event", dt.date(2018, 10, 1), dt.date(2018, 10, 31))]),
    ({"half": "下半年"}, [("event", dt.date(2018, 7, 1), dt.date(2018, 12, 31))]),
    ({"half": "上半年"}, [("event", dt.date(2018, 1, 1), dt.date(2018, 6, 30))]),
    ({"deadline_month": 10}, [("todo", dt.date(2018, 9, 30), dt.date(2018, 9, 30))]),
    ({"season": "年末"}, [("event", dt.date(2018, 12, 1), dt.date(2018, 12, 31))]),
    ({"season": "年中"}, [("event", dt.date(2018, 6, 1), dt.date(2018, 6, 30))]),
])
def test_each_form_of_timing_maps_to_dates(timing, expected):
    assert spans(_task(**timing), 2018) == expected


def test_unwritable_output_is_a_clear_error(cli, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("x")
    result = cli("export", "xlsx", "--out", str(blocked / "x.xlsx"))
    assert result.exit_code == 1 and "无法写入" in result.output
    assert list(tmp_path.iterdir()) == [blocked]
