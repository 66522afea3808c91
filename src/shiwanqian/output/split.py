"""A proposed split (``domain.refine.split``) as a table, as records, in words, and as a quota
table file to review (``allocate 表编号 --out 文件.yaml`` on a refining table)."""

from __future__ import annotations

import json
from typing import Any

from ..domain.refine.split import Split
from .render import Section


def _years(split: Split) -> list[int | None]:
    """The split's columns: the parent's years, then the part without a year where there is one."""
    extra: list[int | None] = [None] if any(split.unscheduled(lv) for lv in split.levels) else []
    return [*split.years, *extra]


def unscheduled(split: Split) -> str | None:
    """The parts the parent gives no year (学前教育 10、职业教育 9), when it gives others one: the
    proposal has them in the rows but not in the schedule, which the county still has to decide."""
    left = [(lv, split.unscheduled(lv)) for lv in split.levels if split.unscheduled(lv)]
    if not left or not split.years:
        return None
    return "、".join(f"{lv.child or '合计'} {n}" for lv, n in left)


def sections(split: Split, region: str | None, parent_name: str) -> list[Section]:
    table, margins = split.table, split.margins
    columns = _years(split)
    headers = ["区域", "学段", *(f"{y}年" if y is not None else "不分年度" for y in columns), "合计"]
    rows = []
    regions = [region] if region is not None else split.regions
    for name in regions:
        for level in split.levels:
            total = split.total(name, level)
            if not total and not level.weights[split.regions.index(name)]:
                continue
            rows.append([name, level.child or "", *(str(split.value(name, level, y)) for y in columns), str(total)])
    if region is None:
        rows.append(
            [
                "合计",
                "",
                *(str(sum(split.value(r, lv, y) for r in split.regions for lv in split.levels)) for y in columns),
                str(sum(split.total(r, lv) for r in split.regions for lv in split.levels)),
            ]
        )
        given = [sum(_figure(split, lv, y) for lv in split.levels) for y in columns]
        rows.append([f"上级给{split.region}", "", *(str(v) for v in given), str(margins.total)])
    sources = "；".join(
        dict.fromkeys([*(f.source for f in margins.totals.values()), *(f.source for f in margins.yearly.values())])
    )
    caption = [
        f"权重：{split.weights.basis}（{split.weights.source}）。各学段、各年之和恰为上级（{parent_name}）给"
        f"{split.region}的数（{sources}）；每格与各单位每学段的合计只取精确值的下整或上整。"
        f"方法：受控取整；与精确值的绝对偏差之和 {float(split.deviation()):.2f}。",
    ]
    left = unscheduled(split)
    if left is not None:
        caption.append(f"上级没有分到年份的（“不分年度”一列）：{left}；这部分的年份由本级定下后写入 schedule。")
    caption.append("这是提议：审定后写入本级文件，再转录为数据（--out 文件.yaml 写出可审定的名额表文件）。")
    title = f"{table.title}分解提议（{table.unit or ''}）" + (f"— {region}" if region else "")
    return [Section(title, headers, rows, caption="\n".join(caption), numeric=set(range(2, len(headers))))]


def _figure(split: Split, level: Any, year: int | None) -> int:
    if year is None:
        return split.unscheduled(level)
    figure = split.margins.yearly.get((level.parent, year))
    return figure.value if figure is not None else 0


def _plain(x: Any) -> str:
    from ..domain.allocation.explain import number

    return number(x)


def records(split: Split, region: str | None) -> list[dict[str, Any]]:
    """One record per region, 学段 and year (``year`` null: the part without a year)."""
    out = []
    for name in [region] if region is not None else split.regions:
        i = split.regions.index(name)
        for level in split.levels:
            for year in _years(split):
                cell = (level.parent or "", "—" if year is None else str(year))
                if cell not in level.problem.quotas:
                    continue
                out.append(
                    {
                        "quota": split.table.id,
                        "region": name,
                        "level": level.child,
                        "parent_level": level.parent,
                        "year": year,
                        "kind": "split",
                        "value": split.value(name, level, year),
                        "exact": _plain(level.problem.exact(cell, i)),
                        "weight": level.weights[i],
                    }
                )
    return out


