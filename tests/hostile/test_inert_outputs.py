"""Every command and output format over the hostile draft folders: the output is inert.

Inert means: no control character (ESC, BEL, C1, bidi overrides …) in any output; no rich
markup or emoji code takes effect (the text is printed literally); no spreadsheet cell from
data is a formula (the only formulas are the tool's SUMs); sheet names are valid; SVG and
ICS parse, and neither SVG nor HTML gains an element or an event attribute from data; Markdown
rows keep their columns and render with no link (bare URLs included), emphasis or HTML; GitHub annotations are one well-formed command per finding, none
forged; CSV is byte-faithful, or neutralised with --excel.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shiwanqian.cli import app

from .make_drafts import CONTROL_TEXTS, DDE, FORMULA, LONG_TITLE, MARKUP, TASK_NAMES, build

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
SUM = re.compile(r"=SUM\([A-Z]+\d+:[A-Z]+\d+\)")
FORMATS = ["table", "markdown", "csv", "json"]


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("SHIWANQIAN_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str):
        # A wide console: a table never folds a cell, so literal markup stays on one line.
        result = runner.invoke(app, list(args), env={"COLUMNS": "2000"}, catch_exceptions=False)
        return result

    return invoke


def assert_inert(text: str, *, crlf: bool = False) -> None:
    if crlf:
        text = text.replace("\r\n", "\n")
    match = RAW_CONTROL.search(text)
    assert match is None, (
        f"raw control character U+{ord(match.group()):04X} in output: {text[max(0, match.start() - 40) : match.start() + 40]!r}"
    )


# ---------------------------------------------------------------------- the inert folder


QUERIES = [
    ("quota", "-d", "攸县"),
    ("quota", "-d", "=攸[/]"),  # a hostile short name from data, typed back
    ("schedule",),
    ("plans",),
    ("allocate", "lessons", "--by", "year"),
    ("allocate", "lessons", "--by", "year", "-d", "攸县", "--explain"),
    ("budget",),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: " ".join(q))
def test_queries_print_hostile_text_literally(drafts, run, query, fmt):
    result = run(*query, "--data", str(drafts["inert"]), "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert_inert(out)
    assert_inert(result.stderr)
    if query[0] == "schedule":
        if fmt == "table":
            for name in TASK_NAMES[1:5]:
                assert name in out
            assert MARKUP in out  # [link=…], [bold red], [/] and :warning: printed as written
        elif fmt == "json":
            assert set(TASK_NAMES) <= {t["name"] for t in json.loads(out)}
        elif fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(out)))
            assert DDE in {r["name"] for r in rows}  # plain CSV: byte-faithful
        elif fmt == "markdown":
            _assert_markdown_columns(out)
            assert "<script>" not in out and "\\<script\\>" in out
    if fmt == "markdown":
        _assert_markdown_columns(out)
        _assert_markdown_renders_as_text(out)
    if query[0] == "schedule" and fmt == "markdown":
        assert "https\\://evil\\.example/x" in out  # the bare URL of LINKS, escaped


def _assert_markdown_renders_as_text(out: str) -> None:
    """Rendered by GitHub's cmark-gfm and by markdown-it with linkify, the output holds only
    the tables and headings the tool wrote: no link (not even from a bare URL), no emphasis,
    no code, no HTML from data."""
    from .test_markdown_links import RENDERERS

    for name, render in RENDERERS.items():
        tags = set(re.findall(r"<(/?[a-z0-9]+)", render(out)))
        assert tags <= {
            "h3",
            "/h3",
            "table",
            "/table",
            "thead",
            "/thead",
            "tbody",
            "/tbody",
            "tr",
            "/tr",
            "th",
            "/th",
            "td",
            "/td",
            "p",
            "/p",
        }, f"{name}: {sorted(tags)}"


def _assert_markdown_columns(out: str) -> None:
    widths = set()
    for line in out.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line)
            widths.add(len(cells))
        elif line.startswith("### "):
            assert len(widths) <= 1, f"a data value added or removed a column: {widths}"
            widths = set()
    assert len(widths) <= 1


@pytest.mark.parametrize("query", [q for q in QUERIES if q[0] != "quota" or q[2] == "攸县"], ids=lambda q: " ".join(q))
def test_excel_csv_neutralises_formulas(drafts, run, query):
    result = run(*query, "--data", str(drafts["inert"]), "--excel")
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    text = raw.decode("utf-8-sig")
    assert_inert(text, crlf=True)
    for row in csv.reader(io.StringIO(text, newline="")):
        for value in row:
            assert not value.startswith(("=", "+", "@", "\t", "\r")) and not re.match(r"-\D", value), value


def test_schedule_excel_keeps_the_text_behind_an_apostrophe(drafts, run):
    text = run("schedule", "--data", str(drafts["inert"]), "--excel").stdout_bytes.decode("utf-8-sig")
    names = {r["name"] for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert (
        "'" + DDE in names
        and "'+1+2 加号开头" in names
        and "'-1+2 减号开头" in names
        and "'@SUM(1,2) 艾特开头" in names
    )


@pytest.mark.parametrize("args", [(), ("--tasks",), ("--tasks", "-p", "lessons"), ("--tasks", "-d", "=攸[/]")])
def test_terminal_timeline_prints_markup_literally(drafts, run, args):
    result = run("timeline", "--data", str(drafts["inert"]), *args)
    assert result.exit_code == 0, result.output
    assert_inert(result.output)
    assert "[bold]计划[/bold]" in result.output


def test_svg_and_html_timelines_are_well_formed_and_gain_nothing(drafts, run, tmp_path):
    for suffix in ("svg", "html"):
        out = tmp_path / f"t.{suffix}"
        result = run("timeline", "--tasks", "--data", str(drafts["inert"]), "--out", str(out))
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert_inert(text)
        tags = []
        if suffix == "svg":
            for element in ET.fromstring(text).iter():
                tags.append(element.tag.rsplit("}", 1)[-1])
                assert not [a for a in element.attrib if a.lower().startswith("on")]
            assert tags.count("svg") == 1 and "script" not in tags
        else:

            class Tags(html.parser.HTMLParser):
                def handle_starttag(self, tag, attrs):
                    tags.append(tag)  # noqa: B023 (called within this iteration)
                    assert not [a for a, _ in attrs if a.startswith("on")]

            Tags().feed(text)
            assert "script" not in tags and "svg" not in tags
        assert "onload" in text  # the hostile text is there, as text


def test_workbook_has_no_formula_from_data_and_valid_sheet_names(drafts, run, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "w.xlsx"
    result = run("export", "xlsx", "--data", str(drafts["inert"]), "--out", str(out))
    assert result.exit_code == 0, result.output
    for name in zipfile.ZipFile(out).namelist():
        assert_inert(zipfile.ZipFile(out).read(name).decode("utf-8", errors="replace"))
    wb = load_workbook(out)
    names = wb.sheetnames
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31 and not re.search(r"[\\/?*\[\]:]", name) and not name.startswith("'")
    strings = set()
    formulas = 0
    for ws in wb.worksheets:
        assert "&&P&&N" in ws.oddHeader.center.text or "&P&N" not in (ws.oddHeader.center.text or "")
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas += 1
                    assert SUM.fullmatch(cell.value), cell.value
                elif isinstance(cell.value, str):
                    strings.add(cell.value)
    assert formulas > 0 and FORMULA + " " + MARKUP in strings and DDE in strings


def test_calendar_parses_and_keeps_text_as_text(drafts, run, tmp_path):
    from icalendar import Calendar

    out = tmp_path / "c.ics"
    result = run("export", "ics", "--data", str(drafts["inert"]), "--out", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes().decode("utf-8")
    assert_inert(raw, crlf=True)
    summaries = {str(c["SUMMARY"]) for c in Calendar.from_ical(raw).walk() if "SUMMARY" in c}
    assert DDE in summaries and TASK_NAMES[-1] in summaries


def test_check_passes_and_every_format_is_inert(drafts, run):
    for fmt in ("text", "json", "github"):
        result = run("check", "--data", str(drafts["inert"]), "--format", fmt)
        assert result.exit_code == 0, result.output
        assert_inert(result.output)
    assert LONG_TITLE in run("check", "--data", str(drafts["inert"]), "--verbose").output


# ---------------------------------------------------------------------- control characters


def test_check_locates_every_control_character(drafts, run):
    result = run("check", "--data", str(drafts["control"]), "--format", "json")
    assert result.exit_code == 1
    found = [f for f in json.loads(result.stdout) if f["code"] == "control-character"]
    where = {(Path(f["file"]).name, f["line"]) for f in found}
    for name, old in (
        ("13-lessons.yaml", "name"),
        ("lessons.yaml", "title"),
        ("13-lessons.yaml", "source"),
        ("regions.yaml", "short"),
        ("units.yaml", "aliases"),
    ):
        assert any(w[0] == name for w in where), (name, old)
    assert len(found) == 5
    for fmt in ("text", "json", "github"):
        out = run("check", "--data", str(drafts["control"]), "--format", fmt).output
        assert_inert(out)
        assert CONTROL_TEXTS["name"] not in out


@pytest.mark.parametrize(
    "args",
    [
        ("quota", "-d", "攸县"),
        ("schedule",),
        ("plans",),
        ("timeline",),
        ("budget",),
        ("allocate", "lessons", "--by", "year"),
        ("export", "xlsx", "--out", "x.xlsx"),
        ("export", "ics", "--out", "x.ics"),
    ],
)
def test_queries_refuse_control_characters_and_say_where(drafts, run, args):
    result = run(*args, "--data", str(drafts["control"]))
    assert result.exit_code == 1
    assert "control-character" in result.output
    assert_inert(result.output)


# ---------------------------------------------------------------------- hostile files


def test_github_annotations_cannot_be_forged_by_file_names(drafts, run):
    folder = drafts["files"]
    findings = json.loads(run("check", "--data", str(folder), "--format", "json").stdout)
    result = run("check", "--data", str(folder), "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(findings)
    command = re.compile(r"::(error|warning) file=[^,:\r\n]*,line=\d+,col=\d+,title=[^,:\r\n]*::[^\r\n]*")
    for line in lines:
        assert command.fullmatch(line), line
    assert not any(line.startswith(("::stop-commands", "::error file=forged", "::error file=evil")) for line in lines)
    assert "x%2Cline=1%2Ctitle=t%3A%3Aerror file=evil.yaml" in result.stdout


def test_source_text_outside_the_folder_is_a_located_error_and_never_read(drafts, run):
    result = run("check", "--data", str(drafts["files"]))
    assert result.exit_code == 1
    line = next(
        i
        for i, text in enumerate((drafts["files"] / "programme.yaml").read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("source_text:")
    )
    assert re.search(rf"programme\.yaml:{line}:\d+: 错误\[source-text\] 原文文件 .*指向数据目录之外", result.output)
    assert "root:x:0:0" not in result.output
    assert_inert(result.output)
