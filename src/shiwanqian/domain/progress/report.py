"""达成度: the records ``progress`` prints from the basis and the cells (quota figures with their
rates and statuses, tasks due, the ranking), and the records below a threshold."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass
from .basis import DONE, MISSING, TOTAL, year_end
from .cells import Cells, cumulative_actuals
from .doubt import DOUBT, doubts_of, pending


def rate_of(actual: int | None, target: int | None) -> float | None:
    """达成度 as a percentage with one decimal (half up); None where the target is 0 or unknown."""
    from decimal import ROUND_HALF_UP, Decimal

    if actual is None or not target:
        return None
    return float((Decimal(actual) * 100 / Decimal(target)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def status_of(actual: int | None, target: int | None, due: bool, doubtful: bool = False) -> str:
    """达成 / 超额 / 滞后; 进行中 for a year not yet over; 未填报; — where no target is set
    (or the target is 0 and nothing was reported); 待核 for a figure not yet confirmed that is
    above the quota or far above the target (``doubt``)."""
    if doubtful and actual is not None:
        return DOUBT
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
    target: dict[int, Any] = {}
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
    doubtful: set[int],
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
                "status": status_of(actual, target, year_end(y) <= as_of, y in doubtful),
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
    region's 合计 with ``level`` null), years up to the as-of year (or ``year``). A figure
    waiting to be confirmed is 待核, and so is the 合计 it is part of."""
    records = []
    levels = basis["levels"]
    doubtful: dict[tuple[str, str, str], set[int]] = {}
    for quota, region_name, level_name, y in pending(doubts_of(basis, cells)):
        doubtful.setdefault((quota, region_name, level_name), set()).add(y)
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
                flagged = doubtful.get((table["id"], name, TOTAL), set())
                records += _records(table, name, None, series, years, shown, as_of, flagged)
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
            flags = {lv: doubtful.get((table["id"], name, lv), set()) for lv, _ in parts}
            mine = [
                *(
                    r
                    for lv, series in parts
                    if not total_only
                    for r in _records(table, name, lv, series, years, shown, as_of, flags[lv])
                ),
                *_records(table, name, None, total, years, shown, as_of, set().union(*flags.values())),
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
    total = sum((Decimal(str(v)) for v in rates), Decimal(0)) / len(rates)
    return float(total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def ranking(
    basis: dict[str, Any], cells: Cells, *, plan: str | None, year: int, as_of: dt.date
) -> list[dict[str, Any]]:
    """Regions by 达成度 in ``year``: each table's rate for the region's 合计 and their mean.

    A table whose 合计 is 待核 (holds a figure not yet confirmed) is named in ``doubtful`` and
    left out of the mean: one typing slip must not put a region on top of the ranking."""
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
        doubtful = [r["quota"] for r in totals if r["region"] == name and r["status"] == DOUBT]
        rates = [v for q, v in mine.items() if v is not None and q not in doubtful]
        mean = _mean(rates)
        rows.append({"region": name, "rates": mine, "rate": mean, "doubtful": doubtful, "_order": index})
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
    return [
        {"rank": r["rank"], "region": r["region"], "rate": r["rate"], "rates": r["rates"], "doubtful": r["doubtful"]}
        for r in rows
    ]


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
    """Everything ``progress`` shows: quota records, task records due by ``as_of``, the ranking,
    and the figures shown as 待核 with the reasons (``doubts``, in the order of the records).

    With ``unit`` only that unit's tasks (quota tables belong to regions, not to units)."""
    start, end = basis["period"]
    rank_year = year if year is not None else min(max(as_of.year, start), end)
    quotas = [] if unit is not None else quota_progress(basis, cells, region=region, plan=plan, year=year, as_of=as_of)
    rows = [] if unit is not None else ranking(basis, cells, plan=plan, year=rank_year, as_of=as_of)
    waiting = pending(doubts_of(basis, cells)) if quotas else {}
    shown = [(r["quota"], r["region"], r["level"] or TOTAL, r["year"]) for r in quotas if r["status"] == DOUBT]
    return {
        "as_of": as_of.isoformat(),
        "region": region,
        "quotas": quotas,
        "doubts": [waiting[key].record() for key in shown if key in waiting],
        "tasks": task_progress(basis, cells, region=region, unit=unit, plan=plan, year=year, as_of=as_of),
        "ranking": {"year": rank_year, "rows": rows},
    }
