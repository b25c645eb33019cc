"""Plain-data views the web pages need beyond the ledger's own queries: a document cut into
marked segments (actors, dates, event sentences) and an event's sentences in their context.

Everything returned is plain text plus offsets; the templates escape every piece, so article
text can never become markup, whatever it contains."""

from __future__ import annotations

from sqlalchemy import select

from detente.store.schema import event_actors, event_mentions, events as events_table

MARK_START, MARK_END = "\x02", "\x03"  # what Ledger.search wraps matches in


def document_marks(ledger, doc_id: str) -> dict | None:
    """`{document, text, sentences, marks:[{start, end, kind, label, event_id?}], events}` for one
    document; `kind` is actor, date or event (the sentence an event was read from)."""
    document = ledger.document(doc_id)
    if document is None:
        return None
    text = ledger.document_text(doc_id) or ""
    marks: list[dict] = []
    event_rows: dict[str, dict] = {}
    with ledger._reading() as conn:
        mention_rows = conn.execute(
            select(event_mentions.c.event_id, event_mentions.c.sentence, event_mentions.c.start,
                   event_mentions.c.end, event_mentions.c.trigger, events_table.c.type,
                   events_table.c.date_value, events_table.c.date_precision)
            .select_from(event_mentions.join(events_table, events_table.c.id == event_mentions.c.event_id))
            .where(event_mentions.c.doc_id == doc_id)
            .order_by(event_mentions.c.start)).all()
        for row in mention_rows:
            event_rows.setdefault(row.event_id, {
                "id": row.event_id, "type": row.type, "date": row.date_value or "",
                "precision": row.date_precision or "", "sentence": row.sentence, "trigger": row.trigger})
            marks.append({"start": row.start, "end": row.end, "kind": "event", "event_id": row.event_id,
                          "label": f"{row.type} {row.date_value or 'undated'}"})
        actor_rows = conn.execute(
            select(event_actors.c.code, event_actors.c.name, event_actors.c.start, event_actors.c.end)
            .select_from(event_actors.join(events_table, events_table.c.id == event_actors.c.event_id))
            .where(events_table.c.doc_id == doc_id, event_actors.c.inferred.is_(False))).all()
    seen = set()
    for row in actor_rows:
        if (row.start, row.end) in seen or not 0 <= row.start < row.end <= len(text):
            continue
        seen.add((row.start, row.end))
        marks.append({"start": row.start, "end": row.end, "kind": "actor", "label": f"{row.name} ({row.code})",
                      "code": row.code})
    marks.extend(_date_marks(text, document.get("published", {}).get("value")))
    return {"document": document, "text": text, "sentences": ledger.sentences(doc_id), "marks": marks,
            "events": list(event_rows.values())}


def _date_marks(text: str, published: str | None) -> list[dict]:
    """Dates as the time tagger reads them (rule-based, fast; no spaCy)."""
    from detente import time as timetagger

    try:
        found = timetagger.tag(text, dct=published or None, mode="narrative")
    except Exception:  # a tagger problem must not take the document page down with it
        return []
    marks = []
    for expression in found:
        row = expression.to_dict()
        if row.get("kind") not in (None, "date"):
            continue
        marks.append({"start": row["start"], "end": row["end"], "kind": "date",
                      "label": f"{row['value']} ({row['precision']})"})
    return marks


def segments(text: str, marks: list[dict], anchors: dict[int, str] | None = None) -> list[dict]:
    """Cut `text` into `[{text, marks:[...], anchor}]` runs so that nested and overlapping marks
    (an actor inside an event sentence) both show; the template escapes each run. `anchors`
    maps offsets (sentence starts) to the id a link can jump to."""
    anchors = anchors or {}
    points = {0, len(text)} | {offset for offset in anchors if 0 <= offset <= len(text)}
    for mark in marks:
        points.add(max(0, min(len(text), mark["start"])))
        points.add(max(0, min(len(text), mark["end"])))
    ordered = sorted(points)
    runs = []
    for left, right in zip(ordered, ordered[1:]):
        covering = [m for m in marks if m["start"] <= left and m["end"] >= right]
        runs.append({"text": text[left:right], "marks": covering, "anchor": anchors.get(left)})
    return runs


def snippet_segments(snippet: str) -> list[dict]:
    """A search snippet as `[{text, hit}]`; the ledger marks matches with control characters."""
    runs, hit, current = [], False, []
    for char in snippet:
        if char in (MARK_START, MARK_END):
            if current:
                runs.append({"text": "".join(current), "hit": hit})
            current, hit = [], char == MARK_START
        else:
            current.append(char)
    if current:
        runs.append({"text": "".join(current), "hit": hit})
    return runs


def event_with_context(ledger, event_id: str, around: int = 1) -> dict | None:
    """The event as `Ledger.event` gives it, each mention carrying `context`: the sentences
    around it as `[{index, text, current}]`, the reported one marked current."""
    event = ledger.event(event_id)
    if event is None:
        return None
    sentences_by_doc: dict[str, list[dict]] = {}
    for mention in event.get("mentions", []):
        doc_id = mention["doc_id"]
        if doc_id not in sentences_by_doc:
            sentences_by_doc[doc_id] = ledger.sentences(doc_id)
        index = mention["sentence"]
        mention["context"] = [{"index": s["index"], "text": s["text"], "current": s["index"] == index}
                              for s in sentences_by_doc[doc_id] if abs(s["index"] - index) <= around]
    return event
