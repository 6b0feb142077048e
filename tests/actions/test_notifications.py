"""E-mails: officers on submission, the partner on review, reminders for overdue reports."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

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
def test_reminders_go_to_each_union_with_overdue_reports(world, mailoutbox):
    approved = ProgressReportFactory(action=world.action13, status="approved")
    assert approved.period_end == datetime.date(2019, 12, 31)
    out = StringIO()

    call_command("send_overdue_reminders", "--today", "2021-07-15", stdout=out)

    assert out.getvalue() == "2 rappel(s) envoyé(s).\n"
    by_recipient = {tuple(m.to): m.body for m in mailoutbox}
    union69 = by_recipient[("udccas69.contributeur@example.org",)]
    assert "Compte rendu 2019 en retard depuis le 30/06/2020" in union69
    assert "Compte rendu 2020 en retard depuis le 30/06/2021" in union69
    union13 = by_recipient[("udccas13.contributeur@example.org",)]
    assert "Compte rendu 2019" not in union13
    assert "Compte rendu 2020 en retard depuis le 30/06/2021" in union13


@pytest.mark.django_db
def test_no_reminder_before_the_six_months_are_over(world, mailoutbox):
    call_command("send_overdue_reminders", "--today", "2020-06-30", stdout=StringIO())

    assert mailoutbox == []
