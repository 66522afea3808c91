"""`check` of a parent programme with its children (issue 18), as a ratio to `check` of the
parent alone: whole processes, min / median / max of N runs each, interleaved.

    python benchmarks/children_bench.py [--children 100] [--units 20] [--runs 7] [--smoke]

The parent is ``make_synthetic.py --regions C`` (the shipped data and C − 11 made-up regions with
a table of their own, split by 学段 with yearly shares). Each of its C regions gets a child
programme with U units that refines every parent table giving that region a figure: the split
is the one ``allocate`` proposes (``domain.refine.split``: random weights by unit and 学段,
the parent's figures as fixed margins), a part the parent gives no year put into its last year,
and every number quoted from the child's own source.txt, so each child passes ``check``.

Measured: ``check --data PARENT`` and ``check --data PARENT --child CHILDREN`` (the parent's own
check, then every child's, each held to the parent's figures read once from its snapshot), the
snapshot cache warm (the first run builds it); a single child's ``check`` for scale.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from bench import PY, Busy, add_busy_option, conditions, installed_env, run  # noqa: E402


def q(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def child_files(snapshot, region: str, index: int, units: list[str], rnd: random.Random) -> dict[str, str]:
    """The files of one child of ``region`` (relative path → text)."""
    from shiwanqian.domain.refine.parent import parent_view
    from shiwanqian.domain.refine.split import propose
    from shiwanqian.load.model import QuotaTable
    from shiwanqian.load.parent import Weights

    view = parent_view(snapshot, region, "../../parent")
    levels = list(view.levels)
    weights = Weights(
        basis="合成权重",
        source="合成数据",
        values={u: {lv: rnd.randint(1, 300) for lv in levels} for u in units},
    )
    summaries = {t["quota"]: t for t in snapshot["tables"]}
    plans = sorted({summaries[t]["plan"] for t in view.tables})
    files: dict[str, str] = {}
    quotes: list[str] = []
    for table_id, margins in view.tables.items():
        summary = summaries[table_id]
        table = QuotaTable.model_validate(
            {
                "id": table_id,
                "title": summary["title"],
                "plan": summary["plan"],
                "unit": summary["unit"],
                "by_level": summary["by_level"],
                "source": "合成",
                "refines": {"table": table_id},
            }
        )
        split = propose(table, margins, units, levels, weights, region)
        text, said = _table_yaml(table, split, view.period)
        files[f"quotas/{table_id}.yaml"] = text
        quotes += said
    files["programme.yaml"] = (
        f"id: child-{index}\ntitle: 合成下级工程{index}\nissuer: 合成\ndocument: 合成{index}号\n"
        f"period: {{start: {view.period[0]}, end: {view.period[1]}}}\nsource_text: source.txt\n"
        f"levels: {q(levels)}\nparent: {{data: ../../parent, region: {q(region)}}}\n"
        "vocabulary:\n  area: 全县\n  region_kinds: [乡镇]\n  scopes: [{name: 全县}, {name: 各乡镇, every: true}]\n"
        "  unit_levels: [{name: 县}, {name: 乡镇, every: true}]\n"
    )
    files["regions.yaml"] = "regions:\n" + "".join(f"  - {{name: {q(u)}, kind: 乡镇, source: 合成}}\n" for u in units)
    files["units.yaml"] = "units:\n  - {name: 合成教育局, level: 县}\n"
    for i, plan in enumerate(plans, 1):
        files[f"plans/{i:02d}.yaml"] = f"id: {q(plan)}\norder: {i}\nkind: 支持计划\ntitle: 合成计划{i}\nsource: 合成\n"
    files["source.txt"] = "合成下级工程的原文\n" + "\n".join(quotes) + "\n"
    return files


def _table_yaml(table, split, period: tuple[int, int]) -> tuple[str, list[str]]:
    """The table with the split's rows and schedule; the part without a year goes to the last year."""
    unit = table.unit or ""
    lines = [
        f"id: {q(table.id)}\ntitle: {q(table.title)}\nplan: {q(table.plan)}\nsource: 合成\n",
        *([f"unit: {q(table.unit)}\n"] if table.unit else []),
        *(["by_level: true\n"] if table.by_level else []),
        f"refines: {{table: {q(table.id)}}}\nrows:\n",
    ]
    quotes: list[str] = []
    for name in split.regions:
        cells = [(lv.child, split.total(name, lv)) for lv in split.levels if split.total(name, lv)]
        if not cells:
            continue
        total = sum(v for _, v in cells)
        if table.by_level:
            text = f"{name}：" + "、".join(f"{lv}{v}{unit}" for lv, v in cells) + f"。合计{total}{unit}。"
            lines.append(
                f"  - {{region: {q(name)}, values: {q(dict(cells))}, total: {total}, text: {q(text)}, source: 合成}}\n"
            )
        else:
            text = f"{name}{total}{unit}"
            lines.append(f"  - {{region: {q(name)}, value: {total}, text: {q(text)}, source: 合成}}\n")
        quotes.append(text)
    years = split.years or []
    start, end = period
    # The part of a 学段 the parent gives no year goes to the last year the parent leaves free.
    spare = {
        lv.parent: max(y for y in range(start, end + 1) if (lv.parent, y) not in split.margins.yearly)
        for lv in split.levels
        if split.unscheduled(lv)
    }
    if years:
        years = sorted({*years, *spare.values()})
        lines.append("schedule:\n")
        for year in years:
            groups = []
            for level in split.levels:
                values = {r: split.value(r, level, year) for r in split.regions}
                if spare.get(level.parent) == year:
                    values = {r: v + split.value(r, level, None) for r, v in values.items()}
                values = {r: v for r, v in values.items() if v}
                if not values:
                    continue
                text = f"{year}年{level.child or ''}" + "、".join(f"{r}{v}{unit}" for r, v in values.items())
                head = f"level: {q(level.child)}, " if level.child is not None else ""
                groups.append(f"      - {{{head}regions: {q(values)}, text: {q(text)}}}\n")
                quotes.append(text)
            if groups:
                lines.append(f"  - year: {year}\n    source: 合成\n    groups:\n" + "".join(groups))
    return "".join(lines), quotes


