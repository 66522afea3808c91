"""Markdown output shows data text literally in real renderers: no link, not even from a bare
URL or e-mail address (GFM's autolink extension, markdown-it's linkify), no emphasis, no HTML.

Rendered with GitHub's own cmark-gfm (``cmarkgfm``) and with markdown-it + linkify-it, the
two families of renderers that find links in plain text.
"""

from __future__ import annotations

import html
import re

import cmarkgfm
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from shiwanqian import safetext

from .make_drafts import LINKS

_MARKDOWN_IT = MarkdownIt("gfm-like")  # tables, strikethrough and linkify (bare URLs, x.com, e-mail)
RENDERERS = {"cmark-gfm": cmarkgfm.github_flavored_markdown_to_html, "markdown-it": _MARKDOWN_IT.render}


def rendered_cell(text: str) -> dict[str, str]:
    """The HTML of a one-cell Markdown table holding ``text``, by each renderer."""
    table = f"| 列 |\n| --- |\n| {safetext.markdown(text)} |\n"
    return {name: render(table) for name, render in RENDERERS.items()}


def shown(page: str) -> str:
    """The text a reader sees in the cell (the invisible word joiner left out)."""
    cell = re.search(r"<td>(.*?)</td>", page, re.S)
    assert cell is not None, page
    return html.unescape(cell.group(1)).replace(safetext.WORD_JOINER, "")


def assert_literal(text: str) -> None:
    for name, page in rendered_cell(text).items():
        found = re.search(r"<td>(.*?)</td>", page, re.S)
        assert found is not None, page
        cell = found.group(1)
        assert "<" not in cell, f"{name} made markup of {text!r}: {cell}"
        assert shown(page) == " ".join(text.split(" ")).strip(), f"{name} changed {text!r}: {shown(page)!r}"


def test_the_renderers_do_link_bare_urls():
    # Without the escape the same text becomes links, or the tests below could pass vacuously.
    for text in ("https://evil.example", "www.evil.com", "staff@evil.com"):
        for name, render in RENDERERS.items():
            assert "<a " in render(f"| 列 |\n| --- |\n| {text} |\n"), name
    assert "<a " in _MARKDOWN_IT.render("evil.com")


@pytest.mark.parametrize(
    "text",
    [
        "https://evil.example",
        "http://evil.example/a?b=1#c",
        "HTTPS://EVIL.EXAMPLE",
        "ftp://evil.example",
        "www.evil.example",
        "WWW.EVIL.EXAMPLE",
        "www.163.com",
        "evil.com",
        "详见evil.com。",
        "(www.x.com)",
        "staff@evil.example",
        "mailto:boss@evil.example",
        "xmpp:boss@evil.example",
        "mailto:@x.com",
        "例子.рф",
        "//evil.example",
        "*https://evil.example*",
        "~www.x.com~",
        "_a@b.co_",
        "版本 2.5，10:30 开会，比例 12.5%",
        LINKS,
    ],
)
def test_bare_urls_and_addresses_stay_text(text):
    assert_literal(text)


def test_the_escape_keeps_ordinary_text_readable():
    # Only what could start a link gains a backslash: numbers and times read as they are.
    assert safetext.markdown("版本 2.5，10:30 开会") == "版本 2.5，10:30 开会"
    assert safetext.markdown("https://x.org") == "https\\://x\\.org"
    assert safetext.markdown("www.163.com") == "www\\.163\\.com"


PIECES = list("aAwW.:/@-_+x1 中*~()[]\\<&#!|%?=") + [
    "www.",
    "WWW.",
    "http",
    "https://",
    "ftp://",
    "mailto:",
    "xmpp:",
    ".com",
    ".рф",
    "例子",
    "\t",
    "\n",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=16).map("".join))
def test_any_mix_of_link_pieces_stays_text(text):
    text = " ".join(text.split())  # a cell is one line; the escape turns tab and newline into spaces
    assert_literal(text)
