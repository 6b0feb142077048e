"""The pages that show conversations and notifications cost the same number of queries with
few or many messages, attachments, reports, notifications and deadlines."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.services import message_post
from actions.services_calendar import report_deadline_add_interim, reporting_calendar_sync
from tests.actions.files import PDF
from tests.factories import ActionFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db


def _fill(world, report, size: int) -> None:
    for n in range(size):
        files = [SimpleUploadedFile(f"piece-{n}.pdf", PDF, content_type="application/pdf")]
        for target in (None, report):
            message_post(
                action=world.action69,
                report=target,
                by=world.officer,
                body=f"Note {n}",
                internal=True,
                files=files if n % 2 else [],
            )
            message_post(action=world.action69, report=target, by=world.officer, body="Réponse")
            message_post(
                action=world.action69,
                report=target,
                by=world.contributor69,
                body=f"Message {n}",
            )
    for n in range(size):
        ActionFactory(axis=world.axis, lead_organisation=world.ud69, code=f"8.{n}")
        report_deadline_add_interim(
            convention=world.convention,
            period_end=datetime.date(2019, 3, 1 + n),
            due_on=datetime.date(2019, 5, 1 + n),
            by=world.officer,
        )


def _count(client, url, django_assert_max_num_queries) -> int:
    client.get(url)  # warm: the thread is marked read, the unread count cached
    with django_assert_max_num_queries(40) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


PAGES = {
    # session, user, memberships, the page's own reads (the thread, its messages and their files,
    # the reader's marker, the thread's notifications marked read), DSFR config; the unread count
    # comes from the cache
    "action": 15,
    "report": 16,
    "action_thread": 10,
    "notifications": 6,
    "notification_preferences": 5,
    "calendar": 10,
}


@pytest.mark.parametrize("who", ["officer", "contributor69"])
@pytest.mark.parametrize("size", [1, 6])
def test_each_page_costs_the_same_at_two_sizes(
    client, world, who, size, django_assert_max_num_queries
):
    reporting_calendar_sync(convention=world.convention)
    report = ProgressReportFactory(action=world.action69, narrative="Fait.")
    _fill(world, report, size)
    client.force_login(getattr(world, who))
    urls = {
        "action": reverse("actions:action", args=[world.action69.pk]),
        "report": reverse("actions:report", args=[report.pk]),
        "action_thread": reverse("actions:action_thread", args=[world.action69.pk]),
        "notifications": reverse("actions:notifications"),
        "notification_preferences": reverse("actions:notification_preferences"),
        "calendar": reverse("actions:calendar", args=[world.convention.pk]),
    }

    counts = {
        name: _count(client, url, django_assert_max_num_queries) for name, url in urls.items()
    }

    assert counts == PAGES
