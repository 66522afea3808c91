"""The Excel workbook: main tables with live SUM formulas, schedules, allocation, tasks, other targets.

Sheets, in order:

* one per main table (every quota table with per-region rows, in plan order):
  区域 × 学段, a ``=SUM`` formula for every row total, column total and the grand total, the
  document's stated 合计 in the column 原文合计 (its stated grand total on the 合计 row);
* ``{table}年度安排`` where the table has a yearly schedule: 区域 (× 学段) × 年份, with SUM totals
  and a 原文合计 row (the document's yearly totals and the table's stated total);
* ``{table}年度分配`` where the table has a share series: the controlled-rounding
  allocation, 区域 × 学段 × 年份, with SUM totals, the 名额 and the share targets;
* 任务表 (计划, 事项, 实施时间, 年份, 工作要求, 责任单位, 出处) and 其他指标 (as ``quota`` shows them).

With ``region`` only that region's rows, tasks and targets are kept. Every sheet has a bold
header row that is frozen, repeated on each printed page and filtered; A4 landscape, fit to
the page width; column widths count CJK characters as two. Equal data give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..domain.allocation.records import allocation_records
from ..domain.programme.queries import main_tables, tables_in_order, target_fields
from ..domain.programme.scope import scope_applies, vocabulary
from ..domain.programme.tasks import schedule_entries
from ..safetext import header_footer, inert, sheet_title

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from ..load.loader import Catalog
    from ..load.model import QuotaTable, Row

TASK_SHEET = "任务表"
TARGET_SHEET = "其他指标"
MIN_WIDTH, MAX_WIDTH = 8, 60  # column widths, in characters
LINE_HEIGHT = 15  # points per line of wrapped text


class Formula(str):
    """A formula the tool itself writes (the SUM totals). Every other string is a string cell,
    even when it begins with “=”: text from data never becomes a formula."""


def put(cell: Any, value: Any) -> None:
    """Set a cell: our own ``Formula`` as a formula, any other text as an inert string cell."""
    if isinstance(value, Formula):
        cell.value = str(value)
        return
    if isinstance(value, str):
        # Control characters would make openpyxl refuse the file (and are never data).
        cell.value = inert(value)
        cell.data_type = "s"  # openpyxl would read a leading “=” as a formula
        return
    cell.value = value


def append(ws: Any, values: list[Any]) -> None:
    """``ws.append`` with every value set through ``put``: the only way rows are added."""
    from openpyxl.cell.cell import Cell

    cells = []
    for value in values:
        cell = Cell(ws)  # type: ignore[call-arg]  # placed by ws.append (the stubs require a position)
        put(cell, value)
        cells.append(cell)
    ws.append(cells)


def text_width(value: Any) -> int:
    """Display width: CJK and other wide or full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def document_time(catalog: Catalog) -> dt.datetime:
    """The workbook's fixed document date (1 January of the programme's first year): not "now",
    so the same data always give the same file."""
    return dt.datetime(catalog.programme_model.period.start, 1, 1)


def region_kind(catalog: Catalog, region: str | None) -> str | None:
    if region is None:
        return None
    return next(r.kind for r in catalog.regions_model.regions if r.name == region)


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.header_font, self.header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        self.total_font = Font(bold=True)
        self.stated_font = Font(italic=True, color="595959")
        self.header_alignment = Alignment(vertical="center", wrap_text=True)
        self.wrap, self.top = Alignment(vertical="top", wrap_text=True), Alignment(vertical="top")


