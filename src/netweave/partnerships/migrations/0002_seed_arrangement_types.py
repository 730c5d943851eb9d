from django.db import migrations


def seed(apps, schema_editor):
    from netweave.partnerships.arrangements import ensure_arrangement_types

    ensure_arrangement_types(apps.get_model("partnerships", "ArrangementType"))


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
