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
import time
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..fileio import cache_folder, prune_stale, trusted_file, write_file
from .build import build_with_sources
from .key import FORMAT, fingerprint, source_digest
from .packing import SLICED, digest_of, dumps, pack, unpack_records

MAX_SNAPSHOT = 256 * 1024 * 1024

# What a snapshot must hold to be used: these collections, these identifying fields, and
# records of one shape within each collection (a record missing a field its siblings have is
# damage). ``tests/hostile/test_items.py`` checks that a freshly built snapshot passes, both as
# built and as read back from the cache (the main file, and every region's slice).
REQUIRED: dict[str, tuple[type, tuple[str, ...]]] = {
    "programme": (dict, ("id", "title", "issuer", "document", "levels", "period")),
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
PARTS = ("regions", "rows", "progress")  # the whole-city parts of the slices file


def _uniform(records: list[Any], keys: tuple[str, ...]) -> bool:
    """Every record a mapping with ``keys`` and with the same fields as the first."""
    if not records:
        return True
    if not isinstance(records[0], dict):
        return False
    shape = records[0].keys()
    return all(isinstance(r, dict) and r.keys() == shape for r in records) and all(k in shape for k in keys)


def _collection(value: Any, kind: type[Any], keys: tuple[str, ...]) -> bool:
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
            from ..domain.programme.applies import Applies, RegionKinds

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
            slices = self.slices
            if slices is None:
                raise Corrupt
            if self._blob is None and self._reads > MANY:
                if not trusted_file(slices):
                    raise Corrupt
                self._blob = slices.read_bytes()
            if self._blob is not None:
                raw = self._blob[offset : offset + length]
            else:
                if not trusted_file(slices):
                    raise Corrupt
                with open(slices, "rb") as handle:
                    handle.seek(offset)
                    raw = handle.read(length)
            if len(raw) != length or digest_of(raw) != digest:
                raise Corrupt
            return json.loads(zlib.decompress(raw) if compressed else raw)
        except (OSError, ValueError, TypeError, RecursionError, Corrupt, zlib.error):
            return None

    def recover(self) -> Snapshot:
        """A damaged slices file: build the snapshot afresh (and cache it); this one then holds
        everything."""
        assert self.root is not None  # only a snapshot read from the cache (with its root) recovers
        fresh, sources = build_with_sources(self.root)
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
            records = unpack_records(region, self.part(entry if self._where is not None else entry[1:]), self.templates)
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
            if not isinstance(name, str) or source_digest(root / name) != digest:
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
        cached = _read(folder / f"snapshot-{key}.json", key, root)
        if cached is not None:
            return cached
    data, sources = build_with_sources(root)
    _store(root, data, sources)
    return Snapshot(data)


def _store(root: Path, data: dict[str, Any], sources: dict[str, str]) -> None:
    """Write the snapshot to the cache: the slices file, then the main file that names it."""
    folder = cache_folder()
    if folder is None:
        return
    key = fingerprint(root)
    main, lookup, slices = pack(data)
    name = f"slices-{digest_of(slices)}.bin"
    rest = dumps(main) + b"\n" + lookup
    header = json.dumps(
        {"format": FORMAT, "key": key, "digest": hashlib.sha256(rest).hexdigest(), "sources": sources, "slices": name}
    ).encode()
    try:
        target = folder / name
        # Named by its content: a file already there with that content is left alone (a reader
        # on Windows may hold it open); a damaged one is replaced.
        # Neither file is forced to disk: both are checked against their digests when read.
        if not (trusted_file(target) and digest_of(target.read_bytes()) == digest_of(slices)):
            write_file(target, slices, sync=False)
        write_file(folder / f"snapshot-{key}.json", header + b"\n" + rest, sync=False)
        _prune(folder)
    except OSError:
        pass  # read-only cache folder, full disk: no cache, still correct


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
