"""After a password, officers (and enrolled partners) give a second factor before anything else."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.second_factor import SESSION_PENDING, has_second_factor

OPEN_PREFIXES = ("/static/", "/healthz")
REQUIRED = (
    "Double authentification requise : saisissez votre code sur le site avant d'utiliser l'API."
)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            session is not None
            and session.get(SESSION_PENDING)
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
        ):
            open_paths = {
                reverse("second_factor_verify"),
                reverse("second_factor_enrol"),
                reverse("logout"),
            }
            if request.path not in open_paths and not request.path.startswith(OPEN_PREFIXES):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": REQUIRED}, status=403)
                target = (
                    "second_factor_verify" if has_second_factor(user) else "second_factor_enrol"
                )
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


IDLE = "Votre session a expiré après {minutes} minutes d'inactivité : reconnectez-vous."


class SessionActivityMiddleware:
    """Signs out a session idle for longer than SESSION_IDLE_TIMEOUT_SECONDS; keeps the list of
    sessions shown on « Mon compte » up to date."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        from django.contrib.auth import logout
        from django.utils import timezone

        from accounts.sessions import (
            idle_limit,
            session_is_idle,
            session_needs_touch,
            session_touch,
        )

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = timezone.now()
            if session_is_idle(request, now):
                from accounts.models import UserSession

                UserSession.objects.filter(session_key=request.session.session_key).delete()
                logout(request)
                request.session["accounts_idle_notice"] = IDLE.format(minutes=idle_limit() // 60)
            elif session_needs_touch(request, now):
                session_touch(request=request)
        return self.get_response(request)
