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
