"""What a parent programme gives one of its regions, table by table, as the refinement reads it:
the region's quota by 学段 and its yearly figures (the document's schedule, or the controlled
rounding of the shares), each with its citation, taken from the parent's query snapshot (the
parent is valid: invalid data never makes a snapshot)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Figure:
    """A number of the parent's and where its document states it (or the shares it follows)."""

    value: int
    source: str


@dataclass(frozen=True)
class Margins:
    """One parent table's figures for the region: ``totals`` by 学段 (None: a table without
    学段), ``yearly`` by (学段, year); ``kind`` says where the yearly ones come from."""

    table: str
    title: str
    unit: str | None
    totals: dict[str | None, Figure]
    yearly: dict[tuple[str | None, int], Figure] = field(default_factory=dict)
    kind: str | None = None  # "schedule" (the document's), "allocation" (the shares'), None

    @property
    def levels(self) -> list[str | None]:
        return list(self.totals)

    @property
    def total(self) -> int:
        return sum(f.value for f in self.totals.values())

    def years(self, level: str | None) -> list[int]:
        return sorted(y for lv, y in self.yearly if lv == level)

    def yearly_levels(self, year: int) -> list[str | None]:
        """The 学段 with a figure in ``year``, in the table's order."""
        found = {lv for lv, y in self.yearly if y == year}
        return [lv for lv in self.levels if lv in found] + [lv for lv in found if lv not in self.levels]


@dataclass(frozen=True)
class Parent:
    """The parent programme: who it is, its period and 学段, and what it gives ``region``."""

    folder: str  # as the child's programme.yaml names it
    name: str
    document: str
    period: tuple[int, int]
    levels: list[str]
    region: str
    tables: dict[str, Margins]  # the parent's tables with figures for the region, by id
    table_ids: list[str]  # every table of the parent (for “did you mean”)

    def cite(self, figure: Figure) -> str:
        """How a message cites a parent's figure: 株教发〔2016〕4号 附件12 二（二）3."""
        return f"{self.document} {figure.source}"


def margins(records: list[Mapping[str, Any]], summary: Mapping[str, Any], region: str) -> Margins | None:
    """A table's figures for ``region`` from the region's quota records (None: it has none)."""
    mine = [r for r in records if r["quota"] == summary["quota"]]
    levelled = [r for r in mine if r["kind"] == "target" and r["year"] is None and r["level"] is not None]
    totals: dict[str | None, Figure] = {}
    for r in levelled if levelled else [r for r in mine if r["kind"] == "target" and r["name"] == "合计"]:
        if isinstance(r["value"], int) and r["year"] is None and r["region"] == region:
            totals[r["level"]] = Figure(r["value"], r["source"])
    if not totals:
        return None
    yearly: dict[tuple[str | None, int], Figure] = {}
    kind = None
    for r in mine:
        if r["kind"] not in ("schedule", "allocation") or r["region"] != region or not isinstance(r["value"], int):
            continue
        kind = r["kind"]
        key = (r["level"], r["year"])
        before = yearly.get(key)
        yearly[key] = Figure(r["value"] + (before.value if before else 0), r["source"])
    return Margins(summary["quota"], summary["title"], summary["unit"], totals, yearly, kind)


def parent_view(snapshot: Mapping[str, Any], region: str, folder: str) -> Parent:
    """The parent as the refinement reads it; ``region`` is one of the parent's region names."""
    programme = snapshot["programme"]
    records = snapshot["quota"][region]
    tables = {}
    for summary in snapshot["tables"]:
        found = margins(records, summary, region) if summary["main"] else None
        if found is not None:
            tables[found.table] = found
    start, end = programme["period"]
    return Parent(
        folder,
        programme["name"],
        programme["document"],
        (start, end),
        list(programme["levels"]),
        region,
        tables,
        [t["quota"] for t in snapshot["tables"]],
    )
