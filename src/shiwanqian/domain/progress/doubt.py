"""Figures to be checked before they count (待核): a typing slip must not become an 832 % success.

A reported figure is *doubtful* when

- the region's cumulative figure up to that year passes its quota for the table and 学段 (the
  year's own figure is more than what was left of the quota), or
- the year's own figure is more than ``FAR`` (2) times the year's target (where the year has
  a target above 0; a city-wide target not split by region has none).

Until the figure is confirmed (``confirmed: true`` in the progress report, which
``progress import --confirm`` writes) ``progress`` shows it as 待核 instead of 超额, leaves it
out of the ranking's mean and lists it; ``progress import`` lists it in its summary. A
confirmed figure counts like any other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .cells import Cells, cumulative_actuals

DOUBT = "待核"
FAR = 2  # a year's figure more than this many times the year's target is far above it


@dataclass(frozen=True)
class Doubt:
    """One doubtful figure: where it is, what it is against, and why it is doubtful."""

    quota: str
    region: str
    level: str  # basis.TOTAL ("") for a table without 学段
    year: int
    actual: int
    target: int | None
    limit: int | None  # the region's quota for the table and 学段
    reasons: tuple[str, ...]
    confirmed: bool
    report: str  # the id of the report the figure comes from
    above_quota: bool  # the first reason: the cumulative figure passes the quota

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.quota, self.region, self.level, self.year)

    def record(self) -> dict[str, Any]:
        """As a JSON record (``level`` null for a table without 学段)."""
        return {
            "quota": self.quota,
            "region": self.region,
            "level": self.level or None,
            "year": self.year,
            "actual": self.actual,
            "target": self.target,
            "limit": self.limit,
            "reasons": list(self.reasons),
            "confirmed": self.confirmed,
            "report": self.report,
        }


def above_quota(actual: int, cumulative: int | None, limit: int | None) -> bool:
    """The year's figure takes the cumulative figure past the quota (or adds to an excess)."""
    return limit is not None and cumulative is not None and cumulative > limit and actual > 0


def reasons(actual: int, target: int | None, cumulative: int | None, limit: int | None) -> list[str]:
    """Why a year's figure is doubtful (empty: it is not)."""
    found = []
    if above_quota(actual, cumulative, limit):
        found.append(f"累计 {cumulative} 超过名额 {limit}")
    if target and actual > FAR * target:
        found.append(f"超过当年目标 {target} 的 {FAR} 倍")
    return found


def _target(table: dict[str, Any], region: str, level: str, year: int) -> int | None:
    entry = table["yearly"].get(region, {}).get(level, {}).get(str(year))
    return None if entry is None else entry[0]


def doubts_of(basis: dict[str, Any], cells: Cells) -> dict[tuple[str, str, str, int], Doubt]:
    """Every doubtful figure among the cells in force, confirmed or not, by cell."""
    tables = {t["id"]: t for t in basis["tables"]}
    series: dict[tuple[str, str, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for (quota, region, level, year), record in cells.quotas.items():
        if quota in tables:
            series[quota, region, level].append((year, record))
    found = {}
    for (quota, region, level), entries in series.items():
        table = tables[quota]
        limit = table["quota"].get(region, {}).get(level)
        entries.sort(key=lambda e: e[0])
        for (year, record), (actual, cumulative) in zip(entries, cumulative_actuals(entries)):
            if actual is None:
                continue
            target = _target(table, region, level, year)
            why = reasons(actual, target, cumulative, limit)
            if why:
                found[quota, region, level, year] = Doubt(
                    quota,
                    region,
                    level,
                    year,
                    actual,
                    target,
                    limit,
                    tuple(why),
                    bool(record.get("confirmed")),
                    record["report"],
                    above_quota(actual, cumulative, limit),
                )
    return found


def pending(doubts: dict[tuple[str, str, str, int], Doubt]) -> dict[tuple[str, str, str, int], Doubt]:
    """The doubtful figures not yet confirmed: the ones shown as 待核."""
    return {key: d for key, d in doubts.items() if not d.confirmed}


def lines(doubt: Doubt, titles: dict[str, str]) -> tuple[str, str]:
    """For people, the figure and why: (攸县 千名优秀骨干教师 初中 2017年：999（当年目标 60，名额 60）,
    累计 999 超过名额 60；超过当年目标 60 的 2 倍)."""
    level = f" {doubt.level}" if doubt.level else ""
    target = "—" if doubt.target is None else str(doubt.target)
    limit = "" if doubt.limit is None else f"，名额 {doubt.limit}"
    figure = f"{doubt.region} {titles.get(doubt.quota, doubt.quota)}{level} {doubt.year}年：{doubt.actual}"
    return f"{figure}（当年目标 {target}{limit}）", "；".join(doubt.reasons)
