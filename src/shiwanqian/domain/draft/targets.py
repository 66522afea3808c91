"""Other targets: a number the document requires of a stated scope (``各县市区…至少达到80%``).

A clause (the words between commas) is a candidate when it states one quantity (a number with
its counter, or a percentage) and names a scope the programme's vocabulary knows (a scope word
such as 全市 or 五县市, ``各``/``每`` + a unit level that stands for a group of regions such as
各县市区, or a region's name) or a year. It is drafted only when everything is explicit:

* the scope: one scope word in the clause, or (for a clause without one) exactly one in the
  sentence, written before it (``各县市区…2022年达到60%，2023年达到90%``);
* the year: one year in the clause, or exactly one in the sentence, or the line's own label
  (``2016年：…``); a year range (``2017-2020年``) or a starting year (``2021年起``) is no single year;
* the qualifier: a word of the vocabulary right before the number (``至少达到80%``) or right
  after its counter (``50门以上``), never one further away;
* the unit: the counter written right after the number.

A candidate with anything else uncertain (a range ``2-3个``, ``各1所`` after a list, two quantities
in one clause, a scope or year that could be read two ways) is left out and listed for review.
Claims without a number (``在初中、高中建设…``) are not read at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..numerals import Number, find_numbers, halfwidth
from .outline import Line
from .review import UNSCOPED, ReviewItem

# Counters written after a number (generic Chinese, longest first when matched).
COUNTERS = (
    "平方米",
    "平米",
    "个月",
    "人次",
    "学时",
    "课时",
    "学分",
    "小时",
    "万元",
    "元",
    "册",
    "本",
    "所",
    "个",
    "名",
    "人",
    "次",
    "期",
    "天",
    "年",
    "节",
    "门",
    "项",
    "篇",
    "家",
    "批",
    "场",
    "轮",
    "届",
    "周",
    "间",
    "套",
    "台",
    "件",
    "种",
    "站",
    "处",
    "座",
)
_COUNTER = re.compile("|".join(sorted(COUNTERS, key=len, reverse=True)))
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s*年?\s*[-－—–~～至到]\s*(?:19|20)\d\d\s*年")
_YEAR_ONWARDS = re.compile(r"(?:19|20)\d\d\s*年\s*(?:起|以来|开始|以后|之后)")
_LABEL = re.compile(r"^\s*((?:19|20)\d\d)\s*年?\s*(?:([-－—–~～至到])\s*(?:19|20)\d\d\s*年?)?\s*[：:]")
_RANGE_AFTER = re.compile(r"^\s*[-－—–~～至到]\s*[\d一二两三四五六七八九十百千]")
_RANGE_BEFORE = re.compile(r"[\d一二两三四五六七八九十百千]\s*[-－—–~～至到]\s*$")
_YEAR_WORDS = re.compile(r"(?:19|20)\d\d\s*年\s*(?:底|末|初|年底|年末)?\s*(?:前|以前|之前|内)?")
_LISTED = re.compile(r"^[\u4e00-\u9fff]{0,3}?[及和与、]")  # 市直属单位及五县（市）…: one of several groups
_VERBS = ("达到", "达", "为", "完成", "有")  # may stand between a qualifier and its number (至少达到80%)
_SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")
_CLAUSE = re.compile(r"[^，,：:。；;！？!?]+")
_NUMBERING = re.compile(
    r"^\s*(?:\d{1,2}\s*[.．、](?!\d)|\d{1,2}\s*[.．](?=\d{4})|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[）)]"
    r"|[一二三四五六七八九十]{1,3}\s*、)\s*"
)  # a heading's own number
_QUOTED = re.compile(r"[“\"「『][^”\"」』]*[”\"」』]")


@dataclass
class DraftTarget:
    line: int
    part: str
    path: tuple[tuple[int, str], ...]
    name: str
    value: int | float
    unit: str
    scope: str
    text: str
    source: str
    qualifier: str | None = None
    year: int | None = None
    at: int = 0  # where its number is written in the line

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "value": self.value}
        if self.qualifier:
            data["qualifier"] = self.qualifier
        data["unit"] = self.unit
        data["scope"] = self.scope
        if self.year is not None:
            data["year"] = self.year
        data["text"] = self.text
        data["source"] = self.source
        return data


def scope_words(regions: list[dict[str, Any]]) -> dict[str, str]:
    """Written word → scope, from the vocabulary: scope names, 各/每 + a unit level that covers
    the same kinds of regions as a scope (各县市区 → 每县市区), and the regions' names."""
    from ...load.model import Vocabulary

    vocabulary = Vocabulary()
    words = {scope.name: scope.name for scope in vocabulary.scopes}
    for level in vocabulary.unit_levels:
        if not level.kinds:
            continue  # 各学校 is every school, not every region; 市 is no group of regions
        same = [s.name for s in vocabulary.scopes if not s.every and set(s.kinds) == set(level.kinds)]
        if len(same) == 1:
            for prefix in ("各", "每"):
                words.setdefault(prefix + level.name, same[0])
    for region in regions:
        words.setdefault(region["name"], region["name"])
    return words


