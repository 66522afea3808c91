"""The documentation says what the program does: README.md, CONTRIBUTING.md and docs/**.md.

* Every ``shiwanqian …`` command in a ``text`` or ``bash`` code block runs, page by page in a
  fresh folder (a copy of ``data/`` and ``examples/`` beside it, so relative paths and ``--out``
  land in the temporary folder), in the order a reader meets them, and exits 0, or with the
  code a ``<!-- docs-test: exit=N -->`` comment right above the block gives its last command.
* What a block shows after ``$ shiwanqian …`` is that command's real output at 80 columns
  (``columns=N`` in the comment for another width): every shown line, in order; consecutive
  lines are consecutive in the output and the block is the whole output unless a line
  starting with ``……`` marks what is left out.
* ``setup=NAME`` in the comment runs a named preparation first (see ``SETUPS``).
* Commands are shell-neutral (the same in bash, PowerShell and cmd); every relative link and
  image points at a file that exists; README stays under 250 lines; docs/commands.md names
  every command and exactly its options, and every key of the JSON records where a
  ``<!-- docs-test-fields: COMMAND -->`` comment precedes a paragraph; docs/data-format.md names
  exactly the fields of the JSON Schemas in data/schemas/.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import DATA, REPO
from shiwanqian.cli import app

PAGES = [
    REPO / "README.md",
    REPO / "CONTRIBUTING.md",
    *sorted((REPO / "docs").rglob("*.md")),
    *sorted((REPO / "examples").rglob("README.md")),
]
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)
DIRECTIVE = re.compile(r"<!--\s*docs-test:(?P<options>.*?)-->")
ELISION = "……"


@dataclass
class Step:
    command: str
    line: int
    shown: list[str] = field(default_factory=list)
    exit_code: int = 0


@dataclass
class Block:
    page: Path
    line: int
    lang: str
    lines: list[str]
    options: dict[str, str]

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"

    def steps(self) -> list[Step]:
        """The commands of the block, each with the output shown after it."""
        prompted = any(line.startswith("$ shiwanqian ") for line in self.lines)
        steps: list[Step] = []
        for offset, line in enumerate(self.lines, start=1):
            number = self.line + offset
            if prompted:
                if line.startswith("$ "):
                    assert line.startswith("$ shiwanqian "), f"{self.page.name}:{number}: only shiwanqian commands"
                    steps.append(Step(line.removeprefix("$ "), number))
                else:
                    assert steps, f"{self.page.name}:{number}: output before the first command"
                    steps[-1].shown.append(line)
            elif line.startswith("shiwanqian "):
                steps.append(Step(line, number))
        if steps and not prompted:
            stray = [line for line in self.lines if line.strip() and not line.startswith("shiwanqian ")]
            assert not stray, f"{self.where}: output shown without a $ prompt cannot be checked: {stray[:2]}"
        if steps and "exit" in self.options:
            steps[-1].exit_code = int(self.options["exit"])
        return steps


def blocks(page: Path) -> Iterator[Block]:
    text = page.read_text(encoding="utf-8")
    for match in FENCE.finditer(text):
        if match.group("lang") not in ("text", "bash"):
            continue
        before = text[: match.start()].rstrip().rsplit("\n", 1)[-1]
        directive = DIRECTIVE.fullmatch(before.strip())
        options = dict(o.split("=", 1) for o in directive.group("options").split()) if directive else {}
        body = textwrap.dedent(match.group("body"))
        yield Block(page, text[: match.start()].count("\n") + 1, match.group("lang"), body.splitlines(), options)


def commands(page: Path) -> list[tuple[Block, Step]]:
    return [(block, step) for block in blocks(page) for step in block.steps()]


PAGES_WITH_COMMANDS = [
    page for page in PAGES if page.exists() and (commands(page) or any("file" in b.options for b in blocks(page)))
]


# ------------------------------------------------------------------ running the pages


def _filled_workbook(folder: Path, run: Callable[[str], object]) -> Path:
    """攸县's 2018 workbook (``export template``) as the county fills it in: the date, the
    evidence and what it achieved."""
    import datetime

    import openpyxl

    path = folder / "攸县-2018.xlsx"
    if not path.exists():
        run("shiwanqian export template --district 攸县 --year 2018 --out 攸县-2018.xlsx")
    book = openpyxl.load_workbook(path)
    book["说明"]["B6"], book["说明"]["B7"] = datetime.date(2018, 12, 31), "攸县教育局2018年工程年度总结"
    sheet = book["名额完成情况"]
    sheet["F2"] = 1
    for row, value in zip(range(9, 15), [125, 112, 80, 23, 30, 8], strict=True):
        sheet[f"F{row}"] = value
    book.save(path)
    return path


def _broken_workbook(folder: Path, run: Callable[[str], object]) -> None:
    """The same workbook with words and a negative number in “实际完成” and a target overwritten."""
    import openpyxl

    path = _filled_workbook(folder, run)
    book = openpyxl.load_workbook(path)
    sheet = book["名额完成情况"]
    sheet["F8"], sheet["F9"], sheet["E10"] = "三十", -5, 999
    book.save(path)


def _doubtful_workbook(folder: Path, run: Callable[[str], object]) -> None:
    """攸县's 2017 workbook filled with every target, but 999 where 骨干教师 初中 is 60 (issue 23)."""
    import datetime

    import openpyxl

    path = folder / "攸县-2017.xlsx"
    run("shiwanqian export template --district 攸县 --year 2017 --out 攸县-2017.xlsx")
    book = openpyxl.load_workbook(path)
    book["说明"]["B6"] = datetime.date(2017, 12, 31)
    sheet = book["名额完成情况"]
    for row in range(2, sheet.max_row + 1):
        slip = (sheet.cell(row, 1).value, sheet.cell(row, 3).value) == ("千名优秀骨干教师", "初中")
        sheet.cell(row, 6).value = 999 if slip else sheet.cell(row, 5).value
    book.save(path)


