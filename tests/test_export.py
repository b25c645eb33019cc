"""Exports of every ledger kind in jsonl, json and csv read back to what was stored."""

from __future__ import annotations

import csv
import io
import json

import pytest

from detente.export import (
    ACTOR_COLUMNS,
    CONFLICT_COLUMNS,
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    csv_columns,
    flatten,
    write_records,
)
from detente.store import Ledger
from test_store_fixtures import rank_conflict, soviet_document, summit_document

EVENT_KEYS = {"id", "type", "cameo", "quad_class", "goldstein", "source", "target", "date", "negated", "modality",
              "confidence", "mentions", "sources_count"}
SHAPES = {
    "events": EVENT_KEYS,
    "documents": {"id", "name", "title", "url", "published", "sha256", "sentences", "events"},
    "conflicts": {"id", "kind", "subject", "attribute", "explanation", "claims", "status"},
    "actors": {"code", "name", "kind", "sector", "country", "predecessor", "successor", "cameo", "aliases", "roles",
               "events"},
}


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> dict[str, list[dict]]:
    soviet, summit = soviet_document(), summit_document()
    with Ledger(tmp_path_factory.mktemp("export") / "ledger.db") as ledger:
        ledger.write_document(soviet)
        ledger.write_document(summit)
        ledger.write_conflicts([rank_conflict(soviet, summit)])
        return {
            "events": list(ledger.events(include_negated=True)),
            "documents": list(ledger.documents()),
            "conflicts": list(ledger.conflicts()),
            "actors": list(ledger.actors()),
            "claims": list(ledger.claims()),
            "search": ledger.search("Kim"),
        }


def export(rows, fmt: str, kind: str) -> tuple[int, str]:
    stream = io.StringIO()
    count = write_records(iter(rows), fmt, stream, kind)
    return count, stream.getvalue()


@pytest.mark.parametrize("kind", sorted(SHAPES))
def test_jsonl_round_trip(records, kind):
    count, text = export(records[kind], "jsonl", kind)
    back = [json.loads(line) for line in text.splitlines()]
    assert count == len(records[kind]) == len(back) > 0
    assert back == records[kind]
    assert all(set(record) == SHAPES[kind] for record in back)


@pytest.mark.parametrize("kind", sorted(SHAPES))
def test_json_array_round_trip(records, kind):
    count, text = export(records[kind], "json", kind)
    back = json.loads(text)
    assert count == len(back) and back == records[kind]


def test_json_of_nothing_is_an_empty_array():
    count, text = export([], "json", "events")
    assert count == 0 and json.loads(text) == []


def test_json_is_streamed_from_a_generator():
    def endless_prefix():
        for number in range(3):
            yield {"id": number}

    count, text = export(endless_prefix(), "json", "whatever")
    assert count == 3 and json.loads(text) == [{"id": 0}, {"id": 1}, {"id": 2}]


@pytest.mark.parametrize("kind,columns", [("events", EVENT_COLUMNS), ("documents", DOCUMENT_COLUMNS),
                                          ("conflicts", CONFLICT_COLUMNS), ("actors", ACTOR_COLUMNS)])
def test_csv_has_the_documented_columns_and_one_row_per_record(records, kind, columns):
    count, text = export(records[kind], "csv", kind)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(text.splitlines()[0].split(",")) == columns == csv_columns(kind)
    assert count == len(rows) == len(records[kind])
    for record, row in zip(records[kind], rows):
        expected = {key: ("" if value is None else str(value).lower() if isinstance(value, bool) else str(value))
                    for key, value in flatten(record, kind).items()}
        assert row == expected


def test_csv_event_columns_flatten_actors_dates_and_mentions(records):
    _, text = export(records["events"], "csv", "events")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    treaty = next(e for e in records["events"] if e["type"] == "COOPERATE")
    row = rows[treaty["id"]]
    assert row["source_codes"] == "SUN;PRK" and row["source_names"] == "Soviet Union;North Korea"
    assert row["target_codes"] == ""
    assert (row["date_value"], row["date_start"], row["date_end"], row["date_precision"]) == (
        "1961", "1961-01-01", "1961-12-31", "year")
    assert row["negated"] == "false" and row["date_modifier"] == ""
    assert row["mention_count"] == "1" and row["first_doc_name"] == "summit.html"
    assert row["first_sentence"] == "1"
    assert row["first_start"] == str(treaty["mentions"][0]["start"])


def test_csv_conflict_and_document_columns(records):
    _, text = export(records["conflicts"], "csv", "conflict")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["claim_values"] == "captain;major" and row["claim_doc_names"] == "soviet.txt;summit.html"
    assert row["claim_count"] == "2" and row["status"] == "open"
    claims = records["conflicts"][0]["claims"]
    assert row["claim_citations"] == ";".join(f"{c['doc_id']}:{c['sentence']}:{c['start']}-{c['end']}" for c in claims)
    _, text = export(records["documents"], "csv", "documents")
    soviet = next(r for r in csv.DictReader(io.StringIO(text)) if r["name"] == "soviet.txt")
    assert (soviet["published_value"], soviet["published_basis"], soviet["sentences"], soviet["events"]) == (
        "2019-05-01", "metadata", "5", "4")


def test_csv_of_other_kinds(records):
    count, text = export(records["search"], "csv", "search")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert count == len(rows) == 4 and rows[0]["doc_name"]
    count, text = export(records["claims"], "csv", "claims")
    assert {row["value"] for row in csv.DictReader(io.StringIO(text))} == {"captain", "major"}
    count, text = export([{"a": 1, "b": {"c": [1, 2]}, "d": [{"e": 1}]}], "csv", "custom")
    assert text.splitlines() == ["a,b_c,d", '1,1;2,"[{""e"": 1}]"']


def test_unknown_format_is_refused(records):
    with pytest.raises(ValueError, match="unknown export format"):
        export(records["events"], "xml", "events")
