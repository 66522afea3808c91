"""Pydantic models of the data files.

One model per kind of file: ``programme.yaml``, ``regions.yaml``, ``units.yaml``,
``disagreements.yaml``, ``plans/*.yaml`` and ``quotas/*.yaml``. The models check what a
single file can check on its own (types, ranges, unknown keys, sums inside one table);
rules that need several files (unknown regions, units, plan references, statements that
disagree) live in :mod:`shiwanqian.domain.checks`.

Every citation field is called ``source`` and holds a place in the document such as
``附件12 二（二）3``; every ``text`` field holds the document's own words, which
``check`` looks up in the document itself.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, JsonValue, model_validator

# The base model and the field types are shared with the other model modules (``fields``).
from .fields import Count, Month, Percent, Source, Strict, Text, Year, _non_blank
from .naming import derive_short_name
from .parent import ParentLink, Refines


def _iso_date(value: object) -> object:
    """Dates as YAML reads them (2018-06-30) or as quoted ISO text; never a bare number."""
    if isinstance(value, datetime.datetime):
        raise ValueError(f"这里应是日期（如 2018-06-30），不带时间：{value.isoformat()}")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"日期应写作 2018-06-30 的形式，而不是 {value!r}") from None
    raise ValueError(f"这里应是日期（如 2018-06-30），而不是 {value!r}")


Date = Annotated[datetime.date, BeforeValidator(_iso_date)]


# Open vocabularies: the words a programme uses for kinds of regions, plans and tasks, for
# qualifiers and so on are declared in programme.yaml (``vocabulary``); these are the
# defaults, the words of the 0.1.0 data format. ``check`` compares every use with the
# declared list (with “did you mean”), so a misspelling is still found.
DEFAULT_QUALIFIERS = ["左右", "至少", "以上", "不少于", "若干", "基本", "以内"]
DEFAULT_REGION_KINDS = ["县市", "区", "直属"]
DEFAULT_PLAN_KINDS = ["支持计划", "工作专项", "领导小组", "考核办法"]
DEFAULT_TASK_KINDS = ["工作安排", "年度任务", "考核安排"]
DEFAULT_RECURRENCES = ["每年", "按需", "两年一周期", "随国培省培"]
# The word for the whole area of a programme (a city's 全市, a county's 全县 …): every output
# that speaks of the whole area uses it, and ``--district`` accepts it, ``all`` and its pinyin.
DEFAULT_AREA = "全市"
AREA_PINYIN = {
    "全市": ["quanshi"],
    "全县": ["quanxian"],
    "全区": ["quanqu"],
    "全省": ["quansheng"],
    "全州": ["quanzhou"],
    "全旗": ["quanqi"],
    "全盟": ["quanmeng"],
    "全镇": ["quanzhen"],
    "全乡": ["quanxiang"],
    "全国": ["quanguo"],
}


def _words(examples: list[str], what: str) -> object:
    """A free-text field whose allowed words come from the programme's vocabulary."""
    return Field(
        json_schema_extra={"examples": list[JsonValue](examples)},
        description=f"{what}；可用的词在 programme.yaml 的 vocabulary 中声明（默认：{'、'.join(examples)}）",
    )


Qualifier = Annotated[str, AfterValidator(_non_blank), _words(DEFAULT_QUALIFIERS, "限定词")]
UnitLevel = Annotated[str, AfterValidator(_non_blank), _words(["市", "县市区", "学校", "各级"], "单位层级")]
RegionKind = Annotated[str, AfterValidator(_non_blank), _words(DEFAULT_REGION_KINDS, "区域类别")]
PlanKind = Annotated[str, AfterValidator(_non_blank), _words(DEFAULT_PLAN_KINDS, "计划类别")]
TaskKind = Annotated[str, AfterValidator(_non_blank), _words(DEFAULT_TASK_KINDS, "任务类别")]
Recurrence = Annotated[str, AfterValidator(_non_blank), _words(DEFAULT_RECURRENCES, "重复方式")]
CountWhat = Annotated[
    str,
    AfterValidator(_non_blank),
    _words(
        ["regions", "regions:县市", "regions:区", "plans", "plans:支持计划", "plans:工作专项", "levels"], "所计数的对象"
    ),
]


class Period(Strict):
    start: Year
    end: Year

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"起止年份颠倒：{self.start}–{self.end}")
        return self

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.start <= year <= self.end

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))


# --------------------------------------------------------------------- programme


class StatedCount(Strict):
    """A count the document states about a list, e.g. “十三个计划、方案”."""

    what: CountWhat
    value: Count
    text: Text
    source: Source


