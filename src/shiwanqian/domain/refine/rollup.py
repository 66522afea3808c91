"""Progress behind a parent's region: what a refining programme's units (a county's towns)
achieved of each table that refines one of the parent's, as records of the parent's table and
region with the unit behind it, and the records below a threshold.

The figures are the refining programme's own (its units' targets from its schedule or
allocation, its progress folder's reports), computed by ``domain.progress`` as for its own
report; here they are only labelled in the parent's terms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..progress.cells import Cells
from ..progress.report import below, quota_progress, rate_of

FIELDS = ("year", "target", "cumulative_target", "actual", "cumulative_actual", "rate", "status")


def unit_records(
    basis: dict[str, Any],
    cells: Cells,
    *,
    region: str,
    tables: set[str] | None,
    year: int | None,
    as_of: dt.date,
) -> list[dict[str, Any]]:
    """The refining programme's records of every table that refines one of ``tables`` (None:
    any), as the parent's ``quota`` and ``region`` with the ``unit`` behind it; ``level`` is the
    refining programme's 学段 (None: the unit's total), ``parent_level`` the parent's."""
    links = {t["id"]: t.get("refines") for t in basis["tables"]}
    out = []
    for record in quota_progress(basis, cells, region=None, plan=None, year=year, as_of=as_of):
        link = links.get(record["quota"])
        if link is None or (tables is not None and link["table"] not in tables):
            continue
        level = record["level"]
        out.append(
            {
                "quota": link["table"],
                "region": region,
                "unit": record["region"],
                "child_quota": record["quota"],
                "level": level,
                "parent_level": link["levels"].get(level, level) if level is not None else None,
                **{key: record[key] for key in FIELDS},
            }
        )
    return out


def unit_sums(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each table's and year's total over the units (their 合计 records): what the region's
    figure is made of."""
    sums: dict[tuple[str, int], dict[str, Any]] = {}
    for r in records:
        if r["level"] is not None:
            continue
        entry = sums.setdefault(
            (r["quota"], r["year"]),
            {"quota": r["quota"], "region": r["region"], "year": r["year"], "target": None, "actual": None},
        )
        for key in ("target", "actual"):
            if r[key] is not None:
                entry[key] = (entry[key] or 0) + r[key]
    for entry in sums.values():
        entry["rate"] = rate_of(entry["actual"], entry["target"])
    return list(sums.values())


def units_below(records: list[dict[str, Any]], threshold: float, as_of: dt.date) -> list[dict[str, Any]]:
    """The units' records due by ``as_of`` under ``threshold`` (as ``report.below``)."""
    return below(records, threshold, as_of)
