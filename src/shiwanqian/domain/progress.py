"""达成度: targets against reported progress, and the cross-checks of progress reports.

The *basis* is what the data says a region owes, in a plain JSON-able form (so the query
snapshot can carry it and ``progress`` runs without pydantic on the data): for each quota
table with rows, every region's quota by 学段 and its yearly targets (the document's
schedule, or the controlled-rounding allocation where the document gives only shares); for
each task, its years, due dates and the regions it falls on.

Reports are resolved into *cells* (one figure per quota × region × 学段 × year, one status per
task × year × region); a report that ``supersedes`` another wins where both speak of the same
cell. ``compute`` turns basis and cells into the records ``progress`` prints.
Nothing here knows a table id, a region or a 学段 of any one document.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..findings import Finding, sort_findings
from .vocab import RegionNames, did_you_mean, name_hint

if TYPE_CHECKING:
    from ..load.loader import Catalog, Located
    from ..load.progress import ProgressSet

DONE = ("完成", "不适用")  # a task reported so is not overdue
MISSING = "未填报"
TOTAL = ""  # the level key of a table without 学段 (and of a row's total)


# ------------------------------------------------------------------ due dates


def year_end(year: int) -> dt.date:
    """A quota's yearly figure is due by the end of its year."""
    return dt.date(year, 12, 31)


# ------------------------------------------------------------------ basis


def basis_of(catalog: Catalog) -> dict[str, Any]:
    """What every region owes, by table, 学段 and year, and every task's due dates."""
    from .dates import due as item_due
    from .queries import allocation_records, tables_in_order
    from .tasks import task_records

    programme = catalog.programme.model
    regions = catalog.regions.model.regions
    plans = {loc.model.id: loc.model for loc in catalog.plans}
    allocations = allocation_records(catalog)
    tables = []
    for table in tables_in_order(catalog, None):
        if not table.rows:
            continue
        plan = plans.get(table.plan)
        period = plan.period if plan is not None and plan.period is not None else programme.period
        quota: dict[str, dict[str, int]] = {}
        sources: dict[str, str] = {}
        for row in table.rows:
            quota[row.region] = dict(row.values) if row.values is not None else {TOTAL: row.value or 0}
            sources[row.region] = row.source
        # yearly[region][level][year] = [target or None (city-wide only), source]
        yearly: dict[str, dict[str, dict[str, list]]] = {}
        kind = None
        if table.schedule:
            kind = "schedule"
            for scheduled in table.schedule:
                for group in scheduled.groups:
                    level = group.level or TOTAL
                    for region, owed in quota.items():
                        if region in group.regions:
                            value = group.regions[region]
                        elif not group.regions and level in owed:
                            value = None  # a city-wide figure the document does not split
                        else:
                            continue
                        cell = yearly.setdefault(region, {}).setdefault(level, {})
                        previous = cell.get(str(scheduled.year))
                        if previous is not None and previous[0] is not None and value is not None:
                            value += previous[0]
                        cell[str(scheduled.year)] = [value, scheduled.source]
        elif table.id in allocations:
            kind = "allocation"
            for record in allocations[table.id]:
                cell = yearly.setdefault(record["region"], {}).setdefault(record["level"] or TOTAL, {})
                cell[str(record["year"])] = [record["value"], record["source"]]
        tables.append(
            {
                "id": table.id,
                "title": table.title,
                "unit": table.unit,
                "plan": table.plan,
                "by_level": table.by_level,
                "source": table.source,
                "period": [period.start, period.end],
                "quota": quota,
                "quota_source": sources,
                "yearly": yearly,
                "kind": kind,
            }
        )
    tasks = []
    for record in task_records(catalog):
        due: dict[str, str] = {}
        for item in record["dates"]:  # the one date mapping (domain.dates): deadline, else end
            key = str(item["year"])
            due[key] = max(due.get(key, ""), item_due(item))
        tasks.append(
            {
                "plan": record["plan"],
                "item": record["item"],
                "name": record["name"],
                "units": list(record["units"]),
                "years": list(record["years"]),
                "applies": list(record["applies"]),
                "due": due,
                "source": record["source"],
            }
        )
    return {
        "period": [programme.period.start, programme.period.end],
        "levels": list(programme.levels),
        "regions": [r.name for r in regions],
        "region_index": RegionNames(regions).index(),
        "tables": tables,
        "tasks": tasks,
    }


# ------------------------------------------------------------------ cells


