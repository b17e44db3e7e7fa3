"""Command-line interface (placeholder until the commands land)."""
import click

from gcmtrack import __version__


@click.group()
@click.version_option(__version__, prog_name="gcmtrack")
def main() -> None:
    """gcmtrack."""
