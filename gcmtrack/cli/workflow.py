"""Commands of the review workflow and the shared store: users, review, history, audit."""

from __future__ import annotations

import datetime as dt
import sys

import click

from gcmtrack.cli import CONTEXT, LANG_CHOICE, _echo_json, db_option, json_option, main
from gcmtrack.store.events import ROLES

DECISIONS = ("accept", "return", "withdraw", "reopen")


@main.group(context_settings=CONTEXT)
def users() -> None:
    """Manage accounts: submitters (one state), staff and reviewers (processes), admins.

    \b
    Example:
      printf '%s\\n' "$PASSWORD" | gcmtrack users add focal@mre.gob.mx --role submitter --state MEX --password-stdin
      gcmtrack users add analyst@iom.int --role staff --process RCM --process CMC
      gcmtrack users token analyst@iom.int
    """


@users.command("add", context_settings=CONTEXT)
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES),
              help="submitter: one state's workbooks; staff: review for processes; reviewer: published reports; "
                   "admin: accounts.")
@click.option("--state", metavar="ISO3", help="The state a submitter acts for.")
@click.option("--process", "process_ids", multiple=True, metavar="ID",
              help="A process staff or reviewers work on (repeatable; ALL for a reviewer of every process).")
@click.option("--lang", type=LANG_CHOICE, default="en", show_default=True, help="Language of pages and e-mail.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (else print an invitation link).")
@db_option
def users_add(email, role, state, process_ids, lang, password_stdin, db) -> None:
    """Create an account. Without --password-stdin, print an invitation link (valid 7 days)
    with which the person sets a password in the portal.

    \b
    Example:
      gcmtrack users add focal@mre.gob.mx --role submitter --state MEX --lang es
    """
    from gcmtrack.service.admin import add_account, invite
    from gcmtrack.store import Store

    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.UsageError("--password-stdin read an empty line")
    with Store(db) as store:
        if password is None:
            account, link = invite(store, email, role, state=state, process_ids=process_ids, lang=lang)
        else:
            account, link = add_account(store, email, role, state=state, process_ids=process_ids,
                                        password=password, lang=lang), None
        click.echo(f"Added {account.email} ({account.role}"
                   + (f", {account.state}" if account.state else "")
                   + (f", {', '.join(account.processes)}" if account.processes else "")
                   + (", every process" if account.all_processes else "") + ").")
        if link is not None:
            click.echo(f"Invitation link (valid 7 days): {link}")


@users.command("list", context_settings=CONTEXT)
@json_option
@db_option
def users_list(as_json: bool, db: str | None) -> None:
    """List the accounts.

    \b
    Example:
      gcmtrack users list --json
    """
    from gcmtrack.store import Store
    from gcmtrack.store.accounts import list_accounts

    with Store(db, create=False) as store:
        rows = list_accounts(store)
    if as_json:
        _echo_json({"users": rows})
        return
    if not rows:
        click.echo("No account yet (gcmtrack users add EMAIL --role …).")
    for row in rows:
        where = row["state"] or ", ".join(row["processes"]) or "-"
        active = "" if row["active"] else "  [disabled]"
        click.echo(f"{row['email']:<40} {row['role']:<10} {where}{active}")


def _account_switch(name: str, change: str, doc: str, said) -> None:
    """Add `users <name> EMAIL`: the admin service's `change(store, email)`, then `said(account)`."""
    @users.command(name, context_settings=CONTEXT, help=doc)
    @click.argument("email")
    @db_option
    def switch(email: str, db: str | None) -> None:
        from gcmtrack.service import admin
        from gcmtrack.store import Store

        with Store(db, create=False) as store:
            account = getattr(admin, change)(store, email)
        click.echo(said(account))


_account_switch("disable", "disable_account", """Disable an account: it can no longer sign in; its sessions and API tokens end now.

    \b
    Example:
      gcmtrack users disable former.colleague@iom.int
    """, lambda account: f"Disabled {account.email}; its sessions and tokens no longer work.")

_account_switch("enable", "enable_account", """Enable a disabled account again, with its role, scope and password (its old sessions and
    tokens stay ended). To make the person choose a new password, use `users invite`.

    \b
    Example:
      gcmtrack users enable returning.colleague@iom.int
    """, lambda account: f"Enabled {account.email} ({account.role}).")


