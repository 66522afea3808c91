"""Integer yearly allocations of a quota table by its share series (controlled rounding).

Exact targets ``e[g,l,y] = q[g,l] × s[y] / 100`` are rarely whole numbers. ``controlled``
finds integers that

1. sum exactly to each region × 学段 quota (rows);
2. sum exactly to each year's share of the grand total (columns), when that is whole;
3. are the floor or the ceiling of their exact value, cell by cell and for each region's
   yearly total;
4. minimise the total absolute deviation Σ|x − e| over the cells, deterministically; among
   allocations equally good by that measure, the one whose yearly totals (city-wide and per
   region) deviate least from their exact values.

The constraints are two nested families, so the problem is a min-cost flow with lower and
upper bounds (Cox & Ernst 1982): source → year (column total) → region-year (floor/ceil of
the region's yearly total) → region × 学段 (its quota). The arc region-year → region × 学段
carries the cell's value, so the graph has one node per year, region-year and cell and one
arc per year, region-year and cell-year. Lower bounds are folded into the nodes' supplies;
integer bounds guarantee an integer optimum, which OR-tools' ``SimpleMinCostFlow`` (C++)
finds. The solver is imported only in ``controlled``; the everyday commands read a cached
result instead (see ``cache``).

Arithmetic is exact and integer: with ``D`` the least common denominator of the shares / 100,
every exact value is ``q × a[y] / D`` with integer ``a[y] = s[y] × D / 100``, so floors,
remainders and the costs (``D − 2 × remainder`` per unit rounded up, i.e. the deviation of
rounding up minus that of rounding down, times ``D``) are whole numbers and the optimum is
the least deviation exactly, not up to a rounding of the costs.

``largest-remainder`` (Hamilton's method, row by row) is the simple comparison; its year
totals may drift from the year targets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

Cell = tuple[str, str]  # (region, level)


class AllocationError(Exception):
    """The data admit no allocation (should not happen with consistent input)."""


@dataclass(frozen=True)
class Problem:
    """Quotas by (region, level) and percentage shares by year."""

    quotas: dict[Cell, int]
    shares: dict[int, Fraction]

    @cached_property
    def total(self) -> int:
        return sum(self.quotas.values())

    @cached_property
    def years(self) -> list[int]:
        return sorted(self.shares)

    @cached_property
    def cells(self) -> list[Cell]:
        # Sorted by name: the result never depends on the order of rows in the YAML.
        return sorted(self.quotas)

    @cached_property
    def regions(self) -> list[str]:
        return sorted({region for region, _ in self.quotas})

    @cached_property
    def cells_of(self) -> dict[str, list[Cell]]:
        """Each region's cells, in ``cells`` order (an index, so nothing scans all cells)."""
        index: dict[str, list[Cell]] = {}
        for cell in self.cells:
            index.setdefault(cell[0], []).append(cell)
        return index

    # ----------------------------------------------------------- exact integer scaling

    @cached_property
    def denominator(self) -> int:
        """``D``: every exact value times ``D`` is a whole number."""
        d = 1
        for share in self.shares.values():
            d = math.lcm(d, (Fraction(share) / 100).denominator)
        return d

    @cached_property
    def weights(self) -> dict[int, int]:
        """``a[y] = s[y] × D / 100``, a whole number: ``e × D = q × a[y]``."""
        return {y: int(Fraction(s) * self.denominator / 100) for y, s in self.shares.items()}

    def scaled(self, cell: Cell, year: int) -> int:
        """The exact value of ``cell`` in ``year`` times ``D``."""
        return self.quotas[cell] * self.weights[year]

    # ----------------------------------------------------------- exact values

    def exact(self, cell: Cell, year: int) -> Fraction:
        return Fraction(self.scaled(cell, year), self.denominator)

    def year_target(self, year: int) -> Fraction:
        return Fraction(self.total * self.weights[year], self.denominator)

    def region_year(self, region: str, year: int) -> Fraction:
        return Fraction(self._region_totals[region] * self.weights[year], self.denominator)

    @cached_property
    def _region_totals(self) -> dict[str, int]:
        return {region: sum(self.quotas[c] for c in cells) for region, cells in self.cells_of.items()}


