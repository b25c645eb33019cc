"""A dyad's events in SQL: the rows the dyad views read, and per-pair rollups of them.

A dyad is two groups of actor keys (an actor's code, and its predecessors under lineage).
Its events are found through `event_dyads`, one row per (key, key) pair an event links; an
event counts when it is canonical, not negated and confident enough, found directly or
through a record folded into it (as `Ledger.timeline` selects them).

A dyad view sums per pair: events by period (or by exact date when the date spans periods,
for Python to spread), and the best few events of each year as key-event candidates. A dyad
of several pairs (Russia with the Soviet Union under lineage) adds up its pairs and takes
back the extra count of any event reached through two of them (`overlap_corrections`).

Busy pairs (ROLLUP_MIN_ROWS pair rows or more) keep those sums, for each of the
ROLLUP_CONFIDENCES floors, in `dyad_rollups` and `dyad_key_candidates`, written by
`refresh_rollups` at the end of the link stage. Writing,
deleting or updating an event makes its pairs stale (`mark_stale`, and the trigger on
`events` in `schema.DYAD_COPY_DDL`); a stale pair is summed live, like a small one, until the
next refresh, so a view gives the same answer either way; only the time differs.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from sqlalchemy import (
    and_,
    false,
    or_,
    func,
    literal,
    literal_column,
    null,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.engine import Connection

from detente.analyse.phases import KEY_EVENTS_PER_PHASE
from detente.store.schema import (
    DYAD_DERIVED_COLUMNS,
    dyad_key_candidates,
    dyad_rollup_pairs,
    dyad_rollups,
    dyad_stale,
    event_dyads,
    events,
    get_meta,
    set_meta,
)

ROLLUP_MIN_ROWS = 1000  # below this a pair is summed live in a few milliseconds
# The confidence floors rollups are kept for: everything, and the dyadic events the README
# recommends (`--min-confidence 0.5`); any other floor is summed live.
ROLLUP_CONFIDENCES = (0.0, 0.5)
# Bump when what a rollup row holds changes (the derived keys, the candidates kept per year,
# the floors): a ledger whose rollups carry another version has them all recomputed at the
# next refresh.
ROLLUP_VERSION = f"2/{KEY_EVENTS_PER_PHASE}/{'+'.join(map(str, ROLLUP_CONFIDENCES))}"
ROLLUP_META_KEY = "dyad_rollup_version"
EVENT_COLUMNS = ("date_value", "date_start", "date_end", "date_precision", "quad_class", "type", "goldstein",
                 "sources_count")
SUM_COLUMNS = ("period", "date_value", "date_start", "date_end", "date_precision", "quad_class", "type", "events",
               "goldstein_sum", "first_seen")
CANDIDATE_COLUMNS = ("event_id", "date_value", "date_start", "date_end", "date_precision", "sources_count",
                     "goldstein")
GRANULARITY_KEYS = {"year": "year_key", "month": "month_key"}
_CHUNK = 500

PairConditions = Callable[[Any], list]


def _kept(table: Any, min_confidence: float) -> list:
    conditions = [table.c.negated == false(), table.c.merged_into.is_(None)]
    if min_confidence:
        conditions.append(table.c.confidence >= min_confidence)
    return conditions


def _derived_from_events(names: Iterable[str]) -> list:
    return [literal_column(DYAD_DERIVED_COLUMNS[name].format(p="events.")).label(name) for name in names]


def in_groups(group_a: list[str], group_b: list[str]) -> PairConditions:
    return lambda table: [table.c.first.in_(list(group_a)), table.c.second.in_(list(group_b))]


def among(pairs: list[tuple[str, str]]) -> PairConditions:
    """Conditions for these pairs only. SQLite scans a whole table for a row-value IN over a
    list of constants, but seeks with plain IN lists; the row value then drops the mixes."""
    def conditions(table) -> list:
        return [table.c.first.in_(sorted({first for first, _ in pairs})),
                table.c.second.in_(sorted({second for _, second in pairs})),
                tuple_(table.c.first, table.c.second).in_(pairs)]
    return conditions


def dyad_rows(group_a: list[str], group_b: list[str], min_confidence: float, only: tuple[str, ...] | None = None):
    """The dyad's events with `id` and the columns named in `only` (all of EVENT_COLUMNS and
    the derived ones by default). An event holding several pairs of the dyad (two actors on a
    side, code and country) comes once per pair: callers drop the repeats, which costs less
    than DISTINCT. Read from the `event_dyads` copies, which lie together for a dyad, except
    for the few canonical events reached only through a merged record."""
    pairs = event_dyads
    names = tuple(name for name in EVENT_COLUMNS if only is None or name in only)
    derived = tuple(name for name in DYAD_DERIVED_COLUMNS if only is None or name in only)
    in_dyad = in_groups(group_a, group_b)(pairs)
    direct = (select(pairs.c.event_id.label("id"), *(pairs.c[name] for name in (*names, *derived)))
              .where(*in_dyad, *_kept(pairs, min_confidence)))
    folded_into = select(pairs.c.merged_into).where(*in_dyad, pairs.c.merged_into.is_not(None))
    also_direct = (select(pairs.c.event_id)
                   .where(*in_dyad, *_kept(pairs, min_confidence), pairs.c.event_id == events.c.id).exists())
    through_members = (select(events.c.id, *(events.c[name] for name in names), *_derived_from_events(derived))
                       .where(events.c.id.in_(folded_into), *_kept(events, min_confidence), ~also_direct))
    return union_all(direct, through_members).subquery("dyad_rows")


def pair_rows(pair_conditions: PairConditions, min_confidence: float):
    """Per pair (`first`, `second`) chosen by `pair_conditions(table)`, the pair's events, one
    row per pair and event, with EVENT_COLUMNS and the derived columns."""
    pairs, member = event_dyads, event_dyads.alias("member_pair")
    derived = tuple(DYAD_DERIVED_COLUMNS)
    direct = (select(pairs.c.first, pairs.c.second, pairs.c.event_id.label("id"),
                     *(pairs.c[name] for name in (*EVENT_COLUMNS, *derived)))
              .where(*pair_conditions(pairs), *_kept(pairs, min_confidence)))
    also_direct = (select(pairs.c.event_id)
                   .where(pairs.c.first == member.c.first, pairs.c.second == member.c.second,
                          pairs.c.event_id == events.c.id, *_kept(pairs, min_confidence)).exists())
    through_members = (select(member.c.first, member.c.second, events.c.id,
                              *(events.c[name] for name in EVENT_COLUMNS), *_derived_from_events(derived))
                       .select_from(member.join(events, events.c.id == member.c.merged_into))
                       .where(*pair_conditions(member), member.c.merged_into.is_not(None),
                              *_kept(events, min_confidence), ~also_direct)
                       .distinct())
    return union_all(direct, through_members).subquery("pair_rows")


def pair_sums(rows: Any, granularity: str) -> list:
    """Two selects over `pair_rows`: per pair, the events whose date lies inside one period,
    grouped by it; the others grouped by their exact date (spread over periods by Python).
    Columns: first, second, granularity, then SUM_COLUMNS."""
    period = rows.c[GRANULARITY_KEYS[granularity]]
    counted = (func.count().label("events"), func.total(rows.c.goldstein).label("goldstein_sum"),
               func.min(rows.c.timeline_key).label("first_seen"))
    head = (rows.c.first, rows.c.second, literal(granularity).label("granularity"))
    exact = (rows.c.date_value, rows.c.date_start, rows.c.date_end, rows.c.date_precision)
    in_one = (select(*head, period.label("period"), *(null().label(column.name) for column in exact),
                     rows.c.quad_class, rows.c.type, *counted)
              .where(period.is_not(None)).group_by(rows.c.first, rows.c.second, period, rows.c.quad_class, rows.c.type))
    spread = (select(*head, null().label("period"), *exact, rows.c.quad_class, rows.c.type, *counted)
              .where(period.is_(None)).group_by(rows.c.first, rows.c.second, *exact, rows.c.quad_class, rows.c.type))
    return [in_one, spread]


def pair_key_candidates(rows: Any):
    """Per pair, the best KEY_EVENTS_PER_PHASE dated events of each year (or of each exact
    date range that is not inside one year): events that share their years fall in the same
    phases, so each phase's key events are among these. "Best" is the key-event order (most
    reported, strongest, earliest, id; `tier` folds the first two). Columns: first, second,
    then CANDIDATE_COLUMNS."""
    group_key = func.coalesce(rows.c.year_key, rows.c.date_start.concat("/").concat(func.coalesce(rows.c.date_end, ""))
                              .concat("/").concat(rows.c.date_value))
    rank = func.row_number().over(partition_by=(rows.c.first, rows.c.second, group_key),
                                  order_by=(rows.c.tier.desc(), rows.c.date_start, rows.c.id))
    dated = and_(rows.c.date_start.is_not(None), rows.c.date_precision != "unknown")
    ranked = (select(rows.c.first, rows.c.second, rows.c.id.label("event_id"),
                     *(rows.c[name] for name in CANDIDATE_COLUMNS[1:]), rank.label("rank"))
              .where(dated).subquery("ranked"))
    return (select(ranked.c.first, ranked.c.second, *(ranked.c[name] for name in CANDIDATE_COLUMNS))
            .where(ranked.c.rank <= KEY_EVENTS_PER_PHASE))


# ---------------------------------------------------------------- reading a dyad

def rolled_pairs(conn: Connection, group_a: list[str], group_b: list[str]) -> list[tuple[str, str]]:
    """The dyad's pairs whose stored rollups are current."""
    if get_meta(conn, ROLLUP_META_KEY) != ROLLUP_VERSION:
        return []
    stale = select(dyad_stale.c.first).where(dyad_stale.c.first == dyad_rollup_pairs.c.first,
                                             dyad_stale.c.second == dyad_rollup_pairs.c.second).exists()
    return [tuple(row) for row in conn.execute(
        select(dyad_rollup_pairs.c.first, dyad_rollup_pairs.c.second)
        .where(*in_groups(group_a, group_b)(dyad_rollup_pairs), ~stale))]


