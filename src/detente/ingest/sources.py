"""Turning the user's inputs (files, directories, URLs, '-') into a stream of sources."""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO

from detente.model import SourceDocument, SourceFailure

from .convert import Kind, document_from_bytes, kind_from_suffix, sniff_kind
from .fetch import SUPPORTED_SCHEMES, fetch_url, open_client, url_scheme
from .limits import IngestLimits, too_large
from .text import looks_binary

STDIN_NAME = "<stdin>"
BINARY_SNIFF_BYTES = 8192

Source = SourceDocument | SourceFailure


def iter_sources(
    inputs: Iterable[str | os.PathLike],
    limits: IngestLimits | None = None,
    stdin: BinaryIO | None = None,
    *,
    glob: str | Iterable[str] | None = None,
) -> Iterator[Source]:
    """Yield one SourceDocument or SourceFailure per source, in input order, never raising.

    Each input is a file, a directory (walked recursively, lazily, in sorted order), an
    http(s) URL, or '-' for `stdin` (default: the process's standard input).

    Which files a directory walk reads: those with a supported suffix (`SUPPORTED_SUFFIXES`),
    or, when glob patterns are given, those whose name or path relative to the walked directory
    matches one of them (their type is then sniffed unless the suffix says it). Hidden entries
    (".name") and non-regular files are passed over silently, as are symlinks when
    `follow_symlinks` is off; a directory reached twice through symlinks is read once.
    A file named explicitly is always read, whatever its suffix: PDF if it starts like one,
    HTML if it looks like HTML, else text if it decodes, else the failure "binary file".
    `glob` overrides `limits.glob`.
    """
    if isinstance(limits, (str, list, tuple)):
        # ARCHITECTURE.md once listed `glob` second; a pattern passed there still means a glob.
        limits, glob = None, limits
    limits = limits or IngestLimits()
    if glob is not None:
        limits = replace(limits, glob=glob if isinstance(glob, str) else tuple(glob))
    clients: list = []  # at most one, opened at the first URL and closed when the stream ends

    def fetch(url: str) -> Source:
        if not clients and url_scheme(url) in SUPPORTED_SCHEMES:
            clients.append(open_client(limits))
        return fetch_url(url, clients[0] if clients else None, limits)

    try:
        for given in inputs:
            given = os.fspath(given)
            if given == "-":
                yield _guarded(STDIN_NAME, lambda: read_stream(STDIN_NAME, stdin or sys.stdin.buffer, limits))
            elif url_scheme(given) is not None:
                yield _guarded(given, lambda: fetch(given))
            else:
                try:
                    yield from _iter_path(given, limits)
                except Exception as error:  # noqa: BLE001 - last resort: the stream goes on
                    yield SourceFailure(given, f"unexpected error: {type(error).__name__}: {error}")
    finally:
        for client in clients:
            client.close()


def read_stream(name: str, stream: BinaryIO, limits: IngestLimits) -> Source:
    raw = stream.read(limits.max_bytes + 1)
    if len(raw) > limits.max_bytes:
        return SourceFailure(name, too_large(len(raw), limits.max_bytes, at_least=True))
    return document_from_bytes(name, raw)


def _guarded(name: str, read) -> Source:
    """One source's unexpected error becomes its failure, so the batch always goes on."""
    try:
        return read()
    except Exception as error:  # noqa: BLE001 - deliberate: never abort the stream
        return SourceFailure(name, f"unexpected error: {type(error).__name__}: {error}")


def _stat_failure(name: str, error: OSError) -> SourceFailure:
    if error.errno == errno.ELOOP:
        return SourceFailure(name, "symlink loop")
    if isinstance(error, FileNotFoundError):
        return SourceFailure(name, "broken symlink" if os.path.islink(name) else "not found")
    if isinstance(error, PermissionError):
        return SourceFailure(name, "permission denied")
    return SourceFailure(name, f"unreadable: {error.strerror or error}")


