"""The local web UI (`detente serve`): pages and a JSON API over one ledger."""

from detente.web.app import create_app

__all__ = ["create_app"]
