import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from conventions.models import Convention, Organisation
from conventions.services import convention_sign
from conventions.validators import siret_is_valid
from financing.models import Publication
from financing.services import amendment_create, scdl_publish
from tests.factories import ConventionFactory, OrganisationFactory
from tests.financing.scdl import scdl_errors

pytestmark = pytest.mark.django_db

URL = "/donnees-essentielles/subventions.csv"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _published() -> Publication:
    return Publication.objects.get(name="subventions.csv")


def test_the_demo_publishes_a_file_with_zero_errors(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())

    publication = _published()
    assert scdl_errors(publication.content) == []
    assert publication.refused == []
    rows = _rows(publication.content)
    assert {r["referenceDecision"]: r["montant"] for r in rows} == {
        c.reference: f"{c.cnsa_amount:.2f}"
        for c in Convention.objects.exclude(status="draft").filter(cnsa_amount__gt=23000)
    }
    assert publication.row_count == len(rows) > 0
    assert all(siret_is_valid(o.siret) for o in Organisation.objects.all())


def test_signing_a_convention_republishes_the_file(cnsa, django_capture_on_commit_callbacks):
    scdl_publish()
    draft = ConventionFactory(funder=cnsa, status="draft", reference="CNSA-NOUVELLE")
    assert _rows(_published().content) == []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        convention_sign(convention=draft, by=None, signed_on=datetime.date(2019, 2, 1))

    assert len(callbacks) == 1
    [row] = _rows(_published().content)
    assert (row["referenceDecision"], row["dateConvention"]) == ("CNSA-NOUVELLE", "2019-02-01")


def test_an_amendment_republishes_the_new_amount(cnsa, django_capture_on_commit_callbacks):
    convention = ConventionFactory(
        funder=cnsa, total_cost=Decimal("900000.00"), cnsa_amount=Decimal("500000.00")
    )
    scdl_publish()

    with django_capture_on_commit_callbacks(execute=True):
        amendment_create(
            convention=convention,
            by=None,
            signed_on=datetime.date(2020, 6, 1),
            description="Avenant n° 1",
            cnsa_amount=Decimal("450000.00"),
        )

    [row] = _rows(_published().content)
    assert row["montant"] == "450000.00"


def test_an_invalid_siren_is_listed_in_the_publication_and_not_exported(cnsa):
    bad = OrganisationFactory(name="Porteur au SIREN faux")
    Organisation.objects.filter(pk=bad.pk).update(siret="73282932100072")
    ConventionFactory(funder=cnsa, beneficiary=bad, reference="CNSA-FAUX")

    publication = scdl_publish()

    assert publication.row_count == 0
    assert _rows(publication.content) == []
    assert publication.refused == [
        {
            "reference": "CNSA-FAUX",
            "reasons": [
                "Le SIRET du bénéficiaire « Porteur au SIREN faux » (73282932100072) n'est pas valide (clé du SIREN ou du SIRET)."
            ],
        }
    ]


def test_the_public_file_answers_without_sign_in_with_cache_headers(client, cnsa):
    ConventionFactory(funder=cnsa, reference="CNSA-PUBLIQUE")
    published_at = datetime.datetime(2026, 3, 2, 10, 30, tzinfo=datetime.UTC)
    scdl_publish(now=published_at)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["Last-Modified"] == "Mon, 02 Mar 2026 10:30:00 GMT"
    assert response["X-Publication-Date"] == "2026-03-02T10:30:00+00:00"
    assert response["Access-Control-Allow-Origin"] == "*"
    text = response.content.decode("utf-8")
    assert [r["referenceDecision"] for r in _rows(text)] == ["CNSA-PUBLIQUE"]
    assert scdl_errors(text) == []
    again = client.get(URL, HTTP_IF_NONE_MATCH=response["ETag"])
    assert (again.status_code, again.content) == (304, b"")


def test_the_public_file_is_published_on_first_request_when_never_published(client, cnsa):
    ConventionFactory(funder=cnsa, reference="CNSA-PREMIERE")

    response = client.get(URL)

    assert response.status_code == 200
    assert [r["referenceDecision"] for r in _rows(response.content.decode())] == ["CNSA-PREMIERE"]
    assert Publication.objects.count() == 1


def test_the_public_file_refuses_writes(client):
    assert client.post(URL).status_code == 405
    assert not Publication.objects.exists()


def test_the_export_command_lists_what_it_cannot_publish(cnsa):
    ConventionFactory(funder=cnsa, reference="CNSA-OK")
    bad = OrganisationFactory(name="Porteur au SIREN faux")
    Organisation.objects.filter(pk=bad.pk).update(siret="73282932100072")
    ConventionFactory(funder=cnsa, beneficiary=bad, reference="CNSA-FAUX")
    out, err = io.StringIO(), io.StringIO()

    call_command("export_scdl", "--publish", stdout=out, stderr=err)

    assert [r["referenceDecision"] for r in _rows(out.getvalue())] == ["CNSA-OK"]
    assert err.getvalue().splitlines()[0] == (
        "Non publiée : CNSA-FAUX — Le SIRET du bénéficiaire « Porteur au SIREN faux » "
        "(73282932100072) n'est pas valide (clé du SIREN ou du SIRET)."
    )
    assert _published().row_count == 1


def test_the_json_file_holds_the_csv_rows_typed_with_the_publication_date(client, cnsa):
    ConventionFactory(funder=cnsa, reference="CNSA-JSON", cnsa_amount=Decimal("65000.50"))
    published_at = datetime.datetime(2026, 3, 2, 10, 30, tzinfo=datetime.UTC)
    scdl_publish(now=published_at)
    text = client.get(URL).content.decode()

    response = client.get("/donnees-essentielles/subventions.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["X-Publication-Date"] == "2026-03-02T10:30:00+00:00"
    body = response.json()
    assert (body["version"], body["datePublication"]) == ("2.1.1", "2026-03-02T10:30:00+00:00")
    [row] = body["data"]
    [line] = _rows(text)
    assert list(row) == list(line)
    assert (row["montant"], row["pourcentageSubvention"], row["notificationUE"]) == (
        65000.5,
        1.0,
        False,
    )
    assert row["idRAE"] is None
    assert {k: v for k, v in row.items() if isinstance(v, str)} == {
        k: line[k] for k, v in row.items() if isinstance(v, str)
    }
    again = client.get(
        "/donnees-essentielles/subventions.json", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304
