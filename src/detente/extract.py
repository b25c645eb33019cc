"""The extract stage for one document: dates, sentences, actors and events from its parse.

Plain data in (a SourceDocument and its parsed pieces), plain data out (ExtractedDocument);
no I/O, no state, so the same code serves `detente ingest` and `detente code`.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence
from typing import Any

from detente import time as timex
from detente.actors import ActorResolver, resolve_pronouns
from detente.actors.agents import AgentFinder, without_datelines
from detente.events import extract_events
from detente.events.typer import TypeModel
from detente.ingest.dating import infer_published
from detente.model import (
    Document,
    ExtractedDocument,
    Sentence,
    SourceDocument,
    TimeExpression,
    TimeValue,
    event_id,
)
from detente.time.dating import EventDater
from detente.time.roles import tenure_period


def tag_document_time(source: SourceDocument, role_period: timex.RolePeriod | None = None,
                      ) -> tuple[TimeValue, list[TimeExpression]]:
    """The document's own date and its temporal expressions, resolved against that date.

    Metadata dates are cheap and come first; only a document without one needs a first pass
    over its own expressions to infer its date, and a second pass when that date then
    resolves expressions the first pass could not ("last year")."""
    dct = source.metadata_date or None
    expressions = timex.tag(source.text, dct=dct, mode="auto", role_period=role_period)
    published = infer_published(source, expressions)
    # A date the document states about itself (a dateline) may make it read as news ("auto");
    # an inferred one only resolves what the first pass could not.
    if not dct and published.known and (published.basis == "metadata"
                                        or any(not e.time.known for e in expressions)):
        expressions = timex.tag(source.text, dct=published, mode="auto", role_period=role_period)
    return published, expressions


def _tenure_period(resolver: ActorResolver) -> timex.RolePeriod:
    """'the Yeltsin years' → the years Yeltsin led his state, from the gazetteer's roles."""
    return tenure_period(resolver.gazetteer)


class _SentenceIndex:
    """Finds the sentence around a character offset, to date what is said there."""

    def __init__(self, sentences: Sequence[Sentence]):
        self.starts = [s.start for s in sentences]
        self.sentences = sentences

    def around(self, char: int) -> Sentence | None:
        position = bisect.bisect_right(self.starts, char) - 1
        return self.sentences[position] if position >= 0 else None


def extract_document(
    source: SourceDocument,
    pieces: Sequence[tuple[Any, int]],
    resolver: ActorResolver,
    typer: TypeModel | None | str = "default",
) -> ExtractedDocument:
    """Turn one parsed document (its spaCy Doc pieces with their char offsets) into records.
    `typer`: the learned event typer ("default": the shipped one; None: the dictionary alone)."""
    published, expressions = tag_document_time(source, _tenure_period(resolver))
    document = Document(
        id=source.id, name=source.name, title=source.title, url=source.url, text=source.text,
        published=published, sha256=source.sha256, warnings=list(source.warnings),
    )
    dater = EventDater(expressions, published, text=source.text, docs=pieces)

    sentences: list[Sentence] = []
    for doc, offset in pieces:
        for sent in doc.sents:
            text = sent.text
            if text.strip():
                sentences.append(Sentence(document.id, len(sentences), sent.start_char + offset,
                                          sent.end_char + offset, text))
    index = _SentenceIndex(sentences)

    def date_of(char: int) -> str:
        sentence = index.around(char)
        if sentence is None:
            return published.start
        # An undatable sentence still happened by publication: roles are read as of that date.
        return dater.date_for(sentence.start, sentence.end, char).start or published.start

    events = []
    actor_mentions = []
    tokens = 0
    agents = AgentFinder(resolver.gazetteer)
    for doc, offset in pieces:
        tokens += len(doc)
        actors = resolver.resolve(doc, date_of=date_of, doc_offset=offset)
        # "he" / "she" become the person they refer to, marked inferred in the evidence.
        actors = without_datelines(doc, actors + resolve_pronouns(doc, actors, doc_offset=offset), doc_offset=offset)
        # Courts, police, rebels, titled strangers: actors the gazetteer does not list.
        actors = sorted(actors + agents.find(doc, actors, doc_offset=offset), key=lambda m: m.start)
        actor_mentions.extend(actors)
        found = extract_events(doc, actors, dater, document.id, document.name, doc_offset=offset, typer=typer)
        events.extend(_renumber(found, index))
    return ExtractedDocument(document, sentences, events, actor_mentions=actor_mentions,
                             time_expressions=expressions, token_count=tokens)


def _renumber(events: list, index: _SentenceIndex) -> list:
    """Sentence numbers are per document, not per parsed piece: recompute them from offsets."""
    for event in events:
        event.mentions = [
            dataclasses.replace(m, sentence=(s.index if (s := index.around(m.start)) else m.sentence))
            for m in event.mentions
        ]
        event.id = event_id(event)
    return events
