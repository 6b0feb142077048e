"""E-mails: officers on submission, the partner on review; greeting, signature, links."""

from __future__ import annotations

import pytest

from actions.models import Notification
from actions.services import progress_report_approve, progress_report_return, progress_report_submit
from tests.factories import ProgressReportFactory


def _draft(world):
    return ProgressReportFactory(action=world.action69, narrative="Fait.")


@pytest.mark.django_db
def test_officers_are_told_of_a_submission_after_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        progress_report_submit(report=_draft(world), by=world.contributor69)

    assert len(callbacks) == 1
    assert [m.to for m in mailoutbox] == [["officer@cnsa.example"]]
    assert mailoutbox[0].subject == "Compte rendu à relire : action 3.1 (2019)"


@pytest.mark.django_db
def test_no_mail_is_sent_before_commit(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        progress_report_submit(report=_draft(world), by=world.contributor69)

    assert mailoutbox == []


@pytest.mark.django_db
def test_the_partner_is_told_of_a_return_with_the_comment(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    report = _draft(world)
    progress_report_submit(report=report, by=world.contributor69)

    with django_capture_on_commit_callbacks(execute=True):
        progress_report_return(
            report=report, by=world.officer, comment="Joignez les feuilles d'émargement."
        )

    assert mailoutbox[-1].to == ["udccas69.contributeur@example.org"]
    assert mailoutbox[-1].subject == "Compte rendu renvoyé pour correction : action 3.1 (2019)"
    assert "Joignez les feuilles d'émargement." in mailoutbox[-1].body


@pytest.mark.django_db
def test_the_partner_is_told_of_an_approval(world, mailoutbox, django_capture_on_commit_callbacks):
    report = _draft(world)
    progress_report_submit(report=report, by=world.contributor69)

    with django_capture_on_commit_callbacks(execute=True):
        progress_report_approve(report=report, by=world.officer)

    assert mailoutbox[-1].subject == "Compte rendu approuvé : action 3.1 (2019)"


@pytest.mark.django_db
def test_each_event_is_also_in_the_recipients_list_in_the_application(world):
    report = _draft(world)
    progress_report_submit(report=report, by=world.contributor69)

    notification = Notification.objects.get(recipient=world.officer)

    assert (notification.kind, notification.link) == ("submission", f"/comptes-rendus/{report.pk}/")
    assert notification.read_at is None


@pytest.mark.django_db
def test_the_email_greets_signs_and_links_to_the_sites_address(
    world, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_BASE_URL = "https://conventions.cnsa.example"
    world.officer.first_name, world.officer.last_name = "Claire", "Martin"
    world.officer.save()
    report = _draft(world)

    with django_capture_on_commit_callbacks(execute=True):
        progress_report_submit(report=report, by=world.contributor69)

    (mail,) = mailoutbox
    html = mail.alternatives[0][0]
    assert mail.body.startswith("Bonjour Claire Martin,\n")
    assert "Cordialement,\nLe service des conventions de modernisation" in mail.body
    assert f"https://conventions.cnsa.example/comptes-rendus/{report.pk}/" in mail.body
    assert f'href="https://conventions.cnsa.example/comptes-rendus/{report.pk}/"' in html
    assert "<p>Bonjour Claire Martin,</p>" in html
    assert "127.0.0.1:8000" not in mail.body + html
