"""The staff pages that author a process's regional review (review.md, "Authoring"): one page
per process, cycle and language with every section, featured item, input, indicator dataset,
the disclosure and the final mark; one page per section to edit it with a preview as printed,
its history and a diff. Staff of the process only (access.authoring_process: anyone else 404).
Each view calls gcmtrack/service/authoring.py, as the CLI does."""

from __future__ import annotations

import functools

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from markupsafe import Markup

from gcmtrack.authored import DISCLOSURES, PER_ROUND_TABLE, SECTIONS, STAKEHOLDER_KINDS
from gcmtrack.common.languages import LANGS
from gcmtrack.errors import GcmtrackError
from gcmtrack.portal import access
from gcmtrack.portal.context import store
from gcmtrack.portal.pages import error_page, render, t
from gcmtrack.portal.pages import lang as page_lang
from gcmtrack.portal.uploads import UploadTooLarge, read_upload
from gcmtrack.portal.views import signed_in
from gcmtrack.service import authoring as service


def _places(cycle: int) -> list[tuple[str, int | None]]:
    tables = service.round_tables(cycle)
    return [(s, None) for s in SECTIONS if s not in PER_ROUND_TABLE] + [
        (s, n) for s in SECTIONS if s in PER_ROUND_TABLE for n in tables]


def _section_url(process_id: str, cycle: int, lang: str, section: str, round_table: int | None) -> str:
    if round_table is None:
        return reverse("author_section", args=[process_id, cycle, lang, section])
    return reverse("author_section_rt", args=[process_id, cycle, lang, section, round_table])


def _home_url(process_id: str, cycle: int, lang: str) -> str:
    return reverse("author", args=[process_id, cycle, lang])


def _home(request, process, cycle: int, lang: str, status: int = 200, **extra):
    review = service.review(store(), process.id, cycle, lang)
    extra.setdefault("input_error", None)
    sections = []
    for section, table in _places(cycle):
        text = review.text(section, table)
        sections.append({"section": section, "round_table": table, "text": text,
                         "url": _section_url(process.id, cycle, lang, section, table)})
    return render(request, "authoring.html", status=status,
                  title=t("author.title", process=process.acronym(page_lang()), cycle=cycle),
                  process=process, cycle=cycle, lang_of_review=lang, review=review, sections=sections,
                  datasets=service.datasets(store(), process.id, cycle), kinds=STAKEHOLDER_KINDS,
                  disclosures=DISCLOSURES, langs=LANGS, problems=extra.pop("problems", None), **extra)


def _authoring(*methods: str):
    """A view of one process's review (its staff only: anyone else 404), by `methods`: it is
    called with the process and the cycle checked, after the sign-in."""
    def decorate(view):
        @signed_in
        @require_http_methods(list(methods))
        @functools.wraps(view)
        def checked(request, process_id: str, cycle: int, lang: str, *args, **kwargs):
            process = access.authoring_process(request, process_id)
            return view(request, process, access.visible_cycle(request, cycle), lang, *args, **kwargs)
        return checked
    return decorate



@_authoring("GET")
def author(request, process, cycle: int, lang: str):
    return _home(request, process, cycle, lang)


@_authoring("GET", "POST")
def section(request, process, cycle: int, lang: str, section: str, round_table: int | None = None):
    try:
        where = service.place(process.id, cycle, lang, section, round_table)
    except GcmtrackError:
        raise access.refuse(request, "section", f"{section}:{round_table}", "absent") from None
    problems, draft, saved, previewing = None, None, None, False
    if request.method == "POST":
        draft = (request.POST.get("markdown") or "").replace("\r\n", "\n")
        previewing = request.POST.get("action") == "preview"
        found = service.text_problems(draft, section)
        if found:
            problems = [p.to_dict(page_lang()) for p in found]
        elif not previewing:
            saved = service.save_text(store(), where, draft, actor=request.account.email)
            return HttpResponseRedirect(_section_url(process.id, cycle, lang, section, round_table)
                                        + f"?saved={saved['version']}")
    history = service.history(store(), where)
    current = service.show(store(), where) if history else None
    diff = None
    if request.GET.get("from") and request.GET.get("to"):
        try:
            diff = service.diff(store(), where, int(request.GET["from"]), int(request.GET["to"]))
        except (GcmtrackError, ValueError):
            return error_page(request, 400, "not_found")
    text = draft if draft is not None else (current["markdown"] if current else "")
    preview = Markup(service.preview(text)) if (previewing and not problems) or (draft is None and current) else None
    label = t(f"author.section.{section}") + (f" {round_table}" if round_table else "")
    return render(request, "authoring_section.html", status=400 if problems else 200,
                  title=t("author.section_title", section=label, language=lang.upper()),
                  process=process, cycle=cycle, lang_of_review=lang, section=section, round_table=round_table,
                  text=text, preview=preview, problems=problems, history=history, diff=diff, current=current,
                  saved=request.GET.get("saved"), home=_home_url(process.id, cycle, lang))


