"""The link stage's reads and writes: near-duplicate documents, merged events, claims and
conflicts, recomputed from the whole ledger in ONE transaction after each ingest batch.

Recomputing from everything (not patching) is what makes the result independent of ingest
order and stable across re-ingest: event, claim and conflict ids are hashes of content, and
a reviewer's verdict lives in `conflict_reviews`, keyed by conflict id, untouched here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection

from detente.link.claims import ClaimExtractor, DateRange, FoundClaim, PersonFinder, SentenceText
from detente.link.conflicts import FoundConflict, find_conflicts, short_name
from detente.link.dedupe import near_duplicates, numbers, signature
from detente.link.merge import EventRecord, merge_events
from detente.store.dyads import refresh_rollups
from detente.store.schema import (
    CONFLICT_STATUSES,
    claims as claims_table,
    conflict_claims,
    conflict_reviews,
    conflicts as conflicts_table,
    document_signatures,
    document_sources,
    documents as documents_table,
    event_actors,
    event_mentions,
    events as events_table,
    sentences as sentences_table,
    get_meta,
    set_meta,
)

LINK_VERSION = "3"  # bump when the rules change, so `detente ingest` relinks an unchanged ledger


def utc_now() -> str:
    """The time records are stamped with (ISO, UTC, seconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def found_claim_id(claim: FoundClaim) -> str:
    import hashlib

    key = "|".join([claim.doc_id, str(claim.sentence_index), str(claim.start), str(claim.end),
                    claim.subject_key, claim.attribute, claim.value, str(claim.polarity)])
    return "cl_" + hashlib.sha256(key.encode()).hexdigest()[:12]


def people_from_gazetteer(gazetteer) -> tuple[PersonFinder, set[str]]:
    people, leaders = [], set()
    for actor in gazetteer.actors():
        if actor.kind != "person":
            continue
        people.append((actor.code, actor.name, list(actor.aliases)))
        if any(role.country in ("RUS", "SUN") and role.title.lower() in
               ("general secretary", "first secretary", "president", "acting president") for role in actor.roles):
            leaders.add(actor.code)
    return PersonFinder(people), leaders


def needs_relink(ledger) -> bool:
    with ledger._reading() as conn:
        stored = get_meta(conn, "link_version")
    return stored != LINK_VERSION


def relink(ledger, gazetteer=None) -> dict:
    """Recompute the link stage over the whole ledger in one transaction; returns counts."""
    if gazetteer is None:
        from detente.actors import Gazetteer
        gazetteer = Gazetteer.default()
    finder, leaders = people_from_gazetteer(gazetteer)
    with ledger._writing() as conn:
        duplicates = _link_documents(conn)
        names = {row.id: short_name(row.name) for row in conn.execute(select(documents_table.c.id,
                                                                             documents_table.c.name))}
        merges = _link_events(conn, duplicates, names)
        claims = _extract_claims(conn, duplicates, finder)
        conflicts = find_conflicts(claims, lambda d: names.get(d, d), leaders)
        _store_claims_and_conflicts(conn, claims, conflicts)
        refresh_rollups(conn)
        set_meta(conn, "link_version", LINK_VERSION)
    return {"duplicates": len(duplicates), "merged_events": len(merges),
            "merged_records": sum(len(m.members) for m in merges), "claims": len(claims), "conflicts": len(conflicts)}


# ---------------------------------------------------------------- documents

def _link_documents(conn: Connection) -> dict[str, str]:
    stored = dict(conn.execute(select(document_signatures.c.doc_id, document_signatures.c.signature)).all())
    docs = conn.execute(select(documents_table.c.id, documents_table.c.text)).all()
    current = {row.id for row in docs}
    missing = [{"doc_id": row.id, "signature": signature(row.text)} for row in docs if row.id not in stored]
    if missing:
        conn.execute(document_signatures.insert(), missing)
        stored.update({m["doc_id"]: m["signature"] for m in missing})
    gone = [doc_id for doc_id in stored if doc_id not in current]
    if gone:
        conn.execute(document_signatures.delete().where(document_signatures.c.doc_id.in_(gone)))
    lengths = {row.id: len(row.text) for row in docs}
    figures = {row.id: numbers(row.text) for row in docs}
    duplicates = near_duplicates({doc_id: (stored[doc_id], lengths[doc_id]) for doc_id in current}, figures=figures)
    conn.execute(documents_table.update().values(duplicate_of=None))
    if duplicates:
        conn.execute(documents_table.update().where(documents_table.c.id == bindparam("dup"))
                     .values(duplicate_of=bindparam("canonical")),
                     [{"dup": dup, "canonical": canonical} for dup, canonical in sorted(duplicates.items())])
        # The canonical document keeps every source name and URL its copies were read from.
        for dup, canonical in sorted(duplicates.items()):
            known = set(conn.execute(select(document_sources.c.name)
                                     .where(document_sources.c.doc_id == canonical)).scalars())
            for row in conn.execute(select(document_sources).where(document_sources.c.doc_id == dup)
                                    .order_by(document_sources.c.id)).all():
                if row.name not in known:
                    conn.execute(document_sources.insert().values(doc_id=canonical, name=row.name, url=row.url,
                                                                  recorded_at=row.recorded_at))
                    known.add(row.name)
    return duplicates


# ---------------------------------------------------------------- events

def _link_events(conn: Connection, duplicates: dict[str, str], names: dict[str, str]):
    rows = conn.execute(select(events_table, documents_table.c.published_basis)
                        .select_from(events_table.join(documents_table, documents_table.c.id == events_table.c.doc_id,
                                                       isouter=True))).all()
    docs_of: dict[str, set[str]] = defaultdict(set)
    mention_counts: dict[str, int] = defaultdict(int)
    for row in rows:
        docs_of[row.id].add(duplicates.get(row.doc_id, row.doc_id))
    for event_id, doc_id in conn.execute(select(event_mentions.c.event_id, event_mentions.c.doc_id)):
        docs_of[event_id].add(duplicates.get(doc_id, doc_id))
        mention_counts[event_id] += 1
    sides: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: {"source": [], "target": []})
    for actor in conn.execute(select(event_actors.c.event_id, event_actors.c.role, event_actors.c.code,
                                     event_actors.c.country, event_actors.c.kind)):
        country = actor.code if actor.kind == "state" or not actor.country else actor.country
        sides[actor.event_id][actor.role].append((actor.code, country))
    records = []
    for row in rows:
        source = tuple(sorted({code for code, _ in sides[row.id]["source"]}))
        target = tuple(sorted({code for code, _ in sides[row.id]["target"]}))
        source_countries = tuple(sorted({country for _, country in sides[row.id]["source"]}))
        target_countries = tuple(sorted({country for _, country in sides[row.id]["target"]}))
        end = row.date_end
        lower_bound = row.date_basis == "document" and row.published_basis != "metadata" and bool(end)
        if lower_bound:
            # Dated only by a publication date that was itself guessed from the content (a lower
            # bound): the report may be a year later than that guess.
            end = f"{int(end[:4]) + 1:04d}{end[4:]}"
        records.append(EventRecord(row.id, row.type, docs_of[row.id], source, target, row.date_start, end,
                                   row.date_precision, row.date_value, row.trigger or "", bool(row.symmetric),
                                   bool(row.negated), row.modality, mention_counts[row.id],
                                   source_countries, target_countries, extra={"lower_bound": lower_bound}))
    # A near-duplicate copy yields the same records as its original: pair them by what they say.
    originals: dict[tuple, str] = {}
    for row in rows:
        if row.doc_id not in duplicates:
            originals.setdefault(_copy_key(row, sides), row.id)
    copies = {row.id: originals[_copy_key(row, sides)] for row in rows
              if row.doc_id in duplicates and _copy_key(row, sides) in originals}
    merges = merge_events(records, lambda d: names.get(d, d), copies)
    conn.execute(events_table.update().values(merged_into=None, merge_note=""))
    member_updates, count_updates = [], {}
    for record in records:
        count_updates[record.id] = len(record.doc_ids)
    for merge in merges:
        group_docs = set(docs_of[merge.canonical])
        for member in merge.members:
            group_docs |= docs_of[member]
            member_updates.append({"member": member, "into": merge.canonical, "note": merge.notes[member]})
        count_updates[merge.canonical] = len(group_docs)
    if member_updates:
        conn.execute(events_table.update().where(events_table.c.id == bindparam("member"))
                     .values(merged_into=bindparam("into"), merge_note=bindparam("note")), member_updates)
    changed = [{"target_id": event_id, "count": count} for event_id, count in count_updates.items()]
    if changed:
        conn.execute(events_table.update().where(events_table.c.id == bindparam("target_id"))
                     .values(sources_count=bindparam("count")), changed)
    return merges


