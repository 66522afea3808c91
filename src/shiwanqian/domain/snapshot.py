"""A cache of the validated data in query-ready form, keyed on the data files' content.

``quota``, ``schedule`` and ``plans`` are typed many times a day. Validating the YAML with
pydantic (and, for the yearly allocation, running the solver) is the slow part of a run, and
its result only changes when the data or the program changes. So the first run after a
change loads and validates everything, computes the records those commands print, and
writes them to the user's cache folder (never the data folder); later runs read them
without importing pydantic, PyYAML or the solver.

A snapshot is two files (see "the cache's two files" below): a small main file, and a slices
file with each region's records and the whole-city parts. A query reads the main file and only
the parts it needs: ``quota --district`` one region's slice, so its time hardly grows with the
number of regions.

What a snapshot must satisfy to be believed (anything else: rebuilt, never trusted):

* both files lie in the cache folder of ``fileio.cache_folder()`` (the user's own, writable by
  no one else: a snapshot planted by another user is never read) and are regular files of the
  user's;
* the main file's header carries the key it was made for, equal to the key of the data now: a
  hash of the program's own files and of exactly the files the loader reads (``programme.yaml``,
  ``regions.yaml``, ``units.yaml``, ``disagreements.yaml``, ``plans/*.yaml``, ``quotas/*.yaml``),
  not of unrelated files in the folder, plus the digest of the original text (``source_text``),
  checked against that file;
* its header carries the SHA-256 of the rest of the file, equal to the rest's;
* its body has every field the query commands read (``complete``);
* each part of the slices file matches the digest the main file records for it, and a region's
  records have the fields of a record (``complete_records``): checked as each part is read; a
  part that fails rebuilds the snapshot then and there.

Invalid data never produces a snapshot: the caller gets the findings.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import zlib
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .. import __version__
from ..fileio import cache_folder, prune_stale, trusted_file, write_file

FORMAT = 6
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
    """Load and validate ``root`` and compute every record the query commands need: the
    snapshot as one mapping (``pack`` splits it for the cache)."""
    from ..load.loader import load
    from .checks import run
    from .progress import basis_of
    from .queries import allocation_records, plan_summaries, quota_records, rows_by_region, table_summaries
    from .tasks import task_records
    from .vocab import RegionNames

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
            "title": programme.title,
            "name": programme.name,
            "issuer": programme.issuer,
            "document": programme.document,
            "levels": list(programme.levels),
            "period": [programme.period.start, programme.period.end],
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


# What a snapshot must hold to be used: these collections, these identifying fields, and
# records of one shape within each collection (a record missing a field its siblings have is
# damage). ``tests/hostile/test_items.py`` checks that a freshly built snapshot passes, both as
# built and as read back from the cache (the main file, and every region's slice).
REQUIRED: dict[str, tuple[type, tuple[str, ...]]] = {
    "programme": (dict, ("title", "issuer", "levels", "period")),
    "regions": (list, ("name", "kind")),
    "names": (dict, ()),
    "units": (list, ("name",)),
    "plans": (list, ("plan", "title")),
    "table_plans": (dict, ()),
    "tables": (list, ("quota", "title", "main")),
    "allocation_tables": (list, ()),
    "quota": (dict, ()),
    "tasks": (list, ("plan", "item", "name", "applies")),
    "progress": (dict, ("period", "levels", "regions", "tables", "tasks")),
}
RECORD = ("quota", "region", "year", "value")
# Read from the slices file on demand, not from the main file (when read from the cache).
SLICED = ("quota", "progress", "regions", "names")
PARTS = ("regions", "rows", "progress")  # the whole-city parts of the slices file


def _uniform(records: list[Any], keys: tuple[str, ...]) -> bool:
    """Every record a mapping with ``keys`` and with the same fields as the first."""
    if not records:
        return True
    if not isinstance(records[0], dict):
        return False
    shape = records[0].keys()
    return all(isinstance(r, dict) and r.keys() == shape for r in records) and all(k in shape for k in keys)


def _collection(value: Any, kind: type, keys: tuple[str, ...]) -> bool:
    if not isinstance(value, kind):
        return False
    if isinstance(value, list):
        return _uniform(value, keys) if keys else all(isinstance(v, str) for v in value)
    return all(k in value for k in keys)


def complete_records(records: Any) -> bool:
    """One region's quota records: a list of mappings, each with the fields of ``RECORD``."""
    return isinstance(records, list) and all(isinstance(r, dict) and all(k in r for k in RECORD) for r in records)


