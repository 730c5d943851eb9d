"""Synthetic benchmark data: ``netweave seed-scale`` and ``seed_scale``."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from netweave.core.access import get_access
from netweave.demo.scale import _apportion, seed_scale
from netweave.directory.models import Organisation, OrganisationInterest, Person
from netweave.meetings.models import Attendance, Meeting
from netweave.networks.models import Membership, Network, Representation, Role, RoleKind

pytestmark = pytest.mark.django_db

SMALL = {"orgs": 60, "people": 400, "meetings": 90, "attendance": 2000, "networks": 2}


@pytest.fixture
def seeded():
    return seed_scale(**SMALL, seed=3, focal_points=5)


def test_counts_are_exact(seeded):
    """Every count asked for is what the database holds."""
    networks = Network.objects.filter(slug__in=["scale-1", "scale-2"])
    assert networks.count() == 2
    assert Organisation.objects.filter(slug__startswith="scale-org-").count() == 60
    assert Person.objects.filter(organisation__slug__startswith="scale-org-").count() == 400
    assert Meeting.objects.filter(network__in=networks).count() == 90
    assert Attendance.objects.filter(meeting__network__in=networks).count() == 2000
    assert seeded.counts["attendance"] == 2000
    assert seeded.networks == ["scale-1", "scale-2"]


def test_every_organisation_belongs_and_has_people_and_interests(seeded):
    """No empty organisation: each is a member somewhere, has staff and an interest."""
    orgs = Organisation.objects.filter(slug__startswith="scale-org-")
    assert not orgs.filter(memberships__isnull=True).exists()
    assert not orgs.filter(people__isnull=True).exists()
    assert (
        OrganisationInterest.objects.filter(organisation__in=orgs)
        .values("organisation")
        .distinct()
        .count()
        == 60
    )
    # one open representative per open membership
    open_memberships = Membership.objects.filter(organisation__in=orgs, left__isnull=True)
    assert (
        Representation.objects.filter(organisation__in=orgs, end__isnull=True).count()
        == open_memberships.count()
    )


def test_attendance_follows_memberships(seeded):
    """Each attendee came for their own organisation, a member of the network on the day."""
    rows = Attendance.objects.filter(meeting__network__slug__startswith="scale-")
    assert not rows.exclude(organisation_id=F("person__organisation_id")).exists()
    for attendance in rows.select_related("meeting")[:300]:
        day = attendance.meeting.start.date()
        assert (
            Membership.objects.filter(
                network_id=attendance.meeting.network_id,
                organisation_id=attendance.organisation_id,
                joined__lte=day,
            )
            .filter(Q(left__isnull=True) | Q(left__gt=day))
            .exists()
        )
    # attendance only where the meeting has happened
    assert not rows.filter(meeting__start__gt=timezone.now()).exists()


def test_attendance_is_skewed(seeded):
    """A few people come to most meetings: the top tenth holds three times its share or more."""
    counts = np.array(
        sorted(
            Person.objects.filter(organisation__slug__startswith="scale-org-")
            .annotate(n=Count("attendance"))
            .values_list("n", flat=True),
            reverse=True,
        )
    )
    top = counts[: len(counts) // 10].sum() / counts.sum()
    assert top > 0.3
    # ...and many come rarely
    assert np.count_nonzero(counts <= 2) > len(counts) // 4


def test_meetings_have_types_and_span_years(seeded):
    """Meetings of several types, spread over more than five years."""
    meetings = Meeting.objects.filter(network__slug__startswith="scale-")
    assert meetings.values("kind").distinct().count() >= 5
    years = {m.start.year for m in meetings}
    assert max(years) - min(years) >= 5
    assert not meetings.filter(end__lte=F("start")).exists()


def test_facilitator_and_focal_points_have_roles(seeded):
    """The generated facilitator runs every network; focal points speak for members."""
    User = get_user_model()
    facilitator = User.objects.get(username="scale-facilitator")
    assert facilitator.check_password("netweave-scale")
    for network in Network.objects.filter(slug__startswith="scale-"):
        assert get_access(facilitator, network).is_facilitator
    focal = Role.objects.filter(kind=RoleKind.FOCAL_POINT, user__username__startswith="scale-")
    assert focal.count() == 5
    for role in focal:
        assert role.user.person.organisation_id == role.organisation_id
        assert (
            Membership.objects.current()
            .filter(network=role.network, organisation=role.organisation)
            .exists()
        )


def test_refuses_to_run_twice(seeded):
    """A second run into the same networks is refused with a clear message."""
    with pytest.raises(ValidationError, match="exists already"):
        seed_scale(**SMALL)
    assert Attendance.objects.count() == 2000


def test_another_prefix_adds_networks(seeded):
    """With another prefix, a second load sits beside the first."""
    seed_scale(orgs=5, people=10, meetings=4, attendance=0, prefix="more", focal_points=1)
    assert Network.objects.filter(slug="more-1").exists()
    assert Attendance.objects.count() == 2000


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"orgs": 10, "people": 5, "meetings": 1, "attendance": 0}, "one person per"),
        ({"orgs": 10, "people": 20, "meetings": 0, "attendance": 5}, "needs meetings"),
        ({"orgs": 10, "people": 20, "meetings": 5, "attendance": 10**6}, "do not fit"),
    ],
)
def test_bad_input_writes_nothing(options, message):
    """Impossible sizes are refused before or without writing anything."""
    with pytest.raises(ValidationError, match=message):
        seed_scale(**options)
    assert not Network.objects.filter(slug__startswith="scale-").exists()
    assert not Organisation.objects.filter(slug__startswith="scale-org-").exists()


def test_command_reports_and_refuses():
    """The command prints counts and the accounts; a second run exits with an error."""
    out = StringIO()
    call_command(
        "seed_scale",
        "--orgs=8",
        "--meetings=6",
        "--attendance=20",
        "--focal-points=2",
        stdout=out,
    )
    assert "attendance 20" in out.getvalue()
    assert "scale-facilitator" in out.getvalue()
    assert Person.objects.count() == 40  # five per organisation by default
    with pytest.raises(CommandError, match="exists already"):
        call_command("seed_scale", "--orgs=8", "--meetings=6", "--attendance=20", stdout=out)


def test_apportion_is_exact_and_capped():
    """Sizes sum to the total, respect every capacity and follow the weights."""
    weights = np.array([1.0, 10.0, 100.0, 5.0])
    capacity = np.array([50, 50, 60, 50])
    sizes = _apportion(150, weights, capacity)
    assert sizes.sum() == 150
    assert (sizes <= capacity).all()
    assert sizes[2] == 60
