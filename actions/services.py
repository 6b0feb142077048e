"""Writes with a business rule on actions and indicators."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from actions.models import Action, Indicator
from conventions.models import Convention, Organisation


def action_validate(action: Action) -> None:
    errors: dict[str, str] = {}
    if action.start_date and action.end_date and action.start_date > action.end_date:
        errors["end_date"] = "La fin de l'action doit suivre son début."
    if action.axis_id:
        convention = action.axis.convention
        if convention.status == Convention.Status.CLOSED:
            errors["axis"] = "La convention est clôturée : ses actions sont figées."
        if action.start_date and action.start_date < convention.start_date:
            errors["start_date"] = (
                f"L'action ne peut commencer avant la convention ({convention.start_date:%d/%m/%Y})."
            )
        if action.end_date and action.end_date > convention.end_date:
            errors["end_date"] = (
                f"L'action ne peut finir après la convention ({convention.end_date:%d/%m/%Y})."
            )
    if action.lead_organisation_id and action.lead_organisation.kind == Organisation.Kind.FUNDER:
        errors["lead_organisation"] = (
            "Le financeur ne pilote pas d'action : choisissez un partenaire."
        )
    if errors:
        raise ValidationError(errors)


def action_save(*, action: Action, by: User | None) -> Action:
    action.full_clean()
    action_validate(action)
    action._history_user = by
    action.save()
    return action


def indicator_validate(indicator: Indicator) -> None:
    if indicator.target is not None and indicator.target < 0:
        raise ValidationError({"target": "La cible ne peut pas être négative."})


def indicator_save(*, indicator: Indicator, by: User | None) -> Indicator:
    indicator.full_clean()
    indicator_validate(indicator)
    indicator.save()
    return indicator
