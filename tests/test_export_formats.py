"""The event exchange formats over the demo ledger: GDELT 2.0-style CSV, TimelineJS JSON
(validated against TimelineJS's documented fields), GraphML and Parquet, each read back with
a real parser and compared with `detente export events --format jsonl`."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree

import pytest

from conftest import run_cli
from detente.export import flatten
from detente.export.gdelt import DETENTE_COLUMNS, GDELT_COLUMNS
from detente.export.timelinejs import validate_timelinejs
from test_web import hostile_ledger  # noqa: F401  (session fixture: articles carrying script)

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def demo_events(demo_ledger) -> list[dict]:
    db, _ = demo_ledger
    lines = run_cli("export", "events", "--db", str(db), "--format", "jsonl", check=True).stdout.splitlines()
    return [json.loads(line) for line in lines]


def _export(db, fmt: str, tmp_path, kind: str = "events"):
    target = tmp_path / f"events.{fmt}"
    run_cli("export", kind, "--db", str(db), "--format", fmt, "-o", str(target), check=True)
    return target


def test_gdelt_csv_uses_gdelt_names_and_never_invents_a_day(demo_ledger, demo_events, tmp_path):
    rows = list(csv.DictReader(_export(demo_ledger[0], "gdelt", tmp_path).open(encoding="utf-8")))
    assert list(rows[0]) == [*GDELT_COLUMNS, *DETENTE_COLUMNS]
    assert [r["GLOBALEVENTID"] for r in rows] == [e["id"] for e in demo_events]
    by_id = {e["id"]: e for e in demo_events}
    precisions = set()
    for row in rows:
        event = by_id[row["GLOBALEVENTID"]]
        precision = event["date"]["precision"]
        precisions.add(precision)
        assert row["detente_date_precision"] == precision
        assert bool(row["SQLDATE"]) == (precision == "day"), row
        start, end = event["date"]["start"] or "", event["date"]["end"] or ""
        one_month, one_year = start[:7] == end[:7], start[:4] == end[:4]
        dated = precision != "unknown"
        assert bool(row["MonthYear"]) == (precision in ("day", "month") or (dated and one_month)), row
        assert bool(row["Year"]) == (precision in ("day", "month", "year") or (dated and one_year)), row
        if precision == "decade":
            assert row["Year"] == "" and row["MonthYear"] == ""
        if row["SQLDATE"]:
            assert row["SQLDATE"] == event["date"]["start"].replace("-", "")
        assert row["EventCode"] == event["cameo"] and row["EventRootCode"] == event["cameo"][:2]
        assert int(row["QuadClass"]) == event["quad_class"] and int(row["NumSources"]) == event["sources_count"]
        assert row["AvgTone"] == ""  # tone is not measured
    assert {"year", "month", "day"} <= precisions
    codes = {row["Actor1Code"] for row in rows} | {row["Actor2Code"] for row in rows}
    assert {"RUS", "PRK", "SUN"} <= codes | {c[:3] for c in codes}
    assert "JPN" not in codes and "JAP" in codes | {c[:3] for c in codes}  # CAMEO's code where it differs
    assert any(c.endswith("GOV") and len(c) == 6 for c in codes)  # a person acting for a state: state + sector


def test_timelinejs_export_is_valid_and_keeps_year_only_dates_year_only(demo_ledger, demo_events, tmp_path):
    document = json.loads(_export(demo_ledger[0], "timelinejs", tmp_path).read_text(encoding="utf-8"))
    assert validate_timelinejs(document) == []
    dated = [e for e in demo_events if e["date"]["precision"] != "unknown"]
    assert len(document["events"]) == len(dated) > 100
    by_id = {e["id"]: e for e in demo_events}
    seen_year_only = False
    for slide in document["events"]:
        event = by_id[slide["unique_id"]]
        start = slide["start_date"]
        if event["date"]["precision"] == "year":
            seen_year_only = True
            assert set(start) == {"year", "display_date"} and "end_date" not in slide
            assert start["year"] == int(event["date"]["start"][:4])
        if event["date"]["precision"] == "day":
            assert (start["year"], start["month"], start["day"]) == tuple(int(p) for p in event["date"]["start"].split("-"))
        assert "sentence" in slide["text"]["text"] and "<blockquote>" in slide["text"]["text"]
    assert seen_year_only


@pytest.mark.parametrize("broken, problem", [
    ({"events": [{"text": {"headline": "x"}}]}, "start_date: required"),
    ({"events": [{"start_date": {"year": 1961, "month": 13}}]}, "month: must be 1–12"),
    ({"events": [{"start_date": {"month": 7}}]}, "year: required"),
    ({"events": [{"start_date": {"year": 1961, "day": 6}}]}, "a day needs a month"),
    ({"events": [{"start_date": {"year": 1961}, "colour": "red"}]}, "unknown keys ['colour']"),
    ({"events": [{"start_date": {"year": 1}, "unique_id": "a"}, {"start_date": {"year": 2}, "unique_id": "a"}]},
     "unique in the document"),
    ({"slides": []}, "events: required"),
    ({"events": [], "eras": [{"start_date": {"year": 1950}}]}, "needs start_date and end_date"),
])
def test_the_timelinejs_check_rejects_what_timelinejs_would(broken, problem):
    problems = validate_timelinejs(broken)
    assert any(problem in p for p in problems), problems


def test_graphml_parses_and_holds_every_event_and_actor(demo_ledger, demo_events, tmp_path):
    root = ElementTree.parse(_export(demo_ledger[0], "graphml", tmp_path)).getroot()
    declared = {key.get("id") for key in root.iter(f"{GRAPHML}key")}
    used = {data.get("key") for data in root.iter(f"{GRAPHML}data")}
    assert used <= declared
    nodes = {node.get("id"): {d.get("key"): d.text for d in node} for node in root.iter(f"{GRAPHML}node")}
    events = {k for k, v in nodes.items() if v.get("kind") == "event"}
    actors = {k for k, v in nodes.items() if v.get("kind") == "actor"}
    assert events == {f"event:{e['id']}" for e in demo_events}
    assert {f"actor:{a['code']}" for e in demo_events for a in e["source"] + e["target"]} == actors
    assert all(nodes[a]["code"] == a.removeprefix("actor:") and nodes[a].get("actor_kind") for a in actors)
    edges = [(edge.get("source"), edge.get("target")) for edge in root.iter(f"{GRAPHML}edge")]
    assert len(edges) == sum(len(e["source"]) + len(e["target"]) for e in demo_events)
    assert all(a in nodes and b in nodes for a, b in edges)


def test_parquet_reads_back_as_the_jsonl_events(demo_ledger, demo_events, tmp_path):
    import pyarrow.parquet as pq

    table = pq.read_table(_export(demo_ledger[0], "parquet", tmp_path))
    assert table.num_rows == len(demo_events)
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == [e["id"] for e in demo_events]
    # Every cell equals the jsonl event flattened as the CSV export does (empty text is null in Parquet).
    for row, event in zip(rows, demo_events):
        expected = {k: (None if v == "" else v) for k, v in flatten(event, "events").items()}
        assert row == expected, event["id"]
    assert table.schema.field("quad_class").type == "int64" and table.schema.field("negated").type == "bool"


def test_parquet_to_a_pipe_is_a_parquet_stream(demo_ledger):
    result = run_cli("export", "events", "--db", str(demo_ledger[0]), "--format", "parquet", input=b"")
    assert result.returncode == 0 and result.stdout[:4] == b"PAR1" and result.stdout[-4:] == b"PAR1"


def test_article_markup_is_escaped_in_timelinejs_and_graphml(hostile_ledger, tmp_path):  # noqa: F811
    timeline = _export(hostile_ledger, "timelinejs", tmp_path).read_text(encoding="utf-8")
    assert validate_timelinejs(json.loads(timeline)) == []
    assert "<script" not in timeline and "<img" not in timeline and "&lt;" in timeline
    ElementTree.parse(_export(hostile_ledger, "graphml", tmp_path))  # well-formed whatever the text held


@pytest.mark.parametrize("args, message", [
    (("events", "--format", "xlsx"), "unknown format 'xlsx'; choose one of jsonl, json, csv, gdelt"),
    (("documents", "--format", "gdelt"), "--format gdelt exports events only"),
])
def test_bad_export_requests_fail_clearly(demo_ledger, args, message):
    result = run_cli("export", *args, "--db", str(demo_ledger[0]))
    assert result.returncode == 2 and message in result.stderr, result.stderr


def test_gdelt_rows_are_plain_csv_for_other_tools(demo_ledger):
    text = run_cli("export", "events", "--db", str(demo_ledger[0]), "--format", "gdelt", check=True).stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert len({len(row) for row in rows}) == 1 and rows[0][0] == "GLOBALEVENTID"


def test_a_failed_export_leaves_no_file_and_keeps_the_old_one(tmp_path):
    target = tmp_path / "events.parquet"
    result = run_cli("export", "events", "--db", str(tmp_path / "missing.db"), "--format", "parquet", "-o", str(target))
    assert result.returncode == 2 and not target.exists() and list(tmp_path.iterdir()) == []
    target.write_bytes(b"older export")
    run_cli("export", "events", "--db", str(tmp_path / "missing.db"), "--format", "gdelt", "-o", str(target))
    assert target.read_bytes() == b"older export" and list(tmp_path.iterdir()) == [target]


def test_parquet_refuses_a_terminal(demo_ledger):
    import os
    import pty
    import subprocess

    from conftest import CLI

    leader, follower = pty.openpty()  # a real terminal on stdout, as when a user forgets -o
    try:
        result = subprocess.run([*CLI, "export", "events", "--db", str(demo_ledger[0]), "--format", "parquet"],
                                stdout=follower, stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2 and "is binary: give -o FILE" in result.stderr, result.stderr
