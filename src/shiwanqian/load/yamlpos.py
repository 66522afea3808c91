"""Read one YAML file into plain Python data plus a map of positions.

PyYAML's ``safe_load`` loses positions and silently keeps the last of two duplicate keys.
Here the file is composed into nodes (libyaml's ``CSafeLoader`` when available), and the
node tree is walked once to build the data, the position of every value (and key), and a
list of problems: duplicate keys, anchors/aliases (refused: they are never needed in
hand-edited data and are the vehicle of "billion laughs" bombs), excessive nesting, bad
encodings.

Positions are kept compactly, as the node tree flattened in document order: for each value
its line, column and the index just past its subtree, the key (or list index) it sits under
and where that key is written, in arrays of machine integers. A path such as
``("rows", 3, "text")`` is found by descending through it, skipping a sibling's subtree in one
step. A large folder has hundreds of thousands of values: a ``path → (line, column)`` dict
cost about 190 bytes a value, this about 28.
"""

from __future__ import annotations

import codecs
import re
import warnings
from array import array
from dataclasses import dataclass, field
from sys import intern
from typing import Any

import yaml

from ..findings import Finding
from ..safetext import CONTROL, CONTROL_EXCEPT_LAYOUT, describe, find_control

try:  # libyaml is 5–7× faster than the pure-Python parser.
    from yaml import CSafeLoader as _SafeLoader

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

    HAVE_LIBYAML = False

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR, _MAPPING = yaml.ScalarNode, yaml.MappingNode
_IMPLICIT = _SafeLoader.yaml_implicit_resolvers


class _Loader(_SafeLoader):
    """The safe loader, resolving tags as it does but in one step.

    Even with libyaml, PyYAML resolves each node's tag in Python (half the time of composing
    a file of short values): for a plain scalar it tries the patterns registered for its
    first character (``2016`` → int, ``yes`` → bool, ``~`` → null …), and everything else
    is a string, a list or a mapping. This does exactly that without building a new list of
    patterns for every scalar, and skips the bookkeeping of path resolvers around every node;
    it applies while the safe loader registers no patterns for every first character and no
    path resolvers (``test_yamlpos`` compares its tags with PyYAML's).
    """

    if None not in _IMPLICIT and not _SafeLoader.yaml_path_resolvers:

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            if kind is yaml.ScalarNode:
                if implicit[0]:
                    for tag, pattern in _IMPLICIT.get(value[:1], ()):
                        if pattern.match(value):
                            return tag
                return _STR
            return _MAP if kind is yaml.MappingNode else _SEQ


MAX_DEPTH = 64
_INDEXED = 256  # a node with more descendants than this gets an index of its children
QUOTED = frozenset({"text", "total_text", "when", "requirement"})
MAX_BYTES = 5_000_000
# Fields of running text, where a line break or a tab (from a block scalar | or an escape) is
# part of the text; everywhere else (names, titles, citations, ids, keys) a string is one line.
LAYOUT_FIELDS = frozenset({"text", "total_text", "requirement", "note", "reason", "says"})

Path_ = tuple[Any, ...]


