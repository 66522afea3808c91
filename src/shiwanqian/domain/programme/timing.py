"""Reading a task's 实施时间 (“2016-2017年，每年8月、10月”) into the fields of ``Timing``.

This is the one reader of 实施时间 text: ``draft`` uses it to structure what it finds in a
document, and anything else that needs to read such text should call ``read_when`` rather
than parse the words again. It reads only what the words say unambiguously; whatever it
cannot place is returned in ``unread`` (words it did not understand) or ``doubts`` (two
possible readings), never guessed. Callers decide what to do with those (``draft`` leaves them
out of the data and lists them for a person to decide).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# A four-digit year, optionally followed by 年; ranges use any dash or 至/到.
_YEAR = r"(?<!\d)((?:19|20)\d\d)(?!\d)"
_DASH = r"\s*(?:[-－—–~～]+|至|到)\s*"
_YEAR_RANGE = re.compile(_YEAR + r"\s*年?" + _DASH + _YEAR + r"\s*年?")
_YEAR_ONE = re.compile(_YEAR + r"\s*年?")
# Months: “4-5月”, “8月、10月”, “10月前”, “10月底前”.
_MONTH_RANGE = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])\s*(?:[-－—–~～]+|至|到)\s*(1[0-2]|0?[1-9])\s*月(?!份?[前底])")
_MONTH_BEFORE = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])\s*月(?:份)?(?:底)?(?:以)?前")
_MONTH = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])\s*月(?:份)?")
_HALF = re.compile(r"(上半年|下半年)")
_SEASON = {"年中": "年中", "年终": "年末", "年末": "年末", "年底": "年末"}
_SEASON_RE = re.compile("|".join(_SEASON))
# “每年一次”, “各一期”, “各办一期”, “分别举办一次”, “每年至少一期”.
_COUNT_WORD = r"([一二两三四五六七八九十]|\d+)"
_PER_YEAR = re.compile(r"(每年|各|分别)(?:办|举办|开展|组织)?(至少)?" + _COUNT_WORD + r"(?:次|期|轮|届)")
_EVERY_YEAR = re.compile(r"每年")
_AS_NEEDED = re.compile(r"按需")
_EVERY_OTHER = re.compile(r"两年一周期|两年一次|隔年")
# Words that carry no timing of their own once the rest is read.
_REMARK = re.compile(r"（[^（）]*）|\([^()]*\)")
_FILLER = re.compile(r"[\s，,、。；;：:（）()“”\"'和及与]|期间|进行|举办|开展|施训|之间|以内|内|间")


@dataclass
class WhenReading:
    """What a 实施时间 text says, in the fields of ``Timing`` (only those it states)."""

    years: list[int] = field(default_factory=list)
    months: list[int] = field(default_factory=list)
    half: str | None = None
    deadline_month: int | None = None
    season: str | None = None
    recurrence: str | None = None
    per_year: int | None = None
    unread: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)

    def timing(self) -> dict[str, Any]:
        """The fields for a ``Timing`` (``years`` first), leaving out what is not stated."""
        result: dict[str, Any] = {"years": self.years}
        for name in ("months", "half", "deadline_month", "season", "recurrence", "per_year"):
            value = getattr(self, name)
            if value not in (None, []):
                result[name] = value
        return result


def _count(word: str) -> int | None:
    from ..numerals import read_number

    value = read_number(word)
    return int(value) if value is not None and float(value).is_integer() else None


def read_when(text: str) -> WhenReading:
    """Read a 实施时间 text. Years outside 1900–2099 are not years here.

    Each kind of word is read in turn, and what one step has read (its spans) is not read
    again by the next: remarks, years, months, halves and seasons, recurrences; then the
    readings that have two meanings are dropped, and the rest is handed back unread."""
    from ..numerals import halfwidth

    reader = _Reader(halfwidth(text))  # ２０１６年 reads as 2016年
    reader.remarks()
    reader.years()
    reader.months()
    reader.halves_and_seasons()
    every_year = reader.recurrence()
    reader.drop_ambiguous(every_year)
    reader.leftovers()
    return reader.reading


class _Reader:
    """One reading of a text: what is read so far, and where in the text (``spans``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.reading = WhenReading()
        self.spans: list[tuple[int, int]] = []

    def take(self, match: re.Match[str]) -> None:
        self.spans.append(match.span())

    def free(self, match: re.Match[str]) -> bool:
        return not any(a <= match.start() < b for a, b in self.spans)

    def remarks(self) -> None:
        # A remark in brackets (“（中小学各一期）”) is not timing: it is handed back unread.
        for match in _REMARK.finditer(self.text):
            self.reading.unread.append(match.group(0))
            self.take(match)

    def years(self) -> None:
        years: set[int] = set()
        for match in _YEAR_RANGE.finditer(self.text):
            first, last = int(match.group(1)), int(match.group(2))
            if last < first:
                self.reading.doubts.append(f"年份范围颠倒：“{match.group(0)}”")
            years.update(range(first, last + 1))
            self.take(match)
        for match in _YEAR_ONE.finditer(self.text):
            if not self.free(match):
                continue
            years.add(int(match.group(1)))
            self.take(match)
        self.reading.years = sorted(years)

    def months(self) -> None:
        reading = self.reading
        months: list[int] = []
        for match in _MONTH_BEFORE.finditer(self.text):
            if self.free(match):
                if reading.deadline_month is not None:
                    reading.doubts.append(f"不止一个截止月份：“{match.group(0)}”")
                reading.deadline_month = int(match.group(1))
                self.take(match)
        for match in _MONTH_RANGE.finditer(self.text):
            if self.free(match):
                first, last = int(match.group(1)), int(match.group(2))
                if last < first:
                    reading.doubts.append(f"月份范围颠倒：“{match.group(0)}”")
                months.extend(range(first, last + 1))
                self.take(match)
        for match in _MONTH.finditer(self.text):
            if self.free(match):
                months.append(int(match.group(1)))
                self.take(match)
        reading.months = sorted(set(months))

    def halves_and_seasons(self) -> None:
        reading = self.reading
        halves = {m.group(1) for m in _HALF.finditer(self.text)}
        for match in _HALF.finditer(self.text):
            self.take(match)
        if len(halves) == 1:
            reading.half = halves.pop()
        elif halves:
            reading.doubts.append("同时写了上半年和下半年")
        seasons = set()
        for match in _SEASON_RE.finditer(self.text):
            if self.free(match):
                seasons.add(_SEASON[match.group(0)])
                self.take(match)
        if len(seasons) == 1:
            reading.season = seasons.pop()
        elif seasons:
            reading.doubts.append("年中、年末不止一种说法")

    def recurrence(self) -> bool:
        """Times a year and the recurrence; whether the text says “every year”."""
        reading, every_year = self.reading, False
        for match in _PER_YEAR.finditer(self.text):
            if not self.free(match):
                continue
            value = _count(match.group(3))
            if value is None:
                reading.unread.append(match.group(0))
                continue
            if match.group(2):  # “至少一期”: a lower bound, not the count
                reading.doubts.append(f"“{match.group(0)}”是下限，不是每年的次数")
            elif reading.per_year is not None and reading.per_year != value:
                reading.doubts.append(f"每年次数不止一种说法：“{match.group(0)}”")
                reading.per_year = None
            else:
                reading.per_year = value
            every_year = every_year or match.group(1) == "每年"
            self.take(match)
        for match in _EVERY_YEAR.finditer(self.text):
            if self.free(match):
                every_year = True
                self.take(match)
        kinds = []
        if every_year:
            kinds.append("每年")
        for pattern, kind in ((_AS_NEEDED, "按需"), (_EVERY_OTHER, "两年一周期")):
            for match in pattern.finditer(self.text):
                if self.free(match):
                    kinds.append(kind)
                    self.take(match)
        if len(set(kinds)) == 1:
            reading.recurrence = kinds[0]
        elif kinds:
            reading.doubts.append(f"重复方式不止一种：{'、'.join(dict.fromkeys(kinds))}")
        return every_year

    def drop_ambiguous(self, every_year: bool) -> None:
        # A month written after the last of several listed years (“2017年、2019年5月”) may belong
        # to that year only or to all of them: two readings, so the months are left out.
        reading, text = self.reading, self.text
        if reading.months and len(reading.years) > 1 and not every_year:
            reading.doubts.append(f"“{text.strip()}”中的月份是只属于最后一个年份，还是属于每个年份，原文不明确")
            reading.months = []
        if reading.deadline_month is not None and len(reading.years) > 1 and not every_year:
            reading.doubts.append(f"“{text.strip()}”中的截止月份属于哪一年，原文不明确")
            reading.deadline_month = None

    def leftovers(self) -> None:
        # Whatever is left after taking the read parts and the filler words was not understood.
        chars = list(self.text)
        for a, b in self.spans:
            chars[a:b] = " " * (b - a)
        for phrase in re.split(r"\s+|[，,。；;]", "".join(chars)):
            phrase = phrase.strip("、：: ")
            if _FILLER.sub("", phrase):
                self.reading.unread.append(phrase)
