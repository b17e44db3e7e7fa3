"""Deadlines that hold and jobs that are watched: a late-upload policy per process and cycle,
a heartbeat on each render job (a dead worker's job is failed within a minute), and a draft
report kept beside the published one (rendering without publishing never unpublishes)."""

from django.db import migrations, models


def mark_drafts(apps, schema_editor):
    RenderedReport = apps.get_model("gcmtrack", "RenderedReport")
    RenderedReport.objects.using(schema_editor.connection.alias).filter(published_at__isnull=True).update(draft=True)


class Migration(migrations.Migration):

    dependencies = [("gcmtrack", "0005_authoring")]

    operations = [
        migrations.AddField(model_name="deadline", name="late_policy",
                            field=models.CharField(default="accept", max_length=10)),
        migrations.AddField(model_name="renderjob", name="heartbeat_at",
                            field=models.DateTimeField(blank=True, null=True)),
        migrations.AddField(model_name="renderjob", name="attempt", field=models.IntegerField(default=1)),
        migrations.AddField(model_name="renderedreport", name="draft", field=models.BooleanField(default=False)),
        migrations.RemoveConstraint(model_name="renderedreport", name="gcm_report_once"),
        migrations.RunPython(mark_drafts, migrations.RunPython.noop),
        migrations.AddConstraint(model_name="renderedreport",
                                 constraint=models.UniqueConstraint(fields=("process", "cycle", "lang", "draft"),
                                                                    name="gcm_report_once_per_kind")),
    ]
