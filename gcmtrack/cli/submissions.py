"""Commands on workbooks: template, validate, ingest, status."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from gcmtrack.cli import CONTEXT, LANG_CHOICE, _echo_json, _progress, db_option, json_option, main, terminal_safe


@main.command(context_settings=CONTEXT)
@click.option("--state", required=True, metavar="ISO3", help="The state or territory (ISO3 code or name).")
@click.option("--cycle", required=True, type=int, metavar="YEAR", help="The IMRF year the report feeds, e.g. 2026.")
@click.option("--lang", type=LANG_CHOICE, default="en", show_default=True, help="Language of the workbook.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The .xlsx to write.")
@click.option("--db", "db", metavar="PATH_OR_URL",
              help="A store to take the deadlines of the state's processes from (optional; none is read without it).")
def template(state: str, cycle: int, lang: str, output: Path, db: str | None) -> None:
    """Write a blank submission workbook, pre-filled for one state and cycle.

    \b
    Example:
      gcmtrack template --state MEX --cycle 2026 --lang es --output mex-2026.xlsx
      gcmtrack template --state MEX --cycle 2026 --db review.db --output mex-2026.xlsx
    """
    from gcmtrack.common.files import write_atomic
    from gcmtrack.service.templates import template_with_deadlines

    if db:
        from gcmtrack.store import Store

        with Store(db, create=False) as store:
            data = template_with_deadlines(state, cycle, lang.lower(), store)
    else:
        data = template_with_deadlines(state, cycle, lang.lower())
    write_atomic(output, data)
    click.echo(f"Wrote {output}")


def _say(key: str, lang: str, **params) -> str:
    """A line of the command line's output about a workbook, in `lang` (the cli catalogue)."""
    from gcmtrack.common.catalogue import text

    return text("cli", key.removeprefix("cli-"), lang, **params)


def _print_problems(item: dict, lang: str) -> None:
    for p in item["problems"]:
        where = " ".join(terminal_safe(x) for x in (p["sheet"], p["cell"]) if x)
        where = f" [{where}]" if where else ""
        severity = _say(f"cli-{p['severity']}", lang) if p["severity"] in ("error", "warning") else p["severity"]
        width = max(len(_say("cli-error", lang)), len(_say("cli-warning", lang)))
        click.echo(f"  {severity:<{width}} {p['code']}{where}: {terminal_safe(p['message'])}")
        if p["hint"]:
            click.echo(f"  {'':<{width}} → {terminal_safe(p['hint'])}")


def _batch_lang(results, chosen: str | None) -> str:
    """--lang, else the language the files share, else English."""
    langs = {r.lang for r in results}
    return chosen or (langs.pop() if len(langs) == 1 else "en")


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option
@click.option("--annotate", type=click.Path(dir_okay=False, path_type=Path), metavar="OUT.xlsx",
              help="Write a copy of the workbook with every problem cell highlighted and commented, plus a "
                   "Problems sheet (one workbook only; never onto the workbook itself).")
