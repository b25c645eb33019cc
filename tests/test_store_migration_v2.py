"""A ledger written at schema v1 opens at v2 with its data, and gets linked on the next ingest."""

from __future__ import annotations

import sqlite3

from conftest import run_cli
from detente import api
from detente.store import Ledger, current_schema_version


def _downgrade_to_v1(path) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TRIGGER IF EXISTS event_dyads_copy")  # v3
        raw.execute("DROP INDEX IF EXISTS ix_events_merged_into")  # v3
        raw.execute("DROP TABLE IF EXISTS event_dyads")  # v3
        raw.execute("ALTER TABLE documents DROP COLUMN duplicate_of")
        raw.execute("ALTER TABLE events DROP COLUMN merged_into")
        raw.execute("ALTER TABLE events DROP COLUMN merge_note")
        raw.execute("DROP TABLE document_signatures")
        raw.execute("DROP TABLE conflict_reviews")
        raw.execute("DELETE FROM meta WHERE key = 'link_version'")
        raw.execute("UPDATE conflicts SET status = 'dismissed'")
        raw.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")


def test_v1_ledger_is_migrated_keeping_data_and_review_status(demo_ledger, tmp_path):
    db, _ = demo_ledger
    old = tmp_path / "v1.db"
    with sqlite3.connect(db) as source, sqlite3.connect(old) as target:
        source.backup(target)
    before = api.conflicts(db)
    _downgrade_to_v1(old)
    assert current_schema_version() >= 2
    with Ledger(old) as ledger:
        assert ledger.schema_version == current_schema_version()
        assert ledger.stats()["documents"] == 17
    with sqlite3.connect(old) as raw:
        reviews = dict(raw.execute("SELECT conflict_id, status FROM conflict_reviews").fetchall())
    assert set(reviews) == {c["id"] for c in before} and set(reviews.values()) == {"dismissed"}
    # re-ingesting the unchanged corpus recomputes the link stage of the upgraded ledger
    result = run_cli("ingest", str(api.demo_corpus()), "--db", str(old), "--json")
    assert result.returncode == 0, result.stderr
    after = api.conflicts(old)
    assert {c["id"] for c in after} == {c["id"] for c in before}
    assert {c["status"] for c in after} == {"dismissed"}


def test_a_query_on_an_older_ledger_upgrades_it_first_instead_of_failing(demo_ledger, tmp_path):
    """A ledger made by an earlier release opens in this one, also through the read-only
    query commands and the web app (they run the migrations once, then read)."""
    db, _ = demo_ledger
    old = tmp_path / "old.db"
    with sqlite3.connect(db) as source, sqlite3.connect(old) as target:
        source.backup(target)
    _downgrade_to_v1(old)
    result = run_cli("dyad", "RUS", "PRK", "--db", str(old), "--json")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(old) as raw:
        stored = raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    assert int(stored) == current_schema_version()
