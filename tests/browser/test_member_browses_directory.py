"""A focal point signs in, filters the member directory by sector, and finds who works where."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_filters_directory_and_opens_profile(personas, page, sign_in):
    """Signed in, a member filters by sector, opens an organisation and sees its people."""
    sign_in("alice")
    page.goto("/networks/testnet/organisations/")
    results = page.locator("#results")
    expect(results).to_contain_text("Alpha Water Institute")
    expect(results).to_contain_text("Beta Ministry")

    page.get_by_label("Government", exact=True).check()
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"sector=government"))
    expect(results).not_to_contain_text("Alpha Water Institute")
    expect(results).to_contain_text("Beta Ministry")

    results.get_by_role("link", name=re.compile("Beta Ministry")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beta Ministry")
    expect(page.locator("main")).to_contain_text("Boris Beta")
    # Alice is signed in with a role in the network, so contact details are shown.
    expect(page.locator("main")).to_contain_text(personas.org_b.email)


def test_directory_reads_without_javascript(personas, browser, live_server):
    """With JavaScript off, the filter form still filters (a plain GET form)."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("fiona")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.goto("/networks/testnet/organisations/")
    page.get_by_label("Academia and research", exact=True).check()
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#results")).to_contain_text("Alpha Water Institute")
    expect(page.locator("#results")).not_to_contain_text("Beta Ministry")
    context.close()
