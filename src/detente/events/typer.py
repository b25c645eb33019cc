"""A learned event typer: which PLOVER type a sentence's main event has.

The dictionary coder reads verbs it knows; news uses many it does not, and the same verb
means different things beside different objects. The typer is a multinomial logistic
regression over the sentence's words, its main predicate (lemma, particle, object, complement,
negation, modal) and the types the dictionary coder gave it, trained by
`python -m detente.events.train_typer` on the PLV sentences we may build on (odd
`sentence_id`s) and stored as plain weights in `data/models/event_typer.json`. Applying it is a
few dictionary lookups per sentence, so ingest speed holds.

It decides two things in the coder (see `revise_sentence` in `detente.events.extract`): the type of
the main predicate's event when it confidently disagrees with the dictionary, and a new event
for a main predicate the dictionary did not read, when the predicate has an actor for a subject.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "event_typer.json"
MODEL_FORMAT = 1

Token = Any

# Verbs that report another clause: the event is in what they report.
REPORTING_VERBS = frozenset({"say", "tell", "report", "announce", "claim", "state", "add", "note", "write",
                             "insist", "confirm", "reveal", "indicate", "suggest", "assert", "explain", "argue",
                             "believe", "accord", "quote"})
_MODALS = frozenset({"will", "would", "could", "may", "might", "must", "should", "can", "shall"})


def main_predicate(sentence: Any) -> Token | None:
    """The clause a sentence is about: its root verb, or what a reporting root reports."""
    root = sentence.root
    if root.pos_ not in ("VERB", "AUX"):
        verbs = [t for t in sentence if t.pos_ == "VERB"]
        if not verbs:
            return None
        root = verbs[0]
    for _ in range(3):
        if root.lemma_.lower() not in REPORTING_VERBS:
            break
        reported = [c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
        if not reported:
            break
        root = reported[0]
    return root


def sentence_features(sentence: Any, rule_types: Iterable[str], rule_codes: Iterable[str] = ()) -> dict[str, int]:
    """Binary features of a sentence; the same function serves training and coding."""
    features: dict[str, int] = {}
    for token in sentence:
        lemma = token.lemma_.lower()
        if token.is_alpha and not token.is_stop:
            features["w=" + lemma] = 1
        if token.pos_ == "VERB":
            features["v=" + lemma] = 1
            for child in token.children:
                dep = child.dep_
                if dep in ("prt", "prep", "agent"):
                    features[f"vp={lemma}_{child.lower_}"] = 1
                elif dep in ("dobj", "nsubjpass", "attr"):
                    features[f"vo={lemma}_{child.lemma_.lower()}"] = 1
                elif dep == "xcomp":
                    features[f"vx={lemma}_{child.lemma_.lower()}"] = 1
                elif dep == "neg":
                    features["neg"] = 1
                    features["negv=" + lemma] = 1
                elif dep == "aux" and child.lower_ in _MODALS:
                    features["aux=" + child.lower_] = 1
        elif token.pos_ == "NOUN" and token.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass"):
            features["n=" + lemma] = 1
    predicate = main_predicate(sentence)
    if predicate is not None:
        features["root=" + predicate.lemma_.lower()] = 1
    for kind in rule_types:
        features["rule=" + kind] = 1
    for code in rule_codes:
        features["rulecameo=" + code[:3]] = 1
    return features


@dataclass(frozen=True)
class TypeModel:
    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    # How likely a type must be to override the dictionary or add an event (chosen by cross-validation).
    threshold: float = 0.5

    def with_threshold(self, threshold: float) -> "TypeModel":
        return TypeModel(self.classes, self.bias, self.weights, threshold)

    def probabilities(self, features: dict[str, int]) -> dict[str, float]:
        scores = list(self.bias)
        for name in features:
            row = self.weights.get(name)
            if row is not None:
                for k, weight in enumerate(row):
                    scores[k] += weight
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {kind: e / total for kind, e in zip(self.classes, exps)}

    def to_json(self) -> dict:
        return {"format": MODEL_FORMAT, "classes": list(self.classes), "threshold": self.threshold,
                "bias": [round(b, 5) for b in self.bias],
                "weights": {name: [round(w, 5) for w in row] for name, row in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: dict, path: Path | str = MODEL_PATH) -> "TypeModel":
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"{path}: event typer format {data.get('format')!r}, expected {MODEL_FORMAT}")
        classes = tuple(data["classes"])
        width = len(classes)
        weights = {name: tuple(row) for name, row in data["weights"].items()}
        if len(data["bias"]) != width or any(len(row) != width for row in weights.values()):
            raise ValueError(f"{path}: every weight row must have one value per class ({width})")
        threshold = float(data["threshold"])
        if not 0 <= threshold <= 1:
            raise ValueError(f"{path}: threshold {threshold} is not a probability")
        return cls(classes, tuple(data["bias"]), weights, threshold)


@lru_cache(maxsize=1)
def default_model() -> TypeModel | None:
    """The shipped model, or None when it has not been trained (the coder then runs on rules alone)."""
    if not MODEL_PATH.exists():
        return None
    return TypeModel.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
