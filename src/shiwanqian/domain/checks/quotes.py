"""Quotations: every quote is found in the document, every structured number appears in its
quote with its label, and a number the record does not account for is a warning."""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator
from fractions import Fraction

from ...findings import Finding
from ...load.loader import Catalog, Located
from ...load.model import QuotaTable
from ..numerals import Number, find_numbers, halfwidth
from .context import Context


# Quotations repeat (a clause cited by several rows) and each is read again at the end of its
# table (numbers no record accounts for): room for every row of a national table.
@functools.lru_cache(maxsize=1 << 15)
def _numbers(text: str) -> tuple[Number, ...]:
    return tuple(find_numbers(text))


@functools.lru_cache(maxsize=1 << 15)
def _stated(text: str) -> tuple[Number, ...]:
    return tuple(n for n in _numbers(text) if n.stated)


def _appears(text: str, value: int | float, *, percent: bool | None = None) -> bool:
    """``value`` is a number ``text`` states (Arabic or Chinese, % and 分之 forms; 第三个 says 3)."""
    return any(n.means(value, percent=percent) for n in _numbers(text) if not n.loose)


def _exact(value: int | float) -> int | Fraction:
    """A number as a set key: 80, 80.0 and Fraction(80) are one key; 12.5 is exact."""
    if isinstance(value, int):
        return value
    return int(value) if value.is_integer() else Fraction(str(value))


def _legacy_appears(text: str, value: int | float) -> bool:
    """The 0.1.0 rule: the digits anywhere in the text, or a Chinese numeral up to 十三.

    A number that only this looser rule accepts was valid under 0.1.0, so the stricter rule
    reports it as a warning, not an error: users' data keeps passing across upgrades.
    """
    legacy = {
        1: "一",
        2: "两",
        3: "三",
        4: "四",
        5: "五",
        6: "六",
        7: "七",
        8: "八",
        9: "九",
        10: "十",
        11: "十一",
        12: "十二",
        13: "十三",
    }
    return str(value) in text or (isinstance(value, int) and legacy.get(value, "\0") in text)


_CLAUSE_END = "，。；;,\n"


@functools.lru_cache(maxsize=1 << 15)
def _index(text: str) -> tuple[str, tuple[Number, ...], list[int], list[int]]:
    """``text`` with full-width digits as ASCII (a label written ２０１６年 is still that label),
    its stated numbers and their starts and ends (in order: the numbers do not overlap)."""
    numbers = _stated(text)
    return halfwidth(text), numbers, [n.start for n in numbers], [n.end for n in numbers]


def _paired(
    text: str, labels: list[str], value: int | float, *, percent: bool | None = None, skip: frozenset = frozenset()
) -> bool:
    """``text`` gives ``value`` to one of ``labels``: the first number after the label is that
    value (高中200节, 攸县建3个, 2016年完成总任务的10%), or the last one before it in the same
    clause (20名高中教师). Numbers in ``skip`` (sibling labels such as other years) are passed over.
    """
    plain, numbers, starts, ends = _index(text)
    if skip:
        numbers = tuple(n for n in numbers if n.value not in skip)
        starts, ends = [n.start for n in numbers], [n.end for n in numbers]
    for label in labels:
        at = plain.find(label)
        while at != -1:
            end = at + len(label)
            k = bisect_left(starts, end)  # the first number after the label
            if k < len(numbers) and numbers[k].means(value, percent=percent):
                return True
            k = bisect_right(ends, at) - 1  # the last one before it, if in the same clause
            if k >= 0:
                before = numbers[k]
                between = plain[before.end : at]
                if not any(c in between for c in _CLAUSE_END) and before.means(value, percent=percent):
                    return True
            at = plain.find(label, end)
    return False


def quote_gives(text: str, labels: list[str], value: int | float) -> bool:
    """Whether ``check`` reads ``text`` as giving ``value`` to one of ``labels`` (a region and
    its other names): ``draft`` writes a number only when this holds."""
    return _paired(text, labels, value)


def quote_states(text: str, value: int | float) -> bool:
    """Whether ``check`` finds ``value`` stated in ``text``."""
    return _appears(text, value)


def check_quotes_found(loc: Located, source: str | None, found: dict[str, bool]) -> Iterator[Finding]:
    """Every quotation of one file is in the document. ``found`` remembers the quotations
    looked up before (many repeat: each is looked up once)."""
    if source is not None:
        # A file quotes the document mostly in its order: search on from the last quotation
        # found, and only then from the start, so a long table costs one pass, not one per row.
        cursor = 0
        for node, text in loc.doc.quotes:
            hit = found.get(text)
            if hit is None:
                quote = text.strip()
                at = source.find(quote, cursor)
                if at < 0:
                    at = source.find(quote)
                if at >= 0:
                    cursor = at
                hit = found[text] = at >= 0
            if not hit:
                path = loc.doc.path(node)
                yield loc.finding(
                    path,
                    "quote-not-found",
                    f"引文在原文中找不到：“{text[:40]}”",
                    subject=f"{loc.doc.file}/{'/'.join(map(str, path))}",
                )


