"""The back office: ReportAdmin and its "Générer le rapport" page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting.models import Report
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(officer):
    officer.is_staff = officer.is_superuser = True
    officer.save()
    return officer


def test_the_generate_page_is_prefilled_with_the_convention(client, staff, lyon):
    client.force_login(staff)

    page = client.get(reverse("admin:reporting_report_generate") + f"?convention={lyon.pk}")

    body = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{lyon.pk}" selected>' in body
    assert '<option value="2017">2017</option>' in body


def test_an_officer_generates_a_report_from_the_admin(
    client, staff, lyon, django_capture_on_commit_callbacks
):
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:reporting_report_generate"),
            {"convention": lyon.pk, "kind": "annual", "year": "2016"},
        )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"?convention__id__exact={lyon.pk}")
    assert (report.kind, report.period_start.year, report.requested_by) == ("annual", 2016, staff)
    listing = client.get(response["Location"])
    assert "Générer le rapport" in listing.content.decode()
    assert reverse("reporting:report_download", args=[report.pk]) in listing.content.decode()


def test_a_bad_period_is_shown_on_the_form(client, staff, lyon):
    client.force_login(staff)

    response = client.post(
        reverse("admin:reporting_report_generate"), {"convention": lyon.pk, "kind": "annual"}
    )

    assert response.status_code == 200
    assert "Indiquez l&#x27;année du rapport annuel." in response.content.decode()
    assert Report.objects.count() == 0


def test_an_officer_without_the_report_permission_is_refused(client, cnsa, lyon):
    clerk = UserFactory(username="clerk", is_staff=True)
    MembershipFactory(user=clerk, organisation=cnsa, role="officer")
    client.force_login(clerk)

    response = client.get(reverse("admin:reporting_report_generate"))

    assert response.status_code == 403
