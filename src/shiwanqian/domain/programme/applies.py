"""Which regions a task falls on, kept as a rule (``Applies``) over the regions and their kinds
(``RegionKinds``). Its own light module: the query snapshot rebuilds every task's ``Applies`` when
it is read, and a query that lists no tasks (``quota``) should not pay for the task selection's
imports (dates, units)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class RegionKinds:
    """The regions in order with their kinds, indexed on first use (shared by every task's
    :class:`Applies`)."""

    def __init__(self, regions: list[dict[str, Any]] | Callable[[], list[dict[str, Any]]]) -> None:
        self.regions = regions  # or a function that reads them
        self._kinds: dict[str, str] | None = None

    @property
    def kinds(self) -> dict[str, str]:
        if self._kinds is None:
            regions = self.regions() if callable(self.regions) else self.regions
            self._kinds = {r["name"]: r["kind"] for r in regions}
        return self._kinds


class Applies:
    """The regions a task falls on (in the regions' order), from its rule: ``name in applies``
    costs a look-up, not a scan, and the list of ten thousand regions is never stored."""

    __slots__ = ("_kinds", "_named", "_only", "regions", "rule")

    def __init__(self, rule: dict[str, Any], regions: RegionKinds) -> None:
        self.rule, self.regions = rule, regions
        only = rule["only"]
        self._only = None if only is None else frozenset(only)
        self._named = frozenset(rule["named"])
        self._kinds = frozenset(rule["kinds"])

    def _falls(self, name: str, kind: str) -> bool:
        return (self._only is None or name in self._only) and (name in self._named or kind in self._kinds)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        kind = self.regions.kinds.get(name)
        return kind is not None and self._falls(name, kind)

    def __iter__(self):
        return (name for name, kind in self.regions.kinds.items() if self._falls(name, kind))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Applies, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Applies({list(self)!r})"
