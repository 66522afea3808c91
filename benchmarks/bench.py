"""Benchmarks, measured as ratios in one run on this machine (never asserted in tests).

    python benchmarks/bench.py            # full run (about three minutes)
    python benchmarks/bench.py --busy 1   # the same while another process keeps one core busy
    python benchmarks/bench.py --smoke    # a quick run that only proves the script works (CI)

Every command is a whole process (Python start-up included), the reference scripts exactly
like the program: the same interpreter, environment and kept bytecode. Runs are interleaved
(each round runs every command once, so noise from the machine hits them all alike); a ratio
is worked out round by round (the command ÷ its baseline in the same round) and reported as
its median with its spread (minimum–maximum over the rounds), never as one figure. The
report begins with the machine's cores and load average (and ends with the load again);
``--busy N`` starts N processes that each keep a core busy for the whole run (a loaded CI
machine, reproducibly) and says so. Sections, each against a baseline in the same run:

1. Start-up: `shiwanqian --help`, `quota --district 攸县`, `schedule --year 2018`, `check`
   against `python -c pass` and against a bare Typer command with one option.
2. `check` on the shipped data against `check-jsonschema` (the project's own schemas, one
   call per kind of file, as a CI would run it) and `yamllint` on the same files, when those
   tools are installed (`pip install check-jsonschema yamllint`).
3. `check --data` on synthetic data 10× and 100× the shipped set (benchmarks/make_synthetic.py)
   against the parse floor (`yaml.compose` with CSafeLoader over the same files) plus the
   start-up of `check`, and peak memory against the size of the files.
4. Yearly allocation (`allocate --format csv`, cold cache) of 100 / 1,000 / 5,000 regions ×
   6 学段 × 5 years against `reference_allocation.py`: the same YAML read with libyaml and the
   same model solved by OR-tools' C++ min-cost flow, no validation (the solver's floor).
5. National scale (`make_synthetic.py --regions N`): `check` per region at 1,000 and 10,000
   regions, a warm `quota --district` against the 11-region folder, the cache and peak memory
   against the data's size.
6. `timeline`, `budget`, `export xlsx`, `export ics` (and `progress` when present) against
   the bare Typer command.

    python benchmarks/bench.py --only allocation --only regions --regions 1000 10000 100000
"""

from __future__ import annotations

import argparse
import os
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


