"""Event coding over the real spaCy parse, one pattern per test, on sentences of our own.

Actors come from a tiny stand-in resolver (surface forms -> ActorMention) so these tests pin the
event logic alone; the real resolver is exercised by the seed and PLOVER checks."""

from __future__ import annotations

import re

import pytest

from detente.events import default_lexicon, extract_events
from detente.model import PLOVER_TYPES, ActorMention, TimeValue

SURFACES = {
    "Russia": ("RUS", "state", ""), "Moscow": ("RUS", "state", ""), "Russian": ("RUS", "state", ""),
    "the Kremlin": ("RUS", "state", "GOV"),
    "North Korea": ("PRK", "state", ""), "Pyongyang": ("PRK", "state", ""),
    "China": ("CHN", "state", ""), "Beijing": ("CHN", "state", ""), "Japan": ("JPN", "state", ""),
    "United States": ("USA", "state", ""), "Washington": ("USA", "state", ""), "Ukraine": ("UKR", "state", ""),
    "South Korea": ("KOR", "state", ""), "Seoul": ("KOR", "state", ""),
    "Putin": ("RUS", "person", "GOV"), "Kim Jong Un": ("PRK", "person", "GOV"), "Kim": ("PRK", "person", "GOV"),
    "Lavrov": ("RUS", "person", "GOV"),
}


def stand_in_resolver(text: str) -> list[ActorMention]:
    found: list[ActorMention] = []
    for surface, (country, kind, sector) in sorted(SURFACES.items(), key=lambda item: -len(item[0])):
        for match in re.finditer(r"\b" + re.escape(surface) + r"\b", text):
            if any(m.start <= match.start() < m.end for m in found):
                continue
            code = country if kind == "state" else surface.lower().replace(" ", "_")
            found.append(ActorMention(code=code, name=surface, country=country, sector=sector, text=surface,
                                      start=match.start(), end=match.end(), kind=kind))
    return found


@pytest.fixture(scope="module")
def nlp():
    from detente.nlp import load_pipeline

    return load_pipeline()  # the pipeline ingest uses, line-break sentence ends included


class RecordingDater:
    def __init__(self):
        self.calls = []

    def date_for(self, sent_start, sent_end, trigger_start, present_tense=False, continues_narrative=True):
        self.calls.append((sent_start, sent_end, trigger_start, present_tense))
        return TimeValue("2019", "2019-01-01", "2019-12-31", "year", basis="explicit")


def code(nlp, text, dater=None, offset=0):
    doc = nlp(text)
    actors = [ActorMention(**{**a.__dict__, "start": a.start + offset, "end": a.end + offset})
              for a in stand_in_resolver(text)]
    return extract_events(doc, actors, dater, "doc1", "doc one", doc_offset=offset)


def triples(events):
    return {(e.type, e.source[0].country, e.target[0].country if e.target else None) for e in events}


def test_subject_and_object(nlp):
    events = code(nlp, "Moscow condemned Washington for the new tariffs.")
    assert ("ACCUSE", "RUS", "USA") in triples(events)
    event = events[0]
    assert event.cameo.startswith("11") and event.quad_class == 3 and event.goldstein < 0
    assert event.modality == "asserted" and not event.negated


def test_met_with_is_symmetric_consultation(nlp):
    events = code(nlp, "Putin met with Kim Jong Un in Vladivostok.")
    assert triples(events) == {("CONSULT", "RUS", "PRK")}
    assert events[0].symmetric


def test_passive_agent_is_source(nlp):
    events = code(nlp, "Kim was invited to Moscow by Putin.")
    assert [(e.source[0].code, e.target[0].code) for e in events] == [("putin", "kim")]


def test_nominal_visit_takes_possessor_and_destination(nlp):
    events = code(nlp, "Putin's visit to Pyongyang ended without a joint statement.")
    assert ("CONSULT", "RUS", "PRK") in triples(events)
    visit = next(e for e in events if e.cameo == "042")
    assert visit.trigger == "visit"
    assert visit.confidence < 0.7  # nominal readings are trusted less than verbal ones


