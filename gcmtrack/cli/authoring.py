"""Commands that author a process's regional review (review.md, "Authoring"), acting as the
operating-system user (like `review`). One noun per group, one verb per command:

\b
  review-text set|show|history|diff|status   a section's text: every save is a version
  feature add|list|remove                    an objective's text or a practice in a round table
  inputs add|list                            stakeholder inputs
  indicators import|list                     context indicators from CSV
  disclosure set|show                        how per-state scores appear in the review
  final mark|show                            mark a review edition final

Every command takes --json. Problems with a text or a CSV are printed located, and nothing is
stored (exit 1)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gcmtrack.authored import DISCLOSURES, SECTIONS, STAKEHOLDER_KINDS
from gcmtrack.cli import CONTEXT, LANG_CHOICE, _echo_json, db_option, json_option, main, terminal_safe

SECTION_CHOICE = click.Choice(SECTIONS)


def _process_option(func):
    return click.option("--process", "process", required=True, metavar="ID", help="The process, e.g. RCM.")(func)


def _cycle_option(func):
    return click.option("--cycle", type=int, required=True, metavar="YEAR", help="The review cycle (IMRF year).")(func)


def _edition_options(func):
    """A review edition: its process, cycle and language."""
    language = click.option("--lang", type=LANG_CHOICE, required=True, help="The review's language.")
    return _process_option(_cycle_option(language(func)))


def _place_options(func):
    for option in reversed([
        _process_option, _cycle_option,
        click.option("--lang", type=LANG_CHOICE, required=True, help="The language of the text."),
        click.option("--section", type=SECTION_CHOICE, required=True, help="The section."),
        click.option("--round-table", "round_table", type=int, metavar="N",
                     help="The round table (synthesis and challenges only)."),
    ]):
        func = option(func)
    return func


def _place(process, cycle, lang, section, round_table):
    from gcmtrack.service.authoring import place

    return place(process, cycle, lang.lower(), section, round_table)


def _read(file: str, limit: int) -> bytes:
    """The bytes of FILE (- for standard input), refused above `limit` bytes."""
    if file == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        path = Path(file)
        if not path.is_file():
            raise click.UsageError(f"{file}: no such file")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    if len(data) > limit:
        raise click.UsageError(f"{file}: larger than {limit:,} bytes")
    return data


def _problems(exc, lang: str, as_json: bool) -> None:
    from gcmtrack.cli.submissions import _print_problems

    rendered = exc.rendered(lang)
    if as_json:
        _echo_json({"saved": False, "problems": rendered})
    else:
        click.echo(f"Error: {terminal_safe(str(exc).split(':')[0])}; nothing was stored.", err=True)
        _print_problems({"problems": rendered}, lang)
    sys.exit(1)


def _list_command(group, key: str, empty: str, doc: str, rows_of: str, as_dict: str, line) -> None:
    """Add `<group> list`: a review's rows (the authoring service's `rows_of(store, process,
    cycle)`, each `as_dict`), a line each or as JSON under `key`."""
    @group.command("list", context_settings=CONTEXT, help=doc)
    @_process_option
    @_cycle_option
    @json_option
    @db_option
    def listing(process, cycle, as_json, db) -> None:
        from gcmtrack.service import authoring
        from gcmtrack.store import Store

        with Store(db, create=False) as store:
            rows = [getattr(authoring, as_dict)(row) for row in getattr(authoring, rows_of)(store, process, cycle)]
        _print_rows(rows, as_json, key, empty, line)


def _print_rows(rows: list[dict], as_json: bool, key: str, empty: str, line) -> None:
    """A listing: `{key: rows}` with --json, else one line a row (`line(row)`) or `empty`."""
    if as_json:
        _echo_json({key: rows})
        return
    if not rows:
        click.echo(empty)
    for row in rows:
        click.echo(line(row))


# --------------------------------------------------------------------------- review-text


@main.group("review-text", context_settings=CONTEXT)
def review_text() -> None:
    """Write the review's sections: key messages, introduction, context, synthesis and
    challenges per round table, recommendations. Text is a safe Markdown subset (paragraphs,
    headings, lists, emphasis, block quotes, http(s) and mailto links); raw HTML, images and
    other links are refused, not stripped. Every save is a version.

    \b
    Example:
      gcmtrack review-text set --process RCM --cycle 2026 --lang en --section synthesis --round-table 2 --file rt2.md
      gcmtrack review-text history --process RCM --cycle 2026 --lang en --section synthesis --round-table 2
      gcmtrack review-text diff --process RCM --cycle 2026 --lang en --section synthesis --round-table 2 --from 1 --to 2
    """


@review_text.command("set", context_settings=CONTEXT)
@_place_options
@click.option("--file", "file", required=True, metavar="FILE", help="The Markdown text (UTF-8; - for standard input).")
@json_option
@db_option
def text_set(process, cycle, lang, section, round_table, file, as_json, db) -> None:
    """Save a section's text from a file as its next version.

    \b
    Example:
      gcmtrack review-text set --process RCM --cycle 2026 --lang es --section introduction --file intro-es.md
    """
    from gcmtrack.common.safemarkdown import MAX_CHARS
    from gcmtrack.service.authoring import AuthoringProblems, save_text
    from gcmtrack.store import Store

    data = _read(file, MAX_CHARS * 4 + 4)
    try:
        markdown = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.UsageError(f"{file}: not UTF-8 text") from None
    with Store(db) as store:
        where = _place(process, cycle, lang, section, round_table)
        try:
            saved = save_text(store, where, markdown)
        except AuthoringProblems as exc:
            _problems(exc, lang.lower(), as_json)
    if as_json:
        _echo_json({"saved": not saved["unchanged"], **saved})
    elif saved["unchanged"]:
        click.echo(f"Unchanged: version {saved['version']} already holds this text.")
    else:
        click.echo(f"Saved version {saved['version']} of {_label(saved)} ({saved['chars']:,} characters).")


def _label(row: dict) -> str:
    table = f" (round table {row['round_table']})" if row.get("round_table") else ""
    return f"{row['process']} {row['cycle']} {row['lang']} {row['section']}{table}"


@review_text.command("show", context_settings=CONTEXT)
@_place_options
@click.option("--version", type=int, metavar="N", help="A version (default: the latest).")
@click.option("--html", is_flag=True, help="Print the text as the review prints it (safe HTML).")
@json_option
@db_option
def text_show(process, cycle, lang, section, round_table, version, html, as_json, db) -> None:
    """Print a version of a section's text (its Markdown, or --html as printed).

    \b
    Example:
      gcmtrack review-text show --process RCM --cycle 2026 --lang en --section key-messages
    """
    from gcmtrack.service.authoring import show
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        shown = show(store, _place(process, cycle, lang, section, round_table), version)
    if as_json:
        _echo_json(shown)
        return
    body = shown["html"] if html else shown["markdown"]
    for line in body.splitlines():
        click.echo(terminal_safe(line))


@review_text.command("history", context_settings=CONTEXT)
@_place_options
@json_option
@db_option
def text_history(process, cycle, lang, section, round_table, as_json, db) -> None:
    """List every version of a section's text: who saved it, when.

    \b
    Example:
      gcmtrack review-text history --process RCM --cycle 2026 --lang en --section introduction
    """
    from gcmtrack.service.authoring import history
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        rows = history(store, _place(process, cycle, lang, section, round_table))
    _print_rows(rows, as_json, "versions", "No text yet.",
                lambda row: f"v{row['version']:<4} {row['saved_at']}  {terminal_safe(row['author'])}  "
                            f"{row['chars']:,} characters")


@review_text.command("diff", context_settings=CONTEXT)
@_place_options
@click.option("--from", "old", type=int, required=True, metavar="N", help="The older version.")
@click.option("--to", "new", type=int, required=True, metavar="M", help="The newer version.")
@json_option
@db_option
def text_diff(process, cycle, lang, section, round_table, old, new, as_json, db) -> None:
    """Show what changed between two versions of a section's text (a unified diff).

    \b
    Example:
      gcmtrack review-text diff --process RCM --cycle 2026 --lang en --section introduction --from 1 --to 3
    """
    from gcmtrack.service.authoring import diff
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        result = diff(store, _place(process, cycle, lang, section, round_table), old, new)
    if as_json:
        _echo_json(result)
        return
    for line in result["diff"]:
        click.echo(terminal_safe(line))


@review_text.command("status", context_settings=CONTEXT)
@_edition_options
@json_option
@db_option
def text_status(process, cycle, lang, as_json, db) -> None:
    """Say what a review edition holds: each section's version (missing translations marked,
    missing sections listed), featured items (stale ones flagged), inputs, indicators,
    disclosure, and whether it is final.

    \b
    Example:
      gcmtrack review-text status --process RCM --cycle 2026 --lang fr
    """
    from gcmtrack.service.authoring import review, review_status
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        status = review_status(review(store, process, cycle, lang.lower()))
    if as_json:
        _echo_json(status)
        return
    state = f"FINAL ({status['final_by']}, {status['final_at']})" if status["final"] else "DRAFT"
    click.echo(f"{status['process']} {status['cycle']} {status['lang']}: {state}; disclosure {status['disclosure']}")
    for name, text in status["texts"].items():
        mark = f"  [in {text['lang']}: translation missing]" if text["translation_missing"] else ""
        click.echo(f"  {name:<18} v{text['version']} {text['saved_at']} {terminal_safe(text['author'])}{mark}")
    if status["missing"]:
        click.echo(f"  not written yet: {', '.join(status['missing'])}")
    click.echo(f"  featured: {len(status['featured'])} ({status['stale']} stale); inputs: {status['inputs']}; "
               f"indicator values: {status['indicators']}")


# --------------------------------------------------------------------------- feature


@main.group(context_settings=CONTEXT)
def feature() -> None:
    """Feature an objective's text or a practice of a stored version in a round-table chapter
    (quoted in full; flagged stale when the version that counts no longer holds it).

    \b
    Example:
      gcmtrack feature add --process RCM --submission 12 --objective 5
      gcmtrack feature add --process RCM --submission 12 --objective 5 --practice 4 --round-table 2
      gcmtrack feature list --process RCM --cycle 2026
    """


@feature.command("add", context_settings=CONTEXT)
@_process_option
@click.option("--submission", "submission_id", type=int, required=True, metavar="ID", help="The stored version.")
@click.option("--objective", type=int, required=True, metavar="N", help="The objective.")
@click.option("--practice", "practice_row", type=int, metavar="ROW",
              help="Feature the practice in this row of the Practices sheet (default: the objective's text).")
@click.option("--round-table", "round_table", type=int, metavar="N",
              help="The round-table chapter (default: the objective's own).")
@json_option
@db_option
def feature_add(process, submission_id, objective, practice_row, round_table, as_json, db) -> None:
    """Feature an objective's text (the row's Measures taken), or with --practice the practice in
    that row of the Practices sheet (it must be mapped to the objective), of a stored version.
    The state must be a member of the process; the text is copied in full.

    \b
    Example:
      gcmtrack feature add --process RCM --submission 12 --objective 5 --practice 4 --round-table 2
    """
    from gcmtrack.service.authoring import feature as feature_item
    from gcmtrack.service.authoring import featured_dict
    from gcmtrack.store import Store

    with Store(db) as store:
        item = feature_item(store, process, submission_id, objective, practice_row=practice_row,
                            round_table=round_table)
    if as_json:
        _echo_json(featured_dict(item))
        return
    click.echo(f"Featured #{item.id}: {item.state} {item.kind} (objective {item.objective}) in round table "
               f"{item.round_table}, from {terminal_safe(item.source)} ({len(item.text):,} characters).")


def _stale(row: dict) -> str:
    return "  [STALE: the version that counts no longer holds this text]" if row["stale"] else ""


_list_command(feature, "featured", "Nothing featured yet.", """List the featured items, stale ones flagged.

    \b
    Example:
      gcmtrack feature list --process RCM --cycle 2026 --json
    """, "featured", "featured_dict",
              lambda i: f"#{i['id']:<5} RT{i['round_table']} obj {i['objective']:<3} {i['state']} {i['kind']:<15} "
                        f"{terminal_safe(i['source'])}{_stale(i)}")


@feature.command("remove", context_settings=CONTEXT)
@click.argument("featured_id", type=int)
@json_option
@db_option
def feature_remove(featured_id, as_json, db) -> None:
    """Take a featured item out of the review (the record stays).

    \b
    Example:
      gcmtrack feature remove 7
    """
    from gcmtrack.service.authoring import unfeature
    from gcmtrack.store import Store

    with Store(db) as store:
        unfeature(store, featured_id)
    if as_json:
        _echo_json({"removed": featured_id})
    else:
        click.echo(f"Removed featured item #{featured_id}.")


# --------------------------------------------------------------------------- inputs


@main.group(context_settings=CONTEXT)
def inputs() -> None:
    """Record stakeholders' written inputs to a review (printed in the public review only with
    consent to publish).

    \b
    Example:
      gcmtrack inputs add --process RCM --cycle 2026 --organisation "Red Migrante" --kind civil-society \\
          --lang es --date 2026-03-02 --file red.txt --consent
      gcmtrack inputs list --process RCM --cycle 2026
    """


@inputs.command("add", context_settings=CONTEXT)
@_process_option
@_cycle_option
@click.option("--organisation", required=True, help="Who wrote it.")
@click.option("--kind", type=click.Choice(STAKEHOLDER_KINDS), required=True, help="The kind of stakeholder.")
@click.option("--lang", type=LANG_CHOICE, required=True, help="The language of the text.")
@click.option("--date", "date", required=True, metavar="YYYY-MM-DD", help="When it was received.")
@click.option("--file", "file", required=True, metavar="FILE", help="The text, or its summary (UTF-8; - for stdin).")
@click.option("--summary", "is_summary", is_flag=True, help="The file is a summary of the input.")
@click.option("--consent/--no-consent", default=False, show_default=True, help="The author agreed to publication.")
@json_option
@db_option
def inputs_add(process, cycle, organisation, kind, lang, date, file, is_summary, consent, as_json, db) -> None:
    """Record a stakeholder's input: its text (or, with --summary, a summary), read from a file.

    \b
    Example:
      gcmtrack inputs add --process RCM --cycle 2026 --organisation "Red Migrante" --kind civil-society \\
          --lang es --date 2026-03-02 --file red.txt --consent
    """
    from gcmtrack.service.authoring import MAX_INPUT_CHARS, add_input, input_dict
    from gcmtrack.store import Store

    try:
        text = _read(file, MAX_INPUT_CHARS * 4 + 4).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.UsageError(f"{file}: not UTF-8 text") from None
    with Store(db) as store:
        item = add_input(store, process, cycle, organisation=organisation, kind=kind, lang=lang.lower(), date=date,
                         text=text, consent=consent, is_summary=is_summary)
    if as_json:
        _echo_json(input_dict(item))
    else:
        click.echo(f"Recorded input #{item.id} of {terminal_safe(item.organisation)} ({item.kind}, {item.lang}, "
                   f"{item.date}; {'may' if item.consent else 'may not'} be published).")


_list_command(inputs, "inputs", "No input recorded yet.", """List the stakeholder inputs recorded for a review.

    \b
    Example:
      gcmtrack inputs list --process RCM --cycle 2026 --json
    """, "inputs", "input_dict",
              lambda r: f"#{r['id']:<5} {r['date']} {terminal_safe(r['organisation'])} ({r['kind']}, {r['lang']}, "
                        f"{'consent' if r['consent'] else 'no consent'})")


# --------------------------------------------------------------------------- indicators


@main.group(context_settings=CONTEXT)
def indicators() -> None:
    """Import context indicators from CSV: the UN SDG Global Database export as downloaded, or
    the long form indicator,geo,year,value,unit,source,note (geo: ISO3 or M49). A file with
    any error is not imported; each problem is located (cell and column).

    \b
    Example:
      gcmtrack indicators import sdg-10.7.csv --process RCM --cycle 2026
      gcmtrack indicators list --process RCM --cycle 2026
    """


@indicators.command("import", context_settings=CONTEXT)
@click.argument("file", metavar="FILE")
@_process_option
@_cycle_option
@click.option("--lang", type=LANG_CHOICE, default="en", show_default=True, help="Language of the messages.")
@json_option
@db_option
def indicators_import(file, process, cycle, lang, as_json, db) -> None:
    """Import one CSV of indicator values (a dataset of the same file name is replaced).

    \b
    Example:
      gcmtrack indicators import sdg-10.7.csv --process RCM --cycle 2026 --lang es
    """
    from gcmtrack.intake.indicators import MAX_BYTES
    from gcmtrack.service.authoring import AuthoringProblems, import_indicators
    from gcmtrack.store import Store

    data = _read(file, MAX_BYTES)
    with Store(db) as store:
        try:
            result = import_indicators(store, process, cycle, data, "stdin.csv" if file == "-" else file)
        except AuthoringProblems as exc:
            _problems(exc, lang.lower(), as_json)
    if as_json:
        _echo_json({"saved": True, **result})
    else:
        replaced = " (replacing the earlier import)" if result["replaced"] else ""
        click.echo(f"Imported {result['rows']:,} values from {terminal_safe(result['name'])} "
                   f"({result['form']} form){replaced}.")


@indicators.command("list", context_settings=CONTEXT)
@_process_option
@_cycle_option
@json_option
@db_option
def indicators_list(process, cycle, as_json, db) -> None:
    """List the indicator datasets imported for a review.

    \b
    Example:
      gcmtrack indicators list --process RCM --cycle 2026
    """
    from gcmtrack.service.authoring import datasets
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        rows = datasets(store, process, cycle)
    _print_rows(rows, as_json, "datasets", "No dataset imported yet.",
                lambda r: f"#{r['id']:<5} {terminal_safe(r['name'])}: {r['rows']:,} values ({r['form']}), "
                          f"{r['imported_at']} {terminal_safe(r['imported_by'])}")


# --------------------------------------------------------------------------- disclosure and final


@main.group(context_settings=CONTEXT)
def disclosure() -> None:
    """How per-state scores appear in a process's review: aggregate (the default), anonymous
    or named (the staff edition always names states).

    \b
    Example:
      gcmtrack disclosure set --process RCM anonymous
    """


@disclosure.command("set", context_settings=CONTEXT)
@_process_option
@click.argument("value", type=click.Choice(DISCLOSURES))
@json_option
@db_option
def disclosure_set(process, value, as_json, db) -> None:
    """Set a process's disclosure.

    \b
    Example:
      gcmtrack disclosure set --process RCM named
    """
    from gcmtrack.service.authoring import process_id, set_disclosure
    from gcmtrack.store import Store

    with Store(db) as store:
        set_disclosure(store, process, value)
    if as_json:
        _echo_json({"process": process_id(process), "disclosure": value})
    else:
        click.echo(f"{process_id(process)}: disclosure {value}.")


@disclosure.command("show", context_settings=CONTEXT)
@_process_option
@json_option
@db_option
def disclosure_show(process, as_json, db) -> None:
    """Print a process's disclosure.

    \b
    Example:
      gcmtrack disclosure show --process RCM --json
    """
    from gcmtrack.service.authoring import disclosure as disclosure_of
    from gcmtrack.service.authoring import process_id
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        value = disclosure_of(store, process)
    if as_json:
        _echo_json({"process": process_id(process), "disclosure": value})
    else:
        click.echo(f"{process_id(process)}: disclosure {value}.")


@main.group(context_settings=CONTEXT)
def final() -> None:
    """Mark a review edition final: frozen with the digest of everything it is made from, and
    audited. A later change (a text, a featured item, a member's new version) makes it a draft
    again; the mark stays recorded.

    \b
    Example:
      gcmtrack final mark --process RCM --cycle 2026 --lang en --lang es --lang fr
      gcmtrack final show --process RCM --cycle 2026 --lang en
    """


@final.command("mark", context_settings=CONTEXT)
@_process_option
@_cycle_option
@click.option("--lang", "langs", type=LANG_CHOICE, multiple=True, required=True, help="A language (repeatable).")
@json_option
@db_option
def final_mark(process, cycle, langs, as_json, db) -> None:
    """Mark review editions final (one per language).

    \b
    Example:
      gcmtrack final mark --process RCM --cycle 2026 --lang en --lang es --lang fr
    """
    from gcmtrack.service.authoring import mark_final
    from gcmtrack.store import Store

    with Store(db) as store:
        marked = [mark_final(store, process, cycle, lang.lower()) for lang in dict.fromkeys(langs)]
    rows = [{"process": r.process, "cycle": r.cycle, "lang": r.lang, "final": r.final, "final_by": r.final_by,
             "final_at": r.final_at, "digest": r.extra["digest"]} for r in marked]
    if as_json:
        _echo_json({"editions": rows})
        return
    for r in rows:
        click.echo(f"{r['process']} {r['cycle']} {r['lang']}: final ({terminal_safe(r['final_by'])}, {r['final_at']}).")


@final.command("show", context_settings=CONTEXT)
@_edition_options
@json_option
@db_option
def final_show(process, cycle, lang, as_json, db) -> None:
    """Say whether an edition is final, and list every time it was marked.

    \b
    Example:
      gcmtrack final show --process RCM --cycle 2026 --lang en
    """
    from gcmtrack.service.authoring import review
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        r = review(store, process, cycle, lang.lower())
    data = {"process": r.process, "cycle": r.cycle, "lang": r.lang, "final": r.final, "final_by": r.final_by,
            "final_at": r.final_at, "digest": r.extra["digest"], "finals": r.extra["finals"]}
    if as_json:
        _echo_json(data)
        return
    click.echo(f"{r.process} {r.cycle} {r.lang}: " + (f"FINAL ({r.final_by}, {r.final_at})" if r.final else "DRAFT"))
    for m in data["finals"]:
        click.echo(f"  marked final {m['at']} by {terminal_safe(m['by'])}" + ("" if m["holds"] else
                                                                            " (changed since: superseded)"))