def _copy_key(row: Any, sides: dict) -> tuple:
    return (row.type, row.trigger, row.date_value, bool(row.negated), row.modality,
            tuple(sorted(code for code, _ in sides[row.id]["source"])),
            tuple(sorted(code for code, _ in sides[row.id]["target"])))


# ---------------------------------------------------------------- claims and conflicts

def _published(row: Any) -> DateRange | None:
    if not row.published_start:
        return None
    return DateRange(row.published_value, row.published_start, row.published_end or row.published_start,
                     row.published_precision)


def _extract_claims(conn: Connection, duplicates: dict[str, str], finder: PersonFinder) -> list[FoundClaim]:
    extractor = ClaimExtractor(finder)
    docs = conn.execute(select(documents_table.c.id, documents_table.c.published_value,
                               documents_table.c.published_start, documents_table.c.published_end,
                               documents_table.c.published_precision).order_by(documents_table.c.id)).all()
    claims: list[FoundClaim] = []
    for doc in docs:
        if doc.id in duplicates:
            continue  # a copy says nothing its canonical document does not
        sentences = [SentenceText(row.idx, row.start, row.text) for row in conn.execute(
            select(sentences_table.c.idx, sentences_table.c.start, sentences_table.c.text)
            .where(sentences_table.c.doc_id == doc.id).order_by(sentences_table.c.idx))]
        claims.extend(extractor.extract(doc.id, sentences, _published(doc)))
    return claims


