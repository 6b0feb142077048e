"""rebuild_totals: the check finds any difference with the raw rows, the rebuild removes it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from financing.models import ConventionTotal
from financing.tasks import check_totals
from financing.totals_check import totals_differences, totals_rebuild
from tests.factories import FundingLineFactory, PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tampered(convention, cnsa):
    FundingLineFactory(action__axis__convention=convention, funder=cnsa, amount=Decimal("10.00"))
    PaymentFactory(convention=convention, amount=Decimal("4.00"))
    ConventionTotal.objects.filter(convention=convention).update(planned=Decimal("10.01"))
    yield convention
    totals_rebuild()  # leave the tables exact for the check every test ends with


def test_the_check_names_the_row_and_the_gap(tampered, cnsa):
    [difference] = totals_differences()

    assert difference.key == {"convention_id": tampered.pk, "funder_key": cnsa.pk, "year": 2019}
    assert difference.gaps == {
        "planned": Decimal("0.01"),
        "spent": Decimal("0.00"),
        "paid": Decimal("0.00"),
    }
    assert "écart planned +0.01" in str(difference)


def test_the_command_fails_on_a_difference_and_the_rebuild_mends_it(tampered, capsys):
    with pytest.raises(CommandError, match="1 écart"):
        call_command("rebuild_totals", "--check")

    call_command("rebuild_totals")

    assert totals_differences() == []
    call_command("rebuild_totals", "--check")
    assert "aucun écart" in capsys.readouterr().out
    row = ConventionTotal.objects.get(convention=tampered)
    assert (row.planned, row.paid) == (Decimal("10.00"), Decimal("4.00"))


def test_the_periodic_task_logs_each_difference(tampered, caplog):
    assert check_totals() == 1
    assert "Totaux inexacts" in caplog.text
    totals_rebuild()
    assert check_totals() == 0
