"""The portal's HTML pages: sign-in, the submitter's home and uploads, a submission's detail
with its review actions, the staff dashboard per process and cycle, render jobs, and the
reviewer's published reports. Every lookup goes through access.py (404 outside scope)."""

from __future__ import annotations

import datetime as dt
import time
from functools import wraps

from django.contrib import auth
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gcmtrack.portal import access
from gcmtrack.portal.context import store
from gcmtrack.portal.pages import error_page, render, t
from gcmtrack.portal.pages import lang as page_lang
from gcmtrack.portal.uploads import XLSX, UploadTooLarge, annotated_name, attachment, read_upload, workbook_download
from gcmtrack.submission import render_problems
from gcmtrack.service import review
from gcmtrack.store import Action, Decision, ReviewError, ReviewState, Role
from gcmtrack.portal.mfa import second_step
from gcmtrack.portal.middleware import client_address
from gcmtrack.store.accounts import AccountError, reserve_signin, set_password, signin_succeeded
from gcmtrack.store.events import READS_SUBMISSIONS, REVIEWS, TRANSITIONS, JobState

def signed_in(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.account is None:
            return HttpResponseRedirect(reverse("signin") + "?next=" + request.path)
        return view(request, *args, **kwargs)
    return wrapper



# ---------------------------------------------------------------------------- signing in


@require_http_methods(["GET", "POST"])
def signin(request):
    error = None
    email = ""
    if request.method == "POST":
        email = (request.POST.get("email") or "").strip().lower()[:254]
        password = request.POST.get("password") or ""
        address = client_address(request)
        wait = reserve_signin(store(), email, address)
        if wait:
            store().audit(email or "anonymous", Action.SIGNIN_THROTTLED, object_type="account", object_id=email,
                          detail={"address": address, "wait": wait})
            error = t("signin.throttled", seconds=wait)
        else:
            account = auth.authenticate(request, username=email, password=password[:1024])
            if account is None or not account.is_active:
                store().audit("anonymous", Action.SIGNIN_FAILED, object_type="account", object_id=email,
                              detail={"address": address})
                error = t("signin.failed")
            else:
                signin_succeeded(store(), email, address)
                store().audit(account.email, Action.SIGNIN_PASSWORD, object_type="account", object_id=account.email,
                              detail={"address": address})
                target = request.POST.get("next") or "/"
                if not target.startswith("/") or target.startswith("//"):
                    target = "/"
                return second_step(request, account, target)
    return render(request, "signin.html", status=200 if error is None else 401, title=t("signin.title"),
                  error=error, email=email, next=request.GET.get("next") or request.POST.get("next") or "/")


@require_POST
def signout(request):
    if request.account is not None:
        store().audit(request.account.email, Action.SIGNOUT, object_type="account", object_id=request.account.email)
    auth.logout(request)  # flushes the session
    return HttpResponseRedirect(reverse("signin"))


@signed_in
@require_http_methods(["GET", "POST"])
def password(request):
    error = done = None
    if request.method == "POST":
        account = request.account
        if not account.check_password(request.POST.get("current") or ""):
            error = t("password.wrong")
        elif (request.POST.get("new") or "") != (request.POST.get("repeat") or ""):
            error = t("password.mismatch")
        else:
            try:
                set_password(store(), account, request.POST.get("new") or "")
            except AccountError as exc:
                error = str(exc)
            else:
                auth.update_session_auth_hash(request, account)  # this session stays; all others end
                request.session.cycle_key()
                done = t("password.done")
    return render(request, "password.html", title=t("password.title"), error=error, done=done)


@require_http_methods(["GET", "POST"])
def invite(request, token: str):
    from gcmtrack.service.invitations import account_for_invitation

    account = account_for_invitation(store(), token)
    if account is None:
        return error_page(request, 404, "invitation")
    error = None
    if request.method == "POST":
        new = request.POST.get("new") or ""
        if new != (request.POST.get("repeat") or ""):
            error = t("password.mismatch")
        else:
            try:
                set_password(store(), account, new, actor=account.email)
            except AccountError as exc:
                error = str(exc)
            else:
                return HttpResponseRedirect(reverse("signin"))
    return render(request, "invite.html", title=t("invite.title"), email=account.email, error=error)


def home(request):
    if request.account is None:
        return HttpResponseRedirect(reverse("signin"))
    role = request.account.role
    if role == Role.SUBMITTER:
        return HttpResponseRedirect(reverse("state_home"))
    if role == Role.REVIEWER:
        return HttpResponseRedirect(reverse("reports"))
    return HttpResponseRedirect(reverse("review_index"))


# ---------------------------------------------------------------------------- submitters


def _open_cycles(state: str) -> list[dict]:
    """The cycles in which the State's upload would be stored today (service/deadlines.py)."""
    from gcmtrack.reference.processes import get_process
    from gcmtrack.service.deadlines import open_cycles

    return [dict(c, process=get_process(c["process"])) for c in open_cycles(store(), state)]


@signed_in
@require_GET
def state_home(request):
    access.require_role(request, (Role.SUBMITTER,), "state-home")
    from gcmtrack.reference.states import states

    code = request.account.state
    versions = store().submissions(state=code)
    versions.reverse()
    counting = {s.id for cycle in {v.cycle for v in versions}
                for s in store().latest(cycle, [code]).values()}  # what counts now, per cycle
    page, pages, versions = _page(request, versions)
    reasons = store().last_reasons(v.id for v in versions)
    open_cycles = _open_cycles(code)
    cycles = sorted({c["cycle"] for c in open_cycles})  # only what is open is offered
    return render(request, "state_home.html", title=t("state.title", state=states().get(code).name(page_lang())),
                  state=code, state_name=states().get(code).name(page_lang()), open_cycles=open_cycles,
                  template_cycles=cycles, versions=versions, reasons=reasons, counting=counting,
                  page=page, pages=pages)


VERSIONS_PER_PAGE = 20


def _page(request, rows: list, size: int = VERSIONS_PER_PAGE) -> tuple[int, int, list]:
    """(page, pages, the rows of that page) for ?page=N (1 when absent or not a page)."""
    pages = max(1, -(-len(rows) // size))
    try:
        page = min(max(1, int(request.GET.get("page") or 1)), pages)
    except ValueError:
        page = 1
    return page, pages, rows[(page - 1) * size:page * size]


@signed_in
@require_GET
def template_download(request, cycle: int, lang: str):
    from gcmtrack.common.languages import LANGS
    from gcmtrack.service.templates import template_with_deadlines

    access.require_role(request, (Role.SUBMITTER,), "template")
    if lang not in LANGS:
        raise access.refuse(request, "template", f"{cycle}-{lang}", "absent")
    cycle = access.visible_cycle(request, cycle)
    code = request.account.state
    data = template_with_deadlines(code, cycle, lang, store())
    return attachment(data, f"{code.lower()}-{cycle}-{lang}.xlsx", XLSX)


ANSWER_KEY = "upload_answer"  # the last upload's answer, kept in the session for GET /upload/


@signed_in
@require_http_methods(["GET", "POST"])
def upload(request):
    """POST: receive a workbook. A stored one leads to its version's page; any other answer
    (refused, closed, rejected) is kept in the session and shown by GET /upload/ (redirect
    after POST), so that reloading or switching the language keeps the answer and never
    sends the file again."""
    from gcmtrack.service import uploads

    s = access.require_role(request, (Role.SUBMITTER,), "upload")
    if request.method == "GET":
        return _upload_answer(request)
    try:
        filename, data = read_upload(request)
    except UploadTooLarge:
        return error_page(request, 413, "too_large")
    if data is None:
        return HttpResponseRedirect(reverse("state_home"))
    received = uploads.receive_upload(store(), request.account, s, filename, data, keep_rejected=True)
    result = received.result
    if received.outcome in (uploads.REFUSED, uploads.CLOSED, uploads.REJECTED):
        window = received.window
        request.session[ANSWER_KEY] = {
            "outcome": received.outcome, "filename": filename, "workbook_state": result.state,
            "lang": result.lang, "check": received.check,
            "problems": [p.to_stored() for p in result.problems] if received.outcome == uploads.REJECTED else [],
            "window": None if received.outcome != uploads.CLOSED else {
                "process": window.process, "cycle": window.cycle, "refused": window.refused,
                "due": window.due.isoformat() if window.due else None}}
        return HttpResponseRedirect(reverse("upload"), status=303)
    request.session.pop(ANSWER_KEY, None)
    url = reverse("submission", args=[received.submission_id])
    return HttpResponseRedirect(url + ("?duplicate=1" if received.outcome == uploads.DUPLICATE else "?uploaded=1"))


def _upload_answer(request):
    """The last upload's answer (refused 403, closed 409, rejected 422), in the page's language;
    the problems in the workbook's language, as the annotated copy gives them."""
    from gcmtrack.service import uploads

    answer = request.session.get(ANSWER_KEY)
    if not answer:
        return HttpResponseRedirect(reverse("state_home"))
    outcome = answer["outcome"]
    common = {"filename": answer["filename"], "workbook_state": answer["workbook_state"], "check": answer["check"]}
    if outcome == uploads.REFUSED:
        return render(request, "upload_result.html", status=403, title=t("upload.mismatch.title"),
                      mismatch=True, problems=[], errors=0, warnings=0, **common)
    if outcome == uploads.CLOSED:
        return render(request, "upload_result.html", status=409, title=t("upload.closed.title"), mismatch=False,
                      closed=_closed_text(answer["window"]), problems=[], errors=0, warnings=0, **common)
    problems = render_problems(answer["problems"], answer["lang"])
    errors = sum(1 for p in problems if p["severity"] == "error")
    return render(request, "upload_result.html", status=422, title=t("upload.rejected.title"), mismatch=False,
                  problems=problems, errors=errors, warnings=len(problems) - errors, **common)


def _closed_text(window: dict) -> str:
    """Why the cycle refused the upload, in the page's language."""
    from gcmtrack.portal.pages import when
    from gcmtrack.reference.processes import get_process

    name = get_process(window["process"]).name(page_lang()) if window["process"] else "-"
    return t(f"upload.closed.{window['refused']}", cycle=window["cycle"], process=name,
             due=when(window["due"]) if window["due"] else "-")


@signed_in
@require_GET
def check_annotated(request, token: str):
    from gcmtrack.intake.annotate import annotate
    from gcmtrack.store.checks import find_check

    check = find_check(store(), token, request.account)
    if check is None:
        raise access.refuse(request, "upload-check", token[:8])
    data = annotate(bytes(check.content), render_problems(check.problems, check.lang), check.lang)
    return attachment(data, annotated_name(check.filename), XLSX)


# ---------------------------------------------------------------------------- a submission


@signed_in
@require_GET
def submission(request, submission_id: int):
    return _submission_page(request, access.visible_submission(request, submission_id))


def _submission_page(request, stored, status: int = 200, failed: dict | None = None):
    """A version's page; `failed`: a decision that could not be taken (its form shows why, and
    keeps the reason typed)."""
    from gcmtrack.reference.states import states
    from gcmtrack.scoring.diff import diff_submissions
    from gcmtrack.scoring.explain import explain_stored

    s = access.scope(request)
    history = store().history(stored.state, stored.cycle)
    this = next(v for v in history["versions"] if v["id"] == stored.id)
    earlier = [v for v in history["versions"] if v["id"] < stored.id]
    previous = store().get(earlier[-1]["id"]) if earlier else _previous_cycle(stored)
    name = states().get(stored.state).name(page_lang())
    from gcmtrack.portal.authoring import feature_choices
    from gcmtrack.service.people import may_write
    from gcmtrack.store import people
    from gcmtrack.store.people import MESSAGE_MAX

    talks = may_write(request.account, stored)
    return render(request, "submission.html", status=status, failed=failed, feature=feature_choices(request, stored),
                  title=t("submission.title", state=name, cycle=stored.cycle, version=stored.version),
                  stored=stored, state_name=name, this=this, versions=history["versions"], previous=previous,
                  diff=diff_submissions(previous, stored) if previous else None,
                  explanation=explain_stored(stored, store().original(stored.id)), weights=_weights(),
                  can_withdraw=stored.review_state in TRANSITIONS[Decision.WITHDRAW][0] and s.role in READS_SUBMISSIONS,
                  can_review=s.reviews, uploaded=request.GET.get("uploaded") == "1",
                  can_certify=(stored.review_state == ReviewState.UNCERTIFIED and s.role == Role.SUBMITTER
                               and bool(request.account.certifier)),
                  thread=people.messages(store(), stored.id) if talks else None, can_talk=talks,
                  message_max=MESSAGE_MAX,
                  outcomes={d: review.outcome(store(), stored, d) for d in (Decision.RETURN, Decision.REOPEN,
                                                                            Decision.WITHDRAW, Decision.CERTIFY,
                                                                            Decision.ACCEPT)},
                  duplicate=request.GET.get("duplicate") == "1")


def _weights() -> str:
    """The status weights as data gives them ("Implemented 1, In progress 0.5, …"), in the page's language."""
    from gcmtrack.reference.framework import framework
    from gcmtrack.report.i18n import format_number

    return ", ".join(f"{s.name(page_lang())} {format_number(s.weight, page_lang(), 2).rstrip('0').rstrip(',.')}"
                     for s in framework().statuses if s.weight is not None)


def _previous_cycle(stored):
    """The version that counts for the same state in the edition before, for a first version."""
    from gcmtrack.reference.framework import framework

    earlier = [year for year in framework().editions if year < stored.cycle]
    if not earlier:
        return None
    return store().latest(max(earlier), [stored.state]).get(stored.state)


@signed_in
@require_POST
def decide(request, submission_id: int):
    stored = access.visible_submission(request, submission_id)
    decision = request.POST.get("decision") or ""
    access.may_decide(request, stored, decision)
    reason = (request.POST.get("reason") or "")[:review.REASON_MAX]
    try:
        review.decide(store(), stored.id, decision, account=request.account, reason=reason,
                      confirm=request.POST.get("confirm") == "1")
    except (ReviewError, review.ConfirmationRequired) as exc:
        # the page again, as it is now, with the form that failed saying why and the reason kept
        key, status = ("confirm", 409) if isinstance(exc, review.ConfirmationRequired) else (
            ("reason", 400) if exc.code == "reason-required" else ("transition", 400))
        return _submission_page(request, store().get(stored.id), status,
                                failed={"decision": decision, "reason": reason, "key": key})
    return HttpResponseRedirect(reverse("submission", args=[stored.id]))


@signed_in
@require_POST
def post_message(request, submission_id: int):
    """A message in a version's conversation: the state's officials and its processes' staff."""
    from gcmtrack.service.people import may_write, post_message as post
    from gcmtrack.store.people import MessageError

    stored = access.visible_submission(request, submission_id)
    if not may_write(request.account, stored):
        raise access.refuse(request, "message", submission_id, "role")
    try:
        post(store(), stored, request.account, request.POST.get("text") or "")
    except MessageError as exc:
        return error_page(request, 400, "message_long" if exc.code == "message-too-long" else "message_empty")
    return HttpResponseRedirect(reverse("submission", args=[stored.id]) + "#thread-h")


@signed_in
@require_POST
def digest_preference(request):
    """A staff account's choice: one e-mail per upload and message, or one digest a day."""
    from gcmtrack.store.people import set_digest

    access.require_role(request, (Role.STAFF,), "digest")
    set_digest(store(), request.account, request.POST.get("digest") == "1")
    return HttpResponseRedirect(reverse("review_index") + "?saved=1")


@signed_in
@require_GET
def original(request, submission_id: int):
    stored = access.visible_submission(request, submission_id)
    if stored.is_narrative:  # a narrative review's own bytes, as sent (.docx or .pdf)
        kind = "application/pdf" if stored.filename.lower().endswith(".pdf") else "application/octet-stream"
        return attachment(store().original(stored.id), stored.filename, kind)
    data = store().original(stored.id)
    return attachment(data, *workbook_download(stored.filename, data))


@signed_in
@require_GET
def annotated(request, submission_id: int):
    from gcmtrack.intake.annotate import annotate

    stored = access.visible_submission(request, submission_id)
    if stored.is_narrative:  # a document in prose has no annotated copy
        raise access.refuse(request, "submission", submission_id, "absent")
    data = annotate(store().original(stored.id), list(stored.problems), stored.submission.lang)
    return attachment(data, annotated_name(stored.filename), XLSX)


# ---------------------------------------------------------------------------- staff


@signed_in
@require_GET
def review_index(request):
    from gcmtrack.reference.framework import framework
    from gcmtrack.reference.processes import processes

    s = access.require_role(request, REVIEWS, "review")
    chosen = [p for p in processes().values() if s.sees_process(p.id)]
    return render(request, "review_index.html", title=t("review.title"), processes=chosen,
                  cycles=sorted(framework().editions, reverse=True), saved=request.GET.get("saved") == "1")


@signed_in
@require_GET
def dashboard(request, process_id: str, cycle: int):
    from gcmtrack.service.dashboard import process_dashboard
    from gcmtrack.store.jobs import recent_jobs

    process = access.visible_process(request, process_id, to_review=True)
    cycle = access.visible_cycle(request, cycle)
    from gcmtrack.service.rendering import report_languages

    board = process_dashboard(store(), process, cycle, page_lang())
    from gcmtrack.store.jobs import cycle_reports

    return render(request, "dashboard.html", title=t("dashboard.title", process=process.acronym(page_lang()), cycle=cycle),
                  process=process, cycle=cycle, board=board, jobs=recent_jobs(store(), process.id, cycle),
                  report_langs=report_languages(process),
                  reports=cycle_reports(store(), process.id, cycle))


@signed_in
@require_POST
def set_deadline(request, process_id: str, cycle: int):
    from gcmtrack.store.deadlines import deadline_of, set_deadline as save
    from gcmtrack.store.people import set_certification

    process = access.visible_process(request, process_id, to_review=True)
    cycle = access.visible_cycle(request, cycle)
    try:
        due = dt.date.fromisoformat(request.POST.get("due") or "")
    except ValueError:
        return error_page(request, 400, "date")
    save(store(), process.id, cycle, due, request.POST.get("open") == "1", actor=request.account.email)
    required = request.POST.get("certification") == "1"
    if required != bool(getattr(deadline_of(store(), process.id, cycle), "certification", False)):
        set_certification(store(), process.id, cycle, required, actor=request.account.email)
    return HttpResponseRedirect(reverse("dashboard", args=[process.id, cycle]))


@signed_in
@require_GET
def export(request, process_id: str, cycle: int, fmt: str):
    """The dataset as XLSX (dataset and practices sheets), or as CSV: the dataset, or with
    fmt "practices.csv" its practices (the CSV export writes them as a second file)."""
    from gcmtrack.service.exports import EXPORT_FORMATS, export_file

    process = access.visible_process(request, process_id, to_review=True)
    cycle = access.visible_cycle(request, cycle)
    if fmt not in EXPORT_FORMATS:
        raise Http404("format")
    data, name = export_file(store(), process.id, cycle, fmt, page_lang(), actor=request.account.email)
    return attachment(data, name, XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")


@signed_in
@require_POST
def render_reports(request, process_id: str, cycle: int):
    from gcmtrack.service.rendering import report_languages, request_render

    process = access.visible_process(request, process_id, to_review=True)
    cycle = access.visible_cycle(request, cycle)
    offered = report_languages(process)
    langs = tuple(lang for lang in offered if lang in request.POST.getlist("lang")) or offered
    job = request_render(store(), process.id, cycle, publish=request.POST.get("publish") == "1",
                         accepted_only=request.POST.get("accepted_only") == "1", langs=langs,
                         actor=request.account.email)
    return HttpResponseRedirect(reverse("job", args=[job.id]))


@signed_in
@require_GET
def job(request, job_id: int):
    from gcmtrack.store.jobs import get_job

    row = access.existing(request, "job", job_id, get_job(store(), job_id))
    process = access.visible_process(request, row.process, to_review=True)
    return render(request, "job.html", title=t("job.title", process=process.acronym(page_lang()), cycle=row.cycle),
                  job=row, process=process, refresh=row.status in (JobState.QUEUED, JobState.RUNNING))


# ---------------------------------------------------------------------------- reviewers


@signed_in
@require_GET
def reports(request):
    from gcmtrack.reference.processes import processes
    from gcmtrack.store.jobs import published_reports

    s = access.require_role(request, (Role.REVIEWER, Role.STAFF, Role.ADMIN), "reports")
    table = processes()
    visible = [r for r in published_reports(store()) if r.process in table and s.sees_process(r.process)]
    return render(request, "reports.html", title=t("reports.title_staff") if s.reviews else t("reports.title"),
                  reports=visible, processes=table, staff_view=s.reviews, staff_reports=_staff_editions(s, table))


def _staff_editions(s, table) -> list:
    """The staff editions the caller may read: those of its processes, for staff and admins only."""
    from gcmtrack.store.jobs import staff_reports

    if not s.reviews:
        return []
    return [r for r in staff_reports(store()) if r.process in table and s.sees_process(r.process)]


def _published(request, process_id: str, cycle: int, lang: str):
    from gcmtrack.store.jobs import published_report

    process = access.visible_process(request, process_id)
    return access.existing(request, "report", f"{process.id}-{cycle}-{lang}",
                           published_report(store(), process.id, cycle, lang))


@signed_in
@require_GET
def report_file(request, process_id: str, cycle: int, lang: str, fmt: str):
    return _report_response(_published(request, process_id, cycle, lang), fmt)


@signed_in
@require_GET
def preview(request, process_id: str, cycle: int, lang: str, fmt: str):
    """A draft report (rendered without publishing), for the process's staff to read before
    publishing it; reviewers never see drafts."""
    from gcmtrack.store.jobs import draft_report

    process = access.visible_process(request, process_id, to_review=True)
    cycle = access.visible_cycle(request, cycle)
    row = access.existing(request, "report", f"{process.id}-{cycle}-{lang}-draft", draft_report(store(), process.id, cycle, lang))
    return _report_response(row, fmt, draft=True)


@signed_in
@require_POST
def unpublish(request, process_id: str, cycle: int):
    from gcmtrack.store.jobs import unpublish as take_back

    process = access.visible_process(request, process_id, to_review=True)
    cycle = access.visible_cycle(request, cycle)
    if request.POST.get("confirm") != "1":
        return error_page(request, 400, "unpublish")
    take_back(store(), process.id, cycle, actor=request.account.email)
    return HttpResponseRedirect(reverse("dashboard", args=[process.id, cycle]) + "#out-h")


@require_GET
def staff_report_file(request, process_id: str, cycle: int, lang: str, fmt: str):
    """The staff edition (named states and scores): the process's staff and admins only, 404
    (audited) for anyone else, reviewers and anonymous callers included (no redirect to the
    sign-in page that would tell a staff edition's address from any other)."""
    from gcmtrack.store.jobs import staff_report

    process = access.visible_process(request, process_id, to_review=True)
    cycle = access.visible_cycle(request, cycle)
    row = access.existing(request, "report", f"{process.id}-{cycle}-staff-{lang}", staff_report(store(), process.id, cycle, lang))
    return _report_response(row, fmt, middle="-staff")


def _report_response(row, fmt: str, *, middle: str = "", draft: bool = False):
    tail = "-draft" if draft else ""
    name = f"{row.process.lower()}-{row.cycle}{middle}-{row.lang}{tail}"
    if fmt == "pdf":
        return attachment(bytes(row.pdf), f"{name}.pdf", "application/pdf")
    if fmt == row.data_format == "zip":  # the edition's data package, the same in every language
        return attachment(bytes(row.data), f"{row.process.lower()}-{row.cycle}{middle}-data{tail}.zip", "application/zip")
    if fmt == row.data_format == "csv":  # a report rendered before the editions: its dataset
        return attachment(bytes(row.data), f"{name}-data.csv", "text/csv; charset=utf-8")
    if fmt == "html":
        response = HttpResponse(bytes(row.html), content_type="text/html; charset=utf-8")
        # the report's own HTML: its styles inline, no script at all, nothing fetched
        response["Content-Security-Policy"] = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                               "font-src data:; frame-ancestors 'none'; base-uri 'none'; "
                                               "form-action 'none'; sandbox allow-same-origin")
        return response
    raise Http404("format")
