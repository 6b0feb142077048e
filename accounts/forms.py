from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

from accounts.models import Scope
from accounts.services import client_address, lockout_find, lockout_message

INVALID_LOGIN = (
    "Identifiant ou mot de passe incorrect. Vérifiez votre saisie (les majuscules comptent)."
)


class LockoutAwareMixin:
    """Says, in French, that sign-in is blocked and until when, instead of « incorrect »."""

    def clean(self):
        try:
            return super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            lockout = lockout_find(
                scope=Scope.PASSWORD,
                username=self.cleaned_data.get("username"),  # type: ignore[attr-defined]
                address=client_address(getattr(self, "request", None)),
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


PASSWORD_HELP = (
    "Au moins 8 caractères ; ni uniquement des chiffres, ni un mot de passe courant, ni proche de "
    "votre identifiant."
)


class ResetRequestForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Adresse électronique"
        self.fields["email"].help_text = "Format attendu : nom@domaine.fr"


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = "Confirmation du nouveau mot de passe"


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mot de passe actuel"
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = "Confirmation du nouveau mot de passe"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres ou code de secours",
        help_text="Le code affiché par votre application d'authentification, ou l'un de vos codes de secours.",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )
