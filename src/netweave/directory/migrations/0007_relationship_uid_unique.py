"""Step 3 of 3: every relationship has its uid now; make it unique, required and defaulted."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_fill_relationship_uid")]

    operations = [
        migrations.AlterField(
            model_name="relationship",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="historicalrelationship",
            name="uid",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
    ]
