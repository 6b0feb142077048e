"""The reporting calendar: generated from the convention's terms, regenerated on an amendment,
adjusted by officers only."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from actions.models import ReportDeadline, ReportingTerms
from actions.services_calendar import (
    add_months,
    report_deadline_add_interim,
    report_deadline_reschedule,
    report_deadline_withdraw,
    reporting_calendar_sync,
    reporting_terms_update,
)
from conventions.models import Convention
from financing.services import amendment_create

pytestmark = pytest.mark.django_db


def _calendar(convention) -> list[tuple[str, date, date, date]]:
    return list(
        ReportDeadline.objects.active()
        .filter(convention=convention)
        .order_by("due_on", "kind")
        .values_list("kind", "period_start", "period_end", "due_on")
    )


def test_months_are_added_from_a_month_end_to_a_month_end():
    assert add_months(date(2019, 12, 31), 6) == date(2020, 6, 30)
    assert add_months(date(2020, 8, 31), 6) == date(2021, 2, 28)
    assert add_months(date(2020, 3, 15), 12) == date(2021, 3, 15)


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_three_demo_conventions_get_their_calendar_when_signed(demo):
    unccas = Convention.objects.get(reference="CNSA-UNCCAS-2019-2022")
    lyon = Convention.objects.get(reference="CNSA-METROPOLE-LYON-2016-2017")
    unccas_2009 = Convention.objects.get(reference="CNSA-UNCCAS-2009-2011")

    assert _calendar(unccas) == [
        ("annual", date(2019, 1, 1), date(2019, 12, 31), date(2020, 6, 30)),
        ("annual", date(2020, 1, 1), date(2020, 12, 31), date(2021, 6, 30)),
        ("annual", date(2021, 1, 1), date(2021, 12, 31), date(2022, 6, 30)),
        ("final", date(2019, 1, 1), date(2022, 12, 31), date(2023, 6, 30)),
    ]
    assert _calendar(lyon) == [
        ("annual", date(2016, 1, 1), date(2016, 12, 31), date(2017, 6, 30)),
        ("final", date(2016, 1, 1), date(2017, 12, 31), date(2018, 6, 30)),
    ]
    assert _calendar(unccas_2009) == [
        ("annual", date(2009, 1, 1), date(2009, 12, 31), date(2010, 6, 30)),
        ("annual", date(2010, 1, 1), date(2010, 12, 31), date(2011, 6, 30)),
        ("final", date(2009, 1, 1), date(2011, 12, 31), date(2012, 6, 30)),
    ]
    assert ReportingTerms.objects.filter(generated_end__isnull=False).count() == 3


def test_a_second_sync_changes_nothing(convention):
    reporting_calendar_sync(convention=convention)
    before = list(ReportDeadline.objects.values_list("pk", "due_on", "withdrawn_at"))

    reporting_calendar_sync(convention=convention)

    assert list(ReportDeadline.objects.values_list("pk", "due_on", "withdrawn_at")) == before


def _amend(convention, officer, end_date, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        amendment_create(
            convention=convention,
            by=officer,
            signed_on=date(2020, 3, 1),
            description="Prolongation",
            end_date=end_date,
        )


def test_an_amendment_that_extends_the_period_moves_the_final_report(
    convention, officer, django_capture_on_commit_callbacks
):
    reporting_calendar_sync(convention=convention)
    final = ReportDeadline.objects.get(convention=convention, kind="final")

    _amend(convention, officer, date(2023, 12, 31), django_capture_on_commit_callbacks)

    assert _calendar(convention)[-2:] == [
        ("annual", date(2022, 1, 1), date(2022, 12, 31), date(2023, 6, 30)),
        ("final", date(2019, 1, 1), date(2023, 12, 31), date(2024, 6, 30)),
    ]
    assert ReportDeadline.objects.get(kind="final").pk == final.pk  # moved, not replaced


def test_an_amendment_that_shortens_the_period_withdraws_what_falls_outside(
    convention, officer, django_capture_on_commit_callbacks
):
    reporting_calendar_sync(convention=convention)
    interim = report_deadline_add_interim(
        convention=convention, period_end=date(2022, 6, 30), due_on=date(2022, 9, 30), by=officer
    )
    kept = report_deadline_add_interim(
        convention=convention, period_end=date(2020, 6, 30), due_on=date(2020, 9, 30), by=officer
    )

    _amend(convention, officer, date(2021, 12, 31), django_capture_on_commit_callbacks)

    assert _calendar(convention) == [
        ("annual", date(2019, 1, 1), date(2019, 12, 31), date(2020, 6, 30)),
        ("interim", date(2019, 1, 1), date(2020, 6, 30), date(2020, 9, 30)),
        ("annual", date(2020, 1, 1), date(2020, 12, 31), date(2021, 6, 30)),
        ("final", date(2019, 1, 1), date(2021, 12, 31), date(2022, 6, 30)),
    ]
    withdrawn = ReportDeadline.objects.filter(withdrawn_at__isnull=False)
    assert {(d.kind, d.period_end) for d in withdrawn} == {
        ("annual", date(2021, 12, 31)),
        ("interim", interim.period_end),
    }
    assert all(d.withdrawn_reason for d in withdrawn)
    kept.refresh_from_db()
    assert kept.withdrawn_at is None


def test_an_officers_date_survives_regeneration_while_its_period_stays(convention, officer):
    reporting_calendar_sync(convention=convention)
    annual = ReportDeadline.objects.get(kind="annual", period_end=date(2019, 12, 31))
    report_deadline_reschedule(deadline=annual, due_on=date(2020, 9, 15), by=officer)

    reporting_terms_update(
        convention=convention, annual_delay_months=4, final_delay_months=9, by=officer
    )

    annual.refresh_from_db()
    assert (annual.due_on, annual.origin) == (date(2020, 9, 15), "edited")
    assert ReportDeadline.objects.get(kind="annual", period_end=date(2020, 12, 31)).due_on == (
        date(2021, 4, 30)
    )
    assert ReportDeadline.objects.get(kind="final").due_on == date(2023, 9, 30)


def test_a_withdrawn_deadline_is_not_brought_back_by_a_recalculation(convention, officer):
    reporting_calendar_sync(convention=convention)
    annual = ReportDeadline.objects.get(kind="annual", period_end=date(2020, 12, 31))
    report_deadline_withdraw(
        deadline=annual, reason="Année couverte par le bilan d'étape", by=officer
    )

    reporting_terms_update(
        convention=convention, annual_delay_months=3, final_delay_months=6, by=officer
    )

    assert not ReportDeadline.objects.active().filter(period_end=date(2020, 12, 31), kind="annual")


def test_only_officers_change_the_calendar(world):
    reporting_calendar_sync(convention=world.convention)
    deadline = ReportDeadline.objects.filter(convention=world.convention).first()

    with pytest.raises(PermissionDenied):
        report_deadline_reschedule(deadline=deadline, due_on=date(2021, 1, 1), by=world.coordinator)
    with pytest.raises(PermissionDenied):
        reporting_terms_update(
            convention=world.convention,
            annual_delay_months=3,
            final_delay_months=3,
            by=world.contributor69,
        )


@pytest.mark.parametrize(
    ("call", "field", "message"),
    [
        (
            lambda d, o: report_deadline_reschedule(deadline=d, due_on=date(2019, 6, 1), by=o),
            "due_on",
            "L'échéance ne peut précéder la fin de la période couverte (31/12/2019).",
        ),
        (
            lambda d, o: report_deadline_withdraw(deadline=d, reason="  ", by=o),
            "reason",
            "Indiquez pourquoi cette échéance est retirée.",
        ),
        (
            lambda d, o: report_deadline_add_interim(
                convention=d.convention, period_end=date(2024, 1, 1), due_on=date(2024, 2, 1), by=o
            ),
            "period_end",
            "La date doit être comprise dans la convention (01/01/2019 – 31/12/2022).",
        ),
        (
            lambda d, o: reporting_terms_update(
                convention=d.convention, annual_delay_months=0, final_delay_months=6, by=o
            ),
            "annual_delay_months",
            "Le délai est compris entre 1 et 24 mois.",
        ),
    ],
)
def test_refusals_speak_french_and_change_nothing(convention, officer, call, field, message):
    reporting_calendar_sync(convention=convention)
    deadline = ReportDeadline.objects.get(kind="annual", period_end=date(2019, 12, 31))
    before = list(ReportDeadline.objects.values_list("pk", "due_on", "withdrawn_at", "origin"))

    with pytest.raises(ValidationError) as refused:
        call(deadline, officer)

    assert refused.value.message_dict[field] == [message]
    assert (
        list(ReportDeadline.objects.values_list("pk", "due_on", "withdrawn_at", "origin")) == before
    )
