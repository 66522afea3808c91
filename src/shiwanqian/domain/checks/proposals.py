"""Proposals: targets ``draft`` could not prove from the document, waiting for a person.

Each one is a located warning (``proposed-target``), so ``check`` says where every unconfirmed
value sits; the command line makes them errors under ``--strict`` or in CI. Proposal ids are
what ``shiwanqian review --accept ID`` names, so two targets may not share one.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...findings import Finding
from ...load.loader import Located
from ...load.model import QuotaTable
from ..programme.queries import reading

PROPOSED = "proposed-target"


def check_proposals(loc: Located, seen_ids: dict[str, tuple[str, int]]) -> Iterator[Finding]:
    """A warning for every proposed target of a table; an error for a proposal id used twice."""
    table: QuotaTable = loc.model
    for i, target in enumerate(table.targets):
        if target.proposal:
            line, column = loc.position("targets", i, "proposal")
            first = seen_ids.setdefault(target.proposal, (loc.doc.file, line))
            if first != (loc.doc.file, line):
                yield Finding(
                    loc.doc.file,
                    line,
                    column,
                    "duplicate-proposal",
                    f"建议编号 {target.proposal} 重复（首次出现在 {first[0]}:{first[1]}）：编号须唯一，"
                    "shiwanqian review 按编号找建议",
                )
        if not target.proposed:
            continue
        yield loc.finding(
            ("targets", i, "review"),
            PROPOSED,
            f"待核的建议 {target.proposal}：{target.name}（{reading(target, table.unit)}）不是原文写明的，"
            f"由 draft 推定：{target.reason}；请用 shiwanqian review 核定",
            severity="warning",
            source=target.source,
            subject=f"{table.id}/{target.proposal}",
        )
