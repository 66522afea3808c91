"""Names users type, resolved to the names the data uses, with “did you mean” suggestions."""

from __future__ import annotations

import difflib
import unicodedata
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ...load.model import Region, Unit


def normalise(text: str) -> str:
    """Fold full-width letters and case, drop spaces: what a user means by the same name."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def suggest(word: str, choices: list[str], limit: int = 3) -> list[str]:
    folded = {normalise(c): c for c in choices}
    hits = difflib.get_close_matches(normalise(word), list(folded), n=limit, cutoff=0.4)
    by_char = [c for c in choices if word and any(ch in c for ch in word) and c not in hits]
    result = [folded[h] for h in hits]
    # CJK names of two or three characters are too short for difflib's ratio alone.
    for choice in by_char:
        if len(result) >= limit:
            break
        if sum(ch in choice for ch in word) >= max(1, len(word) // 2) and choice not in result:
            result.append(choice)
    return result


def did_you_mean(word: str, choices: list[str]) -> str:
    return offer(suggest(word, choices))


def offer(hits: list[str]) -> str:
    return f"；您是不是要找：{'、'.join(hits)}？" if hits else ""


def name_hint(text: str, index: dict[str, str]) -> str:
    """“Did you mean” for a name, given ``index``: every accepted spelling (normalised) → the
    full name. A spelling that means exactly one name offers that name; anything else offers the
    full names of the closest spellings (``youxain`` → 攸县)."""
    name = index.get(normalise(text))
    if name is not None:
        return offer([name])
    return offer(list(dict.fromkeys(index[normalise(hit)] for hit in suggest(text, list(index)))))


class Resolved(NamedTuple):  # a named tuple: cheaper to define than a dataclass, on every query's path
    name: str
    note: str | None = None


class RegionNames:
    def __init__(self, regions: list[Region]):
        self.regions = regions
        self.names = [r.name for r in regions]
        self.by_name = {r.name: r for r in regions}  # lookups without scanning the list
        self.known = self.by_name.keys()
        self._index: dict[str, Resolved] = {}
        for region in regions:
            for alias in [region.name, *region.short, *region.pinyin]:
                self._index.setdefault(normalise(alias), Resolved(region.name))
            for later in region.later_names:
                note = f"{later.name}即原{region.name}（{later.since}年更名；{later.note}），按{region.name}查询"
                for alias in [later.name, later.name.removesuffix("区"), *later.pinyin]:
                    self._index.setdefault(normalise(alias), Resolved(region.name, note))

    def resolve(self, text: str) -> Resolved | None:
        return self._index.get(normalise(text))

    def did_you_mean(self, text: str) -> str:
        """The region a name means, by the same rules the command line uses.

        A short name, pinyin or later name (``youxian``, ``醴陵``, ``渌口区``) means exactly one
        region, which is offered by its full name; anything else gets the regions whose names
        or aliases come closest (``youxain`` → 攸县).
        """
        return name_hint(text, self.index())

    def index(self) -> dict[str, str]:
        """Every accepted spelling (normalised) → the region's full name (plain data: it is
        kept in the query snapshot for checks that have no models at hand)."""
        return {alias: resolved.name for alias, resolved in self._index.items()}

    def all_aliases(self) -> list[str]:
        aliases = []
        for region in self.regions:
            aliases += [region.name, *region.short, *region.pinyin]
            for later in region.later_names:
                aliases += [later.name, *later.pinyin]
        return aliases

    def kind(self, name: str) -> str:
        return self.by_name[name].kind


class UnitNames:
    def __init__(self, units: list[Unit]):
        self.units = {u.name: u for u in units}
        self._index: dict[str, str] = {}
        for unit in units:
            for alias in [unit.name, *unit.aliases]:
                self._index.setdefault(normalise(alias), unit.name)

    def resolve(self, text: str) -> str | None:
        return self._index.get(normalise(text))

    def did_you_mean(self, text: str) -> str:
        """The unit a name means: an alias by its full name, else the closest names."""
        unit = self.resolve(text)
        if unit is not None:
            return offer([unit])
        aliases = {alias: unit.name for unit in self.units.values() for alias in [unit.name, *unit.aliases]}
        return offer(list(dict.fromkeys(aliases[hit] for hit in suggest(text, list(aliases)))))

    def all_aliases(self) -> list[str]:
        return sorted(self._index)
