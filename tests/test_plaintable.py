"""The plain table renderer draws exactly what rich draws (it is only used where it does).

``render.print_sections`` draws tables off a terminal with ``output.plaintable`` instead of rich
(rich's import and layout were a quarter of a warm ``quota``). The promise is byte-identical
output, so these tests draw the same sections both ways and compare: many random tables
(Chinese, ASCII and mixed text, long words, numbers, empty cells, line breaks, markup-like
and control text, widths 40–200 and narrower), then every command's table output on the
shipped data and on the example city at several widths.
"""

from __future__ import annotations

import io
import os
import random
import re
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from shiwanqian.output import plaintable, render
from shiwanqian.output.render import Section

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "examples" / "sample-city-2021-2025"
PROGRESS = REPO / "examples" / "progress"

HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
    "种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业"
    "本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利"
    "教师培训骨干名额县市区攸醴陵茶炎株洲芦淞荷塘石峰天元渌口"
)
PUNCTUATION = "，。、；：？！“”‘’（）《》【】—…·％"
ODD = [
    "😀",
    "e\u0301",
    "\u200b",
    "a\u200db",
    "\u2764\ufe0f",
    "ｱｲｳ",
    "\xa0",
    "한국어",
    "かな",
    "Ω",
    "\u3000",
    "\u0301",
    "\u200d",
    "\ufe0f",
    "🇨🇳",
    "👨\u200d👩\u200d👧",
    "\u00ad",
    "\u2003",
    "\U000e0001",
]
HOSTILE = ["[bold]", "[/]", "[red]x[/red]", ":smile:", "\x1b[31m", "\x07", "\r", "\u202e", "\\", "[link=x]y"]


def _word(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.35:
        return "".join(rng.choice(HANZI) for _ in range(rng.choice([1, 2, 3, 4, 6, 10, 25])))
    if kind < 0.55:
        letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_./"
        return "".join(rng.choice(letters) for _ in range(rng.choice([1, 3, 5, 8, 15, 40])))
    if kind < 0.7:
        return rng.choice(
            [
                str(rng.randint(0, 10 ** rng.randint(1, 9))),
                f"{rng.random() * 100:.1f}%",
                f"-{rng.randint(1, 99)}",
                f"附件{rng.randint(1, 13)}",
            ]
        )
    if kind < 0.8:
        return rng.choice(PUNCTUATION)
    if kind < 0.86:
        return rng.choice(HOSTILE)
    if kind < 0.93:
        return rng.choice(ODD)
    return "".join(rng.choice(HANZI + "abc123") for _ in range(rng.randint(20, 70)))


def _text(rng: random.Random, longest: int = 12) -> str:
    if rng.random() < 0.12:
        return ""
    parts = []
    for _ in range(rng.randint(1, longest)):
        parts.append(_word(rng))
        parts.append(rng.choice(["", "", " ", " ", "  ", "\n", "\u3000"]) if rng.random() < 0.6 else "")
        if rng.random() < 0.002:
            parts.append("\t")
    text = "".join(parts)
    return text if rng.random() < 0.9 else " " + text + " "


def _section(rng: random.Random) -> Section:
    count = rng.randint(1, 7)
    headers = [
        rng.choice(["", "项目", "指标", "年份", "要求", "出处", "合计", "高中", "名额表编号", "数量", _text(rng, 2)])
        for _ in range(count)
    ]
    numeric = {i for i in range(count) if rng.random() < 0.35}
    keep = {i for i in range(count) if rng.random() < 0.15}
    optional = {i for i in range(count) if rng.random() < 0.15}
    rows = []
    for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 15])):
        rows.append(
            [str(rng.randint(0, 5000)) if i in numeric and rng.random() < 0.8 else _text(rng) for i in range(count)]
        )
    caption = rng.choice([None, None, _text(rng, 30), "出处：" + "；".join(_text(rng, 2) for _ in range(8))])
    return Section(_text(rng, 6), headers, rows, caption=caption, numeric=numeric, keep=keep, optional=optional)


class Terminal(io.StringIO):
    """A stream that says it is a terminal: rich writes bold there."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(params=["file", "terminal"])
def both(request, monkeypatch):
    """(plain, rich) output of ``print_sections`` for sections at a width, off a terminal and
    on one (where rich writes the titles and the header row in bold)."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "UNICODE_VERSION", "NO_COLOR", "LINES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")

    def draw(sections: list[Section], width: int) -> tuple[str | None, str]:
        monkeypatch.setenv("COLUMNS", str(width))
        screen = Terminal() if request.param == "terminal" else io.StringIO()
        monkeypatch.setattr(sys, "stdout", screen)
        plain = render._plain(sections)
        render._print_rich(sections, render.console())
        return plain, screen.getvalue()

    return draw


