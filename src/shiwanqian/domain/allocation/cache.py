"""Cached allocations, so the everyday commands never import the solver.

The cache is keyed on the content of the problem (quotas, shares, method, format version)
and lives in the user's cache folder (``fileio.cache_folder()``: theirs alone, or no cache),
never in the data folder. A cached result is believed only after it has been verified again,
in pure Python and without the solver: every constraint (properties 1–3 of
:mod:`shiwanqian.domain.allocation.solver`) and optimality (property 4: no cheaper allocation exists,
i.e. the flow has no negative-cost cycle in its residual network). A stale, corrupt, forged,
suboptimal or unwritable cache is simply recomputed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ...fileio import cache_folder, trusted_file, write_file
from .solver import METHODS, Allocation, Problem, _bounds, relaxations, tie_scale, violations

VERSION = 3  # 3: the values as one list of integers in cell order (2: [region, level, year, value] lists)


def cache_dir() -> Path | None:
    return cache_folder()


def _solver_version() -> str:
    """The solver's own files (size and time): a new version may pick another of several equally
    good allocations, and its answer, not an older program's, is the one to show."""
    from . import solver as allocate

    here = Path(allocate.__file__)
    parts = []
    for path in (here, here.with_name("cache.py")):
        try:
            info = path.stat()
            parts.append(f"{path.name}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            parts.append(path.name)
    return ";".join(parts)


def _key(problem: Problem, method: str) -> str:
    cells = problem.cells  # sorted
    payload = json.dumps(
        {
            "v": VERSION,
            "m": method,
            "program": _solver_version(),
            "cells": cells,
            "q": [problem.quotas[c] for c in cells],
            "s": sorted([y, str(s)] for y, s in problem.shares.items()),
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def optimal(allocation: Allocation) -> bool:
    """True when no allocation satisfying properties 1–3 is better by ``controlled``'s objective
    (property 4, ties broken by the yearly totals' deviations), with the solver's exact costs.

    The allocation is a flow in the network ``controlled`` solves (source → year → region-year
    → cell). A feasible flow is a minimum-cost flow exactly when its residual network has no
    cycle of negative cost; Bellman–Ford from a virtual source finds one if it exists. Pure
    Python, no solver; nodes are numbered as in ``controlled`` and the residual arcs are kept
    in three flat lists (a fraction of a second for 150,000 cells)."""
    p = allocation.problem
    d, years, flat, quotas = p.denominator, p.years, allocation.flat, p.quotas
    n = len(years)
    weights = [p.weights[y] for y in years]
    scale = tie_scale(p)
    unit = max(scale, 1)
    tie = 1 if scale else 0
    tails: list[int] = []
    heads: list[int] = []
    costs: list[int] = []

    def arc(u: int, v: int, flow: int, scaled: int, cost: int) -> None:
        low, high = _bounds(scaled, d)
        if flow < high:
            tails.append(u)
            heads.append(v)
            costs.append(cost)
        if flow > low:
            tails.append(v)
            heads.append(u)
            costs.append(-cost)

    first_ry = 1 + n
    node = first_ry + len(p.regions) * n  # the first cell
    year_totals = [0] * n
    at = 0
    by_quota: dict[int, list[tuple[int, int | None]]] = {}  # a cell's (floor, cost or None) by year, once per quota
    for r, region in enumerate(p.regions):
        ry = first_ry + r * n
        region_years = [0] * n
        region_total = 0
        for cell in p.cells_of[region]:
            quota = quotas[cell]
            region_total += quota
            row = by_quota.get(quota)
            if row is None:
                row = by_quota[quota] = []
                for w in weights:
                    low, remainder = divmod(quota * w, d)
                    row.append((low, (d - 2 * remainder) * unit if remainder else None))
            for i, (low, cost) in enumerate(row):
                value = flat[at + i]
                region_years[i] += value
                if cost is None:  # a whole exact value: no arc (a value off it is a violation)
                    if value != low:
                        arc(ry + i, node, value, low * d, d * unit)
                    continue
                if value == low:  # rounded down: one unit more is possible
                    tails.append(ry + i)
                    heads.append(node)
                    costs.append(cost)
                elif value == low + 1:  # rounded up: one unit less is possible
                    tails.append(node)
                    heads.append(ry + i)
                    costs.append(-cost)
                else:
                    arc(ry + i, node, value, quota * weights[i], cost)
            at += n
            node += 1
        for i in range(n):
            year_totals[i] += region_years[i]
            scaled = region_total * weights[i]
            arc(1 + i, ry + i, region_years[i], scaled, (d - 2 * (scaled % d)) * tie)
    for i in range(n):
        scaled = p.total * weights[i]
        arc(0, 1 + i, year_totals[i], scaled, (d - 2 * (scaled % d)) * tie)
    return not _negative_cycle(node, list(zip(tails, heads, costs)))


def _negative_cycle(nodes: int, arcs: list[tuple[int, int, int]]) -> bool:
    """Bellman–Ford from a virtual source joined to every node: True when distances still
    shrink after as many rounds as there are nodes (a cycle of negative cost)."""
    distance = [0] * nodes
    for _ in range(nodes + 1):
        changed = False
        for u, v, cost in arcs:
            if distance[u] + cost < distance[v]:
                distance[v] = distance[u] + cost
                changed = True
        if not changed:
            return False
    return True  # still improving after |V| rounds: a negative cycle, a cheaper allocation


def _read(path: Path, problem: Problem, method: str) -> Allocation | None:
    if not trusted_file(path):
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        flat, relaxed = raw["flat"], raw.get("relaxed", [])
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
    # One integer per cell and year, in the problem's cell order (``Allocation.flat``).
    if (
        type(flat) is not list
        or len(flat) != len(problem.cells) * len(problem.years)
        or not all(type(v) is int for v in flat)
        or type(relaxed) is not list
    ):
        return None
    allocation = Allocation(problem, method, relaxed=relaxed, flat=flat)
    if method == "controlled" and (
        relaxed != relaxations(problem) or violations(allocation) or not optimal(allocation)
    ):
        return None
    return allocation


def allocation(problem: Problem, method: str = "controlled", *, use_cache: bool = True) -> Allocation:
    folder = cache_folder() if use_cache and method != "largest-remainder" else None
    if folder is None:
        return METHODS[method](problem)
    path = folder / f"allocation-{_key(problem, method)}.json"
    cached = _read(path, problem, method)
    if cached is not None:
        return cached
    result = METHODS[method](problem)
    try:
        # Not forced to disk: a cache file is verified whenever it is read.
        write_file(path, json.dumps({"flat": result.flat, "relaxed": result.relaxed}, ensure_ascii=False), sync=False)
    except OSError:
        pass  # a read-only home is fine: the result is simply not cached
    return result
