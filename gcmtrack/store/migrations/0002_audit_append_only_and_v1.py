"""The audit log refuses UPDATE and DELETE (database triggers), and a store written by
gcmtrack 0.1 (schema v1: tables meta, files, submissions) is carried over in place: every
version keeps its id, bytes, parsed content, warnings and ingest time; the v1 tables are
dropped once copied, in the same transaction."""

import datetime as dt
import json

from django.core.management.color import no_style
from django.db import migrations

SQLITE_TRIGGERS = [
    "CREATE TRIGGER gcm_audit_no_update BEFORE UPDATE ON gcm_audit "
    "BEGIN SELECT RAISE(ABORT, 'gcm_audit is append-only'); END",
    "CREATE TRIGGER gcm_audit_no_delete BEFORE DELETE ON gcm_audit "
    "BEGIN SELECT RAISE(ABORT, 'gcm_audit is append-only'); END",
]
POSTGRESQL_TRIGGERS = [
    "CREATE FUNCTION gcm_audit_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'gcm_audit is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER gcm_audit_no_change BEFORE UPDATE OR DELETE ON gcm_audit "
    "FOR EACH ROW EXECUTE FUNCTION gcm_audit_append_only()",
    "CREATE TRIGGER gcm_audit_no_truncate BEFORE TRUNCATE ON gcm_audit "
    "FOR EACH STATEMENT EXECUTE FUNCTION gcm_audit_append_only()",
]


def audit_append_only(apps, schema_editor):
    statements = SQLITE_TRIGGERS if schema_editor.connection.vendor == "sqlite" else POSTGRESQL_TRIGGERS
    for statement in statements:
        schema_editor.execute(statement)


def _moment(text):
    moment = dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    return moment.replace(tzinfo=dt.timezone.utc)


def _date(content):
    try:
        return dt.date.fromisoformat(str(content.get("date") or "")[:10])
    except ValueError:
        return None


def import_v1(apps, schema_editor):
    connection = schema_editor.connection
    tables = set(connection.introspection.table_names())
    if not {"meta", "files", "submissions"} <= tables:
        return
    alias = connection.alias
    StoreMeta = apps.get_model("gcmtrack", "StoreMeta")
    StoredFile = apps.get_model("gcmtrack", "StoredFile")
    SubmissionVersion = apps.get_model("gcmtrack", "SubmissionVersion")
    AuditEvent = apps.get_model("gcmtrack", "AuditEvent")
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, value FROM meta")
        for key, value in cursor.fetchall():
            if key != "schema_version":
                StoreMeta.objects.using(alias).update_or_create(key=key, defaults={"value": value})
        cursor.execute("SELECT sha256, size, content FROM files")
        for sha256, size, content in cursor.fetchall():
            StoredFile.objects.using(alias).create(sha256=sha256, size=size, content=bytes(content))
        cursor.execute("SELECT id, state, cycle, version, filename, sha256, ingested_at, template_version, lang,"
                       " problems, content FROM submissions ORDER BY id")
        rows = cursor.fetchall()
    for (pk, state, cycle, version, filename, sha256, ingested_at, template_version, lang, problems,
         content) in rows:
        parsed = json.loads(content)
        at = _moment(ingested_at)
        SubmissionVersion.objects.using(alias).create(
            id=pk, state=state, cycle=cycle, version=version, filename=filename, file_id=sha256,
            ingested_at=at, template_version=template_version, lang=lang, problems=json.loads(problems),
            content=parsed, workbook_date=_date(parsed), review_state="submitted")
        AuditEvent.objects.using(alias).create(
            at=at, actor="gcmtrack 0.1", action="ingest", object_type="submission", object_id=str(pk),
            state=state, cycle=cycle, to_state="submitted", detail={"filename": filename, "upgraded_from": "v1"})
    StoreMeta.objects.using(alias).update_or_create(key="upgraded_from", defaults={"value": "v1"})
    for statement in connection.ops.sequence_reset_sql(no_style(),
                                                       [SubmissionVersion]):
        schema_editor.execute(statement)
    for table in ("submissions", "files", "meta"):
        schema_editor.execute(f"DROP TABLE {table}")


class Migration(migrations.Migration):
    dependencies = [("gcmtrack", "0001_initial")]

    operations = [
        migrations.RunPython(audit_append_only, migrations.RunPython.noop),
        migrations.RunPython(import_v1, migrations.RunPython.noop),
    ]
