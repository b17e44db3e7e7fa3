"""Issue 19, items 3 and 5: API tokens with a scope, an expiry, a label and who revoked them;
the size of a kept upload check (for the per-account quota); refused accesses counted per
actor, path and window instead of one audit row each."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gcmtrack', '0007_accounts'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='label',
            field=models.CharField(blank=True, default='', max_length=100),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='revoked_by',
            field=models.CharField(blank=True, default='', max_length=320),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='scope',
            field=models.CharField(default='full', max_length=10),
        ),
        migrations.AddField(
            model_name='uploadcheck',
            name='size',
            field=models.IntegerField(default=0),
        ),
        migrations.CreateModel(
            name='RefusedTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('actor', models.CharField(max_length=320)),
                ('path', models.CharField(max_length=300)),
                ('window_start', models.DateTimeField()),
                ('count', models.IntegerField(default=1)),
                ('last_at', models.DateTimeField()),
                ('event', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, to='gcmtrack.auditevent')),
            ],
            options={
                'db_table': 'gcm_refused_tally',
                'constraints': [models.UniqueConstraint(fields=('actor', 'path', 'window_start'), name='gcm_refused_once')],
            },
        ),
        migrations.RunSQL("UPDATE gcm_upload_check SET size = length(content)", migrations.RunSQL.noop),
    ]
