"""Responsibility as it is shared: units.yaml `includes`, `--unit` with shared tasks, `--exact`, checks."""

from __future__ import annotations

import json
import re

from conftest import edit, errors, findings
from shiwanqian.domain.programme.units import Responsibility, cycles


def schedule(cli, *args: str) -> list[dict]:
    result = cli("schedule", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [r for r in json.loads(result.stdout) if "item" in r]


def test_training_centre_also_gets_the_tasks_of_the_general_units_that_include_it(cli):
    # 0.1.0 listed 22 tasks and silently left out those given to 师训机构, 市级师训部门 …
    exact = schedule(cli, "--unit", "市教师培训中心", "--exact")
    everything = schedule(cli, "--unit", "市教师培训中心")
    assert len(everything) > len(exact) > 0
    own = [t for t in everything if t["share"] == "own"]
    shared = [t for t in everything if t["share"] == "shared"]
    assert [t["name"] for t in own] == [t["name"] for t in exact]
    assert all("市教师培训中心" in t["units"] and t["via"] == [] for t in own)
    via = {u for t in shared for u in t["via"]}
    assert {"师训机构", "市级师训部门", "市县区师训机构", "教师培训机构"} <= via
    assert all("市教师培训中心" not in t["units"] and set(t["via"]) <= set(t["units"]) for t in shared)
    # Siblings are not included: a task of 县市区师训机构 alone is the counties' business.
    assert not any(t["units"] == ["县市区师训机构"] for t in everything)


def test_county_bureau_answers_for_its_departments_and_the_bureaus_concerned(cli):
    # 0.1.0: `--unit 县市区教育局 --year 2017` missed 相关县市区教育局's workstation task and the
    # tasks of its 政工、人事部门.
    tasks = {t["name"]: t for t in schedule(cli, "--unit", "县市区教育局", "--year", "2017")}
    station = tasks["2017年名优特教师工作站建设"]
    assert (station["share"], station["via"]) == ("part", ["相关县市区教育局"])
    cadres = tasks["青年管理干部培训班"]
    assert (cadres["share"], cadres["via"]) == ("part", ["县市区教育局政工、人事部门"])
    assert any(t["share"] == "shared" and "县市区教育行政部门" in t["via"] for t in tasks.values())
    exact = schedule(cli, "--unit", "县市区教育局", "--year", "2017", "--exact")
    assert {t["name"] for t in exact} == {n for n, t in tasks.items() if t["share"] == "own"}


def test_table_marks_how_each_task_is_shared(cli):
    result = cli("schedule", "--unit", "市教师培训中心", "--period", "2017H1")
    assert result.exit_code == 0
    assert "承担方式" in result.output and "共同承担（" in result.output and "本单位" in result.output
    assert re.search(r"共 \d+ 项任务：市教师培训中心本单位 \d+ 项，共同承担 \d+ 项", result.output)


def test_timeline_and_calendar_follow_the_same_sharing(cli, catalog, tmp_path):
    from icalendar import Calendar

    out = tmp_path / "c.ics"
    assert cli("export", "ics", "--out", str(out), "--unit", "市教师培训中心").exit_code == 0
    names = {str(c["summary"]) for c in Calendar.from_ical(out.read_bytes()).walk() if c.name in ("VEVENT", "VTODO")}
    assert names == {t["name"] for t in schedule(cli, "--unit", "市教师培训中心")}
    assert cli("export", "ics", "--out", str(out), "--unit", "市教师培训中心", "--exact").exit_code == 0
    names = {str(c["summary"]) for c in Calendar.from_ical(out.read_bytes()).walk() if c.name in ("VEVENT", "VTODO")}
    assert names == {t["name"] for t in schedule(cli, "--unit", "市教师培训中心", "--exact")}
    shared = cli("timeline", "--unit", "市教师培训中心", "--tasks")
    exact = cli("timeline", "--unit", "市教师培训中心", "--tasks", "--exact")
    assert shared.exit_code == exact.exit_code == 0
    assert len(shared.output.splitlines()) > len(exact.output.splitlines())


def test_relations_are_transitive_and_cycle_safe():
    class U:
        def __init__(self, name, includes=()):
            self.name, self.includes = name, list(includes)

    units = [U("A", ["B"]), U("B", ["C"]), U("C"), U("D", ["E"]), U("E", ["D"])]
    r = Responsibility(units)
    assert r.general("C") == ["B", "A"] and r.parts("A") == ["B", "C"]
    assert r.relation("C", ["A"]).share == "shared" and r.relation("A", ["C"]).share == "part"
    assert r.relation("C", ["A"], exact=True) is None and r.relation("B", ["D"]) is None
    assert r.parts("D") == ["E"]  # a cycle does not hang the query
    assert cycles(units) == [["D", "E", "D"]]


# ------------------------------------------------------------------ check


def test_unknown_included_unit_is_a_located_error(data_copy):
    line = edit(data_copy / "units.yaml", "includes: [市教师培训中心]", "includes: [市教师培训中新]")
    assert ("unknown-unit", "units.yaml", line) in errors(data_copy)


def test_inclusion_cycles_are_located_errors(data_copy):
    units = data_copy / "units.yaml"
    added = edit(units, "includes: [市教师培训中心]", "includes: [市教师培训中心, 师训机构]")
    found = [f for f in findings(data_copy) if f.code == "unit-inclusion-cycle"]
    # One finding per cycle, on one of its edges (the one that closes it), naming the whole loop.
    assert len(found) == 1 and found[0].severity == "error" and found[0].file.endswith("units.yaml")
    cycle_lines = {
        added,
        next(
            i
            for i, text in enumerate(units.read_text(encoding="utf-8").splitlines(), 1)
            if text.strip() == "- name: 师训机构"
        )
        + 2,
    }
    assert found[0].line in cycle_lines
    assert "市级师训部门" in found[0].message and "师训机构 ⊇" in found[0].message


def test_a_unit_including_itself_is_an_error(data_copy):
    line = edit(data_copy / "units.yaml", "includes: [市装备所]", "includes: [市装备所, 市级装备部门]")
    assert ("unit-inclusion-cycle", "units.yaml", line) in errors(data_copy)


def test_units_without_includes_stay_valid_as_in_0_1_0(data_copy, cli):
    units = data_copy / "units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text("\n".join(t for t in text.splitlines() if "includes:" not in t) + "\n", encoding="utf-8")
    assert errors(data_copy) == []
    result = cli("schedule", "--unit", "市教师培训中心", "--format", "json", "--data", str(data_copy))
    assert result.exit_code == 0
    assert {t["share"] for t in json.loads(result.stdout) if "item" in t} == {"own"}
