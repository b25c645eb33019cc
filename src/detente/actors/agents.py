"""Actors the gazetteer does not name: agents, organisations and titled strangers.

News is full of actors no gazetteer lists: "the Munich I Regional Court", "Delhi Police",
"anti-war groups", "Uttar Pradesh Chief Minister Yogi Adityanath". A noun phrase that is an
argument of a clause and is headed by an agent noun (a sector noun: police, court, rebels,
parliament …), or is a person or organisation the parser recognises, becomes an actor
mention: its sector from the agent noun or title, its country from an actor named inside the
phrase ("Nigerian", "of Bolivia", "Turkey's") or, for agents and titled people, from the one
state the sentence is about (marked inferred). What has no country keeps its own text as
identity (`x-` + a slug of its words), so it is never silently dropped and never merged with
another unknown actor.

A dateline ("NEW DELHI, June 16 –", "MOSCOW (Reuters) -") says where a report was filed, not
who acted: mentions inside one are removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from detente.actors.gazetteer import Gazetteer, fold_text
from detente.model import ActorMention

# Where a noun phrase is an argument of a clause (and so may be an actor).
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "dative", "conj", "appos", "attr", "ROOT",
                            "oprd"})
# Modifiers kept inside an actor's name ("Delhi Police", "the Catalan government", "anti-war groups").
_NAME_DEPS = frozenset({"compound", "amod", "nmod", "poss", "case", "flat", "nummod", "quantmod", "npadvmod"})
_NAMED_ENTITIES = {"PERSON": "person", "ORG": "org"}
_PARTY_PREPOSITIONS = frozenset({"with", "to", "against", "on", "into", "by", "from", "toward", "towards", "at",
                                 "between", "among", "for", "upon", "over"})
_POSSESSIVE_PRONOUNS = frozenset({"its", "their", "his", "her", "our", "my", "your"})
_UNKNOWN_PREFIX = "x-"
# The kind of a target that is a thing, not an actor ("the attack", "the plan").
OBJECT_KIND = "object"
# A dateline is a run of capitalised words at the very start of a line, closed by a comma, a
# dash or a parenthesis (the agency), before the report's first sentence.
_DATELINE = re.compile(r"(?m)^[ \t]*(?:[A-Z][A-Z.'’-]+)(?:[ \t]+[A-Z][A-Z.'’-]+)*[ \t]*(?:,|\(|[-–—])")


def unknown_code(text: str) -> str:
    """The identity of an actor known only by its words: one slug per distinct name."""
    words = re.findall(r"[^\W_]+", text.lower())
    return _UNKNOWN_PREFIX + "-".join(words)[:80] if words else ""


def is_unknown_code(code: str) -> bool:
    return code.startswith(_UNKNOWN_PREFIX)


def without_datelines(doc: Any, mentions: Sequence[ActorMention], doc_offset: int = 0) -> list[ActorMention]:
    """Drop mentions that lie inside a dateline (the place a report was filed from)."""
    text = doc.text
    spans = [(m.start() + doc_offset, m.end() + doc_offset) for m in _DATELINE.finditer(text)
             if _is_dateline(text, m)]
    if not spans:
        return list(mentions)
    return [m for m in mentions if not any(low <= m.start and m.end <= high for low, high in spans)]


def _is_dateline(text: str, match: re.Match) -> bool:
    words = match.group(0).strip(" \t,(-–—")
    # All capitals and not a sentence's opening acronym ("NATO said"): a real word follows the mark.
    return len(words) >= 3 and words.upper() == words and any(c.isalpha() for c in words) \
        and match.end() < len(text)


def _is_argument(token: Any) -> bool:
    """Whether a noun heads a phrase that can be a party to an act: a clause argument, or the
    object of a preposition that introduces one ("met with", "by", "against") — not "the
    signing of a memorandum"; and not one's own people ("its troops": the owner acts)."""
    while token.dep_ in ("conj", "appos") and token.head is not token:
        token = token.head  # a conjunct or an apposition is the argument its head is
    if token.dep_ not in _ARGUMENT_DEPS or token.dep_ in ("conj", "appos"):
        return False  # possessors too: in "Osama bin Laden's al-Qaeda" the network is the party
    if token.dep_ == "pobj" and token.head.lower_ not in _PARTY_PREPOSITIONS:
        return False
    return not any(c.dep_ == "poss" and c.lower_ in _POSSESSIVE_PRONOUNS for c in token.children)


