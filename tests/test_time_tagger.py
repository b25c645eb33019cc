"""Unit cases for detente.time.tag: forms, values, resolution modes and bad input."""

from __future__ import annotations

import pytest

from detente.model import TimeValue
from detente.time import parse_dct, tag


def only(text: str, dct: str | None = None, mode: str = "narrative", **options):
    found = tag(text, dct, mode=mode, **options)
    assert len(found) == 1, [(e.text, e.time.value) for e in found]
    return found[0]


def values(text: str, dct: str | None = None, mode: str = "narrative", **options) -> list[tuple[str, str]]:
    return [(e.text, e.time.value) for e in tag(text, dct, mode=mode, **options)]


@pytest.mark.parametrize("text, value, precision", [
    ("on 25 June 1950 they crossed", "1950-06-25", "day"),
    ("on June 25, 1950 they crossed", "1950-06-25", "day"),
    ("on 1950-06-25 they crossed", "1950-06-25", "day"),
    ("on 6/25/1950 they crossed", "1950-06-25", "day"),
    ("on 25/6/1950 they crossed", "1950-06-25", "day"),
    ("in June 1950 they crossed", "1950-06", "month"),
    ("in February of 1940 it froze", "1940-02", "month"),
    ("in 1950 they crossed", "1950", "year"),
    ("throughout the 1950s he purged", "195X", "decade"),
    ("in the summer of 1950 it rained", "1950-SU", "season"),
    ("in the first quarter of 2019 it grew", "2019-Q1", "quarter"),
    ("in the 20th century wars grew", "19XX", "century"),
    ("in 479 BC the Persians", "-0479", "year"),
])
def test_absolute_forms(text, value, precision):
    expression = only(text)
    assert expression.time.value == value
    assert expression.time.precision == precision
    assert expression.time.basis == "explicit"
    assert text[expression.start:expression.end] == expression.text


def test_year_is_never_made_more_precise():
    time = only("The treaty was signed in 1950.").time
    assert (time.value, time.start, time.end, time.precision) == ("1950", "1950-01-01", "1950-12-31", "year")


def test_month_range_is_the_whole_month():
    time = only("It began in June 1950.").time
    assert (time.start, time.end) == ("1950-06-01", "1950-06-30")


def test_bc_years_are_negative_and_timex_uses_bc_prefix():
    time = only("Athens fell in 404 BC.").time
    assert (time.value, time.start, time.timex3) == ("-0404", "-0404-01-01", "BC0404")


def test_modifiers_are_kept_but_value_stays_the_period():
    time = only("In early 1950, the CIA warned.").time
    assert (time.value, time.modifier, time.timex3) == ("1950", "early", "1950")
    assert only("by the end of 1944 it was over").time.modifier == "end"
    assert only("in mid-September the rains came").time.modifier == "mid"
    assert only("in the dying days of 1945 they met").time.modifier == "end"


def test_decade_and_century_timex3_follow_timeml():
    assert only("the early 2000s").time.timex3 == "200"
    assert only("the early 2000s").time.modifier == "early"
    assert only("the nineteenth century").time.timex3 == "18"
    assert only("the 470s BC").time.timex3 == "BC047"


def test_ranges_join_or_split():
    joined = only("throughout 2012-2018, Kim ignored Moscow")
    assert (joined.text, joined.time.value, joined.time.start, joined.time.end) == (
        "2012-2018", "2012/2018", "2012-01-01", "2018-12-31")
    assert only("the siege of 1858-60 ended").time.value == "1858/1860"
    assert only("between 1950 and 1953 the war raged").time.value == "1950/1953"
    assert only("from 2012 to 2018 nothing").time.value == "2012/2018"
    split = values("the siege of 1915-17 ended", ranges="split")
    assert split == [("1915", "1915"), ("17", "1917")]


def test_durations_and_sets():
    assert (only("less than two weeks notice").time.value, only("two weeks").kind) == ("P2W", "duration")
    assert only("for several months they waited").time.value == "PXM"
    assert only("a months-long trek").time.value == "PXM"
    every = only("they met every year")
    assert (every.kind, every.time.value) == ("set", "P1Y")


def test_named_periods_from_gazetteer():
    war = only("During the Korean War, Moscow armed Pyongyang.")
    assert (war.text, war.time.start, war.time.end) == ("the Korean War", "1950-06-25", "1953-07-27")
    assert only("during World War II, Moscow").time.start == "1939-09-01"
    # a period said to end is the point where it ended
    for text in ("after World War II ended", "As World War 2 came to an end, hopes rose"):
        ended = only(text).time
        assert (ended.value, ended.precision, ended.modifier) == ("1945", "year", "end")
    assert tag("during the Korean War", named_periods=False) == []


def test_role_period_callback():
    def yeltsin(name: str) -> TimeValue | None:
        return TimeValue("1991/1999", "1991-07-10", "1999-12-31", "year", None, "explicit") if name == "Yeltsin" else None

    expression = only("In the Yeltsin years ties withered.", role_period=yeltsin)
    assert expression.text == "the Yeltsin years" and expression.time.start == "1991-07-10"