@users.command("certifier", context_settings=CONTEXT)
@click.argument("email")
@click.option("--off", is_flag=True, help="No longer the state's certifying official.")
@db_option
def users_certifier(email: str, off: bool, db: str | None) -> None:
    """Make a submitter its state's certifying official (or, with --off, no longer). A state may
    have several submitters and several certifying officials; where a process requires
    certification (`gcmtrack deadline --certification`), a new version waits for one of them
    before staff review it.

    \b
    Example:
      gcmtrack users certifier director@mfa.gov.jm
    """
    from gcmtrack.errors import GcmtrackError
    from gcmtrack.store import Store
    from gcmtrack.store.accounts import get_account
    from gcmtrack.store.people import set_certifier

    with Store(db, create=False) as store:
        account = get_account(store, email)
        try:
            set_certifier(store, account, not off)
        except ValueError as exc:
            raise GcmtrackError(str(exc)) from None
    click.echo(f"{account.email} is {'no longer' if off else 'now'} a certifying official of {account.state}.")


@users.command("invite", context_settings=CONTEXT)
@click.argument("email")
@db_option
def users_invite(email: str, db: str | None) -> None:
    """Invite an existing account again: print a new invitation link (valid 7 days) with which
    the person sets a new password. A disabled account is enabled; its old password, earlier
    links, sessions and API tokens stop working. Role and scope are kept (`users add` is for
    new accounts only, so that it never changes an existing account's role by mistake).

    \b
    Example:
      gcmtrack users invite focal@mre.gob.mx
    """
    from gcmtrack.service.admin import reinvite
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        account, link = reinvite(store, email)
        click.echo(f"Invited {account.email} again ({account.role}); its old password no longer works.")
        click.echo(f"Invitation link (valid 7 days): {link}")


@users.command("reset-mfa", context_settings=CONTEXT)
@click.argument("email")
@db_option
def users_reset_mfa(email: str, db: str | None) -> None:
    """Remove an account's authenticator app and recovery codes, for a person who lost both
    (with recovery codes, people get back in on their own). Staff and admins set up a new
    authenticator at their next sign-in.

    \b
    Example:
      gcmtrack users reset-mfa analyst@iom.int
    """
    from gcmtrack.store import Store
    from gcmtrack.store.mfa import reset_mfa

    with Store(db, create=False) as store:
        account = reset_mfa(store, email)
    click.echo(f"Two-step sign-in removed for {account.email}; a new authenticator is set up at the next sign-in.")


@users.command("change", context_settings=CONTEXT)
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES), help="The account's new role.")
@click.option("--state", metavar="ISO3", help="The state a submitter acts for.")
@click.option("--process", "process_ids", multiple=True, metavar="ID",
              help="A process staff or reviewers work on (repeatable; ALL for a reviewer of every process).")
@db_option
def users_change(email, role, state, process_ids, db) -> None:
    """Give an account a new role and scope (the same rules as `users add`). Its sessions and
    tokens go on with what the new role allows.

    \b
    Example:
      gcmtrack users change analyst@iom.int --role staff --process RCM --process CMC
    """
    from gcmtrack.service.admin import change_account
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        account = change_account(store, email, role, state=state, process_ids=process_ids)
    click.echo(f"{account.email} is now {account.role}"
               + (f" ({account.state})" if account.state else "")
               + (f" ({', '.join(account.processes)})" if account.processes else "")
               + (" (every process)" if account.all_processes else "") + ".")


TOKEN_SCOPE_HELP = ("read: GET requests only; upload: also send workbooks (POST /api/v1/submissions and "
                    "/api/v1/validate); full: everything the account's role may, review decisions too.")


def _token_options(default_scope: str):
    from gcmtrack.store.events import TOKEN_SCOPES

    def decorate(command):
        command = click.option("--label", default="", metavar="TEXT",
                               help="A name to tell the token apart in listings (e.g. the script using it).")(command)
        command = click.option("--expires", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
                               help="The last day (UTC) the token works; at most a year ahead. "
                                    "Default: 90 days from today.")(command)
        command = click.option("--scope", type=click.Choice(TOKEN_SCOPES), default=default_scope,
                               show_default=True, help=TOKEN_SCOPE_HELP)(command)
        return command
    return decorate