def read_dyad(conn: Connection, group_a: list[str], group_b: list[str], granularity: str,
              min_confidence: float) -> tuple[list[tuple], list[tuple]]:
    """(sums, key-event candidates) of the dyad in one statement: stored rollups for its busy
    pairs, live sums for the rest, plus the rows that take back double counts. Sums are
    SUM_COLUMNS rows (a period may come in several rows, to be added up); candidates are
    CANDIDATE_COLUMNS rows, each event once."""
    rolled = rolled_pairs(conn, group_a, group_b) if min_confidence in ROLLUP_CONFIDENCES else []
    # Named one by one, so that each live pair is one seek (a NOT IN over the dyad would read
    # the rolled pairs' rows only to drop them).
    live_pairs = [(first, second) for first in dict.fromkeys(group_a) for second in dict.fromkeys(group_b)
                  if (first, second) not in set(rolled)]
    # One shape for both kinds of row: part, SUM_COLUMNS, event_id, sources_count, goldstein.
    sum_tail = (null().label("event_id"), null().label("sources_count"), null().label("goldstein"))
    candidate_head = (literal("key").label("part"), null().label("period"))
    candidate_middle = (null().label("quad_class"), null().label("type"), null().label("events"),
                        null().label("goldstein_sum"), null().label("first_seen"))
    parts = []
    if live_pairs:
        chosen = pair_rows(among(live_pairs), min_confidence)
        live = select(*chosen.c).cte("live").prefix_with("MATERIALIZED")
        parts += [select(literal("sum").label("part"), *(summed.c[name] for name in SUM_COLUMNS), *sum_tail)
                  for summed in (part.subquery() for part in pair_sums(live, granularity))]
        live_candidates = pair_key_candidates(live).subquery()
        parts.append(select(*candidate_head, *(live_candidates.c[name] for name in CANDIDATE_COLUMNS[1:5]),
                            *candidate_middle, live_candidates.c.event_id, live_candidates.c.sources_count,
                            live_candidates.c.goldstein))
    if rolled:
        parts.append(select(literal("sum"), *(dyad_rollups.c[name] for name in SUM_COLUMNS), *sum_tail)
                     .where(*among(rolled)(dyad_rollups), dyad_rollups.c.granularity == granularity,
                            dyad_rollups.c.min_confidence == min_confidence))
        kept = dyad_key_candidates
        parts.append(select(*candidate_head, *(kept.c[name] for name in CANDIDATE_COLUMNS[1:5]), *candidate_middle,
                            kept.c.event_id, kept.c.sources_count, kept.c.goldstein)
                     .where(*among(rolled)(kept), kept.c.min_confidence == min_confidence))
    sums, candidates, seen = [], [], set()
    for row in conn.execute(union_all(*parts)):
        if row[0] == "sum":
            sums.append(tuple(row[1:11]))
        elif row[11] not in seen:
            seen.add(row[11])
            candidates.append((row[11], *row[2:6], row[12], row[13]))
    sums.extend(overlap_corrections(conn, group_a, group_b, granularity, min_confidence))
    return sums, candidates


