from django.db import migrations, models


def index_phones(apps, schema_editor):
    """Index the phones already stored (each decrypted once, here)."""
    from attune.clients.phone_index import phone_index

    Client = apps.get_model("clients", "Client")
    for client in Client.objects.exclude(phone="").only("pk", "phone").iterator(chunk_size=500):
        Client.objects.filter(pk=client.pk).update(phone_index=phone_index(client.phone))


class Migration(migrations.Migration):
    dependencies = [("clients", "0005_client_sms_opt_out")]

    operations = [
        migrations.AddField(
            model_name="client",
            name="phone_index",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.RunPython(index_phones, migrations.RunPython.noop),
    ]
