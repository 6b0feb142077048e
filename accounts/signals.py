from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.second_factor import SESSION_PENDING, second_factor_required


@receiver(user_logged_in, dispatch_uid="accounts_second_factor_pending")
def second_factor_pending(sender, request, user, **kwargs):
    """A session opened with a password waits for the second factor when one is required."""
    if request is None or getattr(request, "accounts_password_user", None) != user.pk:
        return
    if second_factor_required(user):
        request.session[SESSION_PENDING] = True
