"""The report's words by kind, for the demo's ongoing UNCCAS 2019-2022 convention and its closed
Lyon convention: what a comité de pilotage reads must not suggest a debt that does not exist."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from conventions.models import Convention
from financing.dashboard import convention_action_rows, convention_dashboard, late_reports
from reporting import rendering, selectors
from reporting.wording import ADVANCES_NOTE, CLOSED_ACTION
from tests.reporting.pdf_text import flat, pdf_text

pytestmark = pytest.mark.django_db

LYON = "CNSA-METROPOLE-LYON-2016-2017"
UNCCAS = "CNSA-UNCCAS-2019-2022"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _context(reference, kind, start=None, end=None):
    convention = Convention.objects.get(reference=reference)
    return selectors.report_context(
        convention_id=convention.pk,
        kind=kind,
        period_start=start or convention.start_date,
        period_end=end or convention.end_date,
        prepared_by="Claire Martin",
    )


def _text(reference, kind, start=None, end=None) -> str:
    context = _context(reference, kind, start, end)
    return flat(pdf_text(rendering.html_to_pdf(rendering.report_html(context))))


def test_interim_and_annual_reports_of_an_ongoing_convention_state_no_balance(demo):
    interim = _text(UNCCAS, "interim", end=datetime.date(2021, 6, 30))
    annual = _text(UNCCAS, "annual", datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))

    for text in (interim, annual):
        assert "à reverser" not in text
        assert "soldée aujourd'hui" not in text
        assert f"Solde {ADVANCES_NOTE}" in text
        assert "Dépenses justifiées (comptes rendus approuvés)" in text
        assert "Reste à verser sur le montant CNSA" in text
        assert "Elle est en cours d'exécution." in text
        assert "· En cours" in text and CLOSED_ACTION not in text
    assert "Bilan d'étape" in interim and "Rapport annuel" in annual


def test_the_final_report_of_an_ongoing_convention_states_its_balance(demo):
    text = _text(UNCCAS, "final")

    assert "Solde au vu du bilan final" in text
    assert ADVANCES_NOTE not in text


def test_a_closed_convention_shows_closed_actions_and_only_the_computed_balance(demo):
    final = _text(LYON, "final")
    annual = _text(LYON, "annual", datetime.date(2016, 1, 1), datetime.date(2016, 12, 31))

    for text in (final, annual):
        assert "801 500,00 €" in text and "427 750,00 €" in text and "53,37 %" in text
        assert "· En cours" not in text
        assert f"Métropole de Lyon · {CLOSED_ACTION}" in text
        assert "Elle est clôturée." in text
        assert "Solde de clôture soldé (0,00 €)" in text
        assert "Reste à verser (solde calculé) 0,00 €" in text
        # The CNSA amount never called is said to be released, never left "to pay".
        assert "Part du montant CNSA non appelée, libérée à la clôture 12 822,27 €" in text
        assert "Reste à verser sur le montant CNSA" not in text
        assert "à reverser" not in text


def test_the_report_opens_on_a_summary_a_contents_table_and_closes_on_a_visa(demo):
    text = _text(UNCCAS, "interim", end=datetime.date(2021, 6, 30))

    for chapter in ("Synthèse", "Situation financière", "Comptes rendus en retard", "Visa"):
        assert f"{chapter} ...." in text  # a leader, then its page number
    assert "Axe 1 : " in text
    assert "Prévu : " in text and "Dépensé : " in text and "Versé : " in text
    assert "Données arrêtées au" in text
    assert "Établi par Date Visé par (nom, qualité, signature) Claire Martin" in text
    assert "Total des versements" in text
    assert "Dépenses justifiées par financeur et par année" in text


def test_late_reports_and_figures_are_those_of_the_convention_page(demo):
    convention = Convention.objects.get(reference=UNCCAS)
    dashboard = convention_dashboard(convention=convention, today=timezone.localdate())

    context = _context(UNCCAS, "interim", end=datetime.date(2021, 6, 30))

    every = late_reports(convention_action_rows(convention=convention, today=timezone.localdate()))
    assert sorted((row.code, row.label) for row in context.overdue) == sorted(
        (action.code, due.label) for action, due in every
    )
    assert len(context.overdue) == dashboard.overdue_count > 0  # the demo has late reports
    assert context.summary == dashboard.summary
    assert len(context.problems) == len(dashboard.problems)
    late = f"En retard : {dashboard.overdue_count} comptes rendus"
    assert any(p.startswith(late) for p in context.summary_paragraphs)
