"""Security headers, the Content-Security-Policy, passwords, sessions and sign-in throttling.

Each test fails when its protection is switched off in the settings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from netweave.core.testing import PASSWORD

from .test_invitation import choose, invite

pytestmark = pytest.mark.django_db

TEMPLATES_DIR = Path(django_settings.TEMPLATES[0]["DIRS"][0])


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


# Content-Security-Policy ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/networks/testnet/", "/api/docs/", "/no-such-page/"]
)
def test_every_page_carries_a_strict_policy(client, personas, url):
    """Scripts only from this site, no eval, no plugins, no framing, forms post only here."""
    client.force_login(personas.fiona)
    policy = _policy(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-eval'" not in " ".join(sum(policy.values(), []))
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["default-src"] == ["'self'"]


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def _offences(text: str) -> list[str]:
    return [
        match.group(0)[:80]
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL)
        for match in pattern.finditer(text)
    ]


def test_the_template_scan_catches_what_the_policy_would_block():
    """The scanner itself recognises inline scripts, handlers and javascript: links."""
    assert _offences('<script>alert(1)</script><script src="/static/x.js"></script>')
    assert _offences('<button type="button" onclick="go()">')
    assert _offences('<a href="javascript:go()">')
    assert not _offences('<script src="/static/js/netweave.js" defer></script>')
    assert not _offences('<p class="onboarding">one=1</p>')


def test_no_template_has_inline_script_or_event_handlers():
    """Every template keeps JavaScript in static files, so the strict policy blocks nothing."""
    found = {}
    for template in sorted(TEMPLATES_DIR.rglob("*.html")):
        offences = _offences(template.read_text(encoding="utf-8"))
        if offences:
            found[str(template.relative_to(TEMPLATES_DIR))] = offences
    assert found == {}


def test_api_docs_load_their_script_from_the_site(client, db):
    """The Swagger page has no inline script: its start-up script is a separate request."""
    page = client.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.search(page)
    script = re.search(r'<script src="(/api/docs/\?[^"]*script[^"]*)"', page)
    assert script is not None
    response = client.get(script.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")


# Other headers and switches ---------------------------------------------------------------


def test_pages_cannot_be_framed_or_sniffed(client, db):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_http_only_and_expires(client, personas):
    """The session cookie is out of JavaScript's reach and lasts two weeks by default."""
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert int(cookie["max-age"]) == 14 * 24 * 3600 == django_settings.SESSION_COOKIE_AGE


def test_https_switch_turns_on_secure_cookies_hsts_and_redirect(monkeypatch):
    """NETWEAVE_HTTPS=true makes cookies secure, sends HSTS and redirects plain HTTP."""
    import importlib

    import netweave.settings as module

    monkeypatch.setenv("NETWEAVE_HTTPS", "true")
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "600")
    monkeypatch.setenv("SESSION_EXPIRE_AT_BROWSER_CLOSE", "true")
    monkeypatch.setenv("SESSION_COOKIE_AGE", "3600")
    try:
        loaded = importlib.reload(module)
        assert loaded.SECURE_SSL_REDIRECT is True
        assert loaded.SESSION_COOKIE_SECURE is True
        assert loaded.CSRF_COOKIE_SECURE is True
        assert loaded.SECURE_HSTS_SECONDS == 600
        assert loaded.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
        assert loaded.SESSION_COOKIE_AGE == 3600
    finally:
        monkeypatch.delenv("NETWEAVE_HTTPS")
        monkeypatch.delenv("SECURE_HSTS_SECONDS")
        monkeypatch.delenv("SESSION_EXPIRE_AT_BROWSER_CLOSE")
        monkeypatch.delenv("SESSION_COOKIE_AGE")
        importlib.reload(module)


# Passwords ------------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["short pass1", "password1234", "123456789012"])
def test_weak_passwords_are_refused(personas, weak):
    """Under 12 characters, common or all digits: refused."""
    with pytest.raises(ValidationError):
        validate_password(weak, user=personas.alice)


def test_a_long_passphrase_is_accepted(personas):
    validate_password("a river runs through it 42", user=personas.alice)


def test_invitation_refuses_a_short_password(client, personas):
    """The set-password page of an invitation applies the same validators."""
    link = invite(personas)
    response = choose(client, link, password="river 12345")
    assert response.status_code == 200
    assert "too short" in response.text
    assert "_auth_user_id" not in client.session


# Sign-in throttling -----------------------------------------------------------------------


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return settings


def test_sixth_attempt_is_refused_even_with_the_right_password(client, personas, throttled):
    """Five wrong passwords lock the username at this address; the right one then fails too."""
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
        assert response.status_code in (200, 429)
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert "_auth_user_id" not in client.session
    # Another person at the same address is not locked out.
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.bob.pk)


def test_a_right_password_before_the_limit_resets_the_count(client, personas, throttled):
    for _ in range(4):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert (
        client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code
        == 302
    )


def test_api_token_endpoint_is_throttled_too(personas, throttled):
    """The token endpoint counts failures with the sign-in page and refuses after the limit."""
    api = APIClient()
    good = {"username": "alice", "password": PASSWORD}
    assert api.post("/api/v1/auth/token/", good, format="json").status_code == 200
    for _ in range(5):
        bad = {"username": "alice", "password": "wrong"}
        assert api.post("/api/v1/auth/token/", bad, format="json").status_code == 400
    response = api.post("/api/v1/auth/token/", good, format="json")
    assert response.status_code in (400, 403, 429)
    assert "token" not in response.json()
    # And the sign-in page agrees.
    response = APIClient().post("/accounts/login/", good)
    assert response.status_code == 429


# Redirects after sign-in and language change stay on this site ------------------------------

OUTSIDE = ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", OUTSIDE)
def test_sign_in_never_redirects_off_site(client, personas, target):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", OUTSIDE)
def test_language_switch_never_redirects_off_site(client, db, target):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", [*OUTSIDE, "/\\/evil.example/", "/%5Cevil.example"])
def test_meeting_day_forms_never_send_back_off_site(rf, target):
    """The check-in and action forms return to ``next`` only when it is a page here."""
    from netweave.meetings.views.day import _back

    request = rf.post("/", {"next": target})
    assert _back(request, "/default/") in ("/default/", "/%5Cevil.example")
    assert _back(rf.post("/", {"next": "/networks/x/"}), "/default/") == "/networks/x/"
