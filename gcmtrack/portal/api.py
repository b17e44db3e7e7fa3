"""HTTP API v1 (service.md): JSON in and out, Bearer tokens or the session plus CSRF.

Every error body is {"error": {"code", "message"}} with a kebab-case code; no credentials is
401; anything outside the caller's scope is 404 (audited), as for the pages.
"""

from __future__ import annotations

import json
from functools import wraps

from django.http import Http404, JsonResponse

from gcmtrack.errors import GcmtrackError
from gcmtrack.portal import access
from gcmtrack.portal.context import store
from gcmtrack.portal.uploads import UploadTooLarge, annotated_name, attachment, read_upload, workbook_download
from gcmtrack.service import review as reviews
from gcmtrack.store import Decision, ReviewError, Role, version_object


def error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


TOKEN_REFUSED = {
    "token-unknown": "This token is not known.",
    "token-expired": "This token has expired; ask for a new one.",
    "token-revoked": "This token was revoked; ask for a new one.",
    "account-disabled": "The account of this token is disabled.",
}


def not_authenticated(why: str | None = None) -> JsonResponse:
    if why in TOKEN_REFUSED:
        response = error(401, why, TOKEN_REFUSED[why])
        response["WWW-Authenticate"] = 'Bearer realm="gcmtrack", error="invalid_token"'
        return response
    response = error(401, "not-authenticated", "Sign in, or send Authorization: Bearer TOKEN.")
    response["WWW-Authenticate"] = 'Bearer realm="gcmtrack"'
    return response


def _token_allows(request, upload: bool) -> bool:
    """Whether the request's token scope covers this call: "read" tokens only read (GET, HEAD),
    "upload" tokens also send workbooks (views marked upload=True), "full" tokens do what the
    account's role may. A session is not limited here."""
    from gcmtrack.store.events import TokenScope

    if not request.via_token or request.token_scope == TokenScope.FULL:
        return True
    if request.method in ("GET", "HEAD"):
        return True
    return request.token_scope == TokenScope.UPLOAD and upload


def endpoint(*methods: str, upload: bool = False):
    """Method check, authentication, the token's scope and the error shape for every API view
    (unknown paths, CSRF failures and server errors on /api/ answer JSON too: pages.py).
    `upload`: an "upload" token may POST here."""
    allowed = sorted(set(methods) | ({"HEAD"} if "GET" in methods else set()))

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in allowed:
                response = error(405, "method-not-allowed",
                                 f"{request.method} is not allowed here; use {', '.join(methods)}.")
                response["Allow"] = ", ".join(allowed)
                return response
            if request.account is None:
                return not_authenticated(request.token_refused)
            if not _token_allows(request, upload):
                return error(403, "token-scope", f"This token's scope ({request.token_scope}) does not allow "
                                                 f"{request.method} {request.path}.")
            try:
                return view(request, *args, **kwargs)
            except Http404:
                return error(404, "not-found", "There is no such resource.")
            except UploadTooLarge:
                from gcmtrack.common.spreadsheet import MAX_FILE_BYTES
                return error(413, "file-too-large", f"The file is larger than {MAX_FILE_BYTES} bytes.")
        return wrapper
    return decorate


def detail_object(stored) -> dict:
    """A stored version with its problems and its events (GET …/ID and the review answer)."""
    history = store().history(stored.state, stored.cycle)
    body = version_object(stored)
    body["problems"] = list(stored.problems)
    body["events"] = next(v["events"] for v in history["versions"] if v["id"] == stored.id)
    return body


@endpoint("GET")
def me(request):
    account = request.account
    return JsonResponse({"email": account.email, "role": account.role, "state": account.state,
                         "processes": ["ALL"] if account.all_processes else list(account.processes)})


@endpoint("GET", "POST", upload=True)
def submissions(request):
    if request.method == "POST":
        return _upload(request)
    s = access.scope(request)
    if not s.reads_submissions:
        raise access.refuse(request, "submissions", "list", "role")
    state = (request.GET.get("state") or "").upper() or None
    cycle = request.GET.get("cycle")
    try:
        cycle = int(cycle) if cycle else None
    except ValueError:
        return error(400, "invalid-cycle", "cycle must be a year, e.g. 2026")
    rows = [v for v in store().submissions(cycle=cycle, state=state) if s.sees_state(v.state)]
    return JsonResponse({"submissions": [version_object(v) for v in rows]})


def _upload(request):
    from gcmtrack.service import uploads

    s = access.scope(request)
    if not s.reads_submissions:
        raise access.refuse(request, "submissions", "upload", "role")
    filename, data = read_upload(request)
    if data is None:
        return error(400, "no-file", "Send the workbook in the multipart field 'file'.")
    received = uploads.receive_upload(store(), request.account, s, filename, data)
    if received.outcome == uploads.REFUSED:
        return error(403, "state-mismatch",
                     f"The workbook is for {received.result.state}; this account cannot send for that State.")
    if received.outcome == uploads.CLOSED:
        return closed_error(received.window)
    if received.outcome == uploads.REJECTED:
        body = received.result.to_dict()
        body.update({"accepted": False, "submission_id": None, "duplicate": False})
        return JsonResponse(body, status=422)
    return JsonResponse(received.item.to_dict(), status=200 if received.outcome == uploads.DUPLICATE else 201)


