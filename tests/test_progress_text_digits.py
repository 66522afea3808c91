"""A count typed as text in a returned workbook (issue 23): '113 in 实际完成 is read as 113 and
named in the import summary, not taken silently; words and negative numbers are still refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook


@pytest.fixture
def template(cli, tmp_path: Path) -> Path:
    out = tmp_path / "攸县-2017.xlsx"
    assert cli("export", "template", "--district", "攸县", "--year", "2017", "--out", str(out)).exit_code == 0
    return out


def fill(template: Path, out: Path, value: str) -> str:
    """Every target as the figure, but ``value`` as text in the lessons 初中 row; its cell."""
    wb = load_workbook(template)
    wb["说明"]["B6"] = dt.date(2017, 12, 31)
    ws = wb["名额完成情况"]
    cell = ""
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 6).value = ws.cell(r, 5).value
        if (ws.cell(r, 1).value, ws.cell(r, 3).value) == ("万节优质课堂教学资源", "初中"):
            ws.cell(r, 6).value = value
            ws.cell(r, 6).data_type = "s"  # a cell formatted as text: a string in the file
            cell = f"F{r}"
    wb.save(out)
    return cell


@pytest.mark.parametrize(("typed", "shown"), [("113", "113"), (" 113 ", "113"), ("１１３", "１１３")])
def test_digits_typed_as_text_are_read_and_named_in_the_summary(cli, template, tmp_path, typed, shown):
    workbook = tmp_path / "filled.xlsx"
    cell = fill(template, workbook, typed)
    folder = tmp_path / "progress"
    result = cli("progress", "import", str(workbook), "--progress", str(folder))
    assert result.exit_code == 0, result.output
    assert "写成文字的数字（1 处）已按数字读入，请核对：" in result.stdout
    assert f"  filled.xlsx!名额完成情况!{cell}: 文字“{shown}”按数字 113 读入\n" in result.stdout
    (report,) = folder.glob("攸县-*.yaml")
    assert "{quota: lessons, region: 攸县, level: 初中, year: 2017, achieved: 113}" in report.read_text("utf-8")


def test_numbers_are_read_without_a_note(cli, template, tmp_path):
    workbook = tmp_path / "filled.xlsx"
    wb = load_workbook(template)
    wb["说明"]["B6"] = dt.date(2017, 12, 31)
    ws = wb["名额完成情况"]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 6).value = ws.cell(r, 5).value
    wb.save(workbook)
    result = cli("progress", "import", str(workbook), "--progress", str(tmp_path / "progress"))
    assert result.exit_code == 0 and "写成文字的数字" not in result.stdout


@pytest.mark.parametrize(("typed", "why"), [("三十", "应填写数字，而不是文字“三十”"), ("-5", "不能为负数：-5")])
def test_words_and_negative_numbers_are_still_refused(cli, template, tmp_path, typed, why):
    workbook = tmp_path / "filled.xlsx"
    cell = fill(template, workbook, typed)
    result = cli("progress", "import", str(workbook), "--progress", str(tmp_path / "progress"))
    assert result.exit_code == 1
    assert f"filled.xlsx!名额完成情况!{cell}: {why}" in result.stderr
    assert not (tmp_path / "progress").exists()


def test_the_rule_is_stated_where_the_rule_is(cli):
    for args in (["progress", "import", "--help"], ["export", "template", "--help"]):
        text = "".join(cli(*args, env={"COLUMNS": "200"}).output.split())
        assert "写成文字的数字" in text, args
