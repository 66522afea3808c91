"""`shiwanqian export …`: files for the people who work in Excel/WPS and calendars.

The commands parse options, call one pure function of :mod:`shiwanqian.output` and write its
bytes atomically; openpyxl and icalendar load only when an export runs.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .common import (
    DataOption,
    DistrictOption,
    ExactOption,
    FromOption,
    PeriodOption,
    ToOption,
    date_window,
    load_catalog,
    note,
    require_suffix,
    resolve_region,
    resolve_unit,
    write_outputs,
)

app = typer.Typer(
    help="导出为 Excel 工作簿（xlsx）或日历（ics）。示例：shiwanqian export xlsx --out 工作簿.xlsx",
    no_args_is_help=True,
)

OutOption = Annotated[
    Path, typer.Option("--out", "-o", dir_okay=False, help="输出文件。先写临时文件再改名，中断不会留下半个文件。")
]
UnitOption = Annotated[
    str | None,
    typer.Option("--unit", "-u", help="责任单位：全称或别名（见数据目录的 units.yaml）。", show_default=False),
]


@app.command(
    "xlsx",
    short_help="Excel 工作簿：主表（SUM 公式）、年度安排与分配、任务表、其他指标。",
    help="Excel 工作簿：各主表（分解到区域的名额表：区域×学段，合计为可自动重算的 SUM 公式，并列原文合计）、年度安排、按年度比例的年度分配、任务表与其他指标；冻结表头、筛选、A4 横向打印。\n\n示例：shiwanqian export xlsx --out 工作簿.xlsx；shiwanqian export xlsx --out 区域.xlsx --district 区域名",
)
def xlsx(out: OutOption, district: DistrictOption = None, data: DataOption = None) -> None:
    require_suffix(out, [".xlsx"])
    from ..output.xlsx import workbook_bytes

    catalog = load_catalog(data)
    region = resolve_region(catalog, district).name if district is not None else None
    write_outputs({out: workbook_bytes(catalog, region)})


class WholeYear(str, Enum):
    free = "free"
    milestone = "milestone"


@app.command(
    "ics",
    short_help="日历文件：每条任务按年份、月份为一项，UID 固定。",
    help="iCalendar 日历：每条任务在其年份与月份中为一个全天事件，标为“空闲”，逐年任务每年一条；“N月前”为到期日当天的全天事件，提前 7 天提醒；UID 固定，重复导入会更新而不会重复。--whole-year milestone 把占满全年的任务改为当年 1 月 1 日的一天（不再整年铺满日历）。--period、--from、--to 只导出所选时期内的日程（规则见 docs/dates.md）。\n\n示例：shiwanqian export ics --out 任务.ics --district 区域名；shiwanqian export ics --out 区域.ics -d 区域名 --whole-year milestone；shiwanqian export ics --out 上半年.ics --period 年份H1",
)
def ics(
    out: OutOption,
    district: DistrictOption = None,
    unit: UnitOption = None,
    exact: ExactOption = False,
    period: PeriodOption = None,
    start: FromOption = None,
    end: ToOption = None,
    whole_year: Annotated[
        WholeYear,
        typer.Option(
            "--whole-year",
            help="占满全年的任务：free 为全年的全天事件、标为空闲（默认）；milestone 为当年 1 月 1 日的一天。",
        ),
    ] = WholeYear.free,
    data: DataOption = None,
) -> None:
    require_suffix(out, [".ics"])
    from ..output.ics import calendar_bytes

    catalog = load_catalog(data)
    programme = catalog.programme_model.period
    window = date_window((programme.start, programme.end), period=period, start=start, end=end)
    region = resolve_region(catalog, district).name if district is not None else None
    unit_name = resolve_unit(catalog, unit) if unit is not None else None
    body = calendar_bytes(catalog, region, unit_name, window, exact, whole_year.value)
    if b"BEGIN:VEVENT" not in body:
        from ..domain.programme.tasks import task_records, why_empty
        from ..domain.programme.units import Responsibility

        labels = {"unit": unit_name, "region": region, "window": window.label() if window else None}
        note(
            why_empty(
                task_records(catalog),
                labels,
                region=region,
                unit=unit_name,
                window=window,
                units=Responsibility(catalog.units_model.units),
                exact=exact,
            )
            + "日历文件中没有事项。"
        )
    write_outputs({out: body})


@app.command(
    "template",
    short_help="进度填报工作簿：一个区域一年的目标（锁定）与待填单元格。",
    help="某区域某年的进度填报工作簿（Excel/WPS）：各名额表按学段的年度目标（锁定单元格）、待填的“实际完成”（不小于 0 的整数；写成文字的数字导入时照样读入，并在摘要中列出）、到该区域的任务及“完成情况”下拉框、说明页与每个目标的出处。各县市区填好交回后用 shiwanqian progress import 导入。\n\n示例：shiwanqian export template --district 区域名 --year 年份 --out 区域-年份.xlsx",
)
def template(
    district: Annotated[
        str, typer.Option("--district", "-d", help="区域：全称、简称、拼音或后来的名称（见数据目录的 regions.yaml）。")
    ],
    year: Annotated[int, typer.Option("--year", "-y", help="填报年份，如 2018。")],
    out: OutOption,
    data: DataOption = None,
) -> None:
    require_suffix(out, [".xlsx"])
    from ..output.progress_xlsx import template_bytes
    from ..storage.names import region_names
    from .common import check_year_in, load_snapshot, resolve_region_in

    snapshot = load_snapshot(data)
    region = resolve_region_in(region_names(snapshot), district).name
    check_year_in(snapshot["programme"]["period"], year)
    titles = {p["plan"]: p["title"] for p in snapshot["plans"]}
    write_outputs({out: template_bytes(snapshot["progress"], region, year, titles, snapshot["programme"]["title"])})