def complete(data: Any) -> bool:
    """Every collection the commands read is there, with its identifying fields, and records
    of one shape (so a field cut out of one record is noticed). For a main file read from the
    cache (``Snapshot``), the sliced collections are checked as they are read."""
    if not isinstance(data, dict) or dict.get(data, "format") != FORMAT:
        return False
    for name, (kind, keys) in REQUIRED.items():
        if name in SLICED and isinstance(data, Snapshot) and data.packed:
            continue
        if not _collection(dict.get(data, name), kind, keys):
            return False
    if isinstance(data, Snapshot) and data.packed:
        # The regions are read with the slices; each part is checked as it is read.
        return (
            bool(data.lookup.raw.strip())
            and all(data.parts.get(k) is not None for k in PARTS)
            and all(isinstance(t, Table) for t in data["tables"])
        )
    names = [r["name"] for r in data["regions"]]
    quota = data["quota"]
    return set(quota) == set(names) and all(complete_records(g) for g in quota.values())


# ------------------------------------------------------------------ the cache's two files
#
# The main file (``snapshot-KEY.json``): a header line (format, key, digests of the rest and of
# the original text, the slices file's name); the body, one line of JSON: programme, units,
# plans, tables (without their region rows), tasks (each task's regions as a rule), the record
# templates and where each whole-city part lies in the slices file; then the look-up lines, one
# per region (where its slice is) and one per spelling of a region name (``Lookup``). The slices
# file (``slices-DIGEST.bin``, named by the digest of its content and written before the main
# file, so a reader never sees a main file without its slices): each region's quota records
# packed against the templates, and the regions, the tables' rows and the progress basis
# (compressed). Every part is found by offset and length and verified by its digest as it is read.

VARYING = ("value", "source")  # the fields a record may change from its template


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _template_key(record: dict[str, Any]) -> tuple:
    """What records sharing a template have in common: their fields in order and every value
    but the varying ones (with its type: 1 and True are not the same value here)."""
    return tuple(
        (k, None, None)
        if k in VARYING
        else (k, type(v), v if isinstance(v, (str, int, float, type(None))) else json.dumps(v, ensure_ascii=False))
        for k, v in record.items()
    )


def _pack_records(
    region: str, records: list[dict[str, Any]], templates: list[dict[str, Any]], known: dict[tuple, int]
) -> list[Any]:
    """``records`` as runs over ``templates`` (extended as new shapes turn up): ``t`` is template
    ``t`` as it is, ``[t, n]`` templates ``t`` … ``t+n-1`` as they are, ``[t, n, fields, values]``
    those templates with ``fields`` changed (one value a record, or a list of them), and
    ``[t, n, fields, values, shared]`` also with the fields of ``shared`` set alike in all of
    them. A template's ``region`` null stands for the slice's own region. ``pack`` checks that
    the records come back exactly, byte for byte."""
    coded = []
    for record in records:
        plain = dict(record)
        if plain.get("region") == region:
            plain["region"] = None
        key = _template_key(plain)
        if key not in known:
            known[key] = len(templates)
            templates.append(plain)
        number = known[key]
        template = templates[number]
        changed = tuple(k for k in VARYING if k in plain and not _same(plain[k], template[k]))
        coded.append((number, changed, [plain[k] for k in changed]))
    runs: list[Any] = []
    for number, changed, values in coded:
        last = runs[-1] if runs else None
        if last is not None and last[0] + last[1] == number and last[2] == changed:
            last[1] += 1
            last[3].append(values)
        else:
            runs.append([number, 1, changed, [values]])
    packed: list[Any] = []
    for number, count, changed, values in runs:
        if not changed:
            packed.append(number if count == 1 else [number, count])
            continue
        # A field with one value along the run (a row's citation) is written once.
        shared = {
            k: values[0][i]
            for i, k in enumerate(changed)
            if count > 1 and all(_same(v[i], values[0][i]) for v in values)
        }
        fields = [k for k in changed if k not in shared]
        column = [[v[i] for i, k in enumerate(changed) if k not in shared] for v in values]
        if not fields:
            packed.append([number, count, [], [], shared])
        else:
            packed.append(
                [
                    number,
                    count,
                    fields,
                    [c[0] for c in column] if len(fields) == 1 else column,
                    *([shared] if shared else []),
                ]
            )
    return packed


