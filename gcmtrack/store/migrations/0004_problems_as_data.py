"""Problems stored as data: each stored problem becomes {severity, code, sheet, cell, value,
params}, rendered where it is shown, in the reader's language.

A version stored before kept its problems rendered in its workbook's language ({..., message,
hint}). Their params are recovered by matching the stored message (and hint) against the
catalogue's template of the code in that language; the recovered problem is kept only when it
renders back to exactly the stored message and hint. Otherwise the stored problem keeps its
message and hint (and is shown as written): nothing is lost. Backwards, every problem is rendered
again in the row's language. It reads the catalogue and the renderer of the gcmtrack it ships
with (gcmtrack/submission.py), the same that show the problems."""

from __future__ import annotations

import re

from django.db import migrations

from gcmtrack.common.catalogue import catalogue
from gcmtrack.common.languages import LANGS
from gcmtrack.submission import display_value, render_problem

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern:
    """A regex matching what `template` renders to, a named group per placeholder (a repeated
    placeholder must repeat the same text)."""
    parts, seen, at = [], set(), 0
    for found in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[at:found.start()]))
        name = found.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
        seen.add(name)
        at = found.end()
    parts.append(re.escape(template[at:]))
    return re.compile("".join(parts), re.DOTALL)


def _recover(problem: dict, lang: str) -> dict:
    """The problem as data, or as it was (with its texts) when its params cannot be recovered."""
    if "message" not in problem or "params" in problem:
        return problem
    code = str(problem.get("code", ""))
    lang = lang if lang in LANGS else "en"
    texts = catalogue("problems", lang)
    if f"{code}.message" not in texts:  # a code no longer in the catalogue: its texts as written
        return {**problem, "params": {}}
    params: dict[str, str] = {}
    hint = texts.keys[f"{code}.hint"]
    for template, written in ((texts.keys[f"{code}.message"], problem.get("message") or ""),
                              (hint, problem.get("hint") or ""),
                              (texts.keys["did-you-mean"] + hint, problem.get("hint") or "")):
        found = _pattern(template).fullmatch(written)
        if found:
            params.update(found.groupdict())
    place = {"sheet": problem.get("sheet") or "", "cell": problem.get("cell") or "",
             "value": display_value(problem.get("value"))}
    params = {k: v for k, v in params.items() if not (k in place and v == place[k])}
    data = {key: problem.get(key) for key in ("severity", "code", "sheet", "cell", "value")}
    data["params"] = params
    shown = render_problem(data, lang)
    if shown["message"] == problem.get("message") and shown["hint"] == problem.get("hint"):
        return data
    return {**data, "params": {}, "message": problem.get("message"), "hint": problem.get("hint")}


def _rendered(problem: dict, lang: str) -> dict:
    return render_problem(problem, lang if lang in LANGS else "en")


def _convert(apps, schema_editor, change) -> None:
    alias = schema_editor.connection.alias
    for name in ("SubmissionVersion", "UploadCheck"):
        model = apps.get_model("gcmtrack", name)
        rows = list(model.objects.using(alias).values_list("pk", "lang", "problems"))  # read, then write
        for pk, lang, stored in rows:
            problems = [change(dict(p), lang) for p in stored or []]
            if problems != stored:
                model.objects.using(alias).filter(pk=pk).update(problems=problems)


def forwards(apps, schema_editor) -> None:
    _convert(apps, schema_editor, _recover)


def backwards(apps, schema_editor) -> None:
    _convert(apps, schema_editor, _rendered)


class Migration(migrations.Migration):

    dependencies = [
        ("gcmtrack", "0003_upload_checks_and_report_data"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
