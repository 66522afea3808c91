"""References between files: every region, 学段, year, plan, unit and vocabulary word a file
names exists, ids are unique, and units do not include themselves."""

from __future__ import annotations

from collections.abc import Iterator

from ...findings import Finding
from ...load.loader import Catalog, Located
from ...load.model import Plan, QuotaTable
from ..programme.vocab import did_you_mean
from .context import Context, Seen


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


def check_quota_references(loc: Located, ctx: Context, seen: Seen) -> Iterator[Finding]:
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
        for share_year in table.shares.values:
            yield from _year_ref(loc, ("shares", "values", share_year), share_year, start, end, key=True)
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


def check_plan_references(loc: Located, ctx: Context, seen: Seen) -> Iterator[Finding]:
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


def check_unit_references(catalog: Catalog, ctx: Context) -> Iterator[Finding]:
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
    from ..programme.units import cycles

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
