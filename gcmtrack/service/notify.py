"""E-mail: staff hear of a new upload; a submitter hears of a decision on its version, in its
own language; `gcmtrack remind` nudges the submitters of members that have not submitted.

Django's e-mail settings decide where mail goes (console output by default). Text from
submissions never reaches a header; bodies are plain text.
"""

from __future__ import annotations

from django.core.mail import send_mail

from gcmtrack.common.catalogue import text
from gcmtrack.common.languages import lang_or_default
from gcmtrack.service.invitations import base_url
from gcmtrack.store.accounts import active_accounts
from gcmtrack.store.events import Action, Role


def _subject(text: str) -> str:
    return " ".join(text.split())[:150]  # one line, no header injection


def _send(to: list[str], subject: str, body: str) -> int:
    if not to:
        return 0
    return send_mail(_subject(subject), body, None, to, fail_silently=False)


def _in(lang: str, key: str, **params) -> str:
    return text("portal", key, lang_or_default(lang), **params)


def _staff_for(store, process_ids: set[str], *, digest_too: bool = False) -> list:
    """The staff of these processes; without `digest_too`, not those who chose the daily digest
    (it tells them instead)."""
    accounts = active_accounts(store, Role.STAFF)
    return [a for a in accounts if process_ids & set(a.processes) and (digest_too or not a.digest)]


def _processes_of(stored) -> set[str]:
    from gcmtrack.reference.processes import processes_of

    return set(processes_of(stored.state, stored.cycle))


def new_upload(store, stored, uploader) -> int:
    """Tell staff of a new version to review (on upload, or once certified)."""
    from gcmtrack.reference.states import states

    sent = 0
    for account in _staff_for(store, _processes_of(stored)):
        lang = account.lang
        name = states().get(stored.state).name(lang)
        link = f"{base_url()}/submissions/{stored.id}/"
        sent += _send([account.email], _in(lang, "mail.upload.subject", state=name, cycle=stored.cycle),
                      _in(lang, "mail.upload.body", state=name, cycle=stored.cycle, version=stored.version,
                          uploader=uploader.email, warnings=len(stored.problems), link=link))
    return sent


def to_certify(store, stored, uploader) -> int:
    """Tell the state's certifying officials that a version waits for their certification."""
    from gcmtrack.reference.states import states
    from gcmtrack.store.people import certifiers

    sent = 0
    for account in certifiers(store, stored.state):
        lang = account.lang
        name = states().get(stored.state).name(lang)
        sent += _send([account.email], _in(lang, "mail.certify.subject", state=name, cycle=stored.cycle),
                      _in(lang, "mail.certify.body", state=name, cycle=stored.cycle, version=stored.version,
                          uploader=uploader.email, link=f"{base_url()}/submissions/{stored.id}/"))
    return sent


def message(store, stored, message: dict, writer) -> int:
    """Tell the other side of a version's conversation of a new message: the state's officials
    when staff wrote, the staff of its processes (not digest readers) when the state wrote.
    The text goes in the body only (plain text), never in a header."""
    from gcmtrack.reference.states import states

    if writer.role == Role.SUBMITTER:
        readers = _staff_for(store, _processes_of(stored))
    else:
        readers = active_accounts(store, Role.SUBMITTER, state=stored.state)
    sent = 0
    for account in readers:
        if account.pk == writer.pk:
            continue
        lang = account.lang
        name = states().get(stored.state).name(lang)
        sent += _send([account.email],
                      _in(lang, "mail.message.subject", state=name, cycle=stored.cycle, version=stored.version),
                      _in(lang, "mail.message.body", state=name, cycle=stored.cycle, version=stored.version,
                          author=writer.email, text=message["text"],
                          link=f"{base_url()}/submissions/{stored.id}/#thread-h"))
    return sent


def digest(store, account, day, events: list[dict]) -> int:
    """One staff account's digest of a day: a line per event, oldest first."""
    from gcmtrack.reference.states import states

    lang = account.lang
    lines = []
    for e in events:
        name = states().get(e["state"]).name(lang) if e["state"] else "-"
        lines.append(_in(lang, "mail.digest.line", at=(e["at"] or "")[11:16], state=name, cycle=e["cycle"],
                         what=_in(lang, f"action.{e['action']}"), who=e["actor"],
                         link=f"{base_url()}/submissions/{e['submission']}/" if e["submission"] else ""))
    return _send([account.email], _in(lang, "mail.digest.subject", day=day.isoformat(), count=len(events)),
                 _in(lang, "mail.digest.body", day=day.isoformat(), count=len(events), lines="\n".join(lines)))


def decision(store, stored, decision: str, actor, reason: str) -> int:
    """Tell the submitters of the state about a decision (not about their own withdrawal or
    certification)."""
    from gcmtrack.reference.states import states

    sent = 0
    for account in active_accounts(store, Role.SUBMITTER, state=stored.state):
        if account.pk == actor.pk:
            continue
        lang = account.lang
        name = states().get(stored.state).name(lang)
        link = f"{base_url()}/submissions/{stored.id}/"
        sent += _send([account.email],
                      _in(lang, f"mail.decision.{decision}.subject", state=name, cycle=stored.cycle),
                      _in(lang, "mail.decision.body", state=name, cycle=stored.cycle, version=stored.version,
                          decision=_in(lang, f"review_state.{stored.review_state}"),
                          reason=reason or "-", link=link))
    return sent


def remind(store, process_id: str, cycle: int, *, dry_run: bool = False) -> list[dict]:
    """E-mail the submitters of members with no counting version; returns who was (or would be)
    written to."""
    from gcmtrack.reference.processes import get_process
    from gcmtrack.reference.states import states
    from gcmtrack.store.deadlines import deadline_of

    process = get_process(process_id)
    members = sorted(process.members(cycle))
    submitted = set(store.latest(cycle, members))
    deadline = deadline_of(store, process.id, cycle)
    due = deadline.due.isoformat() if deadline else "-"
    rows = []
    for code in members:
        if code in submitted:
            continue
        accounts = active_accounts(store, Role.SUBMITTER, state=code)
        rows.append({"state": code, "to": [a.email for a in accounts]})
        if dry_run:
            continue
        for account in accounts:
            lang = account.lang
            _send([account.email], _in(lang, "mail.remind.subject", process=process.acronym(lang), cycle=cycle),
                  _in(lang, "mail.remind.body", state=states().get(code).name(lang), process=process.name(lang),
                      cycle=cycle, due=due, link=f"{base_url()}/state/"))
    if not dry_run:
        from gcmtrack.store import cli_actor

        store.audit(cli_actor(), Action.REMIND, object_type="process", object_id=process.id,
                    process=process.id, cycle=cycle, detail={"states": [r["state"] for r in rows]})
    return rows


def password_reset(account, link: str, hours: int) -> int:
    """The one-time password reset link, in the account's own language."""
    lang = account.lang
    return _send([account.email], _in(lang, "mail.reset.subject"),
                 _in(lang, "mail.reset.body", email=account.email, link=link, hours=hours))
