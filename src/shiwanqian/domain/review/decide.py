"""A person's decision on a proposal or a 待核 item, as the edits that write it.

* accept: ``review: accepted`` and ``reviewed: {by, date}`` (the proposal as it stands is now the
  person's word);
* change: the fields set (or removed) as given, ``review: changed`` and ``reviewed`` with ``was``,
  what the proposal said in those fields;
* drop: the target removed, a comment in its place saying which proposal, who and when;
* done (a 待核 item): its entry in 待核.md ticked (``- [x] …``) with who and when.

A proposal's entry in 待核.md is ticked the same way, so the file stays a true account. Every
function here is pure: text in, text out; ``load.edit`` makes the YAML edits in place.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from ...load.yamledit import Change, Delete, Set
from .items import Item

Verdict = Literal["accept", "change", "drop", "done"]
VERDICT_WORDS = {"accept": "已接受", "change": "已修改", "drop": "已删除", "done": "已处理"}
REMOVE = object()  # a field set to nothing: the key is removed

# The fields a person may change, with how a value typed on the command line is read.
NUMBER, WHOLE, WORDS, TEXT = "number", "whole", "words", "text"
FIELDS: dict[str, str] = {
    "name": TEXT,
    "value": NUMBER,
    "min": WHOLE,
    "max": WHOLE,
    "qualifier": TEXT,
    "unit": TEXT,
    "scope": TEXT,
    "year": WHOLE,
    "level": TEXT,
    "items": WORDS,
    "derived": TEXT,
    "claim": TEXT,
    "note": TEXT,
}
FIELD_NAMES = {
    "name": "名称",
    "value": "数值",
    "min": "下限",
    "max": "上限",
    "qualifier": "限定词",
    "unit": "单位",
    "scope": "范围",
    "year": "年份",
    "level": "学段",
    "items": "列出的项",
    "derived": "推得方式",
    "claim": "说法",
    "note": "备注",
}


# The order of a target's keys as the data files write them: a field added by a change goes
# where a person would have written it (year after scope), not at the end.
ORDER = ("key", "name", "value", "min", "max", "qualifier", "unit", "claim", "derived", "scope", "year", "level",
         "series", "cumulative", "items", "text", "source", "note")  # fmt: skip


class DecisionError(ValueError):
    """A decision that cannot be written as given (unknown field, bad value …), in Chinese."""


@dataclass(frozen=True)
class Decision:
    id: str
    verdict: Verdict
    by: str
    date: datetime.date
    fields: dict[str, Any] = field(default_factory=dict)  # for a change: field → value or REMOVE
    note: str | None = None


def parse_field(name: str, text: str) -> Any:
    """A field's value as typed (``scope=各区域``, ``year=2020``, ``items=高中、初中``); empty or
    ``-`` removes the field."""
    if name not in FIELDS:
        raise DecisionError(f"不能修改的字段“{name}”；可修改：{'、'.join(FIELDS)}")
    text = text.strip()
    if text in ("", "-"):
        return REMOVE
    refuse_control(f"{FIELD_NAMES[name]}（{name}）", text)
    kind = FIELDS[name]
    if kind in (NUMBER, WHOLE):
        try:
            number = float(text) if kind == NUMBER and "." in text else int(text)
        except ValueError:
            raise DecisionError(
                f"{FIELD_NAMES[name]}（{name}）应是{'数' if kind == NUMBER else '整数'}：{text}"
            ) from None
        if number < 0:
            raise DecisionError(f"{FIELD_NAMES[name]}（{name}）不能是负数：{text}")
        return number
    if kind == WORDS:
        return [w.strip() for w in re.split(r"[、,，;；]", text) if w.strip()]
    return text


def refuse_control(what: str, text: str) -> None:
    """A control character (an Esc typed by mistake, a pasted tab) is never written into the data:
    ``check`` would refuse the file."""
    from ...safetext import describe, find_control

    at = find_control(text)
    if at is not None:
        raise DecisionError(f"{what}含有控制字符 {describe(text[at])}，请重新输入")


def target_changes(target: dict[str, Any], index: int, decision: Decision) -> list[Change]:
    """The YAML edits that write ``decision`` on the proposal ``target`` (as its file's data has
    it), at index ``index`` of the file's ``targets``."""
    at = ("targets", index)
    if decision.verdict == "drop":
        return [Delete(at, [dropped_comment(target, decision)])]
    if decision.verdict not in ("accept", "change"):
        raise DecisionError(f"建议只能接受、修改或删除：{decision.id}")
    reviewed: dict[str, Any] = {"by": decision.by, "date": decision.date}
    if decision.note:
        reviewed["note"] = decision.note
    changes: list[Change] = []
    if decision.verdict == "change":
        was = {}
        for name, value in decision.fields.items():
            old = target.get(name)
            if (value is REMOVE and old is None) or value == old:
                continue
            was[name] = old
            before = ORDER[: ORDER.index(name)] if name in ORDER else ()
            changes.append(Delete((*at, name)) if value is REMOVE else Set((*at, name), value, before))
        if not was:
            raise DecisionError(f"{decision.id}：给出的值与建议相同，没有修改；要原样接受请用接受")
        reviewed["was"] = was
    changes.append(Set((*at, "review"), "accepted" if decision.verdict == "accept" else "changed"))
    changes.append(Set((*at, "reviewed"), reviewed))
    return changes


