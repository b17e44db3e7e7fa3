"""Commands on the reference data: objectives, processes."""

from __future__ import annotations


import click

from gcmtrack.cli import CONTEXT, LANG_CHOICE, _echo_json, json_option, main


@main.command(context_settings=CONTEXT)
@click.option("--edition", type=int, metavar="YEAR", help="Group by the round tables of this IMRF edition.")
@click.option("--lang", type=LANG_CHOICE, default="en", show_default=True, help="Language of titles and labels.")
@json_option
def objectives(edition: int | None, lang: str, as_json: bool) -> None:
    """List the 23 GCM objectives, optionally grouped by an IMRF edition's round tables.

    \b
    Example:
      gcmtrack objectives --edition 2022 --lang es
    """
    from gcmtrack.reference.framework import framework

    fw = framework()
    lang = lang.lower()
    if as_json:
        _echo_json(fw.to_json(lang, edition))
        return
    if edition is None:
        for o in fw.objectives.values():
            click.echo(f"{o.number:>2}  {o.label(lang):<38} {o.title(lang)}")
        return
    ed = fw.edition(edition)
    status = "" if ed.status == "confirmed" else f"  [{ed.status}]"
    click.echo(f"{ed.name} ({ed.dates}){status}")
    for table in ed.round_tables:
        click.echo(f"\nRound table {table.number}: objectives {', '.join(map(str, table.objectives))}")
        for number in table.objectives:
            o = fw.objectives[number]
            click.echo(f"  {o.number:>2}  {o.label(lang):<38} {o.title(lang)}")
    if ed.note:
        click.echo(f"\nNote: {ed.note}")


@main.command(context_settings=CONTEXT)
@click.option("--cycle", type=int, metavar="YEAR", help="Members as of this review cycle (default: every listed member).")
@json_option
def processes(cycle: int | None, as_json: bool) -> None:
    """List the regional processes and their members.

    \b
    Example:
      gcmtrack processes --json
    """
    from gcmtrack.reference.processes import processes as all_processes

    table = all_processes()
    if as_json:
        _echo_json({"processes": [p.to_dict(cycle) for p in table.values()]})
        return
    for p in table.values():
        members = p.members(cycle) if cycle is not None else tuple(m.state for m in p.memberships)
        click.echo(f"{p.id:<6} {p.name('en')} (est. {p.established}): {len(members)} members")
        click.echo(f"       members:   {' '.join(members)}")
        if p.observers:
            click.echo(f"       observers: {' '.join(p.observers)}")


