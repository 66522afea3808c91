"""The iCalendar export: every dated task as all-day events (or a to-do), in each year it applies to.

How 实施时间 maps to calendar dates (docs/export.md has the same table in Chinese):

* a year only (“2018年”, “2016-2020年”)  → an all-day event from 1 January to 31 December;
* months (“2018年5月”, “2016年4-5月”)     → from the 1st of the first month to the last day of the
  last month when the months are consecutive; otherwise one event per month (“每年8月、10月”);
* 上半年 / 下半年                         → 1 January–30 June / 1 July–31 December;
* 年中 / 年末（年终）                     → June / December;
* a deadline (“10月前”)                   → a VTODO due on the last day of the month before (30 September);
* recurring items (每年一期 …)            → one item per year listed in the timing.

Each item: SUMMARY = the task's name, DESCRIPTION = 实施时间 as written, 工作要求, 责任单位, 出处,
CATEGORIES = the plan's title. The UID is made of the plan id, the item and the year
(``{plan}-{item}-{year}@shiwanqian``; an item that is not plain ASCII is replaced by a short hash
of it, and a month suffix separates the events of split months), so importing the file again
updates the items instead of adding them twice. DTSTAMP is 1 January of the programme's first
year, taken from the data rather than the clock, so the same data give a byte-identical file.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..domain.queries import schedule_entries

if TYPE_CHECKING:
    from icalendar import Calendar

    from ..load.loader import Catalog
    from ..load.model import Timing

DOMAIN = "shiwanqian"


@dataclass(frozen=True)
class Span:
    """One calendar item of one year of a task: an all-day event (first–last, inclusive) or a to-do due on ``last``."""

    kind: Literal["event", "todo"]
    first: dt.date
    last: dt.date
    part: str = ""  # "MM" when the year's months are split into several events


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _calendar.monthrange(year, month)[1])


def spans(timing: Timing, year: int) -> list[Span]:
    """The calendar items of one year of a task, from its structured 实施时间."""
    if timing.deadline_month:
        # “10月前”: done before October begins, i.e. due on 30 September (“1月前”: 31 December before).
        due = dt.date(year, timing.deadline_month, 1) - dt.timedelta(days=1)
        return [Span("todo", due, due)]
    if timing.months:
        months = sorted(set(timing.months))
        if months == list(range(months[0], months[-1] + 1)):
            return [Span("event", dt.date(year, months[0], 1), month_end(year, months[-1]))]
        return [Span("event", dt.date(year, m, 1), month_end(year, m), f"{m:02d}") for m in months]
    if timing.half == "上半年":
        return [Span("event", dt.date(year, 1, 1), dt.date(year, 6, 30))]
    if timing.half == "下半年":
        return [Span("event", dt.date(year, 7, 1), dt.date(year, 12, 31))]
    if timing.season == "年中":
        return [Span("event", dt.date(year, 6, 1), dt.date(year, 6, 30))]
    if timing.season == "年末":
        return [Span("event", dt.date(year, 12, 1), dt.date(year, 12, 31))]
    return [Span("event", dt.date(year, 1, 1), dt.date(year, 12, 31))]


def uid(plan: str, item: str, year: int, part: str = "") -> str:
    """A UID that depends only on the plan, the item, the year (and the month of a split event)."""
    token = item if re.fullmatch(r"[0-9A-Za-z._]+", item) else "i" + hashlib.sha1(item.encode()).hexdigest()[:8]
    return f"{plan}-{token}-{year}" + (f"-{part}" if part else "") + f"@{DOMAIN}"


def stamp(catalog: Catalog) -> dt.datetime:
    """DTSTAMP of every item: 1 January of the programme's first year (UTC), from the data, not the clock."""
    return dt.datetime(catalog.programme.model.period.start, 1, 1, tzinfo=dt.timezone.utc)


def build_calendar(catalog: Catalog, region: str | None = None, unit: str | None = None) -> Calendar:
    """The calendar as an icalendar object; ``region`` and ``unit`` (resolved names) filter like ``schedule``."""
    from icalendar import Calendar, Event, Todo

    kind = None if region is None else next(r.kind for r in catalog.regions.model.regions if r.name == region)
    when = stamp(catalog)
    cal = Calendar()
    cal.add("prodid", "-//shiwanqian//十百千万工程//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = "十百千万工程任务" + "".join(f"（{f}）" for f in (region, unit) if f)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", f"{catalog.programme.model.issuer}《{catalog.programme.model.title}》"
                            f"（{catalog.programme.model.document}）的任务")
    # Task items are unique within a plan (`check` reports duplicate-task as an error, and the
    # commands refuse data with errors), so these UIDs are unique.
    for entry in schedule_entries(catalog, region=region, region_kind=kind, unit=unit):
        task = entry.task
        description = (f"实施时间：{task.when}\n工作要求：{task.requirement}\n"
                       f"责任单位：{'、'.join(task.units)}\n出处：{task.source}")
        for year in task.timing.years:
            for span in spans(task.timing, year):
                item = Todo() if span.kind == "todo" else Event()
                item.add("uid", uid(entry.plan.id, task.item, year, span.part))
                item.add("dtstamp", when)
                item.add("summary", task.name)
                item.add("description", description)
                item.add("categories", [entry.plan.title])
                if span.kind == "todo":
                    item.add("due", span.last)
                else:
                    item.add("dtstart", span.first)
                    item.add("dtend", span.last + dt.timedelta(days=1))  # an all-day DTEND is exclusive
                    item.add("transp", "TRANSPARENT")  # a year-long task must not block anyone's free/busy time
                cal.add_component(item)
    return cal


def calendar_bytes(catalog: Catalog, region: str | None = None, unit: str | None = None) -> bytes:
    """The .ics file; the same data always give the same bytes."""
    return build_calendar(catalog, region, unit).to_ical()
