"""Deleting goes through services: what carries the programme's record cannot vanish."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from actions.models import Action
from actions.services import action_delete, indicator_delete
from axes.models import Axis
from axes.services import axis_delete
from conventions.models import Amendment, Convention
from conventions.services import (
    AMENDMENT_KEPT,
    CONVENTION_PLAN_FIRST,
    CONVENTION_SIGNED_KEPT,
    amendment_delete,
    convention_delete,
)
from financing.models import FundingLine, Payment
from financing.services import amendment_create, funding_line_delete, payment_delete
from tests.factories import (
    ActionFactory,
    AxisFactory,
    ConventionFactory,
    FundingLineFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PaymentFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db


def test_an_action_with_progress_reports_cannot_be_deleted(convention, officer):
    report = ProgressReportFactory(action=ActionFactory(axis__convention=convention))

    with pytest.raises(ValidationError) as refused:
        action_delete(action=report.action, by=officer)

    assert "passez-la au statut « Abandonnée »" in refused.value.messages[0]
    assert Action.objects.filter(pk=report.action_id).exists()


def test_an_axis_with_reports_under_it_cannot_be_deleted(convention, officer):
    report = ProgressReportFactory(action=ActionFactory(axis__convention=convention))

    with pytest.raises(ValidationError):
        axis_delete(axis=report.action.axis, by=officer)

    assert Axis.objects.filter(pk=report.action.axis_id).exists()


def test_an_unreported_action_is_deleted(convention, officer):
    action = ActionFactory(axis__convention=convention)

    action_delete(action=action, by=officer)

    assert not Action.objects.filter(pk=action.pk).exists()


def test_an_indicator_with_declared_values_is_kept(convention, officer):
    value = IndicatorValueFactory(
        indicator=IndicatorFactory(action=ActionFactory(axis__convention=convention))
    )

    with pytest.raises(ValidationError):
        indicator_delete(indicator=value.indicator, by=officer)


def test_a_closed_convention_keeps_its_funding_lines(convention, officer):
    line = FundingLineFactory(action=ActionFactory(axis__convention=convention))
    Convention.objects.filter(pk=convention.pk).update(status="closed")
    line.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        funding_line_delete(line=line, by=officer)

    assert refused.value.message_dict["action"] == [
        "La convention est clôturée : son plan de financement est figé."
    ]
    assert FundingLine.objects.count() == 1


@pytest.mark.parametrize("status", ["paid", "planned", "cancelled"])
def test_no_payment_is_ever_deleted_whatever_its_status(convention, officer, status):
    paid_on = datetime.date(2019, 9, 1) if status == "paid" else None
    payment = PaymentFactory(convention=convention, status=status, paid_on=paid_on)

    with pytest.raises(ValidationError) as refused:
        payment_delete(payment=payment, by=officer)

    assert refused.value.message_dict["status"] == [
        "Un versement ne se supprime pas : passez-le au statut « Annulé » s'il n'a pas eu lieu ; "
        "un versement effectué se corrige par un reversement."
    ]
    assert list(Payment.objects.values_list("pk", flat=True)) == [payment.pk]


def test_an_action_with_funding_lines_is_kept_until_they_are_deleted(convention, officer):
    line = FundingLineFactory(action=ActionFactory(axis__convention=convention))

    with pytest.raises(ValidationError) as refused:
        action_delete(action=line.action, by=officer)
    funding_line_delete(line=line, by=officer)
    action_delete(action=line.action, by=officer)

    assert refused.value.message_dict["action"] == [
        "Cette action a des lignes de financement : supprimez-les d'abord, une par une."
    ]
    assert (Action.objects.count(), FundingLine.objects.count()) == (0, 0)


def test_an_axis_with_actions_is_kept(convention, officer):
    action = ActionFactory(axis__convention=convention)

    with pytest.raises(ValidationError) as refused:
        axis_delete(axis=action.axis, by=officer)

    assert refused.value.message_dict["axis"][0].startswith("Cet axe a des actions")
    assert Axis.objects.filter(pk=action.axis_id).exists()


def test_a_signed_convention_is_never_deleted(convention, officer):
    with pytest.raises(ValidationError) as refused:
        convention_delete(convention=convention, by=officer)

    assert refused.value.message_dict["convention"] == [CONVENTION_SIGNED_KEPT]
    assert Convention.objects.filter(pk=convention.pk).exists()


def test_a_draft_with_axes_is_kept_and_an_empty_draft_is_deleted(cnsa, officer):
    planned = AxisFactory(convention=ConventionFactory(funder=cnsa, status="draft")).convention
    empty = ConventionFactory(funder=cnsa, status="draft")

    with pytest.raises(ValidationError) as refused:
        convention_delete(convention=planned, by=officer)
    convention_delete(convention=empty, by=officer)

    assert refused.value.message_dict["convention"] == [CONVENTION_PLAN_FIRST]
    assert list(Convention.objects.values_list("pk", flat=True)) == [planned.pk]


def test_an_amendment_is_never_deleted(convention, officer):
    amendment = amendment_create(
        convention=convention,
        by=officer,
        signed_on=datetime.date(2020, 1, 1),
        description="Hausse",
        cnsa_amount=Decimal("65000.00"),
    )

    with pytest.raises(ValidationError) as refused:
        amendment_delete(amendment=amendment, by=officer)

    assert refused.value.message_dict["amendment"] == [AMENDMENT_KEPT]
    assert Amendment.objects.filter(pk=amendment.pk).exists()


@pytest.mark.parametrize(
    "parent, child",
    [
        ("convention", "axis"),
        ("axis", "action"),
        ("action", "line"),
        ("convention", "amendment"),
    ],
)
def test_the_database_protects_money_from_a_cascade(convention, officer, parent, child):
    line = FundingLineFactory(action=ActionFactory(axis__convention=convention))
    amendment = amendment_create(
        convention=convention,
        by=officer,
        signed_on=datetime.date(2020, 1, 1),
        description="Hausse",
        cnsa_amount=Decimal("65000.00"),
    )
    rows = {
        "convention": convention,
        "axis": line.action.axis,
        "action": line.action,
        "line": line,
        "amendment": amendment,
    }

    with pytest.raises(ProtectedError):
        type(rows[parent]).objects.filter(pk=rows[parent].pk).delete()

    assert type(rows[child]).objects.filter(pk=rows[child].pk).exists()


def test_the_admin_shows_a_refused_deletion_and_keeps_the_row(client, officer, convention):
    officer.is_staff = officer.is_superuser = True
    officer.save()
    client.force_login(officer)
    paid = PaymentFactory(convention=convention)

    response = client.post(
        reverse("admin:financing_payment_delete", args=[paid.pk]), {"post": "yes"}, follow=True
    )

    assert "Un versement ne se supprime pas" in response.content.decode()
    assert Payment.objects.filter(pk=paid.pk).exists()


def test_a_date_in_year_9999_is_refused_with_a_french_message(convention):
    convention.end_date = datetime.date(9999, 12, 31)

    with pytest.raises(ValidationError) as refused:
        convention.full_clean()

    assert refused.value.message_dict["end_date"] == [
        "Date invraisemblable : elle doit tomber entre 1990 et 2199."
    ]