class RegionGroup(Strict):
    """A word that stands for a group of regions: 五县市 = the regions of kind 县市.

    ``every`` covers every region whatever its kind; ``kinds`` the regions of those kinds;
    neither: the city as a whole (全市, 市级), which no single region owes.
    """

    name: Text
    kinds: list[Text] = []
    every: bool = False
    note: Text | None = None

    def covers(self, region_kind: str) -> bool:
        return self.every or region_kind in self.kinds


class CountKind(Strict):
    """What a stated count (``counts[].what``) counts: “十三个计划” counts plans of two kinds."""

    what: Text
    name: Text  # how messages call the things counted: 区域, 计划、方案
    of: Literal["regions", "plans", "levels", "units", "quotas", "tasks"]
    kinds: list[Text] = []  # only regions or plans of these kinds; empty: all of them


DEFAULT_SCOPES = [
    RegionGroup(name="全市"),
    RegionGroup(name="市级"),
    RegionGroup(name="各区域", every=True),
    RegionGroup(name="每县市区", kinds=["县市", "区"]),
    RegionGroup(name="五县市", kinds=["县市"]),
    RegionGroup(name="市直属", kinds=["直属"]),
]
DEFAULT_UNIT_LEVELS = [
    RegionGroup(name="市"),
    RegionGroup(name="县市区", kinds=["县市", "区"]),
    RegionGroup(name="学校", every=True),
    RegionGroup(name="各级", every=True),
]
DEFAULT_COUNT_KINDS = [
    CountKind(what="regions", name="区域", of="regions"),
    CountKind(what="plans", name="计划、方案", of="plans", kinds=["支持计划", "工作专项"]),
    CountKind(what="levels", name="学段", of="levels"),
]


