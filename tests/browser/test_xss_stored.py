"""Script stored in free-text fields stays text: viewing the pages runs nothing.

The check does not lean on the Content-Security-Policy: it also looks for the injected
elements in the page, which escaping or sanitising must have kept out.
"""

from __future__ import annotations

import pytest

from netweave.activities.tests.factories import JointActivityFactory
from netweave.governance.tests.factories import make_group, make_request
from netweave.meetings.models import Minutes
from netweave.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
PAYLOAD = f"Before {IMG} middle {SCRIPT} after"


@pytest.fixture
def poisoned(personas):
    """Records of the test network with the payload in every free-text field."""
    org, person = personas.org_a, personas.person_a
    org.description = PAYLOAD
    org.save()
    person.position = PAYLOAD[:200]
    person.save()
    meeting = MeetingFactory(network=personas.network, title=f"Meeting {IMG}")
    Minutes.objects.create(meeting=meeting, text=f"# Minutes\n\n{PAYLOAD}", published=True)
    request = make_request(personas, title=f"Request {IMG}", description=PAYLOAD)
    group = make_group(personas, name="Tariffs")
    group.terms_of_reference = PAYLOAD
    group.save()
    activity = JointActivityFactory(
        network=personas.network, title=f"Activity {IMG}", description=PAYLOAD
    )
    return [
        org.get_absolute_url(personas.network),
        person.get_absolute_url(personas.network),
        meeting.get_absolute_url(),
        request.get_absolute_url(),
        group.get_absolute_url(),
        activity.get_absolute_url(),
        "/networks/testnet/organisations/",
        "/networks/testnet/people/",
        "/networks/testnet/meetings/",
        "/networks/testnet/governance/requests/",
        "/networks/testnet/activities/",
    ]


@pytest.mark.parametrize("username", ["fiona", "alice"])
def test_stored_script_does_not_run(poisoned, page, sign_in, username):
    dialogs: list[str] = []

    def dismiss(dialog):
        dialogs.append(f"{page.url}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", dismiss)
    sign_in(username)
    shown = 0
    for url in poisoned:
        response = page.goto(url)
        assert response is not None and response.status < 500, url
        if response.status != 200:
            continue
        page.wait_for_load_state("load")
        assert page.locator('img[src="x"]').count() == 0, url
        assert page.locator("[onerror]").count() == 0, url
        scripts = page.locator('script:not([src]):not([type="application/json"])')
        assert not [text for text in scripts.all_text_contents() if "alert(1)" in text], url
        shown += "alert(1)" in page.content() or "onerror" in page.content()
    assert dialogs == []
    assert shown >= 3, "the payload should appear as text on the pages"
