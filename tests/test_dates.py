"""Dates of every task-year: one mapping (domain.programme.dates) for records, calendar, timeline and filters."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from icalendar import Calendar

from shiwanqian.domain.programme import dates
from shiwanqian.domain.programme import timeline as tl
from shiwanqian.load.model import Timing


def schedule_json(cli, *args: str) -> list[dict]:
    result = cli("schedule", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [r for r in json.loads(result.stdout) if "item" in r]


def by_name(records: list[dict]) -> dict[str, dict]:
    return {r["name"]: r for r in records}


# ------------------------------------------------------------------ the mapping


def test_every_record_carries_iso_start_end_deadline(cli):
    records = schedule_json(cli)
    assert records
    for r in records:
        assert {"start", "end", "deadline", "dates"} <= set(r)
        for d in r["dates"]:
            assert d["year"] in r["years"]
            for key in ("start", "end", "deadline"):
                assert d[key] is None or dt.date.fromisoformat(d[key]).year == d["year"]
            assert (d["start"] is None) == (d["end"] is None) != (d["deadline"] is None)
        assert r["start"] == min((d["start"] for d in r["dates"] if d["start"]), default=None)
    named = by_name(records)
    # “2016年10月前”: a deadline on 30 September, no span.
    ws = named["2016年名优特教师工作站建设"]
    assert (ws["start"], ws["end"], ws["deadline"]) == (None, None, "2016-09-30")
    # 下半年: 1 July–31 December.
    outreach = next(r for r in records if r["when"].startswith("2017") and "下半年" in r["when"])
    assert (outreach["start"], outreach["end"], outreach["deadline"]) == ("2017-07-01", "2017-12-31", None)


def test_months_are_never_empty_for_half_years_year_ends_and_deadlines(cli, catalog):
    # 0.1.0 gave `months: []` for 下半年, 年终/年末 and “10月前” although the calendar dated them.
    records = schedule_json(cli)
    halves = [r for r in records if "下半年" in r["when"]]
    assert halves and all(r["months"] == [7, 8, 9, 10, 11, 12] for r in halves)
    deadline = by_name(records)["2017年名优特教师工作站建设"]
    assert deadline["months"] == [9]
    seasons = {(loc.model.id, t.item): t.timing.season for loc in catalog.plans for t in loc.model.tasks}
    year_end = [r for r in records if seasons[r["plan"], r["item"]] == "年末"]
    mid_year = [r for r in records if seasons[r["plan"], r["item"]] == "年中"]
    assert year_end and all(r["months"] == [12] for r in year_end)
    assert mid_year and all(r["months"] == [6] for r in mid_year)
    assert all(r["months"] for r in records)


def test_calendar_schedule_and_timeline_use_the_same_dates(cli, catalog, tmp_path):
    out = tmp_path / "all.ics"
    assert cli("export", "ics", "--out", str(out)).exit_code == 0
    items = [c for c in Calendar.from_ical(out.read_bytes()).walk() if c.name in ("VEVENT", "VTODO")]
    calendar = set()
    for c in items:
        if any(sub.name == "VALARM" for sub in c.subcomponents):  # a deadline
            calendar.add((str(c["summary"]), None, None, c["dtstart"].dt.isoformat()))
        else:
            last = c["dtend"].dt - dt.timedelta(days=1)
            calendar.add((str(c["summary"]), c["dtstart"].dt.isoformat(), last.isoformat(), None))
    records = schedule_json(cli)
    listed = {(r["name"], d["start"], d["end"], d["deadline"]) for r in records for d in r["dates"]}
    assert calendar == listed
    # The timeline marks exactly the months the dates cover.
    for loc in catalog.plans:
        for task in loc.model.tasks:
            for year in task.timing.years:
                covered = {
                    m for s in dates.spans(task.timing, year) if s.last.year == year for m in dates.covered_months(s)
                }
                marks = tl.year_marks(task.timing, year)
                assert {m for m in range(1, 13) if marks[m - 1] != tl.NONE} == covered


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2017", "2017-01-01", "2017-12-31", "2017年"),
        ("2017H1", "2017-01-01", "2017-06-30", "2017年上半年"),
        ("2017h2", "2017-07-01", "2017-12-31", "2017年下半年"),
        ("2017Q3", "2017-07-01", "2017-09-30", "2017年第三季度"),
        ("2017-03", "2017-03-01", "2017-03-31", "2017年3月"),
        ("2016-2", "2016-02-01", "2016-02-29", "2016年2月"),
        ("２０１７Ｈ１", "2017-01-01", "2017-06-30", "2017年上半年"),  # full-width input from a Chinese IME
    ],
)
def test_periods(text, first, last, label):
    w = dates.parse_period(text)
    assert (w.first.isoformat(), w.last.isoformat(), w.label()) == (first, last, label)


@pytest.mark.parametrize("text", ["2017H3", "2017Q5", "2017-13", "17", "2017年", "H1", ""])
def test_bad_periods_are_refused(text):
    with pytest.raises(dates.WindowError):
        dates.parse_period(text)


def test_from_to_and_period_combine_as_an_intersection():
    w = dates.window(start="2017-03", end="2018", period="2017H1", programme=(2016, 2020))
    assert (w.first, w.last) == (dt.date(2017, 3, 1), dt.date(2017, 6, 30))
    w = dates.window(start="2019", programme=(2016, 2020))
    assert (w.first, w.last) == (dt.date(2019, 1, 1), dt.date(2020, 12, 31))
    with pytest.raises(dates.WindowError):
        dates.window(start="2018", end="2017")
    with pytest.raises(dates.WindowError):
        dates.window(period="2017H1", year=2018)
    with pytest.raises(dates.WindowError):
        dates.window(period="2025", programme=(2016, 2020))
    assert dates.window() is None


# ------------------------------------------------------------------ filters on the commands


def test_schedule_period_first_half_of_2017_for_the_training_centre(cli):
    # “What does 市教师培训中心 do in the first half of 2017?” (0.1.0: unknown option --period)
    records = schedule_json(cli, "--period", "2017H1", "--unit", "市教师培训中心")
    assert records
    for r in records:
        assert r["dates"] and all(d["year"] == 2017 for d in r["dates"])
        assert all(
            (d["start"] or d["deadline"]) <= "2017-06-30" and (d["end"] or d["deadline"]) >= "2017-01-01"
            for d in r["dates"]
        )
        assert r["start"] is None or r["start"] >= "2017-01-01"
    names = {r["name"] for r in records}
    assert "初中校长任职资格培训" in names  # 2017年5月
    whole_2017 = schedule_json(cli, "--year", "2017", "--unit", "市教师培训中心")
    assert names < {r["name"] for r in whole_2017}
    # Sorted by their first day in the period.
    firsts = [dates.first(r["dates"][0]) for r in records]
    assert firsts == sorted(firsts)


def test_schedule_month_and_quarter_filters(cli):
    may = schedule_json(cli, "--period", "2017-05")
    assert "初中校长任职资格培训" in {r["name"] for r in may}
    q3 = schedule_json(cli, "--period", "2017Q3")
    # 2017年10月前 falls due on 30 September 2017: in the third quarter, not in the fourth.
    assert "2017年名优特教师工作站建设" in {r["name"] for r in q3}
    q4 = schedule_json(cli, "--period", "2017Q4")
    assert "2017年名优特教师工作站建设" not in {r["name"] for r in q4}
    ranged = schedule_json(cli, "--from", "2017-07", "--to", "2017-09")
    assert {r["name"] for r in ranged} == {r["name"] for r in q3}


def test_schedule_period_table_title_and_year_combination(cli):
    result = cli("schedule", "--period", "2017H2", "--district", "攸县")
    assert result.exit_code == 0
    assert "任务表（2017年下半年 · 攸县）" in result.output
    both = schedule_json(cli, "--year", "2017", "--period", "2017H2")
    assert {r["name"] for r in both} == {r["name"] for r in schedule_json(cli, "--period", "2017H2")}


@pytest.mark.parametrize(
    "args",
    [
        ["--period", "2017H3"],
        ["--period", "上半年"],
        ["--from", "2017Q1"],
        ["--from", "2019", "--to", "2017"],
        ["--period", "2030"],
        ["--year", "2017", "--period", "2018"],
    ],
)
def test_bad_period_values_are_usage_errors_in_chinese(cli, args):
    for command in (["schedule"], ["timeline"]) if "--year" not in args else (["schedule"],):
        result = cli(*command, *args)
        assert result.exit_code == 2, result.output
        assert "错误：" in result.output and "Traceback" not in result.output


def test_csv_carries_the_dates_as_text(cli):
    result = cli("schedule", "--period", "2017Q3", "--format", "csv")
    assert result.exit_code == 0
    header = result.stdout.splitlines()[0].split(",")
    assert {"start", "end", "deadline", "dates"} <= set(header)
    assert "2017-09-30" in result.stdout and "{" not in result.stdout


def test_export_ics_period_keeps_only_items_inside_it(cli, tmp_path):
    out = tmp_path / "h1.ics"
    result = cli("export", "ics", "--out", str(out), "--period", "2017H1", "--unit", "市教师培训中心")
    assert result.exit_code == 0, result.output
    items = [c for c in Calendar.from_ical(out.read_bytes()).walk() if c.name in ("VEVENT", "VTODO")]
    assert items
    for c in items:
        start = c["due"].dt if c.name == "VTODO" else c["dtstart"].dt
        end = c["due"].dt if c.name == "VTODO" else c["dtend"].dt - dt.timedelta(days=1)
        assert start <= dt.date(2017, 6, 30) and end >= dt.date(2017, 1, 1)
    names = {str(c["summary"]) for c in items}
    assert names == {r["name"] for r in schedule_json(cli, "--period", "2017H1", "--unit", "市教师培训中心")}
    assert cli("export", "ics", "--out", str(out), "--period", "2017X").exit_code == 2


def test_timeline_period_draws_only_the_years_asked(cli):
    result = cli("timeline", "--period", "2017H2", "--tasks")
    assert result.exit_code == 0, result.output
    assert "2017年" in result.output and "2016年" not in result.output.split("\n", 2)[1]
    assert "2018年" not in result.output.split("图例")[0]
    assert "送培到县" in result.output


def test_year_marks_follow_the_mapping():
    assert tl.year_marks(Timing(years=[2017], half="下半年"), 2017) == "·" * 6 + "█" * 6
    assert tl.year_marks(Timing(years=[2017], deadline_month=10), 2017) == "·" * 8 + "▌" + "···"
    # “1月前” falls due on 31 December of the year before.
    assert tl.year_marks(Timing(years=[2017], deadline_month=1), 2016) == "·" * 11 + "▌"
    assert tl.year_marks(Timing(years=[2017], months=[4, 5]), 2017) == "···▌▌" + "·" * 7


# ------------------------------------------------------------------ every record is dated

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-city-2021-2025"
DATA_SETS = {"shipped": (None, "攸县", range(2016, 2021)), "example": (EXAMPLE, "松岭县", range(2021, 2026))}


def _period_forms(years: range) -> list[list[str]]:
    """Every way to ask for a period: a year, a half, a quarter, a month, --from/--to (both,
    either alone, across a year's end) and --year."""
    first = years[0]
    forms = []
    for y in years:
        forms += [["--period", f"{y}"], ["--year", f"{y}"]]
        forms += [["--period", f"{y}{part}"] for part in ("H1", "H2", "Q1", "Q2", "Q3", "Q4")]
    forms += [["--period", f"{y}-{m:02d}"] for y in years[:2] for m in range(1, 13)]
    forms += [
        ["--from", f"{first}-03", "--to", f"{first + 1}-06"],
        ["--from", f"{first + 1}-10"],
        ["--to", f"{first}-09"],
        ["--from", f"{first + 2}", "--to", f"{first + 2}"],
        ["--year", f"{first + 1}", "--period", f"{first + 1}H2"],
    ]
    return forms


def _undated(record: dict) -> str | None:
    """What is wrong with a record's dates (None: it has ``start`` and ``end``, or says why not)."""
    if record.get("start") and record.get("end"):
        dt.date.fromisoformat(record["start"]), dt.date.fromisoformat(record["end"])
        return None if record.get("no_span") is None else "no_span given although dated"
    if not (isinstance(record.get("no_span"), str) and record["no_span"].strip()):
        return "neither start/end nor a reason"
    return None if record.get("deadline") else "a reason but no deadline"


@pytest.mark.parametrize("name", DATA_SETS)
def test_every_record_of_every_period_form_has_start_end_or_says_why(cli, name):
    data, region, years = DATA_SETS[name]
    given = ["--data", str(data)] if data else []
    reasons, kinds = set(), set()
    for form in _period_forms(years):
        # With --district the region's yearly allocations are listed too: asked once a year.
        by_region = form[0] == "--year" or form[1].endswith("H2")
        for district in ([], ["--district", region]) if by_region else ([],):
            result = cli("schedule", "--format", "json", *form, *district, *given)
            assert result.exit_code == 0, (form, result.output)
            for r in json.loads(result.stdout):
                assert _undated(r) is None, (form, district, _undated(r), r)
                reasons.add(r.get("no_span"))
                kinds.add(r["kind"])
    # Among the records were deadlines (“…月前”, with the reason) and yearly allocations.
    assert dates.NO_SPAN in reasons and kinds == {"task", "allocation"}
    for day in (f"{y}-{m:02d}-15" for y in years for m in (3, 9)):
        result = cli("agenda", "--format", "json", "--as-of", day, "--within", "200", *given)
        assert result.exit_code == 0, result.output
        for r in json.loads(result.stdout):
            assert _undated(r) is None, (day, r)


def test_schedule_csv_has_the_reason_column(cli):
    result = cli("schedule", "--format", "csv", "--period", "2017H2")
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert "no_span" in header.split(",")
    assert any(dates.NO_SPAN in row for row in rows)
