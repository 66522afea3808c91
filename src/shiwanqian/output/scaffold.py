"""The files of a new, empty programme: what ``shiwanqian init`` writes.

Each file starts with the ``# yaml-language-server: $schema=`` line the shipped data uses
and says in comments where each part of the document goes. The result passes ``check`` as it
is: the programme, its regions and 学段, a minimal list of responsible units, no plans or
quota tables yet (``plans/`` and ``quotas/`` hold commented templates, not data files).
Every value from the user is written as a double-quoted YAML string (JSON's quoting), so no
title or name can change the shape of a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

SOURCE = "source.txt"


@dataclass(frozen=True)
class NewProgramme:
    id: str
    title: str
    issuer: str
    document: str
    start: int
    end: int
    regions: tuple[str, ...]
    levels: tuple[str, ...]


def q(value: object) -> str:
    """A YAML scalar or flow list that reads back as exactly ``value``."""
    return json.dumps(value, ensure_ascii=False)


def region_kind(name: str) -> str:
    """A first guess from the name's last character (the user is asked to check it)."""
    if "直属" in name or name.startswith("市直"):
        return "直属"
    if name.endswith("区"):
        return "区"
    return "县市"


def schema_line(kind: str, depth: int = 0) -> str:
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{kind}.schema.json\n"


def programme_yaml(p: NewProgramme) -> str:
    from ..load.naming import derive_short_name

    return (
        schema_line("programme") + "# 工程总体信息：发文单位、文件名称与文号、计划期、学段。逐字照抄原文。\n"
        f"id: {q(p.id)}\n"
        f"title: {q(p.title)}\n"
        f"issuer: {q(p.issuer)}\n"
        f"document: {q(p.document)}\n"
        "# 简称：时间线、日历、工作簿和帮助的标题用它；不写时由标题推得。\n"
        f"short_name: {q(derive_short_name(p.title))}\n"
        f"period: {{start: {p.start}, end: {p.end}}}\n"
        "# 原文全文（逐字，UTF-8）放在同一目录的 source.txt；check 会核对每一条 text 引文是否出自原文。\n"
        f"source_text: {SOURCE}\n"
        "# 学段：名额表 values 的键、年度安排的 level 都须出自这里，顺序即表格的列顺序。\n"
        f"levels: {q(list(p.levels))}\n"
        "# 原文关于“有多少个”的陈述（check 会与所列内容核对），例如：\n"
        "#   - what: regions        # regions、regions:县市、regions:区、plans、plans:支持计划、plans:工作专项、levels\n"
        f"#     value: {len(p.regions)}\n"
        "#     text: 原文中的那句话（逐字）\n"
        "#     source: 正文 一\n"
        "counts: []\n"
    )


def regions_yaml(p: NewProgramme) -> str:
    lines = [
        schema_line("regions"),
        "# 名额分解到的区域，按原文任务分解的顺序。\n",
        "# kind：县市、区 或 直属（下面由名称末字推测，请核对）；short / pinyin：用户查询时可输入的简称与拼音；\n",
        "# later_names：后来的名称（如撤县设区），查询时自动换算；source：原文中列出该区域的位置（请改为实际出处）。\n",
        "regions:\n",
    ]
    for name in p.regions:
        lines += [
            f"  - name: {q(name)}\n",
            f"    kind: {q(region_kind(name))}\n",
            "    short: []\n",
            "    pinyin: []\n",
            '    source: "正文"\n',
        ]
    return "".join(lines)


def units_yaml(p: NewProgramme) -> str:
    return (
        schema_line("units") + "# 责任单位词表：任务的“责任单位”必须出自此表（拼错即报错，不会成为新单位）。\n"
        "# level：市 = 市本级；县市区 = 每个县市区各有一个；学校 = 各学校（每个区域都有）；各级 = 市、县市区、学校各级都有。\n"
        "# region：只属于某一区域的单位；aliases：用户在 --unit 中可输入的其他叫法。\n"
        "units:\n"
        f"  - name: {q(p.issuer)}\n"
        "    level: 市\n"
        "  - name: 县市区教育局\n"
        "    level: 县市区\n"
        "  - name: 学校\n"
        "    level: 学校\n"
    )


