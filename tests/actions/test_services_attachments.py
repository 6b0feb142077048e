"""Attachments: type read from the content, 10 MB at most, nothing partial kept, served to the right people."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import Attachment
from actions.services import REFUSED_TYPE, attachment_add, attachment_delete
from tests.actions import files
from tests.factories import ProgressReportFactory


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT).parent
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def report(world):
    return ProgressReportFactory(action=world.action69)


@pytest.mark.django_db
class TestAccepted:
    @pytest.mark.parametrize(
        ("name", "content", "mime", "extension"),
        [
            ("bilan.pdf", files.PDF, "application/pdf", "pdf"),
            ("photo.png", files.PNG, "image/png", "png"),
            ("photo.jpeg", files.JPEG, "image/jpeg", "jpg"),
            (
                "rapport.docx",
                files.docx(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx",
            ),
            (
                "budget.xlsx",
                files.xlsx(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ),
            ("note.odt", files.odt(), "application/vnd.oasis.opendocument.text", "odt"),
            ("sans-extension", files.PDF, "application/pdf", "pdf"),
        ],
    )
    def test_each_allowed_kind_is_stored_under_a_server_made_name(
        self, world, report, name, content, mime, extension
    ):
        attachment = attachment_add(
            report=report, upload=files.upload(name, content), by=world.contributor69
        )

        assert (attachment.original_name, attachment.content_type, attachment.size) == (
            name,
            mime,
            len(content),
        )
        stored = Path(attachment.file.name)
        assert stored.suffix == f".{extension}"
        assert name not in stored.name
        assert _stored_files() == [Path(attachment.file.path)]


@pytest.mark.django_db
class TestRefused:
    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("bilan.pdf", files.HTML),
            ("archive.docx", files.plain_zip()),
            ("script.png", b"#!/bin/sh\necho"),
        ],
    )
    def test_a_file_whose_content_is_not_allowed_is_refused_whatever_its_name(
        self, world, report, name, content
    ):
        with pytest.raises(ValidationError) as error:
            attachment_add(
                report=report, upload=files.upload(name, content), by=world.contributor69
            )

        assert error.value.message_dict == {"file": [REFUSED_TYPE]}
        assert Attachment.objects.count() == 0
        assert _stored_files() == []

    def test_an_11_mb_file_is_refused(self, world, report):
        big = files.PDF + b"0" * (11 * 1024 * 1024)

        with pytest.raises(ValidationError) as error:
            attachment_add(
                report=report, upload=files.upload("gros.pdf", big), by=world.contributor69
            )

        assert error.value.message_dict == {
            "file": ["Le fichier dépasse 10 Mo : réduisez-le ou découpez-le avant de le déposer."]
        }
        assert Attachment.objects.count() == 0
        assert _stored_files() == []

    def test_the_page_shows_the_refusal_and_keeps_nothing(self, client, world, report):
        client.force_login(world.contributor69)

        response = client.post(
            reverse("actions:attachment_upload", args=[report.pk]),
            {"file": files.upload("bilan.pdf", files.HTML)},
        )

        assert response.status_code == 400
        assert "Ce fichier n&#x27;est pas accepté" in response.content.decode()
        assert Attachment.objects.count() == 0
        assert _stored_files() == []

    def test_an_approved_report_keeps_its_attachments(self, world):
        report = ProgressReportFactory(action=world.action69, status="approved")

        with pytest.raises(ValidationError) as error:
            attachment_add(
                report=report, upload=files.upload("bilan.pdf", files.PDF), by=world.contributor69
            )

        assert error.value.message_dict == {
            "file": ["Ce compte rendu est approuvé : ses pièces jointes sont figées."]
        }
        assert _stored_files() == []

    def test_an_approved_reports_attachment_cannot_be_deleted(self, world, report):
        attachment = attachment_add(
            report=report, upload=files.upload("bilan.pdf", files.PDF), by=world.contributor69
        )
        report.status = "approved"
        report.save()

        with pytest.raises(ValidationError):
            attachment_delete(attachment=attachment, by=world.contributor69)

        assert Attachment.objects.count() == 1
        assert len(_stored_files()) == 1


@pytest.mark.django_db
class TestServing:
    def test_it_is_served_as_a_download_to_those_who_see_the_action(self, client, world, report):
        attachment = attachment_add(
            report=report,
            upload=files.upload("bilan annuel.pdf", files.PDF),
            by=world.contributor69,
        )
        client.force_login(world.officer)

        response = client.get(reverse("actions:attachment", args=[attachment.pk]))

        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="bilan annuel.pdf"'
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == files.PDF

    def test_another_union_gets_404(self, client, world, report):
        attachment = attachment_add(
            report=report, upload=files.upload("bilan.pdf", files.PDF), by=world.contributor69
        )
        client.force_login(world.contributor13)

        assert client.get(reverse("actions:attachment", args=[attachment.pk])).status_code == 404

    def test_the_file_is_not_reachable_under_media(self, client, world, report):
        attachment = attachment_add(
            report=report, upload=files.upload("bilan.pdf", files.PDF), by=world.contributor69
        )

        assert client.get(settings.MEDIA_URL + attachment.file.name).status_code == 404

    def test_deleting_removes_the_row_and_the_file_after_commit(
        self, world, report, django_capture_on_commit_callbacks
    ):
        attachment = attachment_add(
            report=report, upload=files.upload("bilan.pdf", files.PDF), by=world.contributor69
        )

        with django_capture_on_commit_callbacks(execute=True):
            attachment_delete(attachment=attachment, by=world.contributor69)

        assert Attachment.objects.count() == 0
        assert _stored_files() == []