def _second_programme(folder: Path, run: Callable[[str], object]) -> None:
    """A second programme started beside the first one's ./progress (issue 23)."""
    run(
        "shiwanqian init 新工程 --title '关于实施“名师成长”计划的意见' --issuer 某县教育局 --document '某教发〔2026〕1号'"
        " --start 2026 --end 2030 --region 城关镇、东区、直属学校 --level 初中、小学"
    )


def _lessons_revision(folder: Path, run: Callable[[str], object]) -> None:
    """修订/: the shipped data as revised to move 10 高中 优质课 from 攸县 to 醴陵市 (see conftest)."""
    from conftest import LESSONS_FILES, LESSONS_MOVE, revise

    shutil.copytree(folder / "data", folder / "修订")
    revise(folder / "修订", LESSONS_MOVE, LESSONS_FILES)


def _old_folder(folder: Path, run: Callable[[str], object]) -> None:
    """旧数据/: the data folder as 0.1.0 left it (tests/compat/data-0.1.0)."""
    shutil.copytree(REPO / "tests" / "compat" / "data-0.1.0", folder / "旧数据")


SETUPS: dict[str, Callable[[Path, Callable[[str], object]], object]] = {
    "filled-workbook": _filled_workbook,
    "broken-workbook": _broken_workbook,
    "doubtful-workbook": _doubtful_workbook,
    "second-programme": _second_programme,
    "lessons-revision": _lessons_revision,
    "old-folder": _old_folder,
}


def _shown_in(shown: list[str], output: str) -> str | None:
    """Why the shown lines are not the output, or None when they are."""
    actual = [line.rstrip() for line in output.splitlines()]
    wanted = [line.rstrip() for line in shown]
    while actual and not actual[-1]:
        actual.pop()
    while wanted and not wanted[-1]:
        wanted.pop()
    if not wanted:
        return None
    runs: list[list[str]] = [[]]
    for line in wanted:
        if line.lstrip().startswith(ELISION):
            runs.append([])
        else:
            runs[-1].append(line)
    open_start = wanted[0].lstrip().startswith(ELISION)
    open_end = wanted[-1].lstrip().startswith(ELISION)
    position = 0
    for index, run in enumerate(runs):
        if not run:
            continue
        first, last = index == 0 and not open_start, index == len(runs) - 1 and not open_end
        starts = [position] if first else range(position, len(actual) - len(run) + 1)
        found = next((s for s in starts if actual[s : s + len(run)] == run), None)
        if found is None:
            near = next((i for i in range(position, len(actual)) if actual[i] == run[0]), None)
            context = "\n".join(actual[near : near + len(run)] if near is not None else actual[position : position + 5])
            return f"not in the output (after line {position}):\n" + "\n".join(run) + "\n--- output there:\n" + context
        position = found + len(run)
        if last and position != len(actual):
            return f"the output goes on after the last shown line (mark the rest with {ELISION}):\n" + "\n".join(
                actual[position : position + 3]
            )
    return None


