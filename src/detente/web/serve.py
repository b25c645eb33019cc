"""Run the web app with uvicorn (what `detente serve` calls)."""

from __future__ import annotations

import sys

from collections.abc import Callable
from pathlib import Path


def run(db: str | Path, host: str = "127.0.0.1", port: int = 8765,
        announce: Callable[[str], None] | None = None) -> None:
    import uvicorn

    from detente.web.app import create_app

    app = create_app(db)  # fails here, before binding, when the ledger is missing
    shown_host = f"[{host}]" if ":" in host else host
    if announce:
        announce(f"http://{shown_host}:{port}/")
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: bound to {host}: anyone who can reach this address can read the ledger and review "
              "its conflicts (there is no login)", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
