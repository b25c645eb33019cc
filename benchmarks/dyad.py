"""How fast the dyad API answers on a ledger of a million events (issue 7).

Usage:
    .venv/bin/python benchmarks/dyad.py [--events 1000000] [--dir /tmp/detente-bench] [--queries 50]
                                        [--reuse] [--no-http] [--build-only]

Builds a real SQLite ledger of synthetic events through the store's own tables (SQLAlchemy
Core executemany, a few big transactions), then times `api.dyad` in-process and
`GET /api/dyad` over HTTP against `detente serve` on a free port, over heavy, medium and
light dyads, and prints p50/p95 in milliseconds. A figure, not a test: the machine decides
it. `--reuse` keeps a ledger already built with the same --events in --dir.

The synthetic ledger, so that the figures mean something:
- ~200 state actors with a Zipf-like share of the events; the Soviet Union stands in for
  Russia before 1992, so the Russian dyads exercise lineage;
- a few heavy dyads (~3% of all events each), ~40 medium ones (~0.5% each), the rest spread;
- dates over 1945-2025, more of them recent, at day/month/year/decade precision plus a few
  undated ones; each dyad's tone drifts between cooperation and conflict over the decades,
  so the phase finder has something to find;
- 1-3 mentions per event in documents of 25 sentences; `sources_count` is the number of
  distinct documents, as the store counts it;
- the dyad pairs and the busy pairs' rollups are written as the v3/v4 migrations and the
  link stage write them (`index_dyads`, `refresh_rollups`), so queries see what an ingested
  ledger of that size would hold.
"""

from __future__ import annotations

import argparse
import calendar
import json
import math
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

FIRST_YEAR, LAST_YEAR = 1945, 2025
ACTOR_COUNT = 200
HEAVY_DYADS = [("USA", "RUS"), ("RUS", "PRK"), ("CHN", "USA"), ("ISR", "PSE")]
HEAVY_SHARE = 0.03
MEDIUM_DYADS = 40
MEDIUM_SHARE = 0.005
EVENTS_PER_DOCUMENT = 50
SENTENCES_PER_DOCUMENT = 25
CHUNK = 50_000  # events generated and inserted at a time
EVENTS_PER_TRANSACTION = 250_000
MAJOR_ACTORS = ["USA", "RUS", "CHN", "PRK", "KOR", "JPN", "ISR", "PSE", "IRN", "IND", "PAK", "UKR", "GBR",
                "FRA", "DEU", "TUR", "SYR", "IRQ", "CUB", "VNM", "EGY", "SAU", "AFG"]

# (type, quad class, Goldstein) in the PLOVER names the extractor writes.
COOPERATIVE = [("CONSULT", 1, 1.0), ("AGREE", 1, 4.0), ("SUPPORT", 1, 3.4), ("AID", 2, 7.4),
               ("COOPERATE", 2, 6.0), ("RETREAT", 2, 10.0)]
HOSTILE = [("ACCUSE", 3, -2.0), ("DEMAND", 3, -5.0), ("THREATEN", 3, -7.0), ("PROTEST", 3, -6.5),
           ("SANCTION", 4, -8.0), ("MOBILIZE", 4, -7.2), ("ASSAULT", 4, -10.0), ("SEIZE", 4, -9.2)]
WORDS = ["talks", "clashes", "a trade accord", "border incidents", "an aid shipment", "a summit",
         "sanctions", "a joint exercise", "a protest note", "an arms deal"]


# ---------------------------------------------------------------- synthetic ledger

def pick_actors(count: int = ACTOR_COUNT) -> list[str]:
    """Major states first, then other states whose lineage is only themselves (so every
    dyad's expected count is plain to compute)."""
    from detente.actors import Gazetteer

    gazetteer = Gazetteer.default()
    chosen = list(MAJOR_ACTORS)
    for actor in sorted(gazetteer.actors(), key=lambda a: a.code):
        if len(chosen) >= count:
            break
        if actor.kind == "state" and actor.code not in chosen and gazetteer.lineage(actor.code) == [actor.code]:
            chosen.append(actor.code)
    return chosen


