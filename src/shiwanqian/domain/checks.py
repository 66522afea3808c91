"""Cross-file checks: references, arithmetic, stated counts, quotations, disagreements.

The checks of one file take its ``Located`` model (with the context of the single files)
and yield ``Finding`` values; ``Checks`` feeds them one plan or table at a time, keeps what
checks across files need, and applies the acknowledgements recorded in
``disagreements.yaml``. ``run`` checks a loaded catalog; ``check_folder`` loads and checks a
folder file by file without keeping every model. Nothing here prints or exits.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..findings import Finding, sort_findings
from ..load.loader import Catalog, Located, load
from ..load.model import Period, Plan, QuotaTable, Target, Vocabulary
from .numerals import Number, find_numbers, halfwidth
from .vocab import RegionNames, UnitNames, did_you_mean


@dataclass(frozen=True)
class Context:
    regions: RegionNames
    units: UnitNames
    levels: tuple[str, ...]
    period_start: int
    period_end: int
    vocabulary: Vocabulary = field(default_factory=Vocabulary)

    @functools.cached_property
    def short_names(self) -> dict[str, list[str]]:
        """Each region's name and short names, as quotations may write it."""
        return {r.name: [r.name, *r.short] for r in self.regions.regions}

    @functools.cached_property
    def numbered_names(self) -> dict[str, tuple[str, ...]]:
        """Names of units, regions and 学段 that hold a number (13个高中学科基地), by that number's text."""
        names = (
            *self.units.units,
            *(a for u in self.units.units.values() for a in u.aliases),
            *self.regions.all_aliases(),
            *self.levels,
        )
        index: dict[str, set[str]] = defaultdict(set)
        for name in set(names):
            for number in find_numbers(name):
                index[number.text].add(name)
        return {key: tuple(sorted(value)) for key, value in index.items()}

    @classmethod
    def of(cls, catalog: Catalog) -> Context | None:
        if not (catalog.programme and catalog.regions and catalog.units):
            return None
        programme = catalog.programme.model
        return cls(
            RegionNames(catalog.regions.model.regions),
            UnitNames(catalog.units.model.units),
            tuple(programme.levels),
            programme.period.start,
            programme.period.end,
            programme.vocabulary,
        )


# ------------------------------------------------------------------ references


def _region_ref(loc: Located, path: tuple, name: str, ctx: Context, *, key: bool = False) -> Iterator[Finding]:
    if name not in ctx.regions.known:
        yield loc.finding(
            path, "unknown-region", f"未知区域“{name}”（须写全称）" + ctx.regions.did_you_mean(name), key=key
        )


def _level_ref(loc: Located, path: tuple, name: str, ctx: Context, *, key: bool = False) -> Iterator[Finding]:
    if name not in ctx.levels:
        yield loc.finding(path, "unknown-level", f"未知学段“{name}”" + did_you_mean(name, list(ctx.levels)), key=key)


def _year_ref(loc: Located, path: tuple, year: int, start: int, end: int, *, key: bool = False) -> Iterator[Finding]:
    if not start <= year <= end:
        yield loc.finding(path, "year-outside-period", f"年份 {year} 不在计划期 {start}–{end} 内", key=key)


def _unique_id(loc: Located, what: str, ident: str, files: dict[str, str]) -> Iterator[Finding]:
    """A plan's or table's id is used once; `files` remembers where each id was first seen."""
    if ident in files:
        yield loc.finding(("id",), "duplicate-id", f"{what}编号“{ident}”重复（另见 {files[ident]}）")
    files[ident] = loc.doc.file


