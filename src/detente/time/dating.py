"""Dating events by what the text says, not by when it was published.

The rule, in order:

1. the date expression that governs the event's trigger in the dependency parse: one attached
   to the trigger itself ("met ... in 2011", "the 1950 boycott") or to the verb whose clause the
   trigger heads or is the object of ("On 19 June, Putin made a visit");
2. else another date expression of the sentence (one framing the trigger's clause, or in a
   neighbouring clause), nearest first, preferring one introduced by in/on/during/since/by and
   one not cut off by a clause break. A date that only modifies some other noun ("invited him
   to the celebrations in May", "signed a successor to the 1961 treaty") dates that noun, not the
   event, and is not used;
3. else the narrative anchor, the last stated point in time before the sentence, when the
   sentence continues the narrative (not a present perfect "has supported");
4. else, for a present-tense sentence only, the publication date;
5. else unknown.

Without a parse (`docs` not given) step 1 is skipped and step 2 uses every date of the sentence.
The basis of the value says which evidence it came from: explicit (steps 1-2, or narrative /
document when the expression itself was resolved that way), narrative (3), document (4).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any

from detente.model import TimeExpression, TimeValue
from detente.nlp import FUTURE_AUXILIARIES, POSSIBILITY_AUXILIARIES

_GOVERNING_PREPOSITION = re.compile(
    r"\b(?:in|on|during|since|by|until|till|from|at|throughout|through|before|after|between|of)\s*$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:]|\s[–—-]\s|\bwhile\b|\bwhereas\b")


class EventDater:
    """Dates event triggers of one document. `expressions` are that document's (any order);
    `text`, when given, lets the dater see the preposition before a date and clause breaks."""

    def __init__(self, expressions: list[TimeExpression], published: TimeValue | None, text: str | None = None,
                 docs: Sequence[tuple[Any, int]] | None = None):
        """`docs`: the document's spaCy parses as (Doc, char offset of its first character) pieces;
        when given, the dependency parse decides which date governs a trigger."""
        self._parse = _Parse(docs) if docs else None
        dates = sorted((e for e in expressions if e.kind in ("date", "time") and e.time.known),
                       key=lambda e: e.start)
        self._dates = dates
        self._starts = [e.start for e in dates]
        self._published = published or TimeValue()
        self._text = text
        # Index of the last date usable as a narrative anchor among the first i dates (or -1).
        last = -1
        self._anchor_upto: list[int] = [-1]
        for index, expression in enumerate(dates):
            if expression.sets_anchor:
                last = index
            self._anchor_upto.append(last)

    def date_for(self, sent_start: int, sent_end: int, trigger_start: int, present_tense: bool = False,
                 continues_narrative: bool = True) -> TimeValue:
        """`continues_narrative=False` (e.g. a present perfect, "Russia has supported sanctions") keeps an
        undated sentence from taking the narrative's date: it says something happened by now, not then."""
        first = bisect_left(self._starts, sent_start)
        stop = bisect_left(self._starts, sent_end)
        candidates = self._dates[first:stop]
        if candidates and self._parse is not None:
            candidates = self._by_parse(candidates, trigger_start)
        if candidates:
            best = min(candidates, key=lambda e: self._cost(e, trigger_start))
            return best.time
        anchor_index = self._anchor_upto[first]
        if continues_narrative and self._parse is not None and self._parse.is_modal(trigger_start):
            continues_narrative = False  # "Putin could cease ..." is a possibility, not a step of the story
        if not present_tense and continues_narrative and anchor_index >= 0:
            return self._dates[anchor_index].time.with_basis("narrative")
        if present_tense and self._published.known:
            return self._published.with_basis("document")
        # The document date is for present-tense reporting only (issue "Time"): an undated past-tense
        # lead ("Kim Jong Un met Vladimir Putin at the cosmodrome") stays unknown rather than guessed.
        return TimeValue()

    def _by_parse(self, candidates: list[TimeExpression], trigger_start: int) -> list[TimeExpression]:
        """The governing expressions if any, else the sentence's minus those that modify a noun."""
        trigger = self._parse.token_at(trigger_start)
        if trigger is None:
            return candidates
        governing, others = [], []
        for expression in candidates:
            relation = self._parse.relation(expression, trigger)
            if relation == "governs":
                governing.append(expression)
            elif relation != "noun":
                others.append(expression)
        return governing or others

    def _cost(self, expression: TimeExpression, trigger_start: int) -> float:
        if expression.end <= trigger_start:
            distance = trigger_start - expression.end
        else:
            distance = max(0, expression.start - trigger_start)
        cost = float(distance)
        if self._text is not None:
            before = self._text[max(0, expression.start - 12):expression.start]
            if _GOVERNING_PREPOSITION.search(before):
                cost *= 0.5
            low, high = sorted((expression.start, trigger_start))
            if _CLAUSE_BREAK.search(self._text, low, high):
                cost += 200
            elif "," in self._text[low:high]:
                cost += 15  # a comma often closes the phrase the date belongs to
        if expression.time.precision in ("decade", "century"):
            cost += 50  # 'in the 1950s' governs less sharply than a year or day nearby
        return cost


