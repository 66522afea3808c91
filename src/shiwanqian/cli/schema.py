"""`shiwanqian schema --out DIR`: JSON Schema of every kind of data file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

HELP = """从数据模型生成各类数据文件的 JSON Schema（programme、regions、units、disagreements、plan、quota，以及进度填报 progress），供编辑器补全、校验，也可用 check-jsonschema 校验数据。文件以临时文件写入后改名，不会留下半个文件。

示例：shiwanqian schema --out data/schemas
"""


def command(
    out: Annotated[Path, typer.Option("--out", "-o", file_okay=False, help="输出目录，如 data/schemas。")],
) -> None:
    from ..load.schemas import schemas
    from .common import write_outputs

    # All or none: a full disk never leaves half a set of schemas.
    write_outputs({out / name: text for name, text in schemas().items()}, new_folder=out)
