"""Bytes to text: decoding with honest warnings, and the one normalisation all offsets refer to."""

from __future__ import annotations

import codecs
import re
import threading
import unicodedata
from dataclasses import dataclass, field

# Above these shares the "text" is noise, not an article with a few bad bytes.
MAX_CONTROL_CHAR_SHARE = 0.10
MAX_REPLACED_SHARE = 0.20

_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_THREE_OR_MORE_NEWLINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[^\S\n]+$", re.MULTILINE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


class BinaryContent(ValueError):
    """The bytes are not text in any encoding we can trust."""


@dataclass
class DecodedText:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def normalise_text(text: str) -> str:
    """The canonical form of a document's text; every char offset downstream refers to it.

    NFC, newlines as `\\n`, no trailing whitespace on a line, at most one blank line in a row,
    no leading/trailing blank lines. Nothing else changes, so a quoted sentence stays findable.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING_SPACE.sub("", text)
    text = _THREE_OR_MORE_NEWLINES.sub("\n\n", text)
    return text.strip("\n")


def control_char_share(text: str) -> float:
    """Share of control characters (Unicode Cc) other than tab, newline, CR, FF and VT."""
    if not text:
        return 0.0
    return len(_CONTROL_CHARS.findall(text)) / len(text)


def looks_binary(raw: bytes) -> bool:
    """NUL bytes never occur in 8-bit or UTF-8 text; UTF-16/32 (with a BOM) is the exception."""
    if raw.startswith(_UTF32_BOMS) or raw.startswith(_UTF16_BOMS):
        return False
    return b"\x00" in raw[:65536]


def decode_text(raw: bytes, declared_charset: str | None = None) -> DecodedText:
    """Decode bytes that should be text, saying what was guessed or repaired.

    Order: a byte-order mark; the declared charset (HTTP header / HTML meta); strict UTF-8;
    UTF-8 with replacement when the bytes are visibly UTF-8 with a few bad bytes; otherwise
    charset-normalizer's guess. Raises BinaryContent when the result would be noise.
    """
    if looks_binary(raw):
        raise BinaryContent("binary file")
    bom_encoding = _encoding_from_bom(raw)
    if bom_encoding:
        decoded = DecodedText(raw.decode(bom_encoding, errors="replace"), bom_encoding)
        return _checked(decoded)

    if declared_charset:
        codec = _known_codec(declared_charset)
        if codec in ("latin-1", "iso8859-1", "ascii"):
            # As browsers do (WHATWG): pages labelled Latin-1 or ASCII are really windows-1252.
            codec = "cp1252"
        if codec and codec != "utf-8":
            try:
                return _checked(DecodedText(raw.decode(codec), codec))
            except UnicodeDecodeError:
                pass  # the declaration lies; fall through to detection

    try:
        return _checked(DecodedText(raw.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass

    replaced_text, bad_bytes = _decode_utf8_counting_replacements(raw)
    guessed = None if _has_valid_multibyte_utf8(raw) else _guess_with_charset_normalizer(raw)
    if guessed is not None:
        text, encoding = guessed
        return _checked(DecodedText(text, encoding, [f"decoded as {encoding}"]))
    warning = f"invalid UTF-8: {bad_bytes} byte{'s' if bad_bytes != 1 else ''} replaced"
    return _checked(DecodedText(replaced_text, "utf-8", [warning]), replaced_share=bad_bytes / max(len(raw), 1))


def _checked(decoded: DecodedText, replaced_share: float = 0.0) -> DecodedText:
    if replaced_share > MAX_REPLACED_SHARE or control_char_share(decoded.text) > MAX_CONTROL_CHAR_SHARE:
        raise BinaryContent("binary file")
    return decoded


def _encoding_from_bom(raw: bytes) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith(_UTF32_BOMS):
        return "utf-32"
    if raw.startswith(_UTF16_BOMS):
        return "utf-16"
    return None


def _known_codec(charset: str) -> str | None:
    try:
        return codecs.lookup(charset.strip().strip("\"'")).name
    except LookupError:
        return None


def _decode_utf8_counting_replacements(raw: bytes) -> tuple[str, int]:
    """UTF-8 with U+FFFD for bad bytes, in one pass, also returning how many bytes were bad."""
    _replacement_counter.bad_bytes = 0
    text = raw.decode("utf-8", errors=_COUNTING_HANDLER)
    return text, _replacement_counter.bad_bytes


_replacement_counter = threading.local()
_COUNTING_HANDLER = "detente-count-replace"


def _replace_and_count(error: UnicodeDecodeError) -> tuple[str, int]:
    _replacement_counter.bad_bytes += error.end - error.start
    return "\ufffd", error.end


codecs.register_error(_COUNTING_HANDLER, _replace_and_count)


_MULTIBYTE_UTF8 = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _has_valid_multibyte_utf8(raw: bytes) -> bool:
    """Evidence the file is UTF-8 (so stray bad bytes are damage, not another encoding)."""
    return _MULTIBYTE_UTF8.search(raw) is not None


def _guess_with_charset_normalizer(raw: bytes) -> tuple[str, str] | None:
    """charset-normalizer's guess; among equally good guesses prefer cp1252, by far the most
    common legacy encoding of English-language web text (short samples often tie with cp1250)."""
    from charset_normalizer import from_bytes

    matches = from_bytes(raw)
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if m.chaos <= best.chaos + 0.01 and m.coherence >= best.coherence - 0.01]
    if any("cp1252" in m.could_be_from_charset for m in tied):
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return str(best), codecs.lookup(best.encoding).name
