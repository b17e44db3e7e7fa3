"""The `gcmtrack` command line: each command parses its options, calls one library function,
prints the result and maps the library's errors to exit codes (cli.md: 0 ok, 1 the input has
problems, 2 usage error). Library code never prints or exits."""

from __future__ import annotations

import csv
import io
import json
import sys
import traceback
from pathlib import Path
from typing import Any, Callable

import click

from gcmtrack import __version__
from gcmtrack.errors import GcmtrackError

LANG_CHOICE = click.Choice(["en", "es", "fr"], case_sensitive=False)
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """Maps errors to one line and exit 1; a traceback only with --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except GcmtrackError as exc:
            if ctx.params.get("debug"):
                traceback.print_exc()
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if ctx.params.get("debug"):
                traceback.print_exc()
            else:
                click.echo(f"Error: unexpected failure ({type(exc).__name__}: {exc}); rerun with --debug for details.",
                           err=True)
            ctx.exit(1)


def db_option(func: Callable) -> Callable:
    return click.option("--db", "db", metavar="PATH_OR_URL", envvar="GCMTRACK_DB",
                        help="The store: an SQLite file or sqlite:///PATH URL (default: $GCMTRACK_DB, else ./gcmtrack.db).")(func)


def json_option(func: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(func)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _progress(count: int):
    """A progress bar on stderr, shown when there is more than one item to work through."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), disable=count <= 1)


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="gcmtrack")
@click.option("--debug", is_flag=True, help="Show a traceback on unexpected failures.")
def main(debug: bool) -> None:
    """Validate, store, score and report member-state progress workbooks on the Global Compact
    for Safe, Orderly and Regular Migration (GCM), for regional reviews that feed the IMRF.

    \b
    Example:
      gcmtrack demo                      # the whole pipeline on the bundled samples
      gcmtrack validate submissions/mex-2026.xlsx
    """


# --------------------------------------------------------------------------- reference data


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
    from gcmtrack.framework import framework

    fw = framework()
    lang = lang.lower()
    if as_json:
        data: dict[str, Any] = {"objectives": [
            {"number": o.number, "title": o.title(lang), "label": o.label(lang),
             "actions": [{"letter": a.letter, "label": a.label} for a in o.actions],
             "unverified": sorted(o.unverified)} for o in fw.objectives.values()]}
        if edition is not None:
            ed = fw.edition(edition)
            data["edition"] = {"year": ed.year, "name": ed.name, "status": ed.status,
                               "round_tables": [{"number": t.number, "objectives": list(t.objectives)}
                                                for t in ed.round_tables]}
        _echo_json(data)
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
    from gcmtrack.processes import processes as all_processes

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


# --------------------------------------------------------------------------- submissions


@main.command(context_settings=CONTEXT)
@click.option("--state", required=True, metavar="ISO3", help="The state or territory (ISO3 code or name).")
@click.option("--cycle", required=True, type=int, metavar="YEAR", help="The IMRF year the report feeds, e.g. 2026.")
@click.option("--lang", type=LANG_CHOICE, default="en", show_default=True, help="Language of the workbook.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The .xlsx to write.")
def template(state: str, cycle: int, lang: str, output: Path) -> None:
    """Write a blank submission workbook, pre-filled for one state and cycle.

    \b
    Example:
      gcmtrack template --state MEX --cycle 2026 --lang es --output mex-2026.xlsx
    """
    from gcmtrack.intake.template import write_template
    from gcmtrack.fileio import write_atomic

    data = write_template(state, cycle, lang.lower())
    write_atomic(output, data)
    click.echo(f"Wrote {output}")


