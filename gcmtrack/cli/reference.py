"""Commands on the reference data: objectives, processes, states."""

from __future__ import annotations


import click

from gcmtrack.cli import CONTEXT, LANG_CHOICE, _echo_json, json_option, main
from gcmtrack.common.text import pad


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
            click.echo(f"{o.number:>2}  {pad(o.label(lang), 38)} {o.title(lang)}")
        return
    ed = fw.edition(edition)
    status = "" if ed.status == "confirmed" else f"  [{ed.status}]"
    click.echo(f"{ed.name} ({ed.dates}){status}")
    for table in ed.round_tables:
        click.echo(f"\nRound table {table.number}: objectives {', '.join(map(str, table.objectives))}")
        for number in table.objectives:
            o = fw.objectives[number]
            click.echo(f"  {o.number:>2}  {pad(o.label(lang), 38)} {o.title(lang)}")
    if ed.note:
        click.echo(f"\nNote: {ed.note}")


@main.command(context_settings=CONTEXT)
@click.option("--cycle", type=int, metavar="YEAR", help="Members as of this review cycle (default: every listed member).")
@click.option("--lang", type=LANG_CHOICE, default="en", show_default=True, help="Language of state names.")
@json_option
def processes(cycle: int | None, lang: str, as_json: bool) -> None:
    """List every mechanism (regional consultative processes, inter-regional forums, UN regional
    reviews) and its members, with the source of each membership.

    \b
    Example:
      gcmtrack processes --cycle 2026 --lang es
    """
    from gcmtrack.reference.processes import processes as all_processes
    from gcmtrack.reference.states import states

    table = all_processes()
    registry = states()
    lang = lang.lower()
    if as_json:
        _echo_json({"processes": [p.to_dict(cycle, registry, lang) for p in table.values()]})
        return
    for p in table.values():
        listed = [m for m in p.memberships if cycle is None or m.active_in(cycle)]
        click.echo(f"{p.id:<6} {p.name(lang)} ({p.kind}, est. {p.established}): {len(listed)} members")
        names = [f"{registry.get(m.state).name(lang)} ({m.state}){'' if m.verified else ' [unverified]'}"
                 for m in listed]
        click.echo(f"       members:   {'; '.join(names)}")
        if p.observers:
            click.echo(f"       observers: {'; '.join(f'{registry.get(c).name(lang)} ({c})' for c in p.observers)}")


@main.command(context_settings=CONTEXT)
@click.option("--process", "process_id", metavar="ID", help="Only the members of this process.")
@click.option("--lang", type=LANG_CHOICE, default="en", show_default=True, help="Language of names in text output.")
@json_option
def states(process_id: str | None, lang: str, as_json: bool) -> None:
    """List every state and territory the data knows: UN names, UN membership, the 2018 vote
    on the GCM, later events with their sources, and the mechanisms it belongs to.

    \b
    Example:
      gcmtrack states --process RCM --lang es
    """
    from gcmtrack.reference.records import state_records

    records = state_records(process_id)
    if as_json:
        _echo_json({"states": records})
        return
    lang = lang.lower()
    for record in records:
        name = record["names"][lang] + (" [ISO name]" if record["name_source"] == "iso" else "")
        events = "; ".join(f"{e['position']} {e['date']}{'' if e['verified'] else ' [unverified]'}"
                           for e in record["events"])
        line = f"{record['iso3']}  {name}  vote 2018: {record['vote_2018']}"
        if events:
            line += f"  events: {events}"
        if record["processes"]:
            line += f"  processes: {' '.join(record['processes'])}"
        click.echo(line)
