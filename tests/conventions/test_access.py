"""One rule, in visible_to: CNSA sees all, a porteur its conventions, a union the actions it leads."""

import pytest

from actions.models import Action
from axes.models import Axis
from conventions.models import Convention, Organisation
from financing.models import FundingLine, Payment
from tests.factories import (
    ActionFactory,
    ConventionFactory,
    FundingLineFactory,
    MembershipFactory,
    OrganisationFactory,
    PaymentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cnsa):
    unccas = OrganisationFactory(name="UNCCAS", kind="national_union")
    lyon = OrganisationFactory(name="Métropole de Lyon", kind="metropole")
    ud69 = OrganisationFactory(name="UDCCAS 69", kind="departmental_union", parent=unccas)
    ud59 = OrganisationFactory(name="UDCCAS 59", kind="departmental_union", parent=unccas)
    c_unccas = ConventionFactory(funder=cnsa, beneficiary=unccas)
    c_lyon = ConventionFactory(funder=cnsa, beneficiary=lyon)
    a69 = ActionFactory(axis__convention=c_unccas, lead_organisation=ud69)
    a59 = ActionFactory(axis__convention=c_unccas, lead_organisation=ud59)
    a_lyon = ActionFactory(axis__convention=c_lyon)
    for action in (a69, a59, a_lyon):
        FundingLineFactory(action=action)
    PaymentFactory(convention=c_unccas)
    PaymentFactory(convention=c_lyon)

    def member(org, role):
        user = UserFactory()
        MembershipFactory(user=user, organisation=org, role=role)
        return user

    return {
        "officer": member(cnsa, "officer"),
        "cnsa_reader": member(cnsa, "reader"),
        "unccas": member(unccas, "coordinator"),
        "lyon": member(lyon, "coordinator"),
        "ud69": member(ud69, "contributor"),
        "stranger": UserFactory(),
        "c_unccas": c_unccas,
        "c_lyon": c_lyon,
        "a69": a69,
        "a59": a59,
        "a_lyon": a_lyon,
    }


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_cnsa_members_see_everything(world):
    for who in ("officer", "cnsa_reader"):
        assert _ids(Convention.objects.visible_to(world[who])) == {
            world["c_unccas"].pk,
            world["c_lyon"].pk,
        }
        assert Action.objects.visible_to(world[who]).count() == 3


def test_a_porteur_sees_its_conventions_and_nothing_of_the_others(world):
    user = world["lyon"]
    assert _ids(Convention.objects.visible_to(user)) == {world["c_lyon"].pk}
    assert _ids(Action.objects.visible_to(user)) == {world["a_lyon"].pk}
    assert _ids(Payment.objects.visible_to(user)) == set(
        Payment.objects.filter(convention=world["c_lyon"]).values_list("pk", flat=True)
    )
    assert FundingLine.objects.visible_to(user).count() == 1
    names = set(Organisation.objects.visible_to(user).values_list("name", flat=True))
    assert "UNCCAS" not in names and "UDCCAS 69" not in names


def test_a_departmental_union_sees_only_the_actions_it_leads(world):
    user = world["ud69"]
    assert _ids(Action.objects.visible_to(user)) == {world["a69"].pk}
    assert _ids(Convention.objects.visible_to(user)) == {world["c_unccas"].pk}
    assert not Convention.objects.fully_visible_to(user).exists()
    assert not Payment.objects.visible_to(user).exists()
    assert _ids(Axis.objects.visible_to(user)) == {world["a69"].axis_id}
    assert set(FundingLine.objects.visible_to(user).values_list("action_id", flat=True)) == {
        world["a69"].pk
    }
    names = set(Organisation.objects.visible_to(user).values_list("name", flat=True))
    assert "UDCCAS 59" not in names and "Métropole de Lyon" not in names


def test_someone_without_membership_sees_nothing(world):
    user = world["stranger"]
    for model in (Convention, Action, Axis, FundingLine, Payment, Organisation):
        assert not model.objects.visible_to(user).exists()


def test_a_union_that_carries_a_convention_sees_all_of_its_actions_from_its_next_request(world):
    """A union carrying no convention is matched on the actions it leads alone (an index); the
    day it carries one, every action of that convention opens to it, led by whomever."""
    from conventions.access import forget_scope, scope_for

    user = world["ud69"]
    assert scope_for(user).porteur_ids == frozenset()
    ud69 = Organisation.objects.get(name="UDCCAS 69")
    own = ConventionFactory(reference="UD69-2024", beneficiary=ud69)
    led_by_other = ActionFactory(
        axis__convention=own, lead_organisation=world["a59"].lead_organisation
    )

    forget_scope(user)
    assert scope_for(user).porteur_ids == {ud69.pk}
    assert _ids(Action.objects.visible_to(user)) == {world["a69"].pk, led_by_other.pk}
