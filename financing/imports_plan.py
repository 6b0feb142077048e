"""A convention's financing plan and indicators as the import sees them: read in a fixed number of
queries, fingerprinted so an apply can tell whether the plan moved since its dry run."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from actions.models import Action, Indicator
from conventions.models import Convention, Organisation
from financing.models import FundingLine

SHEET_CONVENTION = "Convention"
SHEET_PLAN = "Plan de financement"
SHEET_INDICATORS = "Indicateurs"
PLAN_HEADERS = ("Axe", "Code action", "Action", "Financeur")
INDICATOR_HEADERS = ("Code action", "Action", "Indicateur", "Unité", "Valeur de départ", "Cible")

LineKey = tuple[int, int, int]  # action id, funder id, year
IndicatorKey = tuple[int, str]  # action id, label


@dataclass(frozen=True)
class PlanState:
    convention: Convention
    actions: list[Action]
    funders: list[Organisation]
    lines: dict[LineKey, Decimal]
    indicators: dict[IndicatorKey, Indicator]

    @property
    def years(self) -> range:
        return self.convention.years

    def fingerprint(self) -> str:
        """Changes whenever a line, an indicator or the convention's figures change."""
        parts = [
            f"{self.convention.total_cost}|{self.convention.cnsa_amount}|{self.convention.end_date}"
        ]
        parts += [f"{key}={amount}" for key, amount in sorted(self.lines.items())]
        parts += [
            f"{key}={i.unit}|{i.baseline}|{i.target}" for key, i in sorted(self.indicators.items())
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def plan_state(*, convention: Convention) -> PlanState:
    """Actions in the order of the convention (axis, code); funders CNSA first, then the porteur,
    then every other funder of a line, by name. Four queries."""
    convention = Convention.objects.select_related("funder", "beneficiary").get(pk=convention.pk)
    actions = list(
        Action.objects.filter(axis__convention=convention)
        .select_related("axis")
        .order_by("axis__number", "code")
    )
    lines = FundingLine.objects.filter(action__axis__convention=convention)
    amounts = {
        (action_id, funder_id, year): amount
        for action_id, funder_id, year, amount in lines.values_list(
            "action_id", "funder_id", "year", "amount"
        )
    }
    others = Organisation.objects.filter(pk__in={key[1] for key in amounts}).exclude(
        pk__in=[convention.funder_id, convention.beneficiary_id]
    )
    funders = [convention.funder, convention.beneficiary, *others.order_by("name")]
    indicators = {
        (i.action_id, i.label): i
        for i in Indicator.objects.filter(action__axis__convention=convention).order_by(
            "action", "position", "pk"
        )
    }
    return PlanState(convention, actions, funders, amounts, indicators)
