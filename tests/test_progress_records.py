"""Progress reports: loading, the cross-checks `check` runs on them, their schema and folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import DATA, REPO
from shiwanqian.domain.progress.basis import basis_of
from shiwanqian.domain.progress.validate import check_progress
from shiwanqian.load.loader import load
from shiwanqian.load.progress import load_progress

EXAMPLES = REPO / "examples" / "progress"


@pytest.fixture(scope="module")
def basis():
    return basis_of(load(DATA))


@pytest.fixture
def progress_copy(tmp_path: Path) -> Path:
    target = tmp_path / "progress"
    shutil.copytree(EXAMPLES, target)
    return target


def problems(folder: Path, basis) -> list[tuple[str, str, str, int]]:
    return [(f.severity, f.code, Path(f.file).name, f.line) for f in check_progress(load_progress(folder), basis)]


def test_the_examples_are_clean(basis):
    assert problems(EXAMPLES, basis) == []


def test_examples_are_marked_fictional():
    for path in EXAMPLES.glob("*.yaml"):
        assert "虚构" in path.read_text(encoding="utf-8"), path


BROKEN = """\
id: broken
reporter: 某县教育局
as_of: 2021-01-05
evidence: 虚构
supersedes: [nope]
quotas:
  - {quota: lesson, region: 攸县, level: 高中, year: 2016, achieved: 1}
  - {quota: lessons, region: 攸線, level: 高中, year: 2016, achieved: 1}
  - {quota: lessons, region: 攸县, level: 高校, year: 2016, achieved: 1}
  - {quota: lessons, region: 攸县, year: 2016, achieved: 1}
  - {quota: lessons, region: 云龙示范区, level: 初中, year: 2016, cumulative: 10}
  - {quota: lessons, region: 云龙示范区, level: 初中, year: 2017, cumulative: 5}
  - {quota: workstations, region: 云龙示范区, year: 2018, achieved: 3}
  - {quota: workstations, region: 云龙示范区, year: 2018, achieved: 3}
  - {quota: workstations, region: 云龙示范区, level: 高中, year: 2017, achieved: 0}
  - {quota: workstations, region: 云龙示范区, year: 2021, achieved: 0}
tasks:
  - {plan: leading-teachers, item: "9", year: 2016, status: 完成}
  - {plan: leading-teacher, item: "1", year: 2016, status: 完成}
  - {plan: leading-teachers, item: "1", year: 2017, status: 完成, date: 2015-01-01}
  - {plan: leading-teachers, item: "1", year: 2016, region: 天元区, status: 完成}
  - {plan: leading-teachers, item: "1", year: 2016, region: 攸县, status: 完成}
