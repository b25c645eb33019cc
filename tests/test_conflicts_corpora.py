"""Conflicts on real corpora: every planted disagreement of the demo corpus and nothing else;
on the seed articles the rank conflict but not the overlapping debt figures, and few in all."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from detente import api

KEY = json.loads((files("detente") / "data" / "demo_key" / "planted.json").read_text(encoding="utf-8"))


def _files(conflict: dict) -> set[str]:
    return {Path(side["doc_name"]).name for side in conflict["sides"]}


def _sentences(conflict: dict) -> list[str]:
    return [" ".join(side["sentence"].split()) for side in conflict["sides"]]


def _matches(planted: dict, found: dict) -> bool:
    """A reported conflict answers a planted one when it cites both planted files and
    each planted sentence is (part of) one of its sides' sentences."""
    if not set(planted["files"]) <= _files(found):
        return False
    cited = _sentences(found)
    return all(any(" ".join(sentence.split()) in side for side in cited) for sentence in planted["sentences"])


def test_demo_corpus_reports_every_planted_disagreement_and_nothing_else(demo_ledger):
    db, _ = demo_ledger
    found = api.conflicts(db)
    unmatched_planted = [p for p in KEY["conflicts"] if not any(_matches(p, f) for f in found)]
    assert unmatched_planted == [], f"planted but not reported: {[p['subject'] for p in unmatched_planted]}"
    spurious = [f for f in found if not any(_matches(p, f) for p in KEY["conflicts"])]
    assert spurious == [], f"reported but not planted: {[(f['subject'], f['attribute']) for f in spurious]}"
    assert len(found) == len(KEY["conflicts"])
    for conflict in found:
        assert conflict["explanation"] and len({side["doc_id"] for side in conflict["sides"]}) >= 2
        for side in conflict["sides"]:
            # the claim span is a piece of the cited sentence, at the cited offsets
            assert side["text"] and side["text"] in side["sentence"]
            assert side["end"] - side["start"] == len(side["text"])


def test_demo_non_conflicts_are_not_reported(demo_ledger):
    db, _ = demo_ledger
    found = api.conflicts(db)
    cited = [sentence for conflict in found for sentence in _sentences(conflict)]
    # Kozhedub's colonel → Marshal of Aviation is a progression; the $1.09 billion is the remainder.
    assert not any("Kozhedub" in s or "colonel" in s or "Marshal of Aviation" in s for s in cited)
    assert not any("1.09 billion" in s for s in cited)
    # Kim's arrival on 24 April is another event than the summit on the 25th.
    assert not any("arrived in the city" in s for s in cited)


def test_seeds_report_the_rank_conflict_and_not_the_overlapping_debt(seeds_ledger):
    db, _ = seeds_ledger
    found = api.conflicts(db)
    assert len(found) <= 10
    rank = [c for c in found if c["attribute"] == "military rank" and c["subject"] == "Kim Il Sung"]
    assert len(rank) == 1
    assert {side["value"] for side in rank[0]["sides"]} == {"captain", "major"}
    assert len({side["doc_id"] for side in rank[0]["sides"]}) == 2
    cited = [side["text"] for conflict in found for side in conflict["sides"]]
    assert not any("ten billion" in text or "11 billion" in text for text in cited)
    # the claims themselves were read: both debt figures are in the ledger, they just agree
    with api.open_existing_ledger(db) as ledger:
        debt = [claim["value"] for claim in ledger.claims(subject="North Korea's Soviet-era debt")]
    assert any("over ten billion dollars" in value for value in debt) and any("$11 billion" in value for value in debt)


def test_seeds_report_the_visit_that_no_kremlin_leader_made(seeds_ledger):
    db, _ = seeds_ledger
    (absence,) = [c for c in api.conflicts(db) if c["kind"] == "first"]
    texts = [side["sentence"] for side in absence["sides"]]
    assert any("no Kremlin leader had visited North Korea" in t for t in texts)
    assert any("In 2001, he visited North Korea" in t for t in texts)
    assert "2001" in absence["explanation"]
