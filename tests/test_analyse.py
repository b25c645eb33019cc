"""The dyad analysis: how dates become weight in periods, phases on the seeds, the brief, and
the `dyad` / `phases` / `brief` commands over real ledgers."""

from __future__ import annotations

import pytest

from conftest import cli_json, run_cli
from detente.analyse import find_phases, place_event, render_brief, trajectory


def _date(value: str, precision: str, start: str | None = None, end: str | None = None) -> dict:
    return {"value": value, "start": start or value, "end": end or value, "precision": precision}


def _event(event_id: str, date: dict, quad: int, goldstein: float, sources: int = 1, type_: str = "CONSULT") -> dict:
    return {"id": event_id, "date": date, "quad_class": quad, "goldstein": goldstein, "type": type_,
            "sources_count": sources, "source": [{"code": "RUS"}], "target": [{"code": "PRK"}],
            "mentions": [{"doc_id": "d", "doc_name": "a.txt", "sentence": 3, "start": 0, "end": 9,
                          "sentence_text": "Moscow met Pyongyang."}]}


def test_a_year_only_date_is_spread_over_its_months_never_put_on_january():
    weights, reason = place_event(_date("1961", "year"), "month")
    assert reason is None
    assert sorted(weights) == [f"1961-{m:02d}" for m in range(1, 13)]
    assert weights["1961-01"] == pytest.approx(31 / 365) and weights["1961-06"] == pytest.approx(30 / 365)
    assert sum(weights.values()) == pytest.approx(1.0)


def test_a_decade_is_spread_over_its_years_and_a_day_stays_in_its_month():
    weights, _ = place_event(_date("199", "decade", "1990-01-01", "1999-12-31"), "year")
    assert sorted(weights) == [str(y) for y in range(1990, 2000)]
    assert all(w == pytest.approx(0.1, abs=0.001) for w in weights.values())
    assert place_event(_date("2019-04-25", "day"), "month") == ({"2019-04": 1.0}, None)


def test_undated_and_overlong_dates_are_counted_as_unplaced_with_the_reason():
    assert place_event(None, "year") == ({}, "no date")
    assert place_event(_date("", "unknown"), "year")[1] == "unknown date precision"
    assert "longer than" in place_event(_date("19", "century", "1900-01-01", "1999-12-31"), "year")[1]
    with pytest.raises(ValueError, match="granularity"):
        place_event(_date("2019", "year"), "week")


def test_each_event_weighs_once_however_many_sources_report_it():
    series = trajectory([_event("a", _date("2000", "year"), 1, 4.0, sources=3),
                         _event("b", _date("2002-05", "month"), 4, -8.0)], "year")
    rows = {row["period"]: row for row in series["series"]}
    assert list(rows) == ["2000", "2001", "2002"]  # the quiet year shows as zero, not as a gap
    assert rows["2000"]["events"] == 1 and rows["2000"]["counts"]["verbal_cooperation"] == 1
    assert rows["2001"]["events"] == 0 and rows["2001"]["index"] is None
    assert rows["2002"]["index"] == -8.0 and rows["2002"]["counts"]["material_conflict"] == 1


def test_phases_break_where_the_relationship_turns_and_carry_evidence():
    friendly = [_event(f"f{y}", _date(str(y), "year"), 2, 7.0, type_="AID") for y in range(1950, 1960)]
    hostile = [_event(f"h{y}", _date(str(y), "year"), 4, -9.0, type_="SANCTION") for y in range(1960, 1970)]
    phases = find_phases(friendly + hostile)
    assert [(p["start"][:4], p["end"][:4]) for p in phases] == [("1950", "1959"), ("1960", "1969")]
    assert phases[0]["dominant_types"] == ["AID"] and phases[1]["dominant_types"] == ["SANCTION"]
    assert "cooperative" in phases[0]["label"] and "hostile" in phases[1]["label"]
    evidence = phases[1]["key_events"][0]["evidence"]
    assert (evidence["doc_name"], evidence["sentence"], evidence["text"]) == ("a.txt", 3, "Moscow met Pyongyang.")