@dataclass
class Document:
    """A parsed file: its data, where each value sits, and what went wrong."""

    file: str
    data: Any = None
    problems: list[Finding] = field(default_factory=list)
    # (node, text) of every string under a key in QUOTED: the quotations `check` looks up in
    # the document, gathered during the one walk instead of walking the data again; ``node``
    # is the value's index in document order (``path`` turns it into a path).
    quotes: list[tuple[int, str]] = field(default_factory=list)
    # The flattened node tree (see the module's docstring), one entry per value: where its
    # subtree ends, the key or list index it sits under, and until ``compact`` the parser's
    # marks of the value and of its key (None: not under a key); after it, lines and columns.
    _ends: array = field(default_factory=lambda: array("i"), repr=False)
    _keys: list[Any] = field(default_factory=list, repr=False)
    _marks: list[Any] | None = field(default_factory=list, repr=False)
    _key_marks: list[Any] | None = field(default_factory=list, repr=False)
    _lines: array | None = field(default=None, repr=False)
    _columns: array | None = field(default=None, repr=False)
    # node → {key or index: child node} of nodes with many children, made when first descended
    # through: looking up every row of a long table walks its siblings once, not once a row.
    _children: dict[int, dict[Any, int]] = field(default_factory=dict, repr=False)

    def compact(self, *, kept: bool = True) -> None:
        """Drop what later stages never read once the file is validated: its data and the
        key positions (a finding about a key then points at the key's value, on the same
        line). The value positions stay, as two arrays of integers: findings about any value
        need them. ``kept`` false: the document is about to be let go (checked file by file),
        so the positions stay as the parser's marks rather than be packed."""
        self.data = None
        self._key_marks = None
        if self._marks is not None and kept:
            self._lines = array("i", [mark.line + 1 for mark in self._marks])
            self._columns = array("i", [mark.column + 1 for mark in self._marks])
            self._marks = None
            self._keys = [intern(key) if key.__class__ is str else key for key in self._keys]

    def _find(self, path: Path_) -> tuple[int, bool]:
        """The node at ``path``, or at its longest prefix that exists (then False); -1: none."""
        keys, ends = self._keys, self._ends
        if not keys:
            return -1, False
        node = 0
        for step in path:
            child, end = node + 1, ends[node]
            index = self._children.get(node)
            if index is None and end - child > _INDEXED:
                index = self._children[node] = {}
                at = child
                while at < end:
                    index.setdefault(keys[at], at)
                    at = ends[at]
            if index is not None:
                found = index.get(step)
                if found is None:
                    return node, False
                node = found
                continue
            while child < end and keys[child] != step:
                child = ends[child]
            if child >= end:
                return node, False
            node = child
        return node, True

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``path``, or of its nearest ancestor."""
        node, exact = self._find(tuple(path))
        if node < 0:
            return 1, 1
        if key and exact and self._key_marks is not None and self._key_marks[node] is not None:
            mark = self._key_marks[node]
            return mark.line + 1, mark.column + 1
        if self._marks is not None:
            mark = self._marks[node]
            return mark.line + 1, mark.column + 1
        assert self._lines is not None and self._columns is not None  # packed when the marks are dropped
        return self._lines[node], self._columns[node]

    def path(self, node: int) -> Path_:
        """The path of the value with index ``node`` (as in ``quotes``)."""
        keys, ends = self._keys, self._ends
        result: list[Any] = []
        at = 0
        while at != node:
            child = at + 1
            while ends[child] <= node:
                child = ends[child]
            result.append(keys[child])
            at = child
        return tuple(result)

    def problem(self, path: Path_, code: str, message: str, *, key: bool = False) -> Finding:
        line, column = self.position(path, key=key)
        return Finding(self.file, line, column, code, message)


# SafeConstructor turns a resolved scalar (int, bool, null, timestamp …) into a Python
# value; scalars carry no state between calls, so one instance serves every file.
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _construct_scalar(node: yaml.ScalarNode) -> Any:
    # Fast paths for the two kinds that make up nearly all of our data; everything else
    # (YAML 1.1 octals like 010, 1_000, booleans, nulls, dates …) goes through PyYAML.
    tag, value = node.tag, node.value
    if tag == _STR:
        return value
    if tag == _INT and value.isdigit() and (value[0] != "0" or value == "0"):
        return int(value)
    return _CONSTRUCTOR.construct_object(node, deep=True)


def _construct_quietly(node: yaml.ScalarNode) -> Any:
    """The value ``_scalar`` gives a node, without reporting anything again."""
    try:
        return _construct_scalar(node)
    except (yaml.YAMLError, ValueError, OverflowError):
        return node.value


def decode(raw: bytes, file: str) -> tuple[str | None, list[Finding]]:
    """Decode a data file as UTF-8, explaining the usual Windows alternatives."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, [Finding(file, 1, 1, "encoding", "文件是 UTF-16 编码；请在编辑器中另存为 UTF-8（无 BOM）")]
    if b"\x00" in raw[:4096]:
        head = raw[:4096]
        if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
            return None, [
                Finding(file, 1, 1, "encoding", "文件看起来是 UTF-16 编码（没有 BOM）；请在编辑器中另存为 UTF-8")
            ]
        return None, [Finding(file, 1, 1, "encoding", "文件含有空字节，看起来不是文本文件（YAML）")]
    problems: list[Finding] = []
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
        problems.append(
            Finding(file, 1, 1, "bom", "文件以 UTF-8 BOM 开头；已忽略，建议另存为“UTF-8（无 BOM）”", severity="warning")
        )
    try:
        return raw.decode("utf-8"), problems
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        # Columns as an editor counts them: characters, not bytes.
        column = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "；它看起来是 GB18030/GBK 编码（Windows 记事本或 WPS 常见），请另存为 UTF-8"
        except UnicodeDecodeError:
            pass
        return None, [
            Finding(file, line, column, "encoding", f"文件不是 UTF-8 编码（第 {error.start} 字节无法解码）{hint}")
        ]


