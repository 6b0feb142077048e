"""Bad bodies are 400s in French; no constraint name ever reaches a user."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import CheckConstraint, UniqueConstraint
from rest_framework.test import APIClient

from conventions.authentication import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(officer):
    _, key = api_token_create(user=officer, name="corps", by=officer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "Corps JSON trop imbriqué : 32 niveaux au plus."),
        ("[" * 40 + "]" * 40, "Corps JSON trop imbriqué : 32 niveaux au plus."),
        ('{"title": "x"', "Corps JSON invalide (ligne 1, colonne 14)."),
        ('{"number": NaN}', "Corps JSON invalide : NaN n'est pas un nombre admis."),
    ],
)
def test_a_malformed_or_deeply_nested_body_is_a_french_400(api, body, message):
    response = api.post("/api/v1/axes/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": message}


def test_a_body_above_the_size_limit_is_a_400_not_a_500(api, settings):
    body = '{"title": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + '"}'

    response = api.post("/api/v1/axes/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", ["/api/v1/axes/999999/", "/api/v1/conventions/999999/"])
def test_an_unknown_object_is_non_trouve_without_the_model_name(api, path):
    response = api.get(path)

    assert (response.status_code, response.json()) == (404, {"detail": "Non trouvé."})


def test_an_empty_body_gets_french_field_messages(api):
    response = api.post("/api/v1/axes/", data="", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["title"] == ["Ce champ est obligatoire."]


def _our_constraints():
    for model in apps.get_models():
        if model._meta.app_label in {"conventions", "axes", "actions", "financing", "reporting"}:
            for constraint in model._meta.constraints:
                yield model, constraint


def test_every_check_or_conditional_constraint_speaks_french_without_its_name():
    for model, constraint in _our_constraints():
        if isinstance(constraint, CheckConstraint) or (
            isinstance(constraint, UniqueConstraint) and constraint.condition is not None
        ):
            message = str(constraint.violation_error_message or "")
            assert message, f"{model.__name__}.{constraint.name}"
            assert constraint.name not in message and "contrainte" not in message.lower()


def test_a_paid_payment_without_date_is_refused_in_french(convention):
    from django.core.exceptions import ValidationError

    from financing.models import Payment

    payment = Payment(convention=convention, kind="advance", amount=10, status="paid")

    with pytest.raises(ValidationError) as refused:
        payment.validate_constraints()

    assert "Un versement effectué doit avoir sa date de versement." in str(refused.value)
    assert "payment_paid_has_date" not in str(refused.value)