def _quota_references(loc: Located, ctx: Context, seen: _Seen) -> Iterator[Finding]:
    table: QuotaTable = loc.model
    yield from _unique_id(loc, "名额表", table.id, seen.quota_files)
    plans = seen.plan_periods
    if table.plan not in plans and table.plan not in seen.broken_plans:
        yield loc.finding(
            ("plan",), "unknown-plan", f"未知计划“{table.plan}”" + did_you_mean(table.plan, sorted(plans))
        )
    period = plans.get(table.plan)
    start, end = (period.start, period.end) if period else (ctx.period_start, ctx.period_end)
    seen_regions: set[str] = set()
    for i, row in enumerate(table.rows):
        if table.by_level and row.values is None:
            yield loc.finding(
                ("rows", i, "value"),
                "row-shape",
                f"本表按学段分解（by_level: true），{row.region} 一行须用 values 列出各学段",
            )
        elif not table.by_level and row.values is not None:
            yield loc.finding(
                ("rows", i, "values"), "row-shape", f"{row.region} 一行按学段列出了 values，但本表没有设 by_level: true"
            )
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
    scopes = [s.name for s in ctx.vocabulary.scopes]
    if table.total is not None:
        yield from _word_ref(
            loc, ("total", "qualifier"), table.total.qualifier, ctx.vocabulary.qualifiers, "unknown-qualifier", "限定词"
        )
    if table.members is not None:
        yield from _word_ref(
            loc,
            ("members", "teachers", "qualifier"),
            table.members.teachers.qualifier,
            ctx.vocabulary.qualifiers,
            "unknown-qualifier",
            "限定词",
        )
    for i, target in enumerate(table.targets):
        yield from _word_ref(
            loc, ("targets", i, "qualifier"), target.qualifier, ctx.vocabulary.qualifiers, "unknown-qualifier", "限定词"
        )
        if target.scope not in scopes and target.scope not in ctx.regions.known:
            choices = [*scopes, *ctx.regions.names]
            yield loc.finding(
                ("targets", i, "scope"),
                "unknown-scope",
                f"未知范围“{target.scope}”，应为 {'、'.join(scopes)} 或区域名"
                "（范围在 programme.yaml 的 vocabulary.scopes 中声明）"
                + (
                    ctx.regions.did_you_mean(target.scope)
                    if ctx.regions.resolve(target.scope)
                    else did_you_mean(target.scope, choices)
                ),
            )
        if target.unit == "%" and target.value is not None and not 0 <= target.value <= 100:
            yield loc.finding(("targets", i, "value"), "out-of-range", f"百分比必须在 0 到 100 之间：{target.value}")
        if target.level is not None:
            yield from _level_ref(loc, ("targets", i, "level"), target.level, ctx)
        if target.year is not None:
            yield from _year_ref(loc, ("targets", i, "year"), target.year, start, end)


def _plan_references(loc: Located, ctx: Context, seen: _Seen) -> Iterator[Finding]:
    plan: Plan = loc.model
    yield from _unique_id(loc, "计划", plan.id, seen.plan_files)
    words = ctx.vocabulary
    yield from _word_ref(loc, ("kind",), plan.kind, words.plan_kinds, "unknown-plan-kind", "计划类别")
    for i, task in enumerate(plan.tasks):
        if "kind" in task.model_fields_set:
            yield from _word_ref(
                loc, ("tasks", i, "kind"), task.kind, words.task_kinds, "unknown-task-kind", "任务类别"
            )
        yield from _word_ref(
            loc,
            ("tasks", i, "timing", "recurrence"),
            task.timing.recurrence,
            words.recurrences,
            "unknown-recurrence",
            "重复方式",
        )
    if plan.period and not (ctx.period_start <= plan.period.start and plan.period.end <= ctx.period_end):
        yield loc.finding(
            ("period",),
            "year-outside-period",
            f"计划期 {plan.period.start}–{plan.period.end} 超出工程期 {ctx.period_start}–{ctx.period_end}",
        )
    items: set[str] = set()
    for i, task in enumerate(plan.tasks):
        if plan.period is not None:
            for j, year in enumerate(task.timing.years):
                yield from _year_ref(loc, ("tasks", i, "timing", "years", j), year, plan.period.start, plan.period.end)
        if task.item in items:
            yield loc.finding(("tasks", i, "item"), "duplicate-task", f"任务编号“{task.item}”重复")
        items.add(task.item)
        for j, unit in enumerate(task.units):
            if unit not in ctx.units.units:
                yield loc.finding(
                    ("tasks", i, "units", j),
                    "unknown-unit",
                    f"未知责任单位“{unit}”（责任单位须出自 units.yaml）" + ctx.units.did_you_mean(unit),
                )
        for j, region in enumerate(task.regions or []):
            yield from _region_ref(loc, ("tasks", i, "regions", j), region, ctx)


