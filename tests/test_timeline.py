"""`shiwanqian timeline`: the Gantt picture fits 120 columns, its marks follow the tasks' timing,
its numbers follow the quota tables, and its SVG and HTML files are well formed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from shiwanqian.cli.timeline import WIDTH, export, renderable
from shiwanqian.domain.allocation.records import allocation_records
from shiwanqian.domain.programme import timeline as tl
from shiwanqian.load.model import Timing

YEARS = (2016, 2017, 2018, 2019, 2020)
FILTERS = [
    {},
    {"region": "攸县"},
    {"region": "直属学校"},
    {"region": "芦淞区"},
    {"unit": "市教师培训中心"},
    {"unit": "县市区教育局"},
    {"plan": "leading-teachers"},
    {"plan": "leadership"},
    {"region": "醴陵市", "unit": "县市区教育局", "plan": "backbone-teachers"},
]


@pytest.fixture(scope="module")
def allocations(catalog):
    return allocation_records(catalog)


def build(catalog, allocations, **filters):
    region = filters.get("region")
    kind = next((r.kind for r in catalog.regions.model.regions if r.name == region), None)
    return tl.build(
        catalog,
        region=region,
        region_kind=kind,
        unit=filters.get("unit"),
        plan=filters.get("plan"),
        tasks=filters.get("tasks", False),
        allocations=allocations,
    )


def lines_at_120(timeline) -> list[str]:
    out = Console(file=io.StringIO(), width=120, record=True, color_system=None, soft_wrap=False)
    out.print(renderable(timeline))
    return out.export_text().splitlines()


def halves(row, year) -> tuple[str, str]:
    return row.half(year, 0), row.half(year, 1)


def task_row(timeline, name):
    return next(r for r in timeline.rows if r.kind == "task" and r.label == name)


def quota_row(timeline, title):
    return next(r for r in timeline.rows if r.kind == "quota" and r.label.startswith(title))


# ------------------------------------------------------------------ fits 120 columns


@pytest.mark.parametrize("tasks", [False, True], ids=["plans", "tasks"])
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "-".join(f.values()) or "all")
def test_picture_fits_120_columns(catalog, allocations, filters, tasks):
    timeline = build(catalog, allocations, **filters, tasks=tasks)
    lines = lines_at_120(timeline)
    assert lines and max(cell_len(line) for line in lines) <= 120
    # The year columns are never squeezed: every table line has all five years' cells.
    header = next(line for line in lines if "上半年 下半年" in line)
    assert header.count("上半年 下半年") == 5


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--tasks"],
        ["-d", "攸县", "-t"],
        ["-u", "市教师培训中心", "-t"],
        ["-p", "lessons", "-t"],
        ["-d", "醴陵", "-u", "县市区教育局", "-p", "backbone-teachers"],
    ],
)
def test_command_output_fits_120_columns_on_a_wide_terminal(cli, args):
    result = cli("timeline", *args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert max(cell_len(line) for line in result.output.splitlines()) <= WIDTH
    assert "十百千万工程时间线" in result.output and "上半年 下半年" in result.output


def test_whole_programme_has_one_row_per_plan_and_with_tasks_one_per_task(catalog, allocations):
    plans = sorted((loc.model for loc in catalog.plans), key=lambda p: p.order)
    timeline = build(catalog, allocations)
    assert timeline.plan_titles() == [p.title for p in plans]
    assert not [r for r in timeline.rows if r.kind == "task"]
    expanded = build(catalog, allocations, tasks=True)
    assert expanded.plan_titles() == [p.title for p in plans]
    for p in plans:
        mine = [r for r in expanded.rows if r.kind == "task" and r.plan == p.id]
        assert sorted(r.label for r in mine) == sorted(t.name for t in p.tasks)


# ------------------------------------------------------------------ marks follow the timing


def test_a_single_month_marks_only_its_half_year():
    timing = Timing(years=[2018], months=[5])
    marks = {y: tl.year_marks(timing, y) for y in YEARS}
    assert marks[2018] == "····▌·" + "······"
    assert all(marks[y] == "·" * 12 for y in YEARS if y != 2018)
    assert (tl.half_mark(marks[2018], 0), tl.half_mark(marks[2018], 1)) == ("▌", "·")


@pytest.mark.parametrize(
    "timing, first, second",
    [
        (Timing(years=[2017], half="下半年"), "·", "█"),
        (Timing(years=[2017], half="上半年"), "█", "·"),
        (Timing(years=[2017]), "█", "█"),
        (Timing(years=[2017], deadline_month=10), "·", "▌"),  # “10月前”: September
        (Timing(years=[2017], deadline_month=7), "▌", "·"),  # “7月前”: June
        (Timing(years=[2017], season="年中"), "▌", "·"),
        (Timing(years=[2017], season="年末"), "·", "▌"),
        (Timing(years=[2017], months=[8, 10]), "·", "▌"),
    ],
)
def test_marks_by_kind_of_timing(timing, first, second):
    marks = tl.year_marks(timing, 2017)
    assert (tl.half_mark(marks, 0), tl.half_mark(marks, 1)) == (first, second)
    assert tl.year_marks(timing, 2016) == "·" * 12


def test_shipped_tasks_are_marked_in_exactly_their_years(catalog, allocations):
    timeline = build(catalog, allocations, tasks=True)
    tasks = {(loc.model.id, t.name): t for loc in catalog.plans for t in loc.model.tasks}
    for row in timeline.rows:
        if row.kind != "task":
            continue
        timing = tasks[row.plan, row.label].timing
        marked = [y for y in YEARS if row.marks(y) != "·" * 12]
        assert marked == timing.years, row.label
        for y in timing.years:
            if timing.months:
                assert {m for m in range(1, 13) if row.marks(y)[m - 1] == "▌"} == set(timing.months)
            if timing.half is not None:
                expected = ("█", "·") if timing.half == "上半年" else ("·", "█")
                assert halves(row, y) == expected


def test_shipped_examples(catalog, allocations):
    timeline = build(catalog, allocations, tasks=True)
    contest = task_row(timeline, "青年教师比武大赛")  # 2018年5月
    assert [halves(contest, y) for y in YEARS] == [("·", "·")] * 2 + [("▌", "·")] + [("·", "·")] * 2
    arts = task_row(timeline, "送培到县――文科专场")  # 2017年下半年
    assert [halves(arts, y) for y in YEARS] == [("·", "·"), ("·", "█")] + [("·", "·")] * 3
    station = task_row(timeline, "2016年名优特教师工作站建设")  # 2016年10月前
    assert halves(station, 2016) == ("·", "▌")
    guide = task_row(timeline, "制订优质课堂教学资源建设指南")  # 2016年7月前
    assert halves(guide, 2016) == ("▌", "·")


def test_a_plan_row_is_the_union_of_its_tasks_with_named_months_shown(catalog, allocations):
    timeline = build(catalog, allocations, tasks=True, plan="young-teachers")
    plan_row = next(r for r in timeline.rows if r.kind == "plan")
    tasks = [r for r in timeline.rows if r.kind == "task"]
    for y in YEARS:
        for m in range(12):
            marks = {t.marks(y)[m] for t in tasks}
            expected = "▌" if "▌" in marks else "█" if "█" in marks else "·"
            assert plan_row.marks(y)[m] == expected
    assert plan_row.marks(2018) == "████▌█" + "██████"  # all-year training + the May contest


def test_terminal_row_shows_the_marks(cli):
    output = cli("timeline", "--tasks", "--plan", "young-teachers").output
    line = next(line for line in output.splitlines() if line.startswith("  青年教师比武大赛"))
    cells = [c.strip() for c in line.split("│")[1:]]
    assert cells == ["······ ······", "······ ······", "····▌· ······", "······ ······", "······ ······"]


# ------------------------------------------------------------------ milestone numbers


def test_workstation_and_backbone_numbers_are_the_yearly_schedules(catalog, allocations):
    timeline = build(catalog, allocations)
    assert dict(quota_row(timeline, "名优特教师工作站").numbers) == {2016: "5", 2017: "9", 2018: "10"}
    assert dict(quota_row(timeline, "千名优秀骨干教师").numbers) == {2016: "200", 2017: "410", 2018: "390"}
    table = next(q.model for q in catalog.quotas if q.model.id == "workstations")
    assert {s.year: str(sum(sum(g.regions.values()) for g in s.groups)) for s in table.schedule} == dict(
        quota_row(timeline, "名优特教师工作站").numbers
    )


def test_lesson_numbers_are_the_allocation_totals(catalog, allocations):
    timeline = build(catalog, allocations)
    numbers = quota_row(timeline, "万节优质课堂教学资源").numbers
    assert [numbers[y] for y in YEARS] == ["1000", "2500", "2500", "3000", "1000"]
    totals = {y: sum(r["value"] for r in allocations["lessons"] if r["year"] == y) for y in YEARS}
    assert {y: str(v) for y, v in totals.items()} == dict(numbers)


def test_a_district_gets_its_own_numbers(catalog, allocations):
    timeline = build(catalog, allocations, region="攸县")
    assert dict(quota_row(timeline, "名优特教师工作站").numbers) == {2016: "1", 2017: "1", 2018: "1"}
    # 2018: only city-wide figures (幼儿教育 80, 职业教育 60, 特殊教育 10), not split by region.
    assert dict(quota_row(timeline, "千名优秀骨干教师").numbers) == {2016: "30", 2017: "120", 2018: tl.UNSPLIT}
    lessons = quota_row(timeline, "万节优质课堂教学资源").numbers
    assert sum(int(v) for v in lessons.values()) == 1545
    assert {y: int(v) for y, v in lessons.items()} == {
        y: sum(r["value"] for r in allocations["lessons"] if r["year"] == y and r["region"] == "攸县") for y in YEARS
    }
    assert any(note.startswith(tl.UNSPLIT) for note in timeline.notes)


def test_numbers_appear_in_the_terminal(cli):
    output = cli("timeline").output
    line = next(line for line in output.splitlines() if "万节优质课堂教学资源（节" in line)
    assert [c.strip() for c in line.split("│")[1:]] == ["1000", "2500", "2500", "3000", "1000"]
    line = next(line for line in output.splitlines() if "名优特教师工作站（个" in line)
    assert [c.strip() for c in line.split("│")[1:]] == ["5", "9", "10", "", ""]


# ------------------------------------------------------------------ filters


def test_filters_keep_only_plans_with_matching_tasks(catalog, allocations):
    timeline = build(catalog, allocations, unit="市教师培训中心", tasks=True)
    from shiwanqian.domain.programme.tasks import schedule_entries

    entries = schedule_entries(catalog, unit="市教师培训中心")
    assert sorted(r.label for r in timeline.rows if r.kind == "task") == sorted(e.task.name for e in entries)
    assert set(timeline.plan_titles()) == {e.plan.title for e in entries}
    empty = build(catalog, allocations, unit="市教师培训中心", plan="leadership")
    assert not empty.rows and "没有符合条件的任务：计划 leadership 没有任何任务。" in empty.notes


def test_plan_filter_and_district_alias(cli):
    result = cli("timeline", "-d", "渌口区", "-p", "leading-teachers", "-t")
    assert result.exit_code == 0
    assert "株洲县" in result.output and "百名学科领军教师培养方案" in result.output
    assert "千名优秀骨干教师培训方案" not in result.output


@pytest.mark.parametrize(
    "args", [["--district", "火星县"], ["--unit", "不存在的单位"], ["--plan", "nope"], ["--out", "timeline.pdf"]]
)
def test_usage_errors_exit_2(cli, args):
    result = cli("timeline", *args)
    assert result.exit_code == 2
    assert "错误" in result.output


def test_help_is_chinese_with_examples(cli):
    result = cli("timeline", "--help")
    assert result.exit_code == 0 and "示例" in result.output and "甘特图" in result.output


# ------------------------------------------------------------------ SVG and HTML


class StrictHTML(HTMLParser):
    """Collects text and checks that every element is closed in order."""

    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.errors: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unexpected </{tag}>")

    def handle_data(self, data):
        self.text.append(data)


def test_svg_is_well_formed_xml(cli, tmp_path, catalog):
    path = tmp_path / "时间线.svg"
    result = cli("timeline", "--tasks", "--out", str(path))
    assert result.exit_code == 0 and str(path) in result.output
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = "".join(root.itertext())
    assert "十百千万工程时间线" in text


def test_html_is_a_self_contained_printable_page(cli, tmp_path, catalog):
    path = tmp_path / "timeline.html"
    assert cli("timeline", "--out", str(path)).exit_code == 0
    page = path.read_text(encoding="utf-8")
    parser = StrictHTML()
    parser.feed(page)
    parser.close()
    assert not parser.errors and not parser.stack
    text = "".join(parser.text)
    for loc in catalog.plans:
        assert loc.model.title in text
    assert "@page" in page and "A4 landscape" in page and "@media print" in page
    assert not parser.tags & {"link", "script", "img"}  # styles inline, nothing fetched
    assert '<meta charset="UTF-8">' in page


def test_written_files_are_readable_by_others(cli, tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "t.svg"
        assert cli("timeline", "--out", str(path)).exit_code == 0
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


# ------------------------------------------------------------------ determinism


def test_output_is_deterministic(cli, tmp_path, catalog, allocations):
    for args in (["--tasks"], ["-d", "攸县", "-t"]):
        assert cli("timeline", *args).output == cli("timeline", *args).output
    for suffix in ("svg", "html"):
        first, second = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
        cli("timeline", "--tasks", "--out", str(first))
        cli("timeline", "--tasks", "--out", str(second))
        assert first.read_bytes() == second.read_bytes()
    timeline = build(catalog, allocations, tasks=True)
    assert export(timeline, "svg") == export(build(catalog, allocations, tasks=True), "svg")


def test_output_is_identical_across_hash_seeds(tmp_path):
    outputs = set()
    for seed in ("0", "1"):
        result = subprocess.run(
            [sys.executable, "-m", "shiwanqian", "timeline", "--tasks"],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed, "COLUMNS": "120", "SHIWANQIAN_CACHE": str(tmp_path / "cache")},
        )
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_data_path_is_not_written(cli, tmp_path):
    # --out goes where it is told; the data folder is only read.
    from conftest import DATA

    before = sorted(p.name for p in Path(DATA).rglob("*"))
    cli("timeline", "--out", str(tmp_path / "t.html"))
    assert sorted(p.name for p in Path(DATA).rglob("*")) == before


def test_svg_and_html_keep_terminal_cell_widths(tmp_path):
    """Seen in a browser: CJK runs squeezed (SVG) and columns drifting (HTML) until fixed."""
    import html as html_lib
    import re as re_lib
    import unicodedata

    from rich.cells import cell_len

    svg_path, html_path = tmp_path / "t.svg", tmp_path / "t.html"
    from typer.testing import CliRunner

    from shiwanqian.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["timeline", "-d", "攸县", "--out", str(svg_path)]).exit_code == 0
    assert runner.invoke(app, ["timeline", "-d", "攸县", "--out", str(html_path)]).exit_code == 0
    svg = svg_path.read_text(encoding="utf-8")
    ratios = set()
    for length, text in re_lib.findall(r'<text[^>]*?textLength="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        plain = html_lib.unescape(text)
        if cell_len(plain):
            ratios.add(round(float(length) / cell_len(plain), 3))
    assert len(ratios) == 1  # one width per terminal cell, CJK or not
    page = html_path.read_text(encoding="utf-8")
    body = page.split("<pre>", 1)[1]
    bare = re_lib.sub(r'<span class="w[12]">.</span>', "", body)
    texts = "".join(re_lib.findall(r">([^<]+)<", bare))
    assert not [ch for ch in texts if unicodedata.east_asian_width(ch) in "WFA"]
    assert '<span class="w2">攸</span>' in body
