"""Help screens at 80 columns break lines as Chinese is set (issue 23): no line is only a
bracket or punctuation, none begins with closing punctuation or ends with opening punctuation,
and no ASCII word or short tail is left alone on a line."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from test_conventions import HELP_SCREENS

from shiwanqian.output import linebreak
from shiwanqian.output.linebreak import NO_END, NO_START, WIDOW, divide_line

BORDERS = "│╭╮╰╯─ "


def badly_broken(text: str) -> list[str]:
    """The lines of a help screen that a reader would see as broken off."""
    bad = []
    for line in text.splitlines():
        content = line.strip(BORDERS)
        if not content or line.lstrip().startswith("╭") or re.fullmatch(r"\[[^\]]*\]", content):
            continue  # a panel's title; Typer's [必填], [默认：…] stand on lines of their own
        if content.endswith("：") and " " not in content:
            continue  # a heading over a list (示例：), not a word broken off
        if all(unicodedata.category(c)[0] in "PS" or c.isspace() for c in content):
            bad.append(f"only punctuation: {line!r}")
        elif content[0] in NO_START and not re.match(r"\.\w", content):  # .docx is a word
            bad.append(f"begins with closing punctuation: {line!r}")
        elif content[-1] in NO_END:
            bad.append(f"ends with opening punctuation: {line!r}")
        elif " " not in content and cell_len(content) <= WIDOW:
            bad.append(f"one short word alone: {line!r}")
    return bad


@pytest.mark.parametrize("args", HELP_SCREENS, ids=lambda a: " ".join(a) or "top")
def test_help_lines_are_not_broken_off_at_80_columns(cli, args):
    result = cli(*args, "--help", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert badly_broken(result.output) == []


def test_the_rule_finds_what_issue_23_saw():
    # Lines of `export template --help` and `progress import --help` as 0.3.0 drew them.
    old = (
        " 某区域某年的进度填报工作簿（Excel/WPS）：各名额表按学段的年度目标（锁定单元格  \n"
        " ）、待填的“实际完成”（只能填不小于 0                                           \n"
        " 的工作簿……），每个问题报告为“文件.xlsx!工作表!单元格:                          \n"
        " YAML                                                                           \n"
        "│                                目录下的                                      │\n"
        "│                                [必填]                                        │\n"
    )
    assert [line.split(":")[0] for line in badly_broken(old)] == [
        "begins with closing punctuation",
        "one short word alone",
        "one short word alone",
    ]


def _lines(text: str, width: int) -> list[str]:
    offsets = divide_line(text, width)
    return [text[a:b] for a, b in zip([0, *offsets], [*offsets, len(text)])]


def test_chinese_breaks_between_characters_but_not_before_closing_punctuation():
    lines = _lines("锁定单元格）、待填的实际完成", 12)  # 12 cells: six characters a line
    # 格 goes down with its brackets; the last line takes one character more than “实际完成”.
    assert lines == ["锁定单元", "格）、待填", "的实际完成"]


def test_an_ascii_word_is_not_left_alone_before_a_run_of_chinese():
    lines = _lines("写成进度目录中的一个 YAML 文件（先写临时文件再改名），并列出变化", 24)
    assert all(line.strip() != "YAML" for line in lines)
    assert "".join(lines) == "写成进度目录中的一个 YAML 文件（先写临时文件再改名），并列出变化"
    assert max(cell_len(line.rstrip()) for line in lines) <= 24


def test_a_short_last_line_takes_a_piece_of_the_line_before():
    lines = _lines("否则随程序安装的数据。", 18)  # greedy: 9 characters, then “据。” alone
    assert [line.strip() for line in lines] == ["否则随程序安", "装的数据。"]


def test_a_file_name_is_not_broken():
    lines = _lines("示例：shiwanqian export template --out 区域-年份.xlsx", 40)
    assert lines[-1] == "区域-年份.xlsx"


def test_a_long_path_breaks_after_a_slash_rather_than_leave_a_bracket_behind():
    # Unbroken, the path (25 cells) would leave “（见” alone on the line before it.
    assert _lines("（见 docs/guide/revisions.md）。", 16) == ["（见 docs/guide/", "revisions.md）。"]


ALPHABET = "锁定单元格待填的实际完成）、。，（“”ab YAML/.-_0123456789\t"


@given(st.text(alphabet=ALPHABET, max_size=60), st.integers(min_value=4, max_value=40))
@settings(max_examples=400, deadline=None)
def test_the_shortcut_for_a_line_that_fits_gives_what_the_full_rule_gives(text, width):
    # divide_line returns no break at once when the text fits; the greedy rule with its widow
    # step (linebreak._divide) finds the same offsets on every text, fitting or not.
    assert divide_line(text, width) == linebreak._divide(text, width)
    if cell_len(text.rstrip()) <= width:
        assert divide_line(text, width) == []
