"""Open vocabularies declared in programme.yaml: defaults reproduce 0.1.0, declared words replace them."""

from __future__ import annotations

import itertools

import pytest

from conftest import edit, errors, findings
from shiwanqian.domain.programme.queries import quota_records
from shiwanqian.domain.programme.scope import scope_applies, unit_applies
from shiwanqian.load import loader
from shiwanqian.load.model import Programme, Unit, Vocabulary, derive_short_name


def _old_scope_applies(scope: str, region: str, kind: str) -> bool:
    """0.1.0's hard-coded rule, kept here as the specification the defaults must reproduce."""
    return (
        scope == "各区域"
        or scope == region
        or (scope == "每县市区" and kind != "直属")
        or (scope == "五县市" and kind == "县市")
        or (scope == "市直属" and kind == "直属")
    )


def _old_unit_applies(level: str, kind: str) -> bool:
    if level == "县市区":
        return kind != "直属"
    return level in ("学校", "各级")


@pytest.mark.parametrize(
    ("scope", "kind"),
    list(
        itertools.product(
            ["全市", "市级", "各区域", "每县市区", "五县市", "市直属", "攸县", "不存在"], ["县市", "区", "直属"]
        )
    ),
)
def test_default_scopes_apply_as_in_0_1_0(scope, kind):
    assert scope_applies(scope, "攸县", kind) == _old_scope_applies(scope, "攸县", kind)
    assert scope_applies(scope, "攸县", kind, Vocabulary()) == _old_scope_applies(scope, "攸县", kind)


@pytest.mark.parametrize(
    ("level", "kind"), list(itertools.product(["市", "县市区", "学校", "各级"], ["县市", "区", "直属"]))
)
def test_default_unit_levels_apply_as_in_0_1_0(level, kind):
    unit = Unit(name="x", level=level)
    assert unit_applies(unit, "攸县", kind) == _old_unit_applies(level, kind)


def test_the_shipped_programme_declares_no_vocabulary_and_gets_the_defaults(catalog):
    programme = catalog.programme.model
    assert "vocabulary" not in programme.model_fields_set
    assert programme.vocabulary == Vocabulary()


def _declare(root, text: str) -> None:
    path = root / "programme.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


NEW_WORDS = """vocabulary:
  region_kinds: [县, 市辖区, 直属]
  scopes:
    - {name: 全市}
    - {name: 各县, kinds: [县]}
    - {name: 城区, kinds: [市辖区]}
    - {name: 各区域, every: true}
  plan_kinds: [专项计划, 支持计划, 工作专项, 领导小组, 考核办法]
  unit_levels:
    - {name: 市}
    - {name: 县市区, kinds: [县, 市辖区]}
    - {name: 学校, every: true}
    - {name: 各级, every: true}
  count_kinds:
    - {what: regions, name: 区域, of: regions}
    - {what: plans, name: 计划、方案, of: plans, kinds: [支持计划, 工作专项]}
    - {what: levels, name: 学段, of: levels}
    - {what: 县, name: 县, of: regions, kinds: [县]}
"""


def _rename_kinds(root) -> None:
    regions = root / "regions.yaml"
    text = (
        regions.read_text(encoding="utf-8")
        .replace("kind: 县市\n", "kind: 县\n")
        .replace("kind: 区\n", "kind: 市辖区\n")
    )
    regions.write_text(text, encoding="utf-8")
    programme = root / "programme.yaml"
    text = (
        programme.read_text(encoding="utf-8")
        .replace("what: regions:县市", "what: 县")
        .replace("what: regions:区", "what: regions:市辖区")
    )
    programme.write_text(text, encoding="utf-8")
    for name in ("quotas/outreach.yaml", "quotas/base-schools.yaml"):
        path = root / name
        path.write_text(
            path.read_text(encoding="utf-8")
            .replace("scope: 五县市", "scope: 各县")
            .replace("scope: 每县市区", "scope: 各区域"),
            encoding="utf-8",
        )


def test_declared_words_replace_the_defaults_and_drive_queries(data_copy):
    _declare(data_copy, NEW_WORDS)
    _rename_kinds(data_copy)
    for path in (data_copy / "quotas").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("scope: 五县市", "scope: 各县")
            .replace("scope: 每县市区", "scope: 城区")
            .replace("scope: 市直属", "scope: 直属学校")
            .replace("scope: 市级", "scope: 全市"),
            encoding="utf-8",
        )
    assert errors(data_copy) == []
    catalog = loader.load(data_copy)
    county = {r["name"] for r in quota_records(catalog, "攸县", "县") if r["kind"] == "target"}
    district = {r["name"] for r in quota_records(catalog, "荷塘区", "市辖区") if r["kind"] == "target"}
    assert "高中阶段送培到县（每县，五年内）" in county  # scope 各县 = the regions of kind 县
    assert "高中阶段送培到县（每县，五年内）" not in district
    # unit levels: a 县市区 unit now works in the regions of kinds 县 and 市辖区, not in 直属学校
    from shiwanqian.domain.programme.tasks import task_records

    applies = {(r["plan"], r["item"]): r["applies"] for r in task_records(catalog)}
    county_task = applies["outreach", "2"]  # 送培到乡培训, 县市区教育局
    assert "攸县" in county_task and "荷塘区" in county_task and "直属学校" not in county_task


