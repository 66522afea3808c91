"""Bad data files: every mistake is reported as (code, file, line), never as a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import edit, errors, findings


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_unknown_key_is_refused_at_its_line(data_copy):
    line = edit(
        data_copy / "plans" / "01-it-training.yaml", "    name: 全员培训\n", "    name: 全员培训\n    nmae: x\n"
    )
    assert ("schema", "01-it-training.yaml", line + 1) in errors(data_copy)


def test_negative_count_is_refused(data_copy):
    line = edit(data_copy / "quotas" / "lessons.yaml", "高中: 200,", "高中: -200,")
    assert ("schema", "lessons.yaml", line) in errors(data_copy)


def test_float_where_a_count_is_expected(data_copy):
    line = edit(data_copy / "quotas" / "lessons.yaml", "高中: 200,", "高中: 200.5,")
    found = [f for f in findings(data_copy) if f.code == "schema"]
    assert [(Path(f.file).name, f.line) for f in found] == [("lessons.yaml", line)]
    assert "小数" in found[0].message


def test_percentage_over_100_is_refused(data_copy):
    line = edit(data_copy / "quotas" / "network-college.yaml", 'value: 30, unit: "%"', 'value: 130, unit: "%"')
    assert ("out-of-range", "network-college.yaml", line) in errors(data_copy)


def test_year_outside_the_plan_period(data_copy):
    line = edit(data_copy / "quotas" / "lessons.yaml", "2020: 10}", "2021: 10}")
    assert ("year-outside-period", "lessons.yaml", line) in errors(data_copy)


def test_task_year_outside_the_plan_period(data_copy):
    line = edit(data_copy / "plans" / "01-it-training.yaml", "years: [2016, 2018, 2020]", "years: [2016, 2018, 2022]")
    assert ("year-outside-period", "01-it-training.yaml", line) in errors(data_copy)


def test_yaml_11_surprises(data_copy):
    # `no` is read as false by YAML 1.1; a date is read as a date, not a year.
    line = edit(data_copy / "plans" / "01-it-training.yaml", "    name: 空间评选\n", "    name: no\n")
    line2 = edit(data_copy / "quotas" / "backbone-teachers.yaml", "  - year: 2016\n", "  - year: 2016-07-01\n")
    found = errors(data_copy)
    assert ("schema", "01-it-training.yaml", line) in found
    assert ("schema", "backbone-teachers.yaml", line2) in found


def test_octal_looking_year(data_copy):
    line = edit(data_copy / "quotas" / "backbone-teachers.yaml", "  - year: 2016\n", "  - year: 010\n")
    found = [f for f in findings(data_copy) if f.code == "yaml-octal"]
    assert [(Path(f.file).name, f.line) for f in found] == [("backbone-teachers.yaml", line)]
    assert "八进制" in found[0].message


def test_duplicate_keys_at_any_depth(data_copy):
    edit(data_copy / "quotas" / "lessons.yaml", "{高中: 200, 初中: 250,", "{高中: 200, 高中: 250,")
    path = data_copy / "programme.yaml"
    line = edit(path, "issuer: 株洲市教育局\n", "issuer: 株洲市教育局\nissuer: 别的\n")
    found = errors(data_copy)
    assert ("duplicate-key", "programme.yaml", line + 1) in found
    assert any(c == "duplicate-key" and n == "lessons.yaml" for c, n, _ in found)


@pytest.mark.parametrize(
    ("name", "refs"),
    [
        ("unknown-region", ("region: 攸县\n", "region: 由县\n", "quotas/lessons.yaml")),
        ("unknown-level", ("{高中: 200,", "{高级中学: 200,", "quotas/lessons.yaml")),
        ("unknown-unit", ("units: [市装备所]", "units: [市装配所]", "plans/01-it-training.yaml")),
        ("unknown-plan", ("plan: lessons\n", "plan: lesson\n", "quotas/lessons.yaml")),
    ],
)
def test_unknown_names_get_a_suggestion(data_copy, name, refs):
    old, new, file = refs
    line = edit(data_copy / file, old, new)
    hits = [f for f in findings(data_copy) if f.code == name]
    assert [(Path(f.file).name, f.line) for f in hits][:1] == [(Path(file).name, line)]
    assert "您是不是要找" in hits[0].message


def test_gb18030_file_says_so(data_copy):
    path = data_copy / "programme.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    found = [f for f in findings(data_copy) if f.code == "encoding"]
    assert len(found) == 1 and "GB18030" in found[0].message


def test_utf16_file_says_so(data_copy):
    path = data_copy / "regions.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert ("encoding", "regions.yaml", 1) in errors(data_copy)


def test_utf8_bom_is_a_warning_only(data_copy):
    path = data_copy / "units.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    found = findings(data_copy)
    assert [f.severity for f in found if f.code == "bom"] == ["warning"]
    assert not [f for f in found if f.severity == "error"]


def test_tab_indentation(data_copy):
    path = data_copy / "quotas" / "rural-exchange.yaml"
    write(path, path.read_text(encoding="utf-8").replace("\n  - {name: 本周期", "\n\t- {name: 本周期"))
    found = [f for f in findings(data_copy) if f.code == "yaml-syntax"]
    assert found and "Tab" in found[0].message


def test_empty_and_truncated_and_binary_files(data_copy):
    write(data_copy / "quotas" / "empty.yaml", "")
    text = (data_copy / "quotas" / "lessons.yaml").read_text(encoding="utf-8")
    write(data_copy / "quotas" / "lessons.yaml", text[: len(text) // 2] + "\n  - {region: [")
    (data_copy / "plans" / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    found = {(c, n) for c, n, _ in errors(data_copy)}
    assert ("empty-file", "empty.yaml") in found
    assert ("yaml-syntax", "lessons.yaml") in found
    assert ("encoding", "binary.yaml") in found


def test_alias_bomb_is_refused_quickly(data_copy):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
        for i in range(1, 12)
    ]
    write(data_copy / "quotas" / "bomb.yaml", "\n".join(lines) + "\n")
    start = time.perf_counter()
    found = errors(data_copy)
    assert time.perf_counter() - start < 20  # generous: an expanded bomb would never finish
    assert ("yaml-alias", "bomb.yaml", 1) in found


def test_deep_nesting(data_copy):
    write(data_copy / "quotas" / "deep.yaml", "a: " + "[" * 10000 + "]" * 10000 + "\n")
    found = {(c, n) for c, n, _ in errors(data_copy)}
    assert found & {("too-deep", "deep.yaml"), ("yaml-syntax", "deep.yaml")}


def test_huge_integer(data_copy):
    line = edit(data_copy / "quotas" / "lessons.yaml", "高中: 200,", "高中: 2" + "0" * 400 + ",")
    assert any(
        c in ("row-total-mismatch", "schema", "quote-mismatch") and n == "lessons.yaml" and ln == line
        for c, n, ln in errors(data_copy)
    )


def test_missing_data_folder_files(tmp_path):
    found = {(c, n) for c, n, _ in errors(tmp_path)}
    assert {
        ("missing-file", "programme.yaml"),
        ("missing-file", "regions.yaml"),
        ("missing-file", "units.yaml"),
    } <= found
