"""A quota table's allocation problem (its per-region cells and its yearly shares) and the
yearly allocation records of every table that has one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...load.loader import Catalog
    from ...load.model import QuotaTable


def allocation_problem(table: QuotaTable):
    """The allocation problem of a table with a share series, or None."""
    from fractions import Fraction

    from .solver import Problem

    if table.shares is None or not table.rows:
        return None
    quotas: dict[tuple[str, str], int] = {}
    for row in table.rows:
        for level, value in row.cells().items():
            quotas[row.region, level or ""] = value or 0
    return Problem(quotas, {year: Fraction(str(share)) for year, share in table.shares.values.items()})


def allocation_records(catalog: Catalog, method: str = "controlled") -> dict[str, list[dict[str, Any]]]:
    """Yearly allocation records of every table with a share series, keyed by table id."""
    from .cache import allocation

    result = {}
    for loc in catalog.quotas:
        problem = allocation_problem(loc.model)
        if problem is None:
            continue
        alloc = allocation(problem, method)
        result[loc.model.id] = [
            {
                "quota": loc.model.id,
                "region": g,
                "level": lv or None,
                "year": y,
                "kind": "allocation",
                "name": lv or "合计",
                "value": v,
                "source": loc.model.shares.source,
            }
            for (g, lv, y), v in sorted(alloc.values.items())
        ]
    return result
