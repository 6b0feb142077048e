"""The conventions list and the convention page: search, filters, sort, totals, bounded queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    AxisFactory,
    ConventionFactory,
    FundingLineFactory,
    MembershipFactory,
    OrganisationFactory,
    PaymentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
LIST = "/conventions/"


def _convention(cnsa, n: int, **kwargs):
    beneficiary = kwargs.pop("beneficiary", None) or OrganisationFactory(
        name=f"Porteur {n}", departement_code=f"{10 + n}"
    )
    convention = ConventionFactory(
        funder=cnsa,
        beneficiary=beneficiary,
        reference=kwargs.pop("reference", f"CNSA-{n:03d}"),
        **kwargs,
    )
    action = ActionFactory(axis=AxisFactory(convention=convention))
    FundingLineFactory(action=action, funder=cnsa, amount=Decimal("600.00"))
    PaymentFactory(convention=convention, amount=Decimal("100.00"))
    return convention


def _references(response) -> list[str]:
    return [c.reference for c in response.context["page"].rows]


def test_it_lists_the_conventions_with_their_money_and_a_totals_row(client, officer, cnsa):
    _convention(cnsa, 1, total_cost=Decimal("1000.00"), cnsa_amount=Decimal("600.00"))
    _convention(cnsa, 2, total_cost=Decimal("2000.50"), cnsa_amount=Decimal("1000.25"))
    client.force_login(officer)

    response = client.get(LIST)

    assert response.status_code == 200
    total = response.context["total"]
    assert (total.count, total.total_cost, total.cnsa_amount) == (
        2,
        Decimal("3000.50"),
        Decimal("1600.25"),
    )
    assert (total.planned, total.paid, total.remaining) == (
        Decimal("1200.00"),
        Decimal("200.00"),
        Decimal("1400.25"),
    )
    assert total.cnsa_rate == Decimal("53.33")  # 1600.25 / 3000.50
    page = response.content.decode()
    assert "3\u00a0000,50\u00a0€" in page and "1\u00a0400,25\u00a0€" in page
    assert reverse("backoffice:convention", args=[response.context["page"].rows[0].pk]) in page
    assert "Télécharger la sélection (2 conventions, toutes pages)" in page
    assert 'id="col-conventions-reference"' in page


def test_it_searches_by_reference_title_and_porteur(client, officer, cnsa):
    _convention(cnsa, 1, title="Numérique en Bretagne")
    _convention(cnsa, 2, beneficiary=OrganisationFactory(name="Métropole de Lyon"))
    _convention(cnsa, 3, reference="CNSA-NORD-2020")
    client.force_login(officer)

    assert _references(client.get(LIST, {"q": "bretagne"})) == ["CNSA-001"]
    assert _references(client.get(LIST, {"q": "lyon"})) == ["CNSA-002"]
    assert _references(client.get(LIST, {"q": "nord"})) == ["CNSA-NORD-2020"]
    assert _references(client.get(LIST, {"q": "absent"})) == []


def test_it_filters_by_status_porteur_departement_and_year(client, officer, cnsa):
    first = _convention(cnsa, 1, status="draft")
    second = _convention(
        cnsa, 2, start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2025, 12, 31)
    )
    third = _convention(cnsa, 3)
    led = OrganisationFactory(name="UD 44", departement_code="44")
    ActionFactory(axis=AxisFactory(convention=third, number=2), lead_organisation=led)
    client.force_login(officer)

    assert _references(client.get(LIST, {"status": "draft"})) == [first.reference]
    assert _references(client.get(LIST, {"porteur": second.beneficiary_id})) == [second.reference]
    assert _references(client.get(LIST, {"departement": "11"})) == [first.reference]
    assert _references(client.get(LIST, {"departement": "44"})) == [third.reference]
    assert _references(client.get(LIST, {"year": 2024})) == [second.reference]


def test_an_unknown_filter_value_is_ignored_not_an_error(client, officer, cnsa):
    _convention(cnsa, 1)
    client.force_login(officer)

    response = client.get(LIST, {"status": "nimporte", "year": "abc", "sort": "motdepasse"})

    assert response.status_code == 200
    assert _references(response) == ["CNSA-001"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("cout", ["CNSA-002", "CNSA-001", "CNSA-003"]),
        ("-cout", ["CNSA-003", "CNSA-001", "CNSA-002"]),
        ("reference", ["CNSA-001", "CNSA-002", "CNSA-003"]),
        ("-reste", ["CNSA-003", "CNSA-001", "CNSA-002"]),
    ],
)
def test_each_column_sorts_both_ways(client, officer, cnsa, sort, expected):
    for n, cost in ((1, "2000.00"), (2, "1000.00"), (3, "3000.00")):
        _convention(cnsa, n, total_cost=Decimal(cost), cnsa_amount=Decimal(cost) / 2)
    client.force_login(officer)

    response = client.get(LIST, {"sort": sort})

    assert _references(response) == expected
    active = [h for h in response.context["headers"] if h["aria_sort"]]
    assert [h["key"] for h in active] == [sort.lstrip("-")]


def test_pagination_keeps_the_filters_and_totals_only_the_page(client, officer, cnsa):
    porteur = OrganisationFactory(name="Porteur commun")
    for n in range(25):
        _convention(cnsa, n, beneficiary=porteur)
    _convention(cnsa, 99)
    client.force_login(officer)

    response = client.get(LIST, {"porteur": porteur.pk, "page": 2})

    assert response.context["page"].paginator.count == 25
    assert response.context["total"].count == 5
    assert f"porteur={porteur.pk}&amp;page=1" in response.content.decode()


def test_a_partner_sees_only_its_own_conventions(client, cnsa):
    mine = _convention(cnsa, 1)
    _convention(cnsa, 2)
    user = UserFactory(username="coordinatrice")
    MembershipFactory(user=user, organisation=mine.beneficiary, role="coordinator")
    client.force_login(user)

    assert _references(client.get(LIST)) == [mine.reference]
    assert client.get(reverse("backoffice:convention", args=[mine.pk + 1])).status_code == 404


def test_the_empty_list_says_what_to_do(client, officer, cnsa):
    client.force_login(officer)

    assert "dès leur création" in client.get(LIST).content.decode()
    assert "effacez les filtres" in client.get(LIST, {"q": "rien"}).content.decode()


@pytest.mark.parametrize("size", [3, 12])
def test_the_list_costs_the_same_queries_whatever_its_size(
    client, officer, cnsa, django_assert_num_queries, size
):
    for n in range(size):
        _convention(cnsa, n)
    client.force_login(officer)
    client.get(LIST)

    # session, user, scope, filter choices, years, count, page, DSFR settings
    with django_assert_num_queries(8):
        response = client.get(LIST, {"q": "CNSA", "sort": "-verse", "year": 2020})

    assert response.context["page"].paginator.count == size


def test_the_former_dashboard_address_redirects_for_good(client, officer, convention):
    client.force_login(officer)

    response = client.get(f"/conventions/{convention.pk}/tableau-de-bord/")

    assert response.status_code == 301
    assert response["Location"] == f"/conventions/{convention.pk}/"


def _full_convention(cnsa, officer, actions: int):
    convention = _convention(cnsa, 1, status="draft")
    axis = convention.axes.get()
    for n in range(actions):
        action = ActionFactory(axis=axis, code=f"1.{n + 2}")
        FundingLineFactory(action=action, funder=cnsa, amount=Decimal("10.00"))
    PaymentFactory(convention=convention, kind="instalment", amount=Decimal("50.00"))
    convention.status = "signed"
    convention._history_user = officer
    convention.save()
    return convention


def test_the_convention_page_shows_money_actions_payments_and_history_by_name(
    client, officer, cnsa
):
    officer.first_name, officer.last_name = "Claire", "Martin"
    officer.save()
    convention = _full_convention(cnsa, officer, actions=2)
    client.force_login(officer)

    response = client.get(reverse("backoffice:convention", args=[convention.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Acompte" in page and "150,00\u00a0€" in page  # paid: 100 + 50
    assert "Claire Martin" in page
    assert "Statut : Brouillon → Signée" in page
    assert "Aucun avenant" in page
    assert page.count('class="fr-accordion"') == 1


@pytest.mark.parametrize("actions", [1, 30])
def test_the_convention_page_costs_the_same_queries_whatever_its_size(
    client, officer, cnsa, django_assert_num_queries, actions
):
    convention = _full_convention(cnsa, officer, actions=actions)
    client.force_login(officer)
    url = reverse("backoffice:convention", args=[convention.pk])
    client.get(url)

    # the actions: every one with its reports and calendar (3), the first of each axis with their
    # money (1) and indicators (1), the axes with their totals (1)
    with django_assert_num_queries(24):
        assert client.get(url).status_code == 200


def test_the_convention_page_shows_the_first_actions_of_an_axis_and_links_to_all(
    client, officer, cnsa
):
    convention = _full_convention(cnsa, officer, actions=29)  # 30 actions, 4 late reports each
    convention.axes.update(number=3)  # an axis number as conventions have them, whatever the run
    client.force_login(officer)

    response = client.get(reverse("backoffice:convention", args=[convention.pk]))

    page = response.content.decode()
    block = response.context["view"].dashboard.axes[0]
    assert (len(block.actions), block.action_count, block.more) == (20, 30, 10)
    assert block.planned == Decimal("890.00")  # 600 + 29 x 10, from every action
    assert "30 actions, prévu 890,00\u00a0€" in page
    number = block.axis.number
    axis_url = reverse("backoffice:axis_actions", args=[convention.pk, number])
    assert f'href="{axis_url}">Voir les 30 actions de l\'axe {number}</a>' in page
    assert "120 comptes rendus en retard, les 20 premiers ci-dessous" in page
    assert page.count("en retard depuis le") == 20
    assert reverse("backoffice:convention_late", args=[convention.pk]) in page


@pytest.mark.parametrize("actions", [1, 60])
def test_the_axis_page_pages_every_action_in_constant_queries(
    client, officer, cnsa, django_assert_num_queries, actions
):
    convention = _full_convention(cnsa, officer, actions=actions)
    client.force_login(officer)
    url = reverse("backoffice:axis_actions", args=[convention.pk, convention.axes.get().number])
    client.get(url)

    # session, user, scope, unread count, convention, axis with totals, count, page,
    # reports, calendar, indicators
    with django_assert_num_queries(11):
        response = client.get(url, {"page": 2})

    lines = response.context["lines"]
    assert response.context["page"].paginator.count == actions + 1
    assert len(lines) == (11 if actions == 60 else 2)
    assert response.context["axis"].planned == Decimal("600.00") + actions * Decimal("10.00")


def test_the_late_reports_page_pages_them_all(client, officer, cnsa):
    convention = _full_convention(cnsa, officer, actions=14)  # 15 actions, 4 late reports each
    client.force_login(officer)
    url = reverse("backoffice:convention_late", args=[convention.pk])

    first, second = client.get(url), client.get(url, {"page": 2})

    assert first.context["page"].paginator.count == 60
    assert len(first.context["page"].rows) == 50 and len(second.context["page"].rows) == 10


def test_a_partner_without_the_convention_cannot_open_its_axis_or_late_pages(client, officer, cnsa):
    convention = _full_convention(cnsa, officer, actions=1)
    client.force_login(UserFactory())

    number = convention.axes.get().number
    for name, args in (
        ("axis_actions", [convention.pk, number]),
        ("convention_late", [convention.pk]),
    ):
        assert client.get(reverse(f"backoffice:{name}", args=args)).status_code == 404


def test_the_history_page_pages_through_every_change(client, officer, cnsa):
    convention = _full_convention(cnsa, officer, actions=3)
    client.force_login(officer)

    response = client.get(reverse("backoffice:convention_history", args=[convention.pk]))

    entries = response.context["page"].rows
    # convention created + signed, 4 funding lines, 2 payments
    assert len(entries) == response.context["page"].paginator.count == 8
    assert entries[0].what == "Convention modifiée : Statut : Brouillon → Signée"
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
