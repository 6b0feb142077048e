"""E-mails in French: a greeting, the events, the service's signature; HTML and plain text; links
built on SITE_BASE_URL."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from actions.models import Notification
from core.people import person_name


def absolute(path: str) -> str:
    return settings.SITE_BASE_URL.rstrip("/") + path if path.startswith("/") else path


def greeting_name(user: User) -> str:
    return person_name(user)


def notification_email(
    *, recipient: User, notifications: Sequence[Notification], subject: str, intro: str = ""
) -> EmailMultiAlternatives:
    context = {
        "name": greeting_name(recipient),
        "intro": intro,
        "items": [
            {"subject": n.subject, "body": n.body, "url": absolute(n.link) if n.link else ""}
            for n in notifications
        ],
        "signature": settings.NOTIFICATIONS_SIGNATURE.splitlines(),
        "preferences_url": absolute(reverse("actions:notification_preferences")),
        "site_url": settings.SITE_BASE_URL.rstrip("/"),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("actions/emails/notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(
        render_to_string("actions/emails/notification.html", context), "text/html"
    )
    return message
