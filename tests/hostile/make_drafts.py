"""Hostile draft folders: copies of data/ with text and files an attacker would send.

``build(target)`` makes, under ``target``:

* ``inert/``   hostile text that is *valid* data (``check`` passes): spreadsheet formulas,
  DDE, rich markup, emoji codes, Markdown and HTML, bare URLs and e-mail addresses, XML
  breakers, page-header codes, workflow commands, sheet names with / : [ ] and over 31
  characters, clashing sheet names, and an unrelated 2 GB (sparse) file beside the data;
* ``control/`` the same with control characters (ESC sequences that clear the screen or set
  the window title, BEL, C1 CSI, a right-to-left override, NUL) in names, titles, citations,
  short names and keys, written as YAML escapes (the file itself is clean text): ``check``
  must refuse each with a located error;
* ``files/``   hostile file names (a newline and a forged ``::error`` command in one, commas
  and colons in another) and ``source_text`` pointing out of the folder.

Run ``python tests/hostile/make_drafts.py DIR`` to look at them.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"

FORMULA = '=HYPERLINK("http://evil.example/x","点击")'
DDE = "=cmd|' /C calc'!A0"
MARKUP = "[link=file:///etc/passwd]链接[/link] [bold red]红字[/] [/] :warning:"
MARKDOWN = "**粗** <script>alert(1)</script> [点我](javascript:alert(1)) | 竖线 `代码` # 标题"
XML = ']]></text><svg onload="alert(1)"> &amp; &P&N'
WORKFLOW = "%0A::error file=x::伪造 ::stop-commands::abc"
# Bare URLs and addresses: GFM, GitLab and markdown-it's linkify make links of them without markup.
LINKS = (
    "详见 https://evil.example/x?a=1 或 www.evil.example 或 evil.com，ftp://evil.example "
    "联系 staff@evil.example mailto:boss@evil.example"
)

TASK_NAMES = [
    f"{FORMULA} {MARKUP}",
    DDE,
    "+1+2 加号开头",
    "-1+2 减号开头",
    "@SUM(1,2) 艾特开头",
    f"{MARKDOWN} {XML} {WORKFLOW}",
    LINKS,
]
LONG_TITLE = "万节/优质:课[堂]*教学?资源\\一个很长很长很长很长很长很长很长很长的标题"
PLAN_TITLE = f"[bold]计划[/bold] {XML} 'quoted'"

# (file, old text, new text): each change keeps the data valid.
INERT_EDITS = [
    ("quotas/lessons.yaml", "title: 万节优质课堂教学资源\n", f"title: {json.dumps(LONG_TITLE, ensure_ascii=False)}\n"),
    # The same long title again: sheet names must stay unique after cutting to 31 characters.
    (
        "quotas/workstations.yaml",
        "\ntitle: ",
        f"\ntitle: {json.dumps(LONG_TITLE + '（工作站）', ensure_ascii=False)}\nold_title: ",
    ),
    (
        "plans/13-lessons.yaml",
        "title: 万节优质课堂教学资源建设工作方案",
        f"title: {json.dumps(PLAN_TITLE, ensure_ascii=False)}",
    ),
    ("regions.yaml", "short: [攸]", f"short: [攸, {json.dumps('=攸[/]', ensure_ascii=False)}]"),
]

CONTROL_TEXTS = {
    "name": "\x1b[2J\x1b]0;pwned\x07清屏",
    "title": "标题\x9b31m红",
    "source": "附件13 四 1\u202e反向",
    "short": "攸\x00",
}


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's too: control characters as \\u001b)."""
    return json.dumps(text, ensure_ascii=True)


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise AssertionError(f"{old!r} not in {path}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _task_names(root: Path, names: list[str]) -> None:
    """Task names, in order, in the lessons plan and then the backbone-teachers plan."""
    index = 0
    for name in ("13-lessons.yaml", "12-backbone-teachers.yaml"):
        path = root / "plans" / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for i, line in enumerate(lines):
            if line.startswith("    name: ") and index < len(names):
                lines[i] = f"    name: {q(names[index])}\n"
                index += 1
        path.write_text("".join(lines), encoding="utf-8")


def _fix_old_title(root: Path) -> None:
    # The workstations edit above renames the original title key; drop it again.
    path = root / "quotas" / "workstations.yaml"
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith("old_title: ")
    ]
    path.write_text("".join(lines), encoding="utf-8")


def build(target: Path) -> dict[str, Path]:
    target.mkdir(parents=True, exist_ok=True)
    folders = {}

    inert = target / "inert"
    shutil.copytree(DATA, inert)
    for name, old, new in INERT_EDITS:
        _edit(inert, name, old, new)
    _fix_old_title(inert)
    _task_names(inert, TASK_NAMES)
    with open(inert / "unrelated-backup.bin", "wb") as handle:  # sparse: no disk, no time
        handle.truncate(2 * 1024**3)
    folders["inert"] = inert

    control = target / "control"
    shutil.copytree(DATA, control)
    _task_names(control, [CONTROL_TEXTS["name"]])
    _edit(control, "quotas/lessons.yaml", "title: 万节优质课堂教学资源\n", f"title: {q(CONTROL_TEXTS['title'])}\n")
    _edit(control, "plans/13-lessons.yaml", "    source: 附件13 四 1\n", f"    source: {q(CONTROL_TEXTS['source'])}\n")
    _edit(control, "regions.yaml", "short: [攸]", f"short: [{q(CONTROL_TEXTS['short'])}]")
    _edit(
        control,
        "units.yaml",
        "aliases: [装备所, 市教育装备所]",
        f"aliases: [装备所, {q('装备所' + chr(0x1B) + '[5m')}]",
    )
    folders["control"] = control

    files = target / "files"
    shutil.copytree(DATA, files)
    plan = (files / "plans" / "13-lessons.yaml").read_text(encoding="utf-8")
    if os.name == "posix":
        (files / "plans" / "evil\n::error file=forged.yaml,line=1::伪造的错误.yaml").write_text(plan, encoding="utf-8")
    (files / "plans" / "x,line=1,title=t::error file=evil.yaml").write_text(plan, encoding="utf-8")
    _edit(files, "programme.yaml", "source_text: source.txt", "source_text: ../../../../../../../etc/passwd")
    folders["files"] = files
    return folders


if __name__ == "__main__":
    for name, path in build(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-drafts")).items():
        print(name, path)