def _store_claims_and_conflicts(conn: Connection, claims: list[FoundClaim], conflicts: list[FoundConflict]) -> None:
    conn.execute(conflict_claims.delete())
    conn.execute(conflicts_table.delete())
    conn.execute(claims_table.delete())
    rows = {}
    for claim in claims:
        identifier = found_claim_id(claim)
        rows.setdefault(identifier, {
            "id": identifier, "doc_id": claim.doc_id, "subject": claim.subject, "attribute": claim.attribute,
            "value": claim.value,
            "time": json.dumps({"value": claim.date.value, "start": claim.date.start, "end": claim.date.end,
                                "precision": claim.date.precision} if claim.date else {}),
            "polarity": claim.polarity, "sentence": claim.sentence_index, "start": claim.start, "end": claim.end,
        })
    if rows:
        conn.execute(claims_table.insert(), list(rows.values()))
    reviews = dict(conn.execute(select(conflict_reviews.c.conflict_id, conflict_reviews.c.status)).all())
    for conflict in conflicts:
        conn.execute(conflicts_table.insert().values(
            id=conflict.id, kind=conflict.kind, subject=conflict.subject, attribute=conflict.attribute,
            explanation=conflict.explanation, status=reviews.get(conflict.id, "open")))
        links = list(dict.fromkeys(found_claim_id(claim) for claim in conflict.sides))
        conn.execute(conflict_claims.insert(), [{"conflict_id": conflict.id, "claim_id": claim_id, "position": i}
                                                for i, claim_id in enumerate(links)])


# ---------------------------------------------------------------- queries

