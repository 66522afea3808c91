"""Renderers: the same records as a rich table, JSON, CSV or Markdown."""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .. import safetext


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@dataclass
class Section:
    """One titled table of a view (rows are already strings, in display order)."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    caption: str | None = None
    numeric: set[int] = field(default_factory=set)  # column indexes to right-align
    # Columns of names users type back (ids, periods): never broken across lines, so a copied
    # `featured-courses` is not `featured-course` + `s`. Other columns give way instead.
    keep: set[int] = field(default_factory=set)
    optional: set[int] = field(default_factory=set)  # left out of a table too wide for the terminal


def console(stderr: bool = False):
    from rich.console import Console

    class Quiet(Console):
        def on_broken_pipe(self) -> None:
            # `shiwanqian quota … | head` is a normal use: the reader stopped, nothing failed;
            # the rest of the output goes nowhere and the command ends as it would have.
            self.quiet = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)

        def print(self, *objects: Any, **options: Any) -> None:
            # Every string printed here is shown literally: no [markup], no :emoji: codes, and
            # control characters escaped (text from data and arguments is always inert).
            options.pop("markup", None)
            super().print(*(text(o) if isinstance(o, str) else o for o in objects), **options)

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else page_width()
    return Quiet(file=stream, width=width, soft_wrap=False, highlight=False, markup=False, emoji=False)


def page_width() -> int:
    """The width drawn at off a terminal (pipes, files, CI logs): COLUMNS if it is a number, else
    160 (rich would wrap at 80 columns there; CJK tables need more)."""
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() else 160


def cell(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return value
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


PREFIX = {"至少", "不少于"}
SUFFIX = {"左右", "以上", "以内"}


def amount(record: dict[str, Any]) -> str:
    """A value as the document words it: 至少80%、100名左右、若干人、基本达到100% …"""
    value, unit, qualifier = record["value"], record.get("unit") or "", record.get("qualifier")
    if value is None:
        text = f"{qualifier or ''}{unit}" if qualifier == "若干" else ""
        claim = record.get("claim")
        return f"{text}{claim}" if claim and claim not in text else (text or (claim or ""))
    text = f"{cell(value)}{unit}"
    if qualifier in PREFIX:
        return f"{qualifier}{text}"
    if qualifier in SUFFIX:
        return f"{text}{qualifier}"
    if qualifier == "基本":
        return f"基本达到{text}"
    return text


# A value draft proposed and no person has confirmed is marked wherever it is shown, so that
# nobody takes it for the document's word (records carry ``review: "proposed"``).
PROPOSED = "proposed"
PROPOSED_MARK = "（待核）"
PROPOSED_CAPTION = (
    "标“待核”的 {count} 项是 shiwanqian draft 提出的建议：原文没有写明其范围、年份或数值，尚未经人核定"
    "（shiwanqian review 逐条核定）。"
)


def reviewed(shown: str, record: dict[str, Any]) -> str:
    """``shown`` (a value as displayed) with the mark of a proposal, if ``record`` is one."""
    return f"{shown}{PROPOSED_MARK}" if record.get("review") == PROPOSED else shown


def print_sections(sections: Sequence[Section], fmt: Format) -> None:
    if fmt is Format.markdown:
        sys.stdout.write(markdown(sections))
        return
    plain = _plain(sections)
    if plain is not None:
        sys.stdout.write(plain)
        sys.stdout.flush()
        return
    _print_rich(sections, console())


def _print_rich(sections: Sequence[Section], out: Any) -> None:
    for section in sections:
        # The title is printed on its own line: as a table title rich would wrap it to the
        # width of a narrow table.
        out.print(text(section.title, style="bold"))
        table = _table(section, range(len(section.headers)), out.width)
        if section.optional and _least_width(section) > out.width:
            # Too narrow for every column: leave out the ones the view can do without
            # (they stay in JSON/CSV) rather than squeezing names into one-character strips.
            table = _table(section, [i for i in range(len(section.headers)) if i not in section.optional], out.width)
        out.print(table)
        if section.caption:
            out.print(text(section.caption))
        out.print()


def _plain(sections: Sequence[Section]) -> str | None:
    """What the rich console below would print, drawn without rich where it draws the same
    characters (see ``plaintable``); None where only rich can draw it."""
    from . import plaintable

    page = plaintable.page(sys.stdout, page_width)
    if page is None:
        return None
    width, styled = page
    lines: list[list[str]] = []
    for section in sections:
        columns: Sequence[int] = range(len(section.headers))
        if section.optional and _least_width(section) > width:
            columns = [i for i in columns if i not in section.optional]
        title = plaintable.text_lines(section.title, width, bold=True)
        table = plaintable.table(
            _headers(section, columns, width),
            section.rows,
            columns,
            numeric=section.numeric,
            keep=_unbroken(section),
            width=width,
        )
        caption = plaintable.text_lines(section.caption, width) if section.caption else []
        if title is None or table is None or caption is None:
            return None
        lines += [*title, *table, *caption, []]
    return "".join(plaintable.join(line, styled) + "\n" for line in lines)


def _unbroken(section: Section) -> set[int]:
    """Columns never broken across lines: the kept ones, and number columns whose cells are
    single words (a folded “1000左右” or “79” reads as other numbers; “（全市 80）” may wrap)."""
    whole = {i for i in section.numeric if not any(" " in row[i] for row in section.rows)}
    return section.keep | whole


def _headers(section: Section, columns: Sequence[int], width: int) -> list[str]:
    """The headers as drawn. Numbers are never broken (a folded “1000左右” reads as another
    number), so where the headers cannot all fit the page a number column's header wider than
    its numbers is written on two lines (幼儿 / 教育), leaving the room to the names."""
    from rich.cells import cell_len

    headers = list(section.headers)
    widest = {i: max((cell_len(row[i]) for row in section.rows), default=0) for i in columns}
    natural = sum(max(cell_len(headers[i]), widest[i]) + 3 for i in columns) + 1  # padding, dividers, edges
    if natural <= width:
        return headers
    for i in columns:
        header = headers[i]
        if i in section.numeric and "\n" not in header and len(header) >= 4 and cell_len(header) > widest[i]:
            half = (len(header) + 1) // 2
            headers[i] = header[:half] + "\n" + header[half:]
    return headers


def _least_width(section: Section) -> int:
    """The narrowest the table can be without breaking kept or numeric cells or headers.

    (rich's own measure takes a run of CJK text as one unbreakable word, so it cannot say.)
    """
    from rich.cells import cell_len

    width = 0
    for i, header in enumerate(section.headers):
        cells = [cell_len(row[i]) for row in section.rows]
        whole = i in section.keep or i in section.numeric
        width += max([cell_len(header), *(cells if whole else [min(c, 4) for c in cells])]) + 3
    return width


def _table(section: Section, columns: Sequence[int], width: int):
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table

    from .plaintable import headers_fit

    table = Table(box=box.SIMPLE_HEAVY, show_lines=False)
    # A column is never narrower than its header where all headers fit the page (else a
    # table wider than the page loses its last columns), and kept columns never wrap.
    headers = _headers(section, columns, width)
    fit = headers_fit([headers[i] for i in columns], width)
    unbroken = _unbroken(section)
    for i in columns:
        header = headers[i]
        table.add_column(
            text(header),
            justify="right" if i in section.numeric else "left",
            overflow="fold",
            no_wrap=i in unbroken,
            min_width=max(map(cell_len, header.split("\n"))) if fit else None,
        )
    for row in section.rows:
        # Text objects, never strings: rich would read [markup] and :emoji: in a string.
        table.add_row(*(text(row[i]) for i in columns))
    return table


def print_message(text: str) -> None:
    """A plain answer in words (e.g. why nothing matched), on stdout, as inert text."""
    sys.stdout.write(safetext.inert(text) + "\n")


def text(value: Any, style: str = ""):
    """A rich ``Text`` showing ``value`` literally: no markup, no emoji codes, no control
    characters (shown as ``\x1b``). Every string from data or arguments reaches rich as one."""
    from rich.text import Text

    return Text(safetext.inert(value), style=style)


def markdown(sections: Sequence[Section]) -> str:
    esc = safetext.markdown

    parts = []
    for section in sections:
        parts.append(f"### {esc(section.title)}\n")
        parts.append("| " + " | ".join(esc(h) for h in section.headers) + " |")
        parts.append(
            "|" + "|".join("---:" if i in section.numeric else "---" for i in range(len(section.headers))) + "|"
        )
        parts += ["| " + " | ".join(esc(c) for c in row) + " |" for row in section.rows]
        if section.caption:
            parts.append(f"\n{esc(section.caption)}")
        parts.append("")
    return "\n".join(parts) + "\n"


def one_shape(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records with one set of keys: every key any record has, in first-seen order,
    null where a record has no value. JSON and CSV then hold the same records, and a CSV
    column always means the same thing."""
    keys = list(dict.fromkeys(key for record in records for key in record))
    return [{key: record.get(key) for key in keys} for record in records]


def print_records(records: Sequence[dict[str, Any]], fmt: Format, *, excel: bool = False) -> None:
    """JSON or CSV of the same flat records (lists joined with 、 in CSV); see ``csv_text`` for ``excel``."""
    records = one_shape(records)
    if fmt is Format.json:
        sys.stdout.write(safetext.json_dumps(records, indent=2) + "\n")
        return
    print_csv(csv_text(records, excel=excel), excel=excel)


def print_csv(data: str, *, excel: bool = False) -> None:
    """CSV text made by ``csv_text`` (or ``CsvFields``) on stdout."""
    if excel:
        # Bytes as they are: a text-mode stdout on Windows would turn CRLF into CR CR LF.
        sys.stdout.flush()
        sys.stdout.buffer.write(data.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data)


class CsvFields:
    """CSV cells as ``csv_text`` writes them, each distinct value escaped once: call it on a
    value for its cell (quoted if need be); ``end`` is the line end and ``start`` what the
    text begins with. For many rows of few distinct values (150,000 allocation rows)."""

    def __init__(self, *, excel: bool = False) -> None:
        self.excel = excel
        self.end = "\r\n" if excel else "\n"
        self.start = "\ufeff" if excel else ""
        self._probe = io.StringIO()
        self._writer = csv.writer(self._probe, lineterminator=self.end)
        self._known: dict[tuple[type, Any], str] = {}

    def __call__(self, value: Any) -> str:
        kind = type(value)
        if kind is int:  # digits and a minus sign: never quoted, never neutralised
            return str(value)
        try:
            key = (kind, value)
            known = self._known.get(key)
        except TypeError:  # a list
            key, known = None, None
        if known is None:
            shown = safetext.inert(cell(value))
            # Only text is neutralised: a number such as -3 stays a number.
            if self.excel and not isinstance(value, (int, float)):
                shown = safetext.excel_cell(shown)
            probe = self._probe
            probe.seek(0)
            probe.truncate()
            self._writer.writerow(["", shown])  # two cells: a lone empty cell would be written ""
            known = probe.getvalue()[1 : -len(self.end)]
            if key is not None:
                self._known[key] = known
        return known

    def line(self, values: Iterable[Any]) -> str:
        cells = [self(v) for v in values]
        # The csv module writes a row of one empty cell as "" (an empty line would be no row).
        return ('""' if cells == [""] else ",".join(cells)) + self.end


def csv_text(records: Sequence[dict[str, Any]], *, excel: bool = False) -> str:
    """CSV of flat records. Plain: LF line ends, every cell as it is (for programs). ``excel``
    (for Excel/WPS): a UTF-8 BOM, CRLF line ends, and every text cell that a spreadsheet would
    take for a formula (= + - @ tab CR at its start) prefixed with an apostrophe (OWASP)."""
    fields = CsvFields(excel=excel)
    keys = list(records[0]) if records else []
    lines = [fields.line(keys)]
    lines += [fields.line([record.get(k, "") for k in keys]) for record in records]
    return fields.start + "".join(lines)
