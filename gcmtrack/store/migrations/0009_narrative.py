"""Narrative reviews (issue 20): versions of kind "narrative", their reading, and a person's
links and statuses; the review state "unconfirmed" (a narrative that does not count yet)."""

import django.db.models.deletion
from django.db import migrations, models

REVIEW_STATES = ["unconfirmed", "submitted", "accepted", "returned", "withdrawn"]


class Migration(migrations.Migration):

    dependencies = [
        ("gcmtrack", "0008_portal_admin"),
    ]

    operations = [
        migrations.AddField(
            model_name="submissionversion",
            name="kind",
            field=models.CharField(choices=[("workbook", "workbook"), ("narrative", "narrative")],
                                   default="workbook", max_length=10),
        ),
        migrations.AlterField(
            model_name="submissionversion",
            name="review_state",
            field=models.CharField(choices=[(s, s) for s in REVIEW_STATES], default="submitted", max_length=12),
        ),
        migrations.CreateModel(
            name="NarrativeDocument",
            fields=[
                ("version", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                 related_name="narrative", serialize=False,
                                                 to="gcmtrack.submissionversion")),
                ("reading", models.JSONField()),
                ("confirmed_by", models.CharField(blank=True, default="", max_length=320)),
                ("confirmed_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={"db_table": "gcm_narrative"},
        ),
        migrations.CreateModel(
            name="NarrativeLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("passage", models.IntegerField()),
                ("objective", models.IntegerField()),
                ("decision", models.CharField(max_length=10)),
                ("actor", models.CharField(max_length=320)),
                ("at", models.DateTimeField()),
                ("version", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                              related_name="narrative_links", to="gcmtrack.submissionversion")),
            ],
            options={"db_table": "gcm_narrative_link"},
        ),
        migrations.AddConstraint(
            model_name="narrativelink",
            constraint=models.UniqueConstraint(fields=("version", "passage", "objective"),
                                               name="gcm_narrative_link_once"),
        ),
        migrations.CreateModel(
            name="NarrativeStatus",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("objective", models.IntegerField()),
                ("status", models.CharField(max_length=20)),
                ("actor", models.CharField(max_length=320)),
                ("at", models.DateTimeField()),
                ("version", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                              related_name="narrative_statuses", to="gcmtrack.submissionversion")),
            ],
            options={"db_table": "gcm_narrative_status"},
        ),
        migrations.AddConstraint(
            model_name="narrativestatus",
            constraint=models.UniqueConstraint(fields=("version", "objective"), name="gcm_narrative_status_once"),
        ),
    ]
