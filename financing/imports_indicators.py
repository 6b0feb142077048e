"""The indicators sheet: read (each refusal with its cell), then applied through the actions'
services: added, changed, removed."""

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
from financing.imports_cells import Issue, amount_parse, cell_text, sheet_header
from financing.imports_files import Sheet, cell_name
from financing.imports_plan import SHEET_INDICATORS, IndicatorKey, PlanState
from financing.services_plan import ADDED, CHANGED, REMOVED

FIELDS = ("unit", "baseline", "target")
FROZEN = "La convention est clôturée : ses indicateurs sont figés."
COLUMNS = {
    "code action": "code",
    "indicateur": "label",
    "unité": "unit",
    "valeur de départ": "baseline",
    "cible": "target",
}


@dataclass(frozen=True)
class IndicatorRow:
    action_id: int
    label: str
    unit: str
    baseline: Decimal
    target: Decimal
    row: int


def indicators_read(
    sheet: Sheet, state: PlanState
) -> tuple[dict[IndicatorKey, IndicatorRow], list[Issue]]:
    """One row per indicator, matched to the convention's actions by code."""
    header = sheet_header(sheet)
    if any(title not in header for title in COLUMNS):
        titles = ", ".join(f"« {t.capitalize()} »" for t in COLUMNS)
        message = f"la ligne 1 doit porter les titres {titles}."
        return {}, [Issue(SHEET_INDICATORS, "A1", message)]
    columns = {key: header[title] for title, key in COLUMNS.items()}
    actions = {action.code: action.pk for action in state.actions}
    found: dict[IndicatorKey, IndicatorRow] = {}
    issues: list[Issue] = []
    for row in sorted({row for row, _ in sheet.cells if row > 1}):
        values = {key: sheet.value(row, column) for key, column in columns.items()}
        if all(v is None for v in values.values()):
            continue
        problems, indicator = _indicator(row, values, actions)
        issues += [Issue(SHEET_INDICATORS, cell_name(row, columns[k]), m) for k, m in problems]
        if indicator is None:
            continue
        key = (indicator.action_id, indicator.label)
        if key in found:
            cell = cell_name(row, columns["label"])
            issues.append(
                Issue(
                    SHEET_INDICATORS, cell, f"indicateur en double : déjà ligne {found[key].row}."
                )
            )
            continue
        found[key] = indicator
    return found, issues


def _indicator(
    row: int, values: dict[str, Any], actions: dict[str, int]
) -> tuple[list[tuple[str, str]], IndicatorRow | None]:
    problems: list[tuple[str, str]] = []
    code, label, unit = (cell_text(values[k]) for k in ("code", "label", "unit"))
    action_id = actions.get(code)
    if action_id is None:
        known = f"action « {code} » inconnue dans cette convention."
        problems.append(("code", known if code else "indiquez le code de l'action."))
    if not label or len(label) > 300:
        problems.append(("label", "indiquez le libellé de l'indicateur (300 caractères au plus)."))
    if not unit or len(unit) > 60:
        problems.append(("unit", "indiquez l'unité (60 caractères au plus)."))
    numbers = {"baseline": Decimal("0.00")}
    for key in ("baseline", "target"):
        if values[key] is None:
            if key == "target":
                problems.append((key, "indiquez la cible."))
            continue
        number, problem = amount_parse(values[key])
        if number is None:
            problems.append((key, (problem or "").replace("un montant", "une valeur")))
        else:
            numbers[key] = number
    if problems or action_id is None:
        return problems, None
    return [], IndicatorRow(action_id, label, unit, numbers["baseline"], numbers["target"], row)


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
