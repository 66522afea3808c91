"""`shiwanqian agenda`: what is underway and what falls due next, as of a day."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from shiwanqian.domain.programme.agenda import build, parse_day


def agenda(cli, *args: str) -> list[dict]:
    result = cli("agenda", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_agenda_as_of_a_day_is_sorted_by_due_date_with_consistent_statuses(cli):
    # “What falls due next?” (0.1.0: no such command)
    items = agenda(cli, "--as-of", "2016-06-15", "--within", "60", "--district", "攸县")
    assert items
    dues = [i["due"] for i in items]
    assert dues == sorted(dues)
    day, horizon = "2016-06-15", "2016-08-14"
    for i in items:
        assert i["due"] == (i["deadline"] or i["end"])
        assert i["days_left"] == (dt.date.fromisoformat(i["due"]) - dt.date(2016, 6, 15)).days
        begin = i["start"] or i["deadline"]
        if i["status"] == "due":
            assert day <= i["due"] <= horizon
        elif i["status"] == "underway":
            assert begin <= day and i["due"] > horizon
        else:
            assert i["status"] == "starting" and day < begin <= horizon < i["due"]
    by_name = {i["name"]: i for i in items}
    assert by_name["成立青年教师协会"]["status"] == "due"  # 2016年8月前 → 2016-07-31
    assert by_name["成立青年教师协会"]["due"] == "2016-07-31"
    assert by_name["年中工作督查"]["due"] == "2016-06-30"
    assert by_name["全员培训"]["status"] == "underway"
    assert by_name["发展测评"]["status"] == "starting"  # 每年8月、10月


def test_agenda_table_in_chinese(cli):
    result = cli("agenda", "--as-of", "2017-09-01", "--within", "45", "--unit", "市教师培训中心")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "近期任务（2017-09-01 起 45 天 · 市教师培训中心）" in out
    assert "到期日" in out and "进行中" in out and "共同承担（" in out
    assert "2017年名优特教师工作站建设" not in out or "到期" in out


def test_agenda_follows_shared_responsibility_and_exact(cli):
    shared = agenda(cli, "--as-of", "2017-03-15", "--unit", "市教师培训中心")
    exact = agenda(cli, "--as-of", "2017-03-15", "--unit", "市教师培训中心", "--exact")
    assert {i["share"] for i in exact} == {"own"}
    assert len(shared) > len(exact) and any(i["share"] == "shared" and i["via"] for i in shared)


def test_after_the_programme_it_says_so_and_shows_the_final_period(cli):
    result = cli("agenda", "--as-of", "2021-03-01")
    assert result.exit_code == 0
    assert "已于 2020-12-31 结束" in result.output and "最后一个时期（2020年下半年）" in result.output
    items = agenda(cli, "--as-of", "2021-03-01")
    assert items and all(i["due"] >= "2020-07-01" for i in items)
    # Today (the default) is after 2020 as well.
    default = cli("agenda")
    assert default.exit_code == 0 and "已于 2020-12-31 结束" in default.output


def test_before_the_programme_it_starts_on_its_first_day(cli):
    result = cli("agenda", "--as-of", "2015-10-01", "--within", "10")
    assert result.exit_code == 0
    assert "工程尚未开始" in result.output and "2016-01-01 起 10 天" in result.output


@pytest.mark.parametrize(
    "args",
    [["--as-of", "2017-02-30"], ["--as-of", "明天"], ["--within", "-1"], ["--district", "火星县"], ["--plan", "nope"]],
)
def test_bad_values_are_usage_errors(cli, args):
    result = cli("agenda", *args)
    assert result.exit_code == 2
    assert "错误" in result.output and "Traceback" not in result.output


def test_empty_agenda_says_why(cli):
    result = cli("agenda", "--as-of", "2017-03-15", "--plan", "leadership")
    assert result.exit_code == 0
    assert "没有符合条件的任务：计划 leadership 没有任何任务" in result.output


def test_day_parsing_and_the_pure_view():
    assert parse_day("2017-3-5") == parse_day("２０１７/03/05") == dt.date(2017, 3, 5)
    task = {
        "plan": "p",
        "item": "1",
        "name": "n",
        "when": "w",
        "units": ["u"],
        "source": "s",
        "sort": [1, 0],
        "dates": [
            {"year": 2017, "start": None, "end": None, "deadline": "2017-09-30"},
            {"year": 2018, "start": "2018-01-01", "end": "2018-12-31", "deadline": None},
        ],
    }
    view = build([task], dt.date(2017, 9, 1), 29, (2016, 2020))
    assert [(i["status"], i["due"], i["days_left"]) for i in view.items] == [("due", "2017-09-30", 29)]
    assert build([task], dt.date(2017, 9, 1), 28, (2016, 2020)).items == []
    later = build([task], dt.date(2017, 12, 15), 20, (2016, 2020))
    assert [(i["status"], i["due"]) for i in later.items] == [("overdue", "2017-09-30"), ("starting", "2018-12-31")]
    assert later.coming[0]["status"] == "starting" and later.overdue[0]["days_left"] == -76
