"""Shared fixtures: where ../shared is, a CLI runner, and ledgers built once per session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DETENTE_SHARED", ROOT.parent / "shared"))
CLI = [sys.executable, "-m", "detente.cli"]


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or a clear skip when it is absent (as in a user's clone)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: these checks need the ../shared folder beside the project")
    return path


def run_cli(*args: str, input: str | bytes | None = None, check: bool = False, env: dict | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the real `detente` command in a subprocess, as a user would."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("DETENTE_DB", None)
    text = not isinstance(input, bytes)
    result = subprocess.run([*CLI, *args], input=input, capture_output=True, text=text, env=full_env,
                            timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"detente {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def cli_json(*args: str, **kwargs):
    return json.loads(run_cli(*args, "--json", check=True, **kwargs).stdout)


@pytest.fixture(scope="session")
def seeds_ledger(tmp_path_factory) -> tuple[Path, dict]:
    """The five seed articles ingested once for the whole session: (ledger path, ingest report)."""
    seeds = shared_path("seeds")
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    result = run_cli("ingest", str(seeds), "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    return db, json.loads(result.stdout)


@pytest.fixture(scope="session")
def demo_ledger(tmp_path_factory) -> tuple[Path, dict]:
    """The bundled demo corpus ingested once for the whole session."""
    from detente.api import demo_corpus

    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = run_cli("ingest", str(demo_corpus()), "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    return db, json.loads(result.stdout)