def explain_section(rounded: list[Any], whole: int, region: str) -> Section:
    rows = [
        [
            r.level or "",
            f"{r.year}年" if r.year is not None else "不分年度",
            r.arithmetic,
            str(r.value),
            r.direction,
            r.reason,
        ]
        for r in rounded
    ]
    caption = (
        f"只列需要取整的 {len(rounded)} 格；其余 {whole} 格的精确值（上级的数 × 本单位权重 ÷ 权重之和）本来就是整数。"
        "进位：取比精确值大的整数；舍去：取比精确值小的整数。"
    )
    return Section(
        f"分解取整说明 — {region}", ["学段", "年份", "算式", "取整", "方向", "原因"], rows, caption=caption, numeric={3}
    )


def q(value: Any) -> str:
    """A YAML scalar or flow collection that reads back as exactly ``value``."""
    return json.dumps(value, ensure_ascii=False)


def proposal_yaml(split: Split, parent_name: str) -> str:
    """The table with the proposed rows and schedule, for review: every other field as it is.

    Each number's ``text`` is the sentence the proposal suggests for the county's document; it
    must appear there (source.txt) before ``check`` passes."""
    table = split.table
    unit = table.unit or ""
    keep = table.model_dump(mode="json", exclude_defaults=True, exclude={"rows", "schedule"})
    lines = [
        "# yaml-language-server: $schema=../schemas/quota.schema.json\n",
        f"# 分解提议（shiwanqian allocate {table.id}）：按“{split.weights.basis}”（{split.weights.source}）受控取整，\n",
        f"# 各学段、各年之和恰为上级（{parent_name}）给{split.region}的数。请审定；采用时把各 text 写入本级文件（source.txt），\n",
        f"# 出处（source）改为本级文件中的位置，再用本文件替换 quotas/ 中的 {table.id} 表。\n",
    ]
    lines += [f"{key}: {q(value)}\n" for key, value in keep.items()]
    lines.append("rows:\n")
    by_level = any(lv.child is not None for lv in split.levels)
    for name in split.regions:
        cells = [(lv.child, split.total(name, lv)) for lv in split.levels if split.total(name, lv)]
        if not cells:
            continue
        total = sum(v for _, v in cells)
        if by_level:
            text = f"{name}：" + "、".join(f"{lv}{v}{unit}" for lv, v in cells) + f"。合计{total}{unit}。"
            values = dict(cells)
            lines.append(
                f"  - region: {q(name)}\n    values: {q(values)}\n    total: {total}\n"
                f"    text: {q(text)}\n    source: {q(table.source)}\n"
            )
        else:
            text = f"{name}{total}{unit}"
            lines.append(f"  - {{region: {q(name)}, value: {total}, text: {q(text)}, source: {q(table.source)}}}\n")
    if split.years:
        lines.append("schedule:\n")
        for year in split.years:
            if not any(split.value(r, lv, year) for r in split.regions for lv in split.levels):
                continue  # the parent's figures for the year are all 0
            lines.append(f"  - year: {year}\n    source: {q(table.source)}\n    groups:\n")
            for level in split.levels:
                cell = (level.parent or "", str(year))
                regions = {r: split.value(r, level, year) for r in split.regions if split.value(r, level, year)}
                if cell not in level.problem.quotas or not regions:
                    continue
                text = f"{year}年{level.child or ''}" + "、".join(f"{r}{v}{unit}" for r, v in regions.items())
                head = f"level: {q(level.child)}, " if level.child is not None else ""
                lines.append(f"      - {{{head}regions: {q(regions)}, text: {q(text)}}}\n")
    left = unscheduled(split)
    if left is not None:
        lines.append(f"# 上级没有分到年份的：{left}；各单位的这部分已在 rows 中，年份由本级定下后补入 schedule。\n")
    return "".join(lines)
