"""The tables of the store, as Django models: files, submission versions, accounts, API
tokens, the append-only audit log, deadlines, render jobs and rendered reports.

Only gcmtrack.store talks to these models; the rest of gcmtrack gets plain objects
(gcmtrack.submission.Submission, StoredSubmission) from gcmtrack.store.Store.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models

from gcmtrack.store.events import JOB_STATES, KINDS, REVIEW_STATES, ROLES


class StoreMeta(models.Model):
    """Key/value facts about the store itself (schema, secret key, sample flag)."""

    key = models.CharField(max_length=100, primary_key=True)
    value = models.TextField()

    class Meta:
        db_table = "gcm_meta"


class StoredFile(models.Model):
    """The exact bytes of an accepted workbook, under their SHA-256."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    content = models.BinaryField()

    class Meta:
        db_table = "gcm_file"


class AccountManager(BaseUserManager):
    def create_account(self, email: str, role: str, password: str | None = None, **fields) -> "Account":
        account = self.model(email=self.normalize_email(email).lower(), role=role, **fields)
        if password:
            account.set_password(password)
        else:
            account.set_unusable_password()
        account.save(using=self._db)
        return account


class Account(AbstractBaseUser):
    """A person who signs in: a submitter of one state, staff or a reviewer of some processes,
    or an admin. `security_stamp` changes when the password changes or the account is
    disabled, which ends every session signed with the old stamp."""

    email = models.EmailField(unique=True)
    role = models.CharField(max_length=20, choices=[(r, r) for r in ROLES])
    state = models.CharField(max_length=3, null=True, blank=True)
    processes = models.JSONField(default=list, blank=True)  # process ids
    all_processes = models.BooleanField(default=False)  # reviewers of every process
    lang = models.CharField(max_length=5, default="en")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    security_stamp = models.CharField(max_length=64, default=secrets.token_hex)
    # a submitter who is its state's certifying official (certifies versions, issue 19 item 4)
    certifier = models.BooleanField(default=False)
    # staff who read one e-mail a day (`gcmtrack digest`) instead of one per upload and message
    digest = models.BooleanField(default=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = AccountManager()

    class Meta:
        db_table = "gcm_account"

    def get_session_auth_hash(self) -> str:
        # Django ends a session whose stored hash no longer matches: include the stamp.
        from django.utils.crypto import salted_hmac

        return salted_hmac("gcmtrack.session", f"{self.password}:{self.security_stamp}",
                           algorithm="sha256").hexdigest()

    def __str__(self) -> str:
        return self.email


class ApiToken(models.Model):
    """An API token, stored only as its SHA-256 (the token itself is shown once)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)  # the first characters, to tell tokens apart
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # what the token may do (store/accounts.py TOKEN_SCOPES): "read", "upload" or "full" (the
    # account's whole role; tokens made before scopes existed), and until when (None: no end)
    scope = models.CharField(max_length=10, default="full")
    expires_at = models.DateTimeField(null=True, blank=True)
    label = models.CharField(max_length=100, blank=True, default="")
    revoked_by = models.CharField(max_length=320, blank=True, default="")

    class Meta:
        db_table = "gcm_api_token"


class SubmissionVersion(models.Model):
    """One stored version of a state's submission for a cycle, with its review state."""

    state = models.CharField(max_length=3)
    cycle = models.IntegerField()
    version = models.IntegerField()
    filename = models.CharField(max_length=255)
    file = models.OneToOneField(StoredFile, on_delete=models.PROTECT, db_column="sha256", to_field="sha256")
    ingested_at = models.DateTimeField()
    template_version = models.CharField(max_length=20, null=True, blank=True)
    lang = models.CharField(max_length=5)
    problems = models.JSONField(default=list)  # the warnings it was accepted with
    content = models.JSONField()  # Submission.to_json()
    workbook_date = models.DateField(null=True, blank=True)  # the date the state wrote on it
    review_state = models.CharField(max_length=12, default="submitted",
                                    choices=[(s, s) for s in REVIEW_STATES])
    uploaded_by = models.ForeignKey(Account, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="uploads")
    # "workbook", or "narrative": a document in prose whose links a person confirms (NarrativeDocument)
    kind = models.CharField(max_length=10, default="workbook", choices=[(k, k) for k in KINDS])

    class Meta:
        db_table = "gcm_submission"
        constraints = [models.UniqueConstraint(fields=["state", "cycle", "version"], name="gcm_submission_version")]
        indexes = [models.Index(fields=["cycle", "state", "version"], name="gcm_submission_cycle")]


class AuditEvent(models.Model):
    """Who did what, when, to what, and why. Append-only: triggers refuse UPDATE and DELETE."""

    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=320)  # an account's e-mail, "cli:<os user>", or "system"
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40, blank=True, default="")
    object_id = models.CharField(max_length=64, blank=True, default="")
    state = models.CharField(max_length=3, null=True, blank=True)
    process = models.CharField(max_length=20, null=True, blank=True)
    cycle = models.IntegerField(null=True, blank=True)
    from_state = models.CharField(max_length=20, null=True, blank=True)
    to_state = models.CharField(max_length=20, null=True, blank=True)
    reason = models.TextField(blank=True, default="")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "gcm_audit"
        indexes = [models.Index(fields=["object_type", "object_id"], name="gcm_audit_object")]


