"""The calendar page: read by whoever sees the convention, changed by officers only."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import ReportDeadline
from actions.services_calendar import reporting_calendar_sync
from tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db


def test_an_officer_moves_a_deadline_from_the_page(client, world):
    reporting_calendar_sync(convention=world.convention)
    deadline = ReportDeadline.objects.get(kind="annual", period_end=date(2019, 12, 31))
    client.force_login(world.officer)

    page = client.get(reverse("actions:calendar", args=[world.convention.pk])).content.decode()
    response = client.post(
        reverse("actions:deadline_edit", args=[deadline.pk]),
        {"action": "reschedule", "due_on": "2020-09-30"},
    )

    assert "Modifier une échéance" in page and "Compte rendu 2019" in page
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert (deadline.due_on, deadline.origin) == (date(2020, 9, 30), "edited")


def test_a_date_before_the_period_end_is_refused_in_french(client, world):
    reporting_calendar_sync(convention=world.convention)
    deadline = ReportDeadline.objects.get(kind="annual", period_end=date(2019, 12, 31))
    client.force_login(world.officer)

    response = client.post(
        reverse("actions:deadline_edit", args=[deadline.pk]),
        {"action": "reschedule", "due_on": "2019-01-01"},
    )

    assert response.status_code == 400
    assert (
        "L&#x27;échéance ne peut précéder la fin de la période couverte"
        in response.content.decode()
    )
    deadline.refresh_from_db()
    assert deadline.due_on == date(2020, 6, 30)


def test_an_officer_adds_an_interim_report(client, world):
    client.force_login(world.officer)

    response = client.post(
        reverse("actions:calendar_interim", args=[world.convention.pk]),
        {"period_end": "2020-06-30", "due_on": "2020-09-30"},
    )

    assert response.status_code == 302
    assert ReportDeadline.objects.get(kind="interim").due_on == date(2020, 9, 30)
    assert ReportDeadline.objects.active().filter(convention=world.convention).count() == 5


def test_a_union_reads_the_calendar_without_the_forms(client, world):
    client.force_login(world.contributor69)

    page = client.get(reverse("actions:calendar", args=[world.convention.pk]))
    refused = client.post(
        reverse("actions:calendar_terms", args=[world.convention.pk]),
        {"annual_delay_months": "3", "final_delay_months": "3"},
    )

    assert page.status_code == 200
    assert "Bilan final" in page.content.decode()
    assert "Enregistrer et recalculer" not in page.content.decode()
    assert refused.status_code == 403


def test_another_partners_calendar_is_not_found(client, world):
    other = ConventionFactory()
    client.force_login(world.contributor69)

    assert client.get(reverse("actions:calendar", args=[other.pk])).status_code == 404


def test_a_union_sees_only_its_own_actions_late_on_the_calendar(client, world):
    reporting_calendar_sync(convention=world.convention)
    url = reverse("actions:calendar", args=[world.convention.pk])

    client.force_login(world.contributor69)
    union = client.get(url).content.decode()
    client.force_login(world.officer)
    officer = client.get(url).content.decode()

    assert "UDCCAS du Rhône" in union
    assert "UDCCAS des Bouches-du-Rhône" not in union
    assert reverse("actions:action", args=[world.action13.pk]) not in union
    assert reverse("actions:action", args=[world.action13.pk]) in officer
