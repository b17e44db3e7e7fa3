"""Narrative reviews in the portal (narrative.md): sending a document, the confirmation pages
(one passage at a time: accept, change, reject, next; the status per objective; confirm) and
the HTTP API's /api/v1/narratives. Every lookup goes through access.py (404 outside scope);
the use cases are service/narrative.py's, as for the command line."""

from __future__ import annotations

import functools
import json

from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gcmtrack.narrative.model import reasons_of
from gcmtrack.portal import access
from gcmtrack.portal.api import closed_error, endpoint, error
from gcmtrack.portal.context import store
from gcmtrack.portal.pages import error_page, render, t
from gcmtrack.portal.pages import lang as page_lang
from gcmtrack.portal.uploads import UploadTooLarge, read_upload
from gcmtrack.portal.views import _closed_text, signed_in
from gcmtrack.store import ReviewError, ReviewState, Role

EXCERPT = 160  # characters of a passage shown in the list (the passage's own page shows it in full)


def _service():
    from gcmtrack.service import narrative

    return narrative


def _cycle(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------- sending a document


@signed_in
@require_POST
def upload(request):
    """A submitter sends its state's narrative review for a cycle (staff use the API or the CLI)."""
    narrative = _service()
    s = access.require_role(request, (Role.SUBMITTER,), "narrative-upload")
    try:
        filename, data = read_upload(request)
    except UploadTooLarge:
        return error_page(request, 413, "too_large")
    cycle = _cycle(request.POST.get("cycle"))
    if data is None or cycle is None:
        return HttpResponseRedirect(reverse("state_home"))
    received = narrative.receive_narrative(store(), request.account, s, filename, data, request.account.state,
                                           cycle)
    if received.outcome == narrative.CLOSED:
        return render(request, "narrative_rejected.html", status=409, title=t("upload.closed.title"),
                      closed=_closed_text(received.window), problems=[], filename=filename)
    if received.outcome in (narrative.REJECTED_UPLOAD, narrative.UNKNOWN_CYCLE, narrative.REFUSED):
        problems = [p.to_dict(page_lang()) for p in received.reading.problems] if received.reading else []
        return render(request, "narrative_rejected.html", status=422, title=t("narrative.rejected.title"),
                      closed=None, problems=problems, filename=filename)
    return HttpResponseRedirect(reverse("narrative", args=[received.submission_id]))


# ---------------------------------------------------------------------------- confirming


def _can_decide(request, stored) -> bool:
    return (stored.review_state == ReviewState.UNCONFIRMED
            and access.scope(request).role in (Role.SUBMITTER, Role.STAFF))


def _objectives():
    from gcmtrack.reference.framework import framework

    return [(n, t("narrative.objective", number=n, label=o.label(page_lang())))
            for n, o in framework().objectives.items()]


def _status_names() -> dict[str, str]:
    from gcmtrack.reference.framework import framework

    names = {s.key: s.name(page_lang()) for s in framework().statuses}
    names[_service().NOT_STATED] = t("narrative.not_stated")
    return names


def _where(passage: dict) -> str:
    if passage.get("page"):
        return t("narrative.where_page", page=passage["page"], paragraph=passage.get("paragraph"))
    return t("narrative.where_paragraph", paragraph=passage.get("paragraph"))


@signed_in
@require_GET
def overview(request, submission_id: int):
    from gcmtrack.reference.states import states

    narrative = _service()
    stored = access.visible_narrative(request, submission_id)
    found = narrative.narrative(store(), stored.id)
    passages = [{"p": p, "where": _where(p), "excerpt": _excerpt(p.get("text", "")),
                 "decision": narrative.passage_decision(found, p.get("number"))} for p in found.passages]
    undecided = [p["p"]["number"] for p in passages if p["decision"] is None]
    linked = narrative.linked_objectives(found)
    name = states().get(stored.state).name(page_lang())
    return render(request, "narrative.html",
                  title=t("narrative.title", state=name, cycle=stored.cycle, version=stored.version),
                  stored=stored, found=found, passages=passages, undecided=undecided,
                  first=(undecided or [p["p"]["number"] for p in passages] or [None])[0],
                  objectives=_objectives(), linked=linked, statuses=found.statuses,
                  status_names=_status_names(), status_keys=narrative.status_keys(),
                  missing=narrative.missing_statuses(found), can_decide=_can_decide(request, stored),
                  saved=request.GET.get("saved"), problem=request.GET.get("problem"))


def _excerpt(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"


@signed_in
@require_http_methods(["GET", "POST"])
def passage(request, submission_id: int, number: int):
    narrative = _service()
    stored = access.visible_narrative(request, submission_id, to_decide=request.method == "POST")
    found = narrative.narrative(store(), stored.id)
    numbers = [p.get("number") for p in found.passages]
    shown = found.passage(number)
    if shown is None:
        raise access.refuse(request, "narrative-passage", f"{stored.id}/{number}", "absent")
    later = [n for n in numbers if n > number]
    following = next((n for n in later if not found.decided(n)), later[0] if later else None)
    problem = None
    if request.method == "POST":
        if not _can_decide(request, stored):
            return error_page(request, 409, "narrative_confirmed")
        action = request.POST.get("action") or ""
        chosen: list[int] | None = None
        if action == "accept":
            chosen = [n for n in (_cycle(v) for v in request.POST.getlist("objective")) if n is not None]
            if not chosen:
                problem = t("narrative.accept_none")
                chosen = None
        elif action == "change":
            other = _cycle(request.POST.get("other"))
            if other is None:
                problem = t("narrative.change_none")
            else:
                chosen = [other]
        elif action == "reject":
            chosen = []
        elif action != "next":
            problem = t("narrative.unknown_action")
        if chosen is not None:
            try:
                narrative.decide(store(), stored.id, {number: chosen}, actor=request.account.email)
            except narrative.NarrativeInputError as exc:
                problem = str(exc)
            except ReviewError:
                return error_page(request, 409, "narrative_confirmed")
        found = narrative.narrative(store(), stored.id)
        if problem is None:
            target = _next_undecided(found, numbers, number)
            if target is None:
                return HttpResponseRedirect(reverse("narrative", args=[stored.id]) + "#statuses")
            return HttpResponseRedirect(reverse("narrative_passage", args=[stored.id, target]))
    decision = narrative.passage_decision(found, number)
    suggestions = [dict(s, why=reasons_of(s.get("reasons") or ())) for s in shown.get("suggestions", ())]
    checked = set(decision["objectives"]) if decision else {s["objective"] for s in suggestions[:1]}
    index = numbers.index(number)
    return render(request, "narrative_passage.html", status=400 if problem else 200,
                  title=t("narrative.passage_title", number=number, count=len(numbers)),
                  stored=stored, found=found, passage=shown, where=_where(shown), decision=decision,
                  suggestions=suggestions, checked=checked, objectives=_objectives(),
                  labels=dict(_objectives()), previous=numbers[index - 1] if index else None,
                  following=following, problem=problem, can_decide=_can_decide(request, stored),
                  position=index + 1, count=len(numbers), decided=sum(1 for n in numbers if found.decided(n)))


def _to_decide(request, submission_id: int):
    """The narrative the caller decides on (else 404), and the 409 page when it is confirmed already."""
    stored = access.visible_narrative(request, submission_id, to_decide=True)
    return stored, None if _can_decide(request, stored) else error_page(request, 409, "narrative_confirmed")


def _next_undecided(found, numbers: list[int], number: int) -> int | None:
    """The next passage not decided after `number`, else the first one before it; None when
    every passage is decided."""
    for n in numbers[numbers.index(number) + 1:] + numbers[:numbers.index(number)]:
        if not found.decided(n):
            return n
    return None


def _deciding(view):
    """A POST that decides on a narrative the caller may decide on (else 404, or 409 once it is
    confirmed, also when it is confirmed meanwhile): view(request, stored, narrative service)."""
    @signed_in
    @require_POST
    @functools.wraps(view)
    def checked(request, submission_id: int):
        stored, frozen = _to_decide(request, submission_id)
        if frozen:
            return frozen
        try:
            return view(request, stored, _service())
        except ReviewError:
            return error_page(request, 409, "narrative_confirmed")
    return checked


@_deciding
def statuses(request, stored, narrative):
    chosen = {}
    for number in range(1, 24):
        value = request.POST.get(f"status-{number}") or ""
        if value:
            chosen[number] = value
    target = reverse("narrative", args=[stored.id])
    try:
        if chosen:
            narrative.set_statuses(store(), stored.id, chosen, actor=request.account.email)
    except narrative.NarrativeInputError:
        return error_page(request, 400, "narrative_input")
    return HttpResponseRedirect(target + "?saved=statuses#statuses")


@_deciding
def confirm(request, stored, narrative):
    try:
        narrative.confirm(store(), stored.id, account=request.account)
    except narrative.NarrativeInputError:
        return HttpResponseRedirect(reverse("narrative", args=[stored.id]) + "?problem=statuses#statuses")
    return HttpResponseRedirect(reverse("submission", args=[stored.id]) + "?confirmed=1")


# ---------------------------------------------------------------------------- HTTP API


def _input_error(exc) -> JsonResponse:
    status = 409 if exc.code == "already-confirmed" else 400
    response = error(status, exc.code, str(exc))
    body = json.loads(response.content)
    body["error"]["errors"] = exc.to_list()
    return JsonResponse(body, status=status)


def _body(request):
    try:
        return json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None


@endpoint("POST")
def api_upload(request):
    """POST /api/v1/narratives: multipart with file, state (ISO3) and cycle."""
    narrative = _service()
    s = access.scope(request)
    if s.role not in (Role.SUBMITTER, Role.STAFF):
        raise access.refuse(request, "narratives", "upload", "role")
    filename, data = read_upload(request)
    if data is None:
        return error(400, "no-file", "Send the document (.docx or .pdf) in the multipart field 'file'.")
    state = (request.POST.get("state") or request.account.state or "").upper()
    cycle = _cycle(request.POST.get("cycle"))
    if cycle is None:
        return error(400, "invalid-cycle", "cycle must be a year, e.g. 2026")
    received = narrative.receive_narrative(store(), request.account, s, filename, data, state, cycle)
    if received.outcome == narrative.REFUSED:
        return error(403, "state-mismatch", "This account cannot send for that State.")
    if received.outcome == narrative.UNKNOWN_CYCLE:
        return error(400, "invalid-cycle", f"{cycle} is not a review cycle.")
    if received.outcome == narrative.CLOSED:
        return closed_error(received.window)
    body = received.to_dict(request.account.lang or "en")
    if received.outcome == narrative.REJECTED_UPLOAD:
        return JsonResponse(body, status=422)
    return JsonResponse(body, status=200 if received.outcome == narrative.DUPLICATE else 201)


@endpoint("GET")
def api_narrative(request, submission_id: int):
    """GET /api/v1/narratives/ID: the passages with their suggestions and decisions, the statuses."""
    narrative = _service()
    stored = access.visible_narrative(request, submission_id)
    return JsonResponse(narrative.narrative_object(narrative.narrative(store(), stored.id)))


@endpoint("POST")
def api_decisions(request, submission_id: int):
    """POST /api/v1/narratives/ID/decisions: {"passages": [...], "statuses": {...}, "confirm": bool}."""
    stored = access.visible_narrative(request, submission_id, to_decide=True)
    payload = _body(request)
    if payload is None:
        return error(400, "invalid-json", "The body must be a JSON object.")
    return _apply(request, stored, payload)


@endpoint("POST")
def api_statuses(request, submission_id: int):
    """POST /api/v1/narratives/ID/statuses: {"statuses": {"5": "implemented", "7": "not-stated"}}."""
    stored = access.visible_narrative(request, submission_id, to_decide=True)
    payload = _body(request)
    if not isinstance(payload, dict) or set(payload) - {"statuses"}:
        return error(400, "invalid-json", 'The body must be {"statuses": {"OBJECTIVE": "STATUS"}}.')
    return _apply(request, stored, {"statuses": payload.get("statuses", {})})


def _apply(request, stored, payload) -> JsonResponse:
    """Check and record decisions, then answer the narrative as it stands."""
    narrative = _service()
    try:
        narrative.apply_decisions(store(), stored.id, narrative.parse_decisions(payload), account=request.account)
    except narrative.NarrativeInputError as exc:
        return _input_error(exc)
    except ReviewError as exc:
        return error(409, exc.code, str(exc))
    return JsonResponse(narrative.narrative_object(narrative.narrative(store(), stored.id)))
