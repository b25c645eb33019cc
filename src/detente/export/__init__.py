"""Write ledger records (the dicts `detente.store.Ledger` returns) as JSON Lines, JSON or CSV.

Formats
-------
- ``jsonl``: one record per line, exactly the store's export shape.
- ``json``: one JSON array of those records, written as the records arrive (never held
  in memory as a whole).
- ``csv``: one row per record, with a header; nested fields flattened as below. Lists of
  values are joined with ``;`` (LIST_SEPARATOR) and keep their order, so the i-th entry of
  ``source_codes`` and of ``source_names`` belong to the same actor. Booleans are written
  ``true``/``false``; missing values are empty. Lines end with ``\\n``.

CSV columns per kind (``kind`` may be singular or plural)
----------------------------------------------------------
events (also ``timeline``):
  id, type, cameo, quad_class, goldstein,
  source_codes, source_names, source_countries, source_sectors, source_texts,
  target_codes, target_names, target_countries, target_sectors, target_texts,
  date_value, date_start, date_end, date_precision, date_modifier, date_basis, date_timex3,
  negated, modality, confidence, sources_count,
  mention_count, mention_doc_ids (distinct, in order),
  first_doc_id, first_doc_name, first_sentence, first_start, first_end (the first mention)
documents:
  id, name, title, url, published_value, published_start, published_end,
  published_precision, published_basis, sha256, sentences, events (the last two are counts)
conflicts:
  id, kind, status, subject, attribute, explanation, claim_count, claim_values,
  claim_doc_ids, claim_doc_names, claim_citations (each ``doc_id:sentence:start-end``)
actors:
  code, name, kind, sector, country, predecessor, successor, cameo, aliases,
  roles (a JSON list), events (count)
claims:
  id, subject, attribute, value, polarity, time_value, time_start, time_end,
  time_precision, doc_id, doc_name, sentence, start, end
search:
  doc_id, doc_name, title, published, sentence, start, end, text, snippet
Any other kind: nested dicts become ``parent_child`` columns, lists of plain values are
joined with ``;``, lists of dicts become JSON text; the columns are those of the first
record (keys first seen later are dropped).
"""

from __future__ import annotations

import csv
import json
from typing import Any, Callable, Iterable, Iterator, TextIO

FORMATS = ("jsonl", "json", "csv")
# Formats for events only, each in its own module: GDELT 2.0-style CSV, TimelineJS JSON, GraphML, Parquet.
EVENT_FORMATS = ("gdelt", "timelinejs", "graphml", "parquet")
BINARY_FORMATS = ("parquet",)
LIST_SEPARATOR = ";"

_KIND_ALIASES = {
    "event": "events", "events": "events", "timeline": "events",
    "document": "documents", "documents": "documents",
    "conflict": "conflicts", "conflicts": "conflicts",
    "actor": "actors", "actors": "actors",
    "claim": "claims", "claims": "claims",
    "search": "search", "hit": "search", "hits": "search",
}

EVENT_COLUMNS = (
    "id", "type", "cameo", "quad_class", "goldstein",
    "source_codes", "source_names", "source_countries", "source_sectors", "source_texts",
    "target_codes", "target_names", "target_countries", "target_sectors", "target_texts",
    "date_value", "date_start", "date_end", "date_precision", "date_modifier", "date_basis", "date_timex3",
    "negated", "modality", "confidence", "sources_count",
    "mention_count", "mention_doc_ids", "first_doc_id", "first_doc_name", "first_sentence", "first_start",
    "first_end",
)
DOCUMENT_COLUMNS = (
    "id", "name", "title", "url", "published_value", "published_start", "published_end", "published_precision",
    "published_basis", "sha256", "sentences", "events",
)
CONFLICT_COLUMNS = (
    "id", "kind", "status", "subject", "attribute", "explanation", "claim_count", "claim_values", "claim_doc_ids",
    "claim_doc_names", "claim_citations",
)
ACTOR_COLUMNS = (
    "code", "name", "kind", "sector", "country", "predecessor", "successor", "cameo", "aliases", "roles", "events",
)
CLAIM_COLUMNS = (
    "id", "subject", "attribute", "value", "polarity", "time_value", "time_start", "time_end", "time_precision",
    "doc_id", "doc_name", "sentence", "start", "end",
)
SEARCH_COLUMNS = ("doc_id", "doc_name", "title", "published", "sentence", "start", "end", "text", "snippet")


def normalise_kind(kind: str) -> str:
    """'event', 'events' and 'timeline' are all 'events'; unknown kinds pass through."""
    return _KIND_ALIASES.get(kind.strip().lower(), kind.strip().lower())


def _joined(values: Iterable[Any]) -> str:
    return LIST_SEPARATOR.join("" if value is None else str(value) for value in values)


def citations(spans: Iterable[dict]) -> str:
    """Evidence spans (mentions, claims) as ``doc_id:sentence:start-end``, joined with LIST_SEPARATOR."""
    return _joined(f"{c.get('doc_id')}:{c.get('sentence')}:{c.get('start')}-{c.get('end')}" for c in spans)


