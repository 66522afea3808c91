"""Reports resolved into *cells*: one figure per quota × region × 学段 × year, one status per
task × year × region; a report that ``supersedes`` another wins where both speak of the same
cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...findings import Finding
from ..programme.vocab import did_you_mean

if TYPE_CHECKING:
    from ...load.loader import Located
    from ...load.progress import ProgressSet
from .basis import TOTAL


@dataclass
class Cells:
    """The figures in force after supersession."""

    # (quota, region, level, year) → {"achieved", "cumulative", "note", "confirmed", "report", "as_of", …}
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
    sections: tuple[tuple[str, Callable[[Any], tuple[Any, ...]], dict[Any, dict[str, Any]]], ...] = (
        ("quotas", _quota_key, cells.quotas),
        ("tasks", _task_key, cells.tasks),
    )
    for section, key_of, target in sections:
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
                record.update(
                    achieved=entry.achieved, cumulative=entry.cumulative, note=entry.note, confirmed=entry.confirmed
                )
            else:
                record.update(status=entry.status, date=entry.date, note=entry.note)
            target[key] = record
    return cells, findings


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
