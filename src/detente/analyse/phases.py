"""Phases of a dyad: change points in its yearly series, found with `ruptures` (PELT, L2 cost).

Method. The signal is one row per year of the yearly trajectory: the Goldstein index
scaled to [-1, 1] (a year without events takes the value of the nearest year with some, so
gaps do not invent a phase on their own) and the shares of cooperation and of material
events. PELT finds the change points minimising within-phase variance plus a penalty per
break; the penalty grows with the log of the series length (BIC-like) so that a handful of
noisy years does not splinter the history. Phases shorter than MIN_PHASE_YEARS are not cut.

Each phase is labelled by its dominant event types (by weight) and its mean index, and
carries its key events: the most reported, then the strongest (|Goldstein|), with the
sentence that supports them.
"""

from __future__ import annotations

import math
from typing import Iterable

from detente.analyse.trajectory import add_to_bucket, place_event, series_of

MIN_PHASE_YEARS = 3
KEY_EVENTS_PER_PHASE = 3


def _signal(series: list[dict]) -> list[list[float]]:
    rows: list[list[float] | None] = []
    for row in series:
        counts, total = row["counts"], row["events"]
        if not total or row["index"] is None:
            rows.append(None)
            continue
        cooperation = (counts["verbal_cooperation"] + counts["material_cooperation"]) / total
        material = (counts["material_cooperation"] + counts["material_conflict"]) / total
        rows.append([row["index"] / 10.0, cooperation, material])
    filled = [r for r in rows if r is not None]
    if not filled:
        return []
    # Fill empty years from the nearest year with events (previous one first).
    last = filled[0]
    out = []
    for r in rows:
        if r is not None:
            last = r
        out.append(list(last))
    return out


def change_points(series: list[dict]) -> list[int]:
    """Indices into `series` where a new phase starts (excluding 0)."""
    signal = _signal(series)
    if len(signal) < 2 * MIN_PHASE_YEARS:
        return []
    import numpy as np
    import ruptures

    data = np.asarray(signal, dtype=float)
    penalty = max(0.5, 0.25 * math.log(len(signal)) * float(np.var(data, axis=0).sum()) * 3)
    algorithm = ruptures.Pelt(model="l2", min_size=MIN_PHASE_YEARS, jump=1).fit(data)
    ends = algorithm.predict(pen=penalty)
    return [end for end in ends if 0 < end < len(signal)]


def _dominant(weights: dict[str, float], first_seen: dict[str, object], top: int) -> list[str]:
    """The heaviest names; equal weights keep the order in which the names first appeared
    among the phase's events (what a Counter fed in timeline order would give)."""
    in_order = sorted(weights, key=lambda name: first_seen.get(name, ""))
    # Rounded: weights spread over years are sums of fractions, and two equal weights summed in
    # another order (SQL or Python) must still tie.
    return sorted(in_order, key=lambda name: -round(weights[name], 6))[:top]


def _evidence(event: dict) -> dict:
    mentions = event.get("mentions") or []
    mention = mentions[0] if mentions else {}
    return {"doc_id": mention.get("doc_id"), "doc_name": mention.get("doc_name"),
            "sentence": mention.get("sentence"), "start": mention.get("start"), "end": mention.get("end"),
            "text": mention.get("sentence_text")}


def _actor_names(actors: list[dict] | None) -> str:
    return ", ".join(a.get("name") or a.get("code") or "?" for a in actors or []) or "?"


def key_event(event: dict) -> dict:
    return {"id": event["id"], "date": (event.get("date") or {}).get("value"),
            "precision": (event.get("date") or {}).get("precision"), "type": event.get("type"),
            "goldstein": event.get("goldstein"), "source": _actor_names(event.get("source")),
            "target": _actor_names(event.get("target")), "sources_count": event.get("sources_count") or 1,
            "evidence": _evidence(event)}


