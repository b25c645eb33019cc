"""Cross-document event merge: one event, however many reports.

Two event records are the same event when they have
- the same dyad: the same source and target actors (either way round when either is
  symmetric, e.g. a meeting), compared by code, so "Putin met Kim Jong Un" and "Russia met
  North Korea" stay apart (a person is not their state);
- the same PLOVER type, the same negation and a compatible modality (a hypothetical never
  merges with something that happened);
- overlapping dates at their precisions ('2019' overlaps '2019-04-25'; undated events
  never merge: nothing says they are the same occasion);
- a compatible trigger: the same word stem or words of one family (meet / summit / talks).

Records are joined transitively (connected components), which does not depend on the
order they are looked at; the canonical record of a group is the most precisely dated one
(ties: most documents, then the smallest id), so the result is the same whatever order the
documents were ingested in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "quarter": 3, "year": 4, "decade": 5,
                  "century": 6, "millennium": 7, "unknown": 9}

TRIGGER_FAMILIES = (
    {"meet", "met", "meeting", "meetings", "summit", "summits", "talks", "talk", "held", "hold", "holds"},
    {"visit", "visited", "visiting", "visits", "trip", "travelled", "traveled", "travel", "travelling", "came",
     "arrived", "arrival", "went", "journey", "toured", "tour", "flew"},
    {"sign", "signed", "signing", "concluded", "agreement", "treaty"},
    {"send", "sent", "sending", "deployed", "deployment", "dispatched"},
)


@dataclass
class EventRecord:
    id: str
    type: str
    doc_ids: set[str]  # documents reporting it (near-duplicates already mapped to their canonical)
    source: tuple[str, ...]
    target: tuple[str, ...]
    start: str | None
    end: str | None
    precision: str
    value: str
    trigger: str
    symmetric: bool = False
    negated: bool = False
    modality: str = "asserted"
    mentions: int = 1
    # The state each actor belongs to (a state is its own): lets "Russia–North Korea summit"
    # match "Putin met Kim Jong Un" when one report names the states and the other the leaders.
    source_countries: tuple[str, ...] = ()
    target_countries: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


@dataclass
class Merge:
    canonical: str
    members: list[str]  # other records folded into it, by id
    notes: dict[str, str]  # member id → why it was merged


def trigger_key(trigger: str) -> str:
    word = trigger.lower().strip().split()[-1] if trigger.strip() else ""
    for number, family in enumerate(TRIGGER_FAMILIES):
        if word in family:
            return f"family{number}"
    return word[:5]


def _dyad(event: EventRecord) -> tuple:
    if event.symmetric:
        return ("sym", tuple(sorted(set(event.source) | set(event.target))))
    return ("dir", event.source, event.target)


def _states_only(event: EventRecord) -> bool:
    return (set(event.source) | set(event.target)) == (set(event.source_countries) | set(event.target_countries))


def _same_sides(a_source, a_target, b_source, b_target, symmetric: bool) -> bool:
    if symmetric:
        return set(a_source) | set(a_target) == set(b_source) | set(b_target)
    return set(a_source) == set(b_source) and set(a_target) == set(b_target)


def _dyads_match(a: EventRecord, b: EventRecord) -> bool:
    if not (a.source and a.target and b.source and b.target):
        return False  # "a visit" with nobody visited says too little to be matched
    symmetric = a.symmetric or b.symmetric
    if _same_sides(a.source, a.target, b.source, b.target, symmetric):
        return True
    # One report names states, the other the people acting for them.
    for states, people in ((a, b), (b, a)):
        if _states_only(states) and not _states_only(people) and people.source_countries and people.target_countries:
            if _same_sides(states.source, states.target, people.source_countries, people.target_countries, symmetric):
                return True
    return False


def compatible(a: EventRecord, b: EventRecord) -> bool:
    if a.type != b.type or a.negated != b.negated:
        return False
    if (a.modality == "hypothetical") != (b.modality == "hypothetical"):
        return False
    if not (a.start and b.start and a.end and b.end) or a.start > b.end or b.start > a.end:
        return False
    if trigger_key(a.trigger) != trigger_key(b.trigger):
        return False
    return _dyads_match(a, b)


def why(a: EventRecord, b: EventRecord, doc_name) -> str:
    arrow = "–" if (a.symmetric or b.symmetric) else "→"

    def actors(event: EventRecord) -> str:
        return f"{'+'.join(event.source) or '?'} {arrow} {'+'.join(event.target) or '?'}"

    docs = ", ".join(sorted(doc_name(d) for d in b.doc_ids))
    same = f"same actors ({actors(a)})" if _same_sides(a.source, a.target, b.source, b.target, True) else \
        f"the same dyad ({actors(a)} and {actors(b)}: the states and the people acting for them)"
    dates = f"dates {a.value or '?'} and {b.value or '?'} overlap"
    for event in (a, b):
        if event.extra.get("lower_bound"):
            dates += (f" ({event.value} comes only from the publication date guessed for its document, "
                      f"so it is read as that year or the next)")
    return (f"{b.id} ({docs}) is the same event: {same}, same type {a.type}, {dates}, "
            f"triggers “{a.trigger}” and “{b.trigger}” are compatible")


def merge_events(events: list[EventRecord], doc_name=lambda d: d,
                 copies: dict[str, str] | None = None) -> list[Merge]:
    """Groups of records that are one event; records that stand alone are left out.
    `copies` maps a record read from a near-duplicate document to the same record of the
    document it copies: those are joined whatever their dates say."""
    # Only records sharing type and an actor can merge: bucket them to keep this near-linear.
    buckets: dict[tuple, list[EventRecord]] = {}
    for event in events:
        if event.start:
            key = (event.type, tuple(sorted(set(event.source_countries) | set(event.target_countries))))
            buckets.setdefault(key, []).append(event)
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for members in buckets.values():
        members.sort(key=lambda e: e.id)
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if compatible(a, b):
                    ra, rb = root(a.id), root(b.id)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
    by_id = {event.id: event for event in events}
    for copy, original in sorted((copies or {}).items()):
        if copy in by_id and original in by_id:
            ra, rb = root(copy), root(original)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[EventRecord]] = {}
    for event_id in parent:
        groups.setdefault(root(event_id), []).append(by_id[event_id])
    merges = []
    for members in groups.values():
        if len(members) < 2:
            continue
        canonical = min(members, key=lambda e: (PRECISION_RANK.get(e.precision, 9), -len(e.doc_ids), e.id))
        others = sorted((e for e in members if e.id != canonical.id), key=lambda e: e.id)
        notes = {e.id: (f"{e.id} ({', '.join(sorted(doc_name(d) for d in e.doc_ids))}) is the same sentence read in "
                        f"a near-duplicate copy of a document" if e.id in (copies or {}) else why(canonical, e, doc_name))
                 for e in others}
        merges.append(Merge(canonical.id, [e.id for e in others], notes))
    return sorted(merges, key=lambda m: m.canonical)