@dataclass
class Cells:
    """The figures in force after supersession."""

    # (quota, region, level, year) → {"achieved", "cumulative", "report", "as_of"}
    quotas: dict[tuple[str, str, str, int], dict[str, Any]] = field(default_factory=dict)
    # (plan, item, year, region or "") → {"status", "date", "note", "report"}
    tasks: dict[tuple[str, str, int, str], dict[str, Any]] = field(default_factory=dict)


def _beats(reports: list[Located]) -> dict[str, set[str]]:
    """Report id → the ids it supersedes, directly or through others."""
    direct = {loc.model.id: set(loc.model.supersedes) for loc in reports}
    closure: dict[str, set[str]] = {}
    for start in direct:
        seen: set[str] = set()
        stack = list(direct[start])
        while stack:
            other = stack.pop()
            if other not in seen:
                seen.add(other)
                stack.extend(direct.get(other, ()))
        closure[start] = seen
    return closure


def _quota_key(entry: Any) -> tuple[str, str, str, int]:
    return (entry.quota, entry.region, entry.level or TOTAL, entry.year)


def _task_key(entry: Any) -> tuple[str, str, int, str]:
    return (entry.plan, entry.item, entry.year, entry.region or "")


def latest(progress: ProgressSet) -> dt.date | None:
    """The as-of date of the most recent report."""
    return max((loc.model.as_of for loc in progress.reports), default=None)


def resolve(progress: ProgressSet, until: dt.date | None = None) -> tuple[Cells, list[Finding]]:
    """The cells in force, and the findings about duplicates and supersession.

    ``until``: only reports as of that day or earlier count (the state of things then)."""
    findings: list[Finding] = []
    cells = Cells()
    beats = _beats(progress.reports)
    ids: dict[str, Located] = {}
    reports = [loc for loc in progress.reports if until is None or loc.model.as_of <= until]
    for loc in progress.reports:
        report = loc.model
        if report.id in ids:
            findings.append(
                loc.finding(("id",), "duplicate-report", f"报告编号“{report.id}”重复（另见 {ids[report.id].doc.file}）")
            )
        ids.setdefault(report.id, loc)
        if report.id in beats[report.id]:
            findings.append(loc.finding(("supersedes",), "supersedes-cycle", f"报告“{report.id}”直接或间接取代了自己"))
        for i, other in enumerate(report.supersedes):
            if other not in beats and other not in progress.broken:
                findings.append(
                    loc.finding(
                        ("supersedes", i),
                        "unknown-report",
                        f"要取代的报告“{other}”不存在" + did_you_mean(other, sorted(beats)),
                    )
                )
    for section, key_of, target in (("quotas", _quota_key, cells.quotas), ("tasks", _task_key, cells.tasks)):
        held: dict[tuple, tuple[Located, int]] = {}
        for loc in reports:
            report = loc.model
            for i, entry in enumerate(getattr(report, section)):
                key = key_of(entry)
                if key in held:
                    first, j = held[key]
                    if first is loc:
                        findings.append(
                            loc.finding(
                                (section, i),
                                "duplicate-progress",
                                f"同一格在本报告中填报了两次（另见第 {first.position(section, j)[0]} 行）",
                            )
                        )
                        continue
                    if first.model.id in beats[report.id]:
                        pass  # this report corrects the earlier one
                    elif report.id in beats[first.model.id]:
                        continue  # the one held already corrects this one
                    else:
                        line = first.position(section, j)[0]
                        findings.append(
                            loc.finding(
                                (section, i),
                                "duplicate-progress",
                                f"同一格已由报告“{first.model.id}”填报（{first.doc.file}:{line}）；"
                                f"如为更正，请在本报告写 supersedes: [{first.model.id}]",
                            )
                        )
                        continue
                held[key] = (loc, i)
        for key, (loc, i) in held.items():
            entry = getattr(loc.model, section)[i]
            record = {"report": loc.model.id, "as_of": loc.model.as_of, "loc": loc, "index": i}
            if section == "quotas":
                record.update(achieved=entry.achieved, cumulative=entry.cumulative, note=entry.note)
            else:
                record.update(status=entry.status, date=entry.date, note=entry.note)
            target[key] = record
    return cells, findings


# ------------------------------------------------------------------ checks


