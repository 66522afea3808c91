"""agenda --as-of lists what is past its due date on that day, from the schedule alone, and
says where recorded completion is read from (issue 23: “what is overdue on 2017-09-01”)."""

from __future__ import annotations

import datetime as dt
import json

from shiwanqian.domain.programme.agenda import build


def records(cli, *args: str) -> list[dict]:
    result = cli("agenda", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_overdue_on_a_day_from_the_schedule(cli):
    items = records(cli, "--as-of", "2017-09-01")
    overdue = [i for i in items if i["status"] == "overdue"]
    assert overdue and all(i["due"] < "2017-09-01" and i["days_left"] < 0 for i in overdue)
    assert all(i["status"] != "overdue" for i in items if i["due"] >= "2017-09-01")
    names = {(i["name"], i["due"]) for i in overdue}
    assert {("教坛新秀评比", "2017-05-31"), ("年中工作督查", "2017-06-30"), ("成立青年教师协会", "2016-07-31")} <= names
    assert next(i for i in overdue if i["due"] == "2017-08-31")["days_left"] == -1  # 发展测评, its August part
    # The agenda proper is what it was: due within 30 days, underway, starting.
    assert {i["status"] for i in items} == {"overdue", "due", "underway", "starting"}


def test_every_task_year_progress_finds_due_is_overdue_in_the_agenda(cli):
    progress = json.loads(cli("progress", "--as-of", "2017-09-01", "--what", "tasks", "--format", "json").stdout)
    due = {(t["plan"], t["item"], t["year"]) for t in progress["tasks"] if t["due"] < "2017-09-01"}
    overdue = {
        (i["plan"], i["item"], i["year"]) for i in records(cli, "--as-of", "2017-09-01") if i["status"] == "overdue"
    }
    assert due and due <= overdue


def test_the_table_says_where_completion_is_recorded(cli):
    result = cli("agenda", "--as-of", "2017-09-01", "--district", "攸县", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    text = result.stdout
    assert "近期任务（2017-09-01 起 30 天 · 攸县）" in text and "已过到期日的任务（截至 2017-09-01 · 攸县）" in text
    assert text.index("近期任务") < text.index("已过到期日的任务")
    assert "不知是否已经完成" in text
    assert "完成情况见 shiwanqian progress --as-of 2017-09-01（读取进度目录中的填报）" in text
    line = next(x for x in text.splitlines() if "教坛新秀评比" in x and "2017-05-31" in x)
    assert "93 天" in line


def test_json_says_it_on_stderr(cli):
    result = cli("agenda", "--as-of", "2017-09-01", "--format", "json")
    assert "已过到期日（status: overdue" in result.stderr and "shiwanqian progress --as-of 2017-09-01" in result.stderr


def test_nothing_is_overdue_before_the_programme_or_in_its_final_view(cli):
    assert all(i["status"] != "overdue" for i in records(cli, "--as-of", "2015-06-01"))
    assert all(i["status"] != "overdue" for i in records(cli, "--as-of", "2016-01-01"))
    assert {i["status"] for i in records(cli, "--as-of", "2021-03-01")} == {"due"}  # the final period


def test_overdue_alone_is_still_shown(cli):
    # 附件15's 督查 and 考核: nothing falls due on 2019-03-01 itself, six are past.
    result = cli("agenda", "--as-of", "2019-03-01", "--within", "0", "--plan", "assessment", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "0 天内没有进行中、开始或到期的任务" in result.stdout
    assert "已过到期日的任务（截至 2019-03-01 · assessment）" in result.stdout and "共 6 项" in result.stdout


def test_the_pure_view():
    task = {
        "plan": "p",
        "item": "1",
        "name": "n",
        "when": "2017年8月",
        "units": ["u"],
        "source": "s",
        "sort": [1, 0],
        "dates": [{"year": 2017, "start": "2017-08-01", "end": "2017-08-31", "deadline": None}],
    }
    view = build([task], dt.date(2017, 9, 1), 30, (2016, 2020))
    assert [(i["status"], i["days_left"]) for i in view.items] == [("overdue", -1)]
    assert view.overdue == view.items and view.coming == []
    assert [i["status"] for i in build([task], dt.date(2017, 8, 31), 30, (2016, 2020)).items] == ["due"]
