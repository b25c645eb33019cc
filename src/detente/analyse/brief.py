"""A sourced brief of a dyad in Markdown or HTML: overview, phases with key events and their
citations, and the open conflicts between sources that concern either actor.
All text from articles is escaped in HTML."""

from __future__ import annotations

from html import escape
from pathlib import Path

FORMATS = ("md", "html")


def citation(doc_name: str | None, sentence: int | None) -> str:
    name = Path(doc_name or "?").name
    return f"{name}, sentence {sentence}" if sentence is not None else name


def _event_line(event: dict) -> str:
    date = event.get("date") or "undated"
    more = f", {event['sources_count']} sources" if (event.get("sources_count") or 1) > 1 else ""
    return f"{date} — {event.get('source')} → {event.get('target')}: {event.get('type')}{more}"


def render_brief(data: dict, fmt: str = "md") -> str:
    """`data` = {a, b, actors_a, actors_b, series, unplaced, phases, conflicts}."""
    if fmt not in FORMATS:
        raise ValueError(f"brief format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return _markdown(data) if fmt == "md" else _html(data)


def _overview(data: dict) -> list[str]:
    series = data.get("series") or []
    total = round(sum(row["events"] for row in series))  # fractions come from spread dates
    span = f"{series[0]['period']}–{series[-1]['period']}" if series else "no dated events"
    unplaced = data.get("unplaced") or {}
    lines = [f"Events placed in time: {total:g} ({span}).",
             f"Actors compared: {', '.join(data.get('actors_a') or [data['a']])} and "
             f"{', '.join(data.get('actors_b') or [data['b']])}."]
    if unplaced.get("count"):
        lines.append(f"Not placed in time: {unplaced['count']} ({unplaced.get('reason')}).")
    return lines


def _markdown(data: dict) -> str:
    out = [f"# {data['a']} – {data['b']}: brief", ""]
    out += [f"- {line}" for line in _overview(data)] + ["", "## Phases", ""]
    if not data.get("phases"):
        out.append("No phases: the ledger holds no dated events between these actors.")
    for phase in data.get("phases") or []:
        index = "n/a" if phase["index"] is None else f"{phase['index']:+.2f}"
        out += [f"### {phase['label']}", "",
                f"Goldstein index {index}; dominant types: {', '.join(phase['dominant_types']) or 'none'}.", ""]
        for event in phase["key_events"]:
            evidence = event["evidence"]
            out.append(f"- {_event_line(event)} [{citation(evidence.get('doc_name'), evidence.get('sentence'))}]")
            if evidence.get("text"):
                out.append(f"  > {' '.join(evidence['text'].split())}")  # one line keeps the quote whole
        out.append("")
    out += ["## Open conflicts between sources", ""]
    conflicts = data.get("conflicts") or []
    if not conflicts:
        out.append("None recorded.")
    for conflict in conflicts:
        out.append(f"- {conflict.get('subject')} / {conflict.get('attribute')}: {conflict.get('explanation')}")
        for side in conflict["sides"]:
            out.append(f"  - {side.get('value')} [{citation(side.get('doc_name'), side.get('sentence_index'))}]")
    return "\n".join(out).rstrip() + "\n"


def _html(data: dict) -> str:
    title = escape(f"{data['a']} – {data['b']}: brief")
    out = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">", f"<title>{title}</title>",
           "</head><body>", f"<h1>{title}</h1>", "<ul>"]
    out += [f"<li>{escape(line)}</li>" for line in _overview(data)] + ["</ul>", "<h2>Phases</h2>"]
    if not data.get("phases"):
        out.append("<p>No phases: the ledger holds no dated events between these actors.</p>")
    for phase in data.get("phases") or []:
        index = "n/a" if phase["index"] is None else f"{phase['index']:+.2f}"
        out += [f"<h3>{escape(phase['label'])}</h3>",
                f"<p>Goldstein index {escape(index)}; dominant types: "
                f"{escape(', '.join(phase['dominant_types']) or 'none')}.</p>", "<ul>"]
        for event in phase["key_events"]:
            evidence = event["evidence"]
            quote = f"<blockquote>{escape(evidence['text'].strip())}</blockquote>" if evidence.get("text") else ""
            out.append(f"<li>{escape(_event_line(event))} <cite>{escape(citation(evidence.get('doc_name'), evidence.get('sentence')))}</cite>{quote}</li>")
        out.append("</ul>")
    out.append("<h2>Open conflicts between sources</h2>")
    conflicts = data.get("conflicts") or []
    if not conflicts:
        out.append("<p>None recorded.</p>")
    else:
        out.append("<ul>")
        for conflict in conflicts:
            claims = "".join(f"<li>{escape(str(side.get('value')))} "
                             f"<cite>{escape(citation(side.get('doc_name'), side.get('sentence_index')))}</cite></li>"
                             for side in conflict["sides"])
            out.append(f"<li>{escape(str(conflict.get('subject')))} / {escape(str(conflict.get('attribute')))}: "
                       f"{escape(str(conflict.get('explanation')))}<ul>{claims}</ul></li>")
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
