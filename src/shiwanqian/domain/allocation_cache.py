"""Cached allocations, so the everyday commands never import the solver.

The cache is keyed on the content of the problem (quotas, shares, method, format version)
and lives in the user's cache folder (``fileio.cache_folder()``: theirs alone, or no cache),
never in the data folder. A cached result is believed only after it has been verified again,
in pure Python and without the solver: every constraint (properties 1–3 of
:mod:`shiwanqian.domain.allocate`) and optimality (property 4: no cheaper allocation exists,
i.e. the flow has no negative-cost cycle in its residual network). A stale, corrupt, forged,
suboptimal or unwritable cache is simply recomputed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .allocate import METHODS, Allocation, Problem, _bounds, relaxations, tie_scale, violations
from ..fileio import cache_folder, trusted_file, write_file

VERSION = 3  # 3: the values as one list of integers in cell order (2: [region, level, year, value] lists)


def cache_dir() -> Path | None:
    return cache_folder()


def _solver_version() -> str:
    """The solver's own files (size and time): a new version may pick another of several equally
    good allocations, and its answer, not an older program's, is the one to show."""
    from . import allocate

    here = Path(allocate.__file__)
    parts = []
    for path in (here, here.with_name("allocation_cache.py")):
        try:
            info = path.stat()
            parts.append(f"{path.name}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            parts.append(path.name)
    return ";".join(parts)


def _key(problem: Problem, method: str) -> str:
    cells = problem.cells  # sorted
    payload = json.dumps({"v": VERSION, "m": method, "program": _solver_version(),
                          "cells": cells, "q": [problem.quotas[c] for c in cells],
                          "s": sorted([y, str(s)] for y, s in problem.shares.items())},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def optimal(allocation: Allocation) -> bool:
    """True when no allocation satisfying properties 1–3 is better by ``controlled``'s objective
    (property 4, ties broken by the yearly totals' deviations), with the solver's exact costs.

    The allocation is a flow in the network ``controlled`` solves (source → year → region-year
    → cell). A feasible flow is a minimum-cost flow exactly when its residual network has no
    cycle of negative cost; Bellman–Ford from a virtual source finds one if it exists. Pure
    Python, no solver: a few milliseconds for the shipped data."""
    p = allocation.problem
    d, weights, values = p.denominator, p.weights, allocation.values
    scale = tie_scale(p)
    unit = max(scale, 1)
    arcs: list[tuple[object, object, int]] = []  # residual arcs (u, v, cost)

    def arc(u: object, v: object, flow: int, scaled: int, cost: int) -> None:
        low, high = _bounds(scaled, d)
        if flow < high:
            arcs.append((u, v, cost))
        if flow > low:
            arcs.append((v, u, -cost))

    def tie(scaled: int) -> int:
        return (d - 2 * (scaled % d)) if scale else 0

    for y in p.years:
        scaled = p.total * weights[y]
        arc("source", ("year", y), allocation.year_total(y), scaled, tie(scaled))
    for g, cells in p.cells_of.items():
        region_total = sum(p.quotas[c] for c in cells)
        for y in p.years:
            scaled = region_total * weights[y]
            arc(("year", y), ("ry", g, y), sum(values[c[0], c[1], y] for c in cells), scaled, tie(scaled))
            for c in cells:
                scaled = p.quotas[c] * weights[y]
                arc(("ry", g, y), ("cell",) + c, values[c[0], c[1], y], scaled, (d - 2 * (scaled % d)) * unit)
    nodes = {u for u, _, _ in arcs} | {v for _, v, _ in arcs}
    distance = dict.fromkeys(nodes, 0)
    for _ in range(len(nodes) + 1):
        changed = False
        for u, v, cost in arcs:
            if distance[u] + cost < distance[v]:
                distance[v] = distance[u] + cost
                changed = True
        if not changed:
            return True
    return False  # still improving after |V| rounds: a negative cycle, a cheaper allocation


def _read(path: Path, problem: Problem, method: str) -> Allocation | None:
    if not trusted_file(path):
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        flat, relaxed = raw["flat"], raw.get("relaxed", [])
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
    # One integer per cell and year, in the problem's cell order (``Allocation.flat``).
    if (type(flat) is not list or len(flat) != len(problem.cells) * len(problem.years)
            or not all(type(v) is int for v in flat) or type(relaxed) is not list):
        return None
    allocation = Allocation(problem, method, relaxed=relaxed, flat=flat)
    if method == "controlled":
        if relaxed != relaxations(problem) or violations(allocation) or not optimal(allocation):
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
        write_file(path, json.dumps({"flat": result.flat, "relaxed": result.relaxed}, ensure_ascii=False))
    except OSError:
        pass  # a read-only home is fine: the result is simply not cached
    return result

