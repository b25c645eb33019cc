"""Measured floors of the event coder with the real pipeline.

PLOVER gold records and the seed articles are read from ../shared (skipped when absent).
The floors sit just under the figures measured when they were set (see the events report);
raise them as the coder improves, never lower them to make a change pass."""

from __future__ import annotations

import pytest

from conftest import shared_path

# Measured with `python -m detente.eval.plover` (figures in the report of this module), which
# codes all 161 records in one `detente code --format jsonl` subprocess, the CLI users run.
# Issue "Events" asks detection >= 0.90, type >= 0.80, triple >= 0.65; issue "Actors" asks
# source_when_named >= 0.85. Measured 2026-11-22 (20:55 UTC, in-process): detection 0.863, type 0.776,
# source 0.795, triple 0.665, source_when_named 0.800. Measured 2026-11-22 (21:41 UTC) through
# `detente code` (the in-process path gives the same figures): detection 0.913 (147/161), type 0.814
# (131/161), source 0.870, triple 0.745 (120/161), source_when_named 0.875; all issue targets met.
# Issue 12 allows the triple 0.03 below its 0.745 before the agents pass (unnamed actors now take
# the place a state used to fill in a few domestic records); the others rose.
FLOORS = {"detection": 0.93, "type": 0.82, "source": 0.87, "triple": 0.715, "source_when_named": 0.87}
SEED_EVENT_FLOOR = 40


def _real_resolver():
    from detente.actors import ActorResolver, Gazetteer

    return ActorResolver(Gazetteer.default())


@pytest.fixture(scope="module")
def plover_scores():
    path = shared_path("data", "plover-gsr", "dev.json")
    from detente.eval.plover import score

    # One `detente code --format jsonl` subprocess codes every record; the scorer reads its events back.
    return score(path, via_cli=True)


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_plover_floor(plover_scores, figure):
    assert plover_scores["records"] == 161
    assert plover_scores["coded_by"] == "detente code (subprocess)"
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


def test_cli_scoring_reports_a_failing_cli():
    import sys

    from detente.eval.plover import code_with_cli

    records = [{"id": "r1", "text": "Russia condemned Japan.", "date": "2020-01-01"}]
    with pytest.raises(RuntimeError, match="detente code exited 3"):
        code_with_cli(records, command=[sys.executable, "-c", "import sys; sys.exit(3)"])
    coded = code_with_cli(records)
    assert [(e.type, e.source[0].code, e.target[0].code) for e in coded["r1"]] == [("ACCUSE", "RUS", "JPN")]


# General rules the PLOVER misses led to, on sentences of our own (never the gold texts):
# titles owned by the body named before them, a country adjective before a people's plural,
# state-only acts in the passive, "based in", compass words before a state's name, and a main
# verb whose subject the parser hung elsewhere.
RULE_CASES = [
    ("U.N. Secretary-General Kofi Annan said he would withdraw the inspectors from Iraq.", "UNO", "IRQ"),
    ("Bosnian Serbs demanded a truce with Croatia.", "BIH", "HRV"),
    ("Two Russian diplomats were expelled from Britain on Monday.", "GBR", "RUS"),
    ("A newspaper based in Beirut accused Israel of lying.", "LBN", "ISR"),
    ("Israel invaded South Lebanon in 1982.", "ISR", "LBN"),
]


@pytest.fixture(scope="module")
def coder():
    from detente.eval.plover import Pipeline

    return Pipeline()


@pytest.mark.parametrize("text,source,target", RULE_CASES)
def test_general_rules_find_the_dyad(coder, text, source, target):
    events = coder.events(text, "2000-06-01", "rule-case")
    dyads = {(e.source[0].code, e.target[0].code if e.target else "") for e in events}
    assert (source, target) in dyads, [(e.type, e.source, e.target) for e in events]


def test_state_named_in_a_sea_name_is_not_the_state(coder):
    events = coder.events("Japan protested the patrols in the East China Sea.", "2010-06-01", "rule-case")
    assert all(a.code != "CHN" for e in events for a in e.source + e.target)


def test_subject_the_parser_hung_elsewhere_still_acts():
    """The parse of "With the accord, the Sudanese government and SPLM have agreed to meet." as the
    small model sometimes gives it: the subject hangs as a conjunct of "accord", the verb has none."""
    from spacy.tokens import Doc

    from detente.events import extract_events
    from detente.model import ActorMention
    from detente.nlp import load_pipeline

    words = ["With", "the", "accord", ",", "the", "Sudanese", "government", "and", "SPLM", "have", "agreed", "to",
             "meet", "."]
    heads = [10, 2, 0, 2, 6, 6, 2, 6, 6, 10, 10, 12, 10, 10]
    deps = ["prep", "det", "pobj", "punct", "det", "amod", "conj", "cc", "conj", "aux", "ROOT", "aux", "xcomp",
            "punct"]
    tags = ["IN", "DT", "NN", ",", "DT", "JJ", "NN", "CC", "NNP", "VBP", "VBN", "TO", "VB", "."]
    pos = ["ADP", "DET", "NOUN", "PUNCT", "DET", "ADJ", "NOUN", "CCONJ", "PROPN", "AUX", "VERB", "PART", "VERB",
           "PUNCT"]
    lemmas = ["with", "the", "accord", ",", "the", "sudanese", "government", "and", "SPLM", "have", "agree", "to",
              "meet", "."]
    doc = Doc(load_pipeline().vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos, lemmas=lemmas)
    text = doc.text
    sudan = text.index("Sudanese government")
    splm = text.index("SPLM")
    actors = [ActorMention("SDN", "Sudan", "SDN", "GOV", "Sudanese government", sudan, sudan + 19),
              ActorMention("SPLM", "SPLM", "SDN", "REB", "SPLM", splm, splm + 4, kind="group")]
    events = extract_events(doc, actors, None, "d", "d")
    assert {(e.source[0].code, e.target[0].code) for e in events if e.target} & {("SDN", "SPLM"), ("SPLM", "SDN")}