class Deadline(models.Model):
    """The deadline of a process's cycle (shown to submitters, used for 'on time')."""

    process = models.CharField(max_length=20)
    cycle = models.IntegerField()
    due = models.DateField()
    is_open = models.BooleanField(default=True)
    # after `due`, while open: "accept" (stored, marked late on the dashboard), "warn" (stored
    # with the late-upload warning) or "refuse" (nothing stored); see service/deadlines.py
    late_policy = models.CharField(max_length=10, default="accept")
    # a version must be certified by the state's certifying official before staff review it
    certification = models.BooleanField(default=False)

    class Meta:
        db_table = "gcm_deadline"
        constraints = [models.UniqueConstraint(fields=["process", "cycle"], name="gcm_deadline_once")]


class RenderJob(models.Model):
    """A request to render (and optionally publish) a process's reports, run by a worker."""

    process = models.CharField(max_length=20)
    cycle = models.IntegerField()
    langs = models.JSONField(default=list)
    accepted_only = models.BooleanField(default=False)
    publish = models.BooleanField(default=False)
    status = models.CharField(max_length=10, default="queued", choices=[(s, s) for s in JOB_STATES])
    done = models.IntegerField(default=0)
    total = models.IntegerField(default=0)
    error = models.TextField(blank=True, default="")
    requested_by = models.CharField(max_length=320, blank=True, default="")
    worker = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # written by the running worker every few seconds; a running job whose heartbeat is older
    # than jobs.HEARTBEAT_LOST is failed by the next worker or by serve (its worker died)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempt = models.IntegerField(default=1)  # a lost job is queued again once, as attempt 2

    class Meta:
        db_table = "gcm_render_job"


class RenderedReport(models.Model):
    """One rendered report (PDF and accessible HTML) of a process, cycle, language and edition."""

    process = models.CharField(max_length=20)
    cycle = models.IntegerField()
    lang = models.CharField(max_length=5)
    # "review" (the public review: published to reviewers) or "staff" (the named scoreboard:
    # never published, the latest render kept for the process's staff); see store/jobs.py
    edition = models.CharField(max_length=10, default="review")
    pdf = models.BinaryField()
    html = models.BinaryField()
    pages = models.IntegerField(null=True)
    digest = models.CharField(max_length=64)
    data = models.BinaryField(default=b"")  # the data the report was made from, as data_format says
    # "zip": the edition's Frictionless Data Package, zipped; "csv": the compiled dataset (reports
    # rendered before the two editions, whose addresses keep serving it)
    data_format = models.CharField(max_length=5, default="csv")
    rendered_at = models.DateTimeField()
    job = models.ForeignKey(RenderJob, null=True, blank=True, on_delete=models.SET_NULL)
    published_at = models.DateTimeField(null=True, blank=True)
    # a draft (rendered without publishing) is kept beside the published report, never over it
    draft = models.BooleanField(default=False)

    class Meta:
        db_table = "gcm_report"
        constraints = [models.UniqueConstraint(fields=["process", "cycle", "lang", "edition", "draft"],
                                               name="gcm_report_once_per_edition")]


