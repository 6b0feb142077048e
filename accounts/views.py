"""Sign-in and sign-out pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from accounts.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}


class SignOutView(auth_views.LogoutView):
    pass
