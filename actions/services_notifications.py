"""Notifications: record first, send after.

An event records one row per recipient inside the transaction that made it (a rolled-back change
notifies no one), with the delivery that person chose. E-mails leave after commit: a row is claimed
by a conditional UPDATE (pending -> sending) before its e-mail is sent and marked sent after, so a
row is never e-mailed twice, whether the sender runs twice or dies after sending. A row still
pending (the process died before claiming it) is sent by the next periodic run."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from actions.emails import notification_email
from actions.models import (
    Action,
    Delivery,
    Kind,
    Notification,
    NotificationDigest,
    NotificationPreference,
)
from actions.selectors_notifications import unread_forget

logger = logging.getLogger(__name__)
Mail = Notification.Mail


@dataclass(frozen=True)
class Event:
    kind: str
    subject: str
    body: str
    link: str = ""
    dedup_key: str = ""
    action_id: int | None = None
    deadline_id: int | None = None


def preferences_of(users: Iterable[User], kind: str) -> dict[int, str]:
    """Each user's delivery for one kind of event; immediate unless they chose otherwise."""
    ids = [u.pk for u in users]
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, Delivery.IMMEDIATE) for pk in ids}


def notify(
    *,
    recipients: Iterable[User],
    event: Event,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> list[Notification]:
    """Record the event for each recipient (once per dedup key); returns the new rows. E-mails of
    immediate rows are sent once the transaction commits."""
    people = {u.pk: u for u in recipients if u.is_active}
    deliveries = preferences_of(people.values(), event.kind)
    now = now or timezone.now()
    day = today or timezone.localdate(now)
    created = []
    for pk in sorted(people):
        user = people[pk]
        delivery = deliveries[pk]
        emailable = delivery != Delivery.NONE and bool(user.email)
        row = Notification(
            recipient=user,
            kind=event.kind,
            subject=event.subject[:300],
            body=event.body,
            link=event.link,
            dedup_key=event.dedup_key,
            action_id=event.action_id,
            deadline_id=event.deadline_id,
            delivery=delivery,
            mail_state=Mail.PENDING if emailable else Mail.SKIPPED,
            day=day,
            created_at=now,
        )
        if event.dedup_key:
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError:
                continue  # already recorded: the event was notified before
        else:
            row.save()
        created.append(row)
    immediate = [
        n.pk for n in created if n.mail_state == Mail.PENDING and n.delivery == "immediate"
    ]
    if created:
        told = [n.recipient for n in created]
        transaction.on_commit(lambda: _after_commit(told, immediate), robust=True)
    return created


def _after_commit(told: list[User], immediate: list[int]) -> None:
    """Each recipient's header count is recounted; immediate e-mails leave."""
    unread_forget(users=told)
    if immediate:
        notifications_deliver(ids=immediate)


def _claim(ids: list[int], recipient_id: int) -> list[Notification]:
    """pending -> sending, one person at a time, right before their e-mail: only the rows this call
    switched are its to send, and a death mid-way strands at most one person's e-mail."""
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, recipient_id=recipient_id, mail_state=Mail.PENDING)
            .select_related("recipient")
            .order_by("created_at", "pk")
        )
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(mail_state=Mail.SENDING)
    return claimed


def notifications_deliver(*, ids: list[int]) -> int:
    """E-mail the given immediate notifications: one e-mail per person. Returns e-mails sent."""
    pending = Notification.objects.filter(pk__in=ids, mail_state=Mail.PENDING)
    sent = 0
    for recipient_id in sorted(set(pending.values_list("recipient_id", flat=True))):
        rows = _claim(ids, recipient_id)
        if not rows:
            continue  # another sender took them
        recipient = rows[0].recipient
        subject = rows[0].subject if len(rows) == 1 else f"{len(rows)} nouvelles notifications"
        try:
            notification_email(recipient=recipient, notifications=rows, subject=subject).send()
        except Exception:
            # Claimed but not sent: kept as « sending » (never sent twice), logged for follow-up.
            logger.exception("notification e-mail failed for user %s", recipient.pk)
            continue
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
            mail_state=Mail.SENT, emailed_at=timezone.now()
        )
        sent += 1
    return sent


def notifications_deliver_pending() -> int:
    """The periodic catch-up: immediate rows recorded but never claimed (a process died)."""
    ids = list(
        Notification.objects.filter(
            mail_state=Mail.PENDING, delivery=Delivery.IMMEDIATE
        ).values_list("pk", flat=True)
    )
    return notifications_deliver(ids=ids) if ids else 0


def digests_send(*, day: datetime.date) -> int:
    """One e-mail per person with exactly the events of `day` they asked to get in a digest."""
    pending = Notification.objects.filter(
        day=day, delivery=Delivery.DIGEST, mail_state=Mail.PENDING
    )
    sent = 0
    for recipient_id in sorted(set(pending.values_list("recipient_id", flat=True))):
        try:
            with transaction.atomic():
                digest = NotificationDigest.objects.create(recipient_id=recipient_id, day=day)
                rows = list(
                    pending.filter(recipient_id=recipient_id)
                    .select_for_update()
                    .select_related("recipient")
                    .order_by("created_at", "pk")
                )
                Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
                    mail_state=Mail.SENDING, digest=digest
                )
        except IntegrityError:
            continue  # this person's digest of that day was already claimed
        if not rows:
            continue
        recipient = rows[0].recipient
        message = notification_email(
            recipient=recipient,
            notifications=rows,
            subject=f"Récapitulatif du {day:%d/%m/%Y} : {len(rows)} notification{'s' if len(rows) > 1 else ''}",
            intro=f"Voici ce qui s'est passé le {day:%d/%m/%Y} dans le suivi des conventions.",
        )
        try:
            message.send()
        except Exception:
            logger.exception("digest e-mail failed for user %s", recipient_id)
            continue
        now = timezone.now()
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
            mail_state=Mail.SENT, emailed_at=now
        )
        NotificationDigest.objects.filter(pk=digest.pk).update(sent_at=now)
        sent += 1
    return sent


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.visible_to(user).unread()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    count = rows.update(read_at=timezone.now())
    unread_forget(users=[user])
    return count


def notification_preferences_set(*, user: User, choices: dict[str, str]) -> None:
    for kind, delivery in choices.items():
        Kind(kind), Delivery(delivery)  # a stable code, or ValueError
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )


def reminders_cancel(
    *, action: Action, period_start: datetime.date, period_end: datetime.date
) -> int:
    """A report was transmitted: reminders about the deadlines it settles, not yet e-mailed (a
    digest still to come), become moot."""
    settled = Q(deadline__period_end__range=(period_start, period_end))
    if period_start <= action.end_date <= period_end:
        settled |= Q(deadline__period_end__gte=action.end_date)
    return (
        Notification.objects.filter(action=action, kind=Kind.REMINDER, mail_state=Mail.PENDING)
        .filter(settled)
        .update(mail_state=Mail.CANCELLED)
    )
