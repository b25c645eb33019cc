"""The ledger's tables, in portable SQLAlchemy Core.

Nothing here is SQLite-specific but the derived columns of `event_dyads` (SQLite's date()
and a trigger; see there): the full-text index lives in the dialect module
(`detente.store.sqlite`), so a PostgreSQL store can reuse the rest as it is.

Dates are stored as ISO strings ('1950-06-25'); comparing them as text orders them
correctly for years 1000-9999, which covers every date the extractors produce.
An unknown date is NULL in `*_start`/`*_end` so range filters skip it naturally.
"""

from __future__ import annotations

from typing import Literal, get_args

from sqlalchemy import (
    DDL,
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
    event,
    select,
)

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)


def get_meta(conn, key: str) -> str | None:
    """One `meta` entry's stored value, or None."""
    return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()


def set_meta(conn, key: str, value: str) -> None:
    """Write one `meta` entry, replacing the stored value (schema_version, link_version, config)."""
    if not conn.execute(meta.update().where(meta.c.key == key).values(value=value)).rowcount:
        conn.execute(meta.insert().values(key=key, value=value))


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
# v3: the records folded into other events, for `merge_members` (a full scan before) and for
# `_or_merged_into`, which reads it whole (it holds only merged records) instead of looking
# up every event of a dyad. Partial, so "merged_into IS NULL" (nearly every event) never
# looks selective to a planner.
Index("ix_events_merged_into", events.c.merged_into, events.c.id, sqlite_where=events.c.merged_into.is_not(None),
      postgresql_where=events.c.merged_into.is_not(None))

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

# v3: every (actor key, actor key) pair an event links, so a dyad's events are found by
# seeking its pair instead of walking every event of its busier actor (USA: ~19% of events in
# the 1M-event benchmark). A key is an actor's code or its country; an event links its sources
# to its targets in both orders, and any two of its actors when it is symmetric.
# Derived data, clustered by pair (no rowid) and carrying a copy of the event columns the dyad
# views read, so a dyad of 40,000 events is one contiguous range rather than 40,000 lookups.
# `ledger.index_dyads` writes it next to `event_actors`; on SQLite a trigger (DYAD_COPY_DDL)
# keeps the copies in step when the link stage updates `events`; the v3 migration backfills it.
DYAD_COPIED_COLUMNS = ("date_value", "date_start", "date_end", "date_precision", "quad_class", "type", "goldstein",
                       "confidence", "negated", "sources_count", "merged_into")
# Worked out once when written rather than per event per query (SQLite; `{p}` is the row):
# the year / month a well-formed date lies wholly inside (NULL otherwise), the key-event tier
# (most reported first, then strongest; |Goldstein| <= 10 < 100), and the timeline order key.
_WELL_FORMED_DAYS = ("{p}date_precision != 'unknown' AND date({p}date_start) = {p}date_start "
                  "AND date({p}date_end) = {p}date_end")
DYAD_DERIVED_COLUMNS = {
    "year_key": "CASE WHEN substr({p}date_start, 1, 4) = substr({p}date_end, 1, 4) AND " + _WELL_FORMED_DAYS
                + " THEN substr({p}date_start, 1, 4) END",
    "month_key": "CASE WHEN substr({p}date_start, 1, 7) = substr({p}date_end, 1, 7) AND " + _WELL_FORMED_DAYS
                 + " THEN substr({p}date_start, 1, 7) END",
    "tier": "max({p}sources_count, 1) * 100 + abs({p}goldstein)",
    "timeline_key": "{p}date_start || ' ' || {p}id",
}
_DATE_COLUMNS = ("date_value", "date_start", "date_end", "date_precision")


def _copies_of_event_columns(*names: str) -> list[Column]:
    """Nullable columns shaped like these columns of `events`, for derived tables."""
    return [Column(name, events.c[name].type) for name in names]


