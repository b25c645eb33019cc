"""Actors the gazetteer does not name (detente.actors.agents), on the real spaCy parse."""

from __future__ import annotations

import pytest

from detente.actors import ActorResolver, Gazetteer
from detente.actors.agents import AgentFinder, OBJECT_KIND, is_unknown_code, object_mention, unknown_code, without_datelines


@pytest.fixture(scope="module")
def nlp():
    from detente.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.default()


def agents(nlp, gazetteer, text):
    doc = nlp(text)
    known = ActorResolver(gazetteer).resolve(doc)
    return known, AgentFinder(gazetteer).find(doc, known)


def by_text(found, text):
    matches = [m for m in found if m.text == text]
    assert matches, f"no mention {text!r} among {[m.text for m in found]}"
    return matches[0]


def test_unknown_codes_are_slugs_of_their_words():
    assert unknown_code("the Munich I Regional Court") == "x-the-munich-i-regional-court"
    assert unknown_code("Délhi  Police!") == "x-délhi-police"
    assert unknown_code("—") == ""
    assert is_unknown_code("x-delhi-police") and not is_unknown_code("IND")


def test_agent_noun_without_country_is_kept_by_its_words(nlp, gazetteer):
    _, found = agents(nlp, gazetteer, "Delhi Police arrested two activists on Monday.")
    police = by_text(found, "Delhi Police")
    assert (police.code, police.sector, police.country) == ("x-delhi-police", "COP", "")


def test_country_from_inside_the_phrase_and_from_a_place_after_it(nlp, gazetteer):
    known, found = agents(nlp, gazetteer, "Security forces in Guinea have detained scores of refugees.")
    forces = by_text(found, "Security forces")
    assert (forces.code, forces.country, forces.sector) == ("GIN", "GIN", "MIL")


def test_titled_stranger_takes_the_state_the_sentence_is_about(nlp, gazetteer):
    _, found = agents(nlp, gazetteer, "Kenyan Interior Minister Fred Matiangi criticised the strike.")
    minister = [m for m in found if "Matiangi" in m.text]
    # Either the resolver already read the title, or the agents pass gives the person Kenya's government.
    assert all(m.country == "KEN" and m.sector == "GOV" for m in minister)


def test_a_person_named_with_an_organisation_speaks_for_it(nlp, gazetteer):
    _, found = agents(nlp, gazetteer, "Rebel leaders said they would meet U.N. mediator Diego Cordovez.")
    mediator = [m for m in found if "Cordovez" in m.text]
    assert mediator and mediator[0].kind == "igo" and mediator[0].inferred


def test_own_forces_and_objects_sent_are_not_new_actors(nlp, gazetteer):
    _, found = agents(nlp, gazetteer, "Syria is willing to withdraw its troops and deploy peacekeepers.")
    assert not [m for m in found if m.text in ("its troops", "troops", "peacekeepers")]


def test_possessor_is_not_the_party(nlp, gazetteer):
    _, found = agents(nlp, gazetteer, "Osama bin Laden's network threatened the United States.")
    assert not [m for m in found if m.text == "Osama bin Laden"]


def test_dateline_place_is_no_actor(nlp, gazetteer):
    doc = nlp("NEW DELHI, June 16 – Indian troops clashed with Chinese soldiers in Ladakh.")
    known = ActorResolver(gazetteer).resolve(doc)
    kept = without_datelines(doc, known)
    assert not [m for m in kept if m.text == "NEW DELHI"]
    assert [m for m in kept if m.country == "IND"]  # "Indian troops" stays
    assert without_datelines(nlp("NATO said the talks went well."), known) == known


def test_object_mention_keeps_a_name(nlp):
    doc = nlp("The court opened an investigation into Reliance Jio.")
    head = [t for t in doc if t.text == "Jio"][0]
    found = object_mention(head)
    assert found.kind == OBJECT_KIND and found.text == "Reliance Jio" and found.code == "x-reliance-jio"


@pytest.mark.parametrize("text", ["", "....!!!", "Россия и Китай подписали договор.",
                                  "Delhi Police " * 3000, "Putin Xi Modi Erdogan Macron Biden"])
def test_odd_input_codes_without_error(nlp, gazetteer, text):
    from detente.eval.plover import Pipeline

    pipeline = Pipeline()
    events = pipeline.events(text, "2020-01-01", "odd")
    assert isinstance(events, list)
