"""A ``Draft`` as the files of a data folder (YAML in the hand-written style, and 待核.md)."""

from __future__ import annotations

from typing import Any

from ...safetext import markdown as inert
from .pipeline import REVIEW_FILE, Draft
from .review import PROPOSALS, ReviewItem

GROUP_OVER = 10  # a section listing more items than this is grouped by annex

NOTE = "# 由 shiwanqian draft 从原文起草：每个值都带有原文引文；未能确定的内容见 待核.md。"


def _yaml(data: Any) -> str:
    import yaml

    # Leaf mappings and lists in flow style ({高中: 500, …}, [2016, 2017]), as people write them.
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=10**6)


def _file(schema: str, data: Any) -> str:
    return f"# yaml-language-server: $schema={schema}\n{NOTE}\n{_yaml(data)}"


def files(result: Draft, source_text: str) -> dict[str, str]:
    """Relative path → text of every file in the drafted data folder."""
    from ...load.schemas import schemas

    out: dict[str, str] = {
        "programme.yaml": _file("schemas/programme.schema.json", result.programme),
        "regions.yaml": _file("schemas/regions.schema.json", {"regions": result.regions}),
        "units.yaml": _file("schemas/units.schema.json", {"units": result.units}),
        "source.txt": source_text,
    }
    if result.disagreements:
        out["disagreements.yaml"] = _file("schemas/disagreements.schema.json", {"disagreements": result.disagreements})
    for name, plan in result.plans:
        out[f"plans/{name}"] = _file("../schemas/plan.schema.json", plan)
    for name, table in result.quotas:
        out[f"quotas/{name}"] = _file("../schemas/quota.schema.json", table)
    for name, text in schemas().items():
        out[f"schemas/{name}"] = text
    out[REVIEW_FILE] = review_markdown(result, source_text)
    return out


def review_markdown(result: Draft, source_text: str = "") -> str:
    main = [item for item in result.review if not item.section]
    proposed = sum(1 for item in result.review if item.section == PROPOSALS)
    unscoped = len(result.review) - len(main) - proposed
    lines = [
        "# 待核",
        "",
        "以下内容 shiwanqian draft 未能确定，已留在数据之外（或按名称推断、标明待核）。"
        "行号指 source.txt 的行；核定后请手工补入数据，并运行 `shiwanqian check`。"
        + (
            "文末“建议的指标”已写入数据、标为待核（review: proposed），`shiwanqian review` 逐条接受、修改或删除。"
            if proposed
            else ""
        ),
        "",
        f"- 起草任务 {result.tasks_found} 项、名额表 {len(result.quotas)} 张、区域 {len(result.regions)} 个、"
        f"责任单位 {len(result.units)} 个；待核 {len(main)} 项"
        + (f"；建议的指标 {proposed} 条（见文末）" if proposed else "")
        + (f"，另有写有数字要求、未写明范围或年份的分句 {unscoped} 处（见文末）。" if unscoped else "。"),
        "",
    ]
    if not main:
        lines.append("（没有待核内容。）")
    lines += [item.render() for item in main]
    sections: dict[str, list[ReviewItem]] = {PROPOSALS: []}  # the proposals first: they are in the data
    for item in result.review:
        if item.section:
            sections.setdefault(item.section, []).append(item)
    lines_of = source_text.split("\n")

    def place(item: ReviewItem) -> tuple[int, int, int]:  # document order, also within one line
        text = lines_of[item.line - 1] if 0 < item.line <= len(lines_of) else ""
        return item.line, text.find(item.quote), int(item.id.rsplit("-", 1)[-1]) if item.id else 0

    for heading, items in sections.items():
        if not items:
            continue
        items.sort(key=place)
        lines += ["", f"## {heading}", ""]
        parts: dict[str, list[ReviewItem]] = {}
        for item in items:
            parts.setdefault(item.where.split()[0] if item.where.split() else "", []).append(item)
        if len(items) <= GROUP_OVER or len(parts) == 1:
            lines += [item.render() for item in items]
            continue
        for part, grouped in parts.items():  # a long list: one heading per annex, in document order
            lines += [f"### {inert(part)}（{len(grouped)} 项）", "", *[item.render() for item in grouped], ""]
        lines.pop()
    return "\n".join(lines) + "\n"
