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
from collections import Counter
from typing import Iterable

from detente.analyse.trajectory import QUAD_NAMES, place_event, trajectory

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


def _dominant_types(events: list[tuple[dict, float]], top: int = 3) -> list[str]:
    weights: Counter[str] = Counter()
    for event, weight in events:
        weights[event.get("type") or "?"] += weight
    return [name for name, _ in weights.most_common(top)]


def _dominant_quad(events: list[tuple[dict, float]]) -> str | None:
    weights: Counter[str] = Counter()
    for event, weight in events:
        name = QUAD_NAMES.get(event.get("quad_class"))
        if name:
            weights[name] += weight
    return weights.most_common(1)[0][0] if weights else None


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
    mention is used as evidence when present)."""
    events = list(events)
    series = trajectory(events, "year")["series"]
    if not series:
        return []
    breaks = change_points(series)
    bounds = [0] + breaks + [len(series)]
    phases = []
    for first, stop in zip(bounds, bounds[1:]):
        rows = series[first:stop]
        start, end = rows[0]["start"], rows[-1]["end"]
        members: list[tuple[dict, float]] = []
        for event in events:
            weights, reason = place_event(event.get("date"), "year")
            weight = sum(w for key, w in weights.items() if start[:4] <= key <= end[:4])
            if not reason and weight > 0:
                members.append((event, weight))
        total = sum(w for _, w in members)
        gold = [(e["goldstein"], w) for e, w in members if e.get("goldstein") is not None]
        gold_weight = sum(w for _, w in gold)
        index = round(sum(g * w for g, w in gold) / gold_weight, 3) if gold_weight else None
        types = _dominant_types(members)
        quad = _dominant_quad(members)
        ranked = sorted(members, key=lambda item: (-(item[0].get("sources_count") or 1),
                                                    -abs(item[0].get("goldstein") or 0),
                                                    (item[0].get("date") or {}).get("start") or ""))
        phases.append({"start": start, "end": end, "label": _label(start, end, quad, types, index),
                       "dominant_quad": quad, "dominant_types": types, "index": index,
                       "events": round(total, 3),
                       "key_events": [key_event(e) for e, _ in ranked[:KEY_EVENTS_PER_PHASE]]})
    return phases
