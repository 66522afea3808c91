"""`shiwanqian review`: what draft proposed, decided one by one and written into the data."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from conftest import DATA, errors, findings

SOURCE_LINES = (DATA / "source.txt").read_text(encoding="utf-8").split("\n")


@pytest.fixture
def folder(drafted: Path, tmp_path: Path) -> Path:
    """A copy of the drafted shipped document, to decide on."""
    out = tmp_path / "草稿"
    shutil.copytree(drafted, out)
    return out


def _proposals(folder: Path) -> dict[str, tuple[Path, dict]]:
    """Every target of the folder that carries a proposal id: id → (file, target)."""
    found = {}
    for path in sorted((folder / "quotas").glob("*.yaml")):
        for target in yaml.safe_load(path.read_text(encoding="utf-8")).get("targets", []):
            if target.get("proposal"):
                found[target["proposal"]] = (path, target)
    return found


def _listed(cli, folder: Path) -> list[dict]:
    result = cli("review", str(folder), "--list", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_list_names_every_proposal_with_its_line_and_quote(folder, cli):
    result = cli("review", str(folder), "--list")
    assert result.exit_code == 1  # something is left
    proposals = {pid: t for pid, (_, t) in _proposals(folder).items() if t["review"] == "proposed"}
    assert len(proposals) >= 70
    for pid, target in proposals.items():
        line = int(pid[1:].split("-")[0])
        assert target["text"] in SOURCE_LINES[line - 1], pid  # the id names the line of the quote
        assert f"建议 {pid} · 第 {line} 行（{target['source']}）" in result.output
        assert f"  原文：“{target['text']}”" in result.output
        assert f"  理由：{target['reason']}" in result.output
    listed = _listed(cli, folder)
    assert [i["id"] for i in listed if i["kind"] == "proposal"] == sorted(
        proposals, key=lambda p: tuple(int(n) for n in p[1:].split("-"))
    )
    assert all(i["kind"] == "item" and i["id"].startswith("R") for i in listed if i["kind"] != "proposal")
    assert result.output.rstrip().endswith(f"尚余 {len(proposals)} 条建议、{len(listed) - len(proposals)} 项待核。")


def test_the_shipped_data_has_nothing_left(cli):
    result = cli("review", str(DATA), "--list")
    assert result.exit_code == 0 and "没有待核的建议或事项了" in result.output


def test_decisions_are_written_in_place_and_recorded(folder, cli):
    before = {p: p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file()}
    proposals = _proposals(folder)
    result = cli(
        "review", str(folder), "--accept", "P651-1", "--set", "P651-2:scope=各区域", "--set", "P651-2:year=2017",
        "--drop", "P651-3", "--done", "R257-1", "--by", "张三", "--date", "2026-12-04",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "已接受 1 条；已修改 1 条；已删除 1 条；已处理 1 项。" in result.output
    path = proposals["P651-1"][0]
    after = path.read_text(encoding="utf-8")
    old_lines, new_lines = before[path].split("\n"), after.split("\n")
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert len(changed) == 3  # one line per decision; every other line (comments too) as it was
    accepted, modified, dropped = (b for _, b in changed)
    assert accepted.endswith("review: accepted, proposal: P651-1, reason: 没有写明范围或年份；没有写明范围，暂拟为“全市”, "
                             "reviewed: {by: 张三, date: 2026-12-04}}")  # fmt: skip
    assert "scope: 各区域, year: 2017," in modified and "review: changed" in modified
    assert "reviewed: {by: 张三, date: 2026-12-04, was: {scope: 全市, year: null}}" in modified
    assert (
        dropped
        == "# 已删除的建议 P651-3（张三，2026-12-04）：“配置教育名著类、理论视野类、教改实践类和自选图书不少于500册”"
    )
    # Nothing else changed but 待核.md, where the four entries are ticked.
    assert {p for p in before if p.read_text(encoding="utf-8") != before[p]} == {path, folder / "待核.md"}
    review = (folder / "待核.md").read_text(encoding="utf-8")
    assert "- [x] P651-1 第 651 行" in review and "（已接受：张三，2026-12-04）" in review
    assert "（已修改为 30平方米以上，各区域，2017年：张三，2026-12-04）" in review
    assert "- [x] P651-3 " in review and "- [x] 第 257 行（附件2 四 2）" in review
    assert errors(folder) == []
    # The ids of the others still name them: P651-4, below the dropped one, is found and accepted.
    assert cli("review", str(folder), "--accept", "P651-4", "--by", "李四").exit_code == 0
    assert (
        next(t for t in yaml.safe_load(path.read_text(encoding="utf-8"))["targets"] if t.get("proposal") == "P651-4")[
            "review"
        ]
        == "accepted"
    )
    listed = {i["id"] for i in _listed(cli, folder)}
    assert not {"P651-1", "P651-2", "P651-3", "P651-4", "R257-1"} & listed and "P651-5" in listed


def test_a_batch_with_a_mistake_writes_nothing_and_says_every_mistake(folder, cli):
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    result = cli(
        "review", str(folder), "--accept", "P651-1", "--set", "P651-2:scope=火星", "--set", "P651-3:year=abc",
        "--drop", "P999-1", "--set", "P651-4:colour=red", "--done", "P651-5", "--accept", "P651-6", "--drop", "P651-6",
    )  # fmt: skip
    assert result.exit_code == 1
    for expected in ("火星", "year=abc", "P999-1", "colour", "P651-5", "P651-6"):
        assert expected in result.output, expected
    assert "什么也没有写入" in result.output
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    # and a decided proposal cannot be decided again
    assert cli("review", str(folder), "--accept", "P651-1", "--by", "x").exit_code == 0
    again = cli("review", str(folder), "--drop", "P651-1", "--by", "x")
    assert again.exit_code == 1 and "P651-1" in again.output


def test_the_terminal_walk_writes_each_decision_before_the_next(folder, cli):
    first = [i["id"] for i in _listed(cli, folder)][:5]
    # accept, change (scope; the rest kept), drop, an unknown answer then skip, quit
    result = cli(
        "review", str(folder), "--by", "王五", "--date", "2026-12-05", input="a\nc\n各区域\n\n\n\n\nd\nx\ns\nq\n"
    )
    assert result.exit_code == 0, result.output
    assert "[1/" in result.output and f"建议 {first[0]}" in result.output and "请输入提示中的一个字母" in result.output
    proposals = _proposals(folder)
    assert proposals[first[0]][1]["review"] == "accepted"
    assert proposals[first[1]][1]["review"] == "changed" and proposals[first[1]][1]["scope"] == "各区域"
    assert first[2] not in proposals and proposals[first[3]][1]["review"] == "proposed"
    assert proposals[first[1]][1]["reviewed"] == {"by": "王五", "date": __import__("datetime").date(2026, 12, 5),
                                                   "was": {"scope": "全市"}}  # fmt: skip
    # the end of the input ends the walk; what was decided stays written
    ended = cli("review", str(folder), "--by", "王五", input="s\n")
    assert ended.exit_code == 0 and "输入结束" in ended.output
    assert _proposals(folder)[first[0]][1]["review"] == "accepted"


def test_a_rejected_answer_in_the_walk_is_asked_again(folder, cli):
    first = _listed(cli, folder)[0]["id"]
    result = cli("review", str(folder), "--by", "王五", input="c\n火星\n\n\n\n\nq\n")
    assert "未写入" in result.output and "火星" in result.output
    assert _proposals(folder)[first][1]["review"] == "proposed"


BAD_VALUES = [
    # (answers to scope, year, value, qualifier, unit of P16-1 (100%，市直属，2016年), what the refusal says)
    ("-\n\n\n\n\n", "范围（scope）不能去掉"),
    ("\n\n99999999999999999999999\n\n\n", "数值（value）：数量大得不合理"),
    ("\n\n101\n\n\n", "百分比必须在 0 到 100 之间：101"),
    ("\n2099\n\n\n\n", "年份 2099 不在计划期 2016–2020 内"),
    ("\n\n\n很多\n\n", "限定词“很多”不在词表中"),
]


@pytest.mark.parametrize(("answers", "refusal"), BAD_VALUES)
def test_a_bad_value_in_the_walk_is_refused_in_words_and_nothing_is_written(folder, cli, answers, refusal):
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    result = cli("review", str(folder), "--by", "王五", input=f"c\n{answers}q\n")
    assert result.exit_code == 0
    refused = next(line for line in result.output.splitlines() if line.startswith("未写入："))
    assert refusal in refused and "（未写入）" not in refused
    # no words of pydantic's (Field required, Input should be …) or of Python (None, functools)
    assert not any(word in refused for word in ("Field", "Input", "None", "functools", "/"))
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    batch = answers.split("\n")
    name, value = next((n, v) for n, v in zip(("scope", "year", "value", "qualifier", "unit"), batch) if v)
    rejected = cli("review", str(folder), "--set", f"P16-1:{name}={value}", "--by", "王五")
    assert rejected.exit_code == 1 and refusal in rejected.output and "什么也没有写入" in rejected.output
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_odd_input_in_the_walk_ends_or_asks_again_and_never_writes_control_characters(folder, cli):
    # an Esc sequence typed by mistake is refused and asked again; the walk goes on
    result = cli("review", str(folder), "--by", "王五", input="c\n\n\n\n\n\x1b[31m\n件\nq\n")
    assert result.exit_code == 0, result.output
    assert "单位（unit）含有控制字符 U+001B（ESC）" in result.output and "\x1b" not in result.output
    assert _proposals(folder)["P16-1"][1] | {"review": "changed"} == _proposals(folder)["P16-1"][1]
    assert _proposals(folder)["P16-1"][1]["unit"] == "件"
    # piped answers are written after their prompts, so the transcript reads as typed
    assert "单位 [%]（回车不改，- 去掉）：件\n" in result.output
    # the end of input in the middle of a change: said, nothing of it written, no traceback
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    ended = cli("review", str(folder), "--by", "王五", input="c\n各区域\n")
    assert ended.exit_code == 0 and "输入结束；P16-2 的修改没有写入" in ended.output
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    for option in ("--by", "--note"):
        refused = cli("review", str(folder), "--accept", "P16-2", option, "张\x07三")
        assert refused.exit_code == 2 and f"{option} 的文字含有控制字符 U+0007" in refused.output
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_a_review_file_saved_in_another_encoding_is_a_located_error(folder, cli):
    path = folder / "待核.md"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("utf-8") + "- [ ] 手工加的一条\n".encode("gbk"))
    line = text.count("\n") + 1
    for args in (["--list"], ["--accept", "P16-1", "--by", "x"], []):
        result = cli("review", str(folder), *args, input="a\n")
        assert result.exit_code == 1, result.output
        assert f"待核.md:{line}:7: 不是 UTF-8 编码的文字" in result.output and "内部错误" not in result.output
    assert _proposals(folder)["P16-1"][1]["review"] == "proposed"


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_the_walk_in_a_real_terminal(folder):
    """The installed command in a pseudo-terminal, typed at as a person would."""
    import pty
    import select
    import subprocess

    first = json.loads(
        subprocess.run(
            [sys.executable, "-m", "shiwanqian", "review", str(folder), "--list", "--format", "json"],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    )[0]["id"]
    leader, follower = pty.openpty()
    env = {**os.environ, "SHIWANQIAN_REVIEWER": "终端用户", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "shiwanqian", "review", str(folder)], stdin=follower, stdout=follower, stderr=follower,
        env=env,
    )  # fmt: skip
    os.close(follower)
    shown = b""

    def read_until(marker: bytes) -> None:
        nonlocal shown
        while marker not in shown:
            ready, _, _ = select.select([leader], [], [], 60)
            assert ready, shown.decode("utf-8", "replace")
            shown += os.read(leader, 4096)

    read_until("退出 q [s]：".encode())
    os.write(leader, b"a\n")
    read_until("（已写入）".encode())
    read_until("退出 q [s]：".encode())
    os.write(leader, b"q\n")
    assert process.wait(timeout=60) == 0
    os.close(leader)
    target = _proposals(folder)[first][1]
    assert target["review"] == "accepted" and target["reviewed"]["by"] == "终端用户"


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize(
    "keys",
    [[b"\x03"], [b"c\n", b"\x03"], [b"\x04"], [b"c\n", b"\x04"]],
    ids=["ctrl-c", "ctrl-c-in-a-change", "ctrl-d", "ctrl-d-in-a-change"],
)
def test_ctrl_c_and_ctrl_d_in_a_real_terminal_end_the_walk_without_a_traceback(folder, keys):
    import fcntl
    import pty
    import select
    import subprocess
    import termios

    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    leader, follower = pty.openpty()
    env = {**os.environ, "SHIWANQIAN_REVIEWER": "终端用户", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "shiwanqian", "review", str(folder)], stdin=follower, stdout=follower, stderr=follower,
        env=env, start_new_session=True, preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
    )  # fmt: skip  # the terminal is the command's own, so Ctrl-C is SIGINT as in a person's shell
    os.close(follower)
    shown = b""

    def read(until: bytes | None) -> None:
        """What the command shows, up to ``until`` (None: until it has closed the terminal)."""
        nonlocal shown
        while until is None or until not in shown:
            ready, _, _ = select.select([leader], [], [], 60)
            assert ready, shown.decode("utf-8", "replace")
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # Linux: the other end is closed
                chunk = b""
            if not chunk:
                assert until is None, shown.decode("utf-8", "replace")
                return
            shown += chunk

    read("退出 q [s]：".encode())
    for key in keys[:-1]:  # "c": the first field of the change is asked
        os.write(leader, key)
        read("去掉）：".encode())
    os.write(leader, keys[-1])
    status = process.wait(timeout=60)
    read(None)
    os.close(leader)
    text = shown.decode("utf-8", "replace")
    assert "Traceback" not in text
    if keys[-1] == b"\x03":
        assert status == 130 and "已中断" in text
    else:
        assert status == 0 and "输入结束" in text
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_check_reports_each_proposal_and_fails_strict_and_in_ci_until_none_is_left(folder, cli):
    proposals = [pid for pid, (_, t) in _proposals(folder).items() if t["review"] == "proposed"]
    plain = cli("check", "--data", str(folder))
    assert plain.exit_code == 0
    located = [line for line in plain.output.split("\n") if "警告[proposed-target]" in line]
    assert len(located) == len(proposals)
    assert all(line.split(":")[1].isdigit() and "shiwanqian review" in line for line in located)
    assert cli("check", "--data", str(folder), "--strict").exit_code == 1
    assert cli("check", "--data", str(folder), "--quiet", env={"CI": "true"}).exit_code == 1
    github = cli("check", "--data", str(folder), "--format", "github")
    assert github.exit_code == 1 and github.output.count("::error ") == len(proposals)
    # Every proposal decided (here: accepted as proposed): CI passes; --strict still sees the two
    # recorded contradictions of the document, which are warnings.
    args = [a for pid in proposals for a in ("--accept", pid)]
    assert cli("review", str(folder), *args, "--by", "张三").exit_code == 0
    assert cli("check", "--data", str(folder), "--quiet", env={"CI": "true"}).exit_code == 0
    assert [f for f in findings(folder) if f.code == "proposed-target"] == []


def test_queries_and_exports_mark_every_proposed_value(folder, cli, tmp_path):
    import openpyxl

    proposals = {pid for pid, (_, t) in _proposals(folder).items() if t["review"] == "proposed"}
    regions = [r["name"] for r in yaml.safe_load((folder / "regions.yaml").read_text(encoding="utf-8"))["regions"]]
    shown = set()
    for region in regions:
        records = json.loads(cli("quota", "-d", region, "--format", "json", "--data", str(folder)).output)
        marked = [r for r in records if r["review"] == "proposed"]
        table = cli("quota", "-d", region, "--data", str(folder)).output
        markdown = cli("quota", "-d", region, "--format", "markdown", "--data", str(folder)).output
        csv = cli("quota", "-d", region, "--format", "csv", "--data", str(folder)).output
        assert table.count("（待核）") == len(marked) == markdown.count("（待核）")
        assert csv.split("\n")[0].endswith(",review") and csv.count(",proposed") == len(marked)
        shown |= {(r["quota"], r["name"], r["source"]) for r in marked}
    assert shown  # proposals for 各区域, 每县市区 … fall on regions and are shown marked
    out = tmp_path / "工作簿.xlsx"
    assert cli("export", "xlsx", "--out", str(out), "--data", str(folder)).exit_code == 0
    sheet = next(ws for ws in openpyxl.load_workbook(out).worksheets if ws.cell(1, 10).value == "核定")
    marks = [str(row[9].value or "") for row in sheet.iter_rows(min_row=2) if row[0].value]
    assert sum(m.startswith("待核（P") for m in marks) == len(proposals)
    # The shipped data proposes nothing: its workbook has no such column.
    plain = tmp_path / "随附.xlsx"
    assert cli("export", "xlsx", "--out", str(plain), "--data", str(DATA)).exit_code == 0
    assert not any(ws.cell(1, 10).value == "核定" for ws in openpyxl.load_workbook(plain).worksheets)


def test_the_command_reference_names_every_key_of_the_list(folder, cli):
    import re

    from conftest import REPO

    page = (REPO / "docs" / "commands.md").read_text(encoding="utf-8").split("## `shiwanqian review`")[1]
    paragraph = page.split("`--list --format json` 的每条记录：")[1].split("\n\n")[0]
    keys = {key for item in _listed(cli, folder) for key in item}
    assert keys and keys == set(re.findall(r"`([a-z_]+)`", paragraph)) - {"proposal", "item"}  # kind's values


def test_a_proposal_must_say_what_it_is_and_ids_are_unique(data_copy):
    from conftest import edit

    path = data_copy / "quotas" / "academy.yaml"
    line = edit(path, "source: 附件8 三 2}", "source: 附件8 三 2, review: proposed, proposal: P651-1}")  # no reason
    assert ("schema", "academy.yaml", line) in errors(data_copy)
    edit(path, "proposal: P651-1}", "proposal: P651-1, reason: 没有写明范围}")
    assert errors(data_copy) == []
    warned = [f for f in findings(data_copy) if f.code == "proposed-target"]
    assert [(Path(f.file).name, f.line, f.severity) for f in warned] == [("academy.yaml", line, "warning")]
    assert "P651-1" in warned[0].message and "没有写明范围" in warned[0].message
    # the same id twice is an error where the second one is; accepted without reviewed is one too
    second = edit(path, "source: 附件8 三 2}", "source: 附件8 三 2, review: proposed, proposal: P651-1, reason: x}")
    assert ("duplicate-proposal", "academy.yaml", second) in errors(data_copy)
    edit(path, "review: proposed, proposal: P651-1, reason: x}", "review: accepted, proposal: P651-9, reason: x}")
    assert ("schema", "academy.yaml", second) in errors(data_copy)
