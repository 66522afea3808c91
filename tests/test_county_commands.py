"""Every command on the example county programme (examples/county-youxian/data, a child of the
shipped data): each answers from the county's own data, calls the whole area 全县 and never
全市, and names the county's towns, not the city's regions."""

from __future__ import annotations

import json

import pytest

from conftest import REPO

CHILD = REPO / "examples" / "county-youxian" / "data"
PROGRESS = REPO / "examples" / "county-youxian" / "progress"
CITY_REGIONS = ("炎陵县", "茶陵县", "醴陵市", "荷塘区", "直属学校")
FORMATS = ("table", "json", "csv", "markdown")
COMMANDS = [
    ["quota", "--all"],
    ["quota", "--district", "甲镇"],
    ["quota", "--district", "xianzhi", "--year", "2016"],
    ["quota", "--district", "全县", "--year", "2018"],
    ["schedule"],
    ["schedule", "--district", "丙乡"],
    ["schedule", "--unit", "县教师进修学校"],
    ["agenda", "--as-of", "2016-08-20", "--within", "120"],
    ["plans"],
    ["allocate", "lessons"],
    ["allocate", "backbone-teachers", "--district", "甲镇"],
    ["allocate", "workstations", "--district", "县直学校", "--explain"],
    ["budget"],
    ["budget", "--district", "全县"],
    ["progress", "--progress", str(PROGRESS), "--as-of", "2016-12-31", "--what", "quotas"],
    ["progress", "--progress", str(PROGRESS), "--district", "丙乡", "--what", "quotas"],
]


def _run(cli, args: list[str]):
    return cli(*args, "--data", str(CHILD))


def _clean(text: str) -> None:
    assert "全市" not in text
    for region in CITY_REGIONS:
        assert region not in text, region
    assert "None" not in text


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_query_on_the_county(cli, args, fmt):
    result = _run(cli, [*args, "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.output.strip()
    _clean(result.output)
    if fmt == "json":
        json.loads(result.output)


def test_the_whole_county_view_says_quanxian(cli):
    result = _run(cli, ["quota", "--all"])
    assert "万节优质课堂教学资源（节，名额）— 全县" in result.output
    for town in ("甲镇", "乙镇", "丙乡", "丁乡", "县直学校"):
        assert town in result.output
    records = json.loads(_run(cli, ["quota", "--all", "--format", "json"]).output)
    assert {r["region"] for r in records} == {"甲镇", "乙镇", "丙乡", "丁乡", "县直学校", "全县"}
    assert (
        sum(r["value"] for r in records if r["quota"] == "lessons" and r["name"] == "合计" and r["region"] != "全县")
        == 1545
    )


def test_timeline_and_exports_on_the_county(cli, tmp_path):
    for args in (["timeline"], ["timeline", "--tasks", "--district", "甲镇"]):
        result = _run(cli, args)
        assert result.exit_code == 0 and "攸县十百千万工程（虚构示例）时间线" in result.output
        _clean(result.output)
    outputs = {
        "timeline.svg": ["timeline", "--out"],
        "all.xlsx": ["export", "xlsx", "--out"],
        "jia.xlsx": ["export", "xlsx", "--district", "甲镇", "--out"],
        "all.ics": ["export", "ics", "--out"],
        "template.xlsx": ["export", "template", "--district", "丙乡", "--year", "2017", "--out"],
        "report.html": ["progress", "--progress", str(PROGRESS), "--out"],
    }
    for name, args in outputs.items():
        result = _run(cli, [*args, str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "全县各区域" in html and "全市" not in html


def test_the_workbook_speaks_of_the_county(cli, tmp_path):
    from openpyxl import load_workbook

    _run(cli, ["export", "xlsx", "--out", str(tmp_path / "all.xlsx")])
    book = load_workbook(tmp_path / "all.xlsx")
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("甲镇" in c for c in cells)
    assert not any("全市" in c for c in cells)


def test_check_and_its_formats_on_the_county(cli):
    for fmt in ("text", "json", "github"):
        result = _run(cli, ["check", "--format", fmt])
        assert result.exit_code == 0, result.output
    result = _run(cli, ["check", "--progress", str(PROGRESS)])
    assert result.exit_code == 0 and "进度目录" in result.output
