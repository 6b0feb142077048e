"""The officers' import page: template, preview, confirmation; refusals leave everything as it was."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conventions.models import Amendment
from financing.models import FundingLine
from tests.factories import MembershipFactory, UserFactory
from tests.financing.plan_files import edited, small_convention, template

pytestmark = pytest.mark.django_db
PLAN = "Plan de financement"


@pytest.fixture
def small(cnsa):
    return small_convention(cnsa)


def _upload(data):
    data.name = "plan rempli.xlsx"
    return data


def _amounts():
    return sorted(FundingLine.objects.values_list("action_id", "funder_id", "year", "amount"))


def test_the_page_offers_both_templates_and_the_upload(client, officer, small):
    client.force_login(officer)

    page = client.get(f"/conventions/{small.pk}/plan-de-financement/import/")
    xlsx = client.get(f"/conventions/{small.pk}/plan-de-financement/modele.xlsx")
    ods = client.get(f"/conventions/{small.pk}/plan-de-financement/modele.ods")

    assert page.status_code == 200
    text = page.content.decode()
    assert "Modèle Excel (XLSX)" in text and 'type="file"' in text
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        ods.content[:2] == b"PK"
        and ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    )


def test_the_convention_page_links_officers_to_the_import(client, officer, small):
    client.force_login(officer)

    text = client.get(f"/conventions/{small.pk}/").content.decode()

    assert f"/conventions/{small.pk}/plan-de-financement/import/" in text


def test_preview_then_confirm_applies_with_an_amendment(client, officer, small):
    client.force_login(officer)
    before = _amounts()

    preview = client.post(
        f"/conventions/{small.pk}/plan-de-financement/import/",
        {"file": _upload(edited(template(small), PLAN, E2=1500, E4=None))},
    )

    assert preview.status_code == 200
    text = preview.content.decode().replace("\u00a0", " ")
    assert "Lignes modifiées (1)" in text and "Lignes supprimées (1)" in text
    assert "1 000,00 €" in text and "1 500,00 €" in text
    assert "avenant" in text
    assert _amounts() == before
    form = preview.context["form"]

    done = client.post(
        f"/conventions/{small.pk}/plan-de-financement/import/appliquer/",
        {
            "token": form.initial["token"],
            "fingerprint": form.initial["fingerprint"],
            "signed_on": "15/03/2020",
            "description": "Avenant n° 1 : plan révisé",
        },
    )

    assert done.status_code == 302 and done["Location"] == f"/conventions/{small.pk}/"
    amendment = Amendment.objects.get(convention=small)
    assert (amendment.new_total_cost, amendment.new_cnsa_amount) == (
        Decimal("3500.00"),
        Decimal("1500.00"),  # CNSA: +500 on action 1.1, -1 000 on action 1.2
    )
    assert str(amendment.signed_on) == "2020-03-15"
    assert FundingLine.objects.filter(amount=Decimal("1500.00")).count() == 1
    again = client.post(
        f"/conventions/{small.pk}/plan-de-financement/import/appliquer/",
        {"token": form.initial["token"], "fingerprint": form.initial["fingerprint"]},
    )
    assert again.status_code == 302 and Amendment.objects.count() == 1


def test_a_bad_file_shows_each_error_and_saves_nothing(client, officer, small):
    client.force_login(officer)
    before = _amounts()

    response = client.post(
        f"/conventions/{small.pk}/plan-de-financement/import/",
        {"file": _upload(edited(template(small), PLAN, E2="abc", B4="9.9"))},
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "Fichier refusé : 2 erreurs" in text
    assert "<td>E2</td>" in text and "<td>B4</td>" in text
    assert "Appliquer ces changements" not in text
    assert _amounts() == before


def test_a_stale_preview_is_refused_on_confirmation(client, officer, small):
    client.force_login(officer)
    preview = client.post(
        f"/conventions/{small.pk}/plan-de-financement/import/",
        {"file": _upload(edited(template(small), PLAN, E2=1500))},
    )
    form = preview.context["form"]
    FundingLine.objects.filter(year=2019).update(amount=Decimal("900.00"))

    response = client.post(
        f"/conventions/{small.pk}/plan-de-financement/import/appliquer/",
        {"token": form.initial["token"], "fingerprint": form.initial["fingerprint"]},
    )

    assert response.status_code == 400
    assert "Le plan de financement a changé depuis l" in response.content.decode()
    assert not FundingLine.objects.filter(amount=Decimal("1500.00")).exists()


def test_only_officers_import(client, cnsa, small):
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=small.beneficiary, role="coordinator")
    stranger = UserFactory()
    MembershipFactory(user=stranger, role="coordinator")

    client.force_login(coordinator)
    refused = client.get(f"/conventions/{small.pk}/plan-de-financement/import/")
    posted = client.post(
        f"/conventions/{small.pk}/plan-de-financement/import/",
        {"file": _upload(edited(template(small), PLAN, E2=1500))},
    )
    client.force_login(stranger)
    hidden = client.get(f"/conventions/{small.pk}/plan-de-financement/import/")

    assert (refused.status_code, posted.status_code, hidden.status_code) == (403, 403, 404)