_PROBLEMS = {
    "found character that cannot start any token": "此处的字符不能作为内容开头",
    "mapping values are not allowed here": "此处不能出现“键: 值”（可能缺少引号或缩进不对）",
    "mapping values are not allowed in this context": "此处不能出现“键: 值”（可能缺少引号或缩进不对）",
    "could not find expected ':'": "找不到应有的冒号“:”（键和值之间要用半角冒号加空格）",
    "expected <block end>, but found '<block sequence start>'": "缩进不一致",
    "expected <block end>, but found '<block mapping start>'": "缩进不一致",
    "expected <block end>, but found '<scalar>'": "缩进不一致",
    "expected <block end>, but found '-'": "缩进不一致",
    "did not find expected key": "缩进不一致或缺少键",
    "did not find expected '-' indicator": "列表项缩进不一致（每项应以“- ”开头并对齐）",
    "found unexpected end of stream": "文件意外结束（可能被截断，或括号、引号没有闭合）",
    "did not find expected ',' or ']'": "方括号“[”没有闭合，或缺少逗号“,”",
    "did not find expected ',' or '}'": "花括号“{”没有闭合，或缺少逗号“,”",
    "found undefined alias": "使用了未定义的别名（*）",
    "but found another document": "文件中出现了第二个文档（“---”），数据文件只能有一个",
    "found a tab character that violates indentation": "行首有 Tab",
    "found a tab character where an indentation space is expected": "行首有 Tab",
    "found unknown escape character": "引号内有无法识别的转义字符（\\）",
}
# Characters YAML forbids (control characters) or reads as line breaks where editors do not
# (U+0085, U+2028, U+2029, a lone CR): both would make every later line number wrong.
_BAD_CHARACTER = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\u0085\u2028\u2029]"
_BAD_CHARACTERS = re.compile(f"{_BAD_CHARACTER}|\r(?!\n)")
_ANY_BAD_CHARACTER = re.compile(_BAD_CHARACTER)  # a class alone scans several times faster
_CHARACTER_NAMES = {
    "\x0b": "垂直制表符（Word 中的手动换行）",
    "\x0c": "换页符",
    "\u2028": "行分隔符 U+2028",
    "\u2029": "段落分隔符 U+2029",
    "\u0085": "下一行符 U+0085",
    "\r": "单独的回车符",
}


def _bad_characters(text: str, file: str) -> list[Finding]:
    if "\r" not in text and not _ANY_BAD_CHARACTER.search(text):
        return []  # the usual case, found quickly
    found = []
    for match in _BAD_CHARACTERS.finditer(text):
        start = match.start()
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        char = match.group()
        name = _CHARACTER_NAMES.get(char, f"控制字符 U+{ord(char):04X}")
        found.append(
            Finding(file, line, column, "bad-character", f"文件含有{name}（常见于从 Word 或网页粘贴）；请删除它")
        )
        if len(found) >= 20:
            break
    return found


def _syntax_error(error: yaml.MarkedYAMLError, text: str, file: str) -> Finding:
    problem = str(error.problem or error.context or "").strip()
    context = str(error.context or "")
    # libyaml notices an unclosed bracket, quote or a missing colon only on a later line;
    # the context mark points at where the construct began, which is where to look.
    use_context = (
        error.context_mark is not None
        and "tab" not in problem
        and context.startswith(("while scanning", "while parsing a flow"))
    )
    mark = error.context_mark if use_context else (error.problem_mark or error.context_mark)
    lines = text.split("\n")
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if line > len(lines) or (line == len(lines) and lines[-1] == ""):
        # An error "after the last line" belongs to the last line an editor shows.
        line = max(1, len(lines) - (1 if lines[-1] == "" and len(lines) > 1 else 0))
        column = len(lines[line - 1]) + 1
    if "maximum nesting depth" in problem:
        return Finding(file, line, column, "too-deep", f"嵌套层次过深（超过 {MAX_DEPTH} 层），数据文件不需要这么深")
    message = f"YAML 语法错误：{_PROBLEMS.get(problem, problem)}"
    nearby = [lines[i] for i in range(max(0, line - 2), min(len(lines), line + 1))]
    wide = [i for i in range(max(0, line - 3), min(len(lines), line)) if lines[i].lstrip(" ").startswith("\u3000")]
    unbalanced = [i for i in range(max(0, line - 60), line - 1) if _open_quote(lines[i])]
    if any(x.lstrip(" ").startswith("\t") or x.startswith("\t") for x in nearby) or "tab" in problem.lower():
        message += "（YAML 不允许用 Tab 缩进，请改用空格）"
    elif wide:
        line, column = wide[-1] + 1, 1
        message += "（行首有全角空格，缩进请用半角空格）"
    elif unbalanced:
        # A quotation left open runs on to the next quote mark, and the parser only stumbles
        # there; the line that opened it is the one to fix.
        line = unbalanced[0] + 1
        column = lines[line - 1].index('"') + 1
        message = "YAML 语法错误：这一行的双引号没有闭合（引号内的文字一直延续到后面的引号）"
    elif any("：" in x and ":" not in x for x in nearby[-2:]) and "冒号" in message:
        message += "（这一行用了全角冒号“：”）"
    return Finding(file, line, column, "yaml-syntax", message)


