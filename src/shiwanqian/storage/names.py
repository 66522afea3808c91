"""Names resolved through a snapshot: regions by their stored spellings, and the region and
unit records with the attributes the vocabulary reads."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from .snapshot import Snapshot


class StoredNames:
    """Region names resolved through the snapshot's stored spellings (``names``); everything
    else (suggestions for an unknown name) from the regions themselves, read when needed."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.snapshot = snapshot
        self._full: Any = None

    def resolve(self, text: str) -> Any:
        from ..domain.programme.vocab import Resolved, normalise

        spelling = normalise(text)
        found = (
            self.snapshot.resolve(spelling)
            if isinstance(self.snapshot, Snapshot)
            else self.snapshot["names"].get(spelling)
        )
        return None if found is None else Resolved(*found)

    @property
    def area(self) -> Any:
        """The programme's word for its whole area (``domain.programme.city.Area``)."""
        from ..domain.programme.city import Area

        return Area.of_snapshot(self.snapshot)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._full is None:
            from ..domain.programme.vocab import RegionNames

            # Records with the attributes of the Region model (not the model itself).
            self._full = RegionNames(regions_of(self.snapshot))  # type: ignore[arg-type]
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
