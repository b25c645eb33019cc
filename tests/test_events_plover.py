"""Measured floors of the event coder with the real pipeline.

PLOVER gold records and the seed articles are read from ../shared (skipped when absent).
The floors sit just under the figures measured when they were set (see the events report);
raise them as the coder improves, never lower them to make a change pass."""

from __future__ import annotations

import pytest

from conftest import shared_path

# Measured with `python -m detente.eval.plover` (figures in the report of this module).
# Issue "Events" asks detection >= 0.90, type >= 0.80, triple >= 0.65; issue "Actors" asks
# source_when_named >= 0.85. Measured 2026-11-22 (20:55 UTC): detection 0.863, type 0.776,
# source 0.795, triple 0.665, source_when_named 0.800. Triple holds its target; detection and
# type are BELOW TARGET and held at what was reached (most remaining misses have no resolvable
# source actor: unknown people, misspelt or sub-national places, see the events report).
FLOORS = {"detection": 0.85, "type": 0.77, "source": 0.78, "triple": 0.65, "source_when_named": 0.78}
SEED_EVENT_FLOOR = 40


def _real_resolver():
    from detente.actors import ActorResolver, Gazetteer

    return ActorResolver(Gazetteer.default())


@pytest.fixture(scope="module")
def plover_scores():
    path = shared_path("data", "plover-gsr", "dev.json")
    _real_resolver()
    from detente.eval.plover import score

    return score(path)


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_plover_floor(plover_scores, figure):
    assert plover_scores["records"] == 161
    assert plover_scores[figure] >= FLOORS[figure], plover_scores


def test_seed_articles_give_sourced_events():
    seeds = shared_path("seeds")
    resolver = _real_resolver()
    from detente.events import extract_events
    from detente.nlp import load_pipeline

    nlp = load_pipeline()
    events = []
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        doc = nlp(text)
        found = extract_events(doc, resolver.resolve(doc), None, path.stem, path.name)
        for event in found:
            mention = event.mentions[0]
            assert mention.sentence_text and mention.sentence_text.strip() in text
            assert text[mention.start:mention.end].strip() and mention.start >= 0
            assert event.source and event.type
        events.extend(found)
    assert len(events) >= SEED_EVENT_FLOOR


def test_committed_cameo_table_matches_its_builder():
    shared_path("data", "cameo", "cameo-codes.csv")
    from conftest import SHARED
    from detente.events.build_lexicon import OUTPUT, build

    committed = OUTPUT.read_text(encoding="utf-8").splitlines()[1:]
    rebuilt = ["\t".join(row.values()) for row in build(SHARED)]
    assert committed == rebuilt