@pytest.mark.parametrize("seed", range(12))
def test_random_tables_are_drawn_as_rich_draws_them(both, seed):
    rng = random.Random(seed)
    for n in range(25):
        sections = [_section(rng) for _ in range(rng.choice([1, 1, 2]))]
        width = rng.choice([rng.randint(40, 200), rng.randint(40, 200), rng.randint(1, 39)])
        plain, rich = both(sections, width)
        texts = [t for s in sections for t in (s.title, s.caption or "", *s.headers, *(c for r in s.rows for c in r))]
        # Only a tab (rich expands tabs) is left to rich; everything else is drawn and identical.
        assert plain is not None or any("\t" in t for t in texts), f"seed {seed}, table {n}, width {width}"
        assert plain is None or plain == rich, f"seed {seed}, table {n}, width {width}"


def test_a_region_table_and_its_long_text(both):
    rows = [
        ["信息技术应用能力提升培训完成率", "各县市区全员培训及测试完成率", "2016", "80%左右", "正文 二、1"],
        [
            "教育管理骨干人才培训",
            "教研组长（备课组长）培训班的主要工作项目安排",
            "",
            "每年一期，责任单位为县市区师训机构、教研机构；没有市本级两期共80人的安排",
            "附件7 四 2",
        ],
    ] * 20
    section = Section("其他任务与指标 — 攸县", ["项目", "指标", "年份", "要求", "出处"], rows)
    for width in (40, 60, 80, 100, 120, 160, 200):
        plain, rich = both([section], width)
        assert plain is not None or width < 60
        if plain is not None:
            assert plain == rich


def test_text_from_data_prints_literally(both):
    section = Section(
        "[bold]标题[/bold]",
        ["[red]列[/red]", "数"],
        [["[bold]x[/bold] :smile: \x1b[31m红\x07", "1"]],
        caption="[link=http://x]出处[/link]",
        numeric={1},
    )
    plain, rich = both([section], 80)
    assert plain == rich
    for literal in (
        "[bold]标题[/bold]",
        "[red]列[/red]",
        "[bold]x[/bold]",
        ":smile:",
        "\\x1b[31m红\\x07",
        "[link=http://x]出处[/link]",
    ):
        assert literal in plain
    assert "\x07" not in plain and "\x1b[31m" not in plain and "\x1b]8" not in plain


def test_on_a_terminal_titles_and_headers_are_bold(both):
    plain, rich = both([Section("标题", ["项目", "数"], [["甲", "1"]], numeric={1})], 80)
    assert plain == rich
    if "\x1b" in rich:  # the terminal case
        assert "\x1b[1m标题\x1b[0m\n" in plain and "\x1b[1m项目\x1b[0m" in plain
        assert "  甲      1  " in plain  # data rows are not styled


def test_tabs_are_left_to_rich(both):
    with_tab = Section("标题", ["列"], [["a\tb"]])
    plain, rich = both([with_tab], 80)
    assert plain is None and "\t" not in rich  # rich expands tabs; the plain renderer does not


def test_a_table_wider_than_the_page_is_cropped_as_rich_crops_it(both):
    kept = Section("标题", ["编号", "名称"], [["x" * 60, "中" * 30]], keep={0, 1})
    plain, rich = both([kept], 80)
    assert plain == rich
    unstyled = re.sub(r"\x1b\[[0-9;]*m", "", plain)
    assert max(len(line) for line in unstyled.splitlines()) == 80  # cut at the page's edge


def test_columns_too_narrow_for_their_padding(both):
    section = Section("", ["", "", "数"], [["", "", "1"], ["", "", ""]], numeric={2})
    plain, rich = both([section], 8)
    assert plain == rich


def _page(stream):
    return plaintable.page(stream, render.page_width)


def test_where_rich_would_draw_differently_it_draws(monkeypatch):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert _page(io.StringIO()) == (160, False)  # render.console()'s width off a terminal
    monkeypatch.setenv("COLUMNS", "wide")  # not a number: as if unset (rich ignores it too)
    assert _page(io.StringIO()) == (160, False) and render.console().width == 160
    monkeypatch.setenv("COLUMNS", "100")
    assert _page(io.StringIO()) == (100, False)
    assert _page(Terminal()) == (100, True)  # bold titles and headers
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich styles even a pipe then
    assert _page(io.StringIO()) == (100, True)
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    assert _page(Terminal()) == (100, False)
    monkeypatch.delenv("TTY_COMPATIBLE")
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert _page(Terminal()) is None  # rich: 80 columns, no styles
    assert _page(io.StringIO()) == (100, False)
    monkeypatch.setenv("TERM", "xterm")
    assert _page(io.TextIOWrapper(io.BytesIO(), encoding="gbk")) is None  # rich draws ASCII boxes


def test_a_terminal_s_own_width(monkeypatch):
    """Without COLUMNS, rich asks the standard streams for the terminal's size (else 80)."""
    from rich.console import Console

    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for size in (os.terminal_size((123, 40)), os.terminal_size((0, 0)), OSError("not a terminal")):

        def get_terminal_size(fd: int = 1, size=size) -> os.terminal_size:
            if isinstance(size, Exception):
                raise size
            return size

        monkeypatch.setattr(os, "get_terminal_size", get_terminal_size)
        width, styled = _page(Terminal())
        assert styled and width == Console(file=Terminal()).width == (
            size[0] or 80 if not isinstance(size, Exception) else 80
        )


