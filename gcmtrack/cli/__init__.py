"""The `gcmtrack` command line: each command parses its options, calls one library function,
prints the result and maps the library's errors to exit codes (cli.md: 0 ok, 1 the input has
problems, 2 usage error). Library code never prints or exits.

This module holds the group and the shared options; the commands live in one module per
stage (reference, submissions, outputs), imported at the end so they register on `main`."""

from __future__ import annotations

import json
import traceback
from typing import Any, Callable

import click

from gcmtrack import __version__
from gcmtrack.common.languages import LANGS
from gcmtrack.errors import GcmtrackError

LANG_CHOICE = click.Choice(LANGS, case_sensitive=False)
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """Maps errors to one line and exit 1; a traceback only with --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except GcmtrackError as exc:
            if ctx.params.get("debug"):
                traceback.print_exc()
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if ctx.params.get("debug"):
                traceback.print_exc()
            else:
                click.echo(f"Error: unexpected failure ({type(exc).__name__}: {exc}); rerun with --debug for details.",
                           err=True)
            ctx.exit(1)


def db_option(func: Callable) -> Callable:
    # The location rule itself (--db, else $GCMTRACK_DB, else ./gcmtrack.db) is store.resolve_db.
    return click.option("--db", "db", metavar="PATH_OR_URL",
                        help="The store: an SQLite file or sqlite:///PATH URL (default: $GCMTRACK_DB, else ./gcmtrack.db).")(func)


def json_option(func: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(func)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _progress(count: int):
    """A progress bar on stderr, shown when there is more than one item to work through."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), disable=count <= 1)


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="gcmtrack")
@click.option("--debug", is_flag=True, help="Show a traceback on unexpected failures.")
def main(debug: bool) -> None:
    """Validate, store, score and report member-state progress workbooks on the Global Compact
    for Safe, Orderly and Regular Migration (GCM), for regional reviews that feed the IMRF.

    \b
    Example:
      gcmtrack demo                      # the whole pipeline on the bundled samples
      gcmtrack validate submissions/mex-2026.xlsx
    """


from gcmtrack.cli import explain, outputs, reference, submissions  # noqa: E402,F401 - registers the commands

if __name__ == "__main__":  # pragma: no cover
    main()
