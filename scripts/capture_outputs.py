"""Run every command on the shipped data, the frozen 0.1.0 copy, the example programme and the
example county programme (a child of the shipped data), and write what each printed (stdout,
stderr, exit code) and every file it wrote into one folder.

Two such folders compared with ``diff -r`` show whether a change altered any output: a
refactoring must leave them byte-identical.

    python scripts/capture_outputs.py OUT_DIR [--python .venv/bin/python]

``CAPTURE_REPO`` names another checkout to capture (its data folders and examples).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The checkout whose data folders are used (``compare_outputs.py`` points it at another one).
REPO = Path(os.environ.get("CAPTURE_REPO") or Path(__file__).resolve().parents[1])
SETS = {
    "shipped": (REPO / "data", "攸县", "市教师培训中心", REPO / "examples" / "progress", "lessons", "2017"),
    "compat": (REPO / "tests" / "compat" / "data-0.1.0", "攸县", "市教师培训中心", None, "lessons", "2017"),
    "example": (REPO / "examples" / "sample-city-2021-2025", "松岭县", "市教师发展中心", None, "model-lessons", "2022"),
    "county": (
        REPO / "examples" / "county-youxian" / "data",
        "甲镇",
        "县教师进修学校",
        REPO / "examples" / "county-youxian" / "progress",
        "lessons",
        "2017",
    ),
}
FORMATS = ("table", "json", "csv", "markdown")


def commands(region: str, unit: str, progress: Path | None, table: str, year: str) -> list[tuple[str, list[str]]]:
    """(name, argv) of every command and the forms people use."""
    out: list[tuple[str, list[str]]] = []
    for fmt in FORMATS:
        f = ["--format", fmt]
        out += [
            (f"quota-d-{fmt}", ["quota", "--district", region, *f]),
            (f"quota-all-{fmt}", ["quota", "--all", *f]),
            (f"quota-year-{fmt}", ["quota", "--district", region, "--year", year, *f]),
            (f"schedule-{fmt}", ["schedule", *f]),
            (f"schedule-d-{fmt}", ["schedule", "--district", region, *f]),
            (f"schedule-u-{fmt}", ["schedule", "--unit", unit, *f]),
            (f"schedule-period-{fmt}", ["schedule", "--period", f"{year}H2", *f]),
            (f"agenda-{fmt}", ["agenda", "--as-of", "2017-03-15", "--within", "120", *f]),
            (f"agenda-d-{fmt}", ["agenda", "--as-of", "2022-03-15", "--district", region, *f]),
            (f"plans-{fmt}", ["plans", *f]),
            (f"allocate-{fmt}", ["allocate", table, *f]),
            (f"allocate-lr-{fmt}", ["allocate", table, "--method", "largest-remainder", *f]),
            (f"allocate-d-{fmt}", ["allocate", table, "--district", region, *f]),
            (f"budget-{fmt}", ["budget", *f]),
            (f"budget-d-{fmt}", ["budget", "--district", region, *f]),
        ]
        if progress is not None:
            p = ["--progress", str(progress)]
            out += [
                (f"progress-{fmt}", ["progress", *p, *f]),
                (f"progress-d-{fmt}", ["progress", "--district", region, *p, *f]),
                (f"progress-asof-{fmt}", ["progress", "--as-of", "2017-06-30", *p, *f]),
            ]
    out += [
        ("allocate-explain", ["allocate", table, "--district", region, "--explain"]),
        ("timeline", ["timeline"]),
        ("timeline-tasks", ["timeline", "--tasks", "--district", region]),
        ("timeline-svg", ["timeline", "--out", "{out}/timeline.svg"]),
        ("timeline-html", ["timeline", "--tasks", "--out", "{out}/timeline.html"]),
        ("export-xlsx", ["export", "xlsx", "--out", "{out}/all.xlsx"]),
        ("export-ics", ["export", "ics", "--out", "{out}/all.ics"]),
        (
            "export-template",
            ["export", "template", "--district", region, "--year", year, "--out", "{out}/template.xlsx"],
        ),
        ("check-text", ["check"]),
        ("check-verbose", ["check", "--verbose"]),
        ("check-json", ["check", "--format", "json"]),
        ("check-github", ["check", "--format", "github"]),
        ("check-strict", ["check", "--strict"]),
        ("usage-error", ["quota", "--district", "不存在的县"]),
    ]
    if progress is not None:
        out += [
            ("progress-html", ["progress", "--progress", str(progress), "--out", "{out}/report.html"]),
            ("progress-fail", ["progress", "--progress", str(progress), "--fail-under", "90"]),
            ("check-progress", ["check", "--progress", str(progress)]),
        ]
    return out


def anonymous(text: str, work: Path) -> str:
    """The text with the repository's place (absolute, or relative to the working folder, as
    messages write paths) replaced: captures of two checkouts compare equal."""
    return text.replace(os.path.relpath(REPO, work), "<repo>").replace(str(REPO), "<repo>")


def digest_tree(folder: Path) -> str:
    lines = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            lines.append(f"{path.relative_to(folder)} {hashlib.sha256(path.read_bytes()).hexdigest()}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--python", default=str(REPO / ".venv" / "bin" / "python"))
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "HOME": home,
            "XDG_CACHE_HOME": f"{home}/cache",
            "COLUMNS": "100",
            "NO_COLOR": "1",
            "SHIWANQIAN_DATA": "",
            "TZ": "UTC",
        }
        env.pop("SHIWANQIAN_DATA")
        work = Path(home) / "work"  # an empty working folder: no ./data or ./progress is picked up
        work.mkdir()
        for name, (data, region, unit, progress, table, year) in SETS.items():
            if not data.is_dir():  # an older checkout, from before this data set
                continue
            target = args.out / name
            target.mkdir()
            for label, argv in commands(region, unit, progress, table, year):
                files = target / f"{label}.files"
                files.mkdir()
                argv = [a.replace("{out}", str(files)) for a in argv]
                run = subprocess.run(
                    [args.python, "-m", "shiwanqian", *argv, "--data", str(data)],
                    capture_output=True,
                    cwd=work,
                    env=env,
                )
                text = anonymous(run.stdout.decode("utf-8", "replace"), work)
                text = text.replace(str(files), "<out>")
                err = anonymous(run.stderr.decode("utf-8", "replace"), work)
                err = err.replace(str(files), "<out>")
                (target / f"{label}.out").write_text(f"exit {run.returncode}\n{text}", encoding="utf-8")
                (target / f"{label}.err").write_text(err, encoding="utf-8")
                if any(files.iterdir()):
                    (target / f"{label}.digest").write_text(digest_tree(files), encoding="utf-8")
                shutil.rmtree(files)
        # draft and init: every file they write
        extra = {
            "draft-shipped": ["draft", str(REPO / "data" / "source.txt"), "--out", "{out}"],
            "draft-example": ["draft", str(SETS["example"][0] / "source.txt"), "--out", "{out}"],
            "init": [
                "init",
                "{out}",
                "--title",
                "关于实施示例工程的意见",
                "--issuer",
                "示例市教育局",
                "--document",
                "示教发〔2021〕1号",
                "--start",
                "2021",
                "--end",
                "2025",
                "--region",
                "甲县、乙区",
                "--level",
                "小学、初中",
            ],
        }
        for label, argv in extra.items():
            folder = Path(home) / label / "目录"
            folder.parent.mkdir()
            argv = [a.replace("{out}", str(folder)) for a in argv]
            run = subprocess.run([args.python, "-m", "shiwanqian", *argv], capture_output=True, cwd=work, env=env)
            text = (run.stdout + run.stderr).decode("utf-8", "replace").replace(str(folder), "<out>")
            (args.out / f"{label}.out").write_text(f"exit {run.returncode}\n{text}", encoding="utf-8")
            if folder.exists():
                (args.out / f"{label}.digest").write_text(digest_tree(folder), encoding="utf-8")
    print(f"{sum(1 for _ in args.out.rglob('*.out'))} outputs in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
