"""Excel workbook and iCalendar exports, built from the loaded catalog.

Both return bytes; the command writes them atomically. openpyxl and icalendar are imported
inside the functions: they never load on the everyday commands.

How 实施时间 maps to calendar dates (also in docs/export.md):

* a year only (“2018年”)             → an all-day event from 1 January to 31 December;
* months (“2018年5月”, “4-5月”)       → the first day of the first month to the last day of the
  last month when the months are consecutive, else one event per month;
* 上半年 / 下半年                     → January–June / July–December;
* 年中 / 年末（年终）                 → June / December;
* a deadline (“10月前”)               → a to-do due on the last day of the month before;
* recurring items (每年一期 …)        → one event per year listed in the timing.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from typing import TYPE_CHECKING, Any

from .queries import HEADLINE, allocation_records, quota_records, schedule_entries

if TYPE_CHECKING:
    from .loader import Catalog
    from .model import Task

FIXED_TIME = dt.datetime(2016, 1, 1, tzinfo=dt.timezone.utc)  # deterministic stamps: the programme's start


def text_width(text: str) -> int:
    """Display width: CJK and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


# ---------------------------------------------------------------------- workbook


def workbook(catalog: Catalog, region: str | None = None, region_kind: str | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    levels = list(catalog.programme.model.levels)
    regions = [r for r in catalog.regions.model.regions if region is None or r.name == region]
    tables = {q.model.id: q.model for q in catalog.quotas}
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wb = Workbook()
    wb.remove(wb.active)

    def sheet(title: str, headers: list[str]) -> Any:
        ws = wb.create_sheet(title[:31])
        # Printed pages carry the table's name and the page number (the tab name is not printed).
        ws.oddHeader.center.text = title
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.append(headers)
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        return ws

    def totals(ws: Any, labels: list[str], first: int, last: int, after: list[str] | None = None) -> None:
        """A bold 合计 row of SUM formulas over columns first..last of the data rows."""
        end = ws.max_row
        sums = [f"=SUM({get_column_letter(c)}2:{get_column_letter(c)}{end})" for c in range(first, last + 1)]
        ws.append([*labels, *sums, *(after or [])])
        for cell in ws[ws.max_row]:
            cell.font = bold

    def finish(ws: Any) -> None:
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = ws.dimensions
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        for index, column in enumerate(ws.iter_cols(values_only=True), start=1):
            width = max((text_width(v) for v in column if v is not None and not str(v).startswith("=")), default=6)
            ws.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)

    for table_id in HEADLINE:
        table = tables.get(table_id)
        if table is None:
            continue
        rows = [row for row in table.rows if any(r.name == row.region for r in regions)]
        if table.by_level:
            present = [lv for lv in levels if any(lv in (row.values or {}) for row in rows)]
            ws = sheet(f"{table.title}", ["区域", *present, "合计", "原文合计", "出处"])
            last = get_column_letter(len(present) + 1)
            for n, row in enumerate(rows, start=2):
                ws.append([row.region, *((row.values or {}).get(lv) for lv in present), f"=SUM(B{n}:{last}{n})",
                           row.total, row.source])
            totals(ws, ["合计"], 2, len(present) + 3, [table.source])
        else:
            ws = sheet(table.title, ["区域", "数量", "出处"])
            for row in rows:
                ws.append([row.region, row.value, row.source])
            totals(ws, ["合计"], 2, 2, [table.source])
        finish(ws)
        if table.schedule:
            years = [y.year for y in table.schedule]
            ws = sheet(f"{table.title}年度安排", ["区域", "学段", *(f"{y}年" for y in years), "合计"])
            keys: list[tuple[str, str | None]] = []
            for y in table.schedule:
                for group in y.groups:
                    names = [g for g in group.regions if region is None or g == region] if group.regions else ["全市"]
                    for name in names:
                        if (name, group.level) not in keys:
                            keys.append((name, group.level))
            order = {r.name: i for i, r in enumerate(catalog.regions.model.regions)}
            keys.sort(key=lambda k: (order.get(k[0], 99), levels.index(k[1]) if k[1] in levels else -1))
            last = get_column_letter(len(years) + 2)
            for n, (name, level) in enumerate(keys, start=2):
                values = []
                for y in table.schedule:
                    value = None
                    for group in y.groups:
                        if group.level == level:
                            value = group.regions.get(name) if group.regions else (group.total if name == "全市" else None)
                            if value is not None:
                                break
                    values.append(value)
                ws.append([name, level or "", *values, f"=SUM(C{n}:{last}{n})"])
            totals(ws, ["合计", ""], 3, len(years) + 3)
            finish(ws)
            ws.append([])
            ws.append(["出处：" + "；".join(y.source for y in table.schedule)])

    allocations = allocation_records(catalog)
    if "lessons" in allocations:
        table = tables["lessons"]
        records = [r for r in allocations["lessons"] if region is None or r["region"] == region]
        years = sorted({r["year"] for r in records})
        ws = sheet("优质课年度分配", ["区域", "学段", *(f"{y}年" for y in years), "合计", "名额"])
        order = {r.name: i for i, r in enumerate(catalog.regions.model.regions)}
        cells = sorted({(r["region"], r["level"]) for r in records},
                       key=lambda k: (order.get(k[0], 99), levels.index(k[1]) if k[1] in levels else 99))
        value = {(r["region"], r["level"], r["year"]): r["value"] for r in records}
        quota = {(row.region, lv): v for row in table.rows for lv, v in (row.values or {}).items()}
        last = get_column_letter(len(years) + 2)
        for n, (g, lv) in enumerate(cells, start=2):
            ws.append([g, lv, *(value[g, lv, y] for y in years), f"=SUM(C{n}:{last}{n})", quota.get((g, lv))])
        totals(ws, ["合计", ""], 3, len(years) + 4)
        finish(ws)

    ws = sheet("任务表", ["出处", "计划", "事项", "实施时间", "年份", "工作要求", "责任单位"])
    for entry in schedule_entries(catalog, region=region, region_kind=region_kind):
        t = entry.task
        ws.append([t.source, entry.plan.title, t.name, t.when, "、".join(map(str, t.timing.years)),
                   t.requirement, "、".join(t.units)])
    finish(ws)

    ws = sheet("其他指标", ["项目", "指标", "适用范围", "年份", "数值", "限定词", "单位", "出处"])
    for loc in catalog.quotas:
        q = loc.model
        if q.id in HEADLINE:
            continue
        for target in q.targets:
            if region is not None:
                from .queries import scope_applies

                if not scope_applies(target.scope, region, region_kind or ""):
                    continue
            value = target.value if target.value is not None else (
                f"{target.min}-{target.max}" if target.min is not None else target.claim)
            ws.append([q.title, target.name, target.scope, target.year, value, target.qualifier,
                       target.unit or q.unit, target.source])
    finish(ws)

    wb.properties.creator = "shiwanqian"
    wb.properties.created = wb.properties.modified = FIXED_TIME.replace(tzinfo=None)
    buffer = io.BytesIO()
    wb.save(buffer)
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and document dates (openpyxl stamps the
    save time into docProps/core.xml), so equal workbooks are equal files."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\g<2>",
                                 content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2016, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()


