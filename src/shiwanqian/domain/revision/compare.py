"""Compare two loaded folders: every entity field by field, the document's text by lines, then
the effects downstream. ``compare(old, new)`` is the one entry point; it is a pure function of
the two catalogs (allocations come from the verified cache or the solver)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .changes import Change, order_key
from .facts import NOTE_FIELDS, Entity, Place, folder_entities
from .pairing import Pairing, canonical, pair

if TYPE_CHECKING:
    from ...load.loader import Catalog

_MISSING = object()


def same(a: Any, b: Any) -> bool:
    """Equal values of the data: 80 and 80.0 are one number, 1 and True are not."""
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def _unique(entities: Iterable[Entity]) -> dict[tuple[Any, ...], Entity]:
    """Entities by key; a key written twice (broken data) keeps both, the second numbered."""
    result: dict[tuple[Any, ...], Entity] = {}
    for entity in entities:
        key, n = entity.key, 1
        while key in result:
            key = (*entity.key, f"#{n}")
            n += 1
        entity.key = key
        result[key] = entity
    return result


def compare_entities(
    old: Iterable[Entity],
    new: Iterable[Entity],
    *,
    notes: bool = False,
    regions: Callable[[Entity], frozenset[str]] | None = None,
) -> list[Change]:
    """Changed fields of entities in both, and entities only in one (in the old folder's order,
    then the new one's). ``regions(entity)``: the regions an entity concerns beyond its label."""
    before, after = _unique(old), _unique(new)

    def touched(*entities: Entity | None) -> frozenset[str]:
        found: set[str] = set()
        for e in entities:
            if e is None:
                continue
            if e.labels.get("region"):
                found.add(e.labels["region"])
            if regions is not None:
                found |= regions(e)
        return frozenset(found)

    def units(*entities: Entity | None) -> frozenset[str]:
        found: set[str] = set()
        for e in entities:
            if e is not None and e.kind == "task":
                found.update(e.fields.get("units") or [])
            elif e is not None and e.kind == "unit":
                found.add(e.key[1])
        return frozenset(found)

    changes: list[Change] = []
    for key, o in before.items():
        n = after.get(key)
        if n is None:
            changes.append(
                Change("removed", o.kind, o.labels, None, o.summary(), None, o.place(), None, touched(o), units(o))
            )
            continue
        for name in dict.fromkeys([*o.fields, *n.fields]):
            if name in NOTE_FIELDS and not notes:
                continue
            a, b = o.fields.get(name, _MISSING), n.fields.get(name, _MISSING)
            if a is not _MISSING and b is not _MISSING and same(a, b):
                continue
            changes.append(
                Change(
                    "changed",
                    o.kind,
                    {**o.labels, **{k: v for k, v in n.labels.items() if k == "name" and v}},
                    name,
                    None if a is _MISSING else a,
                    None if b is _MISSING else b,
                    o.place(name),
                    n.place(name),
                    touched(o, n),
                    units(o, n),
                )
            )
    for key, n in after.items():
        if key not in before:
            changes.append(
                Change("added", n.kind, n.labels, None, None, n.summary(), None, n.place(), touched(n), units(n))
            )
    return changes


def rename_changes(pairing: Pairing, old: Catalog, new: Catalog) -> list[Change]:
    """A plan or table the new folder names otherwise, as a change of its ``id``."""
    where: dict[tuple[str, str, bool], Any] = {}
    for catalog, is_new in ((old, False), (new, True)):
        for loc in catalog.plans:
            where["plan", loc.model.id, is_new] = loc
        for loc in catalog.quotas:
            where["quota", loc.model.id, is_new] = loc
    result = []
    for kind, old_id, new_id in pairing.renames():
        a, b = where[kind, old_id, False], where[kind, new_id, True]
        labels = {"plan": old_id if kind == "plan" else a.model.plan, "name": a.model.title}
        if kind == "quota":
            labels["quota"] = old_id
        result.append(
            Change(
                "changed",
                kind,
                labels,
                "id",
                old_id,
                new_id,
                _place(a, "id"),
                _place(b, "id"),
            )
        )
    return result


def _place(loc: Any, name: str) -> Place:
    line, column = loc.position(name)
    return Place(loc.doc.file, line, column, loc.model.source)


def document_changes(
    old: Catalog, new: Catalog, regions: Callable[[str], frozenset[str]] | None = None
) -> list[Change]:
    """The document's own text (``source_text``): each run of lines that differs."""
    a, b = old.source_text, new.source_text
    if a == b:
        return []
    old_file, new_file = _source_file(old), _source_file(new)
    before, after = (a or "").splitlines(), (b or "").splitlines()
    result = []
    matcher = difflib.SequenceMatcher(None, before, after)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        change = {"replace": "changed", "delete": "removed", "insert": "added"}[tag]
        old_text, new_text = "\n".join(before[i1:i2]), "\n".join(after[j1:j2])
        name = f"第 {i1 + 1}–{i2} 行" if i2 - i1 > 1 else f"第 {i1 + 1} 行"
        result.append(
            Change(
                change,
                "document",
                {"name": name if tag != "insert" else f"第 {j1 + 1} 行起"},
                None,
                old_text if tag != "insert" else None,
                new_text if tag != "delete" else None,
                Place(old_file, i1 + 1, 1, None, before[i1] if i1 < i2 else None) if tag != "insert" else None,
                Place(new_file, j1 + 1, 1, None, after[j1] if j1 < j2 else None) if tag != "delete" else None,
                regions(f"{old_text}\n{new_text}") if regions is not None else frozenset(),
            )
        )
    return result


def _source_file(catalog: Catalog) -> str:
    from ...load.loader import display_path

    name = catalog.programme.model.source_text if catalog.programme is not None else None
    return display_path(catalog.root / (name or "source.txt"))


def compare(old: Catalog, new: Catalog, *, notes: bool = False, effects: bool = True) -> list[Change]:
    """Every change from ``old`` to ``new``: the data, then (``effects``) what follows from it.

    In the order views list them (by kind; within a kind, the old folder's order, then what
    was added)."""
    from .effects import Sides, downstream

    pairing = pair(old, new)
    sides = Sides(old, new, pairing)
    old_entities = folder_entities(old)
    new_entities = [canonical(e, pairing) for e in folder_entities(new)]
    changes = rename_changes(pairing, old, new)
    changes += compare_entities(old_entities, new_entities, notes=notes, regions=sides.regions_of)
    changes += document_changes(old, new, sides.regions_of_text)
    if effects:
        changes += downstream(sides, notes=notes, changed=frozenset(c.kind for c in changes))
    return sorted(changes, key=order_key)