def _unit_references(catalog: Catalog, ctx: Context) -> Iterator[Finding]:
    if catalog.units:
        levels = [level.name for level in ctx.vocabulary.unit_levels]
        for i, unit in enumerate(catalog.units.model.units):
            yield from _word_ref(
                catalog.units, ("units", i, "level"), unit.level, levels, "unknown-unit-level", "单位层级"
            )
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
                yield catalog.units.finding(
                    ("units", i, "includes", j),
                    "unknown-unit",
                    f"“{unit.name}”包含的单位“{name}”不在 units.yaml 中" + ctx.units.did_you_mean(name),
                )
            elif name == unit.name:
                yield catalog.units.finding(
                    ("units", i, "includes", j), "unit-inclusion-cycle", f"“{unit.name}”不能包含它自己"
                )
    for loop in cycles(units):
        if len(loop) < 3:
            continue  # a unit including itself is reported above
        last, closing = loop[-2], loop[-1]
        i = index[last]
        j = units[i].includes.index(closing)
        yield catalog.units.finding(
            ("units", i, "includes", j),
            "unit-inclusion-cycle",
            "单位的包含关系成环：" + " ⊇ ".join(loop) + "（一个单位不能既包含又属于另一个单位）",
        )


def check_vocabulary(catalog: Catalog, ctx: Context) -> Iterator[Finding]:
    """The programme's declared words: each used once, and groups built from declared kinds."""
    if not catalog.programme:
        return
    loc = catalog.programme
    words = ctx.vocabulary
    declared = "vocabulary" in loc.model.model_fields_set
    if declared:
        for field in ("region_kinds", "plan_kinds", "task_kinds", "recurrences", "qualifiers"):
            seen: set[str] = set()
            for i, word in enumerate(getattr(words, field)):
                if word in seen:
                    yield loc.finding(("vocabulary", field, i), "duplicate-word", f"“{word}”重复声明")
                seen.add(word)
        for field in ("scopes", "unit_levels"):
            seen = set()
            for i, group in enumerate(getattr(words, field)):
                if group.name in seen:
                    yield loc.finding(("vocabulary", field, i, "name"), "duplicate-word", f"“{group.name}”重复声明")
                seen.add(group.name)
                if group.name in ctx.regions.known and field == "scopes":
                    yield loc.finding(
                        ("vocabulary", field, i, "name"),
                        "duplicate-word",
                        f"范围“{group.name}”与区域同名（区域名本身就可用作范围）",
                    )
                for j, kind in enumerate(group.kinds):
                    yield from _word_ref(
                        loc,
                        ("vocabulary", field, i, "kinds", j),
                        kind,
                        words.region_kinds,
                        "unknown-region-kind",
                        "区域类别",
                    )
        seen = set()
        for i, count in enumerate(words.count_kinds):
            if count.what in seen:
                yield loc.finding(("vocabulary", "count_kinds", i, "what"), "duplicate-word", f"“{count.what}”重复声明")
            seen.add(count.what)
            choices = words.region_kinds if count.of == "regions" else words.plan_kinds if count.of == "plans" else []
            for j, kind in enumerate(count.kinds):
                if count.of not in ("regions", "plans"):
                    yield loc.finding(
                        ("vocabulary", "count_kinds", i, "kinds", j),
                        "unknown-kind",
                        f"只有 regions 与 plans 可按类别计数，{count.of} 不能",
                    )
                else:
                    code, what = (
                        ("unknown-region-kind", "区域类别")
                        if count.of == "regions"
                        else ("unknown-plan-kind", "计划类别")
                    )
                    yield from _word_ref(loc, ("vocabulary", "count_kinds", i, "kinds", j), kind, choices, code, what)
    counts = [c.what for c in words.all_count_kinds()]
    for i, count in enumerate(loc.model.counts):
        yield from _word_ref(loc, ("counts", i, "what"), count.what, counts, "unknown-count-kind", "计数对象")
    if catalog.regions:
        for i, region in enumerate(catalog.regions.model.regions):
            yield from _word_ref(
                catalog.regions,
                ("regions", i, "kind"),
                region.kind,
                words.region_kinds,
                "unknown-region-kind",
                "区域类别",
            )