def _qualifiers() -> tuple[str, ...]:
    from ...load.model import DEFAULT_QUALIFIERS

    return tuple(sorted(DEFAULT_QUALIFIERS, key=len, reverse=True))


def _spans(text: str, words: dict[str, str]) -> list[tuple[int, int, str]]:
    """(start, end, scope) of every scope word written in ``text``, longest first, not overlapping."""
    found: list[tuple[int, int, str]] = []
    for word in sorted(words, key=len, reverse=True):
        for match in re.finditer(re.escape(word), text):
            if not any(s < match.end() and match.start() < e for s, e, _ in found):
                found.append((match.start(), match.end(), words[word]))
    return sorted(found)


def _quantities(clause: str, skip: list[tuple[int, int]], quoted: bool = False) -> list[tuple[Number, str, int]]:
    """(number, counter, end of counter) of every quantity the clause states (with ``quoted``, also
    those inside quotation marks: “网络研修+集中研修（不少于3天）”)."""
    inside = [] if quoted else [m.span() for m in _QUOTED.finditer(clause)]
    result = []
    for number in find_numbers(clause):
        if not number.stated or any(s < number.end and number.start < e for s, e in skip + inside):
            continue
        if _YEAR.match(halfwidth(clause), number.start) and number.end - number.start == 4:
            continue  # a year
        if number.kind == "percent":
            result.append((number, "%", number.end))
            continue
        match = _COUNTER.match(clause, number.end)
        if match:
            result.append((number, match.group(0), match.end()))
    return result


def _no_quantity(clause: str, quantity: tuple[Number, str, int]) -> bool:
    """一 that is “each”, “next” or “a number of”: 每一节, 下一年度, 第一次, 一批."""
    number, unit, _ = quantity
    return number.text == "一" and (
        clause[number.start - 1 : number.start] in ("每", "下", "上", "第", "同", "统") or unit == "批"
    )


def _stated(clause: str, quantity: tuple[Number, str, int]) -> str:
    """The quantity as written, with a qualifier written right after its counter (30平米以上)."""
    number, _, end = quantity
    before = clause[: number.start].rstrip()
    verb = next((v for v in _VERBS if before.endswith(v)), "")
    before = before[: len(before) - len(verb)].rstrip()
    ahead = next((q + verb for q in _qualifiers() if before.endswith(q)), "")
    after = next((q for q in _qualifiers() if clause.startswith(q, end)), "")
    return ahead + clause[number.start : end] + after


