"""Quote checks that do not depend on one document's wording (numerals of any form, any phrasing)."""

from __future__ import annotations

from conftest import edit, findings


def _free_text(root) -> None:
    """Let the test reword quotations: without source_text, quotations are not looked up."""
    edit(root / "programme.yaml", "source_text: source.txt\n", "")


def _codes(root, file: str) -> set[tuple[str, str, int]]:
    return {(f.code, f.severity, f.line) for f in findings(root) if f.file.endswith(file)}


def test_chinese_numerals_and_other_wording_confirm_the_numbers(data_copy):
    _free_text(data_copy)
    lessons = data_copy / "quotas" / "lessons.yaml"
    edit(
        lessons,
        "攸县：高中500节、初中450节、小学350节、幼儿教育95节、职业教育120节，特殊教育30节。合计1545节。",
        "攸县：高中五百节、初中四百五十节、小学三百五十节、幼儿教育九十五节、职业教育一百二十节，特殊教育三十节。共计一千五百四十五节。",
    )
    edit(
        lessons,
        "2016年完成总任务的10%，2017年完成总任务的25%，2018年完成总任务的25%，2019年完成总任务的30%，2020年完成总任务的10%。",
        "2016年10%；2017年百分之二十五；2018年２５％；2019年要达到百分之三十；2020年10%。",
    )
    assert not [f for f in findings(data_copy) if f.code.startswith("quote")]


def test_a_number_given_to_another_level_or_year_is_a_mismatch(data_copy):
    lessons = data_copy / "quotas" / "lessons.yaml"
    line = edit(lessons, "{高中: 500, 初中: 450", "{高中: 450, 初中: 500")
    assert ("quote-mismatch", "error", line) in _codes(data_copy, "lessons.yaml")
    line = edit(
        lessons,
        "values: {2016: 10, 2017: 25, 2018: 25, 2019: 30, 2020: 10}",
        "values: {2016: 10, 2017: 25, 2018: 30, 2019: 25, 2020: 10}",
    )
    mismatches = [f for f in findings(data_copy) if f.code == "quote-mismatch" and f.file.endswith("lessons.yaml")]
    assert {f.subject for f in mismatches} >= {"lessons/shares/values/2018", "lessons/shares/values/2019"}


def test_a_quote_with_a_number_the_record_does_not_hold_is_a_warning(data_copy):
    _free_text(data_copy)
    path = data_copy / "quotas" / "backbone-teachers.yaml"
    line = edit(
        path,
        "text: 芦淞区：初中25人、小学25人、幼儿教育5人。合计55人。",
        "text: 芦淞区：初中25人、小学25人、幼儿教育5人、职业教育3人。合计55人。",
    )
    found = [f for f in findings(data_copy) if f.code == "quote-unaccounted-number"]
    assert [(f.severity, f.line) for f in found] == [("warning", line)]  # at the quotation
    assert "3" in found[0].message


def test_numbers_inside_names_need_no_record(catalog):
    # “13个高中学科基地” is a responsible unit's name, not a quantity the schedule must hold.
    assert not [f for f in findings(catalog.root) if f.code == "quote-unaccounted-number"]


def test_what_0_1_0_accepted_is_now_a_warning(data_copy):
    # 0.1.0 accepted a digit string anywhere in the quote (30 inside 300): now a warning.
    path = data_copy / "quotas" / "lessons.yaml"
    line = edit(path, "    value: 300\n", "    value: 30\n")
    found = [f for f in findings(data_copy) if f.file.endswith("lessons.yaml") and f.line == line]
    assert [(f.code, f.severity) for f in found] == [("quote-number-unconfirmed", "warning")]


def test_derived_values_must_be_stated_in_their_derivation(data_copy):
    path = data_copy / "quotas" / "network-college.yaml"
    line = edit(
        path,
        "derived: 市直属单位及五县（市）五区共11个区域、11所分院，每区域1所",
        "derived: 市直属单位及五县（市）五区共11个区域、11所分院，每区域各建分院",
    )
    assert ("quote-mismatch", "error", line) in _codes(data_copy, "network-college.yaml")


def test_members_bounds_are_confirmed_by_their_quote(data_copy):
    line = edit(data_copy / "quotas" / "workstations.yaml", "  per_station_max: 5\n", "  per_station_max: 6\n")
    codes = _codes(data_copy, "workstations.yaml")
    assert ("quote-number-unconfirmed", "warning", line) in codes


def test_stated_counts_are_confirmed_by_their_quote(data_copy):
    line = edit(data_copy / "programme.yaml", "  - what: levels\n    value: 6", "  - what: levels\n    value: 7")
    found = {(f.code, f.severity, f.line) for f in findings(data_copy) if f.file.endswith("programme.yaml")}
    assert ("quote-mismatch", "error", line + 1) in found  # 七 is not in “……六个层面”
