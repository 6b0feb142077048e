"""The admin base class: every ModelAdmin filters through visible_to and deletes through its service."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from conventions.models import Convention
from core.admin import ScopedAdmin
from tests.factories import ConventionFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


OURS = {"conventions", "axes", "actions", "financing", "reporting", "auth"}


def test_every_registered_admin_derives_from_the_one_base_class():
    admins = [a for a in admin.site._registry.values() if a.model._meta.app_label in OURS]
    others = [type(a).__name__ for a in admins if not isinstance(a, ScopedAdmin)]

    assert others == []
    admins = [a for a in admins if isinstance(a, ScopedAdmin)]
    unscoped = sorted(a.model.__name__ for a in admins if not a.scoped)
    assert unscoped == ["Group", "Publication", "User"]
    for model_admin in admins:
        if model_admin.scoped:
            assert hasattr(model_admin.model.objects.all(), "visible_to"), model_admin


def test_the_admin_lists_what_visible_to_shows(cnsa):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    own = ConventionFactory(funder=cnsa, beneficiary=mine)
    ConventionFactory(funder=cnsa, beneficiary=theirs)
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=mine, role="coordinator")
    convention_admin = admin.site._registry[Convention]

    listed = convention_admin.get_queryset(_request(coordinator))

    assert list(listed.values_list("pk", flat=True)) == [own.pk]


def test_a_superuser_sees_all_rows_without_any_membership(cnsa):
    ConventionFactory(funder=cnsa)
    ConventionFactory(funder=cnsa)
    root = UserFactory(is_superuser=True, is_staff=True)

    listed = admin.site._registry[Convention].get_queryset(_request(root))

    assert listed.count() == 2


def test_the_delete_permission_follows_the_policy(cnsa, officer):
    signed = ConventionFactory(funder=cnsa)
    draft = ConventionFactory(funder=cnsa, status="draft")
    officer.is_superuser = True
    convention_admin = admin.site._registry[Convention]
    request = _request(officer)

    allowed = [convention_admin.has_delete_permission(request, c) for c in (signed, draft)]

    assert allowed == [False, True]
    assert "delete_selected" not in convention_admin.get_actions(request)


def test_a_bulk_deletion_goes_through_the_service_and_keeps_everything_on_refusal(cnsa, officer):
    draft = ConventionFactory(funder=cnsa, status="draft")
    signed = ConventionFactory(funder=cnsa)
    convention_admin = admin.site._registry[Convention]

    with pytest.raises(ValidationError):
        convention_admin.delete_queryset(_request(officer), Convention.objects.order_by("status"))

    assert sorted(Convention.objects.values_list("pk", flat=True)) == sorted([draft.pk, signed.pk])


def test_an_empty_draft_is_deleted_from_its_confirmation_page(client, cnsa, officer):
    draft = ConventionFactory(funder=cnsa, status="draft")
    officer.is_staff = officer.is_superuser = True
    officer.save()
    client.force_login(officer)
    url = reverse("admin:conventions_convention_delete", args=[draft.pk])

    confirm = client.get(url)
    client.post(url, {"post": "yes"})

    assert confirm.status_code == 200
    assert not Convention.objects.filter(pk=draft.pk).exists()


def test_each_page_composed_across_apps_shows_its_inlines(client, cnsa, officer):
    from tests.factories import ActionFactory, FundingLineFactory, PaymentFactory

    line = FundingLineFactory(action=ActionFactory(axis__convention__funder=cnsa), year=2020)
    PaymentFactory(convention=line.action.axis.convention)
    officer.is_staff = officer.is_superuser = True
    officer.save()
    client.force_login(officer)
    pages = {
        "conventions_convention": (line.action.axis.convention_id, "Synthèse financière"),
        "axes_axis": (line.action.axis_id, "actions-TOTAL_FORMS"),
        "actions_action": (line.action_id, "funding_lines-TOTAL_FORMS"),
    }

    for name, (pk, marker) in pages.items():
        page = client.get(reverse(f"admin:{name}_change", args=[pk]))
        assert (name, page.status_code, marker in page.content.decode()) == (name, 200, True)


def test_an_empty_draft_is_deleted_through_the_api(cnsa, officer):
    from rest_framework.test import APIClient

    draft = ConventionFactory(funder=cnsa, status="draft")
    api = APIClient()
    api.force_authenticate(officer)

    response = api.delete(f"/api/v1/conventions/{draft.pk}/")

    assert response.status_code == 204
    assert not Convention.objects.filter(pk=draft.pk).exists()
