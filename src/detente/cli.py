"""The `detente` command: a thin shell over `detente.api` that only parses and formats."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich import box
from rich.markup import escape
from rich.table import Table

from detente import api

app = typer.Typer(
    name="detente",
    help="Turn articles about relations between states into a sourced, dated event ledger.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)

DbOption = Annotated[Path, typer.Option("--db", envvar=api.DB_ENV, help="Ledger file (SQLite).",
                                        show_default=True)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ActorA = Annotated[str, typer.Argument(help="First actor: a code (RUS) or a name (Russia).")]
ActorB = Annotated[str, typer.Argument(help="Second actor: a code (PRK) or a name.")]
LineageOption = Annotated[bool, typer.Option("--lineage/--no-lineage",
                                             help="Let an actor include its predecessors (RUS includes SUN).")]
ModelOption = Annotated[Optional[str], typer.Option("--model", envvar="DETENTE_SPACY_MODEL",
                                                    help="Installed spaCy pipeline (package name or path).")]
GazetteerOption = Annotated[Optional[list[Path]], typer.Option("--gazetteer", help="Extra gazetteer file (YAML or CSV); repeatable.")]
MinConfidenceOption = Annotated[float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Drop events below this confidence.")]


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _guard(call):
    """Turn the errors a user can cause into one clear line and exit code 2."""
    from detente.store import LedgerError

    try:
        return call()
    except (LedgerError, ValueError, FileNotFoundError) as error:
        _fail(str(error))


def _actors(side: list[dict]) -> str:
    return ", ".join(a.get("name") or a.get("code") for a in side) or "-"


def _date(date: dict) -> str:
    value = date.get("value") or "?"
    if date.get("modifier"):
        value = f"{date['modifier']} {value}"
    return value


# ---------------------------------------------------------------- ingest

@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, http(s) URLs, or - for stdin.")],
    db: DbOption = api.default_db(),
    glob: Annotated[Optional[str], typer.Option("--glob", help="Only files matching this pattern in directories, e.g. '*.txt'.")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Parser processes.")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Texts per spaCy batch.")] = 16,
    max_mb: Annotated[float, typer.Option("--max-mb", min=0.001, help="Largest file or download accepted, in MB.")] = 50.0,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait on a URL.")] = 20.0,
    model: ModelOption = None,
    gazetteer: GazetteerOption = None,
    as_json: JsonOption = False,
) -> None:
    """Read sources into the ledger: added, unchanged, skipped and failed are summed up at the end.

    Exit code 1 when any source failed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    options = api.IngestOptions(max_bytes=int(max_mb * 1024 * 1024), timeout=timeout, glob=glob, workers=workers,
                                batch_size=batch_size, model=model, gazetteers=list(gazetteer or []))
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=None),
                        MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                        console=err, transient=False, disable=as_json)
    import time as clock

    started = clock.perf_counter()
    with progress:
        task = progress.add_task("ingesting", total=None, rate="")

        def on_progress(name: str, outcome: str) -> None:
            progress.advance(task)
            done = progress.tasks[0].completed
            rate = done / max(clock.perf_counter() - started, 1e-6)
            progress.update(task, description=f"{outcome:<9} {Path(name).name[:40]}", rate=f"{rate:.1f} docs/s")

        stdin = sys.stdin.buffer if "-" in inputs else None
        try:
            report = api.ingest(inputs, db, options, stdin=stdin, on_progress=on_progress)
        except Exception as error:
            from detente.nlp import PipelineError
            from detente.store import LedgerError

            if isinstance(error, (PipelineError, LedgerError)):
                _fail(str(error))
            raise
    if as_json:
        _print_json(report.to_dict())
    else:
        _print_ingest_report(report)
    raise typer.Exit(0 if report.ok else 1)


def _print_ingest_report(report: api.IngestReport) -> None:
    for name, reason in report.skipped:
        err.print(f"[yellow]skipped[/] {name}: {reason}")
    for name, reason in report.failed:
        err.print(f"[red]failed[/]  {name}: {reason}")
    for name, warning in report.warnings:
        err.print(f"[yellow]warning[/] {name}: {warning}")
    rate = len(report.added) / report.seconds if report.seconds else 0.0
    out.print(
        f"added {len(report.added)}, unchanged {len(report.unchanged)}, skipped {len(report.skipped)}, "
        f"failed {len(report.failed)} — {report.events} events, {report.sentences} sentences "
        f"in {report.seconds:.2f}s ({rate:.1f} docs/s)"
    )


