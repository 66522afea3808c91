"""Pure selections over a loaded catalog: what a region owes (by table, 学段 and year), the tables
in display order, and the summaries of tables and plans.

Tasks and their selection by date, region and unit are in ``tasks``; who a target or a unit
applies to is in ``scope``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .scope import scope_applies, vocabulary

if TYPE_CHECKING:  # the models import pydantic; queries stay importable without it
    from ...load.loader import Catalog
    from ...load.model import Plan, QuotaTable, Target


# ------------------------------------------------------------------ quota


def quota_records(
    catalog: Catalog,
    region: str,
    region_kind: str,
    *,
    plan: str | None = None,
    year: int | None = None,
    allocations: dict[str, list[dict[str, Any]]] | None = None,
    rows: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Flat records of everything ``region`` owes, in table order.

    ``allocations`` may hold every region's records or only ``region``'s; ``rows`` (table id →
    region → row, from ``rows_by_region``) spares a scan of every table for each region when
    records are made for many regions."""
    records: list[dict[str, Any]] = []
    levels = catalog.programme.model.levels if catalog.programme else []
    words = vocabulary(catalog)

    def add(table: QuotaTable, **fields: Any) -> None:
        record = _record(table, region) | fields
        if year is None or record["year"] is None or record["year"] == year:
            records.append(record)

    for table in tables_in_order(catalog, plan):
        if rows is not None:
            row = rows[table.id].get(region)
        else:
            row = next((r for r in table.rows if r.region == region), None)
        if row is not None:
            for level in levels:
                if row.values and level in row.values:
                    add(table, level=level, name=level, value=row.values[level], source=row.source)
            total = row.total if row.total is not None else row.parts_sum
            add(table, name="合计", value=total, source=row.source)
            owed = set(row.values or {}) if row.values is not None else {None}
            for scheduled in table.schedule:
                for group in scheduled.groups:
                    if region in group.regions:
                        add(
                            table,
                            level=group.level,
                            year=scheduled.year,
                            kind="schedule",
                            name=group.level or "合计",
                            value=group.regions[region],
                            source=scheduled.source,
                        )
                    elif not group.regions and group.level in owed:
                        # A city-wide figure the document does not split by region.
                        add(
                            table,
                            region=words.area,
                            level=group.level,
                            year=scheduled.year,
                            kind="schedule",
                            name=f"{group.level or '合计'}（{words.area}，未分解到区域）",
                            value=group.total,
                            source=scheduled.source,
                        )
        for record in (allocations or {}).get(table.id, []):
            if record["region"] == region:
                add(table, **{**record, "title": table.title, "unit": table.unit})
        for target in table.targets:
            if scope_applies(target.scope, region, region_kind, words):
                add(table, **target_fields(target, table))
    return records


def _record(table: QuotaTable, region: str) -> dict[str, Any]:
    """A quota record's fields before the figure's own: one record shape for every kind."""
    return {
        "quota": table.id,
        "title": table.title,
        "region": region,
        "level": None,
        "year": None,
        "kind": "target",
        "name": None,
        "value": None,
        "qualifier": None,
        "unit": table.unit,
        "source": table.source,
        "review": None,  # "proposed": a value draft proposed and no person has confirmed
    }


def rows_by_region(catalog: Catalog) -> dict[str, dict[str, Any]]:
    """Each table's rows by region (the first row of a region, as ``quota_records`` reads)."""
    index: dict[str, dict[str, Any]] = {}
    for loc in catalog.quotas:
        table = index.setdefault(loc.model.id, {})
        for row in loc.model.rows:
            table.setdefault(row.region, row)
    return index


def target_fields(target: Target, table: QuotaTable) -> dict[str, Any]:
    value: Any = target.value
    if value is None and target.min is not None:
        value = f"{target.min}-{target.max}"
    return {
        "level": target.level,
        "year": target.year,
        "name": target.name,
        "value": value,
        "qualifier": target.qualifier,
        "unit": target.unit or table.unit,
        "source": target.source,
        "claim": target.claim,
        "review": target.review,
    }


