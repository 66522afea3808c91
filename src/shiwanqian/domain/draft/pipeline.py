"""The draft pipeline, top-down: document text → outline → the pieces found in each part
(tasks, quota lines, schedules, targets) → records (plans, tables, regions, units, programme)
→ a ``Draft`` that ``emit`` writes as YAML. Each step appends what it cannot decide to the
review list instead of guessing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .assemble import contradictions, find_plan_targets, place_targets, quota_files, schedule_files
from .document import DraftError, document_number, header, parts_of, period_of
from .names import COUNT, default_words, match_main, region_kind, stated_counts, units_of
from .outline import Annex, Line, Outline, parse
from .proposals import propose, ready
from .quotas import DraftTable, find_level_tables, find_list_tables, table_lines
from .review import ReviewItem
from .targets import DraftTarget
from .tasks import FIELD_LINE, DraftTask, find_tasks

REVIEW_FILE = "待核.md"


@dataclass
class Draft:
    programme: dict[str, Any]
    regions: list[dict[str, Any]]
    units: list[dict[str, Any]]
    plans: list[tuple[str, dict[str, Any]]]  # (file name, plan)
    quotas: list[tuple[str, dict[str, Any]]]  # (file name, table)
    review: list[ReviewItem] = field(default_factory=list)
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    tasks_found: int = 0


def draft(text: str) -> Draft:
    """The document's text drafted as data, with what a person must decide in ``review``."""
    outline = parse(text)
    review: list[ReviewItem] = []
    issuer, title, number, first = _identity(outline, text, review)
    period = period_of(outline, text, first, review)
    parts = parts_of(outline, title, first, period)
    review.extend(table_lines(outline.lines))
    plan_tasks, tables = _find_pieces(outline, parts, period, review)
    region_names, regions = _regions(parts, tables, review)
    levels = _levels(tables, first, review)
    schedule_lines = schedule_files(outline, parts, tables, plan_tasks, regions, levels, review)
    plans, plan_ids, unit_first_line = _plans(outline, parts, plan_tasks, review)
    units = units_of(unit_first_line, review)
    quotas = quota_files(parts, tables, plan_ids, period, review)
    disagreements = contradictions(quotas, tables, levels, review)
    targets, candidates = find_plan_targets(
        outline, parts, tables, plans, plan_ids, quotas, regions, schedule_lines, period, review
    )
    proposals = propose(candidates, review)  # what it cannot prove, marked as such: a step of its own
    place_targets(_merged(targets, ready(proposals)), plans, quotas)
    _require(regions, units)
    programme = _programme(outline, title, issuer, number, period, levels, regions, plans, review)
    _unconverted_schedules(parts, schedule_lines, region_names, review)
    tasks_found = sum(len(t) for t in plan_tasks.values())
    return Draft(programme, regions, units, plans, quotas, sorted(set(review)), disagreements, tasks_found)


# ----------------------------------------------------------------- the steps


def _merged(
    targets: dict[str, list[DraftTarget]], proposed: dict[str, list[tuple[tuple[int, int], dict[str, Any]]]]
) -> dict[str, list[tuple[tuple[int, int], dict[str, Any]]]]:
    """Each plan's drafted targets and proposals, with their places, to be put in document order."""
    merged = {plan: [((t.line, t.at), t.as_data()) for t in found] for plan, found in targets.items()}
    for plan, found in proposed.items():
        merged.setdefault(plan, []).extend(found)
    return merged


def _identity(outline: Outline, text: str, review: list[ReviewItem]) -> tuple[str, str, str | None, int]:
    """Issuer, title and document number, each left for review when not found; and the line
    of the title (where review items about the whole document point)."""
    issuer, title, title_lines = header(outline)
    first = title_lines[0] if title_lines else 1
    if not title:
        review.append(ReviewItem(1, "正文", "没有找到文件标题；programme.yaml 的 title 暂为“（待核）”"))
    if not issuer:
        review.append(ReviewItem(first, "正文", "没有找到发文单位；programme.yaml 的 issuer 暂为“（待核）”"))
    number = document_number(text, title)
    if number is None:
        review.append(ReviewItem(first, "正文", "没有找到唯一的本文件文号；programme.yaml 的 document 暂为“（待核）”"))
    return issuer, title, number, first


