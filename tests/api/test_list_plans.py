"""The API lists cost the same at page 1 and page 2 000: PostgreSQL finds a deep page through an
index that serves both the filter and the ordering, never by sorting or scanning a whole table.

With sequential scans and sorts priced out of reach (`enable_seqscan`, `enable_sort` off), the
planner still picks a sort or a full scan only when no index can do the work: the test reads the
plan of the query that finds the page's ids (LIMIT ... OFFSET ...)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from financing.models import FundingLine
from tests.api.conftest import token_client
from tests.api.test_query_counts import build
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

BIG = {
    "funding-lines": "financing_fundingline",
    "progress-reports": "actions_progressreport",
    "actions": "actions_action",
    "conventions": "conventions_convention",
}
ORDERINGS = {
    "funding-lines": ["year", "amount", "id"],
    "progress-reports": ["period_start", "submitted_at", "id"],
    "actions": ["code", "start_date", "end_date", "status", "id"],
    "conventions": ["reference", "start_date", "end_date", "total_cost", "cnsa_amount", "id"],
}


def _nodes(plan: dict[str, Any]):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _page_plan(client, url: str, *, sorts: bool = False) -> tuple[str, dict[str, Any]]:
    """The plan of the query that finds the page's ids; `sorts` leaves sorting allowed."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    pages = [
        q["sql"] for q in captured.captured_queries if 'AS "pk"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert len(pages) == 1, (url, [q["sql"] for q in captured.captured_queries])
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        if not sorts:
            cursor.execute("SET enable_sort = off")
            cursor.execute("SET enable_incremental_sort = off")
        try:
            cursor.execute("EXPLAIN (FORMAT JSON) " + pages[0])
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_sort")
            cursor.execute("RESET enable_incremental_sort")
    if isinstance(plan, str):
        plan = json.loads(plan)
    return pages[0], plan[0]["Plan"]


def _describe(sql: str, plan: dict[str, Any]) -> str:
    return sql + "\n" + json.dumps(plan, indent=1)[:4000]


@pytest.fixture
def data(officer, cnsa):
    """60 conventions, 150 actions, 600 funding lines, 150 reports: every list has a page 2."""
    porteur = OrganisationFactory(name="Porteur national")
    build(cnsa, porteur, lines=600)
    return porteur


def _cases():
    for name, keys in ORDERINGS.items():
        yield name, ""
        for key in keys:
            yield name, f"ordering={key}"
            yield name, f"ordering=-{key}"


def test_a_deep_page_follows_an_index_in_order(officer, data):
    """Every list, in its default ordering and in each one offered, both ways."""
    client = token_client(officer)
    for name, query in _cases():
        sql, plan = _page_plan(client, f"/api/v1/{name}/?page=2&{query}")
        assert "OFFSET 50" in sql
        nodes = list(_nodes(plan))
        sorts = [n for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")]
        scans = [n for n in nodes if n.get("Relation Name") == BIG[name]]
        assert not sorts, _describe(sql, plan)
        assert scans and all(n["Node Type"] != "Seq Scan" for n in scans), _describe(sql, plan)


def _filters(data, cnsa) -> list[tuple[str, str]]:
    line = FundingLine.objects.select_related("action__axis").first()
    assert line is not None
    action, axis = line.action, line.action.axis
    convention = axis.convention_id
    return [
        ("funding-lines", f"convention={convention}"),
        ("funding-lines", f"axis={axis.pk}"),
        ("funding-lines", f"action={action.pk}"),
        ("funding-lines", f"funder={cnsa.pk}"),
        ("funding-lines", "year=2020"),
        ("actions", f"convention={convention}"),
        ("actions", f"axis={axis.pk}"),
        ("actions", f"lead_organisation={data.pk}"),
        ("actions", "status=planned"),
        ("progress-reports", f"action={action.pk}"),
        ("progress-reports", f"convention={convention}"),
        ("progress-reports", f"lead_organisation={data.pk}"),
        ("progress-reports", "status=draft"),
        ("conventions", f"beneficiary={data.pk}"),
        ("conventions", f"funder={cnsa.pk}"),
        ("conventions", "status=signed"),
    ]


def _reached_by_index(name: str, plan: dict[str, Any]) -> bool:
    """Every read of the big table is bounded by an index condition (or is a bitmap of one); the
    filtered rows may then be sorted."""
    scans = [n for n in _nodes(plan) if n.get("Relation Name") == BIG[name]]
    return bool(scans) and all(
        n["Node Type"] == "Bitmap Heap Scan"
        or (n["Node Type"] in ("Index Scan", "Index Only Scan") and "Index Cond" in n)
        for n in scans
    )


def test_a_filtered_deep_page_reads_only_the_rows_of_its_filter(officer, cnsa, data):
    client = token_client(officer)
    for name, query in _filters(data, cnsa):
        sql, plan = _page_plan(client, f"/api/v1/{name}/?{query}", sorts=True)
        assert _reached_by_index(name, plan), _describe(sql, plan)


@pytest.mark.parametrize("role", ["coordinator", "contributor"])
def test_a_partner_s_lists_read_only_the_rows_it_may_see(cnsa, data, role):
    """The funding lines and reports a partner sees are reached through its actions' index.
    (Its actions, and its conventions, are found along the ordering's index, their porteur or pilot checked
    on the way: an OR across two tables that no single index serves.)"""
    user = UserFactory(username=role)
    MembershipFactory(user=user, organisation=data, role=role)
    other = OrganisationFactory(name="Autre porteur")
    build(cnsa, other, lines=200)  # rows the partner does not see
    client = token_client(user)
    for name in ("funding-lines", "progress-reports"):
        sql, plan = _page_plan(client, f"/api/v1/{name}/", sorts=True)
        assert _reached_by_index(name, plan), _describe(sql, plan)
