"""Sign-in, sign-out, password reset by e-mail and password change (Django's own views)."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts import oidc
from accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    NewPasswordForm,
    ResetRequestForm,
    SignInForm,
)
from accounts.models import Scope
from accounts.second_factor import (
    SESSION_PENDING,
    base32_secret,
    has_second_factor,
    qr_svg,
    recovery_codes_renew,
    second_factor_required,
    token_match,
    totp_device_confirm,
    totp_device_start,
)
from accounts.services import client_address, lockout_find, lockout_message, signin_failure_record
from accounts.sessions import sessions_end_all, sessions_of
from conventions.authentication import api_token_revoke
from conventions.models import ApiToken


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Connexion",
            proconnect=oidc.enabled(),
            idle_notice=self.request.session.pop("accounts_idle_notice", None),
            **kwargs,
        )


class SignOutView(auth_views.LogoutView):
    """Signs out here, then at ProConnect too when the session came from it."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if id_token:
            url = oidc.provider_logout_url(request, id_token)
            if url:
                return redirect(url)
        return response


def _site() -> dict:
    return {"site_base_url": settings.SITE_BASE_URL.rstrip("/")}


class ResetRequestView(auth_views.PasswordResetView):
    """The same answer whether the address is known or not (no account enumeration)."""

    form_class = ResetRequestForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    extra_context = {"title": "Mot de passe oublié"}

    @property
    def extra_email_context(self):  # type: ignore[override]
        return _site()


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"title": "Message envoyé"}


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    extra_context = {"title": "Nouveau mot de passe"}


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"title": "Mot de passe modifié"}


class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("password_change_done")
    extra_context = {"title": "Changer de mot de passe"}


class ChangePasswordDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
    extra_context = {"title": "Mot de passe modifié"}


# --- Two-factor authentication ------------------------------------------------------------

WRONG_CODE = "Code incorrect ou déjà utilisé. Saisissez le code affiché maintenant par votre application, ou un code de secours."


def _is_verified(user) -> bool:
    """django-otp's OTPMiddleware sets is_verified() on the request's user."""
    return bool(getattr(user, "is_verified", lambda: False)())


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _verified(request: HttpRequest, device) -> None:
    otp_login(request, device)
    request.session.pop(SESSION_PENDING, None)


@login_required
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if not has_second_factor(user):
        return redirect(f"{reverse('second_factor_enrol')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    address = client_address(request)
    if request.method == "POST" and form.is_valid():
        lockout = lockout_find(scope=Scope.PASSWORD, username=user.get_username(), address=address)
        device = None if lockout else token_match(user=user, token=form.cleaned_data["code"])
        if device is not None:
            _verified(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"Code de secours utilisé : il vous en reste {left}. "
                    "Vous pouvez en générer de nouveaux depuis « Mon compte ».",
                )
            return redirect(_next(request))
        if lockout is None:
            lockout = signin_failure_record(
                scope=Scope.PASSWORD, username=user.get_username(), address=address
            )
        if lockout is not None:
            logout(request)
            messages.error(request, lockout_message(lockout))
            return redirect("login")
        form.add_error("code", WRONG_CODE)
    return render(
        request,
        "accounts/second_factor_verify.html",
        {"form": form, "next": _next(request), "title": "Double authentification"},
    )


@login_required
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if has_second_factor(user) and not _is_verified(user):
        # Whoever holds only the password must not replace the factor: verify first.
        return redirect(f"{reverse('second_factor_verify')}?{urlencode({'next': _next(request)})}")
    device = totp_device_start(user=user)
    form = CodeForm(request.POST or None)
    form.fields["code"].label = "Code à 6 chiffres affiché par l'application"
    form.fields["code"].help_text = "Pour vérifier que l'application est bien configurée."
    if request.method == "POST" and form.is_valid():
        codes = totp_device_confirm(device=device, token=form.cleaned_data["code"])
        if codes is not None:
            _verified(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next(request), "title": "Codes de secours"},
            )
        form.add_error("code", WRONG_CODE)
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {
            "form": form,
            "next": _next(request),
            "qr": qr_svg(device),
            "secret": base32_secret(device),
            "title": "Activer la double authentification",
        },
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """« Mon compte » : password, second factor, recovery codes."""
    user = cast(User, request.user)
    codes = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "renew_codes":
        if _is_verified(user):
            codes = recovery_codes_renew(user=user)
        else:
            messages.error(request, "Vérifiez d'abord votre identité avec un code.")
    elif action == "end_others":
        ended = sessions_end_all(request=request, keep_current=True)
        messages.success(request, f"Autres sessions fermées : {ended}.")
        return redirect("account")
    elif action == "end_all":
        sessions_end_all(request=request)
        return redirect("login")
    elif action == "revoke_token":
        token = ApiToken.objects.filter(user=user, pk=request.POST.get("token") or 0).first()
        if token is not None:
            api_token_revoke(token=token)
            messages.success(request, f"Jeton « {token.name} » révoqué.")
        return redirect("account")
    enrolled = has_second_factor(user)
    return render(
        request,
        "accounts/account.html",
        {
            "title": "Mon compte",
            "enrolled": enrolled,
            "required": second_factor_required(user),
            "verified": _is_verified(user),
            "codes_left": StaticToken.objects.filter(device__user=user).count(),
            "codes": codes,
            "sessions": sessions_of(user),
            "current_session": request.session.session_key,
            "tokens": ApiToken.objects.filter(user=user).order_by("-created_at"),
        },
    )
