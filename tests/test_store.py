"""The ledger against a real SQLite file: writes, every query, schema versions, bad files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from detente.model import Actor, Role
from detente.store import (
    MARK_END,
    MARK_START,
    MIGRATIONS,
    Ledger,
    LedgerError,
    current_schema_version,
    date_bounds,
    snippet_segments,
)
from test_store_fixtures import numbered_document, rank_conflict, soviet_document, summit_document

EVENT_KEYS = {"id", "type", "cameo", "quad_class", "goldstein", "source", "target", "date", "negated", "modality",
              "confidence", "mentions", "sources_count"}
DOCUMENT_KEYS = {"id", "name", "title", "url", "published", "sha256", "sentences", "events"}


@pytest.fixture()
def docs():
    return soviet_document(), summit_document()


@pytest.fixture()
def ledger(tmp_path, docs):
    with Ledger(tmp_path / "ledger.db") as opened:
        for extracted in docs:
            opened.write_document(extracted)
        yield opened


def ids(records) -> list[str]:
    return [record["id"] for record in records]


def event_ids_by_type(ledger: Ledger, **filters) -> list[str]:
    return [f"{event['type']}:{event['date']['value']}" for event in ledger.events(**filters)]


# ------------------------------------------------------------------ writing and documents

def test_events_read_back_exactly_as_the_model_exports_them(ledger, docs):
    written = {event.id: event.to_dict() for extracted in docs for event in extracted.events}
    stored = {event["id"]: event for event in ledger.events(include_negated=True)}
    assert stored == written
    assert all(set(event) == EVENT_KEYS for event in stored.values())


def test_document_shape_and_counts(ledger, docs):
    soviet, summit = docs
    record = ledger.document(soviet.document.id)
    assert set(record) == DOCUMENT_KEYS
    assert record["name"] == "soviet.txt" and record["title"] == "The Soviet years"
    assert record["url"] == "https://example.org/soviet"
    assert record["published"] == {"value": "2019-05-01", "start": "2019-05-01", "end": "2019-05-01",
                                   "precision": "day", "modifier": None, "basis": "metadata"}
    assert (record["sentences"], record["events"]) == (5, 4)
    assert ledger.document("nope") is None
    assert [d["name"] for d in ledger.documents()] == ["soviet.txt", "summit.html"]
    assert ledger.document_text(summit.document.id) == summit.document.text
    assert [s["index"] for s in ledger.sentences(summit.document.id)] == [0, 1, 2, 3]


def test_has_document_and_sources_recorded_once(ledger, docs):
    soviet, _ = docs
    assert ledger.has_document(soviet.document.id)
    assert not ledger.has_document("0000000000000000")
    ledger.record_source(soviet.document.id, "mirror/soviet-copy.txt", "")
    ledger.record_source(soviet.document.id, "mirror/soviet-copy.txt", "")
    names = [source["name"] for source in ledger.document_sources(soviet.document.id)]
    assert names == ["soviet.txt", "mirror/soviet-copy.txt"]
    assert ledger.stats()["documents"] == 2


def test_rewriting_a_document_replaces_its_rows(tmp_path, docs):
    soviet, summit = docs
    with Ledger(tmp_path / "ledger.db") as ledger:
        ledger.write_document(soviet)
        ledger.write_document(summit)
        before = ledger.stats()
        before.pop("file_size")
        ledger.write_document(soviet)
        ledger.write_document(soviet)
        after = ledger.stats()
        after.pop("file_size")
        assert after == before
        smaller = soviet_document()
        smaller.events = smaller.events[:1]
        ledger.write_document(smaller)
        assert ledger.document(soviet.document.id)["events"] == 1
        assert ledger.stats()["events"] == before["events"] - 3
        assert ledger.stats()["sentences"] == before["sentences"]
        assert [hit["doc_id"] for hit in ledger.search("Washington")] == [soviet.document.id]
        assert len(ledger.search("Pyongyang")) == 1
        assert ledger.check() == []


def test_actors_are_upserted_with_surface_forms_and_counts(ledger):
    actors = {actor["code"]: actor for actor in ledger.actors()}
    assert {"SUN", "PRK", "RUS", "USA", "CHN", "putin"} <= set(actors)
    assert actors["putin"]["kind"] == "person" and actors["putin"]["country"] == "RUS"
    assert "Kim Jong Un" in actors["PRK"]["aliases"] and "Pyongyang" in actors["PRK"]["aliases"]
    assert actors["PRK"]["events"] == 5
    assert next(iter(ledger.actors()))["code"] == "PRK"  # most active first

    ledger.upsert_actors([Actor("RUS", "Russian Federation", "state", predecessor="SUN", aliases=["Kremlin"]),
                          Actor("putin", "Vladimir Putin", "person", "GOV", "RUS",
                                roles=[Role("RUS", "GOV", "President", "2000-05-07", "2008-05-07")])])
    actors = {actor["code"]: actor for actor in ledger.actors()}
    assert actors["RUS"]["name"] == "Russian Federation" and actors["RUS"]["predecessor"] == "SUN"
    assert "Kremlin" in actors["RUS"]["aliases"] and "Moscow" in actors["RUS"]["aliases"]
    assert actors["putin"]["roles"][0]["title"] == "President"


# ------------------------------------------------------------------ event queries

def test_actor_groups_match_code_or_country_with_lineage(ledger):
    russia = ["RUS", "SUN"]
    assert event_ids_by_type(ledger, actors=[russia]) == [
        "CONSULT:1950-06", "COOPERATE:1961", "CONSULT:2000-07-19", "AGREE:2019-04-25", "ACCUSE:"]
    # Putin (a person) matches Russia through his country.
    assert "CONSULT:2000-07-19" in event_ids_by_type(ledger, actors=[["RUS"]])
    assert event_ids_by_type(ledger, actors=[["RUS"]], type="CONSULT") == ["CONSULT:2000-07-19"]
    # Several groups: each must match.
    assert event_ids_by_type(ledger, actors=[russia, ["USA"]]) == ["ACCUSE:"]
    assert event_ids_by_type(ledger, actors=[["CHN"], ["USA"]]) == ["ACCUSE:1950/1953"]
    assert list(ledger.events(actors=[[]])) == []


def test_negation_modality_confidence_and_limit(ledger):
    assert "SANCTION:2017" not in event_ids_by_type(ledger)
    assert "SANCTION:2017" in event_ids_by_type(ledger, include_negated=True)
    assert event_ids_by_type(ledger, modality=["reported"]) == ["AGREE:2019-04-25"]
    assert event_ids_by_type(ledger, min_confidence=0.75) == ["CONSULT:2000-07-19", "AGREE:2019-04-25"]
    assert len(list(ledger.events(limit=2))) == 2
    assert list(ledger.events(limit=0)) == []
    assert len(list(ledger.events(limit=100))) == 6


def test_date_filters_overlap_at_year_and_month_precision(ledger):
    assert event_ids_by_type(ledger, date_from="1950", date_to="1950") == ["ACCUSE:1950/1953", "CONSULT:1950-06"]
    # The Korean War range (1950-1953) overlaps 1952; the June 1950 meeting does not.
    assert event_ids_by_type(ledger, date_from="1952", date_to="1952") == ["ACCUSE:1950/1953"]
    assert event_ids_by_type(ledger, date_from="1950-07", date_to="1950-12") == ["ACCUSE:1950/1953"]
    assert event_ids_by_type(ledger, date_from="1950-06", date_to="1950-06") == [
        "ACCUSE:1950/1953", "CONSULT:1950-06"]
    assert event_ids_by_type(ledger, date_from="2019-04") == ["AGREE:2019-04-25"]
    assert event_ids_by_type(ledger, date_from="2019-05") == []
    assert event_ids_by_type(ledger, date_to="1949") == []
    assert event_ids_by_type(ledger, date_from="2000-07-19", date_to="2000-07-19") == ["CONSULT:2000-07-19"]
    # Undated events are excluded as soon as any date filter is given.
    assert "ACCUSE:" not in event_ids_by_type(ledger, date_from="1900")
    with pytest.raises(ValueError):
        list(ledger.events(date_from="June 1950"))


def test_date_bounds():
    assert date_bounds("1950") == ("1950-01-01", "1950-12-31")
    assert date_bounds("2019-04") == ("2019-04-01", "2019-04-31")
    assert date_bounds("2019-04-25") == ("2019-04-25", "2019-04-25")


def test_timeline_in_both_directions_with_symmetric_events(ledger):
    russia, korea = ["RUS", "SUN"], ["PRK"]
    forward = ledger.timeline(russia, korea)
    assert [f"{e['type']}:{e['date']['value']}" for e in forward] == [
        "CONSULT:1950-06", "COOPERATE:1961", "CONSULT:2000-07-19", "AGREE:2019-04-25"]
    assert ids(ledger.timeline(korea, russia)) == ids(forward)
    assert all(event["sources_count"] == 1 for event in forward)
    assert [e["type"] for e in ledger.timeline(russia, korea, date_from="2000")] == ["CONSULT", "AGREE"]
    assert [e["type"] for e in ledger.timeline(russia, korea, include_negated=True, type="SANCTION")] == ["SANCTION"]
    assert ledger.timeline(["CHN"], korea) == []
    assert len(ledger.timeline(russia, korea, limit=1)) == 1


def test_event_detail_carries_sentence_title_and_publication(ledger, docs):
    soviet, _ = docs
    putin_visit = soviet.events[1]
    record = ledger.event(putin_visit.id)
    mention = record["mentions"][0]
    assert mention["sentence_text"] == "Putin visited Pyongyang on 19 July 2000."
    assert mention["doc_title"] == "The Soviet years"
    assert mention["doc_name"] == "soviet.txt"
    assert mention["published"]["value"] == "2019-05-01"
    text = soviet.document.text
    assert text[mention["start"]:mention["end"]] == mention["sentence_text"]
    assert record["source"][0] == {"code": "putin", "name": "Vladimir Putin", "country": "RUS", "sector": "GOV",
                                   "text": "Putin"}
    assert ledger.event("ev_missing") is None


def test_an_event_reported_by_two_documents_counts_two_sources(tmp_path, docs):
    soviet, summit = docs
    shared = soviet.events[1]
    second = summit.events[0]
    # A linked event: the Putin visit, also mentioned by the summit article.
    from dataclasses import replace
    summit.events = [replace(shared, mentions=[second.mentions[0]])] + summit.events[1:]
    with Ledger(tmp_path / "ledger.db") as ledger:
        ledger.write_document(soviet)
        ledger.write_document(summit)
        record = ledger.event(shared.id)
        assert record["sources_count"] == 2
        assert [m["doc_name"] for m in record["mentions"]] == ["soviet.txt", "summit.html"]
        assert ledger.document(summit.document.id)["events"] == 3
        ledger.write_document(soviet)  # re-ingest keeps the other document's mention
        assert ledger.event(shared.id)["sources_count"] == 2
        assert ledger.check() == []


# ------------------------------------------------------------------ search

def test_search_marks_matches_and_tolerates_bad_syntax(ledger, docs):
    hits = ledger.search("Pyongyang")
    assert len(hits) == 1
    hit = hits[0]
    assert set(hit) == {"doc_id", "doc_name", "title", "published", "sentence", "start", "end", "text", "snippet"}
    assert (hit["doc_name"], hit["sentence"], hit["published"]) == ("soviet.txt", 2, "2019-05-01")
    assert f"{MARK_START}Pyongyang{MARK_END}" in hit["snippet"]
    assert ("Pyongyang", True) in snippet_segments(hit["snippet"])
    assert "[Pyongyang]" in ledger.search("pyongyang", mark=("[", "]"))[0]["snippet"]
    # Stemming: "visits" finds "visited".
    assert len(ledger.search("visits")) == 1
    assert {h["doc_name"] for h in ledger.search("Kim Il Sung")} == {"soviet.txt", "summit.html"}
    assert len(ledger.search('"Kim Il Sung" major')) == 1
    for malformed in ['"Kim Il', "Kim AND", "Il-Sung", "NEAR(", "(((", "text: :", "*", "Soviet:army", "'"]:
        ledger.search(malformed)  # must not raise
    assert len(ledger.search('"Pyongyang')) == 1
    assert len(ledger.search("Il-Sung")) == 3
    assert ledger.search("") == [] and ledger.search("   ") == []
    assert len(ledger.search("Kim", limit=1)) == 1
    assert len(ledger.search("Kim", limit=10, offset=1)) == 3  # four sentences name a Kim


def test_snippet_segments_splits_marks():
    assert snippet_segments(f"a {MARK_START}b{MARK_END} c") == [("a ", False), ("b", True), (" c", False)]
    assert snippet_segments("plain") == [("plain", False)]


# ------------------------------------------------------------------ claims, conflicts, stats

def test_claims_and_conflicts_with_review_status(ledger, docs):
    soviet, summit = docs
    values = [claim["value"] for claim in ledger.claims(subject="kim-il-sung")]
    assert sorted(values) == ["captain", "major"]
    assert ledger.write_conflicts([rank_conflict(soviet, summit)]) == 1
    (conflict,) = ledger.conflicts()
    assert set(conflict) == {"id", "kind", "subject", "attribute", "explanation", "claims", "status"}
    assert conflict["status"] == "open"
    assert [(c["value"], c["doc_name"], c["sentence"]) for c in conflict["claims"]] == [
        ("captain", "soviet.txt", 1), ("major", "summit.html", 3)]
    assert rank_conflict(soviet, summit).to_dict() == conflict
    ledger.set_conflict_status("cf_rank", "confirmed")
    ledger.write_conflicts([rank_conflict(soviet, summit)])  # a re-run keeps the reviewer's decision
    assert [c["status"] for c in ledger.conflicts()] == ["confirmed"]
    assert list(ledger.conflicts(status="open")) == []
    with pytest.raises(ValueError):
        ledger.set_conflict_status("cf_rank", "maybe")
    with pytest.raises(LedgerError):
        ledger.set_conflict_status("cf_missing", "dismissed")


def test_stats(ledger):
    stats = ledger.stats()
    assert stats["documents"] == 2 and stats["sentences"] == 9
    assert stats["events"] == 7 and stats["mentions"] == 7
    assert stats["events_by_type"] == {"ACCUSE": 2, "AGREE": 1, "CONSULT": 2, "COOPERATE": 1, "SANCTION": 1}
    assert stats["claims"] == 2 and stats["conflicts"] == 0
    assert stats["date_range"] == {"start": "1950-01-01", "end": "2019-04-25"}
    assert stats["schema_version"] == current_schema_version() and stats["file_size"] > 0
    assert stats["actors"] == 6


def test_many_documents_stay_consistent(tmp_path):
    with Ledger(tmp_path / "ledger.db") as ledger:
        for number in range(15):
            ledger.write_document(numbered_document(number))
        assert ledger.stats()["events"] == 90
        assert len(list(ledger.events(limit=1000))) == 90  # spans keyset pages only if large; still exact
        assert len(ledger.search("doc7", limit=100)) == 20
        assert ledger.check() == []


def test_event_stream_pages_in_date_order(tmp_path, monkeypatch):
    import detente.store.ledger as ledger_module

    monkeypatch.setattr(ledger_module, "_BATCH", 4)
    with Ledger(tmp_path / "ledger.db") as ledger:
        for number in range(3):
            ledger.write_document(numbered_document(number, event_count=5))
        ledger.write_document(soviet_document())
        events = list(ledger.events(include_negated=True))
        assert len(events) == 19
        starts = [event["date"]["start"] for event in events]
        dated = [start for start in starts if start]
        assert dated == sorted(dated) and starts[-1] == ""
        assert len({event["id"] for event in events}) == 19
        assert len(list(ledger.events(include_negated=True, limit=9))) == 9


# ------------------------------------------------------------------ opening, versions, bad files

def test_readonly_ledger_reads_but_never_writes(tmp_path, docs):
    path = tmp_path / "ledger.db"
    with Ledger(path) as ledger:
        ledger.write_document(docs[0])
    with Ledger(path, readonly=True) as reader:
        assert reader.stats()["documents"] == 1
        assert reader.check() == []
        with pytest.raises(LedgerError):
            reader.write_document(docs[1])
    with pytest.raises(LedgerError, match="no ledger"):
        Ledger(tmp_path / "absent.db", readonly=True)


def test_migration_upgrades_an_older_ledger_and_keeps_its_data(tmp_path, docs, monkeypatch):
    path = tmp_path / "ledger.db"
    with Ledger(path) as ledger:
        ledger.write_document(docs[0])
    base = current_schema_version()
    calls = []

    def add_review_note(conn):
        calls.append(conn)
        conn.exec_driver_sql("ALTER TABLE conflicts ADD COLUMN review_note TEXT NOT NULL DEFAULT ''")

    monkeypatch.setitem(MIGRATIONS, base + 1, add_review_note)
    with Ledger(path) as ledger:
        assert ledger.schema_version == base + 1
        assert ledger.document(docs[0].document.id)["events"] == 4
        assert len(ledger.search("Pyongyang")) == 1
    with Ledger(path) as ledger:  # already upgraded: nothing runs twice
        assert ledger.schema_version == base + 1
    assert len(calls) == 1
    with sqlite3.connect(path) as raw:
        columns = [row[1] for row in raw.execute("PRAGMA table_info(conflicts)")]
    assert "review_note" in columns


def test_failed_migration_leaves_the_ledger_as_it_was(tmp_path, docs, monkeypatch):
    path = tmp_path / "ledger.db"
    with Ledger(path) as ledger:
        ledger.write_document(docs[0])
    base = current_schema_version()

    def broken(conn):
        conn.exec_driver_sql("ALTER TABLE events ADD COLUMN half_done TEXT")
        raise RuntimeError("migration bug")

    monkeypatch.setitem(MIGRATIONS, base + 1, broken)
    with pytest.raises(LedgerError, match="left unchanged"):
        Ledger(path)
    monkeypatch.delitem(MIGRATIONS, base + 1)
    with Ledger(path) as ledger:
        assert ledger.schema_version == base
        assert ledger.stats()["events"] == 4
    with sqlite3.connect(path) as raw:
        assert "half_done" not in [row[1] for row in raw.execute("PRAGMA table_info(events)")]


def test_a_newer_ledger_is_refused(tmp_path):
    path = tmp_path / "ledger.db"
    Ledger(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(LedgerError, match=r"ledger schema v99 is newer than this detente \(v\d+\); upgrade detente"):
        Ledger(path)


def test_corrupt_or_foreign_files_are_refused_clearly(tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database at all\n" * 200)
    with pytest.raises(LedgerError, match="not a detente ledger"):
        Ledger(garbage)
    with pytest.raises(LedgerError, match="not a detente ledger"):
        Ledger(garbage, readonly=True)

    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as raw:
        raw.execute("CREATE TABLE birds (name TEXT)")
    with pytest.raises(LedgerError, match="not a detente ledger"):
        Ledger(foreign)

    with pytest.raises(LedgerError, match="directory"):
        Ledger(tmp_path)


def test_a_fresh_ledger_records_version_and_creator(tmp_path):
    path = tmp_path / "nested" / "ledger.db"
    with Ledger(path) as ledger:
        assert ledger.schema_version == current_schema_version()
        ledger.set_config({"model": "en_core_web_sm"})
        assert ledger.config() == {"model": "en_core_web_sm"}
    with sqlite3.connect(path) as raw:
        meta = dict(raw.execute("SELECT key, value FROM meta"))
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert meta["created_with"].startswith("detente ")
    assert isinstance(Path(path), Path)


def test_file_names_with_url_characters(tmp_path, docs):
    path = tmp_path / "odd dir #1" / "ledger?v=1%20.db"
    with Ledger(path) as ledger:
        ledger.write_document(docs[0])
    assert path.exists()
    with Ledger(path, readonly=True) as reader:
        assert reader.has_document(docs[0].document.id)


def test_two_writers_and_a_reader_share_one_file(tmp_path):
    import threading

    path = tmp_path / "ledger.db"
    Ledger(path).close()
    errors: list[BaseException] = []

    def write(first: int) -> None:
        try:
            with Ledger(path) as ledger:
                for number in range(first, first + 5):
                    ledger.write_document(numbered_document(number))
                    list(ledger.events(limit=5))
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=write, args=(start,)) for start in (0, 100)]
    for thread in threads:
        thread.start()
    with Ledger(path, readonly=True) as reader:
        for _ in range(5):
            reader.stats()
    for thread in threads:
        thread.join()
    assert errors == []
    with Ledger(path) as ledger:
        assert ledger.stats()["documents"] == 10 and ledger.check() == []


def test_a_version_without_a_migration_path_is_refused(tmp_path):
    path = tmp_path / "ledger.db"
    Ledger(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(LedgerError, match="no migration registered"):
        Ledger(path)
    with pytest.raises(LedgerError, match="needs upgrading"):
        Ledger(path, readonly=True)
