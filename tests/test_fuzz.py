"""Fuzzing `check` with the edits people make by hand to the shipped YAML files.

Hypothesis picks one shipped data file and applies one to three random edits to it — delete a
line, duplicate a line, swap two lines, change a line's indentation, replace a number with
another number or with text, replace a region or 学段 name with another string — then runs
``shiwanqian check --data DIR`` on a copy of the data folder holding the edited file.

Whatever the edit, the command must behave like a checker, not crash:

* the exit code is 0 or 1 (never 2, never 70, never an exception inside the command);
* the output never contains "Traceback" or "内部错误";
* every line of the report is ``PATH:LINE:COL: 错误|警告[code] …`` with PATH inside the data
  folder and LINE within that file's lines;
* each run finishes within 10 s (a sanity bound against runaway inputs, not a benchmark).

The examples are derandomized so CI runs the same 150 edits every time.
"""

from __future__ import annotations

import re
import shutil
import time
import traceback
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import DATA
from shiwanqian.cli import app

SHIPPED: dict[str, str] = {
    path.relative_to(DATA).as_posix(): path.read_text(encoding="utf-8")
    for pattern in ("*.yaml", "plans/*.yaml", "quotas/*.yaml")
    for path in sorted(DATA.glob(pattern))
}
REGIONS = [r["name"] for r in yaml.safe_load(SHIPPED["regions.yaml"])["regions"]]
LEVELS = list(yaml.safe_load(SHIPPED["programme.yaml"])["levels"])
NAMES = REGIONS + LEVELS
NAME_RE = re.compile("|".join(sorted(map(re.escape, NAMES), key=len, reverse=True)))
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")

FINDING_RE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?:错误|警告)\[[a-z0-9-]+\] ")
MAX_SECONDS = 10.0

# ------------------------------------------------------------------ edits

index = st.integers(min_value=0, max_value=10_000)  # taken modulo the number of lines/matches
indentation = st.sampled_from(["", " ", "  ", "   ", "    ", "     ", "      ", "        ", "\t", "  \t", "\u3000"])
other_number = st.one_of(
    st.integers(min_value=-5, max_value=10**15).map(str),
    st.sampled_from(
        [
            "0",
            "010",
            "08",
            "0x10",
            "1_000",
            "1.5",
            "-1",
            "1e3",
            "1.0e400",
            ".inf",
            ".nan",
            "2016-07-01",
            "十",
            "１０",
            "10,000",
            "100%",
        ]
    ),
)
text_for_number = st.sampled_from(
    [
        "",
        "abc",
        "null",
        "~",
        "no",
        "on",
        "yes",
        "[1]",
        "{a: 1}",
        "'3'",
        '"3"',
        "3:",
        "3 #注释",
        "- 3",
        "*a",
        "&a 3",
        "!!str 3",
        "左右",
    ]
)
other_name = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(
        [
            "",
            "由县",
            "攸",
            "醴陵",
            "幼儿园",
            "职高",
            "高级中学",
            "null",
            "no",
            "~",
            "[攸县]",
            "{攸县: 1}",
            "攸县:",
            "'攸县",
            '"攸县',
            "攸\u200b县",
            "攸县 #注释",
            "-",
            "*a",
            "&a 攸县",
            "!!int 攸县",
            "? 攸县",
            "攸县，茶陵县",
            "攸县: 1",
            "\t攸县",
            "攸\x0b县",
            "攸\u2028县",
            "攸\r县",
        ]
    ),  # Word's line break, a pasted line separator, a lone CR
    st.text(max_size=8),
)
edit = st.one_of(
    st.tuples(st.just("delete"), index),
    st.tuples(st.just("duplicate"), index),
    st.tuples(st.just("swap"), index, index),
    st.tuples(st.just("indent"), index, indentation),
    st.tuples(st.just("number"), index, st.one_of(other_number, text_for_number)),
    st.tuples(st.just("name"), index, other_name),
)


def apply(text: str, change: tuple) -> str:
    kind, at, *rest = change
    lines = text.split("\n")
    i = at % len(lines)
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = rest[0] % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "indent":
        lines[i] = rest[0] + lines[i].lstrip(" \t")
    else:
        pattern = NUMBER_RE if kind == "number" else NAME_RE
        matches = list(pattern.finditer(text))
        if not matches:
            return text
        match = matches[at % len(matches)]
        return text[: match.start()] + rest[0] + text[match.end() :]
    return "\n".join(lines)


# ------------------------------------------------------------------ checks on one run


def line_count(raw: bytes) -> int:
    """Lines an editor shows: a line break at the very end opens one more, empty, line."""
    text = raw.decode("utf-8", errors="replace")
    lines = text.splitlines(keepends=True)
    ends_open = bool(lines) and lines[-1] != lines[-1].splitlines()[0]
    return max(1, len(lines) + ends_open)


def check_report(output: str, root: Path, edited: Path, edited_text: str) -> None:
    body = output.rstrip("\n").split("\n")
    assert body and body[-1].startswith("检查"), f"no summary line:\n{output[-1000:]}"
    for text in body[:-1]:
        if not text:
            continue
        match = FINDING_RE.match(text)
        assert match, f"not a PATH:LINE:COL: finding line: {text[:300]!r}"
        path = Path(match["path"]).resolve()
        assert path.is_relative_to(root.resolve()), f"finding outside the data folder: {text[:300]}"
        line, column = int(match["line"]), int(match["col"])
        assert column >= 1, text[:300]
        if path == edited.resolve():
            limit = line_count(edited_text.encode("utf-8"))
        else:
            limit = line_count(path.read_bytes()) if path.is_file() else 1
        assert 1 <= line <= limit, f"line {line} of a {limit}-line file: {text[:300]}"


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    # the only function-scoped fixtures are tmp_path (one data copy, restored after
    # every example) and conftest's autouse private-cache variable (constant)
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=st.sampled_from(sorted(SHIPPED)), changes=st.lists(edit, min_size=1, max_size=3))
def test_check_survives_random_hand_edits(tmp_path, name, changes):
    root = tmp_path / "data"
    if not root.exists():
        shutil.copytree(DATA, root)
    text = SHIPPED[name]
    for change in changes:
        text = apply(text, change)
    note(f"{name} after {changes}")
    target = root / name
    target.write_bytes(text.encode("utf-8"))
    try:
        start = time.perf_counter()
        result = CliRunner().invoke(app, ["check", "--verbose", "--data", str(root)])
        elapsed = time.perf_counter() - start
    finally:
        target.write_bytes(SHIPPED[name].encode("utf-8"))

    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("check crashed:\n" + "".join(traceback.format_exception(result.exception)))
    assert result.exit_code in (0, 1), result.output[-2000:]
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output[-2000:]
    check_report(result.output, root, target, text)
    assert elapsed < MAX_SECONDS, f"check took {elapsed:.1f} s"
