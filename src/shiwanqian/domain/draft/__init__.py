"""From a programme document's text to a data folder: ``draft(text)`` → files and review items.

The drafter reads the document's regular parts (annexes with their titles and periods,
numbered task blocks, region-by-region quota lines, yearly shares) and writes them in the
current data format, each value with the quotation it came from. It never guesses a value:
what it cannot decide is left out of the data and returned as ``ReviewItem`` values, which
the command writes to ``待核.md``. The only things it infers are marked as such: the level
of each responsible unit (from its name) and the kind of each region (from its suffix).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from ..numerals import halfwidth
from .outline import PERIOD, Annex, Line, Outline, parse
from .outline import location as line_location
from .quotas import DraftTable, find_level_tables, find_list_tables, find_shares, find_total, table_lines
from .review import ReviewItem
from .schedules import RegionForms, find_schedules
from .targets import find_targets, scope_words
from .tasks import FIELD_LINE, DraftTask, find_tasks

__all__ = ["Draft", "DraftError", "ReviewItem", "draft"]

REVIEW_FILE = "待核.md"
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔［\[（(]\s*((?:19|20)\d\d)\s*[〕］\])）]\s*\d+\s*号")


class DraftError(Exception):
    """The document cannot be drafted at all (no period, nothing recognisable)."""


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


def _kinds(name: str) -> tuple[str, ...]:
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


# ----------------------------------------------------------------- the programme


def _header(outline: Outline) -> tuple[str, str, list[int]]:
    """Issuer and title from the lines before the first paragraph of the main text."""
    head: list[tuple[int, str]] = []
    for line in outline.main:
        text = re.sub(r"\s", "", line.stripped)
        if not text:
            continue
        if len(text) > 40 or text.endswith("。") or line.heading is not None or PERIOD.match(halfwidth(text)):
            break
        head.append((line.number, text))
    if not head:
        return "", "", []
    issuer = ""
    if len(head) > 1 and re.search(r"(局|厅|委员会|委|政府|办公室|办公厅|部|中心)$", head[0][1]):
        issuer = head.pop(0)[1]
    title = "".join(text for _, text in head)
    return issuer, title, [n for n, _ in head]


def _document_number(text: str, title: str) -> str | None:
    """The programme's own number: the one written right after its title, or in its heading."""
    candidates = []
    plain, text = text, halfwidth(text)
    for match in DOC_NUMBER.finditer(text):
        before = text[max(0, match.start() - len(title) - 4) : match.start()]
        if title and title in before.replace("\n", ""):
            candidates.append(plain[match.start() : match.end()])
    if not candidates:
        head = text[: text.find("\n\n", 200) if len(text) > 200 else len(text)]
        candidates = [plain[m.start() : m.end()] for m in DOC_NUMBER.finditer(head)]
    distinct = list(dict.fromkeys(re.sub(r"\s", "", c) for c in candidates))
    return distinct[0] if len(distinct) == 1 else None


# ----------------------------------------------------------------- names


def _region_kind(name: str) -> str | None:
    if "直属" in name or name.startswith("市直"):
        return "直属"
    if name.endswith("区"):
        return "区"
    if name.endswith(("县", "市", "旗")):
        return "县市"
    return None


def _unit_level(name: str) -> tuple[str, bool]:
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


def _match_main(annex: Annex, outline: Outline) -> tuple[str | None, str | None]:
    """(kind, main_section) from the main-text heading that names this annex's plan."""
    kinds = _kinds("PlanKind")
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


# ----------------------------------------------------------------- stated counts

_COUNT = r"([一二两三四五六七八九十百千\d]+)\s*个"


def _counts(
    outline: Outline, levels: list[str], regions: list[dict[str, Any]], plans: list[tuple[str, dict[str, Any]]]
) -> tuple[list[dict[str, Any]], list[ReviewItem]]:
    """Counts the main text states (十个…支持计划, 四个学段, 7个区域), kept when the draft lists as many.

    ``check`` then holds the data to them. A count that does not match what was drafted is left
    out and listed: either the drafter missed something or the document contradicts itself."""
    from ..numerals import read_number

    found: list[tuple[str, int, str, Line]] = []
    kinds = _kinds("PlanKind")
    for line in outline.main:
        text = line.stripped
        for kind in kinds:
            for match in re.finditer(_COUNT + r"[^，。；、\d]{0,8}?" + re.escape(kind), text):
                found.append((f"plans:{kind}", match.group(1), match.group(0), line))
        if levels and len(levels) > 1:
            names = "|".join(re.escape(level) for level in levels)
            for match in re.finditer(
                rf"(?:(?:{names})[、，和及与]){{{len(levels) - 1}}}(?:{names})等?"
                + _COUNT
                + r"(?:学段|层面|类别|层次)",
                text,
            ):
                found.append(("levels", match.group(1), match.group(0), line))
        for match in re.finditer(r"共\s*" + _COUNT + r"区域", text):
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


# ----------------------------------------------------------------- the draft