def _find_pieces(
    outline: Outline, parts: list[tuple[Annex, list[Line]]], period: tuple[int, int], review: list[ReviewItem]
) -> tuple[dict[str, list[DraftTask]], list[tuple[Annex, DraftTable]]]:
    """Each part's tasks and its by-学段 quota lines."""
    tables: list[tuple[Annex, DraftTable]] = []
    plan_tasks: dict[str, list[DraftTask]] = {}
    for annex, lines in parts:
        tasks, problems = find_tasks(annex, annex.period or period)
        plan_tasks[annex.part] = tasks
        review.extend(problems)
        found, problems = find_level_tables(lines, annex.part)
        review.extend(problems)
        tables.extend((annex, t) for t in found)
    if outline.annexes:  # quota lines in the main text have no plan to belong to
        found, _ = find_level_tables(outline.main, "正文")
        for table in found:
            for row in table.rows:
                review.append(
                    ReviewItem(row.line, row.source, "正文中的名额句不属于任何附件的计划，未写入数据", row.text)
                )
    return plan_tasks, tables


def _regions(
    parts: list[tuple[Annex, list[Line]]], tables: list[tuple[Annex, DraftTable]], review: list[ReviewItem]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Every region named in a quota line, in order of first appearance, with its kind (from
    its name); the region-list quota lines, found once the names are known, join ``tables``.
    A region whose kind cannot be told is left out with its quotas, for review."""
    region_names: list[str] = []
    for _, table in tables:
        for row in table.rows:
            if row.region not in region_names:
                region_names.append(row.region)
    for annex, lines in parts:
        for table in find_list_tables(lines, annex.part, region_names):
            tables.append((annex, table))
    regions, dropped = [], set()
    for name in region_names:
        kind = region_kind(name)
        row = next(r for _, t in tables for r in t.rows if r.region == name)
        if kind is None:
            dropped.add(name)
            review.append(
                ReviewItem(
                    row.line,
                    row.source,
                    f"无法从名称判断区域“{name}”的类别（县市、区、直属），该区域及其名额未写入数据",
                    row.text,
                )
            )
            continue
        regions.append({"name": name, "kind": kind, "source": row.source})
    for _, table in tables:
        table.rows = [r for r in table.rows if r.region not in dropped]
    return region_names, regions


def _levels(tables: list[tuple[Annex, DraftTable]], first: int, review: list[ReviewItem]) -> list[str]:
    """The 学段 of the quota lines, in order of first appearance (“全部” for review if none)."""
    levels: list[str] = []
    for _, table in tables:
        for row in table.rows:
            for level in row.values or {}:
                if level not in levels:
                    levels.append(level)
    if not levels:
        review.append(
            ReviewItem(first, "正文", "没有找到按学段分解的名额，programme.yaml 的 levels 暂为“全部”，请核定")
        )
        levels = ["全部"]
    return levels


def _plans(
    outline: Outline,
    parts: list[tuple[Annex, list[Line]]],
    plan_tasks: dict[str, list[DraftTask]],
    review: list[ReviewItem],
) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, str], dict[str, tuple[int, str]]]:
    """One plan a part, with its tasks; the plan id of each part; and where each responsible
    unit is first named (for units.yaml)."""
    plans: list[tuple[str, dict[str, Any]]] = []
    plan_ids: dict[str, str] = {}
    unit_first_line: dict[str, tuple[int, str]] = {}
    for annex, _ in parts:
        plan_id = f"annex{annex.number:02d}" if annex.number else "main"
        if plan_id in plan_ids.values():
            plan_id += f"-{sum(p.startswith(plan_id) for p in plan_ids.values()) + 1}"
            review.append(
                ReviewItem(
                    annex.title_line,
                    annex.part,
                    f"{annex.part.split('（')[0]} 出现了不止一次，这一处记为计划 {plan_id}，请核定",
                )
            )
        plan_ids[annex.part] = plan_id
        plan = _plan(outline, annex, plan_id, review)
        tasks = plan_tasks[annex.part]
        plan["tasks"] = [t.as_data() for t in tasks]
        for task in tasks:
            for unit in task.units:
                unit_first_line.setdefault(unit, (task.unit_lines[unit], task.source))
        plans.append((f"{plan_id}.yaml", plan))
        if not annex.title:
            review.append(ReviewItem(annex.title_line, annex.part, "没有找到附件标题"))
        for line in annex.lines:  # yearly-task lines have no responsible unit: for a person
            if re.match(r"^\s*(?:19|20)\d\d\s*(?:年)?\s*(?:[-－—–]\s*(?:19|20)\d\d\s*年?)?\s*[：:]", line.text):
                review.append(
                    ReviewItem(line.number, line.location(), "年度任务没有写明责任单位，未转为任务", line.stripped[:80])
                )
    return plans, plan_ids, unit_first_line


def _plan(outline: Outline, annex: Annex, plan_id: str, review: list[ReviewItem]) -> dict[str, Any]:
    """A part's plan without its tasks: id, order, kind (from the main text, else for review),
    title, annex, main-text section, period and source."""
    kind, section = match_main(annex, outline) if annex.number else (None, annex.section)
    if kind is None:  # a kind whose number the main text does not state, so no count is upset
        stated = {
            k
            for k in default_words("PlanKind")
            for line in outline.main
            if re.search(COUNT + r"[^，。；、\d]{0,8}?" + re.escape(k), line.stripped)
        }
        kind = next((k for k in default_words("PlanKind") if k not in stated), default_words("PlanKind")[0])
        review.append(
            ReviewItem(annex.title_line, annex.part, f"无法判断“{annex.title}”的计划类别，暂记为“{kind}”，请核定")
        )
    plan: dict[str, Any] = {
        "id": plan_id,
        "order": annex.number or 1,
        "kind": kind,
        "title": annex.title or annex.part,
    }
    if annex.number:
        plan["annex"] = annex.part
    if section:
        plan["main_section"] = section
    if annex.period:
        plan["period"] = {"start": annex.period[0], "end": annex.period[1]}
    plan["source"] = section if not annex.number and section else annex.part
    return plan


def _require(regions: list[dict[str, Any]], units: list[dict[str, Any]]) -> None:
    """A data folder needs at least one region and one unit: without them, no draft."""
    missing = [
        what
        for what, found in (("区域（按区域分解的名额句）", regions), ("责任单位（带“责任单位：”的任务）", units))
        if not found
    ]
    if missing:
        raise DraftError(
            f"文件中没有找到{'和'.join(missing)}；数据目录至少须有一个区域和一个责任单位，"
            "无法起草。请确认这是一份按“事项/实施时间/工作要求/责任单位”和按区域分解名额写成的计划文件"
        )


def _programme(
    outline: Outline,
    title: str,
    issuer: str,
    number: str | None,
    period: tuple[int, int],
    levels: list[str],
    regions: list[dict[str, Any]],
    plans: list[tuple[str, dict[str, Any]]],
    review: list[ReviewItem],
) -> dict[str, Any]:
    """programme.yaml: the document's identity, period and 学段, and the counts it states."""
    programme: dict[str, Any] = {
        "id": "programme",
        "title": title or "（待核）",
        "issuer": issuer or "（待核）",
        "document": number or "（待核）",
        "period": {"start": period[0], "end": period[1]},
        "source_text": "source.txt",
        "levels": levels,
    }
    counts, problems = stated_counts(outline, levels, regions, plans)
    review.extend(problems)
    if counts:
        programme["counts"] = counts
    return programme


def _unconverted_schedules(
    parts: list[tuple[Annex, list[Line]]], schedule_lines: set[int], region_names: list[str], review: list[ReviewItem]
) -> None:
    """Task requirements that spell out numbers by region are yearly schedules: for a person,
    unless a schedule was drafted from that line."""
    for _annex, lines in parts:
        for line in lines:
            match = FIELD_LINE.match(line.text)
            if (
                match
                and line.number not in schedule_lines
                and re.search(r"\d", line.text)
                and sum(line.text.count(name) for name in region_names) >= 2
            ):
                review.append(
                    ReviewItem(
                        line.number,
                        line.location(),
                        "工作要求中按区域列出了数字（年度安排），未转为名额表数据",
                        line.stripped[:80] + ("…" if len(line.stripped) > 80 else ""),
                    )
                )