def _date(rng: random.Random, year: int) -> dict:
    """The date columns of an event in `year` at a random precision."""
    roll = rng.random()
    if roll < 0.02:
        return {"date_value": "", "date_start": None, "date_end": None, "date_precision": "unknown",
                "date_timex3": ""}
    month = rng.randint(1, 12)
    last_day = calendar.monthrange(year, month)[1]
    if roll < 0.72:
        day = f"{year:04d}-{month:02d}-{rng.randint(1, last_day):02d}"
        value, start, end, precision = day, day, day, "day"
    elif roll < 0.87:
        value, precision = f"{year:04d}-{month:02d}", "month"
        start, end = f"{value}-01", f"{value}-{last_day:02d}"
    elif roll < 0.97:
        value, start, end, precision = f"{year:04d}", f"{year:04d}-01-01", f"{year:04d}-12-31", "year"
    else:
        decade = year // 10 * 10
        value, start, end, precision = f"{decade // 10:03d}", f"{decade:04d}-01-01", f"{decade + 9:04d}-12-31", "decade"
    return {"date_value": value, "date_start": start, "date_end": end, "date_precision": precision,
            "date_timex3": f'<TIMEX3 type="DATE" value="{value}"/>'}


class SyntheticLedger:
    """Generates the rows; remembers how many events each (source, target) pair got."""

    def __init__(self, events: int, seed: int = 7) -> None:
        self.events = events
        self.rng = random.Random(seed)
        self.actors = pick_actors()
        self.documents = max(1, math.ceil(events / EVENTS_PER_DOCUMENT))
        self.pair_counts: Counter[tuple[str, str]] = Counter()
        rng = self.rng
        majors = self.actors[:30]
        medium: set[tuple[str, str]] = set()
        while len(medium) < MEDIUM_DYADS:
            a, b = rng.sample(majors, 2)
            if (a, b) not in HEAVY_DYADS and (b, a) not in HEAVY_DYADS and (b, a) not in medium:
                medium.add((a, b))
        self.medium = sorted(medium)
        # Zipf-like activity: the n-th actor takes part in light events with weight 1/n^0.8.
        self.activity = [1.0 / (rank + 1) ** 0.8 for rank in range(len(self.actors))]
        self.years = list(range(FIRST_YEAR, LAST_YEAR + 1))
        self.year_weights = [year - 1930 for year in self.years]  # more reporting in recent decades
        self.tone_offset: dict[frozenset, float] = {}

    def _pair(self) -> tuple[str, str]:
        roll = self.rng.random()
        heavy_total = HEAVY_SHARE * len(HEAVY_DYADS)
        if roll < heavy_total:
            pair = HEAVY_DYADS[int(roll / HEAVY_SHARE)]
        elif roll < heavy_total + MEDIUM_SHARE * MEDIUM_DYADS:
            pair = self.medium[int((roll - heavy_total) / MEDIUM_SHARE)]
        else:
            while True:
                a, b = self.rng.choices(self.actors, weights=self.activity, k=2)
                if a != b:
                    pair = (a, b)
                    break
        return pair if self.rng.random() < 0.5 else (pair[1], pair[0])

    def _tone(self, pair: tuple[str, str], year: int) -> float:
        """Cooperation probability: drifts over decades, differently for each dyad."""
        key = frozenset(pair)
        if key not in self.tone_offset:
            self.tone_offset[key] = self.rng.uniform(0, 2 * math.pi)
        return 0.5 + 0.4 * math.sin(year / 8.0 + self.tone_offset[key])

    def document_rows(self) -> tuple[list[dict], list[dict]]:
        from detente.store.links import utc_now

        documents, sentences = [], []
        now = utc_now()
        for number in range(self.documents):
            doc_id = f"doc{number:07d}"
            year = self.rng.choices(self.years, weights=self.year_weights)[0]
            texts, offset = [], 0
            for idx in range(SENTENCES_PER_DOCUMENT):
                text = (f"Dispatch {number}.{idx}: officials reported {self.rng.choice(WORDS)} "
                        f"between the two governments.")
                sentences.append({"id": number * SENTENCES_PER_DOCUMENT + idx + 1, "doc_id": doc_id, "idx": idx,
                                  "start": offset, "end": offset + len(text), "text": text})
                texts.append(text)
                offset += len(text) + 1
            documents.append({
                "id": doc_id, "name": f"synthetic/{doc_id}.txt", "title": f"Synthetic dispatch {number}",
                "url": "", "text": " ".join(texts), "published_value": f"{year:04d}",
                "published_start": f"{year:04d}-01-01", "published_end": f"{year:04d}-12-31",
                "published_precision": "year", "published_basis": "synthetic", "published_timex3": "",
                "sha256": doc_id, "sentence_count": SENTENCES_PER_DOCUMENT, "event_count": 0,
                "warnings": "[]", "ingested_at": now})
        return documents, sentences

    def event_rows(self, first: int, count: int) -> tuple[list[dict], list[dict], list[dict]]:
        rng = self.rng
        events, actors, mentions = [], [], []
        for number in range(first, first + count):
            event_id = f"ev_{number:08d}"
            year = rng.choices(self.years, weights=self.year_weights)[0]
            source, target = self._pair()
            self.pair_counts[(source, target)] += 1
            kind, quad, goldstein = rng.choice(COOPERATIVE if rng.random() < self._tone((source, target), year)
                                               else HOSTILE)
            docs = set()
            for _ in range(rng.choices((1, 2, 3), weights=(6, 3, 1))[0]):
                doc = rng.randrange(self.documents)
                sentence = rng.randrange(SENTENCES_PER_DOCUMENT)
                docs.add(doc)
                mentions.append({"event_id": event_id, "doc_id": f"doc{doc:07d}", "sentence": sentence,
                                 "start": 0, "end": 20, "trigger": kind.lower()})
            events.append({
                "id": event_id, "doc_id": mentions[-len(docs)]["doc_id"], "type": kind, "cameo": "",
                "quad_class": quad, "goldstein": goldstein, **_date(rng, year), "date_modifier": None,
                "date_basis": "synthetic", "negated": False, "modality": "asserted",
                "confidence": round(rng.uniform(0.4, 0.95), 2), "symmetric": kind == "CONSULT",
                "trigger": kind.lower(), "sources_count": len(docs), "merged_into": None, "merge_note": ""})
            for role, code in (("source", source), ("target", target)):
                # Before 1992 Russia is reported as the Soviet Union, as the seeds do.
                stored = "SUN" if code == "RUS" and year < 1992 else code
                actors.append({"event_id": event_id, "role": role, "position": 0, "code": stored, "name": stored,
                               "country": stored, "sector": "", "kind": "state", "text": stored,
                               "inferred": False, "start": 0, "end": len(stored)})
        return events, actors, mentions

    def expected_count(self, a: str, b: str) -> int:
        """Events of the dyad a–b (either direction), with lineage as the generator applies it."""
        return self.pair_counts[(a, b)] + self.pair_counts[(b, a)]

    def dyads_by_size(self) -> list[tuple[str, str, int]]:
        totals: Counter[tuple[str, str]] = Counter()
        for (a, b), n in self.pair_counts.items():
            totals[tuple(sorted((a, b)))] += n
        return [(a, b, n) for (a, b), n in totals.most_common()]


