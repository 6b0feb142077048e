import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest

from conventions.models import Convention, Organisation
from financing.opendata import SCDL_COLUMNS, SCHEMA_PATH, scdl_csv, scdl_export, scdl_schema
from tests.factories import ConventionFactory, OrganisationFactory, PaymentFactory
from tests.financing.scdl import scdl_errors

pytestmark = pytest.mark.django_db

EXAMPLES = Path(SCHEMA_PATH).parent / "exemples"
BAD_SIREN = "73282932100072"  # its 14-digit key is right, its SIREN key is not


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _lyon(cnsa, **kwargs):
    return ConventionFactory(
        funder=cnsa,
        beneficiary=OrganisationFactory(name="Métropole de Lyon", kind="metropole"),
        reference="CNSA-LYON",
        total_cost=Decimal("801500.00"),
        cnsa_amount=Decimal("427750.00"),
        start_date=datetime.date(2016, 1, 1),
        end_date=datetime.date(2017, 12, 31),
        signature_date=datetime.date(2016, 8, 1),
        objet="Modernisation des SAAD",
        **kwargs,
    )


def test_the_vendored_schema_is_the_official_2_1_1_with_its_custom_checks():
    schema = scdl_schema()

    assert schema["version"] == "2.1.1"
    assert [f["name"] for f in schema["fields"]] == SCDL_COLUMNS
    assert [c["name"] for c in schema["custom_checks"]] == [
        "french-siret-value",
        "french-siret-value",
        "one-of-required",
    ]


def test_the_validation_accepts_the_official_valid_example_and_refuses_the_invalid_one():
    valid = (EXAMPLES / "exemple_valide.csv").read_text(encoding="utf-8")
    invalid = (EXAMPLES / "exemple_invalide_erreurs_cellules.csv").read_text(encoding="utf-8")

    assert scdl_errors(valid) == []
    errors = scdl_errors(invalid)
    assert len(errors) == 66
    assert sum(e.startswith("french-siret-value") for e in errors) == 49
    assert sum(e.startswith("one-of-required") for e in errors) == 1


def test_it_publishes_a_signed_grant_with_the_scdl_fields(cnsa):
    lyon = _lyon(cnsa)
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
    assert row["pourcentageSubvention"] == "1.00"
    assert row["dispositifAide"] == ""
    assert scdl_errors(text) == []


def test_only_payments_actually_made_count_at_the_date_they_were_paid(cnsa):
    lyon = _lyon(cnsa)
    PaymentFactory(
        convention=lyon,
        due_date=datetime.date(2016, 9, 1),
        paid_on=datetime.date(2016, 9, 20),
    )
    PaymentFactory(
        convention=lyon, status="planned", paid_on=None, due_date=datetime.date(2017, 3, 1)
    )
    PaymentFactory(
        convention=lyon, status="cancelled", paid_on=None, due_date=datetime.date(2017, 4, 1)
    )
    PaymentFactory(convention=lyon, kind="reclaim", paid_on=datetime.date(2018, 6, 1))

    [row] = _rows(scdl_csv(Convention.objects.all()))

    assert (row["conditionsVersement"], row["datesPeriodeVersement"]) == ("unique", "2016-09-20")


def test_with_no_payment_made_the_period_is_the_conventions_and_not_unique(cnsa):
    lyon = _lyon(cnsa)
    PaymentFactory(
        convention=lyon, status="planned", paid_on=None, due_date=datetime.date(2017, 3, 1)
    )

    text = scdl_csv(Convention.objects.all())

    [row] = _rows(text)
    assert (row["conditionsVersement"], row["datesPeriodeVersement"]) == (
        "autre",
        "2016-01-01/2017-12-31",
    )
    assert scdl_errors(text) == []


def test_dispositif_aide_comes_from_the_configured_identifier(cnsa, settings):
    settings.SCDL_DISPOSITIF_AIDE = "65d5b6c7-102c-4440-ac3b-768f708edc0a"
    _lyon(cnsa)

    [row] = _rows(scdl_csv(Convention.objects.all()))

    assert row["dispositifAide"] == "65d5b6c7-102c-4440-ac3b-768f708edc0a"


def test_drafts_and_grants_under_23000_euros_are_not_published(cnsa):
    ConventionFactory(funder=cnsa, status="draft")
    ConventionFactory(funder=cnsa, cnsa_amount=Decimal("23000.00"))

    assert _rows(scdl_csv(Convention.objects.all())) == []


def test_the_subject_is_cut_at_256_characters(cnsa):
    ConventionFactory(funder=cnsa, objet="", title="x" * 300)

    text = scdl_csv(Convention.objects.all())

    [row] = _rows(text)
    assert len(row["objet"]) == 256
    assert scdl_errors(text) == []


def test_a_beneficiary_with_an_invalid_siren_is_listed_and_not_exported(cnsa):
    good = ConventionFactory(funder=cnsa, reference="CNSA-BON")
    bad_org = OrganisationFactory(name="UNCCAS")
    # Stored before the official rule was enforced: the update bypasses today's validators.
    Organisation.objects.filter(pk=bad_org.pk).update(siret=BAD_SIREN)
    ConventionFactory(funder=cnsa, beneficiary=bad_org, reference="CNSA-SIREN")

    export = scdl_export(Convention.objects.all())

    assert [r.values["referenceDecision"] for r in export.rows] == [good.reference]
    assert [(r.reference, r.reasons) for r in export.refused] == [
        (
            "CNSA-SIREN",
            [
                f"Le SIRET du bénéficiaire « UNCCAS » ({BAD_SIREN}) n'est pas valide (clé du SIREN ou du SIRET)."
            ],
        )
    ]
    assert scdl_errors(export.csv()) == []


def test_a_funder_without_siret_and_a_beneficiary_without_any_identifier_are_listed(cnsa):
    Organisation.objects.filter(pk=cnsa.pk).update(siret="")
    bare = OrganisationFactory(name="Association sans numéro")
    Organisation.objects.filter(pk=bare.pk).update(siret="", rna="")
    ConventionFactory(funder=cnsa, beneficiary=bare, reference="CNSA-NU")

    export = scdl_export(Convention.objects.all())

    assert export.rows == []
    assert [(r.reference, r.reasons) for r in export.refused] == [
        (
            "CNSA-NU",
            [
                "L'attribuant « Caisse nationale de solidarité pour l'autonomie » n'a pas de SIRET.",
                "Le bénéficiaire « Association sans numéro » n'a ni SIRET ni numéro RNA.",
            ],
        )
    ]


def test_a_beneficiary_known_by_its_rna_only_is_published(cnsa):
    association = OrganisationFactory(name="Association d'aide à domicile", rna="W691234567")
    Organisation.objects.filter(pk=association.pk).update(siret="")
    ConventionFactory(funder=cnsa, beneficiary=association)

    text = scdl_csv(Convention.objects.all())

    [row] = _rows(text)
    assert (row["idBeneficiaire"], row["rnaBeneficiaire"]) == ("", "W691234567")
    assert scdl_errors(text) == []


def test_generated_conventions_give_a_file_with_zero_errors(cnsa):
    for n in range(25):
        convention = ConventionFactory(
            funder=cnsa, cnsa_amount=Decimal("23000.01") + n * Decimal("1234.56")
        )
        for day in range(n % 4):
            PaymentFactory(convention=convention, paid_on=datetime.date(2019, 3, 1 + day))

    text = scdl_csv(Convention.objects.all())

    assert len(_rows(text)) == 25
    assert scdl_errors(text) == []