def reading(target: Target, unit: str | None = None) -> str:
    """A target's value, scope and year in a few words (不少于300册，全市，2016年): how a proposal
    reads, in ``check``'s message and ``review``'s list."""
    if target.value is not None:
        number = f"{target.value:g}" if isinstance(target.value, float) else str(target.value)
    elif target.min is not None or target.max is not None:
        number = f"{'' if target.min is None else target.min}-{'' if target.max is None else target.max}"
    else:
        number = target.claim or ""
    written = f"{number}{target.unit or unit or ''}"
    if target.qualifier in ("至少", "不少于", "若干"):
        written = target.qualifier + written
    elif target.qualifier == "基本":
        written = "基本达到" + written
    elif target.qualifier:
        written += target.qualifier
    year = f"{target.year}年" if target.year is not None else ""
    return "，".join(part for part in (written, target.scope, year) if part)


def is_main(table: QuotaTable) -> bool:
    """A main table: one the document splits region by region (it has per-region rows)."""
    return bool(table.rows)


def tables_in_order(catalog: Catalog, plan: str | None) -> list[QuotaTable]:
    """Every quota table: the main tables first, then the others, each group in plan order.

    Nothing here knows a table by its id: which tables lead, and in what order, follows from
    the data (per-region rows; the plans' ``order``; the table id only breaks ties).
    """
    plan_order = {p.model.id: p.model.order for p in catalog.plans}
    last = max(plan_order.values(), default=0) + 1
    tables = sorted(
        (loc.model for loc in catalog.quotas), key=lambda t: (not is_main(t), plan_order.get(t.plan, last), t.id)
    )
    return [t for t in tables if plan is None or t.plan == plan]


def main_tables(catalog: Catalog, plan: str | None = None) -> list[QuotaTable]:
    """The main tables, in the order ``quota``, ``timeline`` and the workbook show them."""
    return [t for t in tables_in_order(catalog, plan) if is_main(t)]


# ------------------------------------------------------------------ schedule


def table_summaries(
    catalog: Catalog, allocations: dict[str, list[dict[str, Any]]] | None = None
) -> list[dict[str, Any]]:
    """Every quota table in display order, as plain data: its region rows (the city-wide view),
    its stated total and which years have a yearly schedule or allocation.

    ``main`` marks the tables with per-region rows (the main tables): which tables are main
    follows from the data, not from their ids.
    """
    result = []
    for table in tables_in_order(catalog, None):
        total = table.total
        result.append(
            {
                "quota": table.id,
                "title": table.title,
                "plan": table.plan,
                "unit": table.unit,
                "main": bool(table.rows),
                "by_level": table.by_level,
                "source": table.source,
                "rows": [
                    {
                        "region": r.region,
                        "values": dict(r.values) if r.values is not None else None,
                        "value": r.value,
                        "total": r.total,
                        "source": r.source,
                    }
                    for r in table.rows
                ],
                "total": None
                if total is None
                else {"value": total.value, "qualifier": total.qualifier, "text": total.text, "source": total.source},
                "schedule_years": sorted({y.year for y in table.schedule}),
                "allocation_years": sorted({r["year"] for r in (allocations or {}).get(table.id, [])}),
            }
        )
    return result


def plan_summaries(catalog: Catalog) -> list[dict[str, Any]]:
    rows = []
    for loc in sorted(catalog.plans, key=lambda x: x.model.order):
        p: Plan = loc.model
        tables = [q.model for q in catalog.quotas if q.model.plan == p.id]
        rows.append(
            {
                "plan": p.id,
                "annex": p.annex,
                "main_section": p.main_section,
                "category": p.kind,
                "title": p.title,
                "period": f"{p.period.start}–{p.period.end}" if p.period else None,
                "tasks": len(p.tasks),
                "quotas": [t.id for t in tables],
                "numbers": sum(
                    len(t.rows) + len(t.targets) + sum(len(g.regions) or 1 for y in t.schedule for g in y.groups)
                    for t in tables
                ),
                "source": p.source,
            }
        )
    return rows
