"""Ledger-facing glue for the dyad views: reads the dyad's events once, hands plain data to
trajectory/phases/brief, and fills key-event evidence with the supporting sentence."""

from __future__ import annotations

from detente.analyse.phases import find_phases
from detente.analyse.trajectory import GRANULARITIES, trajectory


def dyad_events(ledger, group_a: list[str], group_b: list[str], min_confidence: float = 0.0) -> list[dict]:
    from detente.store.links import with_merged_from

    return with_merged_from(ledger, ledger.timeline(group_a, group_b, min_confidence=min_confidence))


def _with_sentences(ledger, phases: list[dict]) -> list[dict]:
    for phase in phases:
        for event in phase["key_events"]:
            evidence = event["evidence"]
            if evidence.get("text"):
                continue
            stored = ledger.event(event["id"]) or {}
            for mention in stored.get("mentions") or []:
                if mention.get("doc_id") == evidence.get("doc_id") and mention.get("sentence") == evidence.get("sentence"):
                    evidence["text"] = mention.get("sentence_text")
                    evidence["doc_title"] = mention.get("doc_title")
                    break
    return phases


def dyad_view(ledger, a: str, b: str, group_a: list[str], group_b: list[str], granularity: str = "year",
              min_confidence: float = 0.0, with_phases: bool = True) -> dict:
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}, not {granularity!r}")
    events = dyad_events(ledger, group_a, group_b, min_confidence)
    placed = trajectory(events, granularity)
    phases = _with_sentences(ledger, find_phases(events)) if with_phases else []
    return {"a": a, "b": b, "actors_a": group_a, "actors_b": group_b, "granularity": granularity,
            "series": placed["series"], "unplaced": placed["unplaced"], "phases": phases,
            "event_count": len(events)}


def conflicts_touching(conflicts: list[dict], doc_ids: set[str]) -> list[dict]:
    """Conflicts with a side in a document that reports an event of the dyad: conflict
    subjects are free text ("North Korea's Soviet-era debt"), so documents are the sound link."""
    out = []
    for conflict in conflicts:
        sides = conflict.get("sides") or conflict.get("claims") or []
        if any(side.get("doc_id") in doc_ids for side in sides):
            out.append(conflict)
    return out


def brief_data(ledger, a: str, b: str, group_a: list[str], group_b: list[str], open_conflicts: list[dict]) -> dict:
    data = dyad_view(ledger, a, b, group_a, group_b, "year")
    doc_ids = {mention.get("doc_id") for event in dyad_events(ledger, group_a, group_b)
               for mention in event.get("mentions") or []}
    data["conflicts"] = conflicts_touching(open_conflicts, doc_ids)
    return data
