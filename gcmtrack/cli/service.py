"""Commands of the shared service: worker, remind, deadline, digest (serve is in cli/serve.py)."""

from __future__ import annotations


import click

from gcmtrack.cli import CONTEXT, _echo_json, db_option, json_option, main


@main.command(context_settings=CONTEXT)
@click.option("--once", is_flag=True, help="Run the queued jobs, then stop.")
@db_option
def worker(once: bool, db: str | None) -> None:
    """Run render jobs from the shared store (reports asked for in the portal).

    A store that does not exist yet is created, as `serve` does.

    \b
    Example:
      GCMTRACK_DB=postgresql://gcm@db/gcm gcmtrack worker
    """
    import signal
    import threading

    from gcmtrack.service.rendering import run_worker
    from gcmtrack.store import Store

    stopping = threading.Event()  # SIGTERM or Ctrl-C: stop after the job under way
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    # like serve, a worker started with a new deployment creates the store (once, under its lock)
    with Store(db) as store:
        try:
            ran = run_worker(store, once=once, stop=stopping.is_set)
        except KeyboardInterrupt:
            ran = 0
    click.echo(f"Ran {ran} render job(s).")


@main.command(context_settings=CONTEXT)
@click.option("--process", "process_id", required=True, metavar="ID", help="Process id, e.g. RCM.")
@click.option("--cycle", required=True, type=int, metavar="YEAR", help="Review cycle, e.g. 2026.")
@click.option("--dry-run", is_flag=True, help="Say who would be written to; send nothing.")
@json_option
@db_option
def remind(process_id: str, cycle: int, dry_run: bool, as_json: bool, db: str | None) -> None:
    """E-mail the submitters of members that have not submitted for a cycle.

    The mail goes out as the GCMTRACK_EMAIL_* variables set (see README: The shared service);
    without them it is printed on the console.

    \b
    Example:
      gcmtrack remind --process RCM --cycle 2026 --dry-run
    """
    from gcmtrack.service.notify import remind as send
    from gcmtrack.service.setup import open_default_store

    store = open_default_store(db)
    rows = send(store, process_id, cycle, dry_run=dry_run)
    if as_json:
        _echo_json({"process": process_id.upper(), "cycle": cycle, "dry_run": dry_run, "reminded": rows})
        return
    for row in rows:
        to = ", ".join(row["to"]) or "(no submitter account)"
        click.echo(f"{row['state']}: {'would write to' if dry_run else 'wrote to'} {to}")
    if not rows:
        click.echo("Every member has submitted.")


@main.command(context_settings=CONTEXT)
@click.option("--process", "process_id", metavar="ID", help="Process id, e.g. RCM (omit to list).")
@click.option("--cycle", type=int, metavar="YEAR", help="Review cycle, e.g. 2026.")
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE", help="The deadline (YYYY-MM-DD).")
@click.option("--closed", is_flag=True, help="Close the cycle: the portal and the API refuse uploads for it.")
@click.option("--certification/--no-certification", default=None,
              help="Require (or no longer require) that the State's certifying official certifies each new "
                   "version before staff review it. Kept when omitted.")
@click.option("--late", type=click.Choice(["accept", "warn", "refuse"]),
              help="After the due date, while open: store late uploads (accept, the default for a new deadline), "
                   "store them with a late-upload warning (warn), or refuse them (refuse). Kept when omitted.")
@json_option
@db_option
def deadline(process_id: str | None, cycle: int | None, due, closed: bool, certification: bool | None,
             late: str | None, as_json: bool, db: str | None) -> None:
    """Set a process's deadline for a cycle (and open or close it), or list the deadlines.

    A cycle with no deadline for any of a State's processes, or closed for all of them, refuses
    that State's uploads in the portal and the API; `ingest` stores them with a warning.

    \b
    Example:
      gcmtrack deadline --process RCM --cycle 2026 --due 2026-03-31 --late warn
      gcmtrack deadline --process RCM --cycle 2026 --due 2026-03-31 --closed
      gcmtrack deadline --process CMC --cycle 2026 --due 2026-03-31 --certification
      gcmtrack deadline --json
    """
    from gcmtrack.reference.framework import framework
    from gcmtrack.reference.processes import get_process
    from gcmtrack.store import Store
    from gcmtrack.store.deadlines import list_deadlines, set_deadline

    with Store(db) as store:
        if process_id or cycle or due or late or certification is not None:
            if not (process_id and cycle and due):
                raise click.UsageError("give --process, --cycle and --due together (or none, to list)")
            framework().edition(cycle)
            set_deadline(store, get_process(process_id).id, cycle, due.date(), not closed, late=late)
            if certification is not None:
                from gcmtrack.store.people import set_certification

                set_certification(store, get_process(process_id).id, cycle, certification)
        rows = list_deadlines(store)
    if as_json:
        _echo_json({"deadlines": rows})
        return
    for row in rows:
        click.echo(f"{row['process']:<8} {row['cycle']}  due {row['due']}  {'open' if row['open'] else 'closed'}"
                   f"  late uploads: {row['late']}{'  certification required' if row.get('certification') else ''}")
    if not rows:
        click.echo("No deadline set.")


@main.command(context_settings=CONTEXT)
@click.option("--day", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="The day to report on (UTC; default: yesterday).")
@click.option("--dry-run", is_flag=True, help="Say who would get a digest; send nothing, record nothing.")
@json_option
@db_option
def digest(day, dry_run: bool, as_json: bool, db: str | None) -> None:
    """E-mail each staff account that chose the daily digest what happened to its processes'
    members on one day: versions uploaded, certified and decided, and messages. Run it once a
    day (cron, a systemd timer); a day already sent is never sent again, so running it twice
    is harmless.

    \b
    Example:
      gcmtrack digest
      gcmtrack digest --day 2026-03-02 --json
    """
    from gcmtrack.service.people import send_digests
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        rows = send_digests(store, day.date() if day else None, dry_run=dry_run)
    if as_json:
        _echo_json({"digests": rows})
        return
    for row in rows:
        click.echo(f"{row['to']}: {row['events']} event(s) on {row['day']}: {row['sent']}")
    if not rows:
        click.echo("No staff account reads the daily digest.")