class UploadCheck(models.Model):
    """A rejected upload, kept for a while (store/checks.py: a retention period and a quota per
    account) so that its uploader can download the annotated copy. It is not a submission:
    nothing of it counts anywhere."""

    token = models.CharField(max_length=43, primary_key=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    size = models.IntegerField(default=0)  # len(content), for the per-account quota
    lang = models.CharField(max_length=5)
    problems = models.JSONField(default=list)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "gcm_upload_check"


# --------------------------------------------------------------------------- authoring (review.md)
# What staff write and choose for a process's regional review; read back as the records of
# gcmtrack/authored.py by gcmtrack/store/authoring.py.


class AuthoredTextVersion(models.Model):
    """One saved version of one section's text (per process, cycle, language, section and, for
    synthesis and challenges, round table). Every save adds a row; none is changed."""

    process = models.CharField(max_length=20)
    cycle = models.IntegerField()
    lang = models.CharField(max_length=5)
    section = models.CharField(max_length=30)
    round_table = models.IntegerField(null=True, blank=True)
    version = models.IntegerField()
    markdown = models.TextField()
    author = models.CharField(max_length=320)
    saved_at = models.DateTimeField()

    class Meta:
        db_table = "gcm_authored_text"
        indexes = [models.Index(fields=["process", "cycle", "lang", "section"], name="gcm_authored_text_at")]


class FeaturedEntry(models.Model):
    """An objective's text or a practice of a stored version, chosen for a round-table chapter,
    its text copied in full. `removed_at`: taken out of the review (kept for the record)."""

    process = models.CharField(max_length=20)
    cycle = models.IntegerField()
    round_table = models.IntegerField()
    objective = models.IntegerField()
    kind = models.CharField(max_length=20)
    state = models.CharField(max_length=3)
    submission_id = models.IntegerField()
    source = models.CharField(max_length=200)
    practice_row = models.IntegerField(null=True, blank=True)
    lang = models.CharField(max_length=5)
    title = models.TextField(blank=True, default="")
    text = models.TextField()
    added_by = models.CharField(max_length=320)
    added_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "gcm_featured"


class StakeholderEntry(models.Model):
    """A stakeholder's written input to a process's review, recorded by staff."""

    process = models.CharField(max_length=20)
    cycle = models.IntegerField()
    organisation = models.CharField(max_length=300)
    kind = models.CharField(max_length=30)
    lang = models.CharField(max_length=5)
    date = models.DateField()
    text = models.TextField()
    is_summary = models.BooleanField(default=False)
    consent = models.BooleanField(default=False)
    added_by = models.CharField(max_length=320)
    added_at = models.DateTimeField()

    class Meta:
        db_table = "gcm_stakeholder_input"


class IndicatorDataset(models.Model):
    """A CSV of context indicators imported for a process's review (all its rows valid)."""

    process = models.CharField(max_length=20)
    cycle = models.IntegerField()
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    form = models.CharField(max_length=20)  # "sdg" (the UN SDG Global Database export) or "long"
    imported_by = models.CharField(max_length=320)
    imported_at = models.DateTimeField()

    class Meta:
        db_table = "gcm_indicator_dataset"


class IndicatorRow(models.Model):
    dataset = models.ForeignKey(IndicatorDataset, on_delete=models.CASCADE, related_name="rows")
    indicator = models.CharField(max_length=100)
    geo = models.CharField(max_length=10)
    year = models.IntegerField()
    value = models.CharField(max_length=100)
    unit = models.CharField(max_length=200, blank=True, default="")
    source = models.TextField(blank=True, default="")
    note = models.TextField(blank=True, default="")

    class Meta:
        db_table = "gcm_indicator_row"


class ReviewSetting(models.Model):
    """A process's settings for its review: how per-state scores are disclosed."""

    process = models.CharField(max_length=20, primary_key=True)
    disclosure = models.CharField(max_length=20, default="aggregate")

    class Meta:
        db_table = "gcm_review_setting"


class FinalMark(models.Model):
    """A review edition (process, cycle, language) marked final, with the digest of everything
    it was made from. It stays recorded; the edition is final while the digest still holds."""

    process = models.CharField(max_length=20)
    cycle = models.IntegerField()
    lang = models.CharField(max_length=5)
    digest = models.CharField(max_length=64)
    marked_by = models.CharField(max_length=320)
    marked_at = models.DateTimeField()

    class Meta:
        db_table = "gcm_final_mark"


class SigninThrottle(models.Model):
    """Failed sign-ins counted per account ("account:<email>") and per client
    ("client:<address>"), updated under a row lock in one transaction (store/accounts.py)."""

    key = models.CharField(max_length=300, unique=True)
    failures = models.IntegerField(default=0)
    last_at = models.DateTimeField()
    next_at = models.DateTimeField(null=True)  # no attempt before this moment (per account)

    class Meta:
        db_table = "gcm_signin_throttle"


class RefusedTally(models.Model):
    """Refused accesses counted per actor, path and window (store/audit.py): the first one of a
    window is written to the audit log, the rest only add to `count` here, so that a client
    probing thousands of paths cannot grow the append-only log without bound."""

    actor = models.CharField(max_length=320)
    path = models.CharField(max_length=300)
    window_start = models.DateTimeField()
    count = models.IntegerField(default=1)
    last_at = models.DateTimeField()
    event = models.ForeignKey(AuditEvent, null=True, on_delete=models.SET_NULL, db_constraint=False)

    class Meta:
        db_table = "gcm_refused_tally"
        constraints = [models.UniqueConstraint(fields=["actor", "path", "window_start"], name="gcm_refused_once")]

# --------------------------------------------------------------------------- narrative reviews (narrative.md)
# A version of kind "narrative": the document read into passages with suggestions, and a
# person's decisions on them. Its SubmissionVersion.content stays empty (nothing counts) until
# the decisions are confirmed; store/narrative.py then writes what they say into it.


class NarrativeDocument(models.Model):
    """The reading of a narrative version: its passages and their suggestions (Reading.to_json())."""

    version = models.OneToOneField(SubmissionVersion, on_delete=models.CASCADE, primary_key=True,
                                   related_name="narrative")
    reading = models.JSONField()
    confirmed_by = models.CharField(max_length=320, blank=True, default="")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "gcm_narrative"


class NarrativeLink(models.Model):
    """A person's decision on one objective for one passage: "accepted" (a suggestion kept),
    "changed" (an objective the person chose instead of, or beside, the suggestions) or
    "rejected" (a suggestion turned down). Only accepted and changed links count, once confirmed."""

    version = models.ForeignKey(SubmissionVersion, on_delete=models.CASCADE, related_name="narrative_links")
    passage = models.IntegerField()
    objective = models.IntegerField()
    decision = models.CharField(max_length=10)
    actor = models.CharField(max_length=320)
    at = models.DateTimeField()

    class Meta:
        db_table = "gcm_narrative_link"
        constraints = [models.UniqueConstraint(fields=["version", "passage", "objective"],
                                               name="gcm_narrative_link_once")]


class NarrativeStatus(models.Model):
    """The status a person says the document supports for one objective (a key of
    objectives/statuses.yaml, or "not-stated")."""

    version = models.ForeignKey(SubmissionVersion, on_delete=models.CASCADE, related_name="narrative_statuses")
    objective = models.IntegerField()
    status = models.CharField(max_length=20)
    actor = models.CharField(max_length=320)
    at = models.DateTimeField()

    class Meta:
        db_table = "gcm_narrative_status"
        constraints = [models.UniqueConstraint(fields=["version", "objective"], name="gcm_narrative_status_once")]


class VersionMessage(models.Model):
    """One message of a version's conversation between the state's officials and the staff of
    its processes (a return's reason opens it). The text is the writer's, untrusted: it is
    kept as typed (bounded) and escaped wherever it is shown."""

    submission = models.ForeignKey(SubmissionVersion, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=320)  # the writer's e-mail address
    side = models.CharField(max_length=10)  # "state" or "staff"
    text = models.TextField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "gcm_version_message"


class DigestSent(models.Model):
    """A staff account's daily digest for one day, written before it is sent: one day is
    never sent twice."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE)
    day = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        db_table = "gcm_digest_sent"
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="gcm_digest_once_a_day")]
