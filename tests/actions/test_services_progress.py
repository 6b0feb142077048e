"""The progress-report workflow: who may do what, locking, and concurrent edits."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions.models import ProgressReport, Spending
from actions.services import (
    STALE_MESSAGE,
    SpendingEntry,
    ValueEntry,
    progress_report_approve,
    progress_report_create,
    progress_report_return,
    progress_report_submit,
    progress_report_update,
)
from financing.selectors import convention_summary

Y2019 = (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))


def _draft(world, by=None):
    report = progress_report_create(
        action=world.action69,
        period_start=Y2019[0],
        period_end=Y2019[1],
        by=by or world.contributor69,
    )
    return progress_report_update(
        report=report,
        by=by or world.contributor69,
        version=report.version,
        narrative="Six séances tenues.",
        values=[ValueEntry(world.indicator69.pk, Decimal("6"))],
        spendings=[SpendingEntry(world.cnsa.pk, Decimal("1500.50"))],
    )


def _submitted(world):
    return progress_report_submit(report=_draft(world), by=world.contributor69)


@pytest.mark.django_db
class TestEntry:
    def test_the_lead_unions_contributor_creates_and_fills_a_draft(self, world):
        report = _draft(world)

        report.refresh_from_db()
        assert report.status == "draft"
        assert report.version == 2
        assert report.created_by == world.contributor69
        assert [(v.indicator_id, v.value) for v in report.values.all()] == [
            (world.indicator69.pk, Decimal("6.00"))
        ]
        assert [(s.funder_id, s.amount) for s in report.spendings.all()] == [
            (world.cnsa.pk, Decimal("1500.50"))
        ]

    def test_the_porteurs_coordinator_may_enter_progress_too(self, world):
        report = _draft(world, by=world.coordinator)

        assert report.created_by == world.coordinator

    @pytest.mark.parametrize("who", ["contributor13", "officer", "reader69"])
    def test_others_may_not_create_a_report(self, world, who):
        with pytest.raises(PermissionDenied):
            progress_report_create(
                action=world.action69,
                period_start=Y2019[0],
                period_end=Y2019[1],
                by=getattr(world, who),
            )

        assert ProgressReport.objects.count() == 0

    def test_it_refuses_a_period_overlapping_an_existing_report(self, world):
        _draft(world)

        with pytest.raises(ValidationError) as error:
            progress_report_create(
                action=world.action69,
                period_start=datetime.date(2019, 7, 1),
                period_end=Y2019[1],
                by=world.contributor69,
            )

        assert error.value.message_dict == {
            "period": ["Un compte rendu couvre déjà tout ou partie de cette période."]
        }
        assert ProgressReport.objects.count() == 1

    def test_it_refuses_a_period_outside_the_convention(self, world):
        with pytest.raises(ValidationError) as error:
            progress_report_create(
                action=world.action69,
                period_start=datetime.date(2023, 1, 1),
                period_end=datetime.date(2023, 12, 31),
                by=world.contributor69,
            )

        assert "comprise dans la convention" in error.value.message_dict["period"][0]

    def test_it_refuses_a_negative_spending_and_changes_nothing(self, world):
        report = _draft(world)

        with pytest.raises(ValidationError) as error:
            progress_report_update(
                report=report,
                by=world.contributor69,
                version=report.version,
                narrative="Autre",
                values=[],
                spendings=[SpendingEntry(None, Decimal("-1"))],
            )

        assert error.value.message_dict == {
            "spending_none": ["Le montant ne peut pas être négatif."]
        }
        report.refresh_from_db()
        assert (report.narrative, report.version) == ("Six séances tenues.", 2)
        assert list(report.spendings.values_list("amount", flat=True)) == [Decimal("1500.50")]


@pytest.mark.django_db
class TestTransitions:
    def test_submit_records_who_and_when(self, world):
        report = _submitted(world)

        report.refresh_from_db()
        assert report.status == "submitted"
        assert report.submitted_by == world.contributor69
        assert report.submitted_at is not None

    def test_submit_needs_a_narrative(self, world):
        report = progress_report_create(
            action=world.action69,
            period_start=Y2019[0],
            period_end=Y2019[1],
            by=world.contributor69,
        )

        with pytest.raises(ValidationError) as error:
            progress_report_submit(report=report, by=world.contributor69)

        assert error.value.message_dict == {
            "narrative": ["Rédigez le bilan qualitatif avant de transmettre le compte rendu."]
        }
        report.refresh_from_db()
        assert report.status == "draft"

    @pytest.mark.parametrize("who", ["contributor13", "officer", "reader69"])
    def test_others_may_not_submit(self, world, who):
        report = _draft(world)

        with pytest.raises(PermissionDenied):
            progress_report_submit(report=report, by=getattr(world, who))

        report.refresh_from_db()
        assert report.status == "draft"

    def test_an_officer_approves_a_submitted_report(self, world):
        report = _submitted(world)

        progress_report_approve(report=report, by=world.officer, comment="Très bien.")

        report.refresh_from_db()
        assert (report.status, report.reviewed_by, report.review_comment) == (
            "approved",
            world.officer,
            "Très bien.",
        )
        assert report.reviewed_at is not None

    @pytest.mark.parametrize("who", ["contributor69", "coordinator", "contributor13"])
    def test_partners_may_not_approve_or_return(self, world, who):
        report = _submitted(world)

        with pytest.raises(PermissionDenied):
            progress_report_approve(report=report, by=getattr(world, who))
        with pytest.raises(PermissionDenied):
            progress_report_return(report=report, by=getattr(world, who), comment="Non")

        report.refresh_from_db()
        assert report.status == "submitted"

    def test_a_draft_can_be_neither_approved_nor_returned(self, world):
        report = _draft(world)

        with pytest.raises(ValidationError) as error:
            progress_report_approve(report=report, by=world.officer)

        assert error.value.message_dict == {
            "status": ["Seul un compte rendu transmis peut être approuvé (celui-ci est brouillon)."]
        }
        with pytest.raises(ValidationError):
            progress_report_return(report=report, by=world.officer, comment="À revoir")
        report.refresh_from_db()
        assert report.status == "draft"

    def test_return_needs_a_comment(self, world):
        report = _submitted(world)

        with pytest.raises(ValidationError) as error:
            progress_report_return(report=report, by=world.officer, comment="  ")

        assert error.value.message_dict == {
            "comment": [
                "Dites au partenaire ce qu'il doit corriger : le commentaire est obligatoire."
            ]
        }
        report.refresh_from_db()
        assert report.status == "submitted"

    def test_a_returned_report_is_edited_and_submitted_again(self, world):
        report = _submitted(world)
        progress_report_return(report=report, by=world.officer, comment="Précisez les dépenses.")

        progress_report_update(
            report=report,
            by=world.contributor69,
            version=report.version,
            narrative="Corrigé.",
            values=[],
            spendings=[SpendingEntry(world.cnsa.pk, Decimal("1800.00"))],
        )
        progress_report_submit(report=report, by=world.contributor69)

        report.refresh_from_db()
        assert (report.status, report.narrative, report.review_comment) == (
            "submitted",
            "Corrigé.",
            "Précisez les dépenses.",
        )

    def test_a_submitted_report_cannot_be_submitted_again_or_edited(self, world):
        report = _submitted(world)

        with pytest.raises(ValidationError) as error:
            progress_report_submit(report=report, by=world.contributor69)
        assert error.value.message_dict == {
            "status": ["Ce compte rendu est déjà transmis : il ne peut pas être transmis."]
        }
        with pytest.raises(ValidationError) as error:
            progress_report_update(
                report=report,
                by=world.contributor69,
                version=report.version,
                narrative="X",
                values=[],
                spendings=[],
            )
        assert error.value.message_dict == {
            "status": ["Ce compte rendu est transmis : il ne peut plus être modifié."]
        }

    def test_the_history_keeps_each_step(self, world):
        report = _submitted(world)
        progress_report_approve(report=report, by=world.officer)

        steps = list(
            report.history.order_by("history_date").values_list("status", "history_user__username")
        )

        assert steps[0] == ("draft", "udccas69.contributeur")
        assert steps[-2:] == [("submitted", "udccas69.contributeur"), ("approved", "cnsa.officer")]


@pytest.mark.django_db
class TestLocking:
    def test_an_approved_report_is_locked(self, world):
        report = _submitted(world)
        progress_report_approve(report=report, by=world.officer)

        with pytest.raises(ValidationError) as error:
            progress_report_update(
                report=report,
                by=world.contributor69,
                version=report.version,
                narrative="X",
                values=[],
                spendings=[],
            )
        assert error.value.message_dict == {
            "status": ["Ce compte rendu est approuvé : il ne peut plus être modifié."]
        }
        for transition in (progress_report_approve, progress_report_return):
            with pytest.raises(ValidationError):
                transition(report=report, by=world.officer, comment="encore")
        with pytest.raises(ValidationError):
            progress_report_submit(report=report, by=world.contributor69)
        report.refresh_from_db()
        assert (report.status, report.narrative) == ("approved", "Six séances tenues.")

    def test_only_approved_spending_counts_as_spent(self, world):
        report = _submitted(world)
        assert convention_summary(convention=world.convention).spent == Decimal("0.00")

        progress_report_approve(report=report, by=world.officer)

        assert convention_summary(convention=world.convention).spent == Decimal("1500.50")


@pytest.mark.django_db
class TestConcurrentEdits:
    def test_the_second_save_from_a_stale_form_is_refused(self, world):
        report = _draft(world)
        first = ProgressReport.objects.get(pk=report.pk)
        second = ProgressReport.objects.get(pk=report.pk)
        progress_report_update(
            report=first,
            by=world.contributor69,
            version=2,
            narrative="Première saisie",
            values=[],
            spendings=[],
        )

        with pytest.raises(ValidationError) as error:
            progress_report_update(
                report=second,
                by=world.coordinator,
                version=2,
                narrative="Seconde saisie",
                values=[],
                spendings=[SpendingEntry(None, Decimal("99.00"))],
            )

        assert error.value.message_dict == {"version": [STALE_MESSAGE]}
        report.refresh_from_db()
        assert (report.narrative, report.version) == ("Première saisie", 3)
        assert Spending.objects.filter(report=report).count() == 0

    def test_a_form_opened_before_submission_cannot_save_after_it(self, world):
        report = _draft(world)
        stale = report.version
        progress_report_submit(report=report, by=world.contributor69)

        with pytest.raises(ValidationError) as error:
            progress_report_update(
                report=report,
                by=world.coordinator,
                version=stale,
                narrative="Trop tard",
                values=[],
                spendings=[],
            )

        assert error.value.message_dict == {"version": [STALE_MESSAGE]}