def overlap_corrections(conn: Connection, group_a: list[str], group_b: list[str], granularity: str,
                        min_confidence: float) -> list[tuple]:
    """SUM_COLUMNS rows with negative counts for the events that the dyad's pairs count more
    than once (an event with two actors of one group on a side), so that each weighs once."""
    if len(group_a) * len(group_b) < 2:
        return []
    pairs = event_dyads
    reached = (select(pairs.c.first, pairs.c.second,
                      func.coalesce(pairs.c.merged_into, pairs.c.event_id).label("event_id"))
               .where(*in_groups(group_a, group_b)(pairs)).distinct().subquery())
    repeats = (select(reached.c.event_id, (func.count() - 1).label("extra"))
               .group_by(reached.c.event_id).having(func.count() > 1).subquery())
    period = _derived_from_events([GRANULARITY_KEYS[granularity]])[0]
    timeline_key = _derived_from_events(["timeline_key"])[0]
    rows = conn.execute(
        select(period, events.c.date_value, events.c.date_start, events.c.date_end, events.c.date_precision,
               events.c.quad_class, events.c.type, repeats.c.extra, events.c.goldstein, timeline_key)
        .select_from(repeats.join(events, events.c.id == repeats.c.event_id))
        .where(*_kept(events, min_confidence)))
    corrections = []
    for period_key, value, start, end, precision, quad_class, kind, extra, goldstein, seen in rows:
        exact = (None, None, None, None) if period_key is not None else (value, start, end, precision)
        corrections.append((period_key, *exact, quad_class, kind, -extra, -extra * (goldstein or 0.0), seen))
    return corrections


