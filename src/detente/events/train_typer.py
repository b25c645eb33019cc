"""Train the learned event typer (`data/models/event_typer.json`) from the PLV sentences.

    python -m detente.events.train_typer [PLV_TSV] [--folds 5] [--output FILE]

Only the half of `PLV_train.tsv` we build on (odd `sentence_id`s) is read. Each sentence is parsed
and coded by the dictionary coder alone; the typer learns the gold type from the sentence's
features and the dictionary's types (see `detente.events.typer`). `YIELD`, an earlier PLOVER root,
is RETREAT when the sentence has a verb our lexicon codes as a retreat, else CONCEDE.

The threshold above which the typer overrides or adds to the dictionary is chosen by k-fold
cross-validation over the whole coder (each fold coded with a model that never saw it), and
those cross-validated figures are printed beside the dictionary's. Training is deterministic:
the same data gives the same file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from detente.actors import ActorResolver, Gazetteer
from detente.eval import plv
from detente.events.lexicon import Lexicon, default_lexicon
from detente.events.typer import MODEL_PATH, TypeModel, sentence_features
from detente.extract import extract_document
from detente.model import SourceDocument
from detente.nlp import load_pipeline

THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
REGULARISATION = 3.0  # inverse L2 strength (scikit-learn's C), chosen by cross-validation on the odd half
SEED = 0


class Example:
    """One PLV sentence, parsed and coded by the dictionary: what the typer trains and is judged on."""

    def __init__(self, record: dict, doc: Any, resolver: ActorResolver, lexicon: Lexicon) -> None:
        self.record = record
        self.doc = doc
        self.source = SourceDocument(name=record["id"], text=record["sentence"], metadata_date=plv.DOCUMENT_DATE)
        events = extract_document(self.source, [(doc, 0)], resolver, typer=None).events
        sentence = max(doc.sents, key=len)
        inside = [e for e in events if sentence.start_char <= e.mentions[0].start < sentence.end_char]
        self.features = sentence_features(sentence, [e.type for e in inside], [e.cameo for e in inside])
        self.label = _plover_label(record["gold_root"], sentence, inside, lexicon)


def _plover_label(gold_root: str, sentence: Any, events: list, lexicon: Lexicon) -> str:
    if gold_root != "YIELD":
        return gold_root
    retreats = {key.split()[0] for key, pattern in lexicon.verbs.items()
                if (code := lexicon.code(pattern.code)) is not None and code.plover_type == "RETREAT"}
    if any(e.type == "RETREAT" for e in events) or any(t.lemma_.lower() in retreats for t in sentence):
        return "RETREAT"
    return "CONCEDE"


def fit(examples: list[Example], threshold: float) -> TypeModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = DictVectorizer(sort=True)
    matrix = vectoriser.fit_transform([e.features for e in examples])
    labels = [e.label for e in examples]
    classifier = LogisticRegression(C=REGULARISATION, max_iter=5000, random_state=SEED)
    classifier.fit(matrix, labels)
    names = vectoriser.get_feature_names_out()
    weights = {}
    for column, name in enumerate(names):
        row = tuple(float(w) for w in classifier.coef_[:, column])
        if max(abs(w) for w in row) >= 1e-3:
            weights[str(name)] = row
    return TypeModel(tuple(str(c) for c in classifier.classes_), tuple(float(b) for b in classifier.intercept_),
                     weights, threshold)


def coded_figures(examples: list[Example], resolver: ActorResolver, model: TypeModel | None) -> dict:
    events = {e.record["id"]: [ev.to_dict() for ev in
                               extract_document(e.source, [(e.doc, 0)], resolver, typer=model).events]
              for e in examples}
    return plv.score([e.record for e in examples], events)


def cross_validate(examples: list[Example], resolver: ActorResolver, folds: int) -> dict[float, dict]:
    """Figures of the whole coder per threshold, each fold coded by a model trained without it."""
    from sklearn.model_selection import StratifiedKFold

    labels = [e.label for e in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    totals: dict[float, dict[str, int]] = {t: {"records": 0, "detected": 0, "type": 0, "pair": 0} for t in THRESHOLDS}
    for train_rows, test_rows in splitter.split(labels, labels):
        model = fit([examples[i] for i in train_rows], THRESHOLDS[0])
        held_out = [examples[i] for i in test_rows]
        for threshold in THRESHOLDS:
            figures = coded_figures(held_out, resolver, model.with_threshold(threshold))
            totals[threshold]["records"] += figures["records"]
            for key in ("detected", "type", "pair"):
                totals[threshold][key] += figures["counts"][key]
    return {t: {k: c[k] / c["records"] for k in ("detected", "type", "pair")} for t, c in totals.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", help="PLV_train.tsv (default: ../shared/data/plv/PLV_train.tsv)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    try:
        records = plv.load_records(args.file, "odd")
    except plv.PLVInputError as error:
        print(f"train_typer: {error}", file=sys.stderr)
        return 2
    nlp = load_pipeline()
    resolver = ActorResolver(Gazetteer.default())
    lexicon = default_lexicon()
    docs = nlp.pipe([r["sentence"] for r in records], batch_size=64)
    examples = [Example(record, doc, resolver, lexicon) for record, doc in zip(records, docs)]
    rules = coded_figures(examples, resolver, None)
    print(f"odd half, {len(examples)} sentences; dictionary alone: detected {rules['detected']:.3f} "
          f"type {rules['type']:.3f} pair {rules['pair']:.3f}")
    by_threshold = cross_validate(examples, resolver, args.folds)
    for threshold, figures in by_threshold.items():
        print(f"  {args.folds}-fold CV, threshold {threshold:.2f}: detected {figures['detected']:.3f} "
              f"type {figures['type']:.3f} pair {figures['pair']:.3f}")
    # Pair right needs type and actors right: the figure users feel most. Ties go to the higher threshold.
    best = max(THRESHOLDS, key=lambda t: (round(by_threshold[t]["pair"] + by_threshold[t]["type"], 3), t))
    model = fit(examples, best)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(model.to_json(), sort_keys=True, separators=(",", ":")) + "\n",
                           encoding="utf-8")
    print(f"threshold {best:.2f}; {len(model.weights)} features x {len(model.classes)} types -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