def _create_token(email: str, scope: str, expires, label: str, db: str | None) -> None:
    from gcmtrack.service.admin import create_token
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        click.echo(create_token(store, email, scope=scope, label=label, expires=expires.date() if expires else None))


@users.command("token", context_settings=CONTEXT)
@click.argument("email")
@_token_options("full")
@db_option
def users_token(email: str, scope: str, expires, label: str, db: str | None) -> None:
    """Print a new API token for an account, alone on standard output (the same as `tokens
    create`, with the full scope by default). It is shown once: only its hash is stored.

    \b
    Example:
      TOKEN=$(gcmtrack users token analyst@iom.int)
      curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/api/v1/me
    """
    _create_token(email, scope, expires, label, db)


@main.group(context_settings=CONTEXT)
def tokens() -> None:
    """API tokens: create one (with a scope and an expiry), list them, revoke one.

    \b
    Example:
      gcmtrack tokens create focal@mre.gob.mx --scope upload --expires 2026-12-31 --label "nightly upload"
      gcmtrack tokens list focal@mre.gob.mx
      gcmtrack tokens revoke 7
    """


@tokens.command("create", context_settings=CONTEXT)
@click.argument("email")
@_token_options("upload")
@db_option
def tokens_create(email: str, scope: str, expires, label: str, db: str | None) -> None:
    """Print a new API token for an account, alone on standard output. It is shown once: only
    its hash is stored. The API refuses it after its expiry (401 token-expired) and outside its
    scope (403 token-scope).

    \b
    Example:
      TOKEN=$(gcmtrack tokens create focal@mre.gob.mx --scope upload --expires 2026-12-31)
    """
    _create_token(email, scope, expires, label, db)


@tokens.command("list", context_settings=CONTEXT)
@click.argument("email", required=False)
@json_option
@db_option
def tokens_list(email: str | None, as_json: bool, db: str | None) -> None:
    """List the API tokens (of one account, or of every account), newest first, with their
    status: active, expired or revoked. The tokens themselves are never shown again.

    \b
    Example:
      gcmtrack tokens list focal@mre.gob.mx --json
    """
    from gcmtrack.service.admin import list_tokens
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        rows = list_tokens(store, email)
    if as_json:
        _echo_json({"tokens": rows})
        return
    if not rows:
        click.echo("No API token" + (f" for {email}." if email else "."))
    for row in rows:
        label = f"  {_printable(row['label'])}" if row["label"] else ""
        click.echo(f"#{row['id']:<5} {row['email']:<32} {row['prefix']}…  {row['scope']:<6} {row['status']:<7} "
                   f"expires {row['expires_at'] or 'never'}  last used {row['last_used_at'] or 'never'}{label}")


def _printable(text: str) -> str:
    """A label for the terminal: no control characters (it is typed by people)."""
    return "".join(c if c.isprintable() else "?" for c in text)


@tokens.command("revoke", context_settings=CONTEXT)
@click.argument("token_id", type=int)
@db_option
def tokens_revoke(token_id: int, db: str | None) -> None:
    """Revoke one API token now, by its number in `tokens list` (the account and its other
    tokens are untouched).

    \b
    Example:
      gcmtrack tokens revoke 7
    """
    from gcmtrack.service.admin import revoke_token
    from gcmtrack.store import Store

    with Store(db, create=False) as store:
        row = revoke_token(store, token_id)
    click.echo(f"Revoked token #{row['id']} ({row['prefix']}…) of {row['email']}.")


@main.command(context_settings=CONTEXT)
@click.argument("decision", type=click.Choice(DECISIONS))
@click.argument("submission_id", type=int)
@click.option("--reason", default="", help="Why (required to return or reopen).")
@click.option("--yes", "assume_yes", is_flag=True,
              help="Do not ask before a decision that makes another version count (for scripts).")
