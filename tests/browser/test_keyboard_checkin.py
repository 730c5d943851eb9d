"""Keyboard only: tick people in on the check-in page with Space and Enter."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from netweave.meetings.models import Attendance, Registration
from netweave.meetings.tests.factories import MeetingFactory

from .test_keyboard_directory import tab_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meeting(personas):
    meeting = MeetingFactory(
        network=personas.network,
        title="Plenary",
        start=dt.datetime(2030, 3, 1, 9, tzinfo=dt.UTC),
        end=dt.datetime(2030, 3, 1, 12, tzinfo=dt.UTC),
    )
    Registration.objects.create(meeting=meeting, person=personas.person_a, response="yes")
    Registration.objects.create(meeting=meeting, person=personas.person_b, response="yes")
    return meeting


def test_tick_attendance_with_space_and_enter(personas, meeting, page, sign_in):
    sign_in("fiona")
    page.goto(f"{meeting.get_absolute_url()}checkin/")
    anna = page.locator(f"#person-{personas.person_a.uid}")
    boris = page.locator(f"#person-{personas.person_b.uid}")

    # The search box has the focus on arrival: type, then Tab to the person and press Space.
    assert page.evaluate("document.activeElement.id") == "checkin-q"
    page.keyboard.type("Anna")
    expect(boris).to_have_count(0)
    tab_until(page, f"el.closest('#person-{personas.person_a.uid}') && el.tagName === 'BUTTON'")
    page.keyboard.press("Space")
    expect(anna).to_have_class(re.compile("is-present"))
    expect(anna.get_by_role("button")).to_have_attribute("aria-pressed", "true")
    assert Attendance.objects.filter(meeting=meeting, person=personas.person_a).exists()

    # Everyone else registered "yes": Tab to the bulk button, submit it with Enter.
    page.goto(f"{meeting.get_absolute_url()}checkin/")
    tab_until(page, "el.tagName === 'BUTTON' && el.classList.contains('checkin-wide')")
    page.keyboard.press("Enter")
    expect(boris).to_have_class(re.compile("is-present"))
    assert set(
        Attendance.objects.filter(meeting=meeting).values_list("person__name", flat=True)
    ) == {"Anna Alpha", "Boris Beta"}
