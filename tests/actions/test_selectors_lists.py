"""« Mes actions » and the review queue in the database: the pilots offered as filter, the
search over code, title, convention and pilot, the filters, the sorts (case-insensitive, both
ways) and, for a departmental union, nothing of another union's actions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from actions import selectors
from actions.forms_lists import NO_REPORT
from actions.models import Action, ProgressReport
from actions.selectors_lists import filter_actions, filter_reviews, lead_options
from tests.factories import (
    ActionFactory,
    ConventionFactory,
    OrganisationFactory,
    ProgressReportFactory,
    SpendingFactory,
)

pytestmark = pytest.mark.django_db

Status = ProgressReport.Status


def _codes(actions) -> list[str]:
    return [a.code for a in actions]


def _found(world, user=None, sort="action", **filters) -> list[str]:
    actions = Action.objects.visible_to(user or world.officer)
    return _codes(filter_actions(actions, filters=filters, sort=sort))


class TestLeadOptions:
    def test_each_pilot_is_offered_once_sorted_by_name_in_one_query(
        self, world, django_assert_num_queries
    ):
        ActionFactory(axis=world.axis, code="3.3", lead_organisation=world.ud69)

        with django_assert_num_queries(1):
            leads = lead_options(actions=Action.objects.all())

        assert [o.name for o in leads] == ["UDCCAS des Bouches-du-Rhône", "UDCCAS du Rhône"]

    def test_a_union_is_offered_only_the_pilots_of_the_actions_it_sees(self, world):
        leads = lead_options(actions=Action.objects.visible_to(world.contributor69))

        assert leads == [world.ud69]


class TestFilterActions:
    def test_the_search_reads_code_title_convention_and_pilot_whatever_the_case(self, world):
        other = ActionFactory(code="9.9", title="Autre chose")

        assert _found(world, q="3.1") == ["3.1"]
        assert _found(world, q="GROUPES DE") == ["3.2"]
        assert _found(world, q="unccas-2019") == ["3.1", "3.2"]
        assert _found(world, q="udccas du rhône") == ["3.1"]
        assert _found(world, q=other.axis.convention.reference.lower()) == ["9.9"]
        assert _found(world, q="introuvable") == []

    def test_the_pilot_filter_keeps_that_pilots_actions(self, world):
        assert _found(world, pilote=world.ud13.pk) == ["3.2"]

    def test_the_status_filter_reads_only_the_latest_report(self, world):
        ProgressReportFactory(action=world.action69, status=Status.APPROVED)
        ProgressReportFactory(
            action=world.action69,
            period_start=datetime.date(2020, 1, 1),
            period_end=datetime.date(2020, 12, 31),
        )

        assert _found(world, statut=Status.DRAFT) == ["3.1"]
        assert _found(world, statut=Status.APPROVED) == []  # 2019 was approved, 2020 is not
        assert _found(world, statut=NO_REPORT) == ["3.2"]

    def test_sorts_ignore_case_and_go_both_ways(self, world):
        lower = OrganisationFactory(name="association locale")
        ActionFactory(axis=world.axis, code="3.0", lead_organisation=lower)

        assert _found(world, sort="action") == ["3.0", "3.1", "3.2"]
        assert _found(world, sort="-action") == ["3.2", "3.1", "3.0"]
        # « association » before « UDCCAS »: not the byte order, where capitals come first.
        assert _found(world, sort="pilote") == ["3.0", "3.2", "3.1"]
        assert _found(world, sort="-pilote") == ["3.1", "3.2", "3.0"]

    def test_the_convention_sort_orders_by_reference_then_axis_then_code(self, world):
        earlier = ConventionFactory(funder=world.cnsa, reference="CNSA-AAA-2018")
        ActionFactory(axis__convention=earlier, code="1.1")

        assert _found(world, sort="convention") == ["1.1", "3.1", "3.2"]
        assert _found(world, sort="-convention") == ["3.2", "3.1", "1.1"]

    def test_a_union_never_finds_another_unions_action(self, world):
        assert _found(world, user=world.contributor69, sort="action") == ["3.1"]
        assert _found(world, user=world.contributor69, q="groupes") == []
        assert _found(world, user=world.contributor69, pilote=world.ud13.pk) == []


def _submitted(action, *, day: int, spent: str | None = None, year: int = 2019):
    report = ProgressReportFactory(
        action=action,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        narrative="Fait.",
        status=Status.SUBMITTED,
        submitted_at=timezone.make_aware(datetime.datetime(2020, 3, day, 9)),
    )
    if spent is not None:
        SpendingFactory(report=report, amount=Decimal(spent))
    return report


def _queue(world, user=None, sort="transmis", **filters) -> list[int]:
    queue = selectors.review_queue(user=user or world.officer)
    return [r.pk for r in filter_reviews(queue, filters=filters, sort=sort)]


class TestFilterReviews:
    @pytest.fixture
    def reports(self, world):
        return (
            _submitted(world.action69, day=3, spent="300.00"),
            _submitted(world.action13, day=1, spent="1200.00"),
            _submitted(world.action69, day=2, year=2020),
        )

    def test_the_search_and_the_pilot_filter_read_the_reports_action(self, world, reports):
        r69, r13, r69_2020 = reports

        assert _queue(world, q="groupes") == [r13.pk]
        assert _queue(world, q="udccas du rhône") == [r69_2020.pk, r69.pk]
        assert _queue(world, pilote=world.ud69.pk) == [r69_2020.pk, r69.pk]

    def test_the_queue_sorts_by_submission_action_pilot_and_spending(self, world, reports):
        r69, r13, r69_2020 = reports

        assert _queue(world, sort="transmis") == [r13.pk, r69_2020.pk, r69.pk]
        assert _queue(world, sort="-transmis") == [r69.pk, r69_2020.pk, r13.pk]
        assert _queue(world, sort="action") == [r69.pk, r69_2020.pk, r13.pk]
        assert _queue(world, sort="-pilote") == [r69.pk, r69_2020.pk, r13.pk]
        # A report without spending counts 0, below the others.
        assert _queue(world, sort="depense") == [r69_2020.pk, r69.pk, r13.pk]
        assert _queue(world, sort="-depense") == [r13.pk, r69.pk, r69_2020.pk]

    def test_a_union_sees_only_its_own_reports_in_a_queue(self, world, reports):
        r69, _, r69_2020 = reports

        assert _queue(world, user=world.contributor69) == [r69_2020.pk, r69.pk]
        assert _queue(world, user=world.contributor69, q="groupes") == []
