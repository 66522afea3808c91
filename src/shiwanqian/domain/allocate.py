"""Integer yearly allocations of a quota table by its share series (controlled rounding).

Exact targets ``e[g,l,y] = q[g,l] × s[y] / 100`` are rarely whole numbers. ``controlled``
finds integers that

1. sum exactly to each region × 学段 quota (rows);
2. sum exactly to each year's share of the grand total (columns), when that is whole;
3. are the floor or the ceiling of their exact value, cell by cell and for each region's
   yearly total;
4. minimise the total absolute deviation Σ|x − e| over the cells, deterministically.

The constraints are two nested families, so the problem is a min-cost flow with lower and
upper bounds (Cox & Ernst 1982): source → year (column total) → region-year (floor/ceil of
the region's yearly total) → region × 学段 (its quota). Integer bounds guarantee an integer
optimum; networkx's network simplex finds it. networkx is imported only here, and callers on
the everyday path (``quota``) read a cached result instead (see ``cache``).

``largest-remainder`` (Hamilton's method, row by row) is the simple comparison; its year
totals may drift from the year targets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

Cell = tuple[str, str]  # (region, level)

SCALE = 10**6  # cost resolution for fractional parts


class AllocationError(Exception):
    """The data admit no allocation (should not happen with consistent input)."""


@dataclass(frozen=True)
class Problem:
    """Quotas by (region, level) and percentage shares by year."""

    quotas: dict[Cell, int]
    shares: dict[int, Fraction]

    @property
    def total(self) -> int:
        return sum(self.quotas.values())

    def exact(self, cell: Cell, year: int) -> Fraction:
        return self.quotas[cell] * self.shares[year] / 100

    def year_target(self, year: int) -> Fraction:
        return self.total * self.shares[year] / 100

    def region_year(self, region: str, year: int) -> Fraction:
        return sum((self.exact(c, year) for c in self.quotas if c[0] == region), Fraction(0))

    @property
    def years(self) -> list[int]:
        return sorted(self.shares)

    @property
    def cells(self) -> list[Cell]:
        # Sorted by name: the result never depends on the order of rows in the YAML.
        return sorted(self.quotas)

    @property
    def regions(self) -> list[str]:
        return sorted({region for region, _ in self.quotas})


@dataclass
class Allocation:
    problem: Problem
    method: str
    values: dict[tuple[str, str, int], int]
    relaxed: list[str] = field(default_factory=list)

    def year_total(self, year: int) -> int:
        return sum(v for (_, _, y), v in self.values.items() if y == year)

    def deviation(self) -> Fraction:
        return sum((abs(v - self.problem.exact((g, l), y)) for (g, l, y), v in self.values.items()), Fraction(0))

    def drift(self) -> dict[int, Fraction]:
        return {y: self.year_total(y) - self.problem.year_target(y) for y in self.problem.years}


def _floor(x: Fraction) -> int:
    return math.floor(x)


def _ceil(x: Fraction) -> int:
    return math.ceil(x)


def _cost(exact: Fraction) -> int:
    """Extra cost of rounding up instead of down: (ceil − e) − (e − floor), scaled to an int."""
    frac = exact - _floor(exact)
    return round((1 - 2 * frac) * SCALE)


def controlled(problem: Problem) -> Allocation:
    import networkx as nx  # heavy: ~14× the interpreter's start-up, so only here

    graph = nx.DiGraph()
    demand: dict[object, int] = {}
    forced: dict[tuple[object, object], int] = {}

    def arc(u: object, v: object, low: int, high: int, cost: int) -> None:
        forced[u, v] = low
        demand[u] = demand.get(u, 0) + low
        demand[v] = demand.get(v, 0) - low
        if high > low:
            graph.add_edge(u, v, capacity=high - low, weight=cost)

    relaxed = []
    source = ("source",)
    demand[source] = -problem.total
    for year in problem.years:
        target = problem.year_target(year)
        if target.denominator != 1:
            relaxed.append(f"{year}年全市目标 {float(target):g} 不是整数，放宽为 {_floor(target)} 或 {_ceil(target)}")
        arc(source, ("year", year), _floor(target), _ceil(target), 0)
        for region in problem.regions:
            exact = problem.region_year(region, year)
            arc(("year", year), ("ry", region, year), _floor(exact), _ceil(exact), 0)
    for region, level in problem.cells:
        demand[("cell", region, level)] = demand.get(("cell", region, level), 0) + problem.quotas[region, level]
        for year in problem.years:
            exact = problem.exact((region, level), year)
            arc(("ry", region, year), ("cell", region, level, year), _floor(exact), _ceil(exact), _cost(exact))
            # A per-cell node keeps the cell's flow on one arc of its own (clear, and the
            # flow on it is the cell's value).
            arc(("cell", region, level, year), ("cell", region, level), 0, problem.quotas[region, level], 0)
    for node in sorted(demand, key=repr):
        graph.add_node(node, demand=demand[node])
    try:
        flow = nx.min_cost_flow(graph)
    except nx.NetworkXUnfeasible as error:
        raise AllocationError("找不到满足全部约束的整数分配（数据的行、列合计互相矛盾）") from error

    def sent(u: object, v: object) -> int:
        return forced.get((u, v), 0) + flow.get(u, {}).get(v, 0)

    values = {(g, l, y): sent(("ry", g, y), ("cell", g, l, y)) for g, l in problem.cells for y in problem.years}
    return Allocation(problem, "controlled", values, relaxed)


def largest_remainder(problem: Problem) -> Allocation:
    values: dict[tuple[str, str, int], int] = {}
    for region, level in problem.cells:
        exact = {y: problem.exact((region, level), y) for y in problem.years}
        floors = {y: _floor(e) for y, e in exact.items()}
        left = problem.quotas[region, level] - sum(floors.values())
        # Largest remainder first; ties go to the earlier year.
        for year in sorted(problem.years, key=lambda y: (-(exact[y] - floors[y]), y))[:left]:
            floors[year] += 1
        for year, value in floors.items():
            values[region, level, year] = value
    return Allocation(problem, "largest-remainder", values)


METHODS = {"controlled": controlled, "largest-remainder": largest_remainder}


def violations(allocation: Allocation) -> list[str]:
    """Which of properties 1–3 fail (empty for a correct controlled rounding)."""
    p = allocation.problem
    out = []
    for cell in p.cells:
        total = sum(allocation.values[cell[0], cell[1], y] for y in p.years)
        if total != p.quotas[cell]:
            out.append(f"row {cell}: {total} != {p.quotas[cell]}")
        for y in p.years:
            v, e = allocation.values[cell[0], cell[1], y], p.exact(cell, y)
            if v not in (_floor(e), _ceil(e)):
                out.append(f"cell {cell} {y}: {v} not floor/ceil of {e}")
    for y in p.years:
        target = p.year_target(y)
        if allocation.year_total(y) not in (_floor(target), _ceil(target)):
            out.append(f"year {y}: {allocation.year_total(y)} != {target}")
        for region in p.regions:
            total = sum(v for (g, _, yy), v in allocation.values.items() if g == region and yy == y)
            e = p.region_year(region, y)
            if total not in (_floor(e), _ceil(e)):
                out.append(f"region-year {region} {y}: {total} not floor/ceil of {e}")
    return out
