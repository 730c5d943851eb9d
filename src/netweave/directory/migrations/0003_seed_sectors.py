from django.db import migrations


def seed_sectors(apps, schema_editor):
    from netweave.directory.sectors import ensure_sectors

    ensure_sectors(apps.get_model("directory", "Sector"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_link_to_networks")]

    operations = [migrations.RunPython(seed_sectors, migrations.RunPython.noop)]
