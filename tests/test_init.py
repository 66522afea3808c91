"""`shiwanqian init DIR`: a new programme that passes `check` at once, and never overwrites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shiwanqian.cli import app
from shiwanqian.domain import checks
from shiwanqian.load import loader

OPTIONS = [
    "--title",
    "关于实施“名师成长”计划的意见",
    "--issuer",
    "某县教育局",
    "--document",
    "某教发〔2026〕1号",
    "--start",
    "2026",
    "--end",
    "2030",
    "--region",
    "城关镇、东区",
    "--region",
    "直属学校",
    "--level",
    "初中",
    "--level",
    "小学",
]


def init(folder: Path, *options: str, input: str | None = None):
    return CliRunner().invoke(app, ["init", str(folder), *options], input=input, catch_exceptions=False)


def test_new_programme_passes_check_at_once(tmp_path, cli):
    folder = tmp_path / "名师成长"
    result = init(folder, *OPTIONS)
    assert result.exit_code == 0, result.output
    assert "check 通过" in result.output
    assert checks.run(loader.load(folder)) == []
    assert cli("check", "--data", str(folder)).exit_code == 0
    catalog = loader.load(folder)
    programme = catalog.programme.model
    assert (programme.title, programme.issuer, programme.document) == (
        "关于实施“名师成长”计划的意见",
        "某县教育局",
        "某教发〔2026〕1号",
    )
    assert (programme.period.start, programme.period.end) == (2026, 2030) and list(programme.levels) == ["初中", "小学"]
    assert [(r.name, r.kind) for r in catalog.regions.model.regions] == [
        ("城关镇", "县市"),
        ("东区", "区"),
        ("直属学校", "直属"),
    ]


def test_files_name_their_schema_and_explain_themselves(tmp_path):
    folder = tmp_path / "new"
    assert init(folder, *OPTIONS).exit_code == 0
    for name, kind in (
        ("programme.yaml", "programme"),
        ("regions.yaml", "regions"),
        ("units.yaml", "units"),
        ("disagreements.yaml", "disagreements"),
    ):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        assert lines[0] == f"# yaml-language-server: $schema=schemas/{kind}.schema.json"
        assert lines[1].startswith("# ")  # what goes in this file
        assert (folder / "schemas" / f"{kind}.schema.json").is_file()
        json.loads((folder / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    for template, kind in (("plans/计划模板.yaml.example", "plan"), ("quotas/名额表模板.yaml.example", "quota")):
        text = (folder / template).read_text(encoding="utf-8")
        assert text.startswith(f"# yaml-language-server: $schema=../schemas/{kind}.schema.json")
    assert "强师" not in (folder / "programme.yaml").read_text(encoding="utf-8")
    assert "名师成长计划" in (folder / "programme.yaml").read_text(encoding="utf-8")  # the derived short name


def test_templates_become_valid_files_once_filled_in(tmp_path):
    """The templates are data files in all but name: renamed, they load (and check finds the
    placeholder quotations missing from the document, as it should)."""
    folder = tmp_path / "new"
    assert init(folder, *OPTIONS).exit_code == 0
    (folder / "plans" / "计划模板.yaml.example").rename(folder / "plans" / "01-plan.yaml")
    (folder / "quotas" / "名额表模板.yaml.example").rename(folder / "quotas" / "table.yaml")
    text = (folder / "quotas" / "table.yaml").read_text(encoding="utf-8").replace("区域名", "东区")
    (folder / "quotas" / "table.yaml").write_text(text, encoding="utf-8")
    catalog = loader.load(folder)
    assert [p.code for p in catalog.problems] == []
    assert len(catalog.plans) == 1 and len(catalog.quotas) == 1
    codes = {f.code for f in checks.run(catalog)}
    assert "quote-not-found" in codes and "schema" not in codes


@pytest.mark.parametrize("title", ["标题: 带冒号 # 和井号", "“引号”与'单引号'及\"双引号\"", "- 以短横开头", "yes"])
def test_any_title_is_written_safely(tmp_path, title):
    folder = tmp_path / "new"
    options = list(OPTIONS)
    options[1] = title
    assert init(folder, *options).exit_code == 0
    assert loader.load(folder).programme.model.title == title


def test_never_writes_into_a_folder_that_has_files(tmp_path):
    folder = tmp_path / "existing"
    folder.mkdir()
    (folder / "programme.yaml").write_text("mine", encoding="utf-8")
    result = init(folder, *OPTIONS)
    assert result.exit_code == 1 and "不会改动已有的文件" in result.output
    assert [p.name for p in folder.iterdir()] == ["programme.yaml"]
    assert (folder / "programme.yaml").read_text(encoding="utf-8") == "mine"


def test_an_empty_existing_folder_is_used(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    assert init(folder, *OPTIONS).exit_code == 0 and (folder / "programme.yaml").is_file()


def test_missing_options_off_a_terminal_are_a_usage_error(tmp_path):
    result = init(tmp_path / "new", "--title", "标题")
    assert result.exit_code == 2 and "--issuer" in result.output and "--level" in result.output
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    "options, message",
    [
        (["--start", "2030", "--end", "2026"], "计划期"),
        (["--region", "东区、东区"], "区域重复"),
    ],
)
def test_bad_answers_are_usage_errors(tmp_path, options, message):
    args = list(OPTIONS)
    for i in range(0, len(options), 2):
        index = args.index(options[i])
        args[index + 1] = options[i + 1]
    result = init(tmp_path / "new", *args)
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "new").exists()


def test_prompts_for_what_is_missing_on_a_terminal(tmp_path, monkeypatch):
    from shiwanqian.cli import init as init_module

    monkeypatch.setattr(init_module, "_interactive", lambda: True)
    answers = "某市教育局\n某教发〔2027〕2号\n2027\n2031\n甲县、乙区\n高中、初中、小学\n"
    result = init(tmp_path / "asked", "--title", "关于实施某某计划的意见", input=answers)
    assert result.exit_code == 0, result.output
    catalog = loader.load(tmp_path / "asked")
    assert catalog.programme.model.issuer == "某市教育局"
    assert [r.name for r in catalog.regions.model.regions] == ["甲县", "乙区"]
    assert list(catalog.programme.model.levels) == ["高中", "初中", "小学"]
    assert checks.run(catalog) == []


def test_queries_on_a_new_programme_answer_without_error(tmp_path, cli):
    folder = tmp_path / "new"
    assert init(folder, *OPTIONS).exit_code == 0
    assert "没有名额或指标" in cli("quota", "-d", "东区", "--data", str(folder)).output
    for args in (("quota", "-d", "东区"), ("schedule",), ("plans",), ("timeline",)):
        result = cli(*args, "--data", str(folder))
        assert result.exit_code == 0, (args, result.output)
    result = cli("budget", "--data", str(folder))
    assert result.exit_code == 1 and "没有任何名额表写有单价或标准" in result.output
