"""Text from data files is inert: one escaping function per output medium, all of them here.

Data folders come from elsewhere (county bureaus send drafts), so any string in them may be
hostile: terminal escape sequences, spreadsheet formulas, rich markup, Markdown or HTML,
workflow commands. ``check`` refuses control characters in every text field, and the query
commands refuse data that ``check`` rejects; these functions are the second line: every
renderer passes every string from data (and from the command line) through the one that
fits its medium, so nothing in the text can act, whatever got through.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 and C1 control characters, DEL, line/paragraph separators, and the bidirectional
# embedding/override/isolate characters (“Trojan Source”: text that displays in another order
# than it reads). Tab and newline are listed apart: some fields allow them.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[{_CONTROL}\t\n]")
CONTROL_EXCEPT_LAYOUT = re.compile(f"[{_CONTROL}]")

NAMES = {
    "\x1b": "ESC",
    "\x07": "BEL",
    "\x00": "NUL",
    "\x08": "退格",
    "\x7f": "DEL",
    "\t": "Tab",
    "\n": "换行",
    "\r": "回车",
    "\x0b": "垂直制表符",
    "\x0c": "换页符",
    "\x9b": "CSI",
    "\u2028": "行分隔符",
    "\u2029": "段落分隔符",
    "\u202e": "从右到左覆盖",
    "\u202d": "从左到右覆盖",
}


def describe(char: str) -> str:
    """U+001B（ESC）: how a message names a character it must not print."""
    name = NAMES.get(char) or ("双向文字控制符" if "\u202a" <= char <= "\u2069" else "控制字符")
    return f"U+{ord(char):04X}（{name}）"


def find_control(text: str, *, layout: bool = False) -> int | None:
    """Index of the first control character (``layout``: tab and newline allowed), or None."""
    match = (CONTROL_EXCEPT_LAYOUT if layout else CONTROL).search(text)
    return match.start() if match else None


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: Any, *, layout: bool = True) -> str:
    """``text`` with every control character shown as ``\\x1b`` (tab and newline kept when
    ``layout``): safe on a terminal, in XML and in every file format here."""
    text = "" if text is None else str(text)
    return (CONTROL_EXCEPT_LAYOUT if layout else CONTROL).sub(_visible, text)


def one_line(text: Any) -> str:
    """``inert`` with tab and newline shown escaped too (file names, single-line fields)."""
    return inert(text, layout=False)


def json_dumps(value: Any, **options: Any) -> str:
    """JSON with non-ASCII text kept readable but every control character (C1, separators and
    bidi controls too, which ``ensure_ascii=False`` leaves raw) written as ``\\uXXXX``."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return CONTROL_EXCEPT_LAYOUT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# ------------------------------------------------------------------ Markdown

_MARKDOWN_SPECIAL = r"([\\`*_\[\]<>|~&#!{}])"  # patterns compiled on first use (re caches them)
# Bare URLs and addresses become links in GFM, GitLab and markdown-it (“linkify”) without any
# markup: ``https://x`` (and ftp, mailto, xmpp), ``www.x``, ``x.com``, ``a@x.com``. A backslash
# before ``:`` of ``://`` and before a ``.`` that starts a word (a domain label) or follows
# ``www`` stops the renderers that recognise links while parsing, and reads the same.
_AUTOLINK_PUNCT = r"(:(?=/)|\.(?=[^\W\d_])|(?<=[Ww]{3})\.)"
# GFM finds e-mail addresses (also after mailto: and xmpp:) in the text once escapes are
# resolved, so no backslash helps: an invisible WORD JOINER (U+2060) between the name and
# the ``@`` does, and it keeps the address on one line.
_EMAIL_AT = r"(?<=\S)@"
WORD_JOINER = "\u2060"


def markdown(text: Any) -> str:
    """A Markdown table cell that shows ``text`` literally: no links (not even bare URLs and
    e-mail addresses), emphasis, HTML, code, or new cells and rows."""
    text = inert(text)
    text = re.sub(_MARKDOWN_SPECIAL, r"\\\1", text)
    text = re.sub(_AUTOLINK_PUNCT, r"\\\1", text)
    text = re.sub(_EMAIL_AT, WORD_JOINER + "@", text)
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


# ------------------------------------------------------------------ CSV for Excel

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_cell(text: str) -> str:
    """OWASP's CSV-injection defence: a cell that a spreadsheet would read as a formula (it
    begins with = + - @, tab or carriage return) gets a leading apostrophe, so it is text."""
    return "'" + text if text.startswith(FORMULA_START) else text


# ------------------------------------------------------------------ GitHub workflow commands


def github_data(text: Any) -> str:
    """The message of a workflow command (``::error …::MESSAGE``): %, CR and LF escaped, as
    GitHub's toolkit does, so a message can never start a command line of its own."""
    text = inert(text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: Any) -> str:
    """A property value (``file=…,title=…``): also ``:`` and ``,`` escaped."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


# ------------------------------------------------------------------ Excel names and headers

_SHEET_FORBIDDEN = r"[\\/?*\[\]:]"
SHEET_MAX = 31


def sheet_title(title: str, taken: set[str] | None = None) -> str:
    """A valid worksheet name for ``title``, unique among ``taken`` (compared as Excel does,
    ignoring case) and at most 31 characters: ``\\ / ? * [ ] :`` become full-width look-alikes,
    control characters go, no apostrophe at either end, and a clash gets “(2)”, “(3)” …"""
    taken = taken if taken is not None else set()
    replace = {"\\": "＼", "/": "／", "?": "？", "*": "＊", "[": "［", "]": "］", ":": "："}
    name = re.sub(_SHEET_FORBIDDEN, lambda m: replace[m.group()], CONTROL.sub("", title)).strip().strip("'").strip()
    name = name or "Sheet"
    if name.lower() == "history":  # reserved by Excel
        name = f"{name}_"
    base, candidate, n = name, name[:SHEET_MAX], 1
    lowered = {t.lower() for t in taken}
    while candidate.lower() in lowered:
        n += 1
        suffix = f"({n})"
        candidate = base[: SHEET_MAX - len(suffix)].rstrip("'") + suffix
    taken.add(candidate)
    return candidate


def header_footer(text: str) -> str:
    """Text for a printed page's header or footer, where ``&`` starts a code (``&P`` page
    number, ``&"font"`` …): doubled, so data text prints as written."""
    return inert(text, layout=False).replace("&", "&&")
