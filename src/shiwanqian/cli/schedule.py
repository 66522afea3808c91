"""`shiwanqian schedule`: the dated task list, filtered by year, region, unit and plan."""

from __future__ import annotations

from typing import Annotated

import typer

from ..queries import allocation_records, schedule_entries
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
    allocated = []
    if region is not None:
        # The region's yearly targets from the allocation (e.g. lessons owed in each year).
        allocated = [r for records in allocation_records(catalog).values() for r in records
                     if r["region"] == region and (year is None or r["year"] == year)
                     and (plan is None or r["quota"] == plan)]
    if fmt in (Format.json, Format.csv):
        task_records = [{"kind": e.task.kind, **e.record()} for e in entries]
        print_records(task_records + allocated if fmt is Format.json else task_records, fmt)
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
    sections = [section]
    if allocated:
        years = sorted({r["year"] for r in allocated})
        order = list(catalog.programme.model.levels)
        levels = sorted({r["level"] for r in allocated}, key=lambda lv: order.index(lv) if lv in order else 99)
        value = {(r["level"], r["year"]): r["value"] for r in allocated}
        sections.append(Section(
            f"{region} 年度优质课目标（节，受控取整的年度分配）",
            ["学段", *(f"{y}年" for y in years)],
            [[lv or "", *(str(value.get((lv, y), "")) for y in years)] for lv in levels]
            + [["合计", *(str(sum(value.get((lv, y), 0) for lv in levels)) for y in years)]],
            caption="详见 shiwanqian allocate lessons --by year --district " + region,
            numeric=set(range(1, len(years) + 1))))
    print_sections(sections, fmt)