def _print_problems(item: dict) -> None:
    for p in item["problems"]:
        where = " ".join(x for x in (p["sheet"], p["cell"]) if x)
        where = f" [{where}]" if where else ""
        click.echo(f"  {p['severity']:<7} {p['code']}{where}: {p['message']}")
        if p["hint"]:
            click.echo(f"          → {p['hint']}")


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option
@click.option("--annotate", type=click.Path(dir_okay=False, path_type=Path), metavar="OUT.xlsx",
              help="Write a copy of the workbook with every problem cell highlighted and commented (one FILE only).")
def validate(files: tuple[Path, ...], as_json: bool, annotate: Path | None) -> None:
    """Check workbooks against the submission contract; stores nothing.

    Exit status 0 when no file has an error, 1 otherwise.

    \b
    Example:
      gcmtrack validate mex-2026.xlsx --annotate mex-2026-checked.xlsx
    """
    from gcmtrack.intake.validate import validate_path

    if annotate and len(files) != 1:
        raise click.UsageError("--annotate takes exactly one FILE")
    results = []
    for path in files:
        result, data = validate_path(path)
        results.append(result)
        if annotate is not None:
            _write_annotated(result, data, annotate, quiet=as_json)
    report = {"valid": all(r.valid for r in results), "files": [r.to_dict() for r in results]}
    if as_json:
        _echo_json(report)
    else:
        for item, result in zip(report["files"], results):
            errors, warnings = len(result.errors), len(result.warnings)
            verdict = "valid" if result.valid else "INVALID"
            who = f" ({item['state'] or '?'}, {item['cycle'] or '?'})"
            click.echo(f"{item['path']}: {verdict}{who}, {errors} error(s), {warnings} warning(s)")
            _print_problems(item)
    sys.exit(0 if report["valid"] else 1)


def _write_annotated(result, data: bytes | None, out: Path, quiet: bool) -> None:
    from gcmtrack.intake.annotate import annotate as annotate_workbook
    from gcmtrack.fileio import write_atomic

    if data is None or result.raw is None:
        click.echo(f"Cannot annotate {result.path}: the file could not be opened as a workbook.", err=True)
        return
    problems = [p.to_dict(result.lang) for p in result.problems]
    write_atomic(out, annotate_workbook(data, problems, result.lang))
    if not quiet:
        click.echo(f"Wrote annotated copy {out}")


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@json_option
def ingest(paths: tuple[Path, ...], db: str | None, as_json: bool) -> None:
    """Validate files (or the .xlsx files of folders) and store each valid one as a new version.

    Identical bytes again are a no-op. Exit status 1 when any file was rejected (after
    storing all the valid ones).

    \b
    Example:
      gcmtrack ingest submissions/ --db review.db
    """
    from gcmtrack.ingest import expand_paths, ingest_files
    from gcmtrack.store import Store

    files = expand_paths(paths)
    if not files:
        raise click.UsageError("no .xlsx file found in the given paths")
    with Store(db) as store, _progress(len(files)) as progress:
        task = progress.add_task("Ingesting", total=len(files))
        results = ingest_files(store, files, on_file=lambda _r: progress.advance(task))
    report = {"valid": all(r.result.valid for r in results), "files": [r.to_dict() for r in results]}
    if as_json:
        _echo_json(report)
    else:
        for item, r in zip(report["files"], results):
            if r.outcome and r.outcome.duplicate:
                line = f"already stored as submission {r.outcome.submission_id} (identical file); nothing to do"
            elif r.outcome:
                line = (f"accepted: {r.outcome.state} {r.outcome.cycle}, version {r.outcome.version} "
                        f"(submission {r.outcome.submission_id}), {len(r.result.warnings)} warning(s)")
            else:
                line = f"REJECTED: {len(r.result.errors)} error(s); nothing stored"
            click.echo(f"{item['path']}: {line}")
            if not r.accepted or r.result.warnings and not (r.outcome and r.outcome.duplicate):
                _print_problems(item)
        accepted = sum(1 for r in results if r.accepted)
        click.echo(f"{accepted} of {len(results)} file(s) accepted.")
    sys.exit(0 if all(r.accepted for r in results) else 1)


