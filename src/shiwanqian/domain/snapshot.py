"""A cache of the validated data in query-ready form, keyed on the data files' content.

``quota``, ``schedule`` and ``plans`` are typed many times a day. Validating the YAML with
pydantic (and, for the yearly allocation, running the solver) is the slow part of a run, and
its result only changes when the data or the program changes. So the first run after a
change loads and validates everything, computes the records those commands print, and
writes them to the user's cache folder (never the data folder); later runs read that JSON
without importing pydantic, PyYAML or the solver.

What a snapshot must satisfy to be believed (anything else: rebuilt, never trusted):

* it lies in the cache folder of ``fileio.cache_folder()`` (the user's own, writable by no one
  else: a snapshot planted by another user is never read) and is a regular file of the user's;
* its header carries the key it was made for, equal to the key of the data now: a hash of the
  program's own files and of exactly the files the loader reads (``programme.yaml``,
  ``regions.yaml``, ``units.yaml``, ``disagreements.yaml``, ``plans/*.yaml``, ``quotas/*.yaml``),
  not of unrelated files in the folder, plus the digest of the original text (``source_text``),
  checked against that file;
* its header carries the SHA-256 of its body, equal to the body's;
* its body has every field the query commands read.

Invalid data never produces a snapshot: the caller gets the findings.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .. import __version__
from ..fileio import cache_folder, prune_stale, trusted_file, write_file

FORMAT = 5
PACKAGE = Path(__file__).resolve().parents[1]
LOADER_FILES = ("programme.yaml", "regions.yaml", "units.yaml", "disagreements.yaml")
LOADER_FOLDERS = ("plans", "quotas")
MAX_SNAPSHOT = 256 * 1024 * 1024
MAX_BYTES = 5_000_000  # = load.yamlpos.MAX_BYTES (not imported: that module imports PyYAML)


class InvalidData(Exception):
    """The data folder has errors; ``findings`` says where."""

    def __init__(self, findings: list) -> None:
        super().__init__(f"{len(findings)} errors")
        self.findings = findings


def cache_dir() -> Path | None:
    """The cache folder (None: run without a cache); kept for callers of 0.1.0."""
    return cache_folder()


def loader_files(root: Path) -> list[Path]:
    """The files the loader reads (the original text apart: its name is in programme.yaml)."""
    files = [root / name for name in LOADER_FILES if (root / name).is_file()]
    for folder in LOADER_FOLDERS:
        try:
            entries = sorted(os.scandir(root / folder), key=lambda e: e.name)
        except OSError:
            continue
        files += [Path(e.path) for e in entries if e.name.endswith((".yaml", ".yml")) and e.is_file()]
    return files


def _file_digest(path: Path, digest: Any, limit: int) -> None:
    """Feed a file's bytes to ``digest``; past ``limit`` bytes (which the loader refuses to
    read anyway) only its size and time, so a huge stray file costs nothing."""
    info = path.stat()
    if info.st_size > limit:
        digest.update(f"large:{info.st_size}:{info.st_mtime_ns}".encode())
        return
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256(f"{FORMAT}/{__version__}".encode())
    # The program: size and modification time of its own files (a change in a checkout
    # must not be answered from an old snapshot).
    for path in sorted(PACKAGE.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    # The data: the bytes of every file the loader reads, in a fixed order.
    for path in loader_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        try:
            _file_digest(path, digest, MAX_BYTES)
        except OSError:
            digest.update(b"unreadable")
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _source_digest(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        _file_digest(path, digest, 1 << 62)
    except OSError:
        return None
    return digest.hexdigest()


def build(root: Path) -> dict[str, Any]:
    """Load and validate ``root`` and compute every record the query commands need."""
    from ..load.loader import load
    from .progress import basis_of
    from .queries import allocation_records, plan_summaries, quota_records, rows_by_region, table_summaries
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
        "programme": {"title": programme.title, "name": programme.name, "issuer": programme.issuer,
                      "document": programme.document, "levels": list(programme.levels),
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
        "_source_text": programme.source_text if catalog.source_text is not None else None,
    }


# What a snapshot must hold to be used: these collections, these identifying fields, and
# records of one shape within each collection (a record missing a field its siblings have is
# damage). ``tests/hostile/test_items.py`` checks that a freshly built snapshot passes.
REQUIRED: dict[str, tuple[type, tuple[str, ...]]] = {
    "programme": (dict, ("title", "issuer", "levels", "period")),
    "regions": (list, ("name",)),
    "units": (list, ("name",)),
    "plans": (list, ("plan", "title")),
    "table_plans": (dict, ()),
    "quota": (dict, ()),
    "allocations": (dict, ()),
    "tasks": (list, ("plan", "item", "name")),
    "progress": (dict, ("period", "levels", "regions", "tables", "tasks")),
}
RECORD = ("quota", "region", "year", "value")


def _uniform(records: list[Any], keys: tuple[str, ...]) -> bool:
    """Every record a mapping with ``keys`` and with the same fields as the first."""
    if not records:
        return True
    if not isinstance(records[0], dict):
        return False
    shape = records[0].keys()
    return all(isinstance(r, dict) and r.keys() == shape for r in records) and all(k in shape for k in keys)


def complete(data: Any) -> bool:
    """Every collection the commands read is there, with its identifying fields, and records
    of one shape (so a field cut out of one record is noticed)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return False
    for name, (kind, keys) in REQUIRED.items():
        value = data.get(name)
        if not isinstance(value, kind):
            return False
        if isinstance(value, list) and not _uniform(value, keys):
            return False
        if isinstance(value, dict) and any(k not in value for k in keys):
            return False
    names = {r["name"] for r in data["regions"]}
    groups = [*data["quota"].values(), *data["allocations"].values()]
    if set(data["quota"]) != names or not all(isinstance(g, list) for g in groups):
        return False
    records = [r for g in groups for r in g]
    return all(isinstance(r, dict) and all(k in r for k in RECORD) for r in records) and \
        all(_uniform(g, ()) for g in data["allocations"].values())