@pytest.mark.parametrize("page", PAGES_WITH_COMMANDS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_command_on_the_page_runs_and_prints_what_the_page_shows(page, tmp_path, monkeypatch):
    # What a reader has after cloning: data/ and examples/ (copies: a page may write into them).
    # The query cache is shared by the whole test session (conftest), so only the first page pays for it.
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for variable in ("SHIWANQIAN_DATA", "SHIWANQIAN_PROGRESS"):
        monkeypatch.delenv(variable, raising=False)
    runner = CliRunner()

    def run(command: str, columns: str = "80"):
        return runner.invoke(app, shlex.split(command)[1:], env={"COLUMNS": columns}, catch_exceptions=False)

    problems = []
    for block in blocks(page):
        if "file" in block.options:  # an excerpt of a file the commands above wrote
            written = tmp_path / block.options["file"]
            why = _shown_in(block.lines, written.read_text(encoding="utf-8")) if written.exists() else "no such file"
            if why is not None:
                problems.append(f"{block.where}: {block.options['file']}\n{why}")
            continue
        steps = block.steps()
        if not steps:
            continue
        if "setup" in block.options:
            SETUPS[block.options["setup"]](tmp_path, run)
        for step in steps:
            result = run(step.command, block.options.get("columns", "80"))
            where = f"{page.relative_to(REPO)}:{step.line}: {step.command}"
            if result.exit_code != step.exit_code:
                problems.append(f"{where}\nexit code {result.exit_code}, the page implies {step.exit_code}")
            elif (why := _shown_in(step.shown, result.output)) is not None:
                problems.append(f"{where}\n{why}")
    assert not problems, "\n\n".join(problems)


def test_the_output_comparison_can_fail():
    output = "a\nb\nc\nd\n"
    assert _shown_in(["a", "b", "c", "d"], output) is None
    assert _shown_in(["a", "……", "d"], output) is None
    assert _shown_in(["……", "c"], output) is not None  # the output goes on after c
    assert _shown_in(["b", "……"], output) is not None  # the output starts with a, not b
    assert _shown_in(["a", "c", "……"], output) is not None  # b left out without saying so
    assert _shown_in(["a", "x", "……"], output) is not None


# ------------------------------------------------------------------ the same in every shell


def test_commands_in_the_docs_work_in_every_shell():
    found = [step.command for page in PAGES if page.exists() for _, step in commands(page)]
    assert len(found) >= 30
    # No shell-specific syntax: comments, quoting, variables, substitutions, chaining, line continuations.
    assert not [c for c in found if re.search(r"[#'\"$`\\;&|<>]", c)], found


# ------------------------------------------------------------------ links


LINK = re.compile(r"!?\[[^\]]*\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _anchors(page: Path) -> set[str]:
    """The anchors GitHub makes of the page's headings: lower case, punctuation dropped, spaces
    as hyphens, repeats numbered."""
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)
    anchors: set[str] = set()
    for heading in re.findall(r"^#+ +(.+?) *$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        anchors.add(
            next(f"{slug}-{n}" if n else slug for n in range(100) if (f"{slug}-{n}" if n else slug) not in anchors)
        )
    return anchors


@pytest.mark.parametrize("page", [p for p in PAGES if p.exists()], ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_and_image_points_at_a_file_and_heading(page):
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)
    broken = []
    for target in (m.group("target") for m in LINK.finditer(text)):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path) if path else page
        if not file.exists():
            broken.append(target)
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
            broken.append(f"{target} (no such heading)")
    assert not broken, broken


