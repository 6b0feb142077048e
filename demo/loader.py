"""Loads `demo.data` through the same services as the admin, the API and the pages.

Every row passes the product's rules: a demo the rules would refuse fails to load."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.test.utils import override_settings

from accounts.second_factor import second_factor_install
from actions.models import Action, Indicator
from actions.services import (
    SpendingEntry,
    ValueEntry,
    action_save,
    indicator_save,
    progress_report_approve,
    progress_report_create,
    progress_report_submit,
    progress_report_update,
)
from axes.models import Axis
from axes.services import axis_save
from conventions.models import Convention, Membership, Organisation
from conventions.services import (
    convention_approve_final_report,
    convention_close,
    convention_save,
    convention_sign,
)
from conventions.validators import siret_with_keys
from core.money import round_money
from demo.data import (
    CONVENTIONS,
    DEMO_PASSWORD,
    DEMO_RECOVERY_CODES,
    DEMO_TOTP_KEY_HEX,
    DEMO_USERS,
    ORGANISATIONS,
    ConventionSpec,
    HistorySpec,
)
from financing.models import FundingLine, Payment
from financing.services import balance_settle, funding_line_save, payment_save

__all__ = ["DEMO_PASSWORD", "demo_load", "split_years"]

OFFICER = "cnsa.officer"
OFFICERS_GROUP = "Chargés de mission CNSA"
DOMAIN_APPS = ["conventions", "axes", "actions", "financing", "reporting"]


def illustrative_siret(seed: str) -> str:
    """Illustrative, not the real one: passes the official rule (SIREN key and SIRET key)."""
    return siret_with_keys(seed.ljust(12, "0")[:12])


def split_years(amount: Decimal, years: range) -> list[tuple[int, Decimal]]:
    """Even yearly split to the cent; the last year takes the remainder so the total is exact."""
    share = round_money(amount / len(years))
    parts = [(year, share) for year in years[:-1]]
    return [*parts, (years[-1], amount - share * (len(years) - 1))]


def _organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for index, (name, short, kind, dept, parent) in enumerate(ORGANISATIONS):
        org, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": kind,
                "departement_code": dept,
                "parent": orgs.get(parent) if parent else None,
                "siret": illustrative_siret(f"9{index:02d}1000000"),
            },
        )
        orgs[short] = org
    return orgs


def _officers_group() -> Group:
    officers, _ = Group.objects.get_or_create(name=OFFICERS_GROUP)
    if not officers.permissions.exists():
        officers.permissions.set(Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS))
    return officers


def _users(orgs: dict[str, Organisation]) -> list[tuple[str, str]]:
    officers = _officers_group()
    accounts = []
    for username, org, role, staff in DEMO_USERS:
        user, new = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@demo.example", "is_staff": staff}
        )
        if new:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if staff:
                user.groups.add(officers)
        Membership.objects.get_or_create(user=user, organisation=orgs[org], defaults={"role": role})
        accounts.append((username, f"{Membership.Role(role).label} — {orgs[org]}"))
    return accounts


def _convention(spec: ConventionSpec, orgs: dict[str, Organisation], by: User) -> Convention:
    actions = [a for _, _, acts in spec.axes for a in acts]
    cnsa_total = sum((a.cnsa for a in actions), Decimal("0"))
    own_total = sum((a.own for a in actions), Decimal("0"))
    convention = convention_save(
        convention=Convention(
            reference=spec.reference,
            title=spec.title,
            funder=orgs["CNSA"],
            beneficiary=orgs[spec.beneficiary],
            start_date=spec.start,
            end_date=spec.end,
            signature_date=spec.signed_on,
            total_cost=cnsa_total + own_total,
            cnsa_amount=cnsa_total,
            is_illustrative=spec.illustrative,
            objet=spec.objet,
        ),
        by=by,
    )
    for number, (title, objective, action_specs) in enumerate(spec.axes, start=1):
        axis = axis_save(
            axis=Axis(convention=convention, number=number, title=title, objective=objective),
            by=by,
        )
        for a in action_specs:
            action = action_save(
                action=Action(
                    axis=axis,
                    code=a.code,
                    title=a.title,
                    means=a.means,
                    description=a.description,
                    lead_organisation=orgs[a.lead],
                    start_date=spec.start,
                    end_date=spec.end,
                    status=Action.Status.IN_PROGRESS,
                ),
                by=by,
            )
            for position, (label, unit, target) in enumerate(a.indicators, start=1):
                indicator_save(
                    indicator=Indicator(
                        action=action, label=label, unit=unit, target=target, position=position
                    ),
                    by=by,
                )
            for funder, amount in ((orgs["CNSA"], a.cnsa), (orgs[spec.beneficiary], a.own)):
                for year, part in split_years(amount, convention.years):
                    funding_line_save(
                        line=FundingLine(action=action, funder=funder, year=year, amount=part),
                        by=by,
                    )
    return convention_sign(convention=convention, by=by)


def _approved_reports(convention: Convention, history: HistorySpec, officer: User) -> None:
    """Approved yearly reports whose spending is a share of each action's planned cost."""
    author = User.objects.get(username=history.report_author)
    years = history.reported_years or convention.years
    actions = Action.objects.filter(axis__convention=convention).prefetch_related(
        "funding_lines", "indicators"
    )
    for action in actions:
        planned: dict[int, Decimal] = defaultdict(Decimal)
        for line in action.funding_lines.all():
            planned[line.year] += line.amount
        for year in years:
            report = progress_report_create(
                action=action,
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
                by=author,
            )
            progress_report_update(
                report=report,
                by=author,
                version=report.version,
                narrative=f"Bilan {year} de l'action {action.code} : actions conduites comme prévu.",
                values=[
                    ValueEntry(indicator_id=i.pk, value=i.target / len(convention.years))
                    for i in action.indicators.all()
                ],
                spendings=[
                    SpendingEntry(funder_id=None, amount=planned[year] * history.spent_share)
                ],
            )
            progress_report_submit(report=report, by=author)
            progress_report_approve(report=report, by=officer)


