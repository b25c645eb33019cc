"""Recognition rules: compiled regexes that find temporal expressions and say what they mean.

Each rule turns a regex match into zero or more `Found` spans with a `Spec` (the meaning as
calendar fields plus, for relative expressions, a `Relation`). Nothing here resolves against
an anchor date; that is `detente.time.resolve`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterator

from detente.model import TimeValue
from detente.time.lexicon import (
    BC_ERAS, DAY_RE, ERA_RE, FULL_MONTH_RE, MONTH_RE, MONTHS, NUMBER_RE, ORDINAL_WORD_RE, SEASON_RE, SEASONS,
    UNIT_RE, UNITS, WEEKDAY_RE, number_value, ordinal_value,
)
from detente.time.values import valid_day


@dataclass(slots=True)
class Relation:
    """A date stated relative to another: `reference` is 'narrative' (the date the story is at) or
    'deictic' (the moment of writing); `unit` day/week/month/year/decade/century or a season code;
    `delta` the signed count of units, or 'future'/'past' when the amount is vague."""

    reference: str
    unit: str
    delta: int | str
    same_granularity: bool = True  # 'two months later' is a month, 'later that year' a year


@dataclass(slots=True)
class Spec:
    kind: str = "date"  # date, duration, set, time, ref; 'void' blocks an impossible date ('31 February')
    year: int | None = None
    month: int | None = None
    day: int | None = None
    season: str | None = None
    quarter: int | None = None
    half: int | None = None
    decade: int | None = None
    century: int | None = None
    short_year: int | None = None  # "'99": century taken from the narrative
    bc_candidate: int | None = None  # a bare 'in 479' counts only inside a BC narrative
    modifier: str | None = None
    part_of_day: str | None = None
    clock: tuple[int, int] | None = None
    relation: Relation | None = None
    fixed: TimeValue | None = None  # durations, sets, references: value known without context
    range_end: "Spec | None" = None  # joined ranges ('between 1950 and 1953')
    period: bool = False


@dataclass(slots=True)
class Found:
    start: int
    end: int
    spec: Spec
    priority: int = 0
    extra: dict = field(default_factory=dict)


I = re.IGNORECASE
_NOT_NUMBER_BEFORE = r"(?<![\w$£€#.,/+:-])"
_NOT_NUMBER_AFTER = r"(?![\w%]|[.,:]\d|-\d)"


def _era_year(digits: str, era: str | None) -> int | None:
    """A year from its digits and optional era; None when it is not a plausible year."""
    if not digits.isdigit():
        return None
    number = int(digits)
    if era:
        if number == 0:
            return None
        return -number if BC_ERAS.match(era) else number
    if len(digits) == 4 and 1000 <= number <= 2100:
        return number
    return None


# Words after which a 4-digit number is an identifier or a quantity, not a year.
_BLOCK_BEFORE = re.compile(
    r"(?:\b(?:resolutions?|no|nos|number|numbers|p|pp|page|pages|art|article|articles|chapter|section|sec|route|"
    r"flight|hill|height|unit|code|room|platform|issue|vol|volume|rule|bus|model|law|decree|order|paragraph|"
    r"item|line|tel|phone|fax|box|suite|apartment|lot|case|file|id|isbn|issn|doc|document|report|serial|"
    r"squadron|division|regiment|battalion|brigade|corps|army|fleet|highway|road|street|st|ave|avenue|km|"
    r"mile|miles|over|about|around|nearly|almost|some|than|of\s+the|exactly|roughly|approximately)\.?\s*"
    r"|[$£€¥#№]\s*|\bus\s*\$\s*|\bp\.\s*)$",
    I,
)
_YEAR_PREPOSITION_BEFORE = re.compile(
    r"(?:\b(?:in|since|by|during|until|till|before|after|from|to|of|through|throughout|early|late|mid|between|"
    r"and|or|the\s+year|year|spring|summer|autumn|fall|winter|circa|ca\.|c\.)\s*|[,(]\s*)$",
    I,
)
_COUNT_NOUN_AFTER = re.compile(
    r"\s+(?:[a-z]+\s+)?(?:people|persons|troops|men|women|children|soldiers|casualties|dead|killed|wounded|"
    r"prisoners|tanks|aircraft|planes|guns|ships|vessels|km|kilometers|kilometres|miles|metres|meters|feet|votes|"
    r"delegates|members|cases|rounds|units|copies|dollars|rubles|roubles|yuan|won|tons|tonnes|residents|civilians|"
    r"refugees|workers|students|deaths|times|pages|hectares|acres|square|strong|officers|sailors|marines|"
    r"fighters|rebels|guerrillas|vehicles|artillery|mortars|shells|bombs|missiles|warheads|sorties|points|"
    r"seats|villages|cities|towns|victims|lives|households|families|pieces|items|kg|lbs|pounds|euros|yen|barrels|hours\s+of)\b"
)


_TEMPORAL_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|since|by|during|until|till|before|after|from|through|throughout|the\s+year|year|circa|ca\.|c\.)\s*$", I)
_NUMBER_GROUP_BEFORE = re.compile(r"\d[\s.]?$")
_NUMBER_GROUP_AFTER = re.compile(r"[ .-]?\d")


def _plausible_year(text: str, start: int, end: int) -> bool:
    window_start = max(0, start - 24)
    # Groups of digits side by side are phone or serial numbers, not years.
    if _NUMBER_GROUP_BEFORE.search(text, max(0, start - 2), start) or _NUMBER_GROUP_AFTER.match(text, end):
        return False
    if _BLOCK_BEFORE.search(text, window_start, start) and not _YEAR_PREPOSITION_BEFORE.search(
            text, window_start, start):
        return False
    if _COUNT_NOUN_AFTER.match(text, end) and not _TEMPORAL_PREPOSITION_BEFORE.search(text, window_start, start):
        return False
    return True


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _day(token: str) -> int:
    return int(token.rstrip("stndrh"))


Handler = Callable[[re.Match, str], Iterator[Found]]
RULES: list[tuple[re.Pattern, Handler]] = []


def rule(pattern: str, flags: int = 0) -> Callable[[Handler], Handler]:
    compiled = re.compile(pattern, flags)

    def register(handler: Handler) -> Handler:
        RULES.append((compiled, handler))
        return handler

    return register


_YEAR_TAIL = rf"(?:(?:,\s*|\s+)(?P<y>\d{{1,4}})(?:\s*(?P<era>{ERA_RE}))?)?"


def _dated(match: re.Match, text: str, month: int, day: int | None, day_end: int) -> Iterator[Found]:
    """A month (and day) with an optional year; an implausible year is left out of the span."""
    year = None
    end = day_end
    if match.group("y"):
        year = _era_year(match.group("y"), match.group("era"))
        if year is not None and not match.group("era") and _COUNT_NOUN_AFTER.match(text, match.end("y")):
            year = None
        if year is not None:
            end = match.end()
    if day is not None and not valid_day(year, month, day):
        # '31 February': claim the span so no part of it ('February') is read as a date.
        yield Found(match.start(), match.end(), Spec(kind="void"), priority=9)
        return
    yield Found(match.start(), end, Spec(year=year, month=month, day=day), priority=3)


@rule(rf"(?<![\w.,:/])(?:{WEEKDAY_RE},?\s+)?(?:[Tt]he\s+)?(?P<d>{DAY_RE})(?:\s+of)?\s+(?P<m>{MONTH_RE}){_YEAR_TAIL}")
def _day_month_year(match: re.Match, text: str) -> Iterator[Found]:
    yield from _dated(match, text, _month(match.group("m")), _day(match.group("d")), match.end("m"))


@rule(rf"(?<![\w.])(?:{WEEKDAY_RE},?\s+)?(?P<m>{MONTH_RE})\s+(?:the\s+)?(?P<d>{DAY_RE})(?!\s*(?:%|[-–]\s*\d|\w)){_YEAR_TAIL}")
def _month_day_year(match: re.Match, text: str) -> Iterator[Found]:
    yield from _dated(match, text, _month(match.group("m")), _day(match.group("d")), match.end("d"))


@rule(rf"(?<![\w.])(?P<m>{MONTH_RE})(?:\s+of|,)?\s+(?P<y>\d{{1,4}})(?:\s*(?P<era>{ERA_RE}))?(?!\w|[.,:]\d)")
def _month_year(match: re.Match, text: str) -> Iterator[Found]:
    year = _era_year(match.group("y"), match.group("era"))
    if year is not None:
        yield Found(match.start(), match.end(), Spec(year=year, month=_month(match.group("m"))), priority=3)


# Ranges of days in one month: 'March 5-9, 1918', '6-7 January 1916', 'May 4 and 5'.
@rule(rf"(?<![\w.])(?P<m>{MONTH_RE})\s+(?P<d1>{DAY_RE})\s*(?P<sep>[-–]|and|or|to|through)\s*(?P<d2>{DAY_RE})"
      rf"(?!\s*{MONTH_RE}){_YEAR_TAIL}")
def _month_day_range(match: re.Match, text: str) -> Iterator[Found]:
    month = _month(match.group("m"))
    year = _era_year(match.group("y"), match.group("era")) if match.group("y") else None
    first, second = _day(match.group("d1")), _day(match.group("d2"))
    if not (valid_day(year, month, first) and valid_day(year, month, second)):
        yield Found(match.start(), match.end(), Spec(kind="void"), priority=9)
        return
    second_end = match.end() if year is not None else match.end("d2")
    yield Found(match.start(), match.end("d1"), Spec(year=year, month=month, day=first), 4, {"range": "open"})
    yield Found(match.start("d2"), second_end, Spec(year=year, month=month, day=second), 4, {"range": "close"})


@rule(rf"(?<![\w.,:/])(?P<d1>{DAY_RE})\s*(?P<sep>[-–]|and|or|to|through)\s*(?P<d2>{DAY_RE})\s+(?P<m>{MONTH_RE}){_YEAR_TAIL}")
def _day_range_month(match: re.Match, text: str) -> Iterator[Found]:
    month = _month(match.group("m"))
    year = _era_year(match.group("y"), match.group("era")) if match.group("y") else None
    first, second = _day(match.group("d1")), _day(match.group("d2"))
    if not (valid_day(year, month, first) and valid_day(year, month, second)):
        yield Found(match.start(), match.end(), Spec(kind="void"), priority=9)
        return
    second_end = match.end() if year is not None else match.end("m")
    yield Found(match.start("d1"), match.end("d1"), Spec(year=year, month=month, day=first), 4, {"range": "open"})
    yield Found(match.start("d2"), second_end, Spec(year=year, month=month, day=second), 4, {"range": "close"})


_BARE_MONTH_CONTEXT = re.compile(
    r"(?:\b(?:in|on|by|until|till|since|of|from|to|during|through|throughout|early|late|mid|before|after|"
    r"end|beginning|start|middle|between|and|or|last|next|this|that|each|every|previous|following)\s*|-\s*)$",
    I,
)


@rule(rf"(?:(?<=[Mm]id-)|(?<![\w.-])){FULL_MONTH_RE}(?!\s+\d)")
def _bare_month(match: re.Match, text: str) -> Iterator[Found]:
    name = match.group()
    start = match.start()
    has_context = _BARE_MONTH_CONTEXT.search(text, max(0, start - 14), start) is not None
    # 'May' is usually the verb, and 'March' can be; other months read as months unless a
    # capitalised word follows ('June Offensive' is still a month; 'August Bebel' is not, rarely).
    if name in ("May", "March") and not has_context:
        return
    yield Found(start, match.end(), Spec(month=_month(name)), priority=2)


@rule(r"(?<![\w.-])(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?![\w-])")
def _iso_day(match: re.Match, text: str) -> Iterator[Found]:
    year, month, day = int(match.group("y")), int(match.group("mo")), int(match.group("d"))
    if 1000 <= year <= 2100 and valid_day(year, month, day):
        yield Found(match.start(), match.end(), Spec(year=year, month=month, day=day), priority=5)


@rule(r"(?<![\w./-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?![\w/]|[.,]\d)")
def _slashed_day(match: re.Match, text: str) -> Iterator[Found]:
    first, second, year = int(match.group("a")), int(match.group("b")), int(match.group("y"))
    if not 1000 <= year <= 2100:
        return
    # US order unless the first number cannot be a month.
    month, day = (first, second) if first <= 12 else (second, first)
    if first <= 12 and second <= 12 and first != second:
        return  # 3/4/2001 is ambiguous between orders; say nothing rather than something wrong
    if valid_day(year, month, day):
        yield Found(match.start(), match.end(), Spec(year=year, month=month, day=day), priority=5)


@rule(rf"(?:(?<=[Mm]id-)|{_NOT_NUMBER_BEFORE})(?:(?P<the>[Tt]he\s+years?\s+))?(?P<y>\d{{4}}){_NOT_NUMBER_AFTER}"
      r"(?!\s*(?:per\s*cent|percent))")
def _year(match: re.Match, text: str) -> Iterator[Found]:
    year = _era_year(match.group("y"), None)
    if year is None or not _plausible_year(text, match.start("y"), match.end("y")):
        return
    cited_by = _CITATION_BEFORE.search(text, max(0, match.start() - 40), match.start())
    citation = cited_by is not None and text[match.end():match.end() + 1] in (")", ",", ":", ";") \
        and cited_by.group("author").lower() not in _NOT_AUTHORS
    yield Found(match.start(), match.end(), Spec(year=year), priority=2, extra={"citation": citation})


# 'Lankov (2013)', '(Lankov, 2013)': a publication year, which does not move the narrative.
_CITATION_BEFORE = re.compile(r"(?P<author>[A-Z][\w'’-]+)(?:\s+et\s+al\.?)?(?:\s*\(|,\s*|\s+)$")
# Capitalised words before a year that introduce a date, not name an author ("In 1995, ...").
_NOT_AUTHORS = {"in", "on", "by", "since", "from", "until", "till", "during", "after", "before", "of", "and", "the",
                "through", "throughout", "around", "circa", "about", "between", "early", "late", "mid",
                "spring", "summer", "autumn", "fall", "winter", "january", "february", "march", "april", "may", "june",
                "july", "august", "september", "october", "november", "december", "year", "then", "also", "but"}


@rule(rf"(?<![\w.,$£€#/-])(?P<y>\d{{1,4}})\s*(?P<era>{ERA_RE})")
def _era_year_rule(match: re.Match, text: str) -> Iterator[Found]:
    year = _era_year(match.group("y"), match.group("era"))
    if year is not None:
        yield Found(match.start(), match.end(), Spec(year=year), priority=3)


@rule(r"(?<![\w.])(?:AD|A\.D\.)\s+(?P<y>\d{1,4})(?![\w.,]\d?)")
def _ad_year(match: re.Match, text: str) -> Iterator[Found]:
    yield Found(match.start(), match.end(), Spec(year=int(match.group("y"))), priority=3)


@rule(r"(?<=\bin )(?P<y>[1-9]\d{2})(?=[,.;]?\s)(?!\s*(?:BC|B\.C|AD|A\.D|CE|BCE))")
def _bare_bc_year(match: re.Match, text: str) -> Iterator[Found]:
    yield Found(match.start(), match.end(), Spec(bc_candidate=int(match.group("y"))), priority=1)


# '1915-17', '1861-1863', '499-493 BC', 'from 1915 to 1916'; TimeML marks each end separately.
@rule(rf"{_NOT_NUMBER_BEFORE}(?P<y1>\d{{1,4}})(?:\s*(?P<era1>{ERA_RE}))?\s*(?P<sep>[-–—/]|to|until|till|and)\s*"
      rf"(?P<y2>\d{{1,4}})(?:\s*(?P<era2>{ERA_RE}))?{_NOT_NUMBER_AFTER}")
def _year_range(match: re.Match, text: str) -> Iterator[Found]:
    first_digits, second_digits = match.group("y1"), match.group("y2")
    era = match.group("era2") or match.group("era1")
    if era:
        first, second = _era_year(first_digits, era), _era_year(second_digits, era)
        if first is None or second is None:
            return
        if first < 0 and second < first and len(second_digits) < len(first_digits):
            # '490-80 BC': the short end borrows the long end's leading digits.
            second = -int(first_digits[: len(first_digits) - len(second_digits)] + second_digits)
        if not first < second:
            return
    else:
        first = _era_year(first_digits, None)
        if first is None or match.group("sep") in ("and",) and len(second_digits) != 4:
            return
        if len(second_digits) == 2:
            second = first - first % 100 + int(second_digits)
        elif len(second_digits) == 4:
            second = int(second_digits)
        else:
            return
        if not first < second <= 2100 or second - first > 200:
            return
        if not _plausible_year(text, match.start("y1"), match.end()):
            return
    if match.group("sep") == "/" and len(second_digits) == 4:
        return  # '1950/1953' written as a pair is rare; '1945/46' school years are still ranges
    yield Found(match.start("y1"), match.end("era1") if match.group("era1") else match.end("y1"), Spec(year=first),
                4, {"range": "open"})
    yield Found(match.start("y2"), match.end(), Spec(year=second), 4, {"range": "close"})


@rule(r"(?<![\w'’])['’](?P<yy>\d{2})(?![\w'’%])")
def _apostrophe_year(match: re.Match, text: str) -> Iterator[Found]:
    yield Found(match.start(), match.end(), Spec(short_year=int(match.group("yy"))), priority=1)


@rule(rf"(?<![\w$£€#.,/+-])(?:[Tt]he\s+)?(?P<dec>\d{{2,3}}0)['’]?s(?!\w)(?:\s*(?P<era>{ERA_RE}))?")
def _decade(match: re.Match, text: str) -> Iterator[Found]:
    tens = int(match.group("dec")) // 10
    era = match.group("era")
    if era and BC_ERAS.match(era):
        yield Found(match.start(), match.end(), Spec(decade=-tens), priority=3)
    elif era or 100 <= tens <= 210:
        yield Found(match.start(), match.end(), Spec(decade=tens), priority=3)


@rule(r"(?<![\w'’])(?:[Tt]he\s+)?['’](?P<d>\d)0s(?!\w)")
def _short_decade(match: re.Match, text: str) -> Iterator[Found]:
    yield Found(match.start(), match.end(), Spec(short_year=int(match.group("d")) * 10, decade=-1), priority=2)


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}


@rule(r"(?<![\w-])[Tt]he\s+(?:(?P<cent>nineteen|eighteen)[\s-])?(?P<word>twenties|thirties|forties|fifties|sixties|"
      r"seventies|eighties|nineties)(?!\w)")
def _decade_words(match: re.Match, text: str) -> Iterator[Found]:
    tens = _DECADE_WORDS[match.group("word")]
    if match.group("cent"):
        century = 19 if match.group("cent") == "nineteen" else 18
        yield Found(match.start(), match.end(), Spec(decade=century * 10 + tens), priority=3)
    else:
        yield Found(match.start(), match.end(), Spec(short_year=tens * 10, decade=-1), priority=2)


@rule(rf"(?<![\w-])(?:[Tt]he\s+)?(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|{ORDINAL_WORD_RE})[\s-]+[Cc]entury(?!\w)"
      rf"(?:\s*(?P<era>{ERA_RE}))?", I)
def _century(match: re.Match, text: str) -> Iterator[Found]:
    ordinal = ordinal_value(match.group("ord"))
    if not ordinal or ordinal > 21:
        return
    era = match.group("era")
    hundreds = ordinal - 1
    century = -hundreds if era and BC_ERAS.match(era.upper()) else hundreds
    if century == 0 and era and BC_ERAS.match(era.upper()):
        century = -0  # the 1st century BC: hundreds digit 0
        yield Found(match.start(), match.end(), Spec(century=-100), priority=3)
        return
    yield Found(match.start(), match.end(), Spec(century=century), priority=3)


_FALL_NOT_SEASON = re.compile(r"\s+of\s+(?!\d)|\s+(?:to|into|from|on|in|back|apart|short|behind)\b", I)
_FALL_SEASON_BEFORE = re.compile(
    r"\b(?:the|in|that|this|last|next|early|late|by|until|of|during|through|mid|same|following|previous)\s*-?\s*$", I)


@rule(rf"(?<![\w-])(?:[Tt]he\s+)?(?P<s>{SEASON_RE})(?:(?:\s+of|,)?\s+(?P<y>\d{{1,4}})(?:\s*(?P<era>{ERA_RE}))?"
      rf"(?![\w:]|[.,]\d))?")
def _season(match: re.Match, text: str) -> Iterator[Found]:
    word = match.group("s").lower()
    year = _era_year(match.group("y"), match.group("era")) if match.group("y") else None
    end = match.end() if year is not None else match.end("s")
    if year is None and word in ("fall", "spring"):
        start = match.start()
        if _FALL_NOT_SEASON.match(text, match.end("s")):
            return
        if word == "spring" and match.group("s") == "Spring":
            pass
        elif not match.group().lower().startswith("the") and not _FALL_SEASON_BEFORE.search(
                text, max(0, start - 12), start):
            return
    yield Found(match.start(), end, Spec(year=year, season=SEASONS[word]), priority=3)


@rule(rf"(?<![\w-])(?P<y>\d{{4}})\s+(?P<s>{SEASON_RE})")
def _year_season(match: re.Match, text: str) -> Iterator[Found]:
    year = _era_year(match.group("y"), None)
    if year is not None:
        yield Found(match.start(), match.end(), Spec(year=year, season=SEASONS[match.group("s").lower()]), 3)


_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": 4}


@rule(r"(?<![\w-])(?:the\s+)?(?P<q>first|second|third|fourth|last|1st|2nd|3rd|4th)\s+quarter\s+of\s+"
      r"(?:(?P<y>\d{4})|(?P<rel>the\s+year|that\s+year|this\s+year|last\s+year))", I)
def _quarter(match: re.Match, text: str) -> Iterator[Found]:
    quarter = _QUARTERS[match.group("q").lower()]
    if match.group("y"):
        year = _era_year(match.group("y"), None)
        if year is not None:
            yield Found(match.start(), match.end(), Spec(year=year, quarter=quarter), 4)
        return
    yield Found(match.start(), match.end(), Spec(quarter=quarter, relation=_year_relation(match.group("rel"))), 4)


@rule(r"(?<!\w)Q(?P<q>[1-4])\s+(?P<y>\d{4})(?!\w)")
def _quarter_code(match: re.Match, text: str) -> Iterator[Found]:
    year = _era_year(match.group("y"), None)
    if year is not None:
        yield Found(match.start(), match.end(), Spec(year=year, quarter=int(match.group("q"))), 4)


@rule(r"(?<![\w-])(?:the\s+)?(?P<h>first|second|latter|last)\s+half\s+of\s+(?:(?P<y>\d{4})|(?P<rel>the\s+year|"
      r"that\s+year|this\s+year|last\s+year))", I)
def _half(match: re.Match, text: str) -> Iterator[Found]:
    half = 1 if match.group("h").lower() == "first" else 2
    if match.group("y"):
        year = _era_year(match.group("y"), None)
        if year is not None:
            yield Found(match.start(), match.end(), Spec(year=year, half=half), 4)
        return
    yield Found(match.start(), match.end(), Spec(half=half, relation=_year_relation(match.group("rel"))), 4)


def _year_relation(phrase: str) -> Relation:
    phrase = phrase.lower().split()[0]
    if phrase == "this":
        return Relation("deictic", "year", 0)
    if phrase == "last":
        return Relation("deictic", "year", -1)
    return Relation("narrative", "year", 0)


# ---------------------------------------------------------------- relative expressions

_UNIT_NAMES = {"day": "day", "night": "day", "week": "week", "fortnight": "fortnight", "month": "month",
               "year": "year", "decade": "decade", "century": "century", "centurie": "century"}


def _unit(word: str) -> str:
    word = word.lower()
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("s"):
        word = word[:-1]
    return word


_HEDGE_RE = (r"(?:just|only|a\s+mere|some|about|around|nearly|almost|over|more\s+than|less\s+than|roughly|barely|"
             r"scarcely|little\s+more\s+than|approximately|exactly|at\s+least|at\s+most|not\s+until|under|within|"
             r"another|close\s+to|fully|precisely|a\s+full|barely|a\s+little\s+over|slightly\s+more\s+than)")


@rule(rf"(?<![\w-])(?:{_HEDGE_RE}\s+)?(?P<n>{NUMBER_RE})[\s-]+(?:(?:full|long|short|more)\s+)?(?P<u>{UNIT_RE})\s+"
      r"(?P<dir>later|afterwards?|after|earlier|before|beforehand|ago|previously|prior|on|since)(?![\w-])", I)
def _offset(match: re.Match, text: str) -> Iterator[Found]:
    unit = _unit(match.group("u"))
    if unit not in ("day", "night", "week", "fortnight", "month", "year", "decade", "century"):
        return
    direction = match.group("dir").lower()
    # 'two days after the vote' is anchored on an event; the narrative date is our best reading of it.
    if direction == "since":
        return
    amount = number_value(match.group("n"))
    sign = -1 if direction in ("earlier", "before", "beforehand", "ago", "previously", "prior") else 1
    reference = "deictic" if direction == "ago" else "narrative"
    if amount is None:
        delta: int | str = "past" if sign < 0 else "future"
    elif amount != int(amount):
        return
    else:
        delta = sign * int(amount)
    if unit == "fortnight":
        unit, delta = "week", (delta * 2 if isinstance(delta, int) else delta)
    if unit == "night":
        unit = "day"
    yield Found(match.start(), match.end(), Spec(relation=Relation(reference, unit, delta)), priority=5)


@rule(r"(?<![\w-])(?P<u>days|weeks|months|years)\s+(?P<dir>later|earlier|afterwards|before|ago)(?![\w-])", I)
def _vague_offset(match: re.Match, text: str) -> Iterator[Found]:
    direction = match.group("dir").lower()
    delta = "past" if direction in ("earlier", "before", "ago") else "future"
    yield Found(match.start(), match.end(), Spec(relation=Relation("narrative", _unit(match.group("u")), delta)), 4)


_NEIGHBOUR = {"next": 1, "following": 1, "subsequent": 1, "previous": -1, "preceding": -1, "prior": -1,
              "same": 0, "very": 0}
_PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "dawn": "MO"}


@rule(rf"(?<![\w-])(?:the|that|this)\s+(?P<rel>next|following|subsequent|previous|preceding|prior|same|very)\s+"
      rf"(?P<u>day|week|month|year|decade|century|morning|afternoon|evening|night|{SEASON_RE}|{FULL_MONTH_RE})(?![\w-])",
      I)
def _neighbour(match: re.Match, text: str) -> Iterator[Found]:
    delta = _NEIGHBOUR[match.group("rel").lower()]
    word = match.group("u")
    lowered = word.lower()
    if delta == 1 and lowered in ("day", "week", "month", "year") and re.search(
            r"\b(?:for|over|throughout)\s+$", text[max(0, match.start() - 12):match.start()], I):
        value = _duration_code(1, lowered)
        yield Found(match.start(), match.end(), Spec(kind="duration", fixed=TimeValue(value=value, timex3=value)), 4)
        return
    spec = Spec()
    if lowered in SEASONS:
        spec.season = SEASONS[lowered]
        spec.relation = Relation("narrative", "season", delta)
    elif lowered in MONTHS:
        spec.month = MONTHS[lowered]
        spec.relation = Relation("narrative", "month-name", delta)
    elif lowered in _PART_OF_DAY:
        spec.kind = "time"
        spec.part_of_day = _PART_OF_DAY[lowered]
        spec.relation = Relation("narrative", "day", delta)
    else:
        spec.relation = Relation("narrative", lowered, delta)
    yield Found(match.start(), match.end(), spec, priority=4)


@rule(r"(?<![\w-])(?:that|this)\s+(?P<u>day|month|year|decade|morning|afternoon|evening|night)(?![\w-])", I)
def _that_unit(match: re.Match, text: str) -> Iterator[Found]:
    unit = match.group("u").lower()
    start = match.start()
    deictic = match.group().lower().startswith("this") and unit in ("month", "year", "decade")
    spec = Spec(relation=Relation("deictic" if deictic else "narrative", unit, 0))
    if unit in _PART_OF_DAY:
        spec = Spec(kind="time", part_of_day=_PART_OF_DAY[unit], relation=Relation("narrative", "day", 0))
    yield Found(start, match.end(), spec, priority=3)


@rule(r"(?<![\w-])(?:one|that|the\s+same)\s+(?P<u>morning|afternoon|evening|night)(?![\w-])", I)
def _one_part_of_day(match: re.Match, text: str) -> Iterator[Found]:
    yield Found(match.start(), match.end(), Spec(kind="time", part_of_day=_PART_OF_DAY[match.group("u").lower()],
                                                 relation=Relation("narrative", "day", 0)), priority=3)


@rule(r"(?<![\w-])(?:the\s+)?day\s+(?P<dir>after|before|following|earlier|later)(?![\w-])", I)
def _day_after(match: re.Match, text: str) -> Iterator[Found]:
    delta = -1 if match.group("dir").lower() in ("before", "earlier") else 1
    yield Found(match.start(), match.end(), Spec(relation=Relation("narrative", "day", delta)), priority=4)


@rule(r"(?<![\w-])(?P<dir>later|earlier)\s+(?:that|the\s+same|in\s+the|in\s+that|this|that\s+same)\s+"
      rf"(?P<u>day|week|month|year|{SEASON_RE})(?![\w-])", I)
def _later_that(match: re.Match, text: str) -> Iterator[Found]:
    word = match.group("u").lower()
    deictic = " this " in f" {match.group().lower()} "
    reference = "deictic" if deictic else "narrative"
    if word in SEASONS:
        yield Found(match.start(), match.end(), Spec(season=SEASONS[word], relation=Relation(reference, "season", 0)),
                    4)
        return
    spec = Spec(relation=Relation(reference, word, 0), modifier="late" if match.group("dir").lower() == "later"
                else "early")
    yield Found(match.start(), match.end(), spec, priority=4)


_DEICTIC = {"last": -1, "this": 0, "next": 1, "coming": 1, "current": 0, "past": -1}


@rule(rf"(?<![\w-])(?P<the>the\s+)?(?P<rel>last|this|next|coming|current|past)\s+"
      rf"(?P<u>year|month|week|decade|century|weekend|{SEASON_RE})(?![\w-])", I)
def _deictic(match: re.Match, text: str) -> Iterator[Found]:
    relation = match.group("rel").lower()
    word = match.group("u").lower()
    if match.group("the") and relation in ("last", "past", "coming"):
        # 'the past year' is the year up to now: a duration.
        code = {"year": "1Y", "month": "1M", "week": "1W", "decade": "1DE", "century": "1CE", "weekend": "2D"}.get(
            word, "1Y")
        if word in SEASONS:
            return
        yield Found(match.start(), match.end(), Spec(kind="duration", fixed=TimeValue(value="P" + code,
                                                                                        timex3="P" + code)), 3)
        return
    if match.group("the") and relation == "next":
        return  # 'the next year' is anaphoric: the neighbour rule reads it
    if word == "weekend":
        return
    if word in SEASONS:
        yield Found(match.start(), match.end(), Spec(season=SEASONS[word],
                                                     relation=Relation("deictic", "season", _DEICTIC[relation])), 4)
        return
    yield Found(match.start(), match.end(), Spec(relation=Relation("deictic", word, _DEICTIC[relation])), 4)


@rule(r"(?<![\w-])(?P<w>yesterday|today|tomorrow|tonight)(?![\w-])", I)
def _today(match: re.Match, text: str) -> Iterator[Found]:
    word = match.group("w").lower()
    delta = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}[word]
    spec = Spec(relation=Relation("deictic", "day", delta))
    if word == "tonight":
        spec.part_of_day = "NI"
    if word == "today":
        spec.kind = "ref-today"
    yield Found(match.start(), match.end(), spec, priority=3)


@rule(r"(?<![\w-])(?P<w>(?:right\s+)?now|nowadays|currently|current|present-day|present\s+day|at\s+present|"
      r"the\s+present|these\s+days|the\s+time\s+being|former|formerly|recently|recent|the\s+past|"
      r"(?:the\s+)?future|previously|in\s+the\s+past)(?![\w-])", I)
def _reference(match: re.Match, text: str) -> Iterator[Found]:
    word = match.group("w").lower()
    if word.startswith("in the past"):
        return
    if word in ("former", "formerly", "recently", "recent", "the past", "previously"):
        value = "PAST_REF"
    elif word.endswith("future"):
        value = "FUTURE_REF"
    else:
        value = "PRESENT_REF"
    if word == "previously" or word == "former" and text[max(0, match.start() - 4):match.start()].lower() == "the ":
        return  # 'the former' points back to a noun, not to a time
    yield Found(match.start(), match.end(), Spec(kind="ref", fixed=TimeValue(timex3=value)), priority=1)


@rule(r"(?<![\w-])(?:(?P<at>at|by|around|during|in)\s+)?(?P<w>(?:this|that|the\s+same|the)\s+(?:time|period)"
      r"|month's\s+end|year's\s+end)(?![\w-])", I)
def _that_time(match: re.Match, text: str) -> Iterator[Found]:
    """'at the time', 'that period': the date the narrative is at (HeidelTime's narrative reading)."""
    phrase = " ".join(match.group("w").lower().split())
    if phrase in ("the time", "the period") and (match.group("at") or "").lower() != "at":
        return
    if text.startswith(("when", "of", "that", "to", "for"), match.end() + 1) and phrase.startswith("the "):
        return
    unit = "month" if phrase == "month's end" else "year" if phrase == "year's end" else "same"
    spec = Spec(relation=Relation("narrative", unit, 0))
    yield Found(match.start("w"), match.end(), spec, priority=1)


_HOLIDAYS = {"christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25), "new year's eve": (12, 31),
             "new year's day": (1, 1), "halloween": (10, 31), "independence day": (7, 4), "bastille day": (7, 14)}


@rule(r"(?<![\w-])(?P<h>Christmas(?:\s+(?:Eve|Day))?|New\s+Year's\s+(?:Eve|Day)|Halloween|Bastille\s+Day)"
      r"(?:,?\s+(?P<y>\d{4})(?![\w]|[.,:]\d))?")
def _holiday(match: re.Match, text: str) -> Iterator[Found]:
    month, day = _HOLIDAYS[" ".join(match.group("h").lower().split())]
    year = _era_year(match.group("y"), None) if match.group("y") else None
    end = match.end() if year is not None else match.end("h")
    yield Found(match.start(), end, Spec(year=year, month=month, day=day), priority=3)


# ---------------------------------------------------------------- durations and sets

_DURATION_PREFIX = (r"(?:the\s+(?:next|past|last|first|following|previous|final|subsequent|coming|preceding|"
                    r"intervening|entire|whole|ensuing|remaining|same|initial)\s+|another\s+|"
                    rf"{_HEDGE_RE}\s+(?:the\s+(?:next|past|last|first)\s+)?)")
_ADJECTIVES = (r"(?:full|long|short|more|additional|bloody|brutal|straight|consecutive|whole|entire|hard|"
               r"difficult|tense|bitter|fierce|terrible|further|successive|previous|turbulent|frantic|crucial)")


def _duration_code(amount: float | None, unit: str) -> str:
    code = UNITS[unit]
    if code == "2W":
        code, amount = "W", (amount * 2 if amount is not None else None)
    if amount is None:
        number = "X"
    elif amount == int(amount):
        number = str(int(amount))
    else:
        number = f"{amount:g}"
        if number.startswith("0."):
            number = number[1:]
    if code in ("H", "MIN", "S"):
        return f"PT{number}{'M' if code == 'MIN' else code}"
    return f"P{number}{code}"


@rule(rf"(?<![\w-])(?:{_DURATION_PREFIX})?(?P<n>{NUMBER_RE})(?:\s+{_ADJECTIVES})?[\s-]+(?P<u>{UNIT_RE})"
      r"(?:[\s-]+(?P<post>long|old|of\s+age))?(?![\w-])", I)
def _duration(match: re.Match, text: str) -> Iterator[Found]:
    number_text = match.group("n")
    unit = _unit(match.group("u"))
    if unit not in UNITS:
        return
    amount = number_value(number_text)
    plural = match.group("u").lower().endswith(("s", "ia"))
    if number_text.lower() in ("a", "an") and plural:
        return  # 'a months-long trek'
    if number_text.lower() in ("some", "many") and not match.group("u").lower().endswith("s"):
        return  # 'some day', 'many a year'
    if unit == "second" and (not plural or number_text.lower() in ("a", "an")):
        return  # 'a second attack'
    if amount == 1 and plural and number_text.isdigit():
        return
    if amount is not None and amount > 1 and not plural and not match.group("post") and "-" not in match.group():
        if not number_text[0].isdigit() and not re.search(r"\s(?:year|day|month|week)\b", match.group(), I):
            return
    if number_text.isdigit() and len(number_text) >= 3 and not plural:
        return
    value = _duration_code(amount, unit)
    yield Found(match.start(), match.end(), Spec(kind="duration", fixed=TimeValue(value=value, timex3=value)), 2)


@rule(r"(?<![\w-])(?P<u>days|weeks|months|years|decades|day|week|month|year)-long(?![\w-])", I)
def _unit_long(match: re.Match, text: str) -> Iterator[Found]:
    unit = _unit(match.group("u"))
    amount = None if match.group("u").lower().endswith("s") else 1
    value = _duration_code(amount, unit)
    yield Found(match.start(), match.end(), Spec(kind="duration", fixed=TimeValue(value=value, timex3=value)), 2)


@rule(r"(?<![\w-])(?:(?:a|one)\s+)?half[\s-](?:a[\s-])?(?P<u>century|decade|year|month)(?![\w-])", I)
def _half_unit(match: re.Match, text: str) -> Iterator[Found]:
    value = _duration_code(0.5, _unit(match.group("u")))
    yield Found(match.start(), match.end(), Spec(kind="duration", fixed=TimeValue(value=value, timex3=value)), 2)


@rule(r"(?<![\w-])(?P<n>[Aa]|[Oo]ne|[Tt]wo|\d)[\s-]+(?P<u>day|week|month|year|hour)[\s-]+and[\s-]+a[\s-]+half"
      r"(?:[\s-]+long)?(?![\w-])")
def _unit_and_half(match: re.Match, text: str) -> Iterator[Found]:
    value = _duration_code((number_value(match.group("n")) or 1) + 0.5, _unit(match.group("u")))
    yield Found(match.start(), match.end(), Spec(kind="duration", fixed=TimeValue(value=value, timex3=value)), 3)


_SET_TIMEX = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX", "night": "XXXX-XX-XXTNI",
              "morning": "XXXX-XX-XXTMO", "evening": "XXXX-XX-XXTEV", "afternoon": "XXXX-XX-XXTAF"}
