"""Commands that produce results: score, report, export, demo."""

from __future__ import annotations

from pathlib import Path

import click

from gcmtrack.cli import CONTEXT, LANG_CHOICE, accepted_only_option, _echo_json, _progress, db_option, main


@main.command(context_settings=CONTEXT)
@click.option("--process", "process_id", required=True, metavar="ID", help="Process id, e.g. RCM.")
@click.option("--cycle", required=True, type=int, metavar="YEAR", help="Review cycle, e.g. 2026.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON (4 decimals).")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per state and objective.")
@accepted_only_option
@db_option
def score(process_id: str, cycle: int, as_json: bool, as_csv: bool, accepted_only: bool, db: str | None) -> None:
    """Coverage scores of a process for a cycle, by the default method (README: Scoring).

    \b
    Example:
      gcmtrack score --process RCM --cycle 2026 --json
    """
    from gcmtrack.scoring.process import process_score
    from gcmtrack.store import Store

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    with Store(db, create=False) as store:
        result = process_score(store, process_id, cycle, accepted_only=accepted_only)
    if as_json:
        _echo_json(result.to_json())
    elif as_csv:
        click.echo(result.to_csv(), nl=False)
    else:
        click.echo("\n".join(score_lines(result)))


def score_lines(result) -> list[str]:
    """The human table of `score`: every figure half-up to 2 decimals from the exact value."""
    from gcmtrack.scoring.rounding import printed as fmt

    lines = [f"{result.process} {result.cycle} ({result.edition}): {len(result.submitted)} of "
             f"{len(result.members)} members submitted, participation {fmt(result.participation)}, "
             f"overall {fmt(result.overall)}",
             "Round tables: " + ", ".join(f"RT{k} {fmt(v)}" for k, v in result.round_tables.items()),
             "Objectives:   " + ", ".join(f"{k}: {fmt(v)}" for k, v in result.objectives.items())]
    for code in result.submitted:
        state = result.states[code]
        lines.append(f"  {code}: overall {fmt(state.overall)}, reported share {fmt(state.reported_share)}")
    if result.not_submitted:
        lines.append(f"Not submitted: {' '.join(result.not_submitted)}")
    return lines


@main.command(context_settings=CONTEXT)
@click.option("--process", "process_id", metavar="ID", help="Process id, e.g. RCM.")
@click.option("--all", "all_processes", is_flag=True, help="Every process.")
@click.option("--cycle", required=True, type=int, metavar="YEAR", help="Review cycle, e.g. 2026.")
@click.option("--lang", "langs", type=LANG_CHOICE, multiple=True,
              help="Language (repeatable; default: each process's working languages, processes/*.yaml).")
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the PDFs.")
@click.option("--edition", type=click.Choice(["review", "staff", "both"], case_sensitive=False),
              help="review: the public, authored review; staff: the internal scoreboard, states named; both. "
                   "Default: review, or both with --all.")
@click.option("--force", is_flag=True, help="Re-render even when the inputs are unchanged.")
@click.option("--jobs", type=click.IntRange(1, 64), metavar="N", help="Worker processes (default: every core).")
@accepted_only_option
@db_option
def report(process_id: str | None, all_processes: bool, cycle: int, langs: tuple[str, ...], output: Path,
           edition: str | None, force: bool, jobs: int | None, accepted_only: bool, db: str | None) -> None:
    """Render regional review PDFs (and their HTML) into a folder.

    Files are named <process>-<cycle>-<lang>.pdf for the review edition and
    <process>-<cycle>-staff-<lang>.pdf for the staff edition. Reports whose inputs did not
    change since the last render into that folder are skipped (use --force to re-render).

    \b
    Example:
      gcmtrack report --process RCM --cycle 2026 --lang es --output out/
      gcmtrack report --process RCM --cycle 2026 --edition staff --output out/
      gcmtrack report --all --cycle 2026 --output out/
    """
    from gcmtrack.reference.processes import get_process, processes as all_procs
    from gcmtrack.store import Store

    if bool(process_id) == bool(all_processes):
        raise click.UsageError("give exactly one of --process ID and --all")
    from gcmtrack.service.rendering import report_languages

    ids = list(all_procs()) if all_processes else [get_process(process_id).id]
    chosen = (edition or ("both" if all_processes else "review")).lower()
    editions = ("review", "staff") if chosen == "both" else (chosen,)
    # Each process in its working languages, unless --lang names the languages for all of them.
    plan: dict[tuple[str, ...], list[str]] = {}
    for pid in ids:
        working = report_languages(get_process(pid))
        wanted = tuple(lang.lower() for lang in langs) or working
        for lang in wanted:
            if lang not in working and not all_processes:
                click.echo(f"Note: {lang} is not a working language of {pid} ({', '.join(working)}); rendering it anyway.",
                           err=True)
        plan.setdefault(wanted, []).append(pid)
    with Store(db, create=False) as store:
        results = _render_with_progress(store, plan, cycle, output, force, jobs, accepted_only, editions)
    _print_render_results(results)


