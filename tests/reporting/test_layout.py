"""The demo reports' pages: none less than half full, except the last one and those that end a
chapter (the next chapter starts on a new page); no table row cut between two pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from conventions.models import Convention
from reporting import rendering, selectors
from tests.reporting.pdf_layout import layout, mostly_empty_pages, page_fills, split_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize(
    ("reference", "kind", "end"),
    [
        ("CNSA-METROPOLE-LYON-2016-2017", "final", None),
        ("CNSA-UNCCAS-2019-2022", "interim", datetime.date(2021, 6, 30)),
        ("CNSA-UNCCAS-2009-2011", "final", None),
    ],
)
def test_no_page_of_the_demo_reports_is_mostly_empty(demo, reference, kind, end):
    convention = Convention.objects.get(reference=reference)
    context = selectors.report_context(
        convention_id=convention.pk,
        kind=kind,
        period_start=convention.start_date,
        period_end=end or convention.end_date,
    )
    document = layout(rendering.report_html(context))
    fills = page_fills(document)

    assert mostly_empty_pages(fills) == []
    assert len(fills) <= 10
    assert split_rows(document) == []
