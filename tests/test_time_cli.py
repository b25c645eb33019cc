"""`detente timex`: any text, --dct, --mode news|narrative|auto, durations, sets and role spans."""

from __future__ import annotations

import json

from conftest import run_cli

TEXT = ("In 1999 the talks stalled. Two years later Putin went to Pyongyang for two weeks, and envoys met "
        "twice a year during the Yeltsin years and under Gorbachev. In June they met again.")


def timex(*args: str, text: str = TEXT) -> dict[str, dict]:
    result = run_cli("timex", *args, input=text)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    for row in rows:
        assert text[row["start"]:row["end"]] == row["text"]
    return {row["text"]: row for row in rows}


def test_narrative_mode_counts_from_the_story():
    rows = timex("--dct", "2019-04-25", "--mode", "narrative")
    assert rows["Two years later"]["value"] == "2001"
    assert rows["June"]["value"] == "2001-06"
    assert (rows["two weeks"]["kind"], rows["two weeks"]["timex3"]) == ("duration", "P2W")
    assert (rows["twice a year"]["kind"], rows["twice a year"]["timex3"]) == ("set", "P1Y")
    assert rows["the Yeltsin years"]["value"] == "1991/1999"
    assert rows["under Gorbachev"]["value"] == "1985/1991"


def test_news_mode_counts_from_the_document_date():
    assert timex("--dct", "2019-04-25", "--mode", "news")["June"]["value"] == "2019-06"


def test_bad_dct_and_mode_are_reported_not_crashed():
    for args in (["--dct", "2019-02-30"], ["--dct", "soon"], ["--mode", "poetry"]):
        result = run_cli("timex", *args, input=TEXT)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr


def test_text_without_dates_gives_nothing():
    assert timex("--dct", "2019", text="Moscow and Pyongyang exchanged 1,950 notes under Resolution 84.") == {}
