"""The positional reader: tags as PyYAML resolves them, every path located as the node tree
says, and positions kept compactly."""

from __future__ import annotations

import tracemalloc

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from shiwanqian.load import yamlpos

TRICKY = [
    "",
    "~",
    "null",
    "Null",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "False",
    "0",
    "010",
    "0o17",
    "0x1F",
    "1_000",
    "-12",
    "+3",
    "1.5",
    ".5",
    "1e3",
    ".inf",
    "-.Inf",
    ".nan",
    "2016-07-01",
    "2016-7-1 10:00",
    "<<",
    "=",
    "!",
    "&",
    "*",
    "12:30:00",
    "190:20:30",
    "2016年",
    "二〇一六",
    "攸县",
    "-",
    ".",
    "0.",
    "+.5",
]


def _tags(text: str, loader: type) -> list[str]:
    def walk(node: yaml.Node) -> list[str]:
        if isinstance(node, yaml.ScalarNode):
            return [node.tag]
        if isinstance(node, yaml.MappingNode):
            return [node.tag] + [t for k, v in node.value for t in walk(k) + walk(v)]
        return [node.tag] + [t for item in node.value for t in walk(item)]

    root = yaml.compose(text, Loader=loader)
    assert root is not None
    return walk(root)


@given(
    st.lists(
        st.one_of(
            st.sampled_from(TRICKY), st.text(alphabet="0123456789._-+:eExXoO~<=!yesnoYNtruefalsTF年 ", max_size=12)
        ),
        min_size=1,
        max_size=8,
    )
)
@settings(max_examples=300, deadline=None)
def test_tags_are_resolved_as_pyyaml_resolves_them(values):
    lines = []
    for i, value in enumerate(values):
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        lines += [f"k{i}: {quoted}", f"q{i}: '{value}'" if "'" not in value else f"q{i}: {quoted}", f"l{i}: [{quoted}]"]
        try:  # plain, where the value can be written plain
            yaml.compose(f"p{i}: {value}", Loader=yaml.SafeLoader)
            lines.append(f"p{i}: {value}")
        except yaml.YAMLError:
            pass
    text = "\n".join(lines) + "\n"
    assert _tags(text, yamlpos._Loader) == _tags(text, yamlpos._SafeLoader)  # the loader it refines


scalars = st.one_of(st.integers(-5, 3000), st.sampled_from(["x", "攸县", "a b", "", "yes", "2016-07-01"]))
keys = st.one_of(st.sampled_from(["text", "rows", "value", "名额", "a"]), st.integers(0, 3))
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=25,
)


def _expected_positions(root: yaml.Node) -> tuple[dict, dict]:
    """path → (line, column) of every value and every key, read from the node tree."""
    values, key_marks = {}, {}

    def walk(node: yaml.Node, path: tuple) -> None:
        values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = yaml.constructor.SafeConstructor().construct_object(k)
                key_marks[path + (key,)] = (k.start_mark.line + 1, k.start_mark.column + 1)
                walk(v, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, path + (i,))

    walk(root, ())
    return values, key_marks


@given(st.dictionaries(keys, trees, min_size=1, max_size=5), st.sampled_from([False, True, None]))
@settings(max_examples=200, deadline=None)
def test_every_path_is_located_where_the_node_tree_says(data, flow):
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    doc = yamlpos.read(text.encode("utf-8"), "x.yaml")
    assert not doc.problems
    values, key_marks = _expected_positions(yaml.compose(text, Loader=yaml.SafeLoader))
    for path, where in values.items():
        assert doc.position(path) == where
        assert doc.position(path + ("no-such-key", 7)) == where  # a missing path: its nearest ancestor
        assert doc.position(path, key=True) == key_marks.get(path, where)
    for node, text_ in doc.quotes:
        assert values[doc.path(node)] == doc.position(doc.path(node)) and isinstance(text_, str)
    doc.compact()  # afterwards a key's finding points at its value
    for path, where in values.items():
        assert doc.position(path) == doc.position(path, key=True) == where


@given(st.dictionaries(keys, trees, min_size=1, max_size=5), st.sampled_from([False, True, None]))
@settings(max_examples=100, deadline=None)
def test_indexed_children_are_located_the_same(data, flow):
    """Nodes with many children are looked up through an index of them (a table of 10,000 rows);
    with every node indexed the positions are the same."""
    saved = yamlpos._INDEXED
    yamlpos._INDEXED = 0
    try:
        test_every_path_is_located_where_the_node_tree_says.hypothesis.inner_test(data, flow)
    finally:
        yamlpos._INDEXED = saved


def test_positions_cost_a_few_machine_integers_per_value():
    # 60,000 values; a dict of (line, column) tuples by path took about 190 bytes a value.
    text = "rows:\n" + "".join(f"  - {{region: 区{i}, value: {i}}}\n" for i in range(20_000))
    raw = text.encode("utf-8")
    tracemalloc.start()
    try:
        doc = yamlpos.read(raw, "big.yaml")
        doc.compact()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not doc.problems and doc.position(("rows", 19_999, "value")) == (20_001, 29)
    assert held / 60_001 < 40, held / 60_001
