"""The ledger's tables, in portable SQLAlchemy Core.

Nothing here is SQLite-specific: the full-text index lives in the dialect module
(`detente.store.sqlite`), so a PostgreSQL store can reuse these definitions as they are.

Dates are stored as ISO strings ('1950-06-25'); comparing them as text orders them
correctly for years 1000-9999, which covers every date the extractors produce.
An unknown date is NULL in `*_start`/`*_end` so range filters skip it naturally.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String, primary_key=True),  # content hash (SourceDocument.id)
    Column("name", Text, nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("url", Text, nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("published_value", String, nullable=False, default=""),
    Column("published_start", String),
    Column("published_end", String),
    Column("published_precision", String, nullable=False, default="unknown"),
    Column("published_modifier", String),
    Column("published_basis", String, nullable=False, default="unknown"),
    Column("published_timex3", String, nullable=False, default=""),
    Column("sha256", String, nullable=False, default=""),
    Column("sentence_count", Integer, nullable=False),
    Column("event_count", Integer, nullable=False),
    Column("warnings", Text, nullable=False, default="[]"),  # JSON list of strings
    Column("ingested_at", String, nullable=False),  # ISO timestamp, UTC
    # v2: set by the link stage when this text is a near-duplicate of another document.
    Column("duplicate_of", String),
)

# The same text reached through another file or URL is one document with several sources.
document_sources = Table(
    "document_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("doc_id", String, ForeignKey("documents.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("url", Text, nullable=False, default=""),
    Column("recorded_at", String, nullable=False),
    UniqueConstraint("doc_id", "name", name="uq_document_sources_doc_name"),
)

# `id` doubles as the rowid the full-text index points at.
sentences = Table(
    "sentences",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("doc_id", String, ForeignKey("documents.id"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    UniqueConstraint("doc_id", "idx", name="uq_sentences_doc_idx"),
)

actors = Table(
    "actors",
    metadata,
    Column("code", String, primary_key=True),
    Column("name", Text, nullable=False, default=""),
    Column("kind", String, nullable=False, default=""),
    Column("sector", String, nullable=False, default=""),
    Column("country", String, nullable=False, default=""),
    Column("predecessor", String, nullable=False, default=""),
    Column("successor", String, nullable=False, default=""),
    Column("cameo", String, nullable=False, default=""),
    Column("aliases", Text, nullable=False, default="[]"),  # JSON list of strings
    Column("roles", Text, nullable=False, default="[]"),  # JSON list of Role dicts
)

events = Table(
    "events",
    metadata,
    Column("id", String, primary_key=True),
    Column("doc_id", String, ForeignKey("documents.id"), nullable=False),  # first document read
    Column("type", String, nullable=False),
    Column("cameo", String, nullable=False, default=""),
    Column("quad_class", Integer, nullable=False, default=0),
    Column("goldstein", Float, nullable=False, default=0.0),
    Column("date_value", String, nullable=False, default=""),
    Column("date_start", String),
    Column("date_end", String),
    Column("date_precision", String, nullable=False, default="unknown"),
    Column("date_modifier", String),
    Column("date_basis", String, nullable=False, default="unknown"),
    Column("date_timex3", String, nullable=False, default=""),
    Column("negated", Boolean, nullable=False, default=False),
    Column("modality", String, nullable=False, default="asserted"),
    Column("confidence", Float, nullable=False, default=0.5),
    Column("symmetric", Boolean, nullable=False, default=False),
    Column("trigger", Text, nullable=False, default=""),
    Column("sources_count", Integer, nullable=False, default=1),
    # v2: the link stage folds an event reported again elsewhere into one canonical event;
    # `merged_into` names it and `merge_note` says why (NULL/'' on canonical events).
    Column("merged_into", String),
    Column("merge_note", Text, nullable=False, default=""),
)
Index("ix_events_date_start", events.c.date_start, events.c.id)
Index("ix_events_date_end", events.c.date_end)
Index("ix_events_type", events.c.type)
Index("ix_events_doc", events.c.doc_id)

event_actors = Table(
    "event_actors",
    metadata,
    Column("event_id", String, ForeignKey("events.id"), primary_key=True),
    Column("role", String, primary_key=True),  # 'source' | 'target'
    Column("position", Integer, primary_key=True),
    Column("code", String, nullable=False),
    Column("name", Text, nullable=False, default=""),
    Column("country", String, nullable=False, default=""),
    Column("sector", String, nullable=False, default=""),
    Column("kind", String, nullable=False, default=""),
    Column("text", Text, nullable=False, default=""),
    Column("inferred", Boolean, nullable=False, default=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)
# event_id in the index lets actor filters and per-actor counts run on the index alone.
Index("ix_event_actors_code", event_actors.c.code, event_actors.c.role, event_actors.c.event_id)
Index("ix_event_actors_country", event_actors.c.country, event_actors.c.role, event_actors.c.event_id)

event_mentions = Table(
    "event_mentions",
    metadata,
    Column("id", Integer, primary_key=True),  # insertion order = mention order
    Column("event_id", String, ForeignKey("events.id"), nullable=False),
    Column("doc_id", String, ForeignKey("documents.id"), nullable=False),
    Column("sentence", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("trigger", Text, nullable=False, default=""),
)
Index("ix_event_mentions_event", event_mentions.c.event_id)
Index("ix_event_mentions_doc", event_mentions.c.doc_id, event_mentions.c.sentence)

claims = Table(
    "claims",
    metadata,
    Column("id", String, primary_key=True),  # stable hash of where and what (see Ledger.claim_id)
    Column("doc_id", String, nullable=False),
    Column("subject", Text, nullable=False),
    Column("attribute", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("time", Text, nullable=False, default="{}"),  # JSON TimeValue
    Column("polarity", Boolean, nullable=False, default=True),
    Column("sentence", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)
Index("ix_claims_doc", claims.c.doc_id)
Index("ix_claims_subject", claims.c.subject, claims.c.attribute)

conflicts = Table(
    "conflicts",
    metadata,
    Column("id", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("subject", Text, nullable=False),
    Column("attribute", Text, nullable=False),
    Column("explanation", Text, nullable=False, default=""),
    Column("status", String, nullable=False, default="open"),
)
Index("ix_conflicts_status", conflicts.c.status)

conflict_claims = Table(
    "conflict_claims",
    metadata,
    Column("conflict_id", String, ForeignKey("conflicts.id"), primary_key=True),
    Column("claim_id", String, primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)
Index("ix_conflict_claims_claim", conflict_claims.c.claim_id)

# v2: MinHash signature of each document's text (hex of the uint64 hash values), computed
# once, so near-duplicate detection after each ingest batch costs only the new documents.
document_signatures = Table(
    "document_signatures",
    metadata,
    Column("doc_id", String, primary_key=True),
    Column("signature", Text, nullable=False),
)

# v2: a reviewer's verdict on a conflict, kept apart from the conflicts the link stage
# recomputes after every ingest; conflict ids are hashes of their content, so it reattaches.
conflict_reviews = Table(
    "conflict_reviews",
    metadata,
    Column("conflict_id", String, primary_key=True),
    Column("status", String, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("reviewed_at", String, nullable=False),
)
