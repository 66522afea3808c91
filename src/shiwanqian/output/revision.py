"""``shiwanqian diff`` as people read it: a list by section that fits 80 columns (each change with
both sides' file:line, citation and quotation), Markdown for a pull-request comment, and the
flat records for JSON and CSV (``Change.record``: the same keys for every kind)."""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

from .. import safetext
from ..domain.revision.changes import RECORD_KEYS, Change

SECTIONS = {
    "programme": "工程",
    "count": "原文所述数量",
    "region": "区域",
    "unit": "责任单位",
    "disagreement": "已登记的原文矛盾",
    "plan": "计划",
    "aim": "计划的目标",
    "task": "任务",
    "quota": "名额表",
    "total": "名额表总数",
    "row": "各区域的行（合计、引文）",
    "cell": "名额（区域 × 学段）",
    "schedule_year": "年度安排：各年合计",
    "schedule_group": "年度安排：各组",
    "schedule": "年度安排：各区域",
    "shares": "年度比例：引文",
    "share": "年度比例",
    "rate": "单价与标准",
    "target": "其他指标",
    "document": "原文（source.txt）",
    "allocation": "下游：年度分配（受控取整）",
    "budget": "下游：经费与学分（各区域，各年合计）",
    "unit_task": "下游：各单位的任务",
    "finding": "下游：检查结果",
}
CHANGES = {"added": "新增", "removed": "删除", "changed": "改动"}
FIELDS = {
    "value": "数值",
    "total": "合计",
    "total_text": "合计引文",
    "text": "引文",
    "source": "出处",
    "when": "实施时间",
    "timing.years": "年份",
    "timing.months": "月份",
    "timing.half": "上下半年",
    "timing.deadline_month": "截止月",
    "timing.season": "年中年末",
    "timing.recurrence": "重复",
    "timing.per_year": "每年次数",
    "timing.note": "实施时间说明",
    "requirement": "工作要求",
    "units": "责任单位",
    "units_source": "责任单位出处",
    "regions": "区域",
    "name": "名称",
    "title": "标题",
    "qualifier": "限定词",
    "unit": "单位",
    "scope": "范围",
    "year": "年份",
    "level": "学段",
    "kind": "类别",
    "id": "编号",
    "plan": "所属计划",
    "includes": "包含的单位",
    "aliases": "别名",
    "short": "简称",
    "pinyin": "拼音",
    "claim": "说法",
    "items": "列举",
    "share": "承担方式",
    "note": "说明",
    "derived": "推算说明",
    "by_level": "按学段",
    "annex": "附件",
    "main_section": "正文章节",
    "order": "顺序",
    "period.start": "计划期起",
    "period.end": "计划期止",
    "short_name": "简称",
    "issuer": "发文单位",
    "document": "文号",
    "source_text": "原文文件",
    "levels": "学段",
    "later_names": "后来的名称",
    "min": "下限",
    "max": "上限",
    "series": "序列",
    "cumulative": "累计",
    "key": "陈述键",
    "what": "计数对象",
    "reason": "理由",
    "sides": "双方",
    "findings": "对应的检查结果",
}


def value_text(value: Any) -> str:
    if value is None:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (list, tuple)):
        return "、".join(value_text(v) if not isinstance(v, str) else v for v in value) or "（空）"
    if isinstance(value, dict):
        return safetext.json_dumps(value)
    return str(value)


