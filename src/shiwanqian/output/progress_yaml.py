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
