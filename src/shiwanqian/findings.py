"""Problems as data: every stage of loading and checking yields ``Finding`` values."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, replace

from .safetext import one_line


class ExitStatus(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2


@dataclass(frozen=True, order=True)
class Finding:
    """One problem, located in a data file.

    ``subject`` is a stable key for what the finding is about (e.g. ``workstations/芦淞区``);
    acknowledged disagreements in ``disagreements.yaml`` refer to findings by
    ``(code, subject)``.
    """

    file: str
    line: int
    column: int
    code: str
    message: str
    severity: str = "error"  # "error" | "warning"
    source: str | None = None
    subject: str | None = None
    acknowledged_by: str | None = None

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        return {
            key: data[key]
            for key in (
                "severity",
                "code",
                "message",
                "file",
                "line",
                "column",
                "source",
                "subject",
                "acknowledged_by",
            )
        }

    def acknowledge(self, disagreement_id: str, title: str) -> Finding:
        return replace(
            self,
            severity="warning",
            acknowledged_by=disagreement_id,
            message=f"{self.message}（已确认的原文矛盾 {disagreement_id}：{title}）",
        )

    def render(self) -> str:
        """One line; file names and messages quote data, so control characters are shown
        escaped (``\\x1b``), never sent to the terminal."""
        level = "错误" if self.severity == "error" else "警告"
        text = f"{one_line(self.file)}:{self.line}:{self.column}: {level}[{self.code}] {one_line(self.message)}"
        if self.source:
            text += f"（出处：{one_line(self.source)}）"
        return text


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.file, f.line, f.column, f.code, f.message))
