"""The financing plan grid: all or nothing, refusals on their cell, amendments once signed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from conventions.models import Amendment, Convention
from financing.models import FundingLine
from tests.backoffice.conftest import build_plan
from tests.factories import FundingLineFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(convention) -> str:
    return reverse("backoffice:plan", args=[convention.pk])


def post_data(page_context, **cells) -> dict:
    grid = page_context["grid"]
    data = {"empreinte": grid.fingerprint, "financeur": [f.pk for f in grid.funders]}
    for row in grid.rows:
        for cell in row.cells:
            data[f"c-{cell.code}"] = cell.value
    data.update(cells)
    return data


def lines(convention) -> dict:
    rows = FundingLine.objects.filter(action__axis__convention=convention)
    return {(r.action_id, r.funder_id, r.year): r.amount for r in rows}


def test_the_grid_shows_every_action_funder_and_year_with_labelled_inputs(officer_client, cnsa):
    convention, actions = build_plan(cnsa, actions=4)
    FundingLineFactory(action=actions[0], funder=cnsa, year=2025, amount=Decimal("1250.50"))

    response = officer_client.get(url(convention))

    html = response.content.decode()
    code = f"{actions[0].pk}-{cnsa.pk}-2025"
    assert f'<label class="fr-sr-only" for="cell-{code}">' in html
    assert 'value="1250,50"' in html
    assert html.count('class="fr-input plan-input') == 4 * 2 * 3  # CNSA and the porteur, 3 years
    assert "1\u00a0250,50\u00a0€" in html
    assert "plan-gap" in html  # the plan does not reach the signed figures


def test_saving_writes_every_cell_and_the_convention_totals(officer_client, cnsa, ars):
    convention, actions = build_plan(cnsa, actions=2)
    page = officer_client.get(url(convention), {"financeur": ars.pk})
    a, b = actions
    data = post_data(
        page.context,
        **{
            f"c-{a.pk}-{cnsa.pk}-2024": "1 500,50",
            f"c-{a.pk}-{ars.pk}-2025": "499,50",
            f"c-{b.pk}-{convention.beneficiary_id}-2026": "1000",
        },
        reporter_totaux="1",
    )

    response = officer_client.post(url(convention), data)

    assert response.status_code == 302
    assert lines(convention) == {
        (a.pk, cnsa.pk, 2024): Decimal("1500.50"),
        (a.pk, ars.pk, 2025): Decimal("499.50"),
        (b.pk, convention.beneficiary_id, 2026): Decimal("1000.00"),
    }
    convention.refresh_from_db()
    assert (convention.total_cost, convention.cnsa_amount) == (
        Decimal("3000.00"),
        Decimal("1500.50"),
    )


def test_a_refused_cell_keeps_the_others_unsaved_and_says_why_on_the_cell(officer_client, cnsa):
    convention, (a, b) = build_plan(cnsa, actions=2)
    FundingLineFactory(action=a, funder=cnsa, year=2024, amount=Decimal("10.00"))
    page = officer_client.get(url(convention))
    bad = f"{b.pk}-{cnsa.pk}-2025"
    data = post_data(page.context, **{f"c-{a.pk}-{cnsa.pk}-2024": "20,00", f"c-{bad}": "-5"})

    response = officer_client.post(url(convention), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="err-{bad}">Le montant ne peut pas être négatif.</p>' in html
    assert f'aria-describedby="err-{bad}"' in html
    assert f'href="#cell-{bad}"' in html
    assert 'value="20,00"' in html  # the other entries are kept on screen
    assert lines(convention) == {(a.pk, cnsa.pk, 2024): Decimal("10.00")}


def test_an_unreadable_amount_is_refused_in_french_and_nothing_saved(officer_client, cnsa):
    convention, (a,) = build_plan(cnsa, actions=1)
    page = officer_client.get(url(convention))
    data = post_data(
        page.context,
        **{f"c-{a.pk}-{cnsa.pk}-2024": "12 000", f"c-{a.pk}-{cnsa.pk}-2025": "douze"},
    )

    response = officer_client.post(url(convention), data)

    assert "Saisissez un montant en euros, par exemple 1 250,50." in response.content.decode()
    assert lines(convention) == {}


def test_a_plan_changed_meanwhile_is_not_overwritten(officer_client, cnsa):
    convention, (a,) = build_plan(cnsa, actions=1)
    page = officer_client.get(url(convention))
    FundingLineFactory(action=a, funder=cnsa, year=2026, amount=Decimal("7.00"))

    response = officer_client.post(
        url(convention), post_data(page.context, **{f"c-{a.pk}-{cnsa.pk}-2024": "5"})
    )

    assert "Le plan a été modifié par quelqu" in response.content.decode()
    assert lines(convention) == {(a.pk, cnsa.pk, 2026): Decimal("7.00")}


def test_on_a_signed_convention_the_grid_prepares_an_amendment(officer_client, cnsa, officer):
    convention, (a,) = build_plan(cnsa, actions=1, status=Convention.Status.SIGNED)
    FundingLineFactory(action=a, funder=cnsa, year=2024, amount=Decimal("6000.00"))
    FundingLineFactory(
        action=a, funder=convention.beneficiary, year=2024, amount=Decimal("4000.00")
    )
    page = officer_client.get(url(convention))
    cell = f"c-{a.pk}-{cnsa.pk}-2025"

    preview = officer_client.post(
        url(convention), post_data(page.context, **{cell: "1000", "etape": "apercu"})
    )
    assert "Avenant à confirmer" in preview.content.decode()
    assert not Amendment.objects.exists() and len(lines(convention)) == 2

    missing = officer_client.post(
        url(convention),
        post_data(page.context, **{cell: "1000", "etape": "confirmer", "signed_on": "2025-03-01"}),
    )
    assert "Décrivez l&#x27;objet de l&#x27;avenant." in missing.content.decode()
    assert not Amendment.objects.exists()

    done = officer_client.post(
        url(convention),
        post_data(
            page.context,
            **{cell: "1000", "etape": "confirmer", "signed_on": "2025-03-01"},
            description="Prolongation de l'action en 2025.",
        ),
    )

    assert done.status_code == 302
    amendment = Amendment.objects.get()
    assert (amendment.previous_cnsa_amount, amendment.new_cnsa_amount) == (
        Decimal("6000.00"),
        Decimal("7000.00"),
    )
    assert amendment.signed_on == datetime.date(2025, 3, 1)
    assert amendment.created_by == officer
    assert lines(convention)[(a.pk, cnsa.pk, 2025)] == Decimal("1000.00")


def test_a_reader_sees_the_grid_without_inputs_and_cannot_post(client, cnsa):
    convention, (a,) = build_plan(cnsa, actions=1)
    reader = UserFactory(username="lecteur")
    MembershipFactory(user=reader, organisation=cnsa, role="reader")
    client.force_login(reader)

    page = client.get(url(convention))
    refused = client.post(url(convention), {f"c-{a.pk}-{cnsa.pk}-2024": "5"})

    assert page.status_code == 200 and "plan-input" not in page.content.decode()
    assert refused.status_code == 403
    assert lines(convention) == {}


def test_another_porteur_gets_a_404(client, cnsa):
    convention, _ = build_plan(cnsa, actions=1)
    stranger = UserFactory(username="autre")
    MembershipFactory(user=stranger, role="coordinator")
    client.force_login(stranger)

    assert client.get(url(convention)).status_code == 404


@pytest.mark.parametrize("actions", [3, 30])
def test_the_grid_takes_the_same_queries_whatever_its_size(
    officer_client, cnsa, ars, actions, django_assert_num_queries
):
    convention, made = build_plan(cnsa, actions=actions)
    for action in made:
        for year in (2024, 2025):
            FundingLineFactory(action=action, funder=ars, year=year)

    with django_assert_num_queries(11):
        response = officer_client.get(url(convention))

    assert response.status_code == 200
