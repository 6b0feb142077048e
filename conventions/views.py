"""The home page that sends each user to their workspace (sign-in is in `accounts`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from conventions.access import scope_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Officers start from their review queue, everyone else from the actions they follow."""
    if scope_for(request.user).is_officer:
        return redirect("actions:review_queue")
    return redirect("actions:my_actions")
