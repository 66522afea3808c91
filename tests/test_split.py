"""`allocate` on a table that refines a parent's (issue 18, 4): a split of what the parent gives
the region over the county's units, by declared weights, with the parent's figures as fixed
margins, checked here against the parent's own answers, not against the split's code."""

from __future__ import annotations

import json
import math
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import DATA, REPO, edit

EXAMPLE = REPO / "examples" / "county-youxian"
CHILD = EXAMPLE / "data"
RENAME = {"学前教育": "幼儿教育"}


def records(cli, *args: str, data: Path = CHILD) -> list[dict]:
    result = cli("allocate", *args, "--format", "json", "--data", str(data))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def parent_figures(cli, table: str) -> tuple[dict[str, int], dict[tuple[str, int], int]]:
    """The shipped data's own answer for 攸县: quota by 学段, and yearly figures by (学段, year)."""
    plan = {"workstations": "leading-teachers"}.get(table, table)
    result = cli("quota", "--district", "攸县", "--plan", plan, "--format", "json", "--data", str(DATA))
    found = [r for r in json.loads(result.output) if r["quota"] == table and r["region"] == "攸县"]
    totals = {r["level"] or "": r["value"] for r in found if r["kind"] == "target" and r["name"] != "合计"}
    if not totals:
        totals = {"": next(r["value"] for r in found if r["kind"] == "target" and r["name"] == "合计")}
    yearly = {(r["level"] or "", r["year"]): r["value"] for r in found if r["kind"] in ("schedule", "allocation")}
    return totals, yearly


def weight(region: str, level: str | None) -> int:
    from shiwanqian.load import loader

    link = loader.load(CHILD).programme_model.parent
    assert link is not None and link.weights is not None
    return link.weights.of(region, level)


@pytest.mark.parametrize("table", ["lessons", "backbone-teachers", "workstations"])
def test_the_split_adds_up_to_the_parent_in_every_level_and_year(cli, table):
    totals, yearly = parent_figures(cli, table)
    split = records(cli, table)
    by_level: dict[str, int] = {}
    by_year: dict[tuple[str, int], int] = {}
    for r in split:
        level = RENAME.get(r["level"], r["level"]) or ""
        assert (r["parent_level"] or "") == level
        by_level[level] = by_level.get(level, 0) + r["value"]
        if r["year"] is not None:
            by_year[level, r["year"]] = by_year.get((level, r["year"]), 0) + r["value"]
    assert by_level == totals
    assert by_year == yearly
    # Every figure is the floor or ceiling of its exact share; so is each unit's total of a 学段.
    for r in split:
        exact = Fraction(r["exact"].lstrip("≈")) if "≈" not in r["exact"] else None
        if exact is not None:
            assert r["value"] in (math.floor(exact), math.ceil(exact)), r
    units = {r["region"] for r in split}
    for level, total in totals.items():
        child = {v: k for k, v in RENAME.items()}.get(level, level) or None
        whole = sum(weight(u, child) for u in units)
        for unit in units:
            mine = sum(r["value"] for r in split if r["region"] == unit and (r["parent_level"] or "") == level)
            share = Fraction(total * weight(unit, child), whole)
            assert mine in (math.floor(share), math.ceil(share)), (unit, level, mine, share)


def test_the_example_adopted_the_proposed_split_of_its_lessons(cli):
    from shiwanqian.load import loader

    lessons = next(q.model for q in loader.load(CHILD).quotas if q.model.id == "lessons")
    data = {(row.region, level, None): v for row in lessons.rows for level, v in row.values.items()}
    for entry in lessons.schedule:
        for group in entry.groups:
            data.update({(r, group.level, entry.year): v for r, v in group.regions.items()})
    proposed = {(r["region"], r["level"], r["year"]): r["value"] for r in records(cli, "lessons") if r["value"]}
    totals: dict[tuple, int] = {}
    for (region, level, _), v in proposed.items():
        totals[region, level, None] = totals.get((region, level, None), 0) + v
    assert {**proposed, **totals} == data


def test_the_table_view_shows_the_parents_figures_beside_the_sums(cli):
    result = cli("allocate", "lessons", "--data", str(CHILD))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    total = next(line for line in lines if line.strip().startswith("合计"))
    given = next(line for line in lines if "上级给攸县" in line)
    assert total.split()[1:] == given.split()[1:] == ["154", "386", "386", "464", "155", "1545"]
    assert "权重：2016年秋季各乡镇和县直学校专任教师数（虚构）" in result.output and "附件13 四 2" in result.output
    backbone = cli("allocate", "backbone-teachers", "--data", str(CHILD)).output
    assert (
        "不分年度" in backbone
        and "上级没有分到年份的（“不分年度”一列）：学前教育 10、职业教育 9、特殊教育 2" in backbone
    )


def test_explain_in_words(cli):
    result = cli("allocate", "lessons", "--data", str(CHILD), "--district", "丙乡", "--explain")
    assert result.exit_code == 0
    assert "分解取整说明 — 丙乡" in result.output
    assert "45 × 150/870 = ≈7.76" in result.output and "2016年初中各单位之和须为上级给的 45" in result.output
    reasons = records(cli, "lessons", "--district", "丙乡", "--explain")
    assert {r["direction"] for r in reasons} == {"进位", "舍去"}
    for r in reasons:
        assert r["value"] in (math.floor(float(r["exact"].lstrip("≈"))), math.ceil(float(r["exact"].lstrip("≈"))))
    swapped = [r for r in reasons if "只能一进一舍" in r["reason"]]
    assert swapped and all("合计将为" in r["reason"] for r in swapped)


