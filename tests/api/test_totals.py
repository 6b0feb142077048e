"""GET /api/v1/totals/: sums equal an independent Decimal computation, for every grouping."""

from __future__ import annotations

import csv
import io
import itertools
from collections import defaultdict
from decimal import Decimal

import pytest

from actions.models import Action, Spending
from conventions.models import Organisation
from core.money import rate_percent
from financing.models import FundingLine, Payment
from financing.totals import GROUP_KEYS
from tests.api.conftest import generate_dataset, token_client
from tests.factories import (
    ActionFactory,
    AxisFactory,
    ConventionFactory,
    FundingLineFactory,
    OrganisationFactory,
)

ZERO = Decimal("0.00")
GROUPINGS = [
    *[list(c) for size in (0, 1, 2) for c in itertools.combinations(GROUP_KEYS, size)],
    ["convention", "axis", "year"],
    ["funder", "year", "departement"],
    ["beneficiary", "funder", "year"],
    ["convention", "action", "funder", "year"],
]


def _departement(action: Action) -> str | None:
    return (
        action.lead_organisation.departement_code
        or action.axis.convention.beneficiary.departement_code
        or None
    )


def _keys_of_action(action: Action) -> dict:
    convention = action.axis.convention
    return {
        "convention": convention.pk,
        "axis": action.axis_id,
        "action": action.pk,
        "beneficiary": convention.beneficiary_id,
        "departement": _departement(action),
    }


def expected_totals(group_by: list[str]) -> dict[tuple, dict]:
    """The same totals, computed row by row in Python with Decimal, from the models."""
    rows: dict[tuple, dict] = defaultdict(
        lambda: {"planned": ZERO, "cnsa_planned": ZERO, "paid": ZERO, "spent": ZERO}
    )
    kinds = dict(Organisation.objects.values_list("pk", "kind"))
    for line in FundingLine.objects.select_related(
        "action__axis__convention__beneficiary", "action__lead_organisation"
    ):
        keys = {**_keys_of_action(line.action), "year": line.year, "funder": line.funder_id}
        row = rows[tuple(keys[k] for k in group_by)]
        row["planned"] += line.amount
        if line.funder_id == line.action.axis.convention.funder_id:
            row["cnsa_planned"] += line.amount
    for spending in Spending.objects.filter(report__status="approved").select_related(
        "report__action__axis__convention__beneficiary", "report__action__lead_organisation"
    ):
        report = spending.report
        keys = {
            **_keys_of_action(report.action),
            "year": report.period_start.year,
            "funder": spending.funder_id,
        }
        rows[tuple(keys[k] for k in group_by)]["spent"] += spending.amount
    payments_known = not {"axis", "action", "departement"} & set(group_by)
    if payments_known:
        for payment in Payment.objects.filter(status="paid").select_related("convention"):
            convention = payment.convention
            keys = {
                "convention": convention.pk,
                "beneficiary": convention.beneficiary_id,
                "year": payment.paid_on.year,
                "funder": convention.funder_id,
            }
            sign = -1 if payment.kind == "reclaim" else 1
            rows[tuple(keys[k] for k in group_by)]["paid"] += sign * payment.amount
    for key, row in rows.items():
        row["cnsa_rate"] = rate_percent(row["cnsa_planned"], row["planned"])
        funder = key[group_by.index("funder")] if "funder" in group_by else None
        if not payments_known or ("funder" in group_by and kinds.get(funder) != "funder"):
            row["paid"] = None
    return rows


def _as_decimal(value):
    return None if value is None else Decimal(value)


def test_every_grouping_equals_the_python_sums(officer_api, cnsa):
    # Given a generated data set with CNSA and co-funders' lines, payments and reports
    generate_dataset(cnsa)
    for group_by in GROUPINGS:
        expected = expected_totals(group_by)

        # When the officer asks for the totals grouped that way
        query = {"group_by": ",".join(group_by), "page_size": 5000}
        response = officer_api.get("/api/v1/totals/", query)

        # Then every row equals the Python sums to the cent, and no row is missing or extra
        assert response.status_code == 200, group_by
        results = response.json()["results"]
        got = {
            tuple(row[k] for k in group_by): {
                m: _as_decimal(row[m])
                for m in ("planned", "cnsa_planned", "cnsa_rate", "paid", "spent")
            }
            for row in results
        }
        assert got == expected, group_by
        assert len(results) == len(expected) == response.json()["count"], group_by
        for row in results:
            assert all(f"{k}_label" in row for k in group_by), group_by
            assert list(row)[-5:] == ["planned", "cnsa_planned", "cnsa_rate", "paid", "spent"]
    assert len(GROUPINGS) == 1 + 7 + 21 + 4


