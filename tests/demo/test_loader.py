from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command

from conventions.models import Convention
from financing.selectors import convention_consistency, convention_summary

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin"}
    }


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _summary(reference: str):
    return convention_summary(convention=Convention.objects.get(reference=reference))


def test_the_lyon_convention_reproduces_the_seed_to_the_cent(demo):
    lyon = _summary("CNSA-METROPOLE-LYON-2016-2017")

    assert (lyon.total_cost, lyon.cnsa_amount, lyon.cnsa_rate) == (
        Decimal("801500.00"),
        Decimal("427750.00"),
        Decimal("53.37"),
    )
    assert (lyon.planned, lyon.cnsa_planned) == (Decimal("801500.00"), Decimal("427750.00"))


def test_the_unccas_2019_convention_finances_1_103_953_euros(demo):
    unccas = _summary("CNSA-UNCCAS-2019-2022")

    assert unccas.cnsa_amount == unccas.cnsa_planned == Decimal("1103953.00")


def test_the_seed_axes_and_indicators_are_there(demo):
    unccas = Convention.objects.get(reference="CNSA-UNCCAS-2019-2022")
    assert [a.title for a in unccas.axes.order_by("number")] == [
        "Structuration de l'offre",
        "Modernisation du secteur",
        "Aide à la professionnalisation du secteur",
        "Pilotage de la convention",
    ]
    assert unccas.axes.get(number=1).actions.get().means == "8 jours d'accompagnement"
    indicator = unccas.axes.get(number=3).actions.get(code="3.1").indicators.get()
    assert (indicator.target, indicator.unit) == (Decimal("6.00"), "unions départementales")
    leads = set(unccas.axes.get(number=3).actions.values_list("lead_organisation__kind", flat=True))
    assert leads == {"national_union", "departmental_union"}
    assert Convention.objects.get(reference="CNSA-METROPOLE-LYON-2016-2017").axes.count() == 6
    old = Convention.objects.get(reference="CNSA-UNCCAS-2009-2011")
    assert old.axes.count() == 5
    assert (
        old.axes.get(number=1)
        .actions.get(code="1.2")
        .indicators.filter(target=Decimal("6000.00"), unit="€")
        .exists()
    )


def test_every_demo_convention_is_consistent(demo):
    for convention in Convention.objects.all():
        assert convention_consistency(convention=convention) == []


def test_loading_the_demo_twice_changes_nothing(demo):
    before = _counts()

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert _counts() == before
    assert before["conventions.Convention"] == 3


def test_the_demo_is_written_through_the_services(demo):
    from actions.models import ProgressReport

    lyon = Convention.objects.get(reference="CNSA-METROPOLE-LYON-2016-2017")
    authors = set(
        ProgressReport.objects.filter(action__axis__convention=lyon).values_list(
            "submitted_by__username", "reviewed_by__username", "status"
        )
    )

    assert authors == {("lyon.coordinateur", "cnsa.officer", "approved")}
    assert lyon.history.filter(history_user__username="cnsa.officer").count() == 4
