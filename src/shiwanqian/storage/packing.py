"""The cache's two files: how a snapshot is packed into a small main file and a slices file,
and how a region's records are unpacked again."""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any

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

# Read from the slices file on demand, not from the main file (when read from the cache).
SLICED = ("quota", "progress", "regions", "names")
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


def unpack_records(region: str, packed: Any, templates: list[dict[str, Any]]) -> list[dict[str, Any]]:
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


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def pack(data: dict[str, Any]) -> tuple[dict[str, Any], bytes, bytes]:
    """The main file's body and look-up lines, and the slices file, of a snapshot made by ``build``."""
    main = {k: v for k, v in data.items() if k not in SLICED and not k.startswith("_")}
    from ..domain.programme.applies import Applies, RegionKinds

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
        entry = [offset, len(blob), digest_of(blob)]
        offset += len(blob)
        return entry

    for region, records in data["quota"].items():
        packed: Any = _pack_records(region, records, templates, known)
        if dumps(unpack_records(region, packed, templates)) != dumps(records):
            packed = {"records": records}
        lookup.append(b"r" + dumps([region, *add(dumps(packed))]))
    lookup += [b"a" + dumps([alias, *found]) for alias, found in data["names"].items()]
    main["templates"] = templates
    # The tables' region rows only the city-wide view reads; the regions only name
    # suggestions, whole-city views and tasks' rules; the progress basis only ``progress``
    # (each compressed: their figures repeat the same citations region after region).
    main["tables"] = [{k: v for k, v in t.items() if k != "rows"} for t in data["tables"]]
    main["parts"] = {
        "regions": add(zlib.compress(dumps(data["regions"]), 6)),
        "rows": add(zlib.compress(dumps({t["quota"]: t["rows"] for t in data["tables"]}), 6)),
        "progress": add(zlib.compress(dumps(progress), 6)),
    }
    return main, b"\n".join(lookup), b"".join(parts)
