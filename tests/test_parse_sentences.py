"""Sentence boundaries at line breaks: a headline or a dateline is its own sentence, while the
line breaks of hard-wrapped prose or of a sentence running on to the next line are not ends."""

from __future__ import annotations

import pytest

from detente.nlp import load_pipeline, looks_hard_wrapped


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def _sentences(nlp, text: str) -> list[str]:
    return [sentence.text.strip() for sentence in nlp(text).sents if sentence.text.strip()]


def test_a_headline_is_not_run_into_the_dateline_and_lead(nlp):
    text = ("Russia and North Korea pledge mutual military aid in new treaty\n"
            "MOSCOW, June 20, 2024 — Russia and North Korea have signed a treaty, the most significant "
            "agreement between the two states since the end of the Cold War.\n")
    sentences = _sentences(nlp, text)
    assert sentences[0] == "Russia and North Korea pledge mutual military aid in new treaty"
    assert sentences[1].startswith("MOSCOW, June 20, 2024")


def test_a_sentence_running_on_to_the_next_line_stays_whole(nlp):
    sentences = _sentences(nlp, "The Soviet Union and North Korea signed a\ntreaty of friendship in 1961. "
                                "It was\nrenewed later.\n\nA new paragraph starts here.")
    assert sentences == ["The Soviet Union and North Korea signed a\ntreaty of friendship in 1961.",
                         "It was\nrenewed later.", "A new paragraph starts here."]


def test_hard_wrapped_prose_breaks_only_at_blank_lines(nlp):
    wrapped = ("Moscow and Pyongyang signed the treaty of friendship in July 1961, a pact\n"
               "Soviet diplomats described as the keystone of their position in Asia\n"
               "North Korean officials welcomed it in public but kept their distance\n"
               "Chinese envoys signed a similar treaty days later in Beijing and the\n"
               "Korean leadership played the two patrons against each other for years.\n")
    assert looks_hard_wrapped(wrapped)
    assert len(_sentences(nlp, wrapped)) <= 2
    assert not looks_hard_wrapped("Headline\nDateline — a first paragraph that runs long. " * 3)
