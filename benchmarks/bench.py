"""Benchmarks, measured as ratios in one run on this machine (never asserted in tests).

    python benchmarks/bench.py            # full run
    python benchmarks/bench.py --smoke    # a quick run that only proves the script works (CI)

1. Start-up: `shiwanqian --help`, `quota --district 攸县`, `schedule --year 2018`, `check`,
   each as a ratio to `python -c pass` (medians of interleaved runs).
2. Allocation of a synthetic 1,000 regions × 6 学段 × 5 years table: controlled rounding
   (networkx min-cost flow) against largest remainder (pure Python) on the same table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from fractions import Fraction


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def startup(runs: int) -> None:
    py = sys.executable
    commands = {
        "python -c pass": [py, "-c", "pass"],
        "shiwanqian --help": [py, "-m", "shiwanqian", "--help"],
        "shiwanqian quota --district 攸县": [py, "-m", "shiwanqian", "quota", "--district", "攸县"],
        "shiwanqian schedule --year 2018": [py, "-m", "shiwanqian", "schedule", "--year", "2018"],
        "shiwanqian check": [py, "-m", "shiwanqian", "check"],
    }
    for argv in commands.values():  # warm the file cache and the allocation cache
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():  # interleaved, so machine noise hits all alike
            samples[name].append(timed(argv))
    base = statistics.median(samples["python -c pass"])
    print(f"| 命令 | 中位数 (ms) | 相对 python -c pass |\n|---|---:|---:|")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"| `{name}` | {median * 1000:.0f} | {median / base:.1f}× |")


def allocation(regions: int, runs: int) -> None:
    sys.path.insert(0, "src")
    from shiwanqian.allocate import Problem, controlled, largest_remainder, violations

    rnd = random.Random(2016)
    levels = ["高中", "初中", "小学", "幼儿教育", "职业教育", "特殊教育"]
    quotas = {(f"r{i:04d}", lv): rnd.randint(0, 600) for i in range(regions) for lv in levels}
    total = sum(quotas.values())
    quotas[("r0000", "高中")] += (-total) % 20  # make every year target whole at 10/25/25/30/10 %
    problem = Problem(quotas, {2016: Fraction(10), 2017: Fraction(25), 2018: Fraction(25),
                               2019: Fraction(30), 2020: Fraction(10)})
    times: dict[str, list[float]] = {"largest-remainder": [], "controlled": []}
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        largest_remainder(problem)
        times["largest-remainder"].append(time.perf_counter() - start)
        start = time.perf_counter()
        result = controlled(problem)
        times["controlled"].append(time.perf_counter() - start)
    assert result is not None and violations(result) == []
    lr = statistics.median(times["largest-remainder"])
    cr = statistics.median(times["controlled"])
    print(f"\n分配 {regions} 区域 × 6 学段 × 5 年（{len(quotas) * 5} 格），{runs} 次中位数：")
    print(f"| 方法 | 中位数 (s) | 相对最大余数法 |\n|---|---:|---:|")
    print(f"| largest-remainder | {lr:.3f} | 1.0× |")
    print(f"| controlled (networkx) | {cr:.3f} | {cr / lr:.1f}× |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="quick run for CI")
    args = parser.parse_args()
    startup(runs=2 if args.smoke else 15)
    allocation(regions=20 if args.smoke else 1000, runs=1 if args.smoke else 3)


if __name__ == "__main__":
    main()
