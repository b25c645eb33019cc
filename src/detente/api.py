"""The one Python API behind the CLI (and, later, the web app).

Every function takes plain arguments and returns plain data; the CLI only formats.
Heavy parts (spaCy, the gazetteer) are loaded lazily, so that re-ingesting an unchanged
corpus or querying the ledger never pays for them.
"""

from __future__ import annotations

import json
import os
import time
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from detente.model import Modality, SourceDocument, SourceFailure

DEFAULT_DB = "detente.db"
DB_ENV = "DETENTE_DB"


def default_db() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def open_ledger(db: str | Path | None = None, readonly: bool = False):
    from detente.store import Ledger

    return Ledger(Path(db) if db else default_db(), readonly=readonly)


def open_existing_ledger(db: str | Path | None = None):
    """For queries: a missing ledger is a user error, not a reason to create an empty one."""
    from detente.store import LedgerError, LedgerNeedsUpgrade

    path = Path(db) if db else default_db()
    if not path.exists():
        raise LedgerError(f"no ledger at {path}; run `detente ingest` first or pass --db")
    try:
        return open_ledger(path, readonly=True)
    except LedgerNeedsUpgrade:
        # A ledger made by an earlier release: run its migrations once (one transaction), then read.
        open_ledger(path).close()
        return open_ledger(path, readonly=True)


# ---------------------------------------------------------------- ingest

@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    events: int = 0
    sentences: int = 0
    tokens: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict:
        return {
            "added": len(self.added), "unchanged": len(self.unchanged), "skipped": len(self.skipped),
            "failed": len(self.failed), "events": self.events, "sentences": self.sentences,
            "tokens": self.tokens, "seconds": round(self.seconds, 3),
            "problems": [{"name": n, "status": "skipped", "reason": r} for n, r in self.skipped]
            + [{"name": n, "status": "failed", "reason": r} for n, r in self.failed],
            "warnings": [{"name": n, "warning": w} for n, w in self.warnings],
        }


@dataclass
class IngestOptions:
    max_bytes: int = 50 * 1024 * 1024
    timeout: float = 20.0
    glob: str | None = None
    workers: int = 1
    batch_size: int = 16
    model: str | None = None
    gazetteers: list[Path] = field(default_factory=list)


def ingest(
    inputs: Iterable[str],
    db: str | Path | None = None,
    options: IngestOptions | None = None,
    stdin: BinaryIO | None = None,
    on_progress: Callable[[str, str], None] | None = None,
) -> IngestReport:
    """Read, parse, extract and store every source; one bad source never stops the batch.

    `on_progress(name, outcome)` is called once per source with outcome added / unchanged /
    skipped / failed."""
    from detente.ingest import IngestLimits, iter_sources
    from detente.store import Ledger

    options = options or IngestOptions()
    report = IngestReport()
    started = time.perf_counter()
    notify = on_progress or (lambda name, outcome: None)
    limits = IngestLimits(max_bytes=options.max_bytes, timeout=options.timeout, glob=options.glob)

    with open_ledger(db) as ledger:
        ledger: Ledger
        options.gazetteers = remembered_gazetteers(ledger, options.gazetteers)
        load_gazetteer(options.gazetteers)  # a bad user file fails here, before anything is read
        pending: set[str] = set()

        def new_sources() -> Iterator[tuple[str, SourceDocument]]:
            """Sources that need parsing; everything else is settled here, before spaCy runs."""
            for item in iter_sources(inputs, limits, stdin=stdin):
                if isinstance(item, SourceFailure):
                    (report.skipped if item.status == "skipped" else report.failed).append((item.name, item.reason))
                    notify(item.name, item.status)
                    continue
                for warning in item.warnings:
                    report.warnings.append((item.name, warning))
                if not item.text.strip():
                    report.skipped.append((item.name, "no text"))
                    notify(item.name, "skipped")
                    continue
                doc_id = item.id
                if doc_id in pending or ledger.has_document(doc_id):
                    ledger.record_source(doc_id, item.name, item.url)
                    report.unchanged.append(item.name)
                    notify(item.name, "unchanged")
                    continue
                pending.add(doc_id)
                yield item.text, item

        for extracted_or_error, source in _extract_stream(new_sources(), options):
            pending.discard(source.id)
            if isinstance(extracted_or_error, Exception):
                report.failed.append((source.name, f"extraction failed: {extracted_or_error!r}"))
                notify(source.name, "failed")
                continue
            extracted = extracted_or_error
            try:
                ledger.write_document(extracted)
            except Exception as error:  # one document's storage problem must not stop the batch
                report.failed.append((source.name, f"could not store: {error}"))
                notify(source.name, "failed")
                continue
            ledger.record_source(extracted.document.id, source.name, source.url)
            report.added.append(source.name)
            report.events += len(extracted.events)
            report.sentences += len(extracted.sentences)
            report.tokens += extracted.token_count
            notify(source.name, "added")
        # The link stage (near-duplicates, merged events, claims, conflicts) is recomputed over
        # the whole ledger after each batch, in one transaction, so ingest order never matters.
        from detente.store.links import needs_relink, relink

        if report.added or needs_relink(ledger):
            relink(ledger, load_gazetteer(options.gazetteers))
    report.seconds = time.perf_counter() - started
    return report


