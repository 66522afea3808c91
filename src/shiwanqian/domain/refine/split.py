"""A proposed split of what the parent gives the region over this programme's regions, in
proportion to declared weights (a town's teachers …), with the exact controlled rounding of
``domain.allocation``: the parent's figures are fixed margins.

For each of the parent's 学段 the parent gives the region a figure a year (its schedule, or the
controlled rounding of its shares) and, where those do not make up the whole quota, a part
without a year. Each is split over the regions in proportion to their weights for the 学段:
exact values ``a × w / W``. The integers

1. add up exactly to each of the parent's figures (every 学段 and year);
2. are the floor or the ceiling of their exact value, and so is each region's total for the 学段;
3. deviate least from the exact values, as ``allocate`` does.

This is the solver's problem with the roles turned: a parent's figure is a row (the solver's
cell, with its quota), the regions are its columns (the solver's years, each with its share of
the weights), and a 学段 is the solver's region (its "region-year" total is a region's total for
the 学段). The solver and its verified cache are called, not changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ...load.model import QuotaTable
from ...load.parent import Weights
from .parent import Margins

NO_YEAR = "—"  # the solver's "cell" for a part of the quota the parent gives no year


class SplitError(Exception):
    """The split cannot be proposed (no weights for a 学段, 学段 that cannot be told apart …)."""


@dataclass(frozen=True)
class Level:
    """One of the parent's 学段: its solved problem, as this table calls it."""

    parent: str | None
    child: str | None
    weights: list[int]  # by region, in the programme's order
    problem: Any  # domain.allocation.solver.Problem
    allocation: Any


@dataclass(frozen=True)
class Split:
    table: QuotaTable
    region: str  # the parent's region whose figures are split
    margins: Margins
    regions: list[str]
    weights: Weights
    levels: list[Level]
    years: list[int]

    def value(self, region: str, level: Level, year: int | None) -> int:
        """A region's figure for the 学段 in ``year`` (None: the part without a year)."""
        i = self.regions.index(region)
        key = (level.parent or "", NO_YEAR if year is None else str(year), i)
        return level.allocation.values.get(key, 0)

    def total(self, region: str, level: Level) -> int:
        i = self.regions.index(region)
        return sum(v for (_, _, j), v in level.allocation.values.items() if j == i)

    def unscheduled(self, level: Level) -> int:
        return level.problem.quotas.get((level.parent or "", NO_YEAR), 0)

    def deviation(self) -> Fraction:
        return sum((lv.allocation.deviation() for lv in self.levels), Fraction(0))

    @property
    def yearly(self) -> bool:
        return bool(self.years)


def _child_levels(table: QuotaTable, margins: Margins, levels: list[str]) -> dict[str | None, str | None]:
    """Each of the parent's 学段 as this table calls it (the inverse of ``refines.levels``)."""
    assert table.refines is not None
    if list(margins.totals) == [None]:
        return {None: None}
    inverse: dict[str | None, str | None] = {}
    for child in levels:
        parent = table.refines.parent_level(child)
        if parent in inverse:
            raise SplitError(f"本表的学段“{inverse[parent]}”与“{child}”都对应上级的“{parent}”，无法按学段分解")
        inverse[parent] = child
    for parent in margins.totals:
        if parent not in inverse:
            raise SplitError(f"上级的学段“{parent}”在本工程中没有对应的学段（可在 refines.levels 中写明）")
    return {parent: inverse[parent] for parent in margins.totals}


def propose(
    table: QuotaTable, margins: Margins, regions: list[str], levels: list[str], weights: Weights, region: str
) -> Split:
    """The split of ``margins`` over ``regions`` by ``weights`` (see the module's docstring)."""
    from ..allocation.cache import allocation
    from ..allocation.solver import Problem

    names = _child_levels(table, margins, levels)
    years = sorted({y for _, y in margins.yearly})
    solved = []
    for parent, child in names.items():
        figures = {y: f.value for (lv, y), f in margins.yearly.items() if lv == parent}
        rest = margins.totals[parent].value - sum(figures.values())
        if rest < 0:
            raise SplitError(
                f"上级给的{parent or ''}各年之和 {sum(figures.values())} 超过名额 {margins.totals[parent].value}，无法分解"
            )
        quotas = {(parent or "", str(y)): v for y, v in figures.items()}
        if rest or not figures:
            quotas[parent or "", NO_YEAR] = rest
        shares = _shares(weights, regions, child)
        if shares is None:
            if margins.totals[parent].value == 0:
                continue
            raise SplitError(
                f"各单位都没有{child or ''}的权重（{weights.basis}），无法分解上级的 {margins.totals[parent].value}"
            )
        problem = Problem(quotas, shares)
        solved.append(Level(parent, child, [weights.of(r, child) for r in regions], problem, allocation(problem)))
    return Split(table, region, margins, regions, weights, solved, years)


