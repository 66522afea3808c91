"""Edit a YAML file's text at the positions its values have, keeping everything else as written.

People edit the data files by hand: comments, the order of keys, flow or block style and blank
lines are theirs. A command that changes a value (``review`` accepting a proposal; ``upgrade``
renaming a field) must change only that value. Here a file's text is composed into nodes (with
PyYAML's own marks) and each change replaces, inserts or removes just the characters of one
value, one ``key: value`` entry or one list item:

* ``Set(path, value)``: the value at ``path`` (a scalar or a flow collection) is replaced; a key
  missing from its mapping is added after the mapping's last entry (``, key: value`` before a
  flow mapping's ``}``, a line of its own with the mapping's indentation in a block mapping);
* ``Delete(path, comment)``: a mapping's entry or a list's item is removed (a block item's
  lines; ``comment`` lines may take its place, e.g. to record why); a list left empty becomes
  ``[]``.

Every edit is verified: the edited text must parse to exactly the data the changes describe
(``apply``), else ``EditError`` is raised and nothing should be written. Writing the result is the
caller's, through ``shiwanqian.fileio``. Nothing here knows a data file's meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

Path_ = tuple[Any, ...]


class EditError(ValueError):
    """A change that cannot be made in place (the path is not there, or the value is a block
    collection), or an edit whose result is not the data it should be."""


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
    if _load(text) != expected:
        raise EditError("改动后的文件内容与预期不符（未写入）")
    return text


def apply(data: Any, changes: list[Change]) -> Any:
    """What the data is after ``changes``: the plain-data meaning of ``edit``."""
    import copy

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
    try:
        return yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise EditError(f"不是有效的 YAML：{error}") from None


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
    parent = _node(root, change.path[:-1])
    key = change.path[-1]
    newline = "\r\n" if "\r\n" in text else "\n"
    if isinstance(change, Set):
        return _set(text, parent, key, change.value, newline, change.after)
    return _delete(text, root, change.path, parent, key, change.comment, newline)


def _node(node: yaml.Node, path: Path_) -> yaml.Node:
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
    owner = _node(root, path[:-2]) if len(path) > 1 else root
    key = next((k for k, v in getattr(owner, "value", []) if v is sequence), None) if len(path) > 1 else None
    if key is None:
        raise EditError("无法删除顶层列表的唯一一项")
    after_key = key.end_mark.index
    colon = text.index(":", after_key) + 1
    return text[:colon] + " []" + newline + kept + text[end:]
