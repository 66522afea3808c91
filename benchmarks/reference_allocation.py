"""The reference for `allocate`: a bare OR-tools script over the same YAML (the C++ floor).

    python benchmarks/reference_allocation.py DATA/quotas/regional.yaml > out.csv

It reads one quota table with libyaml, builds the compact min-cost-flow model of the
controlled rounding (source → year → region-year → region × 学段, lower bounds folded into
supplies, integer costs over the shares' common denominator), solves it with OR-tools'
SimpleMinCostFlow and prints region, level, year, value as CSV. No validation, no checks,
no tie-break, no cache: what a hand-written solver call costs, for the benchmark's ratio.
"""

import math
import sys
from fractions import Fraction
from typing import Any

import numpy as np
import yaml
from ortools.graph.python import min_cost_flow

with open(sys.argv[1], encoding="utf-8") as f:
    table = yaml.load(f, Loader=yaml.CSafeLoader)
quotas = {(row["region"], level): value for row in table["rows"] for level, value in row["values"].items()}
shares = {year: Fraction(str(share)) / 100 for year, share in table["shares"]["values"].items()}
years = sorted(shares)
d = math.lcm(*(s.denominator for s in shares.values()))
weight = [int(shares[y] * d) for y in years]
regions = sorted({g for g, _ in quotas})
cells: dict[str, list[Any]] = {g: [] for g in regions}
for g, level in sorted(quotas):
    cells[g].append(level)

n_years = len(years)
total = sum(quotas.values())
first_cell = 1 + n_years + len(regions) * n_years
supply = np.zeros(first_cell + len(quotas), dtype=np.int64)
tails: list[int] = []
heads: list[int] = []
caps: list[int] = []
costs: list[int] = []
cell_arcs: list[Any] = []


def arc(u, v, scaled, cost):
    low = scaled // d
    supply[u] -= low
    supply[v] += low
    if scaled % d:
        tails.append(u), heads.append(v), caps.append(1), costs.append(cost)
        return len(tails) - 1, low
    return -1, low


supply[0] = total
for i in range(n_years):
    arc(0, 1 + i, total * weight[i], 0)
ry, node = 1 + n_years, first_cell
for g in regions:
    region_total = sum(quotas[g, lv] for lv in cells[g])
    for i in range(n_years):
        arc(1 + i, ry + i, region_total * weight[i], 0)
    for level in cells[g]:
        q = quotas[g, level]
        supply[node] -= q
        for i in range(n_years):
            scaled = q * weight[i]
            cell_arcs.append((g, level, years[i], *arc(ry + i, node, scaled, d - 2 * (scaled % d))))
        node += 1
    ry += n_years

solver = min_cost_flow.SimpleMinCostFlow()
solver.add_arcs_with_capacity_and_unit_cost(
    np.array(tails, dtype=np.int32),
    np.array(heads, dtype=np.int32),
    np.array(caps, dtype=np.int64),
    np.array(costs, dtype=np.int64),
)
solver.set_nodes_supplies(np.arange(len(supply), dtype=np.int32), supply)
if solver.solve() != solver.OPTIMAL:
    sys.exit("infeasible")
flows = solver.flows(np.arange(len(tails), dtype=np.int32))
out = ["region,level,year,value"]
out += [f"{g},{lv},{y},{low + (flows[a] if a >= 0 else 0)}" for g, lv, y, a, low in cell_arcs]
sys.stdout.write("\n".join(out) + "\n")
