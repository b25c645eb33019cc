"""The ledger: the one place detente keeps state.

Each document is written in one transaction (document, sentences and their full-text
index, events with actors and mentions, claims, actors), so a killed process leaves
either the whole document or none of it. Queries return plain dicts in the stable
export shapes documented on each method.
"""

from __future__ import annotations

import hashlib
import json
import re
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from sqlalchemy import and_, bindparam, false, func, inspect, literal_column, or_, select, true, tuple_, union
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement

from detente.model import Actor, Claim, Conflict, Event, ExtractedDocument, TimeValue
from detente.store import migrations, schema
from detente.store.schema import (
    actors as actors_table,
    claims as claims_table,
    conflict_claims,
    conflicts as conflicts_table,
    document_sources,
    documents as documents_table,
    event_actors,
    event_dyads,
    event_mentions,
    events as events_table,
    meta,
    sentences as sentences_table,
)
from detente.store.dyads import mark_stale
from detente.store.links import check_conflict_status, merge_members, record_review, utc_now
from detente.store.sqlite import SqliteBackend

# Snippet match markers: control characters that ingest never leaves in text, so a web page
# can HTML-escape the snippet and only then turn the markers into <mark> tags.
MARK_START = "\x02"
MARK_END = "\x03"

MAX_ALIASES = 50
_BATCH = 500
_ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class LedgerError(Exception):
    """The ledger file cannot be used as asked (missing, foreign, corrupt, too new, read-only)."""


class LedgerNeedsUpgrade(LedgerError):
    """A ledger of an older schema opened read-only: it must be opened once for writing."""


def snippet_segments(snippet: str, mark: tuple[str, str] = (MARK_START, MARK_END)) -> list[tuple[str, bool]]:
    """Split a search snippet into (text, is_match) pieces, for safe rendering (escape each piece)."""
    pieces: list[tuple[str, bool]] = []
    rest = snippet
    while rest:
        opening = rest.find(mark[0])
        if opening < 0:
            pieces.append((rest, False))
            break
        if opening:
            pieces.append((rest[:opening], False))
        rest = rest[opening + len(mark[0]):]
        closing = rest.find(mark[1])
        if closing < 0:
            pieces.append((rest, True))
            break
        pieces.append((rest[:closing], True))
        rest = rest[closing + len(mark[1]):]
    return pieces


def claim_id(claim: Claim) -> str:
    """Stable across re-ingest: where the claim was read and what it says."""
    m = claim.mention
    key = "|".join([m.doc_id, str(m.sentence), str(m.start), str(m.end),
                    claim.subject, claim.attribute, claim.value, str(claim.polarity)])
    return "cl_" + hashlib.sha256(key.encode()).hexdigest()[:12]


def date_bounds(prefix: str) -> tuple[str, str]:
    """First and last ISO day an ISO prefix ('1950', '2019-04', '2019-04-25') can mean.
    The last day of a month is written '-31' for every month: no real date lies between
    the true last day and it, so text comparison stays exact."""
    prefix = prefix.strip()
    if not _ISO_PREFIX.match(prefix):
        raise ValueError(f"date filter {prefix!r} is not an ISO date prefix (YYYY, YYYY-MM or YYYY-MM-DD)")
    parts = prefix.split("-")
    first = "-".join(parts + ["01"] * (3 - len(parts)))
    last = prefix + {1: "-12-31", 2: "-31", 3: ""}[len(parts)]
    return first, last


def _detente_version() -> str:
    try:
        from importlib.metadata import version
        return version("detente")
    except Exception:  # running from a checkout without installed metadata
        return "unknown"


def _chunks(items: Sequence, size: int = _BATCH) -> Iterator[Sequence]:
    for offset in range(0, len(items), size):
        yield items[offset:offset + size]


def _time_columns(prefix: str, time: TimeValue) -> dict[str, Any]:
    start = time.start or None
    return {
        f"{prefix}_value": time.value or "",
        f"{prefix}_start": start,
        # A start without an end is a single day; storing it as a range keeps filters simple.
        f"{prefix}_end": time.end or start,
        f"{prefix}_precision": time.precision or "unknown",
        f"{prefix}_modifier": time.modifier,
        f"{prefix}_basis": time.basis or "unknown",
        f"{prefix}_timex3": time.timex3 or "",
    }


def _time_dict(row: Any, prefix: str) -> dict[str, Any]:
    return {
        "value": row[f"{prefix}_value"] or "",
        "start": row[f"{prefix}_start"] or "",
        "end": row[f"{prefix}_end"] or "",
        "precision": row[f"{prefix}_precision"] or "unknown",
        "modifier": row[f"{prefix}_modifier"],
        "basis": row[f"{prefix}_basis"] or "unknown",
        "timex3": row[f"{prefix}_timex3"] or "",
    }


def _published_dict(row: Any) -> dict[str, Any]:
    full = _time_dict(row, "published")
    # The modifier says "approx" when the date is only a lower bound inferred from the content.
    return {key: full[key] for key in ("value", "start", "end", "precision", "modifier", "basis")}


def _document_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "title": row["title"],
        "url": row["url"],
        "published": _published_dict(row),
        "sha256": row["sha256"],
        "sentences": row["sentence_count"],
        "events": row["event_count"],
    }


