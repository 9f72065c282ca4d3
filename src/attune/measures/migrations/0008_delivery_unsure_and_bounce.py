from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("measures", "0007_expected_response_fit")]

    operations = [
        migrations.AddField(
            model_name="messagedelivery",
            name="unsure_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="messagedelivery",
            name="bounce_reason",
            field=models.CharField(blank=True, max_length=200),
        ),
    ]