def _read(path: Path, key: str, root: Path) -> dict[str, Any] | None:
    """The snapshot at ``path`` if it can be believed (see the module's docstring), else None."""
    if not trusted_file(path):
        return None
    try:
        if path.stat().st_size > MAX_SNAPSHOT:
            return None
        raw = path.read_bytes()
        head, _, body = raw.partition(b"\n")
        header = json.loads(head)
        if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key:
            return None
        if header.get("digest") != hashlib.sha256(body).hexdigest():
            return None
        sources = header.get("sources")
        if not isinstance(sources, dict):
            return None
        for name, digest in sources.items():
            if not isinstance(name, str) or _source_digest(root / name) != digest:
                return None
        data = json.loads(body)
    except (OSError, ValueError, RecursionError):
        return None
    return data if complete(data) else None


def load_snapshot(root: Path) -> dict[str, Any]:
    """The snapshot of ``root``: from the cache when it can be believed, else built (and cached)."""
    folder = cache_folder()
    key = fingerprint(root) if folder is not None else ""
    path = folder / f"snapshot-{key}.json" if folder is not None else None
    if path is not None:
        data = _read(path, key, root)
        if data is not None:
            return data
    data, sources = _build(root)
    if path is not None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        header = json.dumps({"format": FORMAT, "key": key, "digest": hashlib.sha256(body).hexdigest(),
                             "sources": sources}).encode()
        try:
            write_file(path, header + b"\n" + body)
            _prune(path.parent)
        except OSError:
            pass  # read-only cache folder, full disk: no cache, still correct
    return data


def _build(root: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The snapshot and the digests of the extra files the loader read (the original text)."""
    data = build(root)
    sources: dict[str, str] = {}
    name = data.pop("_source_text", None)
    if name:
        digest = _source_digest(root / name)
        if digest is not None:
            sources[name] = digest
    return data, sources


KEEP = 8  # snapshots of several data folders (the shipped one, drafts under review …)


def _prune(folder: Path) -> None:
    old = sorted(folder.glob("snapshot-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)[KEEP:]
    for path in old:
        path.unlink(missing_ok=True)
    prune_stale(folder, 600, any_tmp=True)  # temporary files a killed run left behind


def regions_of(snapshot: dict[str, Any]) -> list[SimpleNamespace]:
    """Region records with the attributes ``vocab.RegionNames`` reads."""
    return [SimpleNamespace(**{**r, "later_names": [SimpleNamespace(**n) for n in r["later_names"]]})
            for r in snapshot["regions"]]


def units_of(snapshot: dict[str, Any]) -> list[SimpleNamespace]:
    return [SimpleNamespace(**u) for u in snapshot["units"]]
