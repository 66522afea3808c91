"""`draft` and the yearly schedules written in tasks' 工作要求 (附件11、附件12 四 of the shipped document)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import DATA, errors, findings
from shiwanqian.domain.draft import draft
from shiwanqian.domain.draft.schedules import RegionForms, read_requirement

SOURCE = DATA / "source.txt"
TEXT = SOURCE.read_text(encoding="utf-8")
EXAMPLE = DATA.parent / "examples" / "sample-city-2021-2025"
LEVELS = ["高中", "初中", "小学"]
REGIONS = [
    {"name": "甲县", "kind": "县市"},
    {"name": "乙区", "kind": "区"},
    {"name": "丙市", "kind": "县市"},
    {"name": "丁县", "kind": "县市"},
    {"name": "直属学校", "kind": "直属"},
]
FORMS = RegionForms.of(REGIONS, LEVELS)


def _schedules(folder: Path) -> dict[tuple, int]:
    """(annex, year, 学段, region / 全市 / 小计 / 年度合计) → value of every schedule record."""
    annex = {}
    for path in (folder / "plans").glob("*.yaml"):
        plan = yaml.safe_load(path.read_text(encoding="utf-8"))
        annex[plan["id"]] = plan.get("annex")
    records = {}
    for path in (folder / "quotas").glob("*.yaml"):
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        for year in table.get("schedule", []):
            key = (annex[table["plan"]], year["year"])
            if year.get("total") is not None:
                records[(*key, None, "年度合计")] = year["total"]
            for group in year["groups"]:
                for region, value in (group.get("regions") or {}).items():
                    records[(*key, group.get("level"), region)] = value
                if group.get("total") is not None:
                    records[(*key, group.get("level"), "小计" if group.get("regions") else "全市")] = group["total"]
    return records


def _draft(tmp_path: Path, cli, text: str) -> Path:
    source = tmp_path / "source.txt"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "草稿"
    result = cli("draft", str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_the_shipped_schedules_are_drafted_as_the_hand_made_ones(drafted):
    mine = _schedules(drafted)
    assert mine == _schedules(DATA)
    assert mine["附件11", 2018, None, "醴陵市"] == 1  # the list runs on across “醴陵市，株洲县”
    assert mine["附件12", 2016, "高中", "直属学校"] == 40  # written 直属高中
    assert mine["附件12", 2018, "职业教育", "全市"] == 60
    regions = yaml.safe_load((drafted / "regions.yaml").read_text(encoding="utf-8"))["regions"]
    assert next(r for r in regions if r["name"] == "直属学校")["short"] == ["直属高中"]
    review = (drafted / "待核.md").read_text(encoding="utf-8")
    assert "直属高中→直属学校" in review
    assert "工作要求中按区域列出了数字" not in review  # they are data now


def test_the_contradiction_is_recorded_with_both_sides_and_check_warns(drafted):
    workstations = yaml.safe_load((drafted / "quotas" / "annex11.yaml").read_text(encoding="utf-8"))
    # Neither number is changed: 2 in the task split, 1 (in 2017 only) in the yearly schedule.
    assert next(r for r in workstations["rows"] if r["region"] == "芦淞区")["value"] == 2
    assert [y["year"] for y in workstations["schedule"] for g in y["groups"] if "芦淞区" in g["regions"]] == [2017]
    (entry,) = yaml.safe_load((drafted / "disagreements.yaml").read_text(encoding="utf-8"))["disagreements"]
    assert {(f["code"], f["subject"]) for f in entry["findings"]} == {
        ("schedule-mismatch", "annex11/芦淞区"),
        ("schedule-total-mismatch", "annex11"),
    }
    says = {(s["source"], s["says"]) for s in entry["sides"]}
    assert ("附件11 二 2", "炎陵县、茶陵县、株洲县、荷塘区、芦淞区、天元区、石峰区各建2个") in says
    assert (
        "附件11 四 2",
        "炎陵县、攸县、株洲县、芦淞区、天元区、石峰区和市直属学校各建1个，醴陵市建2个名优特教师工作站",
    ) in says
    assert ("附件11 二 1", "建设25个跨校跨区域跨学段的名优特教师工作站") in says
    assert all(s["says"] in TEXT for s in entry["sides"])  # quotations, word for word
    assert "draft" in entry["title"] and "draft" in entry["reason"]
    review = (drafted / "待核.md").read_text(encoding="utf-8")
    line = (
        TEXT.split("\n").index(
            "2.任务分解：建设名优特教师工作站数量：炎陵县、茶陵县、株洲县、荷塘区、芦淞区、天元区、"
            "石峰区各建2个，攸县建3个，醴陵市建4个，云龙示范区建1个，直属学校建3个。"
        )
        + 1
    )
    assert f"第 {line} 行（附件11 二 2）：原文自相矛盾：名优特教师工作站：芦淞区 名额为 2，各年度安排之和为 1" in review
    assert "年度安排合计 24，总数为 25" in review
    assert errors(drafted) == []
    warned = {(f.code, f.subject) for f in findings(drafted) if f.severity == "warning"}
    assert {("schedule-mismatch", "annex11/芦淞区"), ("schedule-total-mismatch", "annex11")} <= warned


def test_without_its_disagreement_the_contradiction_is_an_error(drafted, tmp_path):
    import shutil

    copy = tmp_path / "草稿"
    shutil.copytree(drafted, copy)
    (copy / "disagreements.yaml").unlink()
    assert {code for code, *_ in errors(copy)} == {"schedule-mismatch", "schedule-total-mismatch"}


def test_a_distributive_list_runs_across_commas_until_its_each():
    text = "甲县、乙区，丙市和市直属学校各建1个，丁县建2个工作站。每个工作站由3－5名教师组成。"
    reading = read_requirement(text, "个", False, FORMS, LEVELS)
    assert reading.problems == []
    (group,) = reading.groups
    assert group == {
        "regions": {"甲县": 1, "乙区": 1, "丙市": 1, "直属学校": 1, "丁县": 2},
        "text": "甲县、乙区，丙市和市直属学校各建1个，丁县建2个工作站",
    }
    assert reading.forms == {}  # 市直属学校 holds the name itself: nothing to add to regions.yaml


@pytest.mark.parametrize(
    "text, why",
    [
        ("甲县、乙区建1个工作站。", "没有“各”"),
        ("甲县建1个乙区建2个工作站。", "没有分隔"),
        ("甲县建1个，乙区、甲县各建2个工作站。", "出现了两次"),
        ("甲县建1个，乙区、丙市工作站。", "后面没有数字"),
        ("甲县、乙区共建5个工作站。", "没有“各”"),  # a shared number is not split
        ("甲县、乙区分别建2个、3个工作站。", "没有“各”"),  # check could not pair 乙区 with 3
    ],
)
def test_a_garbled_distributive_sentence_is_a_problem_not_data(text, why):
    reading = read_requirement(text, "个", False, FORMS, LEVELS)
    assert any(why in problem for _, problem in reading.problems), reading.problems


def test_groups_in_brackets_by_level_with_city_wide_figures():
    text = (
        "3个高中学科基地培养全市30名高中教师（甲县10人、丙市5人、直属高中15人）；“四名”工作室培养小学教师20人"
        "（乙区20人）；全市初中8人；小学2人。合计培养60人。"
    )
    reading = read_requirement(text, "人", True, FORMS, LEVELS)
    assert reading.problems == []
    assert [(g.get("level"), g.get("total"), g.get("regions")) for g in reading.groups] == [
        ("高中", 30, {"甲县": 10, "丙市": 5, "直属学校": 15}),
        ("小学", 20, {"乙区": 20}),
        ("初中", 8, None),
        ("小学", 2, None),
    ]
    assert (reading.total, reading.total_text) == (60, "合计培养60人")
    assert reading.forms == {"直属高中": "直属学校"}
    # A group starts after the last comma before its list: 5 of “3－5名” is no subtotal.
    (group,) = read_requirement(
        "每个工作室由3－5名高中教师组成，培养高中教师（甲县1人）", "人", True, FORMS, LEVELS
    ).groups
    assert group == {"level": "高中", "regions": {"甲县": 1}, "text": "培养高中教师（甲县1人）"}
    # A bare “小学2人” alone is no city-wide figure: nothing says it is part of a schedule.
    assert read_requirement("小学2人。", "人", True, FORMS, LEVELS).groups == []


WORKSTATIONS = """某市教育局
关于某工程的通知
附件1
工作站建设方案
（2021－2025年）
一、目标任务
1.总体任务：建设6个工作站。
2.任务分解：甲县、乙区各建2个，丙市建1个，直属学校建1个。
二、主要工作安排
1.2021年工作站建设
实施时间：2021年
工作要求：甲县、乙区和市直属学校各建1个工作站。
责任单位：县市区教育局
2.2022年工作站建设
实施时间：2022年
工作要求：甲县、乙区，丙市各建1个工作站。
责任单位：县市区教育局
附件2
骨干教师培养方案
（2021－2025年）
一、任务分解
1.甲县：高中10人、初中5人。合计15人。
2.乙区：初中3人、小学2人。合计5人。
3.丙市：高中1人。合计1人。
4.直属学校：高中4人。合计4人。
"""


def test_a_document_whose_schedule_adds_up_drafts_it_without_warnings(tmp_path, cli):
    out = _draft(tmp_path, cli, WORKSTATIONS)
    assert _schedules(out) == {
        ("附件1", 2021, None, "甲县"): 1,
        ("附件1", 2021, None, "乙区"): 1,
        ("附件1", 2021, None, "直属学校"): 1,
        ("附件1", 2022, None, "甲县"): 1,
        ("附件1", 2022, None, "乙区"): 1,
        ("附件1", 2022, None, "丙市"): 1,
    }
    assert findings(out) == []
    assert not (out / "disagreements.yaml").exists()


def test_a_garbled_schedule_sentence_is_left_for_review_and_nothing_wrong_is_written(tmp_path, cli):
    garbled = "工作要求：炎陵县、攸县、株洲县、芦淞区、天元区、石峰区和市直属学校建1个，醴陵市建2个名优特教师工作站。"
    text = TEXT.replace("石峰区和市直属学校各建1个，醴陵市建2个", "石峰区和市直属学校建1个，醴陵市建2个")
    text = text.replace("攸县60人、醴陵市65人、株洲县35人、天元区", "攸县60人醴陵市65人、株洲县35人、天元区")
    assert garbled in text and text.count("攸县60人醴陵市65人") == 1
    out = _draft(tmp_path, cli, text)
    assert errors(out) == []
    lines = text.split("\n")
    review = (out / "待核.md").read_text(encoding="utf-8")
    for bad in (garbled, "攸县60人醴陵市65人"):
        number = next(i for i, line in enumerate(lines, start=1) if bad in line)
        assert f"第 {number} 行" in review and "年度安排未能读通" in review
    assert "没有“各”" in review and "没有分隔" in review
    # Neither table gets a partial schedule (it would look like the document contradicting itself).
    assert _schedules(out) == {}
    assert not (out / "disagreements.yaml").exists()
    assert "这张表的年度安排都未写入数据" in review


def test_a_schedule_of_several_years_is_not_guessed(tmp_path, cli):
    text = WORKSTATIONS.replace("实施时间：2022年", "实施时间：2022-2023年")
    out = _draft(tmp_path, cli, text)
    assert _schedules(out) == {}
    assert "不是一个年份" in (out / "待核.md").read_text(encoding="utf-8")
    assert errors(out) == []


def test_a_stem_is_a_region_only_where_a_list_goes_on():
    forms = RegionForms.of([{"name": "株洲县", "kind": "县市"}, {"name": "攸县", "kind": "县市"}], [])
    assert [r for *_, r, _ in forms.find("株洲名优特教师研修班")] == []
    assert [(r, f) for *_, r, f in forms.find("株洲、攸县各2人")] == [("株洲县", "株洲"), ("攸县", "攸县")]


@pytest.mark.skipif(not (EXAMPLE / "source.txt").is_file(), reason="the example programme is not in this checkout")
def test_the_example_programmes_schedules_are_drafted(tmp_path, cli):
    out = tmp_path / "草稿"
    assert cli("draft", str(EXAMPLE / "source.txt"), "--out", str(out)).exit_code == 0
    mine = _schedules(out)
    assert mine == _schedules(EXAMPLE)
    assert mine["附件2", 2024, None, "全市"] == 2  # 全市统筹建设2个乡村教师工作坊
    # No finding but the proposals', each a warning that names its proposal.
    assert [f for f in findings(out) if f.code != "proposed-target"] == []
    assert all(f.severity == "warning" for f in findings(out))


def test_schedules_leave_the_rest_of_the_draft_unchanged():
    result = draft(TEXT)
    assert sum(1 for _, t in result.quotas if t.get("schedule")) == 2
    assert [d["id"] for d in result.disagreements] == ["annex11-schedule"]
