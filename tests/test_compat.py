"""Users' data outlives versions: the 0.1.0 data folder, frozen in tests/compat/data-0.1.0
(taken from git at the last 0.1.0 commit, never edited), passes `check` with the current code,
and queries on it give the answers they give on the shipped data."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA, findings
from shiwanqian.domain.allocation.records import allocation_records
from shiwanqian.domain.programme.queries import plan_summaries, quota_records
from shiwanqian.domain.programme.tasks import task_records
from shiwanqian.load import loader

OLD = Path(__file__).parent / "compat" / "data-0.1.0"

# What the shipped data gained since 0.1.0, by (table, target name): the main text / annex
# disagreements of issue 8, recorded as statements (see disagreements.yaml).
ADDED_TARGETS = {
    ("management", "教研组长（备课组长）培训班的主要工作项目安排"),
    ("management", "两年制青年管理干部培训班的举办者"),
    ("management", "青年管理干部培训班的责任单位"),
    ("outreach", "高中阶段送培到县示范项目"),
    ("outreach", "附件5 主要工作安排中的示范项目"),
}

# The 0.1.0 acknowledged disagreements, and what the stricter 0.2.0 quote rule says about the
# two targets 0.1.0 accepted by finding “1” inside “11” (warnings: the data is not wrong).
EXPECTED = {
    ("schedule-mismatch", "workstations/芦淞区", "warning"),
    ("schedule-total-mismatch", "workstations", "warning"),
    *{
        ("statement-mismatch", key, "warning")
        for key in (
            "it-2016-county",
            "it-2017-all",
            "base-county",
            "network-coverage-2020",
            "hs-principals",
            "backbone-total",
            "leading-teachers",
            "reading-room-where",
            "bookcase-where",
        )
    },
    ("quote-number-unconfirmed", "network-college/targets/1/value", "warning"),
    ("quote-number-unconfirmed", "network-college/targets/9/value", "warning"),
}


@pytest.fixture(scope="module")
def old():
    return loader.load(OLD)


@pytest.fixture(scope="module")
def new():
    return loader.load(DATA)


def test_the_frozen_copy_is_the_0_1_0_format():
    text = (OLD / "programme.yaml").read_text(encoding="utf-8")
    assert "vocabulary" not in text and "short_name" not in text
    assert not any("derived:" in p.read_text(encoding="utf-8") for p in (OLD / "quotas").glob("*.yaml"))


def test_0_1_0_data_passes_check_with_only_warnings(old):
    result = findings(OLD)
    assert {(f.code, f.subject, f.severity) for f in result} == EXPECTED


def test_check_command_passes_on_0_1_0_data(cli):
    result = cli("check", "--data", str(OLD))
    assert result.exit_code == 0, result.output
    assert "检查通过：0 个错误" in result.output


def _without_additions(records: list[dict]) -> list[dict]:
    return [r for r in records if (r["quota"], r["name"]) not in ADDED_TARGETS]


def test_quota_answers_are_the_same(old, new):
    regions = [(r.name, r.kind) for r in old.regions.model.regions]
    assert regions == [(r.name, r.kind) for r in new.regions.model.regions]
    old_alloc, new_alloc = allocation_records(old), allocation_records(new)
    assert old_alloc == new_alloc
    for name, kind in regions:
        before = quota_records(old, name, kind, allocations=old_alloc)
        after = quota_records(new, name, kind, allocations=new_alloc)
        assert before == _without_additions(after), name
    # the additions are really there in the shipped data (else this test compares nothing new)
    shown = {(r["quota"], r["name"]) for r in quota_records(new, "攸县", "县市")}
    assert ("management", "青年管理干部培训班的责任单位") in shown


def test_task_answers_are_the_same(old, new):
    assert task_records(old) == task_records(new)


def test_plan_list_is_the_same_but_for_the_added_statements(old, new):
    before, after = plan_summaries(old), plan_summaries(new)
    assert [p["plan"] for p in before] == [p["plan"] for p in after]
    added = {}
    for table, _ in ADDED_TARGETS:
        added[table] = added.get(table, 0) + 1
    for b, a in zip(before, after):
        assert {k: v for k, v in b.items() if k != "numbers"} == {k: v for k, v in a.items() if k != "numbers"}
        assert a["numbers"] - b["numbers"] == sum(n for t, n in added.items() if t in a["quotas"]), a["plan"]


@pytest.mark.parametrize("region", ["攸县", "荷塘区", "直属学校"])
def test_commands_answer_the_same_on_0_1_0_data(cli, region):
    import json

    for command in (
        ["quota", "--district", region],
        ["schedule", "--district", region],
        ["plans"],
        ["allocate", "lessons", "--by", "year", "--district", region],
    ):
        old = cli(*command, "--format", "json", "--data", str(OLD))
        new = cli(*command, "--format", "json", "--data", str(DATA))
        assert old.exit_code == new.exit_code == 0, (command, old.output[:300])
        before, after = json.loads(old.output), json.loads(new.output)
        if command[0] == "quota":
            after = _without_additions(after)
        if command[0] == "plans":  # the added statements count among a plan's numbers
            before = [{k: v for k, v in p.items() if k != "numbers"} for p in before]
            after = [{k: v for k, v in p.items() if k != "numbers"} for p in after]
        assert before == after, command
