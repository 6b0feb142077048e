"""The API contract, property by property: what the served schemathesis run found once, pinned down
so that each can fail on its own (summaries, documented errors, nullable fields, JSON everywhere
under /api/, filters that refuse bad values, 404 for another partner's objects)."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from actions.models import ProgressReport
from tests.api.conftest import token_client
from tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def json_schema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema says it, to validate answers with jsonschema."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


# --- the schema ---------------------------------------------------------------------------------


def test_every_operation_has_a_french_summary(schema):
    missing = [f"{m} {p}" for m, p, op in operations(schema) if not op.get("summary")]

    assert not missing
    summaries = {op["summary"] for _, _, op in operations(schema)}
    assert "Conventions : liste" in summaries
    assert "Signer la convention" in summaries
    assert "Totaux du plan de financement" in summaries
    assert {"Messages : liste", "Écrire un message", "Marquer le fil lu jusqu'à ce message"} <= (
        summaries
    )
    assert "Rouvrir un compte rendu approuvé pour correction" in summaries


def test_every_operation_documents_its_error_answers(schema):
    undocumented = []
    for method, path, op in operations(schema):
        expected = {"401", "403", "429", "400"}
        if "{" in path or method == "GET":
            expected.add("404")
        if method == "DELETE":
            expected.add("409")
        if method in ("POST", "PUT", "PATCH") and "requestBody" in op:
            expected.add("415")
        missing = expected - set(op["responses"])
        if missing:
            undocumented.append(f"{method} {path}: {sorted(missing)}")
        for code, answer in op["responses"].items():
            if code.startswith("4"):
                assert answer["description"], (method, path, code)

    assert not undocumented


def test_the_report_download_documents_its_409(schema):
    responses = schema["paths"]["/api/v1/reports/{id}/download/"]["get"]["responses"]

    assert "409" in responses


def test_request_bodies_are_json_but_the_file_uploads(schema):
    kinds = {
        (method, path): set(op["requestBody"]["content"])
        for method, path, op in operations(schema)
        if "requestBody" in op
    }

    for upload in (
        ("POST", "/api/v1/progress-reports/{id}/attachments/"),
        ("POST", "/api/v1/messages/{id}/attachments/"),
        ("POST", "/api/v1/conventions/{id}/plan-import/"),
        ("POST", "/api/v1/conventions/{id}/plan-import/dry-run/"),
    ):
        assert kinds.pop(upload) == {"multipart/form-data"}
    assert {frozenset(k) for k in kinds.values()} == {frozenset({"application/json"})}


def test_decimal_patterns_refuse_what_the_api_refuses(schema):
    import re

    amount = schema["components"]["schemas"]["PaymentRequest"]["properties"]["amount"]
    pattern = re.compile(amount["pattern"])

    assert pattern.search("427750.00") and pattern.search("5") and pattern.search(".5")
    assert not pattern.search("") and not pattern.search(".") and not pattern.search("-1")


def test_a_patch_of_a_progress_report_requires_its_version(schema):
    patched = schema["components"]["schemas"]["PatchedProgressReportUpdateRequest"]
    created = schema["components"]["schemas"]["ProgressReportRequest"]

    assert "version" in patched["required"]
    assert "version" not in created.get("required", [])


# --- answers against the schema -----------------------------------------------------------------


def test_a_draft_report_is_served_as_its_schema_says(schema, officer, convention):
    report = ProgressReportFactory(action__axis__convention=convention, status="draft")
    assert report.submitted_by is None

    body = token_client(officer).get(f"/api/v1/progress-reports/{report.pk}/").json()

    component = {"$ref": "#/components/schemas/ProgressReport", **json_schema(schema)}
    errors = list(Draft202012Validator(component).iter_errors(body))
    assert body["submitted_by"] is None and body["reviewed_by"] is None
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/axes/%0A/",
        "/api/v1/nexiste-pas/",
        "/api/",
        "/api/v1/conventions/abc/sign/",
        "/api/v2/conventions/",
    ],
)
def test_any_api_address_answers_json(officer, path):
    response = token_client(officer).get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_an_anonymous_caller_gets_json_too(db):
    response = APIClient().get("/api/v1/axes/%0A/")

    assert response["Content-Type"] == "application/json"
    assert response.status_code in (401, 404)


# --- filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("/api/v1/axes/?number=0.5", "number", "Saisissez un nombre entier."),
        ("/api/v1/axes/?convention=1.5", "convention", "Saisissez un nombre entier."),
        ("/api/v1/funding-lines/?year=2020.5", "year", "Saisissez un nombre entier."),
        ("/api/v1/axes/?ordering=secret", "ordering", "Tri inconnu : « secret »."),
        ("/api/v1/conventions/?reference=", "reference", "Ce paramètre ne peut pas être vide."),
        ("/api/v1/payments/?status=", "status", "Ce paramètre ne peut pas être vide."),
        ("/api/v1/conventions/?columns=%C2%84", "columns", "Colonne inconnue"),
    ],
)
def test_filters_refuse_invalid_values_in_french(officer, query, field, message):
    response = token_client(officer).get(query)

    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()[field])


def test_totals_refuse_a_repeated_grouping_key(officer):
    response = token_client(officer).get("/api/v1/totals/?group_by=year,year")

    assert response.status_code == 400
    assert "répétée" in response.json()["group_by"][0]


def test_a_valid_sort_is_applied(officer, partners):
    api = token_client(officer)

    ids = [a["id"] for a in api.get("/api/v1/axes/?ordering=-id").json()["results"]]

    assert ids == sorted(ids, reverse=True) and len(ids) == 2


# --- another partner's objects ------------------------------------------------------------------


def _foreign_routes(other):
    return [
        f"/api/v1/conventions/{other.convention.pk}/",
        f"/api/v1/axes/{other.axis.pk}/",
        f"/api/v1/actions/{other.action.pk}/",
        f"/api/v1/funding-lines/{other.line.pk}/",
        f"/api/v1/payments/{other.payment.pk}/",
    ]


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_partners_object_is_404_for_every_method(partners, method):
    mine, other = partners
    api = token_client(mine.coordinator)

    for route in _foreign_routes(other):
        response = getattr(api, method)(route, {}, format="json")
        assert response.status_code == 404, (method, route, response.status_code)
        assert response.json() == {"detail": "Non trouvé."}


@pytest.mark.parametrize("action", ["sign", "close", "approve-final-report"])
def test_another_partners_convention_transitions_are_404(partners, action):
    mine, other = partners

    response = token_client(mine.coordinator).post(
        f"/api/v1/conventions/{other.convention.pk}/{action}/", {}, format="json"
    )

    assert response.status_code == 404


def test_another_partners_messages_answer_404(partners):
    mine, other = partners
    from actions.services import message_post

    message = message_post(action=other.action, by=other.coordinator, body="Bonjour")
    api = token_client(mine.coordinator)

    for method, route in (
        ("get", f"/api/v1/messages/{message.pk}/"),
        ("post", f"/api/v1/messages/{message.pk}/read/"),
        ("post", f"/api/v1/messages/{message.pk}/attachments/"),
        ("get", f"/api/v1/messages/{message.pk}/attachments/1/"),
    ):
        response = getattr(api, method)(route)
        assert response.status_code == 404, (method, route, response.status_code)
        assert response.json() == {"detail": "Non trouvé."}


def test_a_message_cannot_be_written_on_another_partners_action(partners):
    mine, other = partners

    response = token_client(mine.coordinator).post(
        "/api/v1/messages/", {"action": other.action.pk, "body": "Bonjour"}, format="json"
    )

    assert response.status_code == 409
    assert "action" in response.json()


def test_another_partners_report_refuses_an_upload_with_404_before_reading_it(partners):
    mine, other = partners
    report = ProgressReportFactory(action=other.action, status=ProgressReport.Status.DRAFT)

    response = token_client(mine.coordinator).post(
        f"/api/v1/progress-reports/{report.pk}/attachments/", {}, format="json"
    )

    assert response.status_code == 404


def test_my_own_object_is_a_403_for_a_partner_who_may_not_write_it(partners):
    mine, _ = partners

    response = token_client(mine.coordinator).patch(
        f"/api/v1/conventions/{mine.convention.pk}/", {"title": "x"}, format="json"
    )

    assert response.status_code == 403


def test_revoking_a_token_is_refused_for_another_users_token(partners):
    mine, other = partners
    from conventions.authentication import api_token_create

    token, _ = api_token_create(user=other.coordinator, name="autre", by=other.coordinator)

    response = token_client(mine.coordinator).post(f"/api/v1/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
