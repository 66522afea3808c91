"""Every file the tool writes is written atomically: a temporary file, then a rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``data`` so that ``path`` is either its old self or the complete new file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give the result the mode a plain write
        # would have: the old file's, or the default under the user's umask.
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_tree(folder: Path, files: dict[str, str | bytes], *, replace: bool = False) -> None:
    """Write a whole folder at once: every file (relative path → content) or none of them.

    The files are written (each through ``write_atomically``) into a hidden folder beside
    ``folder``, which is then renamed into place. An existing ``folder`` must be empty unless
    ``replace`` is true; then it is replaced whole, and kept if anything fails.
    """
    import shutil

    folder = Path(folder)
    parent = folder.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{folder} 已存在，且不是文件夹")
    if folder.is_dir() and any(folder.iterdir()) and not replace:
        raise FileExistsError(f"{folder} 已存在且不是空文件夹")
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}.", suffix=".new"))
    old: Path | None = None
    try:
        for relative, data in files.items():
            target = staging / relative
            if target.resolve().parent != staging.resolve() and staging.resolve() not in target.resolve().parents:
                raise ValueError(f"文件路径越出目标文件夹：{relative}")
            write_atomically(target, data)
        os.chmod(staging, 0o777 & ~_umask())
        if folder.is_dir():
            old = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}.", suffix=".old"))
            old.rmdir()
            os.replace(folder, old)
        os.replace(staging, folder)
    except BaseException:
        if old is not None and not folder.exists():
            os.replace(old, folder)
            old = None
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
