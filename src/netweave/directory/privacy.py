"""A person's right to see and to erase what the network holds about them.

``export_person_data`` gathers every record that names the person: the profile with its
consents, then every row of every model that points at the person (memberships of task
groups, seats, attendance, registrations...) and the records their account wrote
(comments...). ``erase_person`` anonymises the person in place: the row stays, so counts
of attendance per meeting and per organisation do not change, but the name, contacts,
consents, interests and every older version of the profile kept by the history are gone.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
import uuid
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from netweave.core.access import facilitated_networks
from netweave.directory.models import Person, PersonInterest
from netweave.networks.models import Membership

logger = logging.getLogger("netweave.privacy")

FORMAT_VERSION = 1
PROFILE_FIELDS = (
    "name",
    "position",
    "email",
    "phone",
    "languages",
    "consent_listed",
    "consent_contact",
    "consent_date",
    "created",
    "modified",
)
# Fields of a user account that point at the account's author, not at bookkeeping.
AUTHOR_FIELDS = ("author", "user")
# Apps whose records are accounts, sessions or framework bookkeeping, not what a person said.
SKIPPED_APPS = {"auth", "admin", "contenttypes", "sessions", "axes", "directory"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _row(obj: models.Model) -> dict[str, Any]:
    """The concrete fields of ``obj``; a foreign key is shown by its id and its label."""
    row: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.is_relation:
            pk = getattr(obj, f.attname)
            row[f.name] = None if pk is None else {"id": pk, "label": str(getattr(obj, f.name))}
        else:
            row[f.name] = _plain(f.value_from_object(obj))
    return row


def _is_history(model: type[models.Model]) -> bool:
    return issubclass(model, HistoricalChanges)


def _key(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _records_naming(person: Person) -> dict[str, list[dict[str, Any]]]:
    """Every row of every (non-history) model with a foreign key or many-to-many to ``person``."""
    found: dict[str, list[dict[str, Any]]] = {}
    for relation in Person._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue  # only the reverse side of relations declared elsewhere
        model = relation.related_model
        if _is_history(model) or model._meta.auto_created or model is PersonInterest:
            continue
        field_name = relation.field.name
        rows = [_row(obj) for obj in model._default_manager.filter(**{field_name: person})]
        if rows:
            found.setdefault(_key(model), []).extend(rows)
    return found


def _records_by_account(user: Any) -> dict[str, list[dict[str, Any]]]:
    """Rows the person's account authored (comments...), outside accounts and bookkeeping."""
    found: dict[str, list[dict[str, Any]]] = {}
    if user is None:
        return found
    for model in apps.get_models():
        if _is_history(model) or model._meta.app_label in SKIPPED_APPS:
            continue
        for f in model._meta.concrete_fields:
            if f.is_relation and f.name in AUTHOR_FIELDS and f.related_model is get_user_model():
                rows = [_row(obj) for obj in model._default_manager.filter(**{f.name: user})]
                if rows:
                    found.setdefault(_key(model), []).extend(rows)
    return found


def _networks_of(person: Person) -> list[str]:
    if person.organisation_id is None:
        return []
    return sorted(
        Membership.objects.filter(organisation_id=person.organisation_id)
        .values_list("network__slug", flat=True)
        .distinct()
    )


def may_manage_privacy(person: Person, user: Any) -> bool:
    """Facilitators of a network the person's organisation belongs to (and staff)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if person.organisation_id is None:
        return False
    return (
        facilitated_networks(user)
        .filter(memberships__organisation_id=person.organisation_id)
        .exists()
    )


def export_person_data(person: Person, *, acting_user: Any) -> dict[str, Any]:
    """Everything Netweave holds about ``person``, as plain JSON-ready data."""
    if not may_manage_privacy(person, acting_user):
        raise PermissionDenied
    profile = {name: _plain(getattr(person, name)) for name in PROFILE_FIELDS}
    profile["uid"] = str(person.uid)
    profile["organisation"] = (
        None
        if person.organisation_id is None
        else {"id": person.organisation_id, "label": str(person.organisation)}
    )
    account = None
    if person.user_id is not None:
        user = person.user
        account = {
            "username": user.get_username(),
            "email": user.email,
            "first_name": getattr(user, "first_name", ""),
            "last_name": getattr(user, "last_name", ""),
            "date_joined": _plain(getattr(user, "date_joined", None)),
            "last_login": _plain(user.last_login),
        }
    history = [
        {
            "date": _plain(record.history_date),
            "type": record.history_type,
            "by": str(record.history_user) if record.history_user_id else None,
            "reason": record.history_change_reason,
            **{name: _plain(getattr(record, name, None)) for name in PROFILE_FIELDS},
        }
        for record in person.history.select_related("history_user").order_by("history_date")
    ]
    logger.info(
        "personal data exported: person=%s actor=%s",
        person.pk,
        getattr(acting_user, "pk", None),
    )
    return {
        "format": "netweave-personal-data",
        "version": FORMAT_VERSION,
        "exported_at": _plain(timezone.now()),
        "person": profile,
        "networks": _networks_of(person),
        "interests": [
            {"topic": interest.topic.name, "level": interest.get_level_display()}
            for interest in person.interests.select_related("topic").order_by("topic__name")
        ],
        "account": account,
        "records": _records_naming(person),
        "authored": _records_by_account(person.user) if person.user_id else {},
        "history": history,
    }


def erased_name(person: Person) -> str:
    return _("Erased person #%(id)s") % {"id": person.pk}


@transaction.atomic
def erase_person(person: Person, *, acting_user: Any, reason: str) -> Person:
    """Anonymise ``person`` for good, keeping the rows that aggregate counts rely on.

    Name, contacts, position, languages, consents and interests go; the calendar-feed
    address is revoked; access needs given at registration are blanked; the linked account
    is closed and stripped of its name and e-mail; older versions of the profile kept by the
    history are purged. Attendance, registrations, seats and task-group memberships stay,
    attached to the anonymous person.
    """
    if not may_manage_privacy(person, acting_user):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the person is erased (e.g. their request).")})
    person = Person.objects.select_for_update().get(pk=person.pk)
    user = person.user

    interests = PersonInterest.objects.filter(person=person)
    PersonInterest.history.filter(person_id=person.pk).delete()
    interests.delete()
    PersonInterest.history.filter(person_id=person.pk).delete()

    FeedToken = apps.get_model("meetings", "FeedToken")
    FeedToken.objects.filter(person=person).delete()
    Registration = apps.get_model("meetings", "Registration")
    Registration.objects.filter(person=person).update(access_needs="")
    if hasattr(Registration, "history"):
        Registration.history.filter(person_id=person.pk).update(access_needs="")

    person.history.all().delete()
    person.name = erased_name(person)
    person.position = ""
    person.email = ""
    person.phone = ""
    person.languages = ""
    person.consent_listed = False
    person.consent_contact = False
    person.consent_date = None
    person.user = None
    person._change_reason = reason[:100]
    if acting_user is not None and acting_user.is_authenticated:
        person._history_user = acting_user
    person.save()

    if user is not None:
        user.is_active = False
        user.email = ""
        if hasattr(user, "first_name"):
            user.first_name = ""
            user.last_name = ""
        setattr(user, user.USERNAME_FIELD, f"erased-{person.pk}-{uuid.uuid4().hex[:8]}")
        user.set_unusable_password()
        user.save()
        user.network_roles.all().delete()

    logger.warning(
        "person erased: person=%s actor=%s reason=%r",
        person.pk,
        getattr(acting_user, "pk", None),
        reason,
    )
    return person
