"""Edits of a hand-edited YAML file made in its text, so that its comments, blank lines, quoting
and layout stay as they were: a key inserted into a mapping where the parser says that mapping's
keys are (block or ``{…}`` style alike), a line put before the first.

Every edit is checked by reading the new text again: it must parse, and hold exactly the old
data with the one change made; otherwise ``EditError`` and the text is not used.
"""

from __future__ import annotations

import copy
import json
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
