"""Who is told what about progress reports. Recorded in the transaction of the event (a rolled-back
change tells no one), e-mailed after it commits, as each person chose."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import reverse

from actions.models import Action, Kind, Message, ProgressReport
from actions.services_notifications import Event, notify
from conventions.access import is_officer
from conventions.models import Membership


def officers(funder_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__organisation_id=funder_id,
        memberships__role=Membership.Role.OFFICER,
        memberships__is_active=True,
    ).distinct()


def action_leads(action: Action) -> QuerySet[User]:
    """The people who lead the action: contributors and coordinators of its lead organisation."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation_id=action.lead_organisation_id,
        memberships__role__in=[Membership.Role.CONTRIBUTOR, Membership.Role.COORDINATOR],
        memberships__is_active=True,
    ).distinct()


def _period(report: ProgressReport) -> str:
    return f"du {report.period_start:%d/%m/%Y} au {report.period_end:%d/%m/%Y}"


def report_submitted(*, report: ProgressReport) -> None:
    action = report.action
    notify(
        recipients=officers(action.axis.convention.funder_id),
        event=Event(
            kind=Kind.SUBMISSION,
            subject=f"Compte rendu à relire : action {action.code} ({report.period_start.year})",
            body=(
                f"{action.lead_organisation} a transmis le compte rendu de l'action {action} "
                f"pour la période {_period(report)}.\nConvention : {action.axis.convention}"
            ),
            link=reverse("actions:report", args=[report.pk]),
            action_id=action.pk,
        ),
    )


def _partners(report: ProgressReport) -> list[User]:
    people = list(action_leads(report.action))
    if report.submitted_by and report.submitted_by not in people:
        people.append(report.submitted_by)
    return people


def report_reviewed(*, report: ProgressReport) -> None:
    action = report.action
    approved = report.status == ProgressReport.Status.APPROVED
    verdict = "approuvé" if approved else "renvoyé pour correction"
    body = (
        f"La CNSA a {verdict} le compte rendu de l'action {action} pour la période "
        f"{_period(report)}."
    )
    if report.review_comment:
        body += f"\n\nCommentaire du chargé de mission :\n{report.review_comment}"
    notify(
        recipients=_partners(report),
        event=Event(
            kind=Kind.APPROVAL if approved else Kind.RETURN,
            subject=f"Compte rendu {verdict} : action {action.code} ({report.period_start.year})",
            body=body,
            link=reverse("actions:report", args=[report.pk]),
            action_id=action.pk,
        ),
    )


def report_reopened(*, report: ProgressReport, reason: str) -> None:
    action = report.action
    notify(
        recipients=_partners(report),
        event=Event(
            kind=Kind.RETURN,
            subject=f"Compte rendu rouvert : action {action.code} ({report.period_start.year})",
            body=(
                f"La CNSA a rouvert le compte rendu approuvé de l'action {action} pour la période "
                f"{_period(report)}, afin qu'il soit corrigé puis transmis à nouveau.\n\n"
                f"Motif :\n{reason}"
            ),
            link=reverse("actions:report", args=[report.pk]),
            action_id=action.pk,
        ),
    )


def _writers(message: Message) -> QuerySet[User]:
    """Who already wrote in the thread (notes aside): they follow the conversation."""
    return User.objects.filter(
        is_active=True,
        pk__in=Message.objects.filter(thread_id=message.thread_id, internal=False)
        .exclude(author=None)
        .values("author_id"),
    )


def message_posted(*, message: Message, action: Action, report: ProgressReport | None) -> None:
    """The other side (officers for a partner's message, the pilot for the CNSA's), and whoever
    already wrote in the thread; an internal note, the convention's officers only."""
    author = message.author
    cnsa = officers(action.axis.convention.funder_id)
    if message.internal:
        people = list(cnsa)
    else:
        side = list(action_leads(action)) if is_officer(author) else list(cnsa)
        if report is not None and report.submitted_by and not is_officer(author):
            side.append(report.submitted_by)
        people = [*side, *_writers(message)]
    recipients = [u for u in people if author is None or u.pk != author.pk]
    about = f"le compte rendu {_period(report)} de" if report else "l'action"
    name = (author.get_full_name() or author.username) if author else "Quelqu'un"
    files = message.attachments.count()
    body = f"{name} a écrit {'une note interne ' if message.internal else ''}sur {about} {action} :\n\n"
    body += message.body[:1000] + ("…" if len(message.body) > 1000 else "")
    if files:
        body += f"\n\n({files} pièce{'s' if files > 1 else ''} jointe{'s' if files > 1 else ''})"
    link = (
        reverse("actions:report", args=[report.pk])
        if report
        else reverse("actions:action", args=[action.pk])
    )
    notify(
        recipients=recipients,
        event=Event(
            kind=Kind.MESSAGE,
            subject=f"{'Note interne' if message.internal else 'Nouveau message'} : action {action.code}"
            + (f" ({report.period_start.year})" if report else ""),
            body=body,
            link=f"{link}#echanges",
            action_id=action.pk,
        ),
    )
