"""load/yamledit.py's list of changes: YAML text edited at its values' positions, everything else
kept as written."""

from __future__ import annotations

import datetime

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from shiwanqian.load.yamledit import Delete, EditError, Set, apply, edit

TEXT = """\
# yaml-language-server: $schema=../schemas/quota.schema.json
id: x  # the id
targets:
- {name: a, value: 1, review: proposed, text: t}  # flow, with a comment
- name: b
  value: 2
  items: [x, y]
  # inside b
- name: c
  nested:
    k: 1
# tail
other: 1
"""


def test_a_value_is_replaced_in_place_and_a_key_added_in_the_flow_mapping():
    result = edit(
        TEXT,
        [
            Set(("targets", 0, "review"), "accepted"),
            Set(("targets", 0, "reviewed"), {"by": "张三", "date": datetime.date(2026, 12, 4)}),
        ],
    )
    assert result == TEXT.replace(
        "- {name: a, value: 1, review: proposed, text: t}  # flow",
        "- {name: a, value: 1, review: accepted, text: t, reviewed: {by: 张三, date: 2026-12-04}}  # flow",
    )


def test_block_mappings_get_a_line_of_their_own_and_lose_whole_entries():
    result = edit(TEXT, [Set(("targets", 1, "scope"), "各区域, 全市"), Delete(("targets", 1, "value"))])
    assert result == TEXT.replace("  value: 2\n  items: [x, y]\n", "  items: [x, y]\n  scope: '各区域, 全市'\n")
    # the last key of a mapping, and a nested block mapping, go with their lines
    assert edit(TEXT, [Delete(("targets", 2, "nested"))]) == TEXT.replace(
        "- name: c\n  nested:\n    k: 1\n", "- name: c\n"
    )


def test_a_list_item_is_removed_with_its_lines_and_a_comment_may_take_its_place():
    flow = edit(TEXT, [Delete(("targets", 0), ["已删除的建议 P1-1（张三，2026-12-04）"])])
    assert flow == TEXT.replace(
        "- {name: a, value: 1, review: proposed, text: t}  # flow, with a comment\n",
        "# 已删除的建议 P1-1（张三，2026-12-04）\n",
    )
    block = edit(TEXT, [Delete(("targets", 1))])
    assert block == TEXT.replace("- name: b\n  value: 2\n  items: [x, y]\n", "")
    # the last one left: the key keeps an empty list
    emptied = edit(TEXT, [Delete(("targets", 0)), Delete(("targets", 0)), Delete(("targets", 0), ["gone"])])
    assert yaml.safe_load(emptied)["targets"] == [] and "# gone\n" in emptied and "# tail" in emptied


def test_a_change_that_cannot_be_made_in_place_is_refused():
    with pytest.raises(EditError):
        edit(TEXT, [Set(("targets", 9, "value"), 1)])  # no such item
    with pytest.raises(EditError):
        edit(TEXT, [Set(("targets", 2, "nested"), 1)])  # a block mapping is not replaced in place
    with pytest.raises(EditError):
        edit(TEXT, [Set(("targets", 0, "text"), "two\nlines")])


def test_crlf_files_stay_crlf():
    crlf = TEXT.replace("\n", "\r\n")
    result = edit(crlf, [Set(("targets", 1, "scope"), "全市"), Delete(("targets", 0), ["x"])])
    assert "\n" not in result.replace("\r\n", "")
    assert yaml.safe_load(result) == apply(
        yaml.safe_load(TEXT), [Set(("targets", 1, "scope"), "全市"), Delete(("targets", 0))]
    )


# Scalars YAML 1.1 would read as something else, or that need quoting in a flow mapping.
TRICKY = st.sampled_from(
    ["yes", "on", "no", "null", "~", "2016-01-01", "010", "1e3", "a: b", "a, b", "{x}", "[x]", "#x", "x #y", "- x",
     "'q'", '"q"', "全市、各区域", "“引号”", "%", "@x", "", " lead", "trail ", "3.0"]
)  # fmt: skip
SCALARS = st.one_of(
    TRICKY, st.integers(-5, 10**6), st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8)
)
KEYS = st.sampled_from(["name", "value", "scope", "year", "text", "review"])


def _file(items: list[dict], styles: list[bool]) -> str:
    lines = ["# head", "id: x", "targets:"]
    for item, flow in zip(items, styles, strict=True):
        lines.append("# before")
        if flow:
            lines.append("- " + yaml.safe_dump(item, allow_unicode=True, default_flow_style=True, width=10**6).strip())
        else:
            body = yaml.safe_dump(item, allow_unicode=True, default_flow_style=False, width=10**6).rstrip("\n")
            lines += [("- " if i == 0 else "  ") + line for i, line in enumerate(body.split("\n"))]
    lines += ["# tail", "other: 1", ""]
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(
    items=st.lists(st.dictionaries(KEYS, SCALARS, min_size=1, max_size=4), min_size=1, max_size=4),
    styles=st.lists(st.booleans(), min_size=4, max_size=4),
    picks=st.lists(st.tuples(st.integers(0, 3), KEYS, SCALARS, st.integers(0, 2)), min_size=1, max_size=4),
)
def test_any_edit_gives_exactly_the_data_it_describes_and_keeps_the_comments(items, styles, picks):
    text = _file(items, styles[: len(items)])
    data = yaml.safe_load(text)
    changes = []
    for index, key, value, kind in picks:
        targets = apply(data, changes)["targets"]
        if not targets:
            break
        index %= len(targets)
        if kind == 0:
            changes.append(Set(("targets", index, key), value))
        elif kind == 1 and key in targets[index] and len(targets[index]) > 1:
            changes.append(Delete(("targets", index, key)))
        elif kind == 2:
            changes.append(Delete(("targets", index), ["dropped"]))
    try:
        result = edit(text, changes)
    except EditError as error:  # only a value that is not one line may be refused
        assert "不止一行" in str(error) or "唯一的键" in str(error), error
        return
    assert yaml.safe_load(result) == apply(data, changes)
    assert result.startswith("# head\nid: x\ntargets:") and result.endswith("# tail\nother: 1\n")
