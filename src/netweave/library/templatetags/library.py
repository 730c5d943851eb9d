"""``{% load library %}{% documents_for object %}``: the documents section of a meeting,
task group or joint activity page, showing only what the reader may see (one query)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Q

from netweave.core.access import get_access
from netweave.library import permissions
from netweave.library.models import Document
from netweave.library.search import visibility_filter

register = template.Library()

_PARAMS = {
    "meetings.meeting": "meeting",
    "governance.taskgroup": "task_group",
    "activities.jointactivity": "activity",
}


def _attached_to(obj: Any) -> Q:
    label = obj._meta.label_lower
    if label == "meetings.meeting":
        return Q(id__in=Document.meetings.through.objects.filter(meeting=obj).values("document_id"))
    if label == "governance.taskgroup":
        attached = Document.task_groups.through.objects.filter(taskgroup=obj)
        return Q(task_group=obj) | Q(id__in=attached.values("document_id"))
    if label == "activities.jointactivity":
        attached = Document.activities.through.objects.filter(jointactivity=obj)
        return Q(id__in=attached.values("document_id"))
    raise template.TemplateSyntaxError("documents_for takes a meeting, task group or activity")


@register.inclusion_tag("library/_documents_section.html", takes_context=True)
def documents_for(context: template.Context, obj: Any) -> dict[str, Any]:
    request = context.get("request")
    network = context.get("network") or obj.network
    access = context.get("access") or get_access(getattr(request, "user", None), network)
    documents = (
        Document.objects.filter(network=network)
        .filter(_attached_to(obj))
        .filter(visibility_filter(access))
        .defer("text", "description")
        .order_by("-date", "title", "id")
    )
    return {
        "network": network,
        "documents": list(documents),
        "can_add": permissions.can_add(access),
        "add_param": _PARAMS[obj._meta.label_lower],
        "target": obj,
    }
