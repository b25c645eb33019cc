"""The PLV scorer (`python -m detente.eval.plv`): its rules, its agreement with the independent
reference scorer, and accuracy floors of the event coder on the held-out (even) half of PLV_train.

The PLV file and the reference scorer are read from ../shared (skipped with a message when absent).
The floors sit 0.02 under the figures measured when they were set; raise them as the coder
improves, never lower them to make a change pass."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT, shared_path
from detente.eval.plv import PLVInputError, load_records, main, score

# Measured with `python -m detente.eval.plv --half even` (in-process, equal to
# ../shared/tools/score_plv.py), 528 records: before issue 12 detected 0.598, type 0.466, pair 0.229;
# now detected 0.89, type 0.69, pair 0.37. Floors = today's minus 0.02.
TYPE_FLOOR = 0.67  # measured 0.69 with the agents pass and the learned typer (issue 12 asks 0.70)
PAIR_FLOOR = 0.35  # measured 0.37 (issue 12 asks 0.50)


def record(gold: str, source: str = "Russia", target: str = "China", id: str = "0") -> dict:
    return {"id": id, "sentence_id": 1, "sentence": "", "source": source, "target": target, "gold_root": gold}


def event(kind: str, source: str | None = "Russia", target: str | None = "China") -> dict:
    return {"type": kind, "source": [{"text": source}] if source else [], "target": [{"text": target}] if target else []}


def figures(gold_record: dict, events: list[dict]) -> tuple[float, float, float]:
    result = score([gold_record], {gold_record["id"]: events})
    return result["detected"], result["type"], result["pair"]


# ---------------------------------------------------------------- rules, on hand-made records

@pytest.mark.parametrize("kind", ["CONCEDE", "RETREAT"])
def test_yield_is_concede_or_retreat(kind):
    assert figures(record("YIELD"), [event(kind)]) == (1.0, 1.0, 1.0)


def test_yield_is_not_another_type():
    assert figures(record("YIELD"), [event("AGREE")]) == (1.0, 0.0, 0.0)


@pytest.mark.parametrize("kind", ["CONSULT", "AGREE", "COOPERATE"])
def test_symmetric_types_match_either_direction(kind):
    assert figures(record(kind), [event(kind, "China", "Russia")]) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize("kind", ["ACCUSE", "AID", "ASSAULT"])
def test_directed_types_need_the_marked_direction(kind):
    assert figures(record(kind), [event(kind, "China", "Russia")]) == (1.0, 1.0, 0.0)
    assert figures(record(kind), [event(kind, "Russia", "China")]) == (1.0, 1.0, 1.0)


def test_wrong_type_never_counts_for_pair():
    # The wrong-type event has the right actors, the right-type event the wrong ones: no pair.
    events = [event("ACCUSE", "Russia", "China"), event("AGREE", "Japan", "Korea")]
    assert figures(record("AGREE"), events) == (1.0, 1.0, 0.0)
    assert figures(record("AGREE"), [event("ACCUSE", "Russia", "China")]) == (1.0, 0.0, 0.0)


def test_no_event_is_not_detected():
    assert figures(record("AGREE"), []) == (0.0, 0.0, 0.0)


def test_overlap_is_a_shared_word_not_a_stop_word():
    gold = record("ACCUSE", source="the Russian Ministry of Defence", target="Ukraine's army")
    assert figures(gold, [event("ACCUSE", "Russian Ministry", "army")])[2] == 1.0
    # "the" and "of" are stop words: sharing only them is no overlap.
    assert figures(gold, [event("ACCUSE", "the head of state", "Ukraine")])[2] == 0.0
    # Case and punctuation do not matter.
    assert figures(gold, [event("ACCUSE", "RUSSIAN", "ukraine's")])[2] == 1.0


def test_both_sides_needed():
    assert figures(record("ACCUSE"), [event("ACCUSE", "Russia", None)]) == (1.0, 1.0, 0.0)
    assert figures(record("ACCUSE"), [event("ACCUSE", None, "China")]) == (1.0, 1.0, 0.0)


def test_any_actor_of_a_side_may_match():
    many = {"type": "AID", "source": [{"text": "Japan"}, {"text": "Russia"}], "target": [{"text": "China"}]}
    assert figures(record("AID"), [many]) == (1.0, 1.0, 1.0)


def test_per_type_table_and_confusion():
    records = [record("AGREE", id="0"), record("AGREE", id="1"), record("YIELD", id="2"), record("ACCUSE", id="3")]
    events = {"0": [event("AGREE")], "1": [event("SUPPORT"), event("CONSULT")], "2": [event("RETREAT", "Japan")]}
    result = score(records, events)
    assert result["records"] == 4
    assert result["counts"] == {"detected": 3, "type": 2, "pair": 1}
    assert (result["detected"], result["type"], result["pair"]) == (0.75, 0.5, 0.25)
    assert result["per_type"]["AGREE"] == {"records": 2, "type": 0.5, "pair": 0.5}
    assert result["per_type"]["YIELD"] == {"records": 1, "type": 1.0, "pair": 0.0}
    assert result["type_misses"]["AGREE"] == {"missed": 1, "produced": [["CONSULT", 1], ["SUPPORT", 1]]}
    assert result["type_misses"]["ACCUSE"] == {"missed": 1, "produced": [["(none)", 1]]}
    assert "YIELD" not in result["type_misses"]


# ---------------------------------------------------------------- input handling

def write_tsv(path, header: str, *rows: str):
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


HEADER = "sentence_id\tsentence\tmarked_sentence\tsource\ttarget\tgold_penta\tgold_root"


def test_load_records_splits_by_parity_and_numbers_each_half(tmp_path):
    tsv = write_tsv(tmp_path / "p.tsv", HEADER, *(f"{n}\ts{n}\tm\tA\tB\t1\tAGREE" for n in range(1, 6)))
    odd = load_records(tsv, "odd")
    even = load_records(tsv, "even")
    assert [r["sentence_id"] for r in odd] == [1, 3, 5] and [r["id"] for r in odd] == ["0", "1", "2"]
    assert [r["sentence_id"] for r in even] == [2, 4] and [r["id"] for r in even] == ["0", "1"]
    assert len(load_records(tsv, "all")) == 5


@pytest.mark.parametrize("content, message", [
    ("sentence_id\tsentence\n1\tx\n", "lacks column(s) source, target, gold_root"),
    (HEADER + "\n1\tx\tm\tA\n", "line 2: the row has no"),
    (HEADER + "\nabc\tx\tm\tA\tB\t1\tAGREE\n", "sentence_id 'abc' is not a whole number"),
    (HEADER + "\n1\tx\tm\tA\tB\t1\t\n", "empty gold_root"),
    ("", "lacks column(s)"),
])
def test_bad_rows_are_clear_errors(tmp_path, capsys, content, message):
    tsv = tmp_path / "bad.tsv"
    tsv.write_text(content, encoding="utf-8")
    with pytest.raises(PLVInputError, match=re.escape(message)):
        load_records(tsv, "all")
    assert main([str(tsv), "--half", "all"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_file_exits_2(tmp_path, capsys):
    assert main([str(tmp_path / "absent.tsv")]) == 2
    assert "not found" in capsys.readouterr().err


def test_missing_file_exits_2_from_the_command_line(tmp_path):
    run = subprocess.run([sys.executable, "-m", "detente.eval.plv", str(tmp_path / "absent.tsv")],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "not found" in run.stderr and "Traceback" not in run.stderr


# ---------------------------------------------------------------- the real pipeline on PLV_train

@pytest.fixture(scope="module")
def plv_path():
    return shared_path("data", "plv", "PLV_train.tsv")


@pytest.fixture(scope="module")
def coded(plv_path):
    """Each half's records coded once for the module (the spaCy pipeline loads once, cached by detente.nlp)."""
    from detente.eval.plv import code_records

    cache: dict[str, dict] = {}

    def get(half: str) -> dict:
        if half not in cache:
            records = load_records(plv_path, half)
            problems: list[str] = []
            cache[half] = score(records, code_records(records, on_error=problems.append))
            assert not problems, problems
        return cache[half]

    return get


def test_figures_equal_the_reference_scorer_on_the_odd_half(plv_path, coded):
    reference = shared_path("tools", "score_plv.py")
    run = subprocess.run([sys.executable, str(reference), str(plv_path), "--half", "odd"], cwd=ROOT,
                         capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stdout + run.stderr
    found = re.search(r"PLV odd half: records=(\d+) detect=([\d.]+) type=([\d.]+) pair=([\d.]+)", run.stdout)
    assert found, f"unexpected reference output: {run.stdout!r}"
    ours = coded("odd")
    assert (str(ours["records"]), f"{ours['detected']:.2f}", f"{ours['type']:.2f}", f"{ours['pair']:.2f}") == \
        found.groups(), (run.stdout, ours)


def test_even_half_type_floor(coded):
    result = coded("even")
    assert result["type"] >= TYPE_FLOOR, {k: result[k] for k in ("records", "detected", "type", "pair")}


def test_even_half_pair_floor(coded):
    result = coded("even")
    assert result["pair"] >= PAIR_FLOOR, {k: result[k] for k in ("records", "detected", "type", "pair")}
