"""Security events written to the log: failed sign-ins, refused access, role changes.

Each line names the actor, the time (from the log record), the source address and what
happened, and never a password, token or session key.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("netweave.security")

# Credentials Django hands to user_login_failed: only the name is kept.
SAFE_CREDENTIALS = ("username", "email")


def current_request() -> Any:
    """The request being served in this thread, as the history middleware keeps it, or None."""
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def actor_of(request: Any) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return f"{user.get_username()}#{user.pk}"


def source_of(request: Any) -> str:
    if request is None:
        return "-"
    return request.META.get("REMOTE_ADDR") or "-"


def path_of(request: Any) -> str:
    return getattr(request, "path", "-") if request is not None else "-"


@receiver(user_login_failed, dispatch_uid="netweave-log-login-failed")
def log_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any):
    name = next((str(credentials[k]) for k in SAFE_CREDENTIALS if credentials.get(k)), "-")
    logger.warning(
        "login failed: username=%r source=%s path=%s",
        name[:150],
        source_of(request),
        path_of(request),
    )


@receiver(user_logged_in, dispatch_uid="netweave-log-login")
def log_login(sender: Any, request: Any = None, user: Any = None, **_: Any) -> None:
    logger.info(
        "login: user=%s source=%s",
        f"{user.get_username()}#{user.pk}" if user is not None else "-",
        source_of(request),
    )


def log_refusal(request: Any, status: int, reason: str = "") -> None:
    """Write down a refused request (403, or a 404 that hides what the user may not see)."""
    logger.warning(
        "access refused: status=%s actor=%s method=%s path=%s source=%s%s",
        status,
        actor_of(request),
        getattr(request, "method", "-"),
        path_of(request),
        source_of(request),
        f" reason={reason}" if reason else "",
    )


def log_role_change(action: str, role: Any, *, acting_user: Any) -> None:
    """Write down a role granted or revoked; the source is the request's address, or "cli"."""
    request = current_request()
    source = source_of(request) if request is not None else "cli"
    actor = (
        f"{acting_user.get_username()}#{acting_user.pk}"
        if acting_user is not None and getattr(acting_user, "is_authenticated", False)
        else "system"
    )
    logger.warning(
        "role %s: actor=%s user=%s network=%s kind=%s organisation=%s source=%s",
        action,
        actor,
        getattr(role.user, "username", role.user_id),
        getattr(role.network, "slug", role.network_id),
        role.kind,
        role.organisation_id or "-",
        source,
    )