def build_ledger(path: Path, events: int, seed: int = 7, log=print,
                 rollup_min_rows: int | None = None) -> SyntheticLedger:
    """Write a ledger of `events` synthetic events at `path` (replaced if present); pairs with
    `rollup_min_rows` pair rows or more (the store's default when None) get rollups."""
    from detente.store import Ledger
    from detente.store.dyads import ROLLUP_MIN_ROWS, mark_stale, refresh_rollups
    from detente.store.ledger import index_dyads
    from detente.store.links import LINK_VERSION
    from detente.store.schema import documents, event_actors, event_mentions, events as events_table, sentences, set_meta

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    synthetic = SyntheticLedger(events, seed)
    started = time.perf_counter()
    with Ledger(path) as ledger:
        doc_rows, sentence_rows = synthetic.document_rows()
        with ledger._writing() as conn:
            conn.execute(documents.insert(), doc_rows)
            conn.execute(sentences.insert(), sentence_rows)
        log(f"  {len(doc_rows):,} documents, {len(sentence_rows):,} sentences "
            f"({time.perf_counter() - started:.0f} s)")
        written = 0
        while written < events:
            with ledger._writing() as conn:
                stop = min(events, written + EVENTS_PER_TRANSACTION)
                while written < stop:
                    count = min(CHUNK, stop - written)
                    event_rows, actor_rows, mention_rows = synthetic.event_rows(written, count)
                    conn.execute(events_table.insert(), event_rows)
                    conn.execute(event_actors.insert(), actor_rows)
                    conn.execute(event_mentions.insert(), mention_rows)
                    written += count
            log(f"  {written:,} events ({time.perf_counter() - started:.0f} s)")
        with ledger._writing() as conn:
            # The dyad pairs, written in one pass as the v3 migration does for an old ledger.
            index_dyads(conn)
        log(f"  dyad pairs indexed ({time.perf_counter() - started:.0f} s)")
        with ledger._writing() as conn:
            # What the link stage does at the end of every ingest: the busy pairs' rollups.
            mark_stale(conn)
            rolled = refresh_rollups(conn, ROLLUP_MIN_ROWS if rollup_min_rows is None else rollup_min_rows)
        log(f"  rollups of {rolled:,} busy pairs ({time.perf_counter() - started:.0f} s)")
        with ledger._writing() as conn:
            conn.exec_driver_sql(
                "UPDATE documents SET event_count = "
                "(SELECT count(*) FROM events WHERE events.doc_id = documents.id)")
            # The link stage has nothing to fold in synthetic data; marking it done keeps
            # `detente ingest` from relinking a million events behind the benchmark's back.
            set_meta(conn, "link_version", LINK_VERSION)
    return synthetic


