"""The cross-checks of progress reports against the basis: names, years and dates, figures
that run backwards, cumulative figures that disagree with the yearly ones."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ...findings import Finding, sort_findings
from ..programme.vocab import did_you_mean, name_hint

if TYPE_CHECKING:
    from ...load.loader import Located
    from ...load.progress import ProgressSet
    from ...load.progress_model import ProgressReport, QuotaProgress, TaskProgress
from .cells import Cells, cumulative_actuals, resolve


def check_progress(progress: ProgressSet, basis: dict[str, Any]) -> list[Finding]:
    """Every problem of a progress folder against the data: loading, references, dates,
    duplicates, cumulative figures that decrease, figures above the quota."""
    findings = list(progress.problems)
    cells, found = resolve(progress)
    findings += found
    against = _Against(basis)
    for loc in progress.reports:
        report = loc.model
        findings += against.date_in_period(loc, ("as_of",), report.as_of)
        for i, quota in enumerate(report.quotas):
            findings += against.quota_entry(loc, report, ("quotas", i), quota)
        for i, task in enumerate(report.tasks):
            findings += against.task_entry(loc, report, ("tasks", i), task)
    findings += _check_series(cells, against.tables)
    findings += _far_above_target(cells, basis)
    return sort_findings(findings)


class _Against:
    """The data a report's entries are checked against, and the check of one entry of each kind."""

    def __init__(self, basis: dict[str, Any]) -> None:
        self.start, self.end = basis["period"]
        self.first_day, self.last_day = dt.date(self.start, 1, 1), dt.date(self.end, 12, 31)
        self.regions, self.levels = basis["regions"], basis["levels"]
        self.tables = {t["id"]: t for t in basis["tables"]}
        self.basis_tasks = basis["tasks"]
        self.tasks = {(t["plan"], t["item"]): t for t in basis["tasks"]}
        self.plans = sorted({t["plan"] for t in basis["tasks"]})
        self.region_index = basis.get("region_index") or {name: name for name in self.regions}

    def region_hint(self, name: str) -> str:  # short names and pinyin, as on the command line
        return name_hint(name, self.region_index)

    def date_in_period(self, loc: Located, path: tuple, value: dt.date) -> list[Finding]:
        if not self.first_day <= value <= self.last_day:
            return [
                loc.finding(
                    path, "date-outside-period", f"日期 {value.isoformat()} 不在工程期 {self.start}–{self.end} 内"
                )
            ]
        return []

    def quota_entry(self, loc: Located, report: ProgressReport, path: tuple, entry: QuotaProgress) -> list[Finding]:
        """A quota figure: its table, region, 学段 and year."""
        findings: list[Finding] = []
        table = self.tables.get(entry.quota)
        if table is None:
            findings.append(
                loc.finding(
                    path + ("quota",),
                    "unknown-quota",
                    f"未知名额表“{entry.quota}”（须为有区域名额的表）" + did_you_mean(entry.quota, sorted(self.tables)),
                )
            )
            return findings
        if entry.region not in self.regions:
            findings.append(
                loc.finding(
                    path + ("region",),
                    "unknown-region",
                    f"未知区域“{entry.region}”（须写全称）" + self.region_hint(entry.region),
                )
            )
            return findings
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
            elif entry.level not in self.levels:
                findings.append(
                    loc.finding(
                        path + ("level",),
                        "unknown-level",
                        f"未知学段“{entry.level}”" + did_you_mean(entry.level, self.levels),
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
        return findings

    def task_entry(self, loc: Located, report: ProgressReport, path: tuple, entry: TaskProgress) -> list[Finding]:
        """A task's completion: its plan and item, year, region and date."""
        findings: list[Finding] = []
        task = self.tasks.get((entry.plan, entry.item))
        if task is None:
            if entry.plan not in self.plans:
                findings.append(
                    loc.finding(
                        path + ("plan",),
                        "unknown-plan",
                        f"未知计划“{entry.plan}”" + did_you_mean(entry.plan, self.plans),
                    )
                )
            else:
                items = [t["item"] for t in self.basis_tasks if t["plan"] == entry.plan]
                findings.append(
                    loc.finding(
                        path + ("item",),
                        "unknown-task",
                        f"计划“{entry.plan}”中没有事项“{entry.item}”" + did_you_mean(entry.item, items),
                    )
                )
            return findings
        if entry.year not in task["years"]:
            findings.append(
                loc.finding(
                    path + ("year",),
                    "task-year",
                    f"事项“{task['name']}”没有安排在 {entry.year} 年（安排在 {'、'.join(map(str, task['years']))} 年）",
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
            if entry.region not in self.regions:
                findings.append(
                    loc.finding(
                        path + ("region",),
                        "unknown-region",
                        f"未知区域“{entry.region}”（须写全称）" + self.region_hint(entry.region),
                    )
                )
            elif entry.region not in task["applies"]:
                findings.append(
                    loc.finding(path + ("region",), "task-region", f"事项“{task['name']}”不落在{entry.region}")
                )
        if entry.date is not None:
            findings += self.date_in_period(loc, path + ("date",), entry.date)
            if entry.date > report.as_of:
                findings.append(
                    loc.finding(
                        path + ("date",),
                        "date-after-as-of",
                        f"日期 {entry.date.isoformat()} 晚于报告截至日期 {report.as_of.isoformat()}",
                        severity="warning",
                    )
                )
        return findings


def _far_above_target(cells: Cells, basis: dict[str, Any]) -> Iterator[Finding]:
    """Figures more than ``doubt.FAR`` times the year's target and not confirmed (warning);
    one above the quota as well is already ``above-quota``."""
    from .doubt import FAR, doubts_of, pending

    titles = {t["id"]: t["title"] for t in basis["tables"]}
    for doubt in pending(doubts_of(basis, cells)).values():
        if doubt.target and doubt.actual > FAR * doubt.target and not doubt.above_quota:
            record = cells.quotas[doubt.key]
            yield record["loc"].finding(
                ("quotas", record["index"]),
                "far-above-target",
                f"{doubt.region}{doubt.level}{doubt.year} 年完成 {doubt.actual}，超过当年目标 {doubt.target} 的 {FAR} 倍"
                f"（“{titles[doubt.quota]}”）；核实无误请写 confirmed: true",
                severity="warning",
            )


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
        if owed is None or table is None:
            continue
        for (year, record), (_, running) in zip(entries, cumulative_actuals(entries)):
            if running is not None and running > owed and not record.get("confirmed"):  # the first year past the quota
                yield record["loc"].finding(
                    ("quotas", record["index"]),
                    "above-quota",
                    f"{region}{level or ''}到 {year} 年累计完成 {running}，超过名额 {owed}（“{table['title']}”）",
                    severity="warning",
                )
                break
