"""WikiWars (../shared) targets for the temporal tagger: loose F1 >= 0.88, value recall >= 0.80."""

from __future__ import annotations

import pytest

from detente.eval.wikiwars import default_directory, score


@pytest.fixture(scope="module")
def result():
    directory = default_directory()
    if not directory.is_dir() or not any(directory.glob("*.tml")):
        pytest.skip(f"WikiWars gold not found at {directory} (set DETENTE_SHARED to the shared folder)")
    return score(directory)


def test_covers_all_sixteen_files(result):
    assert len(result["files"]) == 16


def test_loose_match_f1(result):
    assert result["overall"]["f1"] >= 0.88, result["overall"]


def test_correct_value_recall(result):
    assert result["overall"]["value_recall"] >= 0.80, result["overall"]
