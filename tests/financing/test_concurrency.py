"""Two officers paying at the same time cannot both pass the ceiling: the convention row is locked."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from financing import services
from financing.models import Payment
from financing.services import payment_save

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_concurrent_payments_cannot_exceed_the_cnsa_amount(convention, officer, monkeypatch):
    # Widen the window between the ceiling check and the insert: without the lock both would pass.
    check = services.payment_validate

    def slow_check(payment):
        check(payment)
        time.sleep(0.5)

    monkeypatch.setattr(services, "payment_validate", slow_check)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pay() -> None:
        try:
            barrier.wait(timeout=10)
            payment_save(
                payment=Payment(
                    convention=convention,
                    kind="instalment",
                    amount=Decimal("40000.00"),
                    status="paid",
                    paid_on=datetime.date(2020, 5, 1),
                ),
                by=officer,
            )
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refused", "saved"]
    assert Payment.objects.count() == 1


def test_plans_of_two_conventions_are_written_in_turn(cnsa, officer, monkeypatch):
    """Plans of different conventions share the département totals: written at once they could
    lock two départements crosswise and deadlock, so the second waits for the first to commit."""
    from financing import plan
    from financing.plan import PlanCell, plan_apply
    from tests.factories import (
        ActionFactory,
        AxisFactory,
        ConventionFactory,
        OrganisationFactory,
    )

    actions = [
        ActionFactory(
            axis=AxisFactory(convention=ConventionFactory(funder=cnsa, status="draft")),
            lead_organisation=OrganisationFactory(departement_code=departement),
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2020, 12, 31),
        )
        for departement in ("69", "13")  # rows apart: only the turn-taking keeps them apart
    ]
    write = plan._write
    spans: dict[int, tuple[float, float]] = {}

    def slow_write(changes, result, by):
        done = write(changes, result, by)
        written = time.monotonic()
        time.sleep(0.5)  # still inside the transaction: the other plan must wait for the commit
        spans[changes.new[0].action_id] = (written, time.monotonic())
        return done

    monkeypatch.setattr(plan, "_write", slow_write)
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def apply(action) -> None:
        try:
            barrier.wait(timeout=10)
            plan_apply(
                convention=action.axis.convention,
                cells=[PlanCell(action.pk, cnsa.pk, 2020, Decimal("1000.00"))],
                by=officer,
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    (first, second) = sorted(spans.values())
    assert second[0] >= first[1]  # the second wrote its lines only once the first was done
