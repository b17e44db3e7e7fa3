"""The service's vocabulary, enumerated once: what the audit log records (actions), who acts
(roles), where a submitted version stands (review states), what a reviewer decides
(decisions) and which decision moves a version from which state to which (TRANSITIONS), and
where a render job stands. Every module uses these names; the stored strings are their values.

The members are `str` (StrEnum): they compare equal to the stored text and print as it.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """What one audit event records (the `action` column)."""

    # a submission arrives
    INGEST = "ingest"  # from the command line (and the demo)
    UPLOAD = "upload"  # through the portal or the API
    UPLOAD_REFUSED = "upload-refused"  # a workbook for a state the uploader may not send for
    UPLOAD_REJECTED = "upload-rejected"  # an invalid workbook (kept as an upload check)
    # review decisions (the same strings as Decision)
    ACCEPT = "accept"
    RETURN = "return"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"
    CERTIFY = "certify"  # the state's certifying official confirms a version (process setting)
    # a version's conversation between the state and staff, and the staff digest
    MESSAGE = "message"
    DIGEST = "digest"
    CERTIFICATION = "certification"  # a process's cycle set to require (or not) certification
    CERTIFIER = "account-certifier"  # a submitter made (or no longer) its state's certifying official
    DIGEST_PREFERENCE = "account-digest"
    # accounts and signing in
    ACCOUNT_ADD = "account-add"
    ACCOUNT_DISABLE = "account-disable"
    ACCOUNT_ENABLE = "account-enable"
    ACCOUNT_INVITE = "account-invite"  # a new invitation for an existing account
    PASSWORD_CHANGE = "password-change"
    PASSWORD_RESET_REQUEST = "password-reset-request"
    PASSWORD_RESET = "password-reset"
    MFA_ENROL = "mfa-enrol"
    MFA_RECOVERY_USED = "mfa-recovery-used"
    MFA_RESET = "mfa-reset"
    MFA_FAILED = "mfa-failed"
    ACCOUNT_CHANGE = "account-change"  # a new role or scope
    TOKEN_CREATE = "token-create"
    TOKEN_REVOKE = "token-revoke"
    SIGNIN = "signin"
    SIGNIN_PASSWORD = "signin-password"  # a right password; the second factor may follow
    SIGNIN_FAILED = "signin-failed"
    SIGNIN_THROTTLED = "signin-throttled"
    SIGNOUT = "signout"
    REFUSED = "refused"  # a look outside the caller's scope (answered 404)
    # processes and reports
    DEADLINE = "deadline"
    EXPORT = "export"
    RENDER_REQUEST = "render-request"
    RENDER = "render"
    UNPUBLISH = "unpublish"  # published reports taken back from reviewers (kept as drafts)
    RENDER_LOST = "render-lost"  # a job whose worker stopped beating was failed (and queued again once)
    REMIND = "remind"
    # authoring a regional review (review.md)
    TEXT_SAVE = "review-text-save"  # a new version of a section's text
    FEATURE = "feature"  # an objective's text or a practice featured in a round-table chapter
    UNFEATURE = "unfeature"
    INPUT_ADD = "stakeholder-input-add"
    INDICATORS_IMPORT = "indicators-import"
    DISCLOSURE = "disclosure"
    FINAL = "review-final"  # an edition marked final
    # narrative reviews (narrative.md): a person's decisions on a document's passages
    NARRATIVE_DECIDE = "narrative-decide"  # links of passages accepted, changed or rejected
    NARRATIVE_STATUS = "narrative-status"  # the status the document supports for objectives
    NARRATIVE_CONFIRM = "narrative-confirm"  # the decisions confirmed: the version now counts


class Role(StrEnum):
    """Who an account is (service.md): a submitter acts for one state; staff for the members of
    one or more processes; a reviewer reads published reports; an admin manages accounts."""

    SUBMITTER = "submitter"
    STAFF = "staff"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class TokenScope(StrEnum):
    """What an API token may do, within its account's role and scope."""

    READ = "read"  # GET requests only
    UPLOAD = "upload"  # reading, and sending workbooks (POST /api/v1/submissions and /validate)
    FULL = "full"  # everything the account's role may (review decisions too)


class ReviewState(StrEnum):
    """Where a stored version stands in the review."""

    UNCONFIRMED = "unconfirmed"  # a narrative version whose links a person has not confirmed yet
    UNCERTIFIED = "uncertified"  # stored, waiting for the state's certifying official (not yet for staff)
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


class Decision(StrEnum):
    """A review decision on one version."""

    ACCEPT = "accept"
    RETURN = "return"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"
    CERTIFY = "certify"


class Kind(StrEnum):
    """What a stored version was made from."""

    WORKBOOK = "workbook"  # the submission workbook (submission-workbook.md)
    NARRATIVE = "narrative"  # a voluntary review in prose, read and confirmed by a person (narrative.md)


class JobState(StrEnum):
    """Where a render job stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ROLES: tuple[str, ...] = tuple(r.value for r in Role)
TOKEN_SCOPES: tuple[str, ...] = tuple(s.value for s in TokenScope)
ACTIONS: tuple[str, ...] = tuple(a.value for a in Action)

KINDS: tuple[str, ...] = tuple(k.value for k in Kind)
REVIEW_STATES: tuple[str, ...] = tuple(s.value for s in ReviewState)
# The versions that can count for a state's cycle (the latest of them does). An unconfirmed
# narrative never counts: nothing a person has not confirmed enters a score or a report.
COUNTING_STATES: tuple[str, ...] = (ReviewState.SUBMITTED.value, ReviewState.ACCEPTED.value)
JOB_STATES: tuple[str, ...] = tuple(s.value for s in JobState)
# Roles that read submissions, and roles that take review decisions.
READS_SUBMISSIONS: tuple[str, ...] = (Role.SUBMITTER.value, Role.STAFF.value, Role.ADMIN.value)
REVIEWS: tuple[str, ...] = (Role.STAFF.value, Role.ADMIN.value)
# Decisions a state's own accounts may take (withdraw: any of its officials; certify: its certifier).
STATE_DECISIONS: tuple[str, ...] = (Decision.WITHDRAW.value, Decision.CERTIFY.value)

# decision -> (from states, to state, reason required)
TRANSITIONS: dict[str, tuple[frozenset[str], str, bool]] = {
    Decision.ACCEPT.value: (frozenset({ReviewState.SUBMITTED.value}), ReviewState.ACCEPTED.value, False),
    Decision.RETURN.value: (frozenset({ReviewState.SUBMITTED.value}), ReviewState.RETURNED.value, True),
    # an unconfirmed narrative or an uncertified version can be withdrawn too (neither counted)
    Decision.WITHDRAW.value: (frozenset({ReviewState.SUBMITTED.value, ReviewState.UNCONFIRMED.value,
                                         ReviewState.UNCERTIFIED.value}),
                              ReviewState.WITHDRAWN.value, False),
    # only the state's certifying official (a submitter account flagged `certifier`) may certify
    Decision.CERTIFY.value: (frozenset({ReviewState.UNCERTIFIED.value}), ReviewState.SUBMITTED.value, False),
    Decision.REOPEN.value: (frozenset({ReviewState.ACCEPTED.value, ReviewState.RETURNED.value}),
                           ReviewState.SUBMITTED.value, True),
}
