"""The back office: list pages annotate totals in SQL, pages show the checks, forms run the rules."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from financing.models import Payment
from tests.factories import (
    ActionFactory,
    ConventionFactory,
    FundingLineFactory,
    MembershipFactory,
    PaymentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(officer, client):
    officer.is_superuser = officer.is_staff = True
    officer.save()
    client.force_login(officer)
    return client


def _populate(cnsa, count: int) -> None:
    for _ in range(count):
        convention = ConventionFactory(funder=cnsa)
        line = FundingLineFactory(action=ActionFactory(axis__convention=convention))
        PaymentFactory(convention=convention)
        assert line.pk


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "name",
    [
        "admin:conventions_convention_changelist",
        "admin:actions_action_changelist",
        "admin:financing_fundingline_changelist",
        "admin:financing_payment_changelist",
        "admin:axes_axis_changelist",
    ],
)
def test_list_pages_cost_the_same_queries_for_5_and_50_conventions(
    staff, cnsa, name, django_assert_num_queries
):
    _populate(cnsa, 5)
    url = reverse(name)
    small = _queries(staff, url)
    _populate(cnsa, 45)

    with django_assert_num_queries(small):
        response = staff.get(url)

    assert response.status_code == 200


def test_the_convention_list_shows_rates_and_totals(staff, cnsa):
    ConventionFactory(
        funder=cnsa,
        reference="CNSA-LYON",
        total_cost=Decimal("801500.00"),
        cnsa_amount=Decimal("427750.00"),
    )

    page = staff.get(reverse("admin:conventions_convention_changelist")).content.decode()

    assert "53,37\u00a0%" in page
    assert "801\u00a0500,00\u00a0€" in page


def test_the_convention_page_lists_its_inconsistencies(staff, convention):
    FundingLineFactory(action=ActionFactory(axis__convention=convention), amount=Decimal("1000.00"))

    page = staff.get(reverse("admin:conventions_convention_change", args=[convention.pk]))

    text = page.content.decode()
    assert "Les lignes de financement totalisent 1\u00a0000,00\u00a0€" in text
    assert "écart -99\u00a0000,00\u00a0€" in text


def test_the_payment_form_refuses_an_amount_above_the_cnsa_amount(staff, convention):
    response = staff.post(
        reverse("admin:financing_payment_add"),
        {
            "convention": convention.pk,
            "kind": "advance",
            "amount": "60000.01",
            "status": "paid",
            "paid_on": "01/09/2019",
            "due_date": "",
            "reference": "",
            "note": "",
        },
    )

    assert response.status_code == 200
    assert "au-delà du montant CNSA de 60\u00a0000,00\u00a0€" in response.content.decode()
    assert not Payment.objects.exists()


def test_the_convention_form_refuses_changing_signed_figures(staff, convention):
    url = reverse("admin:conventions_convention_change", args=[convention.pk])
    page = staff.get(url).content.decode()

    assert 'name="cnsa_amount"' not in page  # shown read-only once signed
    assert convention.signature_date == datetime.date(2019, 7, 1)


def test_an_amendment_entered_in_the_admin_keeps_the_original_figures(staff, convention):
    response = staff.post(
        reverse("admin:conventions_amendment_add"),
        {
            "convention": convention.pk,
            "signed_on": "01/06/2021",
            "description": "Hausse de la participation CNSA",
            "new_cnsa_amount": "65000.00",
            "new_total_cost": "",
            "new_end_date": "",
        },
    )

    assert response.status_code == 302
    convention.refresh_from_db()
    amendment = convention.amendments.get()
    assert (amendment.previous_cnsa_amount, convention.cnsa_amount) == (
        Decimal("60000.00"),
        Decimal("65000.00"),
    )


def test_an_amendment_above_the_total_cost_is_refused_in_the_admin(staff, convention):
    response = staff.post(
        reverse("admin:conventions_amendment_add"),
        {
            "convention": convention.pk,
            "signed_on": "01/06/2021",
            "description": "Hausse",
            "new_cnsa_amount": "100000.01",
            "new_total_cost": "",
            "new_end_date": "",
        },
    )

    assert response.status_code == 200
    assert "Le montant CNSA ne peut pas dépasser le coût global." in response.content.decode()
    convention.refresh_from_db()
    assert convention.cnsa_amount == Decimal("60000.00")
    assert not convention.amendments.exists()


def test_staff_status_alone_does_not_open_the_back_office(client, convention):
    coordinator = UserFactory(is_staff=True)
    MembershipFactory(user=coordinator, organisation=convention.beneficiary, role="coordinator")
    client.force_login(coordinator)

    response = client.get(reverse("admin:conventions_convention_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_officer_with_staff_status_enters(client, officer):
    officer.is_staff = True
    officer.save()
    officer.user_permissions.add(Permission.objects.get(codename="view_convention"))
    client.force_login(officer)

    assert client.get(reverse("admin:conventions_convention_changelist")).status_code == 200


def test_the_convention_page_links_to_its_reports_and_dashboard(staff, convention):
    page = staff.get(reverse("admin:conventions_convention_change", args=[convention.pk]))

    text = page.content.decode()
    assert f"/admin/reporting/report/generer/?convention={convention.pk}" in text
    assert reverse("reporting:convention_reports", args=[convention.pk]) in text
    assert reverse("backoffice:convention", args=[convention.pk]) in text


def test_the_line_list_filters_years_from_fixed_choices_and_caps_its_count(
    staff, cnsa, monkeypatch
):
    import core.admin

    monkeypatch.setattr(core.admin, "COUNT_CAP", 3)
    action = ActionFactory(axis__convention__funder=cnsa)
    for year in (2019, 2020, 2021, 2022):
        FundingLineFactory(action=action, funder=cnsa, year=year)
    url = reverse("admin:financing_fundingline_changelist")

    with CaptureQueriesContext(connection) as captured:
        response = staff.get(url, {"year": "2020"})

    assert response.status_code == 200
    assert [line.year for line in response.context["cl"].result_list] == [2020]
    assert not any("DISTINCT" in q["sql"] and "year" in q["sql"] for q in captured)
    assert "2009" in response.content.decode()  # the fixed choices, not the years present
    everything = staff.get(url)
    assert everything.context["cl"].result_count == 4  # counted up to the cap + 1, no further
    assert everything.context["cl"].full_result_count is None
