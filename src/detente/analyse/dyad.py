"""Ledger-facing glue for the dyad views: takes the dyad's sums and key-event candidates from
the store (`detente.store.dyads`), hands plain data to trajectory/phases/brief, and fills
key-event evidence with the supporting sentence."""

from __future__ import annotations

from detente.analyse.phases import KEY_EVENTS_PER_PHASE, find_phases, phases_from_years
from detente.analyse.trajectory import (
    GRANULARITIES,
    add_to_bucket,
    place_event,
    series_of,
    trajectory,
    unplaced_summary,
)


def dyad_events(ledger, group_a: list[str], group_b: list[str], min_confidence: float = 0.0) -> list[dict]:
    from detente.store.links import with_merged_from

    return with_merged_from(ledger, ledger.timeline(group_a, group_b, min_confidence=min_confidence))


def _rollup(rows, granularity: str) -> tuple[dict, dict, dict[str, int], int]:
    """(period buckets, yearly buckets with types, unplaced reasons, event count)."""
    buckets: dict[str, dict] = {}
    years: dict[str, dict] = {}
    unplaced: dict[str, int] = {}
    total = 0
    spread_cache: dict[tuple, tuple] = {}
    for period, value, start, end, precision, quad_class, kind, count, goldstein_sum, first_seen in rows:
        total += count
        kind = kind or "?"
        if period is not None:
            add_to_bucket(buckets, period, count, quad_class, count, goldstein_sum)
            add_to_bucket(years, period[:4], count, quad_class, count, goldstein_sum, kind, first_seen)
            continue
        date_key = (value, start, end, precision)
        if date_key not in spread_cache:
            date = {"value": value or "", "start": start or "", "end": end or "", "precision": precision or "unknown"}
            placed, reason = place_event(date, granularity)
            by_year = placed if granularity == "year" else place_event(date, "year")[0]
            spread_cache[date_key] = (placed, by_year, reason)
        placed, by_year, reason = spread_cache[date_key]
        if reason:
            unplaced[reason] = unplaced.get(reason, 0) + count
            continue
        for key, weight in placed.items():
            add_to_bucket(buckets, key, weight * count, quad_class, weight * count, weight * goldstein_sum)
        for key, weight in by_year.items():
            add_to_bucket(years, key, weight * count, quad_class, weight * count, weight * goldstein_sum,
                          kind, first_seen)
    return buckets, years, unplaced, total


def _key_events_picker(ledger, conn, candidates: list[tuple]):
    """`key_events_of` for `phases_from_years`: walks the candidates in key-event order (most
    reported, strongest, earliest, id; as `phases.key_event_rank` over the timeline) and gives
    each phase the first KEY_EVENTS_PER_PHASE that have weight in it."""
    from sqlalchemy import select

    from detente.store.schema import events

    def pick(rows, spans) -> list[list[str]]:
        chosen: list[list[str]] = [[] for _ in spans]
        open_spans = set(range(len(spans)))
        for event_id, value, start, end, precision in rows:
            if not open_spans:
                break
            weights, reason = place_event({"value": value or "", "start": start or "", "end": end or "",
                                           "precision": precision}, "year")
            if reason:
                continue
            for number in list(open_spans):
                first_year, last_year = spans[number]
                if any(first_year <= key <= last_year and w > 0 for key, w in weights.items()):
                    chosen[number].append(event_id)
                    if len(chosen[number]) >= KEY_EVENTS_PER_PHASE:
                        open_spans.discard(number)
        return chosen

    def key_events_of(spans: list[tuple[str, str]]) -> list[list[dict]]:
        ranked = sorted(candidates, key=lambda c: (-max(c[5] or 0, 1), -abs(c[6] or 0), c[2], c[0]))
        chosen = pick((c[:5] for c in ranked), spans)
        wanted = sorted({event_id for ids in chosen for event_id in ids})
        rows = conn.execute(select(events).where(events.c.id.in_(wanted))).all() if wanted else []
        hydrated = {record["id"]: record for record in ledger._hydrate(conn, rows)} if rows else {}
        return [[hydrated[event_id] for event_id in ids] for ids in chosen]

    return key_events_of


