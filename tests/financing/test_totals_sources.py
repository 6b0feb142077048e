"""A CNSA officer's totals by action, axis or département come from the per-action, per-axis and
per-département tables: the same figures, to the cent, as the per-action × funder × year table
gives, and without reading it."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from financing.models import FundingLine
from financing.totals import funding_totals, funding_totals_page, funding_totals_stream
from financing.totals_sources import (
    BY_ACTION,
    BY_ACTION_ONLY,
    BY_AXIS_FUNDER,
    BY_AXIS_ONLY,
    BY_DEPARTEMENT,
    BY_DEPARTEMENT_ONLY,
    source_for,
)
from tests.api.conftest import generate_dataset, token_client
from tests.factories import FundingLineFactory

pytestmark = pytest.mark.django_db
SUMMARIES = (BY_ACTION_ONLY, BY_AXIS_ONLY, BY_AXIS_FUNDER, BY_DEPARTEMENT, BY_DEPARTEMENT_ONLY)


def _cases(convention, beneficiary, cnsa) -> list[tuple[list[str], dict]]:
    return [
        (["action"], {}),
        (["action"], {"convention": convention}),
        (["action"], {"beneficiary": beneficiary, "status": "signed"}),
        (["convention", "action"], {}),
        (["axis", "action"], {"status": "closed"}),
        (["departement"], {}),
        (["funder", "year", "departement"], {}),
        (["year", "departement", "funder"], {"year_min": 2020}),
        (["departement"], {"funder": cnsa.pk, "year": 2020}),
        (["funder"], {"departement": "01"}),
        (["year"], {"departement": "974", "year_max": 2020}),
        ([], {"departement": "69"}),
        (["axis"], {}),
        (["axis"], {"status": "signed"}),
        (["convention", "axis"], {"beneficiary": beneficiary}),
        (["axis", "convention"], {"convention": convention}),
        (["axis", "funder"], {}),
        (["funder", "axis"], {"funder": cnsa.pk, "status": "closed"}),
        (["convention", "axis", "funder"], {}),
        (["axis"], {"funder": cnsa.pk}),
    ]


def read_both_ways(monkeypatch, target: str, replacement, **query) -> tuple[tuple, tuple]:
    """All the rows, and the page from offset 2 (3 rows) with its count, as the product reads
    them, then with `target` replaced by `replacement` (the reading to compare with)."""

    def read() -> tuple:
        page = funding_totals_page(**query, offset=2, limit=3)
        return funding_totals(**query), (page.rows, page.count)

    new = read()
    with monkeypatch.context() as patched:
        patched.setattr(target, replacement)
        return new, read()


@pytest.fixture
def dataset(cnsa):
    """Several départements (and none), funders and years, a line of zero, deleted lines."""
    generate_dataset(cnsa, conventions=4)
    line = FundingLine.objects.select_related("action").first()
    FundingLineFactory(action=line.action, funder=cnsa, year=2022, amount=Decimal("0.00"))
    FundingLine.objects.filter(pk__in=FundingLine.objects.order_by("-pk").values("pk")[:5]).delete()
    FundingLine.objects.filter(action=line.action).delete()
    return line.action.axis.convention


def test_every_grouping_equals_the_per_action_funder_year_table(
    officer, cnsa, dataset, monkeypatch
):
    for group_by, filters in _cases(dataset.pk, dataset.beneficiary_id, cnsa):
        needs = {*group_by, *filters}
        assert source_for(needs, True) in SUMMARIES, needs
        (new, page), (old, old_page) = read_both_ways(
            monkeypatch,
            "financing.totals.source_for",
            lambda needs, is_global: BY_ACTION,
            user=officer,
            group_by=group_by,
            filters=filters,
        )
        assert new == old, (group_by, filters)
        assert list(funding_totals_stream(user=officer, group_by=group_by, filters=filters)) == new
        assert page == old_page, (group_by, filters)
        assert any(row["planned"] for row in new) or group_by == [], (group_by, filters)


def test_a_partner_still_reads_through_its_actions():
    assert source_for({"action"}, False) is BY_ACTION
    assert source_for({"departement"}, False) is BY_ACTION


def _plan(sql: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("RESET enable_seqscan")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, todo = [], [plan[0]["Plan"]]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo += node.get("Plans", [])
    return nodes


@pytest.mark.postgres
def test_action_and_departement_pages_read_their_tables_by_index(officer, cnsa, dataset):
    client = token_client(officer)
    for url in (
        "/api/v1/totals/?group_by=action&page_size=5&page=2",
        "/api/v1/totals/?group_by=departement",
        "/api/v1/totals/?group_by=funder,year,departement&page_size=5&page=2",
    ):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        sqls = [q["sql"] for q in captured.captured_queries]
        assert not [s for s in sqls if "financing_actiontotal" in s], url
    page = next(s for s in sqls if "financing_departementtotal" in s and "LIMIT" in s)
    assert not [n for n in _plan(page) if n["Node Type"] in ("Sort", "Aggregate", "WindowAgg")]
    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/totals/?group_by=action&page_size=5&page=2")
    [page] = [q["sql"] for q in captured.captured_queries if "LIMIT 5 OFFSET 5" in q["sql"]]
    nodes = _plan(page)
    assert [n["Relation Name"] for n in nodes if "Relation Name" in n] == [
        "financing_actionsummary"
    ]
    assert not [n for n in nodes if n["Node Type"] in ("Sort", "Aggregate", "WindowAgg")], nodes


def test_convention_funder_year_rows_are_read_as_they_are(officer, cnsa, dataset, monkeypatch):
    group_by = ["convention", "year", "funder"]
    for filters in ({}, {"status": "signed"}, {"funder": cnsa.pk, "year_min": 2020}):
        (new, page), (old, old_page) = read_both_ways(
            monkeypatch,
            "financing.totals.rows_are_groups",
            lambda source, group_by: False,
            user=officer,
            group_by=group_by,
            filters=filters,
        )
        assert new == old, filters
        assert page == old_page, filters
        assert any(row["paid"] for row in new), filters


@pytest.mark.postgres
def test_a_grouped_page_stops_at_its_last_group_and_counts_apart(officer, cnsa, dataset):
    client = token_client(officer)
    for url, table in (
        ("/api/v1/totals/?group_by=convention,year,funder&page_size=2", "conventiontotal"),
        ("/api/v1/totals/?group_by=axis,year&page_size=2", "axistotal"),
    ):
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).json()
        assert len(body["results"]) == 2 and body["count"] > 2, url
        [page] = [q["sql"] for q in captured.captured_queries if "LIMIT 2" in q["sql"]]
        assert f"financing_{table}" in page
        nodes = _plan(page)
        assert not [n for n in nodes if n["Node Type"] == "WindowAgg"], url
        if table == "conventiontotal":
            assert not [n for n in nodes if n["Node Type"] == "Aggregate"], url
        last = client.get(f"{url}&page={-(-body['count'] // 2)}").json()
        assert (last["count"], len(last["results"])) == (body["count"], body["count"] % 2 or 2)
        assert last["next"] is None