def _shares(weights: Weights, regions: list[str], level: str | None) -> dict[int, Fraction] | None:
    """Each region's percentage of the weights for ``level`` (None: no region has a weight)."""
    values = [weights.of(region, level) for region in regions]
    whole = sum(values)
    if not whole:
        return None
    return {i: Fraction(100 * v, whole) for i, v in enumerate(values)}


# ------------------------------------------------------------------ in words


@dataclass(frozen=True)
class Rounded:
    """One rounded figure of a region: its arithmetic, direction and the constraint that decided."""

    region: str
    level: str | None
    year: int | None
    figure: int  # the parent's figure being split
    weight: int
    whole: int  # the weights' sum for the 学段
    exact: Fraction
    value: int
    reason: str = field(default="")

    @property
    def direction(self) -> str:
        return "进位" if self.value > self.exact else "舍去"

    @property
    def arithmetic(self) -> str:
        return f"{self.figure} × {self.weight}/{self.whole} = {_number(self.exact)}"

    def record(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "level": self.level,
            "year": self.year,
            "figure": self.figure,
            "weight": self.weight,
            "weights": self.whole,
            "exact": _number(self.exact),
            "arithmetic": self.arithmetic,
            "value": self.value,
            "direction": self.direction,
            "reason": self.reason,
        }


def _number(x: Fraction) -> str:
    from ..allocation.explain import number

    return number(x)


def explain(split: Split, region: str) -> tuple[list[Rounded], int]:
    """The figures of ``region`` that had to be rounded, each with the reason, and how many of
    its figures were whole already."""
    i = split.regions.index(region)
    found: list[Rounded] = []
    whole = 0
    for level in split.levels:
        p, values = level.problem, level.allocation.values
        total = sum(level.weights)
        for cell in p.cells:
            exact = p.exact(cell, i)
            if exact.denominator == 1:
                whole += 1
                continue
            value = values[cell[0], cell[1], i]
            year = None if cell[1] == NO_YEAR else int(cell[1])
            reason = _reason(split, level, cell, i, value, exact)
            found.append(
                Rounded(region, level.child, year, p.quotas[cell], level.weights[i], total, exact, value, reason)
            )
    return found, whole


def _reason(split: Split, level: Level, cell: tuple[str, str], i: int, value: int, exact: Fraction) -> str:
    p, values = level.problem, level.allocation.values
    names = split.regions
    when = "不分年度的部分" if cell[1] == NO_YEAR else f"{cell[1]}年"
    what = f"{when}{level.child or ''}"
    figure = p.quotas[cell]
    fractional = [j for j in range(len(names)) if p.exact(cell, j).denominator != 1]
    ups = [j for j in fractional if values[cell[0], cell[1], j] > p.exact(cell, j)]
    downs = [j for j in fractional if j not in ups]
    margin = f"{what}各单位之和须为上级给的 {figure}"
    if not downs:
        return f"{margin}，{len(fractional)} 个非整数都须进位才够数"
    if not ups:
        return f"{margin}，{len(fractional)} 个非整数都须舍去才不超出"
    frac = exact - math.floor(exact)
    up = value > exact
    if up and frac > Fraction(1, 2):
        return f"小数部分 {_number(frac)} 超过 0.5，进位离精确值最近（{margin}）"
    if not up and frac < Fraction(1, 2):
        return f"小数部分 {_number(frac)} 不到 0.5，舍去离精确值最近（{margin}，由{_names(names, ups)}进位补足）"
    others = downs if up else ups
    for j in others:
        why = _swap_breaks(split, level, cell, i if up else j, j if up else i)
        if why:
            return f"{margin}，{names[i]}与{names[j]}只能一进一舍；{why}，因此{names[i]}{'进位' if up else '舍去'}"

    return f"{margin}，只能有 {len(ups)} 个进位；两种取法偏差相同，按固定的先后次序取{_names(names, ups)}进位"


def _names(names: list[str], indices: list[int]) -> str:
    return "、".join(names[j] for j in indices)


def _swap_breaks(split: Split, level: Level, cell: tuple[str, str], up: int, down: int) -> str | None:
    """What breaks if region ``up`` were rounded down and ``down`` up instead (the margin kept):
    a region's total for the 学段 must stay the floor or ceiling of its exact value."""
    p, values = level.problem, level.allocation.values
    names = split.regions
    for j, delta in ((up, -1), (down, +1)):
        exact = p.region_year(cell[0], j)
        now = sum(v for (_, _, k), v in values.items() if k == j)
        lo, hi = math.floor(exact), math.ceil(exact)
        if not lo <= now + delta <= hi:
            word = "少于" if delta < 0 else "多于"
            return (
                f"若改为{names[down]}进位、{names[up]}舍去，{names[j]}{level.child or ''}合计将为 {now + delta}，"
                f"{word}其精确值 {_number(exact)} 允许的 {lo}–{hi}"
            )
    return None