def check_progress(progress: ProgressSet, basis: dict[str, Any]) -> list[Finding]:
    """Every problem of a progress folder against the data: loading, references, dates,
    duplicates, cumulative figures that decrease, figures above the quota."""
    findings = list(progress.problems)
    cells, found = resolve(progress)
    findings += found
    start, end = basis["period"]
    first_day, last_day = dt.date(start, 1, 1), dt.date(end, 12, 31)
    regions, levels = basis["regions"], basis["levels"]
    tables = {t["id"]: t for t in basis["tables"]}
    tasks = {(t["plan"], t["item"]): t for t in basis["tasks"]}
    plans = sorted({t["plan"] for t in basis["tasks"]})
    region_index = basis.get("region_index") or {name: name for name in regions}

    def region_hint(name: str) -> str:  # short names and pinyin, as on the command line
        return name_hint(name, region_index)

    def date_in_period(loc: Located, path: tuple, value: dt.date) -> Iterator[Finding]:
        if not first_day <= value <= last_day:
            yield loc.finding(path, "date-outside-period", f"日期 {value.isoformat()} 不在工程期 {start}–{end} 内")

    for loc in progress.reports:
        report = loc.model
        findings += date_in_period(loc, ("as_of",), report.as_of)
        for i, entry in enumerate(report.quotas):
            path = ("quotas", i)
            table = tables.get(entry.quota)
            if table is None:
                findings.append(
                    loc.finding(
                        path + ("quota",),
                        "unknown-quota",
                        f"未知名额表“{entry.quota}”（须为有区域名额的表）" + did_you_mean(entry.quota, sorted(tables)),
                    )
                )
                continue
            if entry.region not in regions:
                findings.append(
                    loc.finding(
                        path + ("region",),
                        "unknown-region",
                        f"未知区域“{entry.region}”（须写全称）" + region_hint(entry.region),
                    )
                )
                continue
            owed = table["quota"].get(entry.region)
            if owed is None:
                findings.append(
                    loc.finding(path + ("region",), "no-quota", f"{entry.region}在“{table['title']}”中没有名额")
                )
            if table["by_level"]:
                if entry.level is None:
                    findings.append(
                        loc.finding(path, "missing-level", f"“{table['title']}”按学段分解，须写明 level（学段）")
                    )
                elif entry.level not in levels:
                    findings.append(
                        loc.finding(
                            path + ("level",),
                            "unknown-level",
                            f"未知学段“{entry.level}”" + did_you_mean(entry.level, levels),
                        )
                    )
                elif owed is not None and entry.level not in owed:
                    findings.append(
                        loc.finding(
                            path + ("level",),
                            "no-quota",
                            f"{entry.region}在“{table['title']}”中没有{entry.level}的名额",
                            severity="warning",
                        )
                    )
            elif entry.level is not None:
                findings.append(
                    loc.finding(path + ("level",), "unexpected-level", f"“{table['title']}”不按学段分解，不应写 level")
                )
            t_start, t_end = table["period"]
            if not t_start <= entry.year <= t_end:
                findings.append(
                    loc.finding(
                        path + ("year",), "year-outside-period", f"年份 {entry.year} 不在计划期 {t_start}–{t_end} 内"
                    )
                )
            elif entry.year > report.as_of.year:
                findings.append(
                    loc.finding(
                        path + ("year",),
                        "year-after-as-of",
                        f"填报了 {entry.year} 年的完成数，但报告截至 {report.as_of.isoformat()}",
                    )
                )
        for i, entry in enumerate(report.tasks):
            path = ("tasks", i)
            task = tasks.get((entry.plan, entry.item))
            if task is None:
                if entry.plan not in plans:
                    findings.append(
                        loc.finding(
                            path + ("plan",),
                            "unknown-plan",
                            f"未知计划“{entry.plan}”" + did_you_mean(entry.plan, plans),
                        )
                    )
                else:
                    items = [t["item"] for t in basis["tasks"] if t["plan"] == entry.plan]
                    findings.append(
                        loc.finding(
                            path + ("item",),
                            "unknown-task",
                            f"计划“{entry.plan}”中没有事项“{entry.item}”" + did_you_mean(entry.item, items),
                        )
                    )
                continue
            if entry.year not in task["years"]:
                findings.append(
                    loc.finding(
                        path + ("year",),
                        "task-year",
                        f"事项“{task['name']}”没有安排在 {entry.year} 年"
                        f"（安排在 {'、'.join(map(str, task['years']))} 年）",
                    )
                )
            elif entry.year > report.as_of.year:
                findings.append(
                    loc.finding(
                        path + ("year",),
                        "year-after-as-of",
                        f"填报了 {entry.year} 年的事项，但报告截至 {report.as_of.isoformat()}",
                    )
                )
            if entry.region is not None:
                if entry.region not in regions:
                    findings.append(
                        loc.finding(
                            path + ("region",),
                            "unknown-region",
                            f"未知区域“{entry.region}”（须写全称）" + region_hint(entry.region),
                        )
                    )
                elif entry.region not in task["applies"]:
                    findings.append(
                        loc.finding(path + ("region",), "task-region", f"事项“{task['name']}”不落在{entry.region}")
                    )
            if entry.date is not None:
                findings += date_in_period(loc, path + ("date",), entry.date)
                if entry.date > report.as_of:
                    findings.append(
                        loc.finding(
                            path + ("date",),
                            "date-after-as-of",
                            f"日期 {entry.date.isoformat()} 晚于报告截至日期 {report.as_of.isoformat()}",
                            severity="warning",
                        )
                    )
    findings += _check_series(cells, tables)
    return sort_findings(findings)


