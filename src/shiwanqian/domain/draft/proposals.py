"""Proposals: the drafter's best reading of a numeric clause it cannot prove, written as data that
says so (``review: proposed``, with an id and the reason), for a person to accept, change or drop.

``targets`` drafts a number only where the document writes everything (scope, year, one quantity);
the clauses it leaves out come here as candidates. For each quantity in such a clause this step
proposes a target and says, in ``reason``, what it read that the document does not write:

* the scope: the one written in the clause (even when other names follow it), the scope of the
  clause before it, a group word outside the vocabulary read by the kinds of regions it names
  (“各县区” → 每县市区, “每县” → 五县市, “市直学校” → 市直属), else the whole area (``vocabulary.area``, 全市);
* the year: the clause's single year, the year of the clause before it or the line's
  “2016年：” label; none for a range (“2017-2020年”) or a starting year (“2021年起”);
* the value: the number as written, a range as ``min``–``max`` (“2-3个”), and “各1所” after a list
  of k items as k (with ``items``), the way a person counts “高中、初中、小学……各1所”;
* the counter and qualifier as ``targets`` reads them (平米 written as 平方米).

Spans of time that place a clause rather than set a target (“五年内”, “用五年时间”, “两年制”) and
the article 一 beside another quantity (“一间30平米以上房间”) are not proposed; such clauses stay
in 待核.md as before. Nothing here changes a drafted (proven) value: proposals are added beside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..numerals import Number, find_numbers, halfwidth
from .review import PROPOSALS, ReviewItem
from .targets import (
    _RANGE_BEFORE,
    _YEAR_WORDS,
    Candidate,
    Clause,
    _name,
    _qualifier,
    _qualifiers,
    _stated,
)

OUTSIDE = "年份不在计划期内"
UNITS = {"平米": "平方米"}  # counters written colloquially, as the data writes them
_SPAN = re.compile(r"^\s*(?:内|时间|制|规划|期间|以来|来)")  # 五年内, 五年时间, 两年制: time that places a clause
_SPAN_BEFORE = re.compile(r"(?:通过|经过|用|在)\s*$")  # 通过五年的培养
_GROUP = re.compile(r"([各每五])?(县市区|县（市）区|县\(市\)区|县区|县市|县)|(市直属?)")
_EACH = re.compile(r"各\s*$")
_WHOLE_VERB = re.compile(r"完成|覆盖")  # … of all of something: 100%
_WHOLE = re.compile(r"所有|全部|全体|全员|全市")
_WHOLE_NOT = re.compile(r"[的，]")  # 覆盖所有学科的课程资源: all subjects, not all of the programme's people
_LIST_CUT = re.compile(r"(.+?)(?:教师|基地|学校|培训|示范)")  # 小学教师培训基地学校 → 小学


@dataclass
class Proposal:
    """A proposed target: its place in the document (line, column), the data and its listing."""

    line: int
    at: int
    data: dict[str, Any]
    item: ReviewItem


def propose(candidates: dict[str, list[Candidate]], review: list[ReviewItem]) -> dict[str, list[Proposal]]:
    """Proposals for the candidates of each plan; a candidate proposed for leaves ``review`` (its
    proposals are listed instead), one proposed for nothing stays there."""
    from ...load.model import Vocabulary

    vocabulary = Vocabulary()
    result: dict[str, list[Proposal]] = {}
    counts: dict[int, int] = {}  # proposals per line, for their ids
    ordered = sorted(
        ((plan, c) for plan, found in candidates.items() for c in found),
        key=lambda pc: (pc[1].clause.line.number, pc[1].clause.at),
    )
    withdrawn: set[ReviewItem] = set()
    for plan, candidate in ordered:
        made = []
        kept = _kept(candidate)
        readings = [(q[0].start, *_reading(candidate, q, kept, vocabulary)) for q in kept]
        if not candidate.quantities:
            readings = [(0, *_whole(candidate, vocabulary))]
        for start, data, notes in readings:
            if data is None:
                continue
            line = candidate.clause.line.number
            counts[line] = counts.get(line, 0) + 1
            made.append((start, data, notes, f"P{line}-{counts[line]}"))
        if not made:
            continue
        if candidate.item is not None:
            withdrawn.add(candidate.item)
        for start, data, notes, pid in made:
            clause = candidate.clause
            reason = "；".join(dict.fromkeys(n for n in [candidate.why, *notes] if n))
            data.update({"review": "proposed", "proposal": pid, "reason": reason})
            item = ReviewItem(
                clause.line.number,
                clause.line.location(),
                reason,
                data["text"],
                PROPOSALS,
                _shown(data),
                pid,
            )
            result.setdefault(plan, []).append(Proposal(clause.line.number, clause.at + start, data, item))
    review[:] = [item for item in review if item not in withdrawn]  # listed as proposals instead
    review.extend(p.item for found in result.values() for p in found)
    return result


def _kept(candidate: Candidate) -> list[tuple[Number, str, int]]:
    """The clause's quantities that may be targets: not a span of time that places the clause,
    not the article 一 beside another quantity."""
    text = candidate.clause.text
    kept = [q for q in candidate.quantities if not (q[1] == "年" and _placing(text, q))]
    if len(kept) > 1:
        kept = [q for q in kept if not (q[0].value == 1 and q[0].script == "chinese" and q[1] != "%")] or kept
    return kept


def _placing(text: str, quantity: tuple[Number, str, int]) -> bool:
    """A span of years that places the clause (“五年内”, “用五年时间”, “通过五年的培养”), no target."""
    number, _, end = quantity
    return bool(_SPAN.match(text[end:]) or _SPAN_BEFORE.search(text[: number.start]))


def _reading(
    candidate: Candidate, quantity: tuple[Number, str, int], kept: list[tuple[Number, str, int]], vocabulary: Any
) -> tuple[dict[str, Any] | None, list[str]]:
    """The target a person would most likely write for ``quantity`` (one of the clause's ``kept``
    quantities), and what was read into it."""
    clause, (number, counter, _) = candidate.clause, quantity
    text = clause.text
    if (counter == "%" and not 0 <= number.value <= 100) or (counter != "%" and not isinstance(number.value, int)):
        return None, []
    notes: list[str] = []
    quote = _quote(text, quantity, kept)
    at = text.find(quote)  # the quote is the clause, or its part about this quantity
    cut = [m.span() for m in _YEAR_WORDS.finditer(halfwidth(text))] + [(q[0].start, q[2]) for q in kept]
    cut += [(s, e) for s, e, _ in clause.scopes] + _qualifier_spans(text, kept)
    low = _range_start(text, number)
    if low is not None:
        cut.append((low.start, number.start))
    each = _EACH.search(text[: number.start])
    if each:
        cut.append((each.start(), number.start))
    inside = [(max(s, at) - at, min(e, at + len(quote)) - at) for s, e in cut if s < at + len(quote) and at < e]
    data: dict[str, Any] = {"name": _name(quote, inside) or clause.line.title or _stated(text, quantity)}
    data.update(_amount(clause, quantity, kept, notes))
    scope, note = _scope(clause, vocabulary)
    year, year_note = _year(clause)
    if year_note == OUTSIDE:
        return None, []  # the document's own year, outside the programme: not for this programme
    data["scope"] = scope
    if year is not None:
        data["year"] = year
    notes += [n for n in (note, year_note) if n]
    if "items" in data:
        data["items"] = data.pop("items")  # after the scope and year, as people write it
    data["text"] = quote
    data["source"] = clause.line.location()
    return data, notes


def _whole(candidate: Candidate, vocabulary: Any) -> tuple[dict[str, Any] | None, list[str]]:
    """A clause that completes or covers all of something (“2017年完成全市所有教师全员培训”,
    “覆盖全市教师”) read as 100%: the number is the reader's, so ``derived`` says how it follows."""
    clause = candidate.clause
    text = clause.text
    verb, whole = _WHOLE_VERB.search(text), _WHOLE.search(text)
    if not verb or not whole or whole.start() < verb.start() or _WHOLE_NOT.search(text[verb.end() : whole.start()]):
        return None, []
    cut = [m.span() for m in _YEAR_WORDS.finditer(halfwidth(text))] + [(s, e) for s, e, _ in clause.scopes]
    data: dict[str, Any] = {"name": _name(text, cut) or clause.line.title or clause.quote, "value": 100}
    if "基本" in text[: verb.end()]:
        data["qualifier"] = "基本"
    data["unit"] = "%"
    derived = f"“{clause.quote}”：{verb.group(0)}{whole.group(0)}……，读作 100%"
    notes = ["原文没有写出数字：“" + verb.group(0) + "……" + whole.group(0) + "”读作 100%（derived）"]
    scope, note = _scope(clause, vocabulary)
    year, year_note = _year(clause)
    if year_note == OUTSIDE:
        return None, []  # the document's own year, outside the programme: not for this programme
    data["scope"] = scope
    if year is not None:
        data["year"] = year
    notes += [n for n in (note, year_note) if n]
    data.update({"derived": derived, "text": clause.quote, "source": clause.line.location()})
    return data, notes


