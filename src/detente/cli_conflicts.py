"""`detente conflicts` and `detente conflicts review`: where sources disagree, side by side.

A thin shell over `detente.api.conflicts` / `api.review_conflict`; wired into `detente.cli`,
whose options and error handling it shares."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from detente import api
from detente.cli import DbOption, JsonOption, _fail, _guard, _print_json, app, out

conflicts_app = typer.Typer(help="Where sources disagree: list conflicts, review them.", invoke_without_command=True,
                            no_args_is_help=False)


def print_conflict(conflict: dict) -> None:
    out.print(f"\n[bold]{conflict['id']}[/]  {escape(conflict['kind'])} · {escape(conflict['subject'])} · "
              f"{escape(conflict['attribute'])} · [italic]{conflict['status']}[/]")
    out.print(f"  {conflict['explanation']}", markup=False)
    table = Table(box=box.SIMPLE_HEAD, show_header=True, expand=True)
    table.add_column("source", overflow="fold", ratio=2)
    table.add_column("says", overflow="fold", ratio=2)
    table.add_column("in the sentence", overflow="fold", ratio=5)
    for side in conflict["sides"]:
        where = f"{Path(side['doc_name']).name}\n{side['doc_date'] or 'undated'}"
        cited = f"{side['sentence'].strip()}\n[sentence {side['sentence_index']}, chars {side['start']}–{side['end']}]"
        table.add_row(escape(where), escape(side["text"]), escape(cited))
    out.print(table)


@conflicts_app.callback()
def conflicts(
    ctx: typer.Context,
    db: DbOption = api.default_db(),
    status: Annotated[Optional[str], typer.Option("--status", help="Only open, confirmed or dismissed ones.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Conflicts between sources, each side with its sentence, document and offsets."""
    if ctx.invoked_subcommand is not None:
        return
    rows = _guard(lambda: api.conflicts(db, status=status))
    if as_json:
        return _print_json(rows)
    out.print(f"[bold]{len(rows)} conflict(s)[/]" + (f" with status {status}" if status else ""))
    for row in rows:
        print_conflict(row)


@conflicts_app.command()
def review(
    conflict_id: Annotated[str, typer.Argument(help="Conflict id, as printed by `detente conflicts`.")],
    status: Annotated[str, typer.Option("--status", help="open, confirmed or dismissed.")],
    note: Annotated[Optional[str], typer.Option("--note", help="Why (kept with the verdict).")] = None,
    db: DbOption = api.default_db(),
    as_json: JsonOption = False,
) -> None:
    """Set a conflict's review status; it is kept when documents are ingested again."""
    row = _guard(lambda: api.review_conflict(db, conflict_id, status, note))
    if as_json:
        return _print_json(row)
    out.print(f"{row['id']} is now [bold]{row['status']}[/]")


app.add_typer(conflicts_app, name="conflicts")
