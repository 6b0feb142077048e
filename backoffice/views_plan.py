"""The financing plan grid: edited in place, saved all or nothing through financing.plan; on a
signed convention the same grid prepares an amendment."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from backoffice.forms_plan import AmendmentForm, read_cells
from backoffice.grid import PlanGrid, plan_grid
from backoffice.grid_html import grid_body
from backoffice.links import convention_url
from backoffice.steps import stepper
from conventions.access import scope_for
from conventions.models import Convention, Organisation
from core.http import AuthenticatedRequest
from core.money import format_euros
from financing.plan import PlanCell, PlanRefused, plan_amend, plan_apply

STALE = (
    "Le plan a été modifié par quelqu'un d'autre pendant votre saisie : rien n'a été enregistré. "
    "Rechargez la page pour partir du plan actuel."
)
PREVIEW, CONFIRM = "apercu", "confirmer"


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()][:20]


@login_required
def plan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    convention = get_object_or_404(
        Convention.objects.fully_visible_to(request.user).select_related("funder", "beneficiary"),
        pk=pk,
    )
    data = request.POST if request.method == "POST" else request.GET
    grid = plan_grid(convention=convention, extra_funder_ids=_ids(data.getlist("financeur")))
    editable = scope_for(request.user).is_officer and convention.status != Convention.Status.CLOSED
    if request.method == "POST" and not editable:
        raise PermissionDenied(
            "Seuls les chargés de mission CNSA modifient le plan de financement."
        )
    context = {"grid": grid, "editable": editable, "general": [], "changes": []}
    signed = convention.status == Convention.Status.SIGNED
    context["amendment_form"] = AmendmentForm(request.POST or None) if signed else None
    if request.method == "POST":
        saved = _save(request, grid, context)
        if saved:
            return redirect(request.get_full_path())
    return _render(request, grid, context)


def _render(request: AuthenticatedRequest, grid: PlanGrid, context: dict) -> HttpResponse:
    in_plan = {f.pk for f in grid.funders}
    context["addable"] = [
        o
        for o in Organisation.objects.only("pk", "name", "short_name").order_by("name")
        if o.pk not in in_plan
    ]
    context["back_url"] = convention_url(grid.convention.pk)
    context["grid_body"] = grid_body(grid, editable=context["editable"])
    if grid.convention.status == Convention.Status.DRAFT:
        context["steps"] = stepper(5, grid.convention.pk)
    return render(request, "backoffice/plan.html", context)


def _save(request: AuthenticatedRequest, grid: PlanGrid, context: dict) -> bool:
    cells = read_cells(grid, request.POST)
    general: list[str] = context["general"]
    if request.POST.get("empreinte") != grid.fingerprint:
        general.append(STALE)
    if grid.errors or general:
        return False
    if grid.convention.status == Convention.Status.SIGNED:
        return _amend(request, grid, cells, context)
    try:
        result = plan_apply(
            convention=grid.convention,
            cells=cells,
            by=request.user,
            set_totals=bool(request.POST.get("reporter_totaux")),
        )
    except PlanRefused as refused:
        _attach(grid, refused, general)
        return False
    messages.success(
        request,
        f"Plan de financement enregistré : {_cases(result.changed)} ; "
        f"total {format_euros(result.total)}, dont CNSA {format_euros(result.cnsa_total)}.",
    )
    return True


def _amend(
    request: AuthenticatedRequest, grid: PlanGrid, cells: list[PlanCell], context: dict
) -> bool:
    context["changes"] = changes = _changes(grid, cells)
    form: AmendmentForm = context["amendment_form"]
    if not changes:
        context["general"].append("Aucune case n'a changé : il n'y a pas d'avenant à préparer.")
        return False
    if request.POST.get("etape") != CONFIRM:
        context["amendment_form"] = AmendmentForm()
        context["preview"] = True
        return False
    if not form.is_valid():
        context["preview"] = True
        return False
    try:
        result = plan_amend(
            convention=grid.convention,
            cells=cells,
            by=request.user,
            signed_on=form.signed_on_value,
            description=form.cleaned_data["description"],
        )
    except PlanRefused as refused:
        context["preview"] = True
        for name in ("signed_on", "description"):
            for message in refused.fields.pop(name, []):
                form.add_error(name, message)
        _attach(grid, refused, context["general"])
        return False
    assert result.amendment is not None
    messages.success(
        request,
        f"Avenant n° {result.amendment.number} enregistré : {_cases(result.changed)} ; "
        f"coût global {format_euros(result.total)}, CNSA {format_euros(result.cnsa_total)}.",
    )
    return True


def _cases(count: int) -> str:
    return f"{count} case modifiée" if count < 2 else f"{count} cases modifiées"


def _changes(
    grid: PlanGrid, cells: list[PlanCell]
) -> list[tuple[str, Decimal | None, Decimal | None]]:
    """(cell label, before, after) for each cell the amendment changes."""
    codes = {row.action.pk: row.action.code for row in grid.rows}
    by_key = {cell.key: cell for row in grid.rows for cell in row.cells}
    changed = []
    for new in cells:
        shown = by_key[new.key]
        if shown.stored != new.amount:
            label = f"{codes[new.action_id]}, {shown.column.funder}, {new.year}"
            changed.append((label, shown.stored, new.amount))
    return changed


def _attach(grid: PlanGrid, refused: PlanRefused, general: list[str]) -> None:
    by_key = {cell.key: cell for row in grid.rows for cell in row.cells}
    for key, found in refused.cells.items():
        if key in by_key:
            by_key[key].errors = found
        else:
            general.extend(found)
    for found in refused.fields.values():
        general.extend(found)
