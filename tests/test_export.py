"""`export xlsx` and `export ics`: the workbook and the calendar hold the same numbers and tasks as
`quota` and `schedule`, their sums add up to the document's totals, and they are written safely."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from shiwanqian.load.model import Timing
from shiwanqian.output.ics import Span, spans, uid
from shiwanqian.output.xlsx import text_width

REGIONS = [
    "炎陵县",
    "茶陵县",
    "攸县",
    "醴陵市",
    "株洲县",
    "荷塘区",
    "芦淞区",
    "天元区",
    "石峰区",
    "云龙示范区",
    "直属学校",
]
LEVELS = ["高中", "初中", "小学", "幼儿教育", "职业教育", "特殊教育"]
# Main tables (those with per-region rows) in plan order: 附件11, 附件12, 附件13.
MAIN = {"名优特教师工作站": "workstations", "千名优秀骨干教师": "backbone-teachers", "万节优质课堂教学资源": "lessons"}
SCHEDULES = {"名优特教师工作站年度安排": "workstations", "千名优秀骨干教师年度安排": "backbone-teachers"}
ALLOCATION = "万节优质课堂教学资源年度分配"
CITY = "全市（未分解到区域）"
SUM = re.compile(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Export once per module: path of the whole workbook, and of per-district workbooks."""
    from typer.testing import CliRunner

    from shiwanqian.cli import app

    folder = tmp_path_factory.mktemp("export")
    env = {"SHIWANQIAN_CACHE": str(tmp_path_factory.getbasetemp() / "cache")}
    made: dict[str | None, Path] = {}

    def get(district: str | None = None) -> Path:
        if district not in made:
            out = folder / f"{district or '全市'}.xlsx"
            args = ["export", "xlsx", "--out", str(out)] + (["--district", district] if district else [])
            result = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
            assert result.exit_code == 0, result.output
            made[district] = out
        return made[district]

    return get


@pytest.fixture(scope="module")
def workbook(exported):
    return load_workbook(exported())


# ---------------------------------------------------------------------- reading sheets back


def evaluate(ws, value):
    """A cell's value, computing =SUM(A1:B2) from the cells it names (recursively)."""
    if isinstance(value, str) and value.startswith("="):
        match = SUM.fullmatch(value)
        assert match, f"{ws.title}: unexpected formula {value}"
        c1, r1, c2, r2 = match.groups()
        total = 0
        for row in ws.iter_rows(
            min_row=int(r1), max_row=int(r2), min_col=column_index_from_string(c1), max_col=column_index_from_string(c2)
        ):
            for cell in row:
                part = evaluate(ws, cell.value)
                assert part is None or isinstance(part, int), f"{ws.title}!{cell.coordinate}: {part!r}"
                total += part or 0
        return total
    return value


def data_end(ws) -> int:
    """The last data row: the autofilter covers the header and the data rows."""
    found = re.fullmatch(r"A1:[A-Z]+(\d+)", ws.auto_filter.ref)
    assert found is not None, ws.auto_filter.ref
    return int(found.group(1))


def rows(ws, first: int = 2, last: int | None = None) -> list[dict]:
    """Rows as {header: evaluated value}, with the row number under "#"."""
    header = [c.value for c in ws[1]]
    last = ws.max_row if last is None else last
    result = []
    for r in range(first, last + 1):
        values = [evaluate(ws, ws.cell(r, c).value) for c in range(1, len(header) + 1)]
        if any(v not in (None, "") for v in values):
            result.append({"#": r, **dict(zip(header, values))})
    return result


def row_labelled(ws, label: str) -> dict:
    return next(r for r in rows(ws) if r[ws.cell(1, 1).value] == label)


def years_of(row: dict) -> dict[int, int]:
    return {
        int(k[:-1]): v for k, v in row.items() if isinstance(k, str) and re.fullmatch(r"\d{4}年", k) and v is not None
    }


