"""Benchmarks, measured as ratios in one run on this machine (never asserted in tests).

    python benchmarks/bench.py            # full run (about two minutes)
    python benchmarks/bench.py --smoke    # a quick run that only proves the script works (CI)

Every figure is a median of interleaved runs (each round runs every command once, so noise
from the machine hits them all alike), reported as a ratio to a baseline measured in the
same run:

1. Start-up: `shiwanqian --help`, `quota --district 攸县`, `schedule --year 2018`, `check`
   against `python -c pass` and against a bare Typer command with one option.
2. `check` on the shipped data against `check-jsonschema` (the project's own schemas, one
   call per kind of file, as a CI would run it) and `yamllint` on the same files, when those
   tools are installed (`pip install check-jsonschema yamllint`).
3. `check --data` on synthetic data 10× and 100× the shipped set (benchmarks/make_synthetic.py)
   against the parse floor (`yaml.compose` with CSafeLoader over the same files) plus the
   start-up of `check`, and peak memory against the size of the files.
4. Yearly allocation of 1,000 regions × 6 学段 × 5 years: controlled rounding (networkx)
   against largest remainder.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = REPO / "data"
PY = sys.executable


def run(argv: list[str], env: dict | None = None) -> tuple[float, int]:
    """Wall time and peak resident memory (bytes) of one run of ``argv``."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}")
    return elapsed, usage.ru_maxrss * 1024


def medians(commands: dict[str, list[str]], runs: int, env: dict | None = None) -> dict[str, tuple[float, int]]:
    for argv in commands.values():  # warm the file cache and the snapshot cache
        run(argv, env)
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            samples[name].append(run(argv, env))
    return {name: (statistics.median(t for t, _ in s), max(m for _, m in s)) for name, s in samples.items()}


def verdict(ok: bool) -> str:
    return "达到" if ok else "未达到"


def startup(runs: int, env: dict) -> dict[str, float]:
    exe = [PY, "-m", "shiwanqian"]
    commands = {
        "python -c pass": [PY, "-c", "pass"],
        "Typer 单选项空命令": [PY, str(HERE / "bare_typer.py"), "--name", "x"],
        "shiwanqian --help": [*exe, "--help"],
        "shiwanqian quota --district 攸县": [*exe, "quota", "--district", "攸县"],
        "shiwanqian quota --district 攸县 --format json": [*exe, "quota", "--district", "攸县", "--format", "json"],
        "shiwanqian schedule --year 2018": [*exe, "schedule", "--year", "2018"],
        "shiwanqian check": [*exe, "check"],
    }
    result = medians(commands, runs, env)
    base, bare = result["python -c pass"][0], result["Typer 单选项空命令"][0]
    targets = {"shiwanqian --help": ("pass", 7.0), "shiwanqian quota --district 攸县": ("bare", 1.2),
               "shiwanqian quota --district 攸县 --format json": ("bare", 1.2)}
    print("\n### 启动时间（中位数）\n")
    print("| 命令 | 毫秒 | ÷ python -c pass | ÷ Typer 空命令 | 目标 |")
    print("|---|---:|---:|---:|---|")
    for name, (seconds, _) in result.items():
        target = targets.get(name)
        note = ""
        if target:
            ratio = seconds / (base if target[0] == "pass" else bare)
            note = f"≤ {target[1]}× {'python' if target[0] == 'pass' else 'Typer'}：{verdict(ratio <= target[1])}"
        print(f"| `{name}` | {seconds * 1000:.0f} | {seconds / base:.1f}× | {seconds / bare:.2f}× | {note} |")
    return {name: seconds for name, (seconds, _) in result.items()}


