"""Keyboard only: search the directory and open a profile without touching the mouse."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

MAX_TABS = 80


def tab_until(page, matches, *, backwards: bool = False) -> None:
    """Press Tab until the focused element satisfies ``matches`` (a JS predicate on it)."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate(f"(el => {matches})(document.activeElement)"):
            return
    pytest.fail(f"Tab never reached an element where {matches}")


def test_search_the_directory_and_open_a_profile_by_keyboard(personas, page, sign_in):
    sign_in("alice")
    page.goto("/networks/testnet/organisations/")
    page.locator("body").focus()

    tab_until(page, "el.id === 'id_q'")
    page.keyboard.type("Beta")
    page.keyboard.press("Enter")
    results = page.locator("#results")
    expect(results).not_to_contain_text("Alpha Water Institute")
    expect(results).to_contain_text("Beta Ministry")

    tab_until(
        page,
        "el.tagName === 'A' && el.closest('#results table') && "
        "el.textContent.includes('Beta Ministry')",
    )
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/organisations/bm/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beta Ministry")


def test_skip_link_is_the_first_stop_and_leads_to_the_content(personas, page, sign_in):
    sign_in("alice")
    page.goto("/networks/testnet/organisations/")
    page.locator("body").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
