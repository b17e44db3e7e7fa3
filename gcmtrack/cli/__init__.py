"""The `gcmtrack` command line: each command parses its options, calls one library function,
prints the result and maps the library's errors to exit codes (cli.md: 0 ok, 1 the input has
problems, 2 usage error). Library code never prints or exits.

This module holds the group and the shared options; the commands live in one module per
stage (reference, submissions, outputs), imported at the end so they register on `main`."""

from __future__ import annotations

import os
import re
import sys
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
        except BrokenPipeError:
            _quiet_broken_pipe()
            ctx.exit(141)  # what a shell reports for a command ended by SIGPIPE
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except GcmtrackError as exc:
            if ctx.params.get("debug"):
                import traceback

                traceback.print_exc()
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if ctx.params.get("debug"):
                import traceback

                traceback.print_exc()
            else:
                click.echo(f"Error: unexpected failure ({type(exc).__name__}: {exc}); rerun with --debug for details.",
                           err=True)
            ctx.exit(1)


def _quiet_broken_pipe() -> None:
    """The reader went away (`gcmtrack validate … | head`): stop quietly, and keep Python from
    complaining when it flushes standard output at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# Characters a terminal would act on rather than show: C0 and C1 controls (ESC starts escape
# sequences; 0x9B is a one-byte CSI), DEL, and the bidirectional overrides that reorder a line.
# A printed line is one line: a line feed or carriage return in a value is shown escaped too.
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# In JSON, C0 controls are escaped by json itself (and the line feeds are its layout).
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: Any) -> str:
    """Text from a workbook or a file name, safe to print: what a terminal would act on is shown
    as an escape (\\x1b), and text that cannot be encoded is escaped, never an error."""
    text = "" if text is None else str(text)
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                else f"\\u{ord(m.group()):04x}", text)


def db_option(func: Callable) -> Callable:
    # The location rule itself (--db, else $GCMTRACK_DB, else ./gcmtrack.db) is store.resolve_db.
    return click.option("--db", "db", metavar="PATH_OR_URL",
                        help="The store: an SQLite file, sqlite:///PATH or postgresql://USER:PASSWORD@HOST:PORT/DB "
                             "(default: $GCMTRACK_DB, else ./gcmtrack.db).")(func)


def accepted_only_option(func: Callable) -> Callable:
    return click.option("--accepted-only", is_flag=True,
                        help="Count only versions that staff accepted (default: the latest submitted or accepted).")(func)


def json_option(func: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(func)


def _echo_json(data: Any) -> None:
    import json

    # json escapes C0 controls itself; C1 controls and bidi overrides are escaped here too, so
    # `--json` piped to a terminal is as safe as the text output
    text = json.dumps(data, ensure_ascii=False, indent=2)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (an undecodable file name): \\udcxx, still JSON
        text = json.dumps(data, ensure_ascii=True, indent=2)
    click.echo(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


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


from gcmtrack.cli import authoring, explain, narrative, outputs, reference, serve, service, submissions, workflow  # noqa: E402,F401 - registers the commands

if __name__ == "__main__":  # pragma: no cover
    main()
