"""Who may ask for a report, who may edit it, and whose reports a convention's page lists."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from conventions.models import Convention
from reporting.models import Report
from reporting.selectors import report_may_edit, report_may_request, reports_for_convention
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _report(convention, kind="final") -> Report:
    return Report.objects.create(
        convention=convention,
        kind=kind,
        period_start=convention.start_date,
        period_end=convention.end_date,
    )


@pytest.fixture
def union_coordinator(lyon):
    """The coordinator of a union that leads one of Lyon's actions, not of the porteur."""
    union = OrganisationFactory(name="Union départementale du Rhône", kind="departmental_union")
    action = lyon.axes.get(number=1).actions.get()
    action.lead_organisation = union
    action.save()
    user = UserFactory(username="coordinateur-union")
    MembershipFactory(user=user, organisation=union, role="coordinator")
    return user


def test_a_cnsa_officer_may_ask_for_a_report(lyon, officer):
    assert report_may_request(user=officer, convention=lyon) is True


def test_the_porteurs_coordinator_may_ask_for_a_report(lyon, porteur):
    assert report_may_request(user=porteur, convention=lyon) is True


def test_a_reader_of_the_porteur_may_not_ask_for_a_report(lyon, reader):
    assert report_may_request(user=reader, convention=lyon) is False


def test_a_union_leading_an_action_may_not_ask_even_as_coordinator_of_the_union(
    lyon, union_coordinator, departmental_union
):
    assert report_may_request(user=union_coordinator, convention=lyon) is False
    assert report_may_request(user=departmental_union, convention=lyon) is False


def test_another_porteurs_coordinator_may_not_ask(lyon, other_partner):
    assert report_may_request(user=other_partner, convention=lyon) is False


def test_a_cnsa_member_who_is_not_an_officer_may_not_ask(lyon, cnsa):
    member = UserFactory(username="lecteur-cnsa")
    MembershipFactory(user=member, organisation=cnsa, role="reader")

    assert report_may_request(user=member, convention=lyon) is False


def test_an_anonymous_visitor_may_not_ask(lyon):
    assert report_may_request(user=AnonymousUser(), convention=lyon) is False


def test_only_cnsa_officers_may_edit_a_report(officer, porteur, reader):
    assert report_may_edit(user=officer) is True
    assert report_may_edit(user=porteur) is False
    assert report_may_edit(user=reader) is False
    assert report_may_edit(user=AnonymousUser()) is False


def test_the_cnsa_and_the_porteur_see_the_conventions_reports_only(
    lyon, officer, porteur, reader, other_partner
):
    final = _report(lyon)
    annual = Report.objects.create(
        convention=lyon,
        kind="annual",
        period_start=datetime.date(2016, 1, 1),
        period_end=datetime.date(2016, 12, 31),
    )
    _report(Convention.objects.get(reference="CNSA-AUTRE-2019"))  # another porteur's

    for user in (officer, porteur, reader):
        assert set(reports_for_convention(user=user, convention=lyon)) == {final, annual}


def test_a_union_leading_an_action_and_strangers_see_no_report_of_the_convention(
    lyon, departmental_union, other_partner
):
    _report(lyon)

    assert list(reports_for_convention(user=departmental_union, convention=lyon)) == []
    assert list(reports_for_convention(user=other_partner, convention=lyon)) == []
    assert list(reports_for_convention(user=AnonymousUser(), convention=lyon)) == []


def test_the_list_names_who_asked_without_a_query_per_report(
    lyon, officer, porteur, django_assert_num_queries
):
    for year in (2016, 2017):
        Report.objects.create(
            convention=lyon,
            kind="annual",
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            requested_by=porteur,
        )
    reports_for_convention(user=officer, convention=lyon).exists()  # the scope is now cached

    with django_assert_num_queries(1):
        names = [
            r.requested_by.username for r in reports_for_convention(user=officer, convention=lyon)
        ]

    assert names == ["coordinatrice-lyon", "coordinatrice-lyon"]