class _Builder:
    """Sheets with a header row, data rows, then bold totals rows and notes below the table."""

    def __init__(self, catalog: Catalog, region: str | None) -> None:
        from openpyxl import Workbook

        self.catalog, self.region = catalog, region
        self.name = catalog.programme_model.name
        # A schedule figure the document gives only for the whole area (全市, a county's 全县).
        self.unsplit = f"{catalog.programme_model.vocabulary.area}（未分解到区域）"
        self.levels = list(catalog.programme_model.levels)
        self.region_order = {r.name: i for i, r in enumerate(catalog.regions_model.regions)}
        self.styles = _Styles()
        self.sheet_names: set[str] = set()
        self.wb: Workbook = Workbook()
        self.wb.remove(self.wb.worksheets[0])  # the empty sheet a new workbook starts with

    # -------------------------------------------------------------- helpers

    def sheet(self, title: str, headers: list[str]) -> Worksheet:
        ws = self.wb.create_sheet(sheet_title(title, self.sheet_names))
        append(ws, headers)
        for cell in ws[1]:
            cell.font, cell.fill, cell.alignment = (
                self.styles.header_font,
                self.styles.header_fill,
                self.styles.header_alignment,
            )
        # Printed pages carry the table's name and the page number (the tab name is not printed).
        ws.oddHeader.left.text = header_footer(self.name)
        ws.oddHeader.center.text = header_footer(title + (f"（{self.region}）" if self.region else ""))
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        return ws

    def order(self, key: tuple[str, str | None]) -> tuple[int, int, str, str]:
        """Regions in regions.yaml order, 学段 in programme order (names break ties: no set order leaks)."""
        name, level = key
        return (
            self.region_order.get(name, len(self.region_order)),
            self.levels.index(level) if level in self.levels else -1,
            name,
            level or "",
        )

    def sums_row(
        self, ws: Worksheet, label: list[Any], first: int, last: int, end: int, after: list[Any] | None = None
    ) -> None:
        """A bold 合计 row: =SUM over rows 2..end of each column first..last."""
        from openpyxl.utils import get_column_letter as col

        append(
            ws, [*label, *(Formula(f"=SUM({col(c)}2:{col(c)}{end})") for c in range(first, last + 1)), *(after or [])]
        )
        for cell in ws[ws.max_row]:
            cell.font = self.styles.total_font

    def stated_row(self, ws: Worksheet, values: list[Any]) -> None:
        append(ws, values)
        for cell in ws[ws.max_row]:
            cell.font = self.styles.stated_font

    def finish(
        self,
        ws: Worksheet,
        data_end: int,
        table_end: int,
        freeze: str = "B2",
        note: str | None = None,
        caps: list[int] | None = None,
    ) -> None:
        """Frozen header, filter over header and data rows, print set-up, column widths; then a
        note below the table, wrapped inside the table's width (so it does not widen the page)."""
        import math

        from openpyxl.utils import get_column_letter as col

        ncols = ws.max_column
        widths: list[float] = []
        ws.freeze_panes = freeze
        ws.auto_filter.ref = f"A1:{col(ncols)}{max(data_end, 2)}"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # one page wide, as many long as needed
        assert ws.sheet_properties.pageSetUpPr is not None  # a new sheet has one
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        for index in range(1, ncols + 1):
            values = [ws.cell(r, index).value for r in range(1, table_end + 1)]
            widest = max((text_width(v) for v in values if v is not None and not str(v).startswith("=")), default=0)
            cap = caps[index - 1] if caps else MAX_WIDTH
            width = min(max(widest + 2, MIN_WIDTH), cap)
            ws.column_dimensions[col(index)].width = width
            widths.append(width)
            alignment = self.styles.wrap if widest + 2 > cap else self.styles.top
            for r in range(2, table_end + 1):
                ws.cell(r, index).alignment = alignment
        # Row heights for wrapped text, estimated from the widths (not every reader — LibreOffice
        # among them — grows a row to fit its wrapped cells when it opens the file).
        for r in range(2, table_end + 1):
            lines = max(
                (
                    math.ceil(text_width(v) / (w - 1))
                    for v, w in ((ws.cell(r, i + 1).value, w) for i, w in enumerate(widths))
                    if isinstance(v, str) and not v.startswith("=")
                ),
                default=1,
            )
            if lines > 1:
                ws.row_dimensions[r].height = LINE_HEIGHT * lines
        if note:
            row = ws.max_row + 2
            put(ws.cell(row, 1), note)
            ws.cell(row, 1).alignment = self.styles.wrap
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
            room = sum(ws.column_dimensions[col(i)].width for i in range(1, ncols + 1))
            ws.row_dimensions[row].height = LINE_HEIGHT * math.ceil(text_width(note) / room)

    # -------------------------------------------------------------- sheets

    def rows_of(self, table: QuotaTable) -> list[Row]:
        return [row for row in table.rows if self.region is None or row.region == self.region]

    def main_table(self, table: QuotaTable) -> None:
        from openpyxl.utils import get_column_letter as col

        rows = self.rows_of(table)
        if not rows:
            return
        if table.by_level:
            present = [lv for lv in self.levels if any(lv in (row.values or {}) for row in rows)]
            ws = self.sheet(table.title, ["区域", *present, "合计", "原文合计", "出处"])
            last = len(present) + 1
            for n, row in enumerate(rows, start=2):
                append(
                    ws,
                    [
                        row.region,
                        *((row.values or {}).get(lv) for lv in present),
                        Formula(f"=SUM(B{n}:{col(last)}{n})"),
                        row.total,
                        row.source,
                    ],
                )
            summed = last + 1  # level columns and the row-total column
        else:
            ws = self.sheet(table.title, ["区域", "数量", "原文合计", "出处"])
            for row in rows:
                append(ws, [row.region, row.value, row.total, row.source])
            summed = 2
        end = ws.max_row
        stated: int | None
        if self.region is None and table.total is not None:
            stated, source = (
                table.total.value,
                table.total.source
                + (f"（{table.total.value}{table.total.qualifier}）" if table.total.qualifier else ""),
            )
        else:  # one region: its own stated 合计
            stated, source = rows[0].total, rows[0].source
        self.sums_row(ws, ["合计"], 2, summed, end, [stated, source])
        ws.cell(ws.max_row, summed + 1).font = self.styles.stated_font
        self.finish(ws, end, ws.max_row)

    def schedule(self, table: QuotaTable) -> None:
        from openpyxl.utils import get_column_letter as col

        if not table.schedule:
            return
        region = self.region
        years = [y.year for y in table.schedule]
        has_level = any(g.level for y in table.schedule for g in y.groups)
        owed: set[str | None] | None = None
        if region is not None:
            row = next((r for r in table.rows if r.region == region), None)
            owed = set(row.values or {}) if row is not None and row.values is not None else {None}
        cells: dict[tuple[str, str | None], dict[int, int]] = {}
        city: dict[str | None, dict[int, int]] = {}
        for y in table.schedule:
            for group in y.groups:
                if group.regions:
                    for name, value in group.regions.items():
                        if region is None or name == region:
                            by_year = cells.setdefault((name, group.level), {})
                            by_year[y.year] = by_year.get(y.year, 0) + value
                elif owed is None or group.level in owed:
                    by_year = city.setdefault(group.level, {})
                    by_year[y.year] = by_year.get(y.year, 0) + (group.total or 0)
        if not cells and not city:
            return
        lead = ["区域", "学段"] if has_level else ["区域"]
        ws = self.sheet(f"{table.title}年度安排", [*lead, *(f"{y}年" for y in years), "合计"])
        first, last = len(lead) + 1, len(lead) + len(years)

        def line(name: str, level: str | None, values: dict[int, int]) -> None:
            append(ws, [name, *([level or ""] if has_level else []), *(values.get(y) for y in years), None])
            n = ws.max_row  # (after a blank separator row the next row number is not max_row + 1)
            put(ws.cell(n, last + 1), Formula(f"=SUM({col(first)}{n}:{col(last)}{n})"))

        for key in sorted(cells, key=self.order):
            line(*key, cells[key])
        city_rows = sorted(city.items(), key=lambda kv: self.order(("", kv[0])))
        if region is None:  # city-wide figures are part of the document's yearly totals
            for level, values in city_rows:
                line(self.unsplit, level, values)
        end = ws.max_row
        blank = [""] * (len(lead) - 1)
        if end > 1:
            self.sums_row(ws, ["合计", *blank], first, last + 1, end)
        else:  # the region has only city-wide figures here: nothing of its own to add up
            ws.append([f"{region}没有单列的年度安排", *blank])
        if region is None:
            self.stated_row(
                ws, ["原文合计", *blank, *(y.total for y in table.schedule), table.total.value if table.total else None]
            )
        else:
            row = next((r for r in table.rows if r.region == region), None)
            stated = None if row is None else (row.total if row.total is not None else row.value)
            self.stated_row(ws, [f"{region}名额（原文）", *blank, *([None] * len(years)), stated])
        table_end = ws.max_row
        if region is not None and city_rows:
            append(ws, [])
            for level, values in city_rows:  # for reference only: not part of the region's sums
                line(self.unsplit, level, values)
            table_end = ws.max_row
        self.finish(ws, end, table_end, note="出处：" + "；".join(dict.fromkeys(y.source for y in table.schedule)))

    def allocation(self, table: QuotaTable, records: list[dict[str, Any]]) -> None:
        from openpyxl.utils import get_column_letter as col

        records = [r for r in records if self.region is None or r["region"] == self.region]
        if not records or table.shares is None:
            return
        years = sorted({r["year"] for r in records})
        ws = self.sheet(f"{table.title}年度分配", ["区域", "学段", *(f"{y}年" for y in years), "合计", "名额"])
        value = {(r["region"], r["level"], r["year"]): r["value"] for r in records}
        quota: dict[tuple[str, str | None], int | None] = {
            (row.region, lv): v for row in table.rows for lv, v in row.cells().items()
        }
        last = len(years) + 2
        for n, key in enumerate(sorted({(r["region"], r["level"]) for r in records}, key=self.order), start=2):
            name, level = key
            append(
                ws,
                [
                    name,
                    level or "",
                    *(value.get((name, level, y)) for y in years),
                    Formula(f"=SUM(C{n}:{col(last)}{n})"),
                    quota.get(key),
                ],
            )
        end = ws.max_row
        self.sums_row(ws, ["合计", ""], 3, last + 2, end)
        shares = {y: Fraction(str(s)) for y, s in table.shares.values.items()}  # percent
        if self.region is None and table.total is not None:
            self.stated_row(
                ws,
                [
                    "原文比例目标",
                    "",
                    *(_number(shares.get(y, Fraction(0)) * table.total.value / 100) for y in years),
                    table.total.value,
                    None,
                ],
            )
        table_end = ws.max_row
        self.finish(
            ws,
            end,
            table_end,
            note="比例："
            + "、".join(f"{y}年 {_number(s)}%" for y, s in sorted(shares.items()))
            + f"（{table.shares.source}）。每格为受控取整的整数年度目标（shiwanqian allocate {table.id} --by year）。",
        )

    def tasks(self) -> None:
        ws = self.sheet(TASK_SHEET, ["计划", "事项", "实施时间", "年份", "工作要求", "责任单位", "出处"])
        kind = region_kind(self.catalog, self.region)
        for entry in schedule_entries(self.catalog, region=self.region, region_kind=kind):
            t = entry.task
            append(
                ws,
                [
                    entry.plan.title,
                    t.name,
                    t.when,
                    "、".join(map(str, t.timing.years)),
                    t.requirement,
                    "、".join(t.units),
                    t.source,
                ],
            )
        # Long texts wrap inside narrower columns, so that a printed page stays readable.
        self.finish(ws, ws.max_row, ws.max_row, freeze="A2", caps=[22, 22, 22, 12, 40, 22, 14])

    def targets(self) -> None:
        from .render import PROPOSED_CAPTION, amount, reviewed  # the wording `quota` prints (至少80%、100名左右 …)

        kind = region_kind(self.catalog, self.region) or ""
        rows, proposed = [], 0
        for table in tables_in_order(self.catalog, None):
            for target in table.targets:
                if self.region is not None and not scope_applies(
                    target.scope, self.region, kind, vocabulary(self.catalog)
                ):
                    continue
                fields = target_fields(target, table)
                row = [
                    table.title,
                    target.name,
                    target.scope,
                    target.year,
                    reviewed(amount(fields), fields),
                    fields["value"],
                    target.qualifier,
                    fields["unit"],
                    target.source,
                ]
                proposed += target.proposed
                rows.append((row, f"待核（{target.proposal}）：{target.reason}" if target.proposed else ""))
        headers = ["项目", "指标", "适用范围", "年份", "要求", "数值", "限定词", "单位", "出处"]
        caps = [24, 32, 12, 8, 20, 10, 10, 10, 24]
        # A column of its own for what draft proposed: only where there is something to mark.
        ws = self.sheet(TARGET_SHEET, headers + (["核定"] if proposed else []))
        for row, mark in rows:
            append(ws, row + ([mark] if proposed else []))
        note = PROPOSED_CAPTION.format(count=proposed) if proposed else None
        self.finish(ws, ws.max_row, ws.max_row, freeze="A2", note=note, caps=caps + ([40] if proposed else []))


