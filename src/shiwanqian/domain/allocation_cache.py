"""Cached allocations, so the everyday commands never import the solver.

The cache is keyed on the content of the problem (quotas, shares, method, format version)
and lives in the user's cache folder, never in the data folder. A cached result is used only
after it has been re-verified against properties 1–3 (cheap, pure Python); a stale,
corrupt or unwritable cache is simply recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .allocate import METHODS, Allocation, Problem, violations
from ..fileio import write_atomically

VERSION = 1


def cache_dir() -> Path:
    base = os.environ.get("SHIWANQIAN_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "shiwanqian"


def _key(problem: Problem, method: str) -> str:
    payload = json.dumps({"v": VERSION, "m": method,
                          "q": sorted([g, lv, q] for (g, lv), q in problem.quotas.items()),
                          "s": sorted([y, str(s)] for y, s in problem.shares.items())},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _read(path: Path, problem: Problem, method: str) -> Allocation | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        values = {(g, lv, int(y)): int(v) for g, lv, y, v in raw["values"]}
        allocation = Allocation(problem, method, values, list(raw.get("relaxed", [])))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    expected = {(g, lv, y) for g, lv in problem.cells for y in problem.years}
    if set(values) != expected or (method == "controlled" and violations(allocation)):
        return None
    return allocation


def allocation(problem: Problem, method: str = "controlled", *, use_cache: bool = True) -> Allocation:
    if method == "largest-remainder" or not use_cache:
        return METHODS[method](problem)
    path = cache_dir() / f"allocation-{_key(problem, method)}.json"
    cached = _read(path, problem, method)
    if cached is not None:
        return cached
    result = METHODS[method](problem)
    try:
        write_atomically(path, json.dumps({"values": [[g, lv, y, v] for (g, lv, y), v in sorted(result.values.items())],
                                           "relaxed": result.relaxed}, ensure_ascii=False))
    except OSError:
        pass  # a read-only home is fine: the result is simply not cached
    return result
