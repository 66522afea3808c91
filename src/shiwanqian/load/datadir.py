"""Where the data lives: ``--data``, ``SHIWANQIAN_DATA`` or the data shipped with the package.

Kept free of heavy imports: every command resolves the data folder before anything else.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "SHIWANQIAN_DATA"


class DataFolderError(Exception):
    """The data folder itself is unusable (missing, not a folder): a usage error."""


def default_data_dir() -> Path:
    """The data shipped with the package, or the repository's ``data/`` in a checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "data", package.parents[1] / "data"):
        if (candidate / "programme.yaml").is_file():
            return candidate
    return package / "data"


def resolve_data_dir(option: Path | None) -> Path:
    """``--data``, else ``SHIWANQIAN_DATA``, else ``./data`` when the current folder holds a
    data set (a checkout, or a repository that keeps its own plan data), else the shipped data.
    """
    path = option or (Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else None)
    if path is None and (Path("data") / "programme.yaml").is_file():
        path = Path("data")
    path = path or default_data_dir()
    if not path.exists():
        raise DataFolderError(f"数据目录不存在：{path}")
    if not path.is_dir():
        raise DataFolderError(f"数据目录不是文件夹：{path}")
    return path
