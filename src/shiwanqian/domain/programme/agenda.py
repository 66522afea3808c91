"""What is underway and what falls due next, as of a day: the view behind ``shiwanqian agenda``.

Pure over the task records (:mod:`.tasks`) and their dates (:mod:`.dates`): every dated item
of every task-year is looked at once. As of day D, with a horizon of N days (D … D+N):

* ``due``      — the item is done by a day inside the horizon (its deadline, or the last day of its span);
* ``underway`` — it began on or before D and is done by a day after the horizon;
* ``starting`` — it begins inside the horizon (after D) and is done by a day after it;
* ``overdue``  — it was to be done by a day before D. From the schedule alone: whether it was
  done is recorded in the progress reports, which ``shiwanqian progress`` reads.

Items are sorted by the day they are done by (then by start and document order). Before the
programme begins the agenda is that of its first day (nothing is overdue yet); after it ends,
the agenda is the programme's final period (its last half-year) and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from .dates import Window, due, first, no_span

Status = Literal["due", "underway", "starting", "overdue"]
STATUS_LABELS = {"due": "到期", "underway": "进行中", "starting": "即将开始", "overdue": "已过到期日"}


@dataclass(frozen=True)
class Agenda:
    as_of: dt.date
    horizon: dt.date
    items: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    final: Window | None = None  # after the programme's end: the final period shown instead

    @property
    def coming(self) -> list[dict[str, Any]]:
        """Due within the horizon, underway or starting: the agenda proper."""
        return [i for i in self.items if i["status"] != "overdue"]

    @property
    def overdue(self) -> list[dict[str, Any]]:
        """Past their due date on the day asked about (by the schedule; not whether done)."""
        return [i for i in self.items if i["status"] == "overdue"]


def parse_day(text: str) -> dt.date:
    """``2017-03-15`` (also ``2017-3-5``, ``2017/3/5``, full-width digits) as a date; ValueError otherwise."""
    import re
    import unicodedata

    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", unicodedata.normalize("NFKC", text).strip())
    if match is None:
        raise ValueError(f"无法识别的日期“{text}”；请写 年-月-日，如 2017-03-15")
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        raise ValueError(f"日期“{text}”不存在") from None


def _item(task: dict[str, Any], dated: dict[str, Any], status: Status, as_of: dt.date) -> dict[str, Any]:
    day = due(dated)
    return {
        "plan": task["plan"],
        "item": task["item"],
        "name": task["name"],
        "when": task["when"],
        "year": dated["year"],
        "start": dated["start"],
        "end": dated["end"],
        "deadline": dated["deadline"],
        "no_span": no_span(dated["start"], dated["end"]),
        "due": day,
        "status": status,
        "days_left": (dt.date.fromisoformat(day) - as_of).days,
        "units": list(task["units"]),
        "share": task.get("share"),
        "via": list(task.get("via") or []),
        "source": task["source"],
        "sort": task["sort"],
    }


def build(tasks: list[dict[str, Any]], as_of: dt.date, within: int, programme: tuple[int, int] | list[int]) -> Agenda:
    """The agenda of the (already filtered) task records as of ``as_of``, ``within`` days ahead."""
    start, end = dt.date(programme[0], 1, 1), dt.date(programme[1], 12, 31)
    notes: list[str] = []
    if as_of > end:
        last = Window(dt.date(end.year, 7, 1), end) if end.month == 12 else Window(dt.date(end.year, 1, 1), end)
        notes.append(
            f"工程期 {programme[0]}–{programme[1]} 年已于 {end.isoformat()} 结束（查询日 {as_of.isoformat()}）；"
            f"以下为最后一个时期（{last.label()}）的任务。"
        )
        items = [_item(t, d, "due", as_of) for t in tasks for d in t["dates"] if last.overlaps(d)]
        for item in items:
            item["days_left"] = None
        items.sort(key=lambda i: (i["due"], i["start"] or i["due"], *i["sort"]))
        return Agenda(as_of, end, _public(items), notes, final=last)
    if as_of < start:
        notes.append(f"工程尚未开始（{start.isoformat()} 起）；以下为工程开始后 {within} 天内的安排。")
    origin = max(as_of, start)
    horizon = origin + dt.timedelta(days=within)
    lo, hi = origin.isoformat(), horizon.isoformat()
    items = []
    for task in tasks:
        for dated in task["dates"]:
            begin, done = first(dated), due(dated)
            if lo <= done <= hi:
                status: Status = "due"
            elif done > hi and begin <= lo:
                status = "underway"
            elif done > hi and lo < begin <= hi:
                status = "starting"
            elif done < lo and as_of >= start:
                status = "overdue"
            else:
                continue
            items.append(_item(task, dated, status, origin))
    items.sort(key=lambda i: (i["due"], i["start"] or i["due"], *i["sort"]))
    return Agenda(origin, horizon, _public(items), notes)


def _public(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in i.items() if k != "sort"} for i in items]
