"""`shiwanqian review DIR`: walk what draft proposed and what 待核.md lists, one decision at a time."""

from __future__ import annotations

import datetime
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .. import safetext
from ..findings import ExitStatus
from .common import fail

if TYPE_CHECKING:
    from ..domain.review.decide import Decision
    from ..domain.review.items import Item
    from ..domain.review.session import Review
    from ..load.loader import Catalog

HELP = """逐条核定 draft 提出的建议（数据中标为 review: proposed 的指标：原文没有写明其范围、年份或数值）与 待核.md 列出的事项。

在终端中逐条显示（编号、行号、原文、建议与理由），每条可以接受、修改（范围、年份、数值、限定词、单位）、删除或跳过；待核事项可以标为已处理。每个决定立即写入数据：在建议所在的 YAML 文件原处修改（注释与排版不变），写明谁、哪天核定（review: accepted / changed 与 reviewed），删除的建议留一行注释；待核.md 中对应的条目打勾。

--list 只列出尚余的建议与待核事项（退出码：0 全部核定，1 尚有未核定的）。批量核定不必进入交互：--accept 编号、--drop 编号、--set 编号:字段=值（可重复；同一编号的几个 --set 合为一次修改）、--done 编号；任何一条有误则什么也不写。

示例：shiwanqian review 草稿；shiwanqian review 草稿 --list；shiwanqian review 草稿 --accept P651-1 --set P651-2:scope=各区域 --drop P69-1 --by 张三
"""


class ListFormat(str, Enum):
    text = "text"
    json = "json"


def command(
    folder: Annotated[
        Path | None,
        typer.Argument(
            metavar="DIR", file_okay=False, show_default=False, help="数据目录（默认同 --data：当前目录下的 data/）。"
        ),
    ] = None,
    list_only: Annotated[bool, typer.Option("--list", help="只列出尚余的建议与待核事项，不作决定。")] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="--list 的格式：text 或 json。")] = ListFormat.text,
    accept: Annotated[
        list[str] | None, typer.Option("--accept", metavar="编号", help="原样接受这条建议（可重复）。")
    ] = None,
    drop: Annotated[list[str] | None, typer.Option("--drop", metavar="编号", help="删除这条建议（可重复）。")] = None,
    change: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="编号:字段=值",
            help="修改建议的一个字段（scope、year、value、qualifier、unit、name、min、max、items……；值为空或 - 则去掉该字段），可重复。",
        ),
    ] = None,
    done: Annotated[
        list[str] | None, typer.Option("--done", metavar="编号", help="把这项待核事项标为已处理（可重复）。")
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            envvar="SHIWANQIAN_REVIEWER",
            show_envvar=True,
            help="核定人（写入 reviewed.by）。默认：当前系统用户名。",
            show_default=False,
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--date", metavar="日期", help="核定日期（如 2026-12-04）。默认：今天。", show_default=False),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", help="核定说明（写入 reviewed.note，或删除时留下的注释）。", show_default=False),
    ] = None,
) -> None:
    from ..domain.review.decide import DecisionError
    from ..domain.review.session import Review
    from ..output.review import listing, listing_json

    root, catalog = _load(folder)
    review = Review.of(root, catalog)
    proposals, items = review.left(catalog)
    if list_only:
        if accept or drop or change or done:
            fail("--list 只列出，不能与 --accept、--drop、--set、--done 同时使用")
        sys.stdout.write(listing_json(proposals, items) if fmt is ListFormat.json else listing(proposals, items))
        raise typer.Exit(int(ExitStatus.FINDINGS if proposals or items else ExitStatus.OK))
    reviewer, day = _reviewer(by), _day(on)
    _plain("--note", note)
    if accept or drop or change or done:
        decisions, problems = _decisions(accept or [], drop or [], change or [], done or [], reviewer, day, note)
        try:
            _batch(review, decisions, problems)
        except DecisionError as error:
            fail(str(error), ExitStatus.FINDINGS)
    else:
        _walk(review, proposals, items, reviewer, day, note)
    _summary(root)


