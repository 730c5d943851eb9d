"""With the Content-Security-Policy on, the main pages and their charts work and the
browser reports no violation; an injected inline script is blocked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from netweave.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

NETWORK = "water-sanitation"

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


@pytest.fixture
def demo_network(db):
    from netweave.demo.services import load_demo
    from netweave.directory.sectors import ensure_sectors

    ensure_sectors()
    load_demo()


def _violations(page, console: list[str]) -> list[str]:
    found = list(page.evaluate("window.__cspViolations || []"))
    found += [text for text in console if "Content Security Policy" in text]
    return found


def test_main_pages_break_no_rule_of_the_policy(demo_network, page, sign_in):
    from netweave.meetings.models import Meeting

    meeting = Meeting.objects.filter(network__slug=NETWORK).order_by("-start").first()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTEN)
    sign_in("facilitator", DEMO_PASSWORD)
    pages = {
        f"/networks/{NETWORK}/": True,
        f"/networks/{NETWORK}/organisations/": False,
        meeting.get_absolute_url(): False,
        f"/networks/{NETWORK}/activities/cofinancing/": True,
        "/api/docs/": False,
    }
    for url, has_chart in pages.items():
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        if has_chart:
            expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
        assert _violations(page, console) == [], url

    # The policy is really enforced: an inline script injected into the page is blocked.
    page.goto(f"/networks/{NETWORK}/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran === true") is False
    assert page.evaluate("window.__cspViolations.length") >= 1
