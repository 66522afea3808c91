"""The fill-in workbook one bureau returns: its targets for a year, locked, and cells to fill.

Sheets: 说明 (what to fill and how; the region, year, reporter, as-of date and evidence),
名额完成情况 and 任务完成情况 (the contract headers, targets in locked cells, input cells with
data validation: whole numbers ≥ 0, a drop-down of statuses, dates) and 目标出处 (where every
target comes from). The sheets are protected without a password: the point is to stop
accidental edits; ``progress import`` refuses a workbook whose targets were changed anyway.
Every text from the data is written as a string cell (never a formula). Equal data give
byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

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
    SOURCE_SHEET,
    STATES,
    TASK_HEADERS,
    TASK_SHEET,
    template_rows,
)
from .xlsx import _stable_zip, put, text_width


def _text(cell: Any, value: Any) -> None:
    """A string cell whatever the text looks like (“=1+1” stays text, not a formula; control
    characters shown escaped): the workbook's one rule, ``xlsx.put``."""
    put(cell, value)


def template_bytes(
    basis: dict[str, Any], region: str, year: int, plan_titles: dict[str, str], programme_title: str
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    quotas, tasks = template_rows(basis, region, year, plan_titles)
    bold, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    locked_fill = PatternFill("solid", fgColor="F2F2F2")
    unlocked = Protection(locked=False)
    wrap = Alignment(vertical="top", wrap_text=True)
    wb = Workbook()
    wb.remove(wb.active)

    def sheet(title: str, headers: list[str]):
        ws = wb.create_sheet(title)
        for index, header in enumerate(headers, start=1):
            cell = ws.cell(1, index)
            _text(cell, header)
            cell.font, cell.fill = bold, header_fill
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.oddHeader.center.text = f"{title}（{region} {year}年）"
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        return ws

    def widths(ws, cap: int = 50) -> None:
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

    def protect(ws) -> None:
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # widths may still be adjusted
        ws.protection.autoFilter = False
        ws.protection.sort = False

    # 说明
    info = wb.create_sheet(INFO_SHEET)
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 90
    _text(info.cell(1, 1), f"{programme_title} 年度进度填报表")
    info.cell(1, 1).font = Font(bold=True, size=14)
    meta = [
        (INFO_REGION, region, False),
        (INFO_YEAR, year, False),
        (INFO_REPORTER, f"{region}教育局", True),
        (INFO_AS_OF, None, True),
        (INFO_EVIDENCE, None, True),
    ]
    for offset, (label, value, editable) in enumerate(meta, start=3):
        _text(info.cell(offset, 1), label)
        info.cell(offset, 1).font = bold
        cell = info.cell(offset, 2)
        _text(cell, value)
        cell.alignment = Alignment(horizontal="left")
        if editable:
            cell.protection, cell.fill = unlocked, input_fill
        else:
            cell.fill = locked_fill
    as_of_cell = info.cell(6, 2)
    as_of_cell.number_format = "yyyy-mm-dd"
    date_rule = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(1900,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="日期",
        error="请填写日期，如 2018-06-30",
    )
    info.add_data_validation(date_rule)
    date_rule.add(as_of_cell.coordinate)
    instructions = [
        "填写方法",
        f"1. 黄色单元格由{region}填写；灰色单元格（区域、年份、目标、名额表、计划、事项等）是文件规定的内容，已锁定，请勿修改。",
        "2. 截至日期：年中督查填 6 月 30 日（如 2018-06-30），年末专项考核评估填 12 月 31 日；依据：填报所依据的总结、报告或文件名称。",
        f"3. “{QUOTA_SHEET}”：在“实际完成”一栏填 {year} 年当年完成的整数（不是累计数），没有完成填 0，尚无数字的留空；可在“说明”中注明情况。",
        f"4. “{TASK_SHEET}”：在“完成情况”中选择 {'、'.join(STATES)}，并填写完成日期与说明。",
        "5. 目标取自文件的年度安排；文件只给出年度比例的，为按比例受控取整的年度分配；每个目标的出处见“目标出处”工作表。"
        f"“目标”为空表示文件只给出{basis.get('area', '全市')}数、没有分解到{region}。",
        "6. 填好后保存为 .xlsx 交回。导入命令：shiwanqian progress import 本文件.xlsx（有任何问题会逐格列出，不会导入一半）。",
        "7. 请勿增删、移动行或改动表头；多余的行会被拒绝。",
    ]
    for offset, line in enumerate(instructions, start=9):
        cell = info.cell(offset, 2)
        _text(cell, line)
        cell.alignment = wrap
        info.row_dimensions[offset].height = 15 * max(1, -(-text_width(line) // 88))
    info.cell(9, 2).font = bold
    protect(info)

    # 名额完成情况
    ws = sheet(QUOTA_SHEET, QUOTA_HEADERS)
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
            _text(cell, value)
            cell.fill = locked_fill
        for c in (6, 7):
            ws.cell(r, c).protection, ws.cell(r, c).fill = unlocked, input_fill
    if quotas:
        count_rule.add(f"F2:F{len(quotas) + 1}")
    widths(ws)
    ws.column_dimensions["G"].width = 40
    protect(ws)

    # 任务完成情况
    ws = sheet(TASK_SHEET, TASK_HEADERS)
    state_rule = DataValidation(
        type="list",
        formula1='"' + ",".join(STATES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="完成情况",
        error="请从下拉列表中选择",
    )
    task_date = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(1900,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="日期",
        error="请填写日期，如 2018-06-30",
    )
    ws.add_data_validation(state_rule)
    ws.add_data_validation(task_date)
    for r, row in enumerate(tasks, start=2):
        for c, value in enumerate([row.plan_title, row.label, row.year, row.units], start=1):
            cell = ws.cell(r, c)
            _text(cell, value)
            cell.fill, cell.alignment = locked_fill, wrap
        for c in (5, 6, 7):
            ws.cell(r, c).protection, ws.cell(r, c).fill = unlocked, input_fill
        ws.cell(r, 6).number_format = "yyyy-mm-dd"
    if tasks:
        state_rule.add(f"E2:E{len(tasks) + 1}")
        task_date.add(f"F2:F{len(tasks) + 1}")
    widths(ws, cap=36)
    for column, width in (("E", 12), ("F", 12), ("G", 40)):
        ws.column_dimensions[column].width = width
    protect(ws)

    # 目标出处
    ws = sheet(SOURCE_SHEET, ["名额表", "区域", "学段", "年份", "目标", "出处", "计划", "事项", "截止日期", "事项出处"])
    for r, row in enumerate(quotas, start=2):
        for c, value in enumerate(
            [row.title, row.region, row.level or NO_LEVEL, row.year, row.target, row.source], start=1
        ):
            _text(ws.cell(r, c), value)
    for r, row in enumerate(tasks, start=2):
        for c, value in enumerate([row.plan_title, row.label, row.due, row.source], start=7):
            _text(ws.cell(r, c), value)
    widths(ws, cap=36)
    protect(ws)

    wb.active = 0
    wb.properties.creator = "shiwanqian"
    wb.properties.title = f"{programme_title} 进度填报（{region} {year}年）"
    when = dt.datetime(year, 1, 1)
    wb.properties.created = wb.properties.modified = when
    buffer = io.BytesIO()
    wb.save(buffer)
    return _stable_zip(buffer.getvalue(), when)