def _with_sentences(ledger, phases: list[dict]) -> list[dict]:
    """Fill each key event's evidence with its sentence and document title."""
    from sqlalchemy import select

    from detente.store.schema import documents

    wanted = {(event["evidence"].get("doc_id"), event["evidence"].get("sentence"))
              for phase in phases for event in phase["key_events"]
              if event["evidence"].get("doc_id") is not None and not event["evidence"].get("text")}
    if not wanted:
        return phases
    found: dict[tuple, tuple[str, str]] = {}
    texts = ledger.sentence_texts(wanted)
    with ledger._reading() as conn:
        titles = dict(conn.execute(select(documents.c.id, documents.c.title)
                                   .where(documents.c.id.in_({doc for doc, _ in wanted}))).all())
    for key in wanted:
        found[key] = (texts.get(key) or "", titles.get(key[0]) or "")
    for phase in phases:
        for event in phase["key_events"]:
            evidence = event["evidence"]
            key = (evidence.get("doc_id"), evidence.get("sentence"))
            if key in found and not evidence.get("text"):
                evidence["text"], evidence["doc_title"] = found[key]
    return phases


def dyad_view(ledger, a: str, b: str, group_a: list[str], group_b: list[str], granularity: str = "year",
              min_confidence: float = 0.0, with_phases: bool = True) -> dict:
    """The dyad's series, unplaced count and phases, aggregated in SQL: the cost grows with the
    number of periods and distinct dates, not with the events (see `detente.store.dyads`)."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}, not {granularity!r}")
    from detente.store.dyads import read_dyad

    with ledger._reading() as conn:
        sums, candidates = read_dyad(conn, group_a, group_b, granularity, min_confidence)
        buckets, years, unplaced, count = _rollup(sums, granularity)
        phases = (phases_from_years(years, _key_events_picker(ledger, conn, candidates))
                  if with_phases else [])
    if phases:
        _with_sentences(ledger, phases)
    return {"a": a, "b": b, "actors_a": group_a, "actors_b": group_b, "granularity": granularity,
            "series": series_of(buckets, granularity), "unplaced": unplaced_summary(unplaced), "phases": phases,
            "event_count": count}


def timeline_page(ledger, group_a: list[str], group_b: list[str], min_confidence: float = 0.0,
                  offset: int = 0, limit: int = 200) -> list[dict]:
    """One page of the dyad's timeline, in `ledger.timeline` order (dated events by start date
    and id, then undated ones by id), with `merged_from`; only the page's events are read in
    full, so a dyad of 40,000 events costs about what one of 200 does."""
    from sqlalchemy import select

    from detente.store.dyads import dyad_rows
    from detente.store.links import with_merged_from
    from detente.store.schema import events

    if offset < 0 or limit <= 0:
        return []
    rows = dyad_rows(group_a, group_b, min_confidence, only=("timeline_key",))
    # timeline_key is "date_start id": dated events in (date, id) order, then undated by id.
    ordered = select(rows.c.id).order_by(rows.c.timeline_key.is_(None), rows.c.timeline_key, rows.c.id)
    with ledger._reading() as conn:
        # Rows come ordered but an event may repeat (several pairs of the dyad): read a little
        # more than the page needs, and more again in the rare case repeats used it up.
        wanted, fetch = offset + limit, offset + limit + 16
        while True:
            fetched = list(conn.execute(ordered.limit(fetch)).scalars())
            unique = list(dict.fromkeys(fetched))
            if len(unique) >= wanted or len(fetched) < fetch:
                break
            fetch *= 2
        page_ids = unique[offset:wanted]
        found = {row.id: row for row in conn.execute(select(events).where(events.c.id.in_(page_ids)))} if page_ids else {}
        records = ledger._hydrate(conn, [found[event_id] for event_id in page_ids]) if page_ids else []
    return with_merged_from(ledger, records)


def dyad_view_from_events(ledger, a: str, b: str, group_a: list[str], group_b: list[str],
                          granularity: str = "year", min_confidence: float = 0.0, with_phases: bool = True) -> dict:
    """The same view computed the plain way, from every event of the dyad: the reference the
    SQL path is tested against, and what `brief` reads events from."""
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
    return [conflict for conflict in conflicts if any(side["doc_id"] in doc_ids for side in conflict["sides"])]


def brief_data(ledger, a: str, b: str, group_a: list[str], group_b: list[str], open_conflicts: list[dict]) -> dict:
    from sqlalchemy import select

    from detente.store.dyads import dyad_rows
    from detente.store.schema import event_mentions

    data = dyad_view(ledger, a, b, group_a, group_b, "year")
    # The documents that report the dyad's events, read without loading the events.
    events = dyad_rows(group_a, group_b, 0.0, only=())
    with ledger._reading() as conn:
        doc_ids = set(conn.execute(select(event_mentions.c.doc_id).distinct()
                                   .where(event_mentions.c.event_id.in_(select(events.c.id)))).scalars())
    data["conflicts"] = conflicts_touching(open_conflicts, doc_ids)
    return data