def disagreements_yaml() -> str:
    return (
        schema_line("disagreements")
        + "# 原文自相矛盾之处（已确认）：两处说法都照原文记在数据里，不改数；check 算出的差异在此登记后作为警告列出。\n"
        "# 每条：id、title、reason、sides（source、says，至少两处）、findings（code、subject，即 check 报告的代码与对象）。\n"
        "disagreements: []\n"
    )


PLAN_TEMPLATE = """# yaml-language-server: $schema=../schemas/plan.schema.json
# 计划（一个附件或正文的一部分）的模板：复制为 plans/01-编号.yaml（扩展名 .yaml）后填写。
# 每个 text、when、requirement 都须逐字出自 source.txt。
id: plan-id                 # 编号：英文字母、数字和连字符，名额表的 plan 引用它
order: 1                    # 在文件中的顺序
kind: 支持计划              # 支持计划、工作专项、领导小组 或 考核办法
title: 计划名称（逐字）
annex: 附件1                # 附件号；正文中的计划写 main_section
main_section: 正文 二、1
period: {start: START, end: END}
source: 附件1
aims:
  - text: 目标任务的原文
    source: 附件1 二
tasks:                      # 原文“主要工作安排”的每一项
  - item: "1"
    name: 事项名称
    when: 实施时间的原文（如 START-END年，每年8月）
    timing: {years: [START], months: [8]}   # 结构化的实施时间；另有 half、deadline_month、season、recurrence
    requirement: 工作要求的原文
    units: [单位名]         # 须出自 units.yaml
    source: 附件1 四 1
"""

QUOTA_TEMPLATE = """# yaml-language-server: $schema=../schemas/quota.schema.json
# 名额表的模板：复制为 quotas/编号.yaml（扩展名 .yaml）后填写。有 rows（分解到各区域）的表是主表，
# quota、timeline 和工作簿按计划顺序列出。每个数字都须出现在它所引的 text 中。
id: table-id
title: 名额表名称
plan: plan-id               # 所属计划的编号
unit: 人                    # 单位：人、节、个……
by_level: true              # 按学段分解时为 true，rows 用 values；否则 rows 用 value
source: 附件1 二（二）
total: {value: 100, text: 总数所在的原文, source: 附件1 二（一）}
rows:                       # 每个区域一行：各学段的数与原文合计
  - region: 区域名
    values: {LEVEL: 100}
    total: 100
    text: 区域名：LEVEL100人。合计100人。
    source: 附件1 二（二）1
# schedule:                 # 文件给出的年度安排（各区域，或只给全市数的 total）
#   - year: START
#     source: 附件1 四 1
#     groups: [{level: LEVEL, regions: {区域名: 100}, text: 原文}]
# shares:                   # 年度比例（各年占总任务的百分比，合计 100），allocate 据此取整
#   values: {START: 100}
#   text: 原文
#   source: 附件1 四 2
# rates:                    # 单价与标准，budget 用它们乘以数量；key 为英文，unit 写作 元/节、学分/人……
#   - {key: fee, name: 补助, value: 100, unit: 元/人, text: 原文, source: 附件1 三 1}
# targets:                  # 其他指标（完成率、标准……），scope 为 全市、各区域、每县市区 或区域名
#   - {name: 指标名称, value: 100, unit: "%", scope: 全市, text: 原文, source: 附件1 二 1}
"""


def source_txt(p: NewProgramme) -> str:
    return f"{p.issuer}\n\n{p.title}\n\n（{p.document}）\n\n（请把原文全文逐字粘贴到这里，替换本文件的全部内容。）\n"


def files(p: NewProgramme) -> dict[str, str]:
    """Relative path → content of every file of the new data folder (schemas included)."""
    from ..load.schemas import schemas

    level = p.levels[0]
    result = {
        "programme.yaml": programme_yaml(p),
        "regions.yaml": regions_yaml(p),
        "units.yaml": units_yaml(p),
        "disagreements.yaml": disagreements_yaml(),
        SOURCE: source_txt(p),
        "plans/计划模板.yaml.example": PLAN_TEMPLATE.replace("START", str(p.start)).replace("END", str(p.end)),
        "quotas/名额表模板.yaml.example": QUOTA_TEMPLATE.replace("START", str(p.start)).replace("LEVEL", level),
    }
    result.update({f"schemas/{name}": text for name, text in schemas().items()})
    return result
