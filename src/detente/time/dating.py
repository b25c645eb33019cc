"""Dating events by what the text says, not by when it was published.

The rule: the date expression in the trigger's sentence that governs it (nearest, preferring
one introduced by in/on/during/since/by and one not cut off by a clause break); else the
narrative anchor, the last stated date before the sentence; else, for a present-tense
sentence only, the publication date; else unknown.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from detente.model import TimeExpression, TimeValue

_GOVERNING_PREPOSITION = re.compile(
    r"\b(?:in|on|during|since|by|until|till|from|at|throughout|through|before|after|between|of)\s*$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:]|\s[–—-]\s|\bwhile\b|\bwhereas\b")


class EventDater:
    """Dates event triggers of one document. `expressions` are that document's (any order);
    `text`, when given, lets the dater see the preposition before a date and clause breaks."""

    def __init__(self, expressions: list[TimeExpression], published: TimeValue | None, text: str | None = None):
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
        if first < stop:
            best = min(self._dates[first:stop], key=lambda e: self._cost(e, trigger_start))
            return best.time
        anchor_index = self._anchor_upto[first]
        if not present_tense and continues_narrative and anchor_index >= 0:
            return self._dates[anchor_index].time.with_basis("narrative")
        if present_tense and self._published.known:
            return self._published.with_basis("document")
        return TimeValue()

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
