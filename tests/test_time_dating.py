"""The event-dating rule of detente.time.dating.EventDater."""

from __future__ import annotations

from detente.time import parse_dct, tag
from detente.time.dating import EventDater

TEXT = ("In 2011 Medvedev met Kim in Ulan-Ude. Little came of it. "
        "Two years later Putin wrote off the debt. "
        "Russia is now a major partner.")


def sentence_bounds(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def test_sentence_date_then_narrative_anchor_then_document():
    published = parse_dct("2019-04-25")
    dater = EventDater(tag(TEXT, published), published, TEXT)
    s, e = sentence_bounds(TEXT, "In 2011 Medvedev met Kim in Ulan-Ude.")
    assert dater.date_for(s, e, TEXT.index("met")).value == "2011"
    s, e = sentence_bounds(TEXT, "Two years later Putin wrote off the debt.")
    assert dater.date_for(s, e, TEXT.index("wrote")).value == "2013"
    s, e = sentence_bounds(TEXT, "Little came of it.")
    continued = dater.date_for(s, e, TEXT.index("came"))
    assert (continued.value, continued.basis) == ("2011", "narrative")
    s, e = sentence_bounds(TEXT, "Russia is now a major partner.")
    assert dater.date_for(s, e, TEXT.index("is now"), present_tense=True).value == "2019-04-25"


def test_unknown_without_any_date():
    text = "Moscow protested. Pyongyang replied."
    dater = EventDater(tag(text), parse_dct("2019"), text)
    assert not dater.date_for(0, 17, 7).known
    assert dater.date_for(0, 17, 7, present_tense=True).basis == "document"


def test_nearest_governing_date_wins_and_year_stays_year():
    text = "After talks in 1999, the two signed a treaty in February 2000 that Moscow later praised."
    dater = EventDater(tag(text), parse_dct("2019"), text)
    signed = dater.date_for(0, len(text), text.index("signed"))
    assert signed.value == "2000-02"
    talks = dater.date_for(0, len(text), text.index("talks"))
    assert (talks.value, talks.precision) == ("1999", "year")


def test_durations_are_not_dates():
    text = "For two weeks the delegations argued."
    dater = EventDater(tag(text), parse_dct("2019"), text)
    assert not dater.date_for(0, len(text), text.index("argued")).known


def test_missing_publication_date_is_tolerated():
    dater = EventDater([], None)
    assert not dater.date_for(0, 10, 3, present_tense=True).known


# ------------------------------------------------------------ with the dependency parse

import pytest  # noqa: E402


@pytest.fixture(scope="module")
def nlp():
    from detente.nlp import load_pipeline

    return load_pipeline()


def parse_dater(nlp, text: str, dct: str = "2015"):
    published = parse_dct(dct)
    return EventDater(tag(text, published), published, text, docs=[(nlp(text), 0)])


def test_the_date_governing_the_trigger_wins_over_a_nearer_one(nlp):
    text = "Moscow, which had recognised Seoul in 1990, signed the treaty with Pyongyang in 2000."
    dater = parse_dater(nlp, text)
    signed = dater.date_for(0, len(text), text.index("signed"))
    assert signed.value == "2000"
    # without the parse the nearer date of the relative clause would win
    plain = EventDater(tag(text, parse_dct("2015")), parse_dct("2015"), text)
    assert plain.date_for(0, len(text), text.index("signed")).value == "1990"


def test_a_date_of_another_noun_does_not_date_the_event(nlp):
    text = "In 2014 the two sides met often. Putin invited Kim to the celebrations in May."
    dater = parse_dater(nlp, text)
    second = text.index("Putin")
    invited = dater.date_for(second, len(text), text.index("invited"))
    assert (invited.value, invited.basis) == ("2014", "narrative")


def test_a_possibility_does_not_continue_the_narrative(nlp):
    text = "In 2018 Kim met Trump. Putin could end his plans by cooperating with the US."
    dater = parse_dater(nlp, text)
    second = text.index("Putin")
    assert not dater.date_for(second, len(text), text.index("cooperating")).known
    assert not dater.date_for(second, len(text), text.index("end his")).known



def test_an_undated_past_tense_lead_stays_unknown_even_in_a_dated_dispatch():
    text = "Kim Jong Un met Vladimir Putin at the cosmodrome. In 1961 the two states signed a treaty."
    lead_end = text.index(" In 1961")
    dispatch = parse_dct("2023-09-13").with_basis("metadata")
    dater = EventDater(tag(text, dispatch), dispatch, text)
    assert not dater.date_for(0, lead_end, text.index("met")).known
    assert dater.date_for(0, lead_end, text.index("met"), present_tense=True).value == "2023-09-13"
