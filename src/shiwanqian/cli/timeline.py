"""`shiwanqian timeline`: a Gantt-style picture of the programme, in the terminal, SVG or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .common import DataOption, DistrictOption, ExactOption, FromOption, PeriodOption, PlanOption, ToOption

if TYPE_CHECKING:
    from ..domain.programme.timeline import Timeline

HELP = """甘特图式的时间线：每个计划一行（--tasks 时其下每个任务一行），计划期内每年一列，每年分上半年、下半年两格，每格 6 个字符、一格一个月（不足 120 列的终端每年 6 格、一格两个月，过长的名称以“…”截短）。█ 进行中，▌ 某月举办或截止（“10月前”记在 9 月），· 无安排；各主表（分解到区域的名额表）的年度数字——文件的年度安排，或按年度比例受控取整的分配——列在所属计划之下（--district 时为该区域的份额）。筛选条件与 schedule 相同，可以组合；--period、--from、--to 只画所选时期内的任务与年份。

--out 图.svg 把同一张图写成 SVG；--out 图.html 写成独立的网页（样式内嵌，可在浏览器中按 A4 横向打印）。

示例：shiwanqian timeline；shiwanqian timeline --tasks --district 区域名；shiwanqian timeline -p 计划编号 --tasks；shiwanqian timeline --unit 单位名 --out 时间线.html
"""

WIDTH = 120  # the picture is laid out for 120 columns (and for A4 landscape when printed)
FULL_YEAR = 13  # "上半年 下半年": two halves of six one-month cells
COMPACT_YEAR = 6  # one cell for two months, for narrow terminals (80 columns)
MIN_LABEL = 20  # cells of a plan's name worth keeping before the months are halved
SUFFIXES = {".svg": "svg", ".html": "html", ".htm": "html"}

STYLE = {  # mark → style, by kind of row
    "plan": {"█": "bold green", "▌": "bold yellow", "·": "dim"},
    "task": {"█": "green", "▌": "yellow", "·": "dim"},
}

HTML_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<title>{title}</title>
<style>
{{stylesheet}}
body {{{{
    color: {{foreground}};
    background-color: {{background}};
    margin: 1em;
}}}}
pre {{{{
    font-family: "Sarasa Mono SC", "Noto Sans Mono CJK SC", "Source Han Mono SC", "WenQuanYi Zen Hei Mono", NSimSun, "MS Gothic", monospace;
    font-size: 12px;
    line-height: 1.3;
    margin: 0;
}}}}
@page {{{{
    size: A4 landscape;
    margin: 10mm;
}}}}
@media print {{{{
    body {{{{ margin: 0; background-color: #ffffff; }}}}
    pre {{{{ font-size: 8.5pt; white-space: pre; }}}}
    * {{{{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}}}
}}}}
</style>
</head>
<body>
<pre><code style="font-family:inherit">{{code}}</code></pre>
</body>
</html>
"""


def layout(timeline: Timeline, width: int) -> tuple[int, int]:
    """(cells of a year column, cells of the name column) for a picture ``width`` cells wide.

    Every year keeps its column: a terminal too narrow for one cell per month (80 columns)
    gets one cell per two months, and names too long for what is left are shortened with
    “…” (never dropped).
    """
    from rich.cells import cell_len

    longest = max((cell_len(_label(row)) for row in timeline.rows), default=0)
    for year_width in (FULL_YEAR, COMPACT_YEAR):
        # Each year column: a rule and one space either side; no space at the outer edge.
        room = width - len(timeline.years) * (year_width + 3)
        if room >= min(longest, MIN_LABEL):
            break
    return year_width, max(min(longest, room), 8)


def _label(row: Any) -> str:
    return row.label if row.kind == "plan" else "  " + row.label


def _halve(marks: str) -> str:
    """Two months to a cell: an event or deadline shows over activity, activity over nothing."""
    pairs = [marks[i : i + 2] for i in range(0, len(marks), 2)]
    return "".join("▌" if "▌" in p else "█" if "█" in p else "·" for p in pairs)


def renderable(timeline: Timeline, width: int = WIDTH) -> Any:
    """The rich renderable of a timeline: the title, the table and the notes."""
    from itertools import groupby

    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from ..safetext import inert

    year_width, label_width = layout(timeline, width)
    compact = year_width == COMPACT_YEAR
    table = Table(box=box.MINIMAL, show_edge=False, pad_edge=False, padding=(0, 1), header_style="bold")
    table.add_column("计划 / 任务", width=label_width, no_wrap=True, overflow="ellipsis")
    for year in timeline.years:
        header = f"{year}年" if compact else f"{year}年\n上半年 下半年"
        table.add_column(Text(header, justify="center"), width=year_width, no_wrap=True)
    rows = timeline.rows
    for i, row in enumerate(rows):
        last_of_plan = i + 1 == len(rows) or rows[i + 1].kind == "plan"
        end_section = last_of_plan and any(r.kind == "task" for r in rows)
        if row.kind == "quota":
            cells = [Text(inert(row.numbers.get(y, "")), style="bold cyan", justify="center") for y in timeline.years]
            table.add_row(Text("  " + inert(row.label), style="cyan"), *cells, end_section=end_section)
            continue
        styles = STYLE[row.kind]
        cells = []
        for year in timeline.years:
            marks = row.marks(year)
            text = Text()
            for half in (_halve(marks),) if compact else (marks[:6], marks[6:]):
                if text:
                    text.append(" ")
                # One span per run of equal marks keeps the SVG and HTML small.
                for mark, run in groupby(half):
                    text.append(mark * len(list(run)), style=styles[mark])
            cells.append(text)
        # Text objects, never strings: names from data are not read as markup; control
        # characters are shown escaped (raw, they would reach the terminal and break the SVG).
        label = Text(inert(row.label), style="bold") if row.kind == "plan" else Text("  " + inert(row.label))
        table.add_row(label, *cells, end_section=end_section)
    scale = (
        "每年 6 格，一格两个月（终端较窄；过长的名称以“…”截短，加宽终端或用 --out 图.html 可看完整的图）。"
        if compact
        else "每个半年 6 格，一格一个月。"
    )
    notes = [timeline.notes[0] + scale, *timeline.notes[1:]] if timeline.notes else [scale]
    parts: list[Any] = [Text(inert(timeline.title), style="bold"), table, *(Text(inert(note)) for note in notes)]
    return Group(*parts)