_SET_VALUE = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "night": "P1D", "morning": "P1D",
              "evening": "P1D", "afternoon": "P1D"}


@rule(r"(?<![\w-])(?:(?P<freq>once|twice|thrice|(?:\d+|two|three|four|five|six|ten|several|many)\s+times)\s+)?"
      r"(?:(?P<every>every|each)\s+(?:other\s+|single\s+)?|(?P<per>per|a)\s+)"
      r"(?P<u>day|week|month|year|night|morning|evening|afternoon)(?![\w-])", I)
def _set(match: re.Match, text: str) -> Iterator[Found]:
    unit = match.group("u").lower()
    if match.group("per"):
        # 'twice a year' is a set (the frequency is part of it, so it outspans the duration
        # 'a year'); 'a year later' is handled elsewhere, 'a year' alone is a duration.
        if match.group("per").lower() == "a" and not match.group("freq"):
            return
        value = _SET_VALUE[unit]
        yield Found(match.start(), match.end(), Spec(kind="set", fixed=TimeValue(value=value, timex3=value)), 2)
        return
    yield Found(match.start(), match.end(), Spec(kind="set", fixed=TimeValue(value=_SET_VALUE[unit],
                                                                             timex3=_SET_TIMEX[unit])), 2)


@rule(r"(?<![\w-])(?P<w>everyday|daily|annually|yearly|weekly|monthly|nightly)(?![\w-])", I)
def _set_adverb(match: re.Match, text: str) -> Iterator[Found]:
    word = match.group("w").lower()
    unit = {"everyday": "day", "daily": "day", "annually": "year", "yearly": "year", "weekly": "week", "monthly": "month",
            "nightly": "night"}[word]
    yield Found(match.start(), match.end(), Spec(kind="set", fixed=TimeValue(value=_SET_VALUE[unit],
                                                                             timex3=_SET_TIMEX[unit])), 1)


