import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conventions.models import Convention
from conventions.services import (
    convention_approve_final_report,
    convention_close,
    convention_save,
    convention_sign,
)
from tests.factories import ConventionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _messages(refused) -> dict[str, list[str]]:
    return refused.value.message_dict


def test_it_refuses_a_convention_whose_cnsa_amount_exceeds_the_total(cnsa, officer):
    convention = Convention(
        reference="X-1",
        title="Essai",
        funder=cnsa,
        beneficiary=OrganisationFactory(),
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2019, 12, 31),
        total_cost=Decimal("1000.00"),
        cnsa_amount=Decimal("1000.01"),
    )

    with pytest.raises(ValidationError) as refused:
        convention_save(convention=convention, by=officer)

    assert _messages(refused)["cnsa_amount"] == [
        "Le montant CNSA ne peut pas dépasser le coût global."
    ]
    assert not Convention.objects.exists()


def test_it_refuses_a_funder_that_is_not_the_cnsa(officer):
    convention = ConventionFactory.build(
        funder=OrganisationFactory(kind="departement"), beneficiary=OrganisationFactory()
    )

    with pytest.raises(ValidationError) as refused:
        convention_save(convention=convention, by=officer)

    assert _messages(refused)["funder"] == [
        "Le financeur doit être une organisation de type « Financeur (CNSA) »."
    ]
    assert not Convention.objects.exists()


def test_a_signed_convention_changes_its_figures_only_by_amendment(convention, officer):
    convention.cnsa_amount = Decimal("70000.00")

    with pytest.raises(ValidationError) as refused:
        convention_save(convention=convention, by=officer)

    assert _messages(refused)["cnsa_amount"] == [
        "La convention est signée : ce champ ne se modifie que par un avenant."
    ]
    convention.refresh_from_db()
    assert convention.cnsa_amount == Decimal("60000.00")


def test_signing_records_the_date_and_who_signed(cnsa, officer):
    draft = ConventionFactory(funder=cnsa, status="draft", signature_date=None)

    convention_sign(convention=draft, by=officer, signed_on=datetime.date(2019, 7, 15))

    draft.refresh_from_db()
    assert (draft.status, draft.signature_date) == ("signed", datetime.date(2019, 7, 15))
    last = draft.history.latest()
    assert (last.history_user, last.status) == (officer, "signed")


def test_it_refuses_to_sign_twice(convention, officer):
    with pytest.raises(ValidationError) as refused:
        convention_sign(convention=convention, by=officer)

    assert _messages(refused)["status"] == ["Seule une convention en brouillon peut être signée."]


def test_it_refuses_to_close_before_the_final_report_is_approved(convention, officer):
    with pytest.raises(ValidationError) as refused:
        convention_close(convention=convention, by=officer)

    assert _messages(refused)["final_report_approved_on"] == [
        "Approuvez le bilan final avant de clôturer la convention."
    ]
    convention.refresh_from_db()
    assert convention.status == "signed"


def test_it_closes_once_the_final_report_is_approved(convention, officer):
    convention_approve_final_report(
        convention=convention, by=officer, approved_on=datetime.date(2023, 5, 1)
    )

    closed = convention_close(convention=convention, by=officer)

    assert closed.status == "closed"
    assert closed.final_report_approved_on == datetime.date(2023, 5, 1)
