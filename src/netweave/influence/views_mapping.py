"""Influence mapping pages: goals, assessments, the grid, the towers and who moved.

Only facilitators and steering committee members find these pages (``mapping.mapping_for``
answers 404 to everyone else); facilitators write through ``mapping.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netweave.core.forms import apply_service_errors
from netweave.influence import mapping
from netweave.influence.models import InfluenceAssessment, InfluenceGoal, Position
from netweave.networks.models import Network

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INFLUENCE_CHOICES = [
    ("1", gettext_lazy("1 · little")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", gettext_lazy("5 · decisive")),
]


# Forms -------------------------------------------------------------------------------------
class GoalForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Goal"), max_length=250)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea
    )


class GoalEditForm(GoalForm):
    active = forms.BooleanField(
        label=gettext_lazy("Active (uncheck to archive the goal)"), required=False
    )


class AssessmentForm(forms.Form):
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"))
    influence = forms.TypedChoiceField(
        label=gettext_lazy("Influence on the goal"), choices=INFLUENCE_CHOICES, coerce=int
    )
    position = forms.TypedChoiceField(
        label=gettext_lazy("Position"), choices=Position.choices, coerce=int
    )
    assessed_on = forms.DateField(label=gettext_lazy("Assessed on"), widget=DATE_INPUT)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What the assessment rests on: a statement, a meeting, a vote."),
    )

    def __init__(self, *args: Any, organisations: list, members: set[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        inside = [(o.slug, o.display_name) for o in organisations if o.pk in members]
        outside = [(o.slug, o.display_name) for o in organisations if o.pk not in members]
        self.fields["organisation"].choices = [
            ("", "—"),
            (_("Members of the network"), inside),
            (_("Other organisations"), outside),
        ]
        self.by_slug = {o.slug: o for o in organisations}


# Helpers -----------------------------------------------------------------------------------
def _goal(net: Network, uid: Any) -> InfluenceGoal:
    try:
        return InfluenceGoal.objects.select_related("network").get(network=net, uid=uid)
    except (InfluenceGoal.DoesNotExist, ValidationError):
        raise Http404 from None


def _detail_url(net: Network, goal: InfluenceGoal) -> str:
    return reverse("influence:map_goal_detail", kwargs={"network": net.slug, "uid": goal.uid})


# Goals -------------------------------------------------------------------------------------
@require_GET
def goal_list(request: HttpRequest, network: str) -> HttpResponse:
    """The network's influencing goals with how many actors are mapped and when last."""
    net, access = mapping.mapping_for(request, network)
    goals = (
        InfluenceGoal.objects.filter(network=net)
        .annotate(
            actors=Count("assessments__organisation", distinct=True),
            last_assessed=Max("assessments__assessed_on"),
        )
        .order_by("-active", "title")
    )
    return render(
        request,
        "influence/mapping/goal_list.html",
        {
            "network": net,
            "access": access,
            "goals": goals,
            "can_manage": mapping.can_manage(access),
            "form": GoalForm() if mapping.can_manage(access) else None,
        },
    )


@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest, network: str) -> HttpResponse:
    net, access = mapping.mapping_for(request, network, manage=True)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = mapping.create_goal(net, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The goal is created; now assess the organisations."))
            return redirect(_detail_url(net, goal))
    return render(
        request,
        "influence/mapping/goal_form.html",
        {"network": net, "access": access, "form": form, "goal": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access = mapping.mapping_for(request, network, manage=True)
    goal = _goal(net, uid)
    initial = {"title": goal.title, "description": goal.description, "active": goal.active}
    form = GoalEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            mapping.update_goal(goal, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The goal is saved."))
            return redirect(_detail_url(net, goal))
    return render(
        request,
        "influence/mapping/goal_form.html",
        {"network": net, "access": access, "form": form, "goal": goal},
        status=400 if form.errors else 200,
    )


@require_GET
def goal_detail(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """The grid, the towers, who moved since their last assessment, and the history."""
    net, access = mapping.mapping_for(request, network)
    goal = _goal(net, uid)
    rows = mapping.assessed_rows(goal)
    current = mapping.stances(rows)
    moved = [stance for stance in current if stance.moved]
    return render(
        request,
        "influence/mapping/goal_detail.html",
        {
            "network": net,
            "access": access,
            "goal": goal,
            "stances": current,
            "moved": moved,
            "history": sorted(rows, key=lambda r: (r.assessed_on, r.label), reverse=True),
            "grid_figure": mapping.grid_figure(current) if current else None,
            "towers_figure": mapping.towers_figure(current) if current else None,
            "targets": [s for s in current if s.is_target],
            "supporters": [s for s in current if s.is_supportive],
            "can_manage": mapping.can_manage(access),
            "positions": Position.choices,
        },
    )


# Assessments -------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Record an organisation's influence and position on the goal, on a day."""
    net, access = mapping.mapping_for(request, network, manage=True)
    goal = _goal(net, uid)
    organisations = sorted(
        mapping.assessable_organisations(net, request.user), key=lambda o: o.name.casefold()
    )
    initial: dict[str, Any] = {"assessed_on": timezone.localdate()}
    chosen = request.GET.get("organisation", "")
    if chosen:
        latest = (
            InfluenceAssessment.objects.filter(goal=goal, organisation__slug=chosen)
            .order_by("-assessed_on")
            .first()
        )
        initial["organisation"] = chosen
        if latest is not None:
            initial.update(influence=latest.influence, position=latest.position)
    form = AssessmentForm(
        request.POST or None,
        initial=initial,
        organisations=organisations,
        members=mapping.member_ids(net),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = form.by_slug[data.pop("organisation")]
        try:
            _assessment, created = mapping.record_assessment(
                goal, organisation=organisation, acting_user=request.user, **data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                (
                    _("%(org)s is assessed.")
                    if created
                    else _("The assessment of %(org)s on that day is corrected.")
                )
                % {"org": organisation.display_name},
            )
            return redirect(_detail_url(net, goal))
    return render(
        request,
        "influence/mapping/assess.html",
        {"network": net, "access": access, "goal": goal, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def assessment_delete(
    request: HttpRequest, network: str, uid: str, organisation: str, day: str
) -> HttpResponse:
    """Remove one mistaken assessment (organisation and day)."""
    net, access = mapping.mapping_for(request, network, manage=True)
    goal = _goal(net, uid)
    try:
        assessed_on = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    assessment = InfluenceAssessment.objects.filter(
        goal=goal, organisation__slug=organisation, assessed_on=assessed_on
    ).first()
    if assessment is None:
        raise Http404
    mapping.delete_assessment(assessment, acting_user=request.user)
    messages.success(request, _("The assessment is removed."))
    return redirect(_detail_url(net, goal))
