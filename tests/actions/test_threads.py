"""Conversations: who writes, who reads (a union never reads an internal note, by page or API),
review comments kept as messages, unread markers, files checked like a report's."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Message, Notification
from actions.selectors_threads import thread_view, unread_by_report
from actions.services import (
    message_post,
    progress_report_approve,
    progress_report_return,
    progress_report_submit,
    thread_mark_read,
)
from tests.actions.files import HTML, PDF
from tests.api.conftest import token_client
from tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world):
    report = ProgressReportFactory(action=world.action69, narrative="Six séances.")
    progress_report_submit(report=report, by=world.contributor69)
    return report


def _pdf(name="emargement.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class TestWriting:
    def test_the_union_writes_and_the_officer_is_told(self, world):
        message = message_post(action=world.action69, by=world.contributor69, body=" Bonjour ")

        assert (message.body, message.internal, message.event) == ("Bonjour", False, "message")
        (told,) = Notification.objects.filter(kind="message")
        assert told.recipient == world.officer
        assert told.link == f"/actions/{world.action69.pk}/#echanges"

    def test_the_officer_answers_and_the_union_leading_the_action_is_told(self, world):
        message_post(action=world.action69, by=world.officer, body="Merci.")

        recipients = {n.recipient.username for n in Notification.objects.filter(kind="message")}
        assert recipients == {"udccas69.contributeur"}

    def test_an_internal_note_tells_only_other_officers(self, world):
        message_post(action=world.action69, by=world.officer, body="À surveiller.", internal=True)

        assert not Notification.objects.filter(kind="message").exists()

    def test_a_reader_and_another_union_may_not_write(self, world):
        for user in (world.reader69, world.contributor13):
            with pytest.raises(PermissionDenied):
                message_post(action=world.action69, by=user, body="Bonjour")

    def test_a_union_may_not_write_an_internal_note(self, world):
        with pytest.raises(PermissionDenied, match="notes internes"):
            message_post(action=world.action69, by=world.contributor69, body="x", internal=True)

    def test_an_empty_message_is_refused_in_french(self, world):
        with pytest.raises(ValidationError) as error:
            message_post(action=world.action69, by=world.contributor69, body="   ")

        assert error.value.message_dict == {"body": ["Écrivez votre message avant de l'envoyer."]}
        assert not Message.objects.exists()

    def test_files_are_checked_like_a_reports_and_nothing_is_kept_when_refused(self, world):
        bad = SimpleUploadedFile("note.pdf", HTML, content_type="application/pdf")

        with pytest.raises(ValidationError, match="pas accepté"):
            message_post(
                action=world.action69, by=world.contributor69, body="Voici", files=[_pdf(), bad]
            )
        message = message_post(
            action=world.action69, by=world.contributor69, body="Voici", files=[_pdf()]
        )

        assert Message.objects.count() == 1
        (attachment,) = message.attachments.all()
        assert (attachment.original_name, attachment.content_type) == (
            "emargement.pdf",
            "application/pdf",
        )


class TestReviewComments:
    def test_each_return_comment_stays_in_the_thread(self, world, report):
        progress_report_return(report=report, by=world.officer, comment="Joignez les feuilles.")
        report.refresh_from_db()
        progress_report_submit(report=report, by=world.contributor69)
        progress_report_return(report=report, by=world.officer, comment="Et le budget.")
        report.refresh_from_db()
        progress_report_submit(report=report, by=world.contributor69)
        progress_report_approve(report=report, by=world.officer, comment="Parfait.")

        thread = thread_view(user=world.contributor69, action=world.action69, report=report)
        assert [(m.event, m.body) for m in thread.messages] == [
            ("return", "Joignez les feuilles."),
            ("return", "Et le budget."),
            ("approval", "Parfait."),
        ]
        # The review's own notification tells the partner, not a second « message » one.
        assert not Notification.objects.filter(kind="message").exists()

    def test_an_approval_without_comment_writes_nothing(self, world, report):
        progress_report_approve(report=report, by=world.officer)

        assert not Message.objects.exists()


@pytest.fixture
def note_and_message(world, report):
    note = message_post(
        action=world.action69,
        report=report,
        by=world.officer,
        body="Note : vérifier la facture du prestataire.",
        internal=True,
        files=[_pdf("facture-interne.pdf")],
    )
    public = message_post(
        action=world.action69, report=report, by=world.officer, body="Pouvez-vous préciser ?"
    )
    return note, public


class TestVisibility:
    def test_a_union_never_reads_an_internal_note_on_the_pages(
        self, client, world, report, note_and_message
    ):
        client.force_login(world.contributor69)
        for url in (
            reverse("actions:report", args=[report.pk]),
            reverse("actions:report_thread", args=[report.pk]),
        ):
            page = client.get(url).content.decode()
            assert "Pouvez-vous préciser ?" in page
            assert "vérifier la facture" not in page and "facture-interne" not in page
            assert "Note interne" not in page

    def test_the_officer_reads_both(self, client, world, report, note_and_message):
        client.force_login(world.officer)

        page = client.get(reverse("actions:report", args=[report.pk])).content.decode()

        assert "vérifier la facture" in page and "Pouvez-vous préciser ?" in page
        assert "Note interne" in page

    def test_a_union_never_reads_an_internal_note_through_the_api(
        self, world, report, note_and_message
    ):
        note, public = note_and_message
        api = token_client(world.contributor69)

        listed = api.get(f"/api/v1/messages/?report={report.pk}").json()["results"]
        attachment = note.attachments.get()

        assert [m["id"] for m in listed] == [public.pk]
        assert api.get(f"/api/v1/messages/{note.pk}/").status_code == 404
        assert (
            api.get(f"/api/v1/messages/{note.pk}/attachments/{attachment.pk}/").status_code == 404
        )
        assert api.post(f"/api/v1/messages/{note.pk}/read/").status_code == 404

    def test_a_union_cannot_download_a_notes_file(self, client, world, note_and_message):
        note, _ = note_and_message
        url = reverse("actions:message_attachment", args=[note.attachments.get().pk])

        client.force_login(world.contributor69)
        assert client.get(url).status_code == 404
        client.force_login(world.officer)
        assert client.get(url).status_code == 200

    def test_another_union_sees_nothing_of_the_thread(
        self, client, world, report, note_and_message
    ):
        _, public = note_and_message
        api = token_client(world.contributor13)

        assert api.get("/api/v1/messages/").json()["results"] == []
        assert api.get(f"/api/v1/messages/{public.pk}/").status_code == 404
        client.force_login(world.contributor13)
        assert client.get(reverse("actions:report_thread", args=[report.pk])).status_code == 404

    def test_the_porteurs_coordinator_reads_the_unions_thread(
        self, world, report, note_and_message
    ):
        thread = thread_view(user=world.coordinator, action=world.action69, report=report)

        assert [m.body for m in thread.messages] == ["Pouvez-vous préciser ?"]
        assert thread.can_post and not thread.can_write_notes


class TestUnread:
    def test_new_messages_are_marked_until_the_person_reads_the_thread(
        self, client, world, report, note_and_message
    ):
        assert unread_by_report(user=world.contributor69, action=world.action69) == {report.pk: 1}
        client.force_login(world.contributor69)

        action_page = client.get(reverse("actions:action", args=[world.action69.pk]))
        first = client.get(reverse("actions:report", args=[report.pk])).content.decode()
        second = client.get(reverse("actions:report", args=[report.pk])).content.decode()

        assert "1 message non lu" in action_page.content.decode()
        assert "Nouveau" in first and "Nouveau" not in second
        assert unread_by_report(user=world.contributor69, action=world.action69) == {}
        # The officer's own messages are never new to them; the union's answer is.
        message_post(action=world.action69, report=report, by=world.contributor69, body="Oui.")
        assert unread_by_report(user=world.officer, action=world.action69) == {report.pk: 1}

    def test_the_api_marks_and_clears(self, world, report, note_and_message):
        _, public = note_and_message
        api = token_client(world.contributor69)

        before = api.get(f"/api/v1/messages/{public.pk}/").json()
        read = api.post(f"/api/v1/messages/{public.pk}/read/").json()

        assert (before["unread"], read["unread"]) == (True, False)
        assert before["from_cnsa"] is True and before["author"] == "cnsa.officer"

    def test_markers_only_move_forward(self, world, report, note_and_message):
        note, public = note_and_message
        thread = public.thread
        thread_mark_read(thread=thread, user=world.officer, last_id=public.pk)
        thread_mark_read(thread=thread, user=world.officer, last_id=note.pk)

        assert thread.reads.get(user=world.officer).last_read_id == public.pk


class TestPages:
    def test_sending_from_the_action_page(self, client, world):
        client.force_login(world.contributor69)

        response = client.post(
            reverse("actions:action_thread", args=[world.action69.pk]),
            {"body": "Question sur le calendrier", "file": [_pdf()]},
        )

        assert response.status_code == 302
        assert response["Location"] == f"/actions/{world.action69.pk}/#echanges"
        page = client.get(response["Location"]).content.decode()
        assert "Question sur le calendrier" in page and "emargement.pdf" in page

    def test_a_refused_message_shows_its_error_on_the_thread_page(self, client, world):
        client.force_login(world.contributor69)
        bad = SimpleUploadedFile("a.pdf", HTML, content_type="application/pdf")

        response = client.post(
            reverse("actions:action_thread", args=[world.action69.pk]),
            {"body": "Voici", "file": [bad]},
        )

        assert response.status_code == 400
        assert "pas accepté" in response.content.decode()
        assert 'aria-invalid="true"' in response.content.decode()
        assert not Message.objects.exists()

    def test_a_union_sees_no_internal_note_box_and_a_reader_no_form(self, client, world):
        client.force_login(world.contributor69)
        union_page = client.get(reverse("actions:action", args=[world.action69.pk]))
        client.force_login(world.reader69)
        reader_page = client.get(reverse("actions:action", args=[world.action69.pk]))
        client.force_login(world.officer)
        officer_page = client.get(reverse("actions:action", args=[world.action69.pk]))

        assert "Envoyer le message" in union_page.content.decode()
        assert 'name="internal"' not in union_page.content.decode()
        assert "Envoyer le message" not in reader_page.content.decode()
        assert 'name="internal"' in officer_page.content.decode()
