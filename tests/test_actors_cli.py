"""`detente actors` and user gazetteers through the CLI (issue "Actors")."""

import json

from conftest import cli_json, run_cli

ZEMBLAN_GAZETTEER = """version: 1
actors:
  - code: ZMB_PARTY
    name: Zemblan Workers' Front
    kind: group
    country: RUS
    sector: OPP
    aliases: [the Workers' Front]
"""


def test_actors_lists_searches_and_shows(seeds_ledger):
    db, _ = seeds_ledger
    listed = cli_json("actors", "--db", str(db), "--limit", "5")
    assert len(listed) == 5 and listed[0]["events"] >= listed[-1]["events"] > 0
    kims = {row["code"] for row in cli_json("actors", "Kim", "--db", str(db))}
    assert {"kim_il_sung", "kim_jong_il", "kim_jong_un"} <= kims
    putin = cli_json("actors", "show", "vladimir_putin", "--db", str(db))
    titles = {(role["title"], role["from"][:4]) for role in putin["roles"]}
    assert ("Prime Minister", "2008") in titles and ("President", "2000") in titles
    assert putin["events"] > 0
    russia = cli_json("actors", "show", "RUS", "--db", str(db))
    assert russia["lineage"] == ["RUS", "SUN"] and russia["events_involving"] >= russia["events"]
    table = run_cli("actors", "show", "RUS", "--db", str(db), check=True).stdout
    assert "RUS → SUN" in table


def test_unknown_actor_is_a_clear_error(seeds_ledger):
    db, _ = seeds_ledger
    result = run_cli("actors", "show", "NO_SUCH_ACTOR", "--db", str(db))
    assert result.returncode == 2 and "unknown actor" in result.stderr


def test_user_gazetteer_adds_an_actor_that_appears_in_events(tmp_path):
    gazetteer = tmp_path / "zembla.yaml"
    gazetteer.write_text(ZEMBLAN_GAZETTEER, encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text("Workers unrest\n\nIn March 2021, the Zemblan Workers' Front accused Russia of election fraud.\n",
                       encoding="utf-8")
    db = tmp_path / "ledger.db"
    report = cli_json("ingest", str(article), "--db", str(db), "--gazetteer", str(gazetteer))
    assert report["added"] == 1
    events = cli_json("events", "--actor", "ZMB_PARTY", "--db", str(db))
    assert events and events[0]["source"][0]["code"] == "ZMB_PARTY" and events[0]["type"] == "ACCUSE"
    # The ledger remembers its gazetteer: later commands find the actor without --gazetteer.
    assert cli_json("actors", "show", "ZMB_PARTY", "--db", str(db))["events"] == 1


def test_bad_user_gazetteer_stops_before_anything_is_written(tmp_path):
    gazetteer = tmp_path / "bad.yaml"
    gazetteer.write_text(ZEMBLAN_GAZETTEER + "  - code: ZMB_PARTY\n    name: Again\n    kind: group\n", encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text("Russia accused Ukraine of shelling in 2022.\n", encoding="utf-8")
    db = tmp_path / "ledger.db"
    result = run_cli("ingest", str(article), "--db", str(db), "--gazetteer", str(gazetteer))
    assert result.returncode != 0
    assert "bad.yaml" in result.stderr and "line" in result.stderr and "ZMB_PARTY" in result.stderr
    if db.exists():
        assert cli_json("stats", "--db", str(db))["documents"] == 0
        assert "gazetteers" not in json.dumps(cli_json("stats", "--db", str(db)))
