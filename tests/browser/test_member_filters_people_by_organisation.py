"""A member looks for the people of one organisation by typing part of its name."""

import re

import pytest
from playwright.sync_api import expect

from netweave.directory.tests.bulk import bulk_members

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_types_an_organisation_and_sees_its_people(personas, page, sign_in):
    """Typing suggests matching members (even past the first fifty); choosing one filters."""
    bulk_members(personas.network, 60, people_per_org=1)
    sign_in("olga")
    page.goto("/networks/testnet/people/")
    field = page.get_by_role("combobox", name="Organisation", exact=True)
    suggestions = page.locator("#id_organisation-suggestions option")
    expect(suggestions).to_have_count(50)

    # Past the first fifty by name: suggested only once typed.
    with page.expect_response(re.compile(r"/people/organisations/\?organisation=")):
        field.press_sequentially("organisation 0059")
    expect(suggestions).to_have_count(1)
    expect(suggestions.first).to_have_attribute("value", "Bulk organisation 0059")

    field.fill("Beta Ministry")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"organisation=Beta(\+|%20)Ministry"))
    results = page.locator("#results")
    expect(results).to_contain_text("Boris Beta")
    expect(results).not_to_contain_text("Anna Alpha")