def test_the_proposal_written_as_a_table_passes_check_once_its_sentences_are_in_the_document(cli, tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "county-youxian")
    child = tmp_path / "examples" / "county-youxian" / "data"
    out = tmp_path / "提议.yaml"
    result = cli("allocate", "lessons", "--data", str(child), "--out", str(out))
    assert result.exit_code == 0 and out.is_file()
    assert not list(tmp_path.glob(".shiwanqian-*"))  # written through the one writer: no temporary file left
    text = out.read_text(encoding="utf-8")
    assert "分解提议" in text and '"refines"' not in text and 'refines: {"table": "lessons"' in text
    from shiwanqian.load import yamlpos

    document = yamlpos.read(out.read_bytes(), str(out))
    assert not document.problems
    sentences = [node for _, node in document.quotes]
    shutil.copy(out, child / "quotas" / "lessons.yaml")
    with open(child / "source.txt", "a", encoding="utf-8") as handle:
        handle.write("\n".join(sentences) + "\n")
    result = cli("check", "--data", str(child))
    assert result.exit_code == 0, result.output


def test_a_proposal_with_parts_the_parent_gives_no_year_says_what_check_will_want(cli, tmp_path):
    # The parent gives 攸县's 学前教育、职业教育、特殊教育 backbone teachers no year: the proposal
    # has them in the rows, not in the schedule, and says so where the file is written, because
    # check then wants every unit's quota to equal its years (schedule-mismatch) until the
    # county decides the year.
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "county-youxian")
    child = tmp_path / "examples" / "county-youxian" / "data"
    out = tmp_path / "提议.yaml"
    result = cli("allocate", "backbone-teachers", "--data", str(child), "--out", str(out))
    assert result.exit_code == 0, result.output
    said = result.stderr.replace("\n", "")  # one line however wide the terminal
    assert "学前教育 10、职业教育 9、特殊教育 2 已在 rows 中，但不在 schedule 中" in said and "check 会报告" in said
    assert "提示" not in cli("allocate", "lessons", "--data", str(child), "--out", str(tmp_path / "l.yaml")).stderr
    decided: dict[str, dict[str, int]] = {"学前教育": {}, "职业教育": {}, "特殊教育": {}}
    for row in records(cli, "backbone-teachers", data=child):
        if row["year"] is None and row["value"]:
            decided[row["level"]][row["region"]] = row["value"]
    from shiwanqian.load import yamlpos

    sentences = [node for _, node in yamlpos.read(out.read_bytes(), str(out)).quotes]
    shutil.copy(out, child / "quotas" / "backbone-teachers.yaml")
    with open(child / "source.txt", "a", encoding="utf-8") as handle:
        handle.write("\n".join(sentences) + "\n")
    result = cli("check", "--data", str(child), "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.output)
    assert {f["code"] for f in findings} <= {"schedule-mismatch", "schedule-total-mismatch"}
    mismatched = {f["subject"].rsplit("/", 1)[1] for f in findings if f["code"] == "schedule-mismatch"}
    assert mismatched == {"学前教育", "职业教育", "特殊教育"}
    # The years decided (2018, as the parent's city-wide schedule has them) and quoted: check passes.
    groups = [
        (level, regions, f"2018年{level}" + "、".join(f"{r}{v}人" for r, v in regions.items()))
        for level, regions in decided.items()
    ]
    with open(child / "quotas" / "backbone-teachers.yaml", "a", encoding="utf-8") as handle:
        handle.write('  - year: 2018\n    source: "正文 二（二）"\n    groups:\n')
        for level, regions, text in groups:
            handle.write(
                f"      - {{level: {level}, regions: {json.dumps(regions, ensure_ascii=False)}, text: {text}}}\n"
            )
    with open(child / "source.txt", "a", encoding="utf-8") as handle:
        handle.write("\n".join(text for _, _, text in groups) + "\n")
    result = cli("check", "--data", str(child))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (["lessons", "--method", "largest-remainder"], 2, "只用受控取整"),
        (["lessons", "--explain"], 2, "--explain 需要同时给出 --district"),
        (["lessons", "--out", "a.txt"], 2, "--out 应为 .yaml、.yml 文件"),
    ],
)
def test_usage_errors(cli, args, status, words):
    result = cli("allocate", *args, "--data", str(CHILD))
    assert result.exit_code == status and words in result.output


def test_out_is_only_for_a_refining_table(cli, tmp_path):
    result = cli("allocate", "lessons", "--out", str(tmp_path / "x.yaml"), "--data", str(DATA))
    assert result.exit_code == 2 and "--out 只用于下级工程" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_no_weights_or_no_weight_for_a_level(cli, tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "county-youxian")
    child = tmp_path / "examples" / "county-youxian" / "data"
    edit(child / "programme.yaml", "特殊教育: 40}", "}")
    result = cli("allocate", "lessons", "--data", str(child))
    assert result.exit_code == 1 and "各单位都没有特殊教育的权重" in result.output
    text = (child / "programme.yaml").read_text(encoding="utf-8")
    start, end = text.index("  # 按比例提出分解"), text.index("counts:")
    (child / "programme.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    result = cli("allocate", "lessons", "--data", str(child))
    assert result.exit_code == 1 and "没有分解用的权重" in result.output


def test_a_parent_less_allocate_is_unchanged(cli):
    result = cli("allocate", "lessons", "--district", "攸县", "--format", "json", "--data", str(DATA))
    assert {r["kind"] for r in json.loads(result.output)} == {"allocation"}