def test_the_brief_cites_and_escapes():
    data = {"a": "RUS", "b": "PRK", "actors_a": ["RUS", "SUN"], "actors_b": ["PRK"],
            "series": trajectory([_event("x", _date("2000", "year"), 1, 3.0)])["series"],
            "unplaced": {"count": 0, "reason": None},
            "phases": find_phases([_event("x", _date("2000", "year"), 1, 3.0)]),
            "conflicts": [{"subject": "<b>Kim</b>", "attribute": "rank", "explanation": "differ",
                           "sides": [{"value": "major", "doc_name": "a.txt", "sentence_index": 4}]}]}
    markdown = render_brief(data, "md")
    assert "[a.txt, sentence 3]" in markdown and "> Moscow met Pyongyang." in markdown
    assert "major [a.txt, sentence 4]" in markdown
    html = render_brief(data, "html")
    assert "&lt;b&gt;Kim&lt;/b&gt;" in html and "<b>Kim</b>" not in html
    with pytest.raises(ValueError, match="format"):
        render_brief(data, "pdf")


def test_seed_phases_follow_the_history_a_reader_knows(seeds_ledger):
    """Soviet patronage, the 1990s collapse, the revival under Putin, then the 2010s: the
    change points must fall at the turns the seeds describe (1991 and 2000, within a year)."""
    db, _ = seeds_ledger
    phases = cli_json("phases", "RUS", "PRK", "--db", str(db))
    starts = [int(p["start"][:4]) for p in phases]
    assert len(phases) >= 3, phases
    assert any(abs(year - 1991) <= 1 for year in starts), starts
    assert any(abs(year - 2000) <= 1 for year in starts), starts
    nineties = next(p for p in phases if abs(int(p["start"][:4]) - 1991) <= 1)
    assert nineties["index"] < 0, "the 1990s collapse should read as hostile"
    for phase in phases:
        for event in phase["key_events"]:
            assert event["evidence"]["doc_name"] and event["evidence"]["text"], event


def test_dyad_command_counts_soviet_events_under_russia_only_with_lineage(seeds_ledger):
    db, _ = seeds_ledger
    with_lineage = cli_json("dyad", "RUS", "PRK", "--db", str(db))
    without = cli_json("dyad", "RUS", "PRK", "--db", str(db), "--no-lineage")
    assert with_lineage["actors_a"] == ["RUS", "SUN"] and without["actors_a"] == ["RUS"]
    assert with_lineage["event_count"] > without["event_count"]
    assert with_lineage["series"][0]["period"] < "1991" <= without["series"][0]["period"]
    placed = sum(row["events"] for row in with_lineage["series"])
    assert placed + with_lineage["unplaced"]["count"] == pytest.approx(with_lineage["event_count"], abs=0.01)
    table = run_cli("dyad", "North Korea", "Russia", "--db", str(db), check=True).stdout
    assert "1991" in table and "v.coop" in table


def test_brief_command_writes_a_file_with_citations_and_open_conflicts(seeds_ledger, tmp_path):
    db, _ = seeds_ledger
    target = tmp_path / "brief.html"
    run_cli("brief", "RUS", "PRK", "--db", str(db), "--format", "html", "-o", str(target), check=True)
    html = target.read_text(encoding="utf-8")
    assert html.lstrip().startswith("<") and "sentence" in html and "military rank" in html
    markdown = run_cli("brief", "RUS", "PRK", "--db", str(db), check=True).stdout
    assert markdown.startswith("# RUS – PRK") and "## Open conflicts between sources" in markdown


@pytest.mark.parametrize("args, message", [
    (("dyad", "RUS", "Atlantis"), "unknown actor 'Atlantis'"),
    (("phases", "", "PRK"), "an actor is required"),
    (("brief", "RUS", "PRK", "--format", "pdf"), "unknown brief format 'pdf'"),
])
def test_bad_requests_get_a_clear_error_and_exit_2(seeds_ledger, args, message):
    db, _ = seeds_ledger
    result = run_cli(*args, "--db", str(db))
    assert result.returncode == 2 and message in result.stderr, result.stderr


def test_a_missing_ledger_is_an_error_not_a_new_file(tmp_path):
    missing = tmp_path / "nope.db"
    result = run_cli("dyad", "RUS", "PRK", "--db", str(missing))
    assert result.returncode == 2 and not missing.exists()
