"""`shiwanqian agenda`: what is underway and what falls due next, as of a day."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..output.render import Format, print_message, print_records, print_sections
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

HELP = """近期任务：截至某一天（默认今天），哪些任务正在进行、哪些在接下来若干天内到期，按到期日排列；另列截至那天已过到期日的任务（只按实施时间推算，是否完成见 shiwanqian progress，它读取进度目录中的填报）。

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

    from ..domain.programme.agenda import build, parse_day
    from ..domain.programme.tasks import select
    from ..domain.programme.units import Responsibility
    from ..output.agenda import coming_section, overdue_section, where_completion_is
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
    machine = fmt in (Format.json, Format.csv)
    for text in agenda.notes:  # part of the answer in a table; beside the data in JSON/CSV
        note(text) if machine else print_message(text)
    if not agenda.coming:
        why = _why_nothing(
            snapshot, tasks, agenda, within, filters, {"unit": unit_name, "region": region, "plan": plan}
        )
        note(why) if machine else print_message(why)
    if machine:
        if agenda.overdue:
            note(
                f"其中 {len(agenda.overdue)} 项截至 {agenda.as_of.isoformat()} 已过到期日（status: overdue，按实施时间）；"
                + where_completion_is(agenda.as_of.isoformat())
            )
        print_records(agenda.items, fmt, excel=excel)  # share/via: null and empty without --unit
        return
    where = "".join(f" · {f}" for f in (region, unit_name, plan) if f)
    sections = [coming_section(agenda, within, where, unit_name)] if agenda.coming else []
    if agenda.overdue:
        sections.append(overdue_section(agenda, where, unit_name))
    if sections:
        print_sections(sections, fmt)


def _why_nothing(
    snapshot: dict[str, Any],
    tasks: list[dict[str, Any]],
    agenda: Any,
    within: int,
    filters: dict[str, Any],
    shown: dict[str, str | None],
) -> str:
    """Why nothing falls due, is underway or starts: the window is empty, or no task is selected."""
    from ..domain.programme.tasks import why_empty

    if tasks:
        return (
            f"没有符合条件的任务：{agenda.as_of.isoformat()} 起 {within} 天内没有进行中、开始或到期的任务"
            f"（所选的 {len(tasks)} 项任务都不在这段时间内；可加大 --within 或改 --as-of）。"
        )
    labels = {"unit": shown["unit"], "region": shown["region"], "plan": f"计划 {shown['plan']}"}
    return why_empty(snapshot["tasks"], labels, **filters)