@json_option
@db_option
def review(decision: str, submission_id: int, reason: str, assume_yes: bool, as_json: bool,
           db: str | None) -> None:
    """Take a review decision on a stored version: accept, return (with a reason), withdraw,
    or reopen (with a reason). The actor recorded is the operating-system user.

    When the decision changes which version counts (returning or withdrawing the version
    that counts makes an earlier one count; reopening makes this one count again), it says
    which version will count afterwards and asks first, as the portal does; --yes skips
    the question.

    \b
    Example:
      gcmtrack review return 12 --reason "Objective 7: the evidence column is empty"
      gcmtrack review accept 13
      gcmtrack review return 12 --reason "Objective 7: no evidence" --yes
    """
    from gcmtrack.service.review import decide, outcome
    from gcmtrack.store import Store, version_object
    from gcmtrack.store.events import TRANSITIONS

    with Store(db, create=False) as store:
        stored = store.get(submission_id)
        found = outcome(store, stored, decision)
        sources, _to, needs_reason = TRANSITIONS[decision]
        asks = found.needs_confirmation and stored.review_state in sources and not (needs_reason and not reason.strip())
        if asks and not assume_yes:
            click.echo(f"Version {found.version_now} of {stored.state} {stored.cycle} counts now; after this "
                       f"decision version {found.version_after} counts instead.", err=True)
            if not click.confirm(f"{decision.capitalize()} version {stored.version} and let version "
                                 f"{found.version_after} count?", default=False, err=True):
                raise click.ClickException("nothing was changed")
        stored = decide(store, submission_id, decision, reason=reason)
    if as_json:
        _echo_json(version_object(stored))
    else:
        click.echo(f"Submission {stored.id} ({stored.state} {stored.cycle}, version {stored.version}) "
                   f"is now {stored.review_state}.")


@main.command(context_settings=CONTEXT)
@click.option("--state", required=True, metavar="ISO3", help="The state (ISO3 code or name).")
@click.option("--cycle", required=True, type=int, metavar="YEAR", help="Review cycle, e.g. 2026.")
@json_option
@db_option
def history(state: str, cycle: int, as_json: bool, db: str | None) -> None:
    """Every version of a state's submission for a cycle, oldest first, with its review events.

    \b
    Example:
      gcmtrack history --state JAM --cycle 2026
    """
    from gcmtrack.reference.states import states
    from gcmtrack.store import Store

    code = states().resolve(state).code
    if code is None:
        raise click.BadParameter(f"{state!r} is not a known state or territory", param_hint="--state")
    with Store(db, create=False) as store:
        data = store.history(code, cycle)
    if as_json:
        _echo_json(data)
        return
    if not data["versions"]:
        click.echo(f"No version of {code} {cycle} is stored.")
    for v in data["versions"]:
        counts = "  ← counts" if v["counts"] else ""
        click.echo(f"v{v['version']}  #{v['id']}  {v['review_state']:<9} stored {v['stored_at']}  "
                   f"dated {v['workbook_date'] or '-'}  {v['filename']}  {len(v['warnings'])} warning(s){counts}")
        for e in v["events"]:
            change = f"{e['from'] or '-'} → {e['to'] or '-'}"
            reason = f": {e['reason']}" if e["reason"] else ""
            click.echo(f"      {e['at']}  {e['actor']}  {e['action']} ({change}){reason}")


@main.command(context_settings=CONTEXT)
@click.option("--since", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), metavar="DATE",
              help="Only events from this date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS) on.")
@click.option("--limit", type=click.IntRange(1), metavar="N", help="Only the N most recent events (still listed oldest first).")
@json_option
@db_option
def audit(since: dt.datetime | None, limit: int | None, as_json: bool, db: str | None) -> None:
    """The audit log: every ingest or upload, decision, account change, sign-in, refused access
    and report render, oldest first.

    \b
    Example:
      gcmtrack audit --since 2026-03-01 --json
    """
    from gcmtrack.store import Store

    if since is not None:
        since = since.replace(tzinfo=dt.timezone.utc)
    with Store(db, create=False) as store:
        events = [e.to_dict() for e in store.audit_log(since, limit)]
    if as_json:
        _echo_json({"events": events})
        return
    for e in events:
        target = f" {e['object_type']} {e['object_id']}" if e["object_type"] else ""
        change = f" {e['from'] or '-'} → {e['to']}" if e["to"] else ""
        reason = f": {e['reason']}" if e["reason"] else ""
        click.echo(f"{e['at']}  {e['actor']}  {e['action']}{target}{change}{reason}")
