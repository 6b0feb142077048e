"""People as the pages show them: by their full name, the login only when the account has none."""

from __future__ import annotations

from typing import Any


def person_name(user: Any) -> str:
    """The full name; the login when the account has no name; empty for nobody."""
    if user is None or user == "":
        return ""
    return user.get_full_name() or user.get_username()