def _word_ref(
    loc: Located, path: tuple, word: str | None, choices: list[str], code: str, what: str
) -> Iterator[Finding]:
    if word is not None and word not in choices:
        yield loc.finding(
            path,
            code,
            f"未知{what}“{word}”，应为 {'、'.join(choices)} 之一"
            "（可在 programme.yaml 的 vocabulary 中声明）" + did_you_mean(word, choices),
        )


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
        yield from _arithmetic(loc, ctx)


def _arithmetic(loc: Located, ctx: Context) -> Iterator[Finding]:
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
    for problem in schedule_problems(table, ctx.levels):
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


def schedule_problems(table: QuotaTable, levels: tuple[str, ...] | list[str]) -> Iterator[ScheduleProblem]:
    """The arithmetic of a table's yearly schedule against its groups, years, total and rows.

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
        key=lambda lv: levels.index(lv) if lv in levels else -1,
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
                    f"{tid}/全市" + (f"/{level}" if level else ""),
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
        yield from _series(loc)


def _series(loc: Located) -> Iterator[Finding]:
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


def _statements(seen: _Seen) -> Iterator[Finding]:
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


def _counts(catalog: Catalog, ctx: Context, seen: _Seen) -> Iterator[Finding]:
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


# ------------------------------------------------------------------ quotations


# Quotations repeat (a clause cited by several rows) and each is read again at the end of its
# table (numbers no record accounts for): room for every row of a national table.
@functools.lru_cache(maxsize=1 << 15)
def _numbers(text: str) -> tuple[Number, ...]:
    return tuple(find_numbers(text))


@functools.lru_cache(maxsize=1 << 15)
def _stated(text: str) -> tuple[Number, ...]:
    return tuple(n for n in _numbers(text) if n.stated)


def _appears(text: str, value: int | float, *, percent: bool | None = None) -> bool:
    """``value`` is a number ``text`` states (Arabic or Chinese, % and 分之 forms; 第三个 says 3)."""
    return any(n.means(value, percent=percent) for n in _numbers(text) if not n.loose)


def _exact(value: int | float) -> int | Fraction:
    """A number as a set key: 80, 80.0 and Fraction(80) are one key; 12.5 is exact."""
    if isinstance(value, int):
        return value
    return int(value) if value.is_integer() else Fraction(str(value))


def _legacy_appears(text: str, value: int | float) -> bool:
    """The 0.1.0 rule: the digits anywhere in the text, or a Chinese numeral up to 十三.

    A number that only this looser rule accepts was valid under 0.1.0, so the stricter rule
    reports it as a warning, not an error: users' data keeps passing across upgrades.
    """
    legacy = {
        1: "一",
        2: "两",
        3: "三",
        4: "四",
        5: "五",
        6: "六",
        7: "七",
        8: "八",
        9: "九",
        10: "十",
        11: "十一",
        12: "十二",
        13: "十三",
    }
    return str(value) in text or (isinstance(value, int) and legacy.get(value, "\0") in text)


_CLAUSE_END = "，。；;,\n"


def _paired(
    text: str, labels: list[str], value: int | float, *, percent: bool | None = None, skip: frozenset = frozenset()
) -> bool:
    """``text`` gives ``value`` to one of ``labels``: the first number after the label is that
    value (高中200节, 攸县建3个, 2016年完成总任务的10%), or the last one before it in the same
    clause (20名高中教师). Numbers in ``skip`` (sibling labels such as other years) are passed over.
    """
    numbers = [n for n in _stated(text) if n.value not in skip] if skip else _stated(text)
    text = halfwidth(text)  # a label written in full-width digits (２０１６年) is still that label
    for label in labels:
        at = text.find(label)
        while at != -1:
            end = at + len(label)
            after = next((n for n in numbers if n.start >= end), None)
            if after is not None and after.means(value, percent=percent):
                return True
            before = next(
                (n for n in reversed(numbers) if n.end <= at and not any(c in text[n.end : at] for c in _CLAUSE_END)),
                None,
            )
            if before is not None and before.means(value, percent=percent):
                return True
            at = text.find(label, end)
    return False


def quote_gives(text: str, labels: list[str], value: int | float) -> bool:
    """Whether ``check`` reads ``text`` as giving ``value`` to one of ``labels`` (a region and
    its other names): ``draft`` writes a number only when this holds."""
    return _paired(text, labels, value)


def quote_states(text: str, value: int | float) -> bool:
    """Whether ``check`` finds ``value`` stated in ``text``."""
    return _appears(text, value)


def _quotes_found(loc: Located, source: str | None, found: dict[str, bool]) -> Iterator[Finding]:
    """Every quotation of one file is in the document. ``found`` remembers the quotations
    looked up before (many repeat: each is looked up once)."""
    if source is not None:
        # A file quotes the document mostly in its order: search on from the last quotation
        # found, and only then from the start, so a long table costs one pass, not one per row.
        cursor = 0
        for node, text in loc.doc.quotes:
            hit = found.get(text)
            if hit is None:
                quote = text.strip()
                at = source.find(quote, cursor)
                if at < 0:
                    at = source.find(quote)
                if at >= 0:
                    cursor = at
                hit = found[text] = at >= 0
            if not hit:
                path = loc.doc.path(node)
                yield loc.finding(
                    path,
                    "quote-not-found",
                    f"引文在原文中找不到：“{text[:40]}”",
                    subject=f"{loc.doc.file}/{'/'.join(map(str, path))}",
                )


def _quote_counts(catalog: Catalog) -> Iterator[Finding]:
    """The programme's stated counts are the numbers their quotations give."""
    if catalog.programme is not None:
        for i, count in enumerate(catalog.programme.model.counts):
            if not _appears(count.text, count.value):
                legacy = _legacy_appears(count.text, count.value)
                yield catalog.programme.finding(
                    ("counts", i, "value"),
                    "quote-number-unconfirmed" if legacy else "quote-mismatch",
                    f"数字与引文不符：{count.value} 不见于“{count.text}”",
                    severity="warning" if legacy else "error",
                    subject=f"programme/counts/{i}/value",
                )


