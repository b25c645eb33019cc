"""Event filters on the command line, over the seed ledger built once per session."""

from __future__ import annotations

import json

from conftest import run_cli


def _events(db, *options):
    result = run_cli("events", "--db", str(db), "--json", *options)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_modality_filter_keeps_only_the_asked_modalities(seeds_ledger):
    db, _report = seeds_ledger
    everything = _events(db)
    counted = _events(db, "--modality", "asserted", "--modality", "reported")
    assert {e["modality"] for e in counted} <= {"asserted", "reported"}
    assert len(counted) == sum(e["modality"] in ("asserted", "reported") for e in everything)


def test_unknown_modality_is_a_clear_error(seeds_ledger):
    db, _report = seeds_ledger
    result = run_cli("events", "--db", str(db), "--modality", "rumoured")
    assert result.returncode == 2
    assert "unknown modality rumoured" in (result.stderr + result.stdout)


def test_min_confidence_drops_weaker_events_and_untargeted_ones(seeds_ledger):
    db, _report = seeds_ledger
    everything = _events(db)
    confident = _events(db, "--min-confidence", "0.5")
    assert confident and len(confident) < len(everything)
    assert all(e["confidence"] >= 0.5 for e in confident)
    # One-actor events of acts that normally have a counterpart are held below 0.5: only acts that
    # need none (withdrawals, protests, mobilisation) stay, so the untargeted share falls sharply.
    untargeted_share = lambda rows: sum(not e["target"] for e in rows) / len(rows)  # noqa: E731
    assert untargeted_share(confident) < untargeted_share(everything) / 3
