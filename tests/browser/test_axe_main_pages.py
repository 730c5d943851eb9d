"""axe-core in the real browser: the main pages have no serious or critical violations."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from netweave.core.testing import PASSWORD
from netweave.meetings.models import Registration
from netweave.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = {"serious", "critical"}


def blocking_violations(page) -> list[str]:
    """The serious and critical violations on the page, one readable line each."""
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


@pytest.fixture
def facilitator_page(browser, live_server, personas):
    # axe is injected through the DevTools protocol; the page's own CSP stays as it is
    # for the page's scripts.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("fiona")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    yield page
    context.close()


@pytest.fixture
def meeting(personas):
    meeting = MeetingFactory(
        network=personas.network,
        title="Plenary",
        start=dt.datetime(2030, 3, 1, 9, tzinfo=dt.UTC),
        end=dt.datetime(2030, 3, 1, 12, tzinfo=dt.UTC),
    )
    Registration.objects.create(meeting=meeting, person=personas.person_a, response="yes")
    return meeting


def main_pages(personas, meeting) -> dict[str, str]:
    base = "/networks/testnet"
    return {
        "network home": f"{base}/",
        "directory": f"{base}/organisations/",
        "organisation profile": f"{base}/organisations/{personas.org_a.slug}/",
        "people": f"{base}/people/",
        "person profile": f"{base}/people/{personas.person_a.uid}/",
        "meeting": meeting.get_absolute_url(),
        "check-in": f"{meeting.get_absolute_url()}checkin/",
        "task groups": f"{base}/governance/",
        "activities": f"{base}/activities/",
        "co-financing": f"{base}/activities/cofinancing/",
        "audit trail": f"{base}/audit/",
    }


def test_main_pages_have_no_serious_or_critical_violations(facilitator_page, personas, meeting):
    problems = {}
    for name, url in main_pages(personas, meeting).items():
        response = facilitator_page.goto(url)
        assert response.status == 200, f"{name}: {url} answered {response.status}"
        found = blocking_violations(facilitator_page)
        if found:
            problems[name] = found
    assert not problems, "\n".join(f"{name}: {lines}" for name, lines in problems.items())


def test_sign_in_and_anonymous_pages(browser, live_server, personas):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    problems = {}
    for url in ("/", "/accounts/login/", "/about/"):
        page.goto(url)
        if found := blocking_violations(page):
            problems[url] = found
    context.close()
    assert not problems, problems
