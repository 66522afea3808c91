"""What the drafter could not decide: each item with its place in the document."""

from __future__ import annotations

from dataclasses import dataclass

from ...safetext import markdown as inert  # document text is never Markdown that acts


@dataclass(frozen=True, order=True)
class ReviewItem:
    line: int  # line in source.txt (1-based)
    where: str  # place in the document, e.g. 附件2 四 3
    what: str  # what is left out or uncertain, in Chinese
    quote: str = ""  # the document's words at that place

    def render(self) -> str:
        quote = f"\n  原文：“{inert(self.quote)}”" if self.quote else ""
        return f"- 第 {self.line} 行（{inert(self.where)}）：{inert(self.what)}{quote}"