def _role(token: Any) -> str:
    """The dependency a phrase has in its clause, through conjuncts ("photographs and intelligence")."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token.dep_


class AgentFinder:
    """Finds actor mentions for argument noun phrases that the gazetteer pass left unresolved."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.sectors = gazetteer.sector_keys

    def find(self, doc: Any, mentions: Sequence[ActorMention], doc_offset: int = 0) -> list[ActorMention]:
        """New mentions only, in text order; `mentions` (document offsets) are what is already known."""
        covered: dict[int, ActorMention] = {}
        for mention in mentions:
            span = doc.char_span(mention.start - doc_offset, mention.end - doc_offset, alignment_mode="expand")
            if span is not None:
                for token in span:
                    covered[token.i] = mention
        found: list[ActorMention] = []
        taken: set[int] = set()
        for sentence in doc.sents:
            low, high = sentence.start_char + doc_offset, sentence.end_char + doc_offset
            # The sentence's own tokens, not every mention of the document: linear in its length.
            states = {m.country for token in sentence if (m := covered.get(token.i)) is not None
                      and m.kind == "state" and m.country and low <= m.start < high}
            context_country = next(iter(states)) if len(states) == 1 else ""
            for token in sentence:
                if token.i in covered or token.i in taken or token.pos_ not in ("NOUN", "PROPN"):
                    continue
                if not _is_argument(token):
                    continue
                mention = self._mention_for(token, covered, context_country, doc_offset)
                if mention is not None:
                    found.append(mention)
                    taken.update(range(*name_bounds(token)))
        return found

    def _mention_for(self, head: Any, covered: dict[int, ActorMention], context_country: str,
                     doc_offset: int) -> ActorMention | None:
        sector = self._sector_of(head)
        entity_kind = _NAMED_ENTITIES.get(head.ent_type_, "")
        if not sector and not entity_kind:
            return None
        if not entity_kind and _role(head) in ("dobj", "attr", "oprd", "dative"):
            return None  # "deployed peacekeepers", "opened an embassy": what is sent or made, not a party
        start, end = name_bounds(head)
        doc = head.doc
        inside = [covered[i] for i in range(start, end) if i in covered]
        # An actor named inside the phrase says whose it is: "Turkey's parliament", "a Nigerian court".
        owner = inside[0] if inside else None
        if owner is None:
            # "the sides of Cyprus", and for agents "security forces in Guinea".
            owning = ("of",) if entity_kind else ("of", "in", "from")
            # "a newspaper based in Beirut", "troops stationed in Syria": the participle's place too.
            placed = [p for c in head.children if c.dep_ == "acl" and c.tag_ in ("VBN", "VBG")
                      for p in c.children]
            for prep in [*head.children, *placed]:
                if prep.dep_ == "prep" and prep.lower_ in owning and owner is None:
                    owner = next((covered[t.i] for t in prep.subtree if t.i in covered), None)
        titled = entity_kind == "person" and any(
            fold_text(doc[i].text) in self.gazetteer.honorific_keys or doc[i].lower_ in self.sectors
            for i in range(start, head.i))
        if entity_kind == "person" and not sector:
            sector = "GOV" if titled else ""
        country = owner.country if owner is not None else ""
        inferred = False
        if not country and context_country and (not entity_kind or titled):
            country, inferred = context_country, True
        text = doc[start:end].text
        if entity_kind == "person" and owner is not None and owner.kind != "state" and owner in inside:
            # "U.N. mediator Diego Cordovez" speaks for the U.N., as the gazetteer pass reads titled strangers.
            return _phrase_mention(doc[start:end], doc_offset, code=owner.code, name=owner.name,
                                   country=owner.country, sector=owner.sector, kind=owner.kind, inferred=True)
        kind = entity_kind or ("group" if head.tag_ in ("NNS", "NNPS") else "org")
        if country and (not entity_kind or titled):
            # "Russian diplomats" is Russia, and "India's National Security Adviser Ajit Doval" its
            # government: as the gazetteer pass reads a title before a name it does not know.
            code, name = country, self._name(country)
        else:
            code, name = unknown_code(text), text
        if not code:
            return None
        return _phrase_mention(doc[start:end], doc_offset, code=code, name=name, country=country, sector=sector,
                               kind=kind if is_unknown_code(code) else "state", inferred=inferred)

    def _sector_of(self, head: Any) -> str:
        lemma = head.lemma_.lower()
        before = head.nbor(-1) if head.i > 0 else None
        if before is not None and before.dep_ == "compound":
            two = fold_text(f"{before.lemma_} {lemma}".lower())
            if two in self.sectors:
                return self.sectors[two]
        for key in (fold_text(head.lower_), fold_text(lemma)):
            if key in self.sectors:
                return self.sectors[key]
        return ""

    def _name(self, code: str) -> str:
        actor = self.gazetteer.get(code)
        return actor.name if actor is not None else code


def name_bounds(head: Any) -> tuple[int, int]:
    """Token bounds of the phrase's name: the head and its left modifiers, without articles."""
    start = head.i
    for child in head.lefts:
        if child.dep_ in _NAME_DEPS:
            start = min(start, child.left_edge.i)
    end = head.i + 1
    for child in head.rights:
        if child.dep_ in ("flat", "compound") and child.i == end:
            end = child.i + 1
    doc = head.doc
    while start < head.i and (doc[start].dep_ in ("det", "punct", "case") or doc[start].is_punct):
        start += 1
    return start, end


def object_mention(head: Any, doc_offset: int = 0) -> ActorMention | None:
    """What an act is aimed at when no actor is named there ("condemned the attack on the
    convoy"): kept by its own words as kind `object`, so the event keeps its target's text."""
    start, end = name_bounds(head)
    doc = head.doc
    text = doc[start:end].text
    code = unknown_code(text)
    if not code:
        return None
    return _phrase_mention(doc[start:end], doc_offset, code=code, name=text, country="", sector="", kind=OBJECT_KIND)


def _phrase_mention(span: Any, doc_offset: int, **fields: Any) -> ActorMention:
    """A mention of the words of `span`, with offsets in the whole document."""
    return ActorMention(text=span.text, start=span.start_char + doc_offset, end=span.end_char + doc_offset,
                        **fields)