def subject(change: Change) -> str:
    """What changed, in words: 千名优秀骨干教师 · 攸县 · 高中."""
    labels = change.labels
    parts: list[str] = []
    kind = change.kind
    if kind == "budget":
        return f"{labels.get('region')} · {labels.get('name')}"
    if kind in ("task", "unit_task"):
        if kind == "unit_task":
            parts.append(str(labels.get("unit")))
        parts.append(f"{labels.get('plan')} {labels.get('item')} {labels.get('name') or ''}".strip())
    elif kind in ("region", "unit"):
        parts.append(str(labels.get("name")))
    else:
        if labels.get("name"):
            parts.append(str(labels["name"]))
        for label in ("region", "level"):
            if labels.get(label):
                parts.append(str(labels[label]))
        if labels.get("year") is not None and kind != "target":
            parts.append(f"{labels['year']}年")
        if kind == "target" and labels.get("scope"):
            parts.append(str(labels["scope"]))
        if kind == "target" and labels.get("year") is not None:
            parts.append(f"{labels['year']}年")
        if kind == "aim" and labels.get("cite"):
            parts.append(str(labels["cite"]))
    if change.field and change.field != "value" and kind not in ("budget", "unit_task"):
        parts.append(FIELDS.get(change.field, change.field))
    return " · ".join(parts)


LONG = 24  # a text value wider than this (in cells) is shown whole under each side, not inline


def rewritten(change: Change) -> bool:
    """A change of running text (a quotation, a requirement, the document's lines): shown as
    each side's text in full rather than ``old → new`` on one line."""
    from rich.cells import cell_len

    if change.kind == "finding":
        return False
    values = (change.old, change.new)
    return any(isinstance(v, str) and ("\n" in v or cell_len(v) > LONG) for v in values)


def heading(change: Change) -> str:
    """The first line of a change in the list: what, then how."""
    if change.kind == "finding":
        return what(change)
    if rewritten(change):
        return f"{subject(change)}：{'改写' if change.change == 'changed' else CHANGES[change.change]}"
    return f"{subject(change)}：{what(change)}"


def side_text(change: Change, side: str, limit: int | None = 60) -> str | None:
    """What to quote under one side: its whole text where the change rewrote text, else the
    quotation of the document it cites (shortened to ``limit`` cells)."""
    place = change.old_at if side == "old" else change.new_at
    value = change.old if side == "old" else change.new
    if rewritten(change) and isinstance(value, str):
        return value
    if place is None or not place.quote:
        return None
    return _short(place.quote, limit) if limit else place.quote


def _delta(change: Change) -> str:
    if isinstance(change.old, int) and isinstance(change.new, int) and not isinstance(change.old, bool):
        d = change.new - change.old
        return f"（{'+' if d > 0 else '−'}{abs(d):,}）" if d else ""
    return ""


def what(change: Change) -> str:
    """The change in one phrase: ``30 → 20（−10）``, or the value added or removed."""
    if change.kind == "finding":
        return value_text(change.new if change.change == "added" else change.old)
    if change.change == "added":
        return value_text(change.new)
    if change.change == "removed":
        return value_text(change.old)
    return f"{value_text(change.old)} → {value_text(change.new)}{_delta(change)}"


def summary(changes: Sequence[Change], old: str, new: str) -> str:
    data = [c for c in changes if c.layer == "data"]
    kinds = Counter(c.kind for c in changes if c.layer == "effect")
    moved = {c.labels.get("region") for c in changes if c.kind == "allocation"}
    budget = {c.labels.get("region") for c in changes if c.kind == "budget"}
    findings = Counter(c.change for c in changes if c.kind == "finding")
    tasks = Counter(c.change for c in changes if c.kind == "unit_task")
    effects = [
        f"年度分配 {kinds['allocation']} 格（{len(moved)} 个区域）",
        f"经费 {len(budget)} 个区域",
        f"单位任务 +{tasks['added']} −{tasks['removed']} ~{tasks['changed']}",
        f"检查结果 +{findings['added']} −{findings['removed']} ~{findings['changed']}",
    ]
    return f"{old} → {new}：数据 {len(data)} 处变化；下游：{'，'.join(effects)}"


# ------------------------------------------------------------------ the list (80 columns)


