"""The layout of ``shiwanqian timeline``: which months of which year each plan and task occupies.

Pure computation over a loaded catalog; drawing (rich, SVG, HTML) is the command's business.

Every year is twelve marks, one a month, read as two half-years of six (上半年, 下半年):

* ``█`` the task runs through that month: a task dated only by year (“2018年”) fills the year,
  one dated by half-year (“2017年下半年”) fills that half;
* ``▌`` a single month: a month the document names (“2018年5月”), the month before a
  deadline (“2016年10月前” → September), mid-year (年中, June) or the year's end (年末, December);
* ``·`` nothing.

A plan's row is the union of its tasks' rows (``█`` wins over ``▌``). Quota milestones are
the yearly numbers of the main tables (those with per-region rows): the document's own yearly
schedules where a table has one, else the yearly allocation totals of its share series
(controlled rounding).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .dates import Window, covered_months, spans
from .queries import main_tables
from .tasks import schedule_entries

if TYPE_CHECKING:
    from ...load.loader import Catalog
    from ...load.model import Plan, QuotaTable, Timing

FULL, POINT, NONE = "█", "▌", "·"
RANK = {NONE: 0, POINT: 1, FULL: 2}
HALVES = ("上半年", "下半年")
UNSPLIT = "＊"  # the year also has city-wide figures the document does not split by region

RowKind = Literal["plan", "task", "quota"]


def year_marks(timing: Timing, year: int) -> str:
    """Twelve marks, January to December, for one task in one year.

    From the dated items of :func:`shiwanqian.domain.programme.dates.spans`: a span of half a year or
    more is ``█`` through its months, a shorter one ``▌`` in each of its months, a deadline
    ``▌`` in the month it falls in (“10月前” → September).
    """
    marks = [NONE] * 12
    for when in timing.years:
        for span in spans(timing, when):
            if span.last.year != year:
                continue
            months = covered_months(span)
            mark = FULL if span.kind == "event" and len(months) >= 6 else POINT
            for month in months:
                marks[month - 1] = mark
    return "".join(marks)


def merge(rows: Iterable[str]) -> str:
    """Month-by-month union of task rows for a plan's row.

    A month some task names (``▌``) is shown even inside another task's bar (``█``): most
    plans have a task that runs all five years, and the dated events are what the row is for.
    """
    result = [NONE] * 12
    for row in rows:
        result = [b if b == POINT or a == NONE else a for a, b in zip(result, row, strict=True)]
    return "".join(result)


def half_mark(marks: str, half: int) -> str:
    """The strongest mark in one half-year (0 = 上半年, 1 = 下半年)."""
    return max(marks[6 * half : 6 * half + 6], key=RANK.__getitem__)


@dataclass(frozen=True)
class Row:
    kind: RowKind
    label: str
    plan: str
    months: Mapping[int, str] = field(default_factory=dict)  # year → 12 marks (plan, task rows)
    numbers: Mapping[int, str] = field(default_factory=dict)  # year → milestone text (quota rows)
    source: str | None = None

    def marks(self, year: int) -> str:
        return self.months.get(year, NONE * 12)

    def half(self, year: int, half: int) -> str:
        return half_mark(self.marks(year), half)


@dataclass(frozen=True)
class Timeline:
    title: str
    years: tuple[int, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()

    def plan_titles(self) -> list[str]:
        return [r.label for r in self.rows if r.kind == "plan"]


# ------------------------------------------------------------------ milestones


def _schedule_total(table: QuotaTable, year_entry: Any) -> int:
    if year_entry.total is not None:
        return year_entry.total
    return sum(g.total if g.total is not None else sum(g.regions.values()) for g in year_entry.groups)


def milestone_numbers(
    table: QuotaTable, *, region: str | None = None, allocations: Sequence[Mapping[str, Any]] | None = None
) -> dict[int, str]:
    """Yearly numbers of a quota table, for the whole city or for one region.

    From the table's yearly schedule when it has one, else from its yearly allocation
    records. For a region, a year that also has city-wide figures the document does not
    split by region (in a 学段 the region owes) is marked with ``＊``.
    """
    numbers: dict[int, str] = {}
    if table.schedule:
        row = next((r for r in table.rows if r.region == region), None)
        owed = set(row.values) if row is not None and row.values is not None else {None}
        for entry in table.schedule:
            if region is None:
                numbers[entry.year] = str(_schedule_total(table, entry))
                continue
            mine = [g.regions[region] for g in entry.groups if region in g.regions]
            unsplit = row is not None and any(not g.regions and g.level in owed for g in entry.groups)
            text = (str(sum(mine)) if mine else "") + (UNSPLIT if unsplit else "")
            if text:
                numbers[entry.year] = text
        return numbers
    totals: dict[int, int] = {}
    for record in allocations or ():
        if region is None or record["region"] == region:
            totals[record["year"]] = totals.get(record["year"], 0) + record["value"]
    return {year: str(value) for year, value in sorted(totals.items())}


def join_sources(sources: Iterable[str]) -> str:
    """``附件11 四 1``, ``附件11 四 2`` → ``附件11 四 1、2``; unrelated places are joined with ；."""
    unique = list(dict.fromkeys(sources))
    heads = {s.rsplit(" ", 1)[0] for s in unique}
    if len(unique) > 1 and len(heads) == 1 and all(" " in s for s in unique):
        return f"{heads.pop()} " + "、".join(s.rsplit(" ", 1)[1] for s in unique)
    return "；".join(unique)


def _quota_label(table: QuotaTable) -> str:
    what = "年度安排" if table.schedule else "年度分配"
    unit = f"{table.unit}，" if table.unit else ""
    return f"{table.title}（{unit}{what}）"


# ------------------------------------------------------------------ layout


def build(
    catalog: Catalog,
    *,
    region: str | None = None,
    region_kind: str | None = None,
    unit: str | None = None,
    plan: str | None = None,
    tasks: bool = False,
    allocations: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    window: Window | None = None,
    exact: bool = False,
) -> Timeline:
    """The timeline of the plans (and with ``tasks``, their tasks) that the filters keep.

    Filters are those of ``schedule``: a region keeps the tasks of units in that region, a
    unit its own tasks, a plan its own, a ``window`` the tasks dated inside it (and only its
    years are drawn). Without a region, unit or window filter every plan has a row, even one
    without dated tasks; with one, only plans with a matching task.
    """
    period = catalog.programme_model.period
    years = tuple(y for y in period.years if window is None or y in window.years)
    entries = schedule_entries(catalog, region=region, unit=unit, plan=plan, window=window, exact=exact)
    by_plan: dict[str, list] = {}
    for entry in entries:  # time order (first year, month), then document order
        by_plan.setdefault(entry.plan.id, []).append(entry.task)

    plans: list[Plan] = sorted((loc.model for loc in catalog.plans), key=lambda p: p.order)
    tables = main_tables(catalog)
    area = catalog.programme_model.vocabulary.area
    whose = f"{region}的份额" if region else f"{area}合计"
    rows: list[Row] = []
    quota_notes: list[str] = []
    unsplit = False
    for p in plans:
        if plan is not None and p.id != plan:
            continue
        mine = by_plan.get(p.id, [])
        if not mine and (region is not None or unit is not None or window is not None):
            continue
        task_rows = [
            Row("task", t.name, p.id, {y: year_marks(t.timing, y) for y in years}, source=t.source) for t in mine
        ]
        rows.append(
            Row("plan", p.title, p.id, {y: merge(r.months[y] for r in task_rows) for y in years}, source=p.source)
        )
        for table in tables:
            if table.plan != p.id:
                continue
            numbers = milestone_numbers(table, region=region, allocations=(allocations or {}).get(table.id))
            numbers = {y: v for y, v in numbers.items() if y in years}
            if not numbers:
                continue
            unsplit = unsplit or any(v.endswith(UNSPLIT) for v in numbers.values())
            row, note = _quota_row(table, p.id, numbers, whose)
            rows.append(row)
            quota_notes.append(note)
        if tasks:
            rows.extend(task_rows)

    filters = [f for f in (region, unit, plan, window and window.label()) if f]
    span = f"{years[0]}年" if len(years) == 1 else f"{years[0]}–{years[-1]}年"
    title = f"{catalog.programme_model.name}时间线（{span}" + (f" · {' · '.join(filters)}" if filters else "") + "）"
    notes = [
        f"图例：{FULL} 进行中（未写月份的任务占满所在年份或半年）　{POINT} 某月举办或截止　{NONE} 无安排。",
        "“X月前”记在前一月，“年中”记 6 月，“年末”记 12 月；计划行合并其全部任务，任务写明的月份在计划行中也标出。",
        *quota_notes,
    ]
    if unsplit:
        notes.append(f"{UNSPLIT} 该年另有只给{area}数、未分解到区域的安排（见 shiwanqian quota --district {region}）。")
    if not rows:
        notes.append(_why_empty(catalog, region=region, unit=unit, plan=plan, window=window, exact=exact))
    return Timeline(title, years, tuple(rows), tuple(notes))


def _quota_row(table: QuotaTable, plan: str, numbers: dict[int, str], whose: str) -> tuple[Row, str]:
    """A quota table's row of yearly figures, and the note saying where they come from."""
    if table.schedule:
        source = join_sources(year.source for year in table.schedule)
        note = f"{table.title}：{whose}，文件的年度安排（{source}）。"
    else:
        source = table.shares.source if table.shares is not None else table.source
        note = f"{table.title}：{whose}，按年度比例受控取整的分配（{source}）。"
    return Row("quota", _quota_label(table), plan, numbers=numbers, source=source), note


def _why_empty(
    catalog: Catalog,
    *,
    region: str | None,
    unit: str | None,
    plan: str | None,
    window: Window | None,
    exact: bool,
) -> str:
    """Why no plan is left, in the words ``schedule`` uses."""
    from .tasks import task_records, why_empty
    from .units import Responsibility

    labels = {
        "unit": unit,
        "region": region,
        "plan": plan and f"计划 {plan}",
        "window": window.label() if window else None,
    }
    return why_empty(
        task_records(catalog),
        labels,
        region=region,
        unit=unit,
        plan=plan,
        window=window,
        units=Responsibility(catalog.units_model.units),
        exact=exact,
    )
