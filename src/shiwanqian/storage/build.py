"""The snapshot's content: every record the query commands need, computed once from a loaded
and checked data folder (invalid data never produces a snapshot: ``InvalidData`` carries the
findings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .key import FORMAT, source_digest


class InvalidData(Exception):
    """The data folder has errors; ``findings`` says where."""

    def __init__(self, findings: list) -> None:
        super().__init__(f"{len(findings)} errors")
        self.findings = findings


def build(root: Path) -> dict[str, Any]:
    """Load and validate ``root`` and compute every record the query commands need: the
    snapshot as one mapping (``pack`` splits it for the cache)."""
    from ..domain.allocation.records import allocation_records
    from ..domain.checks import run
    from ..domain.programme.queries import plan_summaries, quota_records, rows_by_region, table_summaries
    from ..domain.programme.tasks import task_records
    from ..domain.programme.vocab import RegionNames
    from ..domain.progress.basis import basis_of
    from ..load.loader import load

    catalog = load(root)
    # Every error `check` would report, not only parse and schema errors: numbers that do not
    # add up or unknown names must never reach a query's answer.
    errors = [p for p in run(catalog) if p.severity == "error"]
    if errors or catalog.programme is None or catalog.regions is None or catalog.units is None:
        raise InvalidData(errors)
    programme = catalog.programme.model
    regions = catalog.regions.model.regions
    units = {u.name: u for u in catalog.units.model.units}
    allocations = allocation_records(catalog)
    table_plans = {q.model.id: q.model.plan for q in catalog.quotas}
    rules: list[dict[str, Any]] = []
    tasks = task_records(catalog, rules=rules)
    # Indexes, so that each region's records cost its own rows, not a scan of every table.
    rows = rows_by_region(catalog)
    allocation_index: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for table_id, records in allocations.items():
        for record in records:
            allocation_index.setdefault(table_id, {}).setdefault(record["region"], []).append(record)
    return {
        "format": FORMAT,
        "programme": {
            "id": programme.id,
            "title": programme.title,
            "name": programme.name,
            "issuer": programme.issuer,
            "document": programme.document,
            "levels": list(programme.levels),
            "period": [programme.period.start, programme.period.end],
            "area": programme.vocabulary.area,
            "area_spellings": programme.vocabulary.area_spellings,
            # The programme this one refines (``progress --child`` checks a child names its parent).
            "parent": None
            if programme.parent is None
            else {"data": programme.parent.data, "region": programme.parent.region},
        },
        "regions": [r.model_dump() for r in regions],
        # Every accepted spelling of a region (normalised) → its name and the note a later
        # name gets: a region is found without reading every region's record.
        "names": {alias: [found.name, found.note] for alias, found in RegionNames(regions)._index.items()},
        "units": [u.model_dump() for u in units.values()],
        "plans": plan_summaries(catalog),
        "table_plans": table_plans,
        "tables": table_summaries(catalog, allocations),
        "allocation_tables": list(allocations),
        "quota": {
            r.name: [
                {**rec, "plan": table_plans.get(rec["quota"])}
                for rec in quota_records(
                    catalog,
                    r.name,
                    r.kind,
                    rows=rows,
                    allocations={t: by_region.get(r.name, []) for t, by_region in allocation_index.items()},
                )
            ]
            for r in regions
        },
        "tasks": tasks,
        "progress": basis_of(catalog),
        "_rules": rules,
        "_source_text": programme.source_text if catalog.source_text is not None else None,
    }


def build_with_sources(root: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The snapshot and the digests of the extra files the loader read (the original text)."""
    data = build(root)
    sources: dict[str, str] = {}
    name = data.pop("_source_text", None)
    if name:
        digest = source_digest(root / name)
        if digest is not None:
            sources[name] = digest
    return data, sources