def _lines(text: str, width: int, first: str, rest: str) -> list[str]:
    """``text`` broken to ``width`` cells the Chinese way (no line begins with ，。）, none breaks
    “涉及 9 个区域” after the number), its first line after ``first``, the others after ``rest``."""
    from rich.cells import cell_len

    from .linebreak import divide_line

    text = safetext.inert(text).replace("\t", "    ")
    room = max(10, width - max(cell_len(first), cell_len(rest)))
    out: list[str] = []
    for paragraph in text.split("\n") or [""]:
        bounds = [0, *divide_line(paragraph, room, fold=True), len(paragraph)]
        pieces = [paragraph[a:b].rstrip() for a, b in itertools.pairwise(bounds) if b > a] or [""]
        for piece in pieces:
            out.append((first if not out else rest) + piece)
    return out


def _summary_lines(text: str, width: int) -> list[str]:
    """The summary broken after its commas and semicolons, so that no count is parted from what
    it counts (“经费 11 个区域” stays on one line); a part wider than a line is broken as text."""
    import re

    from rich.cells import cell_len

    lines: list[str] = []
    for part in re.split(r"(?<=[，；])", text):
        room = width - (2 if lines else 0)
        if lines and cell_len(lines[-1].rstrip() + part) <= room:
            lines[-1] += part
        else:
            lines.append(part)
    out: list[str] = []
    for line in lines:
        out += _lines(line, width, "  " if out else "", "  ")
    return out


def _short(text: str | None, limit: int = 60) -> str:
    from rich.cells import cell_len, set_cell_size

    text = (text or "").replace("\n", " ")
    return text if cell_len(text) <= limit else set_cell_size(text, limit - 1).rstrip() + "…"


def _where(place: Any) -> str:
    where = f"{place.file}:{place.line}:{place.column}"
    return f"{where} · {place.source}" if place.source else where


MAX_QUOTE_LINES = 8


def table_text(changes: Sequence[Change], old: str, new: str, width: int) -> str:
    if not changes:
        return ""
    out = _summary_lines(summary(changes, old, new), width)
    section = None
    last: dict[str, tuple[Any, ...]] = {}
    for change in changes:
        if change.kind != section:
            section = change.kind
            out += ["", SECTIONS.get(section, section)]
            last = {}
            if section in ("allocation", "budget"):
                regions = list(dict.fromkeys(c.labels.get("region") for c in changes if c.kind == section))
                out += _lines(f"涉及 {len(regions)} 个区域：{'、'.join(map(str, regions))}", width, "  ", "  ")
        out += _lines(heading(change), width, f"  {CHANGES[change.change]}  ", " " * 8)
        for mark, side, place in (("旧", "old", change.old_at), ("新", "new", change.new_at)):
            if place is None:
                continue
            out += _lines(_where(place), width, f"        {mark} ", " " * 10)
            quoted = side_text(change, side)
            seen = (place.file, place.line, quoted)
            if quoted and last.get(side) == seen:
                quoted = None  # the same quotation as the change above: not repeated
            last[side] = seen
            if quoted:
                lines = _lines(f"“{quoted}”", width, " " * 10, " " * 11)
                if len(lines) > MAX_QUOTE_LINES:
                    lines = [*lines[: MAX_QUOTE_LINES - 1], f"{' ' * 11}……（共 {len(lines)} 行，全文见 --format json）"]
                out += lines
    return "".join(line.rstrip() + "\n" for line in out)


# ------------------------------------------------------------------ Markdown