class Vocabulary(Strict):
    """The words this programme uses; each list, when given, replaces its default."""

    # ``area``: the word for the whole area (全市 by default, 全县 in a county's programme).
    # Outputs say it wherever they mean the whole area; when ``scopes`` is not declared, the
    # default scope 全市 is called by it instead.
    area: Text = Field(
        default=DEFAULT_AREA,
        description="全域的称呼：市级工程为 全市（默认），县级工程为 全县……；输出中凡指全域处都用它，--district 也接受它",
    )
    area_pinyin: list[Text] = Field(
        default=[], description="--district 可输入的全域称呼的拼音（全市、全县、全区、全省等不写也认得）"
    )
    region_kinds: list[Text] = Field(default=DEFAULT_REGION_KINDS, min_length=1)
    scopes: list[RegionGroup] = Field(default=DEFAULT_SCOPES)
    plan_kinds: list[Text] = Field(default=DEFAULT_PLAN_KINDS, min_length=1)
    task_kinds: list[Text] = Field(default=DEFAULT_TASK_KINDS, min_length=1)
    recurrences: list[Text] = Field(default=DEFAULT_RECURRENCES)
    count_kinds: list[CountKind] = Field(default=DEFAULT_COUNT_KINDS)
    qualifiers: list[Text] = Field(default=DEFAULT_QUALIFIERS)
    unit_levels: list[RegionGroup] = Field(default=DEFAULT_UNIT_LEVELS, min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _area_scope(cls, data: object) -> object:
        # The default scopes name the whole area 全市; a programme that calls it otherwise
        # (全县) and does not declare its scopes gets the same defaults under its own word.
        if isinstance(data, dict) and "scopes" not in data and data.get("area", DEFAULT_AREA) != DEFAULT_AREA:
            area = data["area"]
            data = {
                **data,
                "scopes": [
                    g.model_copy(update={"name": area}) if g.name == DEFAULT_AREA else g for g in DEFAULT_SCOPES
                ],
            }
        return data

    @property
    def area_spellings(self) -> list[str]:
        """What ``--district`` accepts for the whole area: the word, its pinyin and ``all``."""
        pinyin = self.area_pinyin or AREA_PINYIN.get(self.area, [])
        return [self.area, *pinyin, "all"]

    def scope(self, name: str) -> RegionGroup | None:
        return next((s for s in self.scopes if s.name == name), None)

    def unit_level(self, name: str) -> RegionGroup | None:
        return next((s for s in self.unit_levels if s.name == name), None)

    def all_count_kinds(self) -> list[CountKind]:
        """The declared count kinds, and ``regions:K`` / ``plans:K`` for every declared kind K."""
        result = list(self.count_kinds)
        declared = {c.what for c in result}
        grouped: tuple[tuple[Literal["regions", "plans"], list[str]], ...] = (
            ("regions", self.region_kinds),
            ("plans", self.plan_kinds),
        )
        for of, kinds in grouped:
            for kind in kinds:
                if f"{of}:{kind}" not in declared:
                    result.append(CountKind(what=f"{of}:{kind}", name=kind, of=of, kinds=[kind]))
        return result


class Programme(Strict):
    id: Text
    title: Text
    short_name: Text | None = None  # e.g. 名师成长计划; derived from the title when absent
    issuer: Text
    document: Text
    period: Period
    source_text: str | None = None
    levels: list[Text] = Field(min_length=1)
    counts: list[StatedCount] = []
    vocabulary: Vocabulary = Vocabulary()
    parent: ParentLink | None = None  # a county's programme under the city's: what it refines

    @property
    def name(self) -> str:
        """The programme's short name, for titles of timelines, calendars and workbooks."""
        return self.short_name or derive_short_name(self.title)


class LaterName(Strict):
    name: Text
    pinyin: list[Text] = []
    since: Year
    note: Text
    source: Text


class Region(Strict):
    name: Text
    kind: RegionKind
    short: list[Text] = []
    pinyin: list[Text] = []
    later_names: list[LaterName] = []
    source: Source


class RegionsFile(Strict):
    regions: list[Region] = Field(min_length=1)


class Unit(Strict):
    """A responsible unit. ``includes`` names the units this general one covers (师训机构 covers
    市级师训部门 and 县市区师训机构): a task given to it is shared by each of them."""

    name: Text
    level: UnitLevel
    region: Text | None = None
    aliases: list[Text] = []
    includes: list[Text] = []
    note: Text | None = None


class UnitsFile(Strict):
    units: list[Unit] = Field(min_length=1)


class Side(Strict):
    source: Source
    says: Text


class FindingRef(Strict):
    code: Text
    subject: Text


class Disagreement(Strict):
    id: Text
    title: Text
    reason: Text
    sides: list[Side] = Field(min_length=2)
    findings: list[FindingRef] = Field(min_length=1)


class DisagreementsFile(Strict):
    disagreements: list[Disagreement] = []


# -------------------------------------------------------------------------- plans


class Timing(Strict):
    """The structured reading of a task's 实施时间."""

    years: list[Year] = Field(min_length=1)
    months: list[Month] = []
    half: Literal["上半年", "下半年"] | None = None
    deadline_month: Month | None = None  # “10月前”: due before the start of that month
    season: Literal["年中", "年末"] | None = None
    recurrence: Recurrence | None = None
    per_year: Count | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _sorted_years(self) -> Timing:
        if self.years != sorted(set(self.years)):
            raise ValueError(f"年份须按先后排列且不重复：{self.years}")
        return self


class Statement(Strict):
    text: Text
    source: Source


class Task(Strict):
    item: Text
    kind: TaskKind = "工作安排"
    name: Text
    when: Text
    timing: Timing
    requirement: Text
    units: list[Text] = Field(min_length=1)
    units_source: Source | None = None
    regions: list[Text] | None = None
    source: Source
    note: Text | None = None


class Plan(Strict):
    id: Text
    order: int
    kind: PlanKind
    title: Text
    annex: Text | None = None
    main_section: Text | None = None
    period: Period | None = None
    source: Source
    aims: list[Statement] = []
    tasks: list[Task] = []


# ------------------------------------------------------------------------- quotas


class Stated(Strict):
    """A number as the document states it, with its qualifier (左右, 至少 …)."""

    value: Count
    qualifier: Qualifier | None = None
    text: Text
    source: Source


class Row(Strict):
    """One region's line of a quota table: parts by 学段 (or one value) and the stated 合计."""

    region: Text
    values: dict[str, Count] | None = None
    value: Count | None = None
    total: Count | None = None
    text: Text
    source: Source

    @model_validator(mode="after")
    def _one_shape(self) -> Row:
        if (self.values is None) == (self.value is None):
            raise ValueError("每行须有 values（按学段）或 value（单个数）之一，且只能有一个")
        return self

    @property
    def parts_sum(self) -> int:
        return sum(self.values.values()) if self.values is not None else (self.value or 0)

    def cells(self) -> dict[str | None, int | None]:
        """The row's numbers by 学段; a row without 学段 (or with none listed) as one cell, None."""
        cells: dict[str | None, int | None] = {None: self.value}
        if self.values:
            cells = dict(self.values.items())
        return cells


class ScheduleGroup(Strict):
    """One clause of a yearly schedule: a 学段 (or none) with its regions, or a city-wide figure."""

    level: Text | None = None
    total: Count | None = None
    regions: dict[str, Count] = {}
    text: Text

    @model_validator(mode="after")
    def _has_numbers(self) -> ScheduleGroup:
        if not self.regions and self.total is None:
            raise ValueError("年度安排须列出各区域数量（regions）或未分解到区域的数量（total）")
        return self


class ScheduleYear(Strict):
    year: Year
    total: Count | None = None
    total_text: Text | None = None
    groups: list[ScheduleGroup] = Field(min_length=1)
    source: Source


class Shares(Strict):
    """A share-of-total series: each year's percentage of the grand total."""

    values: dict[Year, Percent]
    text: Text
    source: Source

    @model_validator(mode="after")
    def _sums_to_100(self) -> Shares:
        total = sum(self.values.values())
        if abs(total - 100) > 1e-9:
            raise ValueError(f"各年份比例之和应为 100%，实为 {total}%")
        return self


class Rate(Strict):
    """A standard per unit (a fee, credits …); ``budget`` multiplies the table's numbers by it.

    ``key`` names the rate in JSON and CSV output (e.g. ``build_fee``); ``unit`` is written
    ``元/节``, ``学分/人`` …: rates whose units share the part before the slash are added up.
    """

    key: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
    name: Text
    value: Count
    unit: Text
    text: Text
    source: Source


class Members(Strict):
    per_station_min: Count
    per_station_max: Count
    text: Text
    source: Source
    teachers: Stated

    @model_validator(mode="after")
    def _ordered(self) -> Members:
        if self.per_station_max < self.per_station_min:
            raise ValueError("每站人数上限小于下限")
        return self


# A target ``shiwanqian draft`` could not prove from the document (no scope or year written, a
# value read from words) is written as a proposal: ``review: proposed``, with its id and the
# reason. A person's decision (``shiwanqian review``) turns it into ``accepted`` or ``changed``
# (``reviewed`` says who, when and what the proposal said before); a dropped proposal is removed
# from the data, a comment in its place saying who dropped it.
ReviewState = Literal["proposed", "accepted", "changed"]
ProposalId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
ProposedValue = int | float | str | list[Text] | None


class Reviewed(Strict):
    """A person's decision on a proposal: who, on which day, why (optional), and for a changed
    one what the proposal said in the fields the person changed (None: the field was absent)."""

    by: Text
    date: Date
    note: Text | None = None
    was: dict[str, ProposedValue] = {}


class Target(Strict):
    """Any other number or obligation the document sets (rates, standards, counts …)."""

    key: Text | None = None
    name: Text
    value: Count | Percent | None = None
    min: Count | None = None
    max: Count | None = None
    unit: Text | None = None
    qualifier: Qualifier | None = None
    claim: Text | None = None
    # How a value the quote does not write out follows from it (“11所分院，11个区域各1所”);
    # check then looks for the value here instead of in ``text``.
    derived: Text | None = None
    scope: Text
    year: Year | None = None
    level: Text | None = None
    series: Text | None = None
    cumulative: bool = False
    items: list[Text] = []
    text: Text
    source: Source
    note: Text | None = None
    review: ReviewState | None = None
    proposal: ProposalId | None = None
    reason: Text | None = None
    reviewed: Reviewed | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"范围上限 {self.max} 小于下限 {self.min}")
        if self.cumulative and (self.series is None or self.year is None):
            raise ValueError("累计序列（cumulative）须同时给出 series 与 year")
        if self.review is None and (self.proposal or self.reason or self.reviewed):
            raise ValueError("proposal、reason、reviewed 只用于建议的指标（须同时写 review）")
        if self.review is not None and not self.proposal:
            raise ValueError("建议的指标（review）须写明编号 proposal")
        if self.review == "proposed" and (self.reason is None or self.reviewed is not None):
            raise ValueError("待核的建议（review: proposed）须写明 reason，且还没有 reviewed")
        if self.review in ("accepted", "changed") and self.reviewed is None:
            raise ValueError(f"已核定的建议（review: {self.review}）须写明 reviewed（by、date）")
        return self

    @property
    def proposed(self) -> bool:
        """A value draft proposed that no person has confirmed: never the document's word."""
        return self.review == "proposed"


class QuotaTable(Strict):
    id: Text
    title: Text
    plan: Text
    unit: Text | None = None
    by_level: bool = False
    source: Source
    note: Text | None = None
    total: Stated | None = None
    rows: list[Row] = []
    schedule: list[ScheduleYear] = []
    shares: Shares | None = None
    rates: list[Rate] = []
    members: Members | None = None
    targets: list[Target] = []
    refines: Refines | None = None  # the parent's table whose region figures this table splits

    @model_validator(mode="after")
    def _distinct_rates(self) -> QuotaTable:
        keys = [rate.key for rate in self.rates]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(f"rates 中的 key“{key}”重复")
            if key in RESERVED_RATE_KEYS:
                raise ValueError(f"rates 的 key 不能用“{key}”（与 budget 输出的字段同名）")
        return self


RESERVED_RATE_KEYS = ("quota", "region", "year", "count", "cost")

# The models of progress reports (a folder of their own, never the data folder): ``progress_model``.
