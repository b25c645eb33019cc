"""Claims read from sentences, and the conflicts found between them (plain data, no ledger)."""

from __future__ import annotations

from detente.link.claims import ClaimExtractor, DateRange, PersonFinder, SentenceText
from detente.link.conflicts import find_conflicts

PEOPLE = PersonFinder([("kim_il_sung", "Kim Il Sung", ["Kim Il-sung"]), ("vladimir_putin", "Vladimir Putin", []),
                       ("ivan_kozhedub", "Ivan Kozhedub", [])])
EXTRACT = ClaimExtractor(PEOPLE)


def claims_of(doc_id: str, *sentences: str, published: DateRange | None = None):
    rows, offset = [], 0
    for index, text in enumerate(sentences):
        rows.append(SentenceText(index, offset, text))
        offset += len(text) + 1
    return EXTRACT.extract(doc_id, rows, published)


def test_amounts_keep_their_bounds_and_only_disjoint_ranges_conflict():
    over = claims_of("a", "The Soviet debt North Korea owed had grown to over ten billion dollars.")
    exact = claims_of("b", "Russia wrote off 90 percent of the $11 billion Soviet-era debt North Korea owed.")
    low = claims_of("c", "When Russia agreed to write off the debt, it was put at about $8 billion.")
    (over_debt,) = [c for c in over if c.subject_key == "debt:PRK:SUN"]
    assert (over_debt.low, over_debt.high) == (10e9, 15e9) and over_debt.unit == "USD"
    assert any(c.unit == "percent" and c.low <= 90 <= c.high for c in exact)
    assert find_conflicts(over + exact, str) == []
    (conflict,) = find_conflicts(over + exact + low, str)
    assert conflict.kind == "amount" and {c.doc_id for c in conflict.sides} == {"a", "b", "c"}


def test_ranks_need_a_person_and_a_rank_not_an_adjective():
    claims = claims_of("a", "Kim Il Sung served as a major in the Red Army.",
                       "Russia wants to be a major international actor.",
                       "He served as a major general later.")
    ranks = [(c.subject_key, c.value) for c in claims if c.kind == "rank"]
    assert ("kim_il_sung", "major") in ranks and len([r for r in ranks if r[1] == "major"]) == 1


def test_rank_conflict_but_not_a_promotion():
    captain = claims_of("a", "Stalin chose Kim Il Sung, a former Soviet Army captain, to lead the north.")
    major = claims_of("b", "During the war, Kim Il Sung served as a major in the Red Army.")
    (conflict,) = find_conflicts(captain + major, str)
    assert conflict.kind == "attribute" and {c.value for c in conflict.sides} == {"captain", "major"}
    career = claims_of("c", "Ivan Kozhedub arrived in Manchuria in 1951 as a colonel.") + claims_of(
        "d", "In 1985 Ivan Kozhedub was promoted to Marshal of Aviation.")
    assert find_conflicts(career, str) == []


def test_firsts_against_earlier_visits_and_not_first_in_decades():
    first = claims_of("a", "Vladimir Putin first travelled to Pyongyang in 2001.")
    earlier = claims_of("b", "Vladimir Putin visited Pyongyang in July 2000.")
    decades = claims_of("c", "It was Vladimir Putin's first visit to North Korea in more than two decades, in 2024.")
    assert not any(c.kind == "first" for c in decades)
    (conflict,) = find_conflicts(first + earlier + decades, str)
    assert conflict.kind == "date" and [c.doc_id for c in conflict.sides] == ["a", "b"]
    assert "2001" in conflict.explanation and "2000-07" in conflict.explanation


def test_one_summit_dated_twice_conflicts_and_an_arrival_does_not():
    summit = claims_of("a", "Vladimir Putin met Kim Jong Un in Vladivostok on 25 April 2019.",
                       "Kim arrived in the city on Wednesday, 24 April.")
    other = claims_of("b", "Their previous summit, held in Vladivostok on 24 April 2019, ended without agreements.")
    (conflict,) = find_conflicts(summit + other, str)
    assert sorted(c.date.value for c in conflict.sides) == ["2019-04-24", "2019-04-25"]
    same_day = claims_of("c", "They held a summit in Vladivostok on 25 April 2019.")
    assert find_conflicts(summit + same_day, str) == []


def test_offices_are_claims_that_never_conflict():
    a = claims_of("a", "Then-President Vladimir Putin met the delegation.")
    b = claims_of("b", "Prime Minister Vladimir Putin opened the session.")
    offices = [(c.subject_key, c.value) for c in a + b if c.kind == "office"]
    assert offices == [("vladimir_putin", "Then-President"), ("vladimir_putin", "Prime Minister")]
    assert find_conflicts(a + b, str) == []