def _quote_numbers(loc: Located, ctx: Context) -> Iterator[Finding]:
    """Every structured number is confirmed by the quotation it cites.

    The rule does not depend on the document's wording: a number must appear in its quote as
    a number (Arabic or Chinese numerals, % and 分之 forms); a number that belongs to a region,
    a 学段 or a year must be the number the quote gives to it. A quote that lists a table's
    numbers (a row, a yearly clause, a share series) and holds a number the record does not
    account for is reported as a warning.
    """
    table: QuotaTable = loc.model

    mismatched: set[str] = set()  # quotes already reported: one mistake, one finding

    def bad(path: tuple, what: str, text: str, legacy: bool = False) -> Finding:
        """``legacy``: the 0.1.0 rule accepted this number, so it is only a warning now."""
        mismatched.add(text)
        subject = f"{table.id}/{'/'.join(map(str, path))}"
        if legacy:
            return loc.finding(
                path,
                "quote-number-unconfirmed",
                f"引文没有明确写出这个数：{what} 不见于“{text}”（0.1.0 的宽松规则接受它；"
                "请核对，或在 derived 中写明它如何由引文得出）",
                severity="warning",
                subject=subject,
            )
        return loc.finding(path, "quote-mismatch", f"数字与引文不符：{what} 不见于“{text}”", subject=subject)

    def aliases(region: str) -> list[str]:
        return ctx.short_names.get(region, [region])

    accounted: dict[str, set] = defaultdict(set)  # quote → numbers the records citing it hold
    first_use: dict[str, tuple] = {}  # quotes that list a table's numbers → where first cited

    def uses(text: str, path: tuple | None, *values: int | float | None) -> None:
        accounted[text].update(_exact(v) for v in values if v is not None)
        if path is not None:
            first_use.setdefault(text, path)

    for i, row in enumerate(table.rows):
        for level, value in (row.values or {}).items():
            if not _paired(row.text, [level], value):
                yield bad(("rows", i, "values", level), f"{level} {value}", row.text, f"{level}{value}" in row.text)
        if row.value is not None and not _paired(row.text, aliases(row.region), row.value):
            yield bad(
                ("rows", i, "value"),
                f"{row.region} {row.value}",
                row.text,
                _legacy_appears(row.text, row.value) and any(a in row.text for a in aliases(row.region)),
            )
        if row.total is not None and not _appears(row.text, row.total):
            yield bad(("rows", i, "total"), f"合计 {row.total}", row.text, f"合计{row.total}" in row.text)
        uses(row.text, ("rows", i, "text"), *(row.values or {}).values(), row.value, row.total)
    for i, year in enumerate(table.schedule):
        if year.total is not None and not _appears(year.total_text or "", year.total):
            yield bad(
                ("schedule", i, "total"),
                str(year.total),
                year.total_text or "",
                str(year.total) in (year.total_text or ""),
            )
        for j, group in enumerate(year.groups):
            if group.total is not None and not _appears(group.text, group.total):
                yield bad(
                    ("schedule", i, "groups", j, "total"), str(group.total), group.text, str(group.total) in group.text
                )
            for region, value in group.regions.items():
                if not _paired(group.text, aliases(region), value):
                    yield bad(
                        ("schedule", i, "groups", j, "regions", region),
                        f"{region} {value}",
                        group.text,
                        _legacy_appears(group.text, value) and any(a in group.text for a in aliases(region)),
                    )
            uses(group.text, ("schedule", i, "groups", j, "text"), year.year, group.total, *group.regions.values())
    if table.shares:
        years = frozenset(table.shares.values)
        for year, share in table.shares.values.items():
            if not _paired(table.shares.text, [str(year)], share, percent=True, skip=years - {year}):
                yield bad(
                    ("shares", "values", year),
                    f"{year}年 {share}%",
                    table.shares.text,
                    f"{year}年完成总任务的{share}%" in table.shares.text,
                )
        uses(table.shares.text, ("shares", "text"), *years, *table.shares.values.values())
    for i, rate in enumerate(table.rates):
        if not _appears(rate.text, rate.value):
            yield bad(("rates", i, "value"), str(rate.value), rate.text, _legacy_appears(rate.text, rate.value))
    for i, target in enumerate(table.targets):
        listed = bool(target.items) and all(item in target.text for item in target.items)
        if target.derived is not None:
            for field in ("value", "min", "max"):
                value = getattr(target, field)
                if value is not None and not _appears(target.derived, value):
                    yield bad(("targets", i, "derived"), str(value), target.derived)
        elif (
            target.value is not None and target.claim is None and not listed and not _appears(target.text, target.value)
        ):
            yield bad(
                ("targets", i, "value"), str(target.value), target.text, _legacy_appears(target.text, target.value)
            )
        for bound in ("min", "max"):
            value = getattr(target, bound)
            if value is not None and target.derived is None and not _appears(target.text, value):
                yield bad(("targets", i, bound), str(value), target.text, True)
        uses(target.text, None, target.value, target.min, target.max, target.year)
    if table.total and not _appears(table.total.text, table.total.value):
        yield bad(
            ("total", "value"),
            str(table.total.value),
            table.total.text,
            _legacy_appears(table.total.text, table.total.value),
        )
    if table.members:
        members = table.members
        for field in ("per_station_min", "per_station_max"):
            if not _appears(members.text, getattr(members, field)):
                yield bad(("members", field), str(getattr(members, field)), members.text, True)
        if not _appears(members.teachers.text, members.teachers.value):
            yield bad(("members", "teachers", "value"), str(members.teachers.value), members.teachers.text, True)
    for text, path in first_use.items():
        if text in mismatched:
            continue
        numbers = accounted[text]
        extra = [n for n in _stated(text) if _exact(n.value) not in numbers]
        if extra:
            extra = [n for n in extra if not _in_a_name(text, n, ctx.numbered_names)]
        if extra:
            yield loc.finding(
                path,
                "quote-unaccounted-number",
                f"引文中的数字 {'、'.join(n.text for n in extra)} 在数据中没有对应的记录：“{text}”",
                severity="warning",
                subject=f"{table.id}/{'/'.join(map(str, path))}",
            )


