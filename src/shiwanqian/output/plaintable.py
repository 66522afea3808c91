"""The tables of ``print_sections`` as rich draws them, drawn without rich.

rich lays a table out through its renderable protocol: every cell becomes a ``Padding`` around a
``Text`` that is measured, wrapped and cropped through segments and console options. For a
region's "其他任务与指标" (40 rows of long Chinese text) that took ≈ 30 ms, and importing
rich's console and table ≈ 25 ms more: a quarter of a warm ``quota``. This module computes the
same characters directly: rich's own width and line-breaking functions (``rich.cells``,
``rich._wrap``: cheap to import) put together as ``Table``, ``Padding``, ``Text.wrap`` and
``Console.print`` put them together, for the one kind of table ``render`` makes (box
SIMPLE_HEAVY, padding (0, 1), columns left or right aligned, folding, some never wrapped, none
narrower than its header; a table wider than the page is cut at its edge as rich cuts it). Where
rich takes the output for a terminal it writes the titles and the header row in bold, segment by
segment; so does this module.

The output is byte-identical to rich's (tests/test_plaintable.py draws many random tables and
every command's tables both ways, off a terminal and on one). What this module does not
reproduce gives ``None`` and the caller lets rich draw: a tab in a text (rich expands tabs), a
dumb terminal, an encoding other than UTF-8 (ASCII boxes), Windows (rich substitutes boxes and
writes through the console API) and notebooks.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size

from .. import safetext

_TRAILING_SPACE = re.compile(r"\s+$")
HEAD_RULE = "━"  # the header rule of rich's SIMPLE_HEAVY box; every other box character is a space


class Bold(str):
    """A segment rich draws in bold: the titles and the header row (``table.header``)."""


def page(stream: TextIO, off_terminal: Callable[[], int]) -> tuple[int, bool] | None:
    """(width, styled): how ``render.console()`` would draw on ``stream`` (its width, and whether
    rich would write ANSI styles there, i.e. takes it for a terminal); None where this module
    cannot tell or cannot draw the same (then rich draws)."""
    if sys.platform == "win32" or "IPython" in sys.modules:
        return None  # rich's legacy Windows renderer and box substitutions; notebooks
    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return None
    try:
        tty = stream.isatty()
    except ValueError:  # closed
        return None
    environ = os.environ
    # rich's Console.is_terminal: TTY_COMPATIBLE, then FORCE_COLOR, then isatty().
    compatible, force = environ.get("TTY_COMPATIBLE", ""), environ.get("FORCE_COLOR")
    terminal = compatible == "1" or (compatible != "0" and (force != "" if force is not None else tty))
    if terminal and environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return None  # rich draws at 80 columns without styles there
    encoding = (getattr(stream, "encoding", "utf-8") or "utf-8").lower()
    if not encoding.startswith("utf"):
        return None  # rich draws ASCII boxes there
    # render.console() gives the width off a terminal (``off_terminal``); on one rich finds it.
    width = _terminal_width(environ) if tty else off_terminal()
    return (width, terminal) if width > 0 else None


def _terminal_width(environ: Any) -> int:
    """``Console.size``'s width without a width given: COLUMNS, else the first standard stream
    that is a terminal, else 80."""
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    width = None
    for stream in (sys.__stdin__, sys.__stdout__, sys.__stderr__):
        try:
            width = os.get_terminal_size(stream.fileno())[0]  # type: ignore[union-attr]  # None: AttributeError
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def text_lines(value: Any, width: int, bold: bool = False) -> list[list[str]] | None:
    """``Console.print(Text(value))`` at ``width``: each line as segments, without line ends."""
    text = safetext.inert(value)
    if "\t" in text:
        return None
    kind = Bold if bold else str
    return [[kind(_truncate(line, width))] for line in _wrap(text, width, None, False)]


def headers_fit(headers: Sequence[str], width: int) -> bool:
    """Whether every column can be as wide as its header on a page ``width`` cells wide (with
    the padding, the edges and the dividers). Where they cannot, no column keeps its header's
    width and long headers wrap: a table held wider than the page would be cut at its edge,
    and the columns past it (a budget's 经费合计 on an 80-column terminal) would be lost."""
    return sum(_longest_line(h) + 2 for h in headers) + len(headers) + 1 <= width


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    columns: Sequence[int],
    *,
    numeric: set[int],
    keep: set[int],
    width: int,
) -> list[list[str]] | None:
    """The lines of ``render._table`` printed at ``width`` as segments (``Bold`` in the header
    row), or None where rich must draw it."""
    heads = [safetext.inert(headers[i]) for i in columns]
    body = [[safetext.inert(row[i]) for i in columns] for row in rows]
    if any("\t" in t for t in heads) or any("\t" in t for row in body for t in row):
        return None
    count = len(columns)
    if not count:
        return [[]]  # rich draws a table without columns as an empty line
    justify = ["right" if i in numeric else "left" for i in columns]
    no_wrap = [i in keep for i in columns]
    # Column.min_width plus padding, where every header fits (else headers wrap: see headers_fit)
    fit = headers_fit([headers[i] for i in columns], width)
    least = [_longest_line(headers[i]) + 2 if fit else 0 for i in columns]
    cells = [[heads[c], *(row[c] for row in body)] for c in range(count)]
    longest = [max(map(_longest_line, column)) for column in cells]

    extra = 2 + count - 1  # the edges and a divider between columns
    widths = _column_widths(longest, least, no_wrap, width - extra)
    total = sum(widths) + extra

    # Each line as rich's segments: styles apply per segment, and a table wider than the page
    # is cropped segment by segment.
    out: list[list[str]] = [[" " * total]]
    for r in range(len(body) + 1):
        kind = Bold if r == 0 else str
        drawn = [_cell(cells[c][r], widths[c], justify[c], no_wrap[c], kind) for c in range(count)]
        height = max(len(lines) for lines in drawn)
        for c, lines in enumerate(drawn):
            blank = [[kind(" " * widths[c])]] * (height - len(lines))
            drawn[c] = blank + lines if r == 0 else lines + blank  # a header sits at the bottom
            if not height:  # every column too narrow: one unstyled blank line (Segment.set_shape)
                drawn[c] = [[" " * widths[c]]]
        for parts in zip(*drawn):
            line = [" "]
            for c, part in enumerate(parts):
                line += part if c == 0 else [" ", *part]
            out.append([*line, " "])
        if r == 0:
            out.append([" " + HEAD_RULE.join(HEAD_RULE * w for w in widths) + " "])
    out.append([" " * total])
    return out if total <= width else [_crop(line, width) for line in out]


