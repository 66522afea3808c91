"""The document's own header: issuer, title and document number, the programme's period, and
the parts (annexes, the main text's task blocks) that become plans."""

from __future__ import annotations

import re

from ..numerals import halfwidth
from .outline import PERIOD, Annex, Line, Outline
from .review import ReviewItem
from .tasks import find_tasks


class DraftError(Exception):
    """The document cannot be drafted at all (no period, nothing recognisable)."""


DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔［\[（(]\s*((?:19|20)\d\d)\s*[〕］\])）]\s*\d+\s*号")


def header(outline: Outline) -> tuple[str, str, list[int]]:
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


def document_number(text: str, title: str) -> str | None:
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


def period_of(outline: Outline, text: str, first: int, review: list[ReviewItem]) -> tuple[int, int]:
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


def parts_of(outline: Outline, title: str, first: int, period: tuple[int, int]) -> list[tuple[Annex, list[Line]]]:
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
