"""The PDF is tagged for accessibility: structure tree, French, marked, titled, with bookmarks per
chapter and axis, table headers and charts described in words."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from reporting import rendering, selectors

pytestmark = pytest.mark.django_db


def _reader(convention) -> PdfReader:
    context = selectors.report_context(
        convention_id=convention.pk,
        kind="final",
        period_start=convention.start_date,
        period_end=convention.end_date,
    )
    return PdfReader(io.BytesIO(rendering.html_to_pdf(rendering.report_html(context))))


def _structure_kinds(node, seen: set[str], alts: list[str]) -> None:
    node = node.get_object()
    if isinstance(node, dict) or hasattr(node, "keys"):
        if "/S" in node:
            seen.add(str(node["/S"]))
            if node["/S"] == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                if hasattr(kid, "get_object"):
                    _structure_kinds(kid, seen, alts)
    elif isinstance(node, list):
        for kid in node:
            _structure_kinds(kid, seen, alts)


def test_the_report_is_a_tagged_french_pdf_with_a_title(lyon):
    reader = _reader(lyon)
    catalog = reader.trailer["/Root"]

    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "fr"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] in (True, "true")
    assert reader.metadata.title == "Bilan final — CNSA-LYON-2016"


def test_tables_headings_and_charts_are_in_the_structure_tree(lyon):
    seen: set[str] = set()
    alts: list[str] = []

    _structure_kinds(_reader(lyon).trailer["/Root"]["/StructTreeRoot"], seen, alts)

    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/P", "/Figure"} <= seen
    assert any(alt.startswith("Prévu et dépensé par axe : axe 1 : prévu") for alt in alts)
    assert any("2016 : 400 750,00 € dont CNSA 213 875,00 €" in alt for alt in alts)


def test_bookmarks_lead_to_each_chapter_and_axis(lyon):
    outline = _reader(lyon).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    nested = [item.title for group in outline if isinstance(group, list) for item in group]

    assert titles == [
        "Synthèse",
        "Situation financière",
        "Comptes rendus en retard",
        "Axes et actions",
        "Visa",
    ]
    assert "Axe 3 : Accès aux métiers et professionnalisation" in nested
