"""The one door from the command line to the portal: `gcmtrack serve`, and `run_portal`, which
`demo --serve` uses too. No other CLI module imports gcmtrack.portal (an import-linter
contract checks it), so every other command starts without the web layer."""

from __future__ import annotations

import click

from gcmtrack.cli import CONTEXT, db_option, main


def run_portal(location: str, host: str, port: int, workers: int, *, with_render_worker: bool) -> None:
    """Serve the portal and the API on the store at `location` under gunicorn until stopped."""
    from gcmtrack.portal.server import serve

    serve(location, host, port, workers, with_render_worker=with_render_worker)


@main.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), metavar="N",
              help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), metavar="N",
              help="Web worker processes.")
@click.option("--no-render-worker", is_flag=True,
              help="Do not run a render worker beside the web workers (run `gcmtrack worker` elsewhere).")
@db_option
def serve(host: str, port: int, workers: int, no_render_worker: bool, db: str | None) -> None:
    """Run the portal and the HTTP API with a production server (gunicorn) on the store.

    On one machine (SQLite) a render worker runs beside it. Shared deployments run several
    `serve` processes on one PostgreSQL database and `gcmtrack worker` for renders.

    \b
    Example:
      gcmtrack serve --db review.db
      GCMTRACK_DB=postgresql://gcm@db/gcm gcmtrack serve --host 0.0.0.0 --workers 4 --no-render-worker
    """
    from gcmtrack.store.location import resolve_db

    location = resolve_db(db)
    click.echo(f"gcmtrack portal on http://{host}:{port}/ (store: {location}); Ctrl-C stops it.", err=True)
    run_portal(location, host, port, workers, with_render_worker=not no_render_worker)