def quota(cli, region: str) -> list[dict]:
    result = cli("quota", "--district", region, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------------- workbook: formulas and totals


def test_every_sum_formula_covers_exactly_its_row_or_column(workbook):
    """Row totals sum every number column to their left; column totals sum every data row above."""
    seen = 0
    for ws in workbook.worksheets:
        header = [c.value for c in ws[1]]
        first_number = next(i for i, h in enumerate(header, start=1) if h not in ("区域", "学段"))
        for row in ws.iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                seen += 1
                c1, r1, c2, r2 = SUM.fullmatch(cell.value).groups()
                c1, c2, r1, r2 = column_index_from_string(c1), column_index_from_string(c2), int(r1), int(r2)
                if r1 == r2 == cell.row:  # a row total
                    assert (c1, c2) == (first_number, cell.column - 1), f"{ws.title}!{cell.coordinate} {cell.value}"
                    assert header[cell.column - 1] == "合计"
                else:  # a column total, on the 合计 row right below the data
                    assert c1 == c2 == cell.column and r1 == 2 and r2 == cell.row - 1 == data_end(ws), (
                        f"{ws.title}!{cell.coordinate} {cell.value}"
                    )
                    assert ws.cell(cell.row, 1).value == "合计"
    assert seen > 100


def test_main_tables_add_up_to_the_documents_totals(workbook):
    for title, total in (("千名优秀骨干教师", 1000), ("万节优质课堂教学资源", 10000), ("名优特教师工作站", 25)):
        ws = workbook[title]
        data = rows(ws, last=data_end(ws))
        assert [r["区域"] for r in data] == REGIONS
        totals = row_labelled(ws, "合计")
        grand = "合计" if "合计" in totals else "数量"
        assert totals[grand] == total, title  # the live SUM of SUMs
        assert totals["原文合计"] == total, title  # the document's stated total, beside it
        assert str(ws.cell(totals["#"], [c.value for c in ws[1]].index(grand) + 1).value).startswith("=SUM(")
        for row in data:  # each region's formula total equals the document's stated 合计
            if row["原文合计"] is not None:
                assert row["合计"] == row["原文合计"], (title, row["区域"])
        for level in (lv for lv in LEVELS if lv in totals):  # column totals are the sums of the cells
            assert totals[level] == sum(r[level] or 0 for r in data)


def test_schedules_add_up_and_show_the_workstations_contradiction(workbook):
    ws = workbook["千名优秀骨干教师年度安排"]
    totals, stated = row_labelled(ws, "合计"), row_labelled(ws, "原文合计")
    assert years_of(totals) == years_of(stated) == {2016: 200, 2017: 410, 2018: 390}
    assert totals["合计"] == stated["合计"] == 1000
    city = [r for r in rows(ws, last=data_end(ws)) if r["区域"] == CITY]
    assert {r["学段"]: years_of(r) for r in city} == {
        "幼儿教育": {2018: 80},
        "职业教育": {2018: 60},
        "特殊教育": {2018: 10},
    }

    ws = workbook["名优特教师工作站年度安排"]
    totals, stated = row_labelled(ws, "合计"), row_labelled(ws, "原文合计")
    assert years_of(totals) == {2016: 5, 2017: 9, 2018: 10}
    # Known contradiction in the source (disagreements.yaml: workstations-lusong): the yearly
    # schedule adds up to 24 stations, the document's total is 25.
    assert totals["合计"] == 24 and stated["合计"] == 25
    lusong = next(r for r in rows(ws) if r["区域"] == "芦淞区")
    assert (
        lusong["合计"] == 1
        and next(r for r in rows(workbook["名优特教师工作站"]) if r["区域"] == "芦淞区")["数量"] == 2
    )


def test_allocation_adds_up_by_year_and_by_cell(workbook):
    ws = workbook[ALLOCATION]
    data = rows(ws, last=data_end(ws))
    assert len(data) == sum(1 for r in rows(workbook["万节优质课堂教学资源"], last=12) for lv in LEVELS if r[lv])
    for row in data:
        assert row["合计"] == row["名额"], (row["区域"], row["学段"])
    totals, stated = row_labelled(ws, "合计"), row_labelled(ws, "原文比例目标")
    assert years_of(totals) == years_of(stated) == {2016: 1000, 2017: 2500, 2018: 2500, 2019: 3000, 2020: 1000}
    assert totals["合计"] == totals["名额"] == stated["合计"] == 10000


# ---------------------------------------------------------------------- workbook: the same numbers as quota


def workbook_numbers(wb, region: str) -> dict[tuple, int]:
    """Every number of the workbook that belongs to ``region``, keyed like quota's records."""
    found: dict[tuple, int] = {}
    for title, qid in MAIN.items():
        ws = wb[title]
        for row in rows(ws, last=data_end(ws)):
            if row["区域"] != region:
                continue
            for level in LEVELS:
                if row.get(level) is not None:
                    found[qid, "target", level, None] = row[level]
            found[qid, "target", None, None] = row["原文合计"] if row["原文合计"] is not None else row["数量"]
            if "合计" in row:  # the formula adds up to the same
                assert row["合计"] == found[qid, "target", None, None]
    for title, qid in SCHEDULES.items():
        ws = wb[title]
        for row in rows(ws):  # (a district's city-wide figures stand below its totals)
            if row["区域"] in (region, CITY):
                for year, value in years_of(row).items():
                    found[qid, "schedule" if row["区域"] == region else "city", row.get("学段") or None, year] = value
    ws = wb[ALLOCATION]
    for row in rows(ws, last=data_end(ws)):
        if row["区域"] == region:
            for year, value in years_of(row).items():
                found["lessons", "allocation", row["学段"] or None, year] = value
    return found


def quota_numbers(records: list[dict]) -> dict[tuple, int]:
    expected = {}
    for r in records:
        if r["quota"] not in MAIN.values():
            continue
        if r["kind"] == "target" and r["name"] in (*LEVELS, "合计"):
            expected[r["quota"], "target", r["level"], None] = r["value"]
        elif r["kind"] in ("schedule", "allocation"):
            kind = "city" if r["region"] == "全市" else r["kind"]
            expected[r["quota"], kind, r["level"], r["year"]] = r["value"]
    return expected


@pytest.mark.parametrize("region", REGIONS)
def test_whole_workbook_has_the_numbers_quota_gives_each_region(workbook, cli, region):
    expected = quota_numbers(quota(cli, region))
    found = workbook_numbers(workbook, region)
    # City-wide schedule figures: quota lists those for the 学段 the region owes; the workbook lists all.
    found = {k: v for k, v in found.items() if k[1] != "city" or k in expected}
    assert found == expected


@pytest.mark.parametrize("district", ["攸县", "芦淞区", "直属学校"])
def test_district_workbook_matches_quota_and_schedule(exported, cli, district):
    wb = load_workbook(exported(district))
    records = quota(cli, district)
    assert workbook_numbers(wb, district) == quota_numbers(records)
    for title in (*MAIN, *SCHEDULES, ALLOCATION):
        if title in wb.sheetnames:
            ws = wb[title]
            assert {r["区域"] for r in rows(ws, last=data_end(ws))} == {district}, title
    # 其他指标: the same targets, in the same order, as quota's 其他任务与指标.
    others = [
        r
        for r in records
        if r["kind"] == "target" and not (r["quota"] in MAIN.values() and r["name"] in (*LEVELS, "合计"))
    ]
    sheet = rows(wb["其他指标"])
    assert [(r["项目"], r["指标"], r["年份"], r["数值"], r["限定词"], r["单位"], r["出处"]) for r in sheet] == [
        (r["title"], r["name"], r["year"], r["value"], r["qualifier"], r["unit"], r["source"]) for r in others
    ]
    # 任务表: the tasks of `schedule --district`, in the same order.
    tasks = [
        t
        for t in json.loads(cli("schedule", "--district", district, "--format", "json").stdout)
        if t["kind"] != "allocation"
    ]
    sheet = rows(wb["任务表"])
    assert [(r["计划"], r["事项"], r["实施时间"], r["工作要求"], r["责任单位"], r["出处"]) for r in sheet] == [
        (t["plan_title"], t["name"], t["when"], t["requirement"], "、".join(t["units"]), t["source"]) for t in tasks
    ]


def test_district_schedule_keeps_city_wide_figures_out_of_its_sums(exported):
    ws = load_workbook(exported("攸县"))["千名优秀骨干教师年度安排"]
    totals = row_labelled(ws, "合计")
    assert years_of(totals) == {2016: 30, 2017: 120, 2018: 0} and totals["合计"] == 150
    assert row_labelled(ws, "攸县名额（原文）")["合计"] == 171
    city = [r for r in rows(ws) if r["区域"] == CITY]
    assert [r["#"] for r in city] and min(r["#"] for r in city) > totals["#"]
    assert {r["学段"] for r in city} == {"幼儿教育", "职业教育", "特殊教育"}


def test_whole_workbook_lists_every_task_and_target(workbook, cli):
    tasks = json.loads(cli("schedule", "--format", "json").stdout)
    sheet = rows(workbook["任务表"])
    assert [(r["事项"], r["出处"], r["年份"]) for r in sheet] == [
        (t["name"], t["source"], "、".join(map(str, t["years"]))) for t in tasks
    ]
    targets = rows(workbook["其他指标"])
    assert len(targets) > 80
    assert ("名优特教师工作站", "学科领军教师", "100名左右") in {(r["项目"], r["指标"], r["要求"]) for r in targets}


# ---------------------------------------------------------------------- workbook: layout and files


def test_sheet_setup(workbook):
    assert workbook.sheetnames == [*MAIN, *SCHEDULES, ALLOCATION, "任务表", "其他指标"]
    for ws in workbook.worksheets:
        assert ws.freeze_panes in ("A2", "B2"), ws.title  # the header row is frozen
        assert ws.auto_filter.ref.startswith("A1:") and data_end(ws) >= 2
        assert get_column_letter(ws.max_column) in ws.auto_filter.ref
        assert ws.print_title_rows == "$1:$1"  # header repeated on every printed page
        setup = ws.page_setup
        assert setup.orientation == "landscape" and str(setup.paperSize) == "9"  # A4
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)  # one page wide
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert all(c.font.bold for c in ws[1])
        for index in range(1, ws.max_column + 1):
            texts = [ws.cell(r, index).value for r in range(1, data_end(ws) + 1)]
            widest = max((text_width(v) for v in texts if v is not None and not str(v).startswith("=")), default=0)
            assert ws.column_dimensions[get_column_letter(index)].width >= min(widest + 2, 12), (ws.title, index)
    # CJK counts double: “云龙示范区” is five characters and ten columns wide.
    assert workbook["千名优秀骨干教师"].column_dimensions["A"].width >= 12