def _label(start: str, end: str, quad: str | None, types: list[str], index: float | None) -> str:
    years = start[:4] if start[:4] == end[:4] else f"{start[:4]}–{end[:4]}"
    tone = "no events" if index is None else (
        "cooperative" if index >= 2 else "hostile" if index <= -2 else "mixed")
    what = (quad or "events").replace("_", " ")
    kinds = ", ".join(t.lower() for t in types[:2])
    return f"{years}: {tone}, mostly {what}" + (f" ({kinds})" if kinds else "")


def find_phases(events: Iterable[dict]) -> list[dict]:
    """Phases from events in the export shape (with `mentions`; a `sentence_text` in a
    mention is used as evidence when present), in timeline order."""
    events = list(events)
    years: dict[str, dict] = {}
    placed: list[tuple[dict, dict[str, float]]] = []
    for position, event in enumerate(events):
        weights, reason = place_event(event.get("date"), "year")
        if reason:
            continue
        placed.append((event, weights))
        goldstein = event.get("goldstein")
        for key, weight in weights.items():
            add_to_bucket(years, key, weight, event.get("quad_class"),
                          weight if goldstein is not None else 0.0,
                          weight * float(goldstein) if goldstein is not None else 0.0,
                          kind=event.get("type") or "?", seen=position)

    def key_events_of(spans: list[tuple[str, str]]) -> list[list[dict]]:
        picked = []
        for first_year, last_year in spans:
            members = [event for event, weights in placed
                       if any(first_year <= key <= last_year and w > 0 for key, w in weights.items())]
            picked.append(sorted(members, key=key_event_rank)[:KEY_EVENTS_PER_PHASE])
        return picked

    return phases_from_years(years, key_events_of)


def key_event_rank(event: dict) -> tuple:
    """Most reported first, then the strongest, then the earliest (ties: timeline order)."""
    return (-(event.get("sources_count") or 1), -abs(event.get("goldstein") or 0),
            (event.get("date") or {}).get("start") or "")


def phases_from_years(years: dict[str, dict], key_events_of) -> list[dict]:
    """Phases from yearly buckets (built with `trajectory.add_to_bucket(..., kind=...)`).

    `key_events_of([(first_year, last_year), ...])` returns, for each phase, its key events
    (export-shape dicts, best first); the ledger answers it with one ordered query, a list
    of events by sorting. Both paths give the same phases."""
    series = series_of(years, "year")
    if not series:
        return []
    breaks = change_points(series)
    bounds = [0] + breaks + [len(series)]
    spans = [(series[first]["start"], series[stop - 1]["end"]) for first, stop in zip(bounds, bounds[1:])]
    key_events = key_events_of([(start[:4], end[:4]) for start, end in spans])
    phases = []
    for (start, end), chosen in zip(spans, key_events):
        total = gold_weight = gold_sum = 0.0
        types: dict[str, float] = {}
        quads: dict[str, float] = {}
        first_seen: dict[str, object] = {}
        for key, bucket in years.items():
            if not start[:4] <= key <= end[:4]:
                continue
            total += bucket["events"]
            gold_weight += bucket["goldstein_weight"]
            gold_sum += bucket["goldstein_sum"]
            for kind, weight in bucket.get("types", {}).items():
                types[kind] = types.get(kind, 0.0) + weight
            for name, weight in bucket["counts"].items():
                if weight > 0:
                    quads[name] = quads.get(name, 0.0) + weight
            for name, seen in bucket.get("first_seen", {}).items():
                if name not in first_seen or seen < first_seen[name]:
                    first_seen[name] = seen
        index = round(gold_sum / gold_weight, 3) if gold_weight else None
        dominant_types = _dominant(types, first_seen, 3)
        quad = (_dominant(quads, first_seen, 1) or [None])[0]
        phases.append({"start": start, "end": end, "label": _label(start, end, quad, dominant_types, index),
                       "dominant_quad": quad, "dominant_types": dominant_types, "index": index,
                       "events": round(total, 3),
                       "key_events": [key_event(event) for event in chosen]})
    return phases
