"""Actors: the gazetteer (states, IGOs, people with dated roles) and resolution of mentions.

    gazetteer = Gazetteer.default()            # or Gazetteer.load([Path("my_actors.yaml")])
    mentions = ActorResolver(gazetteer).resolve(doc, date_of=lambda char: "2011")
"""

from detente.actors.gazetteer import (
    Gazetteer,
    GazetteerError,
    date_bounds,
    fold_text,
    role_at,
)
from detente.actors.resolver import ActorResolver, resolve_pronouns

__all__ = [
    "ActorResolver",
    "Gazetteer",
    "GazetteerError",
    "date_bounds",
    "fold_text",
    "resolve_pronouns",
    "role_at",
]
