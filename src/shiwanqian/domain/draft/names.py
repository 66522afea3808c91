"""Words the drafter infers from names, each marked for review: a region's kind (from its
suffix), a unit's level (from its name), the main-text section and kind of each annex's plan,
the default vocabulary, and the counts the main text states (“十项支持计划”)."""

from __future__ import annotations

import difflib
import re
from typing import Any

from .outline import Annex, Line, Outline
from .review import ReviewItem


def default_words(name: str) -> tuple[str, ...]:
    """The default words of an open vocabulary (programme.yaml may declare others)."""
    from ...load import model

    defaults = {
        "PlanKind": model.DEFAULT_PLAN_KINDS,
        "TaskKind": model.DEFAULT_TASK_KINDS,
        "RegionKind": model.DEFAULT_REGION_KINDS,
        "Qualifier": model.DEFAULT_QUALIFIERS,
        "Recurrence": model.DEFAULT_RECURRENCES,
    }
    return tuple(defaults[name])


def region_kind(name: str) -> str | None:
    if "直属" in name or name.startswith("市直"):
        return "直属"
    if name.endswith("区"):
        return "区"
    if name.endswith(("县", "市", "旗")):
        return "县市"
    return None


def unit_level(name: str) -> tuple[str, bool]:
    """(level, read from the name) for a responsible unit."""
    if name.startswith(("各级", "市县区", "市县两级", "市、县", "市县")):
        return "各级", True
    if name.startswith(("县市区", "县区", "各县", "相关县", "县（市）区", "区县", "各区县")):
        return "县市区", True
    if name.endswith(("学校", "校", "幼儿园", "园", "基地", "工作室", "工作站")) or "学校" in name:
        return "学校", True
    if name.startswith(("市", "“")):
        return "市", True
    return "各级", False


def match_main(annex: Annex, outline: Outline) -> tuple[str | None, str | None]:
    """(kind, main_section) from the main-text heading that names this annex's plan."""
    kinds = default_words("PlanKind")
    best, best_ratio = None, 0.0
    for line in outline.main:
        if line.heading is None or line.heading < 2 or not line.title:
            continue
        a, b = _plain(line.title), _plain(annex.title)
        ratio = 1.0 if a and b and (a in b or b in a) else difflib.SequenceMatcher(None, a, b).ratio()
        if ratio > best_ratio:
            best, best_ratio = line, ratio
    kind = section = None
    if best is not None and best_ratio >= 0.6:
        section = best.location()
        parent = next((line for line in outline.main if line.heading == 1 and line.path == best.path[:1]), None)
        if parent is not None:
            kind = next((k for k in kinds if k in parent.title), None)
    if kind is None:
        kind = next((k for k in kinds if _subsequence(k, annex.title)), None)
    return kind, section


def _plain(text: str) -> str:
    return re.sub(r"[“”\"'《》（）()·\s]|计划|方案|建设|办法", "", text)


def _subsequence(needle: str, text: str) -> bool:
    position = 0
    for char in needle:
        position = text.find(char, position) + 1
        if position == 0:
            return False
    return True


COUNT = r"([一二两三四五六七八九十百千\d]+)\s*个"


def stated_counts(
    outline: Outline, levels: list[str], regions: list[dict[str, Any]], plans: list[tuple[str, dict[str, Any]]]
) -> tuple[list[dict[str, Any]], list[ReviewItem]]:
    """Counts the main text states (十个…支持计划, 四个学段, 7个区域), kept when the draft lists as many.

    ``check`` then holds the data to them. A count that does not match what was drafted is left
    out and listed: either the drafter missed something or the document contradicts itself."""
    from ..numerals import read_number

    found: list[tuple[str, str, str, Line]] = []  # what, the number as written, quote, line
    kinds = default_words("PlanKind")
    for line in outline.main:
        text = line.stripped
        for kind in kinds:
            for match in re.finditer(COUNT + r"[^，。；、\d]{0,8}?" + re.escape(kind), text):
                found.append((f"plans:{kind}", match.group(1), match.group(0), line))
        if levels and len(levels) > 1:
            names = "|".join(re.escape(level) for level in levels)
            for match in re.finditer(
                rf"(?:(?:{names})[、，和及与]){{{len(levels) - 1}}}(?:{names})等?" + COUNT + r"(?:学段|层面|类别|层次)",
                text,
            ):
                found.append(("levels", match.group(1), match.group(0), line))
        for match in re.finditer(r"共\s*" + COUNT + r"区域", text):
            found.append(("regions", match.group(1), match.group(0), line))
    actual = {"levels": len(levels), "regions": len(regions)}
    for kind in kinds:
        actual[f"plans:{kind}"] = sum(1 for _, plan in plans if plan["kind"] == kind)
    counts, review, seen = [], [], set()
    for what, word, quote, line in found:
        value = read_number(word)
        if value is None or what in seen:
            continue
        seen.add(what)
        if value != actual[what]:
            review.append(
                ReviewItem(
                    line.number,
                    line.location(),
                    f"原文说有 {value} 个，起草出 {actual[what]} 个（{what}），此数未写入 programme.yaml 的 counts",
                    quote,
                )
            )
            continue
        counts.append({"what": what, "value": int(value), "text": quote, "source": line.location()})
    return counts, review


def units_of(first_seen: dict[str, tuple[int, str]], review: list[ReviewItem]) -> list[dict[str, Any]]:
    """Every responsible unit, its level guessed from its name and marked for review."""
    units: list[dict[str, Any]] = []
    inferred: list[str] = []
    for name, (line_number, where) in first_seen.items():
        level, sure = unit_level(name)
        note = "级别由名称推断（draft），请核定" if sure else "名称中看不出级别，暂记为“各级”（draft），请核定"
        units.append({"name": name, "level": level, "note": note})
        if sure:
            inferred.append(f"{name}→{level}")
        else:
            review.append(
                ReviewItem(line_number, where, f"责任单位“{name}”的名称中看不出级别，暂记为“{level}”，请核定")
            )
    if inferred:
        line_number, where = next(iter(first_seen.values()))
        review.append(
            ReviewItem(
                line_number,
                "units.yaml",
                f"以下 {len(inferred)} 个责任单位的级别由名称推断，请核定：{'；'.join(inferred)}",
            )
        )
    return units
