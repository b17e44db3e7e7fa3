"""Commands that say where figures come from and what changed: explain, diff (cli.md v2)."""

from __future__ import annotations

import click

from gcmtrack.cli import CONTEXT, _echo_json, db_option, json_option, main, terminal_safe


def _status(key: str | None) -> str:
    from gcmtrack.reference.framework import framework

    if key is None:
        return "not reported"
    try:
        return framework().status(key).name("en")
    except KeyError:
        return key


def _weight(value: float | None) -> str:
    from gcmtrack.scoring.rounding import printed

    return "no weight" if value is None else printed(value)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]


def explanation_lines(explanation) -> list[str]:
    from gcmtrack.scoring.rounding import printed
    from gcmtrack.submission import practice_name

    e = explanation
    head = f"{e.state}, cycle {e.cycle}"
    if e.submission_id is not None:
        head += f": submission {e.submission_id} (version {e.version})"
    excluded = ", ".join(str(n) for n in e.overall.excluded) or "none"
    lines = [head, f"Overall {printed(e.overall.score)} (mean of the objectives; excluded: {excluded})"]
    lines.append("Round tables: " + "; ".join(
        f"{n}: {printed(t.score)}" + (f" (excluded {', '.join(map(str, t.excluded))})" if t.excluded else "")
        for n, t in e.round_tables.items()))
    rows = [["Obj.", "Score", "Decided by", "Row (sheet cell: status weight)", "Practices mapped (sheet row: status weight)", "Flag"]]
    for n, o in e.objectives.items():
        if o.row:
            where = o.row.where
            row = f"{where}: {_status(o.row.status)} {_weight(o.row.weight)}"
        else:
            row = "not reported"
        practices = "; ".join(
            f"{'*' if p.decisive else ''}{p.sheet} {p.row}: {_status(p.status)} {_weight(p.weight)}"
            + (f" via theme {p.theme}" if p.via == "theme" else "")
            for p in o.practices) or "none"
        decided = o.decided_by
        if o.decisive_practice is not None:
            d = o.decisive_practice
            decided = practice_name(e.state, d.index, d.sheet, d.row)
        flag = "row below practice" if o.contradiction else ""
        rows.append([str(n), "excluded" if o.excluded else printed(o.score), decided, row, practices, flag])
    lines.extend(_table(rows))
    lines.append("* the practice that decided the score. Scores rounded half-up to 2 decimals; --json keeps 4.")
    return lines


def terminal_safe_lines(lines: list[str]) -> str:
    """Lines that quote a document's or a workbook's names, safe for a terminal (cli.terminal_safe)."""
    return "\n".join(terminal_safe(line) for line in lines)


def diff_lines(diff) -> list[str]:
    from gcmtrack.scoring.rounding import printed

    d = diff
    side = lambda s: f"submission {s.submission_id} ({s.state} {s.cycle} v{s.version})"  # noqa: E731
    lines = [f"{side(d.from_)} -> {side(d.to)}"]
    a, b = d.overall
    change = None if a is None or b is None else printed(_change(a, b), sign=True)
    lines.append(f"Overall {printed(a)} -> {printed(b)}" + (f" ({change})" if change else ""))
    for n, (x, y) in d.round_tables.items():
        lines.append(f"Round table {n}: {printed(x)} -> {printed(y)}")
    if d.objectives:
        rows = [["Obj.", "Status", "Score", "Text changed"]]
        for n, c in d.objectives.items():
            status = _status(c.status[0]) if c.status[0] == c.status[1] else \
                f"{_status(c.status[0])} -> {_status(c.status[1])}"
            score = printed(c.score[0]) if c.score[0] == c.score[1] else f"{printed(c.score[0])} -> {printed(c.score[1])}"
            rows.append([str(n), status, score, ", ".join(c.changed_fields) or "-"])
        lines.extend(_table(rows))
        for n, c in d.objectives.items():
            if "passages" in c.changed_fields:
                lines.append(f"Objective {n} passages: {'; '.join(c.passages[0]) or 'none'} -> "
                             f"{'; '.join(c.passages[1]) or 'none'}")
    for label, titles in (("Practices added", d.added), ("Practices removed", d.removed)):
        if titles:
            lines.append(f"{label}: " + "; ".join(titles))
    if d.changed:
        lines.append("Practices changed: " + "; ".join(f"{c.title} ({', '.join(c.fields)})" for c in d.changed))
    if d.empty:
        lines.append("No change.")
    return lines


