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
from .vocab import did_you_mean

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
        tables.append({"id": table.id, "title": table.title, "unit": table.unit, "plan": table.plan,
                       "by_level": table.by_level, "source": table.source, "period": [period.start, period.end],
                       "quota": quota, "quota_source": sources, "yearly": yearly, "kind": kind})
    tasks = []
    for record in task_records(catalog):
        due: dict[str, str] = {}
        for item in record["dates"]:  # the one date mapping (domain.dates): deadline, else end
            key = str(item["year"])
            due[key] = max(due.get(key, ""), item_due(item))
        tasks.append({"plan": record["plan"], "item": record["item"], "name": record["name"],
                      "units": list(record["units"]), "years": list(record["years"]),
                      "applies": list(record["applies"]), "due": due, "source": record["source"]})
    return {"period": [programme.period.start, programme.period.end], "levels": list(programme.levels),
            "regions": [r.name for r in regions], "tables": tables, "tasks": tasks}


# ------------------------------------------------------------------ cells


@dataclass
class Cells:
    """The figures in force after supersession."""

    # (quota, region, level, year) → {"achieved", "cumulative", "report", "as_of"}
    quotas: dict[tuple[str, str, str, int], dict[str, Any]] = field(default_factory=dict)
    # (plan, item, year, region or "") → {"status", "date", "note", "report"}
    tasks: dict[tuple[str, str, int, str], dict[str, Any]] = field(default_factory=dict)
    latest: dt.date | None = None  # the latest as-of date of any report


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


