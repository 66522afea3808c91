"""What every region owes and when, as plain data (the *basis*): for each quota table with rows,
every region's quota by 学段 and its yearly targets (the document's schedule, or the
controlled-rounding allocation where the document gives only shares); for each task, its years,
due dates and the regions it falls on. JSON-able, so the query snapshot can carry it and
``progress`` runs without pydantic on the data."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..programme.vocab import RegionNames

if TYPE_CHECKING:
    from ...load.loader import Catalog
    from ...load.model import Period, Plan, QuotaTable, ScheduleYear


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
    from ..allocation.records import allocation_records
    from ..programme.queries import tables_in_order

    programme = catalog.programme_model
    regions = catalog.regions_model.regions
    plans = {loc.model.id: loc.model for loc in catalog.plans}
    allocations = allocation_records(catalog)
    tables = [
        _table_basis(table, plans.get(table.plan), programme.period, allocations.get(table.id))
        for table in tables_in_order(catalog, None)
        if table.rows
    ]
    return {
        "period": [programme.period.start, programme.period.end],
        "area": programme.vocabulary.area,
        "levels": list(programme.levels),
        "regions": [r.name for r in regions],
        "region_index": RegionNames(regions).index(),
        "tables": tables,
        "tasks": _task_basis(catalog),
    }


def _table_basis(
    table: QuotaTable, plan: Plan | None, programme_period: Period, allocated: list[dict[str, Any]] | None
) -> dict[str, Any]:
    """One quota table's regions: their quota by 学段 and their yearly targets with sources."""
    period = plan.period if plan is not None and plan.period is not None else programme_period
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
        _scheduled(table.schedule, quota, yearly)
    elif allocated is not None:
        kind = "allocation"
        for record in allocated:
            cell = yearly.setdefault(record["region"], {}).setdefault(record["level"] or TOTAL, {})
            cell[str(record["year"])] = [record["value"], record["source"]]
    return {
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
        # A refining programme's table: the parent's table and 学段 it splits (``progress --child``).
        "refines": None
        if table.refines is None
        else {"table": table.refines.table, "levels": dict(table.refines.levels)},
    }


def _scheduled(
    schedule: list[ScheduleYear], quota: dict[str, dict[str, int]], yearly: dict[str, dict[str, dict[str, list]]]
) -> None:
    """The document's yearly schedule into ``yearly``: a region's figure, or None for a city-wide
    figure the document does not split; two groups of one year and 学段 add up."""
    for scheduled in schedule:
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


def _task_basis(catalog: Catalog) -> list[dict[str, Any]]:
    """Every task's years, regions and due date by year."""
    from ..programme.dates import due as item_due
    from ..programme.tasks import task_records

    tasks = []
    for record in task_records(catalog):
        due: dict[str, str] = {}
        for item in record["dates"]:  # the one date mapping (domain.programme.dates): deadline, else end
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
    return tasks