def _extract_stream(items: Iterable[tuple[str, SourceDocument]], options: IngestOptions):
    """Parse lazily and extract each document once all its pieces are parsed.

    spaCy and the gazetteer load on the first document that needs them, not before."""
    from detente import nlp as parse

    iterator = iter(items)
    try:
        first = next(iterator)
    except StopIteration:
        return

    def chained():
        yield first
        yield from iterator

    pipeline = parse.load_pipeline(options.model)
    resolver = _resolver(tuple(options.gazetteers))
    from detente.extract import extract_document

    pieces: list[tuple[Any, int]] = []
    for doc, offset, last, source in parse.parse_stream(pipeline, chained(), options.batch_size, options.workers):
        pieces.append((doc, offset))
        if not last:
            continue
        try:
            yield extract_document(source, pieces, resolver), source
        except Exception as error:  # report and go on: the batch matters more than one file
            yield error, source
        pieces = []


def _resolver(gazetteer_paths: tuple[Path, ...]):
    from detente.actors import ActorResolver

    return ActorResolver(load_gazetteer(gazetteer_paths))


def remembered_gazetteers(ledger, extra: Iterable[Path] = ()) -> list[Path]:
    """The user gazetteers this ledger was built with, plus `extra`, which it remembers from now on:
    a ledger keeps coding its documents with the same actors however it is called next time."""
    config = ledger.config()
    known = [Path(p) for p in config.get("gazetteers", [])]
    added = [Path(p).resolve() for p in extra if Path(p).resolve() not in known]
    if added and not ledger.readonly:
        load_gazetteer(known + added)  # never remember a file that does not load
        ledger.set_config({**config, "gazetteers": [str(p) for p in known + added]})
    return known + added


def ledger_gazetteer(ledger):
    """The gazetteer a ledger was built with: the built-in one plus the user files it remembers."""
    return load_gazetteer(Path(p) for p in ledger.config().get("gazetteers", []))


def load_gazetteer(paths: Iterable[Path] = ()):
    from detente.actors import Gazetteer

    paths = list(paths)
    return Gazetteer.load(paths) if paths else Gazetteer.default()


def demo_corpus() -> Path:
    """The bundled demo corpus: original articles written for detente, with planted disagreements."""
    from importlib.resources import files

    return Path(str(files("detente") / "data" / "demo"))


# ---------------------------------------------------------------- queries

class UnknownActor(ValueError):
    """Raised when a code or name matches no actor of the gazetteer."""


def find_actor(text: str, gazetteer=None):
    """The gazetteer actor for a code ("RUS") or a name ("North Korea"), or UnknownActor."""
    text = (text or "").strip()
    if not text:
        raise UnknownActor("an actor is required (a code such as RUS, or a name)")
    gazetteer = gazetteer or load_gazetteer()
    found = gazetteer.get(text.upper()) or gazetteer.get(text)
    if found is None:
        matches = gazetteer.search(text)
        found = matches[0] if matches else None
    if found is None:
        raise UnknownActor(f"unknown actor {text!r}; `detente actors QUERY` lists the known ones")
    return found


