"""The bounds every source is read within, and how breaking them is reported."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class IngestLimits:
    """max_bytes: largest source read (files checked by size before reading, downloads while
    streaming); timeout: seconds for a URL (connect, each read, and the whole body);
    max_redirects: per URL; glob: pattern(s) choosing the files of a directory walk instead of
    the supported suffixes; follow_symlinks: whether a directory walk enters symlinks."""

    max_bytes: int = 50 * MB
    timeout: float = 20.0
    max_redirects: int = 5
    glob: str | Sequence[str] | None = None
    follow_symlinks: bool = True

    def __post_init__(self) -> None:
        if self.max_bytes < 0 or self.timeout <= 0 or self.max_redirects < 0:
            raise ValueError(f"invalid ingest limits: {self}")

    def glob_patterns(self) -> tuple[str, ...]:
        if self.glob is None:
            return ()
        if isinstance(self.glob, str):
            return (self.glob,)
        return tuple(self.glob)


def format_size(size: int) -> str:
    """Bytes in the unit that keeps the number readable: '60.0 MB', '1.0 KB', '300 bytes'."""
    if size < 1024:
        return f"{size} bytes"
    for unit, factor in (("GB", 1024 ** 3), ("MB", MB), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    raise AssertionError("unreachable")


def too_large(size: int, limit: int, at_least: bool = False) -> str:
    """'too large: 60.0 MB > limit 50.0 MB', both sizes in the limit's unit so they compare;
    'too large: over limit 50.0 MB' when reading stopped at the limit (size unknown)."""
    limit_text = format_size(limit)
    if at_least:
        return f"too large: over limit {limit_text}"
    unit = limit_text.split()[-1]
    factor = {"GB": 1024 ** 3, "MB": MB, "KB": 1024, "bytes": 1}[unit]
    size_text = f"{size} bytes" if unit == "bytes" else f"{size / factor:.1f} {unit}"
    return f"too large: {size_text} > limit {limit_text}"


def format_seconds(seconds: float) -> str:
    return f"{seconds:g}"
