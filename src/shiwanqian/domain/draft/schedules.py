"""Yearly schedules written in a task's 工作要求: how much of a quota table each year brings.

A task of one year whose 工作要求 names regions with numbers in the unit of a quota table of
the same annex gives that year's schedule of the table. Two shapes of sentence are read:

* a distributive list: ``醴陵市、攸县和市直属学校各建1个，醴陵市建2个名优特教师工作站``
  (a list of names carries on across a comma until its ``各 N``);
* a group with its regions in brackets: ``培养培训小学骨干教师300人（炎陵县30人、茶陵县50人……）``,
  the group's 学段 and stated subtotal read from the words before the bracket;

and, in the same requirement, city-wide figures (``全市幼儿教育80人``, ``全市统筹建设2个……``; in a
table by 学段 also a bare ``职业教育60人`` next to region groups) and the year's stated total
(``合计培养培训200人``). Regions are written by their names, or by forms derived from them:
``市直属学校`` / ``直属高中`` for the one region of kind 直属, ``炎陵`` for ``炎陵县`` (only where a
list separator, ``各`` or a number follows, so ``株洲`` in ``株洲名优特教师`` is no region).

A sentence that names regions with numbers but does not read cleanly leaves the whole
schedule of its table out of the data (a partial schedule would look like the document
contradicting itself) and is listed for review with its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..numerals import Number, find_numbers, halfwidth
from .outline import Line
from .review import ReviewItem
from .tasks import DraftTask

PERSON_COUNTERS = ("人", "名")  # a person is counted with either word: 150名 and 150人 are one unit
_SEPARATORS = ("、", "，", ",", "和", "及", "与", "以及")
_BETWEEN_NAMES = re.compile(r"^\s*(?:、|，|,|和|及|与|以及)\s*$")
_AFTER_NUMBER = re.compile(r"^[^\d、，,；;。]*?[、，,]\s*(?:和|及|与|以及)?\s*$")
_YEAR_TOTAL = re.compile(r"^\s*(?:合计|共计|总计)")
_STEM_END = "、，,和及与各（(）)"


@dataclass
class RegionForms:
    """How the document may write each region: its name and the forms derived from it."""

    canonical: dict[str, str]  # written form → region name
    stems: frozenset[str]  # forms that are a name without its 县/市/区 (need a boundary after them)
    pattern: re.Pattern[str] | None

    @classmethod
    def of(cls, regions: list[dict[str, Any]], levels: list[str]) -> RegionForms:
        names = [r["name"] for r in regions]
        canonical = {name: name for name in names}
        direct = [r["name"] for r in regions if r.get("kind") == "直属"]
        if len(direct) == 1:  # 市直属学校, 直属高中, 市直学校: the one region of kind 直属
            forms = {"市" + direct[0]}
            for prefix in ("市直属", "直属", "市直"):
                forms.update(prefix + word for word in (*levels, "学校", "单位"))
            for form in sorted(forms):
                canonical.setdefault(form, direct[0])
        stems: dict[str, list[str]] = {}
        for name in names:
            if len(name) >= 3 and name[-1] in "县市区旗":
                stems.setdefault(name[:-1], []).append(name)
        stem_forms = set()
        for stem, owners in stems.items():
            if len(owners) == 1 and stem not in canonical:
                canonical[stem] = owners[0]
                stem_forms.add(stem)
        longest_first = sorted(canonical, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(f) for f in longest_first)) if longest_first else None
        return cls(canonical, frozenset(stem_forms), pattern)

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, region, written form) of every region written in ``text``."""
        found: list[tuple[int, int, str, str]] = []
        if self.pattern is None:
            return found
        for match in self.pattern.finditer(text):
            form = match.group(0)
            if form in self.stems:
                after = text[match.end() : match.end() + 1]
                if after and not (after in _STEM_END or after.isdigit()):
                    continue
            found.append((match.start(), match.end(), self.canonical[form], form))
        return found


def compatible(unit: str, word: str) -> bool:
    return word == unit or (unit in PERSON_COUNTERS and word in PERSON_COUNTERS)


class Unreadable(Exception):
    """A schedule sentence that names regions with numbers but cannot be read with certainty."""