# ---------------------------------------------------------------- keeping rollups

def mark_stale(conn: Connection, event_ids: list[str] | None = None) -> None:
    """The pairs of these events (of every event when None), and of the records folded into
    them, are recomputed by the next `refresh_rollups`; until then their views are summed
    live. Call before deleting an event's pairs and after writing them (the trigger on
    `events` does the same for updates)."""
    pairs = select(event_dyads.c.first, event_dyads.c.second).distinct()
    insert = dyad_stale.insert().prefix_with("OR IGNORE")
    if event_ids is None:
        conn.execute(insert.from_select(["first", "second"], pairs))
        return
    for start in range(0, len(event_ids), _CHUNK):
        chunk = list(event_ids[start:start + _CHUNK])
        members = select(events.c.id).where(events.c.merged_into.in_(chunk))
        conn.execute(insert.from_select(["first", "second"], pairs.where(
            or_(event_dyads.c.event_id.in_(chunk), event_dyads.c.event_id.in_(members)))))


def refresh_rollups(conn: Connection, min_rows: int = ROLLUP_MIN_ROWS) -> int:
    """Recompute the rollups of the stale pairs (of every pair when the stored rollups are of
    another ROLLUP_VERSION); keep them for pairs with at least `min_rows` pair rows. Returns
    the number of pairs given rollups."""
    if get_meta(conn, ROLLUP_META_KEY) != ROLLUP_VERSION:
        for table in (dyad_rollups, dyad_key_candidates, dyad_rollup_pairs):
            conn.execute(table.delete())
        mark_stale(conn)
    stale = select(dyad_stale.c.first, dyad_stale.c.second)
    for table in (dyad_rollups, dyad_key_candidates, dyad_rollup_pairs):
        conn.execute(table.delete().where(tuple_(table.c.first, table.c.second).in_(stale)))
    busy = (select(event_dyads.c.first, event_dyads.c.second, func.count())
            .where(tuple_(event_dyads.c.first, event_dyads.c.second).in_(stale))
            .group_by(event_dyads.c.first, event_dyads.c.second).having(func.count() >= min_rows))
    added = conn.execute(dyad_rollup_pairs.insert().from_select(["first", "second", "rows"], busy)).rowcount
    if added:
        fresh = select(dyad_rollup_pairs.c.first, dyad_rollup_pairs.c.second).where(
            tuple_(dyad_rollup_pairs.c.first, dyad_rollup_pairs.c.second).in_(stale))
        for floor in ROLLUP_CONFIDENCES:
            rows = select(*pair_rows(lambda table: [tuple_(table.c.first, table.c.second).in_(fresh)], floor).c) \
                .cte("fresh_rows").prefix_with("MATERIALIZED")
            sums = union_all(*pair_sums(rows, "year"), *pair_sums(rows, "month")).subquery()
            conn.execute(dyad_rollups.insert().from_select(
                ["min_confidence", "first", "second", "granularity", *SUM_COLUMNS],
                select(literal(floor), *sums.c)))
            candidates = pair_key_candidates(rows).subquery()
            conn.execute(dyad_key_candidates.insert().from_select(
                ["min_confidence", "first", "second", *CANDIDATE_COLUMNS], select(literal(floor), *candidates.c)))
    conn.execute(dyad_stale.delete())
    set_meta(conn, ROLLUP_META_KEY, ROLLUP_VERSION)
    return max(added, 0)
