"""Fetching http(s) sources with bounded time, size and redirects."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from detente.model import SourceDocument, SourceFailure

from .convert import charset_from_content_type, document_from_bytes, kind_from_content_type, kind_from_suffix
from .limits import IngestLimits, format_seconds, too_large

USER_AGENT = "detente/0.1"
SUPPORTED_SCHEMES = ("http", "https")


def url_scheme(text: str) -> str | None:
    """The scheme when `text` is written as a URL ('scheme://…'), else None (a path)."""
    head, separator, _ = text.partition("://")
    if separator and head and head[0].isalpha() and all(ch.isalnum() or ch in "+.-" for ch in head):
        return head.lower()
    return None


def open_client(limits: IngestLimits):
    import httpx

    return httpx.Client(
        timeout=httpx.Timeout(limits.timeout),
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        headers={"User-Agent": USER_AGENT},
    )


def fetch_url(url: str, client, limits: IngestLimits) -> SourceDocument | SourceFailure:
    """GET one URL and convert it; a failure of any kind comes back as a SourceFailure."""
    import httpx

    scheme = url_scheme(url)
    if scheme not in SUPPORTED_SCHEMES:
        return SourceFailure(url, f"unsupported URL scheme '{scheme}'")
    timed_out = SourceFailure(url, f"timed out after {format_seconds(limits.timeout)}s")
    # httpx bounds each read, not the whole body; the deadline stops a server that drips bytes.
    deadline = time.monotonic() + limits.timeout
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                return SourceFailure(url, f"HTTP {response.status_code}")
            declared_length = response.headers.get("content-length", "")
            if declared_length.isdigit() and int(declared_length) > limits.max_bytes:
                return SourceFailure(url, too_large(int(declared_length), limits.max_bytes))
            chunks: list[bytes] = []
            received = 0
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > limits.max_bytes:
                    return SourceFailure(url, too_large(received, limits.max_bytes, at_least=True))
                if time.monotonic() > deadline:
                    return timed_out
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "")
            final_url = str(response.url)
    except httpx.TooManyRedirects:
        return SourceFailure(url, "too many redirects")
    except httpx.TimeoutException:
        return timed_out
    except httpx.InvalidURL as error:
        return SourceFailure(url, f"invalid URL: {error}")
    except httpx.HTTPError as error:
        return SourceFailure(url, f"connection failed: {error or type(error).__name__}")
    except ValueError as error:  # httpx rejects some malformed URLs with a plain ValueError
        return SourceFailure(url, f"invalid URL: {error}")

    kind = kind_from_content_type(content_type) or kind_from_suffix(_path_suffix(final_url))
    return document_from_bytes(url, b"".join(chunks), kind, charset_from_content_type(content_type), final_url)


def _path_suffix(url: str) -> str:
    path = urlsplit(url).path
    last = path.rsplit("/", 1)[-1]
    return "." + last.rsplit(".", 1)[-1] if "." in last else ""