def join(line: list[str], styled: bool) -> str:
    """A line of segments as rich writes it: each bold segment in its own SGR 1 … SGR 0."""
    if not styled:
        return "".join(line)
    return "".join(f"\x1b[1m{s}\x1b[0m" if s and type(s) is Bold else s for s in line)


def _crop(segments: list[str], width: int) -> list[str]:
    """``Segment.adjust_line_length`` without padding: the line cut at ``width`` cells."""
    if sum(cell_len(s) for s in segments) <= width:
        return segments
    kept, length = [], 0
    for segment in segments:
        size = cell_len(segment)
        if length + size < width:
            kept.append(segment)
            length += size
        else:
            kept.append(type(segment)(set_cell_size(segment, width - length)))
            break
    return kept


# ---------------------------------------------------------------- measuring (rich.measure)


def _longest_line(text: str) -> int:
    """The widest line of a cell in cells (``Text.__rich_measure__``'s maximum)."""
    return max(map(cell_len, text.splitlines()), default=0)


def _column_width(longest: int, least: int, limit: int) -> int:
    """The maximum of ``Table._measure_column`` at ``limit`` cells: ``Padding(Text, (0, 1))``
    cells measured through ``Measurement.get`` and clamped to the column's ``min_width``. (The
    table only uses the maximum when it does not expand.)"""
    if limit < 1:
        return 0
    widest = limit if limit < 3 else min(longest + 2, limit)  # padding alone fills 1–2 cells
    return max(widest, least, 0)


