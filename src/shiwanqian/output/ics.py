"""The iCalendar export: every dated task as all-day events (or a to-do), in each year it applies to.

The dates come from the one mapping of 实施时间 to dates, :mod:`shiwanqian.domain.dates`
(docs/dates.md): every span is an all-day event, a deadline (“10月前”) a VTODO due that day.

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

from ..domain.dates import Span, Window, month_end, span_record, spans  # noqa: F401 - Span, month_end re-exported
from ..domain.queries import schedule_entries
from ..safetext import inert, one_line

if TYPE_CHECKING:
    from icalendar import Calendar

    from ..load.loader import Catalog

DOMAIN = "shiwanqian"


def uid(plan: str, item: str, year: int, part: str = "") -> str:
    """A UID that depends only on the plan, the item, the year (and the month of a split event)."""
    token = item if re.fullmatch(r"[0-9A-Za-z._]+", item) else "i" + hashlib.sha1(item.encode()).hexdigest()[:8]
    return f"{plan}-{token}-{year}" + (f"-{part}" if part else "") + f"@{DOMAIN}"


def stamp(catalog: Catalog) -> dt.datetime:
    """DTSTAMP of every item: 1 January of the programme's first year (UTC), from the data, not the clock."""
    return dt.datetime(catalog.programme.model.period.start, 1, 1, tzinfo=dt.timezone.utc)


def build_calendar(catalog: Catalog, region: str | None = None, unit: str | None = None,
                   window: Window | None = None, exact: bool = False) -> Calendar:
    """The calendar as an icalendar object; ``region``, ``unit`` (resolved names) and ``window``
    (the days asked for) filter like ``schedule``."""
    from icalendar import Calendar, Event, Todo

    when = stamp(catalog)
    cal = Calendar()
    programme_name = catalog.programme.model.name
    cal.add("prodid", "-//shiwanqian//" + "".join(ch for ch in one_line(programme_name) if ch not in "/") + "//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = f"{programme_name}任务" + "".join(f"（{f}）" for f in (region, unit, window and window.label()) if f)
    # Text from data: control characters shown escaped (icalendar escapes , ; \\ and newlines).
    cal.add("x-wr-calname", one_line(name))
    cal.add("x-wr-caldesc", one_line(f"{catalog.programme.model.issuer}《{catalog.programme.model.title}》"
                                     f"（{catalog.programme.model.document}）的任务"))
    # Task items are unique within a plan (`check` reports duplicate-task as an error, and the
    # commands refuse data with errors), so these UIDs are unique.
    for entry in schedule_entries(catalog, region=region, unit=unit, window=window, exact=exact):
        task = entry.task
        description = (f"实施时间：{task.when}\n工作要求：{task.requirement}\n"
                       f"责任单位：{'、'.join(task.units)}\n出处：{task.source}")
        for year in task.timing.years:
            for span in spans(task.timing, year):
                if window is not None and not window.overlaps(span_record(year, span)):
                    continue
                item = Todo() if span.kind == "todo" else Event()
                item.add("uid", uid(entry.plan.id, task.item, year, span.part))
                item.add("dtstamp", when)
                item.add("summary", one_line(task.name))
                item.add("description", inert(description))
                item.add("categories", [one_line(entry.plan.title)])
                if span.kind == "todo":
                    item.add("due", span.last)
                else:
                    item.add("dtstart", span.first)
                    item.add("dtend", span.last + dt.timedelta(days=1))  # an all-day DTEND is exclusive
                    item.add("transp", "TRANSPARENT")  # a year-long task must not block anyone's free/busy time
                cal.add_component(item)
    return cal


def calendar_bytes(catalog: Catalog, region: str | None = None, unit: str | None = None,
                   window: Window | None = None, exact: bool = False) -> bytes:
    """The .ics file; the same data always give the same bytes."""
    return build_calendar(catalog, region, unit, window, exact).to_ical()