class Allocation:
    """An allocation's values, by (region, level, year) in ``values`` or as ``flat``: the same
    values in the problem's cell order, year by year within a cell (how the solver returns them
    and the cache stores them). Either is made from the other when first asked for."""

    def __init__(
        self,
        problem: Problem,
        method: str,
        values: dict[tuple[str, str, int], int] | None = None,
        relaxed: list[str] | None = None,
        *,
        flat: list[int] | None = None,
    ) -> None:
        if values is None and flat is None:
            raise TypeError("Allocation needs values or flat")
        self.problem = problem
        self.method = method
        self.relaxed = list(relaxed or [])
        self._values = values
        self._flat = flat

    @property
    def values(self) -> dict[tuple[str, str, int], int]:
        if self._values is None:
            assert self._flat is not None  # the constructor has one or the other
            years = self.problem.years
            keys = [(g, lv, y) for g, lv in self.problem.cells for y in years]
            self._values = dict(zip(keys, self._flat))
        return self._values

    @property
    def flat(self) -> list[int]:
        """The values in cell order (KeyError if a cell-year has none)."""
        if self._flat is None:
            assert self._values is not None  # the constructor has one or the other
            values, years = self._values, self.problem.years
            self._flat = [values[g, lv, y] for g, lv in self.problem.cells for y in years]
        return self._flat

    @cached_property
    def _year_totals(self) -> dict[int, int]:
        totals = dict.fromkeys(self.problem.years, 0)
        for (_, _, y), v in self.values.items():
            totals[y] = totals.get(y, 0) + v
        return totals

    def year_total(self, year: int) -> int:
        return self._year_totals.get(year, 0)

    def deviation(self) -> Fraction:
        p = self.problem
        d, w = p.denominator, p.weights
        return Fraction(sum(abs(v * d - p.quotas[g, lv] * w[y]) for (g, lv, y), v in self.values.items()), d)

    def drift(self) -> dict[int, Fraction]:
        return {y: self.year_total(y) - self.problem.year_target(y) for y in self.problem.years}


def _floor(x: Fraction) -> int:
    return math.floor(x)


def _ceil(x: Fraction) -> int:
    return math.ceil(x)


def _bounds(scaled: int, d: int) -> tuple[int, int]:
    """Floor and ceiling of ``scaled / d``."""
    low = scaled // d
    return low, low + (scaled % d != 0)


def relaxations(problem: Problem) -> list[str]:
    """The year targets that are not whole numbers, and how they are relaxed (shown to users)."""
    out = []
    for year in problem.years:
        low, high = _bounds(problem.total * problem.weights[year], problem.denominator)
        if low != high:
            out.append(f"{year}年全市目标 {float(problem.year_target(year)):g} 不是整数，放宽为 {low} 或 {high}")
    return out


def tie_scale(problem: Problem) -> int:
    """The weight of the first objective (cell deviations) over the second (yearly totals'
    deviations), so that the second only breaks ties; 0 when the costs could overflow."""
    d, n_years = problem.denominator, len(problem.years)
    n_totals = n_years * (1 + len(problem.regions))
    scale = n_totals * d + 1
    if d * scale * (len(problem.quotas) * n_years + n_totals) >= 2**62:
        scale = 0
    return scale


