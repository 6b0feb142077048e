"""A whole financing plan written at once, all or nothing, through the line services.

`funding_plan_apply` takes the plan as it should be (action × funder × year → amount) and makes it
so: lines added, changed or removed one by one through `funding_line_save` / `funding_line_delete`
(their rules and history hold), then the convention's figures follow the plan's totals: directly on
a draft, by an amendment (avenant) on a signed convention. Any refusal undoes everything."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action
from conventions.models import Amendment, Convention, Organisation
from conventions.services import convention_save
from core.money import ZERO
from financing.models import FundingLine
from financing.services import amendment_create, funding_line_delete, funding_line_save

LineKey = tuple[int, int, int]  # action id, funder id, year
ADDED, CHANGED, REMOVED = "added", "changed", "removed"
CLOSED = "La convention est clôturée : son plan de financement est figé."


@dataclass(frozen=True)
class LineChange:
    kind: str
    key: LineKey
    before: Decimal | None
    after: Decimal | None

    @property
    def delta(self) -> Decimal:
        return (self.after or ZERO) - (self.before or ZERO)


@dataclass(frozen=True)
class PlanApplied:
    changes: list[LineChange]
    amendment: Amendment | None


def funding_plan_changes(
    *, current: Mapping[LineKey, Decimal], wanted: Mapping[LineKey, Decimal]
) -> list[LineChange]:
    """What turns `current` into `wanted`, in a stable order (action, year, funder)."""
    changes = []
    for key in sorted(current.keys() | wanted.keys(), key=lambda k: (k[0], k[2], k[1])):
        before, after = current.get(key), wanted.get(key)
        if before is None and after is not None:
            changes.append(LineChange(ADDED, key, None, after))
        elif after is None and before is not None:
            changes.append(LineChange(REMOVED, key, before, None))
        elif before != after:
            changes.append(LineChange(CHANGED, key, before, after))
    return changes


@transaction.atomic
def funding_plan_apply(
    *,
    convention: Convention,
    lines: Mapping[LineKey, Decimal],
    by: User | None,
    signed_on: datetime.date | None = None,
    description: str = "",
) -> PlanApplied:
    """`lines` is the whole plan: a line of the convention absent from it is removed."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    stored = {
        (line.action_id, line.funder_id, line.year): line
        for line in FundingLine.objects.select_for_update()
        .filter(action__axis__convention=convention)
        .select_related("action__axis__convention")
    }
    changes = funding_plan_changes(
        current={key: line.amount for key, line in stored.items()}, wanted=lines
    )
    if changes and convention.status == Convention.Status.CLOSED:
        raise ValidationError({"convention": CLOSED})
    errors = []
    for change in changes:
        try:
            _write(change, stored.get(change.key), by)
        except ValidationError as error:
            errors += [f"Ligne {_place(change.key)} : {m}" for m in error.messages]
    if errors:
        raise ValidationError({"lines": errors})
    amendment = _follow_totals(convention, changes, by, signed_on, description)
    return PlanApplied(changes, amendment)


def _write(change: LineChange, line: FundingLine | None, by: User | None) -> None:
    if change.kind == REMOVED and line is not None:
        funding_line_delete(line=line, by=by)
        return
    if line is None:
        action_id, funder_id, year = change.key
        line = FundingLine(action_id=action_id, funder_id=funder_id, year=year)
    line.amount = change.after  # type: ignore[assignment]
    funding_line_save(line=line, by=by)


def _place(key: LineKey) -> str:
    action = Action.objects.filter(pk=key[0]).values_list("code", flat=True).first()
    funder = Organisation.objects.filter(pk=key[1]).values_list("name", flat=True).first()
    return f"action {action}, {funder}, {key[2]}"


def _follow_totals(
    convention: Convention,
    changes: list[LineChange],
    by: User | None,
    signed_on: datetime.date | None,
    description: str,
) -> Amendment | None:
    """The convention's total cost and CNSA amount move by what the plan's totals moved: an
    imbalance that was there stays there, none is created; a redistribution changes neither."""
    delta_total = sum((c.delta for c in changes), ZERO)
    delta_cnsa = sum((c.delta for c in changes if c.key[1] == convention.funder_id), ZERO)
    if not delta_total and not delta_cnsa:
        return None
    total_cost = convention.total_cost + delta_total
    cnsa_amount = convention.cnsa_amount + delta_cnsa
    if convention.status == Convention.Status.SIGNED:
        return amendment_create(
            convention=convention,
            by=by,
            signed_on=signed_on or timezone.localdate(),
            description=description or "Plan de financement modifié.",
            total_cost=total_cost,
            cnsa_amount=cnsa_amount,
        )
    convention.total_cost, convention.cnsa_amount = total_cost, cnsa_amount
    convention_save(convention=convention, by=by)
    return None
