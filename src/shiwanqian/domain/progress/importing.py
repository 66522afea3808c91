"""Importing returned workbooks: the report files to write, checked together with the reports
already held, and what changes.

Nothing is written here: ``plan_import`` returns the files (path, text) the command writes
only when the whole import is sound. A workbook becomes the file
``{region}-{year}-{as-of}.yaml`` with that id; importing it again gives the same text
(nothing changes); a later as-of date for the same region and year supersedes the earlier
imports (the mid-year 督查 figures give way to the year-end 考核 ones).

A figure above the region's quota or far above the year's target (``doubt``) is imported and
listed in ``Outcome.doubts``; ``progress`` shows it as 待核 until it is confirmed. With
``confirm`` the doubtful figures of the imported workbooks are written ``confirmed: true``; a
figure confirmed before stays confirmed while it is unchanged (importing the same workbook
again changes nothing).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...findings import Finding
from .basis import TOTAL
from .cells import Cells, resolve
from .doubt import Doubt, doubts_of
from .validate import check_progress


@dataclass
class Outcome:
    writes: list[tuple[Path, str]] = field(default_factory=list)
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, 新建 | 更新 | 无变化)
    changes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)  # doubtful figures of the imported workbooks


def file_name(region: str, year: int, as_of: str) -> str:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", region)
    return f"{safe}-{year}-{as_of}.yaml"


def _located(path: Path, text: str):
    from ...load import yamlpos
    from ...load.loader import Located, display_path, validate
    from ...load.progress_model import ProgressReport

    doc = yamlpos.read(text.encode("utf-8"), display_path(path))
    model, problems = validate(doc, ProgressReport)
    if model is None:  # the writer's own output must always load; say so plainly if not
        raise ValueError("; ".join(p.render() for p in doc.problems + problems))
    doc.compact()
    return Located(model, doc)


def _quota_key(entry: dict[str, Any]) -> tuple[str, str, str, int]:
    return (entry["quota"], entry["region"], entry.get("level") or TOTAL, entry["year"])


def _confirm(report: dict[str, Any], keys: set[tuple[str, str, str, int]]) -> dict[str, Any]:
    """The report with the figures of ``keys`` marked confirmed."""
    quotas = [{**e, "confirmed": True} if _quota_key(e) in keys else e for e in report["quotas"]]
    return {**report, "quotas": quotas}


def _still_confirmed(before: Cells, report: dict[str, Any]) -> set[tuple[str, str, str, int]]:
    """The figures of ``report`` that were confirmed before with the same value."""
    kept = set()
    for entry in report["quotas"]:
        old = before.quotas.get(_quota_key(entry))
        if (
            old is not None
            and old.get("confirmed")
            and (old["achieved"], old["cumulative"]) == (entry.get("achieved"), entry.get("cumulative"))
        ):
            kept.add(_quota_key(entry))
    return kept


def plan_import(
    held: Any,
    folder: Path,
    returned: list[tuple[str, int, dict[str, Any]]],
    basis: dict[str, Any],
    render: Callable[[dict[str, Any]], str],
    *,
    confirm: bool = False,
) -> Outcome:
    """``held``: the ProgressSet of ``folder`` (None when the folder does not exist yet);
    ``confirm``: the doubtful figures of the returned workbooks have been checked and stand."""
    from ...load.progress import ProgressSet

    outcome = Outcome()
    held_reports = list(held.reports) if held is not None else []
    by_id = {loc.model.id: loc for loc in held_reports}
    before = resolve(held)[0] if held is not None else Cells()
    reports: list[tuple[Path, dict[str, Any]]] = []
    for region, year, report in returned:
        prefix = f"{region}-{year}-"
        as_of = report["as_of"]
        earlier = sorted(
            {loc.model.id for loc in held_reports if loc.model.id.startswith(prefix) and loc.model.as_of < as_of}
            | {other["id"] for r, y, other in returned if (r, y) == (region, year) and other["as_of"] < as_of}
        )
        report = _confirm({**report, "supersedes": earlier}, _still_confirmed(before, report))
        same = by_id.get(report["id"])
        path = Path(same.doc.file) if same is not None else folder / file_name(region, year, as_of.isoformat())
        reports.append((path, report))
    replaced = {report["id"] for _, report in reports}
    kept = [loc for loc in held_reports if loc.model.id not in replaced]

    def together(texts: list[tuple[Path, str]]) -> ProgressSet:
        return ProgressSet(
            folder,
            kept + [_located(path, text) for path, text in texts],
            list(held.problems) if held is not None else [],
            list(held.broken) if held is not None else [],
        )

    texts = [(path, render(report)) for path, report in reports]
    after = together(texts)
    outcome.findings = [f for f in check_progress(after, basis) if f.severity == "error"]
    if outcome.findings:
        return outcome
    cells = resolve(after)[0]
    doubts = [d for d in doubts_of(basis, cells).values() if d.report in replaced]
    if confirm and any(not d.confirmed for d in doubts):
        keys = {d.key for d in doubts}
        reports = [(path, _confirm(report, keys)) for path, report in reports]
        texts = [(path, render(report)) for path, report in reports]
        cells = resolve(together(texts))[0]
        doubts = [d for d in doubts_of(basis, cells).values() if d.report in replaced]
    regions, levels = ({name: i for i, name in enumerate(names)} for names in (basis["regions"], basis["levels"]))
    tables = {t["id"]: i for i, t in enumerate(basis["tables"])}
    outcome.doubts = sorted(doubts, key=lambda d: (regions[d.region], tables[d.quota], d.year, levels.get(d.level, -1)))
    for path, text in texts:
        try:
            old = path.read_text(encoding="utf-8")
        except OSError:
            old = None
        state = "新建" if old is None else ("无变化" if old == text else "更新")
        outcome.files.append((path, state))
        if state != "无变化":
            outcome.writes.append((path, text))
    outcome.changes = changes(before, cells, basis)
    return outcome


def _figure(record: dict[str, Any] | None) -> str:
    if record is None:
        return "未填报"
    parts = []
    if record.get("achieved") is not None:
        parts.append(str(record["achieved"]))
    if record.get("cumulative") is not None:
        parts.append(f"累计 {record['cumulative']}")
    return "，".join(parts) + ("（已确认）" if record.get("confirmed") else "")


def _state(record: dict[str, Any] | None) -> str:
    if record is None:
        return "未填报"
    date = f" {record['date'].isoformat()}" if record.get("date") else ""
    return f"{record['status']}{date}"


def changes(before: Cells, after: Cells, basis: dict[str, Any]) -> list[str]:
    """One line per cell whose figure or status differs."""
    titles = {t["id"]: t["title"] for t in basis["tables"]}
    names = {(t["plan"], t["item"]): t["name"] for t in basis["tasks"]}
    lines = []
    for key in sorted(set(before.quotas) | set(after.quotas), key=str):
        old, new = _figure(before.quotas.get(key)), _figure(after.quotas.get(key))
        if old != new:
            quota, region, level, year = key
            lines.append(f"{region} {titles.get(quota, quota)}{' ' + level if level else ''} {year}年：{old} → {new}")
    for task_key in sorted(set(before.tasks) | set(after.tasks), key=str):
        old, new = _state(before.tasks.get(task_key)), _state(after.tasks.get(task_key))
        if old != new:
            plan, item, task_year, task_region = task_key
            area = basis.get("area", "全市")
            lines.append(
                f"{task_region or area} {plan} {item} {names.get((plan, item), '')} {task_year}年：{old} → {new}"
            )
    return lines
