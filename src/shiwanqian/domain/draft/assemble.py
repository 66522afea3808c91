"""The found pieces assembled into data files: quota tables with their rows, shares and
schedules, the disagreements a schedule and its table show, and the numeric targets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .outline import Annex, Line, Outline
from .outline import location as line_location
from .quotas import DraftTable, find_shares, find_total
from .review import ReviewItem
from .schedules import RegionForms, find_schedules
from .targets import Candidate, DraftTarget, find_targets, scope_words
from .tasks import DraftTask

if TYPE_CHECKING:
    from ..checks.arithmetic import ScheduleProblem


def quota_files(
    parts: list[tuple[Annex, list[Line]]],
    tables: list[tuple[Annex, DraftTable]],
    plan_ids: dict[str, str],
    period: tuple[int, int],
    review: list[ReviewItem],
) -> list[tuple[str, dict[str, Any]]]:
    """Quota tables with their shares and stated totals, as (file name, table) pairs."""
    quotas: list[tuple[str, dict[str, Any]]] = []
    by_part: dict[str, list[DraftTable]] = {}
    for annex, table in tables:
        if table.rows:
            by_part.setdefault(annex.part, []).append(table)
    for annex, lines in parts:
        for line, shares in find_shares(lines):
            years = list(shares["values"])
            plan_period = annex.period or period
            if not all(plan_period[0] <= y <= plan_period[1] for y in years):
                review.append(
                    ReviewItem(line.number, line.location(), "年度比例的年份超出计划期，未写入数据", shares["text"])
                )
                continue
            level_tables = [t for t in by_part.get(annex.part, []) if t.by_level]
            if len(level_tables) == 1 and level_tables[0].shares is None:
                level_tables[0].shares = shares
            else:
                table = DraftTable(annex.part, line.path, f"{annex.title}年度比例", "", False, [])
                table.shares = shares
                by_part.setdefault(annex.part, []).append(table)
        for table in by_part.get(annex.part, []):
            if table.rows:
                total, problem = find_total(table, lines)
                if problem:
                    review.append(ReviewItem(table.rows[0].line, table.source, problem))
                table.total = total
    for annex, _ in parts:
        for k, table in enumerate(by_part.get(annex.part, []), start=1):
            table_id = table.id = plan_ids[annex.part] + (f"-{k}" if k > 1 else "")
            data: dict[str, Any] = {
                "id": table_id,
                "title": table.title or annex.title or annex.part,
                "plan": plan_ids[annex.part],
            }
            if table.unit:
                data["unit"] = table.unit
            if table.by_level:
                data["by_level"] = True
            data["source"] = table.source
            if table.total:
                data["total"] = table.total
            if table.rows:
                data["rows"] = [row.as_data() for row in table.rows]
            if table.schedule:
                data["schedule"] = table.schedule
            if table.shares:
                data["shares"] = table.shares
            quotas.append((f"{table_id}.yaml", data))
    return quotas


def schedule_files(
    outline: Outline,
    parts: list[tuple[Annex, list[Line]]],
    tables: list[tuple[Annex, DraftTable]],
    plan_tasks: dict[str, list[DraftTask]],
    regions: list[dict[str, Any]],
    levels: list[str],
    review: list[ReviewItem],
) -> set[int]:
    """Yearly schedules from tasks' 工作要求, attached to their tables; the lines read as such.

    A table whose schedule does not read cleanly everywhere gets none (a partial schedule
    would look like the document contradicting itself). Region forms the quotations use
    (直属高中 for 直属学校) go into regions.yaml ``short``, so ``check`` pairs them, and are listed."""
    forms = RegionForms.of(regions, levels)
    by_line = {line.number: line for line in outline.lines}
    handled: set[int] = set()
    used: dict[str, str] = {}
    for annex, _ in parts:
        part_tables = [table for owner, table in tables if owner.part == annex.part]
        schedules, problems, lines = find_schedules(plan_tasks[annex.part], part_tables, forms, levels, by_line)
        review.extend(problems)
        handled |= lines
        for index, schedule in schedules.items():
            table = part_tables[index]
            if schedule.problems:
                review.extend(schedule.problems)
                first = min(item.line for item in schedule.problems)
                review.append(
                    ReviewItem(
                        first,
                        table.source,
                        f"名额表“{table.title or annex.title}”的年度安排有未能读通之处，"
                        "这张表的年度安排都未写入数据（只写一部分会被当作与名额不符），请手工补入",
                    )
                )
                continue
            order = sorted(range(len(schedule.years)), key=lambda i: schedule.years[i]["year"])
            table.schedule = [schedule.years[i] for i in order]
            table.schedule_lines = [schedule.lines[i] for i in order]
            used.update(schedule.forms)
    if used:
        for region in regions:
            short = [form for form, owner in used.items() if owner == region["name"]]
            if short:
                region_data = {"name": region.pop("name"), "kind": region.pop("kind"), "short": short}
                region_data.update(region)
                region.clear()
                region.update(region_data)
        first = min(n for n in handled for form in used if form in by_line[n].text)
        review.append(
            ReviewItem(
                first,
                "regions.yaml",
                "年度安排中区域的以下写法由名称推断，已记入 regions.yaml 的 short，请核定："
                + "；".join(f"{form}→{owner}" for form, owner in used.items()),
            )
        )
    return handled


def contradictions(
    quotas: list[tuple[str, dict[str, Any]]],
    tables: list[tuple[Annex, DraftTable]],
    levels: list[str],
    review: list[ReviewItem],
) -> list[dict[str, Any]]:
    """Where a drafted schedule disagrees with its table, as ``check`` computes it: both sides
    stay as the document states them, recorded in disagreements.yaml and listed for review."""
    from pydantic import ValidationError

    from ...load.model import QuotaTable
    from ..checks.arithmetic import schedule_problems

    entries = []
    drafted = {t.id: t for _, t in tables if t.schedule}
    for _, data in quotas:
        if not data.get("schedule"):
            continue
        try:
            problems = list(schedule_problems(QuotaTable.model_validate(data), levels))
        except ValidationError:
            continue  # check reports it
        if not problems:
            continue
        table = drafted.get(data["id"])
        entry_id = f"{data['id']}-schedule"
        sides = _Sides()
        for problem in problems:
            line = _record_sides(problem, data, table, sides)
            review.append(
                ReviewItem(
                    line,
                    problem.source,
                    f"原文自相矛盾：{problem.message}。两处都按原文写入数据，未作更改；"
                    f"已记入 disagreements.yaml（{entry_id}），check 报为警告，请核定",
                )
            )
        if len(sides.items) < 2:  # both numbers in one sentence (a subtotal and its parts)
            sides.items.append(
                {
                    "source": sides.items[0]["source"] if sides.items else data["source"],
                    "says": "；".join(p.message for p in problems),
                }
            )
        entries.append(
            {
                "id": entry_id,
                "title": f"{data['title']}：年度安排与名额不一致（draft 起草时发现）",
                "reason": "；".join(p.message for p in problems) + "。原文如此，两处都按原文写入数据，未作更改；"
                "此条由 shiwanqian draft 起草时记下，请核定。",
                "sides": sides.items,
                "findings": [{"code": p.code, "subject": p.subject} for p in problems],
            }
        )
    return entries


class _Sides:
    """The sides of one table's disagreement, each (source, text) once, in the order met."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, source: str, says: str | None) -> None:
        if says and {"source": source, "says": says} not in self.items:
            self.items.append({"source": source, "says": says})

    def groups(self, years: list[dict[str, Any]]) -> None:
        for year in years:
            for group in year["groups"]:
                self.add(year["source"], group["text"])


