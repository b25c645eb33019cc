"""Conflicts: claims from different documents that cannot all be true, with a plain-language
explanation naming each side.

Plain data in (`FoundClaim`s of the documents that are not near-duplicates of others),
plain data out (`FoundConflict`s). One conflict per subject and attribute, holding every
claim that takes part in a disagreement, so its id (a hash of kind, subject and attribute)
stays the same when a later document adds a side, and a reviewer's verdict stays attached.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePath
from typing import Callable, Iterable

from detente.link.claims import FoundClaim

UNATTRIBUTED = ("money:", "count:", "percent:", "times:")


@dataclass
class FoundConflict:
    id: str
    kind: str  # attribute, amount, date, first
    subject: str
    attribute: str
    explanation: str
    sides: list[FoundClaim]


def conflict_id(kind: str, subject_key: str, attribute: str) -> str:
    return "cf_" + hashlib.sha256(f"{kind}|{subject_key}|{attribute}".encode()).hexdigest()[:12]


def short_name(name: str) -> str:
    return PurePath(name).name or name


def _ordered(claims: Iterable[FoundClaim]) -> list[FoundClaim]:
    unique = {(c.doc_id, c.sentence_index, c.start, c.end, c.kind): c for c in claims}
    return sorted(unique.values(), key=lambda c: (c.doc_id, c.sentence_index, c.start))


def _quote(claim: FoundClaim, name: Callable[[str], str]) -> str:
    return f"“{claim.text}” ({name(claim.doc_id)})"


def find_conflicts(claims: list[FoundClaim], doc_name: Callable[[str], str],
                   leaders: set[str] = frozenset()) -> list[FoundConflict]:
    """Every disagreement among `claims`; `doc_name(doc_id)` names documents in explanations,
    `leaders` are the people who count as "Kremlin leaders" for absence claims."""
    groups: dict[tuple[str, str], list[FoundClaim]] = defaultdict(list)
    for claim in claims:
        if not claim.subject_key.startswith(UNATTRIBUTED):
            groups[(claim.kind, claim.subject_key)].append(claim)
    found: list[FoundConflict] = []
    for (kind, key), members in sorted(groups.items()):
        if kind == "rank":
            found.extend(_rank_conflict(key, members, doc_name))
        elif kind == "amount":
            found.extend(_amount_conflict(key, members, doc_name))
        elif kind == "event_date":
            found.extend(_date_conflict(key, members, doc_name))
        elif kind == "first":
            found.extend(_first_conflict(key, members, groups, doc_name))
        elif kind == "absence":
            found.extend(_absence_conflict(key, members, claims, leaders, doc_name))
    return sorted(found, key=lambda c: c.id)


def _rank_conflict(key: str, members: list[FoundClaim], name) -> list[FoundConflict]:
    # A rank the text itself places in a career ("promoted to", "rose to") is a progression.
    plain = [c for c in members if not c.progression]
    if len({c.value for c in plain}) < 2 or len({c.doc_id for c in plain}) < 2:
        return []
    sides = []
    for claim in plain:
        rivals = [o for o in plain if o.doc_id != claim.doc_id and o.value != claim.value
                  and not (claim.date and o.date and not claim.date.overlaps(o.date))]
        if rivals:
            sides.append(claim)
    if not sides:
        return []
    sides = _ordered(sides)
    subject = sides[0].subject
    by_value = defaultdict(list)
    for claim in sides:
        by_value[claim.value].append(name(claim.doc_id))
    told = "; ".join(f"{', '.join(dict.fromkeys(docs))} says {value}" for value, docs in by_value.items())
    explanation = (f"The sources give {subject} different military ranks: {told}. Neither text presents these as "
                   f"ranks held at different times (a promotion), so they cannot all be right.")
    return [FoundConflict(conflict_id("attribute", key, "military rank"), "attribute", subject, "military rank",
                          explanation, sides)]


def _clashes(members: list[FoundClaim], clash: Callable[[FoundClaim, FoundClaim], bool]
             ) -> list[tuple[FoundClaim, FoundClaim]]:
    """Pairs of claims from different documents that `clash`, in member order."""
    return [(a, b) for i, a in enumerate(members) for b in members[i + 1:]
            if a.doc_id != b.doc_id and clash(a, b)]


def _amount_conflict(key: str, members: list[FoundClaim], name) -> list[FoundConflict]:
    pairs = _clashes(members, lambda a, b: a.unit == b.unit and a.low is not None and b.low is not None
                     and (a.high < b.low or b.high < a.low))
    if not pairs:
        return []
    sides = _ordered(claim for pair in pairs for claim in pair)
    first = sides[0]
    clashes = "; ".join(f"{_quote(a, name)} against {_quote(b, name)}" for a, b in pairs[:4])
    explanation = (f"The figures given for {first.subject} ({first.attribute}) do not fit together: {clashes}. "
                   f"Read with their qualifiers (about, over, some …) the ranges they allow do not overlap, "
                   f"so at least one figure is wrong or measures something else.")
    kind = "count" if first.unit == "troops" else "amount"
    return [FoundConflict(conflict_id(kind, key, first.attribute), kind, first.subject, first.attribute,
                          explanation, sides)]


def _date_conflict(key: str, members: list[FoundClaim], name) -> list[FoundConflict]:
    pairs = _clashes(members, lambda a, b: bool(a.date and b.date and not a.date.overlaps(b.date)))
    if not pairs:
        return []
    sides = _ordered(claim for pair in pairs for claim in pair)
    first = sides[0]
    dated = "; ".join(f"{name(c.doc_id)} gives {c.date.value}" for c in sides)
    explanation = (f"The {first.subject} is one event, but the sources date it differently: {dated}. "
                   f"A single event cannot have both dates.")
    return [FoundConflict(conflict_id("date", key, "date"), "date", first.subject, "date", explanation, sides)]


def _first_conflict(key: str, members: list[FoundClaim], groups, name) -> list[FoundConflict]:
    """'X first did it at T' against X doing it earlier, by another document's account."""
    evidence = list(members)
    if key.startswith("first-visit:"):
        evidence += groups.get(("visit", key.replace("first-visit:", "visit:", 1)), [])
    contradicted, witnesses, told = [], [], []
    for claim in sorted(members, key=lambda c: (c.doc_id, c.sentence_index, c.start)):
        if claim.date is None:
            continue
        earlier = [e for e in evidence if e.doc_id != claim.doc_id and e.date and e.date.before(claim.date)]
        if earlier:
            contradicted.append(claim)
            witnesses += earlier
            reports: dict[str, str] = {}
            for e in _ordered(earlier):
                reports.setdefault(name(e.doc_id), e.date.value)
            told.append(f"{name(claim.doc_id)} says the {claim.attribute} of {claim.subject} was in {claim.date.value}, "
                        f"but " + ", ".join(f"{doc} reports one in {date}" for doc, date in reports.items()))
    if not contradicted:
        return []
    # One side per sentence: a sentence that both reports a visit and calls it a first counts once.
    seen, sides = set(), []
    for claim in [*contradicted, *_ordered(witnesses)]:
        if (claim.doc_id, claim.sentence_index) not in seen:
            seen.add((claim.doc_id, claim.sentence_index))
            sides.append(claim)
    explanation = "; ".join(told) + ". Something cannot happen for the first time after it has already happened."
    first = contradicted[0]
    return [FoundConflict(conflict_id("date", key, first.attribute), "date", first.subject, first.attribute,
                          explanation, sides)]


def _absence_conflict(key: str, members: list[FoundClaim], claims: list[FoundClaim], leaders: set[str],
                      name) -> list[FoundConflict]:
    """'No Kremlin leader had visited P (before T)' against a leader's visit to P before T."""
    sides, told = [], []
    for absence in members:
        place = absence.extra.get("place")
        if absence.date is None:
            continue
        visits = [c for c in claims if c.kind in ("visit", "first") and c.extra.get("place") == place
                  and c.extra.get("person") in leaders and c.doc_id != absence.doc_id and c.date
                  and c.date.before(absence.date)]
        if visits:
            sides += [absence, *visits]
            told.append(f"{name(absence.doc_id)} says no {absence.extra.get('who', 'leader')} had visited "
                        f"{absence.attribute.removeprefix('visit to ')} before {absence.date.value}, but "
                        + ", ".join(f"{name(v.doc_id)} reports {v.subject} there in {v.date.value}" for v in _ordered(visits)))
    if not sides:
        return []
    sides = _ordered(sides)
    explanation = "; ".join(told) + ". A visit cannot both have happened and never have happened."
    attribute = members[0].attribute
    return [FoundConflict(conflict_id("first", key, attribute), "first", members[0].subject, attribute,
                          explanation, sides)]