def _qualifier(clause: str, number: Number, end: int, qualifiers: tuple[str, ...]) -> tuple[str | None, bool]:
    """(qualifier, clear): the vocabulary word right before the number or right after its counter."""
    before = clause[: number.start].rstrip()
    for verb in _VERBS:
        if before.endswith(verb):
            before = before[: -len(verb)].rstrip()
            break
    found = [q for q in qualifiers if before.endswith(q)]
    found += [q for q in qualifiers if clause.startswith(q, end)]
    found = list(dict.fromkeys(found))
    if len(found) > 1:
        return None, False
    adjacent = found[0] if found else None
    rest = clause.replace(adjacent, "", 1) if adjacent else clause
    if any(q in rest for q in qualifiers):
        return adjacent, False  # a qualifier further away: which number it bounds is unclear
    return adjacent, True


def _years(text: str) -> tuple[set[int], bool]:
    """(years stated, clear): a range or a starting year is not one year."""
    plain = halfwidth(text)
    years = {int(m.group(1)) for m in _YEAR.finditer(plain)}
    return years, not (_YEAR_RANGE.search(plain) or _YEAR_ONWARDS.search(plain))


_NAME_NOISE = (
    re.compile(r"(?:的|达到|达|为|共|约|要)+$"),
    re.compile(r"^(?:通过|完成|达到|建设|建立|培养|开展|实现|确保|力争|其中|到|至|在(?!线)|于|并|共)+"),
)


def _name(clause: str, cut: list[tuple[int, int]]) -> str:
    """The clause without its year, scope, qualifier and quantity: the subject words."""
    kept = "".join(ch for i, ch in enumerate(clause) if not any(s <= i < e for s, e in cut))
    kept = re.sub(r"[\s“”\"「」『』（）()]", "", kept)
    for noise in _NAME_NOISE:
        shorter = noise.sub("", kept)
        if len(shorter) != 1:  # 完成率 stays a name
            kept = shorter
    return kept[:30]


@dataclass
class Clause:
    """A clause of a line with what the sentence around it says: the scope and year of the clauses
    before it, the sentence's years and the line's label. ``proposals`` reads the same context."""

    line: Line
    text: str  # numbering stripped
    at: int  # where ``text`` starts in the line
    sentence: int  # where its sentence starts in the line
    scopes: list[tuple[int, int, str]]  # scope words written in the clause
    years: list[int]  # years written in the clause
    years_clear: bool  # no range, no starting year in the clause
    scope_before: str | None  # the scope of the latest clause before it that wrote one
    year_before: int | None  # the latest single year written in a clause before it
    sentence_years: set[int]
    sentence_clear: bool
    label_year: int | None  # the line's “2016年：”
    label_range: bool  # the line's “2017-2020年：”
    period: tuple[int, int]

    @property
    def quote(self) -> str:
        return self.text.strip()

    @property
    def written(self) -> set[str]:
        return {scope for _, _, scope in self.scopes}


@dataclass
class Candidate:
    """A clause with a numeric requirement that is not drafted, with the reason and the item that
    lists it for review: what ``proposals`` may read as a proposal instead."""

    clause: Clause
    why: str  # why it is not drafted ("" for a clause that states no quantity)
    item: ReviewItem | None  # None: not listed for review (no quantity, or a line drafted elsewhere)
    quantities: list[tuple[Number, str, int]]


def _clauses(line: Line, period: tuple[int, int], words: dict[str, str]) -> Iterator[Clause]:
    """Every clause of ``line`` (its “2016年：” label apart), with its sentence's context."""
    text = line.text
    label = _LABEL.match(halfwidth(text))
    label_year = int(label.group(1)) if label and not label.group(2) else None
    label_range = bool(label and label.group(2))
    for sentence_match in _SENTENCE.finditer(text):
        sentence, offset = sentence_match.group(0), sentence_match.start()
        after_label = label.end() - offset if label and offset < label.end() else 0
        sentence_years, sentence_clear = _years(sentence[after_label:])
        scope_before: str | None = None
        year_before: int | None = None
        for match in _CLAUSE.finditer(sentence):
            clause, start = match.group(0), match.start()
            if start < after_label:
                continue  # the “2016年：” label itself
            if offset == 0 and start == 0 and (numbering := _NUMBERING.match(clause)):
                clause, start = clause[numbering.end() :], numbering.end()
            scopes = _spans(clause, words)
            years, years_clear = _years(clause)
            yield Clause(
                line,
                clause,
                offset + start,
                offset,
                scopes,
                sorted(years),
                years_clear,
                scope_before,
                year_before,
                sentence_years,
                sentence_clear,
                label_year,
                label_range,
                period,
            )
            own = {scope for _, _, scope in scopes}
            if own:
                scope_before = next(iter(own)) if len(own) == 1 else None
            if years:
                year_before = sorted(years)[-1] if len(years) == 1 and years_clear else None


