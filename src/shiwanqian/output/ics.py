"""The iCalendar export: every dated task as all-day events, in each year it applies to.

The dates come from the one mapping of 实施时间 to dates, :mod:`shiwanqian.domain.programme.dates`
(docs/dates.md): every span is an all-day event marked free (TRANSP:TRANSPARENT); a deadline
(“10月前”) is an all-day event on the due date with an alarm a week before. Deadlines are not
VTODOs: many calendar apps (Google Calendar on the web, Outlook's calendar view) drop to-dos on
import. A task that takes a whole year can instead be a one-day milestone on its first day
(``whole_year="milestone"``), so a district's calendar is not covered by twenty all-year bars.

Each item: SUMMARY = the task's name, DESCRIPTION = 实施时间 as written, 工作要求, 责任单位, 出处,
CATEGORIES = the plan's title. The UID is made of the plan id, the item and the year
(``{plan}-{item}-{year}@shiwanqian``; an item that is not plain ASCII is replaced by a short hash
of it, and a month suffix separates the events of split months), so importing the file again
updates the items instead of adding them twice. DTSTAMP is 1 January of the programme's first
year, taken from the data rather than the clock, so the same data give a byte-identical file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import TYPE_CHECKING

from ..domain.programme.dates import Span, Window, month_end, span_record, spans  # noqa: F401 - Span, month_end re-exported
from ..domain.programme.tasks import schedule_entries
from ..safetext import inert, one_line

if TYPE_CHECKING:
    from icalendar import Calendar

    from ..load.loader import Catalog

DOMAIN = "shiwanqian"
WHOLE_YEAR = ("free", "milestone")  # how a task that takes a whole year is shown
ALARM_BEFORE = dt.timedelta(days=7)  # a deadline's reminder


def uid(plan: str, item: str, year: int, part: str = "") -> str:
    """A UID that depends only on the plan, the item, the year (and the month of a split event)."""
    token = item if re.fullmatch(r"[0-9A-Za-z._]+", item) else "i" + hashlib.sha1(item.encode()).hexdigest()[:8]
    return f"{plan}-{token}-{year}" + (f"-{part}" if part else "") + f"@{DOMAIN}"


def stamp(catalog: Catalog) -> dt.datetime:
    """DTSTAMP of every item: 1 January of the programme's first year (UTC), from the data, not the clock."""
    return dt.datetime(catalog.programme_model.period.start, 1, 1, tzinfo=dt.UTC)


def _whole_year(span: Span) -> bool:
    return (
        span.kind == "event"
        and (span.first.month, span.first.day) == (1, 1)
        and (span.last.month, span.last.day) == (12, 31)
        and span.first.year == span.last.year
    )


def build_calendar(
    catalog: Catalog,
    region: str | None = None,
    unit: str | None = None,
    window: Window | None = None,
    exact: bool = False,
    whole_year: str = "free",
) -> Calendar:
    """The calendar as an icalendar object; ``region``, ``unit`` (resolved names) and ``window``
    (the days asked for) filter like ``schedule``; ``whole_year`` is one of :data:`WHOLE_YEAR`."""
    from icalendar import Alarm, Calendar, Event

    when = stamp(catalog)
    cal = Calendar()
    programme_name = catalog.programme_model.name
    cal.add("prodid", "-//shiwanqian//" + "".join(ch for ch in one_line(programme_name) if ch not in "/") + "//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = f"{programme_name}任务" + "".join(f"（{f}）" for f in (region, unit, window and window.label()) if f)
    # Text from data: control characters shown escaped (icalendar escapes , ; \\ and newlines).
    cal.add("x-wr-calname", one_line(name))
    cal.add(
        "x-wr-caldesc",
        one_line(
            f"{catalog.programme_model.issuer}《{catalog.programme_model.title}》"
            f"（{catalog.programme_model.document}）的任务"
        ),
    )
    # Task items are unique within a plan (`check` reports duplicate-task as an error, and the
    # commands refuse data with errors), so these UIDs are unique.
    for entry in schedule_entries(catalog, region=region, unit=unit, window=window, exact=exact):
        task = entry.task
        description = (
            f"实施时间：{task.when}\n工作要求：{task.requirement}\n"
            f"责任单位：{'、'.join(task.units)}\n出处：{task.source}"
        )
        for year in task.timing.years:
            for span in spans(task.timing, year):
                if window is not None and not window.overlaps(span_record(year, span)):
                    continue
                item = Event()
                item.add("uid", uid(entry.plan.id, task.item, year, span.part))
                item.add("dtstamp", when)
                item.add("summary", one_line(task.name))
                first, last, lead = span.first, span.last, ""
                if span.kind == "todo":
                    lead = f"截止：{span.last.isoformat()}\n"
                elif whole_year == "milestone" and _whole_year(span):
                    last = first
                    lead = f"全年任务：{span.first.isoformat()} 至 {span.last.isoformat()}\n"
                item.add("description", inert(lead + description))
                item.add("categories", [one_line(entry.plan.title)])
                item.add("dtstart", first)
                item.add("dtend", last + dt.timedelta(days=1))  # an all-day DTEND is exclusive
                item.add("transp", "TRANSPARENT")  # all-day items must not block anyone's free/busy time
                if span.kind == "todo":
                    alarm = Alarm()
                    alarm.add("action", "DISPLAY")
                    alarm.add("description", one_line(f"截止：{task.name}（{span.last.isoformat()}）"))
                    alarm.add("trigger", -ALARM_BEFORE)
                    item.add_component(alarm)
                cal.add_component(item)
    return cal


def calendar_bytes(
    catalog: Catalog,
    region: str | None = None,
    unit: str | None = None,
    window: Window | None = None,
    exact: bool = False,
    whole_year: str = "free",
) -> bytes:
    """The .ics file; the same data always give the same bytes."""
    return build_calendar(catalog, region, unit, window, exact, whole_year).to_ical()
