"""What ``review`` shows: the items left (``--list``, as text or JSON) and one item at a time."""

from __future__ import annotations

from typing import Any

from ..safetext import json_dumps, one_line


def card(item: Any, number: int | None = None, total: int | None = None) -> str:
    """One proposal or 待核 item as the lines a person reads before deciding."""
    count = f"[{number}/{total}] " if number is not None and total is not None else ""
    if item.kind == "proposal":
        lines = [
            f"{count}建议 {item.id} · 第 {item.line} 行（{one_line(item.where)}）· {one_line(item.file)}:{item.position[0]}",
            f"  原文：“{one_line(item.quote)}”",
            f"  建议：{one_line(item.what)}（名称：{one_line(item.target.get('name', ''))}）",
            f"  理由：{one_line(item.reason)}",
        ]
    else:
        lines = [f"{count}待核 {item.id} · 第 {item.line} 行（{one_line(item.where)}）", f"  {one_line(item.what)}"]
        if item.quote and item.quote not in item.what:
            lines.append(f"  原文：“{one_line(item.quote)}”")
    return "\n".join(lines)


def listing(proposals: list[Any], items: list[Any]) -> str:
    """``review --list``: every proposal, then every 待核 item, and how many are left."""
    blocks = [card(item) for item in [*proposals, *items]]
    if proposals or items:
        summary = f"尚余 {len(proposals)} 条建议、{len(items)} 项待核。"
    else:
        summary = "没有待核的建议或事项了。"
    return "".join(block + "\n" for block in blocks) + ("\n" if blocks else "") + summary + "\n"


def listing_json(proposals: list[Any], items: list[Any]) -> str:
    return json_dumps([i.as_dict() for i in [*proposals, *items]], indent=2) + "\n"
