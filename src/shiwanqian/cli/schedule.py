"""`shiwanqian schedule`: the dated task list, filtered by year, region, unit and plan."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..output.render import Format, Section, cell, print_message, print_records, print_sections
from .common import (
    DataOption,
    DistrictOption,
    ExactOption,
    ExcelOption,
    FormatOption,
    FromOption,
    PeriodOption,
    PlanOption,
    ToOption,
    YearOption,
    check_plan_in,
    check_year_in,
    csv_for_excel,
    date_window,
    load_snapshot,
    note,
    resolve_region_in,
    resolve_unit_in,
)

HELP = """按时间顺序列出任务：计划、事项、实施时间、工作要求、责任单位。筛选条件可以组合。

--year 为该年的任务（含“每年一期”等逐年任务）；--period 为某一时期的任务（年份、年份H1 上半年、年份Q3 季度、年份-03 月份），--from/--to 为起止年或年月；--district 为落在该区域各单位的任务，另列该区域的年度分配；--unit 为该单位的任务（单位名见数据目录的 units.yaml），包括交给包含它的统称而共同承担的，和交给它所属单位的，并注明承担方式；--exact 只列写明该单位的任务。实施时间对应到日期的规则见 docs/dates.md。

示例：shiwanqian schedule --year 年份；shiwanqian schedule --period 年份H1 --unit 单位名；shiwanqian schedule -y 年份 -d 区域名；shiwanqian schedule --from 年份-03 --to 年份-06 --format markdown
"""


def command(
    year: YearOption = None,
    district: DistrictOption = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", help="责任单位：全称或别名（见数据目录的 units.yaml）。", show_default=False),
    ] = None,
    plan: PlanOption = None,
    exact: ExactOption = False,
    period: PeriodOption = None,
    start: FromOption = None,
    end: ToOption = None,
    data: DataOption = None,
    fmt: FormatOption = Format.table,
    excel: ExcelOption = False,
) -> None:
    fmt = csv_for_excel(fmt, excel)
    from ..domain.programme.tasks import select, why_empty
    from ..domain.programme.units import Responsibility
    from ..storage.names import region_names, units_of
    from ..storage.snapshot import allocations_of

    snapshot = load_snapshot(data)
    plan = check_plan_in([p["plan"] for p in snapshot["plans"]], plan, snapshot["table_plans"])
    check_year_in(snapshot["programme"]["period"], year)
    window = date_window(snapshot["programme"]["period"], period=period, start=start, end=end, year=year)
    region = resolve_region_in(region_names(snapshot), district).name if district is not None else None
    unit_name = resolve_unit_in(units_of(snapshot), unit) if unit is not None else None
    filters = {
        "window": window,
        "region": region,
        "unit": unit_name,
        "plan": plan,
        "units": Responsibility(units_of(snapshot)),
        "exact": exact,
    }
    tasks = select(snapshot["tasks"], **filters)
    empty = None
    if not tasks:
        labels = {
            "unit": unit_name,
            "region": region,
            "plan": f"计划 {plan}",
            "window": window.label() if window else None,
        }
        empty = why_empty(snapshot["tasks"], labels, **filters)
    allocated = []
    if region is not None:
        # The region's whole-number yearly targets of every table with a share series.
        allocated = [
            r
            for r in allocations_of(snapshot, region)
            if (window is None or r["year"] in window.years)
            and (plan is None or snapshot["table_plans"].get(r["quota"]) == plan)
        ]
    if fmt in (Format.json, Format.csv):
        if empty:
            note(empty)  # on stderr: stdout stays valid JSON/CSV
        print_records(_records(snapshot, tasks, allocated, flat=fmt is Format.csv), fmt, excel=excel)
        return
    if empty:
        print_message(empty)
        return
    shown = [window.label() if window else "", region or "", unit_name or "", plan or ""]
    sections = [_tasks_section(tasks, shown, unit_name, exact)]
    sections += _allocation_sections(snapshot, allocated, region)
    print_sections(sections, fmt)


def _records(
    snapshot: dict[str, Any], tasks: list[dict[str, Any]], allocated: list[dict[str, Any]], *, flat: bool
) -> list[dict[str, Any]]:
    """Tasks and the region's yearly allocation, the same records in JSON and CSV."""
    from ..domain.programme.dates import year_dates
    from ..domain.programme.tasks import public

    titles = {p["plan"]: p["title"] for p in snapshot["plans"]}
    return [public(t, flat=flat) for t in tasks] + [
        {
            "kind": r["kind"],
            "plan": (p := snapshot["table_plans"].get(r["quota"])),
            "plan_title": titles.get(p),
            **r,
            **year_dates(r["year"]),  # a year's target: the year's dates
        }
        for r in allocated
    ]


def _tasks_section(tasks: list[dict[str, Any]], labels: list[str], unit_name: str | None, exact: bool) -> Section:
    """The task table, with how the unit shares each task when one unit is asked for."""
    from ..domain.programme.units import LABELS, Relation

    title = "任务表" + (f"（{' · '.join(f for f in labels if f)}）" if any(labels) else "（全部）")
    headers = ["出处", "事项", "实施时间", "工作要求", "责任单位"]
    rows = [[t["source"], t["name"], t["when"], t["requirement"], cell(t["units"])] for t in tasks]
    caption = f"共 {len(tasks)} 项任务。"
    if unit_name is not None:
        headers.append("承担方式")
        for row, t in zip(rows, tasks):
            row.append(Relation(t["share"], tuple(t["via"])).label())
        counts = {share: sum(t["share"] == share for t in tasks) for share in LABELS}
        caption = (
            f"共 {len(tasks)} 项任务：{unit_name}{LABELS['own']} {counts['own']} 项，"
            f"{LABELS['shared']} {counts['shared']} 项，{LABELS['part']} {counts['part']} 项"
            + ("。" if exact else "（--exact 只列本单位的）。")
        )
    return Section(title, headers, rows, caption=caption)


def _allocation_sections(
    snapshot: dict[str, Any], allocated: list[dict[str, Any]], region: str | None
) -> list[Section]:
    """One section per table with a share series: the region's whole-number yearly targets."""
    sections = []
    for table_id in dict.fromkeys(r["quota"] for r in allocated):
        mine = [r for r in allocated if r["quota"] == table_id]
        table = next(t for t in snapshot["tables"] if t["quota"] == table_id)
        years = sorted({r["year"] for r in mine})
        order = list(snapshot["programme"]["levels"])
        levels = sorted({r["level"] for r in mine}, key=lambda lv: order.index(lv) if lv in order else -1)
        value = {(r["level"], r["year"]): r["value"] for r in mine}
        unit = f"{table['unit']}，" if table["unit"] else ""
        by_level = any(levels)
        rows = [[lv or "合计", *(cell(value.get((lv, y))) for y in years)] for lv in levels]
        if by_level:
            rows.append(["合计", *(str(sum(value.get((lv, y), 0) for lv in levels)) for y in years)])
        sections.append(
            Section(
                f"{region} {table['title']}年度目标（{unit}受控取整的年度分配）",
                ["学段" if by_level else "", *(f"{y}年" for y in years)],
                rows,
                caption=f"详见 shiwanqian allocate {table_id} --by year --district {region}",
                numeric=set(range(1, len(years) + 1)),
            )
        )
    return sections