@main.command(context_settings=CONTEXT)
@click.option("--cycle", type=int, metavar="YEAR", help="Only this review cycle (default: every cycle in the store).")
@click.option("--process", "process_id", metavar="ID", help="Only this process.")
@db_option
@json_option
def status(cycle: int | None, process_id: str | None, db: str | None, as_json: bool) -> None:
    """Who has submitted what, per process: state, date, version count, warnings.

    \b
    Example:
      gcmtrack status --cycle 2026 --process RCM
    """
    from gcmtrack.status import submission_status
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        data = submission_status(store, cycle, process_id)
    if as_json:
        _echo_json(data)
        return
    if not data["cycles"]:
        click.echo("The store holds no submission yet.")
    for cyc in data["cycles"]:
        for proc in cyc["processes"]:
            click.echo(f"{proc['process']} {cyc['cycle']}: {len(proc['submitted'])} of {len(proc['members'])} "
                       f"members submitted")
            for row in proc["states"]:
                if row["submitted"]:
                    click.echo(f"  {row['state']:<4} {row['name']:<34} v{row['versions']}  {row['ingested_at']}  "
                               f"{row['warnings']} warning(s)")
                else:
                    click.echo(f"  {row['state']:<4} {row['name']:<34} not submitted")


# --------------------------------------------------------------------------- outputs


@main.command(context_settings=CONTEXT)
@click.option("--process", "process_id", required=True, metavar="ID", help="Process id, e.g. RCM.")
@click.option("--cycle", required=True, type=int, metavar="YEAR", help="Review cycle, e.g. 2026.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON (scoring.md).")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per state and objective.")
@db_option
def score(process_id: str, cycle: int, as_json: bool, as_csv: bool, db: str | None) -> None:
    """Coverage scores of a process for a cycle, by the default method of scoring.md.

    \b
    Example:
      gcmtrack score --process RCM --cycle 2026 --json
    """
    from gcmtrack.reporting import process_score
    from gcmtrack.store import Store

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    with Store(db, create=False) as store:
        result = process_score(store, process_id, cycle)
    data = result.to_json()
    if as_json:
        _echo_json(data)
    elif as_csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["process", "cycle", "state", "objective", "score"])
        for state in data["submitted"]:
            for objective, value in data["states"][state]["objectives"].items():
                writer.writerow([data["process"], data["cycle"], state, objective, "" if value is None else value])
        click.echo(buffer.getvalue(), nl=False)
    else:
        fmt = lambda v: "–" if v is None else f"{v:.2f}"  # noqa: E731
        click.echo(f"{data['process']} {data['cycle']} ({data['edition']}): {len(data['submitted'])} of "
                   f"{len(data['members'])} members submitted, participation {fmt(data['participation'])}, "
                   f"overall {fmt(data['overall'])}")
        click.echo("Round tables: " + ", ".join(f"RT{k} {fmt(v)}" for k, v in data["round_tables"].items()))
        click.echo("Objectives:   " + ", ".join(f"{k}: {fmt(v)}" for k, v in data["objectives"].items()))
        for state in data["submitted"]:
            s = data["states"][state]
            click.echo(f"  {state}: overall {fmt(s['overall'])}, reported share {fmt(s['reported_share'])}")
        missing = [m for m in data["members"] if m not in data["submitted"]]
        if missing:
            click.echo(f"Not submitted: {' '.join(missing)}")