def test_summit_between_two_leaders(nlp):
    events = code(nlp, "The summit between Putin and Kim lasted three hours.")
    assert triples(events) == {("CONSULT", "RUS", "PRK")}
    assert events[0].symmetric


def test_dashed_pair_before_event_noun(nlp):
    events = code(nlp, "The Russia–North Korea summit took place in the far east.")
    assert triples(events) == {("CONSULT", "RUS", "PRK")}


def test_compound_actors_give_one_event_per_pair(nlp):
    events = code(nlp, "Moscow and Beijing denounced Washington and Seoul.")
    assert triples(events) == {("ACCUSE", s, t) for s in ("RUS", "CHN") for t in ("USA", "KOR")}


def test_plural_subject_of_reciprocal_verb_becomes_the_pair(nlp):
    events = code(nlp, "Russia and North Korea signed a treaty on mutual assistance.")
    assert triples(events) == {("SUPPORT", "RUS", "PRK")}
    assert events[0].cameo == "057" and events[0].symmetric


def test_negation(nlp):
    events = code(nlp, "Russia did not attack Ukraine.")
    assert triples(events) == {("ASSAULT", "RUS", "UKR")}
    assert events[0].negated


def test_refusal_becomes_reject_with_the_refused_acts_target(nlp):
    events = code(nlp, "Beijing refused to lift sanctions on Pyongyang.")
    assert triples(events) == {("REJECT", "CHN", "PRK")}
    assert events[0].cameo.startswith("12")


def test_reported_framing(nlp):
    events = code(nlp, "Officials said Russia had sent weapons to North Korea.")
    assert ("AID", "RUS", "PRK") in triples(events)
    assert events[0].modality == "reported"


def test_pledge_is_intended(nlp):
    events = code(nlp, "Moscow pledged to provide food aid to Pyongyang.")
    assert triples(events) == {("AGREE", "RUS", "PRK")}
    assert events[0].modality == "intended" and events[0].cameo.startswith("03")


def test_modal_is_hypothetical(nlp):
    events = code(nlp, "Russia could impose sanctions on North Korea.")
    assert triples(events) == {("SANCTION", "RUS", "PRK")}
    assert events[0].modality == "hypothetical"


def test_threat_reads_the_threatened_act(nlp):
    events = code(nlp, "Washington threatened to cut off aid to Pyongyang.")
    assert triples(events) == {("THREATEN", "USA", "PRK")}


def test_request_targets_the_addressee_not_the_requested_act(nlp):
    events = code(nlp, "China urged North Korea to resume talks with the United States.")
    assert triples(events) == {("REQUEST", "CHN", "PRK")}


def test_mobilize_needs_no_target(nlp):
    events = code(nlp, "Russia mobilised troops along the border.")
    assert triples(events) == {("MOBILIZE", "RUS", None)}


def test_no_event_without_resolvable_source(nlp):
    assert code(nlp, "The two countries signed an agreement on trade.") == []
    assert code(nlp, "Someone attacked the embassy in Seoul.") == []


def test_no_self_events(nlp):
    assert code(nlp, "Moscow praised Russia.") == []


def test_an_act_without_a_named_target_is_kept_with_less_confidence(nlp):
    """"Moscow condemned the decision": Moscow's act is counted for Moscow, with no target, at lower
    confidence than when the target is named; dyads only ever see events with both sides."""
    alone = code(nlp, "Moscow condemned the decision.")
    aimed = code(nlp, "Moscow condemned Washington.")
    assert [(e.type, e.target) for e in alone] == [("ACCUSE", [])]
    assert triples(aimed) == {("ACCUSE", "RUS", "USA")}
    assert alone[0].confidence < aimed[0].confidence


def test_offsets_dates_and_evidence_are_in_document_characters(nlp):
    dater = RecordingDater()
    text = "Pyongyang was quiet. Then Putin visited Pyongyang."
    events = code(nlp, text, dater=dater, offset=1000)
    assert triples(events) == {("CONSULT", "RUS", "PRK")}
    mention = events[0].mentions[0]
    assert mention.sentence == 1 and mention.doc_id == "doc1"
    assert mention.sentence_text == "Then Putin visited Pyongyang."
    assert text[mention.start - 1000:mention.end - 1000].startswith("Then Putin visited")
    sent_start, sent_end, trigger_start, present = dater.calls[0]
    assert (sent_start, trigger_start) == (1000 + text.index("Then"), 1000 + text.index("visited"))
    assert not present
    assert events[0].date.value == "2019"


