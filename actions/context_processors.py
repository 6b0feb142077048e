from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from actions.selectors_notifications import unread_count


def notifications(request: HttpRequest) -> dict:
    """The header's unread count, computed only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user=user))}
