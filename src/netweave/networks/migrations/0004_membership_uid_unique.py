"""Step 3 of 3: every membership has its uid now; make it unique, required and defaulted."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("networks", "0003_fill_membership_uid")]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="historicalmembership",
            name="uid",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
    ]