def _record_sides(problem: ScheduleProblem, data: dict[str, Any], table: DraftTable | None, sides: _Sides) -> int:
    """The quotations on each side of one schedule problem; the draft line to point at."""
    lines = table.schedule_lines if table else []
    years = data["schedule"]
    path = problem.path
    if problem.code == "schedule-mismatch" and path[0] == "rows":
        row = data["rows"][path[1]]
        sides.add(row["source"], row["text"])
        listed = [(y["source"], g["text"]) for y in years for g in y["groups"] if row["region"] in g.get("regions", {})]
        for source, text in listed:
            sides.add(source, text)
        if not listed:
            sides.add(f"{years[0]['source']}–{years[-1]['source']}", f"各年度安排均未列出{row['region']}")
        return next((r.line for r in table.rows if r.region == row["region"]), lines[0]) if table else 0
    if problem.code == "schedule-total-mismatch":
        sides.add(data["total"]["source"], data["total"]["text"])
        sides.groups(years)
        return lines[0] if lines else 0
    if path[0] == "schedule" and len(path) > 2:  # a subtotal or a year's total
        year = years[path[1]]
        sides.add(
            year["source"],
            year.get("total_text")
            if problem.code == "schedule-year-total-mismatch"
            else year["groups"][path[3]]["text"],
        )
        for group in year["groups"]:
            sides.add(year["source"], group["text"])
        return lines[path[1]] if lines else 0
    # a city-wide figure, or a region the rows do not list
    for row in data.get("rows", []):
        sides.add(row["source"], row["text"])
    sides.groups(years)
    return lines[0] if lines else 0


