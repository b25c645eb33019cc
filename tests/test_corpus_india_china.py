"""A hand-made corpus on another pair of states (issue 12): India–China on their border.

Ten short original news-style articles (tests/data/corpora/india_china/, 2017–2025) are
ingested into a fresh ledger through `detente.api`; the key events an analyst would list
(key.json) are looked up in `detente timeline IND CHN`.

A key event is found when a timeline event
- is cited by a sentence of the key's file that contains the key's anchor,
- has one of the key's PLOVER types,
- has a source matching the key's source and a target matching its target (either way round
  for the symmetric CONSULT / AGREE / COOPERATE); a side matches on an actor's code or country,
- is dated inside the key's date prefix ("2017", "2018-04", "2020-06-15"): same or more precise.

Run with -s to see the found and missed events, each miss with the reason the ledger gives."""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import cli_json, run_cli

CORPUS = Path(__file__).parent / "data" / "corpora" / "india_china"
KEY = json.loads((CORPUS / "key.json").read_text(encoding="utf-8"))["events"]
SYMMETRIC = {"CONSULT", "AGREE", "COOPERATE"}
# What the coder found when the corpus was written (issue 12 asks for its key events with the
# right actors); raise it as the coder improves.
FOUND_FLOOR = 5  # measured 5 of 40 after issue 12's first part: Modi, Xi Jinping, Doval are not in the gazetteer yet


def article_paths() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir()
                  if p.suffix in {".txt", ".md", ".html"} and p.name != "README.md")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    from detente import api

    db = tmp_path_factory.mktemp("india_china") / "india_china.db"
    report = api.ingest([str(p) for p in article_paths()], db)
    assert not report.failed and not report.skipped, report.to_dict()
    assert len(report.added) == len(article_paths())
    return db


def _interval(prefix: str) -> tuple[date, date]:
    """'2017' / '2018-04' / '2020-06-15' → the inclusive range of days it names."""
    parts = [int(p) for p in prefix.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(*parts, 1), date(*parts, calendar.monthrange(*parts)[1])
    return date(*parts), date(*parts)


def date_inside(event_date: dict | None, prefix: str) -> bool:
    if not event_date or not event_date.get("start") or not event_date.get("end"):
        return False
    low, high = _interval(prefix)
    return low <= date.fromisoformat(event_date["start"]) and date.fromisoformat(event_date["end"]) <= high


def _side(actors: list[dict], codes: list[str]) -> bool:
    return any(a.get("code") in codes or a.get("country") in codes for a in actors)


def _names(actors: list[dict]) -> str:
    return ", ".join(f"{a.get('text') or a.get('name')}/{a.get('country') or a.get('code')}" for a in actors) or "—"


def _cited(event: dict, key: dict) -> bool:
    return any(m["doc_name"].endswith("/" + key["file"]) and key["anchor"] in (m.get("sentence_text") or "")
               for m in event["mentions"])


def _with_sentences(db: Path, rows: list[dict]) -> list[dict]:
    from detente import api

    return [api.show(db, row["id"]) | {"_row": row} for row in rows]


def judge(key: dict, timeline: list[dict], every: list[dict]) -> tuple[bool, str]:
    """(found, why not): timeline and every are events with their mentions' sentence texts."""
    def pair(event) -> str:
        return "same" if _side(event["source"], key["source"]) and _side(event["target"], key["target"]) else \
            "reverse" if _side(event["source"], key["target"]) and _side(event["target"], key["source"]) else ""

    for event in timeline:
        if not _cited(event, key) or event["type"] not in key["type"]:
            continue
        direction = pair(event)
        if (direction == "same" or (direction == "reverse" and event["type"] in SYMMETRIC)) \
                and date_inside(event["date"], key["date"]):
            return True, ""
    here = [e for e in every if _cited(e, key)]
    if not here:
        return False, "no event coded from the sentence"
    typed = [e for e in here if e["type"] in key["type"]]
    if not typed:
        return False, "wrong type: " + "; ".join(
            f"{e['type']} {_names(e['source'])} → {_names(e['target'])}" for e in here)
    paired = [e for e in typed if pair(e) == "same" or (pair(e) == "reverse" and e["type"] in SYMMETRIC)]
    if not paired:
        reversed_ = [e for e in typed if pair(e) == "reverse"]
        if reversed_:
            return False, "wrong direction: " + "; ".join(
                f"{e['type']} {_names(e['source'])} → {_names(e['target'])}" for e in reversed_)
        return False, "actors: " + "; ".join(
            f"{e['type']} {_names(e['source'])} → {_names(e['target'])}" for e in typed)
    return False, "wrong date: " + "; ".join(
        f"{e['type']} {(e['date'] or {}).get('value') or '?'}" for e in paired)


@pytest.fixture(scope="module")
def results(ledger) -> list[tuple[dict, bool, str]]:
    from detente import api

    timeline = _with_sentences(ledger, api.timeline(ledger, "IND", "CHN"))
    every = _with_sentences(ledger, api.events(ledger))
    return [(key, *judge(key, timeline, every)) for key in KEY]


def test_corpus_is_eight_to_ten_dated_short_articles_and_the_key_is_anchored(ledger):
    from detente import api

    articles = article_paths()
    assert 8 <= len(articles) <= 10
    assert {p.suffix for p in articles} == {".txt", ".md", ".html"}
    for path in articles:
        text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")) if path.suffix == ".html" \
            else path.read_text(encoding="utf-8")
        assert 120 <= len(text.split()) <= 320, path.name
    documents = api.documents(ledger)
    assert len(documents) == len(articles)
    for document in documents:
        assert document["published"]["basis"] == "metadata", document["name"]
        assert document["published"]["precision"] == "day", document["name"]
    assert len(KEY) >= 15
    names = {p.name for p in articles}
    for key in KEY:
        assert key["file"] in names, key
        assert key["anchor"] in (CORPUS / key["file"]).read_text(encoding="utf-8"), key
        assert set(key["source"]) | set(key["target"]) <= {"IND", "CHN"}, key
        _interval(key["date"])


def test_key_events_are_in_the_india_china_timeline(results):
    found = [key for key, ok, _ in results if ok]
    print(f"\nIndia–China key events found in `detente timeline IND CHN`: {len(found)}/{len(results)}")
    for key, ok, why in results:
        mark = "found " if ok else "MISSED"
        print(f"  {mark} {key['file'][:2]} {key['date']:<10} {'/'.join(key['type']):<24} "
              f"{key['source'][0]}→{key['target'][0]}  {key['what']}" + (f"\n           ↳ {why}" if why else ""))
    assert len(found) >= FOUND_FLOOR, f"only {len(found)} of {len(results)} key events found"


def test_cli_timeline_prints_rows_naming_both_countries_actors(ledger):
    rows = cli_json("timeline", "IND", "CHN", "--db", str(ledger))
    both = [r for r in rows
            if (_side(r["source"], ["IND"]) and _side(r["target"], ["CHN"]))
            or (_side(r["source"], ["CHN"]) and _side(r["target"], ["IND"]))]
    assert both, "no row of the IND–CHN timeline has an Indian and a Chinese actor"
    table = run_cli("timeline", "IND", "CHN", "--db", str(ledger), check=True, env={"COLUMNS": "200"}).stdout
    assert "srcs" in table
    lines = table.splitlines()
    for row in both:
        names = [a["name"] for a in row["source"]], [a["name"] for a in row["target"]]
        if any(any(s in line for s in names[0]) and any(t in line for t in names[1]) and row["type"] in line
               for line in lines):
            return
    raise AssertionError("no table row names both an Indian and a Chinese actor:\n" + table)
