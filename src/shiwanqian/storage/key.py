"""What a snapshot is keyed on: the program's own files and exactly the files the loader reads
(``fingerprint``), and the digest of the original text."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from .. import __version__
from ..fileio import cache_folder

FORMAT = 6
PACKAGE = Path(__file__).resolve().parents[1]
LOADER_FILES = ("programme.yaml", "regions.yaml", "units.yaml", "disagreements.yaml")
LOADER_FOLDERS = ("plans", "quotas")
MAX_BYTES = 5_000_000  # = load.yamlpos.MAX_BYTES (not imported: that module imports PyYAML)


def cache_dir() -> Path | None:
    """The cache folder (None: run without a cache); kept for callers of 0.1.0."""
    return cache_folder()


def loader_files(root: Path) -> list[Path]:
    """The files the loader reads (the original text apart: its name is in programme.yaml)."""
    return [root / name for name, _ in _loader_files(str(root))]


def _loader_files(root: str) -> list[tuple[str, str]]:
    """(name relative to ``root`` with ``/``, path) of every file the loader reads, in order."""
    files = [(name, path) for name in LOADER_FILES if os.path.isfile(path := os.path.join(root, name))]
    for folder in LOADER_FOLDERS:
        try:
            with os.scandir(os.path.join(root, folder)) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError:
            continue
        files += [(f"{folder}/{e.name}", e.path) for e in entries if e.name.endswith((".yaml", ".yml")) and e.is_file()]
    return files


def file_digest(path: Path | str, digest: Any, limit: int) -> None:
    """Feed a file's bytes to ``digest``; past ``limit`` bytes (which the loader refuses to
    read anyway) only its size and time, so a huge stray file costs nothing."""
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        if info.st_size > limit:
            digest.update(f"large:{info.st_size}:{info.st_mtime_ns}".encode())
            return
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)


def program_files() -> list[tuple[tuple[str, ...], os.DirEntry]]:
    """The program's own ``*.py`` files under the package folder, as (path parts, entry), in
    the order of ``sorted(PACKAGE.rglob("*.py"))`` (by path parts). Walked with ``os.scandir``:
    every query runs this, and ``pathlib`` costs several times more per file."""
    found = []
    folders: list[tuple[str, tuple[str, ...]]] = [(str(PACKAGE), ())]
    while folders:
        folder, parts = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                here = (*parts, entry.name)
                if entry.name.endswith(".py") and entry.is_file():
                    found.append((here, entry))
                elif entry.is_dir():
                    folders.append((entry.path, here))
    found.sort(key=lambda item: item[0])
    return found


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256(f"{FORMAT}/{__version__}".encode())
    # The program: size and modification time of its own files (a change in a checkout
    # must not be answered from an old snapshot).
    program = []
    for parts, entry in program_files():
        stat = entry.stat()
        program.append(f"{os.sep.join(parts)}:{stat.st_size}:{stat.st_mtime_ns}")
    digest.update("".join(program).encode())
    # The data: the bytes of every file the loader reads, in a fixed order.
    for name, path in _loader_files(str(root)):
        digest.update(name.encode() + b"\0")
        try:
            file_digest(path, digest, MAX_BYTES)
        except OSError:
            digest.update(b"unreadable")
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def source_digest(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        file_digest(path, digest, 1 << 62)
    except OSError:
        return None
    return digest.hexdigest()