_VERBS = ("VERB", "AUX")
_MODALS = POSSIBILITY_AUXILIARIES | FUTURE_AUXILIARIES | {"ca"}
# Attachment through these is still the same phrase: "in 2011", "the end of April", "last year".
_PASS_THROUGH_POS = ("ADP", "DET", "ADJ", "NUM", "PART", "CCONJ", "PUNCT", "ADV")
_CLAUSE_DEPS = ("ROOT", "conj", "advcl", "relcl", "ccomp", "xcomp", "acl", "parataxis", "pcomp", "csubj")


class _Parse:
    """Where tokens are in the document's parse pieces, and how a date attaches to a trigger."""

    def __init__(self, docs: Sequence[tuple[Any, int]]):
        self._starts: list[int] = []
        self._tokens: list[Any] = []
        for doc, offset in sorted(docs, key=lambda piece: piece[1]):
            for token in doc:
                self._starts.append(token.idx + offset)
                self._tokens.append(token)

    def token_at(self, char: int):
        index = bisect_right(self._starts, char) - 1
        return self._tokens[index] if index >= 0 else None

    def is_modal(self, char: int) -> bool:
        """Is the clause of the token at `char` modal ('could', 'might', 'will' …; not 'would',
        which narratives use for the future in the past: 'Moscow would remain aloof')?"""
        token = self.token_at(char)
        if token is None:
            return False
        # Climb from a non-finite verb ("by cooperating", "to visit") to the finite one that bears
        # the modal, stopping at a clause of its own (reported speech, relative clause).
        verb = _clause_verb(token)
        for _ in range(6):
            if any(child.dep_ == "aux" and child.lower_ in _MODALS for child in verb.children):
                return True
            if verb.dep_ in ("ROOT", "ccomp", "relcl", "parataxis") or verb.i == verb.head.i:
                return False
            verb = _clause_verb(verb.head)
        return False

    def _span_root(self, expression: TimeExpression):
        first = bisect_left(self._starts, expression.start)
        last = bisect_left(self._starts, expression.end)
        tokens = self._tokens[first:last]
        if not tokens:
            return None, ()
        inside = {token.i for token in tokens}
        roots = [token for token in tokens if token.head.i not in inside or token.head.i == token.i]
        return (roots[0] if roots else tokens[0]), inside

    def relation(self, expression: TimeExpression, trigger) -> str:
        """'governs', 'frames' (a verb above the trigger's), 'other' (another clause), 'noun'
        (modifies a common noun other than the trigger) or 'unknown' (no usable parse)."""
        root, inside = self._span_root(expression)
        if root is None or root.doc is not trigger.doc:
            return "unknown"
        if trigger.i in inside:
            return "governs"
        attached = root.head
        steps = 0
        # Climb over the preposition and function words introducing the date, and over proper
        # nouns (a date hanging off a name is almost always a misattached adverbial).
        while attached.i != attached.head.i and attached.i != trigger.i and steps < 6 and (
                attached.pos_ in _PASS_THROUGH_POS or attached.pos_ == "PROPN" or attached.i in inside):
            attached = attached.head
            steps += 1
        if attached.i == trigger.i:
            return "governs"
        if attached.pos_ == "NOUN" and attached.dep_ not in _CLAUSE_DEPS:
            return "noun"
        clause = _clause_verb(trigger)
        if attached.i == clause.i:
            return "governs"
        if attached.pos_ in _VERBS and _dominates(attached, clause):
            return "frames"
        return "other"


def _clause_verb(token):
    """The verb of the clause a token belongs to (itself when it is one)."""
    steps = 0
    while token.pos_ not in _VERBS and token.i != token.head.i and steps < 10:
        token = token.head
        steps += 1
    return token


def _dominates(upper, lower) -> bool:
    """Is `upper` an ancestor of (or the same token as) `lower`?"""
    if upper.i == lower.i:
        return True
    return any(ancestor.i == upper.i for ancestor in lower.ancestors)
