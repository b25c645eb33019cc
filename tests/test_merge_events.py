"""Cross-document event merge: rules on plain records, and the seed articles' Putin–Kim
meetings folded into one event whatever the ingest order."""

from __future__ import annotations

import shutil

from conftest import run_cli, shared_path
from detente import api
from detente.link.merge import EventRecord, compatible, merge_events


def record(event_id, doc, source=("vladimir_putin",), target=("kim_jong_un",), start="2019-04-25",
           end="2019-04-25", precision="day", trigger="met", symmetric=True, **more) -> EventRecord:
    countries = {"vladimir_putin": "RUS", "kim_jong_un": "PRK", "kim_jong_il": "PRK"}
    return EventRecord(event_id, more.pop("type", "CONSULT"), {doc}, tuple(source), tuple(target), start, end,
                       precision, start[:7] if precision == "month" else start, trigger, symmetric,
                       source_countries=tuple(countries.get(c, c) for c in source),
                       target_countries=tuple(countries.get(c, c) for c in target), **more)


def test_same_meeting_in_two_documents_merges_with_reasons():
    a = record("ev_a", "doc1")
    b = record("ev_b", "doc2", source=("kim_jong_un",), target=("vladimir_putin",), start="2019-04-01",
               end="2019-04-30", precision="month", trigger="summit")
    (merge,) = merge_events([b, a])
    assert merge.canonical == "ev_a" and merge.members == ["ev_b"]  # the day-precise report leads
    assert "overlap" in merge.notes["ev_b"] and "summit" in merge.notes["ev_b"]


def test_states_and_their_leaders_are_one_dyad():
    leaders = record("ev_a", "doc1")
    states = record("ev_b", "doc2", source=("RUS",), target=("PRK",), start="2019-04-01", end="2019-04-30",
                    precision="month", trigger="summit")
    assert compatible(leaders, states)


def test_what_must_stay_apart():
    a = record("ev_a", "doc1")
    assert not compatible(a, record("ev_b", "doc2", start="2019-04-24", end="2019-04-24"))  # other day
    assert not compatible(a, record("ev_b", "doc2", target=("kim_jong_il",)))  # other person
    assert not compatible(a, record("ev_b", "doc2", type="AGREE"))  # other type
    assert not compatible(a, record("ev_b", "doc2", trigger="accused"))  # other kind of act
    assert not compatible(a, record("ev_b", "doc2", negated=True))
    assert not compatible(a, record("ev_b", "doc2", modality="hypothetical"))
    assert not compatible(a, record("ev_b", "doc2", start=None, end=None, precision="unknown"))  # undated
    directed = record("ev_c", "doc1", source=("RUS",), target=("PRK",), symmetric=False, trigger="sent", type="AID")
    assert not compatible(directed, record("ev_d", "doc2", source=("PRK",), target=("RUS",), symmetric=False,
                                           trigger="sent", type="AID"))  # direction matters when not symmetric


def test_merge_does_not_depend_on_record_order():
    records = [record(f"ev_{i}", f"doc{i % 3}", start=f"2019-04-2{i % 2 + 4}", end=f"2019-04-2{i % 2 + 4}")
               for i in range(6)] + [record("ev_y", "doc9", start="2019-01-01", end="2019-12-31", precision="year")]
    forward = [(m.canonical, m.members) for m in merge_events(records)]
    backward = [(m.canonical, m.members) for m in merge_events(list(reversed(records)))]
    assert forward == backward and forward


def _putin_kim(db) -> list[dict]:
    rows = api.timeline(db, "vladimir_putin", "kim_jong_un")
    return [row for row in rows if row["merged_from"] and len({m["doc_id"] for m in row["mentions"]}) >= 2]


def test_seed_putin_kim_summit_is_one_event_counted_once_per_article(seeds_ledger):
    db, _ = seeds_ledger
    merged = _putin_kim(db)
    assert merged, "the 2019 Putin–Kim summit reported by two seed articles should be one event"
    for event in merged:
        docs = {mention["doc_id"] for mention in event["mentions"]}
        assert event["sources_count"] == len(docs) >= 2
        assert all(member not in {row["id"] for row in api.events(db)} for member in event["merged_from"])
    shown = api.show(db, merged[0]["id"])
    assert shown["merges"] and all("same event" in merge["why"] for merge in shown["merges"])
    assert len(shown["mentions"]) == len(merged[0]["mentions"])


def test_ingest_order_and_reingest_do_not_change_the_link_stage(tmp_path):
    seeds = sorted(shared_path("seeds").glob("*.txt"))
    db = tmp_path / "batch.db"  # built here, next to the other, so both come from the same code
    assert run_cli("ingest", str(shared_path("seeds")), "--db", str(db), "--json").returncode == 0
    one_by_one = tmp_path / "reversed.db"
    for path in reversed(seeds):  # another order, and the link stage recomputed after every document
        assert run_cli("ingest", str(path), "--db", str(one_by_one), "--json").returncode == 0

    def link_state(ledger_path):
        events = sorted((e["id"], tuple(e["merged_from"]), e["sources_count"]) for e in api.events(ledger_path))
        conflicts = sorted((c["id"], tuple(s["claim_id"] for s in c["sides"])) for c in api.conflicts(ledger_path))
        return events, conflicts

    assert link_state(one_by_one) == link_state(db)
    again = tmp_path / "again.db"
    shutil.copy(db, again)
    assert run_cli("ingest", str(shared_path("seeds")), "--db", str(again), "--json").returncode == 0
    assert link_state(again) == link_state(db)