def _amount(
    clause: Clause, quantity: tuple[Number, str, int], kept: list[tuple[Number, str, int]], notes: list[str]
) -> dict[str, Any]:
    """Value (or min and max, or a count of listed items), qualifier and unit of ``quantity``."""
    text, (number, counter, end) = clause.text, quantity
    data: dict[str, Any] = {}
    low = _range_start(text, number)
    items = _listed(text, number, clause) if low is None else []
    unit = UNITS.get(counter, counter)
    if unit != counter:
        notes.append(f"“{counter}”记作“{unit}”")
    if unit != "%" and "每年" in text[: number.start]:
        unit += "/年"  # 每年开展一次: once a year
    if low is not None:
        data["min"], data["max"] = low.value, number.value
        notes.append(f"“{text[low.start : end]}”是一个范围，记为 min {low.value}、max {number.value}")
    elif items:
        data["value"] = len(items) * number.value
        notes.append(f"“各{number.text}{counter}”前列出 {len(items)} 项，读作共 {data['value']}{unit}（items）")
        data["items"] = items
    else:
        data["value"] = number.value
    qualifier, clear = _qualifier(text, number, end, _qualifiers())
    if not clear and qualifier is None and len(kept) == 1:
        written = [q for q in _qualifiers() if q in text]
        if len(written) == 1:  # the clause's one qualifier, and its one quantity: 每县至少分享一次
            qualifier = written[0]
            notes.append(f"限定词“{qualifier}”没有紧挨着数字，暂归于{_stated(text, quantity)}")
    if qualifier:
        data["qualifier"] = qualifier
    data["unit"] = unit
    return data


