"""Correcting an approved report: reopened by an officer with a reason, traced with the figures
as approved, spending out of the totals until approved again, the partner told."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse

from actions.models import Message, Notification, ProgressReport
from actions.services import (
    ValueEntry,
    progress_report_approve,
    progress_report_reopen,
    progress_report_submit,
    progress_report_update,
)
from financing.models import ActionTotal
from tests.api.conftest import token_client
from tests.factories import ProgressReportFactory, SpendingFactory

pytestmark = pytest.mark.django_db


def _spent(action) -> Decimal:
    return ActionTotal.objects.filter(action=action).aggregate(s=Sum("spent"))["s"] or Decimal(0)


@pytest.fixture
def approved(world):
    report = ProgressReportFactory(action=world.action69, narrative="Six séances.")
    progress_report_update(
        report=report,
        by=world.contributor69,
        version=report.version,
        narrative="Six séances.",
        values=[ValueEntry(world.indicator69.pk, Decimal("6"))],
        spendings=[],
    )
    SpendingFactory(report=report, funder=world.cnsa, amount=Decimal("1500.50"))
    progress_report_submit(report=report, by=world.contributor69)
    progress_report_approve(report=report, by=world.officer)
    report.refresh_from_db()
    return report


class TestReopening:
    def test_it_is_traced_with_the_figures_as_approved(self, world, approved):
        assert _spent(world.action69) == Decimal("1500.50")

        reopening = progress_report_reopen(
            report=approved, by=world.officer, reason="Le montant CNSA est erroné."
        )

        approved.refresh_from_db()
        assert approved.status == ProgressReport.Status.RETURNED
        assert (reopening.reopened_by, reopening.reason) == (
            world.officer,
            "Le montant CNSA est erroné.",
        )
        figures = reopening.figures_before
        assert figures["status"] == "approved" and figures["reviewed_by"] == "cnsa.officer"
        assert figures["total_spent"] == "1500.50"
        assert figures["spendings"] == [
            {"funder": world.cnsa.pk, "funder_name": str(world.cnsa), "amount": "1500.50"}
        ]
        assert [v["value"] for v in figures["values"]] == ["6.00"]
        assert reopening.spent_before == Decimal("1500.50")

    def test_spending_leaves_the_totals_until_approved_again(self, world, approved):
        progress_report_reopen(report=approved, by=world.officer, reason="Erreur de montant.")

        assert _spent(world.action69) == Decimal("0")
        approved.refresh_from_db()
        progress_report_submit(report=approved, by=world.contributor69)
        progress_report_approve(report=approved, by=world.officer)
        assert _spent(world.action69) == Decimal("1500.50")

    def test_the_partner_is_told_and_the_reason_joins_the_thread(self, world, approved):
        progress_report_reopen(report=approved, by=world.officer, reason="Erreur de montant.")

        told = Notification.objects.get(kind="return", subject__startswith="Compte rendu rouvert")
        assert told.recipient == world.contributor69
        assert "Erreur de montant." in told.body
        message = Message.objects.get()
        assert (message.event, message.body, message.internal) == (
            "reopening",
            "Erreur de montant.",
            False,
        )

    def test_the_reason_is_mandatory(self, world, approved):
        with pytest.raises(ValidationError) as error:
            progress_report_reopen(report=approved, by=world.officer, reason="  ")

        assert "motif est obligatoire" in error.value.message_dict["reason"][0]
        approved.refresh_from_db()
        assert approved.status == "approved" and not approved.reopenings.exists()

    def test_only_an_officer_reopens(self, world, approved):
        with pytest.raises(PermissionDenied):
            progress_report_reopen(report=approved, by=world.coordinator, reason="Erreur.")

    def test_only_an_approved_report_is_reopened(self, world):
        draft = ProgressReportFactory(action=world.action69)

        with pytest.raises(ValidationError, match="Seul un compte rendu approuvé"):
            progress_report_reopen(report=draft, by=world.officer, reason="Erreur.")


class TestDoors:
    def test_the_officer_reopens_from_the_report_page(self, client, world, approved):
        client.force_login(world.officer)
        url = reverse("actions:report", args=[approved.pk])
        assert "Rouvrir le compte rendu" in client.get(url).content.decode()

        refused = client.post(reverse("actions:report_reopen", args=[approved.pk]), {"reason": ""})
        done = client.post(
            reverse("actions:report_reopen", args=[approved.pk]), {"reason": "Erreur de montant."}
        )

        assert refused.status_code == 400
        assert "le motif est obligatoire" in refused.content.decode()
        assert done.status_code == 302
        page = client.get(url).content.decode()
        assert "Réouvertures" in page and "Erreur de montant." in page
        assert "500,50\xa0€ de dépenses" in page

    def test_a_partner_cannot_reopen(self, client, world, approved):
        client.force_login(world.coordinator)

        response = client.post(
            reverse("actions:report_reopen", args=[approved.pk]), {"reason": "Erreur."}
        )

        assert response.status_code == 403
        assert (
            "Rouvrir"
            not in client.get(reverse("actions:report", args=[approved.pk])).content.decode()
        )

    def test_the_api_reopens_with_a_reason(self, world, approved):
        api = token_client(world.officer)
        url = f"/api/v1/progress-reports/{approved.pk}/reopen/"

        refused = api.post(url, {}, format="json")
        done = api.post(url, {"reason": "Erreur de montant."}, format="json")

        assert refused.status_code == 400 and "motif" in refused.json()["reason"][0]
        assert done.status_code == 200
        assert (done.json()["status"], done.json()["review_comment"]) == (
            "returned",
            "Erreur de montant.",
        )
        assert token_client(world.contributor69).post(url, {"reason": "x"}).status_code in (
            400,
            403,
        )
