"""Per-pair rollups of the dyad views (`detente.store.dyads`): a view read from stored
rollups, from live sums or from both gives what the plain per-event computation gives; an
event reached through two pairs of a dyad weighs once; a change to an event makes its pairs
stale until the link stage recomputes them; ingest leaves nothing stale; a v3 ledger gets
its rollups when opened."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from sqlalchemy import insert, select

from detente import api
from detente.analyse.dyad import dyad_view, dyad_view_from_events
from detente.store import Ledger, current_schema_version
from detente.store.dyads import (
    ROLLUP_CONFIDENCES,
    ROLLUP_META_KEY,
    ROLLUP_VERSION,
    mark_stale,
    refresh_rollups,
    rolled_pairs,
)
from detente.store.ledger import index_dyads
from detente.store.schema import event_actors, events, get_meta

from test_bench_dyad_smoke import _close

DYADS = (("RUS", "PRK"), ("USA", "PRK"), ("CHN", "PRK"), ("RUS", "USA"))


def _copy(demo_ledger, tmp_path, name="copy.db"):
    db = tmp_path / name
    shutil.copy(demo_ledger[0], db)
    return db


def _roll_everything(db, min_rows=1) -> int:
    with Ledger(db) as ledger, ledger._writing() as conn:
        mark_stale(conn)
        return refresh_rollups(conn, min_rows)


def _assert_views_match(db, dyads=DYADS, min_confidence=0.0):
    with api.open_existing_ledger(db) as ledger:
        gazetteer = api.ledger_gazetteer(ledger)
        for a, b in dyads:
            groups = api.actor_group(a, True, gazetteer), api.actor_group(b, True, gazetteer)
            for granularity in ("year", "month"):
                fast = dyad_view(ledger, a, b, *groups, granularity, min_confidence)
                plain = dyad_view_from_events(ledger, a, b, *groups, granularity, min_confidence)
                _close(fast, plain, f"{a}-{b} {granularity}")


def _rolled(db, a, b) -> list[tuple[str, str]]:
    with api.open_existing_ledger(db) as ledger, ledger._reading() as conn:
        gazetteer = api.ledger_gazetteer(ledger)
        return rolled_pairs(conn, api.actor_group(a, True, gazetteer), api.actor_group(b, True, gazetteer))


def test_ingest_leaves_no_pair_stale(demo_ledger):
    with sqlite3.connect(demo_ledger[0]) as raw:
        assert raw.execute("SELECT count(*) FROM dyad_stale").fetchone() == (0,)
        assert raw.execute("SELECT value FROM meta WHERE key = ?", (ROLLUP_META_KEY,)).fetchone() == (ROLLUP_VERSION,)


def test_views_from_rollups_match_the_per_event_computation(demo_ledger, tmp_path):
    db = _copy(demo_ledger, tmp_path)
    assert _roll_everything(db) > 0
    assert ("RUS", "PRK") in _rolled(db, "RUS", "PRK")
    with sqlite3.connect(db) as raw:  # the demo's merged events are reached through their records
        assert raw.execute("SELECT count(*) FROM events WHERE merged_into IS NOT NULL").fetchone()[0] > 0
    _assert_views_match(db)
    _assert_views_match(db, min_confidence=0.5)  # its own rollups
    _assert_views_match(db, min_confidence=0.3)  # no rollups for this floor: summed live
    with sqlite3.connect(db) as raw:
        floors = dict(raw.execute("SELECT min_confidence, sum(events) FROM dyad_rollups "
                                  "WHERE first = 'RUS' AND second = 'PRK' AND granularity = 'year' GROUP BY 1"))
    assert set(floors) == set(ROLLUP_CONFIDENCES) and floors[0.5] < floors[0.0]


def test_a_dyad_of_rolled_and_live_pairs_adds_both(demo_ledger, tmp_path):
    db = _copy(demo_ledger, tmp_path)
    with sqlite3.connect(db) as raw:
        rows = dict(((first, second), count) for first, second, count in raw.execute(
            "SELECT first, second, count(*) FROM event_dyads WHERE first IN ('RUS', 'SUN') AND second = 'PRK' "
            "GROUP BY 1, 2"))
    assert rows[("RUS", "PRK")] != rows[("SUN", "PRK")]
    _roll_everything(db, min_rows=max(rows.values()))  # only the busier of the two
    assert len(_rolled(db, "RUS", "PRK")) == 1
    _assert_views_match(db, dyads=(("RUS", "PRK"),))


def test_an_event_reached_through_two_pairs_weighs_once(demo_ledger, tmp_path):
    """Russia and the Soviet Union both acting in one event: under lineage the RUS-PRK dyad
    reaches it through (RUS, PRK) and (SUN, PRK), and counts it once."""
    db = _copy(demo_ledger, tmp_path)
    before = api.dyad(db, "RUS", "PRK")["event_count"]
    with Ledger(db) as ledger, ledger._writing() as conn:
        model = conn.execute(select(events).where(events.c.merged_into.is_(None), events.c.negated.is_(False),
                                                  events.c.date_precision == "day").limit(1)).one()
        row = dict(model._mapping, id="ev_two_pairs", goldstein=-7.0, type="THREATEN", quad_class=3)
        conn.execute(insert(events).values(**row))
        actor = {"event_id": "ev_two_pairs", "name": "", "sector": "", "kind": "state", "text": "", "inferred": False,
                 "start": 0, "end": 1}
        conn.execute(insert(event_actors), [
            {**actor, "role": "source", "position": 0, "code": "RUS", "country": "RUS"},
            {**actor, "role": "source", "position": 1, "code": "SUN", "country": "SUN"},
            {**actor, "role": "target", "position": 0, "code": "PRK", "country": "PRK"}])
        index_dyads(conn, ["ev_two_pairs"])
        mark_stale(conn, ["ev_two_pairs"])
    assert api.dyad(db, "RUS", "PRK")["event_count"] == before + 1  # live
    _assert_views_match(db, dyads=(("RUS", "PRK"),))
    _roll_everything(db)
    assert api.dyad(db, "RUS", "PRK")["event_count"] == before + 1  # from rollups
    _assert_views_match(db, dyads=(("RUS", "PRK"),))
    assert api.dyad(db, "RUS", "PRK", lineage=False)["event_count"] == api.dyad(
        demo_ledger[0], "RUS", "PRK", lineage=False)["event_count"] + 1


def test_a_changed_event_makes_its_pairs_stale_until_the_link_stage(demo_ledger, tmp_path):
    db = _copy(demo_ledger, tmp_path)
    _roll_everything(db)
    timeline = [event["id"] for event in api.timeline(db, "RUS", "PRK", lineage=False)]
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE events SET sources_count = 40 WHERE id = ?", (timeline[0],))
        raw.execute("UPDATE events SET merged_into = ? WHERE id = ?", (timeline[2], timeline[1]))
    assert ("RUS", "PRK") not in _rolled(db, "RUS", "PRK")  # stale: summed live meanwhile
    _assert_views_match(db, dyads=(("RUS", "PRK"),))
    key_events = {event["id"] for phase in api.phases(db, "RUS", "PRK") for event in phase["key_events"]}
    assert timeline[0] in key_events
    with Ledger(db) as ledger, ledger._writing() as conn:
        refresh_rollups(conn, 1)
    assert ("RUS", "PRK") in _rolled(db, "RUS", "PRK")
    _assert_views_match(db, dyads=(("RUS", "PRK"),))


def test_a_v3_ledger_gets_its_rollups_when_opened(demo_ledger, tmp_path):
    from detente.store.schema import DYAD_COPY_DDL

    db = _copy(demo_ledger, tmp_path)
    expected = api.dyad(db, "RUS", "PRK")
    old_trigger = DYAD_COPY_DDL.split("; INSERT OR IGNORE INTO dyad_stale")[0] + "; END"
    with sqlite3.connect(db) as raw:
        for table in ("dyad_rollup_pairs", "dyad_stale", "dyad_rollups", "dyad_key_candidates"):
            raw.execute(f"DROP TABLE {table}")
        raw.execute("DROP TRIGGER event_dyads_copy")
        raw.execute(old_trigger)
        raw.execute("DELETE FROM meta WHERE key = ?", (ROLLUP_META_KEY,))
        raw.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    assert api.dyad(db, "RUS", "PRK") == expected
    with Ledger(db, readonly=True) as ledger, ledger._reading() as conn:
        assert ledger.schema_version == current_schema_version()
        assert get_meta(conn, ROLLUP_META_KEY) == ROLLUP_VERSION
    with sqlite3.connect(db) as raw:  # the new trigger marks an updated event's pairs stale
        event_id = api.timeline(db, "RUS", "PRK")[0]["id"]
        raw.execute("UPDATE events SET sources_count = sources_count + 1 WHERE id = ?", (event_id,))
        assert raw.execute("SELECT count(*) FROM dyad_stale").fetchone()[0] > 0


@pytest.mark.parametrize("min_rows", [1, 10**9])
def test_refresh_is_idempotent(demo_ledger, tmp_path, min_rows):
    db = _copy(demo_ledger, tmp_path)
    first = _roll_everything(db, min_rows)
    with sqlite3.connect(db) as raw:
        counts = [raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in ("dyad_rollup_pairs", "dyad_rollups", "dyad_key_candidates")]
    assert _roll_everything(db, min_rows) == first
    with sqlite3.connect(db) as raw:
        assert counts == [raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                          for table in ("dyad_rollup_pairs", "dyad_rollups", "dyad_key_candidates")]
    assert (counts[0] > 0) == (min_rows == 1)


def test_marking_an_event_stale_marks_the_pairs_of_the_records_folded_into_it(demo_ledger, tmp_path):
    """A deleted canonical event was reached through its records' pairs too: their rollups
    must be recomputed as well as its own."""
    db = _copy(demo_ledger, tmp_path)
    with sqlite3.connect(db) as raw:
        member, canonical = raw.execute("SELECT id, merged_into FROM events WHERE merged_into IS NOT NULL "
                                        "ORDER BY id LIMIT 1").fetchone()
        member_pairs = set(raw.execute("SELECT first, second FROM event_dyads WHERE event_id = ?", (member,)))
        # So that only the record can lead to its pairs (in the demo both link the same ones).
        raw.execute("DELETE FROM event_dyads WHERE event_id = ?", (canonical,))
    assert member_pairs
    with Ledger(db) as ledger, ledger._writing() as conn:
        mark_stale(conn, [canonical])
    with sqlite3.connect(db) as raw:
        assert member_pairs <= set(raw.execute("SELECT first, second FROM dyad_stale"))
