"""`shiwanqian init DIR --parent PARENT --region R --units …` (issue 18, 3): a new county programme
whose tables carry the parent's figures for the region, that says what is left to fill, and
that passes ``check`` once the split is filled in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DATA
from shiwanqian.domain.refine.parent import Margins, parent_view
from shiwanqian.storage.snapshot import load_snapshot

UNITS = ["城关镇", "东乡", "县直学校"]


@pytest.fixture
def scaffold(cli, tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "攸县工程"
    result = cli("init", str(folder), "--parent", str(DATA), "--region", "youxian", "--units", "城关镇、东乡,县直学校")
    assert result.exit_code == 0, result.output
    return folder, result.output


def test_the_scaffold_names_its_parent_and_carries_its_figures(scaffold):
    folder, _ = scaffold
    programme = (folder / "programme.yaml").read_text(encoding="utf-8")
    assert 'region: "攸县"' in programme and 'area: "全县"' in programme
    assert "period: {start: 2016, end: 2020}" in programme
    assert sorted(p.name for p in (folder / "quotas").glob("*.yaml")) == [
        "backbone-teachers.yaml",
        "lessons.yaml",
        "workstations.yaml",
    ]
    backbone = (folder / "quotas" / "backbone-teachers.yaml").read_text(encoding="utf-8")
    assert (
        "名额：高中 30、初中 60、小学 60、幼儿教育 10、职业教育 9、特殊教育 2，合计 171（附件12 二（二）3）" in backbone
    )
    assert "2017 年年度安排：初中 60、小学 60（附件12 四 2）" in backbone
    assert 'refines: {table: "backbone-teachers"}' in backbone
    lessons = (folder / "quotas" / "lessons.yaml").read_text(encoding="utf-8")
    assert "2018 年年度分配（按年度比例受控取整）：高中 125、初中 112、小学 88" in lessons
    regions = (folder / "regions.yaml").read_text(encoding="utf-8")
    assert [line.split('"')[1] for line in regions.splitlines() if "- name:" in line] == UNITS
    assert 'kind: "乡镇"' in regions and 'kind: "直属"' in regions


def test_it_says_what_is_left_to_fill(scaffold):
    folder, output = scaffold
    assert "分解上级（十百千万工程，株教发〔2016〕4号）分给攸县的 3 张名额表" in output
    assert "还须填写：" in output
    assert (
        f"{folder / 'quotas' / 'lessons.yaml'}：各单位的名额（上级给攸县 1545）与 2016、2017、2018、2019、2020 年"
        in output
    )
    assert f"{folder / 'quotas' / 'workstations.yaml'}：各单位的名额（上级给攸县 3）与 2016、2017、2018 年" in output
    assert "文件名称、发文单位、文号（现为占位）" in output and "现有 16 处尚未分解" in output


def test_until_filled_check_lists_each_sum_against_the_parent(cli, scaffold):
    folder, _ = scaffold
    result = cli("check", "--data", str(folder), "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.output)
    assert {f["code"] for f in found} == {"refine-sum", "refine-yearly-missing"}
    assert len(found) == 16  # 1 + 6 + 6 学段 sums, one missing yearly split per table
    assert any(
        "高中：各区域之和为 0（尚未分解），上级工程（十百千万工程）分给攸县的是 500" in f["message"] for f in found
    )


def _rows(margins: Margins, unit: str, by_level: bool) -> tuple[str, str]:
    if by_level:
        values = ", ".join(f"{lv}: {f.value}" for lv, f in margins.totals.items())
        text = f"{unit}：" + "、".join(f"{lv}{f.value}{margins.unit}" for lv, f in margins.totals.items()) + "。"
        return f"rows:\n  - region: {unit}\n    values: {{{values}}}\n    text: {text}\n    source: 正文 二\n", text
    text = f"{unit}建{margins.total}{margins.unit}"
    return f"rows:\n  - {{region: {unit}, value: {margins.total}, text: {text}, source: 正文 二}}\n", text


def _schedule(margins: Margins, unit: str) -> tuple[str, list[str]]:
    """Every yearly figure to ``unit``; a 学段 the parent gives no year for goes into the last year."""
    years = sorted({y for _, y in margins.yearly})
    by_year: dict[int, dict] = {y: {} for y in years}
    for (level, year), figure in margins.yearly.items():
        by_year[year][level] = figure.value
    for level, figure in margins.totals.items():
        left = figure.value - sum(f.value for (lv, _), f in margins.yearly.items() if lv == level)
        if left:
            by_year[years[-1]][level] = by_year[years[-1]].get(level, 0) + left
    lines, texts = ["schedule:\n"], []
    for year, cells in by_year.items():
        lines.append(f"  - year: {year}\n    source: 正文 二\n    groups:\n")
        for level, value in cells.items():
            text = f"{year}年{level or ''}{unit}{value}{margins.unit}"
            texts.append(text)
            lines.append(
                f"      - {{{'level: ' + level + ', ' if level else ''}regions: {{{unit}: {value}}}, text: {text}}}\n"
            )
    return "".join(lines), texts


def test_once_the_split_is_filled_check_passes(cli, scaffold):
    folder, _ = scaffold
    view = parent_view(load_snapshot(DATA), "攸县", "x")
    quotes = []
    for table_id, margins in view.tables.items():
        path = folder / "quotas" / f"{table_id}.yaml"
        text = path.read_text(encoding="utf-8")
        rows, quote = _rows(margins, "县直学校", "by_level: true" in text)
        schedule, said = _schedule(margins, "县直学校")
        quotes += [quote, *said]
        head, _, rest = text.partition("rows: []")
        rest = rest.split("\n", 1)[1]
        before, _, after = rest.partition("schedule: []")
        path.write_text(head + rows + before + schedule + after.split("\n", 1)[1], encoding="utf-8")
    source = folder / "source.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\n".join(quotes) + "\n", encoding="utf-8")
    result = cli("check", "--data", str(folder))
    assert result.exit_code == 0, result.output
    assert "检查通过：0 个错误，0 个警告" in result.output
    # And the county answers its own queries with 全县.
    result = cli("quota", "--all", "--plan", "lessons", "--data", str(folder))
    assert result.exit_code == 0 and "— 全县" in result.output and "全市" not in result.output


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (["--region", "攸县"], 2, "缺少 --units"),
        (["--units", "甲镇"], 2, "--region 写所分解的一个上级区域"),
        (["--region", "攸县、醴陵市", "--units", "甲镇"], 2, "--region 写所分解的一个上级区域"),
        (["--region", "youxain", "--units", "甲镇"], 2, "上级没有区域“youxain”；您是不是要找：攸县"),
        (["--region", "攸县", "--units", "甲镇,甲镇"], 2, "单位重复：甲镇"),
        (["--region", "攸县", "--units", "甲镇", "--start", "2017"], 2, "计划期与学段取自上级"),
    ],
)
def test_usage_errors_write_nothing(cli, tmp_path, args, status, words):
    folder = tmp_path / "new"
    result = cli("init", str(folder), "--parent", str(DATA), *args)
    assert result.exit_code == status and words in result.output
    assert not folder.exists()


def test_a_parent_with_errors_or_without_data(cli, tmp_path, data_copy):
    from conftest import edit

    edit(data_copy / "quotas" / "workstations.yaml", "{region: 攸县, value: 3,", "{region: 攸县, value: 4,")
    result = cli("init", str(tmp_path / "a"), "--parent", str(data_copy), "--region", "攸县", "--units", "甲镇")
    assert result.exit_code == 1 and "上级数据目录" in result.output and "处错误" in result.output
    result = cli("init", str(tmp_path / "b"), "--parent", str(tmp_path), "--region", "攸县", "--units", "甲镇")
    assert result.exit_code == 2 and "不是数据目录" in result.output
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_units_without_parent_is_a_usage_error(cli, tmp_path):
    result = cli("init", str(tmp_path / "c"), "--units", "甲镇")
    assert result.exit_code == 2 and "--units 只与 --parent 同用" in result.output