def _load(folder: Path | None) -> tuple[Path, Catalog]:
    from ..load.datadir import DataFolderError, resolve_data_dir
    from ..load.loader import load
    from ..output.render import console

    try:
        root = resolve_data_dir(folder)
    except DataFolderError as error:
        fail(str(error))
    catalog = load(root)
    errors = [p for p in catalog.problems if p.severity == "error"]
    if errors:
        err = console(stderr=True)
        for finding in errors:
            err.print(finding.render(), markup=False, highlight=False)
        fail(
            f"数据目录 {root} 有 {len(errors)} 个错误，请先修正（shiwanqian check 列出全部），再核定",
            ExitStatus.FINDINGS,
        )
    _readable_review_file(root)
    return root, catalog


def _readable_review_file(root: Path) -> None:
    """待核.md, which a person may have edited with any editor, is UTF-8 text (else where not)."""
    from ..domain.review.items import REVIEW_FILE

    path = root / REVIEW_FILE
    if not path.is_file():
        return
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, error.start) + 1 : error.start].decode("utf-8", "replace")) + 1
        fail(
            f"{safetext.one_line(path)}:{line}:{column}: 不是 UTF-8 编码的文字（请用 UTF-8 保存 {REVIEW_FILE}）",
            ExitStatus.FINDINGS,
        )


def _reviewer(by: str | None) -> str:
    import getpass

    if by and by.strip():
        _plain("--by", by)
        return by.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in this environment
        fail("请用 --by 写明核定人（或设置环境变量 SHIWANQIAN_REVIEWER）")


def _plain(option: str, text: str | None) -> None:
    """A reviewer's name or a note is written into the data: no control characters (check would
    refuse the file)."""
    from ..domain.review.decide import DecisionError, refuse_control

    try:
        refuse_control(f"{option} 的文字", text or "")
    except DecisionError as error:
        fail(str(error))


def _day(text: str | None) -> datetime.date:
    if text is None:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        fail(f"--date 应写作 2026-12-04 的形式，而不是 {text!r}")


def _decisions(
    accept: list[str],
    drop: list[str],
    change: list[str],
    done: list[str],
    by: str,
    day: datetime.date,
    note: str | None,
) -> tuple[list[Decision], list[str]]:
    """The batch's decisions, one per id (several --set of one id are one change), and what is
    wrong in the options."""
    from ..domain.review.decide import Decision, DecisionError, parse_field

    fields: dict[str, dict[str, object]] = {}
    problems: list[str] = []
    for text in change:
        item, _, assignment = text.partition(":")
        name, equals, value = assignment.partition("=")
        if not item.strip() or not equals:
            problems.append(f"--set {text}：应写作 编号:字段=值（如 P651-1:scope=各区域）")
            continue
        try:
            fields.setdefault(item.strip(), {})[name.strip()] = parse_field(name.strip(), value)
        except DecisionError as error:
            problems.append(f"--set {text}：{error}")
    chosen = [(i.strip(), "accept") for i in accept] + [(i.strip(), "drop") for i in drop]
    chosen += [(i, "change") for i in fields] + [(i.strip(), "done") for i in done]
    seen: dict[str, str] = {}
    for item, verdict in chosen:
        if item in seen:
            problems.append(f"{item}：同一次运行中给了两个决定（{seen[item]}、{verdict}）")
        seen[item] = verdict
    decisions = [Decision(item, verdict, by, day, fields.get(item, {}), note) for item, verdict in chosen]  # type: ignore[arg-type]
    return decisions, problems


def _batch(review: Review, decisions: list[Decision], problems: list[str]) -> None:
    """Every decision, or (if any cannot be made, or ``problems`` has the options') none: all
    written together at the end."""
    from ..domain.review.decide import VERDICT_WORDS, DecisionError
    from ..fileio import write_files
    from ..output.render import console

    files: dict[Path, str] = {}
    for decision in decisions:
        try:
            files.update(review.prepare(decision, files))
        except DecisionError as error:
            problems.append(str(error))
    if problems:
        raise DecisionError("\n".join(problems) + "\n（以上有误，什么也没有写入）")
    write_files(files)
    counts = {verdict: sum(d.verdict == verdict for d in decisions) for verdict in VERDICT_WORDS}
    console().print(
        "；".join(f"{VERDICT_WORDS[v]} {n} {'项' if v == 'done' else '条'}" for v, n in counts.items() if n) + "。",
        markup=False,
    )


