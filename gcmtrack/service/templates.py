"""A blank submission workbook for one state and cycle, with the deadlines of its processes
when a store is given: what `gcmtrack template` writes and the portal's template download
sends."""

from __future__ import annotations


def template_with_deadlines(state: str, cycle: int, lang: str, store=None) -> bytes:
    """The template's bytes; each of the state's processes with a deadline in `store` for the
    cycle shows it (none without a store)."""
    from gcmtrack.intake.template import processes_of, resolve_state, write_template

    deadlines = {}
    if store is not None:
        from gcmtrack.store.deadlines import deadline_of

        for process in processes_of(resolve_state(state), cycle):
            found = deadline_of(store, process.id, cycle)
            if found is not None:
                deadlines[process.id] = found.due
    return write_template(state, cycle, lang, deadlines=deadlines)