def conflicts_side_by_side(ledger, status: str | None = None) -> list[dict]:
    """`{id, kind, subject, attribute, explanation, status, note, sides: [{claim_id, value, text,
    sentence, doc_id, doc_name, doc_date, sentence_index, start, end}]}`, ordered by id."""
    if status is not None:
        check_conflict_status(status)
    query = select(conflicts_table).order_by(conflicts_table.c.id)
    if status is not None:
        query = query.where(conflicts_table.c.status == status)
    with ledger._reading() as conn:
        rows = conn.execute(query).all()
        notes = dict(conn.execute(select(conflict_reviews.c.conflict_id, conflict_reviews.c.note)).all())
        sides: dict[str, list[dict]] = {row.id: [] for row in rows}
        if rows:
            found = conn.execute(
                select(conflict_claims.c.conflict_id, claims_table, documents_table.c.name.label("doc_name"),
                       # the claim's own words, cut out in SQL rather than reading whole documents
                       func.substr(documents_table.c.text, claims_table.c.start + 1,
                                   claims_table.c.end - claims_table.c.start).label("claim_text"),
                       documents_table.c.published_value,
                       sentences_table.c.text.label("sentence_text"))
                .select_from(conflict_claims
                             .join(claims_table, claims_table.c.id == conflict_claims.c.claim_id)
                             .outerjoin(documents_table, documents_table.c.id == claims_table.c.doc_id)
                             .outerjoin(sentences_table, (sentences_table.c.doc_id == claims_table.c.doc_id)
                                        & (sentences_table.c.idx == claims_table.c.sentence)))
                .where(conflict_claims.c.conflict_id.in_(list(sides)))
                .order_by(conflict_claims.c.conflict_id, conflict_claims.c.position)).all()
            for side in found:
                text = side.claim_text or ""
                sides[side.conflict_id].append({
                    "claim_id": side.id, "value": side.value, "text": text, "sentence": side.sentence_text or "",
                    "doc_id": side.doc_id, "doc_name": side.doc_name or "", "doc_date": side.published_value or "",
                    "sentence_index": side.sentence, "start": side.start, "end": side.end})
    return [{"id": row.id, "kind": row.kind, "subject": row.subject, "attribute": row.attribute,
             "explanation": row.explanation, "status": row.status, "note": notes.get(row.id, ""),
             "sides": sides[row.id]} for row in rows]


def review_conflict(ledger, conflict_id: str, status: str, note: str | None = None) -> dict:
    """Record a reviewer's verdict; it survives every later relink (same content, same id)."""
    check_conflict_status(status)
    with ledger._writing() as conn:
        if not record_review(conn, conflict_id, status, note):
            raise ValueError(f"no conflict {conflict_id!r} in the ledger; `detente conflicts` lists them")
    (record,) = [c for c in conflicts_side_by_side(ledger) if c["id"] == conflict_id]
    return record


def check_conflict_status(status: str) -> None:
    if status not in CONFLICT_STATUSES:
        raise ValueError(f"conflict status must be one of {', '.join(CONFLICT_STATUSES)}, not {status!r}")


def record_review(conn: Connection, conflict_id: str, status: str, note: str | None = None) -> bool:
    """Set a conflict's status and keep the verdict apart (`conflict_reviews`), so it survives
    the link stage recomputing conflicts; a note of None keeps the previous one. False when
    there is no such conflict (nothing written)."""
    if not conn.execute(conflicts_table.update().where(conflicts_table.c.id == conflict_id)
                        .values(status=status)).rowcount:
        return False
    previous = conn.execute(select(conflict_reviews.c.note)
                            .where(conflict_reviews.c.conflict_id == conflict_id)).scalar()
    conn.execute(conflict_reviews.delete().where(conflict_reviews.c.conflict_id == conflict_id))
    conn.execute(conflict_reviews.insert().values(conflict_id=conflict_id, status=status,
                                                  note=note if note is not None else (previous or ""),
                                                  reviewed_at=utc_now()))
    return True


def merge_members(conn: Connection, canonical_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """canonical id → [(member id, why it was merged)], in member id order."""
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if canonical_ids:
        for row in conn.execute(select(events_table.c.id, events_table.c.merged_into, events_table.c.merge_note)
                                .where(events_table.c.merged_into.in_(canonical_ids)).order_by(events_table.c.id)):
            members[row.merged_into].append((row.id, row.merge_note))
    return members


def with_merged_from(ledger, rows: list[dict]) -> list[dict]:
    """Add `merged_from` (ids of the records folded into each event; [] if none) to event rows."""
    ids = [row["id"] for row in rows]
    folded: dict[str, list[str]] = {}
    with ledger._reading() as conn:
        for offset in range(0, len(ids), 500):
            for canonical, members in merge_members(conn, ids[offset:offset + 500]).items():
                folded[canonical] = [member for member, _ in members]
    for row in rows:
        row["merged_from"] = folded.get(row["id"], [])
    return rows
