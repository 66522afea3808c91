"""Reading an Excel workbook (.xlsx) into plain cell values.

The one place a workbook file is opened for input. What the cells mean (the fill-in
template's contract) is decided above, in ``domain.progress.workbook``; here a workbook is
only a mapping of sheet names to rows of values. openpyxl is imported only when a workbook
is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

Rows = list[tuple[Any, ...]]  # row 1 first; each row the values of its first ``width`` cells


def read_sheets(path: Path, width: int) -> tuple[dict[str, Rows], str | None]:
    """Every worksheet of ``path`` as rows of cell values (formulas read as their cached
    results), or ``({}, reason)`` when the file cannot be read as a workbook; ``reason`` is
    in Chinese, for users."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, data_only=True)
    except FileNotFoundError:
        return {}, "文件不存在"
    except (InvalidFileException, OSError, KeyError, ValueError) as error:  # not an xlsx, damaged
        return {}, f"无法作为 Excel 工作簿（.xlsx）打开：{type(error).__name__}"
    sheets = {}
    for ws in wb.worksheets:
        sheets[ws.title] = [tuple(row) for row in ws.iter_rows(min_row=1, max_col=width, values_only=True)]
    return sheets, None