def find_plan_targets(
    outline: Outline,
    parts: list[tuple[Annex, list[Line]]],
    tables: list[tuple[Annex, DraftTable]],
    plans: list[tuple[str, dict[str, Any]]],
    plan_ids: dict[str, str],
    quotas: list[tuple[str, dict[str, Any]]],
    regions: list[dict[str, Any]],
    schedule_lines: set[int],
    period: tuple[int, int],
    review: list[ReviewItem],
) -> tuple[dict[str, list[DraftTarget]], dict[str, list[Candidate]]]:
    """Other targets (see targets.py) by the plan they belong to, and the candidates left out
    (each also listed in ``review``). A main-text line belongs to the plan whose main section it
    is in; lines already read as quota rows, schedules, totals or shares are not read again."""
    used = set(schedule_lines)
    for _, table in tables:
        used |= {row.line for row in table.rows}
        used |= set(table.schedule_lines)
    stated = [(q[k]["source"].split()[0], q[k]["text"]) for _, q in quotas for k in ("total", "shares") if q.get(k)]
    quoted: dict[int, list[str]] = {}  # lines that hold a stated total or share, with those texts
    for line in outline.lines:
        for part, text in stated:
            if text in line.text and line.number not in used:
                quoted.setdefault(line.number, []).extend([text] if part == line.part else [])
    words = scope_words(regions)
    sections = {plan["main_section"]: plan["id"] for _, plan in plans if plan.get("main_section")}
    by_plan: dict[str, list[DraftTarget]] = {}
    left: dict[str, list[Candidate]] = {}

    def read(plan_id: str, lines: list[Line], plan_period: tuple[int, int]) -> None:
        found, problems, candidates = find_targets(lines, used, words, plan_period, quoted)
        review.extend(problems)
        by_plan.setdefault(plan_id, []).extend(found)
        left.setdefault(plan_id, []).extend(candidates)

    for annex, _ in parts:
        if not annex.number and outline.annexes:
            continue  # main-text lines go to the plan whose section they are in (below)
        read(plan_ids[annex.part], annex.lines, annex.period or period)
    main_lines: dict[str, list[Line]] = {}
    for line in outline.main if outline.annexes else []:
        owner = next(
            (
                sections[loc]
                for k in range(len(line.path), 0, -1)
                if (loc := line_location(line.part, line.path[:k])) in sections
            ),
            None,
        )
        if owner is not None:
            main_lines.setdefault(owner, []).append(line)
    for owner, lines in main_lines.items():
        read(owner, lines, period)
    return by_plan, left


def place_targets(
    by_plan: dict[str, list[tuple[tuple[int, int], dict[str, Any]]]],
    plans: list[tuple[str, dict[str, Any]]],
    quotas: list[tuple[str, dict[str, Any]]],
) -> None:
    """Each plan's targets (as data, after their place: line, column) in a quota table of its plan, in document
    order: the plan's first drafted table, or a table of its own."""
    plan_of = {plan["id"]: plan for _, plan in plans}
    for plan_id, found in by_plan.items():
        if not found:
            continue
        quota = next((q for _, q in quotas if q["plan"] == plan_id), None)
        if quota is None:
            plan = plan_of[plan_id]
            quota = {"id": plan_id, "title": plan["title"], "plan": plan_id, "source": plan["source"]}
            quotas.append((f"{plan_id}.yaml", quota))
        quota["targets"] = [target for _, target in sorted(found, key=lambda pair: pair[0])]