# long: the network is built in one pass, in the arc order that decides which of equally good
# allocations the solver returns; the hot loop keeps its locals (split, it runs slower).
def controlled(problem: Problem) -> Allocation:
    from ortools.graph.python import min_cost_flow  # C++ solver: imported only when allocating

    d, years, regions, cells_of, quotas = (
        problem.denominator,
        problem.years,
        problem.regions,
        problem.cells_of,
        problem.quotas,
    )
    n = len(years)
    weights = [problem.weights[y] for y in years]
    relaxed = relaxations(problem)
    # Ties between equally good allocations go to the one whose yearly totals (city-wide and per
    # region) are nearest their exact values: a second objective, on a scale so much smaller
    # that it never outweighs one unit of the first. Both are exact integers; if the scaled
    # costs could overflow the solver's 64-bit integers, ties are left to the solver.
    # (This keeps the answers of 0.1.0 wherever they were already nearest, e.g. the shipped
    # data; it roughly doubles the solver's time, which is logarithmic in the cost range.)
    scale = tie_scale(problem)
    unit = max(scale, 1)
    tie = 1 if scale else 0
    # Node numbers: 0 source, then years, then region-years, then cells. Lower bounds are
    # folded into the supplies; an arc remains where the ceiling is one more than the floor.
    # The arcs go to the solver in this order (the order decides which of several equally good
    # allocations it returns): the years', then for each region its region-years' and its
    # cells', cell by cell and year by year.
    first_ry = 1 + n
    first_cell = first_ry + len(regions) * n
    supply = [0] * (first_cell + len(quotas))
    solver = min_cost_flow.SimpleMinCostFlow()
    add = solver.add_arc_with_capacity_and_unit_cost
    arcs = 0
    total = problem.total
    supply[0] = total
    for i, w in enumerate(weights):
        low, remainder = divmod(total * w, d)
        supply[0] -= low
        supply[1 + i] += low
        if remainder:
            add(0, 1 + i, 1, (d - 2 * remainder) * tie)
            arcs += 1
    # A cell's floors and arcs depend only on its quota: worked out once per quota.
    by_quota: dict[int, tuple[list[int], list[tuple[int, int]], int]] = {}
    flat: list[int] = []  # the floors, cell by cell and year by year; the flows are added later
    rounded_up: list[tuple[int, int]] = []  # (position in flat, arc)
    node, ry = first_cell, first_ry
    for region in regions:
        rows = []
        region_total = 0
        for cell in cells_of[region]:
            quota = quotas[cell]
            region_total += quota
            row = by_quota.get(quota)
            if row is None:
                floors, ups = [], []
                for i, w in enumerate(weights):
                    low, remainder = divmod(quota * w, d)
                    floors.append(low)
                    if remainder:
                        # One unit more than the floor costs (ceil − e) − (e − floor), times D.
                        ups.append((i, (d - 2 * remainder) * unit))
                row = by_quota[quota] = (floors, ups, sum(floors) - quota)
            rows.append(row)
        for i, w in enumerate(weights):
            low, remainder = divmod(region_total * w, d)
            supply[1 + i] -= low
            supply[ry + i] += low
            if remainder:
                add(1 + i, ry + i, 1, (d - 2 * remainder) * tie)
                arcs += 1
        for i, column in enumerate(zip(*(floors for floors, _, _ in rows))):
            supply[ry + i] -= sum(column)
        for floors, ups, surplus in rows:
            supply[node] += surplus
            at = len(flat)
            flat += floors
            for i, cost in ups:
                add(ry + i, node, 1, cost)
                rounded_up.append((at + i, arcs))
                arcs += 1
            node += 1
        ry += n
    if not arcs:  # every value is forced (whole exact values): feasible iff balanced
        status = solver.INFEASIBLE if any(supply) else solver.OPTIMAL
    else:
        set_supply = solver.set_node_supply
        for number, s in enumerate(supply):
            if s:
                set_supply(number, s)
        status = solver.solve()
    if status != solver.OPTIMAL:
        raise AllocationError("找不到满足全部约束的整数分配（数据的行、列合计互相矛盾）")
    flow = solver.flow
    for at, arc in rounded_up:
        flat[at] += flow(arc)
    return Allocation(problem, "controlled", relaxed=relaxed, flat=flat)


def largest_remainder(problem: Problem) -> Allocation:
    d, weights, years = problem.denominator, problem.weights, problem.years
    values: dict[tuple[str, str, int], int] = {}
    for cell in problem.cells:
        quota = problem.quotas[cell]
        floors = {}
        remainders = []
        for y in years:
            floors[y], remainder = divmod(quota * weights[y], d)
            remainders.append((-remainder, y))
        left = quota - sum(floors.values())
        # Largest remainder first; ties go to the earlier year.
        for _, year in sorted(remainders)[:left]:
            floors[year] += 1
        for year, value in floors.items():
            values[cell[0], cell[1], year] = value
    return Allocation(problem, "largest-remainder", values)


METHODS = {"controlled": controlled, "largest-remainder": largest_remainder}


def violations(allocation: Allocation) -> list[str]:
    """Which of properties 1–3 fail (empty for a correct controlled rounding); one pass."""
    p = allocation.problem
    d, years = p.denominator, p.years
    n = len(years)
    weights = [p.weights[y] for y in years]
    flat: list[int] | list[int | None]
    if allocation._flat is not None:
        flat, count = allocation._flat, len(allocation._flat)
    else:  # a value per cell and year, None where one is missing
        values = allocation.values
        flat, count = [values.get((g, lv, y)) for g, lv in p.cells for y in years], len(values)
    out = []
    year_totals = [0] * n
    at = 0
    for region, cells in p.cells_of.items():
        region_years = [0] * n
        region_total = 0
        for cell in cells:
            quota = p.quotas[cell]
            region_total += quota
            row = 0
            for i, y in enumerate(years):
                v = flat[at + i] if at + i < len(flat) else None
                if v is None:
                    out.append(f"cell {cell} {y}: missing")
                    continue
                row += v
                region_years[i] += v
                if v not in _bounds(quota * weights[i], d):
                    out.append(f"cell {cell} {y}: {v} not floor/ceil of {p.exact(cell, y)}")
            if row != quota:
                out.append(f"row {cell}: {row} != {quota}")
            at += n
        for i, y in enumerate(years):
            year_totals[i] += region_years[i]
            if region_years[i] not in _bounds(region_total * weights[i], d):
                out.append(f"region-year {region} {y}: {region_years[i]} not floor/ceil of {p.region_year(region, y)}")
    for i, y in enumerate(years):
        if year_totals[i] not in _bounds(p.total * weights[i], d):
            out.append(f"year {y}: {year_totals[i]} != {p.year_target(y)}")
    if count != len(p.quotas) * n:
        out.append(f"{count} values for {len(p.quotas) * n} cells")
    return out
