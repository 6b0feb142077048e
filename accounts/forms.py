from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from accounts.models import Scope
from accounts.services import client_address, lockout_find, lockout_message

INVALID_LOGIN = (
    "Identifiant ou mot de passe incorrect. Vérifiez votre saisie (les majuscules comptent)."
)


class LockoutAwareMixin:
    """Says, in French, that sign-in is blocked and until when, instead of « incorrect »."""

    request = None

    def clean(self):
        try:
            return super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            lockout = lockout_find(
                scope=Scope.PASSWORD,
                username=self.cleaned_data.get("username"),  # type: ignore[attr-defined]
                address=client_address(self.request),
            )
            if lockout is not None:
                raise forms.ValidationError(lockout_message(lockout), code="locked") from None
            raise


class SignInForm(LockoutAwareMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": INVALID_LOGIN,
        "inactive": "Ce compte est désactivé.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Identifiant"
        self.fields["password"].label = "Mot de passe"


class AdminSignInForm(LockoutAwareMixin, AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": INVALID_LOGIN,
    }
