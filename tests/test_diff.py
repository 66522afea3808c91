"""`shiwanqian diff OLD NEW`: what a revision changes, downstream included, cited on both sides
(revisions as a bureau makes them: see ``conftest.revise``)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import (
    BACKBONE_FILES,
    BACKBONE_MOVE,
    DATA,
    LESSONS_FILES,
    LESSONS_MOVE,
    REPO,
    diff_records,
    line_of,
    revised,
)
from shiwanqian.domain.revision.changes import RECORD_KEYS
from shiwanqian.domain.revision.compare import compare_entities
from shiwanqian.domain.revision.facts import Entity
from shiwanqian.output.linebreak import NO_END, NO_START

EXAMPLE = REPO / "examples" / "sample-city-2021-2025"
COMPAT = REPO / "tests" / "compat" / "data-0.1.0"
COUNTY = REPO / "examples" / "county-youxian" / "data"
SETS = {"data": DATA, "example": EXAMPLE, "0.1.0": COMPAT, "county": COUNTY}

# ------------------------------------------------------------------ nothing to say


@pytest.mark.parametrize("name", SETS)
def test_a_folder_against_itself_or_its_copy_says_nothing(cli, tmp_path, name):
    copy = tmp_path / "copy"
    shutil.copytree(SETS[name], copy)
    for other in (SETS[name], copy):
        result = cli("diff", str(SETS[name]), str(other))
        assert result.exit_code == 0 and result.stdout == ""
        assert diff_records(cli, str(SETS[name]), str(other)) == (0, [])
        assert cli("diff", str(SETS[name]), str(other), "--format", "markdown").stdout == ""
        header = cli("diff", str(SETS[name]), str(other), "--format", "csv").stdout
        assert header == ",".join(RECORD_KEYS) + "\n"


def test_comments_layout_and_key_order_are_not_changes(cli, data_copy):
    path = data_copy / "quotas" / "backbone-teachers.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("# 千名优秀骨干教师：", "# 修订后的注释：").replace(
        "values: {高中: 30, 初中: 60, 小学: 60, 幼儿教育: 10, 职业教育: 9, 特殊教育: 2}",
        "values:\n      特殊教育: 2\n      高中: 30\n      初中: 60\n      小学: 60\n      幼儿教育: 10\n      职业教育: 9",
    )
    path.write_text(text, encoding="utf-8")
    assert diff_records(cli, str(DATA), str(data_copy)) == (0, [])


# ------------------------------------------------------------------ one cell moved


def test_a_moved_backbone_cell_is_listed_with_both_sides_cited(cli, tmp_path):
    new = revised(tmp_path, BACKBONE_MOVE, BACKBONE_FILES)
    status, records = diff_records(cli, str(DATA), str(new))
    assert status == 1
    cells = [r for r in records if r["kind"] == "cell"]
    assert [(r["region"], r["level"], r["old"], r["new"]) for r in cells] == [
        ("攸县", "高中", 30, 20),
        ("醴陵市", "高中", 35, 45),
    ]
    table = "quotas/backbone-teachers.yaml"
    for record, quote in zip(cells, ("攸县：高中", "醴陵市：高中")):
        for side, folder in (("old", DATA), ("new", new)):
            assert Path(record[f"{side}_file"]).resolve() == (folder / table).resolve()
            assert record[f"{side}_line"] == line_of(folder / table, quote) - 2  # the values line
            assert record[f"{side}_quote"].startswith(quote)
            assert record[f"{side}_source"].startswith("附件12 二（二）")
        assert f"高中{record['old']}人" in record["old_quote"] and f"高中{record['new']}人" in record["new_quote"]
    kinds = {(r["kind"], r["field"]) for r in records}
    assert ("row", "total") in kinds and ("schedule", "value") in kinds and ("document", None) in kinds
    schedule = [(r["region"], r["year"], r["old"], r["new"]) for r in records if r["kind"] == "schedule"]
    assert schedule == [("攸县", 2016, 30, 20), ("醴陵市", 2016, 35, 45)]
    # 骨干教师 have a yearly schedule, not shares, and no rates: nothing downstream moves, and
    # the revision is consistent, so check says nothing new either.
    assert [r for r in records if r["layer"] == "effect"] == []


def test_a_moved_lessons_cell_moves_allocations_elsewhere_and_the_budget(cli, tmp_path):
    new = revised(tmp_path, LESSONS_MOVE, LESSONS_FILES)
    status, records = diff_records(cli, str(DATA), str(new))
    assert status == 1
    assert [(r["region"], r["old"], r["new"]) for r in records if r["kind"] == "cell"] == [
        ("攸县", 500, 490),
        ("醴陵市", 550, 560),
    ]
    # The allocation cells that moved are exactly those `allocate` gives differently.
    before, after = (
        {
            (r["region"], r["level"], r["year"]): r["value"]
            for r in json.loads(cli("allocate", "lessons", "--by", "year", "--format", "json", "--data", str(f)).stdout)
        }
        for f in (DATA, new)
    )
    moved = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    shown = {(r["region"], r["level"], r["year"]): (r["old"], r["new"]) for r in records if r["kind"] == "allocation"}
    assert shown == moved
    regions = {k[0] for k in moved}
    assert {"攸县", "醴陵市"} < regions  # the rounding moved in regions whose numbers did not change
    for r in records:
        if r["kind"] == "allocation":
            assert r["old_file"] and r["new_file"] and r["old_quote"].startswith(r["region"][:2])
    # The budget by region is exactly what `budget` sums to, for the regions that changed.
    totals = []
    for folder in (DATA, new):
        sums: dict[tuple[str, str], int] = defaultdict(int)
        for line in json.loads(cli("budget", "--format", "json", "--data", str(folder)).stdout):
            for key in ("count", "cost", "credits", "build_fee", "review_fee"):
                sums[line["region"], key] += line[key]
        totals.append(sums)
    expected = {k: (totals[0][k], totals[1][k]) for k in totals[0] if totals[0][k] != totals[1][k]}
    budget = {(r["region"], r["field"]): (r["old"], r["new"]) for r in records if r["kind"] == "budget"}
    assert budget == expected
    assert budget["攸县", "cost"] == (618000, 614000) and budget["醴陵市", "cost"] == (696000, 700000)
    table = cli("diff", str(DATA), str(new), env={"COLUMNS": "80"}).stdout
    assert "下游：年度分配（受控取整）" in table and "攸县 · 经费合计（元）：618,000 → 614,000（−4,000）" in table
    assert "涉及 " in table and "醴陵市" in table.split("下游：年度分配")[2]


def test_an_unchanged_allocation_is_not_solved_again(tmp_path, monkeypatch):
    new = revised(tmp_path, BACKBONE_MOVE, BACKBONE_FILES)
    from shiwanqian.domain.allocation import cache
    from shiwanqian.domain.revision.compare import compare
    from shiwanqian.load.loader import load

    def refuse(*args, **kwargs):
        raise AssertionError("the lessons' allocation problem did not change")

    monkeypatch.setattr(cache, "allocation", refuse)
    assert [c for c in compare(load(DATA), load(new)) if c.kind == "allocation"] == []


# ------------------------------------------------------------------ tasks and units


def test_task_fields_and_each_units_gains_and_losses(cli, data_copy):
    plan = data_copy / "plans" / "01-it-training.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace(
        "    when: 2016年、2018年、2020年\n    timing: {years: [2016, 2018, 2020]}\n    requirement: 以评促用，推动优秀空间建设。\n    units: [市装备所]",
        "    when: 2016年、2018年\n    timing: {years: [2016, 2018]}\n    requirement: 以评促用，推动优秀空间建设。\n    units: [市教科院]",
    )
    plan.write_text(text, encoding="utf-8")
    status, records = diff_records(cli, str(DATA), str(data_copy))
    assert status == 1
    task = {r["field"]: (r["old"], r["new"]) for r in records if r["kind"] == "task"}
    assert task == {
        "when": ("2016年、2018年、2020年", "2016年、2018年"),
        "timing.years": ([2016, 2018, 2020], [2016, 2018]),
        "units": (["市装备所"], ["市教科院"]),
    }
    # Gains and losses per unit are exactly what `schedule --unit` lists differently.
    shown = {(r["unit"], r["change"]) for r in records if r["kind"] == "unit_task"}
    expected = set()
    import yaml

    units = [u["name"] for u in yaml.safe_load((DATA / "units.yaml").read_text(encoding="utf-8"))["units"]]
    for unit in units:
        lists = [
            {
                (t["plan"], t["item"])
                for t in json.loads(cli("schedule", "--unit", unit, "--format", "json", "--data", str(f)).stdout)
            }
            for f in (DATA, data_copy)
        ]
        if ("it-training", "3") in lists[0] - lists[1]:
            expected.add((unit, "removed"))
        if ("it-training", "3") in lists[1] - lists[0]:
            expected.add((unit, "added"))
    assert shown == expected and ("市装备所", "removed") in shown and ("市教科院", "added") in shown


def test_unit_inclusions_of_a_revision_cross_checked_with_schedule(cli):
    """0.1.0's units.yaml has no ``includes``: every unit's shared tasks are what today's data adds."""
    status, records = diff_records(cli, str(COMPAT), str(DATA))
    assert status == 1
    gained = defaultdict(set)
    for r in records:
        if r["kind"] == "unit_task":
            assert r["change"] in ("added", "changed")
            gained[r["unit"]].add((r["plan"], r["item"]))
    assert len(gained) > 5
    for unit, tasks in gained.items():
        old, new = (
            {
                (t["plan"], t["item"])
                for t in json.loads(cli("schedule", "--unit", unit, "--format", "json", "--data", str(f)).stdout)
            }
            for f in (COMPAT, DATA)
        )
        assert new - old <= tasks <= new, unit


