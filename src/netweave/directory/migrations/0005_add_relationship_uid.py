"""Step 1 of 3 of giving Relationship rows a public id: the column, empty for now.

Django's "Migrations that add unique fields": add the column nullable and not unique,
fill it row by row (the next migration), then make it unique and required.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_history_for_sectors_and_interests")]

    operations = [
        migrations.AddField(
            model_name="relationship",
            name="uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalrelationship",
            name="uid",
            field=models.UUIDField(db_index=True, editable=False, null=True),
        ),
    ]