def resolve(progress: ProgressSet) -> tuple[Cells, list[Finding]]:
    """The cells in force, and the findings about duplicates and supersession."""
    findings: list[Finding] = []
    cells = Cells()
    beats = _beats(progress.reports)
    ids: dict[str, Located] = {}
    for loc in progress.reports:
        report = loc.model
        cells.latest = max(cells.latest or report.as_of, report.as_of)
        if report.id in ids:
            findings.append(loc.finding(("id",), "duplicate-report",
                                        f"报告编号“{report.id}”重复（另见 {ids[report.id].doc.file}）"))
        ids.setdefault(report.id, loc)
        if report.id in beats[report.id]:
            findings.append(loc.finding(("supersedes",), "supersedes-cycle",
                                        f"报告“{report.id}”直接或间接取代了自己"))
        for i, other in enumerate(report.supersedes):
            if other not in beats and other not in progress.broken:
                findings.append(loc.finding(("supersedes", i), "unknown-report",
                                            f"要取代的报告“{other}”不存在" + did_you_mean(other, sorted(beats))))
    for section, key_of, target in (("quotas", _quota_key, cells.quotas), ("tasks", _task_key, cells.tasks)):
        held: dict[tuple, tuple[Located, int]] = {}
        for loc in progress.reports:
            report = loc.model
            for i, entry in enumerate(getattr(report, section)):
                key = key_of(entry)
                if key in held:
                    first, j = held[key]
                    if first is loc:
                        findings.append(loc.finding((section, i), "duplicate-progress",
                                                    f"同一格在本报告中填报了两次（另见第 {first.position(section, j)[0]} 行）"))
                        continue
                    if first.model.id in beats[report.id]:
                        pass  # this report corrects the earlier one
                    elif report.id in beats[first.model.id]:
                        continue  # the one held already corrects this one
                    else:
                        line = first.position(section, j)[0]
                        findings.append(loc.finding(
                            (section, i), "duplicate-progress",
                            f"同一格已由报告“{first.model.id}”填报（{first.doc.file}:{line}）；"
                            f"如为更正，请在本报告写 supersedes: [{first.model.id}]"))
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

    def date_in_period(loc: Located, path: tuple, value: dt.date) -> Iterator[Finding]:
        if not first_day <= value <= last_day:
            yield loc.finding(path, "date-outside-period",
                              f"日期 {value.isoformat()} 不在工程期 {start}–{end} 内")

    for loc in progress.reports:
        report = loc.model
        findings += date_in_period(loc, ("as_of",), report.as_of)
        for i, entry in enumerate(report.quotas):
            path = ("quotas", i)
            table = tables.get(entry.quota)
            if table is None:
                findings.append(loc.finding(path + ("quota",), "unknown-quota",
                                            f"未知名额表“{entry.quota}”（须为有区域名额的表）"
                                            + did_you_mean(entry.quota, sorted(tables))))
                continue
            if entry.region not in regions:
                findings.append(loc.finding(path + ("region",), "unknown-region",
                                            f"未知区域“{entry.region}”" + did_you_mean(entry.region, regions)))
                continue
            owed = table["quota"].get(entry.region)
            if owed is None:
                findings.append(loc.finding(path + ("region",), "no-quota",
                                            f"{entry.region}在“{table['title']}”中没有名额"))
            if table["by_level"]:
                if entry.level is None:
                    findings.append(loc.finding(path, "missing-level",
                                                f"“{table['title']}”按学段分解，须写明 level（学段）"))
                elif entry.level not in levels:
                    findings.append(loc.finding(path + ("level",), "unknown-level",
                                                f"未知学段“{entry.level}”" + did_you_mean(entry.level, levels)))
                elif owed is not None and entry.level not in owed:
                    findings.append(loc.finding(path + ("level",), "no-quota",
                                                f"{entry.region}在“{table['title']}”中没有{entry.level}的名额",
                                                severity="warning"))
            elif entry.level is not None:
                findings.append(loc.finding(path + ("level",), "unexpected-level",
                                            f"“{table['title']}”不按学段分解，不应写 level"))
            t_start, t_end = table["period"]
            if not t_start <= entry.year <= t_end:
                findings.append(loc.finding(path + ("year",), "year-outside-period",
                                            f"年份 {entry.year} 不在计划期 {t_start}–{t_end} 内"))
            elif entry.year > report.as_of.year:
                findings.append(loc.finding(path + ("year",), "year-after-as-of",
                                            f"填报了 {entry.year} 年的完成数，但报告截至 {report.as_of.isoformat()}"))
        for i, entry in enumerate(report.tasks):
            path = ("tasks", i)
            task = tasks.get((entry.plan, entry.item))
            if task is None:
                if entry.plan not in plans:
                    findings.append(loc.finding(path + ("plan",), "unknown-plan",
                                                f"未知计划“{entry.plan}”" + did_you_mean(entry.plan, plans)))
                else:
                    items = [t["item"] for t in basis["tasks"] if t["plan"] == entry.plan]
                    findings.append(loc.finding(path + ("item",), "unknown-task",
                                                f"计划“{entry.plan}”中没有事项“{entry.item}”"
                                                + did_you_mean(entry.item, items)))
                continue
            if entry.year not in task["years"]:
                findings.append(loc.finding(path + ("year",), "task-year",
                                            f"事项“{task['name']}”没有安排在 {entry.year} 年"
                                            f"（安排在 {'、'.join(map(str, task['years']))} 年）"))
            elif entry.year > report.as_of.year:
                findings.append(loc.finding(path + ("year",), "year-after-as-of",
                                            f"填报了 {entry.year} 年的事项，但报告截至 {report.as_of.isoformat()}"))
            if entry.region is not None:
                if entry.region not in regions:
                    findings.append(loc.finding(path + ("region",), "unknown-region",
                                                f"未知区域“{entry.region}”" + did_you_mean(entry.region, regions)))
                elif entry.region not in task["applies"]:
                    findings.append(loc.finding(path + ("region",), "task-region",
                                                f"事项“{task['name']}”不落在{entry.region}"))
            if entry.date is not None:
                findings += date_in_period(loc, path + ("date",), entry.date)
                if entry.date > report.as_of:
                    findings.append(loc.finding(path + ("date",), "date-after-as-of",
                                                f"日期 {entry.date.isoformat()} 晚于报告截至日期 {report.as_of.isoformat()}",
                                                severity="warning"))
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
                yield loc.finding(("quotas", record["index"], "cumulative"), "cumulative-decreases",
                                  f"累计完成数下降：{previous[0]} 年为 {previous[1]['cumulative']}，"
                                  f"{year} 年为 {record['cumulative']}")
            previous = (year, record)
        table = tables.get(quota)
        owed = (table or {}).get("quota", {}).get(region, {}).get(level)
        if owed is None:
            continue
        for (year, record), (_, running) in zip(entries, cumulative_actuals(entries)):
            if running is not None and running > owed:  # the first year past the quota
                yield record["loc"].finding(("quotas", record["index"]), "above-quota",
                                            f"{region}{level or ''}到 {year} 年累计完成 {running}，超过名额 {owed}"
                                            f"（“{table['title']}”）", severity="warning")
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