def _column_widths(longest: list[int], least: list[int], no_wrap: list[bool], limit: int) -> list[int]:
    """``Table._calculate_column_widths`` for a table that does not expand."""
    widths = [_column_width(n, m, limit) or 1 for n, m in zip(longest, least)]
    if sum(widths) > limit:
        widths = _collapse(widths, [not n for n in no_wrap], limit)
        if sum(widths) > limit:
            widths = _ratio_reduce(sum(widths) - limit, [1] * len(widths), widths, widths)
        widths = [_column_width(n, m, w) for n, m, w in zip(longest, least, widths)]
    return widths


def _collapse(widths: list[int], wrapable: list[bool], limit: int) -> list[int]:
    """``Table._collapse_widths``: narrow the widest wrapping columns first."""
    total = sum(widths)
    excess = total - limit
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, a in zip(widths, wrapable) if a)
            second = max(w if a and w != widest else 0 for w, a in zip(widths, wrapable))
            difference = widest - second
            ratios = [1 if (w == widest and a) else 0 for w, a in zip(widths, wrapable)]
            if not any(ratios) or not difference:
                break
            widths = _ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
            total = sum(widths)
            excess = total - limit
    return widths


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """``rich._ratio.ratio_reduce`` (that module imports ``fractions``, which is slow to import)."""
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, most, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            share = min(most, round(ratio * remaining / total_ratio))
            result.append(value - share)
            remaining -= share
            total_ratio -= ratio
        else:
            result.append(value)
    return result


# ---------------------------------------------------------------- drawing (rich.text)


def _cell(text: str, width: int, justify: str, no_wrap: bool, kind: type = str) -> list[list[str]]:
    """A cell's lines as segments, each line ``width`` cells: ``Padding(Text, (0, 1))`` in a
    table column (nothing at all in a column too narrow for its padding)."""
    inner = width - 2
    if inner < 1:
        return []
    pad = kind(" ")
    lines = []
    for line in _wrap(text, inner, justify, no_wrap):
        size = cell_len(line)
        if size < inner:
            lines.append([pad, kind(line), kind(" " * (inner - size)), pad] if line else [pad, kind(" " * inner), pad])
        else:
            lines.append([pad, kind(line if size == inner else set_cell_size(line, inner)), pad])
    return lines


def _wrap(text: str, width: int, justify: str | None, no_wrap: bool) -> list[str]:
    """``Text.wrap`` of a text without tabs or styles (overflow "fold")."""
    lines: list[str] = []
    for line in text.split("\n"):
        if no_wrap:
            pieces = [line]
        else:
            bounds = [0, *divide_line(line, width, fold=True), len(line)]
            pieces = [_rstrip_end(line[a:b], width) for a, b in itertools.pairwise(bounds)]
        if justify == "left":
            pieces = [_truncate(p, width, pad=True) for p in pieces]
        elif justify == "right":
            pieces = [_truncate(p.rstrip(), width) for p in pieces]
            pieces = [" " * (width - cell_len(p)) + p for p in pieces]
        lines += [_truncate(p, width) for p in pieces]
    return lines


def _rstrip_end(line: str, size: int) -> str:
    """``Text.rstrip_end``: drop trailing whitespace beyond ``size`` (counted in characters)."""
    if len(line) > size:
        match = _TRAILING_SPACE.search(line)
        if match is not None:
            return line[: len(line) - min(len(match.group(0)), len(line) - size)]
    return line


def _truncate(line: str, width: int, pad: bool = False) -> str:
    """``Text.truncate`` with overflow "fold"."""
    length = cell_len(line)
    if length > width:
        line = set_cell_size(line, width)
    if pad and length < width:
        line += " " * (width - length)
    return line
