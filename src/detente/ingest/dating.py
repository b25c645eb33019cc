"""When was a document written? Its own date, with no more precision than the evidence gives.

Evidence, strongest first:

1. metadata: the date the source states about itself (`SourceDocument.metadata_date` from HTML
   meta / PDF info), or a self-describing line near the top or bottom of the text:
   "Published: 12 March 2021", "Posted on April 3, 2019 by …", "March 4, 2019 | 10:32 AM",
   a dateline "MOSCOW, April 25, 2019 —", or an archive header "Monthly Archives: September 2019"
   (used only when no other such line exists). → basis "metadata".
2. content, anchored: a deictic "last year" / "this year" / "a year ago" whose sentence (or the
   two before it, e.g. a quote's attribution line) dates its event explicitly: "made those
   comments last year" after "– Vladimir Putin, Sochi, October 2014" → 2015 (looking back only
   when the sentence points back: those/these/that/this/such/the same/then). A year used as an
   attribute ("a 2012 agreement") does not anchor. An anchored year older than a year the body
   mentions is contradicted and dropped. A "Last year, …" that the next sentences of its paragraph
   go on to date ("Throughout the year … in 2014, capping the year") anchors the same way.
   → basis "content", modifier None.
3. content, lower bound: the latest explicit year the body mentions (citations/notes excluded).
   The document is from that year or later; encoded as that year with modifier "approx" and
   basis "content": an estimate, never a claim of the exact year.
4. nothing: the unknown TimeValue (basis "unknown").

All functions here are pure: text and expressions in, values out.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections import Counter
from collections.abc import Sequence

from detente.model import UNKNOWN_TIME, SourceDocument, TimeExpression, TimeValue

HEAD_LINES = 15
TAIL_LINES = 5
# How far before a "last year" an explicit date may stand and still be what it refers to.
ANCHOR_LOOKBACK_SENTENCES = 2

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>(?i:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r"))\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[5-9]|20)\d\d)"
_WEEKDAY = r"(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+"

# Each date form as a named alternative; the first that matches at a position wins.
_DATE_FORMS = [
    rf"(?:{_WEEKDAY})?{_MONTH}\s+{_DAY},?\s+{_YEAR}",  # April 25, 2019
    rf"(?:{_WEEKDAY})?{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}",  # 25 April 2019
    rf"{_YEAR}-(?P<month>[01]\d)-(?P<day>[0-3]\d)",  # 2019-04-25
    rf"{_YEAR}/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)",  # 2019/04/25
    rf"{_MONTH},?\s+{_YEAR}",  # September 2019
]
_DATE_RES = [re.compile(form, re.IGNORECASE) for form in _DATE_FORMS]
_ANY_DATE = "(?:" + "|".join(re.sub(r"\(\?P<\w+>", "(?:", form) for form in _DATE_FORMS) + ")"

_TIME_OF_DAY = r"(?:\s*(?:[|·•,@-]|at)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,5}\)?)?)"
_PUBLISHED_LINE = re.compile(
    rf"^\s*(?:(?:first\s+|originally\s+)?published|posted|date|dated|publication\s+date|released)"
    rf"(?:\s+(?:on|at))?\s*[:\-–—]?\s*(?P<date>{_ANY_DATE})",
    re.IGNORECASE,
)
_MARKUP_AROUND = re.compile(r"^[\s*_>#]+|[\s*_]+$")
_DATE_ONLY_LINE = re.compile(rf"^\s*(?:{_WEEKDAY})?(?P<date>{_ANY_DATE}){_TIME_OF_DAY}?\s*$", re.IGNORECASE)
_BYLINE_DATE_LINE = re.compile(
    rf"^\s*by\s+[^|•·]{{1,80}}?\s*(?:[|•·,–—-]|\bon\b)\s*(?P<date>{_ANY_DATE}){_TIME_OF_DAY}?\s*$", re.IGNORECASE
)
# "MOSCOW, April 25, 2019 —" / "SEOUL, South Korea, April 25 (Reuters) -" (only with a year).
_DATELINE = re.compile(
    rf"^\s*[A-Z][A-Z.'’ -]{{1,40}}(?:,\s*[A-Z][A-Za-z.' -]{{1,40}})?,?\s+(?P<date>{_ANY_DATE})\s*"
    rf"(?:\([^)]{{1,30}}\)\s*)?[—–:-]"
)
_ARCHIVE_LINE = re.compile(
    rf"^\s*(?:(?:daily|monthly|yearly)\s+)?archives?\s*(?:for\s*)?[:\-–—]?\s*(?P<date>{_ANY_DATE}|{_YEAR})\s*$",
    re.IGNORECASE,
)

_REFERENCES_HEADING = re.compile(
    r"^[^\S\n]*(?:notes|endnotes|footnotes|references|bibliography|sources|works\s+cited|citations|further\s+reading)"
    r"\s*:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Deictic phrases: meaningful only relative to when the text was written. Offset in years.
_DEICTIC_YEAR = re.compile(r"\b(?:(?P<last>last\s+year|a\s+year\s+ago)|(?P<this>this\s+year(?:['’]s)?))\b", re.IGNORECASE)
_POINTS_BACK = re.compile(r"\b(?:those|these|that|this|such|the\s+same|then)\b", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\n+")
_YEAR_IN_TEXT = re.compile(r"(?<![\d$£€.,])\b((?:1[5-9]|20)\d\d)\b(?![\d%]|,\d)")
# Words before a year that make it a date of something in the sentence, not an attribute.
_DATING_WORDS = frozenset(
    "in on during of at since from until till through early late mid end beginning spring summer autumn "
    "fall winter by around".split()
)
_ATTRIBUTE_WORDS = frozenset("a an the its their his her this that these those our".split())


def parse_date_string(text: str) -> tuple[str, str] | None:
    """A date as written in metadata or a dateline → (ISO prefix, precision), or None.

    Handles ISO timestamps ("2019-04-25T10:00:00+03:00"), PDF dates ("D:20190425103200Z"),
    compact "20190425", "2019/04/25", "April 25, 2019", "25 April 2019", "September 2019", "2019".
    Only what the string says: "2019-04" stays a month.
    """
    text = text.strip()
    if not text:
        return None
    numeric = (
        re.match(r"^D:(\d{4})(\d{2})?(\d{2})?", text)  # PDF info dates
        or re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=$|[T\s])", text)  # ISO 8601 prefixes
        or re.match(r"^(\d{4})(\d{2})(\d{2})(?=$|T)", text)  # compact ISO
    )
    if numeric:
        return _checked_iso(int(numeric.group(1)), _int(numeric.group(2)), _int(numeric.group(3)))
    for date_re in _DATE_RES:
        match = date_re.search(text)
        if match:
            return _from_match(match)
    year_only = re.fullmatch(_YEAR, text)
    if year_only:
        return _checked_iso(int(year_only.group("year")), None, None)
    return None


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _from_match(match: re.Match) -> tuple[str, str] | None:
    parts = match.groupdict()
    month_text = parts.get("month")
    month = None
    if month_text:
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower().rstrip("."))
        if month is None:
            return None
    return _checked_iso(int(parts["year"]), month, _int(parts.get("day")))


def _checked_iso(year: int, month: int | None, day: int | None) -> tuple[str, str] | None:
    if month is None:
        return f"{year:04d}", "year"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}", "month"
    try:
        _dt.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", "day"


def time_value_from_iso(iso_prefix: str, basis: str, modifier: str | None = None) -> TimeValue:
    """A TimeValue covering exactly the given ISO prefix (YYYY, YYYY-MM or YYYY-MM-DD)."""
    parsed = parse_date_string(iso_prefix)
    if parsed is None:
        return UNKNOWN_TIME
    value, precision = parsed
    year = int(value[:4])
    if precision == "year":
        start, end = f"{value}-01-01", f"{value}-12-31"
    elif precision == "month":
        month = int(value[5:7])
        start, end = f"{value}-01", f"{value}-{calendar.monthrange(year, month)[1]:02d}"
    else:
        start = end = value
    return TimeValue(value, start, end, precision, modifier, basis, value)  # type: ignore[arg-type]


def find_metadata_line_date(text: str) -> tuple[str, str] | None:
    """(ISO prefix, the line) of a self-describing date line near the top or bottom, or None.

    A bare date line counts only when it is the only one in the head: several ("June 1950",
    "July 1953", …) are the headings of a chronology, not the date of the text."""
    head, tail = _head_and_tail_lines(text)
    date_only_lines = sum(1 for line in head if _DATE_ONLY_LINE.search(line))
    archive_hit: tuple[str, str] | None = None
    for position, line in [("head", line) for line in head] + [("tail", line) for line in tail]:
        line = _MARKUP_AROUND.sub("", line)  # "*Posted on 9 September 2018*" in Markdown
        patterns = [_PUBLISHED_LINE, _BYLINE_DATE_LINE]
        if position == "head":
            patterns.append(_DATELINE)
        if position == "tail" or date_only_lines == 1:
            patterns.append(_DATE_ONLY_LINE)
        for pattern in patterns:
            match = pattern.search(line)
            parsed = parse_date_string(match.group("date")) if match else None
            if parsed:
                return parsed[0], line.strip()
        if archive_hit is None:
            match = _ARCHIVE_LINE.search(line)
            parsed = parse_date_string(match.group("date")) if match else None
            if parsed:
                archive_hit = (parsed[0], line.strip())
    return archive_hit


def _head_and_tail_lines(text: str) -> tuple[list[str], list[str]]:
    """The first HEAD_LINES and last TAIL_LINES non-blank lines (never overlapping), without
    splitting a long text entirely."""
    head_lines: list[str] = []
    position = 0
    while len(head_lines) < HEAD_LINES and position < len(text):
        newline = text.find("\n", position)
        newline = len(text) if newline < 0 else newline
        if text[position:newline].strip():
            head_lines.append(text[position:newline])
        position = newline + 1
    tail_lines: list[str] = []
    end = len(text)
    while len(tail_lines) < TAIL_LINES and end > position:
        newline = text.rfind("\n", position, end)
        line_start = position if newline < 0 else newline + 1
        if text[line_start:end].strip():
            tail_lines.append(text[line_start:end])
        end = line_start - 1
    return head_lines, tail_lines[::-1]


def body_end(text: str) -> int:
    """Where the notes/references section starts (its dates are of cited works), else len(text).

    Only a heading in the second half counts, so a "Sources" section heading early on does not
    hide the article."""
    for match in _REFERENCES_HEADING.finditer(text):
        if match.start() >= len(text) // 2:
            return match.start()
    return len(text)


def infer_published(source: SourceDocument, expressions: Sequence[TimeExpression] | None = None) -> TimeValue:
    """The document's own date (see the module docstring for the evidence and its encoding).

    `expressions` are the temporal expressions of `source.text` (from `detente.time.tag`, narrative
    mode); when None, explicit years are found with a small built-in scanner instead.
    """
    if source.metadata_date:
        stated = time_value_from_iso(source.metadata_date, "metadata")
        if stated.known:
            return stated
    line_date = find_metadata_line_date(source.text)
    if line_date:
        return time_value_from_iso(line_date[0], "metadata")
    return infer_from_content(source.text, expressions)


def infer_from_content(text: str, expressions: Sequence[TimeExpression] | None = None) -> TimeValue:
    end = body_end(text)
    dated_years = explicit_years(text, expressions)
    body_years = [(start, year) for start, year in dated_years if start < end]
    if not body_years:
        return UNKNOWN_TIME
    latest = max(year for _, year in body_years)
    anchored = [year for year in anchored_years(text[:end], body_years) if year >= latest]
    if anchored:
        counts = Counter(anchored)
        best = max(counts, key=lambda year: (counts[year], year))
        return time_value_from_iso(f"{best:04d}", "content")
    return time_value_from_iso(f"{latest:04d}", "content", modifier="approx")


def explicit_years(text: str, expressions: Sequence[TimeExpression] | None) -> list[tuple[int, int]]:
    """(char offset, year) of every explicitly written date in the text."""
    if expressions is None:
        return [(match.start(1), int(match.group(1))) for match in _YEAR_IN_TEXT.finditer(text)
                if _looks_like_date_year(text, match.start(1))]
    found = []
    for expression in expressions:
        time = expression.time
        if not time.known or time.precision not in ("day", "month", "season", "quarter", "year"):
            continue
        # Both ends of a range ("2012-2018"); only years the expression writes out, because
        # "last year" resolved against a guessed document date would make the guess circular.
        for part in time.value.split("/"):
            year_text = part[:4]
            if year_text.isdigit() and year_text in expression.text:
                found.append((expression.start + expression.text.index(year_text), int(year_text)))
    return found


def _looks_like_date_year(text: str, start: int) -> bool:
    """A bare 4-digit number is a year when a date word, a month or a comma precedes it."""
    before = text[max(0, start - 30):start]
    previous_word = re.search(r"([A-Za-z]+)[.,]?\s*$", before)
    if previous_word:
        word = previous_word.group(1).lower()
        return word in _DATING_WORDS or word in _MONTHS or word.rstrip("s") in ("year",)
    return bool(re.search(r"(?:^|[(\-–—,;:/]|\d,)\s*$", before))


def anchored_years(body: str, dated_years: Sequence[tuple[int, int]]) -> list[int]:
    """Document years implied by deictic phrases tied to an explicit date (see module docstring)."""
    boundaries = [0] + [match.end() for match in _SENTENCE_BREAK.finditer(body)] + [len(body)]
    results = []
    for match in _DEICTIC_YEAR.finditer(body):
        offset = 1 if match.group("last") else 0
        sentence_index = max(i for i, b in enumerate(boundaries[:-1]) if b <= match.start())
        sentence_start, sentence_end = boundaries[sentence_index], boundaries[sentence_index + 1]
        in_sentence = [(s, y) for s, y in dated_years
                       if sentence_start <= s < sentence_end and _dates_the_event(body, s)]
        if in_sentence:
            anchor = min(in_sentence, key=lambda item: abs(item[0] - match.start()))[1]
        elif (ahead := _year_told_ahead(body, boundaries, sentence_index, dated_years)) is not None:
            anchor = ahead
        else:
            # Looking back is only safe when the sentence points back ("those comments").
            sentence_rest = body[sentence_start:match.start()] + " " + body[match.end():sentence_end]
            if not _POINTS_BACK.search(sentence_rest):
                continue
            window_start = boundaries[max(0, sentence_index - ANCHOR_LOOKBACK_SENTENCES)]
            before = [(s, y) for s, y in dated_years if window_start <= s < sentence_start]
            if not before:
                continue
            anchor = max(before)[1]  # the nearest preceding date
        results.append(anchor + offset)
    return results


def _year_told_ahead(body: str, boundaries: list[int], sentence_index: int,
                     dated_years: Sequence[tuple[int, int]]) -> int | None:
    """The year a "Last year, ..." opening goes on to name: "Last year, Kim attended the Sochi
    Olympics. Throughout the year, ... more officials than in 2014, capping the year ..." → 2014.

    Only the next ANCHOR_LOOKBACK_SENTENCES sentences of the same paragraph count, and each of
    them must keep talking about "the year" / "that year" up to the one that writes it out."""
    for index in range(sentence_index + 1, min(sentence_index + 1 + ANCHOR_LOOKBACK_SENTENCES, len(boundaries) - 1)):
        start, end = boundaries[index], boundaries[index + 1]
        before = body[boundaries[index - 1]:start]
        if "\n" in before[len(before.rstrip()):]:
            return None  # a new paragraph is a new subject
        if not _THE_YEAR.search(body, start, end):
            return None
        named = [year for offset, year in dated_years if start <= offset < end and _dates_the_event(body, offset)]
        if named:
            return named[0]
    return None


_THE_YEAR = re.compile(r"\b(?:the|that|this\s+same|the\s+same)\s+year\b(?!['’]s\s+end)", re.IGNORECASE)


def _dates_the_event(text: str, year_start: int) -> bool:
    """'in 2014', 'October 2014', '(2014)' date what happens; 'a 2012 agreement' does not."""
    before = text[max(0, year_start - 20):year_start]
    previous_word = re.search(r"([A-Za-z]+)\s*$", before)
    if previous_word and previous_word.group(1).lower() in _ATTRIBUTE_WORDS:
        return False
    return True
