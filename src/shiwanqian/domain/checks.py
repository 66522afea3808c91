"""Cross-file checks: references, arithmetic, stated counts, quotations, disagreements.

Each ``check_*`` function takes the loaded ``Catalog`` and yields ``Finding`` values; the
``run`` function strings them together and applies the acknowledgements recorded in
``disagreements.yaml``. Nothing here prints or exits.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..findings import Finding, sort_findings
from ..load.loader import Catalog, Located
from ..load.model import Plan, QuotaTable
from .vocab import RegionNames, UnitNames, did_you_mean

SCOPES = ("全市", "市级", "各区域", "每县市区", "五县市", "市直属")
CN_DIGITS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十",
             11: "十一", 12: "十二", 13: "十三"}


@dataclass(frozen=True)
class Context:
    regions: RegionNames
    units: UnitNames
    levels: tuple[str, ...]
    period_start: int
    period_end: int

    @classmethod
    def of(cls, catalog: Catalog) -> Context | None:
        if not (catalog.programme and catalog.regions and catalog.units):
            return None
        programme = catalog.programme.model
        return cls(RegionNames(catalog.regions.model.regions), UnitNames(catalog.units.model.units),
                   tuple(programme.levels), programme.period.start, programme.period.end)


Check = Callable[[Catalog, Context], Iterator[Finding]]


# ------------------------------------------------------------------ references


def _region_ref(loc: Located, path: tuple, name: str, ctx: Context, *, key: bool = False) -> Iterator[Finding]:
    if name not in ctx.regions.names:
        yield loc.finding(path, "unknown-region",
                          f"未知区域“{name}”" + did_you_mean(name, ctx.regions.names), key=key)


def _level_ref(loc: Located, path: tuple, name: str, ctx: Context, *, key: bool = False) -> Iterator[Finding]:
    if name not in ctx.levels:
        yield loc.finding(path, "unknown-level",
                          f"未知学段“{name}”" + did_you_mean(name, list(ctx.levels)), key=key)


def _year_ref(loc: Located, path: tuple, year: int, start: int, end: int, *, key: bool = False) -> Iterator[Finding]:
    if not start <= year <= end:
        yield loc.finding(path, "year-outside-period", f"年份 {year} 不在计划期 {start}–{end} 内", key=key)


def check_quota_references(catalog: Catalog, ctx: Context) -> Iterator[Finding]:
    plans = {p.model.id: p.model for p in catalog.plans}
    seen_ids: dict[str, Located] = {}
    for loc in catalog.quotas:
        table: QuotaTable = loc.model
        if table.id in seen_ids:
            yield loc.finding(("id",), "duplicate-id",
                              f"名额表编号“{table.id}”重复（另见 {seen_ids[table.id].doc.file}）")
        seen_ids[table.id] = loc
        plan = plans.get(table.plan)
        if plan is None and table.plan not in catalog.broken_plans:
            yield loc.finding(("plan",), "unknown-plan",
                              f"未知计划“{table.plan}”" + did_you_mean(table.plan, sorted(plans)))
        period = plan.period if plan and plan.period else None
        start, end = (period.start, period.end) if period else (ctx.period_start, ctx.period_end)
        seen_regions: set[str] = set()
        for i, row in enumerate(table.rows):
            if table.by_level and row.values is None:
                yield loc.finding(("rows", i, "value"), "row-shape",
                                  f"本表按学段分解（by_level: true），{row.region} 一行须用 values 列出各学段")
            elif not table.by_level and row.values is not None:
                yield loc.finding(("rows", i, "values"), "row-shape",
                                  f"{row.region} 一行按学段列出了 values，但本表没有设 by_level: true")
            yield from _region_ref(loc, ("rows", i, "region"), row.region, ctx)
            if row.region in seen_regions:
                yield loc.finding(("rows", i, "region"), "duplicate-row", f"区域“{row.region}”出现了两行")
            seen_regions.add(row.region)
            for level in row.values or {}:
                yield from _level_ref(loc, ("rows", i, "values", level), level, ctx, key=True)
        for i, year in enumerate(table.schedule):
            yield from _year_ref(loc, ("schedule", i, "year"), year.year, start, end)
            for j, group in enumerate(year.groups):
                if group.level is not None:
                    yield from _level_ref(loc, ("schedule", i, "groups", j, "level"), group.level, ctx)
                for region in group.regions:
                    yield from _region_ref(loc, ("schedule", i, "groups", j, "regions", region), region, ctx, key=True)
        if table.shares:
            for year in table.shares.values:
                yield from _year_ref(loc, ("shares", "values", year), year, start, end, key=True)
        for i, target in enumerate(table.targets):
            if target.scope not in SCOPES and target.scope not in ctx.regions.names:
                choices = [*SCOPES, *ctx.regions.names]
                yield loc.finding(("targets", i, "scope"), "unknown-scope",
                                  f"未知范围“{target.scope}”，应为 {'、'.join(SCOPES)} 或区域名"
                                  + did_you_mean(target.scope, choices))
            if target.unit == "%" and target.value is not None and not 0 <= target.value <= 100:
                yield loc.finding(("targets", i, "value"), "out-of-range",
                                  f"百分比必须在 0 到 100 之间：{target.value}")
            if target.level is not None:
                yield from _level_ref(loc, ("targets", i, "level"), target.level, ctx)
            if target.year is not None:
                yield from _year_ref(loc, ("targets", i, "year"), target.year, start, end)


def check_plan_references(catalog: Catalog, ctx: Context) -> Iterator[Finding]:
    seen: dict[str, Located] = {}
    for loc in catalog.plans:
        plan: Plan = loc.model
        if plan.id in seen:
            yield loc.finding(("id",), "duplicate-id", f"计划编号“{plan.id}”重复（另见 {seen[plan.id].doc.file}）")
        seen[plan.id] = loc
        if plan.period and not (ctx.period_start <= plan.period.start and plan.period.end <= ctx.period_end):
            yield loc.finding(("period",), "year-outside-period",
                              f"计划期 {plan.period.start}–{plan.period.end} 超出工程期 "
                              f"{ctx.period_start}–{ctx.period_end}")
        items: set[str] = set()
        for i, task in enumerate(plan.tasks):
            if plan.period is not None:
                for j, year in enumerate(task.timing.years):
                    yield from _year_ref(loc, ("tasks", i, "timing", "years", j), year,
                                         plan.period.start, plan.period.end)
            if task.item in items:
                yield loc.finding(("tasks", i, "item"), "duplicate-task", f"任务编号“{task.item}”重复")
            items.add(task.item)
            for j, unit in enumerate(task.units):
                if unit not in ctx.units.units:
                    yield loc.finding(("tasks", i, "units", j), "unknown-unit",
                                      f"未知责任单位“{unit}”（责任单位须出自 units.yaml）"
                                      + did_you_mean(unit, list(ctx.units.units)))
            for j, region in enumerate(task.regions or []):
                yield from _region_ref(loc, ("tasks", i, "regions", j), region, ctx)
    if catalog.units:
        for i, unit in enumerate(catalog.units.model.units):
            if unit.region is not None:
                yield from _region_ref(catalog.units, ("units", i, "region"), unit.region, ctx)


def check_unit_inclusions(catalog: Catalog, ctx: Context) -> Iterator[Finding]:
    """``includes`` in units.yaml names known units, not the unit itself, and makes no cycle."""
    from .units import cycles

    if not catalog.units:
        return
    units = catalog.units.model.units
    index = {u.name: i for i, u in enumerate(units)}
    for i, unit in enumerate(units):
        for j, name in enumerate(unit.includes):
            if name not in ctx.units.units:
                yield catalog.units.finding(("units", i, "includes", j), "unknown-unit",
                                            f"“{unit.name}”包含的单位“{name}”不在 units.yaml 中"
                                            + did_you_mean(name, list(ctx.units.units)))
            elif name == unit.name:
                yield catalog.units.finding(("units", i, "includes", j), "unit-inclusion-cycle",
                                            f"“{unit.name}”不能包含它自己")
    for loop in cycles(units):
        if len(loop) < 3:
            continue  # a unit including itself is reported above
        last, closing = loop[-2], loop[-1]
        i = index[last]
        j = units[i].includes.index(closing)
        yield catalog.units.finding(("units", i, "includes", j), "unit-inclusion-cycle",
                                    "单位的包含关系成环：" + " ⊇ ".join(loop) + "（一个单位不能既包含又属于另一个单位）")


# ------------------------------------------------------------------ arithmetic


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
        table: QuotaTable = loc.model
        tid = table.id
        for i, row in enumerate(table.rows):
            if row.total is not None and row.total != row.parts_sum:
                yield loc.finding(("rows", i, "total"), "row-total-mismatch",
                                  f"{table.title}：{row.region} 合计写作 {row.total}，各学段之和为 {row.parts_sum}",
                                  source=row.source, subject=f"{tid}/{row.region}")
        rows_sum = sum(row.total if row.total is not None else row.parts_sum for row in table.rows)
        if table.total and table.rows and table.total.value != rows_sum:
            yield loc.finding(("total", "value"), "total-mismatch",
                              f"{table.title}：总数写作 {table.total.value}{table.total.qualifier or ''}，"
                              f"各区域合计之和为 {rows_sum}", source=table.total.source, subject=tid)
        yield from _check_schedule(loc, table, ctx)
        if table.members and table.total:
            low = table.members.per_station_min * table.total.value
            high = table.members.per_station_max * table.total.value
            teachers = table.members.teachers.value
            if not low <= teachers <= high:
                yield loc.finding(("members", "teachers", "value"), "members-range",
                                  f"{table.total.value} 个工作站每站 {table.members.per_station_min}–"
                                  f"{table.members.per_station_max} 人，应有 {low}–{high} 人，而名额为 {teachers} 人",
                                  source=table.members.source, subject=tid)
        for i, target in enumerate(table.targets):
            if target.items and target.value is not None and target.value != len(target.items):
                yield loc.finding(("targets", i, "value"), "count-mismatch",
                                  f"“{target.name}”写作 {target.value} 个，列出了 {len(target.items)} 个："
                                  f"{'、'.join(target.items)}", source=target.source, subject=f"{tid}/{target.name}")


def _check_schedule(loc: Located, table: QuotaTable, ctx: Context) -> Iterator[Finding]:
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
                yield loc.finding(("schedule", i, "groups", j, "total"), "schedule-subtotal-mismatch",
                                  f"{table.title} {year.year}年{group.level or ''}：小计写作 {group.total}，"
                                  f"所列各区域之和为 {parts}", source=year.source,
                                  subject=f"{tid}/{year.year}/{group.level or ''}")
            year_sum += amount
        if year.total is not None and year.total != year_sum:
            yield loc.finding(("schedule", i, "total"), "schedule-year-total-mismatch",
                              f"{table.title} {year.year}年：合计写作 {year.total}，各项之和为 {year_sum}",
                              source=year.source, subject=f"{tid}/{year.year}")
        grand += year_sum
    if table.total and grand != table.total.value:
        yield loc.finding(("schedule",), "schedule-total-mismatch",
                          f"{table.title}：年度安排合计 {grand}，总数为 {table.total.value}",
                          source=f"{table.schedule[0].source}–{table.schedule[-1].source}；{table.total.source}",
                          subject=tid)
    cells = _quota_cells(table)
    by_region, citywide = _schedule_sums(table)
    levels = sorted({level for _, level in cells} | {level for _, level in by_region} | set(citywide),
                    key=lambda lv: ctx.levels.index(lv) if lv in ctx.levels else -1)
    row_index = {row.region: i for i, row in enumerate(table.rows)}
    for level in levels:
        if level in citywide:
            quota = sum(v for (r, lv), v in cells.items() if lv == level)
            planned = citywide[level] + sum(v for (r, lv), v in by_region.items() if lv == level)
            if quota != planned:
                yield loc.finding(("schedule",), "schedule-mismatch",
                                  f"{table.title}：{level} 名额共 {quota}，年度安排共 {planned}",
                                  source=table.source, subject=f"{tid}/全市/{level}")
            continue
        regions = sorted({r for r, lv in cells if lv == level} | {r for r, lv in by_region if lv == level},
                         key=lambda r: row_index.get(r, len(row_index)))
        for region in regions:
            quota, planned = cells.get((region, level), 0), by_region.get((region, level), 0)
            if quota != planned:
                path = ("rows", row_index[region]) if region in row_index else ("schedule",)
                what = f"{region}{level or ''}"
                yield loc.finding(path, "schedule-mismatch",
                                  f"{table.title}：{what} 名额为 {quota}，各年度安排之和为 {planned}",
                                  source=table.source,
                                  subject=f"{tid}/{region}" + (f"/{level}" if level else ""))


def check_series(catalog: Catalog, ctx: Context) -> Iterator[Finding]:
    for loc in catalog.quotas:
        table: QuotaTable = loc.model
        series: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, target in enumerate(table.targets):
            if target.cumulative and target.value is not None and target.series and target.year:
                series[target.series].append((target.year, i))
        for name, points in sorted(series.items()):
            points.sort()
            for (y0, i0), (y1, i1) in zip(points, points[1:]):
                before, after = table.targets[i0], table.targets[i1]
                if after.value < before.value:  # type: ignore[operator]
                    yield loc.finding(("targets", i1, "value"), "series-decreasing",
                                      f"累计指标“{after.name}”不应下降：{y0}年 {before.value}{before.unit or ''}，"
                                      f"{y1}年 {after.value}{after.unit or ''}",
                                      source=after.source, subject=f"{table.id}/{name}")


def check_statements(catalog: Catalog, ctx: Context) -> Iterator[Finding]:
    """Statements that share a ``key`` describe one quantity: they must say the same."""
    groups: dict[str, list[tuple[Located, int]]] = defaultdict(list)
    for loc in catalog.quotas:
        for i, target in enumerate(loc.model.targets):
            if target.key:
                groups[target.key].append((loc, i))
    for key, members in sorted(groups.items()):
        first_loc, first_i = members[0]
        first = first_loc.model.targets[first_i]
        for loc, i in members[1:]:
            other = loc.model.targets[i]
            fields = ("value", "min", "max", "unit", "qualifier", "claim")
            if any(getattr(first, f) != getattr(other, f) for f in fields):
                yield loc.finding(("targets", i), "statement-mismatch",
                                  f"同一指标两处说法不同：{first.source}“{first.text}”；{other.source}“{other.text}”",
                                  source=f"{first.source}；{other.source}", subject=key)


def check_counts(catalog: Catalog, ctx: Context) -> Iterator[Finding]:
    if not catalog.programme:
        return
    kinds = [p.model.kind for p in catalog.plans]
    region_kinds = [r.kind for r in ctx.regions.regions]
    actual = {
        "regions": len(region_kinds),
        "regions:县市": region_kinds.count("县市"),
        "regions:区": region_kinds.count("区"),
        "plans": kinds.count("支持计划") + kinds.count("工作专项"),
        "plans:支持计划": kinds.count("支持计划"),
        "plans:工作专项": kinds.count("工作专项"),
        "levels": len(ctx.levels),
    }
    names = {"regions": "区域", "regions:县市": "县市", "regions:区": "区", "plans": "计划、方案",
             "plans:支持计划": "支持计划", "plans:工作专项": "工作专项", "levels": "学段"}
    for i, count in enumerate(catalog.programme.model.counts):
        if count.what.startswith("plans") and catalog.broken_plans:
            continue  # a plan file that failed validation is reported already
        if actual[count.what] != count.value:
            yield catalog.programme.finding(("counts", i, "value"), "count-mismatch",
                                            f"原文说有 {count.value} 个{names[count.what]}，数据中列出了 {actual[count.what]} 个",
                                            source=count.source, subject=count.what)


# ------------------------------------------------------------------ quotations


def _mentions(text: str, value: int | float) -> bool:
    return str(value) in text or (isinstance(value, int) and CN_DIGITS.get(value, "\0") in text)


def check_quotes(catalog: Catalog, ctx: Context) -> Iterator[Finding]:
    source = catalog.source_text
    if source is not None:
        found: dict[str, bool] = {}  # many quotations repeat; look each up once
        for loc in [*catalog.plans, *catalog.quotas, *(x for x in [catalog.programme] if x)]:
            for path, text in loc.doc.quotes:
                hit = found.get(text)
                if hit is None:
                    hit = found[text] = text.strip() in source
                if not hit:
                    yield loc.finding(path, "quote-not-found", f"引文在原文中找不到：“{text[:40]}”",
                                      subject=f"{loc.doc.file}/{'/'.join(map(str, path))}")
    for loc in catalog.quotas:
        yield from _quote_numbers(loc, ctx)


def _quote_numbers(loc: Located, ctx: Context) -> Iterator[Finding]:
    table: QuotaTable = loc.model

    def bad(path: tuple, what: str, text: str) -> Finding:
        return loc.finding(path, "quote-mismatch", f"数字与引文不符：{what} 不见于“{text}”",
                           subject=f"{table.id}/{'/'.join(map(str, path))}")

    def region_in(region: str, text: str) -> bool:
        aliases = [region, *next(r.short for r in ctx.regions.regions if r.name == region)] \
            if region in ctx.regions.names else [region]
        return any(a in text for a in aliases)

    for i, row in enumerate(table.rows):
        for level, value in (row.values or {}).items():
            if f"{level}{value}" not in row.text:
                yield bad(("rows", i, "values", level), f"{level}{value}", row.text)
        if row.value is not None and not (_mentions(row.text, row.value) and region_in(row.region, row.text)):
            yield bad(("rows", i, "value"), f"{row.region} {row.value}", row.text)
        if row.total is not None and f"合计{row.total}" not in row.text:
            yield bad(("rows", i, "total"), f"合计{row.total}", row.text)
    for i, year in enumerate(table.schedule):
        if year.total is not None and str(year.total) not in (year.total_text or ""):
            yield bad(("schedule", i, "total"), str(year.total), year.total_text or "")
        for j, group in enumerate(year.groups):
            if group.total is not None and str(group.total) not in group.text:
                yield bad(("schedule", i, "groups", j, "total"), str(group.total), group.text)
            for region, value in group.regions.items():
                if not (_mentions(group.text, value) and region_in(region, group.text)):
                    yield bad(("schedule", i, "groups", j, "regions", region), f"{region}{value}", group.text)
    if table.shares:
        for year, share in table.shares.values.items():
            if f"{year}年完成总任务的{share}%" not in table.shares.text:
                yield bad(("shares", "values", year), f"{year}年 {share}%", table.shares.text)
    for i, rate in enumerate(table.rates):
        if not _mentions(rate.text, rate.value):
            yield bad(("rates", i, "value"), str(rate.value), rate.text)
    for i, target in enumerate(table.targets):
        listed = bool(target.items) and all(item in target.text for item in target.items)
        if target.value is not None and target.claim is None and not listed \
                and not _mentions(target.text, target.value):
            yield bad(("targets", i, "value"), str(target.value), target.text)
    if table.total and not _mentions(table.total.text, table.total.value):
        yield bad(("total", "value"), str(table.total.value), table.total.text)


# ------------------------------------------------------------------ the run

CHECKS: tuple[Check, ...] = (
    check_quota_references,
    check_plan_references,
    check_unit_inclusions,
    check_arithmetic,
    check_series,
    check_statements,
    check_counts,
    check_quotes,
)


def apply_acknowledgements(catalog: Catalog, findings: list[Finding], *, complete: bool = True) -> list[Finding]:
    """Turn acknowledged findings into warnings; report acknowledgements that match nothing.

    ``complete`` is false when some file could not be checked: then an acknowledgement that
    matches nothing may only be waiting for that file, and is not reported as stale.
    """
    if not catalog.disagreements:
        return findings
    acks: dict[tuple[str, str], str] = {}
    where: dict[tuple[str, str], tuple] = {}
    for i, item in enumerate(catalog.disagreements.model.disagreements):
        for j, ref in enumerate(item.findings):
            acks[ref.code, ref.subject] = item.id
            where[ref.code, ref.subject] = ("disagreements", i, "findings", j)
    used: set[tuple[str, str]] = set()
    by_id = {d.id: d for d in catalog.disagreements.model.disagreements}
    result = []
    for finding in findings:
        key = (finding.code, finding.subject or "")
        if key in acks and finding.severity == "error":
            used.add(key)
            item = by_id[acks[key]]
            finding = finding.acknowledge(item.id, item.title)
        result.append(finding)
    if not complete or catalog.broken_quotas or catalog.broken_plans:
        return result
    for key in sorted(set(acks) - used):
        result.append(catalog.disagreements.finding(
            where[key], "stale-acknowledgement",
            f"登记的原文矛盾“{acks[key]}”没有对应的检查结果（{key[0]} {key[1]}）：数据已改动或登记有误"))
    return result


def run(catalog: Catalog) -> list[Finding]:
    # As in loading: the catalog's many live objects make cyclic GC passes expensive and
    # the checks create no cycles worth collecting.
    enabled = gc.isenabled()
    gc.disable()
    try:
        findings = list(catalog.problems)
        ctx = Context.of(catalog)
        if ctx is not None:
            for check in CHECKS:
                findings.extend(check(catalog, ctx))
        return sort_findings(apply_acknowledgements(catalog, findings, complete=ctx is not None))
    finally:
        if enabled:
            gc.enable()
