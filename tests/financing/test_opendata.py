import csv
import datetime
import io
from decimal import Decimal

import pytest

from conventions.models import Convention
from financing.opendata import SCDL_COLUMNS, scdl_csv
from tests.factories import ConventionFactory, OrganisationFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_it_publishes_a_signed_grant_with_the_scdl_fields(cnsa):
    lyon = ConventionFactory(
        funder=cnsa,
        beneficiary=OrganisationFactory(name="Métropole de Lyon", kind="metropole"),
        reference="CNSA-LYON",
        total_cost=Decimal("801500.00"),
        cnsa_amount=Decimal("427750.00"),
        start_date=datetime.date(2016, 1, 1),
        end_date=datetime.date(2017, 12, 31),
        signature_date=datetime.date(2016, 8, 1),
        objet="Modernisation des SAAD",
    )
    for day in (datetime.date(2016, 9, 15), datetime.date(2017, 9, 1)):
        PaymentFactory(convention=lyon, amount=Decimal("1000.00"), due_date=day, paid_on=day)

    text = scdl_csv(Convention.objects.all())

    assert text.splitlines()[0] == ",".join(SCDL_COLUMNS)
    [row] = _rows(text)
    assert row["montant"] == "427750.00"
    assert row["dateConvention"] == "2016-08-01"
    assert row["idBeneficiaire"] == lyon.beneficiary.siret
    assert row["conditionsVersement"] == "échelonné"
    assert row["datesPeriodeVersement"] == "2016-09-15/2017-09-01"
    assert row["pourcentageSubvention"] == "1"
    assert row["dispositifAide"] == "Section IV du budget de la CNSA"


def test_drafts_and_grants_under_23000_euros_are_not_published(cnsa):
    ConventionFactory(funder=cnsa, status="draft")
    ConventionFactory(funder=cnsa, cnsa_amount=Decimal("23000.00"))

    assert _rows(scdl_csv(Convention.objects.all())) == []


def test_the_subject_is_cut_at_256_characters(cnsa):
    ConventionFactory(funder=cnsa, objet="", title="x" * 300)

    [row] = _rows(scdl_csv(Convention.objects.all()))

    assert len(row["objet"]) == 256
    assert row["conditionsVersement"] == "unique"