def _qualifier_spans(text: str, kept: list[tuple[Number, str, int]]) -> list[tuple[int, int]]:
    """Where the qualifiers written right before or after the kept quantities are (not the name)."""
    spans = []
    for number, _, end in kept:
        for q in _qualifiers():
            before = text.rfind(q, 0, number.start)
            if before >= 0 and not text[before + len(q) : number.start].strip(" 达到为"):
                spans.append((before, number.start))
            if text.startswith(q, end):
                spans.append((end, end + len(q)))
    return spans


def _quote(text: str, quantity: tuple[Number, str, int], kept: list[tuple[Number, str, int]]) -> str:
    """The clause, or for one of several quantities listed with “、” its own part
    (“建立5个名校网络课堂、10个名师课堂” → “建立5个名校网络课堂”, “10个名师课堂”)."""
    if len(kept) > 1:
        parts, start = [], 0
        for part in text.split("、"):
            parts.append((start, part, [q for q in kept if start <= q[0].start < start + len(part)]))
            start += len(part) + 1
        if all(len(inside) == 1 for _, _, inside in parts):  # each part one quantity: a list of them
            return next(part.strip() for _, part, inside in parts if inside == [quantity])
    return text.strip()


def _range_start(text: str, number: Number) -> Number | None:
    """The first number of a range that ends with ``number`` (“2-3个” → 2)."""
    before = halfwidth(text[: number.start])
    if not _RANGE_BEFORE.search(before):
        return None
    found = [n for n in find_numbers(text[: number.start]) if n.stated]
    return found[-1] if found else None


def _listed(text: str, number: Number, clause: Clause) -> list[str]:
    """The items listed before “各N” (“市级高中、初中、小学教师培训基地学校各1所” → 高中、初中、小学)."""
    if not _EACH.search(text[: number.start]):
        return []
    start = max((e for s, e, _ in clause.scopes if e <= number.start), default=0)
    head = text[start : _EACH.search(text[: number.start]).start()]  # type: ignore[union-attr]
    parts = [p.strip() for p in re.split(r"[、和及与]", head) if p.strip()]
    if len(parts) < 2:
        return []
    parts[0] = parts[0].rsplit("级", 1)[-1] or parts[0]  # 县区级初中 → 初中
    parts[0] = re.sub(r"^(?:分别)?(?:建立|建设|建成|设立|选取|遴选|培养)", "", parts[0]) or parts[0]
    cut = _LIST_CUT.match(parts[-1])
    if cut:
        parts[-1] = cut.group(1)
    return parts if all(p in text for p in parts) else []


