"""Analyse a dyad: its trajectory (counts and a cooperation–conflict index per period), the
phases change-point detection finds in it, and a sourced brief. Plain data in and out; the
store is only read through `detente.api`."""

from detente.analyse.trajectory import QUAD_NAMES, place_event, trajectory
from detente.analyse.phases import find_phases
from detente.analyse.brief import render_brief

__all__ = ["QUAD_NAMES", "place_event", "trajectory", "find_phases", "render_brief"]