def actor_group(code: str, lineage: bool = True, gazetteer=None) -> list[str]:
    """One actor as the codes it answers to: RUS with lineage is RUS and its predecessor SUN."""
    gazetteer = gazetteer or load_gazetteer()
    try:
        resolved = find_actor(code, gazetteer).code
    except UnknownActor:
        resolved = code.strip().upper()  # a code of the user's own data, unknown to the gazetteer
    return gazetteer.lineage(resolved) if lineage else [resolved]


def events(
    db: str | Path | None = None,
    actors: Iterable[str] = (),
    type: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    lineage: bool = True,
    min_confidence: float = 0.0,
    modality: list[str] | None = None,
    include_negated: bool = False,
    limit: int | None = None,
) -> list[dict]:
    known = typing.get_args(Modality)
    unknown = [m for m in modality or () if m not in known]
    if unknown:
        raise ValueError(f"unknown modality {', '.join(unknown)} (choose from {', '.join(known)})")
    with open_existing_ledger(db) as ledger:
        gazetteer = ledger_gazetteer(ledger)
        groups = [actor_group(a, lineage, gazetteer) for a in actors] or None
        from detente.store.links import with_merged_from

        return with_merged_from(ledger, list(ledger.events(
            actors=groups, type=type.upper() if type else None, date_from=date_from, date_to=date_to,
            modality=modality, include_negated=include_negated, min_confidence=min_confidence, limit=limit)))


def timeline(db: str | Path | None, a: str, b: str, lineage: bool = True, min_confidence: float = 0.0,
             offset: int = 0, limit: int | None = None) -> list[dict]:
    """Events between a and b by date; with `limit`, only the page [offset, offset + limit)."""
    from detente.analyse.dyad import dyad_events, timeline_page

    with open_existing_ledger(db) as ledger:
        gazetteer = ledger_gazetteer(ledger)
        groups = actor_group(a, lineage, gazetteer), actor_group(b, lineage, gazetteer)
        if limit is not None:
            return timeline_page(ledger, *groups, min_confidence, offset, limit)
        return dyad_events(ledger, *groups, min_confidence)


def show(db: str | Path | None, event_id: str) -> dict | None:
    with open_existing_ledger(db) as ledger:
        return ledger.event(event_id)


def search(db: str | Path | None, query: str, limit: int = 20, offset: int = 0) -> list[dict]:
    with open_existing_ledger(db) as ledger:
        return ledger.search(query, limit=limit, offset=offset)


def documents(db: str | Path | None = None) -> list[dict]:
    with open_existing_ledger(db) as ledger:
        return list(ledger.documents())


def stats(db: str | Path | None = None) -> dict:
    with open_existing_ledger(db) as ledger:
        return ledger.stats()


def actors(db: str | Path | None = None, query: str | None = None, limit: int | None = None) -> list[dict]:
    """Actors of the gazetteer (built-in and the ledger's own files) matching `query`, most active
    first when a ledger exists, each with how many events of the ledger it takes part in."""
    counts, gazetteer = {}, load_gazetteer()
    if _ledger_exists(db):
        with open_existing_ledger(db) as ledger:
            gazetteer = ledger_gazetteer(ledger)
            counts = {row["code"]: row["events"] for row in ledger.actors()}
    found = gazetteer.search(query) if query else gazetteer.actors()
    rows = [{**_actor_summary(actor), "events": counts.get(actor.code, 0)} for actor in found]
    if not query:
        rows.sort(key=lambda row: (-row["events"], row["code"]))
    return rows[:limit] if limit else rows


def actor_detail(db: str | Path | None, code: str) -> dict:
    """One actor: names, dated roles, lineage, and event counts: `events` under its own code,
    `events_involving` as `detente events --actor CODE` finds them (lineage and a state's people)."""
    def known(gazetteer):
        actor = gazetteer.get(code) or next(iter(gazetteer.search(code)), None)
        if actor is None:
            raise ValueError(f"unknown actor {code!r}; try `detente actors {code}` to search")
        return actor

    ledger_counts: dict[str, int] = {}
    by_type: dict[str, int] = {}
    involving = 0
    if _ledger_exists(db):
        with open_existing_ledger(db) as ledger:
            gazetteer = ledger_gazetteer(ledger)
            actor = known(gazetteer)
            ledger_counts = {row["code"]: row["events"] for row in ledger.actors()}
            for event in ledger.events(actors=[gazetteer.lineage(actor.code)]):
                by_type[event["type"]] = by_type.get(event["type"], 0) + 1
                involving += 1
    else:
        gazetteer = load_gazetteer()
        actor = known(gazetteer)
    lineage = gazetteer.lineage(actor.code)
    return {
        **_actor_summary(actor),
        "aliases": list(actor.aliases),
        "roles": [{"country": r.country, "sector": r.sector, "title": r.title, "from": r.start, "to": r.end}
                  for r in actor.roles],
        "lineage": lineage,
        "events": ledger_counts.get(actor.code, 0),
        # as `detente events --actor CODE` counts: its lineage and, for a state, its people too
        "events_involving": involving,
        "events_by_type": dict(sorted(by_type.items(), key=lambda item: -item[1])),
    }


