"""Count anonymous failures per address, kind and hour instead of trailing each one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0005_protect_trail_head"),
    ]

    operations = [
        migrations.CreateModel(
            name="AnonymousFailureTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ip", models.CharField(blank=True, max_length=45)),
                ("action", models.CharField(max_length=30)),
                ("subject", models.CharField(blank=True, max_length=150)),
                ("hour", models.DateTimeField()),
                ("count", models.PositiveIntegerField(default=0)),
                ("window_start", models.DateTimeField()),
                ("window_count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "indexes": [models.Index(fields=["hour"], name="tally_by_hour")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("ip", "action", "subject", "hour"),
                        name="one_tally_per_address_kind_hour",
                    )
                ],
            },
        ),
    ]