@dataclass
class Reading:
    """What one 工作要求 says about one table: its groups and the year's stated total."""

    groups: list[dict[str, Any]] = field(default_factory=list)
    total: int | None = None
    total_text: str | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (sentence, why)
    forms: dict[str, str] = field(default_factory=dict)  # derived forms used → region


def _numbers(text: str, taken: list[tuple[int, int, str, str]]) -> list[Number]:
    """Whole numbers the text states, outside region names and outside “quoted names”
    (the 四 of “四名”工作室 is part of a name, not four people)."""
    quoted = [m.span() for m in re.finditer(r"[“\"「『][^”\"」』]*[”\"」』]", text)]
    return [
        n
        for n in find_numbers(text)
        if n.stated
        and n.kind == "integer"
        and not any(s < n.end and n.start < e for s, e, *_ in taken)
        and not any(s < n.start and n.end < e for s, e in quoted)
    ]


def _unit_after(text: str, number: Number) -> tuple[str, int]:
    """The counter right after a number (跳过空白) and where it ends."""
    at = number.end
    while at < len(text) and text[at] in " \u3000":
        at += 1
    return text[at : at + 1], at + 1


def _levels_in(text: str, levels: list[str]) -> list[str]:
    if not levels:
        return []
    pattern = "|".join(re.escape(level) for level in sorted(levels, key=len, reverse=True))
    return list(dict.fromkeys(m.group(0) for m in re.finditer(pattern, text)))


def _allocations(
    text: str, start: int, end: int, names: list[tuple[int, int, str, str]], numbers: list[Number], unit: str
) -> dict[str, int]:
    """Region → number in ``text[start:end]``, a list such as ``A、B各建2个，C建3个`` or
    ``A10人、B20人``; raises ``Unreadable`` with the reason when any part is unclear."""
    events: list[tuple[int, int, str, Any]] = [
        (s, e, "region", region) for s, e, region, _ in names if start <= s and e <= end
    ]
    for number in numbers:
        if start <= number.start and number.end <= end:
            word, stop = _unit_after(text, number)
            if not compatible(unit, word):
                raise Unreadable(f"数字 {number.text} 后面不是名额表的单位“{unit}”")
            events.append((number.start, stop, "number", number.value))
    events.sort()
    result: dict[str, int] = {}
    pending: list[str] = []
    position, last = start, None
    for s, e, kind, value in events:
        gap = text[position:s]
        if kind == "region":
            if last == "region" and not _BETWEEN_NAMES.match(gap):
                raise Unreadable(f"区域名称之间有“{gap.strip()}”，读不出是哪几个区域")
            if last == "number" and not _AFTER_NUMBER.match(gap):
                raise Unreadable(f"区域“{value}”与前一个数字之间没有分隔")
            if last is None and gap.strip() and re.search(r"\d", gap):
                raise Unreadable("区域之前有数字")
            if value in result or value in pending:
                raise Unreadable(f"区域“{value}”出现了两次")
            pending.append(value)
        else:
            if not pending:
                raise Unreadable(f"数字 {value} 前面没有区域")
            if re.search(r"[\d、，,；;]", gap) or len(gap) > 8:
                raise Unreadable(f"“{pending[-1]}{gap}”读不出区域与数字的对应")
            if len(pending) > 1 and "各" not in gap:
                raise Unreadable(f"{'、'.join(pending)} 共用数字 {value}，但没有“各”")
            for region in pending:
                result[region] = int(value)
            pending = []
        position, last = e, kind
    if pending:
        raise Unreadable(f"{'、'.join(pending)} 后面没有数字")
    if re.search(r"\d", text[position:end]):
        raise Unreadable("列表之后还有数字")
    return result