def _open_quote(line: str) -> bool:
    """A line that opens a double-quoted value and does not close it."""
    body = line.split(" #", 1)[0]
    return (body.count('"') - body.count('\\"') == 1 and ': "' in body) or (
        body.lstrip().startswith('- "') and body.count('"') == 1
    )


def parse(text: str, file: str) -> Document:
    doc = Document(file)
    bad = _bad_characters(text, file)
    if bad:
        doc.problems.extend(bad)
        return doc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        doc.problems.append(_syntax_error(error, text, file))
        return doc
    except yaml.YAMLError as error:  # pragma: no cover - reader errors are caught above
        doc.problems.append(Finding(file, 1, 1, "yaml-syntax", f"YAML 语法错误：{str(error).splitlines()[0]}"))
        return doc
    except RecursionError:
        doc.problems.append(Finding(file, 1, 1, "too-deep", "嵌套层次过深，无法读取"))
        return doc
    if root is None:
        doc.problems.append(Finding(file, 1, 1, "empty-file", "文件是空的（只有注释或空行）"))
        return doc
    doc.data = _Walk(doc, aliases="&" in text).value(root)
    _CONSTRUCTOR.constructed_objects.clear()  # it memoises by node; keep no references
    if doc.data is None and not doc.problems:
        doc.problems.append(Finding(file, 1, 1, "empty-file", "文件没有内容（只有空值）"))
    return doc


class _Walk:
    """One walk over a composed node tree: the data, the flattened positions, the problems.

    ``aliases`` is false when the text has no ``&``: without an anchor there can be no alias,
    and no node need be remembered to notice one.
    """

    def __init__(self, doc: Document, *, aliases: bool) -> None:
        self.doc = doc
        self.seen: set[int] | None = set() if aliases else None
        self.keys, self.ends = doc._keys, doc._ends
        assert doc._marks is not None and doc._key_marks is not None  # a document being read keeps its marks
        self.marks, self.key_marks = doc._marks.append, doc._key_marks.append

    def value(self, root: yaml.Node) -> Any:
        return self._walk(root, None, None, "", 0)

    def _walk(self, node: yaml.Node, key: Any, key_mark: Any, name: str, depth: int) -> Any:
        """``key`` (written at ``key_mark``; None: not under a key) or list index the node
        sits under; ``name``: the nearest key that is a string (for messages)."""
        keys = self.keys
        index = len(keys)
        keys.append(key)
        self.ends.append(index + 1)
        self.marks(node.start_mark)
        self.key_marks(key_mark)
        if (self.seen is not None or depth > MAX_DEPTH) and self._refused(node, depth):
            return None
        kind = node.__class__
        if kind is _SCALAR:
            tag, text = node.tag, node.value
            if tag == _STR:
                if (CONTROL_EXCEPT_LAYOUT if name in LAYOUT_FIELDS else CONTROL).search(text):
                    _control_characters(text, name, node, self.doc, layout=name in LAYOUT_FIELDS)
                return text
            if tag == _INT and text.isdigit() and (text[0] != "0" or text == "0") and len(text) < 100:
                return int(text)
            # The class is tested by identity (faster than isinstance), which mypy does not narrow on.
            value = _scalar(node, self.doc)  # type: ignore[arg-type]  # the rest: octal, too many digits …
            if isinstance(value, str):
                _control_characters(value, name, node, self.doc, layout=name in LAYOUT_FIELDS)
            return value
        if kind is _MAPPING:
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.__class__ is not _SCALAR or key_node.tag == _MERGE:
                    self._bad_key(key_node)
                    continue
                child_key = key_node.value if key_node.tag == _STR else _scalar(key_node, self.doc)
                if child_key.__class__ is str:
                    if CONTROL.search(child_key):
                        _control_characters(child_key, child_key, key_node, self.doc, layout=False)
                    child_name = child_key
                else:
                    child_name = name
                if child_key in result:
                    self._duplicate(node, key_node, child_key)  # type: ignore[arg-type]  # identity-tested above
                    continue
                child = len(keys)
                value = result[child_key] = self._walk(
                    value_node, child_key, key_node.start_mark, child_name, depth + 1
                )
                if child_name is child_key and child_key in QUOTED and value.__class__ is str:
                    self.doc.quotes.append((child, value))
            self.ends[index] = len(keys)
            return result
        items = [self._walk(item, position, None, name, depth + 1) for position, item in enumerate(node.value)]
        self.ends[index] = len(keys)
        return items

    def _refused(self, node: yaml.Node, depth: int) -> bool:
        """An alias (a node seen before) or a node nested too deep: reported, not walked."""
        doc = self.doc
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if self.seen is not None:
            if id(node) in self.seen:
                # Report each place once.
                if not any(p.code == "yaml-alias" and p.line == line for p in doc.problems[-3:]):
                    doc.problems.append(
                        Finding(
                            doc.file, line, column, "yaml-alias", "不支持 YAML 锚点与别名（& 和 *）；请直接写出内容"
                        )
                    )
                return True
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            doc.problems.append(
                Finding(doc.file, line, column, "too-deep", f"嵌套超过 {MAX_DEPTH} 层，数据文件不需要这么深")
            )
            return True
        return False

    def _bad_key(self, key_node: yaml.Node) -> None:
        line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if key_node.__class__ is not _SCALAR:
            self.doc.problems.append(Finding(self.doc.file, line, column, "yaml-key", "键必须是简单的文字或数字"))
        else:
            self.doc.problems.append(Finding(self.doc.file, line, column, "yaml-alias", "不支持 YAML 合并键（<<）"))

    def _duplicate(self, mapping: yaml.MappingNode, key_node: yaml.Node, key: Any) -> None:
        """A key written twice in one mapping: reported where it is repeated, naming the line
        where it was first written."""
        line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        first = next(
            (
                k
                for k, _ in mapping.value
                if k.__class__ is _SCALAR
                and k.tag != _MERGE
                and (k.value if k.tag == _STR else _construct_quietly(k)) == key
            ),
            key_node,
        )
        self.doc.problems.append(
            Finding(
                self.doc.file,
                line,
                column,
                "duplicate-key",
                f"重复的键“{key}”（第一次出现在第 {first.start_mark.line + 1} 行）",
            )
        )