def _ledger_exists(db: str | Path | None) -> bool:
    return (Path(db) if db is not None else default_db()).exists()


def _actor_summary(actor) -> dict:
    return {"code": actor.code, "name": actor.name, "kind": actor.kind, "country": actor.country,
            "sector": actor.sector}


def conflicts(db: str | Path | None = None, status: str | None = None) -> list[dict]:
    """Where sources disagree: `[{id, kind, subject, attribute, explanation, status, sides: [{claim_id,
    value, text, sentence, doc_id, doc_name, doc_date, sentence_index, start, end}]}]`."""
    from detente.store.links import conflicts_side_by_side

    with open_existing_ledger(db) as ledger:
        return conflicts_side_by_side(ledger, status)


def review_conflict(db: str | Path | None, conflict_id: str, status: str, note: str | None = None) -> dict:
    """Set a conflict's review status (open, confirmed, dismissed); kept across re-ingest.
    Raises ValueError on an unknown id or status."""
    from detente.store.links import review_conflict as record_review

    path = Path(db) if db else default_db()
    open_existing_ledger(path).close()  # a missing ledger is an error, not a new empty file
    with open_ledger(path) as ledger:
        return record_review(ledger, conflict_id, status, note)


# ---------------------------------------------------------------- dyad analysis (detente.analyse)

def dyad(db: str | Path | None, a: str, b: str, lineage: bool = True, granularity: str = "year",
         min_confidence: float = 0.0, phases: bool = True) -> dict:
    """Trajectory of two actors: `{a, b, actors_a, actors_b, granularity, series: [{period, start, end,
    counts: {verbal_cooperation, material_cooperation, verbal_conflict, material_conflict}, events, index}],
    unplaced: {count, reason}, phases: [...]}`. Placement rule: `detente.analyse.trajectory`."""
    from detente.analyse.dyad import dyad_view

    with open_existing_ledger(db) as ledger:
        gazetteer = ledger_gazetteer(ledger)
        a, b = find_actor(a, gazetteer).code, find_actor(b, gazetteer).code
        return dyad_view(ledger, a, b, actor_group(a, lineage, gazetteer), actor_group(b, lineage, gazetteer),
                         granularity, min_confidence, with_phases=phases)


def phases(db: str | Path | None, a: str, b: str, lineage: bool = True, min_confidence: float = 0.0) -> list[dict]:
    """Phases of the dyad by change-point detection: `[{start, end, label, dominant_types, index,
    key_events: [{id, date, type, source, target, sources_count, evidence: {doc_name, sentence, text}}]}]`."""
    return dyad(db, a, b, lineage, "year", min_confidence)["phases"]


def brief(db: str | Path | None, a: str, b: str, fmt: str = "md", lineage: bool = True) -> str:
    """A sourced brief (Markdown or HTML): phases, key events with citations, open conflicts."""
    from detente.analyse.brief import render_brief
    from detente.analyse.dyad import brief_data

    open_conflicts = conflicts(db, status="open")
    with open_existing_ledger(db) as ledger:
        gazetteer = ledger_gazetteer(ledger)
        a, b = find_actor(a, gazetteer).code, find_actor(b, gazetteer).code
        data = brief_data(ledger, a, b, actor_group(a, lineage, gazetteer), actor_group(b, lineage, gazetteer),
                          open_conflicts)
    return render_brief(data, fmt)


EXPORT_KINDS = ("documents", "events", "actors", "conflicts")


