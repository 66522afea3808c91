"""The programme's short name from its title, kept free of heavy imports (the stored top-level
help reads it without loading pydantic)."""

from __future__ import annotations

import re


def derive_short_name(title: str) -> str:
    """A short name for a programme from its title: the quoted name if there is one.

    关于实施“名师成长”计划的意见 → 名师成长计划; otherwise the title without
    关于…的意见/通知/方案 around it.
    """
    quoted = re.search(r"[“\"「『]([^”\"」』]+)[”\"」』](\w{0,2}(?:工程|计划|项目|行动))?", title)
    if quoted:
        return quoted.group(1) + (quoted.group(2) or "")
    name = re.sub(r"^关于(印发|实施|开展|推进)?", "", title.strip())
    name = re.sub(r"的(实施)?(意见|通知|方案|办法|决定)$", "", name)
    return name or title.strip()
