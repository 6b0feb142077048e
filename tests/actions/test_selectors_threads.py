"""Conversations as each person reads them: a union never reads an internal note, another union
reads nothing; what is new to someone (never their own words, no longer once read), the thread
of an action apart from its reports', and the unread count of each."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from actions.models import Message
from actions.selectors_threads import (
    is_unread,
    mark_unread_reports,
    messages_for,
    thread_view,
    unread_by_report,
    unread_filter,
)
from actions.services import message_post, thread_mark_read
from tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world):
    return ProgressReportFactory(action=world.action69, narrative="Six séances.")


@pytest.fixture
def talk(world, report):
    """On the action: the union asks, the officer notes then answers; on the report: a note."""
    return {
        "question": message_post(action=world.action69, by=world.contributor69, body="Question"),
        "note": message_post(
            action=world.action69, by=world.officer, body="Note interne", internal=True
        ),
        "answer": message_post(action=world.action69, by=world.officer, body="Réponse"),
        "report_answer": message_post(
            action=world.action69, report=report, by=world.officer, body="Sur le compte rendu"
        ),
    }


def _bodies(messages) -> list[str]:
    return [m.body for m in messages]


class TestMessagesFor:
    def test_a_union_never_reads_an_internal_note_the_officer_does(self, world, talk):
        union = messages_for(user=world.contributor69).order_by("pk")
        officer = messages_for(user=world.officer).order_by("pk")

        assert _bodies(union) == ["Question", "Réponse", "Sur le compte rendu"]
        assert _bodies(officer) == ["Question", "Note interne", "Réponse", "Sur le compte rendu"]

    def test_another_union_and_a_visitor_read_nothing(self, world, talk):
        assert not messages_for(user=world.contributor13).exists()
        assert not messages_for(user=AnonymousUser()).exists()

    def test_the_porteurs_coordinator_reads_the_unions_messages_but_no_note(self, world, talk):
        assert "Note interne" not in _bodies(messages_for(user=world.coordinator))
        assert "Question" in _bodies(messages_for(user=world.coordinator))

    def test_each_message_says_whether_it_comes_from_the_cnsa(self, world, talk):
        rows = {m.body: m.from_cnsa for m in messages_for(user=world.contributor69)}

        assert rows == {"Question": False, "Réponse": True, "Sur le compte rendu": True}

    def test_an_officer_who_left_no_longer_speaks_for_the_cnsa(self, world, talk):
        world.officer.memberships.update(is_active=False)

        answer = messages_for(user=world.contributor69).get(pk=talk["answer"].pk)

        assert answer.from_cnsa is False

    def test_seen_follows_the_persons_read_marker(self, world, talk):
        thread_mark_read(
            thread=talk["answer"].thread, user=world.contributor69, last_id=talk["note"].pk
        )

        seen = {m.body: m.seen for m in messages_for(user=world.contributor69)}

        assert seen == {"Question": True, "Réponse": False, "Sur le compte rendu": False}


class TestIsUnread:
    def test_a_message_is_new_until_seen_and_never_to_its_author(self, world, talk):
        answer = messages_for(user=world.contributor69).get(pk=talk["answer"].pk)
        question = messages_for(user=world.contributor69).get(pk=talk["question"].pk)

        assert is_unread(answer, world.contributor69)
        assert not is_unread(question, world.contributor69)  # their own
        thread_mark_read(thread=answer.thread, user=world.contributor69, last_id=answer.pk)
        answer = messages_for(user=world.contributor69).get(pk=talk["answer"].pk)
        assert not is_unread(answer, world.contributor69)

    def test_a_message_without_marker_counts_as_new(self, world, talk):
        plain = Message.objects.get(pk=talk["answer"].pk)

        assert is_unread(plain, world.contributor69)
        assert not is_unread(plain, world.officer)


class TestThreadView:
    def test_an_action_without_conversation_shows_an_empty_thread(self, world):
        view = thread_view(user=world.contributor69, action=world.action69)

        assert (view.thread, view.messages, view.unread, view.last_id) == (None, [], 0, 0)
        assert view.can_post and not view.can_write_notes

    def test_the_action_thread_leaves_the_reports_aside(self, world, report, talk):
        action_view = thread_view(user=world.contributor69, action=world.action69)
        report_view = thread_view(user=world.contributor69, action=world.action69, report=report)

        assert _bodies(action_view.messages) == ["Question", "Réponse"]
        assert _bodies(report_view.messages) == ["Sur le compte rendu"]
        assert report_view.thread.report == report

    def test_new_messages_are_flagged_and_counted(self, world, talk):
        view = thread_view(user=world.contributor69, action=world.action69)

        assert [(m.body, m.unread) for m in view.messages] == [
            ("Question", False),
            ("Réponse", True),
        ]
        assert view.unread == 1
        assert view.last_id == talk["answer"].pk

    def test_the_officer_reads_the_note_and_may_write_one_a_reader_may_do_neither(
        self, world, talk
    ):
        officer = thread_view(user=world.officer, action=world.action69)
        reader = thread_view(user=world.reader69, action=world.action69)

        assert _bodies(officer.messages) == ["Question", "Note interne", "Réponse"]
        assert officer.can_post and officer.can_write_notes
        assert _bodies(reader.messages) == ["Question", "Réponse"]
        assert not reader.can_post and not reader.can_write_notes


class TestUnreadByReport:
    def test_counts_per_thread_none_for_the_actions_own(self, world, report, talk):
        assert unread_by_report(user=world.contributor69, action=world.action69) == {
            None: 1,
            report.pk: 1,
        }
        # For the officer, only the union's question is new: the note and answers are theirs.
        assert unread_by_report(user=world.officer, action=world.action69) == {None: 1}

    def test_a_read_thread_drops_out_and_a_note_never_counts_for_a_union(self, world, report, talk):
        thread_mark_read(
            thread=talk["answer"].thread, user=world.contributor69, last_id=talk["answer"].pk
        )
        message_post(action=world.action69, by=world.officer, body="Autre note", internal=True)

        assert unread_by_report(user=world.contributor69, action=world.action69) == {report.pk: 1}

    def test_another_union_has_nothing_new(self, world, talk):
        assert unread_by_report(user=world.contributor13, action=world.action69) == {}

    def test_each_report_gets_its_count_zero_when_nothing_is_new(self, world, report, talk):
        other = ProgressReportFactory(
            action=world.action69,
            period_start=datetime.date(2020, 1, 1),
            period_end=datetime.date(2020, 12, 31),
        )
        reports = [report, other]

        mark_unread_reports(user=world.contributor69, action=world.action69, reports=reports)

        assert [r.unread_messages for r in reports] == [1, 0]


class TestUnreadFilter:
    def test_keeps_the_messages_new_to_the_person_only(self, world, talk):
        thread_mark_read(
            thread=talk["question"].thread, user=world.contributor69, last_id=talk["answer"].pk
        )

        new = messages_for(user=world.contributor69).filter(unread_filter(world.contributor69))

        assert _bodies(new) == ["Sur le compte rendu"]
        officer_new = messages_for(user=world.officer).filter(unread_filter(world.officer))
        assert _bodies(officer_new) == ["Question"]
