"""A data folder as a git revision holds it (``diff --git REV``): its files read with git
itself (``git archive``), in memory; the caller writes them where it needs them."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from pathlib import Path

MAX_BYTES = 200_000_000  # a data folder with its document, not a repository's history


class GitError(Exception):
    """The revision cannot be read (no git, not a repository, unknown revision): a usage error."""


def _git(folder: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, check=False, env={**os.environ, "LC_ALL": "C"}
        )
    except FileNotFoundError:
        raise GitError("找不到 git 命令：--git 需要安装 git") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} 失败")
    return result.stdout


def files_at(folder: Path, revision: str) -> tuple[dict[str, bytes], str]:
    """Every regular file under ``folder`` as of ``revision`` (path relative to the folder →
    bytes), and the folder's path in the repository (``data``; ``.`` for its top)."""
    if revision.startswith("-"):
        raise GitError(f"版本名不能以 - 开头：{revision}")
    folder = folder.resolve()
    try:
        top = Path(_git(folder, "rev-parse", "--show-toplevel").decode("utf-8").strip()).resolve()
    except GitError:
        raise GitError(f"{folder} 不在 git 仓库中（--git 比较的是数据目录在 git 中的某个版本）") from None
    inside = folder.relative_to(top).as_posix()
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except GitError:
        raise GitError(f"git 仓库中没有版本“{revision}”") from None
    spec = f"{revision}:{inside}" if inside != "." else f"{revision}:"
    try:
        raw = _git(top, "archive", "--format=tar", spec)
    except GitError:
        raise GitError(f"版本“{revision}”中没有目录 {inside}") from None
    if len(raw) > MAX_BYTES:
        raise GitError(f"版本“{revision}”中的 {inside} 过大（{len(raw)} 字节）")
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(raw)) as archive:
        for member in archive.getmembers():
            name = member.name
            if not member.isreg() or name.startswith("/") or ".." in Path(name).parts:
                continue
            handle = archive.extractfile(member)
            if handle is not None:
                files[name] = handle.read()
    return files, inside