def _region_group(sentence: str, forms: RegionForms, unit: str, by_level: bool, levels: list[str]) -> dict[str, Any]:
    """One group of a schedule from a sentence that names regions; raises ``Unreadable``."""
    plain = halfwidth(sentence)
    names = forms.find(plain)
    bracket = re.search(r"[（(]", plain)
    anchor = bracket.start() if bracket else min(s for s, *_ in names)
    cut = max(plain.rfind("，", 0, anchor), plain.rfind(",", 0, anchor)) + 1
    if cut:  # the group starts after the last comma before its list: earlier clauses say other things
        sentence = sentence[cut:].strip()
        plain = halfwidth(sentence)
        names = forms.find(plain)
        if not names:
            raise Unreadable("读不出区域")
    numbers = _numbers(plain, names)
    brackets = re.fullmatch(r"([^（(）)]*)[（(]([^（(）)]*)[）)]([^（(）)]*)", plain)
    if "（" in plain or "(" in plain or "）" in plain or ")" in plain:
        if brackets is None:
            raise Unreadable("括号不成对，或不止一处括号")
        inner_start, inner_end = brackets.start(2), brackets.end(2)
        if any(s < inner_start or e > inner_end for s, e, *_ in names):
            raise Unreadable("括号外也写了区域")
        if any(n.start >= brackets.start(3) for n in numbers):
            raise Unreadable("括号之后还有数字")
        lead = brackets.group(1)
        totals = [n for n in numbers if n.end <= len(lead) and compatible(unit, _unit_after(plain, n)[0])]
        if len(totals) > 1:
            raise Unreadable(f"括号前有多个以“{unit}”计的数（{'、'.join(n.text for n in totals)}），读不出小计")
        if totals and totals[0].start > 0 and plain[totals[0].start - 1] in "－-—–~～至到":
            raise Unreadable(f"括号前的 {totals[0].text} 是一个范围的上限，不是小计")
        regions = _allocations(plain, inner_start, inner_end, names, numbers, unit)
        level_text = lead + brackets.group(3)
        total = int(totals[0].value) if totals else None
    else:
        first = min(s for s, *_ in names)
        if re.search(r"\d", plain[:first]):
            raise Unreadable("区域之前有数字")
        regions = _allocations(plain, first, len(plain), names, numbers, unit)
        cut_names = "".join(" " if any(s <= i < e for s, e, *_ in names) else ch for i, ch in enumerate(plain))
        level_text, total = cut_names, None
    group: dict[str, Any] = {}
    if by_level:
        found = _levels_in(level_text, levels)
        if len(found) != 1:
            raise Unreadable("读不出这一组属于哪个学段" if not found else f"一组里有多个学段：{'、'.join(found)}")
        group["level"] = found[0]
    if total is not None:
        group["total"] = total
    group["regions"] = regions
    group["text"] = sentence
    return group


def read_requirement(text: str, unit: str, by_level: bool, forms: RegionForms, levels: list[str]) -> Reading:
    """The schedule one 工作要求 gives a table whose unit is ``unit``."""
    reading = Reading()
    found: list[tuple[str, dict[str, Any]]] = []  # (how it was read, group), in the document's order
    for match in re.finditer(r"[^。；;]+", text):
        sentence = match.group(0).strip()
        if not sentence:
            continue
        plain = halfwidth(sentence)
        names = forms.find(plain)
        numbers = _numbers(plain, names)
        if not numbers:
            continue
        if _YEAR_TOTAL.match(plain) and not names:
            counted = [n for n in numbers if compatible(unit, _unit_after(plain, n)[0])]
            if len(numbers) == 1 and counted:
                reading.total, reading.total_text = int(counted[0].value), sentence
            elif counted:
                reading.problems.append((sentence, "合计中不止一个数"))
            continue
        if names:
            try:
                group = _region_group(sentence, forms, unit, by_level, levels)
            except Unreadable as why:
                if any(compatible(unit, _unit_after(plain, n)[0]) for n in numbers):
                    reading.problems.append((sentence, str(why)))
                continue
            found.append(("regions", group))
            for _, _, region, form in forms.find(halfwidth(group["text"])):
                if region not in form:
                    reading.forms[form] = region
            continue
        for clause in re.finditer(r"[^，,]+", sentence):
            words = halfwidth(clause.group(0)).strip()
            stated = _numbers(words, [])
            counted = [n for n in stated if compatible(unit, _unit_after(words, n)[0])]
            if not counted:
                continue
            citywide = "全市" in words
            level = _levels_in(words, levels)
            if len(stated) != 1 or "每" in words or "各" in words or (by_level and len(level) != 1):
                if citywide:
                    reading.problems.append((sentence, f"“{clause.group(0).strip()}”读不出全市的一个数"))
                continue
            group = {"level": level[0]} if by_level else {}
            group.update({"total": int(counted[0].value), "text": clause.group(0).strip()})
            if citywide:
                found.append(("全市", group))
            elif by_level:
                found.append(("bare", group))
    # A bare “职业教育60人” is a city-wide figure only beside groups the requirement states as such.
    if any(how != "bare" for how, _ in found):
        reading.groups = [group for _, group in found]
    return reading