# ---------------------------------------------------------------- times of day

@rule(r"(?<![\w:.,])(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?:\s*(?P<ap>[AaPp]\.?[Mm]\.?(?!\w)))?(?![\w:]|\.\d)")
def _clock(match: re.Match, text: str) -> Iterator[Found]:
    hour, minute = int(match.group("h")), int(match.group("mi"))
    meridiem = (match.group("ap") or "").lower()
    if meridiem.startswith("p") and hour < 12:
        hour += 12
    if meridiem.startswith("a") and hour == 12:
        hour = 0
    yield Found(match.start(), match.end(), Spec(kind="time", clock=(hour, minute),
                                                 relation=Relation("narrative", "day", 0)), 3)


@rule(r"(?<![\w:.,])(?P<h>1[0-2]|0?[1-9])\s*(?P<ap>a\.m\.|p\.m\.|am|pm|AM|PM|A\.M\.|P\.M\.)(?![\w])")
def _clock_hour(match: re.Match, text: str) -> Iterator[Found]:
    hour = int(match.group("h"))
    meridiem = match.group("ap").lower()
    if meridiem.startswith("p") and hour < 12:
        hour += 12
    if meridiem.startswith("a") and hour == 12:
        hour = 0
    yield Found(match.start(), match.end(), Spec(kind="time", clock=(hour, 0),
                                                 relation=Relation("narrative", "day", 0)), 3)


def find_all(text: str) -> list[Found]:
    found: list[Found] = []
    for pattern, handler in RULES:
        for match in pattern.finditer(text):
            found.extend(handler(match, text))
    return found
