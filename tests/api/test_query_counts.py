"""Every list route of the schema, and the totals, cost the same number of queries at 10 and at
1 000 funding lines (with conventions, actions, payments... growing alongside)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator

from actions.models import Action, Indicator, Message, ProgressReport, Thread
from actions.services_due import rebuild_due
from conventions.models import Amendment
from financing.models import FundingLine, Payment
from reporting.models import Report
from tests.api.conftest import token_client
from tests.factories import (
    AxisFactory,
    ConventionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

LIST_PATHS = sorted(
    path
    for path, item in SchemaGenerator().get_schema(request=None, public=True)["paths"].items()
    if "get" in item and "{" not in path
)


def build(cnsa, porteur, *, lines: int) -> None:
    """lines/10 conventions, each with one axis, lines/4 actions in all, four lines per action."""
    conventions = [
        ConventionFactory(funder=cnsa, beneficiary=porteur) for _ in range(max(1, lines // 10))
    ]
    axes = [AxisFactory(convention=c) for c in conventions]
    actions = Action.objects.bulk_create(
        Action(
            axis=axes[i % len(axes)],
            code=f"Q.{lines}.{i}",
            title=f"Action {i}",
            lead_organisation=porteur,
            start_date=datetime.date(2019, 1, 1),
            end_date=datetime.date(2022, 12, 31),
        )
        for i in range((lines + 3) // 4)
    )
    FundingLine.objects.bulk_create(
        FundingLine(action=actions[i // 4], funder=cnsa, year=2019 + i % 4, amount=Decimal("10.00"))
        for i in range(lines)
    )
    Indicator.objects.bulk_create(
        Indicator(action=a, label="x", unit="jours", target=1) for a in actions
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            action=a, period_start=datetime.date(2019, 1, 1), period_end=datetime.date(2019, 12, 31)
        )
        for a in actions
    )
    threads = Thread.objects.bulk_create(Thread(action=a) for a in actions)
    Message.objects.bulk_create(
        Message(thread=t, body=f"Message {n}", internal=n % 2 == 1)
        for t in threads
        for n in range(2)
    )
    rebuild_due()  # bulk writes skip the signals that keep each action's open deadline
    for c in conventions:
        Payment.objects.create(
            convention=c,
            kind="advance",
            amount=Decimal("5.00"),
            status="paid",
            paid_on=datetime.date(2019, 3, 1),
        )
        Amendment.objects.create(
            convention=c,
            number=1,
            signed_on=datetime.date(2020, 1, 1),
            description="x",
            previous_total_cost=1,
            previous_cnsa_amount=1,
            previous_end_date=c.end_date,
            new_total_cost=1,
            new_cnsa_amount=1,
            new_end_date=c.end_date,
        )
        Report.objects.create(
            convention=c,
            kind=Report.Kind.values[0],
            period_start=datetime.date(2019, 1, 1),
            period_end=datetime.date(2019, 12, 31),
        )


@pytest.mark.parametrize("who", ["officer", "coordinator"])
def test_every_list_costs_the_same_at_10_and_1000_lines(
    officer, cnsa, who, django_assert_max_num_queries, django_assert_num_queries
):
    porteur = OrganisationFactory(name="Porteur national")
    user = officer
    if who == "coordinator":
        user = UserFactory(username="coordinateur")
        MembershipFactory(user=user, organisation=porteur, role="coordinator")
    client = token_client(user)
    totals = "/api/v1/totals/?page_size=2&group_by="  # full pages: their count is asked too
    urls = [*LIST_PATHS, totals + "convention,axis,action,year,funder", totals + "convention,year"]

    client.get("/api/v1/totals/")  # the token's first use is recorded: later reads write nothing
    build(cnsa, porteur, lines=10)
    small = {}
    for url in urls:
        with django_assert_max_num_queries(12) as captured:
            assert client.get(url).status_code == 200, url
        small[url] = len(captured.captured_queries)

    build(cnsa, porteur, lines=1000)
    assert FundingLine.objects.count() == 1010
    for url in urls:
        with django_assert_num_queries(small[url], info=url):
            response = client.get(url)
        assert response.status_code == 200

    assert len(LIST_PATHS) >= 11
