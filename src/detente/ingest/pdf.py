"""PDF to text, title and creation date with pypdf (text layer only; no OCR)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from .dating import parse_date_string

PAGE_SEPARATOR = "\n\n"


class PdfUnreadable(ValueError):
    """The bytes are not a PDF pypdf can open; the message is the user-facing reason."""


@dataclass
class PdfExtraction:
    text: str
    title: str = ""
    created: str = ""  # ISO prefix from the info dictionary, '' when absent
    pages: int = 0
    warnings: list[str] = field(default_factory=list)


def extract_pdf(raw: bytes) -> PdfExtraction:
    """Text of every page, pages separated by a blank line. Raises PdfUnreadable."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs each repaired defect; the user sees the outcome, not the repair log.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfUnreadable("encrypted PDF")
        pages = list(reader.pages)
    except PdfUnreadable:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, NotImplementedError) as error:
        raise PdfUnreadable(f"corrupt PDF: {_describe(error)}") from error

    warnings: list[str] = []
    page_texts: list[str] = []
    for number, page in enumerate(pages, start=1):
        try:
            page_texts.append((page.extract_text() or "").strip("\n"))
        except Exception as error:  # noqa: BLE001 - one broken page must not lose the others
            warnings.append(f"page {number}: text not extracted ({_describe(error)})")
    title, created = _info(reader, warnings)
    text = PAGE_SEPARATOR.join(part for part in page_texts if part.strip())
    return PdfExtraction(text=text, title=title, created=created, pages=len(pages), warnings=warnings)


def _info(reader, warnings: list[str]) -> tuple[str, str]:
    try:
        info = reader.metadata
    except Exception as error:  # noqa: BLE001 - a broken info dictionary only costs the metadata
        warnings.append(f"PDF metadata unreadable ({_describe(error)})")
        return "", ""
    if not info:
        return "", ""
    title = str(info.get("/Title") or "").strip()
    # The raw string keeps the precision the file states ("D:2019" is a year, not 1 January).
    raw_date = str(info.get("/CreationDate") or "").strip()
    parsed = parse_date_string(raw_date) if raw_date else None
    return title, parsed[0] if parsed else ""


def _describe(error: BaseException) -> str:
    message = str(error).strip() or type(error).__name__
    return message if len(message) <= 120 else message[:117] + "..."