def make_lyon(cnsa):
    """The Métropole de Lyon convention (seed 001): 801 500 € in all, CNSA 427 750 €."""
    lyon = OrganisationFactory(
        name="Métropole de Lyon", kind=Organisation.Kind.METROPOLE, departement_code="69"
    )
    cofunder = OrganisationFactory(
        name="Métropole (fonds propres)", kind=Organisation.Kind.COFUNDER
    )
    convention = ConventionFactory(
        funder=cnsa,
        beneficiary=lyon,
        reference="CNSA-LYON-2016",
        start_date="2016-01-01",
        end_date="2017-12-31",
        total_cost=Decimal("801500.00"),
        cnsa_amount=Decimal("427750.00"),
    )
    action = ActionFactory(axis=AxisFactory(convention=convention, number=1))
    FundingLineFactory(action=action, funder=cnsa, year=2016, amount=Decimal("213875.00"))
    FundingLineFactory(action=action, funder=cnsa, year=2017, amount=Decimal("213875.00"))
    FundingLineFactory(action=action, funder=cofunder, year=2016, amount=Decimal("186875.00"))
    FundingLineFactory(action=action, funder=cofunder, year=2017, amount=Decimal("186875.00"))
    return convention


def test_the_lyon_convention_gives_its_signed_figures(officer_api, cnsa):
    convention = make_lyon(cnsa)

    response = officer_api.get("/api/v1/totals/", {"group_by": "convention"})

    [row] = response.json()["results"]
    assert row["convention"] == convention.pk
    assert row["convention_label"].startswith("CNSA-LYON-2016")
    assert (row["planned"], row["cnsa_planned"], row["cnsa_rate"]) == (
        "801500.00",
        "427750.00",
        "53.37",
    )
    item = officer_api.get(f"/api/v1/conventions/{convention.pk}/").json()
    assert (item["total_cost"], item["cnsa_amount"], item["cnsa_rate"]) == (
        "801500.00",
        "427750.00",
        "53.37",
    )


def test_no_grouping_gives_one_grand_total_row_even_without_data(officer_api):
    response = officer_api.get("/api/v1/totals/")

    assert response.json()["results"] == [
        {
            "planned": "0.00",
            "cnsa_planned": "0.00",
            "cnsa_rate": None,
            "paid": "0.00",
            "spent": "0.00",
        }
    ]


def test_filters_narrow_every_measure(officer_api, cnsa):
    generate_dataset(cnsa)
    lines = FundingLine.objects.filter(year__gte=2020, action__axis__convention__status="signed")

    response = officer_api.get(
        "/api/v1/totals/", {"year_min": 2020, "year_max": 2021, "status": "signed"}
    )

    [row] = response.json()["results"]
    assert Decimal(row["planned"]) == sum(line.amount for line in lines)
    paid = sum(
        (-p.amount if p.kind == "reclaim" else p.amount)
        for p in Payment.objects.filter(
            status="paid", paid_on__year__gte=2020, convention__status="signed"
        )
    )
    assert Decimal(row["paid"]) == paid


def test_departement_filter_uses_the_lead_organisation_then_the_beneficiary(officer_api, cnsa):
    generate_dataset(cnsa)
    expected = sum(
        line.amount
        for line in FundingLine.objects.select_related(
            "action__axis__convention__beneficiary", "action__lead_organisation"
        )
        if _departement(line.action) == "69"
    )

    response = officer_api.get("/api/v1/totals/", {"departement": "69"})

    [row] = response.json()["results"]
    assert Decimal(row["planned"]) == expected
    assert row["paid"] is None  # payments are convention-level: not attributable to a département


def test_csv_gives_the_same_rows_with_a_decimal_point(officer_api, cnsa):
    make_lyon(cnsa)

    response = officer_api.get("/api/v1/totals/", {"group_by": "year", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["year"], r["planned"], r["cnsa_planned"], r["cnsa_rate"]) for r in rows] == [
        ("2016", "400750.00", "213875.00", "53.37"),
        ("2017", "400750.00", "213875.00", "53.37"),
    ]


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        (
            {"group_by": "convention,colour"},
            "group_by",
            "« colour ». Clés admises : convention, axis",
        ),
        ({"status": "lost"}, "status", "« lost ». Statuts admis : draft, signed, closed"),
        ({"departement": "99"}, "departement", "« 99 »"),
        ({"year": "deux-mille"}, "year", "« deux-mille » n'est pas un nombre entier"),
        ({"year": "99999999999999999999"}, "year", "entre 1900 et 2200"),
        ({"convention": "-1"}, "convention", "entre 1 et"),
        ({"colour": "red"}, "colour", "Paramètre inconnu : « colour »"),
        ({"group_by": "year,year"}, "group_by", "Clé de regroupement répétée : « year »"),
        ({"funder": "5.0"}, "funder", "« 5.0 » n'est pas un nombre entier"),
        ({"year_min": ""}, "year_min", "«  » n'est pas un nombre entier"),
        ({"status": ""}, "status", "Statut inconnu : «  ». Statuts admis : draft"),
        ({"departement": ""}, "departement", "Code de département inconnu : «  »"),
    ],
)
def test_an_unknown_key_or_value_is_a_400_naming_it(officer_api, params, field, fragment):
    response = officer_api.get("/api/v1/totals/", params)

    assert response.status_code == 400
    assert fragment in response.json()[field][0]


