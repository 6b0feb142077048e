"""The guided set-up: convention → axes → actions → indicators → plan → signature, every step
through the services, every refusal in French on its field, nothing saved on refusal."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Action, Indicator
from axes.models import Axis
from conventions.models import Convention
from tests.factories import (
    ActionFactory,
    AxisFactory,
    ConventionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def porteur(db):
    return OrganisationFactory(name="Union nationale des CCAS", kind="national_union")


@pytest.fixture
def draft(cnsa, porteur):
    return ConventionFactory(
        funder=cnsa,
        beneficiary=porteur,
        status=Convention.Status.DRAFT,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        signature_date=None,
        total_cost=Decimal("0.00"),
        cnsa_amount=Decimal("0.00"),
    )


def convention_data(cnsa, porteur, **changes) -> dict:
    data = {
        "reference": "CNSA-UNCCAS-2024-2026",
        "title": "Modernisation des services d'aide à domicile",
        "funder": cnsa.pk,
        "beneficiary": porteur.pk,
        "start_date": "2024-01-01",
        "end_date": "2026-12-31",
        "total_cost": "0",
        "cnsa_amount": "0",
        "rate_cap": "",
        "objet": "",
    }
    return data | changes


def test_an_officer_creates_a_convention_then_goes_to_its_axes(officer_client, cnsa, porteur):
    page = officer_client.get(reverse("backoffice:convention_create"))
    assert "Étape 1 sur 6" in page.content.decode()

    response = officer_client.post(
        reverse("backoffice:convention_create"),
        convention_data(cnsa, porteur, total_cost="1 809 759,00", cnsa_amount="1 103 953,00"),
    )

    convention = Convention.objects.get()
    assert response.url == reverse("backoffice:convention_axes", args=[convention.pk])
    assert (convention.status, convention.cnsa_amount, convention.cnsa_rate) == (
        "draft",
        Decimal("1103953.00"),
        Decimal("61.00"),
    )
    assert convention.history.first().history_user.username == "officer"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2023-12-31"}, "end_date", "La fin de la convention doit suivre son début."),
        (
            {"total_cost": "100", "cnsa_amount": "200"},
            "cnsa_amount",
            "Le montant CNSA ne peut pas dépasser le coût global.",
        ),
        (
            {"total_cost": "douze"},
            "total_cost",
            "Saisissez un montant en euros, par exemple 1 250,50.",
        ),
        ({"title": ""}, "title", "Ce champ est obligatoire."),
    ],
)
def test_a_refused_convention_says_why_on_its_field(
    officer_client, cnsa, porteur, changes, field, message
):
    response = officer_client.post(
        reverse("backoffice:convention_create"), convention_data(cnsa, porteur, **changes)
    )

    assert message in response.context["form"].errors[field]
    assert f'href="#id_{field}"' in response.content.decode()
    assert not Convention.objects.exists()


def test_a_signed_convention_keeps_its_amounts_out_of_the_form(officer_client, cnsa):
    signed = ConventionFactory(funder=cnsa)
    url = reverse("backoffice:convention_edit", args=[signed.pk])
    data = convention_data(
        cnsa,
        signed.beneficiary,
        reference=signed.reference,
        start_date="2019-01-01",
        end_date="2022-12-31",
        total_cost="100000",
        cnsa_amount="70000",
    )

    response = officer_client.post(url, data)

    assert response.context["form"].errors["cnsa_amount"] == [
        "La convention est signée : ce champ ne se modifie que par un avenant."
    ]
    signed.refresh_from_db()
    assert signed.cnsa_amount == Decimal("60000.00")


def test_axes_are_added_numbered_and_refused_on_a_duplicate_number(officer_client, draft):
    url = reverse("backoffice:convention_axes", args=[draft.pk])
    assert officer_client.get(url).context["form"].initial["number"] == 1

    officer_client.post(url, {"number": "1", "title": "Structuration de l'offre"})
    refused = officer_client.post(url, {"number": "1", "title": "Doublon"})

    assert refused.context["form"].errors["number"] == [
        "Ce numéro d'axe existe déjà dans la convention."
    ]
    assert list(Axis.objects.values_list("title", flat=True)) == ["Structuration de l'offre"]


def test_an_axis_is_edited_in_place(officer_client, draft):
    axis = AxisFactory(convention=draft, number=1, title="Ancien titre")
    url = reverse("backoffice:convention_axes", args=[draft.pk]) + f"?modifier={axis.pk}"

    officer_client.post(url, {"number": "1", "title": "Pilotage de la convention"})

    axis.refresh_from_db()
    assert axis.title == "Pilotage de la convention"


def test_an_action_outside_the_convention_period_is_refused_on_its_date(officer_client, draft):
    axis = AxisFactory(convention=draft, number=1)
    data = {
        "axis": axis.pk,
        "code": "1.1",
        "title": "Accompagnement des services",
        "lead_organisation": draft.beneficiary_id,
        "start_date": "2023-06-01",
        "end_date": "2024-06-30",
    }
    url = reverse("backoffice:convention_actions", args=[draft.pk])

    refused = officer_client.post(url, data)
    assert refused.context["form"].errors["start_date"] == [
        "L'action ne peut commencer avant la convention (01/01/2024)."
    ]
    assert not Action.objects.exists()

    officer_client.post(url, data | {"start_date": "2024-01-01"})
    duplicate = officer_client.post(url, data | {"start_date": "2024-01-01"})
    assert duplicate.context["form"].errors["code"] == [
        "Ce code d'action existe déjà dans cet axe."
    ]
    assert Action.objects.count() == 1


def test_the_funder_cannot_lead_an_action(officer_client, draft, cnsa):
    axis = AxisFactory(convention=draft, number=1)
    response = officer_client.post(
        reverse("backoffice:convention_actions", args=[draft.pk]),
        {
            "axis": axis.pk,
            "code": "1.1",
            "title": "Action",
            "lead_organisation": cnsa.pk,
            "start_date": "2024-01-01",
            "end_date": "2024-12-31",
        },
    )

    assert "lead_organisation" in response.context["form"].errors
    assert not Action.objects.exists()


def test_indicators_are_added_to_the_conventions_actions(officer_client, draft):
    action = ActionFactory(axis=AxisFactory(convention=draft, number=1))
    url = reverse("backoffice:convention_indicators", args=[draft.pk])
    data = {"action": action.pk, "label": "Unions départementales", "unit": "unions"}

    refused = officer_client.post(url, data | {"baseline": "0", "target": "-6"})
    assert refused.context["form"].errors["target"] == ["La cible ne peut pas être négative."]
    officer_client.post(url, data | {"baseline": "0", "target": "6"})

    assert Indicator.objects.get().target == Decimal("6.00")


def test_signing_asks_for_confirmation_and_a_positive_cnsa_amount(officer_client, draft):
    url = reverse("backoffice:convention_sign", args=[draft.pk])

    unconfirmed = officer_client.post(url, {"signature_date": "2024-02-01"})
    assert unconfirmed.context["form"].errors["confirm"] == [
        "Cochez la case pour confirmer la signature."
    ]
    empty = officer_client.post(url, {"signature_date": "2024-02-01", "confirm": "on"})
    assert empty.context["form"].non_field_errors() == [
        "Une convention signée engage un montant CNSA positif."
    ]
    draft.refresh_from_db()
    assert draft.status == "draft"

    Convention.objects.filter(pk=draft.pk).update(
        total_cost=Decimal("1000.00"), cnsa_amount=Decimal("600.00")
    )
    officer_client.post(url, {"signature_date": "2024-02-01", "confirm": "on"})

    draft.refresh_from_db()
    assert (draft.status, draft.signature_date) == ("signed", datetime.date(2024, 2, 1))


def test_only_officers_set_conventions_up(client, draft, cnsa):
    reader = UserFactory(username="lecteur")
    MembershipFactory(user=reader, organisation=cnsa, role="reader")
    client.force_login(reader)

    assert client.get(reverse("backoffice:convention_create")).status_code == 403
    assert (
        client.post(reverse("backoffice:convention_axes", args=[draft.pk]), {}).status_code == 403
    )


@pytest.mark.parametrize("axes", [1, 12])
def test_the_axes_step_takes_the_same_queries_whatever_its_size(
    officer_client, draft, axes, django_assert_num_queries
):
    for number in range(1, axes + 1):
        AxisFactory(convention=draft, number=number)

    with django_assert_num_queries(7):
        officer_client.get(reverse("backoffice:convention_axes", args=[draft.pk]))


def test_a_new_convention_proposes_the_cnsa_and_zero_amounts(officer_client, cnsa):
    form = officer_client.get(reverse("backoffice:convention_create")).context["form"]

    assert form["funder"].value() == cnsa.pk
    assert (form["total_cost"].value(), form["cnsa_amount"].value()) == (0, 0)


def test_a_new_action_proposes_the_conventions_dates_and_porteur(officer_client, draft):
    AxisFactory(convention=draft, number=1)
    form = officer_client.get(reverse("backoffice:convention_actions", args=[draft.pk])).context[
        "form"
    ]

    assert form["start_date"].value() == draft.start_date
    assert form["lead_organisation"].value() == draft.beneficiary_id
