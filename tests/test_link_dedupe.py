"""Near-duplicate documents collapse into one that keeps every source name and URL."""

from __future__ import annotations

from conftest import run_cli
from detente import api
from detente.link.dedupe import near_duplicates, numbers, signature

ARTICLE = ("Russian and North Korean officials met in Vladivostok on 12 March 2021 to discuss a new railway "
           "bridge across the Tumen river. The Russian side offered to pay for the survey, and the North Korean "
           "delegation agreed to share hydrological data. Both sides said the bridge would carry freight and "
           "passengers and would open within five years. Officials in Moscow called the talks constructive, "
           "while observers in Seoul said the plan had been announced several times before without result. ")


def test_minhash_finds_copies_not_strangers():
    copy = "Breaking news from our correspondent.\n\n" + ARTICLE + "Share this article."
    other = "The weather in Khabarovsk was cold and clear on Tuesday, with light winds from the north. " * 4
    docs = {"b": (signature(copy), len(copy)), "a": (signature(ARTICLE), len(ARTICLE)),
            "c": (signature(other), len(other))}
    assert near_duplicates(docs) == {"a": "b"}  # the longer text is the one kept
    assert near_duplicates(dict(reversed(list(docs.items())))) == {"a": "b"}


def test_a_report_from_the_same_template_on_another_day_is_not_a_copy():
    later = ARTICLE.replace("12 March 2021", "14 May 2022")
    docs = {"a": (signature(ARTICLE), len(ARTICLE)), "b": (signature(later), len(later))}
    assert near_duplicates(docs) == {"a": "b"} or near_duplicates(docs) == {"b": "a"}  # text alone: copies
    figures = {"a": numbers(ARTICLE), "b": numbers(later)}
    assert near_duplicates(docs, figures=figures) == {}


def test_ingested_copies_are_one_document_with_every_source(tmp_path):
    first = tmp_path / "wire.txt"
    second = tmp_path / "reprint.txt"
    first.write_text("Published 13 March 2021\n\n" + ARTICLE, encoding="utf-8")
    second.write_text("Published 13 March 2021\n\n" + ARTICLE + "Reprinted with permission.\n", encoding="utf-8")
    db = tmp_path / "ledger.db"
    assert run_cli("ingest", str(first), str(second), "--db", str(db), "--json").returncode == 0
    documents = api.documents(db)
    assert len(documents) == 1
    with api.open_existing_ledger(db) as ledger:
        names = {source["name"] for source in ledger.document_sources(documents[0]["id"])}
    assert {str(first), str(second)} <= names
    # each event is counted once for the two copies, and listed once
    events = api.events(db)
    assert events and all(event["sources_count"] == 1 for event in events)
    assert all(event["merged_from"] for event in events)
    assert len(events) * 2 == sum(1 + len(event["merged_from"]) for event in events)