def _period(outline: Outline, text: str, first: int, review: list[ReviewItem]) -> tuple[int, int]:
    """The programme's period: the annexes' (or the main text's) “（2016－2020年）” line."""
    periods = {a.period for a in outline.annexes if a.period}
    if not periods:  # a period line in the main text: “（2021－2025年）”
        periods = {
            (int(m.group(1)), int(m.group(2)))
            for line in outline.main[:30]
            if (m := PERIOD.match(halfwidth(line.stripped)))
        }
    if len(periods) == 1:
        return periods.pop()
    if periods:
        period = (min(p[0] for p in periods), max(p[1] for p in periods))
        review.append(ReviewItem(first, "正文", f"各附件的计划期不同，工程期暂取 {period[0]}–{period[1]}，请核定"))
        return period
    years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?=\s*年)", halfwidth(text))]
    if not years:
        raise DraftError("文件中找不到计划期（如“（2016－2020年）”）和任何年份，无法起草")
    period = (min(years), max(years))
    review.append(
        ReviewItem(first, "正文", f"没有找到写明的计划期，工程期暂取文中年份的范围 {period[0]}–{period[1]}，请核定")
    )
    return period


def _parts(outline: Outline, title: str, first: int, period: tuple[int, int]) -> list[tuple[Annex, list[Line]]]:
    """The parts that become plans, each with the lines searched for quota sentences.

    Every annex is one; task blocks in the main text (e.g. under 组织实施) make one more, whose
    quota lines are not searched (main-text quota lines belong to no plan). A document without
    annexes is one plan."""
    if not outline.annexes:
        return [(Annex("正文", 0, title or "正文", first, period, None, outline.main), outline.main)]
    parts: list[tuple[Annex, list[Line]]] = [(annex, annex.lines) for annex in outline.annexes]
    main_plan = Annex("正文", 0, "", first, None, None, outline.main)
    main_tasks, _ = find_tasks(main_plan, period)
    if main_tasks:
        heads = {outline.lines[t.line - 1].path[:1] for t in main_tasks}
        top = next(iter(heads)) if len(heads) == 1 else ()
        head = next((line for line in outline.main if line.heading == 1 and top and line.path == top), None)
        if head is not None:
            main_plan.title, main_plan.title_line = head.title.rstrip("。："), head.number
            main_plan.section = head.location()
        else:
            main_plan.title = "正文"
        parts.insert(0, (main_plan, []))
    return parts


def _units(first_seen: dict[str, tuple[int, str]], review: list[ReviewItem]) -> list[dict[str, Any]]:
    """Every responsible unit, its level guessed from its name and marked for review."""
    units: list[dict[str, Any]] = []
    inferred: list[str] = []
    for name, (line_number, where) in first_seen.items():
        level, sure = _unit_level(name)
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


