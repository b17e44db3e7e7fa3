"""The documents that describe the code, checked against it: README's command reference is
what the commands' `--help` prints (scripts/cli_reference.py writes it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cli_reference = _script()


def test_readme_command_reference_is_what_help_prints():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    written, expected = cli_reference.readme_block(readme), cli_reference.reference().strip("\n")
    assert written == expected, (
        f"README.md's command reference differs from the commands' --help: run `{cli_reference.COMMAND}` "
        "and commit README.md")


def _all_commands():
    from gcmtrack.cli import main

    return [path for path, _ in cli_reference._sections(main, "gcmtrack", None)]


@pytest.mark.parametrize("path", _all_commands())
def test_the_reference_holds_every_command_and_subcommand_with_an_example(path):
    """Subcommands too (`users add`): test_cli checks the commands of the top level."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = cli_reference.readme_block(readme)
    heading = f"### `{path}`\n"
    assert heading in block
    section = block.split(heading, 1)[1].split("\n### ", 1)[0]
    assert "Usage: " + path in section and "Example" in section, f"{path} --help has no example"


def test_a_changed_help_text_makes_the_reference_out_of_date(monkeypatch):
    """The check can fail: a command whose help changes no longer matches README."""
    from gcmtrack.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = main.get_command(click.Context(main), "validate")
    monkeypatch.setattr(command, "help", command.help + "\n\nOne more sentence.")
    assert cli_reference.reference().strip("\n") != cli_reference.readme_block(readme)
    assert "One more sentence." in cli_reference.rewritten(readme)


def test_the_markers_must_be_there():
    with pytest.raises(ValueError, match="markers"):
        cli_reference.readme_block("# A README without the block\n")


def test_the_short_command_table_has_a_row_for_every_command():
    """The reference is generated, so it holds every command by itself; the hand-kept table of
    README's Commands section, a newcomer's map, must not fall behind it."""
    from gcmtrack.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in main.list_commands(click.Context(main)) if f"| `gcmtrack {name}" not in table]
    assert missing == [], f"README's command table has no row for {missing}"
