"""Event coding: who did what to whom, typed in PLOVER 2.0 with CAMEO code, quad class and Goldstein value."""

from detente.events.extract import extract_events
from detente.events.lexicon import CameoCode, Lexicon, Pattern, default_lexicon, load_lexicon

__all__ = ["extract_events", "CameoCode", "Lexicon", "Pattern", "default_lexicon", "load_lexicon"]
