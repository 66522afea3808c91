"""Dates of every task-year: the one mapping from 实施时间 to calendar dates.

Every command that shows or filters by date uses this module: the JSON/CSV records of
``schedule`` (``start``, ``end``, ``deadline``, ``months``), the ``timeline`` marks, the
calendar of ``export ics``, the ``--period``/``--from``/``--to`` filters and ``agenda``.
The mapping is documented for users once, in docs/dates.md:

* a year only (“2018年”, “2016-2020年”)  → 1 January–31 December of each year;
* months (“2018年5月”, “4-5月”)           → the 1st of the first month to the last day of the last
  month when the months are consecutive; otherwise one span per month (“每年8月、10月”);
* 上半年 / 下半年                         → 1 January–30 June / 1 July–31 December;
* 年中 / 年末（年终）                     → June / December;
* a deadline (“10月前”)                   → no span, a deadline on the last day of the month
  before (30 September);
* recurring items (每年一期 …)            → one span per year listed in the timing.

Light on purpose (no pydantic, no YAML): the query snapshot filters its cached records with
:func:`in_window` on ISO strings.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ...load.model import Timing


@dataclass(frozen=True)
class Span:
    """One dated item of one year of a task.

    ``event``: the task runs from ``first`` to ``last`` (inclusive). ``todo``: a deadline, the
    task is due on ``last`` (``first`` is the same day; the document names no start).
    """

    kind: Literal["event", "todo"]
    first: dt.date
    last: dt.date
    part: str = ""  # "MM" when the year's months are split into several spans

    @property
    def start(self) -> dt.date | None:
        return None if self.kind == "todo" else self.first

    @property
    def end(self) -> dt.date | None:
        return None if self.kind == "todo" else self.last

    @property
    def deadline(self) -> dt.date | None:
        return self.last if self.kind == "todo" else None

    @property
    def due(self) -> dt.date:
        """The day by which this item is done: its deadline, else its last day."""
        return self.last


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _calendar.monthrange(year, month)[1])


def spans(timing: Timing, year: int) -> list[Span]:
    """The dated items of one year of a task, from its structured 实施时间."""
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


def covered_months(span: Span) -> list[int]:
    """The months of the year a span touches (a deadline: the month it falls in)."""
    return list(range(span.first.month, span.last.month + 1))


def task_months(timing: Timing) -> list[int]:
    """Months of the year the task occupies under the mapping (the same in every year it runs)."""
    year = timing.years[0]
    return sorted({m for span in spans(timing, year) for m in covered_months(span)})


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def span_record(year: int, span: Span) -> dict[str, Any]:
    return {"year": year, "start": iso(span.start), "end": iso(span.end), "deadline": iso(span.deadline)}


def date_records(timing: Timing) -> list[dict[str, Any]]:
    """One record per dated item of every year of a task: ``year``, ``start``, ``end``, ``deadline``."""
    return [span_record(year, span) for year in timing.years for span in spans(timing, year)]


# Why a record has no ``start``/``end``: the only dated items without a span are deadlines
# (“10月前”); the document names no day they begin, and none is made up.
NO_SPAN = "截止事项：原文只写了截止时间，没有写开始和结束的日期；截止日见 deadline"


def no_span(start: str | None, end: str | None) -> str | None:
    """The ``no_span`` field of a record: null when it has ``start`` and ``end``, else why not."""
    return None if start and end else NO_SPAN


def year_dates(year: int) -> dict[str, str | None]:
    """``start``, ``end``, ``deadline``, ``no_span`` of a record for a whole year (a yearly
    allocation): 1 January–31 December, as for a task whose 实施时间 names only the year."""
    return {"start": iso(dt.date(year, 1, 1)), "end": iso(dt.date(year, 12, 31)), "deadline": None, "no_span": None}


def summary(dates: list[dict[str, Any]]) -> dict[str, str | None]:
    """``start``, ``end``, ``deadline`` of a task over the dated items kept: the earliest start,
    the latest end and the latest deadline (null where none), and ``no_span``: why there is no
    ``start``/``end`` (every item kept is a deadline), null when there are."""
    starts = [d["start"] for d in dates if d["start"]]
    ends = [d["end"] for d in dates if d["end"]]
    deadlines = [d["deadline"] for d in dates if d["deadline"]]
    start, end = min(starts, default=None), max(ends, default=None)
    return {
        "start": start,
        "end": end,
        "deadline": max(deadlines, default=None),
        "no_span": no_span(start, end),
    }


def due(item: dict[str, Any]) -> str:
    """The ISO day a dated item is done by: its deadline, else its end."""
    return item["deadline"] or item["end"]


def first(item: dict[str, Any]) -> str:
    """The ISO day a dated item begins: its start, else (a deadline) its deadline."""
    return item["start"] or item["deadline"]


# ------------------------------------------------------------------ windows


class WindowError(ValueError):
    """A period or a --from/--to value that cannot be read; the message is for users."""


@dataclass(frozen=True)
class Window:
    """A closed range of days (ISO strings compare in date order)."""

    first: dt.date
    last: dt.date

    def label(self) -> str:
        """The window as users say it: 2017年、2017年上半年、2017年第三季度、2017年3月 …"""
        a, b = self.first, self.last
        if a.day != 1 or b != month_end(b.year, b.month):
            return f"{a.isoformat()}至{b.isoformat()}"
        if a.year != b.year:
            if (a.month, b.month) == (1, 12):
                return f"{a.year}–{b.year}年"
            return f"{a.year}年{a.month}月–{b.year}年{b.month}月"
        months = (a.month, b.month)
        named = {
            (1, 12): "",
            (1, 6): "上半年",
            (7, 12): "下半年",
            (1, 3): "第一季度",
            (4, 6): "第二季度",
            (7, 9): "第三季度",
            (10, 12): "第四季度",
        }
        if months in named:
            return f"{a.year}年{named[months]}"
        return f"{a.year}年{a.month}月" if a.month == b.month else f"{a.year}年{a.month}–{b.month}月"

    def overlaps(self, item: dict[str, Any]) -> bool:
        return first(item) <= self.last.isoformat() and due(item) >= self.first.isoformat()

    def intersect(self, other: Window | None) -> Window:
        if other is None:
            return self
        return Window(max(self.first, other.first), min(self.last, other.last))

    @property
    def years(self) -> list[int]:
        return list(range(self.first.year, self.last.year + 1))


PERIOD = re.compile(r"(?P<year>\d{4})(?:(?P<half>[Hh][12])|(?P<quarter>[Qq][1-4])|-(?P<month>\d{1,2}))?")
PERIOD_HELP = "2017（一年）、2017H1（上半年）、2017H2、2017Q3（第三季度）或 2017-03（一个月）"
POINT_HELP = "年份（2017）或年月（2017-03）"


def _clean(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text).strip()


def parse_period(text: str) -> Window:
    """``2017``, ``2017H1``, ``2017Q3`` or ``2017-03`` as a window of days."""
    match = PERIOD.fullmatch(_clean(text))
    if match is None:
        raise WindowError(f"无法识别的时期“{text}”；请写 {PERIOD_HELP}")
    year = int(match["year"])
    if match["half"]:
        half = int(match["half"][1])
        return Window(dt.date(year, 6 * half - 5, 1), month_end(year, 6 * half))
    if match["quarter"]:
        quarter = int(match["quarter"][1])
        return Window(dt.date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter))
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise WindowError(f"“{text}”中的月份 {month} 不在 1–12 之间")
        return Window(dt.date(year, month, 1), month_end(year, month))
    return Window(dt.date(year, 1, 1), dt.date(year, 12, 31))


def parse_point(text: str, option: str) -> Window:
    match = PERIOD.fullmatch(_clean(text))
    if match is None or match["half"] or match["quarter"]:
        raise WindowError(f"{option} 的值“{text}”无法识别；请写 {POINT_HELP}")
    return parse_period(text)


def window(
    *,
    period: str | None = None,
    start: str | None = None,
    end: str | None = None,
    year: int | None = None,
    programme: tuple[int, int] | list[int] | None = None,
) -> Window | None:
    """The window the options ask for (their intersection), or None when none is given.

    ``start``/``end`` are ``--from``/``--to``: a year or a year-month; ``--from 2017-03`` begins
    on 1 March, ``--to 2017`` ends on 31 December. An empty window (``--from`` after ``--to``,
    or a period outside the programme) is a :class:`WindowError`.
    """
    parts: list[Window] = []
    if period is not None:
        parts.append(parse_period(period))
    if year is not None:
        parts.append(Window(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    if start is not None or end is not None:
        a = parse_point(start, "--from").first if start is not None else dt.date.min
        b = parse_point(end, "--to").last if end is not None else dt.date.max
        if a > b:
            raise WindowError(f"--from {start} 晚于 --to {end}")
        parts.append(Window(a, b))
    if not parts:
        return None
    result = parts[0]
    for part in parts[1:]:
        result = result.intersect(part)
    if result.first > result.last:
        raise WindowError("所给的时期互不重叠（" + "、".join(p.label() for p in parts) + "）")
    if programme is not None:
        lo, hi = programme
        if result.last < dt.date(lo, 1, 1) or result.first > dt.date(hi, 12, 31):
            raise WindowError(f"所给的时期（{result.label()}）不在工程期 {lo}–{hi} 年内")
        result = result.intersect(Window(dt.date(lo, 1, 1), dt.date(hi, 12, 31)))
    return result


def within(record: dict[str, Any], win: Window | None) -> dict[str, Any] | None:
    """A task record restricted to the dated items inside ``win`` (None when none is)."""
    if win is None:
        return record
    kept = [d for d in record["dates"] if win.overlaps(d)]
    if not kept:
        return None
    return {**record, **summary(kept), "dates": kept}
