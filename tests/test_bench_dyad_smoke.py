"""The 1M-event dyad benchmark's builder, run small: the ledger it writes opens, the dyad API
counts each dyad's events as the generator made them, the SQL-aggregated dyad view agrees
with the plain per-event computation, and a ledger from before the dyad pairs (schema v2)
is upgraded in place. Not timed: the figures come from `benchmarks/dyad.py`."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

import pytest

from detente import api
from detente.analyse.dyad import dyad_view, dyad_view_from_events, timeline_page
from detente.store import Ledger, current_schema_version

EVENTS = 6000


def _load_benchmark():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "dyad.py"
    spec = importlib.util.spec_from_file_location("bench_dyad", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _load_benchmark()


@pytest.fixture(scope="module")
def built(bench, tmp_path_factory):
    db = tmp_path_factory.mktemp("bench") / "dyad.db"
    # Pairs of 50 rows or more get rollups: the heavy dyads are read from them, the rest live.
    synthetic = bench.build_ledger(db, EVENTS, log=lambda *_: None, rollup_min_rows=50)
    return db, synthetic


def test_built_ledger_opens_with_every_event(built):
    db, _ = built
    with Ledger(db, readonly=True) as ledger:
        assert ledger.schema_version == current_schema_version()
        assert ledger.stats()["events"] == EVENTS
        assert ledger.check() == []


def test_dyad_api_counts_what_the_generator_made(built, bench):
    db, synthetic = built
    dyads = bench.query_dyads(synthetic, 12)
    assert {size for _, _, size in dyads} == {"heavy", "medium", "light"}
    for a, b, _ in dyads:
        result = api.dyad(db, a, b)
        assert result["event_count"] == synthetic.expected_count(a, b), (a, b)
        placed = sum(row["events"] for row in result["series"])
        assert placed + result["unplaced"]["count"] == pytest.approx(result["event_count"], abs=0.05)  # periods round to 4 places
    # Russia's dyads hold Soviet-era events only through lineage.
    with_lineage = api.dyad(db, "USA", "RUS")["event_count"]
    without = api.dyad(db, "USA", "RUS", lineage=False)["event_count"]
    assert with_lineage == synthetic.expected_count("USA", "RUS") and 0 < without < with_lineage


def _close(new, old, path="view"):
    """Equal up to the last rounded digit: SQL and Python sum the same weights in another order."""
    if isinstance(new, float) or isinstance(old, float):
        assert new == pytest.approx(old, abs=2e-3), path
    elif isinstance(new, dict):
        assert set(new) == set(old), path
        for key in new:
            _close(new[key], old[key], f"{path}.{key}")
    elif isinstance(new, list):
        assert len(new) == len(old), path
        for number, (x, y) in enumerate(zip(new, old)):
            _close(x, y, f"{path}[{number}]")
    else:
        assert new == old, path


@pytest.mark.parametrize("granularity", ["year", "month"])
def test_sql_dyad_view_matches_the_per_event_computation(built, granularity):
    db, _ = built
    with api.open_existing_ledger(db) as ledger:
        gazetteer = api.ledger_gazetteer(ledger)
        for a, b in (("USA", "RUS"), ("ISR", "PSE"), ("JPN", "KOR")):
            group_a, group_b = api.actor_group(a, True, gazetteer), api.actor_group(b, True, gazetteer)
            for min_confidence in (0.0, 0.5, 0.7):  # rollups kept for the first two; the last summed live
                fast = dyad_view(ledger, a, b, group_a, group_b, granularity, min_confidence)
                plain = dyad_view_from_events(ledger, a, b, group_a, group_b, granularity, min_confidence)
                assert fast["phases"], (a, b)
                _close(fast, plain)


def test_timeline_pages_follow_the_full_timeline(built):
    db, _ = built
    everything = api.timeline(db, "RUS", "PRK")
    pages = [api.timeline(db, "RUS", "PRK", offset=offset, limit=97) for offset in range(0, len(everything) + 97, 97)]
    assert [event["id"] for page in pages for event in page] == [event["id"] for event in everything]
    assert pages[-1] == [] and len(pages[0]) == 97


def test_a_v2_ledger_gets_its_dyad_pairs_when_opened(built, tmp_path):
    db, synthetic = built
    old = tmp_path / "v2.db"
    with sqlite3.connect(db) as source, sqlite3.connect(old) as target:
        source.backup(target)
    with sqlite3.connect(old) as raw:
        raw.execute("DROP TRIGGER event_dyads_copy")
        raw.execute("DROP INDEX ix_events_merged_into")
        raw.execute("DROP TABLE event_dyads")
        raw.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    with pytest.raises(Exception, match="needs upgrading"):
        Ledger(old, readonly=True)
    with Ledger(old) as ledger:
        assert ledger.schema_version == current_schema_version()
    with sqlite3.connect(old) as raw, sqlite3.connect(db) as fresh:
        query = "SELECT first, second, event_id FROM event_dyads ORDER BY 1, 2, 3"
        assert raw.execute(query).fetchall() == fresh.execute(query).fetchall()
        for name in ("ix_events_merged_into", "event_dyads_copy"):
            assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = ?", (name,)).fetchone() == (1,)
    assert api.dyad(old, "USA", "RUS")["event_count"] == synthetic.expected_count("USA", "RUS")
    # Running the step again (say, after a crash mid-way) rebuilds the same pairs.
    from detente.store.migrations import MIGRATIONS

    with Ledger(old) as ledger, ledger._writing() as conn:
        MIGRATIONS[3](conn)
    with sqlite3.connect(old) as raw, sqlite3.connect(db) as fresh:
        query = "SELECT count(*) FROM event_dyads"
        assert raw.execute(query).fetchone() == fresh.execute(query).fetchone()


def test_benchmark_command_runs_small(bench, tmp_path, capsys):
    assert bench.main(["--events", "3000", "--dir", str(tmp_path), "--queries", "8", "--no-http"]) in (0, 1)
    out = capsys.readouterr().out
    assert "in-process api.dyad: p50" in out and "COUNT MISMATCH" not in out


def test_dyad_copies_follow_merges_made_after_the_pairs_were_written(built, tmp_path):
    """The link stage updates `events` (merged_into, sources_count) after `event_dyads` holds
    its copies; the dyad views must see the update, as the per-event computation does."""
    db, _ = built
    copy = tmp_path / "merged.db"
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    usa_rus = [event["id"] for event in api.timeline(copy, "USA", "RUS")]
    jpn_kor = [event["id"] for event in api.timeline(copy, "JPN", "KOR")]
    before = api.dyad(copy, "USA", "RUS")["event_count"]
    with Ledger(copy) as ledger, ledger._writing() as conn:
        # one record folded into another of the same dyad, one into an event of another dyad
        conn.exec_driver_sql("UPDATE events SET merged_into = ? WHERE id = ?", (usa_rus[1], usa_rus[0]))
        conn.exec_driver_sql("UPDATE events SET merged_into = ? WHERE id = ?", (jpn_kor[0], usa_rus[2]))
        conn.exec_driver_sql("UPDATE events SET sources_count = 40 WHERE id = ?", (usa_rus[3],))
    with sqlite3.connect(copy) as raw:
        stale = raw.execute("SELECT count(*) FROM event_dyads d JOIN events e ON e.id = d.event_id "
                            "WHERE d.merged_into IS NOT e.merged_into OR d.sources_count IS NOT e.sources_count")
        assert stale.fetchone() == (0,)
    after = api.dyad(copy, "USA", "RUS")
    assert after["event_count"] == before - 1  # usa_rus[0] folded away; jpn_kor[0] now reached through usa_rus[2]
    assert usa_rus[3] in {event["id"] for phase in after["phases"] for event in phase["key_events"]}
    with api.open_existing_ledger(copy) as ledger:
        gazetteer = api.ledger_gazetteer(ledger)
        groups = api.actor_group("USA", True, gazetteer), api.actor_group("RUS", True, gazetteer)
        _close(dyad_view(ledger, "USA", "RUS", *groups), dyad_view_from_events(ledger, "USA", "RUS", *groups))
        ids = [event["id"] for event in timeline_page(ledger, *groups, offset=0, limit=10_000)]
    assert ids == [event["id"] for event in api.timeline(copy, "USA", "RUS")] and jpn_kor[0] in ids


def test_web_dyad_timeline_comes_in_pages(built):
    from fastapi.testclient import TestClient

    from detente.web.app import TIMELINE_PAGE_SIZE, create_app

    db, synthetic = built
    client = TestClient(create_app(db))
    first = client.get("/api/dyad", params={"a": "USA", "b": "RUS"}).json()
    total = synthetic.expected_count("USA", "RUS")
    assert first["timeline_page"] == {"page": 1, "pages": -(-total // TIMELINE_PAGE_SIZE),
                                      "size": TIMELINE_PAGE_SIZE, "total": total}
    assert len(first["timeline"]) == min(total, TIMELINE_PAGE_SIZE) and first["trajectory"]["event_count"] == total
    last_page = first["timeline_page"]["pages"]
    last = client.get("/api/dyad", params={"a": "USA", "b": "RUS", "page": last_page}).json()
    assert len(last["timeline"]) == total - (last_page - 1) * TIMELINE_PAGE_SIZE
    past = client.get("/api/dyad", params={"a": "USA", "b": "RUS", "page": last_page + 1})
    assert past.status_code == 404 and "past the last page" in past.json()["detail"]
    assert client.get("/api/dyad", params={"a": "USA", "b": "RUS", "page": 10**9}).status_code == 422