# ---------------------------------------------------------------- timing

def query_dyads(synthetic: SyntheticLedger, count: int) -> list[tuple[str, str, str]]:
    """(a, b, size class) spread over heavy, medium and light dyads, largest first."""
    ranked = synthetic.dyads_by_size()
    heavy = [(a, b) for a, b in HEAVY_DYADS]
    medium = [tuple(sorted(pair)) for pair in synthetic.medium]
    light_pool = [(a, b) for a, b, n in ranked if (a, b) not in set(medium) and frozenset((a, b))
                  not in {frozenset(p) for p in heavy}]
    rng = random.Random(11)
    picks: list[tuple[str, str, str]] = [(a, b, "heavy") for a, b in heavy]
    medium_count = max(1, (count - len(picks)) // 2)
    picks += [(a, b, "medium") for a, b in rng.sample(medium, min(medium_count, len(medium)))]
    light_count = max(0, count - len(picks))
    # Light dyads across the size range: a few busy ones, mostly sparse ones.
    step = max(1, len(light_pool) // max(1, light_count))
    picks += [(a, b, "light") for a, b in light_pool[::step][:light_count]]
    return picks


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered), p95


def time_in_process(db: Path, dyads: list[tuple[str, str, str]],
                    min_confidence: float = 0.0) -> tuple[list[float], dict]:
    from detente import api

    api.dyad(db, *dyads[0][:2], min_confidence=min_confidence)  # warm: imports, gazetteer, page cache
    samples, sizes = [], {}
    for a, b, _ in dyads:
        started = time.perf_counter()
        result = api.dyad(db, a, b, min_confidence=min_confidence)
        samples.append((time.perf_counter() - started) * 1000)
        sizes[(a, b)] = result["event_count"]
    return samples, sizes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def time_over_http(db: Path, dyads: list[tuple[str, str, str]],
                   min_confidence: float = 0.0) -> tuple[list[float], dict]:
    port = free_port()
    detente = Path(sys.executable).with_name("detente")
    server = subprocess.Popen([str(detente), "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"detente serve exited: {server.stderr.read().decode()[-2000:]}") from None
                if time.monotonic() > deadline:
                    raise RuntimeError("detente serve did not answer /api/health within 60 s") from None
                time.sleep(0.2)

        def get(a: str, b: str) -> dict:
            url = f"{base}/api/dyad?a={a}&b={b}&min_confidence={min_confidence}"
            with urllib.request.urlopen(url, timeout=120) as response:
                return json.loads(response.read())

        get(*dyads[0][:2])  # warm
        samples, sizes = [], {}
        for a, b, _ in dyads:
            started = time.perf_counter()
            body = get(a, b)
            samples.append((time.perf_counter() - started) * 1000)
            sizes[(a, b)] = (body.get("trajectory") or {}).get("event_count")
        return samples, sizes
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def report(label: str, samples: list[float], dyads: list[tuple[str, str, str]]) -> bool:
    p50, p95 = percentiles(samples)
    by_class = {}
    for (_, _, size), ms in zip(dyads, samples):
        by_class.setdefault(size, []).append(ms)
    detail = ", ".join(f"{size} p50 {statistics.median(v):.0f} / max {max(v):.0f}" for size, v in by_class.items())
    ok = p95 <= 200
    print(f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(samples)} queries "
          f"-> p95 <= 200 ms: {'yes' if ok else 'NO'}  ({detail})")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=None, help="where to build the ledger (default: a temp dir)")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="reuse a ledger already built in --dir")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP measurement")
    parser.add_argument("--build-only", action="store_true", help="build the ledger (in --dir) and stop")
    args = parser.parse_args(argv)

    scratch = None
    if args.dir is None:
        scratch = Path(tempfile.mkdtemp(prefix="detente-bench-"))
    directory = args.dir or scratch
    directory.mkdir(parents=True, exist_ok=True)
    db = directory / f"dyad-{args.events}.db"
    try:
        if args.reuse and db.exists():
            synthetic = SyntheticLedger(args.events, args.seed)
            # Regenerating the rows (without writing), in the order the build drew them,
            # restores the expected counts.
            synthetic.document_rows()
            for first in range(0, args.events, CHUNK):
                synthetic.event_rows(first, min(CHUNK, args.events - first))
            print(f"reusing {db} ({db.stat().st_size / 1e9:.2f} GB)")
        else:
            print(f"building {args.events:,} synthetic events in {db}")
            started = time.perf_counter()
            synthetic = build_ledger(db, args.events, args.seed)
            print(f"built in {time.perf_counter() - started:.0f} s, {db.stat().st_size / 1e9:.2f} GB")

        if args.build_only:
            return 0
        dyads = query_dyads(synthetic, args.queries)
        samples, sizes = time_in_process(db, dyads)
        wrong = [(a, b, sizes[(a, b)], synthetic.expected_count(a, b)) for a, b, _ in dyads
                 if sizes[(a, b)] != synthetic.expected_count(a, b)]
        counts = sorted((sizes[(a, b)] for a, b, _ in dyads), reverse=True)
        print(f"queried {len(dyads)} dyads; events per dyad: heavy "
              f"{[sizes[(a, b)] for a, b, s in dyads if s == 'heavy']}, "
              f"median {statistics.median(counts):.0f}, smallest {counts[-1]}")
        if wrong:
            print(f"COUNT MISMATCH (dyad, api, expected): {wrong[:5]}")
        ok = report("in-process api.dyad", samples, dyads)
        if not args.no_http:
            http_samples, http_sizes = time_over_http(db, dyads)
            ok = report("HTTP GET /api/dyad", http_samples, dyads) and ok
        # The floor the README recommends for dyadic events has rollups of its own.
        ok = report("in-process api.dyad, min_confidence 0.5", time_in_process(db, dyads, 0.5)[0], dyads) and ok
        if not args.no_http:
            ok = report("HTTP GET /api/dyad, min_confidence 0.5", time_over_http(db, dyads, 0.5)[0], dyads) and ok
        return 0 if ok and not wrong else 1
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
