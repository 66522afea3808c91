"""City-wide views and plain-language answers for ``quota``, over the query snapshot.

* :func:`city_tables` — each main table (a table with per-region rows) as region × 学段, with
  the row and column totals and the totals the document states;
* :func:`year_gaps` — for ``--year``, the tables that have no yearly entry for that year, with
  the years that do;
* :func:`why_no_quota` — why a region has nothing under the plan or table asked for;
* :class:`Area` — the word for the whole area (全市, a county's 全县 …) and how users type it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from ...load.model import Vocabulary

CITY = "全市"  # the default word for the whole area (the programme's vocabulary may say 全县 …)


class Area(NamedTuple):
    """The word for the whole area and the spellings ``--district`` accepts for it. (Named
    tuples here, not dataclasses: this module is on every ``quota``'s path, and a dataclass
    costs about a millisecond to define.)"""

    word: str = CITY
    spellings: tuple[str, ...] = (CITY, "quanshi", "all")

    def means(self, text: str | None) -> bool:
        from .vocab import normalise

        return text is not None and normalise(text) in {normalise(s) for s in self.spellings}

    def other(self, text: str | None) -> str | None:
        """The word of another programme's whole area that ``text`` spells (a city's 全市 typed
        in a county's programme, or ``quanshi``), or None: the answer then names this one's. A
        programme that calls its whole area 全市 (the default) answers as it always has."""
        from ...load.model import AREA_PINYIN
        from .vocab import normalise

        if text is None or self.word == CITY or self.means(text):
            return None
        typed = normalise(text)
        for word, pinyin in AREA_PINYIN.items():
            if word != self.word and typed in {normalise(s) for s in (word, *pinyin)}:
                return word
        return None

    @classmethod
    def of(cls, vocabulary: Vocabulary) -> Area:
        return cls(vocabulary.area, tuple(vocabulary.area_spellings))

    @classmethod
    def of_snapshot(cls, snapshot: dict[str, Any]) -> Area:
        programme = snapshot["programme"]
        word = programme.get("area", CITY)
        return cls(word, tuple(programme.get("area_spellings") or (word, "all")))


class CityTable(NamedTuple):
    quota: str
    title: str
    unit: str | None
    levels: list[str | None]  # None: a table without 学段 (one number a region)
    rows: list[tuple[str, dict[str | None, int], int, int | None]]  # region, cells, sum, stated
    totals: dict[str | None, int]  # column sums
    grand: int
    stated: dict[str, Any] | None  # the document's stated total (value, qualifier, text, source)
    year: int | None = None
    # Defaults that cannot be changed in place (a named tuple shares its defaults).
    unsplit: Mapping[str | None, int] = MappingProxyType({})  # city-wide figures not split by region
    sources: Sequence[str] = ()


def main_tables(snapshot: dict[str, Any], *, plan: str | None = None, table: str | None = None) -> list[dict[str, Any]]:
    return [
        t
        for t in snapshot["tables"]
        if t["main"] and (plan is None or t["plan"] == plan) and (table is None or t["quota"] == table)
    ]


def city_tables(
    snapshot: dict[str, Any], *, plan: str | None = None, table: str | None = None, year: int | None = None
) -> list[CityTable]:
    """Each main table as region × 学段. With ``year``: that year's schedule or allocation
    where the table has one, else the table's targets (``year_gaps`` says which)."""
    order = list(snapshot["programme"]["levels"])
    regions = [r["name"] for r in snapshot["regions"]]
    area = Area.of_snapshot(snapshot).word
    result = []
    for summary in main_tables(snapshot, plan=plan, table=table):
        tid = summary["quota"]
        dated = year is not None and year in summary["schedule_years"] + summary["allocation_years"]
        cells: dict[str, dict[str | None, int]] = {}
        unsplit: dict[str | None, int] = {}
        sources: list[str] = []
        for region in regions:
            for r in snapshot["quota"].get(region, []):
                if r["quota"] != tid:
                    continue
                if dated:
                    keep = r["kind"] in ("schedule", "allocation") and r["year"] == year
                else:
                    keep = (
                        r["kind"] == "target"
                        and r.get("review") != "proposed"  # a proposal is never a table's own number
                        and r["year"] is None
                        and r["name"] in (*order, "合计")
                        and not (r["name"] == "合计" and summary["by_level"])
                    )
                if not keep or not isinstance(r["value"], int):
                    continue
                if r["region"] == area:  # a city-wide figure the document does not split (listed once)
                    unsplit[r["level"]] = r["value"]
                else:
                    level = r["level"] if summary["by_level"] or r["level"] else None
                    row = cells.setdefault(region, {})
                    row[level] = row.get(level, 0) + r["value"]
                sources.append(r["source"])
        levels = sorted(
            {lv for row in cells.values() for lv in row} | set(unsplit),
            key=lambda lv: order.index(lv) if lv in order else len(order),
        )
        stated_rows = {row["region"]: row["total"] for row in summary["rows"]}
        rows = []
        for region in regions:
            if region not in cells:
                continue
            row = cells[region]
            stated = stated_rows.get(region) if not dated else None
            rows.append((region, row, sum(v for v in row.values()), stated))
        totals = {lv: sum(r[1].get(lv, 0) for r in rows) for lv in levels}
        result.append(
            CityTable(
                tid,
                summary["title"],
                summary["unit"],
                levels,
                rows,
                totals,
                sum(totals.values()),
                summary["total"] if not dated else None,
                year if dated else None,
                unsplit,
                list(dict.fromkeys([summary["source"], *sources])),
            )
        )
    return result


def year_gaps(snapshot: dict[str, Any], tables: list[str], year: int) -> list[str]:
    """A sentence for each main table among ``tables`` that has no yearly entry for ``year``."""
    notes = []
    for summary in snapshot["tables"]:
        if summary["quota"] not in tables or not summary["main"]:
            continue
        years = sorted(set(summary["schedule_years"]) | set(summary["allocation_years"]))
        if year in years:
            continue
        start, end = snapshot["programme"]["period"]
        having = f"有年度数字的年份：{'、'.join(map(str, years))}" if years else "文件没有给出这张表的年度安排"
        notes.append(
            f"{summary['title']}：{year} 年没有年度安排或分配（{having}）；表中的数字是 {start}–{end} 年的名额合计。"
        )
    return notes


def why_no_quota(
    snapshot: dict[str, Any], region: str, *, plan: str | None, table: str | None, year: int | None
) -> str:
    titles = {p["plan"]: p["title"] for p in snapshot["plans"]}
    if table is not None:
        summary = next(t for t in snapshot["tables"] if t["quota"] == table)
        return (
            f"{region} 在名额表 {table}（{summary['title']}）中没有名额"
            + (f"，{year} 年也没有安排" if year else "")
            + "。"
        )
    if plan is not None:
        own = [t for t in snapshot["tables"] if t["plan"] == plan]
        if not own:
            return (
                f"计划 {plan}（{titles.get(plan, '')}）没有名额表，{region} 在该计划下没有名额；"
                f"该计划的任务见 shiwanqian schedule --plan {plan} --district {region}。"
            )
        names = "、".join(f"{t['quota']}（{t['title']}）" for t in own)
        return f"计划 {plan} 的名额表 {names} 都没有落在 {region} 的名额" + (f"（{year} 年）" if year else "") + "。"
    return f"{region} 没有名额或指标" + (f"（{year} 年）" if year else "") + "。"
