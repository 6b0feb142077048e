from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from accounts.second_factor import SESSION_PENDING, second_factor_required


@receiver(user_logged_in, dispatch_uid="accounts_second_factor_pending")
def second_factor_pending(sender, request, user, **kwargs):
    """A session opened with a password waits for the second factor when one is required."""
    if request is None or getattr(request, "accounts_password_user", None) != user.pk:
        return
    if second_factor_required(user):
        request.session[SESSION_PENDING] = True


@receiver(user_logged_in, dispatch_uid="accounts_session_opened")
def session_opened(sender, request, user, **kwargs):
    from accounts.sessions import session_touch

    if request is None or not hasattr(request, "session"):
        return
    if getattr(request, "accounts_password_user", None) == user.pk:
        method = "password"
    elif getattr(user, "backend", "").endswith("ProConnectBackend"):
        method = "proconnect"
    else:
        method = ""
    request.user = user
    session_touch(request=request, method=method)


@receiver(user_logged_out, dispatch_uid="accounts_session_closed")
def session_closed(sender, request, user, **kwargs):
    from accounts.models import UserSession

    if request is not None and getattr(request, "session", None) is not None:
        key = request.session.session_key
        if key:
            UserSession.objects.filter(session_key=key).delete()