def test_news_mode_resolves_against_document_date():
    time = only("Last year, the envoy visited.", "2015-06-01", mode="news").time
    assert (time.value, time.basis) == ("2014", "document")
    assert only("They meet tomorrow.", "2015-06-01", mode="news").time.value == "2015-06-02"
    assert only("earlier this year", "2015-06-01", mode="news").time.value == "2015"
    assert only("last fall", "2015-06-01", mode="news").time.value == "2014-FA"
    assert only("He arrives in June.", "2015-03-01", mode="news").time.value == "2015-06"


def test_narrative_mode_resolves_against_the_last_stated_date():
    found = tag("In 2011 they met. Two years later, Putin came. The following year he left.", "2019-05-01")
    assert [(e.text, e.time.value, e.time.basis) for e in found] == [
        ("2011", "2011", "explicit"), ("Two years later", "2013", "narrative"),
        ("The following year", "2014", "narrative")]
    found = tag("On 10 June 1940 Italy joined. Twelve days later France fell. In August they bombed.")
    assert [e.time.value for e in found] == ["1940-06-10", "1940-06-22", "1940-08"]
    assert tag("In 1950 it began. That month, troops moved.")[1].time.value == "1950"  # no month stated
    assert only("the previous decade", "2019-05-01").time.value == "200X"


def test_narrative_falls_back_to_dct_and_else_stays_unknown():
    assert only("The following year he left.", "2015-06-01").time.value == "2016"
    assert only("The following year he left.").time.value == ""
    unresolved = only("He came in June.")
    assert (unresolved.time.value, unresolved.time.timex3, unresolved.time.start) == ("XXXX-06", "XXXX-06", "")
    assert only("Last year he left.").time.value == ""  # deictic with no document date


@pytest.mark.parametrize("text", [
    "On 31 February 2001 nothing happened.",
    "On 30 February 1950 nothing happened.",
    "On 2001-02-31 nothing happened.",
    "On 2/30/2001 nothing happened.",
    "He paid 1,950 rubles on 31 February.",
    "The 31st of February was quiet, as was February 30-31.",
])
def test_impossible_days_never_give_a_day_value(text):
    for expression in tag(text):
        assert expression.time.precision not in ("day", "month")  # not even the bare month
        assert "-31" not in expression.time.value and "-30" not in expression.time.value


@pytest.mark.parametrize("text", [
    "1,950 troops crossed the river.",
    "Resolution 84 and Resolution 1718 were adopted.",
    "See p. 1945 of the report.",
    "As noted on page 1948 and on pages 2001-2005 of volume 3.",
    "It cost $1945 in all.",
    "There were 1945 people on board.",
    "Some 4,000 men and 1950 soldiers died.",
    "Call +7 495 1945 2019 or 555-1950-2000.",
    "In 99 cases out of 100 it worked; in '99 % of cases.",
    "They were 18 and 19 at the time, 2345 km away.",
    "",
    "No dates here at all, just words and 12 numbers.",
])
def test_numbers_that_are_not_years(text):
    assert [e for e in tag(text) if e.time.precision in ("year", "month", "day", "decade")] == []


def test_two_digit_years_alone_are_not_dates():
    assert tag("In 99 he came and in 45 he left.") == []
    assert tag("The score was 5/6/99.") == []


def test_garbage_does_not_crash():
    for text in ["\x00\x01 1950-13-45 ////", "9999-99-99", "BC BC AD 0", "the 0s", "31/31/3131", "May May May"]:
        tag(text)


def test_offsets_point_into_the_text():
    text = "Kim Il Sung visited Moscow in March 1949, and again on 4 August 1961."
    for expression in tag(text):
        assert text[expression.start:expression.end] == expression.text


@pytest.mark.parametrize("raw, value, precision", [
    ("2019", "2019", "year"), ("2019-04", "2019-04", "month"), ("2019-04-25", "2019-04-25", "day"),
    ("2019-04-25T10:00:00", "2019-04-25", "day"),
])
def test_parse_dct(raw, value, precision):
    parsed = parse_dct(raw)
    assert (parsed.value, parsed.precision, parsed.basis) == (value, precision, "document")


@pytest.mark.parametrize("raw", ["19", "2019-13", "2019-02-30", "April 2019", "abc"])
def test_parse_dct_rejects_bad_input(raw):
    with pytest.raises(ValueError):
        parse_dct(raw)


def test_narrative_details():
    found = tag("The war stalled by 1940. In August of that year, the communists attacked.")
    assert found[1].text == "August of that year" and found[1].time.value == "1940-08"
    found = tag("Throughout the 1960s he hedged. Lankov (2013) called it a quasi-alliance at the time. "
                "Moscow stayed away for the following decade.", "2019-05-01")
    assert [(e.text, e.time.value) for e in found] == [
        ("the 1960s", "196X"), ("2013", "2013"), ("the time", "196X"), ("the following decade", "197X")]
    assert only("victory by Christmas 1963").time.value == "1963-12-25"
    assert only("in mid-2007 the surge").time.value == "2007"
    assert only("August 480 BC: Thermopylae").time.timex3 == "BC0480-08"


def test_modifier_on_named_period():
    expression = only("in the dying days of World War II the Soviets attacked")
    assert (expression.text, expression.time.modifier) == ("the dying days of World War II", "end")
