from __future__ import annotations

from django.contrib import admin

from accounts.forms import AdminSignInForm
from conventions.access import is_officer


class OfficerAdminSite(admin.AdminSite):
    """The back office is for CNSA programme officers; staff status alone does not open it."""

    site_header = "Conventions de modernisation — CNSA"
    site_title = "Conventions CNSA"
    index_title = "Administration"
    login_form = AdminSignInForm

    def has_permission(self, request) -> bool:
        user = request.user
        return super().has_permission(request) and is_officer(user)  # superusers are officers