@click.option("--lang", type=LANG_CHOICE, help="Language of the messages (default: each workbook's own).")
def validate(paths: tuple[Path, ...], as_json: bool, annotate: Path | None, lang: str | None) -> None:
    """Check workbooks (files, or the .xlsx/.xlsm files of folders) against the submission
    contract; stores nothing.

    Exit status 0 when no file has an error, 1 otherwise.

    \b
    Example:
      gcmtrack validate mex-2026.xlsx --annotate mex-2026-checked.xlsx
      gcmtrack validate inbox/
    """
    from gcmtrack.common.files import expand_paths
    from gcmtrack.intake.validate import ValidationReport, validate_path

    files = expand_paths(paths)
    if not files:
        raise click.UsageError("no .xlsx file found in the given paths")
    if annotate is not None:
        if len(files) != 1:
            raise click.UsageError("--annotate takes exactly one FILE")
        if _same_file(files[0], annotate):
            raise click.UsageError("--annotate must name a new file: the workbook itself is never overwritten")
    lang = lang.lower() if lang else None
    report = ValidationReport()
    for path in files:
        result, data = validate_path(path)
        report.files.append(result)
        if annotate is not None:
            _write_annotated(result, data, annotate, quiet=as_json, lang=lang or result.lang)
    if as_json:
        if lang:
            for result in report.files:
                result.lang = lang
        _echo_json(report.to_dict())
    else:
        for result in report.files:
            out = lang or result.lang
            item = result.to_dict() if not lang else {**result.to_dict(), "problems": [
                p.to_dict(lang) for p in result.problems]}
            verdict = _say("cli-valid", out) if result.valid else _say("cli-invalid", out)
            unknown = _say("cli-unknown", out)
            who = f" ({item['state'] or unknown}, {item['cycle'] or unknown})"
            counts = _say("cli-counts", out, errors=len(result.errors), warnings=len(result.warnings))
            click.echo(f"{terminal_safe(item['path'])}: {verdict}{who}, {counts}")
            _print_problems(item, out)
    sys.exit(0 if report.valid else 1)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _write_annotated(result, data: bytes | None, out: Path, quiet: bool, lang: str) -> None:
    from gcmtrack.intake.annotate import annotate as annotate_workbook
    from gcmtrack.common.files import write_atomic

    if data is None or result.raw is None:
        click.echo(f"Cannot annotate {terminal_safe(result.path)}: the file could not be opened as a workbook.",
                   err=True)
        return
    problems = [p.to_dict(lang) for p in result.problems]
    write_atomic(out, annotate_workbook(data, problems, lang))
    if not quiet:
        click.echo(_say("cli-annotated", lang, path=terminal_safe(out)))


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@json_option
@click.option("--lang", type=LANG_CHOICE, help="Language of the messages (default: each workbook's own).")
def ingest(paths: tuple[Path, ...], db: str | None, as_json: bool, lang: str | None) -> None:
    """Validate files (or the .xlsx/.xlsm files of folders) and store each valid one as a new version.

    Identical bytes again are a no-op. Exit status 1 when any file was rejected (after
    storing all the valid ones).

    \b
    Example:
      gcmtrack ingest submissions/ --db review.db
    """
    from gcmtrack.service.ingest import expand_paths, ingest_files
    from gcmtrack.store import Store

    files = expand_paths(paths)
    if not files:
        raise click.UsageError("no .xlsx file found in the given paths")
    lang = lang.lower() if lang else None
    with Store(db) as store, _progress(len(files)) as progress:
        task = progress.add_task("Ingesting", total=len(files))
        report = ingest_files(store, files, on_file=lambda _r: progress.advance(task))
    for r in report.files:
        if r.window is not None and r.accepted:
            w = r.window
            key = f"cli-deadline-{w.refused}" if w.refused else "cli-deadline-late"
            click.echo(f"{terminal_safe(r.result.path)}: " + _say(
                key, lang or r.result.lang, cycle=w.cycle, state=w.state, process=w.process or "-",
                due=w.due.isoformat() if w.due else "-"), err=True)
    if as_json:
        if lang:
            for r in report.files:
                r.result.lang = lang
        _echo_json(report.to_dict())
    else:
        for r in report.files:
            out = lang or r.result.lang
            item = r.to_dict() if not lang else {**r.to_dict(), "problems": [p.to_dict(lang) for p in r.result.problems]}
            if r.outcome and r.outcome.duplicate:
                line = _say("cli-duplicate", out, id=r.outcome.submission_id)
            elif r.outcome:
                line = _say("cli-accepted", out, state=r.outcome.state, cycle=r.outcome.cycle,
                            version=r.outcome.version, id=r.outcome.submission_id, warnings=len(r.result.warnings))
            else:
                line = _say("cli-rejected", out, errors=len(r.result.errors))
            click.echo(f"{terminal_safe(item['path'])}: {line}")
            if not r.accepted or r.result.warnings and not (r.outcome and r.outcome.duplicate):
                _print_problems(item, out)
        accepted = sum(1 for r in report.files if r.accepted)
        click.echo(_say("cli-batch", _batch_lang([r.result for r in report.files], lang),
                        accepted=accepted, files=len(report.files)))
    sys.exit(0 if report.valid else 1)


@main.command(context_settings=CONTEXT)
@click.option("--cycle", type=int, metavar="YEAR", help="Only this review cycle (default: every cycle in the store).")
@click.option("--process", "process_id", metavar="ID", help="Only this process.")
@click.option("--warnings", "list_warnings", is_flag=True, help="List each submission's warnings.")
@db_option
@json_option
def status(cycle: int | None, process_id: str | None, list_warnings: bool, db: str | None, as_json: bool) -> None:
    """Who has submitted what, per process: state, date, version count, warnings; and the
    states that submitted but belong to no process (no report includes them).

    \b
    Example:
      gcmtrack status --cycle 2026 --process RCM --warnings
    """
    from gcmtrack.service.status import submission_status
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        data = submission_status(store, cycle, process_id, with_warnings=list_warnings)
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
                    _print_warnings(row)
                else:
                    click.echo(f"  {row['state']:<4} {row['name']:<34} not submitted")
        for row in cyc.get("non_member_rows", []):
            click.echo(f"In no process in {cyc['cycle']} (no report includes it): {row['state']:<4} {row['name']}  "
                       f"v{row['versions']}  {row['ingested_at']}  {row['warnings']} warning(s)")
            _print_warnings(row)


def _print_warnings(row: dict) -> None:
    for p in row.get("warning_list") or ():
        where = " ".join(terminal_safe(x) for x in (p.get("sheet"), p.get("cell")) if x)
        click.echo(f"       {p.get('code')}{f' [{where}]' if where else ''}: {terminal_safe(p.get('message'))}")