def _unpack_records(region: str, packed: Any, templates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(packed, dict):  # stored as they are (``pack`` found no faithful packing)
        return packed["records"]
    records = []
    for run in packed:
        if isinstance(run, int):
            run = [run, 1]
        number, count = run[0], run[1]
        changed = run[2] if len(run) > 2 else ()
        shared = run[4] if len(run) > 4 else None
        for j in range(count):
            record = dict(templates[number + j])
            if changed:
                value = run[3][j]
                record.update(zip(changed, value if len(changed) > 1 else (value,)))
            if shared:
                record.update(shared)
            if record["region"] is None:
                record["region"] = region
            records.append(record)
    return records


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def pack(data: dict[str, Any]) -> tuple[dict[str, Any], bytes, bytes]:
    """The main file's body and look-up lines, and the slices file, of a snapshot made by ``build``."""
    main = {k: v for k, v in data.items() if k not in SLICED and not k.startswith("_")}
    from .tasks import Applies, RegionKinds

    kinds = RegionKinds(data["regions"])
    rules = data.get("_rules") or [None] * len(data["tasks"])

    def rule_of(applies: Any, rule: dict[str, Any] | None) -> dict[str, Any]:
        """A task's regions as its rule, when the rule gives exactly the list."""
        return rule if rule is not None and Applies(rule, kinds) == applies else {"list": list(applies)}

    main["tasks"] = [{**task, "applies": rule_of(task["applies"], rule)} for task, rule in zip(data["tasks"], rules)]
    basis = data["progress"]
    # The basis lists the same tasks in the same order (``progress.basis_of``).
    basis_rules = rules if len(basis["tasks"]) == len(rules) else [None] * len(basis["tasks"])
    progress = {
        **basis,
        "tasks": [
            {**task, "applies": rule_of(task["applies"], rule)} for task, rule in zip(basis["tasks"], basis_rules)
        ],
    }
    templates: list[dict[str, Any]] = []
    known: dict[tuple, int] = {}
    parts: list[bytes] = []
    lookup: list[bytes] = []
    offset = 0

    def add(blob: bytes) -> list[Any]:
        nonlocal offset
        parts.append(blob)
        entry = [offset, len(blob), _digest(blob)]
        offset += len(blob)
        return entry

    for region, records in data["quota"].items():
        packed: Any = _pack_records(region, records, templates, known)
        if _dumps(_unpack_records(region, packed, templates)) != _dumps(records):
            packed = {"records": records}
        lookup.append(b"r" + _dumps([region, *add(_dumps(packed))]))
    lookup += [b"a" + _dumps([alias, *found]) for alias, found in data["names"].items()]
    main["templates"] = templates
    # The tables' region rows only the city-wide view reads; the regions only name
    # suggestions, whole-city views and tasks' rules; the progress basis only ``progress``
    # (each compressed: their figures repeat the same citations region after region).
    main["tables"] = [{k: v for k, v in t.items() if k != "rows"} for t in data["tables"]]
    main["parts"] = {
        "regions": add(zlib.compress(_dumps(data["regions"]), 6)),
        "rows": add(zlib.compress(_dumps({t["quota"]: t["rows"] for t in data["tables"]}), 6)),
        "progress": add(zlib.compress(_dumps(progress), 6)),
    }
    return main, b"\n".join(lookup), b"".join(parts)


MANY = 16  # regions read one by one before the whole index and slices file are read at once


class Lookup:
    """The main file's look-up lines, searched as bytes rather than parsed: ``r[region, offset,
    length, digest]`` where a region's slice is, ``a[spelling, region, note]`` what a normalised
    spelling of a region means. Finding one line costs a scan of the bytes, not a parse of ten
    thousand entries."""

    def __init__(self, raw: bytes) -> None:
        self.raw = b"\n" + raw + b"\n"

    def find(self, kind: bytes, key: str) -> Any:
        needle = b"\n" + kind + b"[" + json.dumps(key, ensure_ascii=False).encode("utf-8") + b","
        at = self.raw.find(needle)
        if at < 0:
            return None
        return json.loads(self.raw[at + 2 : self.raw.index(b"\n", at + 1)])

    def all(self, kind: bytes) -> dict[str, list[Any]]:
        lines = (json.loads(line[1:]) for line in self.raw.split(b"\n") if line[:1] == kind)
        return {entry[0]: entry[1:] for entry in lines}


class Corrupt(Exception):
    """A part of the slices file is missing or does not match its digest."""


class Snapshot(dict):
    """The snapshot the query commands read: a mapping of the collections ``REQUIRED`` names.

    Built in this run, it holds everything. Read from the cache (``packed``), it holds the main
    file; ``quota`` (region → records) and ``progress`` are read from the slices file when asked
    for, one region's slice at a time, each checked against its digest. A damaged part makes
    the snapshot rebuild itself from the data (and rewrite the cache) before answering.
    """

    def __init__(
        self, data: dict[str, Any], *, root: Path | None = None, slices: Path | None = None, lookup: bytes = b""
    ) -> None:
        super().__init__(data)
        self.root, self.slices = root, slices
        self.packed = slices is not None
        self.lookup = Lookup(lookup)
        # A whole-city view reads every region: after a few look-ups the index is parsed once
        # and the slices file read once, instead of a search and a read for each region.
        self._reads = 0
        self._where: dict[str, list[Any]] | None = None
        self._blob: bytes | None = None
        self.parts: dict[str, list[Any]] = self.pop("parts", {}) if self.packed else {}
        self.templates: list[dict[str, Any]] = self.pop("templates", []) if self.packed else []
        for name in [k for k in self if k.startswith("_")]:
            del self[name]
        if self.packed:
            from .tasks import Applies, RegionKinds

            kinds = RegionKinds(lambda: self["regions"])

            def applies(rule: dict[str, Any]) -> Any:
                return list(rule["list"]) if "list" in rule else Applies(rule, kinds)

            self._applies = applies
            for task in self["tasks"]:
                task["applies"] = applies(task["applies"])
            self["tables"] = [Table(t, self) for t in self["tables"]]

    def __missing__(self, key: str) -> Any:
        if not self.packed or key not in SLICED:
            raise KeyError(key)
        if key == "quota":
            value: Any = Slices(self)
        elif key == "names":
            try:
                value = self.lookup.all(b"a")
            except (ValueError, IndexError, TypeError):
                return self.recover()[key]
        else:
            value = self.part(self.parts.get(key), compressed=True)
            try:
                if not _collection(value, *REQUIRED[key]):
                    raise Corrupt
                for task in value["tasks"] if key == "progress" else ():
                    task["applies"] = self._applies(task["applies"])
            except (Corrupt, TypeError, KeyError, AttributeError):
                return self.recover()[key]
        self[key] = value
        return value

    def rows(self, table: str) -> list[dict[str, Any]]:
        """A table's region rows (read from the slices file)."""
        if not self.packed:  # rebuilt meanwhile
            return next(t for t in self["tables"] if t["quota"] == table)["rows"]
        if "_rows" not in self.__dict__:
            value = self.part(self.parts.get("rows"), compressed=True)
            if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
                return next(t for t in self.recover()["tables"] if t["quota"] == table)["rows"]
            self.__dict__["_rows"] = value
        return self.__dict__["_rows"][table]

    def part(self, entry: Any, *, compressed: bool = False) -> Any:
        """The JSON part of the slices file at ``entry`` (offset, length, digest), verified;
        None if it is missing or damaged."""
        try:
            offset, length, digest = entry
            self._reads += 1
            if self._blob is None and self._reads > MANY:
                if not trusted_file(self.slices):
                    raise Corrupt
                self._blob = self.slices.read_bytes()
            if self._blob is not None:
                raw = self._blob[offset : offset + length]
            else:
                if not trusted_file(self.slices):
                    raise Corrupt
                with open(self.slices, "rb") as handle:
                    handle.seek(offset)
                    raw = handle.read(length)
            if len(raw) != length or _digest(raw) != digest:
                raise Corrupt
            return json.loads(zlib.decompress(raw) if compressed else raw)
        except (OSError, ValueError, TypeError, RecursionError, Corrupt, zlib.error):
            return None

    def recover(self) -> Snapshot:
        """A damaged slices file: build the snapshot afresh (and cache it); this one then holds
        everything."""
        fresh, sources = _build(self.root)
        _store(self.root, fresh, sources)
        self.clear()
        self.update({k: v for k, v in fresh.items() if not k.startswith("_")})
        self.packed = False
        return self

    @property
    def index(self) -> dict[str, list[Any]]:
        """Region → where its slice is (offset, length, digest): every look-up line parsed."""
        return self.lookup.all(b"r") if self.packed else {}

    def resolve(self, spelling: str) -> list[Any] | None:
        """What a normalised spelling of a region means: [region, note], or None."""
        if not self.packed:
            return self["names"].get(spelling)
        try:
            found = self.lookup.find(b"a", spelling)
        except (ValueError, IndexError):
            found = False
        if found is None:
            return None
        if not (isinstance(found, list) and len(found) == 3 and isinstance(found[1], str)):
            return self.recover()["names"].get(spelling)
        return found[1:]

    def records(self, region: str) -> list[dict[str, Any]] | None:
        """One region's quota records (None: no such region)."""
        if not self.packed:
            return dict.__getitem__(self, "quota").get(region)
        try:
            if self._where is None and self._reads > MANY:
                self._where = self.lookup.all(b"r")
            entry = self._where.get(region) if self._where is not None else self.lookup.find(b"r", region)
            if entry is None:
                return None
            records = _unpack_records(
                region, self.part(entry if self._where is not None else entry[1:]), self.templates
            )
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            records = None
        if not complete_records(records):
            return self.recover()["quota"].get(region)
        return records


class Table(dict):
    """A table summary of a snapshot read from the cache: its ``rows`` are read when asked for."""

    def __init__(self, summary: dict[str, Any], snapshot: Snapshot) -> None:
        super().__init__(summary)
        self.snapshot = snapshot

    def __missing__(self, key: str) -> Any:
        if key != "rows":
            raise KeyError(key)
        rows = self.snapshot.rows(self["quota"])
        self[key] = rows
        return rows


class Slices(Mapping):
    """Region → quota records, each region's read from the slices file when first asked for."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.read: dict[str, list[dict[str, Any]]] = {}

    def __getitem__(self, region: str) -> list[dict[str, Any]]:
        if region not in self.read:
            if not self.snapshot.packed:
                return self.snapshot["quota"][region]
            records = self.snapshot.records(region)
            if records is None:
                raise KeyError(region)
            self.read[region] = records
        return self.read[region]

    def __iter__(self):
        return iter(r["name"] for r in self.snapshot["regions"])

    def __len__(self) -> int:
        return len(self.snapshot["regions"])


def allocations_of(snapshot: dict[str, Any], region: str) -> list[dict[str, Any]]:
    """A region's yearly allocation records, table by table (the tables' order in the data),
    from its quota records."""
    fields = ("quota", "region", "level", "year", "kind", "name", "value", "source")
    mine = [r for r in snapshot["quota"].get(region, []) if r["kind"] == "allocation"]
    return [{k: r[k] for k in fields} for table in snapshot["allocation_tables"] for r in mine if r["quota"] == table]


def _read(path: Path, key: str, root: Path) -> Snapshot | None:
    """The snapshot at ``path`` if it can be believed (see the module's docstring), else None."""
    if not trusted_file(path):
        return None
    try:
        if path.stat().st_size > MAX_SNAPSHOT:
            return None
        raw = path.read_bytes()
        head, _, rest = raw.partition(b"\n")
        header = json.loads(head)
        if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key:
            return None
        if header.get("digest") != hashlib.sha256(rest).hexdigest():
            return None
        body, _, lookup = rest.partition(b"\n")
        sources = header.get("sources")
        if not isinstance(sources, dict):
            return None
        for name, digest in sources.items():
            if not isinstance(name, str) or _source_digest(root / name) != digest:
                return None
        slices = header.get("slices")
        if not isinstance(slices, str) or not slices.startswith("slices-") or "/" in slices or "\\" in slices:
            return None
        if not trusted_file(path.parent / slices):
            return None
        data = json.loads(body)
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("templates"), list)
            or not isinstance(data.get("parts"), dict)
            or not isinstance(data.get("tasks"), list)
            or not all(isinstance(t, dict) and isinstance(t.get("applies"), dict) for t in data["tasks"])
        ):
            return None
        snapshot = Snapshot(data, root=root, slices=path.parent / slices, lookup=lookup)
    except (OSError, ValueError, RecursionError, KeyError, TypeError):
        return None
    return snapshot if complete(snapshot) else None


