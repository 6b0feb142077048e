"""Writing in conversations: who may write and who may write internal notes, one thread per
action and per report, a message refused when it belongs elsewhere or carries too many files,
review comments kept as messages, files added by their author only, read markers that only move
forward, and the « new message » notifications read with their thread."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import Message, Notification, Thread, ThreadRead
from actions.selectors_notifications import unread_count
from actions.services_threads import (
    MAX_FILES_PER_MESSAGE,
    can_post,
    can_write_notes,
    message_attach,
    message_post,
    message_record,
    thread_for,
    thread_mark_read,
    thread_notifications_read,
)
from tests.actions.files import PDF
from tests.factories import ActionFactory, MembershipFactory, ProgressReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def _pdfs(count: int) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(f"piece-{n}.pdf", PDF, content_type="application/pdf")
        for n in range(count)
    ]


class TestWhoWrites:
    def test_the_officer_the_pilot_and_the_porteur_may_write(self, world):
        for user in (world.officer, world.contributor69, world.coordinator):
            assert can_post(user, world.action69), user.username

    def test_a_reader_another_union_and_nobody_may_not(self, world):
        assert not can_post(world.reader69, world.action69)
        assert not can_post(world.contributor13, world.action69)
        assert not can_post(None, world.action69)

    def test_a_stranger_with_a_role_elsewhere_may_not(self, world):
        stranger = UserFactory(username="autre.coordinateur")
        MembershipFactory(user=stranger, role="coordinator")

        assert not can_post(stranger, world.action69)

    def test_a_coordinator_whose_membership_ended_may_not(self, world):
        world.coordinator.memberships.update(is_active=False)

        assert not can_post(world.coordinator, world.action69)

    def test_only_cnsa_officers_write_internal_notes(self, world):
        assert can_write_notes(world.officer)
        for user in (world.coordinator, world.contributor69, world.reader69, None):
            assert not can_write_notes(user)


class TestThreads:
    def test_one_thread_per_action_and_one_per_report_opened_on_first_use(self, world):
        report = ProgressReportFactory(action=world.action69)

        action_thread = thread_for(action=world.action69)
        report_thread = thread_for(action=world.action69, report=report)

        assert thread_for(action=world.action69) == action_thread
        assert thread_for(action=world.action69, report=report) == report_thread
        assert action_thread != report_thread and report_thread.report == report
        assert Thread.objects.count() == 2

    def test_a_message_about_another_actions_report_is_refused(self, world):
        elsewhere = ProgressReportFactory(action=world.action13)

        with pytest.raises(ValidationError, match="n'appartient pas"):
            message_post(action=world.action69, report=elsewhere, by=world.officer, body="x")
        assert not Message.objects.exists()

    def test_more_files_than_allowed_are_refused(self, world):
        with pytest.raises(ValidationError, match="au plus 5 fichiers"):
            message_post(
                action=world.action69,
                by=world.contributor69,
                body="Voici",
                files=_pdfs(MAX_FILES_PER_MESSAGE + 1),
            )
        assert not Message.objects.exists()


class TestMessageRecord:
    def test_a_review_comment_goes_into_the_reports_thread_without_notification(self, world):
        report = ProgressReportFactory(action=world.action69)

        message = message_record(
            report=report, by=world.officer, body="Joignez les feuilles.", event="return"
        )

        assert message.thread == thread_for(action=world.action69, report=report)
        assert (message.author, message.body, message.event, message.internal) == (
            world.officer,
            "Joignez les feuilles.",
            "return",
            False,
        )
        assert not Notification.objects.exists()

    def test_each_comment_is_kept_nothing_overwritten(self, world):
        report = ProgressReportFactory(action=world.action69)

        message_record(report=report, by=world.officer, body="Premier", event="return")
        message_record(report=report, by=world.officer, body="Second", event="reopening")

        assert list(Message.objects.values_list("body", "event")) == [
            ("Premier", "return"),
            ("Second", "reopening"),
        ]


class TestMessageAttach:
    def test_the_author_adds_files_up_to_the_limit(self, world):
        message = message_post(
            action=world.action69, by=world.contributor69, body="Voici", files=_pdfs(3)
        )

        added = message_attach(message=message, files=_pdfs(2), by=world.contributor69)

        assert len(added) == 2 and message.attachments.count() == MAX_FILES_PER_MESSAGE
        with pytest.raises(ValidationError, match="au plus 5 pièces jointes"):
            message_attach(message=message, files=_pdfs(1), by=world.contributor69)
        assert message.attachments.count() == MAX_FILES_PER_MESSAGE

    def test_nobody_else_adds_files_to_a_message(self, world):
        message = message_post(action=world.action69, by=world.contributor69, body="Voici")

        with pytest.raises(PermissionDenied):
            message_attach(message=message, files=_pdfs(1), by=world.officer)
        assert not message.attachments.exists()


class TestThreadMarkRead:
    @pytest.fixture
    def messages(self, world):
        return [
            message_post(action=world.action69, by=world.contributor69, body=body)
            for body in ("Un", "Deux")
        ]

    def test_the_first_reading_opens_the_marker_the_next_moves_it_forward(self, world, messages):
        first, second = messages
        thread = first.thread

        thread_mark_read(thread=thread, user=world.officer, last_id=first.pk)
        opened = ThreadRead.objects.get(thread=thread, user=world.officer)
        thread_mark_read(thread=thread, user=world.officer, last_id=second.pk)
        moved = ThreadRead.objects.get(thread=thread, user=world.officer)

        assert opened.last_read_id == first.pk
        assert moved.last_read_id == second.pk and moved.read_at >= opened.read_at

    def test_an_older_reading_never_moves_the_marker_back(self, world, messages):
        first, second = messages
        thread_mark_read(thread=first.thread, user=world.officer, last_id=second.pk)

        thread_mark_read(thread=first.thread, user=world.officer, last_id=first.pk)

        assert ThreadRead.objects.get(user=world.officer).last_read_id == second.pk

    def test_nothing_is_recorded_for_an_empty_thread_or_a_visitor(self, world, messages):
        thread_mark_read(thread=messages[0].thread, user=world.officer, last_id=0)
        thread_mark_read(thread=messages[0].thread, user=AnonymousUser(), last_id=messages[1].pk)

        assert not ThreadRead.objects.exists()


class TestThreadNotificationsRead:
    LINK = "/actions/{}/#echanges"

    def test_reading_the_thread_reads_its_message_notifications_only(self, world):
        cache.clear()
        message_post(action=world.action69, by=world.contributor69, body="Un")
        message_post(action=world.action13, by=world.contributor13, body="Ailleurs")
        assert unread_count(user=world.officer) == 2  # now cached

        count = thread_notifications_read(
            user=world.officer, link=self.LINK.format(world.action69.pk)
        )

        assert count == 1
        unread = Notification.objects.filter(recipient=world.officer, read_at__isnull=True)
        assert [n.link for n in unread] == [self.LINK.format(world.action13.pk)]
        assert unread_count(user=world.officer) == 1  # the cached count was forgotten

    def test_another_persons_notifications_stay_unread(self, world):
        rhone_action = ActionFactory(axis=world.axis, lead_organisation=world.ud69)
        message_post(action=rhone_action, by=world.officer, body="Pour le Rhône")
        link = self.LINK.format(rhone_action.pk)

        assert thread_notifications_read(user=world.officer, link=link) == 0
        assert thread_notifications_read(user=world.contributor69, link=link) == 1
        assert thread_notifications_read(user=world.contributor69, link=link) == 0