# ------------------------------------------------------------------ findings


def test_findings_that_appear_and_disappear(cli, data_copy):
    path = data_copy / "quotas" / "workstations.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("醴陵市: 1", "醴陵市: 2", 1), encoding="utf-8")
    status, records = diff_records(cli, str(DATA), str(data_copy))
    assert status == 1
    findings = [r for r in records if r["kind"] == "finding"]
    now = json.loads(cli("check", "--format", "json", "--data", str(data_copy)).stdout)
    codes = {(f["code"], f["line"]) for f in now if f["severity"] == "error"}
    appeared = {(r["name"], r["new_line"]) for r in findings if r["change"] == "added"}
    assert codes and appeared >= codes
    # The other way round the same findings disappear, cited where they were.
    _, back = diff_records(cli, str(data_copy), str(DATA))
    gone = {(r["name"], r["old_line"]) for r in back if r["kind"] == "finding" and r["change"] == "removed"}
    assert gone == appeared


# ------------------------------------------------------------------ narrowing


def test_district_unit_and_plan_narrow_the_list(cli, tmp_path):
    new = revised(tmp_path, LESSONS_MOVE, LESSONS_FILES)
    _, everything = diff_records(cli, str(DATA), str(new))
    status, youxian = diff_records(cli, str(DATA), str(new), "--district", "youxian")
    assert status == 1 and youxian
    assert all(r["region"] == "攸县" or "攸县" in f"{r['old']}{r['new']}" for r in youxian)
    assert {r["kind"] for r in youxian if r["region"] is None} == {"aim", "document"}
    assert len(youxian) < len(everything)
    assert {r["kind"] for r in youxian} >= {"cell", "row", "allocation", "budget"}
    assert diff_records(cli, str(DATA), str(new), "--plan", "backbone-teachers") == (0, [])
    status, lessons = diff_records(cli, str(DATA), str(new), "--plan", "lessons")
    assert status == 1 and all(r["plan"] == "lessons" for r in lessons)
    assert diff_records(cli, str(DATA), str(new), "--unit", "市教师培训中心") == (0, [])