@app.command()
def demo(
    db: DbOption = api.default_db(),
    actor_a: Annotated[str, typer.Option("--a", help="First actor of the timeline shown.")] = "RUS",
    actor_b: Annotated[str, typer.Option("--b", help="Second actor of the timeline shown.")] = "PRK",
) -> None:
    """Ingest the bundled demo corpus, then print the Russia–North Korea timeline, trajectory, phases,
    conflicts and the ledger's stats."""
    corpus = api.demo_corpus()
    out.print(f"[bold]demo corpus[/] {corpus}")
    report = api.ingest([str(corpus)], db)
    _print_ingest_report(report)
    timeline(actor_a, actor_b, db=db, lineage=True, min_confidence=0.0, as_json=False)
    from detente.cli_analyse import dyad
    from detente.cli_conflicts import print_conflict

    out.print()
    dyad(actor_a, actor_b, db=db, month=False, lineage=True, min_confidence=0.0, as_json=False)
    out.print(f"\n[bold]Phases[/] (change points; `detente phases {actor_a} {actor_b}` for key events and evidence)")
    for number, phase in enumerate(_guard(lambda: api.phases(db, actor_a, actor_b)), 1):
        out.print(f"  {number}. {phase['label']}", markup=False)

    found = _guard(lambda: api.conflicts(db))
    out.print(f"\n[bold]Where the sources disagree: {len(found)} conflict(s)[/] (review with `detente conflicts review`)")
    for row in found:
        print_conflict(row)
    stats(db=db, as_json=False)
    if not report.ok:
        raise typer.Exit(1)


# ---------------------------------------------------------------- queries

@app.command()
def docs(db: DbOption = api.default_db(), as_json: JsonOption = False) -> None:
    """List the documents in the ledger with their inferred dates."""
    rows = _guard(lambda: api.documents(db))
    if as_json:
        return _print_json(rows)
    # Ids and dates are what a user cites: they never wrap; a file's folder is in --json.
    table = Table(title=f"{len(rows)} documents", box=box.SIMPLE_HEAD)
    table.add_column("id", no_wrap=True, min_width=16)
    table.add_column("document", overflow="fold", ratio=1)
    table.add_column("published", no_wrap=True, min_width=10)
    table.add_column("basis", no_wrap=True, min_width=8)
    table.add_column("sents", justify="right", no_wrap=True, min_width=5)
    table.add_column("events", justify="right", no_wrap=True, min_width=6)
    for row in rows:
        published = row["published"]
        name = row["name"] if "://" in row["name"] else Path(row["name"]).name
        title = f"\n[dim]{escape(row['title'])}[/]" if row["title"] else ""
        table.add_row(row["id"], escape(name) + title, _date(published), published.get("basis") or "",
                      str(row["sentences"]), str(row["events"]))
    out.print(table)


def _event_table(rows: list[dict], title: str | None = None) -> Table:
    table = Table("date", "precision", "type", "cameo", "source", "target", "mod", "srcs", "id", title=title)
    for row in rows:
        date = row["date"]
        kind = row["type"] + (" (not)" if row["negated"] else "")
        table.add_row(_date(date), date.get("precision") or "", kind, row["cameo"], _actors(row["source"]),
                      _actors(row["target"]), row["modality"][:4], str(row["sources_count"]), row["id"])
    return table


@app.command()
def events(
    db: DbOption = api.default_db(),
    actor: Annotated[Optional[list[str]], typer.Option("--actor", help="Actor code; repeat to require several.")] = None,
    type: Annotated[Optional[str], typer.Option("--type", help="PLOVER type, e.g. CONSULT.")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Year (or YYYY-MM) the events reach at least.")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Year (or YYYY-MM) the events start by.")] = None,
    lineage: LineageOption = True,
    min_confidence: MinConfidenceOption = 0.0,
    modality: Annotated[Optional[list[str]], typer.Option(
        "--modality", help="asserted, reported, intended or hypothetical; repeat for several (default: all).")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1)] = None,
    as_json: JsonOption = False,
) -> None:
    """List coded events, filtered by actor, type, time, modality and confidence."""
    rows = _guard(lambda: api.events(db, actor or [], type, date_from, date_to, lineage, min_confidence,
                                     modality=[m.lower() for m in modality] if modality else None, limit=limit))
    if as_json:
        return _print_json(rows)
    out.print(_event_table(rows, f"{len(rows)} events"))


