"""Quota tables from region-by-region sentences and yearly-share sentences.

Three shapes are read, each only when every part of it reads cleanly:

* a region's line by 学段 with its stated total:
  ``攸县：高中500节、初中450节……特殊教育30节。合计1545节。``
* a list of regions with one number each:
  ``炎陵县、茶陵县……各建2个，攸县建3个，醴陵市建4个``
* yearly shares of the whole: ``2016年完成总任务的10%，2017年完成总任务的25%……``

A line that looks like the first shape but does not read cleanly (a part without a number
or unit, a total that is not the sum of its parts) is left out and listed for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..numerals import halfwidth
from .outline import Line, location
from .review import ReviewItem

_NAME = r"[\u4e00-\u9fff]{2,10}"
ROW_HEAD = re.compile(rf"^\s*(?:\d{{1,2}}\s*[.．、]\s*)?({_NAME})\s*[：:]\s*(.+?)\s*$")
PART = re.compile(r"^([\u4e00-\u9fff]{1,8}?)\s*(\d+)\s*([\u4e00-\u9fff]{1,2})$")
TOTAL = re.compile(r"^合\s*计\s*(\d+)\s*([\u4e00-\u9fff]{1,2})$")
SHARE = re.compile(r"((?:19|20)\d\d)\s*年([^，,。；;\d%％]{0,12}?)(\d+(?:\.\d+)?)\s*[%％]")
QUALIFIER_AFTER = ("左右",)
QUALIFIER_BEFORE = ("至少", "不少于")


@dataclass
class DraftRow:
    region: str
    text: str
    source: str
    line: int
    values: dict[str, int] | None = None
    value: int | None = None
    total: int | None = None

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"region": self.region}
        if self.values is not None:
            data["values"] = self.values
        else:
            data["value"] = self.value
        if self.total is not None:
            data["total"] = self.total
        data["text"] = self.text
        data["source"] = self.source
        return data


@dataclass
class DraftTable:
    part: str
    path: tuple[tuple[int, str], ...]  # the section the rows sit in
    title: str
    unit: str
    by_level: bool
    rows: list[DraftRow] = field(default_factory=list)
    total: dict[str, Any] | None = None
    shares: dict[str, Any] | None = None
    schedule: list[dict[str, Any]] = field(default_factory=list)  # yearly schedule (see schedules.py)
    schedule_lines: list[int] = field(default_factory=list)  # the 工作要求 line of each year
    id: str = ""  # the table's id, once the draft names it

    @property
    def source(self) -> str:
        return location(self.part, self.path)


def _row_by_level(line: Line) -> tuple[DraftRow | None, str | None, bool]:
    """(row, problem, looks like a row) for one line."""
    head = ROW_HEAD.match(line.text)
    if not head:
        return None, None, False
    region, body = head.group(1), head.group(2)
    sentences = [s.strip() for s in re.split(r"[。；;]", body) if s.strip()]
    region_like = bool(re.search(r"(县|市|区|旗|州|直属.*)$", region))
    looks = "合计" in body.replace(" ", "") or (
        region_like and len(re.findall(r"[\u4e00-\u9fff]\d+[\u4e00-\u9fff]", body)) >= 2
    )
    if not looks:
        return None, None, False
    total_match = TOTAL.match(sentences[-1]) if sentences else None
    if total_match is None:
        return None, "没有读出“合计N…”", True
    parts = [p.strip() for s in sentences[:-1] for p in re.split(r"[、，,]", s) if p.strip()]
    if not parts:
        return None, "没有读出各项数字", True
    values: dict[str, int] = {}
    units = {total_match.group(2)}
    for part in parts:
        match = PART.match(part)
        if match is None:
            return None, f"“{part}”读不出“名称+数字+单位”", True
        label, number, unit = match.group(1), int(match.group(2)), match.group(3)
        if label in values:
            return None, f"“{label}”出现了两次", True
        values[label] = number
        units.add(unit)
    if len(units) != 1:
        return None, f"单位不一致：{'、'.join(sorted(units))}", True
    total = int(total_match.group(1))
    if sum(values.values()) != total:
        return None, f"合计写作 {total}，各项之和为 {sum(values.values())}（原文自相矛盾，须由人核定）", True
    quote = line.text.strip()
    quote = re.sub(r"^\d{1,2}\s*[.．、]\s*", "", quote)
    return DraftRow(region, quote, line.location(), line.number, values=values, total=total), None, True


def _unit_of(row: DraftRow) -> str:
    match = re.search(r"合\s*计\s*\d+\s*([\u4e00-\u9fff]{1,2})", row.text)
    return match.group(1) if match else ""


def find_level_tables(lines: list[Line], part: str) -> tuple[list[DraftTable], list[ReviewItem]]:
    """Tables of region lines by 学段: rows under one heading with one unit."""
    from .tasks import FIELD_LINE

    tables: dict[tuple, DraftTable] = {}
    review: list[ReviewItem] = []
    for line in lines:
        if FIELD_LINE.match(line.text):
            continue  # a task's 工作要求 is not a quota line (see schedule_mentions)
        row, problem, _looks = _row_by_level(line)
        if problem:
            review.append(
                ReviewItem(line.number, line.location(), f"名额句未能解读，未写入数据：{problem}", line.stripped)
            )
        if row is None:
            continue
        parent = line.path[:-1] if line.heading is not None else line.path
        unit = _unit_of(row)
        key = (parent, unit)
        table = tables.get(key)
        if table is None:
            table = tables[key] = DraftTable(part, parent, "", unit, True)
        if any(r.region == row.region for r in table.rows):
            review.append(
                ReviewItem(
                    line.number, line.location(), f"区域“{row.region}”在同一表中出现了两次，第二次未写入", line.stripped
                )
            )
            continue
        table.rows.append(row)
    return list(tables.values()), review


def find_list_tables(lines: list[Line], part: str, regions: list[str]) -> list[DraftTable]:
    """Sentences that give known regions one number each (``A、B各建2个，C建3个``)."""
    tables: list[DraftTable] = []
    known = set(regions)
    if not regions:
        return tables
    name = "(?:" + "|".join(re.escape(r) for r in sorted(regions, key=len, reverse=True)) + ")"
    clause_re = re.compile(rf"^({name}(?:、{name})*)(各)?([\u4e00-\u9fff]{{0,2}}?)(\d+)([\u4e00-\u9fff])$")
    from .tasks import FIELD_LINE

    for line in lines:
        if FIELD_LINE.match(line.text):
            continue  # a task's 工作要求 is a yearly schedule, not the table (see schedules.py)
        text = line.text.strip()
        if line.heading is not None:
            text = line.title
        for sentence in re.split(r"[。；;]", text):
            label = ""
            body = sentence
            if "：" in sentence or ":" in sentence:
                label, body = re.split(r"[：:](?=[^：:]*$)", sentence, maxsplit=1)
                label = re.split(r"[：:]", label)[-1]
            clauses = [c.strip() for c in re.split(r"[，,]", body) if c.strip()]
            if len(clauses) < 2:
                continue
            rows: list[DraftRow] = []
            units = set()
            for clause in clauses:
                match = clause_re.match(clause)
                if not match:
                    break
                names = match.group(1).split("、")
                if not all(n in known for n in names) or (len(names) > 1 and not match.group(2)):
                    break
                units.add(match.group(5))
                for name in names:
                    rows.append(DraftRow(name, clause, line.location(), line.number, value=int(match.group(4))))
            else:
                regions_seen = [r.region for r in rows]
                if len(units) == 1 and len(set(regions_seen)) == len(regions_seen):
                    title = re.sub(r"^(建设|建立|完成|培养)|(数量|任务分解)$", "", label.strip()) or line.title
                    tables.append(DraftTable(part, line.path, title.strip(), units.pop(), False, rows))
    return tables


def find_shares(lines: list[Line]) -> list[tuple[Line, dict[str, Any]]]:
    """Yearly shares of the whole that add up to 100 %, with their quotation."""
    found = []
    for line in lines:
        text = line.text
        matches = list(SHARE.finditer(halfwidth(text)))  # quoted below from the original
        if len(matches) < 2:
            continue
        middles = {m.group(2) for m in matches}
        years = [int(m.group(1)) for m in matches]
        if len(middles) != 1 or len(set(years)) != len(years) or "总" not in next(iter(middles)) + text:
            continue
        values = {int(m.group(1)): _number(m.group(3)) for m in matches}
        if abs(sum(values.values()) - 100) > 1e-9:
            continue
        end = matches[-1].end()
        if end < len(text) and text[end] in "。；;":
            end += 1
        quote = text[matches[0].start() : end]
        found.append((line, {"values": values, "text": quote, "source": line.location()}))
    return found


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def find_total(table: DraftTable, section: list[Line]) -> tuple[dict[str, Any] | None, str | None]:
    """The whole the document states for a table, from its heading or earlier in its section.

    Only a single stated number in the table's unit counts; it must equal the sum of the rows
    (otherwise the document contradicts itself, and a person decides)."""
    unit = re.escape(table.unit)
    pattern = re.compile(rf"(至少|不少于)?(\d+)\s*{unit}(左右)?")
    row_lines = {row.line for row in table.rows}
    heading = [
        line
        for line in section
        if line.path == table.path and line.heading is not None and line.number not in row_lines
    ]
    earlier = [
        line
        for line in section
        if line.path[:1] == table.path[:1]
        and line.number not in row_lines
        and line.number < table.rows[0].line
        and line.path[: len(table.path)] != table.path
    ]
    for group in (heading, earlier):
        hits = []
        for line in group:
            for clause in re.split(r"[，,。；;：:]", line.text):
                for match in pattern.finditer(clause):
                    hits.append((match, clause.strip()))
        values = {int(m.group(2)) for m, _ in hits}
        if len(values) > 1:
            return None, f"表前有多个以“{table.unit}”计的总数（{'、'.join(map(str, sorted(values)))}），未写入总数"
        if len(values) == 1:
            match, clause = hits[0]
            value = int(match.group(2))
            rows_sum = sum(r.total if r.total is not None else (r.value or 0) for r in table.rows)
            if value != rows_sum:
                return (
                    None,
                    f"原文总数 {value}{table.unit} 与各区域之和 {rows_sum} 不符（原文自相矛盾，须由人核定），未写入总数",
                )
            total: dict[str, Any] = {"value": value}
            qualifier = match.group(3) or match.group(1)
            if qualifier:
                total["qualifier"] = qualifier
            total["text"] = clause
            total["source"] = next(line.location() for line in group if clause in line.text)
            return total, None
    return None, None


def table_lines(lines: list[Line]) -> list[ReviewItem]:
    """Rows of a table (tab-separated cells with numbers, as Word tables are read): the quote
    checks pair each number with its label in the same quotation, which a table row does not
    hold, so such rows are listed for a person rather than drafted."""
    review = []
    for line in lines:
        cells = [c.strip() for c in line.text.split("\t") if c.strip()]
        if len(cells) >= 3 and sum(bool(re.fullmatch(r"\d+(?:\.\d+)?\s*%?", halfwidth(c))) for c in cells) >= 2:
            review.append(
                ReviewItem(
                    line.number,
                    line.location(),
                    "表格中的名额行未转为数据，请手工转录（或改写为“区域：学段N…合计N”的句子）",
                    " / ".join(cells),
                )
            )
    return review
