"""The allocation against an independent solver on many random instances.

The reference is networkx's network simplex (pure Python, a different algorithm from
OR-tools' cost scaling) on the textbook formulation: one node per cell-year, explicit
lower bounds handled by networkx's own demands, and costs from ``Fraction`` arithmetic
rather than the scaled integers the allocation uses. Every constraint is checked here
directly (not with ``violations``), and the objective must be equal exactly.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shiwanqian.domain.allocation.solver import Problem, controlled, largest_remainder, violations


def reference_optimum(problem: Problem) -> Fraction:
    """Least Σ|x − e| under properties 1–3, by networkx on the unreduced graph."""
    years = sorted(problem.shares)
    exact = {
        (g, lv, y): Fraction(q) * Fraction(problem.shares[y]) / 100
        for (g, lv), q in problem.quotas.items()
        for y in years
    }
    denominators = [e.denominator for e in exact.values()]
    scale = math.lcm(*denominators) if denominators else 1
    graph = nx.DiGraph()
    demand: dict[object, int] = {}

    def arc(u, v, low, high, cost):
        demand[u] = demand.get(u, 0) + low
        demand[v] = demand.get(v, 0) - low
        graph.add_edge(u, v, capacity=high - low, weight=cost)

    total = sum(problem.quotas.values())
    demand["s"] = -total
    for y in years:
        target = Fraction(total) * Fraction(problem.shares[y]) / 100
        arc("s", ("y", y), math.floor(target), math.ceil(target), 0)
        for g in {g for g, _ in problem.quotas}:
            ry = sum((e for (gg, _, yy), e in exact.items() if gg == g and yy == y), Fraction(0))
            arc(("y", y), ("ry", g, y), math.floor(ry), math.ceil(ry), 0)
    base = Fraction(0)
    for (g, lv, y), e in exact.items():
        down = e - math.floor(e)
        base += down
        # Rounding up instead of down changes |x − e| by (ceil − e) − (e − floor).
        arc(("ry", g, y), ("c", g, lv, y), math.floor(e), math.ceil(e), int((1 - 2 * down) * scale))
        arc(("c", g, lv, y), ("row", g, lv), 0, problem.quotas[g, lv], 0)
    for (g, lv), q in problem.quotas.items():
        demand[("row", g, lv)] = demand.get(("row", g, lv), 0) + q
    for node, value in demand.items():
        graph.add_node(node, demand=value)
    flow = nx.min_cost_flow(graph)
    cost = sum(flow[u][v] * data["weight"] for u, v, data in graph.edges(data=True))
    ups = Fraction(cost, scale)
    return base + ups


def assert_every_constraint(problem: Problem, values: dict) -> None:
    years = sorted(problem.shares)
    assert set(values) == {(g, lv, y) for g, lv in problem.quotas for y in years}
    total = sum(problem.quotas.values())
    for (g, lv), q in problem.quotas.items():
        assert sum(values[g, lv, y] for y in years) == q
        for y in years:
            e = Fraction(q) * problem.shares[y] / 100
            assert values[g, lv, y] in (math.floor(e), math.ceil(e))
    for y in years:
        target = Fraction(total) * problem.shares[y] / 100
        assert sum(v for (_, _, yy), v in values.items() if yy == y) in (math.floor(target), math.ceil(target))
        for g in {g for g, _ in problem.quotas}:
            e = sum(
                (Fraction(q) * problem.shares[y] / 100 for (gg, _), q in problem.quotas.items() if gg == g), Fraction(0)
            )
            got = sum(v for (gg, _, yy), v in values.items() if gg == g and yy == y)
            assert got in (math.floor(e), math.ceil(e))


def deviation(problem: Problem, values: dict) -> Fraction:
    return sum(
        (abs(v - Fraction(problem.quotas[g, lv]) * problem.shares[y] / 100) for (g, lv, y), v in values.items()),
        Fraction(0),
    )


def random_problem(rnd: random.Random) -> Problem:
    regions = [f"r{i}" for i in range(rnd.randint(1, 25))]
    levels = ["高中", "初中", "小学", "幼儿教育", "职业教育", "特殊教育"][: rnd.randint(1, 6)]
    quotas = {
        (g, lv): rnd.choice([0, rnd.randint(0, 9), rnd.randint(0, 2000)])
        for g in regions
        for lv in levels
        if rnd.random() < 0.8
    }
    if not quotas:
        quotas = {(regions[0], levels[0]): rnd.randint(1, 50)}
    n = rnd.randint(1, 7)
    step = rnd.choice([Fraction(1), Fraction(1, 2), Fraction(1, 10), Fraction(1, 3)])  # 12.5 %, 33⅓ % …
    cuts = sorted(rnd.randint(0, int(100 / step)) * step for _ in range(n - 1))
    bounds = [Fraction(0), *cuts, Fraction(100)]
    return Problem(quotas, {2016 + i: bounds[i + 1] - bounds[i] for i in range(n)})


@pytest.mark.parametrize("seed", range(40))
def test_controlled_equals_an_independent_solver(seed):
    rnd = random.Random(seed)
    for _ in range(25):  # 1,000 random instances in all
        problem = random_problem(rnd)
        result = controlled(problem)
        assert_every_constraint(problem, result.values)
        assert deviation(problem, result.values) == result.deviation() == reference_optimum(problem)
        assert violations(result) == []


def test_quotas_too_large_for_64_bit_products_are_exact():
    # Quota × weight beyond 64 bits (the city total × 3 here) is exact: only the numbers the solver
    # gets (supplies up to the total, unit capacities, small costs) must fit its 64-bit integers.
    problem = Problem(
        {("a", "x"): 2**61 + 1, ("a", "y"): 7, ("b", "x"): 2**60 + 3}, {2016: Fraction(25), 2017: Fraction(75)}
    )
    result = controlled(problem)
    assert_every_constraint(problem, result.values)
    assert result.deviation() == reference_optimum(problem) and violations(result) == []


def reference_lexicographic(problem: Problem) -> tuple[Fraction, Fraction]:
    """The least (Σ|x − e| over the cells, Σ|t − exact| over the yearly totals, city-wide and per
    region) in that order, under properties 1–3: networkx on the unreduced graph, both objectives
    from ``Fraction`` arithmetic and combined with a weight that keeps the second a tie-break."""
    years = sorted(problem.shares)
    regions = sorted({g for g, _ in problem.quotas})
    total = sum(problem.quotas.values())
    exact = {(g, lv, y): Fraction(q) * problem.shares[y] / 100 for (g, lv), q in problem.quotas.items() for y in years}
    targets: dict[tuple[Any, ...], Fraction] = {("y", y): Fraction(total) * problem.shares[y] / 100 for y in years}
    for g in regions:
        for y in years:
            targets["ry", g, y] = sum((e for (gg, _, yy), e in exact.items() if gg == g and yy == y), Fraction(0))
    scale = math.lcm(*(x.denominator for x in [*exact.values(), *targets.values()]))
    weight = 2 * scale * len(targets) + 1  # one unit of the first objective outweighs any change of the second
    graph = nx.DiGraph()
    demand: dict[object, int] = {"s": -total}

    def arc(u, v, e: Fraction, cost_weight: int):
        low, high = math.floor(e), math.ceil(e)
        demand[u] = demand.get(u, 0) + low
        demand[v] = demand.get(v, 0) - low
        graph.add_edge(u, v, capacity=high - low, weight=int((1 - 2 * (e - low)) * scale) * cost_weight)

    for y in years:
        arc("s", ("y", y), targets["y", y], 1)
        for g in regions:
            arc(("y", y), ("ry", g, y), targets["ry", g, y], 1)
    for (g, lv, y), e in exact.items():
        arc(("ry", g, y), ("c", g, lv, y), e, weight)
        graph.add_edge(("c", g, lv, y), ("row", g, lv), capacity=problem.quotas[g, lv], weight=0)
    for (g, lv), q in problem.quotas.items():
        demand["row", g, lv] = demand.get(("row", g, lv), 0) + q
    for node, value in demand.items():
        graph.add_node(node, demand=value)
    flow = nx.min_cost_flow(graph)
    values = {(g, lv, y): math.floor(e) + flow[("ry", g, y)][("c", g, lv, y)] for (g, lv, y), e in exact.items()}
    return deviation(problem, values), totals_deviation(problem, values)


def totals_deviation(problem: Problem, values: dict) -> Fraction:
    years = sorted(problem.shares)
    out = Fraction(0)
    for y in years:
        out += abs(
            sum(v for (_, _, yy), v in values.items() if yy == y)
            - Fraction(sum(problem.quotas.values())) * problem.shares[y] / 100
        )
        for g in {g for g, _ in problem.quotas}:
            got = sum(v for (gg, _, yy), v in values.items() if gg == g and yy == y)
            out += abs(
                got - sum(Fraction(q) * problem.shares[y] / 100 for (gg, _), q in problem.quotas.items() if gg == g)
            )
    return out


@pytest.mark.parametrize("seed", range(8))
def test_ties_go_where_an_independent_solver_puts_them(seed):
    """Among equally good allocations, the one with the nearest yearly totals (the second
    objective), on 200 random instances too large for brute force."""
    rnd = random.Random(1000 + seed)
    for _ in range(25):
        problem = random_problem(rnd)
        result = controlled(problem)
        assert (result.deviation(), totals_deviation(problem, result.values)) == reference_lexicographic(problem)


@st.composite
def problems(draw):
    regions = draw(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=8, unique=True))
    levels = draw(st.lists(st.sampled_from("xyzw"), min_size=1, max_size=4, unique=True))
    quotas = {(g, lv): draw(st.integers(0, 500)) for g in regions for lv in levels}
    n = draw(st.integers(1, 6))
    cuts = sorted(draw(st.lists(st.integers(0, 1000), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cuts, 1000]
    return Problem(quotas, {2016 + i: Fraction(bounds[i + 1] - bounds[i], 10) for i in range(n)})


@given(problems())
@settings(max_examples=300, deadline=None)
def test_controlled_equals_an_independent_solver_hypothesis(problem):
    result = controlled(problem)
    assert_every_constraint(problem, result.values)
    assert result.deviation() == reference_optimum(problem)


@given(problems())
@settings(max_examples=200, deadline=None)
def test_integer_largest_remainder_equals_the_fraction_method(problem):
    years = sorted(problem.shares)
    expected = {}
    for (g, lv), q in problem.quotas.items():
        exact = {y: Fraction(q) * problem.shares[y] / 100 for y in years}
        floors = {y: math.floor(e) for y, e in exact.items()}
        for y in sorted(years, key=lambda y: (-(exact[y] - floors[y]), y))[: q - sum(floors.values())]:
            floors[y] += 1
        expected.update({(g, lv, y): v for y, v in floors.items()})
    assert largest_remainder(problem).values == expected


def test_violations_sees_every_kind_of_fault():
    problem = Problem({("a", "x"): 4, ("a", "y"): 4, ("b", "x"): 3}, {2016: Fraction(50), 2017: Fraction(50)})
    good = controlled(problem)
    assert violations(good) == []

    def faults(**changes: int) -> list[str]:
        values = dict(good.values)
        for key, delta in changes.items():
            g, lv, y = key.split("_")
            values[g, lv, int(y)] += delta
        return violations(type(good)(problem, "test", values))

    assert any(v.startswith("row") for v in faults(b_x_2016=1))
    assert any(v.startswith("year") for v in faults(b_x_2016=1))
    # Rows, region-years and years still add up, but two cells are off their floor/ceil.
    assert [v.split(":")[0] for v in faults(a_x_2016=1, a_x_2017=-1, a_y_2016=-1, a_y_2017=1)] == [
        "cell ('a', 'x') 2016",
        "cell ('a', 'x') 2017",
        "cell ('a', 'y') 2016",
        "cell ('a', 'y') 2017",
    ]
    missing = {k: v for k, v in good.values.items() if k != ("b", "x", 2016)}
    assert violations(type(good)(problem, "test", missing))


@pytest.mark.parametrize("seed", range(6))
def test_the_cache_verifier_knows_an_optimal_allocation_from_a_worse_one(seed):
    """``optimal`` (Bellman–Ford on the residual network, used to believe a cached result) says
    yes exactly when no allocation is better by the two objectives, judged here from the
    objectives themselves: the solver's answer, and swaps of one unit between two cells of a
    region in two years (rows, region-years and years unchanged), better, equal or worse."""
    from shiwanqian.domain.allocation.cache import optimal
    from shiwanqian.domain.allocation.solver import Allocation

    rnd = random.Random(2000 + seed)
    seen = {True: 0, False: 0}
    for _ in range(25):
        problem = random_problem(rnd)
        best = controlled(problem)
        score = (best.deviation(), totals_deviation(problem, best.values))
        assert optimal(best)
        years = sorted(problem.shares)
        for _ in range(8):
            a = rnd.choice(problem.cells)
            others = [c for c in problem.cells if c[0] == a[0] and c != a]
            if not others or len(years) < 2:
                break
            b, (y1, y2) = rnd.choice(others), rnd.sample(years, 2)
            values = dict(best.values)
            for cell, year, change in ((a, y1, 1), (a, y2, -1), (b, y1, -1), (b, y2, 1)):
                values[cell + (year,)] += change
            swapped = Allocation(problem, "controlled", values, best.relaxed)
            if violations(swapped):
                continue  # a cell left its floor and ceiling
            same = (swapped.deviation(), totals_deviation(problem, values)) == score
            assert optimal(swapped) == same
            seen[same] += 1
    assert seen[False]  # worse allocations were tried (the solver's own answer is the optimal one)
