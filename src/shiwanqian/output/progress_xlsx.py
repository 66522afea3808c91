"""The fill-in workbook one bureau returns: its targets for a year, locked, and cells to fill.

Sheets, one table each with its own header row: 说明 (what to fill and how; the region, year,
reporter, as-of date and evidence), 名额完成情况 and 任务完成情况 (the contract headers, targets
in locked cells, input cells with data validation: whole numbers ≥ 0, a drop-down of statuses,
dates), 目标出处 (where every quota target comes from) and 任务出处 (every task's due date and
where it comes from). Until 0.3.0 the two source tables shared one sheet, side by side on the
same rows; ``progress import`` never reads them, so workbooks exported then import as before.
The sheets are protected without a password: the point is to stop accidental edits; ``progress
import`` refuses a workbook whose targets were changed anyway. Every text from the data is
written as a string cell (never a formula). Equal data give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.progress.workbook import (
    INFO_AS_OF,
    INFO_EVIDENCE,
    INFO_REGION,
    INFO_REPORTER,
    INFO_SHEET,
    INFO_YEAR,
    NO_LEVEL,
    QUOTA_HEADERS,
    QUOTA_SHEET,
    SOURCE_HEADERS,
    SOURCE_SHEET,
    STATES,
    TASK_HEADERS,
    TASK_SHEET,
    TASK_SOURCE_HEADERS,
    TASK_SOURCE_SHEET,
    QuotaRow,
    TaskRow,
    template_rows,
)
from .xlsx import _stable_zip, put, text_width

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class _Look:
    """The template's few styles: headers, cells to fill, locked cells."""

    bold: Font
    header_fill: PatternFill
    input_fill: PatternFill
    locked_fill: PatternFill
    unlocked: Protection
    wrap: Alignment


def _look() -> _Look:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    return _Look(
        Font(bold=True),
        PatternFill("solid", fgColor="DDEBF7"),
        PatternFill("solid", fgColor="FFF2CC"),
        PatternFill("solid", fgColor="F2F2F2"),
        Protection(locked=False),
        Alignment(vertical="top", wrap_text=True),
    )


def _table(wb: Workbook, title: str, headers: list[str], where: str, look: _Look) -> Worksheet:
    """A sheet holding one table: the header row (bold, frozen, repeated on every printed page)."""
    ws = wb.create_sheet(title)
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(1, index)
        put(cell, header)
        cell.font, cell.fill = look.bold, look.header_fill
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = f"{title}（{where}）"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    return ws


def _widths(ws: Worksheet, cap: int = 50) -> None:
    from openpyxl.utils import get_column_letter

    for index in range(1, ws.max_column + 1):
        widest = max(
            (
                text_width(ws.cell(r, index).value)
                for r in range(1, ws.max_row + 1)
                if ws.cell(r, index).value is not None
            ),
            default=0,
        )
        ws.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 8), cap)


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may still be adjusted
    ws.protection.autoFilter = False
    ws.protection.sort = False


def _date_rule() -> DataValidation:
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(
        type="date",
        operator="between",
        formula1="DATE(1900,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="日期",
        error="请填写日期，如 2018-06-30",
    )


def _instructions(region: str, year: int, area: str) -> list[str]:
    return [
        "填写方法",
        f"1. 黄色单元格由{region}填写；灰色单元格（区域、年份、目标、名额表、计划、事项等）是文件规定的内容，已锁定，请勿修改。",
        "2. 截至日期：年中督查填 6 月 30 日（如 2018-06-30），年末专项考核评估填 12 月 31 日；依据：填报所依据的总结、报告或文件名称。",
        f"3. “{QUOTA_SHEET}”：在“实际完成”一栏填 {year} 年当年完成的整数（不是累计数），没有完成填 0，尚无数字的留空；可在“说明”中注明情况。",
        f"4. “{TASK_SHEET}”：在“完成情况”中选择 {'、'.join(STATES)}，并填写完成日期与说明。",
        "5. 目标取自文件的年度安排；文件只给出年度比例的，为按比例受控取整的年度分配；每个目标的出处见"
        f"“{SOURCE_SHEET}”工作表，每项任务的截止日期与出处见“{TASK_SOURCE_SHEET}”工作表。"
        f"“目标”为空表示文件只给出{area}数、没有分解到{region}。",
        "6. 填好后保存为 .xlsx 交回。导入命令：shiwanqian progress import 本文件.xlsx（有任何问题会逐格列出，不会导入一半）。",
        "7. 请勿增删、移动行或改动表头；多余的行会被拒绝。",
    ]