def export(db: str | Path | None, kind: str, fmt: str, stream: TextIO | BinaryIO, min_confidence: float = 0.0) -> int:
    """Write one kind of record; `stream` is binary for the BINARY_FORMATS (parquet), text otherwise.
    The event-only formats (gdelt, timelinejs, graphml, parquet) are described in `detente.export`."""
    from detente.export import EVENT_FORMATS, FORMATS, write_records

    if kind not in EXPORT_KINDS:
        raise ValueError(f"unknown export {kind!r}; choose one of {', '.join(EXPORT_KINDS)}")
    if fmt not in FORMATS + EVENT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS + EVENT_FORMATS)}")
    if fmt in EVENT_FORMATS:
        if kind != "events":
            raise ValueError(f"--format {fmt} exports events only, not {kind}")
        return _export_events(db, fmt, stream, min_confidence)
    with open_existing_ledger(db) as ledger:
        records = {
            "documents": lambda: ledger.documents(),
            "events": lambda: ledger.events(min_confidence=min_confidence),
            "actors": lambda: ledger.actors(),
            "conflicts": lambda: ledger.conflicts(),
        }[kind]()
        return write_records(records, fmt, stream, kind)


def _export_events(db: str | Path | None, fmt: str, stream: TextIO | BinaryIO, min_confidence: float) -> int:
    with open_existing_ledger(db) as ledger:
        events = ledger.events(min_confidence=min_confidence)
        if fmt == "parquet":
            from detente.export.parquet import write_parquet

            return write_parquet(events, stream)
        if fmt == "gdelt":
            from detente.export.gdelt import cameo_actor_codes, write_gdelt

            urls = {d["id"]: d["url"] for d in ledger.documents() if d.get("url")}
            return write_gdelt(events, stream, cameo_actor_codes(ledger_gazetteer(ledger)), urls)
        if fmt == "graphml":
            from detente.export.graphml import write_graphml

            return write_graphml(events, {a["code"]: a for a in ledger.actors()}, stream)
        from detente.export.timelinejs import timeline_document, write_timelinejs

        events = list(events)
        cited = {(mention["doc_id"], mention["sentence"]) for event in events for mention in event.get("mentions") or []}
        texts = ledger.sentence_texts(cited)
        sentences = {f"{doc_id}:{index}": texts.get((doc_id, index), "") for doc_id, index in cited}
        document, _ = timeline_document(events, sentences, f"detente ledger {Path(str(ledger.path)).name}")
        return write_timelinejs(document, stream)


# ---------------------------------------------------------------- ledger-free tools

def parse_code_line(line: str, number: int) -> tuple[str, str, str]:
    """One input line of `detente code`: a JSON object {"id","text","date"} or plain text."""
    stripped = line.strip()
    if stripped.startswith("{"):
        try:
            record = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise ValueError(f"line {number}: invalid JSON ({error.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise ValueError(f"line {number}: a JSON line needs a string field \"text\"")
        return str(record.get("id", number)), record["text"], str(record.get("date") or "")
    return str(number), stripped, ""


def code(lines: Iterable[str], model: str | None = None, gazetteers: Iterable[Path] = (),
         on_error: Callable[[str], None] | None = None, batch_size: int = 64) -> Iterator[dict]:
    """Code each input text into events without a ledger; each event carries its "input_id"."""
    def sources() -> Iterator[tuple[str, SourceDocument]]:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                input_id, text, date = parse_code_line(line, number)
            except ValueError as error:
                if on_error:
                    on_error(str(error))
                continue
            yield text, SourceDocument(name=input_id, text=text, metadata_date=date)

    options = IngestOptions(model=model, gazetteers=list(gazetteers), batch_size=batch_size)
    for extracted, source in _extract_stream(sources(), options):
        if isinstance(extracted, Exception):
            if on_error:
                on_error(f"{source.name}: extraction failed: {extracted!r}")
            continue
        for event in extracted.events:
            yield {"input_id": source.name, **event.to_dict()}


def timex(text: str, dct: str | None = None, mode: str = "news") -> list[dict]:
    from detente import time as timetagger

    if mode not in ("news", "narrative", "auto"):
        raise ValueError(f"unknown mode {mode!r}; choose news, narrative or auto")
    from detente.time.roles import default_tenure_period

    return [expression.to_dict() for expression in
            timetagger.tag(text, dct=dct or None, mode=mode, role_period=default_tenure_period())]
