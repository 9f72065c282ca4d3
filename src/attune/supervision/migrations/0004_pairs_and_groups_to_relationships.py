"""Supervision pairs and consultation groups move to the relationships app (state only).

Meetings and cases now point at the models there; the tables and their rows stay as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("relationships", "0001_pairs_and_groups_from_supervision"),
        ("supervision", "0003_consultation"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="supervisionmeeting",
            name="pair",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meetings",
                to="relationships.supervisionpair",
            ),
        ),
        migrations.AlterField(
            model_name="casepresentation",
            name="group",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="relationships.consultationgroup",
            ),
        ),
        migrations.DeleteModel(name="GroupMembership"),
        migrations.DeleteModel(name="ConsultationGroup"),
        migrations.DeleteModel(name="SupervisionPair"),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