def _scope(clause: Clause, vocabulary: Any) -> tuple[str, str | None]:
    """The scope a person would read, and how it was read when the clause does not write one."""
    text, written = clause.text, [scope for _, _, scope in clause.scopes]
    if written:
        first_end = clause.scopes[0][1]
        joined = re.match(r"^[\u4e00-\u9fff（）()]{0,3}?[及和与、]", text[first_end:])
        if joined and _group(text[first_end + joined.end() :], vocabulary, anywhere=False):
            # 市直属单位及五县（市）五区: several groups named together, the programme's regions
            named = text[clause.scopes[0][0] : first_end + joined.end()]
            return vocabulary.area, f"“{named}……”是几个范围的合称，暂拟为“{vocabulary.area}”"
        if len(set(written)) > 1:
            return written[0], f"范围暂取分句中的第一个（{'、'.join(dict.fromkeys(written))}）"
        return written[0], None
    found = _group(text, vocabulary, anywhere=True)
    if found:
        return found[1], f"“{found[0]}”读作范围“{found[1]}”"
    own = re.search(r"([\u4e00-\u9fff])本级", text)  # 市本级 → 市级
    if own and vocabulary.scope(own.group(1) + "级") is not None:
        return own.group(1) + "级", f"“{own.group(0)}”读作范围“{own.group(1)}级”"
    if clause.scope_before:
        return clause.scope_before, f"范围取前一分句的“{clause.scope_before}”"
    return vocabulary.area, f"没有写明范围，暂拟为“{vocabulary.area}”"


def _group(text: str, vocabulary: Any, *, anywhere: bool) -> tuple[str, str] | None:
    """(word, scope) for a word that names a group of regions by their kinds without being in the
    vocabulary (“各县区”, “每县”, “县市区” at the start): the scope of exactly those kinds."""
    group = _GROUP.search(text) if anywhere else _GROUP.match(text)
    if not group or not (group.group(1) or group.group(3) or not text[: group.start()].strip()):
        return None  # 县 alone inside a clause may be part of a name; 各县, 县市区… at its start, 市直 anywhere
    kinds = {k for k in vocabulary.region_kinds if k[:1] in (group.group(2) or group.group(3))}
    same = [s.name for s in vocabulary.scopes if not s.every and kinds and set(s.kinds) == kinds]
    return (group.group(0), same[0]) if len(same) == 1 else None


def _year(clause: Clause) -> tuple[int | None, str | None]:
    """The single year the clause falls in, if the document gives one, and a note when it is read
    from around the clause or left out."""
    first, last = clause.period
    if not clause.years_clear or (not clause.sentence_clear and not clause.years):
        return None, "年份是区间或“起”，未写年份"
    if len(clause.years) > 1:
        return None, "分句中有多个年份，未写年份"
    year = clause.years[0] if clause.years else clause.year_before
    if year is None and not clause.label_range:
        year = clause.label_year
    if year is not None and not first <= year <= last:
        return None, OUTSIDE
    if year is None and clause.label_range:
        return None, "行首的年份是一个区间，未写年份"
    return year, None


def _shown(data: dict[str, Any]) -> str:
    """The proposal's reading in a few words: 不少于300册，全市，2016年."""
    number = f"{data['value']}{data['unit']}" if "value" in data else f"{data['min']}-{data['max']}{data['unit']}"
    qualifier = data.get("qualifier")
    if qualifier in ("至少", "不少于"):
        number = qualifier + number
    elif qualifier:
        number += qualifier
    year = f"，{data['year']}年" if "year" in data else ""
    return f"{number}，{data['scope']}{year}"


def ready(proposals: dict[str, list[Proposal]]) -> dict[str, list[tuple[tuple[int, int], dict[str, Any]]]]:
    """Proposals as (place, data) by plan, to be placed with the drafted targets."""
    return {plan: [((p.line, p.at), p.data) for p in found] for plan, found in proposals.items()}