def _control_characters(text: str, name: str, node: yaml.Node, doc: Document, *, layout: bool) -> None:
    """A located error for a control character in a string: escapes such as "\\e" or "\\x1b"
    in a double-quoted value produce characters the file check cannot see (ESC sequences
    would reach terminals, XML and spreadsheets). Tab and newline only in running text."""
    index = find_control(text, layout=layout)
    if index is None:
        return
    char = text[index]
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if char in "\t\n":
        message = (
            f"“{name}”应是一行文字，其中有{'换行' if char == chr(10) else 'Tab'}"
            "（只有 text、requirement、note 等正文字段可以分行）"
        )
    else:
        message = (
            f"“{name}”中有控制字符 {describe(char)}（第 {index + 1} 个字符）；数据中的文字不能含控制字符，请删除它"
        )
    doc.problems.append(Finding(doc.file, line, column, "control-character", message))


_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")


def _scalar(node: yaml.ScalarNode, doc: Document) -> Any:
    if node.tag == _INT and _LEADING_ZERO.fullmatch(node.value):
        value = _CONSTRUCTOR.construct_object(node, deep=True)
        doc.problems.append(
            Finding(
                doc.file,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "yaml-octal",
                f"“{node.value}”以 0 开头，YAML 会把它读作八进制数 {value}；"
                "如果是十进制数，请去掉开头的 0（或加引号表示文字）",
            )
        )
        return value
    try:
        return _construct_scalar(node)
    except (yaml.YAMLError, ValueError, OverflowError) as error:
        doc.problems.append(
            Finding(
                doc.file,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "yaml-value",
                f"无法识别的值“{node.value}”：{error}",
            )
        )
        return node.value


def read(raw: bytes, file: str) -> Document:
    """Decode and parse; never raises for bad input."""
    if len(raw) > MAX_BYTES:
        return Document(
            file,
            problems=[
                Finding(file, 1, 1, "too-large", f"文件过大（{len(raw)} 字节），数据文件不应超过 {MAX_BYTES} 字节")
            ],
        )
    text, problems = decode(raw, file)
    if text is None:
        return Document(file, problems=problems)
    if not text.strip():
        return Document(file, problems=problems + [Finding(file, 1, 1, "empty-file", "文件是空的")])
    doc = parse(text, file)
    doc.problems[:0] = problems
    return doc