def _flatten_event(record: dict) -> dict:
    row = {key: record.get(key) for key in ("id", "type", "cameo", "quad_class", "goldstein", "negated",
                                           "modality", "confidence", "sources_count")}
    for side in ("source", "target"):
        actors = record.get(side) or []
        for field, plural in (("code", "codes"), ("name", "names"), ("country", "countries"),
                              ("sector", "sectors"), ("text", "texts")):
            row[f"{side}_{plural}"] = _joined(actor.get(field) for actor in actors)
    date = record.get("date") or {}
    for field in ("value", "start", "end", "precision", "modifier", "basis", "timex3"):
        row[f"date_{field}"] = date.get(field)
    mentions = record.get("mentions") or []
    row["mention_count"] = len(mentions)
    row["mention_doc_ids"] = _joined(dict.fromkeys(mention.get("doc_id") for mention in mentions))
    first = mentions[0] if mentions else {}
    for field in ("doc_id", "doc_name", "sentence", "start", "end"):
        row[f"first_{field}"] = first.get(field)
    return row


def _flatten_document(record: dict) -> dict:
    row = {key: record.get(key) for key in ("id", "name", "title", "url", "sha256", "sentences", "events")}
    published = record.get("published") or {}
    for field in ("value", "start", "end", "precision", "basis"):
        row[f"published_{field}"] = published.get(field)
    return row


def _flatten_conflict(record: dict) -> dict:
    row = {key: record.get(key) for key in ("id", "kind", "status", "subject", "attribute", "explanation")}
    claims = record.get("claims") or []
    row["claim_count"] = len(claims)
    row["claim_values"] = _joined(claim.get("value") for claim in claims)
    row["claim_doc_ids"] = _joined(claim.get("doc_id") for claim in claims)
    row["claim_doc_names"] = _joined(claim.get("doc_name") for claim in claims)
    row["claim_citations"] = citations(claims)
    return row


def _flatten_actor(record: dict) -> dict:
    row = {key: record.get(key) for key in ACTOR_COLUMNS}
    row["aliases"] = _joined(record.get("aliases") or [])
    row["roles"] = json.dumps(record.get("roles") or [], ensure_ascii=False)
    return row


def _flatten_claim(record: dict) -> dict:
    row = {key: record.get(key) for key in CLAIM_COLUMNS if not key.startswith("time_")}
    time = record.get("time") or {}
    for field in ("value", "start", "end", "precision"):
        row[f"time_{field}"] = time.get(field)
    return row


def _flatten_search(record: dict) -> dict:
    return {key: record.get(key) for key in SEARCH_COLUMNS}


def _flatten_any(record: dict, prefix: str = "") -> dict:
    row: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(_flatten_any(value, f"{name}_"))
        elif isinstance(value, (list, tuple)):
            if any(isinstance(item, (dict, list, tuple)) for item in value):
                row[name] = json.dumps(value, ensure_ascii=False)
            else:
                row[name] = _joined(value)
        else:
            row[name] = value
    return row


_FLATTENERS: dict[str, tuple[tuple[str, ...], Callable[[dict], dict]]] = {
    "events": (EVENT_COLUMNS, _flatten_event),
    "documents": (DOCUMENT_COLUMNS, _flatten_document),
    "conflicts": (CONFLICT_COLUMNS, _flatten_conflict),
    "actors": (ACTOR_COLUMNS, _flatten_actor),
    "claims": (CLAIM_COLUMNS, _flatten_claim),
    "search": (SEARCH_COLUMNS, _flatten_search),
}


def csv_columns(kind: str) -> tuple[str, ...] | None:
    """The CSV header for a known kind; None for kinds flattened generically."""
    known = _FLATTENERS.get(normalise_kind(kind))
    return known[0] if known else None


def flatten(record: dict, kind: str) -> dict:
    """One record as the CSV row of its kind (values not yet turned into text)."""
    known = _FLATTENERS.get(normalise_kind(kind))
    return known[1](record) if known else _flatten_any(record)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_jsonl(records: Iterable[dict], stream: TextIO) -> int:
    count = 0
    for record in records:
        stream.write(json.dumps(record, ensure_ascii=False))
        stream.write("\n")
        count += 1
    return count


def _write_json(records: Iterable[dict], stream: TextIO) -> int:
    count = 0
    stream.write("[")
    for record in records:
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(record, ensure_ascii=False))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


def _write_csv(records: Iterable[dict], stream: TextIO, kind: str) -> int:
    rows: Iterator[dict] = (flatten(record, kind) for record in records)
    columns = csv_columns(kind)
    # A known kind's flattener must produce exactly its documented columns: fail loudly if not.
    extras = "raise"
    first: dict | None = None
    if columns is None:
        first = next(rows, None)
        columns = tuple(first) if first is not None else ()
        extras = "ignore"
    writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction=extras, lineterminator="\n")
    writer.writeheader()
    count = 0
    if first is not None:
        writer.writerow({key: _cell(value) for key, value in first.items()})
        count += 1
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
        count += 1
    return count


def write_records(records: Iterable[dict], fmt: str, stream: TextIO, kind: str) -> int:
    """Write `records` of `kind` (events, documents, conflicts, actors, claims, search, ...) to
    `stream` as `fmt` (jsonl, json or csv); return how many records were written."""
    fmt = fmt.strip().lower()
    if fmt == "jsonl":
        return _write_jsonl(records, stream)
    if fmt == "json":
        return _write_json(records, stream)
    if fmt == "csv":
        return _write_csv(records, stream, kind)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


__all__ = ["BINARY_FORMATS", "EVENT_FORMATS", "FORMATS", "LIST_SEPARATOR", "citations", "csv_columns", "flatten", "normalise_kind", "write_records"]