def _check_series(cells: Cells, tables: dict[str, dict[str, Any]]) -> Iterator[Finding]:
    """Cumulative figures that decrease, and totals above the quota (warning)."""
    series: dict[tuple[str, str, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for (quota, region, level, year), record in cells.quotas.items():
        series[quota, region, level].append((year, record))
    for (quota, region, level), entries in series.items():
        entries.sort(key=lambda e: e[0])
        previous: tuple[int, dict[str, Any]] | None = None
        for year, record in entries:
            if record["cumulative"] is None:
                continue
            if previous is not None and record["cumulative"] < previous[1]["cumulative"]:
                loc = record["loc"]
                yield loc.finding(
                    ("quotas", record["index"], "cumulative"),
                    "cumulative-decreases",
                    f"累计完成数下降：{previous[0]} 年为 {previous[1]['cumulative']}，"
                    f"{year} 年为 {record['cumulative']}",
                )
            previous = (year, record)
        table = tables.get(quota)
        owed = (table or {}).get("quota", {}).get(region, {}).get(level)
        if owed is None:
            continue
        for (year, record), (_, running) in zip(entries, cumulative_actuals(entries)):
            if running is not None and running > owed:  # the first year past the quota
                yield record["loc"].finding(
                    ("quotas", record["index"]),
                    "above-quota",
                    f"{region}{level or ''}到 {year} 年累计完成 {running}，超过名额 {owed}（“{table['title']}”）",
                    severity="warning",
                )
                break


def cumulative_actuals(entries: list[tuple[int, dict[str, Any]]]) -> list[tuple[int | None, int | None]]:
    """(actual, cumulative actual) of each reported year, in year order.

    A year's own figure is ``achieved`` when given, else its ``cumulative`` less the
    cumulative before it; a stated ``cumulative`` wins over the running sum.
    """
    result = []
    running = 0
    for _, record in sorted(entries, key=lambda e: e[0]):
        achieved, cumulative = record.get("achieved"), record.get("cumulative")
        if achieved is None and cumulative is not None:
            achieved = cumulative - running
        running = cumulative if cumulative is not None else running + (achieved or 0)
        result.append((achieved, running))
    return result


# ------------------------------------------------------------------ 达成度


def rate_of(actual: int | None, target: int | None) -> float | None:
    """达成度 as a percentage with one decimal (half up); None where the target is 0 or unknown."""
    from decimal import ROUND_HALF_UP, Decimal

    if actual is None or not target:
        return None
    return float((Decimal(actual) * 100 / Decimal(target)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def status_of(actual: int | None, target: int | None, due: bool) -> str:
    """达成 / 超额 / 滞后; 进行中 for a year not yet over; 未填报; — where no target is set
    (or the target is 0 and nothing was reported)."""
    if actual is None:
        return "—" if target == 0 else MISSING  # nothing was due that year
    if target is None:
        return "—"
    if actual > target:
        return "超额"
    if actual == target:
        return "达成"
    return "滞后" if due else "进行中"


def _add(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else a + b


@dataclass
class Series:
    """One quota × region × 学段 over the years: targets and what was reported."""

    target: dict[int, int | None]
    actual: dict[int, int | None]
    cumulative: dict[int, int | None]


def _series(table: dict[str, Any], region: str, level: str, years: list[int], cells: Cells) -> Series:
    yearly = table["yearly"].get(region, {}).get(level, {})
    target = {}
    for y in years:
        if table["kind"] is None:
            target[y] = None
        else:
            target[y] = yearly[str(y)][0] if str(y) in yearly else 0
    reported = [(y, cells.quotas[key]) for y in years if (key := (table["id"], region, level, y)) in cells.quotas]
    figures = dict(zip((y for y, _ in reported), cumulative_actuals(reported)))
    actual, cumulative, running = {}, {}, None
    for y in years:
        if y in figures:
            actual[y], running = figures[y]
        else:
            actual[y] = None
        cumulative[y] = running
    return Series(target, actual, cumulative)


def _records(
    table: dict[str, Any],
    region: str,
    level: str | None,
    series: Series,
    years: list[int],
    shown: list[int],
    as_of: dt.date,
) -> list[dict[str, Any]]:
    records = []
    cumulative_target: int | None = None
    for y in years:
        cumulative_target = _add(cumulative_target, series.target[y])
        if y not in shown:
            continue
        target, actual = series.target[y], series.actual[y]
        records.append(
            {
                "quota": table["id"],
                "region": region,
                "level": level,
                "year": y,
                "target": target,
                "cumulative_target": cumulative_target,
                "actual": actual,
                "cumulative_actual": series.cumulative[y],
                "rate": rate_of(actual, target),
                "status": status_of(actual, target, year_end(y) <= as_of),
            }
        )
    return records


def quota_progress(
    basis: dict[str, Any],
    cells: Cells,
    *,
    region: str | None,
    plan: str | None,
    year: int | None,
    as_of: dt.date,
    total_only: bool = False,
) -> list[dict[str, Any]]:
    """Records of every selected table, region, 学段 and year (a by-学段 table also gets the
    region's 合计 with ``level`` null), years up to the as-of year (or ``year``)."""
    records = []
    levels = basis["levels"]
    for table in basis["tables"]:
        if plan is not None and table["plan"] != plan:
            continue
        start, end = table["period"]
        years = list(range(start, end + 1))
        shown = [year] if year is not None else [y for y in years if y <= as_of.year]
        shown = [y for y in shown if start <= y <= end]
        if not shown:
            continue
        for name in basis["regions"]:
            if (region is not None and name != region) or name not in table["quota"]:
                continue
            owed = table["quota"][name]
            if not table["by_level"]:
                series = _series(table, name, TOTAL, years, cells)
                records += _records(table, name, None, series, years, shown, as_of)
                continue
            parts = [(lv, _series(table, name, lv, years, cells)) for lv in levels if lv in owed]
            total = Series({}, {}, {})
            for y in years:
                for field_, values in (
                    ("target", [s.target[y] for _, s in parts]),
                    ("actual", [s.actual[y] for _, s in parts]),
                    ("cumulative", [s.cumulative[y] for _, s in parts]),
                ):
                    summed = None
                    for v in values:
                        summed = _add(summed, v)
                    getattr(total, field_)[y] = summed
            mine = [
                *(
                    r
                    for lv, series in parts
                    if not total_only
                    for r in _records(table, name, lv, series, years, shown, as_of)
                ),
                *_records(table, name, None, total, years, shown, as_of),
            ]
            order = {lv: i for i, lv in enumerate(levels)}
            records += sorted(mine, key=lambda r: (r["year"], order.get(r["level"], len(order))))
    return records


def _task_status(task: dict[str, Any], year: int, region: str | None, cells: Cells) -> str:
    own = cells.tasks.get((task["plan"], task["item"], year, region or ""))
    if own is not None:
        return own["status"]
    if region is not None:
        city = cells.tasks.get((task["plan"], task["item"], year, ""))
        return city["status"] if city is not None else MISSING
    # The whole city: one status from the regions' reports.
    found = [cells.tasks.get((task["plan"], task["item"], year, r)) for r in task["applies"]]
    states = [f["status"] for f in found if f is not None]
    if not states:
        return MISSING
    if len(states) == len(found) and all(s in DONE for s in states):
        return "完成"
    if any(s in ("完成", "部分完成") for s in states):
        return "部分完成"
    return "未开展" if len(states) == len(found) else MISSING


def task_progress(
    basis: dict[str, Any],
    cells: Cells,
    *,
    region: str | None,
    unit: str | None,
    plan: str | None,
    year: int | None,
    as_of: dt.date,
) -> list[dict[str, Any]]:
    """Every task-year due by ``as_of`` with its reported status, in due-date order."""
    records = []
    for order, task in enumerate(basis["tasks"]):
        if (plan is not None and task["plan"] != plan) or (unit is not None and unit not in task["units"]):
            continue
        if region is not None and region not in task["applies"]:
            continue
        for y in task["years"]:
            due = task["due"].get(str(y))
            if due is None or due > as_of.isoformat() or (year is not None and y != year):
                continue
            records.append(
                (
                    due,
                    order,
                    {
                        "plan": task["plan"],
                        "item": task["item"],
                        "name": task["name"],
                        "year": y,
                        "due": due,
                        "status": _task_status(task, y, region, cells),
                        "units": list(task["units"]),
                    },
                )
            )
    return [r for _, _, r in sorted(records, key=lambda e: (e[0], e[1]))]


def _mean(rates: list[float]) -> float | None:
    from decimal import ROUND_HALF_UP, Decimal

    if not rates:
        return None
    total = sum(Decimal(str(v)) for v in rates) / len(rates)
    return float(total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def ranking(
    basis: dict[str, Any], cells: Cells, *, plan: str | None, year: int, as_of: dt.date
) -> list[dict[str, Any]]:
    """Regions by 达成度 in ``year``: each table's rate for the region's 合计 and their mean."""
    totals = [
        r
        for r in quota_progress(basis, cells, region=None, plan=plan, year=year, as_of=as_of, total_only=True)
        if r["level"] is None
    ]
    rows = []
    for index, name in enumerate(basis["regions"]):
        mine = {r["quota"]: r["rate"] for r in totals if r["region"] == name}
        if not mine:
            continue
        rates = [v for v in mine.values() if v is not None]
        mean = _mean(rates)
        rows.append({"region": name, "rates": mine, "rate": mean, "_order": index})
    rows.sort(key=lambda r: (r["rate"] is None, -(r["rate"] or 0), r["_order"]))
    rank = 0
    for position, row in enumerate(rows, start=1):
        if row["rate"] is None:
            row["rank"] = None
        elif position == 1 or row["rate"] != rows[position - 2]["rate"]:
            rank = position
            row["rank"] = rank
        else:
            row["rank"] = rank
        del row["_order"]
    return [{"rank": r["rank"], "region": r["region"], "rate": r["rate"], "rates": r["rates"]} for r in rows]


def without_totals(records: list[dict[str, Any]], basis: dict[str, Any]) -> list[dict[str, Any]]:
    """The quota records without each region's 合计 of a by-学段 table: totals belong to the
    table view, not to JSON and CSV records (as in ``budget`` and ``quota``), so a record is
    always one cell the document owes and a bureau reports. A table without 学段 keeps its
    one record a region and year (``level`` null there means “no 学段”, not “total”)."""
    by_level = {t["id"] for t in basis["tables"] if t["by_level"]}
    return [r for r in records if not (r["level"] is None and r["quota"] in by_level)]


def below(records: list[dict[str, Any]], threshold: float, as_of: dt.date) -> list[dict[str, Any]]:
    """Records due by ``as_of`` whose 达成度 is under ``threshold`` (an unreported year with a
    target counts as under it)."""
    return [
        r
        for r in records
        if year_end(r["year"]) <= as_of
        and ((r["rate"] is not None and r["rate"] < threshold) or (r["actual"] is None and r["target"]))
    ]


def progress_report(
    basis: dict[str, Any],
    cells: Cells,
    *,
    region: str | None = None,
    unit: str | None = None,
    plan: str | None = None,
    year: int | None = None,
    as_of: dt.date,
) -> dict[str, Any]:
    """Everything ``progress`` shows: quota records, task records due by ``as_of``, the ranking.

    With ``unit`` only that unit's tasks (quota tables belong to regions, not to units)."""
    start, end = basis["period"]
    rank_year = year if year is not None else min(max(as_of.year, start), end)
    quotas = [] if unit is not None else quota_progress(basis, cells, region=region, plan=plan, year=year, as_of=as_of)
    rows = [] if unit is not None else ranking(basis, cells, plan=plan, year=rank_year, as_of=as_of)
    return {
        "as_of": as_of.isoformat(),
        "region": region,
        "quotas": quotas,
        "tasks": task_progress(basis, cells, region=region, unit=unit, plan=plan, year=year, as_of=as_of),
        "ranking": {"year": rank_year, "rows": rows},
    }