# Why a cycle refuses an upload (service/deadlines.py); 409: the request is right, the
# cycle's state conflicts with it, and the same request may succeed once staff open it.
CLOSED_MESSAGES = {
    "cycle-not-open": "The {cycle} cycle has not been opened for uploads for any process of {state}.",
    "cycle-closed": "The {cycle} cycle of {process} is closed for uploads (it was due {due}).",
    "deadline-passed": "The {cycle} deadline of {process} was {due}; late uploads are refused.",
}


def closed_error(window) -> JsonResponse:
    message = CLOSED_MESSAGES[window.refused].format(
        cycle=window.cycle, state=window.state, process=window.process or "-",
        due=window.due.isoformat() if window.due else "-")
    response = error(409, window.refused, message)
    body = json.loads(response.content)
    body["error"].update({"state": window.state, "cycle": window.cycle, "process": window.process,
                          "due": window.due.isoformat() if window.due else None})
    return JsonResponse(body, status=409)


@endpoint("POST", upload=True)
def validate(request):
    from gcmtrack.intake.annotate import annotate
    from gcmtrack.intake.validate import ValidationReport, validate_bytes

    filename, data = read_upload(request)
    if data is None:
        return error(400, "no-file", "Send the workbook in the multipart field 'file'.")
    result = validate_bytes(data, filename)
    if request.POST.get("annotate") == "1" or request.GET.get("annotate") == "1":
        if result.raw is None:
            return error(422, "not-a-workbook", "The file could not be opened as a workbook, so it cannot be annotated.")
        problems = [p.to_dict(result.lang) for p in result.problems]
        return attachment(annotate(data, problems, result.lang), annotated_name(filename))
    return JsonResponse(ValidationReport([result]).to_dict())


@endpoint("GET")
def submission(request, submission_id: int):
    return JsonResponse(detail_object(access.visible_submission(request, submission_id)))


@endpoint("GET")
def submission_file(request, submission_id: int):
    stored = access.visible_submission(request, submission_id)
    data = store().original(stored.id)
    return attachment(data, *workbook_download(stored.filename, data))


@endpoint("POST")
def review(request, submission_id: int):
    stored = access.visible_submission(request, submission_id)
    s = access.scope(request)
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return error(400, "invalid-json", "The body must be a JSON object.")
    if not isinstance(payload, dict):
        return error(400, "invalid-json", "The body must be a JSON object.")
    decision = str(payload.get("decision") or "")
    reason = str(payload.get("reason") or "")[:reviews.REASON_MAX]
    if decision == Decision.CERTIFY and not (s.role == Role.SUBMITTER and request.account.certifier):
        return error(403, "decision-not-allowed", "Only the state's certifying official certifies a version.")
    if not s.reviews and decision not in (Decision.WITHDRAW, Decision.CERTIFY):
        return error(403, "decision-not-allowed", "A submitter may only withdraw its own state's submitted "
                                                  "version (and its certifying official certify one).")
    confirm = payload.get("confirm") is True
    before = reviews.outcome(store(), stored, decision)
    try:
        updated = reviews.decide(store(), stored.id, decision, account=request.account, reason=reason,
                                 confirm=confirm)
    except ReviewError as exc:
        return error(400, exc.code, str(exc))
    except reviews.ConfirmationRequired as exc:
        body = {"error": {"code": exc.code, "message": f"{exc} (send \"confirm\": true)"}}
        body.update(exc.outcome.to_dict())
        return JsonResponse(body, status=409)
    body = detail_object(updated)
    body.update({"counts_before": before.counts_now, "counts_after": before.counts_after,
                 "version_counting": before.version_after})
    return JsonResponse(body)


@endpoint("GET")
def explain(request, submission_id: int):
    from gcmtrack.scoring.explain import explain_stored

    stored = access.visible_submission(request, submission_id)
    return JsonResponse(explain_stored(stored, store().original(stored.id)).to_json())


@endpoint("GET")
def diff(request, submission_id: int):
    from gcmtrack.scoring.diff import diff_submissions

    stored = access.visible_submission(request, submission_id)
    against = request.GET.get("against")
    if not against:
        return error(400, "against-required", "Give ?against=OTHER_ID.")
    other = access.visible_submission(request, against)
    return JsonResponse(diff_submissions(other, stored).to_json())


@endpoint("GET")
def score(request, process_id: str, cycle: int):
    from gcmtrack.scoring.process import process_score

    process = access.visible_process(request, process_id)
    cycle = access.visible_cycle(request, cycle)
    accepted_only = request.GET.get("accepted_only") == "1"
    try:
        result = process_score(store(), process.id, cycle, accepted_only=accepted_only)
    except GcmtrackError as exc:
        return error(400, "cannot-score", str(exc))
    return JsonResponse(result.to_json())