def test_the_anchor_rule_is_githubs():
    page = REPO / "docs" / "guide" / "quota.md"
    assert {"按年度比例取整allocate", "全市视图"} <= _anchors(page)


def _links(page: Path) -> set[Path]:
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)
    targets = (m.group("target").split("#")[0] for m in LINK.finditer(text))
    return {(page.parent / t).resolve() for t in targets if t and not re.match(r"[a-z]+:", t)}


def test_the_quick_start_says_how_long_the_tests_take():
    """A new user who runs the second command should know whether a silent terminal is normal."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    quick = text[text.index("## 快速开始") : text.index("```bash", text.index("## 快速开始"))]
    assert re.search(r"全部测试[^。]*约需 \d+ 分钟", quick), quick


def test_readme_is_short_and_every_page_can_be_reached_from_it():
    assert len((REPO / "README.md").read_text(encoding="utf-8").splitlines()) < 250
    reached, todo = set(), [(REPO / "README.md").resolve()]
    while todo:
        page = todo.pop()
        if page not in reached:
            reached.add(page)
            todo += [p for p in _links(page) if p.suffix == ".md"]
    unreached = [str(p.relative_to(REPO)) for p in PAGES if p.exists() and p.resolve() not in reached]
    assert not unreached, f"pages no link leads to from README: {unreached}"


# ------------------------------------------------------------------ the command reference


def _commands_and_options() -> dict[str, dict[str, set[str]]]:
    """Every command → its options, each long name with all its spellings (``--district``: -d)."""
    import typer

    from shiwanqian.cli import build

    def options(command) -> dict[str, set[str]]:
        found = {}
        for param in command.params:
            if param.param_type_name == "option" and "--help" not in param.opts:
                found[next(n for n in param.opts if n.startswith("--"))] = set(param.opts)
        return found

    group = typer.main.get_command(build())
    top = {**options(group), **{n: {n} for n in ("--install-completion", "--show-completion")}}
    found = {"shiwanqian": top}
    for name, command in getattr(group, "commands", {}).items():
        if getattr(command, "hidden", False):
            continue
        found[f"shiwanqian {name}"] = options(command)
        for sub_name, sub in getattr(command, "commands", {}).items():
            found[f"shiwanqian {name} {sub_name}"] = options(sub)
    return found


def _reference_sections() -> dict[str, str]:
    """docs/commands.md: the text under each heading that names a command in backquotes."""
    text = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    sections: dict[str, str] = {}
    for match in re.finditer(r"^##+ `(?P<name>shiwanqian[^`]*?)`[^\n]*\n(?P<body>.*?)(?=^##+ |\Z)", text, re.M | re.S):
        sections[match.group("name").strip()] = match.group("body")
    return sections


def test_the_command_reference_has_every_command_and_exactly_its_options():
    sections = _reference_sections()
    problems = []
    for name, options in _commands_and_options().items():
        if name not in sections:
            problems.append(f"{name}: no section “## `{name}`” in docs/commands.md")
            continue
        rows = re.findall(r"^\| *(`-[^|]*?) *\|", sections[name], re.M)
        listed = [set(re.findall(r"`(-[-a-zA-Z]+)`", row)) for row in rows]
        longs = [next((n for n in spelt if n.startswith("--")), "?") for spelt in listed]
        if len(longs) != len(set(longs)):
            problems.append(f"{name}: an option is listed twice")
        if set(longs) != set(options):
            missing, extra = sorted(set(options) - set(longs)), sorted(set(longs) - set(options))
            problems.append(f"{name}: options missing from the table {missing}, listed but not accepted {extra}")
        problems += [
            f"{name}: {long} is written {sorted(options[long])}, the table says {sorted(spelt)}"
            for long, spelt in zip(longs, listed, strict=True)
            if long in options and spelt != options[long]
        ]
    known = set(_commands_and_options())
    problems += [f"{name}: a section for a command that does not exist" for name in sections if name not in known]
    assert not problems, "\n".join(problems)


FIELDS = re.compile(r"^<!-- docs-test-fields: (?P<command>.+?) -->\n(?P<paragraph>(?:.+\n)+)", re.M)


def _record_keys(value) -> set[str]:
    """The keys of a command's JSON records: of each record of a list; of an object, its own
    keys and those of the records it holds (one level down, as ``progress`` nests them)."""

    def records(items) -> set[str]:
        return {k for item in items if isinstance(item, dict) for k in item} if isinstance(items, list) else set()

    if isinstance(value, list):
        return records(value)
    keys = set(value)
    for inner in value.values():
        keys |= records(inner)
        if isinstance(inner, dict):
            keys |= set(inner) | {k for v in inner.values() for k in records(v)}
    return keys


def test_the_command_reference_names_every_field_of_the_json_records(tmp_path, monkeypatch):
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    text = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    found = list(FIELDS.finditer(text))
    assert len(found) >= 8
    runner, problems = CliRunner(), []
    for match in found:
        args = [*shlex.split(match.group("command")), "--format", "json"]
        result = runner.invoke(app, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        named = set(re.findall(r"`([a-z_]+)`", match.group("paragraph")))
        missing = sorted(_record_keys(json.loads(result.stdout)) - named)
        if missing:
            problems.append(f"{match.group('command')}: fields the records have but the page does not name: {missing}")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ the data-format reference


def _schema_fields() -> dict[str, tuple[set[str], set[str]]]:
    """``file#Name`` → (fields, required fields) of every object in data/schemas/; ``file#`` is the
    file's top level."""
    found = {}
    for path in sorted((DATA / "schemas").glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        stem = path.name.removesuffix(".schema.json")
        for name, part in [("", schema), *schema.get("$defs", {}).items()]:
            found[f"{stem}#{name}"] = (set(part.get("properties", {})), set(part.get("required", [])))
    return found


def _reference_tables() -> dict[str, list[tuple[str, str]]]:
    """docs/data-format.md: ``<!-- schema: file#Name … -->`` above a table whose rows start
    `` | `field` | 必填 | ``; → (field, 是/否) for each object named."""
    text = (REPO / "docs" / "data-format.md").read_text(encoding="utf-8")
    tables: dict[str, list[tuple[str, str]]] = {}
    for match in re.finditer(r"<!-- schema: (?P<names>[^>]*?) -->\n(?P<table>(?:\|[^\n]*\n)+)", text):
        rows = re.findall(r"^\| *`([A-Za-z_]+)` *\| *([^|]*?) *\|", match.group("table"), re.M)
        for name in match.group("names").split():
            assert name not in tables, f"{name} is described twice"
            tables[name] = rows
    return tables


def _format_problems(schemas: dict, tables: dict) -> list[str]:
    problems = [f"{name}: no table in docs/data-format.md" for name in schemas if name not in tables]
    problems += [f"{name}: no such object in data/schemas/" for name in tables if name not in schemas]
    for name in sorted(schemas.keys() & tables.keys()):
        fields, required = schemas[name]
        rows = dict(tables[name])
        if set(rows) != fields:
            problems.append(
                f"{name}: missing {sorted(fields - set(rows))}, not in the schema {sorted(set(rows) - fields)}"
            )
        wrong = sorted(f for f in fields & set(rows) if (rows[f] == "是") != (f in required))
        if wrong or not set(rows.values()) <= {"是", "否"}:
            problems.append(f"{name}: 必填 does not match the schema's required fields for {wrong}")
    return problems


def test_the_data_format_reference_names_exactly_the_schema_fields():
    schemas, tables = _schema_fields(), _reference_tables()
    assert len(tables) == len(schemas) > 20
    assert not _format_problems(schemas, tables)


def test_the_data_format_comparison_can_fail():
    schemas = {"quota#Row": ({"region", "total"}, {"region"})}
    assert not _format_problems(schemas, {"quota#Row": [("region", "是"), ("total", "否")]})
    assert _format_problems(schemas, {"quota#Row": [("region", "是")]})  # a field left out
    assert _format_problems(schemas, {"quota#Row": [("region", "是"), ("total", "否"), ("totl", "否")]})
    assert _format_problems(schemas, {"quota#Row": [("region", "否"), ("total", "否")]})  # required
    assert _format_problems(schemas, {})  # an object left out
