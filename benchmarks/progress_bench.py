"""Benchmark of `shiwanqian progress` over the 100× synthetic data with a year of progress for
every region (never asserted in tests).

    python benchmarks/progress_bench.py            # scale 100, 7 rounds
    python benchmarks/progress_bench.py --scale 10 --runs 3

Steps: make the synthetic data folder (benchmarks/make_synthetic.py); write one progress
report per region for the first year of the period, covering every quota table, 学段 and task
that falls on the region; then time, interleaved and as medians of warm runs (the query
snapshot already cached, as in daily use):

* `progress --format json` (the whole city: every region, table, 学段 and the ranking),
* `progress --district <first region>` (the table view),
* `check --progress` (validates every report against the data),

against `quota --district <first region> --format json` on the same data, the existing query
that reads the same snapshot, as the baseline ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import medians  # noqa: E402

EXE = str(Path(sys.executable).with_name("shiwanqian"))


def write_progress(data: Path, folder: Path) -> tuple[int, int]:
    """One report per region for the first year; returns (reports, figures)."""
    import yaml

    from shiwanqian.storage.snapshot import load_snapshot

    snapshot = load_snapshot(data)
    basis = snapshot["progress"]
    year = basis["period"][0]
    folder.mkdir(parents=True, exist_ok=True)
    figures = 0
    for index, region in enumerate(basis["regions"]):
        quotas, tasks = [], []
        for table in basis["tables"]:
            owed = table["quota"].get(region)
            if owed is None or not table["period"][0] <= year <= table["period"][1]:
                continue
            for level in owed:
                target = table["yearly"].get(region, {}).get(level, {}).get(str(year), [0])[0] or 0
                entry = {"quota": table["id"], "region": region, "year": year, "achieved": max(0, target - (index % 3))}
                if level:
                    entry["level"] = level
                quotas.append(entry)
        for task in basis["tasks"]:
            if year in task["years"] and region in task["applies"]:
                tasks.append(
                    {
                        "plan": task["plan"],
                        "item": task["item"],
                        "year": year,
                        "region": region,
                        "status": ("完成", "部分完成", "未开展")[index % 3],
                    }
                )
        figures += len(quotas) + len(tasks)
        report = {
            "id": f"bench-{index}",
            "reporter": region,
            "as_of": f"{year}-12-31",
            "evidence": "synthetic benchmark (fictional)",
            "quotas": quotas,
            "tasks": tasks,
        }
        text = yaml.safe_dump(report, allow_unicode=True, sort_keys=False)
        text = text.replace(f"as_of: '{year}-12-31'", f"as_of: {year}-12-31")
        (folder / f"bench-{index:03d}.yaml").write_text(text, encoding="utf-8")
    return len(basis["regions"]), figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data, progress = root / "data", root / "progress"
        env = {**os.environ, "SHIWANQIAN_CACHE": str(root / "cache")}
        os.environ["SHIWANQIAN_CACHE"] = env["SHIWANQIAN_CACHE"]
        subprocess.run(
            [sys.executable, str(HERE / "make_synthetic.py"), "--scale", str(args.scale), "--out", str(data)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # Since quote checks confirm the programme's stated counts, the scaled plan counts of the
        # synthetic copy no longer match their quotations; they are not what is measured here.
        programme = data / "programme.yaml"
        programme.write_text(
            re.sub(r"  - what: plans(:\S+)?\n(    .*\n){3}", "", programme.read_text(encoding="utf-8")),
            encoding="utf-8",
        )
        reports, figures = write_progress(data, progress)
        size = sum(p.stat().st_size for p in progress.iterdir())
        first = json.loads(
            subprocess.run(
                [EXE, "progress", "--data", str(data), "--progress", str(progress), "--format", "json"],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            ).stdout
        )
        region = first["quotas"][0]["region"]
        commands = {
            "quota --district (baseline)": [
                EXE,
                "quota",
                "--data",
                str(data),
                "--district",
                region,
                "--format",
                "json",
            ],
            "progress --format json": [
                EXE,
                "progress",
                "--data",
                str(data),
                "--progress",
                str(progress),
                "--format",
                "json",
            ],
            f"progress --district {region}": [
                EXE,
                "progress",
                "--data",
                str(data),
                "--progress",
                str(progress),
                "--district",
                region,
            ],
            "check --progress": [EXE, "check", "--data", str(data), "--progress", str(progress)],
        }
        results = medians(commands, args.runs, env)
        base = results["quota --district (baseline)"][0]
        print(
            f"{args.scale}× synthetic data; {reports} progress reports, {figures:,} figures ({size:,} bytes); "
            f"{len(first['quotas']):,} quota records, {len(first['tasks']):,} task records in the JSON answer"
        )
        for name, (seconds, memory) in results.items():
            print(
                f"  {name:<32} {seconds * 1000:8.0f} ms  {seconds / base:5.2f}× baseline  peak {memory / 2**20:6.0f} MB"
            )


if __name__ == "__main__":
    main()