"""


def test_every_cross_check_is_reported_with_its_line(progress_copy, basis):
    (progress_copy / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    found = [p for p in problems(progress_copy, basis) if p[2] == "broken.yaml"]
    assert found == [
        ("error", "date-outside-period", "broken.yaml", 3),
        ("error", "unknown-report", "broken.yaml", 5),
        ("error", "unknown-quota", "broken.yaml", 7),
        ("error", "unknown-region", "broken.yaml", 8),
        ("error", "unknown-level", "broken.yaml", 9),
        ("error", "missing-level", "broken.yaml", 10),
        ("error", "cumulative-decreases", "broken.yaml", 12),
        ("warning", "above-quota", "broken.yaml", 13),
        ("error", "duplicate-progress", "broken.yaml", 14),
        ("error", "unexpected-level", "broken.yaml", 15),
        ("error", "year-outside-period", "broken.yaml", 16),
        ("error", "unknown-task", "broken.yaml", 18),
        ("error", "unknown-plan", "broken.yaml", 19),
        ("error", "task-year", "broken.yaml", 20),
        ("error", "date-outside-period", "broken.yaml", 20),
        ("error", "task-region", "broken.yaml", 21),
        ("error", "duplicate-progress", "broken.yaml", 22),  # 攸县 reported it in youxian-2016
    ]


def test_schema_errors_are_all_reported_at_once(progress_copy, basis):
    (progress_copy / "bad.yaml").write_text(
        "id: bad\nreporter: x\nas_of: 2016\nevidence: y\n"
        "quotas:\n  - {quota: lessons, region: 攸县, level: 高中, year: 2016, achieved: -1}\n"
        "  - {quota: lessons, region: 攸县, level: 初中, year: 2016}\n"
        "tasks:\n  - {plan: lessons, item: '2', year: 2016, status: done}\n",
        encoding="utf-8",
    )
    found = [(code, line) for _, code, name, line in problems(progress_copy, basis) if name == "bad.yaml"]
    assert found == [("schema", 3), ("schema", 6), ("schema", 7), ("schema", 9)]


def test_a_report_that_supersedes_wins_and_without_it_both_are_refused(progress_copy, basis):
    assert problems(progress_copy, basis) == []
    path = progress_copy / "2017-攸县.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("supersedes: [youxian-2017-mid]\n", ""), encoding="utf-8")
    codes = {(code, name) for _, code, name, _ in problems(progress_copy, basis)}
    assert codes == {("duplicate-progress", "2017-攸县.yaml")}


def test_supersession_is_transitive_and_cycles_are_refused(progress_copy, basis):
    later = progress_copy / "2017-攸县-更正.yaml"
    later.write_text(
        "id: youxian-2017-fix\nreporter: 攸县教育局\nas_of: 2017-12-31\nevidence: 虚构更正\n"
        "supersedes: [youxian-2017]\n"
        "quotas:\n  - {quota: backbone-teachers, region: 攸县, level: 小学, year: 2017, achieved: 59}\n",
        encoding="utf-8",
    )
    assert problems(progress_copy, basis) == []  # also beats the mid-year report through youxian-2017
    mid = progress_copy / "2017-攸县-年中.yaml"
    mid.write_text(
        mid.read_text(encoding="utf-8").replace("evidence:", "supersedes: [youxian-2017-fix]\nevidence:"),
        encoding="utf-8",
    )
    codes = {code for _, code, _, _ in problems(progress_copy, basis)}
    assert "supersedes-cycle" in codes


def test_due_dates_come_from_the_one_date_mapping(basis):
    tasks = {(t["plan"], t["item"]): t for t in basis["tasks"]}
    assert tasks["leading-teachers", "1"]["due"] == {"2016": "2016-09-30"}  # “2016年10月前”
    assert tasks["assessment", "五 年中"]["due"]["2018"] == "2018-06-30"
    assert tasks["assessment", "五 年末"]["due"]["2018"] == "2018-12-31"


def test_basis_uses_schedule_or_allocation_and_marks_city_wide_figures(basis):
    tables = {t["id"]: t for t in basis["tables"]}
    assert tables["workstations"]["kind"] == "schedule"
    assert tables["workstations"]["yearly"]["攸县"][""]["2016"][0] == 1
    assert tables["lessons"]["kind"] == "allocation"
    lessons = tables["lessons"]["yearly"]["攸县"]
    assert sum(lessons["高中"][str(y)][0] for y in range(2016, 2021)) == tables["lessons"]["quota"]["攸县"]["高中"]
    # 2018: the document gives 幼儿教育 only for the whole city.
    assert tables["backbone-teachers"]["yearly"]["攸县"]["幼儿教育"]["2018"][0] is None


def test_the_progress_schema_validates_the_examples_and_rejects_a_typo():
    schema = json.loads((DATA / "schemas" / "progress.schema.json").read_text(encoding="utf-8"))
    for path in EXAMPLES.glob("*.yaml"):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        jsonschema.validate(data, schema)
    data["quotas"] = [{"quota": "lessons", "region": "攸县", "year": 2016, "achieved": 1, "acheived": 2}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_check_uses_the_progress_folder(cli, progress_copy):
    result = cli("check", "--progress", str(progress_copy))
    assert result.exit_code == 0 and "进度目录" in result.stdout
    (progress_copy / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    result = cli("check", "--progress", str(progress_copy), "--format", "json")
    assert result.exit_code == 1
    assert {f["code"] for f in json.loads(result.stdout)} >= {"unknown-region", "duplicate-progress"}


def test_check_finds_dot_progress_and_the_environment(cli, progress_copy, tmp_path, monkeypatch):
    (progress_copy / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # tmp_path/progress is the default folder
    assert cli("check", "--data", str(DATA)).exit_code == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("check", "--data", str(DATA), env={"SHIWANQIAN_PROGRESS": str(empty)}).exit_code == 0


def test_a_progress_folder_inside_the_data_folder_is_refused(cli, data_copy):
    (data_copy / "progress").mkdir()
    result = cli("check", "--data", str(data_copy), "--progress", str(data_copy / "progress"))
    assert result.exit_code == 2
    assert "数据目录之内" in result.stderr