def test_unit_narrowing_keeps_shared_tasks(cli, data_copy):
    plan = data_copy / "plans" / "02-young-teachers.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("2016-2020年，每年一轮", "2016-2019年，每年一轮", 1), encoding="utf-8")
    _, records = diff_records(cli, str(DATA), str(data_copy), "--unit", "市教师培训中心")
    assert records and {r["kind"] for r in records} == {"task"}  # shared through 师训机构


# ------------------------------------------------------------------ renames


def test_a_renamed_plan_and_table_are_the_same_plan_and_table(cli, data_copy):
    for path in (data_copy / "quotas" / "lessons.yaml", data_copy / "plans" / "13-lessons.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("id: lessons\n", "id: lessons-2026\n").replace("plan: lessons\n", "plan: lessons-2026\n"),
            encoding="utf-8",
        )
    status, records = diff_records(cli, str(DATA), str(data_copy))
    assert status == 1
    assert sorted((r["kind"], r["field"], r["old"], r["new"]) for r in records) == [
        ("plan", "id", "lessons", "lessons-2026"),
        ("quota", "id", "lessons", "lessons-2026"),
        ("quota", "plan", "lessons", "lessons-2026"),
    ]


def test_a_county_programmes_parent_is_compared(cli, tmp_path):
    """Issue 18's ``parent`` (and a table's ``refines``) are fields like any other."""
    copy = tmp_path / "county" / "data"
    shutil.copytree(COUNTY, copy)
    path = copy / "programme.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  region: 攸县", "  region: 醴陵市"), encoding="utf-8")
    _, records = diff_records(cli, str(COUNTY), str(copy))
    assert [(r["kind"], r["field"], r["old"], r["new"]) for r in records if r["layer"] == "data"] == [
        ("programme", "parent.region", "攸县", "醴陵市")
    ]


