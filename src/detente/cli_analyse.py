"""`detente dyad`, `detente phases`, `detente brief`: the dyad analysis as text, over `detente.api`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich import box
from rich.table import Table

from detente import api
from detente.analyse.brief import FORMATS as BRIEF_FORMATS, citation
from detente.cli import (
    ActorA,
    ActorB,
    DbOption,
    JsonOption,
    LineageOption,
    MinConfidenceOption,
    _fail,
    _guard,
    _print_json,
    app,
    out,
)
INDEX_BAR_WIDTH = 10


def _index_bar(index: float | None) -> str:
    """A signed bar for the -10…+10 index: cooperation grows right of the axis, conflict left."""
    if index is None:
        return ""
    cells = round(abs(index) / 10 * INDEX_BAR_WIDTH)
    left = ("█" * cells).rjust(INDEX_BAR_WIDTH) if index < 0 else " " * INDEX_BAR_WIDTH
    right = ("█" * cells).ljust(INDEX_BAR_WIDTH) if index > 0 else " " * INDEX_BAR_WIDTH
    return f"[red]{left}[/]│[green]{right}[/]"


def _weight(value: float) -> str:
    return "" if not value else (f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}")


def _runs(series: list[dict]):
    """(first, last, row) per period with events, and (first, last, None) per run of quiet periods,
    so decades without events take one line."""
    quiet: list[str] = []
    for row in series:
        if row["events"]:
            if quiet:
                yield quiet[0], quiet[-1], None
                quiet = []
            yield row["period"], row["period"], row
        else:
            quiet.append(row["period"])
    if quiet:
        yield quiet[0], quiet[-1], None


@app.command()
def dyad(
    actor_a: ActorA,
    actor_b: ActorB,
    db: DbOption = api.default_db(),
    month: Annotated[bool, typer.Option("--month", help="One row per month instead of per year.")] = False,
    lineage: LineageOption = True,
    min_confidence: MinConfidenceOption = 0.0,
    as_json: JsonOption = False,
) -> None:
    """How a relationship moved: events by quad class and a cooperation–conflict index, per year (or month)."""
    data = _guard(lambda: api.dyad(db, actor_a, actor_b, lineage, "month" if month else "year", min_confidence))
    if as_json:
        return _print_json(data)
    title = (f"{' '.join(data['actors_a'])} – {' '.join(data['actors_b'])}: {data['event_count']} events "
             f"(each counted once; index = mean Goldstein, -10 hostile … +10 cooperative)")
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column(data["granularity"], no_wrap=True)
    for heading in ("events", "v.coop", "m.coop", "v.conf", "m.conf", "index"):
        table.add_column(heading, justify="right", no_wrap=True)
    with_bar = out.width >= 100  # the figures matter more than the picture on a narrow terminal
    if with_bar:
        table.add_column("conflict │ cooperation", no_wrap=True)
    for first, last, row in _runs(data["series"]):
        if row is None:
            table.add_row(f"{first}–{last}" if first != last else first, "[dim]none[/]")
            continue
        counts, index = row["counts"], row["index"]
        cells = [row["period"], _weight(row["events"]), _weight(counts["verbal_cooperation"]),
                 _weight(counts["material_cooperation"]), _weight(counts["verbal_conflict"]),
                 _weight(counts["material_conflict"]), "" if index is None else f"{index:+.1f}"]
        table.add_row(*cells, *([_index_bar(index)] if with_bar else []))
    out.print(table)
    unplaced = data["unplaced"]
    if unplaced["count"]:
        out.print(f"not placed in the series: {unplaced['count']} event(s) ({unplaced['reason']})", markup=False)
    if not data["series"]:
        out.print("no dated events between these actors")


@app.command()
def phases(
    actor_a: ActorA,
    actor_b: ActorB,
    db: DbOption = api.default_db(),
    lineage: LineageOption = True,
    min_confidence: MinConfidenceOption = 0.0,
    as_json: JsonOption = False,
) -> None:
    """Phases of a relationship found by change-point detection, with their key events and evidence."""
    rows = _guard(lambda: api.phases(db, actor_a, actor_b, lineage, min_confidence))
    if as_json:
        return _print_json(rows)
    if not rows:
        out.print("no dated events between these actors")
    for number, phase in enumerate(rows, 1):
        index = "no index" if phase["index"] is None else f"index {phase['index']:+.1f}"
        out.print(f"[bold]{number}. {phase['label']}[/]  ({phase['start']} – {phase['end']}, "
                  f"{_weight(phase['events']) or 0} events, {index})")
        for event in phase["key_events"]:
            evidence = event["evidence"]
            where = citation(evidence.get("doc_name"), evidence.get("sentence"))
            out.print(f"   {event['date'] or '?'}  {event['type']}  {event['source']} → {event['target']}"
                      f"  ({event['sources_count']} source(s))  {event['id']}", markup=False)
            if evidence.get("text"):
                out.print(f"      “{' '.join(evidence['text'].split())}” [{where}]", markup=False)


@app.command()
def brief(
    actor_a: ActorA,
    actor_b: ActorB,
    db: DbOption = api.default_db(),
    fmt: Annotated[str, typer.Option("--format", help="md or html.")] = "md",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    lineage: LineageOption = True,
) -> None:
    """A sourced summary of a relationship: phases, key events with citations, open conflicts."""
    if fmt not in BRIEF_FORMATS:
        _fail(f"unknown brief format {fmt!r}; choose one of {', '.join(BRIEF_FORMATS)}")
    text = _guard(lambda: api.brief(db, actor_a, actor_b, fmt, lineage))
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}", file=sys.stderr)
