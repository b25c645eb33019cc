"""The bundled demo corpus: its shape, and the document dates detente infers for it."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from detente.api import demo_corpus
from detente.extract import tag_document_time
from detente.ingest import iter_sources
from detente.model import SourceDocument

KEY = json.loads((files("detente") / "data" / "demo_key" / "planted.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sources() -> dict[str, SourceDocument]:
    read = {}
    for item in iter_sources([str(demo_corpus())]):
        assert isinstance(item, SourceDocument), item
        read[item.name.rsplit("/", 1)[-1]] = item
    return read


def test_corpus_has_at_least_twelve_articles_of_300_to_700_words(sources):
    assert len(sources) >= 12
    for name, source in sources.items():
        words = len(source.text.split())
        assert 300 <= words <= 700, f"{name}: {words} words"
        assert source.title, f"{name} has no title"


def test_answer_key_names_only_real_files_and_at_least_three_disagreements(sources):
    assert len(KEY["conflicts"]) >= 3
    for conflict in KEY["conflicts"]:
        assert len(set(conflict["files"])) >= 2
        assert set(conflict["files"]) <= sources.keys()


@pytest.mark.parametrize("name,expected", sorted(KEY["document_dates"].items()))
def test_document_dates_are_inferred_at_the_precision_the_text_gives(sources, name, expected):
    published, _ = tag_document_time(sources[name])
    assert published.value == expected, f"{name}: {published}"
    if name in KEY.get("undated_documents", []):
        assert published.basis == "content"
    else:
        assert published.basis == "metadata"