def test_fields_added_by_later_versions_are_compared():
    """A model field this module has never heard of (a programme's ``parent``, a target's
    ``review: proposed``) is a field like any other."""
    old = Entity("target", ("lessons", 0), {"value": 10, "review": None}, None)
    new = Entity("target", ("lessons", 0), {"value": 10, "review": "proposed"}, None)
    changes = compare_entities([old], [new])
    assert [(c.field, c.old, c.new) for c in changes] == [("review", None, "proposed")]


# ------------------------------------------------------------------ formats and exit codes


def test_records_have_one_shape_in_json_and_csv(cli, tmp_path):
    new = revised(tmp_path, LESSONS_MOVE, LESSONS_FILES)
    _, records = diff_records(cli, str(DATA), str(new))
    assert records and all(list(r) == list(RECORD_KEYS) for r in records)
    rows = list(csv.DictReader(io.StringIO(cli("diff", str(DATA), str(new), "--format", "csv").stdout)))
    assert len(rows) == len(records) and list(rows[0]) == list(RECORD_KEYS)
    assert {r["change"] for r in records} <= {"added", "removed", "changed"}
    assert {r["layer"] for r in records} == {"data", "effect"}


def test_the_list_fits_80_columns(cli, tmp_path, drafted):
    new = revised(tmp_path, LESSONS_MOVE, LESSONS_FILES)
    for args in ((str(DATA), str(new)), (str(DATA), str(drafted)), (str(COMPAT), str(DATA))):
        result = cli("diff", *args, env={"COLUMNS": "80"})
        assert result.exit_code == 1
        assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80
        # broken the Chinese way: no line begins with closing or ends with opening punctuation
        # (“，特殊教育30节”), no count parted from what it counts (“涉及 9” / “个区域”)
        for line in result.stdout.splitlines():
            text = line.strip()
            if text and not text.startswith(("……（共", "· ")):  # a quotation cut short; “file · 出处”
                assert text[0] not in NO_START and text[-1] not in NO_END, line
            assert not re.search(r"(涉及|经费) \d+$", text) and not text.startswith("个区域"), line


def test_markdown_for_a_pull_request_comment(cli, tmp_path):
    new = revised(tmp_path, LESSONS_MOVE, LESSONS_FILES)
    text = cli("diff", str(DATA), str(new), "--format", "markdown").stdout
    assert text.startswith("**") and "| 改动 | 万节优质课堂教学资源 · 攸县 · 高中 | 500 → 490（−10） |" in text
    assert "<details><summary>" in text  # the 36 moved allocation cells are folded


def test_hostile_text_stays_text(cli, data_copy):
    path = data_copy / "quotas" / "lessons.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("title: 万节优质课堂教学资源", 'title: "万节 | <b>[red]x[/red] https://e.vil"'), encoding="utf-8"
    )
    markdown = cli("diff", str(DATA), str(data_copy), "--format", "markdown").stdout
    assert "<b>" not in markdown and "\\|" in markdown and "https\\://" in markdown
    table = cli("diff", str(DATA), str(data_copy)).stdout
    assert "[red]x[/red]" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diff", "data"], "请给出两个数据目录"),
        (["diff", "data", "不存在的目录"], "数据目录不存在"),
        (["diff", "data", "tests"], "不是数据目录"),
        (["diff", "--git", "HEAD", "data", "data"], "只能给出一个数据目录"),
        (["diff", "data", "data", "--district", "不存在"], "未知区域"),
        (["diff", "data", "data", "--plan", "nope"], "未知计划"),
    ],
)
def test_usage_errors_exit_2(cli, monkeypatch, args, message):
    monkeypatch.chdir(REPO)
    result = cli(*args)
    assert result.exit_code == 2 and message in result.output


# ------------------------------------------------------------------ every data set we ship


@pytest.mark.parametrize(
    ("old", "new"), [("0.1.0", "data"), ("data", "example"), ("example", "0.1.0"), ("county", "data")]
)
def test_every_shipped_data_set_against_another(cli, old, new):
    status, records = diff_records(cli, str(SETS[old]), str(SETS[new]))
    assert status == 1 and records
    for r in records:
        assert r["old_file"] or r["new_file"]
        if r["change"] == "changed":
            assert r["old_file"] and r["new_file"]
