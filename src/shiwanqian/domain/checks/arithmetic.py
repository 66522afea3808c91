"""Arithmetic: rows add up to their stated totals, schedules to their tables and years,
share series to 100 %, equal statements agree, and stated counts match what is listed."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from ...findings import Finding
from ...load.loader import Catalog, Located
from ...load.model import QuotaTable
from .context import Context, Seen


def _schedule_sums(table: QuotaTable) -> tuple[dict[tuple[str, str | None], int], dict[str | None, int]]:
    """Scheduled amounts by (region, level), and city-wide amounts by level."""
    by_region: dict[tuple[str, str | None], int] = defaultdict(int)
    citywide: dict[str | None, int] = defaultdict(int)
    for year in table.schedule:
        for group in year.groups:
            if group.regions:
                for region, value in group.regions.items():
                    by_region[region, group.level] += value
            else:
                citywide[group.level] += group.total or 0
    return by_region, citywide


def _quota_cells(table: QuotaTable) -> dict[tuple[str, str | None], int]:
    cells: dict[tuple[str, str | None], int] = {}
    for row in table.rows:
        if row.values is not None:
            for level, value in row.values.items():
                cells[row.region, level] = value
        else:
            cells[row.region, None] = row.value or 0
    return cells


def check_arithmetic(catalog: Catalog, ctx: Context) -> Iterator[Finding]:
    for loc in catalog.quotas:
        yield from check_table_arithmetic(loc, ctx)


def check_table_arithmetic(loc: Located, ctx: Context) -> Iterator[Finding]:
    table: QuotaTable = loc.model
    tid = table.id
    for i, row in enumerate(table.rows):
        if row.total is not None and row.total != row.parts_sum:
            yield loc.finding(
                ("rows", i, "total"),
                "row-total-mismatch",
                f"{table.title}：{row.region} 合计写作 {row.total}，各学段之和为 {row.parts_sum}",
                source=row.source,
                subject=f"{tid}/{row.region}",
            )
    rows_sum = sum(row.total if row.total is not None else row.parts_sum for row in table.rows)
    if table.total and table.rows and table.total.value != rows_sum:
        yield loc.finding(
            ("total", "value"),
            "total-mismatch",
            f"{table.title}：总数写作 {table.total.value}{table.total.qualifier or ''}，各区域合计之和为 {rows_sum}",
            source=table.total.source,
            subject=tid,
        )
    yield from _check_schedule(loc, table, ctx)
    if table.members and table.total:
        low = table.members.per_station_min * table.total.value
        high = table.members.per_station_max * table.total.value
        teachers = table.members.teachers.value
        if not low <= teachers <= high:
            yield loc.finding(
                ("members", "teachers", "value"),
                "members-range",
                f"{table.title} {table.total.value} {table.unit or '个'}，每{table.unit or '个'} "
                f"{table.members.per_station_min}–{table.members.per_station_max} 人，"
                f"应有 {low}–{high} 人，而名额为 {teachers} 人",
                source=table.members.source,
                subject=tid,
            )
    for i, target in enumerate(table.targets):
        if target.items and target.value is not None and target.value != len(target.items):
            yield loc.finding(
                ("targets", i, "value"),
                "count-mismatch",
                f"“{target.name}”写作 {target.value} 个，列出了 {len(target.items)} 个：{'、'.join(target.items)}",
                source=target.source,
                subject=f"{tid}/{target.name}",
            )


def _check_schedule(loc: Located, table: QuotaTable, ctx: Context) -> Iterator[Finding]:
    if not table.schedule:
        return
    for problem in schedule_problems(table, ctx.levels, ctx.vocabulary.area):
        yield loc.finding(problem.path, problem.code, problem.message, source=problem.source, subject=problem.subject)


@dataclass(frozen=True)
class ScheduleProblem:
    """A yearly schedule that does not add up to its table; ``subject`` is what
    ``disagreements.yaml`` names to acknowledge it."""

    path: tuple
    code: str
    message: str
    source: str
    subject: str


def schedule_problems(
    table: QuotaTable, levels: tuple[str, ...] | list[str], area: str = "全市"
) -> Iterator[ScheduleProblem]:
    """The arithmetic of a table's yearly schedule against its groups, years, total and rows
    (``area``: the word for the whole area, in the subject of a figure given only for it).

    Pure, so that ``draft`` finds the same disagreements ``check`` reports."""
    if not table.schedule:
        return
    tid = table.id
    grand = 0
    for i, year in enumerate(table.schedule):
        year_sum = 0
        for j, group in enumerate(year.groups):
            parts = sum(group.regions.values())
            amount = group.total if group.total is not None else parts
            if group.regions and group.total is not None and group.total != parts:
                yield ScheduleProblem(
                    ("schedule", i, "groups", j, "total"),
                    "schedule-subtotal-mismatch",
                    f"{table.title} {year.year}年{group.level or ''}：小计写作 {group.total}，所列各区域之和为 {parts}",
                    year.source,
                    f"{tid}/{year.year}/{group.level or ''}",
                )
            year_sum += amount
        if year.total is not None and year.total != year_sum:
            yield ScheduleProblem(
                ("schedule", i, "total"),
                "schedule-year-total-mismatch",
                f"{table.title} {year.year}年：合计写作 {year.total}，各项之和为 {year_sum}",
                year.source,
                f"{tid}/{year.year}",
            )
        grand += year_sum
    if table.total and grand != table.total.value:
        yield ScheduleProblem(
            ("schedule",),
            "schedule-total-mismatch",
            f"{table.title}：年度安排合计 {grand}，总数为 {table.total.value}",
            f"{table.schedule[0].source}–{table.schedule[-1].source}；{table.total.source}",
            tid,
        )
    cells = _quota_cells(table)
    by_region, citywide = _schedule_sums(table)
    order = sorted(
        {level for _, level in cells} | {level for _, level in by_region} | set(citywide),
        key=lambda lv: levels.index(lv) if lv is not None and lv in levels else -1,
    )
    row_index = {row.region: i for i, row in enumerate(table.rows)}
    for level in order:
        if level in citywide:
            quota = sum(v for (r, lv), v in cells.items() if lv == level)
            planned = citywide[level] + sum(v for (r, lv), v in by_region.items() if lv == level)
            if quota != planned:
                yield ScheduleProblem(
                    ("schedule",),
                    "schedule-mismatch",
                    f"{table.title}：{f'{level} ' if level else ''}名额共 {quota}，年度安排共 {planned}",
                    table.source,
                    f"{tid}/{area}" + (f"/{level}" if level else ""),
                )
            continue
        regions = sorted(
            {r for r, lv in cells if lv == level} | {r for r, lv in by_region if lv == level},
            key=lambda r: row_index.get(r, len(row_index)),
        )
        for region in regions:
            quota, planned = cells.get((region, level), 0), by_region.get((region, level), 0)
            if quota != planned:
                path = ("rows", row_index[region]) if region in row_index else ("schedule",)
                what = f"{region}{level or ''}"
                yield ScheduleProblem(
                    path,
                    "schedule-mismatch",
                    f"{table.title}：{what} 名额为 {quota}，各年度安排之和为 {planned}",
                    table.source,
                    f"{tid}/{region}" + (f"/{level}" if level else ""),
                )


def check_series(catalog: Catalog, ctx: Context) -> Iterator[Finding]:
    for loc in catalog.quotas:
        yield from check_table_series(loc)


def check_table_series(loc: Located) -> Iterator[Finding]:
    table: QuotaTable = loc.model
    series: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, target in enumerate(table.targets):
        if target.cumulative and target.value is not None and target.series and target.year:
            series[target.series].append((target.year, i))
    for name, points in sorted(series.items()):
        points.sort()
        for (y0, i0), (y1, i1) in itertools.pairwise(points):
            before, after = table.targets[i0], table.targets[i1]
            if after.value < before.value:  # type: ignore[operator]
                yield loc.finding(
                    ("targets", i1, "value"),
                    "series-decreasing",
                    f"累计指标“{after.name}”不应下降：{y0}年 {before.value}{before.unit or ''}，"
                    f"{y1}年 {after.value}{after.unit or ''}",
                    source=after.source,
                    subject=f"{table.id}/{name}",
                )


def check_statements(seen: Seen) -> Iterator[Finding]:
    """Statements that share a ``key`` describe one quantity: they must say the same."""
    for key, members in sorted(seen.statements.items()):
        first = members[0][3]
        for file, line, column, other in members[1:]:
            fields = ("value", "min", "max", "unit", "qualifier", "claim")
            if any(getattr(first, f) != getattr(other, f) for f in fields):
                yield Finding(
                    file,
                    line,
                    column,
                    "statement-mismatch",
                    f"同一指标两处说法不同：{first.source}“{first.text}”；{other.source}“{other.text}”",
                    source=f"{first.source}；{other.source}",
                    subject=key,
                )


def check_counts(catalog: Catalog, ctx: Context, seen: Seen) -> Iterator[Finding]:
    if not catalog.programme:
        return
    kinds = {c.what: c for c in ctx.vocabulary.all_count_kinds()}
    # What is counted, as how many times each word occurs (plans by kind, tasks by kind …).
    things: dict[str, Counter[str]] = {
        "regions": Counter(r.kind for r in ctx.regions.regions),
        "plans": seen.plan_kinds,
        "levels": Counter(ctx.levels),
        "units": Counter(ctx.units.units),
        "quotas": seen.quota_ids,
        "tasks": seen.task_kinds,
    }
    for i, count in enumerate(catalog.programme.model.counts):
        kind = kinds.get(count.what)
        if kind is None:
            continue  # reported by check_vocabulary
        if kind.of in ("plans", "tasks") and catalog.broken_plans:
            continue  # a plan file that failed validation is reported already
        if kind.of == "quotas" and catalog.broken_quotas:
            continue
        declared = {"regions": ctx.vocabulary.region_kinds, "plans": ctx.vocabulary.plan_kinds}.get(kind.of)
        if declared is not None and kind.kinds and any(x not in declared for x in things[kind.of]):
            continue  # an unknown kind is reported where it is written; counting by kind would repeat it
        listed = things[kind.of]
        actual = (
            sum(n for x, n in listed.items() if x in kind.kinds)
            if kind.kinds and kind.of in ("regions", "plans")
            else sum(listed.values())
        )
        if actual != count.value:
            yield catalog.programme.finding(
                ("counts", i, "value"),
                "count-mismatch",
                f"原文说有 {count.value} 个{kind.name}，数据中列出了 {actual} 个",
                source=count.source,
                subject=count.what,
            )
