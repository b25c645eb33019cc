"""A dyad's trajectory: per year or month, event counts by quad class and a Goldstein index.

Placement rule (how an event's date becomes weight in periods)
--------------------------------------------------------------
Every event carries weight 1, however many documents report it (`sources_count` is for
display only; merged events already arrive as one row).

- An event whose date range lies inside one period puts its whole weight there.
- An event whose range covers several periods (a year-only date in a monthly series, a
  decade-only date in a yearly one, "the 1990s", "1961-1963") is spread over those periods
  in proportion to the days of its range each one covers. A year-only event in a monthly
  series therefore adds 1/12 to each month of that year; it is never put on January.
- Events with no date, an unknown precision, or a range longer than MAX_SPREAD_YEARS are
  not placed; they are counted in `unplaced` with the reason.

Index: the weighted mean Goldstein score (-10 most hostile … +10 most cooperative) of the
events placed in a period; None where the period has no weight.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

QUAD_NAMES = {1: "verbal_cooperation", 2: "material_cooperation", 3: "verbal_conflict", 4: "material_conflict"}
MAX_SPREAD_YEARS = 30
GRANULARITIES = ("year", "month")


def _parse_day(value: str | None, end: bool = False) -> date | None:
    """ISO date or prefix ("1961", "1961-07") → the first (or last, with end=True) day it covers."""
    if not value:
        return None
    text = str(value).strip()
    negative = text.startswith("-")
    if negative:
        return None  # dates before year 1 are outside any dyad series
    parts = text[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 and parts[1] else None
        day = int(parts[2]) if len(parts) > 2 and parts[2] else None
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            if not end:
                return date(year, month, 1)
            following = date(year + (month == 12), month % 12 + 1, 1)
            return following - timedelta(days=1)
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


def period_key(day: date, granularity: str) -> str:
    return f"{day.year:04d}" if granularity == "year" else f"{day.year:04d}-{day.month:02d}"


def period_bounds(key: str) -> tuple[date, date]:
    start = _parse_day(key)
    end = _parse_day(key, end=True)
    assert start and end
    return start, end


def _next_period(key: str, granularity: str) -> str:
    start, end = period_bounds(key)
    return period_key(end + timedelta(days=1), granularity)


def place_event(event_date: dict | None, granularity: str = "year") -> tuple[dict[str, float], str | None]:
    """The weight an event's date puts in each period, or ({}, reason) when it cannot be placed."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}, not {granularity!r}")
    if not event_date:
        return {}, "no date"
    if (event_date.get("precision") or "unknown") == "unknown":
        return {}, "unknown date precision"
    first = _parse_day(event_date.get("start") or event_date.get("value"))
    last = _parse_day(event_date.get("end") or event_date.get("start") or event_date.get("value"), end=True)
    if first is None or last is None:
        return {}, "unreadable date"
    if last < first:
        first, last = last, first
    if (last - first).days > MAX_SPREAD_YEARS * 366:
        return {}, f"date range longer than {MAX_SPREAD_YEARS} years"
    total_days = (last - first).days + 1
    weights: dict[str, float] = {}
    key = period_key(first, granularity)
    while True:
        start, end = period_bounds(key)
        overlap = (min(end, last) - max(start, first)).days + 1
        if overlap > 0:
            weights[key] = weights.get(key, 0.0) + overlap / total_days
        if end >= last:
            break
        key = _next_period(key, granularity)
    return weights, None


def _empty_counts() -> dict[str, float]:
    return {name: 0.0 for name in QUAD_NAMES.values()}


def trajectory(events: Iterable[dict], granularity: str = "year") -> dict:
    """{"series": [...], "unplaced": {"count", "reason"}} from events in the export shape.

    The series runs without gaps from the first to the last period with weight, so quiet
    periods show as zeros rather than disappearing."""
    buckets: dict[str, dict] = {}
    unplaced_reasons: dict[str, int] = {}
    for event in events:
        weights, reason = place_event(event.get("date"), granularity)
        if reason:
            unplaced_reasons[reason] = unplaced_reasons.get(reason, 0) + 1
            continue
        goldstein = event.get("goldstein")
        for key, weight in weights.items():
            add_to_bucket(buckets, key, weight, event.get("quad_class"),
                          weight if goldstein is not None else 0.0,
                          weight * float(goldstein) if goldstein is not None else 0.0)
    return {"series": series_of(buckets, granularity), "unplaced": unplaced_summary(unplaced_reasons)}


def unplaced_summary(reasons: dict[str, int]) -> dict:
    """{"count", "reason"} from the number of events left out for each reason."""
    count = sum(reasons.values())
    reason = "; ".join(f"{n} {why}" for why, n in sorted(reasons.items(), key=lambda item: -item[1]))
    return {"count": count, "reason": reason or None}


def series_of(buckets: dict[str, dict], granularity: str) -> list[dict]:
    """The gap-free series of buckets filled with `add_to_bucket`."""
    if not buckets:
        return []
    keys = sorted(buckets)
    series = []
    key = keys[0]
    while True:
        bucket = buckets.get(key)
        start, end = period_bounds(key)
        row = {"period": key, "start": start.isoformat(), "end": end.isoformat(),
               "counts": _empty_counts(), "events": 0.0, "index": None}
        if bucket:
            row["counts"] = {name: round(value, 4) for name, value in bucket["counts"].items()}
            row["events"] = round(bucket["events"], 4)
            if bucket["goldstein_weight"] > 0:
                row["index"] = round(bucket["goldstein_sum"] / bucket["goldstein_weight"], 3)
        series.append(row)
        if key >= keys[-1]:
            break
        key = _next_period(key, granularity)
    return series


def add_to_bucket(buckets: dict[str, dict], key: str, weight: float, quad_class: int | None,
                  goldstein_weight: float, goldstein_sum: float, kind: str | None = None,
                  seen: object = None) -> None:
    """Add weight to period `key`. With `kind`, also keep the weight per event type and the
    earliest position (`seen`, any comparable value) at which each type and quad class
    appeared, so phases can break ties as they would over the events in timeline order."""
    bucket = buckets.setdefault(key, {"counts": _empty_counts(), "events": 0.0,
                                      "goldstein_weight": 0.0, "goldstein_sum": 0.0})
    bucket["events"] += weight
    quad = QUAD_NAMES.get(quad_class)
    if quad:
        bucket["counts"][quad] += weight
    bucket["goldstein_weight"] += goldstein_weight
    bucket["goldstein_sum"] += goldstein_sum
    if kind is None:
        return
    types = bucket.setdefault("types", {})
    types[kind] = types.get(kind, 0.0) + weight
    first = bucket.setdefault("first_seen", {})
    for name in (kind, quad):
        if name and (name not in first or seen < first[name]):
            first[name] = seen
