"""The temporal tagger: find expressions (rules), settle overlaps, then resolve each against
the narrative anchor or the document date, in text order."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Callable, Literal

from detente.model import TimeExpression, TimeValue
from detente.time import periods as _periods
from detente.time.rules import Found, Relation, Spec, find_all
from detente.time.values import (
    add_days, add_months, add_years, century_value, day_value, decade_value, fields_of, half_value, interval_value,
    month_value, parse_dct, quarter_value, season_value, year_value,
)

Mode = Literal["narrative", "news", "auto"]
RolePeriod = Callable[[str], "TimeValue | None"]

_MODIFIER_BEFORE = re.compile(
    r"(?:\b(?:[Tt]he\s+)?(?:very\s+)?(?P<mod>early|mid|late|middle|end|beginning|start|close|dawn|outset|"
    r"latter\s+part|early\s+part|first\s+part|last\s+days|final\s+days|closing\s+days|dying\s+days|last\s+months|"
    r"final\s+months|first\s+months|first\s+days|rest|remainder|course)(?:\s*-\s*|\s+of\s+(?:the\s+)?|\s+in\s+"
    r"(?:the\s+)?|\s+)|\b(?P<approx>about|around|circa|ca\.|c\.|approximately|sometime\s+in|later\s+in|"
    r"earlier\s+in|as\s+recently\s+as|as\s+early\s+as|as\s+late\s+as)\s+)$",
    re.IGNORECASE,
)
_MODIFIER_NAMES = {
    "early": "early", "early part": "early", "first part": "early", "first months": "early", "first days": "early",
    "mid": "mid", "middle": "mid", "course": None, "late": "late", "latter part": "late", "rest": "late",
    "remainder": "late", "last months": "late", "final months": "late", "end": "end", "close": "end",
    "last days": "end", "final days": "end", "closing days": "end", "dying days": "end", "beginning": "start",
    "start": "start", "dawn": "start", "outset": "start",
}
_PART_OF_DAY_BEFORE = re.compile(
    r"(?:\b(?:[Tt]he\s+)?(?:early\s+)?(?P<pod>morning|afternoon|evening|night|dawn)\s+of\s+|\b(?:on\s+)?the\s+"
    r"(?P<pod2>morning|afternoon|evening|night)\s+of\s+)$", re.IGNORECASE)
_OF_THAT_YEAR_AFTER = re.compile(
    r",?\s+(?:of\s+(?P<rel>that|the\s+same|the\s+following|the\s+next|the\s+previous|this)"
    r"|(?:of\s+)?(?P<deictic>last|next|this))\s+year\b(?!['’])", re.IGNORECASE)
_PERIOD_ENDS_AFTER = re.compile(r"\s+(?:came|drew|was\s+coming|was\s+drawing)\s+to\s+(?:an?\s+)?(?:end|close)\b"
                                r"|\s+ended\b", re.IGNORECASE)
_THE_UNIT_WITH_MODIFIER = re.compile(
    r"(?<![\w-])(?:[Tt]he\s+)?(?:very\s+)?(?P<mod>end|beginning|start|middle|close|latter\s+part|rest|remainder|"
    r"early\s+part|first\s+part)\s+of\s+(?:the|that)\s+(?P<u>year|month)(?![\w-])", re.IGNORECASE)
# "since 2009", "until 1991": a bound on something else, not the time the narrative has reached.
_BOUND_BEFORE = re.compile(r"\b(?:since|until|till)\s+$", re.IGNORECASE)
# "after the end of the Cold War" moves the story to 1991; "the parade for the end of WW2" does not.
_EDGE_INTRO = re.compile(r"\b(?:after|at|by|with|following|in|during|upon|on|towards?|near|before|amid|as)\s+$",
                         re.IGNORECASE)
_RANGE_JOINER = re.compile(r"\s*(?:-|–|—|to|until|till|through|and)\s*$", re.IGNORECASE)
_RANGE_OPENER = re.compile(r"(?:\b(?:from|between)\s+)$", re.IGNORECASE)
_ROLE_PERIOD = re.compile(
    r"(?<![\w-])(?:[Tt]he\s+)?(?P<name>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)\s+(?:years|era|administration|presidency|"
    r"government|premiership|reign|rule)(?![\w-])")


class _Anchor:
    """Where the narrative is: the year, month and day the text last stated (any may be None)."""

    __slots__ = ("year", "month", "day", "decade")

    def __init__(self) -> None:
        self.year: int | None = None
        self.month: int | None = None
        self.day: int | None = None
        self.decade: int | None = None  # set when the text last spoke of a whole decade

    def update(self, value: TimeValue) -> None:
        year, month, day = fields_of(value)
        if year is not None:
            self.year, self.month, self.day = year, month, day
            self.decade = None
        elif value.precision == "decade" and value.timex3[:3].isdigit():
            self.decade = int(value.timex3[:3])

    def fields(self) -> tuple[int | None, int | None, int | None]:
        return self.year, self.month, self.day


def tag(text: str, dct: "str | TimeValue | None" = None, mode: Mode = "narrative", *,
        ranges: Literal["join", "split"] = "join", named_periods: bool = True,
        role_period: RolePeriod | None = None) -> list[TimeExpression]:
    """Find and normalise the temporal expressions of `text`.

    `dct` is the document creation time. In `news` mode relative expressions ('last year',
    'in June') resolve against it; in `narrative` mode anaphoric ones ('the following year',
    'that month', bare 'June') resolve against the last date the text stated, falling back to
    `dct`. Deictic ones ('last year', 'ago', 'today') always need `dct`; without it they stay
    unknown. `ranges='split'` gives each end of '1915-17' its own expression (TimeML style);
    'join' gives one expression with value '1915/1917'. `named_periods` adds the periods of
    data/periods.yaml ('the Korean War'); `role_period(name)` may date 'the Yeltsin years'.
    `auto` reads the text as news when it is dated to the day or month and most of what it dates
    lies within a year of that date (see `reads_as_news`), else as a narrative.
    """
    if not text:
        return []
    if isinstance(dct, str):
        dct = parse_dct(dct) if dct.strip() else None
    found = find_all(text)
    found.extend(_modified_units(text))
    if named_periods:
        found.extend(_periods.find(text))
    if role_period is not None:
        found.extend(_role_periods(text, role_period))
    for item in found:
        _extend(item, text)
    selected = [item for item in _select(found, len(text)) if item.spec.kind != "void"]
    if mode == "auto":
        mode = "news" if reads_as_news(selected, dct) else "narrative"
    _deictic_months(text, selected, dct)
    resolved = _resolve_all(text, selected, dct, mode)
    if ranges == "join":
        return _join_ranges(text, resolved)
    return [expression for expression, _ in resolved]


def reads_as_news(selected: list[Found], dct: TimeValue | None) -> bool:
    """Is this a news report about the time around its own date?

    A year-in-review or a dispatch dated 30 December 2024 that mentions 2009 in passing still
    means 2024 by a bare '19 June'; a retrospective dated 2019 about 1945-2019 does not. So: the
    document date must be a day or month, and at least half of the expressions that place
    something in a year (explicit years, decades, deictic 'last year') must lie within one year
    of it, with at least two such expressions."""
    if dct is None or not dct.known or dct.precision not in ("day", "month"):
        return False
    home = fields_of(dct)[0]
    if home is None:
        return False
    near = total = 0
    for item in selected:
        spec = item.spec
        if spec.relation is not None:
            if spec.relation.reference == "deictic" and isinstance(spec.relation.delta, int):
                total += 1
                near += abs(spec.relation.delta) <= 1 and spec.relation.unit != "decade"
            continue
        if spec.kind == "ref-today":
            total += 1
            near += 1
            continue
        if spec.fixed is not None or spec.kind != "date":
            continue
        if spec.year is not None:
            year = spec.year
        elif spec.decade is not None and spec.decade > 0:
            year = spec.decade * 10 + 5
        elif spec.century is not None and spec.century > 0:
            year = spec.century * 100 + 50
        else:
            continue
        total += 1
        near += abs(year - home) <= 1
    return near >= 2 and 2 * near >= total


_DEICTIC_WORD = re.compile(r"\b(?P<word>last|next|this|past|coming)\s+$", re.IGNORECASE)


def _deictic_months(text: str, selected: list[Found], dct: TimeValue | None) -> None:
    """'last November', 'next June', 'this May' count from the document date in every mode:
    the most recent such month before it, the next one after it, or the one of its year."""
    fields = fields_of(dct) if dct is not None else (None, None, None)
    for item in selected:
        spec = item.spec
        if spec.month is None or spec.year is not None or spec.day is not None or spec.relation is not None \
                or spec.fixed is not None:
            continue
        match = _DEICTIC_WORD.search(text, max(0, item.start - 8), item.start)
        if match is None:
            continue
        item.start = match.start()
        year, month, _ = fields
        if year is None:
            spec.fixed = TimeValue()
            continue
        word = match.group("word").lower()
        if word in ("last", "past"):
            year = year if month is not None and spec.month < month else year - 1
        elif word in ("next", "coming"):
            year = year if month is not None and spec.month > month else year + 1
        spec.fixed = month_value(year, spec.month, "document", spec.modifier)


def _modified_units(text: str) -> list[Found]:
    out = []
    for match in _THE_UNIT_WITH_MODIFIER.finditer(text):
        mod = _MODIFIER_NAMES.get(match.group("mod").lower().replace("  ", " "), None)
        spec = Spec(relation=Relation("narrative", match.group("u").lower(), 0), modifier=mod)
        out.append(Found(match.start(), match.end(), spec, 3))
    return out


_UNDER_LEADER = re.compile(
    r"(?<![\w-])[Uu]nder\s+(?:(?:President|Premier|Chairman|General Secretary|Prime Minister)\s+)?"
    r"(?P<name>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)(?![\w-])")


def _role_periods(text: str, role_period: RolePeriod) -> list[Found]:
    out = []
    matches = list(_ROLE_PERIOD.finditer(text)) + list(_UNDER_LEADER.finditer(text))
    for match in matches:
        value = role_period(match.group("name"))
        if value is not None and value.known:
            out.append(Found(match.start(), match.end(), Spec(fixed=value, period=True), 3))
    return out


def _extend(item: Found, text: str) -> None:
    """Widen a span over modifiers before it ('early', 'the end of') and 'of that year' after it."""
    spec = item.spec
    if spec.kind not in ("date",) or spec.relation is not None and spec.relation.unit not in (
            "year", "month"):
        return
    window = max(0, item.start - 32)
    if spec.day is not None:
        match = _PART_OF_DAY_BEFORE.search(text, window, item.start)
        if match:
            pod = (match.group("pod") or match.group("pod2")).lower()
            spec.part_of_day = {"morning": "MO", "dawn": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}[pod]
            item.start = match.start()
    elif spec.relation is None:
        match = _MODIFIER_BEFORE.search(text, window, item.start)
        if match:
            if match.group("mod"):
                name = " ".join(match.group("mod").lower().split())
                spec.modifier = _MODIFIER_NAMES.get(name)
            else:
                approx = match.group("approx").lower()
                spec.modifier = "approx" if approx in ("about", "around", "circa", "ca.", "c.", "approximately") \
                    else spec.modifier
            item.start = match.start()
    if spec.period and spec.modifier is None:
        ending = _PERIOD_ENDS_AFTER.match(text, item.end)
        if ending:
            spec.modifier = "end"  # "as World War 2 came to an end": the point where it ended
    if spec.year is None and spec.month is not None and spec.relation is None and not spec.period:
        match = _OF_THAT_YEAR_AFTER.match(text, item.end)
        if match:
            # 'June last year', 'February of last year' count from the document date.
            rel = (match.group("rel") or match.group("deictic")).lower()
            delta = 1 if ("following" in rel or "next" in rel) else -1 if ("previous" in rel or rel == "last") else 0
            deictic = rel == "this" or match.group("deictic") is not None
            spec.relation = Relation("deictic" if deictic else "narrative", "year", delta)
            item.end = match.end()


def _select(found: list[Found], length: int) -> list[Found]:
    """Keep the longest non-overlapping spans (ties: higher priority, then earlier)."""
    found.sort(key=lambda f: (f.start - f.end, -f.priority, f.start))
    taken = bytearray(length + 1)
    kept = []
    for item in found:
        if item.end <= item.start or taken.find(1, item.start, item.end) != -1:
            continue
        taken[item.start:item.end] = b"\x01" * (item.end - item.start)
        kept.append(item)
    # A range end keeps its partner only when both survived.
    kept.sort(key=lambda f: f.start)
    return kept


def _resolve_all(text: str, selected: list[Found], dct: TimeValue | None,
                 mode: Mode) -> list[tuple[TimeExpression, str | None]]:
    """Each expression with its range role ('open'/'close' for the ends of '1915-17', else None)."""
    anchor = _Anchor()
    dct_fields = fields_of(dct) if dct is not None else (None, None, None)
    out: list[tuple[TimeExpression, str | None]] = []
    for index, item in enumerate(selected):
        spec = item.spec
        if spec.year is None and spec.month is not None and spec.relation is None and index + 1 < len(selected):
            _borrow_year(text, item, selected[index + 1])
        resolved = _resolve(spec, anchor, dct_fields, mode)
        if resolved is None:
            continue
        value, kind = resolved
        # A bare '19 June' completed with the document's year is as much a point in the story as
        # an explicit date; other document-relative values ('last year') do not move it.
        # So is 'last year' / 'earlier this year' counted from a document date we trust (not a
        # lower bound marked approx).
        completed = spec.relation is None and spec.fixed is None and spec.year is None \
            and (spec.month is not None or spec.season is not None)
        deictic = spec.relation is not None and spec.relation.reference == "deictic" \
            and dct is not None and dct.modifier != "approx"
        moves_narrative = kind in ("date", "time") and value.known \
            and (value.basis in ("explicit", "narrative") or (completed or deictic) and value.basis == "document") \
            and "/" not in value.value and not item.extra.get("citation") \
            and not (spec.relation is not None and spec.relation.unit == "same") \
            and not _BOUND_BEFORE.search(text, max(0, item.start - 8), item.start) \
            and not (spec.period and not _EDGE_INTRO.search(text, max(0, item.start - 12), item.start))
        if moves_narrative:
            anchor.update(value)
        # An event in a later undated sentence may take this date only when it is a point in time.
        sets_anchor = moves_narrative and value.precision not in ("decade", "century", "millennium")
        expression = TimeExpression(item.start, item.end, text[item.start:item.end], value, kind, sets_anchor)
        out.append((expression, item.extra.get("range")))
    return out


def _borrow_year(text: str, item: Found, following: Found) -> None:
    """'July 1 to July 3, 1863': the first date takes the year of the second."""
    later = following.spec
    if later.year is None or later.month is None or following.start - item.end > 12:
        return
    if not _RANGE_JOINER.fullmatch(text, item.end, following.start):
        return
    if later.month >= item.spec.month:
        item.spec.year = later.year


def _resolve(spec: Spec, anchor: _Anchor, dct_fields: tuple, mode: Mode) -> tuple[TimeValue, str] | None:
    if spec.fixed is not None:
        kind = spec.kind if spec.kind in ("duration", "set") else "date"
        fixed = spec.fixed
        if spec.modifier in ("start", "end") and spec.period and fixed.start[:4] != fixed.end[:4]:
            # "the end of the Cold War" is a point the narrative can stand on: the period's last year.
            edge = fixed.end if spec.modifier == "end" else fixed.start
            fixed = year_value(int(edge[:4]), fixed.basis, spec.modifier)
        elif spec.modifier and spec.period:
            fixed = TimeValue(fixed.value, fixed.start, fixed.end, fixed.precision, spec.modifier, fixed.basis,
                              fixed.timex3)
        return fixed, kind
    if spec.kind == "ref-today":
        if dct_fields[2] is not None:
            value = day_value(*dct_fields, basis="document")
            return (value if mode == "news" else TimeValue(value.value, value.start, value.end, value.precision, None,
                                                           "document", "PRESENT_REF")), "date"
        return TimeValue(timex3="PRESENT_REF"), "date"
    if spec.bc_candidate is not None:
        if anchor.year is not None and anchor.year < 0:
            return year_value(-spec.bc_candidate, "narrative"), "date"
        return None
    if spec.short_year is not None:
        return _resolve_short_year(spec, anchor, dct_fields)
    if spec.relation is not None:
        return _resolve_relation(spec, anchor, dct_fields, mode)
    if spec.decade is not None:
        return decade_value(spec.decade, "explicit", spec.modifier), "date"
    if spec.century is not None:
        century = 0 if spec.century == -100 else spec.century
        value = century_value(century, "explicit", spec.modifier)
        if spec.century == -100:
            value = TimeValue("-00XX", "-0099-01-01", "-0001-12-31", "century", spec.modifier, "explicit", "BC00")
        return value, "date"
    basis = "explicit"
    year = spec.year
    if year is None:
        year, basis = _contextual_year(anchor, dct_fields, mode)
        if year is None:
            return _underspecified(spec), "date"
    return _build(spec, year, basis), ("time" if spec.clock else "date")


def _contextual_year(anchor: _Anchor, dct_fields: tuple, mode: Mode) -> tuple[int | None, str]:
    if mode == "news" and dct_fields[0] is not None:
        return dct_fields[0], "document"
    if anchor.year is not None:
        return anchor.year, "narrative"
    if dct_fields[0] is not None:
        return dct_fields[0], "document"
    return None, "unknown"


def _underspecified(spec: Spec) -> TimeValue:
    """A month or season with no year to be had: 'XXXX-06', as TIMEX3 writes it."""
    if spec.season:
        text = f"XXXX-{spec.season}"
        return TimeValue(text, "", "", "season", spec.modifier, "unknown", text)
    if spec.day is not None:
        text = f"XXXX-{spec.month:02d}-{spec.day:02d}"
        return TimeValue(text, "", "", "day", spec.modifier, "unknown", text)
    if spec.month is not None:
        text = f"XXXX-{spec.month:02d}"
        return TimeValue(text, "", "", "month", spec.modifier, "unknown", text)
    return TimeValue()


def _build(spec: Spec, year: int, basis: str) -> TimeValue:
    if spec.season:
        return season_value(year, spec.season, basis, spec.modifier)
    if spec.quarter:
        return quarter_value(year, spec.quarter, basis, spec.modifier)
    if spec.half:
        return half_value(year, spec.half, basis, spec.modifier)
    if spec.month is None:
        return year_value(year, basis, spec.modifier)
    if spec.day is None:
        return month_value(year, spec.month, basis, spec.modifier)
    value = day_value(year, spec.month, spec.day, basis, spec.modifier)
    return _with_time_of_day(value, spec)


def _with_time_of_day(value: TimeValue, spec: Spec) -> TimeValue:
    if spec.clock:
        suffix = f"T{spec.clock[0]:02d}:{spec.clock[1]:02d}"
    elif spec.part_of_day:
        suffix = "T" + spec.part_of_day
    else:
        return value
    return TimeValue(value.value + suffix, value.start, value.end, "day", value.modifier, value.basis,
                     value.timex3 + suffix)


def _resolve_short_year(spec: Spec, anchor: _Anchor, dct_fields: tuple) -> tuple[TimeValue, str] | None:
    reference = anchor.year if anchor.year is not None else dct_fields[0]
    basis = "narrative" if anchor.year is not None else "document"
    if reference is None or reference < 100:
        return None
    year = reference - reference % 100 + spec.short_year
    if year > reference + 10:
        year -= 100
    if spec.decade == -1:
        return decade_value(year // 10, basis, spec.modifier), "date"
    return year_value(year, basis, spec.modifier), "date"


def _resolve_relation(spec: Spec, anchor: _Anchor, dct_fields: tuple, mode: Mode) -> tuple[TimeValue, str] | None:
    relation = spec.relation
    assert relation is not None
    kind = "time" if spec.kind == "time" else "date"
    if relation.delta == "future":
        return TimeValue(timex3="FUTURE_REF"), "date"
    if relation.delta == "past":
        return TimeValue(timex3="PAST_REF"), "date"
    if relation.reference == "deictic":
        base, basis = dct_fields, "document"
    elif anchor.year is not None or anchor.decade is not None and relation.unit in ("same", "decade"):
        base, basis = anchor.fields(), "narrative"
    else:
        base, basis = dct_fields, "document"
    year, month, day = base
    delta = int(relation.delta)
    unit = relation.unit
    modifier = spec.modifier
    if basis == "narrative" and anchor.decade is not None and unit in ("same", "decade"):
        return decade_value(anchor.decade + delta, basis, modifier), kind
    if year is None:
        return TimeValue(), kind
    if unit == "day":
        if day is None:
            return _year_with_timex(year, basis, "-XX-XX", spec), kind
        moved = add_days(year, month, day, delta)
        if moved is None:
            return _year_with_timex(year, basis, "-XX-XX", spec), kind
        return _with_time_of_day(day_value(*moved, basis=basis, modifier=modifier), spec), kind
    if unit == "week":
        if day is None:
            return _year_with_timex(year, basis, "-WXX", spec), kind
        moved = add_days(year, month, day, 7 * delta)
        if moved is None:
            return _year_with_timex(year, basis, "-WXX", spec), kind
        return _week_value(*moved, basis=basis), kind
    if unit == "month":
        if month is None:
            return _year_with_timex(year, basis, "-XX", spec), kind
        new_year, new_month = add_months(year, month, delta)
        return month_value(new_year, new_month, basis, modifier), kind
    if unit == "month-name":
        target = year
        if delta < 0 and not (month is not None and spec.month < month):
            target = add_years(year, -1)
        elif delta > 0 and not (month is not None and spec.month > month):
            target = add_years(year, 1)
        return month_value(target, spec.month, basis, modifier), kind
    if unit == "season":
        return season_value(add_years(year, delta), spec.season, basis, modifier), kind
    if unit == "same":
        value = _build(Spec(month=month, day=day), year, basis)
        return value, kind
    if unit == "year":
        target = add_years(year, delta)
        if spec.month is not None:
            return _build(spec, target, basis), kind
        if spec.quarter:
            return quarter_value(target, spec.quarter, basis, modifier), kind
        if spec.half:
            return half_value(target, spec.half, basis, modifier), kind
        return year_value(target, basis, modifier), kind
    if unit == "decade":
        target = add_years(year, 10 * delta)
        return decade_value(target // 10 if target > 0 else -((-target) // 10), basis, modifier), kind
    if unit == "century":
        target = add_years(year, 100 * delta)
        return century_value(target // 100 if target > 0 else -((-target) // 100), basis, modifier), kind
    return TimeValue(), kind


def _year_with_timex(year: int, basis: str, suffix: str, spec: Spec) -> TimeValue:
    """The finer unit is unknown: the value stays the year; TIMEX3 marks the unknown part."""
    value = year_value(year, basis, spec.modifier)
    return TimeValue(value.value, value.start, value.end, "year", value.modifier, value.basis, value.timex3 + suffix)


def _week_value(year: int, month: int, day: int, basis: str) -> TimeValue:
    iso_year, week, weekday = _dt.date(year, month, day).isocalendar()
    monday = _dt.date(year, month, day) - _dt.timedelta(days=weekday - 1)
    sunday = monday + _dt.timedelta(days=6)
    text = f"{iso_year:04d}-W{week:02d}"
    return TimeValue(text, monday.isoformat(), sunday.isoformat(), "week", None, basis, text)  # type: ignore[arg-type]


def _join_ranges(text: str, resolved: list[tuple[TimeExpression, str | None]]) -> list[TimeExpression]:
    """Merge 'from X to Y', 'between X and Y', 'X-Y' into one expression valued 'X/Y'."""
    out: list[TimeExpression] = []
    index = 0
    while index < len(resolved):
        current, role = resolved[index]
        following = resolved[index + 1][0] if index + 1 < len(resolved) else None
        if following is not None and _joinable(text, current, following, role):
            start = current.start
            opener = _RANGE_OPENER.search(text, max(0, start - 10), start)
            if opener:
                start = opener.start()
            value = interval_value(current.time, following.time, _joined_basis(current.time, following.time))
            out.append(TimeExpression(start, following.end, text[start:following.end], value, "date"))
            index += 2
            continue
        out.append(current)
        index += 1
    return out


def _joinable(text: str, first: TimeExpression, second: TimeExpression, role: str | None) -> bool:
    if first.kind != "date" or second.kind != "date" or not first.time.known or not second.time.known:
        return False
    if "/" in first.time.value or "/" in second.time.value or not first.time.start or not second.time.start:
        return False
    if second.start - first.end > 10 or first.time.start > second.time.start:
        return False
    between = text[first.end:second.start]
    if not _RANGE_JOINER.fullmatch(between):
        return False
    if between.strip().lower() == "and":
        return _RANGE_OPENER.search(text, max(0, first.start - 10), first.start) is not None \
            and text[max(0, first.start - 10):first.start].lower().rstrip().endswith("between")
    if between.strip().lower() in ("to", "until", "till", "through"):
        return role == "open" or _RANGE_OPENER.search(
            text, max(0, first.start - 10), first.start) is not None
    return between.strip() in ("-", "–", "—")


def _joined_basis(first: TimeValue, second: TimeValue):
    return "explicit" if first.basis == "explicit" and second.basis == "explicit" else first.basis
