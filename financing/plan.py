"""A whole financing plan written at once (the plan grid, spreadsheet imports): every cell is
checked by the funding-line rule, then all are saved or none. A signed convention's plan changes
only with an amendment, which keeps the figures before and after."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actions.models import Action
from conventions.models import Amendment, Convention, Organisation
from conventions.services import convention_save
from core.history import set_history_user
from core.money import ZERO, format_euros
from core.text import counted
from financing.models import FundingLine
from financing.services import amendment_create, funding_line_validate

CellKey = tuple[int, int, int]  # action id, funder id, year

SIGNED_NEEDS_AMENDMENT = "La convention est signée : son plan de financement change par un avenant."
CLOSED = "La convention est clôturée : son plan de financement est figé."
UNCHANGED = "Le plan de financement n'a pas changé : il n'y a rien à enregistrer."


@dataclass(frozen=True)
class PlanCell:
    """One funder's amount for one action and one year; `amount=None` means no line there."""

    action_id: int
    funder_id: int
    year: int
    amount: Decimal | None

    @property
    def key(self) -> CellKey:
        return (self.action_id, self.funder_id, self.year)


def cell_code(key: CellKey) -> str:
    """The stable name of a cell in forms and error maps: `<action>-<funder>-<year>`."""
    return "-".join(str(part) for part in key)


