"""Reviewing conflicts: statuses, bad input, and a verdict that survives re-ingest."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import run_cli
from detente import api


@pytest.fixture()
def demo_copy(demo_ledger, tmp_path):
    db, _ = demo_ledger
    copy = tmp_path / "demo.db"
    shutil.copy(db, copy)
    return copy


def test_review_sets_status_and_survives_reingest(demo_copy):
    rows = api.conflicts(demo_copy)
    target = rows[0]["id"]
    reviewed = api.review_conflict(demo_copy, target, "confirmed", note="checked the archive")
    assert reviewed["status"] == "confirmed" and reviewed["note"] == "checked the archive"
    assert [c["id"] for c in api.conflicts(demo_copy, status="confirmed")] == [target]
    # a new document arrives: the link stage recomputes every conflict, the verdict stays
    extra = demo_copy.parent / "extra.txt"
    extra.write_text("Published 1 May 2020\n\nRussia and North Korea held talks in Moscow on 30 April 2020. "
                     "The two sides discussed trade and railway links.\n", encoding="utf-8")
    result = run_cli("ingest", str(extra), "--db", str(demo_copy), "--json")
    assert result.returncode == 0, result.stderr
    after = {c["id"]: c for c in api.conflicts(demo_copy)}
    assert set(after) == {c["id"] for c in rows}  # ids are hashes of content: stable
    assert after[target]["status"] == "confirmed" and after[target]["note"] == "checked the archive"


def test_review_rejects_unknown_ids_and_statuses(demo_copy):
    target = api.conflicts(demo_copy)[0]["id"]
    with pytest.raises(ValueError, match="status"):
        api.review_conflict(demo_copy, target, "maybe")
    with pytest.raises(ValueError, match="no conflict"):
        api.review_conflict(demo_copy, "cf_000000000000", "dismissed")
    with pytest.raises(ValueError, match="status"):
        api.conflicts(demo_copy, status="maybe")


def test_cli_lists_side_by_side_and_reviews(demo_copy):
    listed = run_cli("conflicts", "--db", str(demo_copy), "--json", check=True)
    rows = json.loads(listed.stdout)
    assert rows and all(len(row["sides"]) >= 2 for row in rows)
    assert set(rows[0]["sides"][0]) >= {"claim_id", "value", "text", "sentence", "doc_id", "doc_name", "doc_date",
                                        "sentence_index", "start", "end"}
    table = run_cli("conflicts", "--db", str(demo_copy), check=True).stdout
    assert "captain" in table and "major" in table
    done = run_cli("conflicts", "review", rows[0]["id"], "--status", "dismissed", "--db", str(demo_copy), check=True)
    assert "dismissed" in done.stdout
    bad = run_cli("conflicts", "review", rows[0]["id"], "--status", "wrong", "--db", str(demo_copy))
    assert bad.returncode == 2 and "status" in bad.stderr
    exported = run_cli("export", "conflicts", "--format", "jsonl", "--db", str(demo_copy), check=True).stdout
    records = [json.loads(line) for line in exported.splitlines()]
    assert len(records) == len(rows)
    assert all(set(r) == {"id", "kind", "subject", "attribute", "explanation", "claims", "status"} for r in records)
    assert all(len(r["claims"]) >= 2 and r["explanation"] for r in records)