def _ask(prompt: str) -> str | None:
    """One line typed by the person (None at the end of input). Answers piped in are not echoed
    by a terminal: they are written after their prompt, so the transcript reads as typed."""
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if line == "":
        return None
    if not sys.stdin.isatty():
        sys.stdout.write(safetext.one_line(line.strip()) + "\n")
    return line.strip()


# long: the terminal dialogue, one branch per answer, each writing its decision at once
def _walk(
    review: Review, proposals: list[Item], items: list[Item], by: str, day: datetime.date, note: str | None
) -> None:
    """Each proposal, then each 待核 item: shown, decided, written before the next is shown."""
    from ..domain.review.decide import VERDICT_WORDS, Decision, DecisionError
    from ..output.review import card

    queue = [*proposals, *items]
    if not queue:
        sys.stdout.write("没有待核的建议或事项了。\n")
        return
    sys.stdout.write(f"共 {len(proposals)} 条建议、{len(items)} 项待核；每个决定立即写入（q 退出，之后可继续）。\n")
    for number, item in enumerate(queue, start=1):
        sys.stdout.write("\n" + card(item, number, len(queue)) + "\n")
        while True:
            if item.kind == "proposal":
                answer = _ask("接受 a / 修改 c / 删除 d / 跳过 s / 退出 q [s]：")
            else:
                answer = _ask("已处理 y / 跳过 s / 退出 q [s]：")
            if answer is None:
                sys.stdout.write("\n输入结束；已作的决定都已写入。\n")
                return
            answer = answer.lower() or "s"
            if answer == "q":
                return
            if answer == "s":
                break
            verdicts = {"a": "accept", "d": "drop", "c": "change"} if item.kind == "proposal" else {"y": "done"}
            if answer not in verdicts:
                sys.stdout.write("请输入提示中的一个字母。\n")
                continue
            fields = _fields(item) if verdicts[answer] == "change" else {}
            if fields is None:
                sys.stdout.write(f"\n输入结束；{item.id} 的修改没有写入，此前的决定都已写入。\n")
                return
            try:
                review.decide(Decision(item.id, verdicts[answer], by, day, fields, note))  # type: ignore[arg-type]
            except DecisionError as error:
                sys.stdout.write(f"未写入：{str(error).removesuffix('（未写入）')}\n")
                continue
            sys.stdout.write(f"{VERDICT_WORDS[verdicts[answer]]}：{item.id}（已写入）\n")
            break


def _fields(item: Item) -> dict[str, object] | None:
    """The fields of a change, asked one by one (Enter keeps the proposal's value, - removes it)."""
    from ..domain.review.decide import FIELD_NAMES, DecisionError, parse_field

    fields: dict[str, object] = {}
    for name in ("scope", "year", "value", "qualifier", "unit"):
        current = item.target.get(name)
        shown = "无" if current is None else current
        while True:
            answer = _ask(f"  {FIELD_NAMES[name]} [{shown}]（回车不改，- 去掉）：")
            if answer is None:
                return None
            if not answer:
                break
            try:
                fields[name] = parse_field(name, answer)
                break
            except DecisionError as error:
                sys.stdout.write(f"  {error}\n")
    return fields


def _summary(root: Path) -> None:
    """What is left, and what ``check`` says now."""
    from ..domain.checks import check_folder
    from ..domain.checks.proposals import PROPOSED
    from ..domain.review.items import pending
    from ..output.render import console

    _, findings = check_folder(root)
    errors = sum(f.severity == "error" for f in findings)
    proposed = sum(f.code == PROPOSED for f in findings)
    left = len(pending(root))
    console().print(
        f"尚余 {proposed} 条建议、{left} 项待核；check：{errors} 个错误，{len(findings) - errors} 个警告"
        f"{'（shiwanqian check --data ' + str(root) + ' 列出）' if errors else ''}。",
        markup=False,
        highlight=False,
    )
