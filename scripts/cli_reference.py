#!/usr/bin/env python3
"""Write the command reference of README.md from the commands' own `--help`, so that the two
cannot drift apart (tests/test_docs.py fails when they do).

The text is what `gcmtrack COMMAND --help` prints, taken through click's API (no process per
command) at a fixed width, so that it does not depend on the terminal that runs the script.
It replaces what README.md holds between the two markers below, nothing else.

    python scripts/cli_reference.py            # rewrite README.md's block
    python scripts/cli_reference.py --check    # exit 1 if README.md's block is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START = "<!-- cli-reference start: written by scripts/cli_reference.py from --help; do not edit by hand -->"
END = "<!-- cli-reference end -->"
WIDTH = 100  # the CLI's own max_content_width: the reference reads as a wide terminal shows it
COMMAND = "python scripts/cli_reference.py"


def _help(command: click.Command, name: str, parent: click.Context | None) -> tuple[str, click.Context]:
    # the command's own settings (-h as well as --help), at a fixed width
    settings = {**command.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    ctx = click.Context(command, info_name=name, parent=parent, **settings)
    return command.get_help(ctx), ctx


def _sections(command: click.Command, name: str, parent: click.Context | None) -> list[tuple[str, str]]:
    """(`gcmtrack review accept`, its help) for a command and, below a group, each subcommand."""
    text, ctx = _help(command, name, parent)
    sections = [(ctx.command_path, text)]
    if isinstance(command, click.Group):
        for sub in command.list_commands(ctx):  # list/get_command: also right for a lazily loaded group
            sections += _sections(command.get_command(ctx, sub), sub, ctx)
    return sections


def reference() -> str:
    """The block between the markers: `gcmtrack --help`, then every command's help in the order
    it lists them, each under a heading of its own."""
    from gcmtrack.cli import main

    return "\n".join(f"### `{path}`\n\n```text\n{text.rstrip()}\n```\n"
                     for path, text in _sections(main, "gcmtrack", None))


def readme_block(readme: str) -> str:
    """What README.md holds between the markers (ValueError if they are missing)."""
    head, start, rest = readme.partition(START)
    body, end, _ = rest.partition(END)
    if not (start and end):
        raise ValueError(f"README.md lacks the markers {START!r} … {END!r}")
    return body.strip("\n")


def rewritten(readme: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    readme_block(readme)  # the markers must be there
    return f"{head}{START}\n\n{reference()}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="Exit 1 if README.md's block is out of date; change nothing.")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    new = rewritten(current)
    if args.check:
        if new != current:
            print(f"README.md's command reference is out of date: run `{COMMAND}`.", file=sys.stderr)
            return 1
        return 0
    if new != current:
        README.write_text(new, encoding="utf-8")
        print("README.md: command reference rewritten.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
