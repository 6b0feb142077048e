"""One rule at every door: each refused write is tried through the API, the admin and the pages,
and each door refuses it alike (the same French message where the door shows one), keeping the row.

Pages have no deletion: officers delete in the admin, programs through the API. A door that is
closed to the user altogether (a partner in the admin) refuses at its gate: sign-in page."""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from actions.services import ACTION_LINES_FIRST
from conventions.models import Amendment, Convention
from conventions.services import AMENDMENT_KEPT, CONVENTION_SIGNED_KEPT
from financing.models import FundingLine, Payment
from financing.services import PAYMENT_KEPT, amendment_create
from reporting.models import Report
from reporting.services import REQUEST_REFUSED
from tests.factories import (
    ActionFactory,
    ConventionFactory,
    FundingLineFactory,
    MembershipFactory,
    OrganisationFactory,
    PaymentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Refusal:
    status: int
    message: str | None  # None: the door refuses without words (404, sign-in page)


def _signed_convention(cnsa, officer) -> Convention:
    return ConventionFactory(funder=cnsa)


def _amendment(cnsa, officer) -> Amendment:
    return amendment_create(
        convention=ConventionFactory(funder=cnsa),
        by=officer,
        signed_on=datetime.date(2020, 1, 1),
        description="Hausse",
        cnsa_amount=Decimal("65000.00"),
    )


def _paid_payment(cnsa, officer) -> Payment:
    return PaymentFactory(convention=ConventionFactory(funder=cnsa))


def _planned_payment(cnsa, officer) -> Payment:
    return PaymentFactory(convention=ConventionFactory(funder=cnsa), status="planned", paid_on=None)


def _action_with_money(cnsa, officer):
    line = FundingLineFactory(action=ActionFactory(axis__convention__funder=cnsa))
    return line.action


# (what is built, its API path, its admin name, the refusal's field and message)
DELETIONS = {
    "signed convention": (_signed_convention, "conventions", "conventions_convention", "convention", CONVENTION_SIGNED_KEPT),
    "amendment": (_amendment, "amendments", "conventions_amendment", "amendment", AMENDMENT_KEPT),
    "paid payment": (_paid_payment, "payments", "financing_payment", "status", PAYMENT_KEPT),
    "planned payment": (_planned_payment, "payments", "financing_payment", "status", PAYMENT_KEPT),
    "action with funding lines": (_action_with_money, "actions", "actions_action", "action", ACTION_LINES_FIRST),
}  # fmt: skip


def _snapshot() -> tuple[int, ...]:
    models: list[Any] = [Convention, Amendment, Payment, FundingLine, Report]
    return tuple(model.objects.count() for model in models)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def staff_officer(officer):
    officer.is_staff = True
    officer.save()
    return officer


@pytest.mark.parametrize("door", ["api", "admin"])
@pytest.mark.parametrize("case", DELETIONS)
def test_a_refused_deletion_is_refused_alike_at_every_door(client, cnsa, staff_officer, case, door):
    build, api_path, admin_name, field, message = DELETIONS[case]
    obj = build(cnsa, staff_officer)
    before = _snapshot()

    if door == "api":
        response = _api(staff_officer).delete(f"/api/v1/{api_path}/{obj.pk}/")
        assert (response.status_code, response.json()) == (409, {field: [message]})
    else:
        client.force_login(staff_officer)
        confirm = client.get(reverse(f"admin:{admin_name}_delete", args=[obj.pk]), follow=True)
        posted = client.post(
            reverse(f"admin:{admin_name}_delete", args=[obj.pk]), {"post": "yes"}, follow=True
        )
        for response in (confirm, posted):
            assert response.redirect_chain[-1][0] == reverse(
                f"admin:{admin_name}_change", args=[obj.pk]
            )
            assert message in html.unescape(response.content.decode())

    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert _snapshot() == before


@pytest.fixture
def lyon(cnsa):
    return ConventionFactory(funder=cnsa, beneficiary=OrganisationFactory(name="Métropole de Lyon"))


@pytest.fixture
def reader(lyon):
    user = UserFactory(username="lecteur", is_staff=True)
    MembershipFactory(user=user, organisation=lyon.beneficiary, role="reader")
    return user


@pytest.fixture
def foreign_union(cnsa):
    user = UserFactory(username="union", is_staff=True)
    MembershipFactory(user=user, organisation=OrganisationFactory(), role="contributor")
    return user


def _request_report(door: str, client, user, convention) -> Refusal:
    if door == "api":
        response = _api(user).post(
            "/api/v1/reports/", {"convention": convention.pk, "kind": "final"}, format="json"
        )
        return Refusal(response.status_code, response.json().get("detail"))
    client.force_login(user)
    if door == "page":
        url = reverse("reporting:convention_reports", args=[convention.pk])
        response = client.post(url, {"kind": "final"})
        shown = (
            REQUEST_REFUSED if REQUEST_REFUSED in html.unescape(response.content.decode()) else None
        )
        return Refusal(response.status_code, shown)
    response = client.post(
        reverse("admin:reporting_report_generate"), {"convention": convention.pk, "kind": "final"}
    )
    return Refusal(response.status_code, None)


@pytest.mark.parametrize(
    "door, expected",
    [
        ("api", Refusal(403, REQUEST_REFUSED)),
        ("page", Refusal(403, REQUEST_REFUSED)),
        ("admin", Refusal(302, None)),  # a reader never passes the back office's gate
    ],
)
def test_a_reader_cannot_ask_for_a_report_at_any_door(client, lyon, reader, door, expected):
    refusal = _request_report(door, client, reader, lyon)

    assert refusal == expected
    assert not Report.objects.exists()


def _look(door: str, client, user, convention) -> int:
    if door == "api":
        return _api(user).get(f"/api/v1/conventions/{convention.pk}/").status_code
    client.force_login(user)
    if door == "page":
        return client.get(reverse("backoffice:convention", args=[convention.pk])).status_code
    return client.get(
        reverse("admin:conventions_convention_change", args=[convention.pk])
    ).status_code


@pytest.mark.parametrize("door, expected", [("api", 404), ("page", 404), ("admin", 302)])
def test_a_union_never_sees_a_foreign_convention(client, lyon, foreign_union, door, expected):
    assert _look(door, client, foreign_union, lyon) == expected


@pytest.mark.parametrize("door", ["api", "page", "admin"])
def test_a_superuser_without_membership_sees_every_convention_at_every_door(client, lyon, door):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)

    assert _look(door, client, root, lyon) == 200


@pytest.mark.parametrize("door", ["api", "admin"])
def test_a_superuser_is_refused_the_same_deletion_as_an_officer(client, lyon, door):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)

    if door == "api":
        response = _api(root).delete(f"/api/v1/conventions/{lyon.pk}/")
        assert response.json() == {"convention": [CONVENTION_SIGNED_KEPT]}
    else:
        client.force_login(root)
        url = reverse("admin:conventions_convention_delete", args=[lyon.pk])
        response = client.post(url, {"post": "yes"}, follow=True)
        assert CONVENTION_SIGNED_KEPT in html.unescape(response.content.decode())
    assert Convention.objects.filter(pk=lyon.pk).exists()
