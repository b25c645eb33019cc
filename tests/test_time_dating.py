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