@app.command()
def timeline(
    actor_a: ActorA,
    actor_b: ActorB,
    db: DbOption = api.default_db(),
    lineage: LineageOption = True,
    min_confidence: MinConfidenceOption = 0.0,
    as_json: JsonOption = False,
) -> None:
    """Events between two actors, in date order, with how many sources report each."""
    rows = _guard(lambda: api.timeline(db, actor_a, actor_b, lineage, min_confidence))
    if as_json:
        return _print_json(rows)
    # Dates and ids are what a user cites, so they never wrap or truncate; evidence only when there is room.
    wide = out.width >= 110
    table = Table(title=f"{actor_a.upper()} – {actor_b.upper()}: {len(rows)} events", box=box.SIMPLE_HEAD)
    table.add_column("date", no_wrap=True)
    table.add_column("event", overflow="fold")
    table.add_column("source → target", overflow="fold", ratio=1)
    table.add_column("srcs", justify="right", no_wrap=True)
    if wide:
        table.add_column("evidence", max_width=28, no_wrap=True, overflow="ellipsis")
    table.add_column("id", no_wrap=True, min_width=15)
    for row in rows:
        kind = row["type"] + (" (not)" if row["negated"] else "") + ("" if row["modality"] == "asserted" else f" [{row['modality']}]")
        cells = [_date(row["date"]), kind, f"{_actors(row['source'])} → {_actors(row['target'])}", str(row["sources_count"])]
        if wide:
            first = row["mentions"][0] if row["mentions"] else {}
            cells.append(f"{Path(first.get('doc_name', '')).stem}:{first.get('sentence', '?')}" if first else "")
        table.add_row(*cells, row["id"])
    out.print(table)


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(help="Event id, as printed by `events` or `timeline`.")],
    db: DbOption = api.default_db(),
    as_json: JsonOption = False,
) -> None:
    """Every evidence sentence of one event, with its document and character offsets."""
    row = _guard(lambda: api.show(db, event_id))
    if row is None:
        _fail(f"no event {event_id!r} in the ledger", code=1)
    if as_json:
        return _print_json(row)
    date = row["date"]
    out.print(f"[bold]{row['id']}[/]  {row['type']} (CAMEO {row['cameo']}, quad {row['quad_class']}, "
              f"Goldstein {row['goldstein']})  {_actors(row['source'])} → {_actors(row['target'])}")
    out.print(f"date {date.get('value') or 'unknown'} · precision {date.get('precision')} · basis {date.get('basis')}"
              f" · {row['modality']}{' · negated' if row['negated'] else ''} · confidence {row['confidence']}"
              f" · {row['sources_count']} source(s)")
    for mention in row["mentions"]:
        out.print(f"\n[bold]{mention['doc_name']}[/] (doc {mention['doc_id']}, sentence {mention['sentence']}, "
                  f"chars {mention['start']}–{mention['end']})")
        out.print(f"  “{mention.get('sentence_text', '').strip()}”", markup=False)
    if row.get("merged_into"):
        out.print(f"\nmerged into {row['merged_into']} (see `detente show {row['merged_into']}`)")
    for merge in row.get("merges", []):
        out.print(f"\nmerged: {merge['why']}", markup=False)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (SQLite FTS5 syntax accepted).")],
    db: DbOption = api.default_db(),
    limit: Annotated[int, typer.Option("--limit", min=1)] = 20,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over sentences, with their document and date."""
    rows = _guard(lambda: api.search(db, query, limit))
    if as_json:
        return _print_json(rows)
    table = Table("document", "published", "sent", "text", title=f"{len(rows)} sentences for {query!r}")
    for row in rows:
        table.add_row(Path(row["doc_name"]).name, row.get("published") or "?", str(row["sentence"]), row["text"][:160])
    out.print(table)


@app.command()
def actors(
    words: Annotated[Optional[list[str]], typer.Argument(
        help="QUERY to search names and codes, or `show CODE` for one actor.", show_default=False)] = None,
    db: DbOption = api.default_db(),
    limit: Annotated[int, typer.Option(help="At most this many rows (0 = all).")] = 50,
    as_json: JsonOption = False,
) -> None:
    """List and search actors (`detente actors Kim`), or show one (`detente actors show RUS`)."""
    words = words or []
    if words[:1] == ["show"]:
        if len(words) != 2:
            _fail("usage: detente actors show CODE")
        detail = _guard(lambda: api.actor_detail(db, words[1]))
        if as_json:
            return _print_json(detail)
        table = Table.grid(padding=(0, 2))
        for key in ("code", "name", "kind", "country", "sector"):
            table.add_row(key, str(detail[key] or "-"))
        table.add_row("aliases", ", ".join(detail["aliases"]) or "-")
        table.add_row("lineage", " → ".join(detail["lineage"]))
        table.add_row("events", f"{detail['events']} as {detail['code']}; {detail['events_involving']} involving it "
                                f"(lineage and people included)")
        if detail["events_by_type"]:
            table.add_row("by type", ", ".join(f"{t} {n}" for t, n in detail["events_by_type"].items()))
        out.print(table)
        if detail["roles"]:
            roles = Table("country", "sector", "title", "from", "to", title="roles")
            for role in detail["roles"]:
                roles.add_row(role["country"], role["sector"], role["title"], role["from"] or "…", role["to"] or "…")
            out.print(roles)
        return None
    rows = _guard(lambda: api.actors(db, " ".join(words) or None, limit=limit or None))
    if as_json:
        return _print_json(rows)
    table = Table("code", "name", "kind", "country", "sector", "events", title=f"{len(rows)} actors")
    for row in rows:
        table.add_row(row["code"], row["name"], row["kind"], row["country"] or "", row["sector"] or "", str(row["events"]))
    out.print(table)


@app.command()
def stats(db: DbOption = api.default_db(), as_json: JsonOption = False) -> None:
    """What the ledger holds."""
    data = _guard(lambda: api.stats(db))
    if as_json:
        return _print_json(data)
    table = Table("measure", "value", title=f"ledger {db}")
    for key, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "-"
        table.add_row(key, str(value))
    out.print(table)


@app.command()
def export(
    kind: Annotated[str, typer.Argument(help="documents, events, actors or conflicts.")],
    db: DbOption = api.default_db(),
    format: Annotated[str, typer.Option("--format", help=(
        "jsonl, csv or json; for events also gdelt (GDELT 2.0-style CSV), timelinejs (TimelineJS JSON), "
        "graphml (actors and events) or parquet."))] = "jsonl",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default stdout).")] = None,
    min_confidence: MinConfidenceOption = 0.0,
) -> None:
    """Write the ledger's records in a stable shape, or events in an exchange format."""
    from detente.export import BINARY_FORMATS

    binary = format in BINARY_FORMATS  # (api.export checks the format and the kind)
    if binary and output is None and sys.stdout.isatty():
        _fail(f"--format {format} is binary: give -o FILE or redirect stdout to a file")
    # A file is written beside its target and renamed only when complete: a failed export
    # leaves no half-written file (and keeps an older one intact).
    partial = output.with_name(f".{output.name}.partial") if output else None
    if partial:
        stream = partial.open("wb") if binary else partial.open("w", encoding="utf-8", newline="")
    else:
        stream = sys.stdout.buffer if binary else sys.stdout
    done = False
    try:
        count = _guard(lambda: api.export(db, kind, format, stream, min_confidence))
        done = True
    finally:
        if partial:
            stream.close()
            if done:
                partial.replace(output)
            else:
                partial.unlink(missing_ok=True)
        elif binary:
            stream.flush()
    err.print(f"exported {count} {kind}")


