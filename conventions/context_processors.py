from __future__ import annotations

from django.http import HttpRequest

from conventions.access import COORDINATOR, lands_on_portfolio, scope_for


def navigation(request: HttpRequest) -> dict:
    """The main menu's entries, from the one scope computed per request (no query in templates)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": None}
    scope = scope_for(user)
    return {
        "nav": {
            "is_officer": scope.is_officer,
            "sees_conventions": scope.is_global or COORDINATOR in scope.roles.values(),
            "sees_portfolio": lands_on_portfolio(scope) or COORDINATOR in scope.roles.values(),
        }
    }