def test_lexicon_covers_every_cameo_root_and_maps_to_plover():
    lexicon = default_lexicon()
    roots = {p.code[:2] for p in [*lexicon.verbs.values(), *lexicon.nouns.values()]}
    assert {f"{r:02d}" for r in range(2, 21)} <= roots
    assert len(lexicon.verbs) + len(lexicon.nouns) >= 300
    for cameo in lexicon.codes.values():
        assert cameo.plover_type in PLOVER_TYPES or (cameo.code.startswith("01") and not cameo.plover_type)
        assert cameo.quad_class in (1, 2, 3, 4)
    assert lexicon.code("163").plover_type == "SANCTION"
    assert lexicon.code("02").plover_type == "REQUEST"


def test_stated_future_cooperation_is_an_intent(nlp):
    events = code(nlp, "Beijing will send food aid to Pyongyang next spring.")
    assert triples(events) == {("AGREE", "CHN", "PRK")}
    assert events[0].modality == "intended" and events[0].cameo.startswith("03")


def test_stated_future_refusal_is_a_rejection(nlp):
    events = code(nlp, "Russia will not lift its sanctions on North Korea.")
    assert triples(events) == {("REJECT", "RUS", "PRK")}
    assert not events[0].negated  # the "not" is what makes it a rejection


def test_demand_put_through_a_statement(nlp):
    events = code(nlp, "Tokyo officials and Japan said North Korea must release the abducted citizens.")
    assert ("REQUEST", "JPN", "PRK") in triples(events)


def test_condition_names_the_threatened_party(nlp):
    events = code(nlp, "Washington threatened to impose sanctions unless Pyongyang halted its missile tests.")
    assert triples(events) == {("THREATEN", "USA", "PRK")}


def test_showing_resolve_is_not_a_protest(nlp):
    assert code(nlp, "Russia demonstrated its resolve to Japan.") == []


def test_readiness_is_an_intent(nlp):
    events = code(nlp, "Moscow is ready to resume talks with Seoul.")
    assert triples(events) == {("AGREE", "RUS", "KOR")}
    assert events[0].modality == "intended"


def test_a_capital_and_its_state_are_one_actor(nlp):
    # The stand-in gives "the Kremlin" the GOV sector and "Russia" none: still one state.
    assert code(nlp, "The Kremlin praised Russia.") == []


def test_demanded_act_is_not_an_event_of_its_own(nlp):
    events = code(nlp, "Washington demanded that Pyongyang release the detained sailors to Seoul.")
    assert all(e.type != "RETREAT" for e in events)
    events = code(nlp, "Seoul repeated its demand that Pyongyang withdraw troops from Japan.")
    assert all(e.type != "RETREAT" for e in events)


def test_according_to_is_reported(nlp):
    events = code(nlp, "According to Seoul, Pyongyang shelled Japan last night.")
    assert ("ASSAULT", "PRK", "JPN") in triples(events)
    assert next(e for e in events if e.type == "ASSAULT").modality == "reported"


def test_condition_makes_it_hypothetical(nlp):
    events = code(nlp, "If talks fail, China will impose an embargo on Japan.")
    embargo = [e for e in events if e.target and e.target[0].country == "JPN"]
    assert embargo and all(e.modality == "hypothetical" for e in embargo)


def test_confidence_is_a_share_and_rewards_direct_arguments(nlp):
    direct = code(nlp, "Moscow condemned Washington.")[0]
    nominal = code(nlp, "Moscow's condemnation of Washington surprised nobody.")
    assert 0 <= nominal[0].confidence < direct.confidence <= 1


def test_mentions_of_other_pieces_are_ignored(nlp):
    doc = nlp("Russia attacked Ukraine.")
    elsewhere = ActorMention("USA", "United States", "USA", "", "Washington", 5000, 5010)
    actors = [ActorMention(**{**a.__dict__, "start": a.start + 100, "end": a.end + 100})
              for a in stand_in_resolver(doc.text)]
    events = extract_events(doc, actors + [elsewhere], None, "d", "d", doc_offset=100)
    assert triples(events) == {("ASSAULT", "RUS", "UKR")}