def test_a_departmental_union_sees_only_its_own_actions_lines(partners):
    a, b = partners
    client = token_client(a.contributor)

    response = client.get("/api/v1/totals/", {"group_by": "convention,action"})

    rows = response.json()["results"]
    assert [(r["convention"], r["action"], r["planned"]) for r in rows] == [
        (a.convention.pk, a.union_action.pk, "250.00")
    ]
    grand = client.get("/api/v1/totals/").json()["results"][0]
    assert (grand["planned"], grand["paid"]) == ("250.00", "0.00")  # no payment is visible to it


@pytest.mark.parametrize(
    ("group_by", "queries"),
    [
        ("", 4),
        ("convention,year,funder,beneficiary", 6),
        ("convention,axis,action,year,funder,beneficiary,departement", 6),
    ],
)
def test_totals_cost_the_same_queries_at_10_and_1000_lines(
    officer_api, cnsa, group_by, queries, django_assert_num_queries
):
    def build(lines: int) -> None:
        convention = ConventionFactory(funder=cnsa, start_date="2019-01-01", end_date="2022-12-31")
        axis = AxisFactory(convention=convention)
        actions = [ActionFactory(axis=axis) for _ in range(lines // 4)]
        FundingLine.objects.bulk_create(
            FundingLine(action=action, funder=cnsa, year=2019 + i, amount=Decimal("10.00"))
            for action in actions
            for i in range(4)
        )

    # the address's sign-in lockout, token lookup, the user's memberships, then the grouped totals
    # (one table holds planned, spent and paid) and, with keys, the count of a full page and the
    # labels; the token's last use is recorded by the first request and not again within five minutes
    officer_api.get("/api/v1/totals/")
    build(12)
    with django_assert_num_queries(queries):
        query = {"group_by": group_by, "page_size": 2}
        assert officer_api.get("/api/v1/totals/", query).status_code == 200
    build(1000)
    with django_assert_num_queries(queries):
        response = officer_api.get("/api/v1/totals/", query)
    assert FundingLine.objects.count() == 12 // 4 * 4 + 1000
    assert Decimal(response.json()["results"][0]["planned"]) > 0


def test_csv_without_rows_still_has_its_header_line(officer_api):
    response = officer_api.get("/api/v1/totals/", {"group_by": "funder", "format": "csv"})

    assert response.status_code == 200
    assert response.content.decode() == (
        "funder,funder_label,planned,cnsa_planned,cnsa_rate,paid,spent\n"
    )


def test_the_demo_data_gives_the_seeds_figures_through_the_api(officer_api):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    lyon = officer_api.get("/api/v1/conventions/", {"reference": "CNSA-METROPOLE-LYON"}).json()
    [convention] = lyon["results"]

    response = officer_api.get("/api/v1/totals/", {"convention": convention["id"]})

    [row] = response.json()["results"]
    assert (row["planned"], row["cnsa_planned"], row["cnsa_rate"]) == (
        "801500.00",
        "427750.00",
        "53.37",
    )
    assert (convention["total_cost"], convention["cnsa_amount"], convention["cnsa_rate"]) == (
        "801500.00",
        "427750.00",
        "53.37",
    )
    unccas = officer_api.get("/api/v1/conventions/", {"reference": "CNSA-UNCCAS-2019"}).json()
    assert unccas["results"][0]["cnsa_amount"] == "1103953.00"


def test_the_totals_query_names_the_allowed_values_in_full(officer_api):
    response = officer_api.get("/api/v1/totals/", {"colour": "red", "status": "lost"})

    assert response.status_code == 400
    assert response.json() == {
        "colour": [
            "Paramètre inconnu : « colour ». Paramètres admis : beneficiary, columns, convention, "
            "departement, format, funder, group_by, page, page_size, status, year, year_max, "
            "year_min."
        ]
    }


def test_the_totals_query_is_read_into_keys_and_filters():
    from financing.api_totals_query import parse_totals_query

    assert parse_totals_query(
        {"group_by": " year, funder,", "year_min": "2019", "status": "signed"}
    ) == (
        ["year", "funder"],
        {"year_min": 2019, "status": "signed"},
    )
