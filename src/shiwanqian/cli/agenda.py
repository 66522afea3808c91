"""`shiwanqian agenda`: what is underway and what falls due next, as of a day."""

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
    PlanOption,
    check_plan_in,
    csv_for_excel,
    fail,
    load_snapshot,
    note,
    resolve_region_in,
    resolve_unit_in,
)

HELP = """近期任务：截至某一天（默认今天），哪些任务正在进行、哪些在接下来若干天内到期，按到期日排列。

到期日是任务的截止日（“10月前”为 9 月 30 日），没有截止日的为其实施时间的最后一天；日期的对应规则见 docs/dates.md。工程期结束之后查询，会说明工程已结束，并列出最后一个时期（最后半年）的任务。

示例：shiwanqian agenda；shiwanqian agenda --as-of 年份-03-15 --within 60 --unit 单位名；shiwanqian agenda --as-of 年份-09-01 -d 区域名 --format json
"""

WITHIN = 30


def command(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="查询日，年-月-日，如 2017-03-15。默认：今天。", show_default=False)
    ] = None,
    within: Annotated[int, typer.Option("--within", help="向后看多少天（默认 30）。")] = WITHIN,
    district: DistrictOption = None,
    unit: Annotated[
        str | None, typer.Option("--unit", "-u", help="责任单位，如 市教师培训中心、县市区教育局。", show_default=False)
    ] = None,
    exact: ExactOption = False,
    plan: PlanOption = None,
    data: DataOption = None,
    fmt: FormatOption = Format.table,
    excel: ExcelOption = False,
) -> None:
    import datetime as dt

    fmt = csv_for_excel(fmt, excel)

    from ..domain.programme.agenda import STATUS_LABELS, build, parse_day
    from ..domain.programme.tasks import select, why_empty
    from ..domain.programme.units import Relation, Responsibility
    from ..storage.names import region_names, units_of

    if not 0 <= within <= 3660:
        fail(f"--within 须为 0–3660 之间的天数，而不是 {within}")
    try:
        day = parse_day(as_of) if as_of is not None else dt.date.today()
    except ValueError as error:
        fail(str(error))
    snapshot = load_snapshot(data)
    plan = check_plan_in([p["plan"] for p in snapshot["plans"]], plan, snapshot["table_plans"])
    region = resolve_region_in(region_names(snapshot), district).name if district is not None else None
    unit_name = resolve_unit_in(units_of(snapshot), unit) if unit is not None else None
    filters: dict[str, Any] = {
        "region": region,
        "unit": unit_name,
        "plan": plan,
        "units": Responsibility(units_of(snapshot)),
        "exact": exact,
    }
    tasks = select(snapshot["tasks"], **filters)
    agenda = build(tasks, day, within, snapshot["programme"]["period"])
    for text in agenda.notes:  # part of the answer in a table; beside the data in JSON/CSV
        note(text) if fmt in (Format.json, Format.csv) else print_message(text)
    if not agenda.items:
        if tasks:
            why = (
                f"没有符合条件的任务：{agenda.as_of.isoformat()} 起 {within} 天内没有进行中、开始或到期的任务"
                f"（所选的 {len(tasks)} 项任务都不在这段时间内；可加大 --within 或改 --as-of）。"
            )
        else:
            labels = {"unit": unit_name, "region": region, "plan": f"计划 {plan}"}
            why = why_empty(snapshot["tasks"], labels, **filters)
        if fmt in (Format.json, Format.csv):
            note(why)
        else:
            print_message(why)
            return
    if fmt in (Format.json, Format.csv):
        print_records(agenda.items, fmt, excel=excel)  # share/via: null and empty without --unit
        return
    shown = [region or "", unit_name or "", plan or ""]
    where = "".join(f" · {f}" for f in shown if f)
    if agenda.final is not None:
        title = f"最后一个时期的任务（{agenda.final.label()}{where}）"
    else:
        title = f"近期任务（{agenda.as_of.isoformat()} 起 {within} 天{where}）"
    headers = ["到期日", "距到期", "状态", "事项", "实施时间", "责任单位", "出处"]
    rows = []
    for i in agenda.items:
        status = STATUS_LABELS[i["status"]] if i["status"] != "starting" else f"{i['start'][5:]} 开始"
        left = "" if i["days_left"] is None else ("今天" if i["days_left"] == 0 else f"{i['days_left']} 天")
        units = cell(i["units"])
        if unit_name is not None and i["share"] != "own":
            units += f"\n{Relation(i['share'], tuple(i['via'])).label()}"
        rows.append([i["due"], left, status, i["name"], i["when"], units, i["source"]])
    if agenda.final is not None:  # the programme is over: no days left, no status
        headers = [headers[0], *headers[3:]]
        rows = [[r[0], *r[3:]] for r in rows]
    counts = {s: sum(i["status"] == s for i in agenda.items) for s in STATUS_LABELS}
    caption = (
        f"共 {len(agenda.items)} 项"
        if agenda.final is not None
        else f"共 {len(agenda.items)} 项：{within} 天内到期 {counts['due']} 项，进行中 {counts['underway']} 项，"
        f"即将开始 {counts['starting']} 项。"
    )
    print_sections(
        [
            Section(
                title,
                headers,
                rows,
                caption=caption + "\n到期日：截止日，没有截止日的为实施时间的最后一天。",
                numeric={1} if agenda.final is None else set(),
                keep={0},  # the date: never broken across lines
            )
        ],
        fmt,
    )
