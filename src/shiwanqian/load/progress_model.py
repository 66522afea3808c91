"""Pydantic models of progress reports: what each responsible unit reports it has achieved, as of
a date, with the evidence it cites. Reports live in a progress folder of their own (never the data
folder); ``load.progress`` reads them."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from .model import Count, Date, Period, Strict, Text, Year

TaskState = Literal["完成", "部分完成", "未开展", "不适用"]


class QuotaProgress(Strict):
    """What a region achieved of one quota table (one 学段 where the table has them) in a year.

    ``achieved`` is the year's own figure; ``cumulative`` the total since the start of the
    programme up to the end of that year (give either or both). ``confirmed``: a figure above
    the region's quota or far above the year's target (待核, ``domain.progress.doubt``) has
    been checked with the bureau and stands; ``progress import --confirm`` writes it."""

    quota: Text
    region: Text
    level: Text | None = None
    year: Year
    achieved: Count | None = None
    cumulative: Count | None = None
    note: Text | None = None
    confirmed: bool = False

    @model_validator(mode="after")
    def _has_figure(self) -> QuotaProgress:
        if self.achieved is None and self.cumulative is None:
            raise ValueError("须填写 achieved（当年完成数）或 cumulative（累计完成数）")
        return self


class TaskProgress(Strict):
    """How far a task of a plan got in a year (in one region, where the task falls on regions)."""

    plan: Text
    item: Text
    year: Year
    region: Text | None = None
    status: TaskState
    date: Date | None = None
    note: Text | None = None


class ProgressOwner(Strict):
    """Which programme a progress folder belongs to (its ``programme.yaml``, written by
    ``progress import``): the programme's id, document number and period, as in the data's
    ``programme.yaml``; ``title`` is for people and not compared."""

    programme: Text
    document: Text
    period: Period
    title: Text | None = None


class ProgressReport(Strict):
    """One report: who reported, as of which date, on what evidence, and the figures."""

    id: Text
    reporter: Text
    as_of: Date
    evidence: Text
    supersedes: list[Text] = []  # noqa: RUF012 (a pydantic field: the default is copied)
    quotas: list[QuotaProgress] = []  # noqa: RUF012 (a pydantic field: the default is copied)
    tasks: list[TaskProgress] = []  # noqa: RUF012 (a pydantic field: the default is copied)
