"""Chinese line breaking (kinsoku, 禁则) for text wrapped to a width of terminal cells.

Rich breaks text only at spaces: a run of Chinese without spaces is one long “word”, moved whole
to the next line or chopped anywhere, so a line may begin with a closing bracket (``）、…``).
``divide_line`` here is a drop-in for rich's: Chinese may break between any two characters,
except before closing punctuation (``）。，、``…) and after opening punctuation (``（“``…);
ASCII words still break only at spaces, and short names (file names) never. The help screens
(``cli.chinese_help``) and ``diff``'s list (``output.revision``) break lines with it; tables
keep rich's own breaking, which ``plaintable`` reproduces byte for byte.
"""

from __future__ import annotations

from unicodedata import east_asian_width

# Kinsoku (禁则): no line begins with the first set, none ends with the second.
NO_START = set("）〕］｝〉》」』】〗〙〛)]}、。，．；：！？’”％‰・…—～·,.;:!?%")
NO_END = set("（〔［｛〈《「『【〖〘〚([{‘“")


def _wide(char: str) -> bool:
    return east_asian_width(char) in ("W", "F")


NAME = 20  # cells: a run without spaces this short that holds ASCII letters (区域-年份.xlsx) is a name


def _breaks(text: str) -> list[int]:
    """Where a line may begin, after the first: after spaces, between two characters one of
    which is wide (Chinese) unless the kinsoku rule forbids it, and after the slashes of a long
    path; never inside a short name such as a file name."""
    import re

    from rich.cells import cell_len

    whole: set[int] = set()  # positions inside names, never a break
    for run in re.finditer(r"\S+", text):
        if re.search(r"[A-Za-z]", run.group()) and cell_len(run.group()) <= NAME:
            whole.update(range(run.start() + 1, run.end()))
    found = []
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if after.isspace() or i in whole:
            continue
        chinese = (_wide(before) or _wide(after)) and after not in NO_START and before not in NO_END
        path = before == "/" and after not in NO_START  # a long path breaks after a slash
        if before.isspace() or chinese or path:
            found.append(i)
    return found


WIDOW = 8  # cells: a last line this short (“数据。”, “YAML”) takes a piece of the line before


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """rich's ``divide_line`` (the offsets at which a line is broken to fit ``width`` cells)
    with Chinese line breaking: greedy over the pieces between break opportunities (a piece
    wider than a line is folded, or cropped, as rich does), then a too short last line takes
    the end of the line before it."""
    from rich.cells import cell_len

    if cell_len(text.rstrip()) <= width:
        return []  # it fits: no piece would move (most lines of diff's list, every short help line)
    return _divide(text, width, fold)


def _divide(text: str, width: int, fold: bool = True) -> list[int]:
    """``divide_line`` without the shortcut for a line that fits (which gives no break here too)."""
    from rich.cells import cell_len, chop_cells

    offsets: list[int] = []
    starts = [0, *_breaks(text)]
    used = 0
    for start, end in zip(starts, [*starts[1:], len(text)]):
        piece = text[start:end]
        visible = cell_len(piece.rstrip())
        if used + visible <= width:
            used += cell_len(piece)
            continue
        if used and start:
            offsets.append(start)
        if visible <= width or not fold:
            used = cell_len(piece)
            continue
        chunks = chop_cells(piece, width)
        for chunk in chunks[:-1]:
            start += len(chunk)
            offsets.append(start)
        used = cell_len(chunks[-1])
    if offsets and cell_len(text[offsets[-1] :].rstrip()) <= WIDOW:
        before = offsets[-2] if len(offsets) > 1 else 0
        earlier = [b for b in starts if before < b < offsets[-1] and WIDOW < cell_len(text[b:].rstrip()) <= width]
        if earlier:
            offsets[-1] = earlier[-1]
    return offsets
