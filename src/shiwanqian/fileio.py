"""Every file the tool writes goes through here: one writer, one cache folder.

``write_file(path, data)`` and ``write_files({path: data, …})`` write a temporary file next to
each target, flush it to disk and rename it over the target, so a target is always either its
old self or the complete new file; ``write_files`` is all-or-nothing across its files. Every
failure is a ``WriteError`` (an ``OSError``) whose text is a Chinese sentence the command line
prints as it is (exit 1). The writer

* refuses, rather than replaces, an existing target that is not a regular file (a symbolic
  link, a device such as ``/dev/null``, a named pipe, a folder) or that is read-only;
* names its temporary files ``.shiwanqian-XXXXXXXX.tmp`` whatever the target is called, so a
  long (e.g. 80-character Chinese) file name still leaves room for the temporary name;
* removes its temporary files when interrupted (Ctrl-C, SIGTERM, SIGHUP: the exception
  propagates, ``Interrupted`` for the signals) and prunes stale ones that a crash left behind.

``cache_folder()`` is the one place the caches live: the platform's cache folder (the XDG
rule on Linux, ``platformdirs`` elsewhere), or ``SHIWANQIAN_CACHE``; used only when it belongs
to the user and no one else can write to it.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".shiwanqian-"
TEMP_SUFFIX = ".tmp"
STALE_SECONDS = 3600  # a temporary file this old belongs to no running writer

# Why a write failed, in Chinese (the operating system's own text is English or the locale's).
REASONS = {
    errno.ENOENT: "目录不存在或无法创建",
    errno.ENOTDIR: "路径中有一部分不是目录",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "所在位置是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EISDIR: "这是一个目录",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EEXIST: "同名的文件挡住了要创建的目录",
    errno.EFBIG: "文件太大",
    errno.EIO: "输入输出错误（磁盘或网络故障）",
}


class WriteError(OSError):
    """A file could not be written; ``str(error)`` is the sentence to show the user."""

    def __init__(self, path: Path, reason: str, code: int = 0) -> None:
        super().__init__(code, reason)
        self.path, self.reason = Path(path), reason

    def __str__(self) -> str:
        return f"无法写入 {self.path}：{self.reason}。原有文件（如有）保持不变。"


class Interrupted(BaseException):
    """SIGTERM or SIGHUP arrived while the tool ran (Ctrl-C stays ``KeyboardInterrupt``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def status(self) -> int:
        return 128 + self.signum


def _reason(error: OSError) -> str:
    return REASONS.get(error.errno or 0) or error.strerror or str(error)


def raise_interrupted(signum: int, _frame: object) -> None:
    """A signal handler that turns SIGTERM/SIGHUP into ``Interrupted`` (so ``finally`` runs)."""
    raise Interrupted(signum)


def interrupt_signals() -> list[int]:
    return [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]


@contextmanager
def _interruptible() -> Iterator[None]:
    """While writing, SIGTERM/SIGHUP raise ``Interrupted`` instead of killing the process at once,
    so that the temporary files are removed. Handlers someone else installed are kept."""
    installed = []
    if threading.current_thread() is threading.main_thread():
        for signum in interrupt_signals():
            try:
                if signal.getsignal(signum) in (signal.SIG_DFL, None):
                    installed.append((signum, signal.signal(signum, raise_interrupted)))
            except (OSError, ValueError):  # pragma: no cover - platform without the signal
                pass
    try:
        yield
    finally:
        for signum, previous in installed:
            signal.signal(signum, previous)


def _check_target(path: Path) -> int | None:
    """Refuse what must not be replaced; the mode the new file gets (None: a new file)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise WriteError(path, REASONS[errno.ENOTDIR], errno.ENOTDIR) from None
    except OSError as error:
        raise WriteError(path, _reason(error), error.errno or 0) from None
    if stat.S_ISDIR(info.st_mode):
        raise WriteError(path, REASONS[errno.EISDIR], errno.EISDIR)
    if stat.S_ISLNK(info.st_mode):
        raise WriteError(path, "这是一个符号链接，为安全起见不会替换它；请写到别的文件名", errno.EEXIST)
    if not stat.S_ISREG(info.st_mode):
        raise WriteError(path, "这不是普通文件（设备、管道或套接字），不会替换它；请写到别的文件名", errno.EEXIST)
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise WriteError(path, "文件是只读的，不会替换它", errno.EACCES)
    return info.st_mode & 0o777


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise WriteError(path, REASONS[errno.EEXIST], errno.EEXIST) from None
    except OSError as error:
        raise WriteError(path, _reason(error), error.errno or 0) from None
    if not path.parent.is_dir():
        raise WriteError(path, REASONS[errno.ENOTDIR], errno.ENOTDIR)


def _temp(path: Path, data: bytes, mode: int | None, sync: bool = True) -> str:
    """A complete temporary copy of ``data`` beside ``path`` (on disk, with ``sync``); its name."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    except OSError as error:
        raise WriteError(path, _reason(error), error.errno or 0) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give the result the mode a plain write
        # would have: the old file's, or the default under the user's umask.
        os.chmod(tmp, _default_mode() if mode is None else mode)
    except BaseException as error:
        _unlink(tmp)
        if isinstance(error, OSError):
            raise WriteError(path, _reason(error), error.errno or 0) from None
        raise
    return tmp


def _unlink(name: str | Path) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _as_bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def write_file(path: Path | str, data: str | bytes, *, sync: bool = True) -> None:
    """Write ``data`` so that ``path`` is either its old self or the complete new file."""
    write_files({Path(path): data}, sync=sync)


def write_files(files: Mapping[Path, str | bytes] | Mapping[str, str | bytes], *, sync: bool = True) -> None:
    """Write several files all-or-nothing: either every target is new, or every one is as before.

    ``sync=False`` (the caches, which are checked whenever they are read) skips forcing the
    data to disk: the replacement is still all-or-nothing for every other reader, but a power
    cut may leave an empty or partial file, which the next reader rejects and rebuilds. Forcing
    each cache file to disk costs tens of milliseconds (more while other programs write)."""
    targets = {Path(p): _as_bytes(d) for p, d in files.items()}
    with _interruptible():
        modes = {}
        for path in targets:
            _make_parent(path)
            modes[path] = _check_target(path)
        temps: dict[Path, str] = {}
        done: list[tuple[Path, bytes | None]] = []  # replaced targets and their old content
        try:
            for path, data in targets.items():
                temps[path] = _temp(path, data, modes[path], sync)
            for path, tmp in temps.items():
                old = path.read_bytes() if modes[path] is not None and len(targets) > 1 else None
                try:
                    os.replace(tmp, path)
                except OSError as error:
                    raise WriteError(path, _reason(error), error.errno or 0) from None
                done.append((path, old))
        except BaseException:
            for tmp in temps.values():
                _unlink(tmp)
            for path, old in reversed(done if len(targets) > 1 else []):
                if old is None:
                    _unlink(path)
                else:
                    try:
                        os.replace(_temp(path, old, modes[path]), path)
                    except BaseException:
                        pass
            raise
    for folder in {p.parent for p in targets}:
        if sync:
            _sync_folder(folder)
        prune_stale(folder)


# Backwards-compatible name (0.1.0).
write_atomically = write_file


def prune_stale(folder: Path, age: float = STALE_SECONDS, *, any_tmp: bool = False) -> int:
    """Remove this tool's temporary files older than ``age`` seconds in ``folder``; how many.

    ``any_tmp`` (the cache folder, which is the tool's own) also removes the ``.NAME.XXXX.tmp``
    files that version 0.1.0 left behind."""
    removed = 0
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        name = entry.name
        ours = name.startswith(TEMP_PREFIX) or (any_tmp and name.startswith("."))
        if not (ours and name.endswith(TEMP_SUFFIX)):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > age and _owned(info):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            pass
    return removed


# ------------------------------------------------------------------ the cache folder

_warned: set[str] = set()


def _owned(info: os.stat_result) -> bool:
    return not hasattr(os, "geteuid") or info.st_uid == os.geteuid()


def _private(info: os.stat_result) -> bool:
    """Owned by this user and not writable by group or others (always true on Windows)."""
    if os.name != "posix":
        return True
    return _owned(info) and not info.st_mode & 0o022


def trusted_file(path: Path) -> bool:
    """A cache file that this user wrote: a regular file, theirs, writable by no one else."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and _private(info)


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        try:
            sys.stderr.write(f"提示：{message}\n")
        except (OSError, ValueError):
            pass


def _platform_cache_dir() -> Path | None:
    """``…/shiwanqian`` in the platform's cache folder. On Linux the XDG rule, read directly
    (``$XDG_CACHE_HOME`` when set to an absolute path, else ``~/.cache``): every query asks, and
    importing platformdirs costs about 2 ms of a 150 ms run. Elsewhere (macOS, Windows, Android)
    platformdirs knows the convention."""
    if sys.platform.startswith("linux") and not os.environ.get("ANDROID_DATA"):
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        if not os.path.isabs(base):  # unset, empty or relative: the spec says to ignore it
            base = os.path.expanduser("~/.cache")
        return Path(base) / "shiwanqian"
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("shiwanqian", appauthor=False))
    except Exception:
        return None


def cache_folder() -> Path | None:
    """The folder both caches (snapshots, allocations) use, or None: run without a cache.

    ``SHIWANQIAN_CACHE`` (then ``…/shiwanqian``), else the platform's conventional cache folder
    (``~/.cache/shiwanqian`` or ``$XDG_CACHE_HOME/shiwanqian`` on Linux, ``~/Library/Caches`` on
    macOS, ``%LOCALAPPDATA%`` on Windows). No home directory: no cache. A folder that belongs to
    someone else or that group or others can write to is not used (one line on stderr): a
    snapshot planted there would be believed.
    """
    override = os.environ.get("SHIWANQIAN_CACHE")
    if override:
        folder = Path(override) / "shiwanqian"
    else:
        if os.name == "posix" and not os.environ.get("HOME") and not os.environ.get("XDG_CACHE_HOME"):
            return None
        found = _platform_cache_dir()
        if found is None or not found.is_absolute():
            return None
        folder = found
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        return None  # read-only home and the like: run without a cache, quietly
    if not stat.S_ISDIR(info.st_mode):
        return None
    if not _private(info):
        _warn_once(f"缓存目录 {folder} 不属于当前用户或可被其他用户写入，本次不使用缓存。")
        return None
    return folder


def write_tree(folder: Path, files: Mapping[str, str | bytes], *, replace: bool = False) -> None:
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
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=TEMP_PREFIX, suffix=".new"))
    old: Path | None = None
    try:
        for relative, data in files.items():
            target = staging / relative
            if target.resolve().parent != staging.resolve() and staging.resolve() not in target.resolve().parents:
                raise ValueError(f"文件路径越出目标文件夹：{relative}")
            write_atomically(target, data)
        os.chmod(staging, 0o777 & ~_umask())
        if folder.is_dir():
            old = Path(tempfile.mkdtemp(dir=parent, prefix=TEMP_PREFIX, suffix=".old"))
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