class PlanRefused(ValidationError):
    """Nothing was saved: per-cell messages (`cells`) and the others by field (`fields`,
    `plan` for the whole plan, else the amendment's or the convention's field names)."""

    def __init__(
        self,
        *,
        cells: dict[CellKey, list[str]] | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        self.cells = cells or {}
        self.fields = fields or {}
        super().__init__(
            {**{cell_code(k): v for k, v in self.cells.items()}, **self.fields}
            or {"plan": ["Plan refusé."]}
        )


@dataclass
class PlanResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    total: Decimal = ZERO
    cnsa_total: Decimal = ZERO
    amendment: Amendment | None = None

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


@dataclass
class _Changes:
    new: list[FundingLine] = field(default_factory=list)
    updated: list[FundingLine] = field(default_factory=list)
    deleted: list[FundingLine] = field(default_factory=list)
    amounts: dict[CellKey, Decimal] = field(default_factory=dict)


@transaction.atomic
def plan_apply(
    *,
    convention: Convention,
    cells: Iterable[PlanCell],
    by: User | None,
    replace: bool = False,
    set_totals: bool = False,
) -> PlanResult:
    """Write the cells of a draft convention's plan. `replace`: lines not among the cells are
    removed (a whole plan from a file). `set_totals`: the convention's total cost and CNSA amount
    become the plan's."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.status == Convention.Status.SIGNED:
        raise PlanRefused(fields={"plan": [SIGNED_NEEDS_AMENDMENT]})
    changes = _check(convention, list(cells), replace=replace)
    result = _totals(convention, changes)
    if set_totals:
        convention.total_cost, convention.cnsa_amount = result.total, result.cnsa_total
        try:
            convention_save(convention=convention, by=by)
        except ValidationError as error:
            raise PlanRefused(fields=error.message_dict) from error
    return _write(changes, result, by)


@transaction.atomic
def plan_amend(
    *,
    convention: Convention,
    cells: Iterable[PlanCell],
    by: User | None,
    signed_on: datetime.date,
    description: str,
    replace: bool = False,
) -> PlanResult:
    """A signed convention's new plan, with the amendment that carries its new totals."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.status != Convention.Status.SIGNED:
        raise PlanRefused(fields={"plan": ["Un avenant ne porte que sur une convention signée."]})
    changes = _check(convention, list(cells), replace=replace)
    result = _totals(convention, changes)
    if not (changes.new or changes.updated or changes.deleted):
        raise PlanRefused(fields={"plan": [UNCHANGED]})
    changed = len(changes.new) + len(changes.updated) + len(changes.deleted)
    summary = (
        f"Plan de financement : {counted(changed, 'case modifiée', 'cases modifiées')} ; coût global {format_euros(convention.total_cost)} → "
        f"{format_euros(result.total)} ; CNSA {format_euros(convention.cnsa_amount)} → "
        f"{format_euros(result.cnsa_total)}."
    )
    try:
        result.amendment = amendment_create(
            convention=convention,
            by=by,
            signed_on=signed_on,
            description=f"{description.strip()}\n\n{summary}" if description.strip() else "",
            total_cost=result.total,
            cnsa_amount=result.cnsa_total,
            plan_changed=True,
        )
    except ValidationError as error:
        raise PlanRefused(fields=error.message_dict) from error
    return _write(changes, result, by)


def _check(convention: Convention, cells: list[PlanCell], *, replace: bool) -> _Changes:
    """Every cell through the funding-line rule, without a query per cell."""
    if convention.status == Convention.Status.CLOSED:
        raise PlanRefused(fields={"plan": [CLOSED]})
    actions = {
        action.pk: action
        for action in Action.objects.filter(axis__convention=convention).select_related("axis")
    }
    for action in actions.values():
        action.axis.convention = convention
    funders = set(
        Organisation.objects.filter(pk__in={c.funder_id for c in cells}).values_list(
            "pk", flat=True
        )
    )
    existing = {
        (line.action_id, line.funder_id, line.year): line
        for line in FundingLine.objects.filter(action__axis__convention=convention)
    }
    changes, errors, seen = _Changes(), dict[CellKey, list[str]](), set[CellKey]()
    for cell in cells:
        messages = _cell_messages(cell, actions, funders, seen)
        seen.add(cell.key)
        if not messages:
            messages = _stage(cell, actions[cell.action_id], existing.get(cell.key), changes)
        if messages:
            errors[cell.key] = messages
    for key, line in existing.items():
        if key not in seen:
            if replace:
                changes.deleted.append(line)
            else:
                changes.amounts[key] = line.amount
    if errors:
        raise PlanRefused(cells=errors)
    return changes


def _cell_messages(
    cell: PlanCell, actions: dict[int, Action], funders: set[int], seen: set[CellKey]
) -> list[str]:
    if cell.key in seen:
        return ["Cette case figure deux fois dans le plan."]
    if cell.action_id not in actions:
        return ["Cette action n'appartient pas à la convention."]
    if cell.funder_id not in funders:
        return ["Ce financeur n'existe pas."]
    return []


def _stage(
    cell: PlanCell, action: Action, line: FundingLine | None, changes: _Changes
) -> list[str]:
    if cell.amount is None:
        if line is not None:
            changes.deleted.append(line)
        return []
    if line is not None and line.amount == cell.amount:
        changes.amounts[cell.key] = line.amount
        return []
    staged = line or FundingLine(funder_id=cell.funder_id, year=cell.year)
    staged.action = action  # with its axis and convention loaded: the rule runs without a query
    staged.amount = cell.amount
    messages = _validated(staged)
    if not messages:
        (changes.updated if line is not None else changes.new).append(staged)
        changes.amounts[cell.key] = cell.amount
    return messages


def _validated(line: FundingLine) -> list[str]:
    """The model's field checks and the service's rule, as one list of French messages."""
    try:
        line.clean_fields(exclude=["action", "funder"])
        funding_line_validate(line)
    except ValidationError as error:
        return [m for messages in error.message_dict.values() for m in messages]
    return []


def _totals(convention: Convention, changes: _Changes) -> PlanResult:
    result = PlanResult()
    for (_, funder_id, _), amount in changes.amounts.items():
        result.total += amount
        if funder_id == convention.funder_id:
            result.cnsa_total += amount
    return result


def _update_amounts(lines: list[FundingLine]) -> None:
    """One UPDATE … FROM (VALUES …) per thousand lines on PostgreSQL: Django's bulk_update builds
    a CASE per row, which took 3 s for a 1 200-cell plan."""
    if connection.vendor != "postgresql":
        FundingLine.objects.bulk_update(lines, ["amount"], batch_size=500)
        return
    table, pk = FundingLine._meta.db_table, FundingLine._meta.pk.column
    with connection.cursor() as cursor:
        for start in range(0, len(lines), 1000):
            batch = lines[start : start + 1000]
            values = ", ".join(["(%s, %s::numeric)"] * len(batch))
            cursor.execute(
                f'UPDATE "{table}" AS line SET amount = v.amount '  # noqa: S608 - names from the model
                f'FROM (VALUES {values}) AS v(id, amount) WHERE line."{pk}" = v.id',
                [param for line in batch for param in (line.pk, line.amount)],
            )


# Plans of different conventions share the département totals (financing.totals_upkeep): two
# plans written at once could lock the same départements in opposite orders and deadlock. Plan
# writes are rare and short: on PostgreSQL they take turns, for the rest of their transaction.
PLAN_WRITES_LOCK = 0x706C616E


def _write(changes: _Changes, result: PlanResult, by: User | None) -> PlanResult:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PLAN_WRITES_LOCK])
    if changes.new:
        bulk_create_with_history(changes.new, FundingLine, default_user=by)
    if changes.updated:
        _update_amounts(changes.updated)
        # No field named: the rows are written above, this records their history only.
        bulk_update_with_history(changes.updated, FundingLine, [], default_user=by)
    for line in changes.deleted:
        set_history_user(line, by)
        line.delete()
    result.created, result.updated = len(changes.new), len(changes.updated)
    result.deleted = len(changes.deleted)
    return result