def test_text_width_counts_cjk_double():
    assert text_width("abc") == 3 and text_width("攸县") == 4 and text_width("（全市 80）") == 11


def test_workbook_is_byte_identical_across_runs(cli, tmp_path):
    import time

    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert cli("export", "xlsx", "--out", str(a)).exit_code == 0
    time.sleep(1.1)  # a save-time stamp would differ now
    assert cli("export", "xlsx", "--out", str(b)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("kind", ["xlsx", "ics"])
def test_exports_do_not_depend_on_hash_seed(tmp_path, kind):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.{kind}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "SHIWANQIAN_CACHE": str(tmp_path / f"cache{seed}")}
        result = subprocess.run(
            [sys.executable, "-m", "shiwanqian", "export", kind, "--out", str(out)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def _office() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(_office() is None, reason="LibreOffice (libreoffice/soffice) is not installed")
def test_libreoffice_recalculates_the_same_totals(exported, workbook, tmp_path):
    """LibreOffice recalculates every formula on load; its values must be the ones computed here."""
    source = tmp_path / "wb.xlsx"
    shutil.copy(exported(), source)
    # CSV options: comma, double quote, UTF-8, from line 1, …, token 12 = -1: every sheet to its own file.
    result = subprocess.run(
        [
            _office(),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    checked = 0
    for ws in workbook.worksheets:
        out = tmp_path / f"wb-{ws.title}.csv"
        assert out.exists(), sorted(p.name for p in tmp_path.iterdir())
        table = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert table[cell.row - 1][cell.column - 1] == str(evaluate(ws, cell.value)), (
                        f"{ws.title}!{cell.coordinate}"
                    )
                    checked += 1
    assert checked > 100
    lessons = list(csv.reader((tmp_path / "wb-万节优质课堂教学资源.csv").read_text(encoding="utf-8").splitlines()))
    assert lessons[12][0] == "合计" and lessons[12][lessons[0].index("合计")] == "10000"


# ---------------------------------------------------------------------- calendar


def read_calendar(path: Path):
    from icalendar import Calendar

    cal = Calendar.from_ical(path.read_bytes())
    return [c for c in cal.walk() if c.name in ("VEVENT", "VTODO")]


def has_alarm(item) -> bool:
    return any(sub.name == "VALARM" for sub in item.subcomponents)


def categories(item) -> str:
    return ",".join(str(c) for c in item["categories"].cats)


def expected_items(tasks: list[dict]) -> Counter:
    """(plan title, name, year) of every calendar item the schedule records call for."""
    counted: Counter[tuple[str, str, int]] = Counter()
    for t in tasks:
        months = sorted(t["months"])
        per_year = 1 if not months or months == list(range(months[0], months[-1] + 1)) else len(months)
        for year in t["years"]:
            counted[t["plan_title"], t["name"], year] += per_year
    return counted


def calendar_items(items) -> Counter:
    counted: Counter[tuple[str, str, int]] = Counter()
    for c in items:
        day = c["due"].dt if c.name == "VTODO" else c["dtstart"].dt
        assert f"-{day.year}" in str(c["uid"])
        counted[categories(c), str(c["summary"]), day.year] += 1
    return counted


def test_calendar_matches_schedule(cli, tmp_path):
    out = tmp_path / "全部.ics"
    assert cli("export", "ics", "--out", str(out)).exit_code == 0
    items = read_calendar(out)
    tasks = json.loads(cli("schedule", "--format", "json").stdout)
    assert calendar_items(items) == expected_items(tasks)
    uids = [str(c["uid"]) for c in items]
    assert len(uids) == len(set(uids)) and all(u.endswith("@shiwanqian") for u in uids)
    by_name = {(t["plan_title"], t["name"]): t for t in tasks}
    for c in items:
        task = by_name[categories(c), str(c["summary"])]
        description = str(c["description"])
        for part in (task["when"], task["requirement"], "、".join(task["units"]), task["source"]):
            assert part in description
        assert c["dtstamp"].dt == dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
        if c.name == "VEVENT":
            start, end = c["dtstart"].dt, c["dtend"].dt
            assert type(start) is dt.date and type(end) is dt.date and start < end  # all-day
            if task["months"]:
                assert start.month in task["months"] and (end - dt.timedelta(days=1)).month in task["months"]
    # “N月前” is a one-day event with a reminder on the last day of the month before.
    todos = {str(c["summary"]): c["dtstart"].dt for c in items if has_alarm(c)}
    assert todos == {
        "制订优质课堂教学资源建设指南": dt.date(2016, 6, 30),  # 2016年7月前
        "成立青年教师协会": dt.date(2016, 7, 31),  # 2016年8月前
        "2016年名优特教师工作站建设": dt.date(2016, 9, 30),  # 2016年10月前
        "2017年名优特教师工作站建设": dt.date(2017, 9, 30),
        "2018年名优特教师工作站建设": dt.date(2018, 9, 30),
    }


def test_calendar_is_stable_across_runs_and_filters(cli, tmp_path):
    a, b, c = tmp_path / "a.ics", tmp_path / "b.ics", tmp_path / "c.ics"
    assert cli("export", "ics", "--out", str(a)).exit_code == 0
    assert cli("export", "ics", "--out", str(b)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    assert cli("export", "ics", "--out", str(c), "--district", "醴陵").exit_code == 0
    whole = {str(i["uid"]): (str(i["summary"]), i.name) for i in read_calendar(a)}
    part = {str(i["uid"]): (str(i["summary"]), i.name) for i in read_calendar(c)}
    # A district's items carry the same UIDs as in the whole calendar: importing both updates, never duplicates.
    assert part and part.items() <= whole.items()


@pytest.mark.parametrize(
    ("option", "value"),
    [("--district", "芦淞"), ("--district", "直属学校"), ("--unit", "市装备所"), ("--unit", "市教师培训中心")],
)
def test_calendar_filters_like_schedule(cli, tmp_path, option, value):
    out = tmp_path / "x.ics"
    assert cli("export", "ics", "--out", str(out), option, value).exit_code == 0
    tasks = [
        t for t in json.loads(cli("schedule", option, value, "--format", "json").stdout) if t["kind"] != "allocation"
    ]
    assert tasks and calendar_items(read_calendar(out)) == expected_items(tasks)


def test_calendar_district_example(cli, tmp_path):
    out = tmp_path / "lusong.ics"
    assert cli("export", "ics", "--out", str(out), "--district", "芦淞").exit_code == 0
    todos = {str(c["summary"]): c["dtstart"].dt for c in read_calendar(out) if has_alarm(c)}
    # 芦淞区 builds its station in 2017 only (附件11 四 2).
    assert "2017年名优特教师工作站建设" in todos and "2016年名优特教师工作站建设" not in todos
    assert todos["2017年名优特教师工作站建设"] == dt.date(2017, 9, 30)


def _timing(**fields) -> Timing:
    return Timing.model_validate({"years": [2018], **fields})


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, [Span("event", dt.date(2018, 1, 1), dt.date(2018, 12, 31))]),
        ({"recurrence": "按需"}, [Span("event", dt.date(2018, 1, 1), dt.date(2018, 12, 31))]),
        ({"months": [5]}, [Span("event", dt.date(2018, 5, 1), dt.date(2018, 5, 31))]),
        ({"months": [2]}, [Span("event", dt.date(2018, 2, 1), dt.date(2018, 2, 28))]),
        ({"months": [4, 5]}, [Span("event", dt.date(2018, 4, 1), dt.date(2018, 5, 31))]),
        (
            {"months": [8, 10]},
            [
                Span("event", dt.date(2018, 8, 1), dt.date(2018, 8, 31), "08"),
                Span("event", dt.date(2018, 10, 1), dt.date(2018, 10, 31), "10"),
            ],
        ),
        ({"half": "上半年"}, [Span("event", dt.date(2018, 1, 1), dt.date(2018, 6, 30))]),
        ({"half": "下半年"}, [Span("event", dt.date(2018, 7, 1), dt.date(2018, 12, 31))]),
        ({"season": "年中"}, [Span("event", dt.date(2018, 6, 1), dt.date(2018, 6, 30))]),
        ({"season": "年末"}, [Span("event", dt.date(2018, 12, 1), dt.date(2018, 12, 31))]),
        ({"deadline_month": 10}, [Span("todo", dt.date(2018, 9, 30), dt.date(2018, 9, 30))]),
        ({"deadline_month": 7}, [Span("todo", dt.date(2018, 6, 30), dt.date(2018, 6, 30))]),
        ({"deadline_month": 1}, [Span("todo", dt.date(2017, 12, 31), dt.date(2017, 12, 31))]),
    ],
)
def test_each_form_of_timing_maps_to_dates(fields, expected):
    assert spans(_timing(**fields), 2018) == expected


def test_uids_are_readable_and_stable():
    assert uid("outreach", "3", 2016) == "outreach-3-2016@shiwanqian"
    assert uid("it-training", "2", 2016, "08") == "it-training-2-2016-08@shiwanqian"
    mid, end = uid("assessment", "五 年中", 2016), uid("assessment", "五 年末", 2016)
    assert mid != end and mid == uid("assessment", "五 年中", 2016) and mid.isascii() and " " not in mid


# ---------------------------------------------------------------------- writing


@pytest.mark.parametrize("kind", ["xlsx", "ics"])
def test_output_under_a_file_is_a_clear_error(cli, tmp_path, kind):
    blocked = tmp_path / "file"
    blocked.write_text("x")
    result = cli("export", kind, "--out", str(blocked / f"x.{kind}"))
    assert result.exit_code == 1
    assert "无法写入" in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == [blocked]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_output_in_a_missing_read_only_place_is_a_clear_error(cli):
    result = cli("export", "ics", "--out", "/proc/shiwanqian-no-such-folder/x.ics")
    assert result.exit_code == 1
    assert "无法写入" in result.output and "文件夹 /proc/shiwanqian-no-such-folder 不存在" in result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="permissions do not bind root")
def test_read_only_folder_is_a_clear_error(cli, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = cli("export", "xlsx", "--out", str(folder / "x.xlsx"))
        assert result.exit_code == 1 and "没有写入权限" in result.output
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("kind", ["xlsx", "ics"])
def test_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(cli, tmp_path, monkeypatch, kind):
    out = tmp_path / f"old.{kind}"
    out.write_bytes(b"the previous export")

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    result = cli("export", kind, "--out", str(out))
    assert result.exit_code == 1 and "磁盘空间不足" in result.output and "Traceback" not in result.output
    assert out.read_bytes() == b"the previous export"
    assert list(tmp_path.iterdir()) == [out]


def test_unknown_district_is_a_usage_error(cli, tmp_path):
    result = cli("export", "xlsx", "--out", str(tmp_path / "x.xlsx"), "--district", "攸州县")
    assert result.exit_code == 2 and "未知区域" in result.output
    assert not list(tmp_path.iterdir())


def test_export_modules_do_not_import_openpyxl_or_icalendar_until_used():
    probe = (
        "import sys, shiwanqian.cli.export, shiwanqian.output.xlsx, shiwanqian.output.ics\n"
        "print(sorted(m for m in ('openpyxl', 'icalendar') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