def installed_env(tmp: Path) -> dict[str, str]:
    """The environment of an installed program: Python keeps compiled bytecode (in ``tmp``, not
    in the repository), as it does for a package pip installed. With PYTHONDONTWRITEBYTECODE set
    (some sandboxes set it) every run would compile the package's sources again (≈ 0.1 s that an
    installed copy never spends) while a one-file baseline compiles almost nothing."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}


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


def measure(
    commands: dict[str, list[str]], runs: int, env: dict | None = None, *, envs: dict[str, dict] | None = None
) -> dict[str, list[tuple[float, int]]]:
    """``runs`` interleaved rounds of every command (after one round that warms the file and
    snapshot caches): each command's (seconds, peak bytes), round by round. ``envs`` gives a
    command an environment of its own."""

    def env_of(name: str) -> dict | None:
        return (envs or {}).get(name, env)

    for name, argv in commands.items():
        run(argv, env_of(name))
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            samples[name].append(run(argv, env_of(name)))
    return samples


def medians(commands: dict[str, list[str]], runs: int, env: dict | None = None) -> dict[str, tuple[float, int]]:
    return {name: (median(s), max(m for _, m in s)) for name, s in measure(commands, runs, env).items()}


def median(samples: list[tuple[float, int]] | list[float]) -> float:
    return statistics.median(s[0] if isinstance(s, tuple) else s for s in samples)


class Ratio:
    """A ratio worked out round by round: ``numerator[i] / denominator[i]``."""

    def __init__(self, numerator: list, denominator: list) -> None:
        top = [s[0] if isinstance(s, tuple) else s for s in numerator]
        bottom = [s[0] if isinstance(s, tuple) else s for s in denominator]
        self.values = sorted(a / b for a, b in zip(top, bottom))
        self.median = statistics.median(self.values)
        self.min, self.max = self.values[0], self.values[-1]

    def __str__(self) -> str:
        return f"{self.median:.2f}×（{self.min:.2f}–{self.max:.2f}）"

    def against(self, target: float) -> str:
        """Whether the target holds: by the median, and whether every round kept to it."""
        if self.max <= target:
            return f"≤ {target}×：达到（每一轮都在内）"
        if self.median <= target:
            return f"≤ {target}×：达到（中位数；最慢一轮 {self.max:.2f}×）"
        return f"≤ {target}×：未达到"


class Busy:
    """``count`` processes that each keep one core busy while the benchmarks run (ended, by
    their own process ids, when the run ends, however it ends)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.procs: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Busy:
        for _ in range(self.count):
            self.procs.append(
                subprocess.Popen([PY, "-c", "while True: pass"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )
        if self.procs:
            time.sleep(1)  # let them get going before the first measurement
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in self.procs:
            proc.kill()
            proc.wait()


def add_busy_option(parser: argparse.ArgumentParser) -> None:
    """``--busy N``, the same in every benchmark script (used with ``Busy`` and ``conditions``)."""
    parser.add_argument(
        "--busy",
        type=int,
        default=0,
        metavar="N",
        help="keep N cores busy with spinning processes for the whole run (a loaded machine); default 0",
    )


def conditions(busy: int) -> str:
    one, five, fifteen = os.getloadavg()
    load = f"负载（1/5/15 分钟）{one:.2f} / {five:.2f} / {fifteen:.2f}"
    extra = f"；另有 {busy} 个进程各占满一个核（--busy {busy}）" if busy else "；没有另起占用处理器的进程（--busy 0）"
    return f"{os.cpu_count()} 核，{load}{extra}"


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
    samples = measure(commands, runs, env)
    base, bare = samples["python -c pass"], samples["Typer 单选项空命令"]
    targets = {
        "shiwanqian --help": ("pass", 7.0),
        "shiwanqian quota --district 攸县": ("bare", 1.2),
        "shiwanqian quota --district 攸县 --format json": ("bare", 1.2),
    }
    print(f"\n### 启动时间（{runs} 轮交替测量；比值为逐轮之比的中位数，括号内为最小–最大）\n")
    print("| 命令 | 毫秒（中位数） | ÷ python -c pass | ÷ Typer 空命令 | 目标 |")
    print("|---|---:|---:|---:|---|")
    for name, s in samples.items():
        target = targets.get(name)
        by_pass, by_bare = Ratio(s, base), Ratio(s, bare)
        note = ""
        if target:
            note = (by_pass if target[0] == "pass" else by_bare).against(target[1])
            note = note.replace("×：", f"× {'python' if target[0] == 'pass' else 'Typer'}：", 1)
        print(f"| `{name}` | {median(s) * 1000:.0f} | {by_pass} | {by_bare} | {note} |")
    return {name: median(s) for name, s in samples.items()}


def validators(runs: int, env: dict, check_seconds: float) -> None:
    search = os.pathsep.join([str(Path(PY).parent), os.environ.get("PATH", "")])  # the venv's bin too
    cjs, lint = shutil.which("check-jsonschema", path=search), shutil.which("yamllint", path=search)
    print("\n### check 与通用校验工具（同一批文件）\n")
    if not (cjs and lint):
        print("未安装 check-jsonschema 或 yamllint，跳过（pip install check-jsonschema yamllint）。")
        return
    kinds = {
        "plan": sorted(DATA.glob("plans/*.yaml")),
        "quota": sorted(DATA.glob("quotas/*.yaml")),
        **{k: [DATA / f"{k}.yaml"] for k in ("programme", "regions", "units", "disagreements")},
    }
    files = [str(f) for fs in kinds.values() for f in fs]
    commands = {
        f"check-jsonschema {k}": [cjs, "--schemafile", str(DATA / "schemas" / f"{k}.schema.json"), *map(str, fs)]
        for k, fs in kinds.items()
    }
    commands["yamllint"] = [lint, "-d", "relaxed", *files]
    result = medians(commands, runs, env)
    jsonschema_total = sum(s for name, (s, _) in result.items() if name.startswith("check-jsonschema"))
    yamllint = result["yamllint"][0]
    print("| 工具 | 毫秒 | check 所用时间之比 | 目标 |")
    print("|---|---:|---:|---|")
    print(f"| `shiwanqian check` | {check_seconds * 1000:.0f} | 1.00 | |")
    print(
        f"| `check-jsonschema`（6 类文件各一次，合计） | {jsonschema_total * 1000:.0f} | "
        f"{check_seconds / jsonschema_total:.2f} | check ≤ 1/3：{verdict(check_seconds <= jsonschema_total / 3)} |"
    )
    print(
        f"| `yamllint` | {yamllint * 1000:.0f} | {check_seconds / yamllint:.2f} | check 更快：{verdict(check_seconds < yamllint)} |"
    )


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
            subprocess.run(
                [PY, str(HERE / "make_synthetic.py"), "--scale", str(scale), "--out", str(out)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            size = sum(p.stat().st_size for p in out.rglob("*.yaml") if "schemas" not in p.parts)
            result = medians(
                {
                    "check": [PY, "-m", "shiwanqian", "check", "--data", str(out)],
                    "parse": [PY, "-c", PARSE_FLOOR, str(out)],
                },
                runs,
                env,
            )
            check, memory = result["check"]
            parse = result["parse"][0] - startup_pass  # the interpreter's own start-up is not parsing
            bound = 2 * parse + startup_check
            print(
                f"| {scale}× | {size:,} | {check:.2f} | {parse:.2f} | {check / bound:.2f}（≤ 1：{verdict(check <= bound)}） | "
                f"{memory / 2**20:.0f} MB | {memory / size:.1f}×{memory_target(scale, memory, size)} |"
            )
    print(
        "\n内存目标（≤ 10 倍文件大小）只对 100 倍数据而言：数据只有 1 MB 左右时，峰值内存几乎全是解释器与各库"
        "（约 35 MB）的固定开销，比值说明不了数据怎样占用内存。"
    )


def memory_target(scale: int, memory: int, size: int) -> str:
    """The memory target holds for the 100× data, where the data, not the interpreter, is most
    of the peak; at 10× the fixed ≈ 35 MB of Python and its libraries is most of it."""
    return f"（≤ 10：{verdict(memory <= 10 * size)}）" if scale >= 100 else "（固定开销为主，不设目标）"


def synthetic(folder: Path, *, scale: int = 1, regions: int = 0) -> Path:
    """A data folder from make_synthetic.py (made once per run)."""
    if not folder.exists():
        argv = [PY, str(HERE / "make_synthetic.py"), "--scale", str(scale), "--out", str(folder)]
        subprocess.run(argv + (["--regions", str(regions)] if regions else []), check=True, stdout=subprocess.DEVNULL)
    return folder


def yaml_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.yaml") if "schemas" not in p.parts)


def allocation(sizes: list[int], runs: int, tmp: Path, base_env: dict) -> None:
    """`allocate` through the CLI, cold cache, against the bare OR-tools script on the same YAML."""
    print(f"\n### 年度分配（受控取整）：CLI（冷缓存）与 C++ 求解器直接调用（{runs} 轮交替测量）\n")
    print(
        "参照：`benchmarks/reference_allocation.py`，只用 libyaml 读同一个名额表文件、建同样的紧凑网络、"
        "调用 OR-tools 的 SimpleMinCostFlow、输出 CSV；不校验、不检查、不缓存。两者都是完整的进程（含 Python 启动与导入），"
        "以同样的方式运行（同一解释器、同样的环境与字节码缓存，每次都用新的空缓存目录，逐轮交替，第一轮只预热文件缓存），"
        "都输出 CSV、得到同样的最小偏差。比值为逐轮之比的中位数，括号内为最小–最大。\n"
    )
    print(
        "| 区域 × 6 学段 × 5 年 | 格数 | CLI 秒（中位数） | 参照秒（中位数） | CLI ÷ 参照 | 目标 | 与精确值的偏差之和 |"
    )
    print("|---|---:|---:|---:|---:|---|---|")
    for regions in sizes:
        data = synthetic(tmp / f"regions{regions}", regions=regions)
        caches = tmp / f"alloc-caches{regions}"
        commands = {
            "cli": [
                PY,
                "-m",
                "shiwanqian",
                "allocate",
                "regional",
                "--by",
                "year",
                "--format",
                "csv",
                "--data",
                str(data),
            ],
            "reference": [PY, str(HERE / "reference_allocation.py"), str(data / "quotas" / "regional.yaml")],
        }
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for i in range(runs + 1):
            for name, argv in commands.items():
                # A fresh cache folder for every run: the solver runs each time.
                env = {**base_env, "SHIWANQIAN_CACHE": str(caches / f"{name}{i}")}
                seconds = run(argv, env)[0]
                if i:  # the first round warms the file cache
                    samples[name].append(seconds)
        shutil.rmtree(caches, ignore_errors=True)
        ratio = Ratio(samples["cli"], samples["reference"])
        target = ratio.against(2) if regions >= 1000 else ""
        same = same_objective(
            commands, data / "quotas" / "regional.yaml", {**base_env, "SHIWANQIAN_CACHE": str(caches)}
        )
        shutil.rmtree(caches, ignore_errors=True)
        cli, ref = median(samples["cli"]), median(samples["reference"])
        print(f"| {regions:,} | {regions * 30:,} | {cli:.2f} | {ref:.2f} | {ratio} | {target} | {same} |")


def same_objective(commands: dict[str, list[str]], table_path: Path, env: dict) -> str:
    """Σ|value − exact| of both outputs, from the quota table itself (exact fractions)."""
    import csv
    import io

    import yaml

    table = yaml.load(table_path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    quotas = {(row["region"], level): v for row in table["rows"] for level, v in row["values"].items()}
    shares = {int(y): Fraction(str(s)) / 100 for y, s in table["shares"]["values"].items()}
    deviations = []
    for argv in commands.values():
        out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout
        rows = list(csv.DictReader(io.StringIO(out)))
        deviations.append(
            sum(abs(int(r["value"]) - quotas[r["region"], r["level"]] * shares[int(r["year"])]) for r in rows)
        )
    cli, ref = deviations
    return f"{float(cli):,.1f}（{'相同' if cli == ref else f'不同！参照 {float(ref):,.1f}'}）"


LIMIT = 5_000_000  # the loader's per-file limit (load.yamlpos.MAX_BYTES)


def too_large(folder: Path) -> list[str]:
    """The data files the loader refuses to read (larger than its per-file limit)."""
    return [
        f"{p.relative_to(folder).as_posix()} {p.stat().st_size / 1e6:.1f} MB"
        for p in sorted(folder.rglob("*.yaml"))
        if "schemas" not in p.parts and p.stat().st_size > LIMIT
    ]


def regions_scaling(sizes: list[int], runs: int, env: dict, tmp: Path) -> None:
    """check and a warm quota on folders with many regions; the cache's size against the data's."""
    print("\n### 全国规模：区域数增长时\n")
    print(
        "`make_synthetic.py --regions N`：N 个区域（原有 11 个加合成区域）和一张覆盖全部区域的 6 学段名额表。"
        "热缓存 `quota --district 攸县` 与 11 个区域的原始数据在同一轮中交替测量；缓存分两部分：查询快照（总表与切片）"
        "和受控取整结果的缓存。\n"
    )
    print(
        "| 区域数 | YAML 字节 | check 秒 | check 每区域 ÷ 1000 区域时 | 热缓存 quota 秒 | ÷ 11 区域（同一轮） | "
        "快照 ÷ 数据 | 取整缓存 ÷ 数据 | 峰值内存 ÷ 数据 |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    per_region: float | None = None
    folders = {n: synthetic(tmp / f"regions{n}", regions=n) for n in sizes}
    for regions, data in folders.items():
        refused = too_large(data)
        if refused:
            print(
                f"| {regions:,} | {yaml_bytes(data):,} | — | — | — | — | — | — | —（不能载入：{'、'.join(refused)} "
                f"超过每个数据文件 {LIMIT // 1_000_000} MB 的上限） |"
            )
            continue
        cache, base_cache = tmp / f"quota-cache{regions}", tmp / f"quota-cache-base{regions}"
        check = medians({"check": [PY, "-m", "shiwanqian", "check", "--data", str(data)]}, runs, env)["check"]
        quota_argv = [PY, "-m", "shiwanqian", "quota", "--district", "攸县"]
        # Both quotas in one round each (interleaved), each with its own warm cache.
        for argv, folder in (
            (quota_argv + ["--data", str(data)], cache),
            (quota_argv + ["--data", str(DATA)], base_cache),
        ):
            run(argv, {**env, "SHIWANQIAN_CACHE": str(folder)})
        samples: dict[str, list[float]] = {"big": [], "base": []}
        for _ in range(runs):
            samples["big"].append(run(quota_argv + ["--data", str(data)], {**env, "SHIWANQIAN_CACHE": str(cache)})[0])
            samples["base"].append(
                run(quota_argv + ["--data", str(DATA)], {**env, "SHIWANQIAN_CACHE": str(base_cache)})[0]
            )
        quota, base = median(samples["big"]), median(samples["base"])
        seconds, memory = check
        size = yaml_bytes(data)
        files = [p for p in (cache / "shiwanqian").iterdir() if p.is_file()]
        snapshot = sum(p.stat().st_size for p in files if p.name.startswith(("snapshot-", "slices-")))
        allocations = sum(p.stat().st_size for p in files if p.name.startswith("allocation-"))
        if per_region is None and regions >= 1000:
            per_region = seconds / regions
        per = f"{seconds / regions / per_region:.2f}×" if per_region else ""
        print(
            f"| {regions:,} | {size:,} | {seconds:.2f} | {per} | {quota:.3f} | {Ratio(samples['big'], samples['base'])}"
            f"（11 区域 {base:.3f} 秒） | "
            f"{snapshot / size:.2f}× | {allocations / size:.2f}× | {memory / size:.1f}× |"
        )
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(base_cache, ignore_errors=True)
    print(
        "\n目标：check 随区域数线性增长（每区域时间 ≈ 1000 区域时的 1×）；一个区域的热缓存 quota ≤ 11 区域时的 1.5×；"
        "缓存（快照与取整结果合计）≤ 数据的 3×。数据文件超过 5 MB 的规模不能载入（见 docs/reliability.md）。"
    )


def commands(runs: int, env: dict, bare: float) -> None:
    """The other commands on the shipped data against the bare Typer command."""
    with tempfile.TemporaryDirectory() as out:
        exe = [PY, "-m", "shiwanqian"]
        argvs = {
            "Typer 单选项空命令": [PY, str(HERE / "bare_typer.py"), "--name", "x"],
            "timeline": [*exe, "timeline"],
            "timeline --tasks": [*exe, "timeline", "--tasks"],
            "budget": [*exe, "budget"],
            "export xlsx": [*exe, "export", "xlsx", "--out", str(Path(out) / "a.xlsx")],
            "export ics": [*exe, "export", "ics", "--out", str(Path(out) / "a.ics")],
        }
        probe = subprocess.run([*exe, "progress", "--help"], capture_output=True, env=env)
        if probe.returncode == 0:
            argvs["progress"] = [*exe, "progress"]
        samples = measure(argvs, runs, env)
    bare_samples = samples.pop("Typer 单选项空命令")
    print(f"\n### 其他命令（原始数据，热缓存；{runs} 轮交替测量，比值为逐轮之比的中位数，括号内为最小–最大）\n")
    print("| 命令 | 毫秒（中位数） | ÷ Typer 空命令 |\n|---|---:|---:|")
    for name, s in samples.items():
        print(f"| `shiwanqian {name}` | {median(s) * 1000:.0f} | {Ratio(s, bare_samples)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="quick run for CI: proves the script works")
    parser.add_argument(
        "--only",
        choices=["startup", "validators", "scaling", "allocation", "regions", "commands"],
        action="append",
        help="run only these sections (repeatable)",
    )
    parser.add_argument("--regions", type=int, nargs="+", help="region counts for the national-scale section")
    parser.add_argument("--runs", type=int, help="repetitions per figure (default 15; 3 with --smoke)")
    add_busy_option(parser)
    args = parser.parse_args()
    runs = args.runs or (3 if args.smoke else 15)
    wanted = set(args.only or ["startup", "validators", "scaling", "allocation", "regions", "commands"])
    started = time.monotonic()
    print(f"## 基准（{time.strftime('%Y-%m-%d %H:%M')}，Python {sys.version.split()[0]}）\n")
    print(f"开始时：{conditions(args.busy)}。")
    with Busy(args.busy), tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as tmp:
        sections(args, wanted, runs, cache, tmp)
        print(f"\n结束时：{conditions(args.busy)}；共 {time.monotonic() - started:.0f} 秒。")


def sections(args: argparse.Namespace, wanted: set[str], runs: int, cache: str, tmp: str) -> None:
    env = {**installed_env(Path(tmp)), "SHIWANQIAN_CACHE": cache}
    times = startup(runs, env) if wanted & {"startup", "validators", "scaling"} else {}
    if "validators" in wanted:
        validators(runs, env, times["shiwanqian check"])
    if "scaling" in wanted:
        scaling(
            [2] if args.smoke else [10, 100],
            2 if args.smoke else 5,
            env,
            times["shiwanqian check"],
            times["python -c pass"],
        )
    if "allocation" in wanted:
        allocation([20, 100] if args.smoke else [100, 1000, 5000], 1 if args.smoke else min(runs, 7), Path(tmp), env)
    if "regions" in wanted:
        regions_scaling(
            args.regions or ([200] if args.smoke else [1000, 10_000, 100_000]),
            1 if args.smoke else min(runs, 5),
            env,
            Path(tmp),
        )
    if "commands" in wanted:
        commands(2 if args.smoke else min(runs, 7), env, 0.0)


if __name__ == "__main__":
    main()