def _recording_console() -> Any:
    import io

    from rich.console import Console

    return Console(
        file=io.StringIO(),
        record=True,
        width=WIDTH,
        color_system="truecolor",
        force_terminal=True,
        no_color=False,
        soft_wrap=False,
        highlight=False,
        legacy_windows=False,
        _environ={},
    )


def export(timeline: Timeline, kind: str) -> str:
    """The picture as an SVG image or a self-contained HTML page."""
    import html

    from ..safetext import one_line

    out = _recording_console()
    out.print(renderable(timeline))
    title = one_line(timeline.title)
    if kind == "svg":
        return _svg_text_lengths(out.export_svg(title=title))
    page = HTML_PAGE.format(title=html.escape(title).replace("{", "{{").replace("}", "}}"))
    return _fixed_cells(out.export_html(inline_styles=True, code_format=page))


def _svg_text_lengths(svg: str) -> str:
    """Stretch each text run to its width in terminal cells.

    rich's SVG export sizes a run by its number of characters, so a CJK run (two cells a
    character) is squeezed into half the room the picture leaves for it.
    """
    import html
    import re

    from rich.cells import cell_len

    def fix(match: re.Match[str]) -> str:
        before, length, after, text = match.group(1), float(match.group(2)), match.group(3), match.group(4)
        plain = html.unescape(text)
        if not plain or cell_len(plain) == len(plain):
            return match.group(0)
        width = length / len(plain) * cell_len(plain)
        return f'{before}textLength="{width:g}"{after}>{text}</text>'

    return re.sub(r'(<text[^>]*?)textLength="([\d.]+)"([^>]*)>([^<]*)</text>', fix, svg)


def _fixed_cells(page: str) -> str:
    """Give every character of the picture the width the terminal gave it.

    Browsers draw CJK text at whatever width the chosen font has, and draw the box and block
    characters (│ █ ▌, “ambiguous width” in Unicode) wide in a CJK font and narrow in a Latin
    one, so the columns would drift apart. Wrapping each wide character in a box two cells
    wide and each ambiguous one in a box one cell wide keeps the columns straight with any font.
    """
    import re
    import unicodedata

    def cells(match: re.Match[str]) -> str:
        out = []
        for ch in match.group(1):
            width = unicodedata.east_asian_width(ch)
            if width in "WF":
                out.append(f'<span class="w2">{ch}</span>')
            elif width == "A":
                out.append(f'<span class="w1">{ch}</span>')
            else:
                out.append(ch)
        return ">" + "".join(out) + "<"

    head, sep, body = page.partition("<pre>")
    body = re.sub(r">([^<]+)<", cells, body)
    css = (
        ".w2 { display: inline-block; width: 2ch; text-align: center; }\n"
        ".w1 { display: inline-block; width: 1ch; overflow: hidden; text-align: center; }\n</style>"
    )
    return head.replace("</style>", css, 1) + sep + body


def command(
    district: DistrictOption = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", help="责任单位：全称或别名（见数据目录的 units.yaml）。", show_default=False),
    ] = None,
    plan: PlanOption = None,
    tasks: Annotated[bool, typer.Option("--tasks", "-t", help="展开为每个任务一行（列在所属计划之下）。")] = False,
    exact: ExactOption = False,
    period: PeriodOption = None,
    start: FromOption = None,
    end: ToOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            dir_okay=False,
            help="写入文件而不是显示：.svg 为 SVG 图片，.html 为可按 A4 横向打印的网页。",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    from .common import check_plan, date_window, load_catalog, require_suffix, resolve_region, resolve_unit

    kind = SUFFIXES[require_suffix(out, list(SUFFIXES))] if out is not None else None
    catalog = load_catalog(data)
    plan = check_plan(catalog, plan)
    programme = catalog.programme_model.period
    window = date_window((programme.start, programme.end), period=period, start=start, end=end)
    region = region_kind = None
    if district is not None:
        region = resolve_region(catalog, district).name
        region_kind = next(r.kind for r in catalog.regions_model.regions if r.name == region)
    unit_name = resolve_unit(catalog, unit) if unit is not None else None

    from ..domain.allocation.records import allocation_records
    from ..domain.programme.queries import main_tables
    from ..domain.programme.timeline import build

    # The yearly allocation of a share series is read from the cache, or solved, only when shown.
    needed = any(t.shares is not None and not t.schedule for t in main_tables(catalog, plan))
    allocations = allocation_records(catalog) if needed else {}
    timeline = build(
        catalog,
        region=region,
        region_kind=region_kind,
        unit=unit_name,
        plan=plan,
        tasks=tasks,
        allocations=allocations,
        window=window,
        exact=exact,
    )
    if out is not None and kind is not None:
        from .common import write_outputs

        write_outputs({out: export(timeline, kind)})
        return
    from ..output.render import console

    screen = console()
    screen.width = min(screen.width, WIDTH)
    screen.print(renderable(timeline, screen.width))