@dataclass
class TableSchedule:
    """The schedule drafted for one table, or why it was left out."""

    years: list[dict[str, Any]] = field(default_factory=list)
    lines: dict[int, int] = field(default_factory=dict)  # index in ``years`` → line of its 工作要求
    problems: list[ReviewItem] = field(default_factory=list)
    forms: dict[str, str] = field(default_factory=dict)  # derived forms of region names it quotes


def find_schedules(
    part_tasks: list[DraftTask], tables: list[Any], forms: RegionForms, levels: list[str], lines: dict[int, Line]
) -> tuple[dict[int, TableSchedule], list[ReviewItem], set[int]]:
    """Schedules of one annex's tables (by index in ``tables``), what is left for review, and
    the 工作要求 lines that were read as schedules."""
    schedules: dict[int, TableSchedule] = {}
    review: list[ReviewItem] = []
    handled: set[int] = set()
    candidates = [i for i, t in enumerate(tables) if t.rows and t.unit]
    for task in part_tasks:
        readings = {}
        for i in candidates:
            reading = read_requirement(task.requirement, tables[i].unit, tables[i].by_level, forms, levels)
            if reading.groups or reading.problems:
                readings[i] = reading
        if not readings:
            continue
        line = lines.get(task.requirement_line)
        where = line.location() if line else task.source
        handled.add(task.requirement_line)
        quote = f"工作要求：{task.requirement}"
        if len(readings) > 1:
            review.append(
                ReviewItem(task.requirement_line, where, "工作要求中的年度安排可归入不止一张名额表，未写入数据", quote)
            )
            for i in readings:
                schedules.setdefault(i, TableSchedule()).problems.append(
                    ReviewItem(task.requirement_line, where, "年度安排可归入不止一张名额表")
                )
            continue
        ((index, reading),) = readings.items()
        schedule = schedules.setdefault(index, TableSchedule())
        years = task.timing.get("years", [])
        problems = [f"“{sentence}”：{why}" for sentence, why in reading.problems]
        if len(years) != 1:
            problems.append(f"实施时间“{task.when}”不是一个年份，读不出这是哪一年的安排")
        if not problems:
            problems = _unconfirmed(reading)
        if problems:
            for problem in problems:
                schedule.problems.append(
                    ReviewItem(task.requirement_line, where, f"年度安排未能读通，未写入数据：{problem}", quote)
                )
            continue
        year: dict[str, Any] = {"year": years[0]}
        if reading.total is not None:
            year["total"], year["total_text"] = reading.total, reading.total_text
        year["source"] = task.source
        year["groups"] = reading.groups
        schedule.lines[len(schedule.years)] = task.requirement_line
        schedule.years.append(year)
        schedule.forms.update(reading.forms)
    return schedules, review, handled


def _unconfirmed(reading: Reading) -> list[str]:
    """Numbers ``check`` would not find in their quotation as read here (a safety net: the
    drafter writes nothing its own checker would call a misquotation)."""
    from ..checks.quotes import quote_gives, quote_states

    problems = []
    for group in reading.groups:
        for region, value in group.get("regions", {}).items():
            labels = [region, *(form for form, owner in reading.forms.items() if owner == region)]
            if not quote_gives(group["text"], labels, value):
                problems.append(f"“{group['text']}”：引文核对不出 {region} {value}")
        if group.get("total") is not None and not quote_states(group["text"], group["total"]):
            problems.append(f"“{group['text']}”：引文核对不出 {group['total']}")
    return problems
