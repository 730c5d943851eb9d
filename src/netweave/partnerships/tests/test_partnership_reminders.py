"""`netweave partnership-reminders`: once per person and round, only to those who did not answer."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from netweave.partnerships.models import HealthReminder
from netweave.partnerships.services import answer_health_check
from netweave.partnerships.tests.factories import make_partnership, make_round

pytestmark = pytest.mark.django_db


def test_reminds_focal_points_once_and_skips_those_who_answered(personas):
    """Alice and Bob are reminded once; after Bob answers nobody gets a second e-mail."""
    partnership = make_partnership(personas.network, personas.org_a, personas.org_b)
    health_round = make_round(partnership)
    answer_health_check(
        health_round,
        acting_user=personas.bob,
        scores=dict.fromkeys(["trust", "value", "communication", "equity", "purpose"], 4),
        today=dt.date(2024, 1, 5),
    )
    out = StringIO()
    call_command("partnership_reminders", "--date", "2024-01-10", stdout=out)
    assert "1 reminder(s) sent." in out.getvalue()
    assert [m.to for m in mail.outbox] == [[personas.alice.email]]
    assert "Water for all" in mail.outbox[0].subject
    call_command("partnership_reminders", "--date", "2024-01-11", stdout=StringIO())
    assert len(mail.outbox) == 1
    assert HealthReminder.objects.count() == 1


def test_closed_round_sends_nothing(personas):
    """Outside the round's dates nobody is reminded."""
    make_round(make_partnership(personas.network, personas.org_a))
    call_command("partnership_reminders", "--date", "2024-03-01", stdout=StringIO())
    assert mail.outbox == []
