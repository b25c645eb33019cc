"""Hand-annotated seed events (tests/data/seed_events_gold.json) against the real pipeline.

The seed texts are read from ../shared at test time; only anchors and labels live in the repo.
An annotation is found when an event whose evidence sentence holds the anchor has one of the
annotated types, a source matching the annotated source and a target matching the annotated
target (either way round for symmetric events). A side matches on the actor's code or country."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import shared_path

GOLD = Path(__file__).parent / "data" / "seed_events_gold.json"
# Issue 5 asks for at least 25 of 30; we annotated more, including known hard cases.
FOUND_FLOOR = 25


def _side_matches(actors, codes) -> bool:
    return any(a.code in codes or a.country in codes for a in actors)


def annotation_found(annotation: dict, events: list, text: str) -> bool:
    anchor_at = text.index(annotation["anchor"])
    for event in events:
        mention = event.mentions[0]
        sentence_start = text.find(mention.sentence_text.strip()) if mention.sentence_text else -1
        if sentence_start < 0 or not sentence_start <= anchor_at < sentence_start + len(mention.sentence_text):
            continue
        if event.type not in annotation["type"] or not event.source or not event.target:
            continue
        straight = _side_matches(event.source, annotation["source"]) and _side_matches(event.target, annotation["target"])
        reverse = event.symmetric and _side_matches(event.target, annotation["source"]) \
            and _side_matches(event.source, annotation["target"])
        if straight or reverse:
            return True
    return False


@pytest.fixture(scope="module")
def seed_results():
    seeds = shared_path("seeds")
    actors = pytest.importorskip("detente.actors")
    if not hasattr(actors, "ActorResolver"):
        pytest.skip("detente.actors does not export ActorResolver yet")
    from detente.eval.plover import Pipeline

    pipeline = Pipeline()
    annotations = json.loads(GOLD.read_text(encoding="utf-8"))["events"]
    by_seed: dict[str, tuple[str, list]] = {}
    results = []
    for annotation in annotations:
        name = annotation["seed"]
        if name not in by_seed:
            text = (seeds / name).read_text(encoding="utf-8")
            by_seed[name] = (text, pipeline.events(text, "", name))
        text, events = by_seed[name]
        results.append((annotation, annotation_found(annotation, events, text)))
    return results


def test_annotations_are_enough_and_anchored():
    seeds = shared_path("seeds")
    annotations = json.loads(GOLD.read_text(encoding="utf-8"))["events"]
    assert len(annotations) >= 30
    for annotation in annotations:
        assert annotation["anchor"] in (seeds / annotation["seed"]).read_text(encoding="utf-8"), annotation


def test_hand_annotated_seed_events_are_found(seed_results):
    found = [a for a, ok in seed_results if ok]
    missed = [f"{a['seed'][:3]} {a['anchor']!r} {a['type']}" for a, ok in seed_results if not ok]
    print(f"seed events found: {len(found)}/{len(seed_results)}")
    assert len(found) >= FOUND_FLOOR, "missed:\n" + "\n".join(missed)
