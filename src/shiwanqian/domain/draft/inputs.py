"""The text of a programme document as people receive it: plain text, Word (.docx), PDF.

Plain text may be UTF-8 (with or without BOM), UTF-16 with BOM or GB18030 (which includes
GBK and GB2312); the first that decodes the whole file cleanly wins. ``.docx`` is read with
python-docx and text PDFs with pypdf, both from the optional extra ``shiwanqian[draft]``,
imported only here. A PDF without a text layer (a scan) is refused: its text cannot be
quoted, so nothing in it could be checked.
"""

from __future__ import annotations

from pathlib import Path

EXTRA = "pip install 'shiwanqian[draft]'"


class InputError(Exception):
    """The document cannot be read; the message says why, in Chinese."""


def read_document(path: Path) -> tuple[str, str]:
    """(text, description of the format) of the document at ``path``."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            return _normalise(_docx(path), "Word 文档（.docx）")
        if suffix == ".pdf":
            return _normalise(_pdf(path), "PDF")
        if suffix in (".doc", ".wps", ".rtf"):
            raise InputError(f"不支持 {suffix} 格式；请在 Word 或 WPS 中另存为 .docx 或纯文本（.txt）后再起草")
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"无法读取 {path}：{error.strerror or error}") from None
    text, encoding = decode(raw)
    return _normalise(text, f"纯文本（{encoding}）")


def decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "UTF-8"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise InputError("文件以 UTF-16 标记开头，但内容无法按 UTF-16 解码") from None
    if raw.startswith(b"%PDF") or raw.startswith(b"PK\x03\x04"):
        raise InputError("文件内容是 PDF 或 Word 文档，但扩展名不是 .pdf/.docx；请改正扩展名后再起草")
    if b"\x00" in raw:
        raise InputError("文件不是文本（含有 NUL 字节）；支持纯文本（UTF-8、GB18030）、.docx 和有文字层的 PDF")
    for encoding, name in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
        try:
            return raw.decode(encoding), name
        except UnicodeDecodeError:
            continue
    raise InputError("无法识别文件编码：既不是 UTF-8，也不是 GB18030/GBK；请另存为 UTF-8 文本")


def _normalise(text: str, kind: str) -> tuple[str, str]:
    """Line ends as ``\n``; control characters (C0/C1 other than tab and newline, bidirectional
    overrides, line separators) removed: they are invisible in the document, could act in a
    terminal, and ``check`` refuses them in data. The description says how many went."""
    from ...safetext import CONTROL_EXCEPT_LAYOUT

    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").removeprefix("\ufeff")
    text, removed = CONTROL_EXCEPT_LAYOUT.subn("", text)
    return text, kind + (f"，删除了 {removed} 个控制字符" if removed else "")


def _docx(path: Path) -> str:
    try:
        import docx  # python-docx
    except ImportError:
        raise InputError(f"读取 .docx 需要可选依赖 python-docx：{EXTRA}") from None
    try:
        document = docx.Document(str(path))
    except Exception as error:
        raise InputError(
            f"无法打开 Word 文档 {path.name}：{type(error).__name__}（文件可能已损坏，或不是 .docx）"
        ) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):  # a table: one line per row, cells separated by tabs
            for row in block.rows:
                cells = list(dict.fromkeys(cell.text.replace("\n", " ") for cell in row.cells))
                lines.append("\t".join(cells))
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _pdf(path: Path) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:
        raise InputError(f"读取 PDF 需要可选依赖 pypdf：{EXTRA}") from None
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise InputError("PDF 已加密，无法读取文字；请提供未加密的版本")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception as error:
        raise InputError(f"无法读取 PDF {path.name}：{type(error).__name__}（文件可能已损坏）") from None
    text = "\n".join(pages)
    if not text.strip():
        raise InputError(
            f"{path.name} 没有文字层（可能是扫描件），无法起草：请先做文字识别（OCR），或向发文单位索取 Word/文本版本"
        )
    return text
