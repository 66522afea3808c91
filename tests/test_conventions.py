"""Conventions users bring from other tools: --version, pipes, quiet checks, file names, help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import shiwanqian
from conftest import DATA, edit


def _run(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shiwanqian", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def test_version():
    for flag in ("--version", "-V"):
        result = _run(flag)
        assert result.returncode == 0
        assert result.stdout == f"shiwanqian {shiwanqian.__version__}\n"


def test_version_is_listed_in_help(cli):
    assert "--version" in cli("--help").output


# ------------------------------------------------------------------ closed pipes

PIPED = [
    ("check",),
    ("check", "--format", "json"),
    ("quota", "-d", "攸县", "--format", "json"),
    ("plans", "--format", "csv"),
    ("schedule",),
]


def _reader_leaves(args: tuple[str, ...]) -> tuple[int, str]:
    with subprocess.Popen(
        [sys.executable, "-m", "shiwanqian", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        stderr = process.stderr.read().decode()
        return process.wait(timeout=120), stderr


@pytest.mark.parametrize("args", PIPED, ids=lambda a: " ".join(a))
def test_a_reader_that_stops_at_once_does_not_change_the_exit_status(args):
    """`shiwanqian … | true`: the pipe is closed before the first byte is written."""
    for _ in range(3):
        status, stderr = _reader_leaves(args)
        assert status == 0, stderr
        assert stderr == ""


def test_check_piped_into_head_exits_0_every_time():
    for _ in range(3):
        result = subprocess.run(
            ["bash", "-c", f"set -o pipefail; '{sys.executable}' -m shiwanqian check | head -1"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert len(result.stdout.splitlines()) == 1 and result.stderr == ""


def test_check_with_errors_still_exits_1_when_the_reader_leaves(data_copy):
    edit(data_copy / "quotas" / "lessons.yaml", "    total: 1545\n", "    total: 1546\n")
    assert _reader_leaves(("check", "--data", str(data_copy))) == (1, "")


# ------------------------------------------------------------------ check: quiet, verbose, summary


def test_check_summarises_acknowledged_warnings_in_one_line(cli):
    result = cli("check")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines[0] == "警告：14 处已确认的原文矛盾（登记在 disagreements.yaml）；--verbose 列出全文。"
    assert lines[-1].startswith("检查通过：0 个错误，14 个警告")
    assert len(lines) == 3 and "workstations.yaml" not in result.output


def test_check_verbose_lists_every_warning(cli):
    result = cli("check", "--verbose")
    warnings = [line for line in result.output.splitlines() if "警告[" in line]
    assert len(warnings) == 14 and any("workstations.yaml" in w for w in warnings)


def test_check_quiet_lists_errors_only(cli, data_copy):
    assert cli("check", "--quiet").output == ""
    edit(data_copy / "quotas" / "lessons.yaml", "    total: 1545\n", "    total: 1546\n")
    result = cli("check", "--quiet", "--data", str(data_copy))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines and all("错误[" in line for line in lines)
    quiet_json = json.loads(cli("check", "-q", "--format", "json", "--data", str(data_copy)).output)
    assert quiet_json and {f["severity"] for f in quiet_json} == {"error"}


def test_check_json_keeps_every_warning_in_full(cli):
    data = json.loads(cli("check", "--format", "json").output)
    assert len(data) == 14 and all(d["acknowledged_by"] for d in data)


# ------------------------------------------------------------------ --out


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (("export", "xlsx", "--out", "a.txt"), ".xlsx"),
        (("export", "ics", "--out", "a.xlsx"), ".ics"),
        (("timeline", "--out", "a.png"), ".svg"),
    ],
)
def test_out_with_the_wrong_extension_is_a_usage_error(tmp_path, args, wanted):
    result = _run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert f"--out 应为 {wanted}" in result.stderr and "错误" in result.stderr
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ help, completion

ENGLISH_FRAME = (
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Show this message",
    "[default",
    "[required]",
    "<bool>",
    "[OPTIONS]",
    "COMMAND",
    "ARGS",
    "env var",
    "Install completion",
    "Show completion",
)


def _help_screens() -> list[tuple[str, ...]]:
    """Every command and every command of every group."""
    import typer

    from shiwanqian.cli import build

    group = typer.main.get_command(build())
    assert isinstance(group, typer.core.TyperGroup)
    screens: list[tuple[str, ...]] = [()]
    for name, command in group.commands.items():
        if not getattr(command, "hidden", False):
            screens.append((name,))
            screens += [(name, sub) for sub in getattr(command, "commands", {})]
    return screens


HELP_SCREENS = _help_screens()


@pytest.mark.parametrize("args", HELP_SCREENS, ids=lambda a: " ".join(a) or "top")
def test_help_is_chinese_and_fits_80_columns(cli, args):
    from rich.cells import cell_len

    result = cli(*args, "--help", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    text = result.output
    assert "用法：shiwanqian" in text and "显示本帮助并退出。" in text
    assert not [word for word in ENGLISH_FRAME if word in text]
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    assert not [line for line in text.splitlines() if line.rstrip(" │").endswith("…")], "a line was cut off"


def test_help_in_a_real_80_column_terminal():
    result = _run("check", "--help", env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.returncode == 0
    assert "[默认：text]" in result.stdout and "[环境变量：SHIWANQIAN_DATA]" in result.stdout
    assert "Show this message" not in result.stdout and "…" not in result.stdout  # no line cut off


def test_stored_help_fits_80_columns():
    from rich.cells import cell_len

    from shiwanqian.entry import HELP_FILE

    text = HELP_FILE.read_text(encoding="utf-8")
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    assert "选项" in text and "Options" not in text


def test_a_group_named_alone_shows_its_help_once():
    result = _run("export")
    assert result.returncode == 0 and result.stdout.count("用法：shiwanqian export") == 1


def test_shell_completion_offers_commands_and_options():
    bash = _run(env={"_SHIWANQIAN_COMPLETE": "complete_bash", "COMP_WORDS": "shiwanqian qu", "COMP_CWORD": "1"})
    assert bash.returncode == 0 and bash.stdout.split() == ["quota"]
    zsh = _run(env={"_SHIWANQIAN_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "shiwanqian check --"})
    assert '"--quiet":"只列出错误' in zsh.stdout and "显示本帮助并退出" in zsh.stdout
    assert "--install-completion" in _run("--help").stdout
    for shell, marker in (
        ("bash", "complete -o default"),
        ("zsh", "compdef"),
        ("powershell", "Register-ArgumentCompleter"),
    ):
        script = _run("--show-completion", shell, env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
        assert script.returncode == 0 and marker in script.stdout and "_SHIWANQIAN_COMPLETE" in script.stdout


# ------------------------------------------------------------------ one record shape per command

RECORD_COMMANDS = [
    ("schedule", "-d", "攸县", "-y", "2018"),
    ("schedule",),
    ("quota", "-d", "攸县"),
    ("plans",),
    ("budget",),
    ("allocate", "lessons", "--by", "year", "-d", "攸县"),
]


def _csv(text: str) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("args", RECORD_COMMANDS, ids=lambda a: " ".join(a))
def test_json_and_csv_hold_the_same_records(cli, args):
    from shiwanqian.output.render import cell

    records = json.loads(cli(*args, "--format", "json").stdout)
    rows = _csv(cli(*args, "--format", "csv").stdout)
    assert records and len(rows) == len(records)
    keys = list(records[0])
    assert all(list(r) == keys for r in records), "every JSON record has the same keys"
    assert list(rows[0]) == keys
    for record, row in zip(records, rows, strict=True):
        for key in keys:
            if key != "dates":  # a list of objects in JSON, written as text in CSV
                assert row[key] == cell(record[key]), key


def test_schedule_csv_keeps_the_allocation_rows(cli):
    rows = _csv(cli("schedule", "-d", "攸县", "-y", "2018", "--format", "csv").stdout)
    allocation = [r for r in rows if r["kind"] == "allocation"]
    assert sum(int(r["value"]) for r in allocation) == 386
    assert {r["plan"] for r in allocation} == {"lessons"}


@pytest.mark.parametrize(
    "args",
    [("schedule", "-d", "攸县"), ("quota", "-d", "攸县"), ("allocate", "lessons", "--by", "year")],
    ids=lambda a: a[0],
)
def test_kind_is_an_english_slug(cli, args):
    kinds = {r["kind"] for r in json.loads(cli(*args, "--format", "json").stdout)}
    assert kinds and all(k.isascii() and k.isidentifier() for k in kinds), kinds


def test_task_category_keeps_the_document_word(cli):
    tasks = [r for r in json.loads(cli("schedule", "--format", "json").stdout) if r["kind"] == "task"]
    assert {t["category"] for t in tasks} >= {"工作安排", "年度任务"}
    plans = json.loads(cli("plans", "--format", "json").stdout)
    assert "kind" not in plans[0] and plans[0]["category"] == "支持计划"


def test_budget_records_have_no_total_pseudo_record(cli):
    for fmt in ("json", "csv"):
        out = cli("budget", "--format", fmt).stdout
        records = json.loads(out) if fmt == "json" else _csv(out)
        assert records and all(r["region"] != "合计" and r["year"] not in (None, "") for r in records)
    assert "合计" in cli("budget").output  # the table keeps its totals row


# ------------------------------------------------------------------ timeline at 80 columns


@pytest.mark.parametrize(
    "args",
    [(), ("--tasks",), ("--tasks", "-d", "攸县"), ("-u", "市教师培训中心", "-t")],
    ids=lambda a: " ".join(a) or "plans",
)
def test_timeline_is_readable_at_80_columns(cli, args):
    from rich.cells import cell_len

    def rows(columns: str) -> list[list[str]]:
        result = cli("timeline", *args, env={"COLUMNS": columns})
        assert result.exit_code == 0
        assert max(cell_len(line) for line in result.output.splitlines()) <= int(columns)
        return [
            [c.strip() for c in line.split("│")]
            for line in result.output.splitlines()
            if line.count("│") == 5 and "年" not in line.split("│")[1]
        ]

    narrow, wide = rows("80"), rows("200")
    assert len(narrow) == len(wide) > 5
    for short, full in zip(narrow, wide, strict=True):
        # Every row keeps its name, whole or shortened with …, and every year its cell.
        assert short[0] == full[0] or (short[0].endswith("…") and full[0].startswith(short[0][:-1])), short[0]
        assert len(short[0]) >= 8 or short[0] == full[0]
        marks = [c for c in short[1:] if c and set(c) <= set("█▌·")]
        assert all(len(c) == 6 for c in marks) and (not marks or len(marks) == 5)


def test_timeline_shortens_long_names_and_halves_months_at_80_columns(cli):
    result = cli("timeline", env={"COLUMNS": "80"})
    assert "中小幼教师信息技术应用能力提升培训…" in result.output
    assert "一格两个月" in result.output
    line = next(line for line in result.output.splitlines() if line.startswith("专项考核评估办法"))
    assert [c.strip() for c in line.split("│")[1:]] == ["··▌··▌"] * 5  # June and December


# ------------------------------------------------------------------ suggestions in data files


@pytest.mark.parametrize(
    ("file", "old", "new", "wanted"),
    [
        ("quotas/lessons.yaml", "  - region: 攸县\n", "  - region: youxian\n", "您是不是要找：攸县？"),
        ("quotas/lessons.yaml", "  - region: 攸县\n", "  - region: 攸\n", "您是不是要找：攸县？"),
        (
            "plans/08-academy.yaml",
            "[炎陵县, 茶陵县, 攸县, 醴陵市, 株洲县]",
            "[炎陵县, 茶陵县, 攸县, 醴陵, 株洲县]",
            "您是不是要找：醴陵市？",
        ),
        (
            "plans/01-it-training.yaml",
            "units: [市教师培训中心, 市教科院]",
            "units: [培训中心, 市教科院]",
            "您是不是要找：市教师培训中心？",
        ),
    ],
)
def test_data_file_names_get_the_suggestions_the_command_line_gives(data_copy, file, old, new, wanted):
    from conftest import findings

    line = edit(data_copy / file, old, new)
    hits = [f for f in findings(data_copy) if f.code in ("unknown-region", "unknown-unit")]
    assert [(Path(f.file).name, f.line) for f in hits] == [(Path(file).name, line)]
    assert wanted in hits[0].message


def test_command_line_suggests_full_names_for_misspelt_pinyin(cli):
    result = cli("quota", "-d", "youxain")
    assert result.exit_code == 2 and "您是不是要找：攸县" in result.output


# ------------------------------------------------------------------ calendar


def _events(cli, tmp_path, *args: str) -> list:
    import icalendar

    out = tmp_path / "c.ics"
    result = cli("export", "ics", "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    assert not [c for c in calendar.walk() if c.name == "VTODO"], "to-dos are dropped by many calendar apps"
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def test_deadlines_are_all_day_events_on_the_due_date_with_an_alarm(cli, tmp_path):
    import datetime as dt

    events = _events(cli, tmp_path)
    deadlines = {str(e["summary"]): e for e in events if any(s.name == "VALARM" for s in e.subcomponents)}
    assert set(deadlines) == {
        "制订优质课堂教学资源建设指南",
        "成立青年教师协会",
        "2016年名优特教师工作站建设",
        "2017年名优特教师工作站建设",
        "2018年名优特教师工作站建设",
    }
    guide = deadlines["制订优质课堂教学资源建设指南"]  # 2016年7月前
    assert guide["dtstart"].dt == dt.date(2016, 6, 30) and guide["dtend"].dt == dt.date(2016, 7, 1)
    alarm = next(s for s in guide.subcomponents if s.name == "VALARM")
    assert str(alarm["action"]) == "DISPLAY" and alarm["trigger"].dt == -dt.timedelta(days=7)
    assert "截止" in str(alarm["description"]) and str(guide["description"]).startswith("截止：2016-06-30")


def _covering(events: list, day) -> list:
    import datetime as dt

    return [
        e
        for e in events
        if e["dtstart"].dt <= day < e["dtend"].dt and e["dtend"].dt - e["dtstart"].dt > dt.timedelta(days=300)
    ]


def test_whole_year_tasks_are_free_or_milestones(cli, tmp_path):
    import datetime as dt

    day = dt.date(2018, 6, 15)
    free = _events(cli, tmp_path, "-d", "攸县")
    year_long = _covering(free, day)
    assert len(year_long) >= 15  # the document's many 2016-2020 tasks, each on every day of 2018
    assert all(str(e["transp"]) == "TRANSPARENT" for e in free)
    milestones = _events(cli, tmp_path, "-d", "攸县", "--whole-year", "milestone")
    assert _covering(milestones, day) == []
    by_uid = {str(e["uid"]): e for e in milestones}
    for event in year_long:
        milestone = by_uid[str(event["uid"])]  # the same UID: importing again replaces the bar
        assert milestone["dtstart"].dt == dt.date(2018, 1, 1) and milestone["dtend"].dt == dt.date(2018, 1, 2)
        assert str(milestone["description"]).startswith("全年任务：2018-01-01 至 2018-12-31")
    assert len(milestones) == len(free)


def test_whole_year_option_rejects_other_values(cli, tmp_path):
    result = cli("export", "ics", "--out", str(tmp_path / "c.ics"), "--whole-year", "busy")
    assert result.exit_code == 2


# ------------------------------------------------------------------ README for Windows


def _blocks(language: str) -> list[list[str]]:
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("## 快速开始")
    quick = readme[start : readme.index("\n## ", start + 1)]
    return [
        [line for line in block.splitlines() if line.strip()]
        for block in re.findall(rf"```{language}\n(.*?)```", quick, re.S)
    ]


def test_quick_start_has_the_same_two_commands_for_powershell_and_cmd():
    (bash,) = _blocks("bash")
    (powershell,) = _blocks("powershell")
    (cmd,) = _blocks("bat")
    assert len(bash) == len(powershell) == len(cmd) == 2

    def as_bash(line: str, *, separator: str, quote: bool) -> str:
        line = line.replace(".venv\\Scripts\\", ".venv/bin/").replace("py -3.11 ", "python3 ")
        line = line.replace(separator, " && ")
        return line if quote else line.replace(" .[test]", " '.[test]'")

    assert [as_bash(line, separator="; ", quote=True) for line in powershell] == bash
    assert [as_bash(line, separator=" && ", quote=False) for line in cmd] == bash
    assert not [line for line in powershell if "&&" in line]  # Windows PowerShell 5 has no &&
    assert not [line for line in cmd if "'" in line]  # cmd passes single quotes on literally


def test_progress_reports_get_the_same_region_suggestions(tmp_path):
    import shutil

    from shiwanqian.domain.progress.basis import basis_of
    from shiwanqian.domain.progress.validate import check_progress
    from shiwanqian.load.loader import load
    from shiwanqian.load.progress import load_progress

    examples = Path(__file__).resolve().parents[1] / "examples" / "progress"
    folder = tmp_path / "progress"
    shutil.copytree(examples, folder)
    line = edit(
        folder / "2016-攸县.yaml",
        "  - {quota: workstations, region: 攸县,",
        "  - {quota: workstations, region: youxian,",
    )
    basis = basis_of(load(Path(__file__).resolve().parents[1] / "data"))
    hits = [f for f in check_progress(load_progress(folder), basis) if f.code == "unknown-region"]
    assert [(Path(f.file).name, f.line) for f in hits] == [("2016-攸县.yaml", line)]
    assert "您是不是要找：攸县？" in hits[0].message


# ------------------------------------------------------------------ --excel on every CSV


def test_every_command_that_writes_csv_has_the_excel_switch(cli):
    writers = []
    for path in HELP_SCREENS[1:]:
        text = cli(*path, "--help", env={"COLUMNS": "200"}).output
        formats = [line for line in text.splitlines() if "--format" in line and "<" in line]
        if formats and "csv" in formats[0]:
            writers.append(path)
            assert "--excel" in text, f"{' '.join(path)} writes CSV but has no --excel"
    assert len(writers) >= 7, writers


@pytest.mark.parametrize(
    "args", [("schedule", "-d", "攸县"), ("quota", "-d", "攸县"), ("budget",), ("plans",)], ids=lambda a: a[0]
)
def test_excel_csv_opens_in_chinese_excel(args):
    result = subprocess.run(
        [sys.executable, "-m", "shiwanqian", *args, "--format", "csv", "--excel"], capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()
    data = result.stdout
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    lines = data.split(b"\r\n")
    assert len(lines) > 2 and not [line for line in lines if b"\n" in line.rstrip(b"\n")]
    text = data.decode("utf-8")  # UTF-8 throughout, readable once Excel sees the BOM
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)


# ------------------------------------------------------------------ --out into a missing folder

OUT_COMMANDS = [
    ("export", "xlsx", "--out", "{}/x.xlsx"),
    ("export", "ics", "--district", "攸县", "--out", "{}/x.ics"),
    ("export", "template", "--district", "攸县", "--year", "2018", "--out", "{}/x.xlsx"),
    ("timeline", "--out", "{}/x.svg"),
    ("progress", "--out", "{}/x.html"),
    ("schema", "--out", "{}/schemas"),
    ("draft", str(DATA / "source.txt"), "--out", "{}/draft"),
]


@pytest.mark.parametrize("args", OUT_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_out_refuses_a_missing_folder_and_writes_nothing(cli, tmp_path, args):
    # As cp and curl -o do: a typo in the folder is an error naming it, never a new tree of folders.
    missing = tmp_path / "no-such" / "folder"
    result = cli(*(a.format(missing) for a in args))
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())  # the message may wrap at the terminal's width
    assert f"文件夹 {missing} 不存在" in said and "没有写入任何文件" in said
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", OUT_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_out_writes_into_an_existing_folder(cli, tmp_path, args):
    folder = tmp_path / "existing"
    folder.mkdir()
    result = cli(*(a.format(folder) for a in args))
    assert result.exit_code == 0, result.output
    assert any(folder.iterdir())


def test_out_under_a_file_says_it_is_not_a_folder(cli, tmp_path):
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    result = cli("export", "xlsx", "--out", str(tmp_path / "plain" / "x.xlsx"))
    assert result.exit_code == 1 and f"{tmp_path / 'plain'} 不是文件夹" in " ".join(result.output.split())
