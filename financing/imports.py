"""Import a convention's financing plan and indicators from its spreadsheet template.

`plan_import` reads the file (bounded, see imports_files), checks it against the convention
(imports_parse), then runs the very services an officer's edits run, in one transaction: for a dry
run that transaction is rolled back once the new totals and the consistency problems are read, so
the preview shows what applying would do, refusals included. Applying is all or nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from conventions.access import scope_for
from conventions.models import Convention
from core.money import rate_percent
from financing.imports_files import workbook_read
from financing.imports_indicators import IndicatorChange, indicators_apply
from financing.imports_parse import Issue, file_parse
from financing.imports_plan import SHEET_INDICATORS, SHEET_PLAN, PlanState, plan_state
from financing.selectors import Problem, convention_consistency, convention_summary
from financing.services_plan import funding_plan_apply, funding_plan_changes

REFUSED_ROLE = "Seuls les chargés de mission CNSA importent un plan de financement."
MOVED = (
    "Le plan de financement a changé depuis l'aperçu (une autre saisie est passée) : "
    "relancez l'aperçu avant d'appliquer."
)


@dataclass(frozen=True)
class Figures:
    total_cost: Decimal
    cnsa_amount: Decimal
    cnsa_rate: Decimal | None
    planned: Decimal
    cnsa_planned: Decimal
    planned_rate: Decimal | None


@dataclass(frozen=True)
class LineView:
    kind: str
    action: str
    funder: str
    year: int
    before: Decimal | None
    after: Decimal | None
    cell: str


@dataclass
class ImportReport:
    convention: Convention
    dry_run: bool
    fingerprint: str = ""
    lines: list[LineView] = field(default_factory=list)
    indicators: list[IndicatorChange] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    before: Figures | None = None
    after: Figures | None = None
    amendment: int | None = None
    amends: bool = False
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.lines or self.indicators)


def plan_import_check(user: User | None) -> None:
    """Officers only; `None` is the command line, run by whoever runs the server."""
    if user is not None and not scope_for(user).is_officer:
        raise PermissionDenied(REFUSED_ROLE)


def plan_import(
    *,
    convention: Convention,
    upload: IO[bytes],
    by: User | None,
    dry_run: bool,
    signed_on: datetime.date | None = None,
    description: str = "",
    fingerprint: str | None = None,
) -> ImportReport:
    plan_import_check(by)
    state = plan_state(convention=convention)
    report = ImportReport(state.convention, dry_run, fingerprint=state.fingerprint())
    report.before = _figures(state.convention)
    try:
        sheets = workbook_read(upload)
    except ValidationError as error:
        report.issues += [Issue("", "", message) for message in error.messages]
        return report
    parsed = file_parse(sheets, state)
    report.issues += parsed.issues
    if not dry_run and fingerprint and fingerprint != report.fingerprint:
        report.issues.append(Issue("", "", MOVED))
    if report.issues:
        return report
    report.lines = _line_views(state, parsed.lines, parsed.cells)
    with transaction.atomic():
        try:
            applied = funding_plan_apply(
                convention=state.convention,
                lines=parsed.lines,
                by=by,
                signed_on=signed_on,
                description=description,
            )
            if parsed.indicators is not None:
                report.indicators = indicators_apply(state=state, wanted=parsed.indicators, by=by)
            report.amendment = applied.amendment.number if applied.amendment else None
            report.amends = applied.amendment is not None
            convention = Convention.objects.get(pk=state.convention.pk)
            report.after = _figures(convention)
            report.problems = convention_consistency(convention=convention)
        except ValidationError as error:
            report.issues += _issues(error)
        if dry_run or report.issues:
            transaction.set_rollback(True)
            report.amendment = None
        else:
            report.applied = report.has_changes
    return report


def _figures(convention: Convention) -> Figures:
    summary = convention_summary(convention=convention)
    return Figures(
        total_cost=summary.total_cost,
        cnsa_amount=summary.cnsa_amount,
        cnsa_rate=summary.cnsa_rate,
        planned=summary.planned,
        cnsa_planned=summary.cnsa_planned,
        planned_rate=rate_percent(summary.cnsa_planned, summary.planned),
    )


def _line_views(state: PlanState, wanted: dict, cells: dict) -> list[LineView]:
    actions = {action.pk: action.code for action in state.actions}
    funders = {funder.pk: funder.name for funder in state.funders}
    missing = {key[1] for key in wanted} - funders.keys()
    if missing:
        from conventions.models import Organisation

        funders.update(Organisation.objects.filter(pk__in=missing).values_list("pk", "name"))
    return [
        LineView(
            change.kind,
            actions[change.key[0]],
            funders[change.key[1]],
            change.key[2],
            change.before,
            change.after,
            cells.get(change.key, ""),
        )
        for change in funding_plan_changes(current=state.lines, wanted=wanted)
    ]


def _issues(error: ValidationError) -> list[Issue]:
    if not hasattr(error, "error_dict"):
        return [Issue("", "", message) for message in error.messages]
    sheet = {"lines": SHEET_PLAN, "indicators": SHEET_INDICATORS}
    return [
        Issue(sheet.get(name, ""), "", message)
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def report_as_dict(report: ImportReport) -> dict[str, Any]:
    """The report as the API answers it: amounts as strings with two decimals."""

    def money(value: Decimal | None) -> str | None:
        return None if value is None else f"{value:.2f}"

    def figures(f: Figures | None) -> dict[str, str | None] | None:
        return None if f is None else {k: money(v) for k, v in f.__dict__.items()}

    return {
        "convention": report.convention.reference,
        "dry_run": report.dry_run,
        "applied": report.applied,
        "fingerprint": report.fingerprint,
        "errors": [i.__dict__ for i in report.issues],
        "lines": [
            {**line.__dict__, "before": money(line.before), "after": money(line.after)}
            for line in report.lines
        ],
        "indicators": [change.as_dict() for change in report.indicators],
        "before": figures(report.before),
        "after": figures(report.after),
        "amendment": report.amends,
        "amendment_number": report.amendment,
        "problems": [
            {
                "code": p.code,
                "message": p.message,
                "place": p.place,
                "amount": money(p.amount),
                "severity": p.severity,
            }
            for p in report.problems
        ],
    }