def markdown_text(changes: Sequence[Change], old: str, new: str, *, fold: int = 20) -> str:
    """Sections of tables for a pull-request comment; a section longer than ``fold`` rows is
    folded (``<details>``), so the data changes stay on top."""
    esc = safetext.markdown
    if not changes:
        return ""
    parts = [f"**{esc(summary(changes, old, new))}**", ""]
    by_kind: dict[str, list[Change]] = {}
    for change in changes:
        by_kind.setdefault(change.kind, []).append(change)
    for kind, group in by_kind.items():
        title = f"{SECTIONS.get(kind, kind)}（{len(group)}）"
        folded = len(group) > fold
        parts.append(f"<details><summary>{esc(title)}</summary>\n" if folded else f"#### {esc(title)}\n")
        parts.append("| 变化 | 对象 | 内容 | 旧：位置与引文 | 新：位置与引文 |")
        parts.append("|---|---|---|---|---|")
        for c in group:
            sides = [
                esc(f"{_where(p)}“{_short(p.quote, 40)}”" if p.quote else _where(p)) if p else ""
                for p in (c.old_at, c.new_at)
            ]
            name = c.labels.get("name") if c.kind == "finding" else subject(c)
            parts.append(f"| {CHANGES[c.change]} | {esc(name)} | {esc(what(c))} | {sides[0]} | {sides[1]} |")
        parts.append("\n</details>\n" if folded else "")
    return "\n".join(parts) + "\n"


# ------------------------------------------------------------------ records


def records(changes: Sequence[Change]) -> list[dict[str, Any]]:
    return [c.record() for c in changes]


def print_diff(changes: Sequence[Change], fmt: Any, old: str, new: str, *, excel: bool = False) -> None:
    from .render import Format, csv_text, page_width, print_csv

    if fmt is Format.json:
        # One record a line: as readable as indented JSON for records this flat, and written by
        # the C encoder (tens of thousands of moved allocation cells in a large revision).
        lines = ",\n".join(safetext.json_dumps(r) for r in records(changes))
        sys.stdout.write(f"[\n{lines}\n]\n" if lines else "[]\n")
    elif fmt is Format.csv:
        rows = records(changes)
        text = csv_text(rows or [dict.fromkeys(RECORD_KEYS)], excel=excel)
        if not rows:  # the header alone: every record has these keys
            text = text.split("\n" if not excel else "\r\n", 1)[0] + ("\r\n" if excel else "\n")
        print_csv(text, excel=excel)
    elif fmt is Format.markdown:
        sys.stdout.write(markdown_text(changes, old, new))
    else:
        sys.stdout.write(table_text(changes, old, new, _width(page_width)))


def _width(off_terminal: Any) -> int:
    import os

    if sys.stdout.isatty():
        from .plaintable import _terminal_width

        return _terminal_width(os.environ)
    return int(off_terminal())


# ------------------------------------------------------------------ one file as facts (git textconv)

FILE_TITLES = {
    "quota": "名额表",
    "plan": "计划",
    "programme": "工程",
    "regions": "区域",
    "units": "责任单位",
    "disagreements": "已登记的原文矛盾",
}


def facts_text(kind: str | None, entities: Sequence[Any], problems: Sequence[str], raw: bytes) -> str:
    """A data file as one line per fact, in the order of what the facts are (not where they are
    written): ``git diff`` through this shows what a file says differently, and nothing for
    comments, indentation, the order of keys or rows, or ``{…}`` against block style. A file
    that cannot be read as data is shown as it is, after a line that says why."""
    from ..domain.revision.changes import DATA_KINDS
    from ..domain.revision.facts import NOTE_FIELDS

    if problems or kind is None:
        reasons = "；".join(problems) or "无法读取"
        return f"# shiwanqian：不能按数据格式读取（{reasons}），以下为原文\n" + raw.decode("utf-8", "replace")
    lines = [f"# shiwanqian：{FILE_TITLES[kind]}（每行一项；注释、缩进、先后次序不算变化）"]
    rank = {k: i for i, k in enumerate(DATA_KINDS)}
    for entity in sorted(entities, key=lambda e: (rank.get(e.kind, len(rank)), repr(e.key))):
        for name, value in sorted(entity.fields.items()):
            if value is None or value == [] or (name in NOTE_FIELDS and not value):
                continue
            change = Change("changed", entity.kind, entity.labels, name)
            shown = value_text(value).replace("\\", "\\\\").replace("\n", "\\n")
            lines.append(f"{SECTIONS.get(entity.kind, entity.kind)}｜{subject(change)} = {safetext.one_line(shown)}")
    return "".join(line + "\n" for line in lines)
