"""A ``Draft`` as the files of a data folder (YAML in the hand-written style, and 待核.md)."""

from __future__ import annotations

from typing import Any

from . import REVIEW_FILE, Draft

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
        out["disagreements.yaml"] = _file("schemas/disagreements.schema.json",
                                          {"disagreements": result.disagreements})
    for name, plan in result.plans:
        out[f"plans/{name}"] = _file("../schemas/plan.schema.json", plan)
    for name, table in result.quotas:
        out[f"quotas/{name}"] = _file("../schemas/quota.schema.json", table)
    for name, text in schemas().items():
        out[f"schemas/{name}"] = text
    out[REVIEW_FILE] = review_markdown(result)
    return out


def review_markdown(result: Draft) -> str:
    lines = [
        "# 待核",
        "",
        "以下内容 shiwanqian draft 未能确定，已留在数据之外（或按名称推断、标明待核）。"
        "行号指 source.txt 的行；核定后请手工补入数据，并运行 `shiwanqian check`。",
        "",
        f"- 起草任务 {result.tasks_found} 项、名额表 {len(result.quotas)} 张、区域 {len(result.regions)} 个、"
        f"责任单位 {len(result.units)} 个；待核 {len(result.review)} 项。",
        "",
    ]
    if not result.review:
        lines.append("（没有待核内容。）")
    lines += [item.render() for item in result.review]
    return "\n".join(lines) + "\n"