def build_workbook(catalog: Catalog, region: str | None = None) -> Workbook:
    """The workbook as an openpyxl object; ``region`` (a resolved region name) keeps only its rows."""
    builder = _Builder(catalog, region)
    main = main_tables(catalog)
    allocations = allocation_records(catalog)
    for table in main:
        builder.main_table(table)
    for table in main:
        builder.schedule(table)
    for table in tables_in_order(catalog, None):
        if table.id in allocations:
            builder.allocation(table, allocations[table.id])
    builder.tasks()
    builder.targets()
    wb = builder.wb
    wb.properties.creator = "shiwanqian"
    wb.properties.title = inert(catalog.programme_model.name + (f"（{region}）" if region else ""), layout=False)
    wb.properties.subject = inert(
        f"{catalog.programme_model.title}（{catalog.programme_model.document}）", layout=False
    )
    wb.properties.created = wb.properties.modified = document_time(catalog)
    return wb


def workbook_bytes(catalog: Catalog, region: str | None = None) -> bytes:
    """The .xlsx file; the same data always give the same bytes."""
    buffer = io.BytesIO()
    build_workbook(catalog, region).save(buffer)
    return _stable_zip(buffer.getvalue(), document_time(catalog))


def _stable_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same archive with fixed entry times and document dates (openpyxl stamps the save
    time into docProps/core.xml and every zip entry)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\g<2>", content
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()