# ---------------------------------------------------------------------- calendar


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _calendar.monthrange(year, month)[1])


def spans(task: Task, year: int) -> list[tuple[str, dt.date, dt.date]]:
    """(kind, first day, last day) of each calendar item for one year of a task."""
    timing = task.timing
    if timing.deadline_month:
        month = timing.deadline_month - 1 or 12
        due_year = year if timing.deadline_month > 1 else year - 1
        day = _month_end(due_year, month)
        return [("todo", day, day)]
    if timing.months:
        months = sorted(timing.months)
        if months == list(range(months[0], months[-1] + 1)):
            return [("event", dt.date(year, months[0], 1), _month_end(year, months[-1]))]
        return [("event", dt.date(year, m, 1), _month_end(year, m)) for m in months]
    if timing.half == "上半年":
        return [("event", dt.date(year, 1, 1), dt.date(year, 6, 30))]
    if timing.half == "下半年":
        return [("event", dt.date(year, 7, 1), dt.date(year, 12, 31))]
    if timing.season == "年中":
        return [("event", dt.date(year, 6, 1), dt.date(year, 6, 30))]
    if timing.season == "年末":
        return [("event", dt.date(year, 12, 1), dt.date(year, 12, 31))]
    return [("event", dt.date(year, 1, 1), dt.date(year, 12, 31))]


def uid(plan: str, item: str, year: int, index: int) -> str:
    digest = hashlib.sha1(f"{plan}/{item}".encode()).hexdigest()[:10]
    return f"{plan}-{digest}-{year}-{index}@shiwanqian"


def ics(catalog: Catalog, region: str | None = None, region_kind: str | None = None,
        unit: str | None = None) -> bytes:
    from icalendar import Calendar, Event, Todo

    cal = Calendar()
    cal.add("prodid", "-//shiwanqian//十百千万工程//ZH")
    cal.add("version", "2.0")
    name = "十百千万工程任务" + (f"（{region}）" if region else "") + (f"（{unit}）" if unit else "")
    cal.add("x-wr-calname", name)
    for entry in schedule_entries(catalog, region=region, region_kind=region_kind, unit=unit):
        task = entry.task
        description = (f"实施时间：{task.when}\n工作要求：{task.requirement}\n"
                       f"责任单位：{'、'.join(task.units)}\n出处：{task.source}")
        for year in task.timing.years:
            for index, (kind, first, last) in enumerate(spans(task, year)):
                item = Todo() if kind == "todo" else Event()
                item.add("uid", uid(entry.plan.id, task.item, year, index))
                item.add("dtstamp", FIXED_TIME)
                item.add("summary", task.name if kind == "event" else f"截止：{task.name}")
                item.add("description", description)
                item.add("categories", [entry.plan.title])
                if kind == "todo":
                    item.add("due", first)
                else:
                    item.add("dtstart", first)
                    item.add("dtend", last + dt.timedelta(days=1))  # all-day events end exclusively
                cal.add_component(item)
    return cal.to_ical()
