"""Tasks: a numbered heading followed by ``实施时间：`` / ``工作要求：`` / ``责任单位：`` lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..programme.timing import read_when
from .outline import Annex, Line
from .review import ReviewItem

FIELDS = {
    "when": ("实施时间", "时间安排", "完成时间", "工作时间", "时间"),
    "requirement": ("工作要求", "具体要求", "要求"),
    "units": ("责任单位", "牵头单位", "负责单位", "承办单位", "实施单位"),
}
_LABELS = {label: key for key, labels in FIELDS.items() for label in labels}
FIELD_LINE = re.compile(r"^\s*(" + "|".join(sorted(_LABELS, key=len, reverse=True)) + r")\s*[：:]\s*(.*?)\s*$")
# How the name of a responsible unit ends; a piece of a list that ends otherwise
# (“县市区教育局政工、人事部门”) is the first half of one name, not a name.
UNIT_ENDINGS = (
    "局",
    "厅",
    "委",
    "部",
    "部门",
    "机构",
    "中心",
    "院",
    "所",
    "科",
    "处",
    "室",
    "站",
    "组织",
    "学校",
    "校",
    "园",
    "基地",
    "办",
    "会",
    "团",
    "组",
    "队",
    "单位",
    "馆",
    "社",
    "协会",
    "政府",
)


@dataclass
class DraftTask:
    item: str
    name: str
    when: str
    timing: dict[str, Any]
    requirement: str
    units: list[str]
    source: str
    line: int
    unit_lines: dict[str, int] = field(default_factory=dict)
    requirement_line: int = 0
    heading: str = ""  # the heading line as the document writes it

    def as_data(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "name": self.name,
            "when": self.when,
            "timing": self.timing,
            "requirement": self.requirement,
            "units": self.units,
            "source": self.source,
        }


def split_units(text: str) -> tuple[list[str], list[str]]:
    """Unit names in a 责任单位 text, and the pieces that are not clearly names."""
    text = text.strip().rstrip("。.；;，,")
    pieces = [p.strip() for p in re.split(r"[、，,；;／/]", text) if p.strip()]
    names: list[str] = []
    pending = ""
    for piece in pieces:
        piece = pending + ("、" if pending else "") + piece
        if piece.endswith(UNIT_ENDINGS):
            names.append(piece)
            pending = ""
        else:
            pending = piece
    unclear = []
    if pending:
        unclear.append(pending)
    # “A和B”, “A及B”: two names when both halves end as names do.
    result: list[str] = []
    for name in names:
        parts = re.split(r"和|及|与", name)
        if len(parts) > 1 and all(p.endswith(UNIT_ENDINGS) and len(p) >= 2 for p in parts):
            result.extend(parts)
        else:
            result.append(name)
    return list(dict.fromkeys(result)), unclear


def find_tasks(annex: Annex, period: tuple[int, int] | None) -> tuple[list[DraftTask], list[ReviewItem]]:
    tasks: list[DraftTask] = []
    review: list[ReviewItem] = []
    head: Line | None = None
    fields: dict[str, tuple[str, Line]] = {}

    def close() -> None:
        if head is not None and fields:
            task, problems = _task(head, fields, period)
            review.extend(problems)
            if task is not None:
                tasks.append(task)

    for line in annex.lines:
        if line.heading is not None:
            close()
            head, fields = line, {}
            continue
        match = FIELD_LINE.match(line.text)
        if match and head is not None:
            key = _LABELS[match.group(1)]
            if key in fields:
                review.append(
                    ReviewItem(
                        line.number, line.location(), f"同一事项有两处“{match.group(1)}”，只取第一处", line.stripped
                    )
                )
            else:
                fields[key] = (match.group(2), line)
        elif match:
            review.append(
                ReviewItem(line.number, line.location(), "这一行不在任何编号事项之下，未转为任务", line.stripped)
            )
    close()
    review.extend(_unique_items(tasks, annex.part))
    return tasks, review


def _unique_items(tasks: list[DraftTask], part: str) -> list[ReviewItem]:
    """Give every task an item of its own: a number used twice becomes its heading's path
    (“二 1” for the 1 under 二); a path used twice too (the same heading repeated) is numbered
    by its occurrence, “一（2）”, and named for review (check refuses two tasks with one item)."""
    used: set[str] = set()
    review: list[ReviewItem] = []
    for task in tasks:
        if task.item in used:
            task.item = task.source.removeprefix(part).strip()
        if task.item in used:
            first = task.item
            task.item = next(f"{first}（{n}）" for n in range(2, len(tasks) + 2) if f"{first}（{n}）" not in used)
            what = f"事项编号“{first}”重复（同一层级的同一编号），这一项记为“{task.item}”，请核定"
            review.append(ReviewItem(task.line, task.source, what, task.heading))
        used.add(task.item)
    return review


def _task(
    head: Line, fields: dict[str, tuple[str, Line]], period: tuple[int, int] | None
) -> tuple[DraftTask | None, list[ReviewItem]]:
    where = head.location()
    name = head.title.rstrip("。：:")
    review: list[ReviewItem] = []
    missing = [label for key, (label, *_) in FIELDS.items() if key not in fields or not fields[key][0]]
    if missing or not name:
        what = f"事项“{name or head.stripped}”缺少{'、'.join(missing) or '名称'}，未转为任务"
        return None, [ReviewItem(head.number, where, what, head.stripped)]
    when, when_line = fields["when"]
    if "\t" in name + when + fields["units"][0]:
        return None, [
            ReviewItem(
                head.number,
                where,
                f"事项“{name.replace(chr(9), ' ')}”的名称、实施时间或责任单位中有制表符（可能来自表格），未转为任务",
                head.stripped,
            )
        ]
    requirement, requirement_line = fields["requirement"]
    units_text, units_line = fields["units"]
    reading = read_when(when)
    if not reading.years:
        return None, [
            ReviewItem(when_line.number, where, f"事项“{name}”的实施时间读不出年份，未转为任务", when_line.stripped)
        ]
    if period and not all(period[0] <= y <= period[1] for y in reading.years):
        return None, [
            ReviewItem(
                when_line.number,
                where,
                f"事项“{name}”的年份 {reading.years} 超出计划期 {period[0]}–{period[1]}，未转为任务",
                when_line.stripped,
            )
        ]
    for doubt in reading.doubts:
        review.append(
            ReviewItem(when_line.number, where, f"事项“{name}”：{doubt}；未写入 timing，请核定", when_line.stripped)
        )
    if reading.unread:
        review.append(
            ReviewItem(
                when_line.number,
                where,
                f"事项“{name}”实施时间中未能结构化的文字：{'；'.join(reading.unread)}（timing 只含已读出的部分）",
                when_line.stripped,
            )
        )
    units, unclear = split_units(units_text)
    if unclear:
        review.append(
            ReviewItem(
                units_line.number,
                where,
                f"事项“{name}”的责任单位中“{'、'.join(unclear)}”不像单位名称，未写入",
                units_line.stripped,
            )
        )
    if not units:
        return None, [
            *review,
            ReviewItem(
                units_line.number, where, f"事项“{name}”没有可以确定的责任单位，未转为任务", units_line.stripped
            ),
        ]
    number = head.path[-1][1]
    return DraftTask(
        number,
        name,
        when,
        reading.timing(),
        requirement,
        units,
        where,
        head.number,
        dict.fromkeys(units, units_line.number),
        requirement_line.number,
        head.stripped,
    ), review
