"""Step 1 of 3 of giving Membership rows a public id: the column, empty for now.

Django's "Migrations that add unique fields": add the column nullable and not unique,
fill it row by row (the next migration), then make it unique and required.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalmembership",
            name="uid",
            field=models.UUIDField(db_index=True, editable=False, null=True),
        ),
    ]
