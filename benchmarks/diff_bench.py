"""`shiwanqian diff` of two large folders, as a ratio to `check` of one (whole processes).

    python benchmarks/diff_bench.py [--regions 1000] [--runs 5] [--smoke]

Three folders of N regions are made with make_synthetic.py: A (seed 2016); B, A revised as a
bureau revises it — one synthetic region's 高中 moved by 10 to another region, with the row
totals, the quotations and the document's own lines changed to match, so B passes `check`;
and C (seed 2017), where every synthetic cell differs. Each command runs in a new process,
interleaved with the others, ``--runs`` times; the table gives min / median / max and each
median as a ratio to the median of `check --data A`.

`diff` solves the controlled rounding of a table only when its quotas or shares changed (A→B,
A→C: the 1,000-region table on both sides). "cold" runs start each time with an empty
allocation cache; "warm" runs reuse the cache that a first run filled (as a reviewer's second
look at the same revision does). Measured, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import Busy, add_busy_option, conditions, installed_env  # noqa: E402


def synthetic(out: Path, regions: int, seed: int) -> Path:
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "make_synthetic.py"), "--regions", str(regions)]
        + ["--seed", str(seed), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def _row_text(row: dict, unit: str) -> str:
    parts = "、".join(f"{level}{value}{unit}" for level, value in row["values"].items())
    return f"{row['region']}：{parts}。合计{row['total']}{unit}。"


def revise(base: Path, out: Path) -> Path:
    """A copy of ``base`` with 10 高中 moved from its first to its second synthetic row."""
    shutil.copytree(base, out)
    table_path = out / "quotas" / "regional.yaml"
    table = yaml.safe_load(table_path.read_text(encoding="utf-8"))
    first, second = table["rows"][0], table["rows"][1]
    move = min(10, first["values"]["高中"])
    replacements = []
    for row, delta in ((first, -move), (second, move)):
        old_text, old_values = row["text"], dict(row["values"])
        row["values"]["高中"] += delta
        row["total"] += delta
        new_text = _row_text(row, table["unit"])
        assert old_text == _row_text({**row, "values": old_values, "total": row["total"] - delta}, table["unit"])
        old_flow = "{" + ", ".join(f"{k}: {v}" for k, v in old_values.items()) + "}"
        new_flow = "{" + ", ".join(f"{k}: {v}" for k, v in row["values"].items()) + "}"
        replacements += [
            (old_text, new_text),
            (
                f"values: {old_flow}\n    total: {row['total'] - delta}",
                f"values: {new_flow}\n    total: {row['total']}",
            ),
        ]
    for path in (table_path, out / "source.txt"):
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return out


def run(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    return time.perf_counter() - start, result.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="100 regions, 1 run: proves the script works")
    add_busy_option(parser)
    args = parser.parse_args()
    regions, runs = (100, 1) if args.smoke else (args.regions, args.runs)
    program = [sys.executable, "-m", "shiwanqian"]
    print(f"开始时：{conditions(args.busy)}。")
    with Busy(args.busy), tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        a = synthetic(tmp / "A", regions, 2016)
        b = revise(a, tmp / "B")
        c = synthetic(tmp / "C", regions, 2017)
        warm_cache = tmp / "warm-cache"
        base_env = {**installed_env(tmp), "COLUMNS": "80"}  # kept bytecode, as an installed program
        commands = {
            "check --data A": (program + ["check", "--data", str(a)], 0, None),
            "diff A B（冷缓存）": (program + ["diff", str(a), str(b)], 1, "cold"),
            "diff A B（热缓存）": (program + ["diff", str(a), str(b)], 1, "warm"),
            "diff A B --format json（热缓存）": (program + ["diff", str(a), str(b), "--format", "json"], 1, "warm"),
            "diff A C（冷缓存）": (program + ["diff", str(a), str(c), "--format", "json"], 1, "cold"),
            "diff A C（热缓存）": (program + ["diff", str(a), str(c), "--format", "json"], 1, "warm"),
            "diff A A": (program + ["diff", str(a), str(a)], 0, "warm"),
        }
        for argv, _, cache in commands.values():  # fill the warm cache, and prove every command works
            if cache == "warm":
                run(argv, {**base_env, "SHIWANQIAN_CACHE": str(warm_cache)})
        times: dict[str, list[float]] = {name: [] for name in commands}
        for i in range(runs):
            for name, (argv, expected, cache) in commands.items():
                if cache == "cold":
                    folder = tmp / f"cold-{i}-{len(times[name])}"
                    env = {**base_env, "SHIWANQIAN_CACHE": str(folder)}
                else:
                    env = {**base_env, "SHIWANQIAN_CACHE": str(warm_cache)}
                seconds, status = run(argv, env)
                if status != expected:
                    raise SystemExit(f"{name}: exit {status}, expected {expected}")
                times[name].append(seconds)
        ended = conditions(args.busy)
    check = statistics.median(times["check --data A"])
    print(f"{regions} 个区域，每项 {runs} 次（整个进程；交替运行），比值为中位数 ÷ check 的中位数")
    print("| 命令 | 最短 | 中位数 | 最长 | 与 check 之比 |")
    print("|---|---:|---:|---:|---:|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| `{name}` | {min(values):.2f} s | {median:.2f} s | {max(values):.2f} s | {median / check:.2f}× |")
    print(f"结束时：{ended}。")


if __name__ == "__main__":
    main()
