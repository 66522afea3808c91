"""The collection round trip: what a bureau's fill-in workbook holds, and reading it back.

``template_rows`` says which rows a region's workbook for a year has (the same function
decides what the exported template contains and what an import accepts); ``read_returned``
turns the cell values of a returned workbook (read from the file by ``load.workbook``) into
a progress report, collecting every problem as ``FILE.xlsx!sheet!cell: 原因``. Nothing here
opens a file.

The sheet names and the column headers are the contract with the bureaus: keep them. Only 说明,
名额完成情况 and 任务完成情况 are read back; the two source sheets are for people, so a workbook
exported by 0.3.0 (both source tables side by side on one sheet) imports as a new one does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

INFO_SHEET = "说明"
QUOTA_SHEET = "名额完成情况"
TASK_SHEET = "任务完成情况"
SOURCE_SHEET = "目标出处"
TASK_SOURCE_SHEET = "任务出处"
QUOTA_HEADERS = ["名额表", "区域", "学段", "年份", "目标", "实际完成", "说明"]
TASK_HEADERS = ["计划", "事项", "年份", "责任单位", "完成情况", "日期", "说明"]
# For people only (import never reads them): one table a sheet. Up to 0.3.0 both were on 目标出处.
SOURCE_HEADERS = ["名额表", "区域", "学段", "年份", "目标", "出处"]
TASK_SOURCE_HEADERS = ["计划", "事项", "年份", "截止日期", "出处"]
STATES = ["完成", "部分完成", "未开展", "不适用"]
# 说明 sheet: labels in column A, values in column B (found by label, not by position).
INFO_REGION, INFO_YEAR = "区域", "年份"
INFO_REPORTER, INFO_AS_OF, INFO_EVIDENCE = "填报单位", "截至日期", "依据（报告或文件名称）"
NO_LEVEL = "—"  # the 学段 cell of a table without 学段


@dataclass(frozen=True)
class QuotaRow:
    quota: str
    title: str
    region: str
    level: str | None
    year: int
    target: int | None
    source: str

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.title, self.region, self.level or NO_LEVEL, self.year)


@dataclass(frozen=True)
class TaskRow:
    plan: str
    plan_title: str
    item: str
    name: str
    year: int
    units: str
    due: str
    source: str

    @property
    def label(self) -> str:
        return f"{self.item}：{self.name}"

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.plan_title, self.label, self.year)


def template_rows(
    basis: dict[str, Any], region: str, year: int, plan_titles: dict[str, str]
) -> tuple[list[QuotaRow], list[TaskRow]]:
    """The quota rows (every table the region owes, each 学段, the year's target) and task
    rows (every task of the year that falls on the region) of one bureau's workbook."""
    quotas = []
    for table in basis["tables"]:
        owed = table["quota"].get(region)
        start, end = table["period"]
        if owed is None or not start <= year <= end:
            continue
        levels = [lv for lv in basis["levels"] if lv in owed] if table["by_level"] else [""]
        for level in levels:
            entry = table["yearly"].get(region, {}).get(level, {}).get(str(year))
            if table["kind"] is None:
                target, source = None, table["source"]
            elif entry is None:
                target, source = 0, f"当年无安排（{table['source']}）"
            else:
                target, source = entry
            quotas.append(QuotaRow(table["id"], table["title"], region, level or None, year, target, source))
    tasks = []
    for task in basis["tasks"]:
        if year in task["years"] and region in task["applies"]:
            tasks.append(
                TaskRow(
                    task["plan"],
                    plan_titles.get(task["plan"], task["plan"]),
                    task["item"],
                    task["name"],
                    year,
                    "、".join(task["units"]),
                    task["due"].get(str(year), ""),
                    task["source"],
                )
            )
    return quotas, tasks


# ------------------------------------------------------------------ reading


@dataclass
class Returned:
    """One returned workbook read back: the report it makes, or its problems."""

    file: str
    region: str | None = None
    year: int | None = None
    report: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # read, but as the summary should say (text digits)


def _integer(value: Any) -> tuple[int | None, str | None]:
    """A count from a cell: (value, None) or (None, why not)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, f"应填写整数，而不是 {value}"
    if isinstance(value, str):
        text = value.strip().translate(str.maketrans("０１２３４５６７８９－", "0123456789-"))
        if not re.fullmatch(r"-?\d+", text):
            return None, f"应填写数字，而不是文字“{value.strip()[:20]}”"
        value = int(text)
    if isinstance(value, float):
        if not value.is_integer():
            return None, f"应填写整数，而不是 {value:g}"
        value = int(value)
    if not isinstance(value, int):
        return None, f"应填写数字，而不是 {value!r}"
    if value < 0:
        return None, f"不能为负数：{value}"
    if value > 10**9:
        return None, f"数字大得不合理：{value}"
    return value, None


def _date(value: Any) -> tuple[dt.date | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str):
        text = value.strip().replace("/", "-").replace(".", "-")
        try:
            return dt.date.fromisoformat(text), None
        except ValueError:
            pass
        match = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
        if match:
            try:
                return dt.date(*map(int, match.groups())), None
            except ValueError:
                pass
    return None, f"应填写日期（如 2018-06-30），而不是“{str(value)[:20]}”"


def _text(value: Any) -> str:
    """A cell's text on one line (line breaks typed with Alt+Enter become spaces)."""
    return "" if value is None else " ".join(str(value).split())


WIDTH = max(len(QUOTA_HEADERS), len(TASK_HEADERS))  # the columns of a returned workbook that are read


@dataclass(frozen=True)
class _Sheet:
    """One worksheet's values: ``rows[0]`` is row 1, each row ``WIDTH`` values long."""

    title: str
    rows: list[tuple[Any, ...]]

    def value(self, row: int, column: int) -> Any:
        values = self.rows[row - 1] if row <= len(self.rows) else ()
        return values[column - 1] if column <= len(values) else None


def _letter(column: int) -> str:
    return chr(ord("A") + column - 1)  # the template's columns are A–G


def read_returned(
    name: str,
    sheets: dict[str, list[tuple[Any, ...]]],
    unreadable: str | None,
    basis: dict[str, Any],
    plan_titles: dict[str, str],
    *,
    expect_region: str | None = None,
    expect_year: int | None = None,
) -> Returned:
    """One returned workbook, given as ``load.workbook.read_sheets`` read it (``unreadable``:
    why the file could not be read); every problem is named ``FILE!sheet!cell: 原因``."""
    result = Returned(name)

    def problem(sheet: str, cell: str, reason: str) -> None:
        result.problems.append(f"{name}!{sheet}!{cell}: {reason}")

    def note(sheet: str, cell: str, what: str) -> None:
        result.notes.append(f"{name}!{sheet}!{cell}: {what}")

    if unreadable is not None:
        result.problems.append(f"{name}: {unreadable}")
        return result
    cells = _info_cells(name, sheets, result.problems)
    if cells is None:
        return result
    region_cell, region = cells[INFO_REGION][0], _text(cells[INFO_REGION][1])
    year_cell, year_value = cells[INFO_YEAR]
    year, why = _integer(year_value)
    if region not in basis["regions"]:
        problem(INFO_SHEET, region_cell, f"未知区域“{region}”")
        return result
    if year is None or not basis["period"][0] <= year <= basis["period"][1]:
        problem(INFO_SHEET, year_cell, why or f"年份不在工程期 {basis['period'][0]}–{basis['period'][1]} 内")
        return result
    result.region, result.year = region, year
    if expect_region is not None and region != expect_region:
        problem(INFO_SHEET, region_cell, f"这是{region}的工作簿，不是{expect_region}的")
    if expect_year is not None and year != expect_year:
        problem(INFO_SHEET, year_cell, f"这是 {year} 年的工作簿，不是 {expect_year} 年的")
    as_of_cell, as_of_value = cells[INFO_AS_OF]
    as_of, why = _date(as_of_value)
    start, end = basis["period"]
    if as_of is None:
        problem(INFO_SHEET, as_of_cell, why or "请填写截至日期（如 2018-06-30 或 2018-12-31）")
    elif as_of.year < year:
        problem(INFO_SHEET, as_of_cell, f"截至日期 {as_of.isoformat()} 早于填报年份 {year} 年")
    elif not dt.date(start, 1, 1) <= as_of <= dt.date(end, 12, 31):
        problem(INFO_SHEET, as_of_cell, f"截至日期 {as_of.isoformat()} 不在工程期 {start}–{end} 内")
    reporter = _text(cells.get(INFO_REPORTER, ("", None))[1]) or region
    evidence = _text(cells.get(INFO_EVIDENCE, ("", None))[1]) or name

    quota_rows, task_rows = template_rows(basis, region, year, plan_titles)
    quotas = _read_quotas(
        _Sheet(QUOTA_SHEET, sheets[QUOTA_SHEET]), {r.key: r for r in quota_rows}, region, year, problem, note
    )
    tasks = _read_tasks(
        _Sheet(TASK_SHEET, sheets[TASK_SHEET]), {r.key: r for r in task_rows}, region, year, as_of, problem
    )
    if result.problems:
        return result
    assert as_of is not None  # a missing date is a problem above
    result.report = {
        "id": f"{region}-{year}-{as_of.isoformat()}",
        "reporter": reporter,
        "as_of": as_of,
        "evidence": evidence,
        "quotas": quotas,
        "tasks": tasks,
    }
    return result


def _info_cells(
    name: str, sheets: dict[str, list[tuple[Any, ...]]], problems: list[str]
) -> dict[str, tuple[str, Any]] | None:
    """The 填报说明 sheet's label → (cell, value), or None with the problems when the workbook
    is not the template (a sheet or a label missing)."""
    for sheet in (INFO_SHEET, QUOTA_SHEET, TASK_SHEET):
        if sheet not in sheets:
            problems.append(f"{name}: 缺少工作表“{sheet}”（请使用 shiwanqian export template 导出的模板）")
    if problems:
        return None
    cells: dict[str, tuple[str, Any]] = {}
    for number, row in enumerate(sheets[INFO_SHEET], start=1):
        label = _text(row[0] if row else None)
        if label and label not in cells:
            cells[label] = (f"B{number}", row[1] if len(row) > 1 else None)
    for label in (INFO_REGION, INFO_YEAR, INFO_AS_OF):
        if label not in cells:
            problems.append(f"{name}!{INFO_SHEET}: 找不到“{label}”一栏（请使用 shiwanqian export template 导出的模板）")
    return None if problems else cells


def _header_problems(ws: _Sheet, headers: list[str], problem: Any) -> bool:
    ok = True
    for index, header in enumerate(headers, start=1):
        found = _text(ws.value(1, index))
        if found != header:
            problem(ws.title, f"{_letter(index)}1", f"表头应为“{header}”，而不是“{found}”")
            ok = False
    return ok


def _same_region_year(
    ws: _Sheet, row: int, region: str, year: int, got_region: str, got_year: Any, problem: Any
) -> bool:
    if got_region and got_region != region:
        problem(ws.title, f"B{row}", f"这一行是{got_region}的，本工作簿是{region}的")
        return False
    number, _ = _integer(got_year)
    if number is not None and number != year:
        column = "D" if ws.title == QUOTA_SHEET else "C"
        problem(ws.title, f"{column}{row}", f"这一行是 {number} 年的，本工作簿是 {year} 年的")
        return False
    return True


def _filled_rows(ws: _Sheet) -> Iterator[tuple[int, list[Any]]]:
    """Each data row below the header that has anything in its first ``WIDTH`` cells."""
    for row in range(2, len(ws.rows) + 1):
        values = [ws.value(row, c) for c in range(1, WIDTH + 1)]
        if not all(v is None or _text(v) == "" for v in values):
            yield row, values


def _read_quotas(
    ws: _Sheet, expected: dict[tuple, QuotaRow], region: str, year: int, problem: Any, note: Any
) -> list[dict]:
    """The figures of the 名额完成情况 sheet. A count typed as text (``'113``, a cell formatted
    as text, full-width ``１１３``) is read as the number it spells and noted for the summary:
    refusing it would send a workbook back for a formatting the bureau cannot see."""
    if not _header_problems(ws, QUOTA_HEADERS, problem):
        return []
    seen: set[tuple] = set()
    records = []
    for row, values in _filled_rows(ws):
        title, got_region, level, got_year, target, actual, remark = values
        number, _ = _integer(got_year)
        key = (_text(title), _text(got_region), _text(level) or NO_LEVEL, number)
        template = expected.get(key)
        if template is None:
            if _same_region_year(ws, row, region, year, _text(got_region), got_year, problem):
                problem(
                    ws.title,
                    f"A{row}",
                    f"未知的行：{_text(title)} {_text(got_region)} {_text(level)} "
                    f"{_text(got_year)}（本模板没有这一行，名额表、区域、学段、年份不要改动）",
                )
            continue
        if key in seen:
            problem(ws.title, f"A{row}", "这一行重复出现")
            continue
        seen.add(key)
        shown, _ = _integer(target)
        if shown != template.target or (template.target is not None and isinstance(target, str)):
            problem(
                ws.title,
                f"E{row}",
                f"目标单元格被改动：应为 {template.target if template.target is not None else '空'}，"
                f"现为“{_text(target)}”（目标以文件为准，不能修改）",
            )
        value, why = _integer(actual)
        if why:
            problem(ws.title, f"F{row}", why)
            continue
        if value is None:
            if _text(remark):
                problem(ws.title, f"F{row}", "填写了说明，但没有填实际完成（没有完成请填 0）")
            continue
        if isinstance(actual, str):
            note(ws.title, f"F{row}", f"文字“{actual.strip()[:20]}”按数字 {value} 读入")
        record: dict[str, Any] = {"quota": template.quota, "region": region}
        if template.level is not None:
            record["level"] = template.level
        record.update(year=year, achieved=value)
        if _text(remark):
            record["note"] = _text(remark)
        records.append(record)
    return records


def _read_tasks(
    ws: _Sheet, expected: dict[tuple, TaskRow], region: str, year: int, as_of: dt.date | None, problem: Any
) -> list[dict]:
    if not _header_problems(ws, TASK_HEADERS, problem):
        return []
    seen: set[tuple] = set()
    records = []
    for row, values in _filled_rows(ws):
        plan, item, got_year, _units, status, day, note = values
        number, _ = _integer(got_year)
        key = (_text(plan), _text(item), number)
        template = expected.get(key)
        if template is None:
            if number is not None and number != year:
                problem(ws.title, f"C{row}", f"这一行是 {number} 年的，本工作簿是 {year} 年的")
            else:
                problem(ws.title, f"A{row}", f"未知的行：{_text(plan)} {_text(item)}（计划、事项、年份不要改动）")
            continue
        if key in seen:
            problem(ws.title, f"A{row}", "这一行重复出现")
            continue
        seen.add(key)
        state = _text(status)
        when, why = _date(day)
        if why:
            problem(ws.title, f"F{row}", why)
        if state and state not in STATES:
            problem(ws.title, f"E{row}", f"完成情况应为 {'、'.join(STATES)} 之一，而不是“{state[:20]}”")
            continue
        if not state:
            if when is not None or _text(note):
                problem(ws.title, f"E{row}", "填写了日期或说明，但没有选择完成情况")
            continue
        if when is not None and as_of is not None and when > as_of:
            problem(ws.title, f"F{row}", f"日期 {when.isoformat()} 晚于截至日期 {as_of.isoformat()}")
            continue
        if why:
            continue
        record: dict[str, Any] = {
            "plan": template.plan,
            "item": template.item,
            "year": year,
            "region": region,
            "status": state,
        }
        if when is not None:
            record["date"] = when
        if _text(note):
            record["note"] = _text(note)
        records.append(record)
    return records