event_dyads = Table(
    "event_dyads",
    metadata,
    Column("first", String, primary_key=True),
    Column("second", String, primary_key=True),
    Column("event_id", String, primary_key=True),
    *_copies_of_event_columns(*(column.name for column in events.columns if column.name in DYAD_COPIED_COLUMNS)),
    Column("year_key", String),
    Column("month_key", String),
    Column("tier", Float),
    Column("timeline_key", String),
    sqlite_with_rowid=False,
)
Index("ix_event_dyads_event", event_dyads.c.event_id)

_changed = " OR ".join(f"OLD.{name} IS NOT NEW.{name}" for name in DYAD_COPIED_COLUMNS)
_copies = [f"{name} = NEW.{name}" for name in DYAD_COPIED_COLUMNS] + [
    f"{name} = {expression.format(p='NEW.')}" for name, expression in DYAD_DERIVED_COLUMNS.items()]
# The same update makes the rollups of the event's pairs stale (v4), and those of the pairs
# of the records folded into it, which reach it through them.
_stale_pairs = ("INSERT OR IGNORE INTO dyad_stale (first, second) SELECT first, second FROM event_dyads "
                "WHERE event_id = NEW.id OR event_id IN (SELECT id FROM events WHERE merged_into = NEW.id)")
DYAD_COPY_DDL = (
    "CREATE TRIGGER IF NOT EXISTS event_dyads_copy AFTER UPDATE ON events "
    f"WHEN {_changed} BEGIN UPDATE event_dyads SET {', '.join(_copies)} WHERE event_id = NEW.id; "
    f"{_stale_pairs}; END"
)
# After the whole schema (the trigger names `events`); the v3 and v4 migrations run it themselves.
event.listen(metadata, "after_create", DDL(DYAD_COPY_DDL).execute_if(dialect="sqlite"))

# v4: per-pair rollups of the busy pairs (see `detente.store.dyads`): what a dyad view sums,
# already summed, so a dyad of 40,000 events reads a few thousand rows instead of 40,000.
# Derived data: rebuilt for the pairs listed in `dyad_stale` by the link stage.
dyad_rollup_pairs = Table(  # pairs whose rollups are current, with their number of pair rows
    "dyad_rollup_pairs",
    metadata,
    Column("first", String, primary_key=True),
    Column("second", String, primary_key=True),
    Column("rows", Integer, nullable=False),
)
dyad_stale = Table(  # pairs whose events changed since their rollups were computed
    "dyad_stale",
    metadata,
    Column("first", String, primary_key=True),
    Column("second", String, primary_key=True),
)
dyad_rollups = Table(  # per pair, granularity and confidence floor: counts by period (or exact date)
    "dyad_rollups",
    metadata,
    Column("first", String, nullable=False),
    Column("second", String, nullable=False),
    Column("granularity", String, nullable=False),
    Column("min_confidence", Float, nullable=False),  # one of dyads.ROLLUP_CONFIDENCES
    Column("period", String),
    *_copies_of_event_columns(*_DATE_COLUMNS, "quad_class", "type"),
    Column("events", Integer, nullable=False),
    Column("goldstein_sum", Float, nullable=False),
    Column("first_seen", String),
)
Index("ix_dyad_rollups_pair", dyad_rollups.c.first, dyad_rollups.c.second, dyad_rollups.c.granularity,
      dyad_rollups.c.min_confidence)
dyad_key_candidates = Table(  # per pair: the best few events of each year (or exact date range)
    "dyad_key_candidates",
    metadata,
    Column("first", String, nullable=False),
    Column("second", String, nullable=False),
    Column("min_confidence", Float, nullable=False),
    Column("event_id", String, nullable=False),
    *_copies_of_event_columns(*_DATE_COLUMNS, "sources_count", "goldstein"),
)
Index("ix_dyad_key_candidates_pair", dyad_key_candidates.c.first, dyad_key_candidates.c.second,
      dyad_key_candidates.c.min_confidence)

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

ConflictStatus = Literal["open", "confirmed", "dismissed"]  # a reviewer's verdict; "open" until reviewed
CONFLICT_STATUSES: tuple[str, ...] = get_args(ConflictStatus)

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