def check_quote_counts(catalog: Catalog) -> Iterator[Finding]:
    """The programme's stated counts are the numbers their quotations give."""
    if catalog.programme is not None:
        for i, count in enumerate(catalog.programme.model.counts):
            if not _appears(count.text, count.value):
                legacy = _legacy_appears(count.text, count.value)
                yield catalog.programme.finding(
                    ("counts", i, "value"),
                    "quote-number-unconfirmed" if legacy else "quote-mismatch",
                    f"数字与引文不符：{count.value} 不见于“{count.text}”",
                    severity="warning" if legacy else "error",
                    subject=f"programme/counts/{i}/value",
                )


def check_quote_numbers(loc: Located, ctx: Context) -> Iterator[Finding]:
    """Every structured number is confirmed by the quotation it cites.

    The rule does not depend on the document's wording: a number must appear in its quote as
    a number (Arabic or Chinese numerals, % and 分之 forms); a number that belongs to a region,
    a 学段 or a year must be the number the quote gives to it. A quote that lists a table's
    numbers (a row, a yearly clause, a share series) and holds a number the record does not
    account for is reported as a warning.
    """
    check = _QuoteNumbers(loc, ctx)
    yield from check.rows()
    yield from check.schedule()
    yield from check.shares()
    yield from check.rates()
    yield from check.targets()
    yield from check.total_and_members()
    yield from check.unaccounted()


