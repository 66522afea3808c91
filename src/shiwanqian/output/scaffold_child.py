"""The files of a new programme that refines a parent's region (``shiwanqian init --parent``).

Like ``scaffold``: every value from the user or the parent is written as a JSON-quoted YAML
scalar, and each file says in comments what goes where. The programme names its parent and
the region it splits; its regions are the sub-units given (乡镇, 县直学校 …); there is a plan
for each parent plan whose table it refines and a quota table for each parent table that gives
the region a figure, with ``refines`` set and the parent's figures for the region (by 学段 and
year, with their citations) written above the rows the user fills in. Until those rows are
filled, ``check`` reports each 学段's missing sum against the parent's number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.refine.parent import Margins, Parent
from .scaffold import SOURCE, disagreements_yaml, q, schema_line

DEFAULT_PLAN_KINDS = ("支持计划", "工作专项", "领导小组", "考核办法")


@dataclass(frozen=True)
class NewChild:
    id: str
    title: str
    issuer: str
    document: str
    parent_data: str  # the parent's data folder, relative to the new folder
    parent: Parent
    units: tuple[str, ...]  # the new programme's regions: the parent region's sub-units
    plans: tuple[dict[str, Any], ...]  # the parent's plans that own a refined table (plan, title, category)
    tables: tuple[dict[str, Any], ...]  # the parent's table summaries (quota, plan, by_level …) refined

    @property
    def area(self) -> str:
        """The word for the new programme's whole area: a 县 → 全县, a 区 → 全区, a 市 → 全市."""
        last = self.parent.region[-1:]
        return f"全{last}" if last in ("县", "区", "市", "旗", "镇", "乡") else "全县"

    @property
    def level_word(self) -> str:
        """The unit level of the new programme's own bureau (县, 区 …)."""
        return self.area[1:]


def unit_kind(name: str) -> str:
    """A first guess from the name (the user is asked to check it)."""
    if name.endswith(("镇", "乡")):
        return "乡镇"
    if name.endswith(("街道", "办事处")):
        return "街道"
    return "直属"


def programme_yaml(c: NewChild) -> str:
    parent = c.parent
    kinds = sorted({p["category"] for p in c.plans} - set(DEFAULT_PLAN_KINDS))
    plan_kinds = f"  plan_kinds: {q([*DEFAULT_PLAN_KINDS, *kinds])}\n" if kinds else ""
    return (
        schema_line("programme")
        + f"# 下级工程：分解上级（{parent.name}，{parent.document}）分给{parent.region}的名额。逐字照抄本级文件。\n"
        f"id: {q(c.id)}\n"
        f"title: {q(c.title)}\n"
        f"issuer: {q(c.issuer)}\n"
        f"document: {q(c.document)}\n"
        f"period: {{start: {parent.period[0]}, end: {parent.period[1]}}}  # 须与上级一致\n"
        "# 本级文件全文（逐字，UTF-8）放在同一目录的 source.txt；check 会核对每一条 text 引文是否出自原文。\n"
        f"source_text: {SOURCE}\n"
        "# 学段：与上级叫法不同的，在名额表的 refines.levels 中写明对照（本级学段: 上级学段）。\n"
        f"levels: {q(list(parent.levels))}\n"
        "counts: []\n"
        "# 上级：数据目录（相对于本目录）与所分解的区域。check 核对各区域之和等于上级分给该区域的数。\n"
        "parent:\n"
        f"  data: {q(c.parent_data)}\n"
        f"  region: {q(parent.region)}\n"
        "  # 按比例提出分解（shiwanqian allocate 表编号 --data 本目录）时的权重，如各单位的专任教师数：\n"
        "  # weights:\n"
        "  #   basis: 各单位专任教师数\n"
        "  #   source: 教师统计\n"
        f"  #   values: {{{c.units[0]}: {{{parent.levels[0]}: 100}}}}\n"
        "vocabulary:\n"
        f"  area: {q(c.area)}  # 全域的称呼：输出中凡指全域之处都用它\n"
        '  region_kinds: ["乡镇", "街道", "直属"]\n'
        "  scopes:\n"
        f"    - {{name: {q(c.area)}}}\n"
        '    - {name: "各乡镇", kinds: ["乡镇"]}\n'
        '    - {name: "各单位", every: true}\n'
        "  unit_levels:\n"
        f"    - {{name: {q(c.level_word)}}}\n"
        '    - {name: "乡镇", kinds: ["乡镇", "街道"]}\n'
        '    - {name: "学校", every: true}\n' + plan_kinds
    )


def regions_yaml(c: NewChild) -> str:
    lines = [
        schema_line("regions"),
        f"# 名额分解到的单位（{c.parent.region}的乡镇、街道、直属学校……），按本级文件的顺序。\n",
        "# kind：乡镇、街道 或 直属（下面由名称推测，请核对）；source：本级文件中列出该单位的位置（请改为实际出处）。\n",
        "regions:\n",
    ]
    for name in c.units:
        lines += [f"  - name: {q(name)}\n", f"    kind: {q(unit_kind(name))}\n", '    source: "正文"\n']
    return "".join(lines)


