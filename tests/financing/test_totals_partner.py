"""A porteur's totals by convention, funder or year come from its carried conventions' rows and
the actions it leads elsewhere: the same figures, to the cent, as reading every visible action."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conventions.access import scope_for
from conventions.models import Convention, Organisation
from financing.totals import funding_totals
from financing.totals_partner import carried_conventions_answer
from tests.api.conftest import generate_dataset
from tests.factories import MembershipFactory, UserFactory
from tests.financing.test_totals_sources import read_both_ways

pytestmark = pytest.mark.django_db


@pytest.fixture
def porteur_and_union(cnsa):
    """A user of a porteur that also belongs to a union leading actions in others' conventions."""
    generate_dataset(cnsa, conventions=4)
    user = UserFactory(username="porteur.et.union")
    porteur = Organisation.objects.get(name="Porteur 0")
    union = Organisation.objects.get(name="Union 01")
    MembershipFactory(user=user, organisation=porteur, role="coordinator")
    MembershipFactory(user=user, organisation=union, role="contributor")
    assert Convention.objects.exclude(beneficiary=porteur).filter(
        axes__actions__lead_organisation=union
    ), "the union leads actions in conventions the porteur does not carry"
    return user


def _cases(cnsa) -> list[tuple[list[str], dict]]:
    return [
        ([], {}),
        (["convention"], {}),
        (["year"], {"year_min": 2020}),
        (["funder"], {}),
        (["beneficiary"], {"status": "signed"}),
        (["convention", "year", "funder"], {}),
        (["funder", "year"], {"funder": cnsa.pk}),
        (["convention"], {"year": 2021, "year_max": 2021}),
    ]


def test_the_carried_conventions_reading_equals_every_visible_action(
    porteur_and_union, cnsa, monkeypatch
):
    user = porteur_and_union
    for group_by, filters in _cases(cnsa):
        assert carried_conventions_answer(scope_for(user), {*group_by, *filters})
        with CaptureQueriesContext(connection) as captured:
            new = funding_totals(user=user, group_by=group_by, filters=filters)
        sqls = [q["sql"] for q in captured.captured_queries]
        assert any("financing_conventiontotal" in sql for sql in sqls)
        per_action = [sql for sql in sqls if "financing_actiontotal" in sql]
        assert per_action and all("NOT" in sql for sql in per_action), "carried ones excluded"
        (_, page), (old, old_page) = read_both_ways(
            monkeypatch,
            "financing.totals.carried_conventions_answer",
            lambda *args: False,
            user=user,
            group_by=group_by,
            filters=filters,
        )
        assert new == old, (group_by, filters)
        assert page == old_page, (group_by, filters)
        assert any(row["planned"] for row in new), (group_by, filters)
        assert any(row["paid"] for row in new) or "funder" in group_by, (group_by, filters)


def test_only_a_porteur_asking_by_convention_funder_or_year_takes_it(porteur_and_union, officer):
    porteur, union_only = scope_for(porteur_and_union), UserFactory(username="union.seule")
    MembershipFactory(
        user=union_only, organisation=Organisation.objects.get(name="Union 01"), role="contributor"
    )
    assert not carried_conventions_answer(porteur, {"axis"})
    assert not carried_conventions_answer(porteur, {"year", "departement"})
    assert not carried_conventions_answer(scope_for(union_only), {"convention"})
    assert not carried_conventions_answer(scope_for(officer), {"convention"})