def _info_sheet(wb: Workbook, region: str, year: int, area: str, programme_title: str, look: _Look) -> None:
    """说明: the title, the region and year (locked), what the bureau fills in, how to fill."""
    from openpyxl.styles import Alignment, Font

    info = wb.create_sheet(INFO_SHEET)
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 90
    put(info.cell(1, 1), f"{programme_title} 年度进度填报表")
    info.cell(1, 1).font = Font(bold=True, size=14)
    meta = [
        (INFO_REGION, region, False),
        (INFO_YEAR, year, False),
        (INFO_REPORTER, f"{region}教育局", True),
        (INFO_AS_OF, None, True),
        (INFO_EVIDENCE, None, True),
    ]
    for offset, (label, value, editable) in enumerate(meta, start=3):
        put(info.cell(offset, 1), label)
        info.cell(offset, 1).font = look.bold
        cell = info.cell(offset, 2)
        put(cell, value)
        cell.alignment = Alignment(horizontal="left")
        if editable:
            cell.protection, cell.fill = look.unlocked, look.input_fill
        else:
            cell.fill = look.locked_fill
    as_of_cell = info.cell(6, 2)
    as_of_cell.number_format = "yyyy-mm-dd"
    date_rule = _date_rule()
    info.add_data_validation(date_rule)
    date_rule.add(as_of_cell.coordinate)
    for offset, line in enumerate(_instructions(region, year, area), start=9):
        cell = info.cell(offset, 2)
        put(cell, line)
        cell.alignment = look.wrap
        info.row_dimensions[offset].height = 15 * max(1, -(-text_width(line) // 88))
    info.cell(9, 2).font = look.bold
    _protect(info)


def _quota_sheet(wb: Workbook, quotas: list[QuotaRow], where: str, look: _Look) -> None:
    """名额完成情况: each table × 学段 with its target (locked), 实际完成 and 说明 to fill."""
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = _table(wb, QUOTA_SHEET, QUOTA_HEADERS, where, look)
    count_rule = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="实际完成",
        error="请填写不小于 0 的整数",
    )
    ws.add_data_validation(count_rule)
    for r, row in enumerate(quotas, start=2):
        for c, value in enumerate([row.title, row.region, row.level or NO_LEVEL, row.year, row.target], start=1):
            cell = ws.cell(r, c)
            put(cell, value)
            cell.fill = look.locked_fill
        for c in (6, 7):
            ws.cell(r, c).protection, ws.cell(r, c).fill = look.unlocked, look.input_fill
    if quotas:
        count_rule.add(f"F2:F{len(quotas) + 1}")
    _widths(ws)
    ws.column_dimensions["G"].width = 40
    _protect(ws)


def _task_sheet(wb: Workbook, tasks: list[TaskRow], where: str, look: _Look) -> None:
    """任务完成情况: each task of the year (locked), 完成情况 (a drop-down), 日期 and 说明 to fill."""
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = _table(wb, TASK_SHEET, TASK_HEADERS, where, look)
    state_rule = DataValidation(
        type="list",
        formula1='"' + ",".join(STATES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="完成情况",
        error="请从下拉列表中选择",
    )
    task_date = _date_rule()
    ws.add_data_validation(state_rule)
    ws.add_data_validation(task_date)
    for r, row in enumerate(tasks, start=2):
        for c, value in enumerate([row.plan_title, row.label, row.year, row.units], start=1):
            cell = ws.cell(r, c)
            put(cell, value)
            cell.fill, cell.alignment = look.locked_fill, look.wrap
        for c in (5, 6, 7):
            ws.cell(r, c).protection, ws.cell(r, c).fill = look.unlocked, look.input_fill
        ws.cell(r, 6).number_format = "yyyy-mm-dd"
    if tasks:
        state_rule.add(f"E2:E{len(tasks) + 1}")
        task_date.add(f"F2:F{len(tasks) + 1}")
    _widths(ws, cap=36)
    for column, width in (("E", 12), ("F", 12), ("G", 40)):
        ws.column_dimensions[column].width = width
    _protect(ws)


def _source_sheets(wb: Workbook, quotas: list[QuotaRow], tasks: list[TaskRow], where: str, look: _Look) -> None:
    """目标出处 and 任务出处: two tables, two sheets, each row one target or one task."""
    tables: list[tuple[str, list[str], list[list[Any]]]] = [
        (
            SOURCE_SHEET,
            SOURCE_HEADERS,
            [[q.title, q.region, q.level or NO_LEVEL, q.year, q.target, q.source] for q in quotas],
        ),
        (TASK_SOURCE_SHEET, TASK_SOURCE_HEADERS, [[t.plan_title, t.label, t.year, t.due, t.source] for t in tasks]),
    ]
    for title, headers, rows in tables:
        ws = _table(wb, title, headers, where, look)
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values, start=1):
                put(ws.cell(r, c), value)
        _widths(ws, cap=36)
        _protect(ws)


def template_bytes(
    basis: dict[str, Any], region: str, year: int, plan_titles: dict[str, str], programme_title: str
) -> bytes:
    from openpyxl import Workbook

    quotas, tasks = template_rows(basis, region, year, plan_titles)
    look, where = _look(), f"{region} {year}年"
    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    _info_sheet(wb, region, year, basis.get("area", "全市"), programme_title, look)
    _quota_sheet(wb, quotas, where, look)
    _task_sheet(wb, tasks, where, look)
    _source_sheets(wb, quotas, tasks, where, look)
    wb.active = 0
    wb.properties.creator = "shiwanqian"
    wb.properties.title = f"{programme_title} 进度填报（{region} {year}年）"
    when = dt.datetime(year, 1, 1)
    wb.properties.created = wb.properties.modified = when
    buffer = io.BytesIO()
    wb.save(buffer)
    return _stable_zip(buffer.getvalue(), when)