def _history(convention: Convention, history: HistorySpec, officer: User) -> None:
    for kind, amount, paid_on in history.payments:
        payment = Payment(
            convention=convention,
            kind=kind,
            amount=amount,
            status=Payment.Status.PAID,
            paid_on=paid_on,
            due_date=paid_on,
        )
        payment_save(payment=payment, by=officer)
    _approved_reports(convention, history, officer)
    if history.final_report_on:
        convention_approve_final_report(
            convention=convention, by=officer, approved_on=history.final_report_on
        )
    if history.settled_on:
        settle = balance_settle(convention=convention, by=officer, due_date=history.settled_on)
        settle.status, settle.paid_on = Payment.Status.PAID, history.settled_on
        payment_save(payment=settle, by=officer)
        convention_close(convention=convention, by=officer)


# The demo replays years of history: the review e-mails it would send concern no one.
@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
def demo_load() -> tuple[bool, list[tuple[str, str]]]:
    """Load the demo once; a second run finds it and changes nothing. Returns (loaded, accounts)."""
    with transaction.atomic():
        orgs = _organisations()
        accounts = _users(orgs)
        # Officers need a second factor: the demo officer is enrolled with the published secret.
        second_factor_install(
            user=User.objects.get(username=OFFICER),
            key_hex=DEMO_TOTP_KEY_HEX,
            recovery_codes=DEMO_RECOVERY_CODES,
        )
        if Convention.objects.filter(reference__in=[s.reference for s in CONVENTIONS]).exists():
            return False, accounts
        officer = User.objects.get(username=OFFICER)
        conventions = [(_convention(spec, orgs, officer), spec) for spec in CONVENTIONS]
        for convention, spec in conventions:
            _history(convention, spec.history, officer)
    return True, accounts
