"""Typed records passed between the stages (the contract of DESIGN.md).

Every stage takes and returns these plain dataclasses; only the store keeps state.
`to_dict()` gives the stable export shape of each record.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Literal

Precision = Literal["day", "week", "month", "season", "quarter", "year", "decade", "century", "millennium", "unknown"]
Basis = Literal["explicit", "narrative", "document", "metadata", "content", "unknown"]
Modality = Literal["asserted", "reported", "intended", "hypothetical"]
# Counts and trajectories take these by default: intended and hypothetical events did not happen (yet).
COUNTED_MODALITIES = ("asserted", "reported")

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)


def content_id(text: str) -> str:
    """Document id: the hash of its normalised text, so the same article is one document."""
    normalised = " ".join(text.split()).casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class TimeValue:
    """A possibly partial date. `value` is EDTF-like ('2001', '2019-04', '195X', '1950/1953');
    `start`/`end` are the inclusive ISO days it covers ('' when unknown);
    `precision` is how much the text actually said; never more."""

    value: str = ""
    start: str = ""
    end: str = ""
    precision: Precision = "unknown"
    modifier: str | None = None  # early, mid, late, approx, start, end
    basis: Basis = "unknown"
    timex3: str = ""

    @property
    def known(self) -> bool:
        return bool(self.value)

    def with_basis(self, basis: Basis) -> "TimeValue":
        return TimeValue(self.value, self.start, self.end, self.precision, self.modifier, basis, self.timex3)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> "TimeValue":
        if not data:
            return cls()
        return cls(**{k: data.get(k) if k == "modifier" else (data.get(k) or "") for k in cls.__dataclass_fields__}
                   | {"precision": data.get("precision") or "unknown", "basis": data.get("basis") or "unknown"})


UNKNOWN_TIME = TimeValue()


@dataclass(frozen=True)
class TimeExpression:
    """A temporal expression found in a text; offsets are characters of that text."""

    start: int
    end: int
    text: str
    time: TimeValue
    kind: Literal["date", "duration", "set", "time"] = "date"
    # Whether the narrative moves to this date: not for citations ("Lankov (2013)"), bounds
    # ("since 2009"), spans ("1950-1953") or relative phrases resolved against it.
    sets_anchor: bool = False

    def to_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.time.value,
            "timex3": self.time.timex3,
            "precision": self.time.precision,
            "modifier": self.time.modifier,
            "kind": self.kind,
            "range": [self.time.start, self.time.end],
        }


@dataclass(frozen=True)
class Role:
    """A dated role of a person: e.g. Russia, GOV, 'President', 2000-05-07..2008-05-07."""

    country: str
    sector: str
    title: str
    start: str = ""  # ISO date prefix; '' = open
    end: str = ""


@dataclass
class Actor:
    code: str  # ISO alpha-3 for states, IGO codes, own lowercase slugs for people
    name: str
    kind: Literal["state", "igo", "person", "org", "group"]
    sector: str = ""
    country: str = ""
    aliases: list[str] = field(default_factory=list)
    predecessor: str = ""
    successor: str = ""
    roles: list[Role] = field(default_factory=list)
    cameo: str = ""  # CAMEO country code when it differs from ISO (for export)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ActorMention:
    """An actor found in a sentence: char offsets are of the document text."""

    code: str
    name: str
    country: str
    sector: str
    text: str
    start: int
    end: int
    kind: str = "state"
    inferred: bool = False  # set by coreference ("he", "Kim")

    def to_ref(self) -> dict:
        return {"code": self.code, "name": self.name, "country": self.country, "sector": self.sector,
                "text": self.text}


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """Evidence for an event: the sentence and the character span (in the document) of the trigger clause."""

    doc_id: str
    doc_name: str
    sentence: int
    start: int
    end: int
    sentence_text: str = ""
    trigger: str = ""

    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "doc_name": self.doc_name, "sentence": self.sentence,
                "start": self.start, "end": self.end}


@dataclass
class Event:
    type: str  # PLOVER 2.0
    cameo: str
    quad_class: int  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    goldstein: float
    source: list[ActorMention]
    target: list[ActorMention]
    date: TimeValue
    mentions: list[Mention]
    negated: bool = False
    modality: Modality = "asserted"
    confidence: float = 0.5
    symmetric: bool = False
    trigger: str = ""
    id: str = ""
    sources_count: int = 1

    def __post_init__(self) -> None:
        if not self.id:
            self.id = event_id(self)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "type": self.type,
            "cameo": self.cameo,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "source": [a.to_ref() for a in self.source],
            "target": [a.to_ref() for a in self.target],
            "date": {k: v for k, v in self.date.to_dict().items()},
            "negated": self.negated,
            "modality": self.modality,
            "confidence": round(self.confidence, 3),
            "mentions": [m.to_dict() for m in self.mentions],
            "sources_count": self.sources_count,
        }


def event_id(event: Event) -> str:
    """Stable across re-ingest: derived from where the event was first read and what it is."""
    first = event.mentions[0] if event.mentions else None
    key = "|".join([
        first.doc_id if first else "", str(first.sentence if first else ""), str(first.start if first else ""),
        event.type, event.cameo,
        ",".join(a.code for a in event.source), ",".join(a.code for a in event.target),
    ])
    return "ev_" + hashlib.sha256(key.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Claim:
    subject: str
    attribute: str
    value: str
    time: TimeValue
    polarity: bool
    mention: Mention


@dataclass
class Conflict:
    id: str
    kind: str
    subject: str
    attribute: str
    explanation: str
    claims: list[Claim]
    status: Literal["open", "confirmed", "dismissed"] = "open"

    def to_dict(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "subject": self.subject, "attribute": self.attribute,
            "explanation": self.explanation, "status": self.status,
            "claims": [{"value": c.value, "doc_id": c.mention.doc_id, "doc_name": c.mention.doc_name,
                        "sentence": c.mention.sentence, "start": c.mention.start, "end": c.mention.end}
                       for c in self.claims],
        }


@dataclass
class SourceDocument:
    """What ingest hands on: the readable text of one source and what it knows about it."""

    name: str  # file name or URL it came from
    text: str
    title: str = ""
    url: str = ""
    sha256: str = ""  # of the raw bytes read
    metadata_date: str = ""  # ISO date (prefix) from HTML meta / PDF info, when present
    warnings: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return content_id(self.text)


@dataclass(frozen=True)
class SourceFailure:
    """A source that could not be read; `status` is 'skipped' (nothing to read) or 'failed'."""

    name: str
    reason: str
    status: Literal["skipped", "failed"] = "failed"


@dataclass
class Document:
    id: str
    name: str
    title: str
    url: str
    text: str
    published: TimeValue
    sha256: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class ExtractedDocument:
    """One document after parse and extract: everything the store writes in one transaction."""

    document: Document
    sentences: list[Sentence]
    events: list[Event]
    claims: list[Claim] = field(default_factory=list)
    actor_mentions: list[ActorMention] = field(default_factory=list)
    time_expressions: list[TimeExpression] = field(default_factory=list)
    token_count: int = 0