def load_snapshot(root: Path) -> Snapshot:
    """The snapshot of ``root``: from the cache when it can be believed, else built (and cached)."""
    folder = cache_folder()
    if folder is not None:
        key = fingerprint(root)
        data = _read(folder / f"snapshot-{key}.json", key, root)
        if data is not None:
            return data
    data, sources = _build(root)
    _store(root, data, sources)
    return Snapshot(data)


def _store(root: Path, data: dict[str, Any], sources: dict[str, str]) -> None:
    """Write the snapshot to the cache: the slices file, then the main file that names it."""
    folder = cache_folder()
    if folder is None:
        return
    key = fingerprint(root)
    main, lookup, slices = pack(data)
    name = f"slices-{_digest(slices)}.bin"
    rest = _dumps(main) + b"\n" + lookup
    header = json.dumps(
        {"format": FORMAT, "key": key, "digest": hashlib.sha256(rest).hexdigest(), "sources": sources, "slices": name}
    ).encode()
    try:
        target = folder / name
        # Named by its content: a file already there with that content is left alone (a reader
        # on Windows may hold it open); a damaged one is replaced.
        if not (trusted_file(target) and _digest(target.read_bytes()) == _digest(slices)):
            write_file(target, slices)
        write_file(folder / f"snapshot-{key}.json", header + b"\n" + rest)
        _prune(folder)
    except OSError:
        pass  # read-only cache folder, full disk: no cache, still correct


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
    mains = sorted(folder.glob("snapshot-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for path in mains[KEEP:]:
        path.unlink(missing_ok=True)
    named = set()
    for path in mains[:KEEP]:
        try:
            with open(path, "rb") as handle:
                named.add(json.loads(handle.readline()).get("slices"))
        except (OSError, ValueError, AttributeError):
            pass
    now = time.time()
    for path in folder.glob("slices-*.bin"):
        # A slices file no kept main file names (one a run is writing has no main file yet).
        try:
            if path.name not in named and now - path.stat().st_mtime > 600:
                path.unlink(missing_ok=True)
        except OSError:
            pass
    prune_stale(folder, 600, any_tmp=True)  # temporary files a killed run left behind


class StoredNames:
    """Region names resolved through the snapshot's stored spellings (``names``); everything
    else (suggestions for an unknown name) from the regions themselves, read when needed."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.snapshot = snapshot
        self._full: Any = None

    def resolve(self, text: str) -> Any:
        from .vocab import Resolved, normalise

        spelling = normalise(text)
        found = (
            self.snapshot.resolve(spelling)
            if isinstance(self.snapshot, Snapshot)
            else self.snapshot["names"].get(spelling)
        )
        return None if found is None else Resolved(*found)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._full is None:
            from .vocab import RegionNames

            self._full = RegionNames(regions_of(self.snapshot))
        return getattr(self._full, name)


def region_names(snapshot: dict[str, Any]) -> StoredNames:
    return StoredNames(snapshot)


def regions_of(snapshot: dict[str, Any]) -> list[SimpleNamespace]:
    """Region records with the attributes ``vocab.RegionNames`` reads."""
    return [
        SimpleNamespace(**{**r, "later_names": [SimpleNamespace(**n) for n in r["later_names"]]})
        for r in snapshot["regions"]
    ]


def units_of(snapshot: dict[str, Any]) -> list[SimpleNamespace]:
    return [SimpleNamespace(**u) for u in snapshot["units"]]
