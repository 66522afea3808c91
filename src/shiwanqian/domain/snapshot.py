"""A cache of the validated data in query-ready form, keyed on the data files' content.

``quota``, ``schedule`` and ``plans`` are typed many times a day. Validating the YAML with
pydantic (and, for the yearly allocation, running the solver) is the slow part of a run, and
its result only changes when the data or the program changes. So the first run after a
change loads and validates everything, computes the records those commands print, and
writes them to the user's cache folder (never the data folder) as JSON; later runs read
that JSON without importing pydantic, PyYAML or the solver.

The key is a hash of every data file's bytes plus the program's own files, so a stale
snapshot is never used; a corrupt or unreadable one is rebuilt; an unwritable cache folder
just means no caching. Invalid data never produces a snapshot: the caller gets the findings.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .. import __version__
from ..fileio import write_atomically

FORMAT = 5
PACKAGE = Path(__file__).resolve().parents[1]


class InvalidData(Exception):
    """The data folder has errors; ``findings`` says where."""

    def __init__(self, findings: list) -> None:
        super().__init__(f"{len(findings)} errors")
        self.findings = findings


def cache_dir() -> Path:
    base = os.environ.get("SHIWANQIAN_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "shiwanqian"


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256(f"{FORMAT}/{__version__}".encode())
    # The program: size and modification time of its own files (a change in a checkout
    # must not be answered from an old snapshot).
    for path in sorted(PACKAGE.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    # The data: every file's bytes, in a fixed order.
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "schemas" not in p.relative_to(root).parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def build(root: Path) -> dict[str, Any]:
    """Load and validate ``root`` and compute every record the query commands need."""
    from ..load.loader import load
    from .queries import allocation_records, plan_summaries, quota_records, rows_by_region, table_summaries
    from .progress import basis_of
    from .tasks import task_records

    from .checks import run

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
    tasks = task_records(catalog)
    # Indexes, so that each region's records cost its own rows, not a scan of every table.
    rows = rows_by_region(catalog)
    allocation_index: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for table_id, records in allocations.items():
        for record in records:
            allocation_index.setdefault(table_id, {}).setdefault(record["region"], []).append(record)
    return {
        "format": FORMAT,
        "programme": {"title": programme.title, "issuer": programme.issuer, "levels": list(programme.levels),
                      "period": [programme.period.start, programme.period.end]},
        "regions": [r.model_dump() for r in regions],
        "units": [u.model_dump() for u in units.values()],
        "plans": plan_summaries(catalog),
        "table_plans": table_plans,
        "tables": table_summaries(catalog, allocations),
        "quota": {r.name: [{**rec, "plan": table_plans.get(rec["quota"])}
                           for rec in quota_records(catalog, r.name, r.kind, rows=rows,
                                                    allocations={t: by_region.get(r.name, [])
                                                                 for t, by_region in allocation_index.items()})]
                  for r in regions},
        "allocations": allocations,
        "tasks": tasks,
        "progress": basis_of(catalog),
    }


def load_snapshot(root: Path) -> dict[str, Any]:
    """The snapshot of ``root``: from the cache when fresh, else built (and cached)."""
    key = fingerprint(root)
    path = cache_dir() / f"snapshot-{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") == FORMAT and data.get("key") == key:
            return data
    except (OSError, ValueError, AttributeError):
        pass  # missing or corrupt: rebuild
    data = {**build(root), "key": key}
    try:
        write_atomically(path, json.dumps(data, ensure_ascii=False))
        _prune(path.parent)
    except OSError:
        pass  # read-only home: no cache, still correct
    return data


KEEP = 8  # snapshots of several data folders (the shipped one, drafts under review …)


def _prune(folder: Path) -> None:
    old = sorted(folder.glob("snapshot-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)[KEEP:]
    for path in old:
        path.unlink(missing_ok=True)


def regions_of(snapshot: dict[str, Any]) -> list[SimpleNamespace]:
    """Region records with the attributes ``vocab.RegionNames`` reads."""
    return [SimpleNamespace(**{**r, "later_names": [SimpleNamespace(**n) for n in r["later_names"]]})
            for r in snapshot["regions"]]


def units_of(snapshot: dict[str, Any]) -> list[SimpleNamespace]:
    return [SimpleNamespace(**u) for u in snapshot["units"]]