def changed(target: dict[str, Any], decision: Decision) -> dict[str, Any]:
    """The target as ``decision`` leaves it (to validate before anything is written)."""
    result = dict(target)
    for name, value in decision.fields.items() if decision.verdict == "change" else ():
        if value is REMOVE:
            result.pop(name, None)
        else:
            result[name] = value
    result["review"] = "accepted" if decision.verdict == "accept" else "changed"
    result["reviewed"] = {"by": decision.by, "date": decision.date}
    return result


def dropped_comment(target: dict[str, Any], decision: Decision) -> str:
    """The comment left where a dropped proposal was: which, who, when, what it said."""
    why = f"；{decision.note}" if decision.note else ""
    return _one_line(
        f"已删除的建议 {decision.id}（{decision.by}，{decision.date.isoformat()}{why}）：“{target.get('text', '')}”"
    )


def _one_line(text: str) -> str:
    return re.sub(r"[\r\n\t\x00-\x1f\x7f]+", " ", text)


def tick(text: str, item: str, verdict: Verdict, by: str, date: datetime.date, now: str = "") -> str:
    """待核.md with the entry of ``item`` (a proposal's id or a 待核 item's) marked as decided (a
    changed proposal with what it ``now`` reads); the text unchanged when it lists no such entry
    or it is marked already."""
    from .items import listed

    entry = next((i for i in listed(text) if i.id == item), None)
    if entry is None or entry.done or entry.position is None:
        return text
    lines = text.split("\n")
    n = entry.position[0] - 1
    words = VERDICT_WORDS[verdict] + (f"为 {_one_line(now)}" if now else "")
    lines[n] = f"- [x] {lines[n][2:]}（{words}：{_one_line(by)}，{date.isoformat()}）"
    return "\n".join(lines)


def validate(target: dict[str, Any], scopes: set[str], qualifiers: set[str], period: tuple[int, int]) -> list[str]:
    """What is wrong with a target a decision would write (nothing: empty): the model's own rules,
    and scope, qualifier, year and a percentage's range as ``check`` has them, in Chinese."""
    from pydantic import ValidationError

    from ...load.loader import schema_message
    from ...load.model import Target

    problems = []
    seen = set()
    try:
        Target.model_validate(target)
    except ValidationError as error:
        for e in error.errors(include_url=False):
            name = str(e["loc"][0]) if e["loc"] else ""
            if name in seen:
                continue  # a value of several types (a count or a percentage) fails once for each
            seen.add(name)
            label = f"{FIELD_NAMES[name]}（{name}）" if name in FIELD_NAMES else name
            if e["type"] == "missing":
                problems.append(f"{label}不能去掉：每条指标都要写明")
            else:
                problems.append(f"{label + '：' if label else ''}{schema_message(e)}")
    if "scope" in target and target["scope"] not in scopes:
        problems.append(f"范围“{target['scope']}”不是词表中的范围或区域名（可用：{'、'.join(sorted(scopes))}）")
    if target.get("qualifier") is not None and target["qualifier"] not in qualifiers:
        problems.append(f"限定词“{target['qualifier']}”不在词表中（可用：{'、'.join(sorted(qualifiers))}）")
    year = target.get("year")
    if isinstance(year, int) and not period[0] <= year <= period[1]:
        problems.append(f"年份 {year} 不在计划期 {period[0]}–{period[1]} 内")
    if target.get("unit") == "%":
        for name in ("value", "min", "max"):
            number = target.get(name)
            if name not in seen and isinstance(number, (int, float)) and not 0 <= number <= 100:
                problems.append(f"{FIELD_NAMES[name]}（{name}）：百分比必须在 0 到 100 之间：{number}")
    return problems


def remaining_words(proposals: list[Item], items: list[Item]) -> str:
    """How much is left, in words: 尚余 3 条建议、2 项待核."""
    if not proposals and not items:
        return "没有待核的建议或事项了"
    return f"尚余 {len(proposals)} 条建议、{len(items)} 项待核"