def test_a_warm_quota_table_does_not_import_rich_s_console_or_table(tmp_path):
    """The point of the plain renderer: rich's console, table and text stay unimported."""
    import subprocess

    env = {**os.environ, "SHIWANQIAN_CACHE": str(tmp_path), "COLUMNS": "120"}
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        env.pop(name, None)
    probe = (
        "import sys, runpy; sys.argv=['shiwanqian','quota','-d','攸县'];\n"
        "try:\n    runpy.run_module('shiwanqian', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('rich.console', 'rich.table', 'rich.text') if m in sys.modules), file=sys.stderr)"
    )
    for _ in range(2):  # the first run builds the snapshot
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
    assert "其他任务与指标 — 攸县" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "[]"


SHIPPED = [
    ["quota", "--district", "攸县"],
    ["quota", "--district", "醴陵市", "--year", "2018"],
    ["quota", "--all"],
    ["schedule"],
    ["schedule", "--year", "2018"],
    ["schedule", "--district", "攸县"],
    ["plans"],
    ["agenda", "--as-of", "2018-03-01", "--within", "120"],
    ["budget"],
    ["allocate", "lessons", "-d", "攸县", "--explain"],
    ["progress", "--progress", str(PROGRESS), "--as-of", "2017-12-31"],
]
SAMPLE_CITY = [
    ["quota", "--district", "松岭县"],
    ["quota", "--district", "白鹭市", "--year", "2023"],
    ["quota", "--all"],
    ["schedule"],
    ["schedule", "--year", "2023"],
    ["schedule", "--district", "松岭县"],
    ["plans"],
    ["agenda", "--as-of", "2022-03-01", "--within", "120"],
    ["budget"],
    ["allocate", "model-lessons"],
]


@pytest.mark.parametrize("width, styled", [("40", False), ("80", False), ("160", False), ("100", True)])
@pytest.mark.parametrize("data", [None, SAMPLE], ids=["shipped", "sample-city"])
def test_every_command_prints_the_same_table_as_before(cli, monkeypatch, data, width, styled):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    env = {"COLUMNS": width, **({"FORCE_COLOR": "1"} if styled else {})}  # FORCE_COLOR: styled as on a terminal
    real = render._plain
    for args in SHIPPED if data is None else SAMPLE_CITY:
        if data is not None:
            args = [*args, "--data", str(data)]
        calls = []
        monkeypatch.setattr(render, "_plain", lambda s: calls.append(real(s)) or calls[-1])  # noqa: B023 (called within this iteration)
        after = cli(*args, env=env)
        monkeypatch.setattr(render, "_plain", lambda s: None)
        before = cli(*args, env=env)
        assert after.exit_code == 0 and calls, args
        assert after.output == before.output, args
        assert ("\x1b[1m" in after.output) == styled, args
        assert None not in calls, args  # drawn without rich


@pytest.mark.parametrize("width", [80, 100])
def test_a_table_whose_headers_do_not_fit_wraps_them_instead_of_losing_columns(cli, width):
    # budget's headers come from the data (继续教育学分（学分）, 评审、修改、上传费（元）…): together
    # wider than 80 or 100 columns. Held at their headers' widths the last columns were cut off.
    result = cli("budget", "--district", "攸县", env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    total = next(line for line in lines if line.strip().startswith("合计"))
    assert total.split()[-5:] == ["1,545", "123,600", "463,500", "154,500", "618,000"]  # every column, 经费合计 last
    assert "经费合计" in result.stdout


def test_headers_keep_their_width_where_they_fit(both):
    section = Section("标题", ["编号", "一个很长的表头"], [["a", "中" * 40]])
    plain, rich = both([section], 40)
    assert plain == rich and "一个很长的表头" in plain  # the header on one line; the cell wraps


def test_columns_that_is_not_a_number_is_ignored(cli):
    """COLUMNS=wide used to end in an internal error (exit 70); rich ignores such a value too."""
    unset = cli("quota", "-d", "攸县", env={"COLUMNS": None})
    wide = cli("quota", "-d", "攸县", env={"COLUMNS": "wide"})
    assert wide.exit_code == unset.exit_code == 0 and wide.output == unset.output


def test_numbers_and_dates_stay_whole_on_80_columns(cli):
    # A number folded or cut at a column's edge reads as another number (79 as 7, 1000左右 as
    # 1000左): number columns of single words never break, and where the table is too wide
    # their long headers go on two lines instead; an agenda's dates never break either.
    env = {"COLUMNS": "80"}
    city = cli("quota", "--all", "--plan", "backbone-teachers", env=env).output
    assert all(len(line) <= 80 for line in city.splitlines())
    assert "1000左右" in city and "云龙示范区" in city
    rows = {line.split()[0]: line.split() for line in city.splitlines() if line.strip().startswith(("炎陵县", "攸县"))}
    assert rows["炎陵县"][-2:] == ["79", "79"] and rows["攸县"][-2:] == ["171", "171"]
    assert "幼儿" in city and "教育" in city and "幼儿教育" not in city  # the header folded, not the numbers
    agenda = cli("agenda", "--as-of", "2016-06-20", "--within", "45", env=env).output
    assert "2016-07-31" in agenda and "2016-12-31" in agenda