def test_a_government_acting_at_home_is_a_one_actor_event(nlp):
    """"Putin promised to reform Russia": no self-dyad, but the act is kept for its source."""
    events = code(nlp, "Putin promised to democratize Russia.")
    assert [(e.type, e.target) for e in events] == [("AGREE", [])]
    assert events[0].modality == "intended"


def test_stated_willingness_is_an_intent_of_the_holder(nlp):
    events = code(nlp, "Moscow indicated its willingness to provide aid to North Korea.")
    assert triples(events) == {("AGREE", "RUS", "PRK")}
    assert events[0].modality == "intended"


def test_a_demand_restated_with_a_that_clause(nlp):
    events = code(nlp, "Washington reiterated its demand today that Pyongyang halt its missile tests.")
    assert triples(events) == {("REQUEST", "USA", "PRK")}


def test_the_charge_of_an_accusation_is_no_event_of_its_own(nlp):
    events = code(nlp, "Moscow accused Washington of attacking Ukraine.")
    assert {e.type for e in events} == {"ACCUSE"}


def test_no_as_subject_determiner_negates(nlp):
    events = code(nlp, "No Russian leader had visited North Korea.")
    assert events and all(e.negated for e in events)


def test_an_order_to_stop_is_coercion(nlp):
    events = code(nlp, "Beijing ordered the Japan embassy in China to close.")
    assert any(e.type == "COERCE" and e.source[0].country == "CHN" for e in events)


def test_refused_commitment_takes_the_beneficiary_as_target(nlp):
    events = code(nlp, "Russia refused to commit to any new aid for North Korea.")
    assert triples(events) == {("REJECT", "RUS", "PRK")}


def test_withdrawal_from_an_agreement_is_a_rejection_not_a_retreat(nlp):
    events = code(nlp, "Pyongyang's withdrawal from the agreement angered Washington.")
    assert {e.type for e in events if e.source[0].country == "PRK"} == {"REJECT"}


def test_an_event_noun_takes_the_mood_of_its_clause(nlp):
    events = code(nlp, "A Kim-Putin summit would take place in Russia.")
    assert events and all(e.modality == "hypothetical" for e in events)


def test_a_headline_verb_speaks_of_the_dispatch_day_but_an_imperative_clause_does_not(nlp):
    dater = RecordingDater()
    code(nlp, "Putin and Kim Jong Un discuss gas pipeline at Siberian army base\n", dater=dater)
    assert dater.calls and dater.calls[0][3] is True
    dater = RecordingDater()
    code(nlp, "Moscow said it would visit Pyongyang.", dater=dater)
    assert all(call[3] is False for call in dater.calls)


def test_present_progressive_and_passive_are_present_tense_reporting(nlp):
    for text in ("Moscow is pressing Pyongyang to settle trade in hard currency.",
                 "Pyongyang is condemned by Washington for the launch."):
        dater = RecordingDater()
        code(nlp, text, dater=dater)
        assert dater.calls and all(call[3] is True for call in dater.calls), text
    dater = RecordingDater()
    code(nlp, "Moscow was pressing Pyongyang to settle trade in hard currency.", dater=dater)
    assert dater.calls and all(call[3] is False for call in dater.calls)


def test_a_verbless_heading_does_not_take_the_narrative_date(nlp):
    class NarrativeDater(RecordingDater):
        def date_for(self, sent_start, sent_end, trigger_start, present_tense=False, continues_narrative=True):
            self.calls.append((sent_start, continues_narrative))
            return TimeValue()

    dater = NarrativeDater()
    text = "In 2001 Putin visited Pyongyang.\n\nThe Russia-North Korea summit\n\nPutin met Kim Jong Un in Moscow.\n"
    code(nlp, text, dater=dater)
    flags = {text[start:start + 12]: narrative for start, narrative in dater.calls}
    assert flags == {"In 2001 Puti": True, "The Russia-N": False, "Putin met Ki": True}, flags