class _QuoteNumbers:
    """The quote checks of one quota table, with what they keep between the parts: the quotes
    already reported (one mistake, one finding) and the numbers each quote's records hold."""

    def __init__(self, loc: Located, ctx: Context) -> None:
        self.loc, self.ctx = loc, ctx
        self.table: QuotaTable = loc.model
        self.mismatched: set[str] = set()
        self.accounted: dict[str, set] = defaultdict(set)  # quote → numbers the records citing it hold
        self.first_use: dict[str, tuple] = {}  # quotes that list a table's numbers → where first cited

    def bad(self, path: tuple, what: str, text: str, legacy: bool = False) -> Finding:
        """``legacy``: the 0.1.0 rule accepted this number, so it is only a warning now."""
        self.mismatched.add(text)
        subject = f"{self.table.id}/{'/'.join(map(str, path))}"
        if legacy:
            return self.loc.finding(
                path,
                "quote-number-unconfirmed",
                f"引文没有明确写出这个数：{what} 不见于“{text}”（0.1.0 的宽松规则接受它；"
                "请核对，或在 derived 中写明它如何由引文得出）",
                severity="warning",
                subject=subject,
            )
        return self.loc.finding(path, "quote-mismatch", f"数字与引文不符：{what} 不见于“{text}”", subject=subject)

    def aliases(self, region: str) -> list[str]:
        return self.ctx.short_names.get(region, [region])

    def uses(self, text: str, path: tuple | None, *values: int | float | None) -> None:
        self.accounted[text].update([v if type(v) is int else _exact(v) for v in values if v is not None])
        if path is not None:
            self.first_use.setdefault(text, path)

    def rows(self) -> Iterator[Finding]:
        bad, aliases = self.bad, self.aliases
        for i, row in enumerate(self.table.rows):
            for level, value in (row.values or {}).items():
                if not _paired(row.text, [level], value):
                    yield bad(("rows", i, "values", level), f"{level} {value}", row.text, f"{level}{value}" in row.text)
            if row.value is not None and not _paired(row.text, aliases(row.region), row.value):
                yield bad(
                    ("rows", i, "value"),
                    f"{row.region} {row.value}",
                    row.text,
                    _legacy_appears(row.text, row.value) and any(a in row.text for a in aliases(row.region)),
                )
            if row.total is not None and not _appears(row.text, row.total):
                yield bad(("rows", i, "total"), f"合计 {row.total}", row.text, f"合计{row.total}" in row.text)
            self.uses(row.text, ("rows", i, "text"), *(row.values or {}).values(), row.value, row.total)

    def schedule(self) -> Iterator[Finding]:
        bad, aliases = self.bad, self.aliases
        for i, year in enumerate(self.table.schedule):
            if year.total is not None and not _appears(year.total_text or "", year.total):
                yield bad(
                    ("schedule", i, "total"),
                    str(year.total),
                    year.total_text or "",
                    str(year.total) in (year.total_text or ""),
                )
            for j, group in enumerate(year.groups):
                if group.total is not None and not _appears(group.text, group.total):
                    yield bad(
                        ("schedule", i, "groups", j, "total"),
                        str(group.total),
                        group.text,
                        str(group.total) in group.text,
                    )
                for region, value in group.regions.items():
                    if not _paired(group.text, aliases(region), value):
                        yield bad(
                            ("schedule", i, "groups", j, "regions", region),
                            f"{region} {value}",
                            group.text,
                            _legacy_appears(group.text, value) and any(a in group.text for a in aliases(region)),
                        )
                path = ("schedule", i, "groups", j, "text")
                self.uses(group.text, path, year.year, group.total, *group.regions.values())

    def shares(self) -> Iterator[Finding]:
        shares = self.table.shares
        if not shares:
            return
        years = frozenset(shares.values)
        for share_year, share in shares.values.items():
            if not _paired(shares.text, [str(share_year)], share, percent=True, skip=years - {share_year}):
                yield self.bad(
                    ("shares", "values", share_year),
                    f"{share_year}年 {share}%",
                    shares.text,
                    f"{share_year}年完成总任务的{share}%" in shares.text,
                )
        self.uses(shares.text, ("shares", "text"), *years, *shares.values.values())

    def rates(self) -> Iterator[Finding]:
        for i, rate in enumerate(self.table.rates):
            if not _appears(rate.text, rate.value):
                yield self.bad(
                    ("rates", i, "value"), str(rate.value), rate.text, _legacy_appears(rate.text, rate.value)
                )

    def targets(self) -> Iterator[Finding]:
        bad = self.bad
        for i, target in enumerate(self.table.targets):
            listed = bool(target.items) and all(item in target.text for item in target.items)
            if target.derived is not None:
                for field in ("value", "min", "max"):
                    value = getattr(target, field)
                    if value is not None and not _appears(target.derived, value):
                        yield bad(("targets", i, "derived"), str(value), target.derived)
            elif (
                target.value is not None
                and target.claim is None
                and not listed
                and not _appears(target.text, target.value)
            ):
                yield bad(
                    ("targets", i, "value"), str(target.value), target.text, _legacy_appears(target.text, target.value)
                )
            for bound in ("min", "max"):
                value = getattr(target, bound)
                if value is not None and target.derived is None and not _appears(target.text, value):
                    yield bad(("targets", i, bound), str(value), target.text, True)
            self.uses(target.text, None, target.value, target.min, target.max, target.year)

    def total_and_members(self) -> Iterator[Finding]:
        table, bad = self.table, self.bad
        if table.total and not _appears(table.total.text, table.total.value):
            yield bad(
                ("total", "value"),
                str(table.total.value),
                table.total.text,
                _legacy_appears(table.total.text, table.total.value),
            )
        if table.members:
            members = table.members
            for field in ("per_station_min", "per_station_max"):
                if not _appears(members.text, getattr(members, field)):
                    yield bad(("members", field), str(getattr(members, field)), members.text, True)
            if not _appears(members.teachers.text, members.teachers.value):
                yield bad(("members", "teachers", "value"), str(members.teachers.value), members.teachers.text, True)

    def unaccounted(self) -> Iterator[Finding]:
        """Numbers of a quote that lists a table's numbers but that no record holds: warnings."""
        for text, path in self.first_use.items():
            if text in self.mismatched:
                continue
            numbers = self.accounted[text]
            extra = [n for n in _stated(text) if _exact(n.value) not in numbers]
            if extra:
                extra = [n for n in extra if not _in_a_name(text, n, self.ctx.numbered_names)]
            if extra:
                yield self.loc.finding(
                    path,
                    "quote-unaccounted-number",
                    f"引文中的数字 {'、'.join(n.text for n in extra)} 在数据中没有对应的记录：“{text}”",
                    severity="warning",
                    subject=f"{self.table.id}/{'/'.join(map(str, path))}",
                )


def _in_a_name(text: str, number: Number, names: dict[str, tuple[str, ...]]) -> bool:
    """Whether ``number`` is part of a unit's, region's or 学段's name written in ``text``
    (13个高中学科基地): such a number is part of the name, not a quantity the record must hold."""
    for name in names.get(number.text, ()):
        at = text.find(name, max(0, number.end - len(name)))
        while at != -1 and at <= number.start:
            if number.end <= at + len(name):
                return True
            at = text.find(name, at + 1)
    return False