def units_yaml(c: NewChild) -> str:
    return (
        schema_line("units") + "# 责任单位词表：任务的“责任单位”必须出自此表。\n"
        f"# level：{c.level_word} = 本级；乡镇 = 每个乡镇、街道各有一个；学校 = 各学校（每个单位都有）。\n"
        "units:\n"
        f"  - name: {q(c.issuer)}\n"
        f"    level: {q(c.level_word)}\n"
        '  - name: "各乡镇中心学校"\n'
        '    level: "乡镇"\n'
        '  - name: "学校"\n'
        '    level: "学校"\n'
    )


def plan_yaml(plan: dict[str, Any], order: int) -> str:
    return (
        schema_line("plan", 1) + f"# 上级的计划 {plan['plan']}（{plan['title']}）在本级的对应部分；编号与上级相同。\n"
        f"id: {q(plan['plan'])}\n"
        f"order: {order}\n"
        f"kind: {q(plan['category'])}\n"
        f"title: {q(plan['title'])}\n"
        'source: "正文"  # 本级文件中的出处\n'
        "tasks: []  # 本级文件“工作安排”的每一项：item、name、when、timing、requirement、units、source（模板见 init 的计划模板）\n"
    )


def _figures(margins: Margins) -> list[str]:
    """Comment lines with the parent's figures for the region."""
    named = [lv for lv in margins.totals if lv is not None]
    totals = (
        "、".join(f"{lv} {margins.totals[lv].value}" for lv in named) + f"，合计 {margins.total}"
        if named
        else str(margins.total)
    )
    sources = "；".join(dict.fromkeys(f.source for f in margins.totals.values()))
    lines = [f"#   名额：{totals}（{sources}）\n"]
    how = "年度安排" if margins.kind == "schedule" else "年度分配（按年度比例受控取整）"
    for year in sorted({y for _, y in margins.yearly}):
        cells = [(lv, margins.yearly[lv, year]) for lv in margins.yearly_levels(year)]
        text = "、".join(f"{lv} {f.value}" if lv else str(f.value) for lv, f in cells)
        lines.append(f"#   {year} 年{how}：{text}（{cells[0][1].source}）\n")
    return lines


def quota_yaml(c: NewChild, summary: dict[str, Any], margins: Margins) -> str:
    parent = c.parent
    by_level = bool(summary["by_level"])
    first = c.units[0]
    example = (
        f"values: {{{', '.join(f'{lv}: 0' for lv in margins.totals if lv is not None)}}}" if by_level else "value: 0"
    )
    years = sorted({y for _, y in margins.yearly})
    head = [
        schema_line("quota", 1),
        f"# 分解上级（{parent.name}）的 {margins.table} 表中{parent.region}的数。上级给{parent.region}的数：\n",
        *_figures(margins),
        "# 各单位之和须恰为上述各数（check 核对）；shiwanqian allocate 本表编号 --data 本目录 可按权重提出分解。\n",
        f"id: {q(margins.table)}\n",
        f"title: {q(margins.title)}\n",
        f"plan: {q(summary['plan'])}\n",
    ]
    if margins.unit:
        head.append(f"unit: {q(margins.unit)}\n")
    if by_level:
        head.append("by_level: true\n")
    head += [
        'source: "正文"  # 本级文件中的出处\n',
        f"refines: {{table: {q(margins.table)}}}  # 学段叫法不同时加 levels: {{本级学段: 上级学段}}\n",
        "rows: []  # 每个单位一行，逐字照抄本级文件，如：\n",
        f"#  - region: {first}\n",
        f"#    {example}\n",
        f"#    text: {first}：……（本级文件的原文）\n",
        "#    source: 正文 二\n",
    ]
    if years:
        head += [
            f"schedule: []  # 上级逐年有数（{'、'.join(map(str, years))} 年）：每年一项，各单位之和须等于上级当年的数，如：\n",
            f"#  - year: {years[0]}\n",
            "#    source: 正文 二\n",
            "#    groups:\n",
            f"#      - {{{'level: ' + str(margins.yearly_levels(years[0])[0]) + ', ' if by_level else ''}"
            f"regions: {{{first}: 0}}, text: 原文}}\n",
        ]
    return "".join(head)


def source_txt(c: NewChild) -> str:
    return (
        f"{c.issuer}\n\n{c.title}\n\n（{c.document}）\n\n"
        f"（请把本级文件全文逐字粘贴到这里，替换本文件的全部内容。本工程分解 {c.parent.document} 分给{c.parent.region}的名额。）\n"
    )


def file_name(ident: str) -> str:
    """An id as part of a file name: no folder separators or characters Windows refuses."""
    return "".join("-" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in ident).strip(". ") or "table"


def files(c: NewChild) -> dict[str, str]:
    """Relative path → content of every file of the new data folder (schemas included)."""
    from ..load.schemas import schemas

    result = {
        "programme.yaml": programme_yaml(c),
        "regions.yaml": regions_yaml(c),
        "units.yaml": units_yaml(c),
        "disagreements.yaml": disagreements_yaml(),
        SOURCE: source_txt(c),
    }
    for order, plan in enumerate(c.plans, start=1):
        result[f"plans/{order:02d}-{file_name(plan['plan'])}.yaml"] = plan_yaml(plan, order)
    for summary in c.tables:
        result[f"quotas/{file_name(summary['quota'])}.yaml"] = quota_yaml(c, summary, c.parent.tables[summary["quota"]])
    result.update({f"schemas/{name}": text for name, text in schemas().items()})
    return result
