"""Sign-in throttling counted in its own table, row by row under a lock (issue 19.2)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("gcmtrack", "0006_deadlines"),
    ]

    operations = [
        migrations.CreateModel(
            name="SigninThrottle",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=300, unique=True)),
                ("failures", models.IntegerField(default=0)),
                ("last_at", models.DateTimeField()),
                ("next_at", models.DateTimeField(null=True)),
            ],
            options={"db_table": "gcm_signin_throttle"},
        ),
    ]
