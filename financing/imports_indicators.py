"""The indicators sheet applied through the actions' services: added, changed, removed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Max

from actions.models import Indicator
from actions.services import indicator_delete, indicator_save
from conventions.models import Convention
from financing.imports_parse import IndicatorRow
from financing.imports_plan import IndicatorKey, PlanState
from financing.services_plan import ADDED, CHANGED, REMOVED

FIELDS = ("unit", "baseline", "target")
FROZEN = "La convention est clôturée : ses indicateurs sont figés."


@dataclass(frozen=True)
class IndicatorChange:
    kind: str
    action: str
    label: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        def shown(values: dict[str, Any] | None) -> dict[str, str] | None:
            if values is None:
                return None
            return {k: f"{v:.2f}" if isinstance(v, Decimal) else str(v) for k, v in values.items()}

        return {
            "kind": self.kind,
            "action": self.action,
            "label": self.label,
            "before": shown(self.before),
            "after": shown(self.after),
        }


def _values(item: Indicator | IndicatorRow) -> dict[str, Any]:
    return {name: getattr(item, name) for name in FIELDS}


def indicators_apply(
    *, state: PlanState, wanted: Mapping[IndicatorKey, IndicatorRow], by: User | None
) -> list[IndicatorChange]:
    """Indicators are matched by action and label; a row missing from the sheet removes its
    indicator (refused, by the service, once values were reported for it)."""
    codes = {action.pk: action.code for action in state.actions}
    removed = [key for key in state.indicators if key not in wanted]
    written = [
        key
        for key, row in wanted.items()
        if key not in state.indicators or _values(state.indicators[key]) != _values(row)
    ]
    if (removed or written) and state.convention.status == Convention.Status.CLOSED:
        raise ValidationError({"indicators": FROZEN})
    changes = []
    for key in removed:
        current = state.indicators[key]
        indicator_delete(indicator=current, by=by)
        changes.append(IndicatorChange(REMOVED, codes[key[0]], key[1], _values(current), None))
    positions = dict(
        Indicator.objects.filter(action__in=codes)
        .values("action")
        .annotate(last=Max("position"))
        .values_list("action", "last")
    )
    for key in written:
        row, stored = wanted[key], state.indicators.get(key)
        indicator: Indicator
        if stored is None:
            positions[key[0]] = (positions.get(key[0]) or 0) + 1
            indicator = Indicator(action_id=key[0], label=key[1], position=positions[key[0]])
            kind, before = ADDED, None
        else:
            indicator, kind, before = stored, CHANGED, _values(stored)
        for name in FIELDS:
            setattr(indicator, name, getattr(row, name))
        indicator_save(indicator=indicator, by=by)
        changes.append(IndicatorChange(kind, codes[key[0]], key[1], before, _values(row)))
    return changes
