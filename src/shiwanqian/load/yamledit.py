"""Edits of a hand-edited YAML file made in its text, so that its comments, blank lines, quoting
and layout stay as they were. People edit the data files by hand; a command that changes a value
(``upgrade`` bringing an old folder to today's format, ``review`` writing a person's decision on a
proposal) must change only that value.

* ``insert_key`` adds a key to a mapping just before a given key, where the parser says that
  mapping's keys are (block or ``{…}`` style alike); ``prepend_line`` puts a line before the first
  (used by ``upgrade``);
* ``edit(text, changes)`` makes a list of ``Set`` (the value at a path, a scalar or a flow
  collection, replaced in place; a missing key added after given keys, or after the mapping's
  last entry) and ``Delete`` (a mapping's entry, or a list's item as whole lines, ``comment``
  lines in its place; a list left empty becomes ``[]``), used by ``review``; ``apply`` is what
  those changes mean on plain data.

Every edit is checked by reading the new text again: it must parse, and hold exactly the old
data with the changes made; otherwise ``EditError`` and the text is not used. Writing the result
is the caller's, through ``shiwanqian.fileio``. Nothing here knows what a data file means.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

import yaml

from . import yamlpos


class EditError(Exception):
    """An edit could not be made so that the file says exactly what was intended."""


def _node(text: str, path: tuple[Any, ...]) -> yaml.Node:
    """The node at ``path`` (keys of mappings, indexes of lists) of the composed text."""
    node = yaml.compose(text, Loader=yamlpos._Loader)
    if node is None:
        raise EditError("文件是空的")
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and _key(k) == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            found = node.value[step]
        else:
            found = None
        if found is None:
            raise EditError(f"没有 {'/'.join(map(str, path))}")
        node = found
    return node


def _key(node: yaml.ScalarNode) -> Any:
    return node.value if node.tag == "tag:yaml.org,2002:str" else yaml.safe_load(node.value)


def scalar(value: str, *, flow: bool) -> str:
    """``value`` written as a YAML scalar: plain where it reads back as the same string (in a
    ``{…}`` mapping too, when ``flow``), else double-quoted."""
    for probe in ("k: {}", "{{k: {}}}") if flow else ("k: {}",):
        try:
            if yaml.safe_load(probe.format(value)) != {"k": value}:
                break
        except yaml.YAMLError:
            break
    else:
        if value == value.strip() and "\n" not in value and " #" not in value:
            return value
    return json.dumps(value, ensure_ascii=False)


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def insert_key(text: str, path: tuple[Any, ...], key: str, value: str, *, before: str) -> str:
    """``text`` with ``key: value`` added to the mapping at ``path``, written just before its
    key ``before`` (in that key's indentation, or ``key: value, `` inside ``{…}``)."""
    old = yamlpos.parse(text, "<old>")
    mapping = _node(text, path)
    if not isinstance(mapping, yaml.MappingNode):
        raise EditError(f"{'/'.join(map(str, path))} 不是映射")
    anchor = next((k for k, _ in mapping.value if isinstance(k, yaml.ScalarNode) and _key(k) == before), None)
    if anchor is None:
        raise EditError(f"{'/'.join(map(str, path))} 中没有键 {before}")
    at = anchor.start_mark.index
    if mapping.flow_style:
        written = f"{key}: {scalar(value, flow=True)}, "
    else:
        written = f"{key}: {scalar(value, flow=False)}\n{' ' * anchor.start_mark.column}"
    new_text = text[:at] + written + text[at:]
    expected = copy.deepcopy(old.data)
    _get(expected, path)[key] = value
    _verify(new_text, expected)
    return new_text


def prepend_line(text: str, line: str) -> str:
    """``text`` with a comment line before its first line (a schema header)."""
    if not line.startswith("#"):
        raise EditError("只能在文件开头加注释行")
    new_text = line.rstrip("\n") + "\n" + text
    _verify(new_text, yamlpos.parse(text, "<old>").data)
    return new_text


def _verify(new_text: str, expected: Any) -> None:
    new = yamlpos.parse(new_text, "<new>")
    if any(p.severity == "error" for p in new.problems) or new.data != expected:
        raise EditError("改写后的文件与预期的内容不一致")


# ------------------------------------------------------------------ a list of changes

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Set:
    path: Path_
    value: Any
    # For a key the mapping lacks: the keys it comes after, in order (it is written after the
    # last of them the mapping has, else after the mapping's last entry).
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Delete:
    path: Path_
    comment: list[str] | None = None  # lines written where a block list item was (without “# ”)


Change = Set | Delete


def edit(text: str, changes: list[Change]) -> str:
    """``text`` with ``changes`` made in order, each in place; verified against ``apply``."""
    expected = apply(_load(text), changes)
    for change in changes:
        text = _one(text, change)
    _verify(text, expected)
    return text


def apply(data: Any, changes: list[Change]) -> Any:
    """What the data is after ``changes``: the plain-data meaning of ``edit``."""
    data = copy.deepcopy(data)
    for change in changes:
        parent = _walk(data, change.path[:-1])
        key = change.path[-1]
        if isinstance(change, Set):
            parent[key] = change.value
        else:
            del parent[key]
    return data


def _load(text: str) -> Any:
    document = yamlpos.parse(text, "<text>")
    if any(p.severity == "error" for p in document.problems):
        raise EditError("不是有效的 YAML（shiwanqian check 列出问题）")
    return document.data


def _walk(data: Any, path: Path_) -> Any:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            raise EditError(f"找不到 {'/'.join(map(str, path))}") from None
    return data


# ------------------------------------------------------------------ one change on the text


def _one(text: str, change: Change) -> str:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        raise EditError("文件是空的")
    parent = _at(root, change.path[:-1])
    key = change.path[-1]
    newline = "\r\n" if "\r\n" in text else "\n"
    if isinstance(change, Set):
        return _set(text, parent, key, change.value, newline, change.after)
    return _delete(text, root, change.path, parent, key, change.comment, newline)


def _at(node: yaml.Node, path: Path_) -> yaml.Node:
    for key in path:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            found = node.value[key]
        else:
            found = None
        if found is None:
            raise EditError(f"找不到 {'/'.join(map(str, path))}")
        node = found
    return node


def _scalar(value: Any) -> str:
    """``value`` as YAML writes it inside a flow collection (quoted wherever a flow context needs
    it, which is also safe in a block): a scalar, or a mapping or list in flow style."""
    dumped = yaml.safe_dump([value], allow_unicode=True, sort_keys=False, width=10**6, default_flow_style=True)
    text = dumped.strip()[1:-1]  # the brackets around the one item
    if "\n" in text:
        raise EditError("值不止一行，无法就地写入")
    return text


def _entry(key: Any, value: Any) -> str:
    return f"{_scalar(key)}: {_scalar(value)}"


def _set(text: str, parent: yaml.Node, key: Any, value: Any, newline: str, after: tuple[str, ...]) -> str:
    if isinstance(parent, yaml.MappingNode):
        found = next((v for k, v in parent.value if k.value == key), None)
        if found is None:
            return _insert(text, parent, key, value, newline, after)
    elif isinstance(parent, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(parent.value):
        found = parent.value[key]
    else:
        raise EditError(f"找不到 {key}")
    if isinstance(found, yaml.CollectionNode) and not found.flow_style:
        raise EditError(f"{key} 的值是多行的结构，无法就地替换")
    return text[: found.start_mark.index] + _scalar(value) + text[found.end_mark.index :]


def _insert(text: str, mapping: yaml.MappingNode, key: str, value: Any, newline: str, after: tuple[str, ...]) -> str:
    entries = mapping.value
    keys = [k.value for k, _ in entries]
    anchor = max((keys.index(a) for a in after if a in keys), default=len(entries) - 1)
    if mapping.flow_style:
        entry = _entry(key, value)
        if not entries:
            close = mapping.end_mark.index - 1  # the closing brace
            return text[:close].rstrip() + entry + text[close:]
        at = entries[anchor][1].end_mark.index
        return text[:at] + ", " + entry + text[at:]
    if not entries:
        raise EditError("空的映射无法就地添加键")
    indent = " " * entries[0][0].start_mark.column
    at = _line_end(text, _last_mark(entries[anchor][1]))
    return text[:at] + newline + indent + _entry(key, value) + text[at:]


def _last_mark(node: yaml.Node) -> int:
    """Where the last character written for ``node`` ends (a block collection's own end mark
    runs on over trailing comments to the next token)."""
    while isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node.end_mark.index


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    if end < 0:
        return len(text)
    return end - 1 if end > 0 and text[end - 1] == "\r" else end


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _delete(
    text: str,
    root: yaml.Node,
    path: Path_,
    parent: yaml.Node,
    key: Any,
    comment: list[str] | None,
    newline: str,
) -> str:
    if isinstance(parent, yaml.MappingNode):
        index = next((i for i, (k, _) in enumerate(parent.value) if k.value == key), None)
        starts = [(k.start_mark.index, v) for k, v in parent.value]
    elif isinstance(parent, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(parent.value):
        index = key
        starts = [(v.start_mark.index, v) for v in parent.value]
    else:
        index = None
    if index is None:
        raise EditError(f"找不到 {'/'.join(map(str, path))}")
    if getattr(parent, "flow_style", False):
        if comment:
            raise EditError("流式（单行）结构中无法留下注释")
        return _delete_flow(text, parent, starts, index)
    if isinstance(parent, yaml.SequenceNode):
        return _delete_item(text, root, path, parent, index, comment, newline)
    if comment:
        raise EditError("只有列表项删除后可以留下注释")
    if index + 1 < len(starts):
        return text[: starts[index][0]] + text[starts[index + 1][0] :]
    if index == 0:
        raise EditError("无法删除映射中唯一的键")
    start = _line_end(text, _last_mark(starts[index - 1][1]))
    return text[:start] + text[_line_end(text, _last_mark(starts[index][1])) :]


def _delete_flow(text: str, parent: yaml.Node, starts: list[tuple[int, yaml.Node]], index: int) -> str:
    start, value = starts[index]
    end = value.end_mark.index
    if index + 1 < len(starts):
        end = starts[index + 1][0]  # the entry and the comma after it
    elif index > 0:
        start = starts[index - 1][1].end_mark.index  # the comma before it and the entry
    else:
        start, end = parent.start_mark.index + 1, parent.end_mark.index - 1  # the only entry
    return text[:start] + text[end:]


def _delete_item(
    text: str,
    root: yaml.Node,
    path: Path_,
    sequence: yaml.SequenceNode,
    index: int,
    comment: list[str] | None,
    newline: str,
) -> str:
    """A block list's item, as whole lines (from its dash to its last written character)."""
    item = sequence.value[index]
    first = _line_start(text, item.start_mark.index)
    dash = text[first : item.start_mark.index].rstrip()
    if not dash.endswith("-") or dash[:-1].strip():
        raise EditError("列表项的写法不是“- 值”，无法就地删除")
    indent = " " * (len(dash) - 1)
    last = _line_end(text, _last_mark(item))
    end = min(len(text), last + len(newline)) if text[last : last + len(newline)] == newline else last
    kept = "".join(f"{indent}# {line}{newline}" for line in (comment or []))
    if len(sequence.value) > 1:
        return text[:first] + kept + text[end:]
    # The list's only item: the key it sits under keeps an empty list (``key: []``).
    owner = _at(root, path[:-2]) if len(path) > 1 else root
    key = next((k for k, v in getattr(owner, "value", []) if v is sequence), None) if len(path) > 1 else None
    if key is None:
        raise EditError("无法删除顶层列表的唯一一项")
    after_key = key.end_mark.index
    colon = text.index(":", after_key) + 1
    return text[:colon] + " []" + newline + kept + text[end:]