@main.command(context_settings=CONTEXT)
@click.option("--process", "process_id", metavar="ID", help="Process id, e.g. RCM.")
@click.option("--all", "all_processes", is_flag=True, help="Every process.")
@click.option("--cycle", required=True, type=int, metavar="YEAR", help="Review cycle, e.g. 2026.")
@click.option("--lang", "langs", type=LANG_CHOICE, multiple=True, help="Language (repeatable; default en, es and fr).")
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the PDFs.")
@click.option("--force", is_flag=True, help="Re-render even when the inputs are unchanged.")
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes (default: every core).")
@db_option
def report(process_id: str | None, all_processes: bool, cycle: int, langs: tuple[str, ...], output: Path,
           force: bool, jobs: int | None, db: str | None) -> None:
    """Render regional review PDFs (and their HTML) into a folder.

    Files are named <process>-<cycle>-<lang>.pdf. Reports whose inputs did not change since
    the last render into that folder are skipped (use --force to re-render).

    \b
    Example:
      gcmtrack report --process RCM --cycle 2026 --lang es --output out/
      gcmtrack report --all --cycle 2026 --output out/
    """
    from gcmtrack.processes import get_process, processes as all_procs
    from gcmtrack.store import Store

    if bool(process_id) == bool(all_processes):
        raise click.UsageError("give exactly one of --process ID and --all")
    ids = list(all_procs()) if all_processes else [get_process(process_id).id]
    languages = [lang.lower() for lang in langs] or ["en", "es", "fr"]
    with Store(db, create=False) as store:
        results = _render_with_progress(store, ids, cycle, languages, output, force, jobs)
    _print_render_results(results)


def _render_with_progress(store, ids, cycle, languages, output, force, jobs):
    from gcmtrack.reporting import render_reports

    total = len(ids) * len(languages)
    with _progress(total) as progress:
        task = progress.add_task("Rendering reports", total=total)
        return render_reports(store, ids, cycle, languages, output, force=force, workers=jobs,
                              on_done=lambda _r: progress.advance(task))


def _print_render_results(results) -> None:
    rendered = [r for r in results if not r.skipped]
    skipped = [r for r in results if r.skipped]
    for r in rendered:
        click.echo(f"Wrote {r.pdf} ({r.pages} pages)")
    if skipped:
        click.echo(f"Skipped {len(skipped)} unchanged report(s): " + ", ".join(r.pdf.name for r in skipped))


@main.command(context_settings=CONTEXT)
@click.option("--cycle", required=True, type=int, metavar="YEAR", help="Review cycle, e.g. 2026.")
@click.option("--process", "process_id", metavar="ID", help="Only the members of this process.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.xlsx or FILE.csv.")
@db_option
def export(cycle: int, process_id: str | None, output: Path, db: str | None) -> None:
    """Export the compiled dataset: one row per state and objective.

    Cells that could be read as formulas (starting with = + - @ tab or CR) are neutralised.

    \b
    Example:
      gcmtrack export --cycle 2026 --process CMC --output cmc-2026.xlsx
    """
    from gcmtrack.export import export_dataset
    from gcmtrack.store import Store

    if output.suffix.lower() not in (".xlsx", ".csv"):
        raise click.UsageError("--output must end in .xlsx or .csv")
    with Store(db, create=False) as store:
        count = export_dataset(store, cycle, process_id, output)
    click.echo(f"Wrote {output} ({count} rows)")


@main.command(context_settings=CONTEXT)
@click.option("--output", "-o", default="out", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the store, the reports and the export.")
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes (default: every core).")
def demo(output: Path, jobs: int | None) -> None:
    """The whole pipeline on the bundled sample workbooks (fictional data).

    Ingests submissions/ into a fresh store OUTPUT/gcmtrack-demo.db, renders every process
    report in English, Spanish and French into OUTPUT, and exports the dataset.

    \b
    Example:
      gcmtrack demo --output out/
    """
    from gcmtrack.demo import run_demo

    with _progress(2) as progress:
        task = progress.add_task("Rendering reports", total=None, visible=False)

        def on_render(done: int, total: int) -> None:
            progress.update(task, total=total, completed=done, visible=True)

        summary = run_demo(output, on_stage=progress.console.print, on_render=on_render, workers=jobs)
    click.echo(summary)


if __name__ == "__main__":  # pragma: no cover
    main()
