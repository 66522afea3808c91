"""`diff data 草稿`: a draft against the hand-made data lists exactly what
benchmarks/draft_compare.py finds between them, on everything draft_compare measures.

draft_compare matches by annex, region, 学段, year and item, and targets by overlapping
quotations; diff pairs renamed plans and tables by the same marks. Each check below computes
draft_compare's own sets with its own functions and the same sets from diff's records."""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DATA, REPO, diff_records

EXAMPLE = REPO / "examples" / "sample-city-2021-2025"


def _draft_compare() -> Any:
    spec = importlib.util.spec_from_file_location("draft_compare", REPO / "benchmarks" / "draft_compare.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DC = _draft_compare()


@pytest.fixture(scope="module")
def drafted_example(tmp_path_factory):
    from typer.testing import CliRunner

    from shiwanqian.cli import app

    out = tmp_path_factory.mktemp("draft-example") / "草稿"
    result = CliRunner().invoke(app, ["draft", str(EXAMPLE / "source.txt"), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(params=["data", "example"])
def pair(request, cli, drafted, drafted_example):
    """(hand-made folder, its draft, diff's records from the first to the second)."""
    hand, draft = (DATA, drafted) if request.param == "data" else (EXAMPLE, drafted_example)
    status, records = diff_records(cli, str(hand), str(draft))
    assert status == 1
    return hand, draft, records


def _sorted(found: dict[str, set]) -> dict[str, list]:
    return {k: sorted(v, key=repr) for k, v in found.items() if v}


class Tables:
    """The plans and tables of both folders as draft_compare reads them, with diff's renames."""

    def __init__(self, hand: Path, draft: Path, records: list[dict]) -> None:
        self.hand_plans, self.hand_quotas = DC._load(hand)
        self.draft_plans, self.draft_quotas = DC._load(draft)
        plans = {**self.draft_plans, **self.hand_plans}
        self.annex = {pid: p.get("annex") or "正文" for pid, p in plans.items()}
        self.renamed = {r["old"]: r["new"] for r in records if r["kind"] == "quota" and r["field"] == "id"}

    def table(self, quota: str, side: str) -> dict:
        return self.hand_quotas[quota] if side == "old" else self.draft_quotas[self.renamed.get(quota, quota)]

    def group(self, r: dict) -> dict:
        side = "old" if r["old_file"] is not None else "new"
        year = next(y for y in self.table(r["quota"], side)["schedule"] if y["year"] == r["year"])
        return next(g for g in year["groups"] if g.get("level") == r["level"])


def _key(r: dict, tables: Tables) -> tuple[str, str, Any] | None:
    """(measure, change, draft_compare's key) of a diff record, or None: not measured there."""
    change, part, kind, field = r["change"], tables.annex.get(r["plan"], r["plan"]), r["kind"], r["field"]
    side = "old" if r["old_file"] is not None else "new"
    if kind == "cell":
        return "cells", change, (part, "名额", r["region"], r["level"])
    if kind == "row" and field in ("total", None):
        if change == "changed":
            change = "added" if r["old"] is None else ("removed" if r["new"] is None else change)
        elif (r["old"] if change == "removed" else r["new"]) is None:
            return None
        return "cells", change, (part, "合计", r["region"], None)
    if kind == "total" and field in ("value", None) and tables.table(r["quota"], side).get("rows"):
        return "cells", change, (part, "总数", tables.table(r["quota"], side).get("unit"), None)
    if kind == "share" and field in ("value", None):
        return "cells", change, (part, "年度比例", r["year"], None)
    if kind == "schedule":
        return "schedule", change, (part, r["year"], r["level"], r["region"])
    if kind == "schedule_group" and field in ("total", None):
        return "schedule", change, (part, r["year"], r["level"], "小计" if tables.group(r).get("regions") else "全市")
    if kind == "schedule_year" and field in ("total", None):
        return "schedule", change, (part, r["year"], None, "年度合计")
    if kind == "count" and field in ("value", None):
        return "counts", change, r["name"]
    return None


def test_numbers_the_same_as_draft_compare(pair):
    hand, draft, records = pair
    tables = Tables(hand, draft, records)
    seen: dict[str, set] = defaultdict(set)
    for r in records:
        found = _key(r, tables)
        if found is not None:
            seen[f"{found[0]} {found[1]}"].add(found[2])
    expected: dict[str, set] = {}
    for name, mine, theirs in (
        ("cells", DC._cells(tables.hand_plans, tables.hand_quotas), DC._cells(tables.draft_plans, tables.draft_quotas)),
        (
            "schedule",
            DC._schedule(tables.hand_plans, tables.hand_quotas),
            DC._schedule(tables.draft_plans, tables.draft_quotas),
        ),
        ("counts", DC._counts(hand), DC._counts(draft)),
    ):
        expected[f"{name} removed"] = set(mine) - set(theirs)
        expected[f"{name} added"] = set(theirs) - set(mine)
        expected[f"{name} changed"] = {k for k in mine if k in theirs and mine[k] != theirs[k]}
    assert _sorted(seen) == _sorted(expected)
    assert seen["counts removed"] or seen["counts changed"]  # the draft does differ here


def test_tasks_the_same_as_draft_compare(pair):
    hand, draft, records = pair
    tables = Tables(hand, draft, records)
    hand_tasks, draft_tasks = DC._tasks(tables.hand_plans), DC._tasks(tables.draft_plans)
    compared = (set(DC.TASK_FIELDS) - {"years"}) | {"timing.years"}
    found, left, extra = set(), set(), set()
    for r in records:
        if r["kind"] != "task":
            continue
        key = (tables.annex[r["plan"]], r["item"])
        if r["change"] == "removed" and key in hand_tasks:
            left.add(key)
        elif r["change"] == "added" and key in draft_tasks:
            extra.add(key)
        elif r["change"] == "changed" and key in hand_tasks and key in draft_tasks:
            written = {f"timing.{f}" for f in draft_tasks[key]["timing"] if f not in ("years", "note")}
            if r["field"] in compared | written:
                found.add((*key, r["field"].replace("timing.years", "years")))
    differing = set()
    for key, task in hand_tasks.items():
        mine = draft_tasks.get(key)
        if mine is not None:
            differing |= {(*key, f) for f in DC.TASK_FIELDS if DC._task_value(task, f) != DC._task_value(mine, f)}
            differing |= {
                (*key, f"timing.{f}")
                for f, v in mine["timing"].items()
                if f not in ("years", "note") and task["timing"].get(f) != v
            }
    assert found == differing
    assert left == set(hand_tasks) - set(draft_tasks) and extra == set(draft_tasks) - set(hand_tasks)
    assert len(hand_tasks) > 10


def _numeric_targets(folder: Path) -> dict[tuple[str, int], dict]:
    """(file, index) → every target that states a number, read as plain YAML as draft_compare reads it."""
    found = {}
    for path in sorted((folder / "quotas").glob("*.yaml")):
        for i, target in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")).get("targets", [])):
            if any(target.get(f) is not None for f in ("value", "min", "max")):
                found[str(path.resolve()), i] = target
    return found


def _target_starts(folder: Path) -> dict[str, list[tuple[int, int]]]:
    """file → (first line, index) of each target, to tell which target a record is about."""
    from shiwanqian.load.loader import load

    return {
        str(Path(loc.doc.file).resolve()): [(loc.position("targets", i)[0], i) for i in range(len(loc.model.targets))]
        for loc in load(folder).quotas
    }


def _which(starts: dict[str, list[tuple[int, int]]], file: str, line: int) -> tuple[str, int]:
    path = str(Path(file).resolve())
    return path, max(i for start, i in starts[path] if start <= line)


def test_targets_the_same_as_draft_compare(pair):
    hand, draft, records = pair
    source = (hand / "source.txt").read_text(encoding="utf-8")
    hand_targets, draft_targets = _numeric_targets(hand), _numeric_targets(draft)
    measured = DC.compare_targets(list(hand_targets.values()), list(draft_targets.values()), source)
    assert measured["targets_differing"] == []
    old_starts, new_starts = _target_starts(hand), _target_starts(draft)
    touched, added = set(), set()
    for r in records:
        if r["kind"] == "target" and r["change"] == "added":
            added.add(_which(new_starts, r["new_file"], r["new_line"]))
        elif r["kind"] == "target" and (r["change"] == "removed" or r["field"] in DC.TARGET_FIELDS):
            touched.add(_which(old_starts, r["old_file"], r["old_line"]))
    missing = {id(t) for t in measured["targets_missing"]}
    reproduced = {k for k, t in hand_targets.items() if id(t) not in missing}
    assert len(reproduced) == measured["targets_same"] > 0
    # A proposal equal to its hand-made target (draft_compare: accepted unchanged) is no change
    # in any measured field either; one draft_compare drops (nothing to match) is an addition.
    accepted = {id(h) for h, _ in measured["proposals_accepted"]}
    assert set(hand_targets) - touched == reproduced | {k for k, t in hand_targets.items() if id(t) in accepted}
    extras = {id(t) for t in measured["targets_extra"]}
    proven = {k for k in added & set(draft_targets) if draft_targets[k].get("review") != "proposed"}
    assert proven == {k for k, t in draft_targets.items() if id(t) in extras}
    # Where several proposals overlap one hand-made target the two may pair them differently;
    # but a proposal draft_compare accepts unchanged is never an addition, and every one it drops is.
    unchanged = {id(m) for _, m in measured["proposals_accepted"]}
    dropped = {k for k, t in draft_targets.items() if id(t) in {id(d) for d in measured["proposals_dropped"]}}
    assert not {k for k in added & set(draft_targets) if id(draft_targets[k]) in unchanged}
    for k in dropped - added:  # not an addition to diff: it paired it with an overlapping hand-made target
        assert any(DC._overlap(h, draft_targets[k], source) for h in hand_targets.values()), draft_targets[k]


def test_a_plan_named_like_a_table_keeps_its_tasks(pair):
    """draft names a plan's first table after the plan (annex04 and annex04): a plan's tasks are
    found under the plan's own pairing, not the table's, so the draft (which has every task of
    the hand-made data) adds no task to any unit."""
    _, draft, records = pair
    shared = {p.stem for p in (draft / "plans").glob("*.yaml")} & {q.stem for q in (draft / "quotas").glob("*.yaml")}
    assert shared
    assert [r for r in records if r["kind"] == "unit_task" and r["change"] == "added"] == []
