"""Commands on workbooks: template, validate, ingest, status."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gcmtrack.cli import CONTEXT, LANG_CHOICE, _echo_json, _progress, db_option, json_option, main


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
    from gcmtrack.common.files import write_atomic

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
    from gcmtrack.intake.validate import ValidationReport, validate_path

    if annotate and len(files) != 1:
        raise click.UsageError("--annotate takes exactly one FILE")
    report = ValidationReport()
    for path in files:
        result, data = validate_path(path)
        report.files.append(result)
        if annotate is not None:
            _write_annotated(result, data, annotate, quiet=as_json)
    if as_json:
        _echo_json(report.to_dict())
    else:
        for result in report.files:
            item = result.to_dict()
            verdict = "valid" if result.valid else "INVALID"
            who = f" ({item['state'] or '?'}, {item['cycle'] or '?'})"
            click.echo(f"{item['path']}: {verdict}{who}, {len(result.errors)} error(s), "
                       f"{len(result.warnings)} warning(s)")
            _print_problems(item)
    sys.exit(0 if report.valid else 1)


def _write_annotated(result, data: bytes | None, out: Path, quiet: bool) -> None:
    from gcmtrack.intake.annotate import annotate as annotate_workbook
    from gcmtrack.common.files import write_atomic

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
        report = ingest_files(store, files, on_file=lambda _r: progress.advance(task))
    if as_json:
        _echo_json(report.to_dict())
    else:
        for r in report.files:
            item = r.to_dict()
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
        accepted = sum(1 for r in report.files if r.accepted)
        click.echo(f"{accepted} of {len(report.files)} file(s) accepted.")
    sys.exit(0 if report.valid else 1)


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
    from gcmtrack.store.status import submission_status
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


