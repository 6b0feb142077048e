"""The per-action, per-axis and per-département totals follow money and every move that regroups it: an
action changing axis or lead organisation, an axis changing convention, a convention changing
beneficiary or funder, an organisation changing département. Each test compares with the raw rows
(`totals_differences`) and with figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions.models import Action
from axes.models import Axis
from conventions.models import Convention, Organisation
from financing.models import (
    ActionSummary,
    AxisFunderTotal,
    AxisSummary,
    DepartementSummary,
    DepartementTotal,
)
from financing.totals_check import totals_differences
from tests.factories import (
    ActionFactory,
    AxisFactory,
    ConventionFactory,
    FundingLineFactory,
    OrganisationFactory,
    ProgressReportFactory,
    SpendingFactory,
)

pytestmark = pytest.mark.django_db


def _summary(action) -> tuple[Decimal, Decimal, Decimal]:
    row = ActionSummary.objects.get(action=action)
    return row.planned, row.cnsa_planned, row.spent


def _by_departement() -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    """Planned, CNSA planned and spent per département (all funders and years), zeros left out."""
    sums: dict[str, list[Decimal]] = {}
    for row in DepartementTotal.objects.all():
        total = sums.setdefault(row.departement, [Decimal(0)] * 3)
        for i, value in enumerate((row.planned, row.cnsa_planned, row.spent)):
            total[i] += value
    by_departement = {dep: tuple(total) for dep, total in sums.items() if any(total)}
    assert _nonzero(DepartementSummary, "departement") == by_departement
    return by_departement  # type: ignore[return-value]


def _nonzero(summary, key: str) -> dict[object, tuple[Decimal, Decimal, Decimal]]:
    return {
        getattr(row, key): (row.planned, row.cnsa_planned, row.spent)
        for row in summary.objects.all()
        if row.planned or row.spent
    }


def _by_axis() -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    by_axis = _nonzero(AxisSummary, "axis_id")
    sums: dict[int, list[Decimal]] = {}
    for row in AxisFunderTotal.objects.all():
        total = sums.setdefault(row.axis_id, [Decimal(0)] * 3)
        for i, value in enumerate((row.planned, row.cnsa_planned, row.spent)):
            total[i] += value
    assert {axis: tuple(total) for axis, total in sums.items() if any(total)} == by_axis
    return by_axis


def _organisation(code: str, **kwargs) -> Organisation:
    return OrganisationFactory(departement_code=code, **kwargs)


@pytest.fixture
def funded(cnsa):
    """An action led by an organisation without département, in a convention of a porteur of the
    Rhône: 100 € of CNSA, 30 € of a co-funder, 12 € spent in an approved report."""
    convention = ConventionFactory(funder=cnsa, beneficiary=_organisation("69"))
    action = ActionFactory(
        axis=AxisFactory(convention=convention), lead_organisation=_organisation("")
    )
    FundingLineFactory(action=action, funder=cnsa, year=2019, amount=Decimal("100.00"))
    FundingLineFactory(action=action, funder=_organisation(""), year=2019, amount=Decimal("30.00"))
    report = ProgressReportFactory(action=action, status="approved")
    SpendingFactory(report=report, funder=cnsa, amount=Decimal("12.00"))
    return action


def test_lines_and_approved_spending_reach_the_action_and_departement_tables(funded):
    assert _summary(funded) == (Decimal("130.00"), Decimal("100.00"), Decimal("12.00"))
    assert _by_departement() == {"69": (Decimal("130.00"), Decimal("100.00"), Decimal("12.00"))}
    assert _by_axis() == {funded.axis_id: (Decimal("130.00"), Decimal("100.00"), Decimal("12.00"))}
    assert totals_differences() == []


def test_an_action_moved_to_another_conventions_axis(funded):
    elsewhere = ConventionFactory(beneficiary=_organisation("38"))  # another funder
    axis = AxisFactory(convention=elsewhere)
    Action.objects.filter(pk=funded.pk).update(axis=axis)

    assert _summary(funded) == (Decimal("130.00"), Decimal("0.00"), Decimal("12.00"))
    assert _by_axis() == {axis.pk: (Decimal("130.00"), Decimal("0.00"), Decimal("12.00"))}
    assert _by_departement() == {"38": (Decimal("130.00"), Decimal("0.00"), Decimal("12.00"))}
    assert totals_differences() == []


def test_an_action_changing_lead_organisation(funded):
    funded.lead_organisation = _organisation("2A")
    funded.save()

    assert _by_departement() == {"2A": (Decimal("130.00"), Decimal("100.00"), Decimal("12.00"))}
    assert totals_differences() == []


def test_an_axis_moved_to_another_convention(funded):
    elsewhere = ConventionFactory(
        funder=funded.axis.convention.funder, beneficiary=_organisation("974")
    )
    Axis.objects.filter(pk=funded.axis_id).update(convention=elsewhere)

    assert _by_axis() == {funded.axis_id: (Decimal("130.00"), Decimal("100.00"), Decimal("12.00"))}
    assert _by_departement() == {"974": (Decimal("130.00"), Decimal("100.00"), Decimal("12.00"))}
    assert totals_differences() == []


def test_a_convention_changing_beneficiary(funded):
    Convention.objects.filter(pk=funded.axis.convention_id).update(beneficiary=_organisation(""))

    assert _by_departement() == {"": (Decimal("130.00"), Decimal("100.00"), Decimal("12.00"))}
    assert totals_differences() == []


def test_a_convention_changing_funder(funded):
    other = _organisation("", kind=Organisation.Kind.FUNDER)
    Convention.objects.filter(pk=funded.axis.convention_id).update(funder=other)

    assert _summary(funded) == (Decimal("130.00"), Decimal("0.00"), Decimal("12.00"))
    assert _by_axis() == {funded.axis_id: (Decimal("130.00"), Decimal("0.00"), Decimal("12.00"))}
    assert _by_departement() == {"69": (Decimal("130.00"), Decimal("0.00"), Decimal("12.00"))}
    assert totals_differences() == []


def test_a_beneficiary_changing_departement_moves_the_actions_it_does_not_lead_elsewhere(funded):
    led_elsewhere = ActionFactory(axis=funded.axis, lead_organisation=_organisation("01"))
    FundingLineFactory(action=led_elsewhere, funder=funded.axis.convention.funder, amount=5)
    beneficiary = funded.axis.convention.beneficiary

    Organisation.objects.filter(pk=beneficiary.pk).update(departement_code="42")

    assert _by_departement() == {
        "42": (Decimal("130.00"), Decimal("100.00"), Decimal("12.00")),
        "01": (Decimal("5.00"), Decimal("5.00"), Decimal("0.00")),
    }
    assert totals_differences() == []


def test_a_lead_organisation_changing_departement(funded):
    Organisation.objects.filter(pk=funded.lead_organisation_id).update(departement_code="13")

    assert _by_departement() == {"13": (Decimal("130.00"), Decimal("100.00"), Decimal("12.00"))}
    Organisation.objects.filter(pk=funded.lead_organisation_id).update(departement_code="")
    assert _by_departement() == {"69": (Decimal("130.00"), Decimal("100.00"), Decimal("12.00"))}
    assert totals_differences() == []


def test_an_organisation_both_beneficiary_and_lead_gaining_a_departement(cnsa):
    porteur = _organisation("")
    action = ActionFactory(axis__convention=ConventionFactory(funder=cnsa, beneficiary=porteur))
    FundingLineFactory(action=action, funder=cnsa, year=2019, amount=Decimal("8.00"))
    assert action.lead_organisation == porteur

    Organisation.objects.filter(pk=porteur.pk).update(departement_code="75")

    assert _by_departement() == {"75": (Decimal("8.00"), Decimal("8.00"), Decimal("0.00"))}
    assert totals_differences() == []
