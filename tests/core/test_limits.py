"""Free text is bounded: too long is refused in French by service, API and page, nothing saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from actions.models import ProgressReport
from actions.services import ValueEntry, progress_report_return, progress_report_update
from axes.models import Axis
from conventions.authentication import api_token_create
from core.limits import LONG_TEXT_MAX_LENGTH, NARRATIVE_MAX_LENGTH, too_long_message
from tests.actions.world import build_world
from tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db
NARRATIVE_REFUSAL = (
    "Ce texte ne doit pas dépasser 10\u202f000 caractères (il en compte 10\u202f001)."
)


@pytest.fixture
def world(db):
    return build_world()


def test_the_message_gives_the_bound_and_the_count():
    assert too_long_message(NARRATIVE_MAX_LENGTH, NARRATIVE_MAX_LENGTH + 1) == NARRATIVE_REFUSAL


def test_the_service_refuses_a_narrative_one_character_too_long(world):
    report = ProgressReportFactory(action=world.action69)

    with pytest.raises(ValidationError) as refused:
        progress_report_update(
            report=report,
            by=world.contributor69,
            version=report.version,
            narrative="x" * (NARRATIVE_MAX_LENGTH + 1),
            values=[ValueEntry(world.indicator69.pk, Decimal("6"))],
            spendings=[],
        )

    assert refused.value.message_dict == {"narrative": [NARRATIVE_REFUSAL]}
    report.refresh_from_db()
    assert (report.narrative, report.version) == ("", 1)


def test_a_narrative_at_the_bound_is_kept(world):
    report = ProgressReportFactory(action=world.action69)

    progress_report_update(
        report=report,
        by=world.contributor69,
        version=report.version,
        narrative="x" * NARRATIVE_MAX_LENGTH,
        values=[],
        spendings=[],
    )

    assert len(ProgressReport.objects.get(pk=report.pk).narrative) == NARRATIVE_MAX_LENGTH


def test_a_return_comment_too_long_is_refused_and_the_report_stays_submitted(world):
    report = ProgressReportFactory(action=world.action69, status="submitted", narrative="Fait.")

    with pytest.raises(ValidationError) as refused:
        progress_report_return(
            report=report, by=world.officer, comment="n" * (LONG_TEXT_MAX_LENGTH + 1)
        )

    assert refused.value.message_dict == {
        "comment": [
            "Ce texte ne doit pas dépasser 5\u202f000 caractères (il en compte 5\u202f001)."
        ]
    }
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"


def test_the_page_refuses_a_narrative_too_long_and_saves_nothing(client, world):
    client.force_login(world.contributor69)
    data = {
        "period": "2019",
        f"value_{world.indicator69.pk}": "6",
        f"comment_{world.indicator69.pk}": "",
        f"spending_{world.cnsa.pk}": "",
        "spending_none": "",
        "narrative": "x" * (NARRATIVE_MAX_LENGTH + 1),
    }

    response = client.post(reverse("actions:report_create", args=[world.action69.pk]), data)

    assert response.status_code in {200, 400}
    assert "10\u202f000" in response.content.decode() or "10000" in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_the_api_refuses_an_axis_objective_too_long(world):
    _, key = api_token_create(user=world.officer, name="longueur", by=world.officer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    before = Axis.objects.count()

    response = api.post(
        "/api/v1/axes/",
        {
            "convention": world.convention.pk,
            "number": 9,
            "title": "Axe trop bavard",
            "objective": "o" * (LONG_TEXT_MAX_LENGTH + 1),
        },
        format="json",
    )

    assert response.status_code == 400
    assert "objective" in response.json()
    assert Axis.objects.count() == before
