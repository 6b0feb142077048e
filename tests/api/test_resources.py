"""The resources: contract shapes, writes through the services (same refusals as the admin),
roles, tokens, throttling, and no 500 whatever the client sends."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from axes.models import Axis
from conventions.models import ApiToken, Convention
from financing.models import FundingLine, Payment
from tests.api.conftest import token_client
from tests.factories import ActionFactory, AxisFactory, ConventionFactory, OrganisationFactory


def test_a_convention_item_carries_the_contract_fields(officer_api, partners):
    a, _ = partners

    response = officer_api.get("/api/v1/conventions/", {"beneficiary": a.org.pk})

    assert response.json()["count"] == 1
    item = response.json()["results"][0]
    assert {
        k: item[k]
        for k in (
            "id",
            "reference",
            "title",
            "beneficiary",
            "start_date",
            "end_date",
            "status",
            "total_cost",
            "cnsa_amount",
            "cnsa_rate",
            "planned",
            "cnsa_planned",
            "paid",
            "spent",
        )
    } == {
        "id": a.convention.pk,
        "reference": "REF Partenaire A",
        "title": "Programme Partenaire A",
        "beneficiary": {"id": a.org.pk, "name": "Partenaire A", "siret": a.org.siret},
        "start_date": "2019-01-01",
        "end_date": "2022-12-31",
        "status": "signed",
        "total_cost": "100000.00",
        "cnsa_amount": "60000.00",
        "cnsa_rate": "60.00",
        "planned": "1250.00",
        "cnsa_planned": "1250.00",
        "paid": "300.00",
        "spent": "0.00",
    }


def test_lists_are_paginated_and_ordered(officer_api, partners):
    response = officer_api.get("/api/v1/conventions/", {"ordering": "-reference"})

    body = response.json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert [c["reference"] for c in body["results"]] == ["REF Partenaire B", "REF Partenaire A"]


def test_filters_by_departement_year_and_dates(officer_api, partners):
    a, b = partners
    lines = officer_api.get("/api/v1/funding-lines/", {"departement": "38"}).json()
    assert [line["action"] for line in lines["results"]] == [b.union_action.pk]
    assert officer_api.get("/api/v1/conventions/", {"year": 2023}).json()["count"] == 0
    assert officer_api.get("/api/v1/conventions/", {"year": 2020}).json()["count"] == 2
    payments = officer_api.get(
        "/api/v1/payments/", {"paid_after": "2019-01-01", "convention": a.convention.pk}
    )
    assert [p["id"] for p in payments.json()["results"]] == [a.payment.pk]


def test_an_officer_creates_a_convention_through_the_service(officer_api, cnsa):
    porteur = OrganisationFactory(name="Métropole de Lyon", kind="metropole")

    response = officer_api.post(
        "/api/v1/conventions/",
        {
            "reference": "CNSA-LYON-2016",
            "title": "Modernisation de l'aide à domicile",
            "funder": cnsa.pk,
            "beneficiary_id": porteur.pk,
            "start_date": "2016-01-01",
            "end_date": "2017-12-31",
            "total_cost": "801500.00",
            "cnsa_amount": "427750.00",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["cnsa_rate"] == "53.37"
    assert response.json()["status"] == "draft"
    assert (
        Convention.history.filter(reference="CNSA-LYON-2016").first().history_user.username
        == "officer"
    )


def test_a_refused_write_answers_409_with_the_services_french_message(officer_api, cnsa):
    porteur = OrganisationFactory(name="Porteur", kind="national_union")
    payload = {
        "reference": "CNSA-X",
        "title": "X",
        "funder": porteur.pk,
        "beneficiary_id": porteur.pk,
        "start_date": "2020-01-01",
        "end_date": "2019-01-01",
        "total_cost": "100.00",
        "cnsa_amount": "200.00",
    }

    response = officer_api.post("/api/v1/conventions/", payload, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "end_date": ["La fin de la convention doit suivre son début."],
        "cnsa_amount": ["Le montant CNSA ne peut pas dépasser le coût global."],
        "beneficiary": ["Le porteur doit être distinct du financeur."],
    }
    assert not Convention.objects.filter(reference="CNSA-X").exists()


def test_a_signed_conventions_amounts_change_only_by_amendment(officer_api, partners):
    a, _ = partners

    response = officer_api.patch(
        f"/api/v1/conventions/{a.convention.pk}/", {"cnsa_amount": "1.00"}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {
        "cnsa_amount": ["La convention est signée : ce champ ne se modifie que par un avenant."]
    }
    a.convention.refresh_from_db()
    assert a.convention.cnsa_amount == Decimal("60000.00")


def test_a_payment_above_the_cnsa_amount_is_refused_and_not_saved(officer_api, partners):
    a, _ = partners

    response = officer_api.post(
        "/api/v1/payments/",
        {
            "convention": a.convention.pk,
            "kind": "instalment",
            "amount": "59800.00",
            "status": "paid",
            "paid_on": "2020-03-01",
        },
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["amount"] == [
        "Ce versement porterait le total versé à 60\u00a0100,00\u00a0€, au-delà du montant CNSA "
        "de 60\u00a0000,00\u00a0€ (dépassement de 100,00\u00a0€)."
    ]
    assert Payment.objects.filter(convention=a.convention).count() == 1


def test_workflow_actions_sign_approve_and_close(officer_api, cnsa):
    convention = ConventionFactory(funder=cnsa, status="draft", signature_date=None)
    url = f"/api/v1/conventions/{convention.pk}"

    refused = officer_api.post(f"{url}/close/")
    signed = officer_api.post(f"{url}/sign/", {"signed_on": "2019-02-01"}, format="json")
    approved = officer_api.post(
        f"{url}/approve-final-report/", {"approved_on": "2023-03-01"}, format="json"
    )
    closed = officer_api.post(f"{url}/close/")

    assert refused.status_code == 409
    assert refused.json() == {"status": ["Seule une convention signée peut être clôturée."]}
    assert (signed.json()["status"], signed.json()["signature_date"]) == ("signed", "2019-02-01")
    assert approved.json()["final_report_approved_on"] == "2023-03-01"
    assert closed.json()["status"] == "closed"


def test_a_closed_conventions_axes_cannot_be_deleted(officer_api, cnsa):
    axis = AxisFactory(convention=ConventionFactory(funder=cnsa, status="closed"))

    response = officer_api.delete(f"/api/v1/axes/{axis.pk}/")

    assert response.status_code == 409
    assert response.json() == {"convention": ["La convention est clôturée : ses axes sont figés."]}
    assert Axis.objects.filter(pk=axis.pk).exists()


def test_a_funding_line_is_created_and_deleted_by_an_officer(officer_api, partners, cnsa):
    a, _ = partners

    created = officer_api.post(
        "/api/v1/funding-lines/",
        {"action": a.action.pk, "funder": cnsa.pk, "year": 2020, "amount": "12.34"},
        format="json",
    )
    duplicate = officer_api.post(
        "/api/v1/funding-lines/",
        {"action": a.action.pk, "funder": cnsa.pk, "year": 2020, "amount": "1.00"},
        format="json",
    )
    outside = officer_api.post(
        "/api/v1/funding-lines/",
        {"action": a.action.pk, "funder": cnsa.pk, "year": 2030, "amount": "1.00"},
        format="json",
    )
    deleted = officer_api.delete(f"/api/v1/funding-lines/{created.json()['id']}/")

    assert created.status_code == 201
    assert created.json()["amount"] == "12.34"
    assert duplicate.status_code == 409
    assert outside.json() == {
        "year": ["L'année doit être comprise dans la convention (2019-2022)."]
    }
    assert deleted.status_code == 204
    assert FundingLine.objects.filter(action=a.action).count() == 1


def test_partners_read_but_never_write(partners):
    a, _ = partners
    client = token_client(a.coordinator)

    read = client.get(f"/api/v1/conventions/{a.convention.pk}/")
    write = client.patch(f"/api/v1/conventions/{a.convention.pk}/", {"title": "x"}, format="json")

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json() == {"detail": "Vous n'avez pas la permission d'effectuer cette action."}
    a.convention.refresh_from_db()
    assert a.convention.title == "Programme Partenaire A"


def test_anonymous_gets_401_with_the_token_challenge(partners):
    response = APIClient().get("/api/v1/conventions/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_or_wrong_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")

    response = client.get("/api/v1/conventions/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Jeton invalide ou révoqué."}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/conventions/99999999999999999999999/",
        "/api/v1/conventions/abc/",
        "/api/v1/conventions/1.5/",
        "/api/v1/conventions/?funder=99999999999999999999999",
        "/api/v1/conventions/?start_after=2020-13-45",
        "/api/v1/conventions/?year=1e9",
        "/api/v1/conventions/?page=999",
        "/api/v1/conventions/?page=-1",
        "/api/v1/conventions/?ordering=nonexistent",
        "/api/v1/funding-lines/?departement=%00",
        "/api/v1/conventions/?reference=%00",
        "/api/v1/totals/?group_by=%00",
        "/api/v1/nowhere/",
    ],
)
def test_bad_input_never_causes_a_500(officer_api, partners, url):
    response = officer_api.get(url)

    assert response.status_code in {200, 400, 404}
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "payload",
    [
        {"action": 99999999999999999999, "funder": 1, "year": 2020, "amount": "1.00"},
        {"action": True, "funder": 1, "year": 2020, "amount": "1.00"},
        {"action": 1, "funder": 1, "year": 99999999, "amount": "1.00"},
        {"action": 1, "funder": 1, "year": 2020, "amount": "1e400"},
        {"action": 1, "funder": 1, "year": 2020, "amount": "NaN"},
        {"action": 1, "funder": 1, "year": 2020, "amount": "-5.00"},
        {"action": "un", "funder": [1], "year": "deux", "amount": {"x": 1}},
    ],
)
def test_bad_bodies_are_400_not_500(officer_api, partners, payload):
    before = FundingLine.objects.count()

    response = officer_api.post("/api/v1/funding-lines/", payload, format="json")

    assert response.status_code == 400
    assert FundingLine.objects.count() == before


def test_far_dates_are_refused_before_any_date_arithmetic(officer_api, cnsa):
    porteur = OrganisationFactory(name="Porteur lointain", kind="metropole")

    response = officer_api.post(
        "/api/v1/conventions/",
        {
            "reference": "FAR",
            "title": "Far",
            "funder": cnsa.pk,
            "beneficiary_id": porteur.pk,
            "start_date": "2020-01-01",
            "end_date": "9999-12-31",
            "total_cost": "1.00",
            "cnsa_amount": "1.00",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "end_date": ["La date doit être comprise entre le 01/01/1990 et le 31/12/2199."]
    }


def test_a_user_creates_lists_and_revokes_their_own_token(partners):
    a, b = partners
    client = token_client(a.coordinator)

    created = client.post("/api/v1/tokens/", {"name": "tableau de bord"}, format="json")
    key = created.json()["key"]
    listed = client.get("/api/v1/tokens/").json()
    other = client.post("/api/v1/tokens/", {"name": "x", "user": b.coordinator.pk}, format="json")
    revoked = client.post(f"/api/v1/tokens/{created.json()['id']}/revoke/")
    with_revoked = APIClient()
    with_revoked.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert created.status_code == 201
    assert created.json()["prefix"] == key[:8]
    assert ApiToken.objects.get(pk=created.json()["id"]).key_hash != key  # stored hashed
    assert "key" not in listed["results"][0]
    assert {t["user"] for t in listed["results"]} == {a.coordinator.pk}
    assert other.status_code == 403
    assert revoked.json()["revoked_at"] is not None
    assert with_revoked.get("/api/v1/conventions/").status_code == 401


def test_an_officer_creates_and_revokes_anyones_token(officer_api, partners):
    a, _ = partners

    created = officer_api.post(
        "/api/v1/tokens/", {"name": "UNCCAS", "user": a.reader.pk}, format="json"
    )
    revoked = officer_api.post(f"/api/v1/tokens/{created.json()['id']}/revoke/")

    assert created.status_code == 201
    assert ApiToken.objects.get(pk=created.json()["id"]).user == a.reader
    assert revoked.status_code == 200


def test_a_throttled_client_is_told_when_to_retry(partners, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"user_read": "3/minute", "user_write": "3/minute", "anon": "3/minute"},
    )
    a, _ = partners
    client = token_client(a.coordinator)

    statuses = [client.get("/api/v1/axes/").status_code for _ in range(4)]
    throttled = client.get("/api/v1/axes/")

    assert statuses == [200, 200, 200, 429]
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert throttled.json()["detail"].startswith("Requête ralentie")


def test_a_client_s_budget_is_one_counter_in_the_cache(officer):
    from django.core.cache import cache

    client = token_client(officer)
    for _ in range(3):
        assert client.get("/api/v1/axes/").status_code == 200

    assert cache.get(f"throttle_user_read_{officer.pk}:n") == 3
    assert cache.get(f"throttle_user_read_{officer.pk}") is None  # no list of request times


def test_writes_have_their_own_tighter_budget(officer, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"user_read": "100/minute", "user_write": "1/minute", "anon": "3/minute"},
    )
    client = token_client(officer)

    first = client.post("/api/v1/conventions/", {}, format="json")
    second = client.post("/api/v1/conventions/", {}, format="json")
    read = client.get("/api/v1/conventions/")

    assert (first.status_code, second.status_code, read.status_code) == (400, 429, 200)


def test_the_schema_and_the_docs_are_served_locally(officer_api):
    schema = officer_api.get("/api/schema/", {"format": "json"})
    docs = officer_api.get("/api/docs/")

    assert schema.status_code == 200
    assert "/api/v1/totals/" in schema.json()["paths"]
    assert docs.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs.content
    assert b"cdn" not in docs.content.lower()


def test_an_amendment_is_recorded_with_the_figures_before_and_after(officer_api, partners):
    a, _ = partners

    response = officer_api.post(
        "/api/v1/amendments/",
        {
            "convention": a.convention.pk,
            "signed_on": "2020-06-01",
            "description": "Report de la fin",
            "end_date": "2023-06-30",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["previous_end_date"], response.json()["new_end_date"]) == (
        "2022-12-31",
        "2023-06-30",
    )
    a.convention.refresh_from_db()
    assert a.convention.end_date == datetime.date(2023, 6, 30)


def test_a_union_sees_its_actions_but_not_its_partners(partners):
    a, _ = partners
    client = token_client(a.contributor)

    actions = client.get("/api/v1/actions/").json()["results"]
    payments = client.get("/api/v1/payments/").json()["results"]

    assert [x["id"] for x in actions] == [a.union_action.pk]
    assert payments == []
    assert ActionFactory._meta.model.objects.count() == 4


def test_the_browser_session_works_and_writes_need_the_csrf_token(officer, partners):
    a, _ = partners
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer)

    read = client.get(f"/api/v1/conventions/{a.convention.pk}/")
    write = client.patch(f"/api/v1/conventions/{a.convention.pk}/", {"title": "x"}, format="json")

    assert read.status_code == 200
    assert write.status_code == 403
    assert "CSRF" in write.json()["detail"]


def test_a_union_sees_the_convention_header_but_not_the_whole_conventions_money(partners):
    a, _ = partners
    client = token_client(a.contributor)

    [item] = client.get("/api/v1/conventions/").json()["results"]

    assert (item["reference"], item["cnsa_amount"]) == ("REF Partenaire A", "60000.00")
    assert [item[k] for k in ("planned", "cnsa_planned", "paid", "spent")] == [None] * 4
    own_share = client.get("/api/v1/totals/").json()["results"][0]
    assert own_share["planned"] == "250.00"


def test_a_write_answers_with_the_computed_totals_too(officer_api, partners):
    a, _ = partners

    response = officer_api.patch(
        f"/api/v1/conventions/{a.convention.pk}/", {"title": "Nouveau titre"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["title"], response.json()["planned"]) == ("Nouveau titre", "1250.00")