def _render_with_progress(store, plan, cycle, output, force, jobs, accepted_only=False, editions=("review",)):
    """Render `plan` (languages -> the process ids rendered in them) with one progress bar."""
    from gcmtrack.report.batch import render_reports

    total = sum(len(ids) * len(languages) for languages, ids in plan.items()) * len(editions)
    results = []
    with _progress(total) as progress:
        task = progress.add_task("Rendering reports", total=total)
        for languages, ids in plan.items():
            results += render_reports(store, ids, cycle, list(languages), output, force=force, workers=jobs,
                                      accepted_only=accepted_only, on_done=lambda _r: progress.advance(task),
                                      editions=editions)
    return results


def _print_render_results(results) -> None:
    rendered = [r for r in results if not r.skipped]
    skipped = [r for r in results if r.skipped]
    for r in rendered:
        click.echo(f"Wrote {r.pdf} ({r.pages} pages)")
    if skipped:
        click.echo(f"Skipped {len(skipped)} unchanged report(s): " + ", ".join(r.pdf.name for r in skipped))


CUT_LISTED = 20  # cut cells the export command names on the terminal; the Notes sheet names all


@main.command(context_settings=CONTEXT)
@click.option("--cycle", required=True, type=int, metavar="YEAR", help="Review cycle, e.g. 2026.")
@click.option("--process", "process_id", metavar="ID", help="Only the members of this process.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.xlsx or FILE.csv.")
@click.option("--lang", type=LANG_CHOICE, default="en", show_default=True,
              help="Language of the names and status labels.")
@accepted_only_option
@db_option
def export(cycle: int, process_id: str | None, output: Path, lang: str, accepted_only: bool, db: str | None) -> None:
    """Export the compiled dataset: one row per state and objective, every practice, and each
    submission's details.

    An .xlsx holds a Dataset and a Practices sheet, its text cells typed as text and kept as
    written; a text longer than a cell holds (32,767 characters) is cut with a mark, and a Notes
    sheet (and the terminal) names each cut cell: state, objective or practice, column. A .csv holds the dataset, and FILE-practices.csv the practices, every field quoted;
    in CSV, cells that could be read as formulas (starting with = + - @, tab, CR or LF, also
    after spaces or control characters) are neutralised with a '.

    \b
    Example:
      gcmtrack export --cycle 2026 --process CMC --output cmc-2026.xlsx --lang es
    """
    from gcmtrack.export import CUT_MARK, NOTES_SHEET, write_export
    from gcmtrack.store import Store

    if output.suffix.lower() not in (".xlsx", ".csv"):
        raise click.UsageError("--output must end in .xlsx or .csv")
    with Store(db, create=False) as store:
        summary = write_export(store, cycle, process_id, output, lang.lower(), accepted_only=accepted_only)
    click.echo(f"Wrote {', '.join(str(f) for f in summary.files)} ({summary.rows} rows, "
               f"{summary.practices} practices)")
    if summary.cut_cells:
        click.echo(f"Warning: {summary.cut_cells} text(s) longer than a spreadsheet cell holds (32,767 characters) "
                   f"were cut, each ending with the mark “{CUT_MARK.strip()}” and named in the {NOTES_SHEET} sheet; "
                   "the .csv export holds them whole:", err=True)
        for item in summary.cut[:CUT_LISTED]:
            click.echo(f"  {item.where()}", err=True)
        if summary.cut_cells > CUT_LISTED:
            click.echo(f"  … and {summary.cut_cells - CUT_LISTED} more (see the {NOTES_SHEET} sheet)", err=True)


@main.command(context_settings=CONTEXT)
@click.option("--output", "-o", default="out", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the store, the reports and the export.")
@click.option("--jobs", type=click.IntRange(1, 64), metavar="N", help="Worker processes (default: every core).")
@click.option("--serve", "then_serve", is_flag=True,
              help="Then run the portal on the demo store, with demo accounts (passwords printed once).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), metavar="N",
              help="Port for --serve.")
def demo(output: Path, jobs: int | None, then_serve: bool, port: int) -> None:
    """The whole pipeline on the bundled sample workbooks (fictional data).

    Ingests submissions/ into a fresh store OUTPUT/gcmtrack-demo.db, renders both editions of
    every process report in each language the process works in (and the ESCWA and ECE reviews
    in theirs) into OUTPUT, and exports the dataset. With
    --serve, it then opens the portal on that store: one account per role, the cycle open,
    the reports published.

    \b
    Example:
      gcmtrack demo --output out/
      gcmtrack demo --serve          # then open http://127.0.0.1:8000/
    """
    from gcmtrack.service.demo import run_demo

    with _progress(2) as progress:
        task = progress.add_task("Rendering reports", total=None, visible=False)

        def on_render(done: int, total: int) -> None:
            progress.update(task, total=total, completed=done, visible=True)

        summary = run_demo(output, on_stage=progress.console.print, on_render=on_render, workers=jobs)
    click.echo(summary)
    if then_serve:
        from gcmtrack.cli.serve import run_portal
        from gcmtrack.service.demo import DEMO_DB, prepare

        location = str(output / DEMO_DB)
        accounts = prepare(location, output)
        click.echo("\nDemo accounts (passwords made for this run; fictional data):")
        for email, role, password, hint in accounts:
            click.echo(f"  {role:<9} {email:<24} {password}   {hint}")
        click.echo(f"\nPortal: http://127.0.0.1:{port}/  (Ctrl-C stops it)\n")
        run_portal(location, "127.0.0.1", port, 2, with_render_worker=True)


