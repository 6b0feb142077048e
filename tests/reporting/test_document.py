"""The PDF itself: the Lyon figures, French formatting, 100 actions, a fixed number of queries."""

from __future__ import annotations

import datetime
import gc
import re

import pytest

from reporting import parts, rendering, selectors
from tests.reporting.builders import generated_convention
from tests.reporting.pdf_text import LYON_FIGURES, flat, page_count, pdf_text

pytestmark = pytest.mark.django_db
QUERIES = 19


def _context(convention, kind="final", start=None, end=None):
    return selectors.report_context(
        convention_id=convention.pk,
        kind=kind,
        period_start=start or convention.start_date,
        period_end=end or convention.end_date,
    )


def _pdf(convention, **kwargs) -> bytes:
    return rendering.html_to_pdf(rendering.report_html(_context(convention, **kwargs)))


def test_the_lyon_final_report_shows_the_signed_figures_in_french(lyon):
    text = flat(pdf_text(_pdf(lyon)))

    for figure in LYON_FIGURES:
        assert figure in text
    assert "Bilan final" in text
    assert "Métropole de Lyon" in text
    assert "du 1er janvier 2016 au 31 décembre 2017" in text
    assert "signée le 29 août 2016" in text
    assert "Versé par la CNSA (net des reversements) 213 875,00 €" in text
    assert "Reste à verser sur le montant CNSA 213 875,00 €" in text
    assert "Dépenses justifiées (comptes rendus approuvés) 60 000,00 €" in text
    # 60 000 × 53,37 % = 32 022 owed; 213 875 paid: the final report states 181 853 to reclaim.
    assert "Solde au vu du bilan final 181 853,00 € à reverser par le porteur" in text
    assert "CNSA 213 875,00 € 213 875,00 € 427 750,00 €" in text
    assert "Page 2 sur" in text


def test_each_action_shows_its_indicator_spending_and_approved_narrative(lyon):
    text = flat(pdf_text(_pdf(lyon)))

    assert "Axe 3 : Accès aux métiers et professionnalisation" in text
    assert "3.1 — Fiche action 3.1" in text
    assert "Services accompagnés (services) 0 6 2016 : 4 66,67 %" in text
    assert "Total de l'axe 3 187 750,00 € 100 000,00 €" in text
    assert "Axe 3 : les actions prévues en 2016 ont été conduites." in text


def test_an_annual_report_for_2016_ignores_nothing_reported_before_its_end(lyon):
    context = _context(
        lyon, kind="annual", start=datetime.date(2016, 1, 1), end=datetime.date(2016, 6, 30)
    )

    action = context.axes[0].actions[0]
    assert (action.narrative, action.spent, action.indicators[0].achieved) == (None, 0, None)
    assert context.spending == []


def test_a_convention_of_100_actions_renders_every_action_readably(cnsa):
    convention = generated_convention(cnsa, actions=100)

    data = _pdf(convention)

    text = pdf_text(data)
    words = flat(text)
    assert all(f"Action générée {i} " in words for i in range(1, 101))
    assert "5.20 — Action générée 100" in text
    assert text.count("Compte rendu de l'action") == 100
    assert 20 <= page_count(data) <= 60


@pytest.mark.parametrize("size", [3, 12])
def test_the_context_is_built_in_a_fixed_number_of_queries(cnsa, size, django_assert_num_queries):
    convention = generated_convention(cnsa, actions=size, reference=f"CNSA-Q-{size}")

    # convention, plan, spending, axes, actions, planned, spent, indicator values, indicators,
    # narratives, progress reports and deadlines (late reports), summary, consistency checks (4),
    # payments, amendments
    with django_assert_num_queries(QUERIES):
        context = _context(convention)
        html = rendering.report_html(context)

    assert context.action_count == size
    assert html.count("<h4>") == size


def test_rendering_the_template_runs_no_query(lyon, django_assert_num_queries):
    context = _context(lyon)

    with django_assert_num_queries(0):
        rendering.report_html(context)


def test_overdue_reports_are_counted_the_french_way(cnsa):
    context = _context(generated_convention(cnsa, actions=2, reference="CNSA-PLURAL"))
    overdue = context.overdue

    context.overdue = overdue[:1]
    one = rendering.report_html(context)
    context.overdue = overdue[:3]
    three = rendering.report_html(context)

    assert "1 compte rendu en retard au" in one
    assert "3 comptes rendus en retard au" in three


def test_the_logo_area_names_each_party_and_cofunder_instead_of_empty_frames(lyon):
    html = rendering.report_html(_context(lyon))
    logos = html[html.index('<table class="logos"') :].split("</table>")[0]

    assert "<td>CNSA</td>" in logos
    assert "<td>Métropole de Lyon</td>" in logos
    assert "<td></td>" not in logos


def test_each_late_action_is_one_row_listing_its_late_reports(cnsa):
    context = _context(generated_convention(cnsa, actions=2, reference="CNSA-LATE"))

    text = flat(pdf_text(_pdf_of(context)))

    lead = context.overdue[0].lead
    assert len(context.overdue) == 6
    assert (
        f"1.1 — Action générée 1 {lead} Compte rendu 2020 en retard depuis le 30/06/2021 "
        "Compte rendu 2021 en retard depuis le 30/06/2022 Bilan final en retard depuis le 30/06/2023"
    ) in text


def _elements(html: str) -> int:
    return len(re.findall(r"<[a-z][a-z0-9]*[\s>/]", html))


def test_an_action_adds_few_elements_to_lay_out(cnsa):
    """WeasyPrint's time grows with the elements it lays out: an action with an indicator, a
    narrative of two lines and three late reports adds its row to three tables (a money row, an
    indicator row, its late reports in one row), its heading and two paragraphs, nothing else."""
    ten = rendering.report_html(_context(generated_convention(cnsa, actions=10, reference="C-10")))
    twenty = rendering.report_html(
        _context(generated_convention(cnsa, actions=20, reference="C-20"))
    )

    assert (_elements(twenty) - _elements(ten)) / 10 <= 19


def test_collections_are_rarer_while_a_report_renders_then_restored(lyon, monkeypatch):
    during = []
    fetch = rendering.SafeURLFetcher.fetch

    def recording(self, url, headers=None):
        during.append(gc.get_threshold()[0])
        return fetch(self, url, headers)

    monkeypatch.setattr(rendering.SafeURLFetcher, "fetch", recording)
    before = gc.get_threshold()

    parts.report_pdf(_context(lyon))

    assert during and set(during) == {rendering.RENDER_GC_THRESHOLD}
    assert gc.get_threshold() == before


def _pdf_of(context) -> bytes:
    return rendering.html_to_pdf(rendering.report_html(context))
