"""What a table's rates come to: each rate (a fee, credits …) times the table's numbers.

Nothing here knows a rate by name: the rates, their names and units come from the table's
``rates`` in the data. The numbers they multiply are, in this order of preference, the yearly
allocation of the table's share series, its yearly schedule, its per-region rows, or its
stated total. Rates whose units share a numerator (``元/节`` and ``元/人`` → 元) are also
added up, in one 合计 column per numerator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .queries import tables_in_order

if TYPE_CHECKING:
    from ...load.loader import Catalog
    from ...load.model import QuotaTable

AREA = "全市"  # the default word for the whole area; the programme's vocabulary may say 全县 …
BASIS = {
    "allocation": "数量取自受控取整的年度分配",
    "schedule": "数量取自文件的年度安排",
    "rows": "数量为各区域的名额",
    "total": "数量为文件所述总数",
}


@dataclass(frozen=True)
class Column:
    key: str  # JSON/CSV key
    header: str  # table header
    rates: tuple[str, ...] = ()  # the rate keys a total column adds up


@dataclass(frozen=True)
class Budget:
    table: QuotaTable
    basis: str  # a key of BASIS
    columns: tuple[Column, ...]  # the count column, then rates and totals
    lines: tuple[dict[str, Any], ...]  # region, year, count and one value per column
    total: dict[str, Any]

    def caption(self) -> str:
        standards = "、".join(f"{r.name} {r.value:,} {r.unit}" for r in self.table.rates)
        sources = "；".join(dict.fromkeys(r.source for r in self.table.rates))
        return f"标准：{standards}（{sources}）；{BASIS[self.basis]}。"


def numerator(unit: str) -> str:
    """``元/节`` → ``元``; a unit without a slash is its own numerator."""
    return re.split(r"[/／]", unit, maxsplit=1)[0].strip() or unit


def rated_tables(catalog: Catalog) -> list[QuotaTable]:
    return [t for t in tables_in_order(catalog, None) if t.rates]


def columns(table: QuotaTable) -> tuple[Column, ...]:
    count = f"数量（{table.unit}）" if table.unit else "数量"
    result = [Column("count", count)]
    groups: dict[str, list[str]] = {}
    for rate in table.rates:
        groups.setdefault(numerator(rate.unit), []).append(rate.key)
    done: set[str] = set()
    for rate in table.rates:
        unit = numerator(rate.unit)
        result.append(Column(rate.key, f"{rate.name}（{unit}）"))
        keys = groups[unit]
        if len(keys) > 1 and rate.key == keys[-1] and unit not in done:
            done.add(unit)
            key = "cost" if unit == "元" else f"total_{unit}"
            header = "经费合计（元）" if unit == "元" else f"合计（{unit}）"
            result.append(Column(key, header, tuple(keys)))
    return tuple(result)


def counts(
    table: QuotaTable, allocation: Sequence[Mapping[str, Any]] | None, order: Sequence[str], area: str = AREA
) -> tuple[str, dict[tuple[str, int | None], int]]:
    """The numbers the rates apply to, by (region, year), and where they come from; a figure
    for the whole area (``area``: 全市, 全县 …) under the area's name."""
    found: dict[tuple[str, int | None], int] = {}

    def add(region: str, year: int | None, value: int) -> None:
        found[region, year] = found.get((region, year), 0) + value

    if table.shares is not None and allocation:
        basis = "allocation"
        for record in allocation:
            add(record["region"], record["year"], record["value"])
    elif table.schedule:
        basis = "schedule"
        for entry in table.schedule:
            for group in entry.groups:
                for region, value in group.regions.items():
                    add(region, entry.year, value)
                if not group.regions and group.total is not None:
                    add(f"{area}（未分解到区域）", entry.year, group.total)
    elif table.rows:
        basis = "rows"
        for row in table.rows:
            add(row.region, None, row.total if row.total is not None else row.parts_sum)
    else:
        basis = "total"
        if table.total is not None:
            add(area, None, table.total.value)
    rank = {name: i for i, name in enumerate(order)}
    ordered = sorted(found, key=lambda k: (rank.get(k[0], len(rank)), k[1] or 0, k[0]))
    return basis, {k: found[k] for k in ordered}


def budget(
    table: QuotaTable,
    *,
    order: Sequence[str],
    region: str | None = None,
    year: int | None = None,
    allocation: Sequence[Mapping[str, Any]] | None = None,
    area: str = AREA,
) -> Budget:
    """The table's rates applied to its numbers, for one region and year or all of them.

    With a region, figures the document gives only for the whole city are left out (the
    region's part of them is not known).
    """
    basis, found = counts(table, allocation, order, area)
    cols = columns(table)
    value = {r.key: r.value for r in table.rates}
    lines = []
    for (name, when), n in found.items():
        if region is not None and name != region:
            continue
        if year is not None and when != year:
            continue
        line: dict[str, Any] = {"quota": table.id, "region": name, "year": when, "count": n}
        for col in cols[1:]:
            line[col.key] = sum(line[k] for k in col.rates) if col.rates else n * value[col.key]
        lines.append(line)
    total = {
        "quota": table.id,
        "region": "合计",
        "year": None,
        **{c.key: sum(line[c.key] for line in lines) for c in cols},
    }
    return Budget(table, basis, cols, tuple(lines), total)
