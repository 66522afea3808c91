"""`shiwanqian upgrade DIR`: a folder written for an older version, in today's format, saying the same."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import DATA, REPO, diff_records, errors, findings
from shiwanqian.load.schemas import schemas
from shiwanqian.load.yamledit import EditError, insert_key, prepend_line, scalar

COMPAT = REPO / "tests" / "compat" / "data-0.1.0"
SHIPPED = {
    "data": DATA,
    "example": REPO / "examples" / "sample-city-2021-2025",
    "county": REPO / "examples" / "county-youxian" / "data",
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def old(tmp_path: Path) -> Path:
    folder = tmp_path / "旧数据"
    shutil.copytree(COMPAT, folder)
    return folder


def test_check_only_reports_and_writes_nothing(cli, old):
    before = snapshot(old)
    result = cli("upgrade", str(old), "--check")
    assert result.exit_code == 1
    assert "需要改写 8 处（7 个文件）；--check：没有写入。" in result.output
    assert f"{old}/quotas/network-college.yaml:15:5: 补写 derived：" in result.output
    assert f"{old}/schemas/progress.schema.json:1:1: 新增" in result.output
    assert snapshot(old) == before


def test_the_frozen_0_1_0_folder_upgraded(cli, old):
    assert {f.code for f in findings(old) if f.severity == "warning"} >= {"quote-number-unconfirmed"}
    result = cli("upgrade", str(old))
    assert result.exit_code == 0, result.output
    assert "已改写 8 处（7 个文件）" in result.output and "不再报告 2 个旧格式造成的警告" in result.output
    # check passes, and every warning left is a disagreement of the document itself.
    assert errors(old) == []
    left = [f for f in findings(old) if f.severity == "warning"]
    assert left and all(f.acknowledged_by for f in left)
    # diff finds no change of meaning; with --notes, exactly the two derived explanations.
    assert diff_records(cli, str(COMPAT), str(old)) == (0, [])
    status, notes = diff_records(cli, str(COMPAT), str(old), "--notes")
    assert status == 1
    data = [(r["kind"], r["field"], r["change"]) for r in notes if r["layer"] == "data"]
    assert data == [("target", "derived", "changed")] * 2
    assert {r["name"] for r in notes if r["kind"] == "finding"} == {"quote-number-unconfirmed"}
    # The schemas are today's, and a second run has nothing to do.
    assert {name: (old / "schemas" / name).read_text(encoding="utf-8") for name in schemas()} == schemas()
    again = cli("upgrade", str(old))
    assert again.exit_code == 0 and "已是当前版本的数据格式" in again.output
    assert cli("upgrade", str(old), "--check").exit_code == 0


def test_comments_and_layout_of_the_rewritten_file_stay(cli, old):
    import re

    path = old / "quotas" / "network-college.yaml"
    before = path.read_text(encoding="utf-8")
    assert cli("upgrade", str(old)).exit_code == 0
    after = path.read_text(encoding="utf-8")
    # Block style: a line of its own, in the mapping's indentation, before its source.
    block = re.findall(r"^    derived: 引文“建设市直属单位[^\n]*\n(?=    source: )", after, re.M)
    # {…} style: inside the braces, before source, on the same line.
    flow = re.findall(
        r", derived: 引文“11所分院建立门户主页”[^,]*(?=, source: 附件10 二 年度任务 2017年}$)", after, re.M
    )
    assert len(block) == len(flow) == 1
    assert after.replace(block[0], "").replace(flow[0], "") == before  # nothing else moved


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_folder_is_current(cli, tmp_path, name):
    copy = tmp_path / "copy"
    shutil.copytree(SHIPPED[name], copy)
    before = snapshot(copy)
    for args in (("--check",), ()):
        result = cli("upgrade", str(copy), *args)
        assert result.exit_code == 0 and "已是当前版本的数据格式，没有需要改写的内容。" in result.output
    assert snapshot(copy) == before


def test_missing_schema_headers_are_added(cli, data_copy):
    plan = data_copy / "plans" / "01-it-training.yaml"
    text = plan.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    assert first == "# yaml-language-server: $schema=../schemas/plan.schema.json"
    plan.write_text(rest, encoding="utf-8")
    result = cli("upgrade", str(data_copy))
    assert result.exit_code == 0 and "第一行写明 JSON Schema" in result.output
    assert plan.read_text(encoding="utf-8") == text


def test_a_number_no_rule_can_explain_is_left_for_a_person(cli, old):
    path = old / "quotas" / "lessons.yaml"
    text = path.read_text(encoding="utf-8")
    made_up = (
        "  - {name: 职业教育骨干, value: 1, unit: 人, scope: 全市, text: 职业教育12人, source: 附件12 二（二）4}\n"
    )
    path.write_text(text.replace("targets:\n", "targets:\n" + made_up, 1), encoding="utf-8")
    result = cli("upgrade", str(old))
    assert result.exit_code == 0
    assert "仍有 1 个旧格式造成的警告无法自动改写" in result.output and "1 不见于“职业教育12人”" in result.output
    assert "unconfirmed" in json.dumps([f.code for f in findings(old)])


def test_broken_data_is_not_upgraded(cli, old):
    path = old / "quotas" / "lessons.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("高中: 500", "高中: 501", 1), encoding="utf-8")
    before = snapshot(old)
    result = cli("upgrade", str(old))
    assert result.exit_code == 1 and "请先修正" in result.output
    assert snapshot(old) == before


def test_all_or_nothing(cli, old):
    """A file the writer must not replace (a link) stops every write, made or not."""
    target = old / "schemas" / "plan.schema.json"
    elsewhere = old.parent / "elsewhere.json"
    shutil.copy(target, elsewhere)
    target.unlink()
    target.symlink_to(elsewhere)
    before = snapshot(old)
    result = cli("upgrade", str(old))
    assert result.exit_code == 1 and "plan.schema.json" in result.output
    assert snapshot(old) == before
    assert not [p for p in old.parent.iterdir() if p.name.startswith(".shiwanqian")]  # no trial folder left


def test_usage_errors(cli, tmp_path):
    assert cli("upgrade", str(tmp_path / "不存在")).exit_code == 2
    assert cli("upgrade", str(tmp_path)).exit_code == 2
    assert cli("upgrade").exit_code == 2


# ------------------------------------------------------------------ editing YAML text


def test_a_key_goes_where_the_mapping_keeps_its_keys():
    text = "# a comment\nitems:\n  - name: a   # kept\n    source: s\n  - {name: b, source: t}\n"
    block = insert_key(text, ("items", 0), "derived", "一", before="source")
    assert (
        block == "# a comment\nitems:\n  - name: a   # kept\n    derived: 一\n    source: s\n  - {name: b, source: t}\n"
    )
    flow = insert_key(block, ("items", 1), "derived", "二", before="source")
    assert flow.endswith("  - {name: b, derived: 二, source: t}\n")
    first = insert_key("- source: s\n  name: a\n", (0,), "derived", "三", before="source")
    assert first == "- derived: 三\n  source: s\n  name: a\n"


@pytest.mark.parametrize("value", ["a: b", "x, y", "# no", "[1]", "yes", "2016", "中文：全角冒号", " lead", "{x}"])
def test_a_value_reads_back_as_the_same_string(value):
    import yaml

    for flow in (False, True):
        written = scalar(value, flow=flow)
        probe = f"{{k: {written}}}" if flow else f"k: {written}"
        assert yaml.safe_load(probe) == {"k": value}
    text = insert_key("a: {k: 1, source: s}\nb:\n  source: s\n", ("a",), "v", value, before="source")
    text = insert_key(text, ("b",), "v", value, before="source")
    assert yaml.safe_load(text) == {"a": {"k": 1, "v": value, "source": "s"}, "b": {"v": value, "source": "s"}}


def test_an_edit_that_cannot_be_made_is_refused():
    with pytest.raises(EditError):
        insert_key("a: {source: s}\n", ("b",), "v", "x", before="source")
    with pytest.raises(EditError):
        insert_key("a: {k: 1}\n", ("a",), "v", "x", before="source")
    with pytest.raises(EditError):
        insert_key("a: {source: s, v: 1}\n", ("a",), "v", "x", before="source")  # a key written twice
    with pytest.raises(EditError):
        prepend_line("a: 1\n", "not a comment")
