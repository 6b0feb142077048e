"""Reads on conversations: a thread as one person sees it (notes only for officers), with what
is new to them, and the unread count of each thread of an action."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from actions.models import Action, Message, ProgressReport, Thread, ThreadRead
from actions.services_threads import can_post, can_write_notes
from conventions.models import Membership, Organisation


def _seen(user: User | AnonymousUser) -> Exists:
    return Exists(
        ThreadRead.objects.filter(
            user_id=user.pk or 0, thread_id=OuterRef("thread_id"), last_read_id__gte=OuterRef("pk")
        )
    )


def _from_cnsa() -> Exists:
    return Exists(
        Membership.objects.filter(
            user_id=OuterRef("author_id"),
            role=Membership.Role.OFFICER,
            organisation__kind=Organisation.Kind.FUNDER,
            is_active=True,
        )
    )


def messages_for(*, user: User | AnonymousUser) -> QuerySet[Message]:
    """Messages one may read, each with `seen` (read by them) and `from_cnsa`."""
    return (
        Message.objects.visible_to(user)
        .select_related("author", "thread")
        .prefetch_related("attachments")
        .annotate(seen=_seen(user), from_cnsa=_from_cnsa())
    )


def is_unread(message: Message, user: User | AnonymousUser) -> bool:
    return not getattr(message, "seen", False) and message.author_id != user.pk


@dataclass
class ThreadView:
    action: Action
    report: ProgressReport | None
    thread: Thread | None
    messages: list[Message] = field(default_factory=list)
    can_post: bool = False
    can_write_notes: bool = False

    @property
    def unread(self) -> int:
        return sum(1 for m in self.messages if getattr(m, "unread", False))

    @property
    def last_id(self) -> int:
        return max((m.pk for m in self.messages), default=0)


def thread_view(*, user: User, action: Action, report: ProgressReport | None = None) -> ThreadView:
    """The thread of the report (or of the action) in three queries at most."""
    threads = Thread.objects.filter(action=action)
    threads = threads.filter(report=report) if report else threads.filter(report__isnull=True)
    thread = threads.first()
    view = ThreadView(
        action=action,
        report=report,
        thread=thread,
        can_post=can_post(user, action),
        can_write_notes=can_write_notes(user),
    )
    if thread is not None:
        view.messages = list(messages_for(user=user).filter(thread=thread).order_by("pk"))
        for message in view.messages:
            message.unread = is_unread(message, user)  # type: ignore[attr-defined]
    return view


def unread_by_report(*, user: User, action: Action) -> dict[int | None, int]:
    """Messages new to the person in each thread of the action (None: the action's own)."""
    rows = (
        Message.objects.visible_to(user)
        .filter(thread__action=action)
        .exclude(author_id=user.pk)
        .annotate(seen=_seen(user))
        .filter(seen=False)
        .values("thread__report_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["thread__report_id"]: row["count"] for row in rows}


def mark_unread_reports(*, user: User, action: Action, reports) -> None:
    """Each report of the action page gets `unread_messages`: new messages in its thread."""
    counts = unread_by_report(user=user, action=action)
    for report in reports:
        report.unread_messages = counts.get(report.pk, 0)


def unread_filter(user: User) -> Q:
    """For lists: messages not yet read by the person, theirs aside."""
    return Q(seen=False) & ~Q(author_id=user.pk)
