"""Deleting goes through services: what carries the programme's record cannot vanish."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import Action
from actions.services import action_delete, indicator_delete
from axes.models import Axis
from axes.services import axis_delete
from conventions.models import Convention
from financing.models import FundingLine, Payment
from financing.services import funding_line_delete, payment_delete
from tests.factories import (
    ActionFactory,
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


def test_a_paid_payment_is_never_deleted_but_a_planned_one_is(convention, officer):
    paid = PaymentFactory(convention=convention)
    planned = PaymentFactory(
        convention=convention, status="planned", paid_on=None, due_date=datetime.date(2020, 1, 1)
    )

    with pytest.raises(ValidationError) as refused:
        payment_delete(payment=paid, by=officer)
    payment_delete(payment=planned, by=officer)

    assert refused.value.message_dict["status"] == [
        "Un versement effectué ne se supprime pas : annulez-le ou enregistrez un reversement."
    ]
    assert list(Payment.objects.values_list("pk", flat=True)) == [paid.pk]


def test_the_admin_shows_a_refused_deletion_and_keeps_the_row(client, officer, convention):
    officer.is_staff = officer.is_superuser = True
    officer.save()
    client.force_login(officer)
    paid = PaymentFactory(convention=convention)

    response = client.post(
        reverse("admin:financing_payment_delete", args=[paid.pk]), {"post": "yes"}, follow=True
    )

    assert "Un versement effectué ne se supprime pas" in response.content.decode()
    assert Payment.objects.filter(pk=paid.pk).exists()


def test_a_date_in_year_9999_is_refused_with_a_french_message(convention):
    convention.end_date = datetime.date(9999, 12, 31)

    with pytest.raises(ValidationError) as refused:
        convention.full_clean()

    assert refused.value.message_dict["end_date"] == [
        "Date invraisemblable : elle doit tomber entre 1990 et 2199."
    ]
