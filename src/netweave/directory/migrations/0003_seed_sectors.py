from django.db import migrations


def seed_sectors(apps, schema_editor):
    from netweave.directory.sectors import SECTORS

    Sector = apps.get_model("directory", "Sector")
    for position, (slug, name, sphere, colour) in enumerate(SECTORS):
        Sector.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "sphere": sphere, "colour": colour, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_link_to_networks")]

    operations = [migrations.RunPython(seed_sectors, migrations.RunPython.noop)]
