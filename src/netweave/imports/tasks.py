"""Background work for imports: checking a file and importing it run in the task worker.

Pages enqueue these after the request's transaction commits and then poll the record,
whose ``rows_done``/``rows_total`` the services keep up to date.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django_tasks import task

from netweave.imports import services
from netweave.imports.models import ImportRecord, ImportStatus

logger = logging.getLogger("netweave.imports")


@task()
def plan_import_task(record_id: int) -> None:
    record = ImportRecord.objects.filter(pk=record_id).first()
    if record is None:
        return
    try:
        with services.plan_import(record):
            pass
    except ValidationError:
        # plan_import has kept the message on the record (status failed) for the page.
        logger.info("import %s could not be checked", record.uid)


@task()
def apply_import_task(record_id: int, user_id: int | None, skip_invalid: bool) -> None:
    record = ImportRecord.objects.filter(pk=record_id).first()
    if record is None:
        return
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        services.apply_import(record, acting_user=user, skip_invalid=skip_invalid, queued=True)
    except ValidationError as error:
        ImportRecord.objects.filter(pk=record_id).update(
            status=ImportStatus.FAILED, error=" ".join(error.messages)[:2000]
        )
    except Exception:
        # apply_import has rolled back and marked the record failed; keep the trace in the log.
        logger.exception("import %s failed", record.uid)