@signed_in
@require_POST
def feature(request, submission_id: int):
    """"Feature in the review", from a submission's page."""
    stored = access.visible_submission(request, submission_id)
    process = access.authoring_process(request, request.POST.get("process") or "")
    try:
        objective = int(request.POST.get("objective") or 0)
        row = request.POST.get("practice") or ""
        table = request.POST.get("round_table") or ""
        service.feature(store(), process.id, stored.id, objective, practice_row=int(row) if row else None,
                        round_table=int(table) if table else None, actor=request.account.email)
    except (GcmtrackError, ValueError) as exc:
        return render(request, "error.html", status=400, title=t("author.feature_failed"), message=str(exc))
    return HttpResponseRedirect(_home_url(process.id, stored.cycle, page_lang()) + "#featured-h")


@_authoring("POST")
def unfeature(request, process, cycle: int, lang: str, featured_id: int):
    if featured_id not in {f.id for f in service.featured(store(), process.id, cycle)}:
        raise access.refuse(request, "featured", featured_id, "absent")
    service.unfeature(store(), featured_id, actor=request.account.email)
    return HttpResponseRedirect(_home_url(process.id, cycle, lang) + "#featured-h")


@_authoring("POST")
def add_input(request, process, cycle: int, lang: str):
    form = request.POST
    try:
        service.add_input(store(), process.id, cycle, organisation=(form.get("organisation") or "").strip(),
                          kind=form.get("kind") or "", lang=form.get("input_lang") or "", date=form.get("date") or "",
                          text=form.get("text") or "", consent=form.get("consent") == "1",
                          is_summary=form.get("summary") == "1", actor=request.account.email)
    except GcmtrackError as exc:
        return _home(request, process, cycle, lang, status=400, input_error=str(exc))
    return HttpResponseRedirect(_home_url(process.id, cycle, lang) + "#inputs-h")


@_authoring("POST")
def import_indicators(request, process, cycle: int, lang: str):
    try:
        filename, data = read_upload(request)
    except UploadTooLarge:
        return error_page(request, 413, "too_large")
    if data is None:
        return _home(request, process, cycle, lang, status=400, input_error=t("author.no_file"))
    try:
        service.import_indicators(store(), process.id, cycle, data, filename, actor=request.account.email)
    except service.AuthoringProblems as exc:
        return _home(request, process, cycle, lang, status=400, problems=exc.rendered(page_lang()))
    return HttpResponseRedirect(_home_url(process.id, cycle, lang) + "#indicators-h")


@_authoring("POST")
def disclosure(request, process, cycle: int, lang: str):
    try:
        service.set_disclosure(store(), process.id, request.POST.get("disclosure") or "", actor=request.account.email)
    except GcmtrackError:
        return error_page(request, 400, "not_found")
    return HttpResponseRedirect(_home_url(process.id, cycle, lang) + "#final-h")


@_authoring("POST")
def mark_final(request, process, cycle: int, lang: str):
    service.mark_final(store(), process.id, cycle, lang, actor=request.account.email)
    return HttpResponseRedirect(_home_url(process.id, cycle, lang) + "#final-h")


def feature_choices(request, stored) -> dict | None:
    """What the "feature in the review" form of a submission's page offers staff: the processes
    of theirs the state belongs to, the objectives with text, the practices, the round tables
    (the objective's own preselected). None for anyone else."""
    from gcmtrack.reference.framework import framework
    from gcmtrack.reference.processes import processes

    s = access.scope(request)
    if s.role != "staff":
        return None
    mine = [p for p in processes().values() if s.sees_process(p.id) and stored.state in p.members(stored.cycle)]
    if not mine:
        return None
    try:
        edition = framework().edition(stored.cycle)
    except GcmtrackError:
        return None
    objectives = [(n, edition.round_table_of(n)) for n, row in sorted(stored.submission.objectives.items())
                  if row.measures.strip()]
    practices = [(p.row, p.title, p.mapped_objectives(framework())) for p in stored.submission.practices]
    return {"processes": mine, "objectives": objectives, "practices": practices,
            "round_tables": [rt.number for rt in edition.round_tables]}
