"""Usage errors in Chinese.

Typer (click) words its own usage errors in English: an unknown option, a missing value, a
value of the wrong type. Our users read Chinese, so ``main`` runs the app in non-standalone
mode and renders those errors itself, translating the messages click is known to produce
and keeping anything else as it is.
"""

from __future__ import annotations

import re

_QUOTED = re.compile(r"'([^']*)'")


def _names(text: str) -> str:
    return "、".join(_QUOTED.findall(text)) or text


def _value_problem(text: str) -> str:
    text = text.removeprefix("Value error, ").strip()
    if m := re.fullmatch(r"'(.*)' is not one of (.*?)\.?", text):
        return f"“{m[1]}”不是可选的值，可选：{_names(m[2])}"
    if text.startswith("Input should be a valid integer"):
        return "应为整数"
    if m := re.fullmatch(r"(?:file|path|directory) '(.+?)' does not exist\.?", text, re.I):
        return f"找不到 {m[1]}"
    if m := re.fullmatch(r"'?(.*?)'?: No such file or directory", text):
        return f"找不到 {m[1]}"
    if m := re.fullmatch(r"(?:dir|directory) '(.+?)' is a file\.?", text):
        return f"{m[1]} 是一个文件，这里需要的是目录"
    if m := re.fullmatch(r"(?:file|path) '(.+?)' is a directory\.?", text):
        return f"{m[1]} 是一个目录，这里需要的是文件"
    return text


def translate(message: str) -> str:
    message = message.strip()
    if m := re.fullmatch(r"No such option: (\S+?)(?:\s+Did you mean (\S+?)\?)?\.?", message):
        return f"没有选项 {m[1]}" + (f"；您是不是要找：{m[2]}？" if m[2] else "")
    if m := re.fullmatch(r"No such option: (\S+?)\s+\(Possible options: (.+)\)\.?", message):
        return f"没有选项 {m[1]}；可能是：{m[2].replace(', ', '、')}"
    if m := re.fullmatch(r"No such command '(.+?)'\.?(?:\s+Did you mean '(.+?)'\?)?", message):
        return f"没有命令“{m[1]}”" + (f"；您是不是要找：{m[2]}？" if m[2] else "")
    if m := re.fullmatch(r"Missing (option|argument|parameter) '?(.+?)'?\.", message):
        kind = {"option": "选项", "argument": "参数"}.get(m[1], "参数")
        return f"缺少必填的{kind} {m[2].replace(chr(39), '')}"
    if m := re.fullmatch(r"Invalid value for '(.+?)'(?: / '(.+?)')?(?: \(env var: '.*?'\))?: (.*)", message, re.S):
        kind = "选项" if m[1].startswith("-") else "参数"
        return f"{kind} {m[1]} 的值无效：{_value_problem(m[3])}"
    if m := re.fullmatch(r"Option '(.+?)' requires an argument\.?", message):
        return f"选项 {m[1]} 后面需要一个值"
    if m := re.fullmatch(r"Got unexpected extra argument(?:\(s\)|s)? \((.+)\)", message):
        return f"多余的参数：{m[1]}"
    return message