def _in_a_name(text: str, number: Number, names: dict[str, tuple[str, ...]]) -> bool:
    """Whether ``number`` is part of a unit's, region's or 学段's name written in ``text``
    (13个高中学科基地): such a number is part of the name, not a quantity the record must hold."""
    for name in names.get(number.text, ()):
        at = text.find(name, max(0, number.end - len(name)))
        while at != -1 and at <= number.start:
            if number.end <= at + len(name):
                return True
            at = text.find(name, at + 1)
    return False


# ------------------------------------------------------------------ the run


@dataclass
class _Seen:
    """What the checks of one file need from the files before it, or keep for the end."""

    broken_plans: list[str | None]
    plan_files: dict[str, str] = field(default_factory=dict)  # plan id → file, for duplicate ids
    plan_periods: dict[str, Period | None] = field(default_factory=dict)  # plan id → its period
    quota_files: dict[str, str] = field(default_factory=dict)
    plan_kinds: Counter[str] = field(default_factory=Counter)
    task_kinds: Counter[str] = field(default_factory=Counter)
    quota_ids: Counter[str] = field(default_factory=Counter)
    # statement key → (file, line, column, target) of each target that has it, in file order
    statements: dict[str, list[tuple[str, int, int, Target]]] = field(default_factory=lambda: defaultdict(list))
    quotes: dict[str, bool] = field(default_factory=dict)  # quotation → found in the document


