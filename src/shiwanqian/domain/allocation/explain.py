"""Why each rounded cell of a yearly allocation went up or down, in words for a non-mathematician.

Only cells whose exact value (quota × share) is not whole had to be rounded. For each one:

* the arithmetic: ``450 × 25% = 112.5``;
* the direction: 进位 (up to the next whole number) or 舍去 (down);
* the one constraint that decided it, found by asking what would break otherwise:

  1. the row: a region × 学段 row must add up to its quota, so exactly ``k`` of its
     non-whole cells go up. When all of them must go up (or none), that alone decides;
     a cell rounded down while another year of the row went up is decided by the row
     (“本行五年合计须为 450，2017 年已进位，因此 2018 年舍去”);
  2. otherwise a cell that went up instead of a row partner: swapping the two keeps the row
     total, so what decided it is the region's yearly total (it must stay the floor or
     ceiling of its exact value) or, failing that, the city's yearly total for that year;
  3. a cell that simply went to its nearest whole number (fraction above or below one half)
     with no row partner in question: nearest rounding, the rule of least deviation.

Works only through the public ``Problem``/``Allocation`` API (``exact``, ``quotas``,
``shares``, ``region_year``, ``year_target``, ``values``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any


def number(x: Fraction | int) -> str:
    """A number as people write it: 112.5, 7.5, 1000; a repeating decimal to two places (≈)."""
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    den = x.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den == 1:  # terminating decimal
        text = f"{float(x):.6f}".rstrip("0").rstrip(".")
        return text
    return f"≈{float(x):.2f}"


def percent(share: Fraction) -> str:
    return number(share) + "%"


@dataclass(frozen=True)
class Rounded:
    region: str
    level: str
    year: int
    quota: int
    share: Fraction
    exact: Fraction
    value: int
    reason: str

    @property
    def up(self) -> bool:
        return self.value > self.exact

    @property
    def direction(self) -> str:
        return "进位" if self.up else "舍去"

    @property
    def arithmetic(self) -> str:
        return f"{self.quota} × {percent(self.share)} = {number(self.exact)}"

    def record(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "level": self.level or None,
            "year": self.year,
            "quota": self.quota,
            "share": float(self.share),
            "exact": number(self.exact),
            "arithmetic": self.arithmetic,
            "value": self.value,
            "direction": self.direction,
            "reason": self.reason,
        }


def _years(years: list[int]) -> str:
    return "、".join(f"{y} 年" for y in years)


def explain(
    problem: Any, allocation: Any, region: str, unit: str = "", area: str = "全市"
) -> tuple[list[Rounded], int]:
    """The rounded cells of ``region`` with their reasons, and how many of its cells were whole
    (``area``: the word for the whole area, 全市 or a county's 全县, in the reasons)."""
    values = allocation.values
    years = problem.years
    rounded: list[Rounded] = []
    whole = 0
    cells = [c for c in problem.cells if c[0] == region]
    for cell in cells:
        g, lv = cell
        quota = problem.quotas[cell]
        fractional = [y for y in years if problem.exact(cell, y).denominator != 1]
        whole += len(years) - len(fractional)
        ups = [y for y in fractional if values[g, lv, y] > problem.exact(cell, y)]
        downs = [y for y in fractional if y not in ups]
        for y in fractional:
            exact = problem.exact(cell, y)
            value = values[g, lv, y]
            up = value > exact
            reason = _reason(problem, values, cell, y, up, ups, downs, quota, unit, area)
            rounded.append(Rounded(g, lv, y, quota, problem.shares[y], exact, value, reason))
    return rounded, whole


def _reason(
    problem: Any,
    values: dict,
    cell: tuple[str, str],
    y: int,
    up: bool,
    ups: list[int],
    downs: list[int],
    quota: int,
    unit: str,
    area: str = "全市",
) -> str:
    _g, _lv = cell
    count = len(problem.years)
    row = f"本行{'一二三四五六七八九十'[count - 1] if count <= 10 else count}年合计须为 {quota}{' ' + unit if unit else ''}"
    n = len(ups) + len(downs)
    if not downs:
        return f"{row}，{n} 个非整数格都须进位才够数"
    if not ups:
        return f"{row}，{n} 个非整数格都须舍去才不超出"
    exact = problem.exact(cell, y)
    frac = exact - math.floor(exact)
    nearest_up = frac > Fraction(1, 2)
    nearest_down = frac < Fraction(1, 2)
    if not up:
        partners = ups
        if nearest_down:
            return f"小数部分 {number(frac)} 不到 0.5，舍去离精确值最近；{row}，由 {_years(partners)}进位补足"
        if nearest_up:  # rounded down against the nearest whole number: what forbids going up?
            for other in ups:
                why = _swap_breaks(problem, values, cell, other, y, area)
                if why:
                    return f"{row}，{y} 年与 {other} 年只能一进一舍；{why}，因此 {y} 年舍去"
        return f"{row}，只能有 {len(ups)} 格进位；{_years(partners)}已进位，因此 {y} 年舍去"
    # Rounded up while some other year of the row went down: what forbids the swap?
    if nearest_up:
        return f"小数部分 {number(frac)} 超过 0.5，进位离精确值最近（{row}）"
    for other in downs:
        why = _swap_breaks(problem, values, cell, y, other, area)
        if why:
            return f"{row}，{y} 年与 {other} 年只能一进一舍；{why}，因此 {y} 年进位"
    return f"{row}，只能有 {len(ups)} 格进位；两种取法偏差相同，按固定的先后次序取 {y} 年进位"


def _swap_breaks(
    problem: Any, values: dict, cell: tuple[str, str], up_year: int, down_year: int, area: str = "全市"
) -> str | None:
    """What breaks if ``up_year`` were rounded down and ``down_year`` up instead (row kept)."""
    g, _ = cell
    for year, delta in ((up_year, -1), (down_year, +1)):
        exact = problem.region_year(g, year)
        now = sum(v for (r, _, yy), v in values.items() if r == g and yy == year)
        lo, hi = math.floor(exact), math.ceil(exact)
        if not lo <= now + delta <= hi:
            word = "少于" if delta < 0 else "多于"
            return (
                f"若改为 {down_year} 年进位，{year} 年{g}合计将为 {now + delta}，{word}其精确值 {number(exact)} "
                f"允许的 {lo}–{hi}"
            )
    target = problem.year_target(up_year)
    if target.denominator == 1:
        return f"若改为 {down_year} 年进位，{up_year} 年{area}合计将差 1（须为 {number(target)}）"
    return None
