"""Raw bytes of one source → SourceDocument (or SourceFailure), whatever it came from."""

from __future__ import annotations

import hashlib
import re
from typing import Literal

from detente.model import SourceDocument, SourceFailure

from .html import declared_charset, extract_html
from .pdf import PdfUnreadable, extract_pdf
from .text import BinaryContent, decode_text, normalise_text

Kind = Literal["text", "html", "pdf"]

SUFFIX_KINDS: dict[str, Kind] = {".txt": "text", ".md": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(SUFFIX_KINDS)

_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(rb"<(?:html|head|body|title|meta|div|p|article)\b[^>]*>", re.IGNORECASE)

_CONTENT_TYPE_KINDS: dict[str, Kind] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "text/plain": "text",
    "text/markdown": "text",
    "text/x-markdown": "text",
}


def kind_from_suffix(suffix: str) -> Kind | None:
    return SUFFIX_KINDS.get(suffix.lower())


def kind_from_content_type(content_type: str) -> Kind | None:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return _CONTENT_TYPE_KINDS.get(media_type)


def charset_from_content_type(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


TITLE_MAX_CHARS = 200


def text_title(text: str) -> str:
    """The title of a plain or Markdown text: a leading '# Heading', or else a short first line
    that does not end like a sentence (a headline, not the opening of the body)."""
    stripped = text.lstrip()
    first_line, _, rest = stripped.partition("\n")
    if first_line.startswith("# "):
        return first_line[2:].strip()
    first_line = first_line.strip()
    if rest.strip() and 0 < len(first_line) <= TITLE_MAX_CHARS and not first_line.endswith((".", ",", ";", ":")):
        return first_line
    return ""


def sniff_kind(raw: bytes) -> Kind:
    """What unlabelled bytes are: PDF by its signature, HTML by its opening tags, else text."""
    head = raw[:2048].lstrip(b"\xef\xbb\xbf")
    if b"%PDF-" in raw[:1024]:
        return "pdf"
    if _HTML_START.match(head) or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    return "text"


def document_from_bytes(
    name: str,
    raw: bytes,
    kind: Kind | None = None,
    charset: str | None = None,
    url: str = "",
) -> SourceDocument | SourceFailure:
    """Decode, extract and normalise one source; every problem becomes a SourceFailure.

    `kind` None means sniff the bytes; `charset` is what a transport declared (HTTP header)."""
    if not raw:
        return SourceFailure(name, "empty file", "skipped")
    kind = kind or sniff_kind(raw)
    if kind == "text" and raw.startswith(b"%PDF-"):
        kind = "pdf"  # a PDF saved under a text name is still a PDF
    sha256 = hashlib.sha256(raw).hexdigest()
    title = published = ""
    warnings: list[str] = []
    try:
        if kind == "pdf":
            extraction = extract_pdf(raw)
            text, title, published, warnings = extraction.text, extraction.title, extraction.created, extraction.warnings
            if not text.strip():
                return SourceFailure(name, "no text (scanned PDF?)", "skipped")
        elif kind == "html":
            decoded = decode_text(raw, charset or declared_charset(raw))
            extraction = extract_html(decoded.text)
            text, title, published = extraction.text, extraction.title, extraction.published
            warnings = decoded.warnings + extraction.warnings
        else:
            decoded = decode_text(raw, charset)
            text, warnings = decoded.text, decoded.warnings
            title = text_title(normalise_text(text))
    except BinaryContent as error:
        return SourceFailure(name, str(error))
    except PdfUnreadable as error:
        return SourceFailure(name, str(error))
    text = normalise_text(text)
    if not text.strip():
        return SourceFailure(name, "no text", "skipped")
    return SourceDocument(
        name=name,
        text=text,
        title=" ".join(title.split()),
        url=url,
        sha256=sha256,
        metadata_date=published,
        warnings=warnings,
    )