def _change(a: float, b: float):
    from decimal import Decimal

    return Decimal(repr(b)) - Decimal(repr(a))


@main.command(context_settings=CONTEXT)
@click.option("--state", metavar="ISO3", help="The state, e.g. MEX.")
@click.option("--cycle", type=int, metavar="YEAR", help="Review cycle, e.g. 2026.")
@click.option("--submission", "submission_id", type=int, metavar="ID",
              help="A stored version by id, instead of the one that counts.")
@click.option("--objective", type=click.IntRange(1, 23), metavar="N", help="Only this objective.")
@json_option
@db_option
def explain(state: str | None, cycle: int | None, submission_id: int | None, objective: int | None,
            as_json: bool, db: str | None) -> None:
    """Say where every figure of a state's scores comes from: the row or the practice that
    decided each objective's score (sheet and cell), and rows whose status is below a practice
    mapped to the same objective.

    \b
    Example:
      gcmtrack explain --state MEX --cycle 2026 --objective 5
      gcmtrack explain --submission 12 --json
    """
    from gcmtrack.scoring.explain import explain_state
    from gcmtrack.store import Store

    if submission_id is None and (state is None or cycle is None):
        raise click.UsageError("give --state and --cycle, or --submission ID")
    with Store(db, create=False) as store:
        result = explain_state(store, state, cycle, submission_id=submission_id)
    if objective is not None:
        result = result.only(objective)
    if as_json:
        _echo_json(result.to_json())
    else:
        click.echo(terminal_safe_lines(explanation_lines(result)))


@main.command(context_settings=CONTEXT)
@click.argument("ids", nargs=-1, type=int)
@click.option("--state", metavar="ISO3", help="The state, e.g. JAM.")
@click.option("--cycle", type=int, metavar="YEAR", help="The two latest versions in this cycle.")
@click.option("--from-cycle", type=int, metavar="Y1", help="The version that counts in this cycle …")
@click.option("--to-cycle", type=int, metavar="Y2", help="… against the one that counts in this cycle.")
@json_option
@db_option
def diff(ids: tuple[int, ...], state: str | None, cycle: int | None, from_cycle: int | None, to_cycle: int | None,
         as_json: bool, db: str | None) -> None:
    """Show what changed between two versions: two submission ids, the two latest versions of a
    state in a cycle, or the versions that count in two cycles.

    \b
    Example:
      gcmtrack diff 3 9
      gcmtrack diff --state JAM --cycle 2026
      gcmtrack diff --state MEX --from-cycle 2022 --to-cycle 2026 --json
    """
    from gcmtrack.scoring.diff import diff_cycles, diff_ids, diff_latest_versions
    from gcmtrack.store import Store

    by_ids = len(ids) == 2 and not (state or cycle or from_cycle or to_cycle)
    by_cycle = not ids and state and cycle and not (from_cycle or to_cycle)
    by_cycles = not ids and state and from_cycle and to_cycle and not cycle
    if not (by_ids or by_cycle or by_cycles):
        raise click.UsageError("give two submission ids, or --state with --cycle, "
                               "or --state with --from-cycle and --to-cycle")
    with Store(db, create=False) as store:
        if by_ids:
            result = diff_ids(store, ids[0], ids[1])
        elif by_cycle:
            result = diff_latest_versions(store, state, cycle)
        else:
            result = diff_cycles(store, state, from_cycle, to_cycle)
    if as_json:
        _echo_json(result.to_json())
    else:
        click.echo(terminal_safe_lines(diff_lines(result)))
