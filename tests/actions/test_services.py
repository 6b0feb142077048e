"""action_save and indicator_save; the progress-report workflow is in test_services_progress.py."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from actions.models import Action, Indicator
from actions.services import action_save, indicator_save
from tests.factories import ActionFactory, AxisFactory, ConventionFactory

pytestmark = pytest.mark.django_db


def _action(axis, **fields) -> Action:
    values = {
        "code": "1.1",
        "title": "Accompagnement des services",
        "lead_organisation": axis.convention.beneficiary,
        "start_date": datetime.date(2019, 1, 1),
        "end_date": datetime.date(2022, 12, 31),
    } | fields
    return Action(axis=axis, **values)


def test_an_action_is_saved_with_who_saved_it(convention, officer):
    axis = AxisFactory(convention=convention)

    action = action_save(action=_action(axis), by=officer)

    assert Action.objects.get().code == "1.1"
    assert action.history.latest().history_user == officer


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"start_date": datetime.date(2018, 12, 31)},
            "start_date",
            "L'action ne peut commencer avant la convention (01/01/2019).",
        ),
        (
            {"end_date": datetime.date(2023, 1, 1)},
            "end_date",
            "L'action ne peut finir après la convention (31/12/2022).",
        ),
    ],
)
def test_an_action_outside_its_convention_is_refused(convention, officer, fields, field, message):
    axis = AxisFactory(convention=convention)

    with pytest.raises(ValidationError) as refused:
        action_save(action=_action(axis, **fields), by=officer)

    assert refused.value.message_dict[field] == [message]
    assert not Action.objects.exists()


def test_the_funder_cannot_lead_an_action(convention, officer, cnsa):
    axis = AxisFactory(convention=convention)

    with pytest.raises(ValidationError) as refused:
        action_save(action=_action(axis, lead_organisation=cnsa), by=officer)

    assert refused.value.message_dict["lead_organisation"] == [
        "Le financeur ne pilote pas d'action : choisissez un partenaire."
    ]
    assert not Action.objects.exists()


def test_a_closed_convention_s_actions_are_frozen(cnsa, officer):
    action = ActionFactory(
        axis=AxisFactory(convention=ConventionFactory(funder=cnsa, status="closed"))
    )
    action.title = "Nouveau titre"

    with pytest.raises(ValidationError) as refused:
        action_save(action=action, by=officer)

    assert refused.value.message_dict["axis"] == [
        "La convention est clôturée : ses actions sont figées."
    ]
    assert Action.objects.get().title != "Nouveau titre"


def test_an_indicator_is_saved_with_its_target(convention, officer):
    action = ActionFactory(axis=AxisFactory(convention=convention))

    indicator_save(
        indicator=Indicator(action=action, label="Sessions", unit="sessions", target=Decimal("12")),
        by=officer,
    )

    assert Indicator.objects.get().target == Decimal("12.00")


def test_an_indicator_with_a_negative_target_is_refused(convention, officer):
    action = ActionFactory(axis=AxisFactory(convention=convention))

    with pytest.raises(ValidationError) as refused:
        indicator_save(
            indicator=Indicator(
                action=action, label="Sessions", unit="sessions", target=Decimal("-1")
            ),
            by=officer,
        )

    assert refused.value.message_dict["target"] == ["La cible ne peut pas être négative."]
    assert not Indicator.objects.exists()