def _quota_files(
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


def _schedules(
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


def _contradictions(
    quotas: list[tuple[str, dict[str, Any]]],
    tables: list[tuple[Annex, DraftTable]],
    levels: list[str],
    review: list[ReviewItem],
) -> list[dict[str, Any]]:
    """Where a drafted schedule disagrees with its table, as ``check`` computes it: both sides
    stay as the document states them, recorded in disagreements.yaml and listed for review."""
    from pydantic import ValidationError

    from ...load.model import QuotaTable
    from ..checks import schedule_problems

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
        lines = table.schedule_lines if table else []
        entry_id = f"{data['id']}-schedule"
        sides: list[dict[str, str]] = []

        def side(source: str, says: str | None) -> None:
            if says and {"source": source, "says": says} not in sides:  # noqa: B023 (called within this iteration)
                sides.append({"source": source, "says": says})  # noqa: B023 (called within this iteration)

        years = data["schedule"]
        for problem in problems:
            path = problem.path
            if problem.code == "schedule-mismatch" and path[0] == "rows":
                row = data["rows"][path[1]]
                side(row["source"], row["text"])
                listed = [
                    (y["source"], g["text"])
                    for y in years
                    for g in y["groups"]
                    if row["region"] in g.get("regions", {})
                ]
                for source, text in listed:
                    side(source, text)
                if not listed:
                    side(f"{years[0]['source']}–{years[-1]['source']}", f"各年度安排均未列出{row['region']}")
                line = next((r.line for r in table.rows if r.region == row["region"]), lines[0]) if table else 0
            elif problem.code == "schedule-total-mismatch":
                side(data["total"]["source"], data["total"]["text"])
                for year in years:
                    for group in year["groups"]:
                        side(year["source"], group["text"])
                line = lines[0] if lines else 0
            elif path[0] == "schedule" and len(path) > 2:  # a subtotal or a year's total
                year = years[path[1]]
                side(
                    year["source"],
                    year.get("total_text")
                    if problem.code == "schedule-year-total-mismatch"
                    else year["groups"][path[3]]["text"],
                )
                for group in year["groups"]:
                    side(year["source"], group["text"])
                line = lines[path[1]] if lines else 0
            else:  # a city-wide figure, or a region the rows do not list
                for row in data.get("rows", []):
                    side(row["source"], row["text"])
                for year in years:
                    for group in year["groups"]:
                        side(year["source"], group["text"])
                line = lines[0] if lines else 0
            review.append(
                ReviewItem(
                    line,
                    problem.source,
                    f"原文自相矛盾：{problem.message}。两处都按原文写入数据，未作更改；"
                    f"已记入 disagreements.yaml（{entry_id}），check 报为警告，请核定",
                )
            )
        if len(sides) < 2:  # both numbers in one sentence (a subtotal and its parts)
            sides.append(
                {
                    "source": sides[0]["source"] if sides else data["source"],
                    "says": "；".join(p.message for p in problems),
                }
            )
        entries.append(
            {
                "id": entry_id,
                "title": f"{data['title']}：年度安排与名额不一致（draft 起草时发现）",
                "reason": "；".join(p.message for p in problems) + "。原文如此，两处都按原文写入数据，未作更改；"
                "此条由 shiwanqian draft 起草时记下，请核定。",
                "sides": sides,
                "findings": [{"code": p.code, "subject": p.subject} for p in problems],
            }
        )
    return entries


def _targets(
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
) -> None:
    """Other targets (see targets.py), each in a quota table of its plan: the plan's first drafted
    table, or a table of its own. A main-text line belongs to the plan whose main section it is in."""
    used = set(schedule_lines)
    for _, table in tables:
        used |= {row.line for row in table.rows}
        used |= set(table.schedule_lines)
    quoted = [q["total"]["text"] for _, q in quotas if q.get("total")] + [
        q["shares"]["text"] for _, q in quotas if q.get("shares")
    ]
    used |= {line.number for line in outline.lines if any(text in line.text for text in quoted)}
    words = scope_words(regions)
    sections = {plan["main_section"]: plan["id"] for _, plan in plans if plan.get("main_section")}
    by_plan: dict[str, list[Any]] = {}
    for annex, _ in parts:
        if not annex.number and outline.annexes:
            continue  # main-text lines go to the plan whose section they are in (below)
        found, problems = find_targets(annex.lines, used, words, annex.period or period)
        review.extend(problems)
        by_plan.setdefault(plan_ids[annex.part], []).extend(found)
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
        found, problems = find_targets(lines, used, words, period)
        review.extend(problems)
        by_plan.setdefault(owner, []).extend(found)
    plan_of = {plan["id"]: plan for _, plan in plans}
    for plan_id, found in by_plan.items():
        if not found:
            continue
        found.sort(key=lambda t: t.line)
        table = next((q for _, q in quotas if q["plan"] == plan_id), None)
        if table is None:
            plan = plan_of[plan_id]
            table = {"id": plan_id, "title": plan["title"], "plan": plan_id, "source": plan["source"]}
            quotas.append((f"{plan_id}.yaml", table))
        table["targets"] = [t.as_data() for t in found]


def draft(text: str) -> Draft:
    outline = parse(text)
    review: list[ReviewItem] = []
    issuer, title, title_lines = _header(outline)
    first = title_lines[0] if title_lines else 1
    if not title:
        review.append(ReviewItem(1, "正文", "没有找到文件标题；programme.yaml 的 title 暂为“（待核）”"))
    if not issuer:
        review.append(ReviewItem(first, "正文", "没有找到发文单位；programme.yaml 的 issuer 暂为“（待核）”"))
    number = _document_number(text, title)
    if number is None:
        review.append(ReviewItem(first, "正文", "没有找到唯一的本文件文号；programme.yaml 的 document 暂为“（待核）”"))

    period = _period(outline, text, first, review)

    parts = _parts(outline, title, first, period)

    review.extend(table_lines(outline.lines))
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

    # Regions: every region named in a quota line, in order of first appearance.
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
        kind = _region_kind(name)
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

    schedule_lines = _schedules(outline, parts, tables, plan_tasks, regions, levels, review)

    # Plans.
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
        kind, section = _match_main(annex, outline) if annex.number else (None, annex.section)
        if kind is None:  # a kind whose number the main text does not state, so no count is upset
            stated = {
                k
                for k in _kinds("PlanKind")
                for line in outline.main
                if re.search(_COUNT + r"[^，。；、\d]{0,8}?" + re.escape(k), line.stripped)
            }
            kind = next((k for k in _kinds("PlanKind") if k not in stated), _kinds("PlanKind")[0])
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
    units = _units(unit_first_line, review)

    quotas = _quota_files(parts, tables, plan_ids, period, review)
    disagreements = _contradictions(quotas, tables, levels, review)
    _targets(outline, parts, tables, plans, plan_ids, quotas, regions, schedule_lines, period, review)

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
    programme = {
        "id": "programme",
        "title": title or "（待核）",
        "issuer": issuer or "（待核）",
        "document": number or "（待核）",
        "period": {"start": period[0], "end": period[1]},
        "source_text": "source.txt",
        "levels": levels,
    }
    counts, problems = _counts(outline, levels, regions, plans)
    review.extend(problems)
    if counts:
        programme["counts"] = counts
    # Task requirements that spell out numbers by region are yearly schedules: for a person.
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
    review = sorted(set(review))
    return Draft(
        programme, regions, units, plans, quotas, review, disagreements, sum(len(t) for t in plan_tasks.values())
    )
