"""Schema versions of the ledger file and the steps between them.

A new ledger is created directly at the current version from `schema.py`. A ledger made by
an earlier release is brought up to date by running `MIGRATIONS[v]` for every version `v`
above its own, in order, inside one transaction: either the file reaches the current
version with its data, or it stays exactly as it was.

To change the schema: edit `schema.py` (so new ledgers get the new shape) AND register
`MIGRATIONS[n + 1]`, a function that takes an open `Connection` and turns a version-n
ledger into that same shape. The current version is the highest key here (or
BASE_SCHEMA_VERSION while there are none).
"""

from __future__ import annotations

from typing import Callable

from sqlalchemy.engine import Connection

BASE_SCHEMA_VERSION = 1

Migration = Callable[[Connection], None]



def _v2_link_stage(conn: Connection) -> None:
    """v1 → v2: near-duplicate documents, merged events, MinHash signatures, conflict reviews.
    A reviewer's status on a v1 conflict moves to the reviews table so it survives re-linking."""
    from detente.store import schema

    conn.exec_driver_sql("ALTER TABLE documents ADD COLUMN duplicate_of VARCHAR")
    conn.exec_driver_sql("ALTER TABLE events ADD COLUMN merged_into VARCHAR")
    conn.exec_driver_sql("ALTER TABLE events ADD COLUMN merge_note TEXT NOT NULL DEFAULT ''")
    schema.document_signatures.create(conn)
    schema.conflict_reviews.create(conn)
    conn.exec_driver_sql(
        "INSERT INTO conflict_reviews (conflict_id, status, note, reviewed_at) "
        "SELECT id, status, '', datetime('now') FROM conflicts WHERE status != 'open'")


def _v3_dyad_pairs(conn: Connection) -> None:
    """v2 → v3: the `event_dyads` pairs that let a dyad query read its own events in one range,
    backfilled from `event_actors` (about a minute per million events), the trigger that keeps
    their copies in step, and an index on `events.merged_into`. Idempotent: a half-built or
    stale table is rebuilt from scratch."""
    from detente.store import schema
    from detente.store.ledger import index_dyads

    for index in schema.events.indexes:
        if index.name == "ix_events_merged_into":
            index.create(conn, checkfirst=True)
    schema.event_dyads.create(conn, checkfirst=True)
    if conn.dialect.name == "sqlite":  # the table may predate its trigger; the DDL is idempotent
        conn.exec_driver_sql(schema.DYAD_COPY_DDL)
    for index in schema.event_dyads.indexes:
        index.create(conn, checkfirst=True)
    conn.execute(schema.event_dyads.delete())
    index_dyads(conn)


def _v4_dyad_rollups(conn: Connection) -> None:
    """v3 → v4: per-pair rollups of the busy dyad pairs (`detente.store.dyads`), computed here
    for every pair, and the trigger that now also marks an updated event's pairs stale.
    Idempotent, like v3."""
    from detente.store import schema
    from detente.store.dyads import mark_stale, refresh_rollups

    for table in (schema.dyad_rollup_pairs, schema.dyad_stale, schema.dyad_rollups, schema.dyad_key_candidates):
        table.create(conn, checkfirst=True)
        for index in table.indexes:
            index.create(conn, checkfirst=True)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS event_dyads_copy")
        conn.exec_driver_sql(schema.DYAD_COPY_DDL)
    mark_stale(conn)
    refresh_rollups(conn)


MIGRATIONS: dict[int, Migration] = {2: _v2_link_stage, 3: _v3_dyad_pairs, 4: _v4_dyad_rollups}


def current_schema_version() -> int:
    return max([BASE_SCHEMA_VERSION, *MIGRATIONS])


def pending_migrations(stored_version: int) -> list[tuple[int, Migration]]:
    """The steps from `stored_version` to the current version; a gap in the registry is a
    programming error, caught here rather than half-way through an upgrade."""
    target = current_schema_version()
    steps = []
    for version in range(stored_version + 1, target + 1):
        if version not in MIGRATIONS:
            raise RuntimeError(f"no migration registered to ledger schema v{version}")
        steps.append((version, MIGRATIONS[version]))
    return steps