def validators(runs: int, env: dict, check_seconds: float) -> None:
    search = os.pathsep.join([str(Path(PY).parent), os.environ.get("PATH", "")])  # the venv's bin too
    cjs, lint = shutil.which("check-jsonschema", path=search), shutil.which("yamllint", path=search)
    print("\n### check 与通用校验工具（同一批文件）\n")
    if not (cjs and lint):
        print("未安装 check-jsonschema 或 yamllint，跳过（pip install check-jsonschema yamllint）。")
        return
    kinds = {"plan": sorted(DATA.glob("plans/*.yaml")), "quota": sorted(DATA.glob("quotas/*.yaml")),
             **{k: [DATA / f"{k}.yaml"] for k in ("programme", "regions", "units", "disagreements")}}
    files = [str(f) for fs in kinds.values() for f in fs]
    commands = {f"check-jsonschema {k}": [cjs, "--schemafile", str(DATA / "schemas" / f"{k}.schema.json"), *map(str, fs)]
                for k, fs in kinds.items()}
    commands["yamllint"] = [lint, "-d", "relaxed", *files]
    result = medians(commands, runs, env)
    jsonschema_total = sum(s for name, (s, _) in result.items() if name.startswith("check-jsonschema"))
    yamllint = result["yamllint"][0]
    print("| 工具 | 毫秒 | check 所用时间之比 | 目标 |")
    print("|---|---:|---:|---|")
    print(f"| `shiwanqian check` | {check_seconds * 1000:.0f} | 1.00 | |")
    print(f"| `check-jsonschema`（6 类文件各一次，合计） | {jsonschema_total * 1000:.0f} | "
          f"{check_seconds / jsonschema_total:.2f} | check ≤ 1/3：{verdict(check_seconds <= jsonschema_total / 3)} |")
    print(f"| `yamllint` | {yamllint * 1000:.0f} | {check_seconds / yamllint:.2f} | check 更快：{verdict(check_seconds < yamllint)} |")


PARSE_FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob('*.yaml')):
    if 'schemas' not in path.parts:
        yaml.compose(path.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)
"""


def scaling(scales: list[int], runs: int, env: dict, startup_check: float, startup_pass: float) -> None:
    print("\n### 大数据量：check 与解析下限\n")
    print("| 数据 | YAML 字节 | check 秒 | 解析下限秒 | check ÷ (2×解析 + 启动) | 峰值内存 | 内存 ÷ 文件大小 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            out = Path(tmp) / f"data{scale}"
            subprocess.run([PY, str(HERE / "make_synthetic.py"), "--scale", str(scale), "--out", str(out)],
                           check=True, stdout=subprocess.DEVNULL)
            size = sum(p.stat().st_size for p in out.rglob("*.yaml") if "schemas" not in p.parts)
            result = medians({"check": [PY, "-m", "shiwanqian", "check", "--data", str(out)],
                              "parse": [PY, "-c", PARSE_FLOOR, str(out)]}, runs, env)
            check, memory = result["check"]
            parse = result["parse"][0] - startup_pass  # the interpreter's own start-up is not parsing
            bound = 2 * parse + startup_check
            print(f"| {scale}× | {size:,} | {check:.2f} | {parse:.2f} | {check / bound:.2f}（≤ 1：{verdict(check <= bound)}） | "
                  f"{memory / 2**20:.0f} MB | {memory / size:.1f}×（≤ 10：{verdict(memory <= 10 * size)}） |")


def allocation(regions: int, runs: int) -> None:
    sys.path.insert(0, str(REPO / "src"))
    from shiwanqian.domain.allocate import Problem, controlled, largest_remainder, violations

    rnd = random.Random(2016)
    levels = ["高中", "初中", "小学", "幼儿教育", "职业教育", "特殊教育"]
    quotas = {(f"r{i:04d}", lv): rnd.randint(0, 600) for i in range(regions) for lv in levels}
    quotas[("r0000", "高中")] += (-sum(quotas.values())) % 20  # whole year targets at 10/25/25/30/10 %
    problem = Problem(quotas, {2016: Fraction(10), 2017: Fraction(25), 2018: Fraction(25),
                               2019: Fraction(30), 2020: Fraction(10)})
    times: dict[str, list[float]] = {"largest-remainder": [], "controlled": []}
    for _ in range(runs):
        for name, method in (("largest-remainder", largest_remainder), ("controlled", controlled)):
            start = time.perf_counter()
            result = method(problem)
            times[name].append(time.perf_counter() - start)
            if name == "controlled":
                assert violations(result) == []
    lr, cr = statistics.median(times["largest-remainder"]), statistics.median(times["controlled"])
    print(f"\n### 年度分配：{regions} 区域 × 6 学段 × 5 年（{len(quotas) * 5:,} 格）\n")
    print("| 方法 | 秒 | ÷ 最大余数法 |\n|---|---:|---:|")
    print(f"| largest-remainder | {lr:.3f} | 1.0× |")
    print(f"| controlled（networkx 最小费用流） | {cr:.3f} | {cr / lr:.1f}× |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="quick run for CI: proves the script works")
    args = parser.parse_args()
    runs = 3 if args.smoke else 15
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "SHIWANQIAN_CACHE": cache}
        times = startup(runs, env)
        validators(runs, env, times["shiwanqian check"])
        scaling([2] if args.smoke else [10, 100], 2 if args.smoke else 5, env,
                times["shiwanqian check"], times["python -c pass"])
    allocation(20 if args.smoke else 1000, 1 if args.smoke else 3)


if __name__ == "__main__":
    main()
