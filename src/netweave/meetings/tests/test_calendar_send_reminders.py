import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from netweave.meetings.tests.factories import MeetingFactory
from netweave.meetings.tests.factories_calendar import InvitationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 7, 21, 9, tzinfo=dt.UTC)


def run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(START - dt.timedelta(hours=30), tick=False)
def test_command_sends_once_and_prints(personas):
    """The command reminds within the window, prints what it sent, and sends nothing twice."""
    meeting = MeetingFactory(network=personas.network, start=START, title="Quarterly")
    RegistrationFactory(meeting=meeting, person=personas.person_a, response="yes")
    InvitationFactory(meeting=meeting, person=personas.person_b)
    assert "0 reminder(s) sent." in run("--hours", "24")
    output = run()
    assert "Anna Alpha" in output and "Boris Beta" in output and "2 reminder(s) sent." in output
    assert len(mail.outbox) == 2 and "Quarterly" in mail.outbox[0].subject
    assert "0 reminder(s) sent." in run()
    assert len(mail.outbox) == 2


@time_machine.travel(START - dt.timedelta(hours=30), tick=False)
def test_dry_run_sends_nothing(personas):
    """--dry-run prints who would be reminded and sends nothing."""
    meeting = MeetingFactory(network=personas.network, start=START)
    InvitationFactory(meeting=meeting, person=personas.person_b)
    output = run("--dry-run")
    assert "[dry run]" in output and "1 reminder(s) would be sent." in output
    assert not mail.outbox
    assert "1 reminder(s) sent." in run()


def test_bad_hours_refused(personas):
    """A non-positive window is an error a user can act on."""
    with pytest.raises(CommandError):
        run("--hours", "0")


def test_help_documents_cron():
    """The help text shows the cron line."""
    from netweave.meetings.management.commands.send_reminders import Command

    assert "cron" in Command.help and "netweave send-reminders" in Command.help
