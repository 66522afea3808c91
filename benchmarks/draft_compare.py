"""How much of the hand-made data `shiwanqian draft` reproduces from the document alone.

For each programme (the shipped data and the example programme, when present) this runs
`shiwanqian draft SOURCE --out TMP` as a user would, then compares the draft with the
hand-made data folder:

* tasks (kind 工作安排, matched by annex and item number): reproduced exactly when name,
  when, years, units and requirement are all equal; a field that differs is a differing value;
* quota cells (every row's value per 学段 or single value, every row's stated total, each
  table's stated total, every yearly share; matched by annex, region, 学段 and year):
  reproduced, differing, or not drafted;
* yearly schedule records (each region's number per year and 学段, city-wide figures, each
  group's stated subtotal and each year's stated total; matched by annex, year, 学段 and region):
  reproduced, differing, or left for review (not drafted);
* other targets (``targets`` with a number): a hand-made one is reproduced when a drafted target
  whose quotation overlaps its own (same part of the document, overlapping place in source.txt)
  has the same value, bounds, qualifier, unit, year and scope; a drafted target that overlaps
  hand-made ones but equals none of them is a differing value; one that overlaps none is an extra
  (listed);
* proposals (targets marked ``review: proposed``, never counted as drafted values): matched one to
  one with the hand-made targets their quotations overlap (equal ones first, then the closest); a
  matched proposal equal to its hand-made target is accepted unchanged, one that is not must be
  changed by a person, an unmatched one dropped; a hand-made target is covered when it is
  reproduced or matched (``--verbose`` lists every change and drop; the uncovered are always
  listed). tests/test_review_recall.py makes exactly these decisions with ``shiwanqian review``;
* counts the document states (programme.yaml ``counts``), matched by what they count;
* items left for review (待核.md), and the clauses with a number but no written scope or year
  listed in its last section.

"Differing" counts values the draft wrote that the hand-made data states otherwise: it must
be 0 (the drafter leaves out what it cannot decide rather than guess). Measured, never asserted:
    python benchmarks/draft_compare.py [--verbose]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PROGRAMMES = [
    ("株教发〔2016〕4号（data/）", ROOT / "data"),
    ("示例：sample-city 2021–2025", ROOT / "examples" / "sample-city-2021-2025"),
]
TASK_FIELDS = ("name", "when", "years", "units", "requirement")


def _load(folder: Path) -> tuple[dict, dict]:
    """Plans by id and quota tables by id, read as plain YAML."""
    plans = {}
    for path in sorted((folder / "plans").glob("*.yaml")):
        plan = yaml.safe_load(path.read_text(encoding="utf-8"))
        plans[plan["id"]] = plan
    quotas = {}
    for path in sorted((folder / "quotas").glob("*.yaml")):
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        quotas[table["id"]] = table
    return plans, quotas


def _counts(folder: Path) -> dict[str, int]:
    programme = yaml.safe_load((folder / "programme.yaml").read_text(encoding="utf-8"))
    return {c["what"]: c["value"] for c in programme.get("counts", [])}


def _tasks(plans: dict) -> dict[tuple[str, str], dict]:
    result = {}
    for plan in plans.values():
        part = plan.get("annex") or "正文"
        for task in plan.get("tasks", []):
            if task.get("kind", "工作安排") == "工作安排":
                result[part, str(task["item"])] = task
    return result


def _task_value(task: dict, field: str):
    return task["timing"]["years"] if field == "years" else task[field]


def _show(task: dict, field: str) -> str:
    if field.startswith("timing."):
        return repr(task["timing"].get(field.removeprefix("timing.")))
    return repr(_task_value(task, field))


def _cells(plans: dict, quotas: dict) -> dict[tuple, object]:
    """Every quota cell, keyed by (annex, kind, region or year, 学段)."""
    annex = {pid: plan.get("annex") or "正文" for pid, plan in plans.items()}
    cells: dict[tuple, object] = {}
    for table in quotas.values():
        part = annex.get(table["plan"], table["plan"])
        for row in table.get("rows", []):
            for level, value in (row.get("values") or {}).items():
                cells[part, "名额", row["region"], level] = value
            if row.get("value") is not None:
                cells[part, "名额", row["region"], None] = row["value"]
            if row.get("total") is not None:
                cells[part, "合计", row["region"], None] = row["total"]
        if table.get("rows") and table.get("total"):
            cells[part, "总数", table.get("unit"), None] = table["total"]["value"]
        for year, share in ((table.get("shares") or {}).get("values") or {}).items():
            cells[part, "年度比例", int(year), None] = share
    return cells


def _schedule(plans: dict, quotas: dict) -> dict[tuple, object]:
    """Every yearly schedule record, keyed by (annex, year, 学段, region / 全市 / 小计 / 年度合计)."""
    annex = {pid: plan.get("annex") or "正文" for pid, plan in plans.items()}
    records: dict[tuple, object] = {}
    for table in quotas.values():
        part = annex.get(table["plan"], table["plan"])
        for year in table.get("schedule", []):
            if year.get("total") is not None:
                records[part, year["year"], None, "年度合计"] = year["total"]
            for group in year["groups"]:
                level = group.get("level")
                for region, value in (group.get("regions") or {}).items():
                    records[part, year["year"], level, region] = value
                if group.get("total") is not None:
                    records[part, year["year"], level, "小计" if group.get("regions") else "全市"] = group["total"]
    return records


TARGET_FIELDS = ("value", "min", "max", "qualifier", "unit", "year", "scope")


def _targets(quotas: dict) -> list[dict]:
    """Every target that states a number (value or bounds)."""
    return [
        t
        for table in quotas.values()
        for t in table.get("targets", [])
        if t.get("value") is not None or t.get("min") is not None or t.get("max") is not None
    ]


def _places(text: str, source: str) -> list[tuple[int, int]]:
    places, at = [], source.find(text)
    while at >= 0 and text:
        places.append((at, at + len(text)))
        at = source.find(text, at + 1)
    return places


def _overlap(a: dict, b: dict, source: str) -> bool:
    if a["source"].split()[0] != b["source"].split()[0]:
        return False
    return any(
        s1 < e2 and s2 < e1
        for s1, e1 in _places(a["text"].strip(), source)
        for s2, e2 in _places(b["text"].strip(), source)
    )


def target_key(target: dict) -> tuple:
    return tuple(target.get(f) for f in TARGET_FIELDS)


def match_targets(hand: list[dict], drafted: list[dict], source: str) -> list[tuple[int, int]]:
    """(hand index, drafted index) pairs, each target in at most one pair: a drafted target and a
    hand-made one whose quotations overlap, equal ones first, then the closest (most equal fields)."""
    pairs: list[tuple[int, int]] = []
    near = {i: [j for j, d in enumerate(drafted) if _overlap(h, d, source)] for i, h in enumerate(hand)}
    used: set[int] = set()
    for i, h in enumerate(hand):
        j = next((j for j in near[i] if j not in used and target_key(drafted[j]) == target_key(h)), None)
        if j is not None:
            pairs.append((i, j))
            used.add(j)
    done = {i for i, _ in pairs}
    for i, h in enumerate(hand):
        free = [j for j in near[i] if j not in used]
        if i in done or not free:
            continue
        j = max(free, key=lambda j: sum(a == b for a, b in zip(target_key(drafted[j]), target_key(h), strict=True)))
        pairs.append((i, j))
        used.add(j)
    return sorted(pairs)


def compare_targets(hand: list[dict], drafted: list[dict], source: str) -> dict:
    """Drafted targets (the document's word) and proposals (``review: proposed``) against the
    hand-made ones: reproduced, differing (a drafted value that overlaps hand-made ones but equals
    none of them: must be 0), extra; and for the proposals, which a person accepts unchanged,
    changes, or drops (no hand-made counterpart). Covered: a hand-made target reproduced by a
    drafted one or matched by a proposal."""
    proven = [d for d in drafted if d.get("review") != "proposed"]
    proposed = [d for d in drafted if d.get("review") == "proposed"]
    reproduced = [h for h in hand if any(target_key(d) == target_key(h) and _overlap(h, d, source) for d in proven)]
    differing, extra = [], []
    for d in proven:
        near = [h for h in hand if _overlap(h, d, source)]
        if not near:
            extra.append(d)
        elif not any(target_key(h) == target_key(d) for h in near):
            differing.append(f"指标 {d['source']}“{d['text']}”: {target_key(d)!r} ≠ {target_key(near[0])!r}")
    open_hand = [h for h in hand if h not in reproduced]
    pairs = match_targets(open_hand, proposed, source)
    accepted = [(open_hand[i], proposed[j]) for i, j in pairs if target_key(open_hand[i]) == target_key(proposed[j])]
    changed = [(open_hand[i], proposed[j]) for i, j in pairs if target_key(open_hand[i]) != target_key(proposed[j])]
    matched = {j for _, j in pairs}
    covered = {id(h) for h in reproduced} | {id(open_hand[i]) for i, _ in pairs}
    return {
        "targets": len(hand),
        "targets_same": len(reproduced),
        "targets_differing": differing,
        "targets_extra": extra,
        "targets_drafted": len(proven),
        "targets_missing": [h for h in hand if h not in reproduced],
        "proposals": len(proposed),
        "proposals_accepted": accepted,
        "proposals_changed": changed,
        "proposals_dropped": [d for j, d in enumerate(proposed) if j not in matched],
        "targets_covered": len(covered),
        "targets_uncovered": [h for h in hand if id(h) not in covered],
    }


def compare(name: str, folder: Path) -> dict:
    source = folder / "source.txt"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "草稿"
        run = subprocess.run(
            [sys.executable, "-m", "shiwanqian", "draft", str(source), "--out", str(out)],
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        if not out.is_dir():
            raise SystemExit(f"draft failed on {source}:\n{run.stdout}{run.stderr}")
        check = subprocess.run(
            [sys.executable, "-m", "shiwanqian", "check", "--data", str(out)],
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        listed = (out / "待核.md").read_text(encoding="utf-8").split("\n## ", 1)  # items, then the section
        review, unscoped = (sum(line.startswith("- 第 ") for line in part.splitlines()) for part in (listed + [""])[:2])
        recorded = out / "disagreements.yaml"
        disagreements = (
            len(yaml.safe_load(recorded.read_text(encoding="utf-8"))["disagreements"]) if recorded.is_file() else 0
        )
        drafted_plans, drafted_quotas = _load(out)
        drafted_counts = _counts(out)
    hand_plans, hand_quotas = _load(folder)
    hand_tasks, drafted_tasks = _tasks(hand_plans), _tasks(drafted_plans)
    exact = differing_tasks = timing_fields = timing_same = 0
    differing_values: list[str] = []
    for key, task in hand_tasks.items():
        mine = drafted_tasks.get(key)
        if mine is None:
            continue
        diffs = [f for f in TASK_FIELDS if _task_value(task, f) != _task_value(mine, f)]
        # Structured timing: every field the draft wrote must be what the hand-made data says.
        timing_fields += len([f for f in task["timing"] if f not in ("years", "note")])
        for field, value in mine["timing"].items():
            if field != "years" and task["timing"].get(field) != value:
                diffs.append(f"timing.{field}")
            elif field != "years":
                timing_same += 1
        if diffs:
            differing_tasks += 1
            differing_values += [f"{key[0]} {key[1]} {f}: {_show(mine, f)} ≠ {_show(task, f)}" for f in diffs]
        else:
            exact += 1
    hand_cells, drafted_cells = _cells(hand_plans, hand_quotas), _cells(drafted_plans, drafted_quotas)
    same = sum(1 for k, v in hand_cells.items() if k in drafted_cells and drafted_cells[k] == v)
    for key, value in hand_cells.items():
        if key in drafted_cells and drafted_cells[key] != value:
            differing_values.append(f"{key}: {drafted_cells[key]!r} ≠ {value!r}")
    extra_cells = [k for k in drafted_cells if k not in hand_cells]
    hand_schedule, drafted_schedule = _schedule(hand_plans, hand_quotas), _schedule(drafted_plans, drafted_quotas)
    schedule_same = sum(1 for k, v in hand_schedule.items() if drafted_schedule.get(k, object()) == v)
    for key, value in hand_schedule.items():
        if key in drafted_schedule and drafted_schedule[key] != value:
            differing_values.append(f"年度安排 {key}: {drafted_schedule[key]!r} ≠ {value!r}")
    extra_cells += [k for k in drafted_schedule if k not in hand_schedule]
    targets = compare_targets(_targets(hand_quotas), _targets(drafted_quotas), source.read_text(encoding="utf-8"))
    differing_values += targets["targets_differing"]
    hand_counts = _counts(folder)
    counts_same = sum(1 for k, v in hand_counts.items() if drafted_counts.get(k) == v)
    differing_values += [
        f"counts {k}: {v!r} ≠ {hand_counts[k]!r}"
        for k, v in drafted_counts.items()
        if k in hand_counts and hand_counts[k] != v
    ]
    return {
        "name": name,
        "check": run.returncode == 0 and check.returncode == 0,
        "check_line": (check.stdout.strip().splitlines() or [""])[-1],
        "tasks": len(hand_tasks),
        "tasks_exact": exact,
        "tasks_drafted": len(drafted_tasks),
        "tasks_differing": differing_tasks,
        "timing_fields": timing_fields,
        "timing_same": timing_same,
        "tasks_extra": len(set(drafted_tasks) - set(hand_tasks)),
        "cells": len(hand_cells),
        "cells_same": same,
        "cells_extra": len(extra_cells),
        "schedule": len(hand_schedule),
        "schedule_same": schedule_same,
        "schedule_left": sum(1 for k in hand_schedule if k not in drafted_schedule),
        "disagreements": disagreements,
        "differing": differing_values,
        "review": review,
        "unscoped": unscoped,
        "counts": len(hand_counts),
        "counts_same": counts_same,
        **targets,
    }


def _key(target: dict) -> str:
    return "，".join(f"{f} {target[f]}" for f in TARGET_FIELDS if target.get(f) is not None)


def _pct(a: int, b: int) -> str:
    return f"{a}/{b}（{100 * a / b:.0f}%）" if b else "—"


def table(results: list[dict]) -> str:
    rows = [
        ("起草后 check 通过", lambda r: "是" if r["check"] else "否"),
        (
            "主要工作安排任务：逐项一致（事项、实施时间、年份、责任单位、工作要求）",
            lambda r: _pct(r["tasks_exact"], r["tasks"]),
        ),
        (
            "实施时间的其他结构化字段（月份、上下半年、截止月、重复、每年次数）：起草一致",
            lambda r: _pct(r["timing_same"], r["timing_fields"]),
        ),
        ("名额表数值：一致（各学段、合计、总数、年度比例）", lambda r: _pct(r["cells_same"], r["cells"])),
        ("年度安排数值：一致（各区域、全市、小计、年度合计）", lambda r: _pct(r["schedule_same"], r["schedule"])),
        ("年度安排数值：未起草（留待核定）", lambda r: str(r["schedule_left"])),
        (
            "其他指标（带数字的 targets）：一致（数值、限定词、单位、年份、范围）",
            lambda r: _pct(r["targets_same"], r["targets"]),
        ),
        ("其他指标：起草条数 / 手工数据中没有的", lambda r: f"{r['targets_drafted']} / {len(r['targets_extra'])}"),
        ("其他指标：建议（review: proposed，待人核定）条数", lambda r: str(r["proposals"])),
        (
            "其他指标：起草与建议合计覆盖手工数据（目标 ≥ 90%）",
            lambda r: _pct(r["targets_covered"], r["targets"]),
        ),
        ("建议：原样接受即与手工数据相同", lambda r: str(len(r["proposals_accepted"]))),
        ("建议：须由人修改（数值、限定词、单位、年份或范围）", lambda r: str(len(r["proposals_changed"]))),
        ("建议：手工数据中没有、须由人删除", lambda r: str(len(r["proposals_dropped"]))),
        ("起草时记下的原文矛盾（disagreements.yaml）", lambda r: str(r["disagreements"])),
        ("原文所述数量（programme.yaml 的 counts）：一致", lambda r: _pct(r["counts_same"], r["counts"])),
        ("起草值（不含建议）与手工数据不同（须为 0）", lambda r: str(len(r["differing"]))),
        ("手工数据中没有的起草任务 / 数值", lambda r: f"{r['tasks_extra']} / {r['cells_extra']}"),
        ("列入 待核.md 的事项", lambda r: str(r["review"])),
        ("待核.md 文末另列：写有数字要求、未写明范围或年份的分句", lambda r: str(r["unscoped"])),
    ]
    head = "| 指标 | " + " | ".join(r["name"] for r in results) + " |"
    lines = [head, "|" + "---|" * (len(results) + 1)]
    for label, value in rows:
        lines.append(f"| {label} | " + " | ".join(value(r) for r in results) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every proposal a person changes or drops")
    verbose = parser.parse_args().verbose
    results = []
    for name, folder in PROGRAMMES:
        if (folder / "source.txt").is_file() and (folder / "plans").is_dir():
            results.append(compare(name, folder))
        else:
            print(f"（跳过 {name}：{folder} 不存在）", file=sys.stderr)
    print(table(results))
    for result in results:
        for line in result["differing"]:
            print(f"不同：{result['name']} {line}")
        for target in result["targets_extra"]:
            print(
                f"多出的指标：{result['name']} {target['source']}“{target['text']}” {target['value']}{target['unit']}"
            )
        if verbose:
            for hand, mine in result["proposals_changed"]:
                print(f"须修改的建议：{result['name']} {mine['proposal']}“{mine['text']}” {_key(mine)} → {_key(hand)}")
            for mine in result["proposals_dropped"]:
                print(f"须删除的建议：{result['name']} {mine['proposal']}“{mine['text']}” {_key(mine)}")
        for hand in result["targets_uncovered"]:
            print(f"未覆盖的手工指标：{result['name']} {hand['source']}“{hand['text']}” {_key(hand)}")
    if any(r["differing"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