def _not_quantities(clause: Clause) -> list[tuple[int, int]]:
    """Spans of the clause that hold no quantity: its scope words and years."""
    return [(s, e) for s, e, _ in clause.scopes] + [m.span() for m in _YEAR.finditer(halfwidth(clause.text))]


def _unscoped(clause: Clause) -> Candidate | None:
    """A numeric requirement of no written scope or year, for a person to decide (not “每一节”,
    “下一年度”, “一批”: those state no quantity; in quotation marks only a qualified one,
    “集中研修（不少于3天）”, as “四名两基地” is a name)."""
    text, skip = clause.text, _not_quantities(clause)
    plain = _quantities(text, skip)
    quantities = [
        q
        for q in _quantities(text, skip, quoted=True)
        if not _no_quantity(text, q) and (q in plain or _stated(text, q) != text[q[0].start : q[2]])
    ]
    if not quantities:
        return None
    line = clause.line
    numbers = "、".join(_stated(text, q) for q in quantities)
    item = ReviewItem(line.number, line.location(), "数字要求未写明范围或年份", clause.quote, UNSCOPED, numbers)
    return Candidate(clause, "没有写明范围或年份", item, quantities)


def find_targets(
    lines: list[Line],
    skip: set[int],
    words: dict[str, str],
    period: tuple[int, int],
    quoted: dict[int, list[str]] | None = None,
) -> tuple[list[DraftTarget], list[ReviewItem], list[Candidate]]:
    """Targets from ``lines`` (outside the line numbers in ``skip``); the candidates left out, each
    with the item that lists it for review, and the clauses without a number (candidates without
    an item, for ``proposals`` to look at). ``quoted`` (line → texts quoted there by a table's
    total or shares) are lines drafted elsewhere: no target is drafted from them, and the clauses
    besides those texts are candidates without an item."""
    from .tasks import FIELD_LINE

    targets: list[DraftTarget] = []
    candidates: list[Candidate] = []
    for line in lines:
        text = line.text
        if line.number in skip or not text.strip() or FIELD_LINE.match(text) or "\t" in text:
            continue
        label = bool(_LABEL.match(halfwidth(text)))
        elsewhere = (quoted or {}).get(line.number)
        previous_name = ""
        sentence_at = -1
        for clause in _clauses(line, period, words):
            if clause.sentence != sentence_at:  # a name carries over within one sentence only
                sentence_at, previous_name = clause.sentence, ""
            if elsewhere is not None and any(clause.quote in t or t in clause.quote for t in elsewhere):
                continue
            found = _candidate(clause, label, previous_name)
            if isinstance(found, DraftTarget):
                if elsewhere is None:
                    previous_name = found.name
                    targets.append(found)
                continue
            if found is not None:
                candidates.append(found if elsewhere is None else replace(found, item=None))
    return targets, [c.item for c in candidates if c.item], candidates


