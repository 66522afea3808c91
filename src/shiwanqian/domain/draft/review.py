"""What the drafter could not decide: each item with its place in the document."""

from __future__ import annotations

from dataclasses import dataclass

from ...safetext import markdown as inert  # document text is never Markdown that acts

# Clauses with a numeric requirement (a number with its counter, or a percentage) but neither a
# scope nor a year written around them: not read as targets, listed for a person to decide.
UNSCOPED = "写有数字要求、但未写明适用范围或年份：请确定是否作为指标及其范围"
# Targets draft proposed (written into the data marked ``review: proposed``): each with its id,
# for ``shiwanqian review``.
PROPOSALS = "建议的指标（已写入数据，标为待核）：请用 shiwanqian review 逐条接受、修改或删除"


@dataclass(frozen=True, order=True)
class ReviewItem:
    line: int  # line in source.txt (1-based)
    where: str  # place in the document, e.g. 附件2 四 3
    what: str  # what is left out or uncertain, in Chinese
    quote: str = ""  # the document's words at that place
    section: str = ""  # "" for the main list; otherwise the heading of a short list of its own
    numbers: str = ""  # in a section: the numbers found in the quote (300册、30平米以上)
    id: str = ""  # a proposal's id (P651-1)

    def render(self) -> str:
        if self.id:  # a proposal: its id, where, the quoted clause, the reading and why
            return (
                f"- {self.id} 第 {self.line} 行（{inert(self.where)}）：“{inert(self.quote)}” → "
                f"{inert(self.numbers)}（{inert(self.what)}）"
            )
        if self.section:  # one line: where, the quoted clause, the numbers
            return f"- 第 {self.line} 行（{inert(self.where)}）：“{inert(self.quote)}”（{inert(self.numbers)}）"
        quote = f"\n  原文：“{inert(self.quote)}”" if self.quote else ""
        return f"- 第 {self.line} 行（{inert(self.where)}）：{inert(self.what)}{quote}"
