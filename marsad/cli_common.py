"""What the command line's modules share: the Typer app, the consoles, ``--db``, formats, and the ``command``
decorator that turns typed errors into one line on stderr and a non-zero exit."""
from __future__ import annotations

import functools
import logging
import re
import sys
from enum import Enum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.errors import MarsadError

app = typer.Typer(help="marsad (مرصد): Arabic political news to structured, searchable event data.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode="rich")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DEFAULT_DB = "marsad.db"
DbOption = Annotated[str, typer.Option("--db", help="SQLite file (or sqlite:///path), or postgresql://user:pass@host/db.",
                                       envvar="MARSAD_DB")]


def shown(db: str) -> str:
    """A database URL as it may be printed: without its password.

    >>> shown("postgresql://me:secret@host/db")
    'postgresql://me:***@host/db'
    """
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", db)


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class ListFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


class StatsFormat(str, Enum):
    json = "json"
    table = "table"


def id_table(ids: list[str], *columns: str) -> Table:
    """A table whose first column holds ids, which users copy into `show`: never cut or wrapped."""
    table = Table()
    table.add_column("id", no_wrap=True, min_width=max([len(i) for i in ids] + [2]))
    for name in columns:
        table.add_column(name)
    return table


def command(fn=None, *, name: str | None = None):
    """Register a command that turns MarsadError into one line on stderr and exit code 1."""
    if fn is None:
        return functools.partial(command, name=name)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except MarsadError as e:
            err.print(f"[red]error:[/red] {e}", markup=True, highlight=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("interrupted: what was committed is kept")
            raise typer.Exit(130) from None

    return app.command(name)(wrapper)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what is skipped and why.")] = False):
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