def test_unknown_words_are_located_errors_with_suggestions(data_copy):
    line = edit(data_copy / "plans" / "01-it-training.yaml", "kind: 支持计划", "kind: 支持计刬")
    found = [f for f in findings(data_copy) if f.code == "unknown-plan-kind"]
    assert [(f.file.endswith("01-it-training.yaml"), f.line) for f in found] == [(True, line)]
    assert "支持计划" in found[0].message and "您是不是要找" in found[0].message
    # one mistake, one finding: the plans counted by kind are not reported as missing too
    assert not [f for f in findings(data_copy) if f.code == "count-mismatch"]


@pytest.mark.parametrize(
    ("file", "old", "new", "code"),
    [
        ("quotas/outreach.yaml", "qualifier: 至少", "qualifier: 最少", "unknown-qualifier"),
        ("quotas/outreach.yaml", "scope: 五县市", "scope: 六县市", "unknown-scope"),
        ("units.yaml", "level: 县市区", "level: 县区", "unknown-unit-level"),
        ("programme.yaml", "what: regions:区", "what: regions:城区", "unknown-count-kind"),
        ("regions.yaml", "kind: 区\n", "kind: 城区\n", "unknown-region-kind"),
    ],
)
def test_each_vocabulary_is_checked(data_copy, file, old, new, code):
    line = edit(data_copy / file, old, new)
    assert (code, file.split("/")[-1], line) in errors(data_copy)


def test_recurrence_and_task_kind_are_checked(data_copy):
    path = next(p for p in sorted((data_copy / "plans").glob("*.yaml")) if "recurrence: 每年" in p.read_text("utf-8"))
    line = edit(path, "recurrence: 每年", "recurrence: 每月")
    assert ("unknown-recurrence", path.name, line) in errors(data_copy)
    path = next(p for p in sorted((data_copy / "plans").glob("*.yaml")) if "kind: 年度任务" in p.read_text("utf-8"))
    line = edit(path, "kind: 年度任务", "kind: 年度计划")
    assert ("unknown-task-kind", path.name, line) in errors(data_copy)


def test_a_declared_group_must_use_declared_region_kinds(data_copy):
    _declare(data_copy, "vocabulary:\n  scopes:\n    - {name: 全市}\n    - {name: 各县, kinds: [县]}\n")
    found = [f for f in findings(data_copy) if f.code == "unknown-region-kind"]
    assert [(f.file.endswith("programme.yaml"), f.severity) for f in found] == [(True, "error")]
    assert "“县”" in found[0].message


def test_declared_count_kind_counts_what_it_says(data_copy):
    _declare(data_copy, NEW_WORDS)
    _rename_kinds(data_copy)
    edit(data_copy / "programme.yaml", "  - what: 县\n    value: 5", "  - what: 县\n    value: 6")
    found = [f for f in findings(data_copy) if f.code == "count-mismatch"]
    assert [f.subject for f in found] == ["县"] and "6 个县" in found[0].message and "5 个" in found[0].message


def test_short_name_declared_or_derived():
    assert derive_short_name("关于实施教师素养提升“十百千万”工程的意见") == "十百千万工程"
    assert derive_short_name("关于实施中小学教师“强师”计划的通知") == "强师计划"
    assert derive_short_name("关于推进教师队伍建设的意见") == "教师队伍建设"
    base = {
        "id": "x",
        "issuer": "某市教育局",
        "document": "某教发〔2021〕1号",
        "period": {"start": 2021, "end": 2025},
        "levels": ["小学"],
    }
    assert Programme.model_validate({**base, "title": "关于实施“名师”工程的意见"}).name == "名师工程"
    assert Programme.model_validate({**base, "title": "关于实施“名师”工程的意见", "short_name": "名师"}).name == "名师"


def test_the_shipped_programme_name(catalog):
    assert catalog.programme.model.name == "十百千万工程"


def test_schemas_offer_the_default_words_as_examples():
    import json

    from shiwanqian.load.schemas import schemas

    regions = json.loads(schemas()["regions.schema.json"])
    kind = regions["$defs"]["Region"]["properties"]["kind"]
    assert kind["examples"] == ["县市", "区", "直属"] and "enum" not in kind


def test_count_kinds_of_quotas_and_tasks(data_copy, catalog):
    quotas = len(catalog.quotas)
    tasks = sum(len(p.model.tasks) for p in catalog.plans)
    edit(data_copy / "programme.yaml", "source_text: source.txt\n", "")  # free quotations
    _declare(
        data_copy,
        f"""  - what: tables
    value: {quotas + 1}
    text: 共{quotas + 1}张名额表
    source: 正文 一
  - what: tasks
    value: {tasks}
    text: 共{tasks}项任务
    source: 正文 一
vocabulary:
  count_kinds:
    - {{what: regions, name: 区域, of: regions}}
    - {{what: plans, name: 计划、方案, of: plans, kinds: [支持计划, 工作专项]}}
    - {{what: levels, name: 学段, of: levels}}
    - {{what: tables, name: 名额表, of: quotas}}
    - {{what: tasks, name: 任务, of: tasks}}
""",
    )
    found = [f for f in findings(data_copy) if f.code == "count-mismatch"]
    assert [f.subject for f in found] == ["tables"]
    assert f"原文说有 {quotas + 1} 个名额表" in found[0].message and f"{quotas} 个" in found[0].message
