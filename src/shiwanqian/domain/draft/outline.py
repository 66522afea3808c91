"""The outline of a programme document: main text, annexes and numbered headings.

Chinese government documents number their parts in a fixed hierarchy: ``一、`` (or ``一.``),
``（一）``, ``1.`` (or ``1．``/``1、``), ``（1）``/``⑴``. Each line of the document gets the
heading path it falls under, which gives every drafted value its place in the document
(``附件12 二（二）3``), the same form the hand-made data uses in ``source``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..numerals import halfwidth

_CN = "一二三四五六七八九十"
ANNEX = re.compile(r"^\s*附\s*件\s*(\d+)\s*[：:]?\s*$")
PERIOD = re.compile(r"^\s*[（(]\s*((?:19|20)\d\d)\s*年?\s*[-－—–~～至到]+\s*((?:19|20)\d\d)\s*年?\s*[）)]\s*$")
# (level, pattern): the number is group 1, the rest of the line group 2.
HEADINGS = (
    (1, re.compile(rf"^([{_CN}]+)\s*[、.．]\s*(.*)$")),
    (2, re.compile(rf"^[（(]\s*([{_CN}]+)\s*[）)]\s*(.*)$")),
    (3, re.compile(r"^(\d{1,2})\s*(?:[.．、](?!\d)|[.．](?=\d{4}))\s*(.*)$")),
    (4, re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*(.*)$")),
    (4, re.compile(r"^([⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇])\s*(.*)$")),
)
_CIRCLED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"


@dataclass
class Line:
    number: int  # 1-based line number in source.txt
    text: str  # the line as written
    part: str  # "正文" or "附件N"
    path: tuple[tuple[int, str], ...]  # the headings it falls under: (level, number)
    heading: int | None = None  # level, when this line is itself a heading
    title: str = ""  # for a heading: the words after its number

    @property
    def stripped(self) -> str:
        return self.text.strip()

    def location(self) -> str:
        return location(self.part, self.path)


def location(part: str, path: tuple[tuple[int, str], ...]) -> str:
    """``附件12`` + ((1, 二), (2, 二), (3, 3)) → ``附件12 二（二）3``; the main text keeps ``二、1``."""
    text = part
    for level, number in path:
        if level == 1:
            text += f" {number}" + ("、" if part == "正文" else "")
        elif level == 2:
            text += f"（{number}）"
        elif level == 3:
            text += number if text.endswith(("）", "、")) else f" {number}"
        else:
            text += f"（{number}）"
    return text.removesuffix("、")


@dataclass
class Annex:
    part: str  # "附件N"
    number: int
    title: str
    title_line: int
    period: tuple[int, int] | None
    period_line: int | None
    lines: list[Line] = field(default_factory=list)
    section: str | None = None  # for the main text's plan: the heading its tasks sit under


@dataclass
class Outline:
    lines: list[Line]
    main: list[Line]
    annexes: list[Annex]


def _heading(text: str) -> tuple[int, str, str] | None:
    plain = halfwidth(text)  # １．and ２０１６ match as 1. and 2016; the title keeps the original
    for level, pattern in HEADINGS:
        match = pattern.match(plain)
        if match:
            number = match.group(1)
            if number in _CIRCLED:
                number = str(_CIRCLED.index(number) + 1)
            return level, number, text[match.start(2) : match.end(2)].strip()
    return None


def parse(text: str) -> Outline:
    raw = text.split("\n")
    lines: list[Line] = []
    main: list[Line] = []
    annexes: list[Annex] = []
    part = "正文"
    path: list[tuple[int, str]] = []
    current: Annex | None = None
    expect_title = False
    title_parts: list[tuple[int, str]] = []
    for index, original in enumerate(raw, start=1):
        stripped = original.strip().replace("\u3000", " ").strip()
        annex = ANNEX.match(original)
        if annex:
            if current is not None and title_parts:
                _finish_title(current, title_parts)
            number = int(annex.group(1))
            part = f"附件{number}"
            repeats = sum(a.number == number for a in annexes)
            if repeats:  # a second “附件3”: kept apart, so that no two plans share a name
                part = f"附件{number}（第{repeats + 1}处）"
            current = Annex(part, number, "", index, None, None)
            annexes.append(current)
            path = []
            expect_title, title_parts = True, []
            lines.append(Line(index, original, part, ()))
            continue
        line = Line(index, original, part, tuple(path))
        if current is not None and expect_title and stripped:
            period = PERIOD.match(halfwidth(stripped))
            heading = _heading(stripped)
            if period:
                current.period = (int(period.group(1)), int(period.group(2)))
                current.period_line = index
                _finish_title(current, title_parts)
                expect_title, title_parts = False, []
                lines.append(line)
                current.lines.append(line)
                continue
            if heading is None and len(title_parts) < 3 and len(stripped) <= 40 and not stripped.endswith("。"):
                title_parts.append((index, stripped))
                lines.append(line)
                current.lines.append(line)
                continue
            _finish_title(current, title_parts)
            expect_title, title_parts = False, []
        heading = _heading(stripped) if stripped else None
        if heading is not None:
            level, label, title = heading
            path = [p for p in path if p[0] < level] + [(level, label)]
            line = Line(index, original, part, tuple(path), level, title)
        lines.append(line)
        (current.lines if current is not None else main).append(line)
    if current is not None and title_parts:
        _finish_title(current, title_parts)
    return Outline(lines, main, annexes)


def _finish_title(annex: Annex, parts: list[tuple[int, str]]) -> None:
    if parts and not annex.title:
        annex.title = "".join(re.sub(r"\s", "", text) for _, text in parts)
        annex.title_line = parts[0][0]
