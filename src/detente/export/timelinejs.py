"""Events as a TimelineJS 3 JSON document, and a check of such a document against the fields
TimelineJS documents (https://timeline.knightlab.com/docs/json-format.html).

A date keeps its precision: a year-only event has only ``year`` in ``start_date`` (TimelineJS
then shows the year alone), a month has ``year`` and ``month``; a decade, a season or a span
becomes ``start_date`` and ``end_date`` at the precision of their ends, with
``display_date`` saying what the text said ("1950s"). Undated events cannot be placed on a
timeline and are left out (the count is returned). Every slide's text is HTML-escaped and
quotes the evidence sentence with its citation (document, sentence, characters).
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any, Iterable, TextIO

QUAD_GROUPS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
_SLIDE_KEYS = {"start_date", "end_date", "text", "media", "group", "display_date", "background", "autolink",
               "unique_id"}
_DATE_KEYS = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date", "format"}
_TOP_KEYS = {"title", "events", "eras", "scale"}


def _date_parts(iso_day: str, precision: str) -> dict[str, int]:
    year, month, day = int(iso_day[:4]), int(iso_day[5:7]), int(iso_day[8:10])
    if precision == "day":
        return {"year": year, "month": month, "day": day}
    if precision == "month":
        return {"year": year, "month": month}
    return {"year": year}


def _span_precision(start: str, end: str) -> str:
    """The coarsest unit that both ends of a range fall on exactly (a decade → years)."""
    if start[5:] == "01-01" and end[5:] == "12-31":
        return "year"
    if start[8:] == "01":
        return "month"
    return "day"


def slide(event: dict, sentences: dict[str, str]) -> dict | None:
    when = event.get("date") or {}
    start, end, precision = (when.get("start") or "")[:10], (when.get("end") or "")[:10], when.get("precision")
    if not start or precision in (None, "unknown") or start.startswith("-"):
        return None
    out: dict[str, Any] = {"unique_id": event["id"], "group": QUAD_GROUPS.get(event.get("quad_class"), "other")}
    if precision in ("day", "month", "year"):
        out["start_date"] = _date_parts(start, precision)
    else:
        unit = _span_precision(start, end or start)
        out["start_date"] = _date_parts(start, unit)
        out["end_date"] = _date_parts(end or start, unit)
    out["start_date"]["display_date"] = (f"{when.get('modifier')} " if when.get("modifier") else "") + (
        when.get("value") or start)
    source = ", ".join(a.get("name") or a.get("code") or "?" for a in event.get("source") or []) or "?"
    target = ", ".join(a.get("name") or a.get("code") or "?" for a in event.get("target") or [])
    headline = f"{source} → {target}: {event.get('type')}" if target else f"{source}: {event.get('type')}"
    quotes = []
    for mention in event.get("mentions") or []:
        text = sentences.get(f"{mention.get('doc_id')}:{mention.get('sentence')}") or ""
        where = (f"{Path(str(mention.get('doc_name') or '?')).name}, sentence {mention.get('sentence')}, "
                 f"characters {mention.get('start')}–{mention.get('end')}")
        quotes.append(f"<blockquote>{escape(' '.join(text.split()))}</blockquote><p><cite>{escape(where)}</cite></p>")
    sources = event.get("sources_count") or 1
    out["text"] = {"headline": escape(headline + (" (not)" if event.get("negated") else "")),
                   "text": "".join(quotes) + f"<p>{sources} source{'s' if sources != 1 else ''}; "
                                             f"event {escape(event['id'])}</p>"}
    return out


def timeline_document(events: Iterable[dict], sentences: dict[str, str], title: str) -> tuple[dict, int]:
    """(TimelineJS document, number of undated events left out)."""
    slides, undated = [], 0
    for event in events:
        made = slide(event, sentences)
        if made is None:
            undated += 1
        else:
            slides.append(made)
    document = {"title": {"text": {"headline": escape(title),
                                   "text": f"<p>{len(slides)} dated events from a detente ledger"
                                           f"{f'; {undated} undated left out' if undated else ''}.</p>"}},
                "events": slides}
    return document, undated


def write_timelinejs(document: dict, stream: TextIO) -> int:
    json.dump(document, stream, ensure_ascii=False, indent=1)
    stream.write("\n")
    return len(document["events"])


def _is_object_of(value: Any, keys: set[str], where: str, problems: list[str]) -> bool:
    """Is `value` an object? (Its keys outside `keys` are reported as problems.)"""
    if not isinstance(value, dict):
        problems.append(f"{where}: must be an object")
        return False
    unknown = set(value) - keys
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    return True


def _check_date(value: Any, where: str, problems: list[str]) -> None:
    if not _is_object_of(value, _DATE_KEYS, where, problems):
        return
    year = value.get("year")
    if isinstance(year, bool) or not (isinstance(year, int) or (isinstance(year, str) and year.lstrip("-").isdigit())):
        problems.append(f"{where}.year: required, a whole number (got {year!r})")
    for key, low, high in (("month", 1, 12), ("day", 1, 31), ("hour", 0, 23), ("minute", 0, 59), ("second", 0, 59)):
        if key in value:
            number = value[key]
            if isinstance(number, str) and number.isdigit():
                number = int(number)
            if not isinstance(number, int) or isinstance(number, bool) or not low <= number <= high:
                problems.append(f"{where}.{key}: must be {low}–{high} (got {value[key]!r})")
    if "day" in value and "month" not in value:
        problems.append(f"{where}: a day needs a month")


def _check_text(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, dict) or set(value) - {"headline", "text"}:
        problems.append(f"{where}: must be an object with only headline and text")
        return
    for key in ("headline", "text"):
        if key in value and not isinstance(value[key], str):
            problems.append(f"{where}.{key}: must be a string")


def validate_timelinejs(document: Any) -> list[str]:
    """Problems of a TimelineJS JSON document against its documented fields; [] when it is valid."""
    problems: list[str] = []
    if not isinstance(document, dict):
        return ["the document must be a JSON object"]
    unknown = set(document) - _TOP_KEYS
    if unknown:
        problems.append(f"unknown top-level keys {sorted(unknown)}")
    if "title" in document:
        title = document["title"]
        if not isinstance(title, dict) or set(title) - _SLIDE_KEYS:
            problems.append("title: must be a slide object")
        elif "text" in title:
            _check_text(title["text"], "title.text", problems)
    events = document.get("events")
    if not isinstance(events, list):
        return problems + ["events: required, a list"]
    seen: set[str] = set()
    for index, event in enumerate(events):
        where = f"events[{index}]"
        if not _is_object_of(event, _SLIDE_KEYS, where, problems):
            continue
        if "start_date" not in event:
            problems.append(f"{where}.start_date: required")
        else:
            _check_date(event["start_date"], f"{where}.start_date", problems)
        if "end_date" in event:
            _check_date(event["end_date"], f"{where}.end_date", problems)
        if "text" in event:
            _check_text(event["text"], f"{where}.text", problems)
        if "group" in event and not isinstance(event["group"], str):
            problems.append(f"{where}.group: must be a string")
        unique = event.get("unique_id")
        if unique is not None:
            if not isinstance(unique, str) or unique in seen:
                problems.append(f"{where}.unique_id: must be a string, unique in the document")
            seen.add(str(unique))
    for index, era in enumerate(document.get("eras") or []):
        if not isinstance(era, dict) or "start_date" not in era or "end_date" not in era:
            problems.append(f"eras[{index}]: needs start_date and end_date")
            continue
        _check_date(era["start_date"], f"eras[{index}].start_date", problems)
        _check_date(era["end_date"], f"eras[{index}].end_date", problems)
    if document.get("scale") not in (None, "human", "cosmological"):
        problems.append("scale: must be human or cosmological")
    return problems
