"""The sections ``agenda`` prints: what falls due, is underway or starts within the horizon,
then what is past its due date on the day asked about, from the schedule alone (whether it was
done is in the progress reports: the section says so and names the command that reads them)."""

from __future__ import annotations

from typing import Any

from .render import Section, cell

HEADERS = ["到期日", "距到期", "状态", "事项", "实施时间", "责任单位", "出处"]
DUE_NOTE = "到期日：截止日，没有截止日的为实施时间的最后一天。"


def where_completion_is(as_of: str) -> str:
    """Where recorded completion would be read from: ``progress``, from the progress folder."""
    return f"完成情况见 shiwanqian progress --as-of {as_of}（读取进度目录中的填报）。"


def _units(item: dict[str, Any], unit: str | None) -> str:
    from ..domain.programme.units import Relation

    units = cell(item["units"])
    if unit is not None and item["share"] != "own":
        units += f"\n{Relation(item['share'], tuple(item['via'])).label()}"
    return units


def coming_section(agenda: Any, within: int, where: str, unit: str | None) -> Section:
    """Due within ``within`` days, underway, starting (or the final period, the programme over)."""
    from ..domain.programme.agenda import STATUS_LABELS

    items = agenda.coming
    rows = []
    for i in items:
        status = STATUS_LABELS[i["status"]] if i["status"] != "starting" else f"{i['start'][5:]} 开始"
        left = "" if i["days_left"] is None else ("今天" if i["days_left"] == 0 else f"{i['days_left']} 天")
        rows.append([i["due"], left, status, i["name"], i["when"], _units(i, unit), i["source"]])
    if agenda.final is not None:  # the programme is over: no days left, no status
        return Section(
            f"最后一个时期的任务（{agenda.final.label()}{where}）",
            [HEADERS[0], *HEADERS[3:]],
            [[r[0], *r[3:]] for r in rows],
            caption=f"共 {len(items)} 项\n{DUE_NOTE}",
            keep={0},
        )
    counts = {s: sum(i["status"] == s for i in items) for s in STATUS_LABELS}
    return Section(
        f"近期任务（{agenda.as_of.isoformat()} 起 {within} 天{where}）",
        HEADERS,
        rows,
        caption=f"共 {len(items)} 项：{within} 天内到期 {counts['due']} 项，进行中 {counts['underway']} 项，"
        f"即将开始 {counts['starting']} 项。\n{DUE_NOTE}",
        numeric={1},
        keep={0},  # the date: never broken across lines
    )


def overdue_section(agenda: Any, where: str, unit: str | None) -> Section:
    """Past the due date on the day asked about, by the schedule alone."""
    items = agenda.overdue
    day = agenda.as_of.isoformat()
    return Section(
        f"已过到期日的任务（截至 {day}{where}）",
        ["到期日", "已过", "事项", "实施时间", "责任单位", "出处"],
        [[i["due"], f"{-i['days_left']} 天", i["name"], i["when"], _units(i, unit), i["source"]] for i in items],
        caption=f"共 {len(items)} 项：到期日在 {day} 之前（按实施时间），不知是否已经完成。\n"
        + where_completion_is(day),
        numeric={1},
        keep={0},
    )
