"""The learned event typer: its stored model, how the coder uses it, and that training reproduces it."""

from __future__ import annotations

import json

import pytest

from conftest import shared_path
from detente.events.typer import MODEL_PATH, TypeModel, default_model, main_predicate, sentence_features


@pytest.fixture(scope="module")
def nlp():
    from detente.nlp import load_pipeline

    return load_pipeline()


def test_shipped_model_loads_and_is_small():
    model = default_model()
    assert model is not None
    assert set(model.classes) <= {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                                  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
    assert 0 < model.threshold < 1
    assert MODEL_PATH.stat().st_size < 100 * 1024 * 1024


def test_probabilities_sum_to_one_and_follow_the_weights():
    model = TypeModel(("ACCUSE", "AID"), (0.0, 0.0), {"w=condemn": (2.0, -2.0)}, 0.5)
    p = model.probabilities({"w=condemn": 1, "w=unknown": 1})
    assert p["ACCUSE"] > 0.95 and abs(sum(p.values()) - 1) < 1e-9
    assert model.probabilities({})["ACCUSE"] == pytest.approx(0.5)


def test_malformed_model_is_refused(tmp_path):
    good = default_model().to_json()
    for broken in ({**good, "format": 99}, {**good, "bias": good["bias"][:-1]}, {**good, "threshold": 3}):
        with pytest.raises(ValueError):
            TypeModel.from_json(json.loads(json.dumps(broken)), tmp_path / "m.json")


def test_main_predicate_looks_through_reporting_verbs(nlp):
    doc = nlp("Officials said the army shelled the town.")
    assert main_predicate(next(doc.sents)).lemma_ == "shell"
    features = sentence_features(next(doc.sents), ["ASSAULT"], ["190"])
    assert {"root=shell", "rule=ASSAULT", "rulecameo=190", "v=shell"} <= set(features)


def test_typer_adds_an_event_the_dictionary_cannot_read():
    from detente.eval.plover import Pipeline

    pipeline = Pipeline()
    text = "A Nigerian court convicted 45 Boko Haram members in a mass trial."
    rules = pipeline.events(text, "2019-01-01", "t", typer=None)
    learned = pipeline.events(text, "2019-01-01", "t")
    assert len(learned) >= len(rules)
    added = [e for e in learned if e not in rules]
    assert all(e.confidence <= 0.6 for e in added)


def test_training_reproduces_the_shipped_model(tmp_path):
    path = shared_path("data", "plv", "PLV_train.tsv")
    pytest.importorskip("sklearn", reason="scikit-learn trains the typer (pip install -e '.[test]')")
    from detente.events import train_typer

    output = tmp_path / "typer.json"
    assert train_typer.main([str(path), "--output", str(output), "--folds", "5"]) == 0
    assert json.loads(output.read_text()) == json.loads(MODEL_PATH.read_text())