class Ledger:
    """A ledger file. `Ledger(path)` creates it when missing; `readonly=True` never writes."""

    def __init__(self, path: str | Path, readonly: bool = False, backend: SqliteBackend | None = None) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._backend = backend or SqliteBackend()
        if self.path.is_dir():
            raise LedgerError(f"{self.path} is a directory, not a ledger file")
        if readonly and not self.path.exists():
            raise LedgerError(f"no ledger at {self.path}")
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._engine = self._backend.create_engine(self.path, readonly)
        try:
            self._open()
        except LedgerError:
            self._engine.dispose()
            raise
        except DBAPIError as error:
            self._engine.dispose()
            if self._backend.is_not_a_database(error.orig or error):
                raise LedgerError(f"{self.path} is not a detente ledger (not a SQLite database, or damaged): "
                                  f"{error.orig}") from error
            raise LedgerError(f"cannot open ledger {self.path}: {error.orig}") from error

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Ledger({str(self.path)!r}, readonly={self.readonly})"

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            with conn.begin():
                yield conn

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        if self.readonly:
            raise LedgerError(f"ledger {self.path} is open read-only")
        with self._engine.connect() as conn:
            conn.execution_options(detente_write=True)
            with conn.begin():
                yield conn

    def _open(self) -> None:
        current = migrations.current_schema_version()
        opener = self._reading if self.readonly else self._writing
        with opener() as conn:
            tables = set(inspect(conn).get_table_names())
            if not tables:
                if self.readonly:
                    raise LedgerError(f"{self.path} is an empty database, not a detente ledger")
                self._create(conn, current)
                return
            if "meta" not in tables:
                raise LedgerError(f"{self.path} is a SQLite database but not a detente ledger (no meta table)")
            stored = self._stored_version(conn)
            if stored > current:
                raise LedgerError(f"ledger schema v{stored} is newer than this detente (v{current}); upgrade detente")
            if stored < current:
                if self.readonly:
                    raise LedgerNeedsUpgrade(f"ledger schema v{stored} needs upgrading to v{current}; "
                                             "open it once for writing (e.g. run an ingest)")
                try:
                    steps = migrations.pending_migrations(stored)
                except RuntimeError as error:
                    raise LedgerError(f"cannot upgrade ledger {self.path} from v{stored}: {error}") from error
                for version, migrate in steps:
                    try:
                        migrate(conn)
                    except Exception as error:  # the whole upgrade rolls back with this transaction
                        raise LedgerError(f"upgrading ledger {self.path} to schema v{version} failed ({error!r}); "
                                          "the ledger was left unchanged") from error
                    schema.set_meta(conn, "schema_version", str(version))

    def _create(self, conn: Connection, version: int) -> None:
        schema.metadata.create_all(conn)
        self._backend.create_fulltext(conn)
        conn.execute(meta.insert(), [
            {"key": "schema_version", "value": str(version)},
            {"key": "created_with", "value": f"detente {_detente_version()}"},
            {"key": "created_at", "value": utc_now()},
            {"key": "config", "value": "{}"},
        ])

    @staticmethod
    def _stored_version(conn: Connection) -> int:
        value = schema.get_meta(conn, "schema_version")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise LedgerError(f"ledger has no valid schema_version (found {value!r})") from None

    @property
    def schema_version(self) -> int:
        with self._reading() as conn:
            return self._stored_version(conn)

    def config(self) -> dict:
        with self._reading() as conn:
            value = schema.get_meta(conn, "config")
        return json.loads(value or "{}")

    def set_config(self, config: dict) -> None:
        with self._writing() as conn:
            schema.set_meta(conn, "config", json.dumps(config, sort_keys=True))

    # ------------------------------------------------------------------ documents

    def has_document(self, doc_id: str) -> bool:
        with self._reading() as conn:
            return conn.execute(select(documents_table.c.id).where(documents_table.c.id == doc_id)).first() is not None

    def record_source(self, doc_id: str, name: str, url: str = "") -> None:
        """Remember that `doc_id` was also read from `name` (a path or URL); recorded once."""
        with self._writing() as conn:
            self._record_source(conn, doc_id, name, url or "")

    @staticmethod
    def _record_source(conn: Connection, doc_id: str, name: str, url: str) -> None:
        exists = conn.execute(select(document_sources.c.id).where(
            document_sources.c.doc_id == doc_id, document_sources.c.name == name)).first()
        if not exists:
            conn.execute(document_sources.insert().values(doc_id=doc_id, name=name, url=url, recorded_at=utc_now()))

    def document_sources(self, doc_id: str) -> list[dict]:
        with self._reading() as conn:
            rows = conn.execute(select(document_sources.c.name, document_sources.c.url,
                                       document_sources.c.recorded_at)
                                .where(document_sources.c.doc_id == doc_id).order_by(document_sources.c.id))
            return [dict(row._mapping) for row in rows]

    def write_document(self, extracted: ExtractedDocument) -> None:
        """Store one document and everything read from it, replacing what an earlier write of
        the same document id stored. Events keep mentions that other documents added to them.

        `sources_count` of an event is the number of distinct documents reporting it;
        `event_count` of a document the number of distinct events it reports."""
        doc = extracted.document
        with self._writing() as conn:
            rewrite = conn.execute(select(documents_table.c.id).where(documents_table.c.id == doc.id)).first()
            if rewrite:
                old_event_ids, foreign_event_ids = self._remove_document_rows(conn, doc.id)
            else:
                old_event_ids, foreign_event_ids = [], []
                # A conflict can bring a document's claims before the document itself.
                conn.execute(claims_table.delete().where(claims_table.c.doc_id == doc.id))
            if extracted.sentences:
                conn.execute(sentences_table.insert(), [
                    {"doc_id": doc.id, "idx": s.index, "start": s.start, "end": s.end, "text": s.text}
                    for s in extracted.sentences
                ])
            written_ids, merged_ids = self._insert_events(conn, doc.id, extracted.events, bool(rewrite))
            written = set(written_ids)
            affected_docs = self._drop_mentions_of(conn, [i for i in old_event_ids if i not in written])
            self._insert_claims(conn, extracted.claims)
            self._merge_actors(conn, extracted)
            conn.execute(documents_table.insert().values(
                id=doc.id, name=doc.name, title=doc.title or "", url=doc.url or "", text=doc.text,
                sha256=doc.sha256 or "", sentence_count=len(extracted.sentences), event_count=len(written_ids),
                warnings=json.dumps(list(doc.warnings)), ingested_at=utc_now(),
                **_time_columns("published", doc.published),
            ))
            self._record_source(conn, doc.id, doc.name, doc.url or "")
            # Only linked events (reported by several documents) need their counts recomputed.
            self._refresh_sources_count(conn, sorted(set(foreign_event_ids) | set(merged_ids)))
            for other_doc in sorted(affected_docs - {doc.id}):
                self._refresh_event_count(conn, other_doc)

    def _remove_document_rows(self, conn: Connection, doc_id: str) -> tuple[list[str], list[str]]:
        """Delete a document's own rows; return (its events, other documents' events it mentioned)."""
        old_event_ids = list(conn.execute(select(events_table.c.id).where(events_table.c.doc_id == doc_id)).scalars())
        foreign_event_ids = list(conn.execute(
            select(event_mentions.c.event_id).distinct()
            .select_from(event_mentions.join(events_table, events_table.c.id == event_mentions.c.event_id))
            .where(event_mentions.c.doc_id == doc_id, events_table.c.doc_id != doc_id)).scalars())
        conn.execute(event_mentions.delete().where(event_mentions.c.doc_id == doc_id))
        for chunk in _chunks(old_event_ids):
            mark_stale(conn, list(chunk))
            conn.execute(event_dyads.delete().where(event_dyads.c.event_id.in_(chunk)))
            conn.execute(event_actors.delete().where(event_actors.c.event_id.in_(chunk)))
            conn.execute(events_table.delete().where(events_table.c.id.in_(chunk)))
        conn.execute(sentences_table.delete().where(sentences_table.c.doc_id == doc_id))
        conn.execute(claims_table.delete().where(claims_table.c.doc_id == doc_id))
        conn.execute(documents_table.delete().where(documents_table.c.id == doc_id))
        return old_event_ids, foreign_event_ids

    def _drop_mentions_of(self, conn: Connection, event_ids: list[str]) -> set[str]:
        """Remove other documents' mentions of events that no longer exist; return those documents."""
        affected: set[str] = set()
        for chunk in _chunks(event_ids):
            affected.update(conn.execute(select(event_mentions.c.doc_id).distinct()
                                         .where(event_mentions.c.event_id.in_(chunk))).scalars())
            conn.execute(event_mentions.delete().where(event_mentions.c.event_id.in_(chunk)))
        return affected

    def _insert_events(self, conn: Connection, doc_id: str, events: list[Event],
                       rewrite: bool) -> tuple[list[str], list[str]]:
        """Insert events with actors and mentions; return (distinct ids written, ids merged into).

        An event whose id is already stored (read first in another document) or repeated in
        this one gains this document's mentions instead of a second row."""
        ids = list(dict.fromkeys(event.id for event in events))
        stored: set[str] = set()
        other_docs: dict[str, set[str]] = {}
        for chunk in _chunks(ids):
            stored.update(conn.execute(select(events_table.c.id).where(events_table.c.id.in_(chunk))).scalars())
            if rewrite:  # a re-created event keeps the documents that reported it besides this one
                for event_id, other in conn.execute(
                        select(event_mentions.c.event_id, event_mentions.c.doc_id)
                        .where(event_mentions.c.event_id.in_(chunk), event_mentions.c.doc_id != doc_id)):
                    other_docs.setdefault(event_id, set()).add(other)
        merged_ids = sorted(stored)
        event_rows: dict[str, dict] = {}
        actor_rows: list[dict] = []
        mention_rows: list[dict] = []
        seen_mentions: set[tuple] = set()
        for event in events:
            if event.id not in stored and event.id not in event_rows:
                event_rows[event.id] = {
                    "id": event.id, "doc_id": doc_id, "type": event.type, "cameo": event.cameo or "",
                    "quad_class": event.quad_class, "goldstein": event.goldstein,
                    "negated": bool(event.negated), "modality": event.modality, "confidence": event.confidence,
                    "symmetric": bool(event.symmetric), "trigger": event.trigger or "",
                    "sources_count": 0, **_time_columns("date", event.date),
                }
                other_docs.setdefault(event.id, set()).add(doc_id)
                for role, side in (("source", event.source), ("target", event.target)):
                    for position, actor in enumerate(side):
                        actor_rows.append({
                            "event_id": event.id, "role": role, "position": position, "code": actor.code,
                            "name": actor.name or "", "country": actor.country or "", "sector": actor.sector or "",
                            "kind": actor.kind or "", "text": actor.text or "", "inferred": bool(actor.inferred),
                            "start": actor.start, "end": actor.end,
                        })
            for mention in event.mentions:
                mention_doc = mention.doc_id or doc_id
                key = (event.id, mention_doc, mention.sentence, mention.start, mention.end)
                if key in seen_mentions:
                    continue
                seen_mentions.add(key)
                other_docs.setdefault(event.id, set()).add(mention_doc)
                mention_rows.append({"event_id": event.id, "doc_id": mention_doc, "sentence": mention.sentence,
                                     "start": mention.start, "end": mention.end, "trigger": mention.trigger or ""})
        for event_id, row in event_rows.items():
            row["sources_count"] = len(other_docs[event_id])
        if event_rows:
            conn.execute(events_table.insert(), list(event_rows.values()))
        if actor_rows:
            conn.execute(event_actors.insert(), actor_rows)
            index_dyads(conn, list(event_rows))
            mark_stale(conn, list(event_rows))
        if mention_rows:
            conn.execute(event_mentions.insert(), mention_rows)
        return ids, merged_ids

    def _refresh_sources_count(self, conn: Connection, event_ids: list[str]) -> None:
        """sources_count = the number of distinct documents that report the event."""
        updates = []
        for chunk in _chunks(event_ids):
            docs_by_event: dict[str, set[str]] = {}
            for event_id, doc_id in conn.execute(select(events_table.c.id, events_table.c.doc_id)
                                                 .where(events_table.c.id.in_(chunk))):
                docs_by_event[event_id] = {doc_id}
            for event_id, doc_id in conn.execute(select(event_mentions.c.event_id, event_mentions.c.doc_id)
                                                 .where(event_mentions.c.event_id.in_(chunk))):
                if event_id in docs_by_event:
                    docs_by_event[event_id].add(doc_id)
            updates.extend({"target_id": event_id, "count": len(docs)} for event_id, docs in docs_by_event.items())
        if updates:
            conn.execute(events_table.update().where(events_table.c.id == bindparam("target_id"))
                         .values(sources_count=bindparam("count")), updates)

    def _refresh_event_count(self, conn: Connection, doc_id: str) -> None:
        """event_count = the number of distinct events a document reports (owns or is cited by)."""
        reported = union(select(event_mentions.c.event_id).where(event_mentions.c.doc_id == doc_id),
                         select(events_table.c.id).where(events_table.c.doc_id == doc_id)).subquery()
        count = conn.execute(select(func.count()).select_from(reported)).scalar() or 0
        conn.execute(documents_table.update().where(documents_table.c.id == doc_id).values(event_count=count))

    def _insert_claims(self, conn: Connection, claims: Iterable[Claim], skip_stored: bool = False) -> list[str]:
        rows: dict[str, dict] = {}
        for claim in claims:
            identifier = claim_id(claim)
            rows.setdefault(identifier, {
                "id": identifier, "doc_id": claim.mention.doc_id, "subject": claim.subject,
                "attribute": claim.attribute, "value": claim.value, "time": json.dumps(claim.time.to_dict()),
                "polarity": bool(claim.polarity), "sentence": claim.mention.sentence,
                "start": claim.mention.start, "end": claim.mention.end,
            })
        if skip_stored:
            identifiers = list(rows)
            for chunk in _chunks(identifiers):
                for stored in conn.execute(select(claims_table.c.id).where(claims_table.c.id.in_(chunk))).scalars():
                    rows.pop(stored, None)
        if rows:
            conn.execute(claims_table.insert(), list(rows.values()))
        return list(rows)

    def _merge_actors(self, conn: Connection, extracted: ExtractedDocument) -> None:
        """Add actors seen in this document; fill what stored actors lack; collect surface forms."""
        seen: dict[str, dict] = {}
        mentions = [actor for event in extracted.events for actor in (*event.source, *event.target)]
        mentions += extracted.actor_mentions
        for actor in mentions:
            if not actor.code:
                continue
            entry = seen.setdefault(actor.code, {"code": actor.code, "name": "", "kind": "", "sector": "",
                                                 "country": "", "aliases": []})
            for key in ("name", "kind", "sector", "country"):
                if not entry[key] and getattr(actor, key):
                    entry[key] = getattr(actor, key)
            text = (actor.text or "").strip()
            if text and not actor.inferred and text not in entry["aliases"]:
                entry["aliases"].append(text)
        if seen:
            self._upsert_actor_entries(conn, seen, overwrite=False)

    def _upsert_actor_entries(self, conn: Connection, entries: dict[str, dict], overwrite: bool) -> None:
        codes = list(entries)
        stored: dict[str, dict] = {}
        for chunk in _chunks(codes):
            for row in conn.execute(select(actors_table).where(actors_table.c.code.in_(chunk))):
                stored[row.code] = dict(row._mapping)
        new_rows, changed_rows = [], []
        for code, entry in entries.items():
            name = entry.get("name") or ""
            aliases = [alias for alias in entry.get("aliases", []) if alias != name]
            if code not in stored:
                new_rows.append({
                    "code": code, "name": name, "kind": entry.get("kind") or "", "sector": entry.get("sector") or "",
                    "country": entry.get("country") or "", "predecessor": entry.get("predecessor") or "",
                    "successor": entry.get("successor") or "", "cameo": entry.get("cameo") or "",
                    "aliases": json.dumps(aliases[:MAX_ALIASES]), "roles": json.dumps(entry.get("roles") or []),
                })
                continue
            row = stored[code]
            updated = dict(row)
            for key in ("name", "kind", "sector", "country", "predecessor", "successor", "cameo"):
                value = entry.get(key) or ""
                if value and (overwrite or not row[key]):
                    updated[key] = value
            known = json.loads(row["aliases"] or "[]")
            merged = known + [alias for alias in aliases if alias not in known and alias != updated["name"]]
            updated["aliases"] = json.dumps(merged[:MAX_ALIASES])
            if overwrite and entry.get("roles"):
                updated["roles"] = json.dumps(entry["roles"])
            if updated != row:
                changed_rows.append({f"new_{key}": value for key, value in updated.items()})
        if new_rows:
            conn.execute(actors_table.insert(), new_rows)
        if changed_rows:
            columns = [column.name for column in actors_table.columns if column.name != "code"]
            conn.execute(actors_table.update().where(actors_table.c.code == bindparam("new_code"))
                         .values({name: bindparam(f"new_{name}") for name in columns}), changed_rows)

    def upsert_actors(self, actors: Iterable[Actor]) -> int:
        """Store actors from a gazetteer (lineage, roles, aliases); their non-empty fields win."""
        entries = {}
        for actor in actors:
            entries[actor.code] = {
                "code": actor.code, "name": actor.name, "kind": actor.kind, "sector": actor.sector,
                "country": actor.country, "predecessor": actor.predecessor, "successor": actor.successor,
                "cameo": actor.cameo, "aliases": list(actor.aliases),
                "roles": [asdict(role) for role in actor.roles],
            }
        if entries:
            with self._writing() as conn:
                self._upsert_actor_entries(conn, entries, overwrite=True)
        return len(entries)

    def document(self, doc_id: str) -> dict | None:
        """`{"id","name","title","url","published":{"value","start","end","precision","modifier","basis"},
        "sha256","sentences","events"}` (sentences and events are counts)."""
        with self._reading() as conn:
            row = conn.execute(select(documents_table).where(documents_table.c.id == doc_id)).first()
            return _document_dict(row._mapping) if row else None

    def documents(self) -> Iterator[dict]:
        columns = [c for c in documents_table.columns if c.name not in ("text", "warnings")]
        with self._reading() as conn:
            rows = conn.execute(select(*columns).where(documents_table.c.duplicate_of.is_(None))  # copies fold in
                                .order_by(documents_table.c.name, documents_table.c.id)).all()
        for row in rows:
            yield _document_dict(row._mapping)

    def document_text(self, doc_id: str) -> str | None:
        with self._reading() as conn:
            return conn.execute(select(documents_table.c.text).where(documents_table.c.id == doc_id)).scalar()

    def sentences(self, doc_id: str) -> list[dict]:
        with self._reading() as conn:
            rows = conn.execute(select(sentences_table.c.idx.label("index"), sentences_table.c.start,
                                       sentences_table.c.end, sentences_table.c.text)
                                .where(sentences_table.c.doc_id == doc_id).order_by(sentences_table.c.idx))
            return [dict(row._mapping) for row in rows]

    def sentence_texts(self, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """The text of each (document id, sentence index) asked for that exists: the cited
        sentences of many events at once, a few hundred index seeks per query."""
        found: dict[tuple[str, int], str] = {}
        with self._reading() as conn:
            # OR of (doc, idx) pairs rather than a row-value IN, which SQLite answers with a scan.
            for chunk in _chunks(sorted(set(keys)), 200):
                matches = or_(*(and_(sentences_table.c.doc_id == doc_id, sentences_table.c.idx == index)
                                for doc_id, index in chunk))
                for doc_id, index, text in conn.execute(
                        select(sentences_table.c.doc_id, sentences_table.c.idx, sentences_table.c.text).where(matches)):
                    found[(doc_id, index)] = text
        return found

    # ------------------------------------------------------------------ events

    def events(
        self,
        actors: list[list[str]] | None = None,
        type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        modality: list[str] | None = None,
        include_negated: bool = False,
        min_confidence: float = 0.0,
        limit: int | None = None,
    ) -> Iterator[dict]:
        """Events in the event export shape, ordered by date start (unknown last), then id.

        `actors` is a list of groups, each one actor with its lineage codes ([["RUS", "SUN"]]);
        an event matches a group when a source or target actor has its code or its country in
        the group, and must match every group. Date filters are ISO prefixes and match events
        whose date range overlaps theirs; undated events never match a date filter."""
        conditions = self._event_conditions(actors, type, date_from, date_to, modality, include_negated,
                                             min_confidence)
        yield from self._stream_events(conditions, limit, dated_only=bool(date_from or date_to))

    def timeline(self, a: list[str], b: list[str], **filters: Any) -> list[dict]:
        """Events between group `a` and group `b` in either direction (source in one, target in
        the other), or symmetric events with both among their actors; ordered by date."""
        limit = filters.pop("limit", None)
        conditions = self._event_conditions(**filters) + [_or_merged_into(_dyad_event_ids(a, b))]
        dated_only = bool(filters.get("date_from") or filters.get("date_to"))
        # One page: the dyad subquery is then evaluated once, not once per page.
        return list(self._stream_events(conditions, limit, dated_only, page_size=None))

    def event(self, event_id: str) -> dict | None:
        """One event in the export shape; each mention also carries `sentence_text`,
        `doc_title` and the document's `published` date."""
        with self._reading() as conn:
            rows = conn.execute(select(events_table).where(events_table.c.id == event_id)).all()
            if not rows:
                return None
            record = self._hydrate(conn, rows)[0]
            folded = merge_members(conn, [event_id]).get(event_id, [])
            record["merged_into"] = rows[0].merged_into
            record["merges"] = [{"id": member, "why": note} for member, note in folded]
            reported = [event_id, *(member for member, _ in folded)]
            published = [c for c in documents_table.columns if c.name.startswith("published_")]
            context = conn.execute(
                select(sentences_table.c.text.label("sentence_text"), documents_table.c.id.label("document_id"),
                       documents_table.c.title, *published)
                .select_from(event_mentions
                             .join(documents_table, documents_table.c.id == event_mentions.c.doc_id, isouter=True)
                             .join(sentences_table, and_(sentences_table.c.doc_id == event_mentions.c.doc_id,
                                                         sentences_table.c.idx == event_mentions.c.sentence),
                                   isouter=True))
                .where(event_mentions.c.event_id.in_(reported)).order_by(event_mentions.c.id)).all()
        for mention, row in zip(record["mentions"], context):
            values = row._mapping
            mention["sentence_text"] = values["sentence_text"] or ""
            mention["doc_title"] = values["title"] or ""
            mention["published"] = _published_dict(values) if values["document_id"] else None
        return record

    @staticmethod
    def _event_conditions(
        actors: list[list[str]] | None = None,
        type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        modality: list[str] | None = None,
        include_negated: bool = False,
        min_confidence: float = 0.0,
    ) -> list[ColumnElement]:
        conditions: list[ColumnElement] = []
        for group in actors or []:
            conditions.append(_or_merged_into(
                select(event_actors.c.event_id).where(_group_matches(event_actors, list(group)))))
        if type:
            conditions.append(events_table.c.type == type)
        if date_from:
            conditions.append(events_table.c.date_end >= date_bounds(date_from)[0])
        if date_to:
            conditions.append(events_table.c.date_start <= date_bounds(date_to)[1])
        if modality:
            conditions.append(events_table.c.modality.in_(list(modality)))
        if not include_negated:
            conditions.append(events_table.c.negated == false())
        if min_confidence:
            conditions.append(events_table.c.confidence >= min_confidence)
        conditions.append(events_table.c.merged_into.is_(None))  # one row per merged event
        return conditions

    def _stream_events(self, conditions: list[ColumnElement], limit: int | None, dated_only: bool,
                       page_size: int | None = -1) -> Iterator[dict]:
        """Pages through matching events by (date_start, id), dated first, then undated by id.
        Keyset pages use the date index and never hold a cursor while rows are hydrated;
        `page_size=None` reads everything in one query (for results returned as a list)."""
        if page_size == -1:
            page_size = _BATCH
        if limit is not None and limit <= 0:
            return
        remaining = limit
        with self._reading() as conn:
            dated = events_table.c.date_start.is_not(None)
            key = (events_table.c.date_start, events_table.c.id)
            last: tuple | None = None
            while remaining is None or remaining > 0:
                page = select(events_table).where(dated, *conditions)
                if last is not None:
                    page = page.where(tuple_(*key) > tuple_(*last))
                size = _page_limit(page_size, remaining)
                rows = conn.execute(page.order_by(*key).limit(size)).all()
                if not rows:
                    break
                for offset in range(0, len(rows), _BATCH):
                    yield from self._hydrate(conn, rows[offset:offset + _BATCH])
                if size is None:
                    break
                remaining = None if remaining is None else remaining - len(rows)
                last = (rows[-1].date_start, rows[-1].id)
            if dated_only:
                return
            last_id: str | None = None
            while remaining is None or remaining > 0:
                page = select(events_table).where(events_table.c.date_start.is_(None), *conditions)
                if last_id is not None:
                    page = page.where(events_table.c.id > last_id)
                size = _page_limit(page_size, remaining)
                rows = conn.execute(page.order_by(events_table.c.id).limit(size)).all()
                if not rows:
                    break
                for offset in range(0, len(rows), _BATCH):
                    yield from self._hydrate(conn, rows[offset:offset + _BATCH])
                if size is None:
                    break
                remaining = None if remaining is None else remaining - len(rows)
                last_id = rows[-1].id

    @staticmethod
    def _hydrate(conn: Connection, rows: list[Row]) -> list[dict]:
        """Event rows → export dicts, with actors and mentions fetched for the whole page at once."""
        ids = [row.id for row in rows]
        # A merged event shows every mention of the records folded into it (see detente.link.merge).
        members = merge_members(conn, ids)
        owner = {member: event_id for event_id, folded in members.items() for member, _ in folded}
        sides: dict[str, dict[str, list[dict]]] = {event_id: {"source": [], "target": []} for event_id in ids}
        for actor in conn.execute(select(event_actors).where(event_actors.c.event_id.in_(ids))
                                  .order_by(event_actors.c.event_id, event_actors.c.role, event_actors.c.position)):
            sides[actor.event_id][actor.role].append({"code": actor.code, "name": actor.name,
                                                      "country": actor.country, "sector": actor.sector,
                                                      "text": actor.text})
        mentions: dict[str, list[dict]] = {event_id: [] for event_id in ids}
        for mention in conn.execute(
                select(event_mentions, documents_table.c.name.label("doc_name"))
                .select_from(event_mentions.join(documents_table, documents_table.c.id == event_mentions.c.doc_id,
                                                 isouter=True))
                .where(event_mentions.c.event_id.in_(ids + list(owner))).order_by(event_mentions.c.id)):
            mentions[owner.get(mention.event_id, mention.event_id)].append({"doc_id": mention.doc_id, "doc_name": mention.doc_name or "",
                                               "sentence": mention.sentence, "start": mention.start,
                                               "end": mention.end})
        records = []
        for row in rows:
            values = row._mapping
            records.append({
                "id": row.id,
                "type": row.type,
                "cameo": row.cameo,
                "quad_class": row.quad_class,
                "goldstein": row.goldstein,
                "source": sides[row.id]["source"],
                "target": sides[row.id]["target"],
                "date": _time_dict(values, "date"),
                "negated": bool(row.negated),
                "modality": row.modality,
                "confidence": round(row.confidence, 3),
                "mentions": mentions[row.id],
                "sources_count": row.sources_count,
            })
        return records

    # ------------------------------------------------------------------ search

    def search(self, query: str, limit: int = 20, offset: int = 0,
               mark: tuple[str, str] = (MARK_START, MARK_END)) -> list[dict]:
        """Full-text search over sentences, best match first: `{"doc_id","doc_name","title",
        "published","sentence","start","end","text","snippet"}`; matches in `snippet` are
        wrapped in `mark` (default MARK_START/MARK_END; see `snippet_segments`). FTS5 syntax
        is honoured when valid; otherwise every word is searched for literally."""
        if not query or not query.strip() or limit <= 0:
            return []
        with self._reading() as conn:
            try:
                return self._backend.search(conn, query.strip(), limit, max(offset, 0), mark)
            except DBAPIError as error:
                raise LedgerError(f"search failed for {query!r}: {error.orig}") from error

    # ------------------------------------------------------------------ actors, claims, conflicts

    def actors(self) -> Iterator[dict]:
        """Stored actors with `events`, the number of events they take part in; most active first."""
        counts = (select(event_actors.c.code, func.count(event_actors.c.event_id.distinct()).label("events"))
                  .group_by(event_actors.c.code).subquery())
        with self._reading() as conn:
            rows = conn.execute(select(actors_table, func.coalesce(counts.c.events, 0).label("events"))
                                .select_from(actors_table.outerjoin(counts, counts.c.code == actors_table.c.code))
                                .order_by(func.coalesce(counts.c.events, 0).desc(), actors_table.c.code)).all()
        for row in rows:
            yield {
                "code": row.code, "name": row.name, "kind": row.kind, "sector": row.sector,
                "country": row.country, "predecessor": row.predecessor, "successor": row.successor,
                "cameo": row.cameo, "aliases": json.loads(row.aliases or "[]"),
                "roles": json.loads(row.roles or "[]"), "events": row.events,
            }

    def claims(self, subject: str | None = None, attribute: str | None = None) -> Iterator[dict]:
        query = (select(claims_table, documents_table.c.name.label("doc_name"))
                 .select_from(claims_table.outerjoin(documents_table, documents_table.c.id == claims_table.c.doc_id)))
        if subject is not None:
            query = query.where(claims_table.c.subject == subject)
        if attribute is not None:
            query = query.where(claims_table.c.attribute == attribute)
        with self._reading() as conn:
            rows = conn.execute(query.order_by(claims_table.c.subject, claims_table.c.attribute,
                                               claims_table.c.doc_id, claims_table.c.sentence)).all()
        for row in rows:
            yield {"id": row.id, "subject": row.subject, "attribute": row.attribute, "value": row.value,
                   "time": json.loads(row.time or "{}"), "polarity": bool(row.polarity), "doc_id": row.doc_id,
                   "doc_name": row.doc_name or "", "sentence": row.sentence, "start": row.start, "end": row.end}

    def write_conflicts(self, conflicts: Iterable[Conflict]) -> int:
        """Store conflicts (replacing same-id ones) with their claims. A status a reviewer set
        (anything but 'open') survives a re-run of conflict detection."""
        written = 0
        with self._writing() as conn:
            for conflict in conflicts:
                previous = conn.execute(select(conflicts_table.c.status)
                                        .where(conflicts_table.c.id == conflict.id)).scalar()
                status = previous if previous and previous != "open" else conflict.status
                conn.execute(conflict_claims.delete().where(conflict_claims.c.conflict_id == conflict.id))
                conn.execute(conflicts_table.delete().where(conflicts_table.c.id == conflict.id))
                conn.execute(conflicts_table.insert().values(
                    id=conflict.id, kind=conflict.kind, subject=conflict.subject, attribute=conflict.attribute,
                    explanation=conflict.explanation or "", status=status))
                self._insert_claims(conn, conflict.claims, skip_stored=True)
                links = list(dict.fromkeys(claim_id(claim) for claim in conflict.claims))
                if links:
                    conn.execute(conflict_claims.insert(), [
                        {"conflict_id": conflict.id, "claim_id": identifier, "position": position}
                        for position, identifier in enumerate(links)])
                written += 1
        return written

    def conflicts(self, status: str | None = None) -> Iterator[dict]:
        """`{"id","kind","subject","attribute","explanation","claims":[{"value","doc_id",
        "doc_name","sentence","start","end"}],"status"}`."""
        query = select(conflicts_table)
        if status is not None:
            query = query.where(conflicts_table.c.status == status)
        with self._reading() as conn:
            rows = conn.execute(query.order_by(conflicts_table.c.id)).all()
            claims_by_conflict: dict[str, list[dict]] = {row.id: [] for row in rows}
            for chunk in _chunks(list(claims_by_conflict)):
                for claim in conn.execute(
                        select(conflict_claims.c.conflict_id, claims_table, documents_table.c.name.label("doc_name"))
                        .select_from(conflict_claims
                                     .join(claims_table, claims_table.c.id == conflict_claims.c.claim_id)
                                     .outerjoin(documents_table, documents_table.c.id == claims_table.c.doc_id))
                        .where(conflict_claims.c.conflict_id.in_(chunk))
                        .order_by(conflict_claims.c.conflict_id, conflict_claims.c.position)):
                    claims_by_conflict[claim.conflict_id].append({
                        "value": claim.value, "doc_id": claim.doc_id, "doc_name": claim.doc_name or "",
                        "sentence": claim.sentence, "start": claim.start, "end": claim.end})
        for row in rows:
            yield {"id": row.id, "kind": row.kind, "subject": row.subject, "attribute": row.attribute,
                   "explanation": row.explanation, "claims": claims_by_conflict[row.id], "status": row.status}

    def set_conflict_status(self, conflict_id: str, status: str) -> None:
        check_conflict_status(status)
        with self._writing() as conn:
            updated = record_review(conn, conflict_id, status)
        if not updated:
            raise LedgerError(f"no conflict {conflict_id!r} in the ledger")

    # ------------------------------------------------------------------ overview

    def stats(self) -> dict:
        def count(table) -> int:
            return conn.execute(select(func.count()).select_from(table)).scalar() or 0

        with self._reading() as conn:
            by_type = dict(conn.execute(select(events_table.c.type, func.count())
                                        .group_by(events_table.c.type).order_by(events_table.c.type)).all())
            first, last = conn.execute(select(func.min(events_table.c.date_start),
                                              func.max(events_table.c.date_end))).one()
            result = {
                "documents": count(documents_table),
                "sentences": count(sentences_table),
                "events": sum(by_type.values()),
                "events_by_type": by_type,
                "actors": count(actors_table),
                "mentions": count(event_mentions),
                "claims": count(claims_table),
                "conflicts": count(conflicts_table),
                "date_range": {"start": first or "", "end": last or ""},
                "schema_version": self._stored_version(conn),
            }
        result["file_size"] = self._backend.file_size(self.path)
        result["path"] = str(self.path)
        return result

    def check(self) -> list[str]:
        """Consistency problems (empty when sound): per-document counts against stored rows,
        and the full-text index against the sentences."""
        problems = []
        with self._reading() as conn:
            sentence_counts = dict(conn.execute(select(sentences_table.c.doc_id, func.count())
                                                .group_by(sentences_table.c.doc_id)).all())
            for doc_id, sentence_count in conn.execute(select(documents_table.c.id, documents_table.c.sentence_count)):
                if sentence_counts.get(doc_id, 0) != sentence_count:
                    problems.append(f"{doc_id}: {sentence_counts.get(doc_id, 0)} sentences stored, "
                                    f"{sentence_count} recorded")
            if not self._backend.fulltext_ok(conn):
                problems.append("full-text index does not match the sentences")
        return problems


def _page_limit(page_size: int | None, remaining: int | None) -> int | None:
    if page_size is None:
        return remaining
    return page_size if remaining is None else min(page_size, remaining)


def _group_matches(actor: Any, group: list[str]) -> ColumnElement:
    return or_(actor.c.code.in_(group), actor.c.country.in_(group))


def _dyad_event_ids(a: Iterable[str], b: Iterable[str]) -> Any:
    """Ids of events with a source in one group and a target in the other (either way round),
    or symmetric events with actors from both: seeks on the dyad pairs (see `index_dyads`), so
    the cost follows the dyad's size, not its actors'. An id may come more than once."""
    return select(event_dyads.c.event_id).where(event_dyads.c.first.in_(list(a)),
                                                event_dyads.c.second.in_(list(b)))


def index_dyads(conn: Connection, event_ids: list[str] | None = None) -> None:
    """Write the `event_dyads` pairs of these events (of every event when None) from their
    `event_actors` rows, with a copy of their event columns; the events must have none yet.
    An actor matches a group by its code or its country, so each pair is stored under every
    key combination."""
    first, second = event_actors.alias("first_actor"), event_actors.alias("second_actor")
    linked = or_(and_(first.c.role == "source", second.c.role == "target"),
                 and_(first.c.role == "target", second.c.role == "source"),
                 events_table.c.symmetric == true())
    copied = [events_table.c[name] for name in schema.DYAD_COPIED_COLUMNS] + [
        literal_column(expression.format(p="events.")).label(name)
        for name, expression in schema.DYAD_DERIVED_COLUMNS.items()]
    chunks = [None] if event_ids is None else list(_chunks(event_ids))
    for chunk in chunks:
        pairs = []
        for first_key in (first.c.code, first.c.country):
            for second_key in (second.c.code, second.c.country):
                pair = (select(first_key.label("first"), second_key.label("second"), first.c.event_id, *copied)
                        .select_from(first.join(second, second.c.event_id == first.c.event_id)
                                     .join(events_table, events_table.c.id == first.c.event_id))
                        .where(linked, first_key != "", second_key != ""))
                pairs.append(pair if chunk is None else pair.where(first.c.event_id.in_(chunk)))
        columns = ["first", "second", "event_id", *schema.DYAD_COPIED_COLUMNS, *schema.DYAD_DERIVED_COLUMNS]
        conn.execute(event_dyads.insert().from_select(columns, union(*pairs)))


def _or_merged_into(event_ids: Any) -> ColumnElement:
    """Events among `event_ids`, or merged events one of whose folded-in records is: a summit
    reported as "Russia met North Korea" and as "Putin met Kim" is found under either name."""
    ids = event_ids.subquery() if hasattr(event_ids, "subquery") else event_ids
    member = events_table.alias("member")
    column = ids.c[0] if hasattr(ids, "c") else ids
    # `id || ''` keeps the planner from looking up every id of a big set one by one: it reads
    # the (small) partial index of merged records instead and checks each against the set.
    return or_(events_table.c.id.in_(select(column)),
               events_table.c.id.in_(select(member.c.merged_into).where(
                   member.c.merged_into.is_not(None), member.c.id.concat("").in_(select(column)))))
