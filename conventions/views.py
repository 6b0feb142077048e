"""The home page that sends each user to their workspace (sign-in is in `accounts`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from conventions.access import lands_on_portfolio, scope_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Officers and readers start from the portfolio, partners from the actions they follow."""
    if lands_on_portfolio(scope_for(request.user)):
        return redirect("backoffice:portfolio")
    return redirect("actions:my_actions")
