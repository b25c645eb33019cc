"""Events in the seeds, dated by hand by us, against the dates detente gives them (issue "Time")."""

import json
import math
import sqlite3
from pathlib import Path

from conftest import cli_json

GOLD = json.loads((Path(__file__).parent / "data" / "seed_event_dates.json").read_text(encoding="utf-8"))["events"]
# The issue asks for 22 right of 25; we keep the same share (85 %) of a larger gold, never below 22.
REQUIRED_RIGHT = max(22, math.ceil(0.85 * len(GOLD)))


def _sentence_of(db: Path, doc_prefix: str, anchor: str) -> tuple[str, int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT s.doc_id, s.idx FROM sentences s JOIN documents d ON d.id = s.doc_id "
            "WHERE d.name LIKE ? AND instr(s.text, ?) > 0 ORDER BY s.idx", (f"%/{doc_prefix}_%", anchor)).fetchall()
    assert rows, f"anchor {anchor!r} not found in seed {doc_prefix}"
    return rows[0]


def _dated(events: list[dict], db: Path, gold: dict) -> dict | None:
    doc_id, sentence = _sentence_of(db, gold["doc"], gold["anchor"])
    for event in events:
        in_sentence = any(m["doc_id"] == doc_id and m["sentence"] == sentence for m in event["mentions"])
        if in_sentence and event["type"] == gold["type"] and (
                "target" not in gold or gold["target"] in {a["code"] for a in event["target"]}):
            return event
    return None


def test_the_gold_is_big_enough():
    assert len(GOLD) >= 25


def test_seed_events_are_dated_as_we_date_them(seeds_ledger):
    db, _ = seeds_ledger
    events = cli_json("events", "--db", str(db))
    right, report = 0, []
    for gold in GOLD:
        event = _dated(events, db, gold)
        got = (event["date"]["value"] or "", event["date"]["precision"]) if event else None
        ok = got == (gold["value"], gold["precision"])
        right += ok
        report.append(f"{'ok ' if ok else 'BAD'} {gold['doc']} {gold['anchor']!r}: want {gold['value'] or '?'} "
                      f"({gold['precision']}), got {got}")
    print("\n".join(report))
    print(f"{right}/{len(GOLD)} events dated right")
    assert right >= REQUIRED_RIGHT, "\n".join(report)
