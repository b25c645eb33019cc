"""HTML to article text, title and publication date. Parses only; nothing is fetched or run."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .dating import parse_date_string

# Meta keys (name / property / itemprop, lower-cased) that state when the article was first
# published, best first. Modification dates are left out: they do not date the article.
PUBLISHED_META_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "article.published",
    "originalpublicationdate",
    "date",
)

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_INVISIBLE_TAGS = frozenset("script style noscript template svg head iframe object canvas".split())
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_JSON_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


@dataclass
class HtmlFacts:
    """What the markup itself says, found without any heuristics about the main content."""

    title: str = ""
    og_title: str = ""
    meta_dates: dict[str, str] = field(default_factory=dict)
    time_published: str = ""
    json_ld_published: str = ""
    text_chunks: list[str] = field(default_factory=list)

    def plain_text(self) -> str:
        return "".join(self.text_chunks)

    def published(self) -> str:
        """ISO prefix of the first stated publication date, '' when the markup states none."""
        candidates = [self.meta_dates.get(key, "") for key in PUBLISHED_META_KEYS]
        candidates += [self.json_ld_published, self.time_published]
        for candidate in candidates:
            parsed = parse_date_string(candidate) if candidate else None
            if parsed:
                return parsed[0]
        return ""


class _FactCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = HtmlFacts()
        self._invisible_depth = 0
        self._in_title = False
        self._in_json_ld = False
        self._title_parts: list[str] = []
        self._json_ld_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): (value or "") for name, value in attrs}
        if tag == "body":
            self._invisible_depth = 0  # an unclosed <head> or <script> must not hide the page
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            self._collect_meta(attributes)
        elif tag == "time" and not self.facts.time_published:
            if "pubdate" in attributes or attributes.get("itemprop", "").lower() == "datepublished":
                self.facts.time_published = attributes.get("datetime", "")
        elif tag == "script" and attributes.get("type", "").lower() == "application/ld+json":
            self._in_json_ld = True
        if tag in _INVISIBLE_TAGS:
            self._invisible_depth += 1
        elif tag in _BLOCK_TAGS:
            self.facts.text_chunks.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Void elements (<meta/>, <br/>) never open an invisible region, so no end tag is awaited.
        attributes = {name.lower(): (value or "") for name, value in attrs}
        if tag == "meta":
            self._collect_meta(attributes)
        elif tag in _BLOCK_TAGS:
            self.facts.text_chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self.facts.title = self.facts.title or " ".join("".join(self._title_parts).split())
        elif tag == "script" and self._in_json_ld:
            self._in_json_ld = False
            self._read_json_ld("".join(self._json_ld_parts))
            self._json_ld_parts.clear()
        if tag in _INVISIBLE_TAGS and self._invisible_depth:
            self._invisible_depth -= 1
        elif tag in _BLOCK_TAGS:
            self.facts.text_chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)
        elif self._in_json_ld:
            self._json_ld_parts.append(data)
        elif not self._invisible_depth:
            self.facts.text_chunks.append(re.sub(r"\s+", " ", data))

    def _collect_meta(self, attributes: dict[str, str]) -> None:
        key = (attributes.get("property") or attributes.get("name") or attributes.get("itemprop") or "").lower()
        content = attributes.get("content", "").strip()
        if not key or not content:
            return
        if key == "og:title" and not self.facts.og_title:
            self.facts.og_title = content
        self.facts.meta_dates.setdefault(key, content)

    def _read_json_ld(self, payload: str) -> None:
        if self.facts.json_ld_published:
            return
        try:
            found = _find_key(json.loads(payload), "datePublished")
        except (ValueError, RecursionError):
            match = _JSON_LD_DATE.search(payload)
            found = match.group(1) if match else ""
        if isinstance(found, str):
            self.facts.json_ld_published = found


def _find_key(data: object, key: str) -> object:
    if isinstance(data, dict):
        if key in data:
            return data[key]
        data = list(data.values())
    if isinstance(data, list):
        for item in data:
            found = _find_key(item, key)
            if found:
                return found
    return ""


def declared_charset(raw: bytes) -> str | None:
    """The charset an HTML document declares for itself in its first bytes."""
    match = _META_CHARSET.search(raw[:4096])
    return match.group(1).decode("ascii") if match else None


def collect_facts(markup: str) -> HtmlFacts:
    collector = _FactCollector()
    try:
        collector.feed(markup)
        collector.close()
    except (AssertionError, ValueError):
        pass  # the stdlib parser gives up on some malformed markup; keep what it read
    return collector.facts


def plain_text_lines(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass
class HtmlExtraction:
    text: str
    title: str
    published: str
    warnings: list[str]


def extract_html(markup: str) -> HtmlExtraction:
    """Main article text via trafilatura; the whole visible text when trafilatura finds none."""
    facts = collect_facts(markup)
    warnings: list[str] = []
    text, title = _trafilatura_text_and_title(markup)
    if not text.strip():
        text = plain_text_lines(facts.plain_text())
        if text:
            warnings.append("main text not found; used all visible text")
    title = title or facts.og_title or facts.title
    return HtmlExtraction(text=text, title=title, published=facts.published(), warnings=warnings)


def _trafilatura_text_and_title(markup: str) -> tuple[str, str]:
    import trafilatura

    # trafilatura logs every page it cannot parse; the fallback above handles those pages.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        result = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # noqa: BLE001 - a third-party parser failing on odd markup is not our failure
        return "", ""
    if result is None:
        return "", ""
    return (result.text or ""), (result.title or "")
