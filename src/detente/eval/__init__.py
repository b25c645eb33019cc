"""Evaluation harnesses: score detente's stages against third-party gold data in ../shared."""

from __future__ import annotations

import os
from pathlib import Path


def shared_dir() -> Path:
    """The read-only shared material: env DETENTE_SHARED, else ../shared next to the repo root."""
    env = os.environ.get("DETENTE_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared"
