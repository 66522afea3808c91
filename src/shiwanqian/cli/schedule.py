"""`shiwanqian schedule`: the dated task list, filtered by year, region, unit and plan."""

from __future__ import annotations

from typing import Annotated

import typer

from ..queries import schedule_entries
from ..render import Format, Section, cell, print_records, print_sections
from ..vocab import RegionNames
from .common import (DataOption, DistrictOption, FormatOption, PlanOption, YearOption, check_plan,
                     check_year, load_catalog, resolve_region, resolve_unit)

HELP = """按时间顺序列出任务：计划、事项、实施时间、工作要求、责任单位。筛选条件可以组合。

--year 2018 为 2018 年的任务（含“每年一期”等逐年任务）；--district 攸县 为落在攸县各单位的任务；--unit 市教师培训中心 为该单位的任务。

示例：shiwanqian schedule --year 2018；shiwanqian schedule -y 2017 -d 醴陵；shiwanqian schedule --unit 市教师培训中心 --format markdown
"""


def command(
    year: YearOption = None,
    district: DistrictOption = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="责任单位，如 市教师培训中心、县市区教育局。", show_default=False)] = None,
    plan: PlanOption = None,
    data: DataOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    catalog = load_catalog(data)
    check_plan(catalog, plan)
    check_year(catalog, year)
    region = kind = None
    if district is not None:
        region = resolve_region(catalog, district).name
        kind = RegionNames(catalog.regions.model.regions).kind(region)
    unit_name = resolve_unit(catalog, unit) if unit is not None else None
    entries = schedule_entries(catalog, year=year, region=region, region_kind=kind, unit=unit_name, plan=plan)
    if fmt in (Format.json, Format.csv):
        print_records([e.record() for e in entries], fmt)
        return
    filters = [f"{year}年" if year else "", region or "", unit_name or "", plan or ""]
    title = "任务表" + (f"（{' · '.join(f for f in filters if f)}）" if any(filters) else "（全部）")
    section = Section(
        title,
        ["出处", "事项", "实施时间", "工作要求", "责任单位"],
        [[e.task.source, e.task.name, e.task.when, e.task.requirement, cell(e.task.units)]
         for e in entries],
        caption=f"共 {len(entries)} 项任务。",
    )
    print_sections([section], fmt)