def make(tmp: Path, children: int, units: int, seed: int) -> tuple[Path, Path]:
    from shiwanqian.storage.snapshot import load_snapshot

    parent = tmp / "parent"
    subprocess.run([PY, str(HERE / "make_synthetic.py"), "--regions", str(children), "--out", str(parent)], check=True)
    snapshot = load_snapshot(parent)
    rnd = random.Random(seed)
    names = unit_names(units)
    folder = tmp / "children"
    for index, region in enumerate((r["name"] for r in snapshot["regions"]), 1):
        for relative, text in child_files(snapshot, region, index, names, rnd).items():
            path = folder / f"c{index:03d}" / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return parent, folder


NAME_CHARS = "青石河桥松柳梅竹兰菊桃李杏枫杉槐桂荷莲苇"


def unit_names(count: int) -> list[str]:
    """Town names without digits (a number right after a name would read as part of it)."""
    names = [f"{a}镇" for a in NAME_CHARS] + [f"{a}{b}乡" for a in NAME_CHARS for b in NAME_CHARS if a != b]
    return names[:count]


def spread(samples: list[float]) -> str:
    return f"{min(samples):.2f} / {statistics.median(samples):.2f} / {max(samples):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=100)
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--smoke", action="store_true", help="quick run for CI: 12 children of 3 units, 1 run")
    parser.add_argument("--keep", type=Path, help="make the parent and children in this folder and stop")
    add_busy_option(parser)
    args = parser.parse_args()
    if args.smoke:
        args.children, args.units, args.runs = 12, 3, 1
    if args.keep is not None:
        make(args.keep, args.children, args.units, args.seed)
        return
    print(f"开始时：{conditions(args.busy)}。")
    with Busy(args.busy), tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as tmp:
        env = {**installed_env(Path(tmp)), "SHIWANQIAN_CACHE": cache}
        os.environ["SHIWANQIAN_CACHE"] = cache  # the in-process snapshot used to make the children
        parent, children = make(Path(tmp), args.children, args.units, args.seed)
        exe = [PY, "-m", "shiwanqian", "check", "--quiet", "--data", str(parent)]
        first = sorted(children.iterdir())[0]
        commands = {
            "parent": exe,
            "family": [*exe, "--child", str(children)],
            "one child": [PY, "-m", "shiwanqian", "check", "--quiet", "--data", str(first)],
        }
        for name, argv in commands.items():  # warm the file and snapshot caches; every check passes
            result = subprocess.run(argv, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise SystemExit(f"{name}: check failed\n{result.stdout[:2000]}")
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                samples[name].append(run(argv, env)[0])
        size = sum(p.stat().st_size for p in children.rglob("*.yaml"))
        parent_size = sum(p.stat().st_size for p in parent.rglob("*.yaml") if "schemas" not in p.parts)
        ended = conditions(args.busy)
    parent_median = statistics.median(samples["parent"])
    family_median = statistics.median(samples["family"])
    print(
        f"上级：{args.children} 个区域，YAML {parent_size:,} 字节；{args.children} 个下级 × {args.units} 个单位，"
        f"YAML 共 {size:,} 字节（{size / parent_size:.1f} 倍）"
    )
    print(f"| 项目 | min / median / max（{args.runs} 次） |\n|---|---|")
    print(f"| `check --data 上级` | {spread(samples['parent'])} |")
    print(f"| `check --data 上级 --child 下级目录`（{args.children} 个下级） | {spread(samples['family'])} |")
    print(f"| `check --data 一个下级`（读上级的快照） | {spread(samples['one child'])} |")
    print(
        f"比值（中位数）：{family_median / parent_median:.2f}×；"
        f"每个下级约 {(family_median - parent_median) / args.children * 1000:.0f} ms"
    )
    print(f"结束时：{ended}。")


if __name__ == "__main__":
    main()
