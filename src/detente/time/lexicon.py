"""Words the temporal tagger knows: months, seasons, units, number words, and their regex forms."""

from __future__ import annotations

import re

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
FULL_MONTH_RE = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)(?![\w-])"
# Abbreviations need their dot or a following digit so 'Mar' or 'Dec' in names do not count.
MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
            r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|(?=\s+\d)))(?![\w-])")
WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
SEASON_RE = r"(?:[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)(?![\w-])"

ERA_RE = r"(?:B\.\s?C\.(?:\s?E\.)?|B\.C(?![\w.])|BCE|BC|A\.D\.|AD|CE)(?![A-Za-z])"
BC_ERAS = re.compile(r"B\.?\s?C")

DAY_RE = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"

UNITS = {
    "second": "S", "minute": "MIN", "hour": "H", "day": "D", "night": "D", "week": "W", "fortnight": "2W",
    "month": "M", "year": "Y", "decade": "DE", "century": "CE", "centurie": "CE", "millennium": "ML",
}
UNIT_RE = (r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|years?|decades?"
           r"|century|centuries|millenni(?:um|a))(?![\w])")

ONES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
VAGUE = ("a few", "few", "several", "some", "many", "a number of", "a couple of", "couple of")

_TENS_RE = "|".join(TENS)
_ONES_RE = "|".join(sorted(ONES, key=len, reverse=True))
NUMBER_WORD_RE = (rf"(?:(?:{_TENS_RE})(?:[\s-](?:{_ONES_RE}))?|{_ONES_RE}|(?:a|one)\s+hundred|hundred"
                  r"|a\s+dozen|dozen)")
# 'a'/'an' count as one; vague quantities become X in the value (PXM).
NUMBER_RE = (rf"(?:\d{{1,3}}(?:\.\d+)?|{NUMBER_WORD_RE}(?:\s+and\s+(?:a\s+)?half)?|a\s+couple\s+of|couple\s+of"
             r"|a\s+few|a\s+number\s+of|few|several|some|many|an?)")

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "twenty-first": 21, "twenty first": 21,
}
ORDINAL_WORD_RE = r"(?:twenty[\s-]first|" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + ")"


def number_value(text: str) -> float | None:
    """The number a quantity phrase states; None for vague ones ('several', 'a few')."""
    words = " ".join(text.lower().replace("-", " ").split())
    if words in VAGUE:
        return None
    half = 0.0
    if words.endswith("and a half") or words.endswith("and half"):
        half = 0.5
        words = words.rsplit(" and ", 1)[0]
    if words in ("a", "an", "one"):
        return 1 + half
    if words.replace(".", "", 1).isdigit():
        return float(words) + half
    if words in ("a couple of", "couple of"):
        return 2
    if words in ("a dozen", "dozen"):
        return 12
    if words in ("a hundred", "one hundred", "hundred"):
        return 100
    total = 0
    for word in words.split():
        if word in TENS:
            total += TENS[word]
        elif word in ONES:
            total += ONES[word]
        else:
            return None
    return total + half


def ordinal_value(text: str) -> int | None:
    lowered = text.lower().replace("-", " ")
    digits = "".join(ch for ch in lowered if ch.isdigit())
    if digits:
        return int(digits)
    return ORDINALS.get(lowered)
