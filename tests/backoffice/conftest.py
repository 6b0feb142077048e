from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from conventions.models import Convention
from tests.factories import ActionFactory, AxisFactory, ConventionFactory, OrganisationFactory


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def build_plan(cnsa, *, actions: int, status: str = Convention.Status.DRAFT):
    """A 2024-2026 convention with `actions` actions spread over two axes."""
    convention = ConventionFactory(
        funder=cnsa,
        status=status,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        signature_date=datetime.date(2024, 2, 1),
        total_cost=Decimal("10000.00"),
        cnsa_amount=Decimal("6000.00"),
    )
    axes = [AxisFactory(convention=convention, number=n) for n in (1, 2)]
    made = [
        ActionFactory(axis=axes[i % 2], code=f"{i % 2 + 1}.{i}", title=f"Action {i}")
        for i in range(actions)
    ]
    return convention, made


@pytest.fixture
def ars(db):
    return OrganisationFactory(name="Agence régionale de santé", kind="cofunder")