# The order in which a run lists the checks' findings (before sorting): the order of the
# checks when they ran over the whole catalog, kept so that findings which sort alike stay
# in the same order however the files are fed.
_PHASES = (
    "quota_references",
    "plan_references",
    "unit_references",
    "unit_inclusions",
    "arithmetic",
    "series",
    "statements",
    "counts",
    "vocabulary",
    "quotes_found",
    "quote_numbers",
    "quote_counts",
)


class Checks:
    """Every check, fed one plan or quota table at a time.

    What a check needs from other files is kept as they go by (ids with their files, plan
    periods, how many plans and tasks of each kind, statements that share a key, quotations
    already looked up), so the caller may drop each file's models once ``plan`` or ``quota``
    returns: ``check`` then holds one file's models at a time, whatever the folder's size.
    ``finish`` gives the same findings as running each check over the whole catalog.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.ctx = Context.of(catalog)
        self._seen = _Seen(catalog.broken_plans)
        self._out: dict[str, list[Finding]] = {phase: [] for phase in _PHASES}

    def plan(self, loc: Located) -> None:
        ctx, seen, out = self.ctx, self._seen, self._out
        if ctx is None:
            return
        out["plan_references"].extend(_plan_references(loc, ctx, seen))
        plan: Plan = loc.model
        seen.plan_periods[plan.id] = plan.period
        seen.plan_kinds[plan.kind] += 1
        seen.task_kinds.update(task.kind for task in plan.tasks)
        out["quotes_found"].extend(_quotes_found(loc, self.catalog.source_text, seen.quotes))

    def quota(self, loc: Located) -> None:
        ctx, seen, out = self.ctx, self._seen, self._out
        if ctx is None:
            return
        table: QuotaTable = loc.model
        out["quota_references"].extend(_quota_references(loc, ctx, seen))
        out["arithmetic"].extend(_arithmetic(loc, ctx))
        out["series"].extend(_series(loc))
        for i, target in enumerate(table.targets):
            if target.key:
                seen.statements[target.key].append((loc.doc.file, *loc.position("targets", i), target))
        seen.quota_ids[table.id] += 1
        out["quotes_found"].extend(_quotes_found(loc, self.catalog.source_text, seen.quotes))
        out["quote_numbers"].extend(_quote_numbers(loc, ctx))

    def finish(self) -> list[Finding]:
        """All findings, sorted, with the acknowledgements of ``disagreements.yaml`` applied."""
        catalog, ctx, seen, out = self.catalog, self.ctx, self._seen, self._out
        findings = list(catalog.problems)
        if ctx is not None:
            out["unit_references"].extend(_unit_references(catalog, ctx))
            out["unit_inclusions"].extend(check_unit_inclusions(catalog, ctx))
            out["statements"].extend(_statements(seen))
            out["counts"].extend(_counts(catalog, ctx, seen))
            out["vocabulary"].extend(check_vocabulary(catalog, ctx))
            if catalog.programme is not None:
                out["quotes_found"].extend(_quotes_found(catalog.programme, catalog.source_text, seen.quotes))
            out["quote_counts"].extend(_quote_counts(catalog))
            for phase in _PHASES:
                findings.extend(out[phase])
        return sort_findings(apply_acknowledgements(catalog, findings, complete=ctx is not None))


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    # As in loading: the catalog's many live objects make cyclic GC passes expensive and
    # the checks create no cycles worth collecting.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
        result.append(
            catalog.disagreements.finding(
                where[key],
                "stale-acknowledgement",
                f"登记的原文矛盾“{acks[key]}”没有对应的检查结果（{key[0]} {key[1]}）：数据已改动或登记有误",
            )
        )
    return result


def run(catalog: Catalog) -> list[Finding]:
    """Every finding about a loaded catalog, sorted."""
    with _gc_paused():
        checks = Checks(catalog)
        for loc in catalog.plans:
            checks.plan(loc)
        for loc in catalog.quotas:
            checks.quota(loc)
        return checks.finish()


def check_folder(root: Path) -> tuple[Catalog, list[Finding]]:
    """Load and check a data folder file by file: the findings of ``run(load(root))``, but
    each plan's and table's models are dropped once checked, so memory does not grow with
    the number of files. The catalog returned holds the single files only (no plans, no
    quota tables)."""
    checks: list[Checks] = []

    def visit(catalog: Catalog, loc: Located) -> None:
        if not checks:
            checks.append(Checks(catalog))
        if isinstance(loc.model, Plan):
            checks[0].plan(loc)
        else:
            checks[0].quota(loc)

    with _gc_paused():
        catalog = load(root, visit, keep=False)
        return catalog, (checks[0] if checks else Checks(catalog)).finish()
