"""E-mails about progress reports. Called after commit: a rolled-back change never sends mail."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mass_mail
from django.urls import reverse

from actions.models import Action, ProgressReport
from conventions.models import Membership


def _link(name: str, pk: int) -> str:
    return settings.SITE_BASE_URL.rstrip("/") + reverse(name, args=[pk])


def _emails(users) -> list[str]:
    return sorted({u.email for u in users if u.email})


def _officer_emails(funder_id: int) -> list[str]:
    return _emails(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=funder_id,
            memberships__role=Membership.Role.OFFICER,
            memberships__is_active=True,
        )
    )


def _partner_emails(action: Action) -> list[str]:
    users = User.objects.filter(
        is_active=True,
        memberships__organisation_id=action.lead_organisation_id,
        memberships__role__in=[Membership.Role.CONTRIBUTOR, Membership.Role.COORDINATOR],
        memberships__is_active=True,
    )
    emails = set(_emails(users))
    if action.lead_organisation.email:
        emails.add(action.lead_organisation.email)
    return sorted(emails)


def _report(report_id: int) -> ProgressReport:
    return ProgressReport.objects.select_related(
        "action__axis__convention", "action__lead_organisation", "submitted_by", "reviewed_by"
    ).get(pk=report_id)


def _send(subject: str, body: str, recipients: list[str]) -> int:
    if not recipients:
        return 0
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)])


def report_submitted(*, report_id: int) -> int:
    report = _report(report_id)
    action = report.action
    subject = f"Compte rendu à relire : action {action.code} ({report.period_start.year})"
    body = (
        f"{action.lead_organisation} a transmis le compte rendu de l'action {action} "
        f"pour la période du {report.period_start:%d/%m/%Y} au {report.period_end:%d/%m/%Y}.\n\n"
        f"Convention : {action.axis.convention}\n"
        f"Pour le relire : {_link('actions:report', report.pk)}\n"
    )
    recipients = _officer_emails(action.axis.convention.funder_id)
    return _send(subject, body, recipients)


def report_reviewed(*, report_id: int) -> int:
    report = _report(report_id)
    action = report.action
    approved = report.status == ProgressReport.Status.APPROVED
    verdict = "approuvé" if approved else "renvoyé pour correction"
    subject = f"Compte rendu {verdict} : action {action.code} ({report.period_start.year})"
    body = (
        f"La CNSA a {verdict} le compte rendu de l'action {action} "
        f"pour la période du {report.period_start:%d/%m/%Y} au {report.period_end:%d/%m/%Y}.\n"
    )
    if report.review_comment:
        body += f"\nCommentaire du chargé de mission :\n{report.review_comment}\n"
    body += f"\nLe compte rendu : {_link('actions:report', report.pk)}\n"
    recipients = set(_partner_emails(action))
    if report.submitted_by and report.submitted_by.email:
        recipients.add(report.submitted_by.email)
    return _send(subject, body, sorted(recipients))


def overdue_reminders(*, today: datetime.date) -> int:
    """One e-mail per lead organisation listing its overdue reports; returns the number sent."""
    from actions.selectors import action_rows

    actions = list(
        Action.objects.exclude(status=Action.Status.CANCELLED)
        .filter(axis__convention__status="signed")
        .select_related("axis__convention", "lead_organisation")
    )
    late: dict[int, list[str]] = defaultdict(list)
    by_org = {}
    for row in action_rows(actions=actions, today=today):
        for due in row.overdue:
            late[row.action.lead_organisation_id].append(
                f"- action {row.action} : {due.label} ({_link('actions:action', row.action.pk)})"
            )
            by_org[row.action.lead_organisation_id] = row.action
    sent = 0
    for org_id, lines in late.items():
        action = by_org[org_id]
        body = (
            f"Bonjour,\n\nLes comptes rendus suivants de {action.lead_organisation} sont en retard "
            f"(un compte rendu annuel est dû dans les six mois suivant la fin de l'année) :\n\n"
            + "\n".join(lines)
            + "\n"
        )
        sent += _send("Comptes rendus d'avancement en retard", body, _partner_emails(action))
    return sent