def _iter_path(given: str, limits: IngestLimits) -> Iterator[Source]:
    try:
        status = os.stat(given)
    except OSError as error:
        yield _stat_failure(given, error)
        return
    if stat.S_ISDIR(status.st_mode):
        yield from _walk(given, limits)
    elif stat.S_ISREG(status.st_mode):
        yield _guarded(given, lambda: read_file(given, status, kind_from_suffix(os.path.splitext(given)[1]), limits))
    else:
        yield SourceFailure(given, "not a regular file")


@dataclass
class _Frame:
    """A directory being walked: its name as shown, its path below the root, and what is left."""

    name: str
    relative: str
    ancestors: frozenset[str]
    entries: Iterator[os.DirEntry]


def _walk(root: str, limits: IngestLimits) -> Iterator[Source]:
    """Depth-first, sorted by name, one directory listing in memory per level (no recursion,
    so depth is not bounded by Python's stack)."""
    patterns = limits.glob_patterns()
    real_root = os.path.realpath(root)
    visited = {real_root}
    listing = _list_directory(root)
    if isinstance(listing, SourceFailure):
        yield listing
        return
    stack = [_Frame(root, "", frozenset({real_root}), iter(listing))]
    while stack:
        frame = stack[-1]
        entry = next(frame.entries, None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        name = os.path.join(frame.name, entry.name)
        relative = f"{frame.relative}/{entry.name}" if frame.relative else entry.name
        try:
            is_link = entry.is_symlink()
        except OSError:
            is_link = False
        if is_link and not limits.follow_symlinks:
            continue
        kind = kind_from_suffix(os.path.splitext(entry.name)[1])
        try:
            status = os.stat(name)
        except OSError as error:
            # A dangling link is reported when it would have been read: it has a selected name,
            # or no suffix (it may have pointed at a directory).
            if _selected(entry.name, relative, kind, patterns) or not os.path.splitext(entry.name)[1]:
                yield _stat_failure(name, error)
            continue
        if stat.S_ISDIR(status.st_mode):
            real = os.path.realpath(name)
            if real in frame.ancestors:
                yield SourceFailure(name, "symlink loop")
                continue
            if real in visited:
                continue
            visited.add(real)
            listing = _list_directory(name)
            if isinstance(listing, SourceFailure):
                yield listing
                continue
            stack.append(_Frame(name, relative, frame.ancestors | {real}, iter(listing)))
        elif stat.S_ISREG(status.st_mode):
            if _selected(entry.name, relative, kind, patterns):
                yield _guarded(name, lambda: read_file(name, status, kind, limits))


def _selected(file_name: str, relative: str, kind: Kind | None, patterns: tuple[str, ...]) -> bool:
    if not patterns:
        return kind is not None
    return any(fnmatch.fnmatch(file_name, p) or fnmatch.fnmatch(relative, p) for p in patterns)


def _list_directory(name: str) -> list[os.DirEntry] | SourceFailure:
    try:
        with os.scandir(name) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except OSError as error:
        return _stat_failure(name, error)


def read_file(name: str, status: os.stat_result, kind: Kind | None, limits: IngestLimits) -> Source:
    """Read one regular file within the size limit, checked (by stat) before reading it."""
    if status.st_size == 0:
        return SourceFailure(name, "empty file", "skipped")
    try:
        with open(name, "rb") as handle:
            if status.st_size > limits.max_bytes:
                # Only the head is read: a binary file is reported as binary, since raising
                # the limit would not make it readable.
                head = handle.read(BINARY_SNIFF_BYTES)
                if kind != "pdf" and looks_binary(head) and sniff_kind(head) != "pdf":
                    return SourceFailure(name, "binary file")
                return SourceFailure(name, too_large(status.st_size, limits.max_bytes))
            raw = handle.read(limits.max_bytes + 1)
    except OSError as error:
        return _stat_failure(name, error)
    if len(raw) > limits.max_bytes:  # grew since stat
        return SourceFailure(name, too_large(len(raw), limits.max_bytes, at_least=True))
    return document_from_bytes(name, raw, kind)
