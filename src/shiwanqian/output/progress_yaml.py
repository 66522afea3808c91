"""A progress report as YAML text: the file ``progress import`` writes.

Deterministic (the same report gives the same bytes, so a second import changes nothing),
one line per figure, every value quoted by PyYAML where YAML would misread it.
"""

from __future__ import annotations

from typing import Any

HEADER = "# 由 shiwanqian progress import 从交回的填报工作簿生成；可手工更正，更正后请运行 shiwanqian check。\n"


def _flow(record: dict[str, Any] | list[Any]) -> str:
    import yaml

    return yaml.safe_dump(record, allow_unicode=True, default_flow_style=True, sort_keys=False, width=1 << 20).strip()


def report_text(report: dict[str, Any]) -> str:
    import yaml

    head = {key: report[key] for key in ("id", "reporter", "as_of", "evidence")}
    lines = [HEADER.rstrip("\n"), yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=1 << 20).rstrip("\n")]
    if report.get("supersedes"):
        lines.append("supersedes: " + _flow(list(report["supersedes"])))
    for section in ("quotas", "tasks"):
        entries = report.get(section) or []
        if entries:
            lines.append(f"{section}:")
            lines += [f"  - {_flow(entry)}" for entry in entries]
    return "\n".join(lines) + "\n"


OWNER_HEADER = (
    "# 本进度目录所属的工程，由 shiwanqian progress import 写入：编号、文号与计划期须与数据目录的 programme.yaml 相同，\n"
    "# 否则这个进度目录不会被当作该工程的填报读取（见 docs/guide/progress.md）。\n"
)


def owner_text(identity: dict[str, Any]) -> str:
    """The progress folder's ``programme.yaml``: which programme its reports belong to."""
    import yaml

    start, end = identity["period"]
    head = {"programme": identity["programme"], "document": identity["document"]}
    lines = [
        OWNER_HEADER.rstrip("\n"),
        yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=1 << 20).rstrip("\n"),
        f"period: {{start: {start}, end: {end}}}",
    ]
    if identity.get("title"):
        lines.append(yaml.safe_dump({"title": identity["title"]}, allow_unicode=True, width=1 << 20).rstrip("\n"))
    return "\n".join(lines) + "\n"
