"""Walk every route and method of the generated OpenAPI schema with another partner's credentials:
each answers 401 anonymous, 403/404 on the other's objects, and no list or total leaks a byte."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.core.files.base import ContentFile
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from actions.models import Attachment, Indicator, ProgressReport
from actions.services import message_post
from conventions.authentication import api_token_create
from conventions.models import Amendment, ApiToken
from reporting.models import Report
from tests.api.conftest import token_client


def schema_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method.upper())
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


OPERATIONS = schema_operations()


def objects_of(partner) -> dict[str, int]:
    """One object per resource, owned by the partner, keyed by the route's first segment."""
    a = partner
    token, _ = api_token_create(user=a.coordinator, name="A", by=a.coordinator)
    return {
        "organisations": a.org.pk,
        "conventions": a.convention.pk,
        "amendments": Amendment.objects.create(
            convention=a.convention,
            number=1,
            signed_on=datetime.date(2020, 1, 1),
            description=f"Avenant {a.org.name}",
            previous_total_cost=1,
            previous_cnsa_amount=1,
            previous_end_date=a.convention.end_date,
            new_total_cost=1,
            new_cnsa_amount=1,
            new_end_date=a.convention.end_date,
        ).pk,
        "axes": a.axis.pk,
        "actions": a.action.pk,
        "indicators": Indicator.objects.create(
            action=a.action, label=f"Indicateur {a.org.name}", unit="jours", target=1
        ).pk,
        "progress-reports": ProgressReport.objects.create(
            action=a.union_action,
            period_start=datetime.date(2019, 1, 1),
            period_end=datetime.date(2019, 12, 31),
            narrative=f"Bilan {a.org.name}",
        ).pk,
        "funding-lines": a.line.pk,
        "payments": a.payment.pk,
        "tokens": token.pk,
        "attachments": Attachment.objects.create(
            report=ProgressReport.objects.filter(action=a.union_action).first(),
            file=ContentFile(b"%PDF-1.4 secret", name="piece.pdf"),
            original_name=f"Pièce {a.org.name}.pdf",
            content_type="application/pdf",
            size=15,
        ).pk,
        "messages": message_post(
            action=a.union_action, by=a.coordinator, body=f"Message de {a.org.name}"
        ).pk,
        "reports": Report.objects.create(
            convention=a.convention,
            kind=Report.Kind.values[0],
            period_start=datetime.date(2019, 1, 1),
            period_end=datetime.date(2019, 12, 31),
            requested_by=a.coordinator,
        ).pk,
    }


def resource_of(path: str) -> str:
    return path.removeprefix("/api/v1/").split("/")[0]


def write_body(a, objects) -> dict:
    """A plausible body pointing at the other partner's objects."""
    return {
        "convention": a.convention.pk,
        "axis": a.axis.pk,
        "action": a.action.pk,
        "lead_organisation": a.org.pk,
        "beneficiary_id": a.org.pk,
        "user": a.coordinator.pk,
        "name": "intrus",
        "label": "intrus",
        "unit": "jours",
        "target": "1.00",
        "year": 2019,
        "amount": "1.00",
        "kind": "advance",
        "period_start": "2019-01-01",
        "period_end": "2019-12-31",
    }


def counts() -> dict[str, int]:
    from django.apps import apps

    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"conventions", "axes", "actions", "financing", "reporting"}
        and m is not ApiToken
    }


@pytest.fixture
def world(partners):
    a, b = partners
    return [
        (a, objects_of(a), [token_client(u) for u in (b.coordinator, b.reader, b.contributor)]),
        (b, objects_of(b), [token_client(u) for u in (a.coordinator, a.reader, a.contributor)]),
    ]


def url_for(path: str, objects: dict) -> str:
    url = path.replace("{id}", str(objects.get(resource_of(path), 0)))
    return re.sub(r"\{(\w+)_pk\}", lambda m: str(objects.get(f"{m.group(1)}s", 1)), url)


def test_the_schema_covers_every_resource_the_matrix_knows(world):
    _, objects, _ = world[0]
    resources = {resource_of(path) for path, _ in OPERATIONS} - {"totals"}
    assert resources <= set(objects)
    assert len(OPERATIONS) > 40


def test_another_partner_gets_404_or_403_on_every_route(world):
    for owner, objects, intruders in world:
        body = json.dumps(write_body(owner, objects))
        for path, method in OPERATIONS:
            url = url_for(path, objects)
            for client in intruders:
                before = counts()
                response = client.generic(method, url, data=body, content_type="application/json")
                where = (method, url, response.status_code, response.content[:200])
                if "{id}" in path:
                    # 415: a multipart-only route refuses the JSON body before reading anything
                    expected = {404} if method == "GET" else {403, 404, 415}
                    assert response.status_code in expected, where
                elif method == "GET":
                    assert response.status_code == 200, where
                    assert owner.org.name not in response.content.decode(), where
                    ids = [row.get("id") for row in response.json()["results"]]
                    assert objects.get(resource_of(path), "none") not in ids, where
                else:
                    # 409: the body names the owner's objects, unknown to the intruder
                    assert response.status_code in {400, 403, 404, 409}, where
                assert counts() == before, where


def test_anonymous_requests_get_401_on_every_route(partners):
    for path, method in OPERATIONS:
        response = APIClient().generic(method, url_for(path, {}))

        assert response.status_code == 401, (method, path)
        assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "group_by",
    ["", "convention", "convention,axis,action", "beneficiary,funder,year", "departement"],
)
def test_totals_show_none_of_the_other_partners_money(world, group_by):
    for owner, _, intruders in world:
        for client in intruders:
            response = client.get("/api/v1/totals/", {"group_by": group_by})
            assert response.status_code == 200
            assert owner.org.name not in response.content.decode()
            rows = response.json()["results"]
            assert owner.convention.pk not in [r.get("convention") for r in rows]
            filtered = client.get("/api/v1/totals/", {"convention": owner.convention.pk})
            assert filtered.json()["results"][0]["planned"] == "0.00"