def _candidate(clause: Clause, label: bool, previous_name: str) -> DraftTarget | Candidate | None:
    """The clause drafted as a target, or as a candidate (with the item listing it, or without one
    for a clause that states no quantity)."""
    line = clause.line
    if not (clause.written or clause.years or clause.scope_before or clause.sentence_years or label):
        return _unscoped(clause) or Candidate(clause, "", None, [])
    quantities = _quantities(clause.text, _not_quantities(clause))
    if not quantities:
        return Candidate(clause, "", None, [])
    found = _read(clause, quantities, previous_name)
    if isinstance(found, DraftTarget):
        return found
    item = ReviewItem(line.number, line.location(), f"指标句未写入数据：{found}，请核定", clause.quote)
    return Candidate(clause, found, item, quantities)


# long: one reading, each rule with the reason it gives, in the order the module's text states them
def _read(clause: Clause, quantities: list[tuple[Number, str, int]], previous_name: str) -> DraftTarget | str:
    """The clause's target, or why it is not drafted."""
    text, line = clause.text, clause.line
    if len(quantities) > 1:
        return "一个分句中有多个数量，各指什么不明确"
    number, unit, end = quantities[0]
    qualifier, clear = _qualifier(text, number, end, _qualifiers())
    cut = [m.span() for m in _YEAR_WORDS.finditer(halfwidth(text))] + [(number.start, end)]
    if qualifier:
        before = text.rfind(qualifier, 0, number.start)
        q_at = before if before >= 0 else text.find(qualifier, end)
        cut.append((q_at, q_at + len(qualifier)))
    subject = _name(text, cut + [(s, e) for s, e, _ in clause.scopes])  # words besides the scope
    # The scope: written in the clause, or (for a clause without subject words of its own:
    # “2023年达到90%”) the scope of the clause it continues.
    own_scope = clause.written
    if len(own_scope) > 1:
        return f"范围不明确（{'、'.join(sorted(own_scope))}）"
    if own_scope:
        scope = next(iter(own_scope))
        written = next(e for _, e, _ in clause.scopes)
        if _LISTED.match(text[written:]):
            return "范围词后面并列着别的名称（“及”“和”“、”），范围不明确"
    elif not subject and clause.scope_before:
        scope = clause.scope_before
    else:
        return "没有写明范围（如全市、各县市区）"
    # The year: written in the clause, or in an earlier clause of the sentence, or the line's
    # label; a range or a starting year is no single year.
    years = clause.years
    if not clause.years_clear or (not clause.sentence_clear and not years):
        return "年份不明确（年份区间或“起”）"
    if len(years) > 1:
        return "年份不明确（多个年份）"
    if years:
        year: int | None = years[0]
    elif clause.year_before is not None:
        year = clause.year_before
    elif clause.sentence_years:
        return "年份写在后面的分句中，是否适用于本分句不明确"
    elif clause.label_range:
        return "年份是一个区间，不是某一年"
    else:
        year = clause.label_year
    if year is not None and not clause.period[0] <= year <= clause.period[1]:
        return f"年份 {year} 不在计划期内"
    # The number, its counter and qualifier.
    if _RANGE_AFTER.match(halfwidth(text[number.end :])) or _RANGE_BEFORE.search(halfwidth(text[: number.start])):
        return "数量是一个范围"
    if "各" in text[max(0, number.start - 3) : number.start] or "分别" in text:
        return "“各”“分别”：数量是每一项的还是合计的，不明确"
    if not clear:
        return "限定词（至少、以上、左右……）属于哪个数不明确"
    value = number.value
    if unit != "%" and "每年" in text[: number.start]:
        unit += "/年"  # 每年开展一次: once a year
    if (unit == "%" and not 0 <= value <= 100) or (unit != "%" and not isinstance(value, int)):
        return f"数值 {number.text} 不是整数或合理的百分比"
    name = (_name(text, cut) if subject else "") or previous_name or line.title or ""
    if not name:
        return "读不出指标的名称"
    return DraftTarget(
        line.number,
        line.part,
        line.path,
        name,
        value,
        unit,
        scope,
        clause.quote,
        line.location(),
        qualifier,
        year,
        clause.at + number.start,
    )
