"""Two editions of a rendered report (issue 18, item 1): `review`, published to reviewers, and
`staff`, the named scoreboard kept for the process's staff. Every report stored before is the
review edition, and its data the compiled dataset (CSV) it kept; a new render keeps each
edition's data package (ZIP)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("gcmtrack", "0010_people"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="renderedreport", name="gcm_report_once_per_kind"),
        migrations.AddField(model_name="renderedreport", name="edition",
                            field=models.CharField(default="review", max_length=10)),
        migrations.AddField(model_name="renderedreport", name="data_format",
                            field=models.CharField(default="csv", max_length=5)),
        migrations.AddConstraint(
            model_name="renderedreport",
            constraint=models.UniqueConstraint(fields=("process", "cycle", "lang", "edition", "draft"),
                                               name="gcm_report_once_per_edition"),
        ),
    ]
