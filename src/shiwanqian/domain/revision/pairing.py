"""Which plan, table and target of the new folder is which of the old one.

Most revisions keep ids, and then ids decide. A folder drafted anew (``shiwanqian draft``) or
re-transcribed names its plans and tables otherwise (``annex12`` for ``backbone-teachers``) and
words its targets otherwise; they are still the same parts of the same document. So pairing
goes in stages, each pairing only what the stages before left over, in document order:

* plans: the same id; the same annex; the same title; the same section of the main text;
* tables: the same id; the same title; the same (paired) plan and citation; the same plan;
* targets of a paired table: the same thing (name, scope, year, 学段, series, citation); the
  same thing cited elsewhere; then the same place in the document — their quotations overlap
  in the document's text (or contain one another when the texts differ) under the same part
  of it (附件12 …), those that also agree on value, qualifier, unit, year and scope first.

What is not paired was added or removed. The new folder's ids are then rewritten to the old
ones (``canonical``), and a renamed id is itself a change (``renames``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .facts import Entity, target_identity

if TYPE_CHECKING:
    from ...load.loader import Catalog

T = TypeVar("T")
TARGET_FIELDS = ("value", "qualifier", "unit", "year", "scope")


def match(old: Sequence[T], new: Sequence[T], stages: Sequence[Callable[[T, bool], Hashable | None]]) -> dict[int, int]:
    """new index → old index: at each stage, items left over with the same key (not None) are
    paired in order; ``key(item, is_new)``."""
    paired: dict[int, int] = {}
    taken: set[int] = set()
    for key in stages:
        waiting: dict[Hashable, list[int]] = {}
        for i, item in enumerate(old):
            if i not in taken and (k := key(item, False)) is not None:
                waiting.setdefault(k, []).append(i)
        for j, item in enumerate(new):
            if j in paired or (k := key(item, True)) is None:
                continue
            candidates = waiting.get(k)
            if candidates:
                i = candidates.pop(0)
                paired[j] = i
                taken.add(i)
    return paired


@dataclass
class Pairing:
    """new id → old id of every paired plan and table (equal ids included); new target key →
    old target key."""

    plans: dict[str, str] = field(default_factory=dict)
    quotas: dict[str, str] = field(default_factory=dict)
    targets: dict[tuple[Any, ...], tuple[Any, ...]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # new file (relative) → old file, of paired ones

    def plan(self, new_id: str) -> str:
        return self.plans.get(new_id, new_id)

    def quota(self, new_id: str) -> str:
        return self.quotas.get(new_id, new_id)

    def owner(self, new_id: str) -> str:
        """The canonical id of a plan or table id of the new folder."""
        return self.quotas.get(new_id) or self.plans.get(new_id) or new_id

    def renames(self) -> list[tuple[str, str, str]]:
        """(kind, old id, new id) of every paired plan or table whose id changed."""
        return [("plan", o, n) for n, o in self.plans.items() if n != o] + [
            ("quota", o, n) for n, o in self.quotas.items() if n != o
        ]


def _annex(source: str | None) -> str | None:
    return source.split()[0] if source and source.split() else None


def pair(old: Catalog, new: Catalog) -> Pairing:
    result = Pairing()
    old_plans = [loc.model for loc in old.plans]
    new_plans = [loc.model for loc in new.plans]
    plan_stages: list[Callable[[Any, bool], Hashable | None]] = [
        lambda p, _: p.id,
        lambda p, _: p.annex,
        lambda p, _: p.title,
        lambda p, _: p.main_section,
    ]
    for j, i in match(old_plans, new_plans, plan_stages).items():
        result.plans[new_plans[j].id] = old_plans[i].id
        result.files[_relative(new, new.plans[j])] = _relative(old, old.plans[i])
    old_tables = [loc.model for loc in old.quotas]
    new_tables = [loc.model for loc in new.quotas]

    def plan_of(t: Any, is_new: bool) -> str:
        return result.plan(t.plan) if is_new else t.plan

    table_stages: list[Callable[[Any, bool], Hashable | None]] = [
        lambda t, _: t.id,
        lambda t, _: t.title,
        lambda t, n: (plan_of(t, n), t.source),
        lambda t, n: plan_of(t, n),
    ]
    for j, i in match(old_tables, new_tables, table_stages).items():
        result.quotas[new_tables[j].id] = old_tables[i].id
        result.files[_relative(new, new.quotas[j])] = _relative(old, old.quotas[i])
        result.targets.update(_pair_targets(old_tables[i], new_tables[j], old.source_text or "", new.source_text or ""))
    for attr in ("programme", "regions", "units", "disagreements"):
        a, b = getattr(old, attr), getattr(new, attr)
        if a is not None and b is not None:
            result.files[_relative(new, b)] = _relative(old, a)
    return result


def _relative(catalog: Catalog, loc: Any) -> str:
    return relative_file(catalog, loc.doc.file)


def relative_file(catalog: Catalog, file: str) -> str:
    """A file as the folder names it (``quotas/lessons.yaml``), whatever the working directory."""
    import os

    try:
        return os.path.relpath(os.path.abspath(file), os.path.abspath(catalog.root)).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return file


def _pair_targets(old: Any, new: Any, old_text: str, new_text: str) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    stages: list[Callable[[Any, bool], Hashable | None]] = [
        lambda t, _: target_identity(t),
        lambda t, _: target_identity(t)[:-1],
    ]
    paired = match(old.targets, new.targets, stages)
    left_old = [i for i in range(len(old.targets)) if i not in paired.values()]
    left_new = [j for j in range(len(new.targets)) if j not in paired]
    if left_old and left_new:
        same_text = old_text == new_text
        near = {
            (i, j)
            for i in left_old
            for j in left_new
            if _overlap(old.targets[i], new.targets[j], old_text, new_text, same_text=same_text)
        }
        for agreeing in (True, False):
            for i in left_old:
                if i in paired.values():
                    continue
                for j in left_new:
                    if j in paired or (i, j) not in near:
                        continue
                    a, b = old.targets[i], new.targets[j]
                    if agreeing and any(getattr(a, f) != getattr(b, f) for f in TARGET_FIELDS):
                        continue
                    paired[j] = i
                    break
    return {(new.id, j): (old.id, i) for j, i in paired.items()}


def _spans(text: str, source: str) -> list[tuple[int, int]]:
    text = text.strip()
    found, at = [], source.find(text) if text else -1
    while at >= 0:
        found.append((at, at + len(text)))
        at = source.find(text, at + 1)
    return found


def _overlap(a: Any, b: Any, old_text: str, new_text: str, *, same_text: bool) -> bool:
    if _annex(a.source) != _annex(b.source):
        return False
    if not same_text:
        x, y = a.text.strip(), b.text.strip()
        return bool(x and y) and (x in y or y in x)
    return any(s1 < e2 and s2 < e1 for s1, e1 in _spans(a.text, old_text) for s2, e2 in _spans(b.text, new_text))


def canonical(entity: Entity, pairing: Pairing) -> Entity:
    """A new folder's entity with the old folder's ids (its key and labels)."""
    owner = entity.key[0]
    if entity.kind == "target":
        key = pairing.targets.get(entity.key)
        if key is None:
            key = (pairing.quota(owner), f"+{entity.key[1]}")
    elif not owner:
        return entity
    elif entity.kind in ("plan", "aim", "task"):
        key = (pairing.plan(owner), *entity.key[1:])
    else:
        key = (pairing.quota(owner), *entity.key[1:])
    labels = dict(entity.labels)
    if "plan" in labels and labels["plan"] is not None:
        labels["plan"] = pairing.plan(labels["plan"])
    if "quota" in labels:
        labels["quota"] = pairing.quota(labels["quota"])
    entity.key, entity.labels = key, labels
    return entity
