"""Step 2 of 3: a fresh uuid4 for every membership; its history rows get the same one."""

import uuid

from django.db import migrations
from django.db.models import OuterRef, Subquery

BATCH = 1000


def fill_uids(apps, schema_editor):
    Model = apps.get_model("networks", "Membership")
    Historical = apps.get_model("networks", "HistoricalMembership")
    pks = list(Model.objects.filter(uid__isnull=True).values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        Model.objects.bulk_update(
            [Model(pk=pk, uid=uuid.uuid4()) for pk in pks[start : start + BATCH]], ["uid"]
        )
    # A history row carries the id of its record, so it names the record by the same uid.
    Historical.objects.filter(uid__isnull=True).update(
        uid=Subquery(Model.objects.filter(pk=OuterRef("id")).values("uid")[:1])
    )
    # Records deleted before this migration: one new uid per record, shared by its history.
    gone = Historical.objects.filter(uid__isnull=True).values_list("id", flat=True).distinct()
    for record_id in list(gone):
        Historical.objects.filter(id=record_id, uid__isnull=True).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("networks", "0002_add_membership_uid")]

    operations = [migrations.RunPython(fill_uids, migrations.RunPython.noop)]