# ---------------------------------------------------------------- ledger-free tools

@app.command()
def code(
    file: Annotated[Optional[Path], typer.Argument(help="Input file (default stdin).")] = None,
    format: Annotated[str, typer.Option("--format", help="Output format: jsonl.")] = "jsonl",
    model: ModelOption = None,
    gazetteer: GazetteerOption = None,
) -> None:
    """Code texts into events without a ledger: one JSON object ({"id","text","date"}) or plain text a line in,
    one event a line out, with "input_id"."""
    if format != "jsonl":
        _fail("only --format jsonl is supported")
    stream = file.open(encoding="utf-8", errors="replace") if file else sys.stdin
    problems = []

    def on_error(message: str) -> None:
        problems.append(message)
        err.print(f"[yellow]skipped[/] {message}")

    for event in api.code(stream, model=model, gazetteers=gazetteer or [], on_error=on_error):
        sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
    raise typer.Exit(1 if problems else 0)


@app.command()
def timex(
    file: Annotated[Optional[Path], typer.Argument(help="Input file (default stdin).")] = None,
    dct: Annotated[Optional[str], typer.Option("--dct", help="Document creation time, YYYY[-MM[-DD]].")] = None,
    mode: Annotated[str, typer.Option("--mode", help="news: relative to --dct; narrative: to the story's last date; auto: news when the text is about the time of --dct.")] = "news",
    format: Annotated[str, typer.Option("--format", help="Output format: jsonl.")] = "jsonl",
) -> None:
    """Find and normalise temporal expressions; offsets are characters of the input."""
    if format != "jsonl":
        _fail("only --format jsonl is supported")
    text = file.read_text(encoding="utf-8", errors="replace") if file else sys.stdin.read()
    rows = _guard(lambda: api.timex(text, dct, mode))
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


@app.command()
def serve(
    db: DbOption = api.default_db(),
    host: Annotated[str, typer.Option("--host", help="Address to bind; the default keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8765,
) -> None:
    """Serve the web UI over a ledger (read-only except conflict reviews)."""
    from detente.web.serve import run

    _guard(lambda: run(db, host, port, announce=lambda url: print(f"detente: serving {db} at {url}  (Ctrl-C to stop)", flush=True)))


# Both modules use `app` and the options above, so they come after them.
import detente.cli_analyse  # noqa: E402,F401  (registers dyad, phases, brief on `app`)
import detente.cli_conflicts  # noqa: E402,F401  (registers `conflicts` on `app`)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    # Run the imported module's app: commands in other modules register on `detente.cli.app`, not on `__main__`.
    from detente.cli import main as imported_main

    imported_main()
