"""Commands on narrative reviews (.docx, .pdf): `narrative read` (stores nothing)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gcmtrack.cli import CONTEXT, LANG_CHOICE, _echo_json, json_option, main, terminal_safe
from gcmtrack.cli.submissions import _say


@main.group(context_settings=CONTEXT)
def narrative() -> None:
    """Narrative reviews: the voluntary GCM reviews states write in prose (.docx, or .pdf with a
    text layer), read into passages with suggested objectives for a person to confirm.

    \b
    Example:
      gcmtrack narrative read review.docx
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
        click.echo(f"\n#{passage.number}  {passage.place}  [{passage.lang or '?'}] {passage.kind}"
                   + (f"  {path_text}" if path_text else ""))
        text = passage.text if len(passage.text) <= 400 else passage.text[:399] + "…"
        for line in text.split("\n"):
            click.echo(f"    {terminal_safe(line)}")
        if not passage.suggestions:
            click.echo(f"    → {_say('cli-narrative-none', lang)}")
        for suggestion in passage.suggestions:
            how = _say("cli-narrative-by-heading", lang) if suggestion.by_heading else ", ".join(suggestion.reasons)
            if suggestion.by_heading and suggestion.reasons:
                how = terminal_safe(suggestion.reasons[0].removeprefix("heading: "))
                how = _say("cli-narrative-by-heading", lang, heading=how)
            click.echo(f"    → {suggestion.objective:>2}  {suggestion.confidence:.2f}  {terminal_safe(how)}")
    sys.exit(0 if reading.ok else 1)
