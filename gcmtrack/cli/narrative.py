"""Commands on narrative reviews (.docx, .pdf, narrative.md): `narrative read` (stores nothing),
`narrative ingest` (stores a document awaiting a person's confirmation) and `narrative confirm`
(its links confirmed from a file of decisions)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gcmtrack.cli import CONTEXT, LANG_CHOICE, _echo_json, db_option, json_option, main, terminal_safe
from gcmtrack.cli.submissions import _say


@main.group(context_settings=CONTEXT)
def narrative() -> None:
    """Narrative reviews: the voluntary GCM reviews states write in prose (.docx, or .pdf with a
    text layer), read into passages with suggested objectives for a person to confirm.

    \b
    Example:
      gcmtrack narrative read review.docx
      gcmtrack narrative ingest review.docx --state JAM --cycle 2026
      gcmtrack narrative confirm 12 decisions.json
    """


@narrative.command("read", context_settings=CONTEXT)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.option("--lang", type=LANG_CHOICE, default="en", show_default=True, help="Language of the messages.")
def narrative_read(path: Path, as_json: bool, lang: str) -> None:
    """Read a narrative review and print its passages (page and paragraph, heading path, language,
    up to three suggested objectives with what led to each) and its problems. Stores nothing;
    suggestions count for nothing until a person confirms them. Exit 1 when the file cannot be read.

    \b
    Example:
      gcmtrack narrative read review-2026.pdf --lang fr
      gcmtrack narrative read review-2026.docx --json > passages.json
    """
    from gcmtrack.narrative import read_document
    from gcmtrack.narrative.limits import MAX_DOCUMENT_BYTES

    lang = lang.lower()
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)  # one byte more says "too large"
    except OSError as error:
        raise click.ClickException(f"{terminal_safe(path)}: {terminal_safe(error.strerror or error)}") from None
    reading = read_document(data, path.name)
    if as_json:
        shown = reading.to_dict()
        shown["ok"] = reading.ok
        shown["languages"] = reading.languages()
        shown["problems"] = [problem.to_dict(lang) for problem in reading.problems]
        _echo_json(shown)
        sys.exit(0 if reading.ok else 1)
    languages = ", ".join(f"{code} {count}" for code, count in reading.languages().items()) or "-"
    click.echo(_say("cli-narrative-summary", lang, file=terminal_safe(reading.filename), kind=reading.kind or "?",
                    passages=len(reading.passages), languages=languages))
    for problem in reading.problems:
        shown = problem.to_dict(lang)
        where = f" [p. {shown['page']}]" if shown.get("page") else ""
        severity = _say(f"cli-{shown['severity']}", lang)
        click.echo(f"  {severity} {shown['code']}{where}: {terminal_safe(shown['message'])}")
        if shown["hint"]:
            click.echo(f"    → {terminal_safe(shown['hint'])}")
    for passage in reading.passages:
        path_text = " › ".join(terminal_safe(h) for h in passage.headings)
        kind = _say(f"cli-narrative-kind-{passage.kind}", lang)
        place = (_say("cli-narrative-place", lang, paragraph=passage.paragraph) if passage.page is None
                 else _say("cli-narrative-place-page", lang, page=passage.page, paragraph=passage.paragraph))
        click.echo(f"\n#{passage.number}  {place}  [{passage.lang or '?'}] {kind}"
                   + (f"  {path_text}" if path_text else ""))
        text = passage.text if len(passage.text) <= 400 else passage.text[:399] + "…"
        for line in text.split("\n"):
            click.echo(f"    {terminal_safe(line)}")
        if not passage.suggestions:
            click.echo(f"    → {_say('cli-narrative-none', lang)}")
        for suggestion in passage.suggestions:
            click.echo(f"    → {suggestion.objective:>2}  {suggestion.confidence:.2f}  "
                       f"{terminal_safe(_reasons(suggestion.reasons, lang))}")
    sys.exit(0 if reading.ok else 1)


def _reasons(reasons: tuple[str, ...], lang: str) -> str:
    """What led to a suggestion, in the reader's language: the heading that assigned it, or the
    objective the passage names, its words and the heading above it whose words counted."""
    from gcmtrack.narrative.model import reasons_of

    why = reasons_of(reasons)
    if why.heading is not None:
        return _say("cli-narrative-by-heading", lang, heading=why.heading)
    parts = []
    if why.mentions is not None:
        parts.append(_say("cli-narrative-mentions", lang, objective=why.mentions))
    parts.extend(why.words)
    if why.under is not None:
        parts.append(_say("cli-narrative-under", lang, heading=why.under))
    return ", ".join(parts)


@narrative.command("ingest", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--state", required=True, metavar="ISO3", help="The state the document reports for.")
@click.option("--cycle", required=True, type=int, metavar="YEAR", help="The review cycle, e.g. 2026.")
@click.option("--lang", type=LANG_CHOICE, default="en", show_default=True, help="Language of the problems shown.")
@json_option
@db_option
def narrative_ingest(file: Path, state: str, cycle: int, lang: str, as_json: bool, db: str | None) -> None:
    """Read a .docx or .pdf review safely and store it as an unconfirmed narrative version of
    the state's cycle: it counts nothing until its links are confirmed (in the portal, or with
    `gcmtrack narrative confirm`). A document that cannot be read stores nothing (exit 1).

    \b
    Example:
      gcmtrack narrative ingest jamaica-review-2026.pdf --state JAM --cycle 2026
    """
    from gcmtrack.narrative.limits import MAX_DOCUMENT_BYTES as MAX_FILE_BYTES
    from gcmtrack.service.narrative import DUPLICATE, REFUSED, REJECTED_UPLOAD, STORED, UNKNOWN_CYCLE, ingest_narrative
    from gcmtrack.store import Store, cli_actor

    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise click.ClickException(f"{terminal_safe(file)}: larger than {MAX_FILE_BYTES} bytes; nothing stored")
        data = file.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{terminal_safe(file)}: cannot be read ({exc.strerror or exc})") from None
    with Store(db) as store:
        received = ingest_narrative(store, data, file.name, state, cycle, actor=cli_actor())
    if as_json:
        _echo_json(received.to_dict(lang))
    elif received.outcome == REFUSED:
        click.echo(f"Error: {terminal_safe(state)} is not a state gcmtrack knows (ISO 3166 alpha-3, e.g. JAM)",
                   err=True)
    elif received.outcome == UNKNOWN_CYCLE:
        click.echo(f"Error: {cycle} is not a review cycle (objectives/editions.yaml)", err=True)
    elif received.outcome == REJECTED_UPLOAD:
        click.echo(f"{terminal_safe(file.name)}: cannot be read; nothing stored", err=True)
        for problem in received.reading.problems:
            shown = problem.to_dict(lang)
            click.echo(f"  {shown.get('severity', '')} {shown.get('code', '')}: {terminal_safe(shown.get('message'))}",
                       err=True)
    else:
        item = received.item
        what = "already stored as" if received.outcome == DUPLICATE else "stored as"
        click.echo(f"{terminal_safe(file.name)}: {what} {received.state} {received.cycle} version {item.version} "
                   f"(id {item.submission_id}, narrative, unconfirmed): {len(received.reading.passages)} passages.")
        if received.outcome == STORED:
            click.echo(f"Confirm its links in the portal, or: gcmtrack narrative confirm {item.submission_id} "
                       "DECISIONS.json")
    if received.outcome not in (STORED, DUPLICATE):
        sys.exit(1)


@narrative.command("confirm", context_settings=CONTEXT)
@click.argument("version_id", metavar="ID", type=int)
@click.argument("file", metavar="FILE.json", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@json_option
@db_option
def narrative_confirm(version_id: int, file: Path, as_json: bool, db: str | None) -> None:
    """Record a person's decisions on a narrative version from a JSON file ("-": standard input),
    for staff who work offline: the objectives each passage speaks to (a suggestion kept is
    accepted, another objective is a change, a suggestion left out is rejected), the status
    the document supports per objective, and "confirm": true to make the version count. Every
    error is located (e.g. passages[3].objectives[0]) and nothing is written then. The shape
    is in README ("Narrative decisions").

    \b
    Example:
      gcmtrack narrative confirm 12 decisions.json
    """
    from gcmtrack.service.narrative import MAX_DECISIONS_BYTES, NarrativeInputError, apply_decisions, parse_decisions
    from gcmtrack.store import Store, cli_actor

    try:
        if str(file) == "-":
            raw = sys.stdin.buffer.read(MAX_DECISIONS_BYTES + 1)
        else:
            with file.open("rb") as handle:
                raw = handle.read(MAX_DECISIONS_BYTES + 1)
    except OSError as exc:
        raise click.ClickException(f"{terminal_safe(file)}: cannot be read ({exc.strerror or exc})") from None
    name = terminal_safe(file.name if str(file) != "-" else "<stdin>")
    try:
        decisions = parse_decisions(raw)
        with Store(db, create=False) as store:
            result = apply_decisions(store, version_id, decisions, actor=cli_actor())
    except NarrativeInputError as exc:
        if as_json:
            _echo_json({"errors": exc.to_list()})
        for where, code, message in exc.errors:
            click.echo(f"{name}: {terminal_safe(where) + ': ' if where else ''}{terminal_safe(message)} [{code}]",
                       err=True)
        sys.exit(1)
    from gcmtrack.store.narrative import NarrativeVersion

    if isinstance(result, NarrativeVersion):
        summary = {"id": result.id, "review_state": result.stored.review_state, "confirmed": False,
                   "links": [link.to_dict() for link in result.links],
                   "statuses": [s.to_dict() for s in result.statuses.values()]}
        text = (f"Narrative version {result.id}: {len({l.passage for l in result.links})} passages decided, "
                f"{len(result.statuses)} statuses set; not confirmed yet (add \"confirm\": true).")
    else:
        summary = {"id": result.id, "review_state": result.review_state, "confirmed": True,
                   "objectives": sorted(result.submission.objectives), "quotes": len(result.submission.quotes)}
        text = (f"Narrative version {result.id} confirmed: {result.state} {result.cycle} version {result.version} now "
                f"counts ({len(result.submission.objectives)} objectives with a status, "
                f"{len(result.submission.quotes)} quoted passages).")
    if as_json:
        _echo_json(summary)
    else:
        click.echo(text)
