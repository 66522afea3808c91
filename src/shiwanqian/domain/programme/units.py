"""Responsibility as it is shared: which general units include which (``units.yaml`` ``includes``).

A task given to a general unit (师训机构) is shared by every unit it includes, directly or
through another general unit (市级师训部门 → 市教师培训中心); a unit is also answerable for the
tasks of the units it includes (县市区教育局 for its 政工、人事部门). Works on anything with
``name`` and ``includes`` (models or the snapshot's records), so queries need no pydantic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

Share = Literal["own", "shared", "part"]
LABELS = {"own": "本单位", "shared": "共同承担", "part": "所属单位承担"}


@dataclass(frozen=True)
class Relation:
    """How a unit stands to a task: named itself, through a general unit, or through a unit it includes."""

    share: Share
    via: tuple[str, ...] = ()

    def label(self) -> str:
        if self.share == "own":
            return LABELS["own"]
        return f"{LABELS[self.share]}（{'、'.join(self.via)}）"


class Responsibility:
    def __init__(self, units: Iterable[Any]):
        self.children: dict[str, list[str]] = {u.name: list(getattr(u, "includes", None) or []) for u in units}
        self.parents: dict[str, list[str]] = {}
        for parent, children in self.children.items():
            for child in children:
                self.parents.setdefault(child, []).append(parent)

    @staticmethod
    def _reach(start: str, edges: dict[str, list[str]]) -> list[str]:
        seen: list[str] = []
        stack = list(reversed(edges.get(start, [])))
        while stack:  # cycle-safe: `check` reports cycles, queries must not hang on them
            name = stack.pop()
            if name in seen or name == start:
                continue
            seen.append(name)
            stack.extend(reversed(edges.get(name, [])))
        return seen

    def general(self, unit: str) -> list[str]:
        """The general units that include ``unit``, nearest first."""
        return self._reach(unit, self.parents)

    def parts(self, unit: str) -> list[str]:
        """The units ``unit`` includes, directly or not."""
        return self._reach(unit, self.children)

    def relation(self, unit: str, task_units: Iterable[str], *, exact: bool = False) -> Relation | None:
        names = list(task_units)
        if unit in names:
            return Relation("own")
        if exact:
            return None
        general = set(self.general(unit))
        via = tuple(u for u in names if u in general)
        if via:
            return Relation("shared", via)
        parts = set(self.parts(unit))
        via = tuple(u for u in names if u in parts)
        return Relation("part", via) if via else None


def cycles(units: Iterable[Any]) -> list[list[str]]:
    """Each cycle of ``includes`` once, as the path that closes it (a → b → a)."""
    children = {u.name: list(getattr(u, "includes", None) or []) for u in units}
    found: list[list[str]] = []
    seen_sets: set[frozenset[str]] = set()
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for child in children.get(name, []):
            if state.get(child) == 1:
                loop = path[path.index(child) :] + [child]
                key = frozenset(loop)
                if key not in seen_sets:
                    seen_sets.add(key)
                    found.append(loop)
            elif state.get(child) is None and child in children:
                visit(child, [*path, child])
        state[name] = 2

    for name in children:
        if state.get(name) is None:
            visit(name, [name])
    return found
