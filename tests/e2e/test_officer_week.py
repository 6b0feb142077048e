"""An officer's week in a real browser: a convention set up with 2 axes, 4 actions and a 3-funder ×
3-year plan typed in the grid, signed, amended, an advance recorded, a report reviewed, the
portfolio opened; then every page again at 390 px. axe-core finds no violation of any impact, and
no workspace or partner page scrolls sideways on a phone."""

from __future__ import annotations

import datetime
import re

import pytest

from actions.models import Action, ProgressReport
from axes.models import Axis
from conventions.models import Convention, Organisation
from financing.models import FundingLine, Payment
from tests.actions.world import build_world
from tests.e2e.test_journey import browser, page, sign_in  # noqa: F401 - the fixtures
from tests.factories import OrganisationFactory, ProgressReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


class StrictChecker:
    """axe-core on each page: every violation counts, whatever its impact."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.problems: list[str] = []
        self.urls: list[str] = []

    def check(self, page) -> None:  # noqa: F811
        page.wait_for_load_state()
        if page.url not in self.urls:
            self.urls.append(page.url)
        for violation in self.axe.run(page).response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            self.problems.append(
                f"{page.viewport_size['width']} px {page.url}: {violation['id']} "
                f"({violation['impact']}) {targets}"
            )


# Which elements stick out past the phone width, to say what makes a page too wide.
OVERFLOWING_JS = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392 && e.parentElement.getBoundingClientRect().right <= 392).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(' | ')"""


def too_wide(page) -> str | None:  # noqa: F811
    width = page.evaluate("document.documentElement.scrollWidth")
    return f"{page.url}: {width} px" if width > PHONE["width"] else None


def on_a_phone(page, urls: list[str], axe: StrictChecker) -> list[str]:  # noqa: F811
    """Each page at 390 px: axe-core, and no sideways scrolling."""
    page.set_viewport_size(PHONE)
    wide = []
    for url in urls:
        page.goto(url)
        axe.check(page)
        if problem := too_wide(page):
            wide.append(problem)
            wide.append(page.evaluate(OVERFLOWING_JS))
    return wide


def open_the_menu(page, name: str) -> None:  # noqa: F811
    """On a phone the header's tools move into the menu: the user's name and sign-out are there."""
    page.get_by_role("button", name="Menu").click()
    menu = page.locator("#menu-mobile")
    menu.get_by_role("link", name=name).wait_for()
    assert menu.get_by_role("button", name="Se déconnecter").is_visible()
    assert menu.get_by_role("link", name="Mes actions").is_visible()
    menu.get_by_role("button", name="Fermer", exact=True).click()


def test_an_officer_week_at_1280_then_390_px(page, live_server):  # noqa: F811
    world = build_world()
    world.officer.first_name, world.officer.last_name = "Claire", "Martin"
    world.officer.save()
    ars = OrganisationFactory(name="ARS Auvergne-Rhône-Alpes", kind=Organisation.Kind.COFUNDER)
    axe = StrictChecker()
    page.set_viewport_size(DESKTOP)
    sign_in(page, "cnsa.officer", axe=axe)
    page.wait_for_url("**/portefeuille/")

    # Monday: the convention, its two axes and four actions.
    page.goto("/conventions/nouvelle/")
    axe.check(page)
    page.locator("#id_reference").fill("CNSA-UNCCAS-2024")
    page.locator("#id_title").fill("Modernisation de l'aide à domicile")
    page.locator("#id_beneficiary").select_option(label=world.unccas.name)
    page.locator("#id_start_date").fill("2024-01-01")
    page.locator("#id_end_date").fill("2026-12-31")
    page.get_by_role("button", name="Enregistrer et passer aux axes").click()
    page.wait_for_load_state()
    assert page.url.endswith("/axes/"), page.inner_text("main")[:1500]
    convention = Convention.objects.get(reference="CNSA-UNCCAS-2024")
    axe.check(page)
    for number, title in [(1, "Structuration de l'offre"), (2, "Professionnalisation")]:
        page.locator("#id_number").fill(str(number))
        page.locator("#id_title").fill(title)
        page.get_by_role("button", name="Ajouter un axe").click()
        page.get_by_role("cell", name=title).wait_for()
    page.goto(f"/conventions/{convention.pk}/actions/")
    axe.check(page)
    for axis, code, lead in [(1, "1.1", world.ud69), (1, "1.2", world.ud13)] + [
        (2, "2.1", world.ud69),
        (2, "2.2", world.unccas),
    ]:
        axis_pk = Axis.objects.get(convention=convention, number=axis).pk
        page.locator("#id_axis").select_option(str(axis_pk))
        page.locator("#id_code").fill(code)
        page.locator("#id_title").fill(f"Action {code}")
        page.locator("#id_lead_organisation").select_option(label=lead.name)
        page.get_by_role("button", name="Ajouter une action").click()
        page.get_by_role("cell", name=f"{code} — Action {code}").wait_for()
    assert Action.objects.filter(axis__convention=convention).count() == 4
    axe.check(page)

    # Tuesday: the financing plan in the grid, three funders over three years, then signed.
    # CNSA and the porteur are in the grid from the start; the ARS joins them.
    page.goto(f"/conventions/{convention.pk}/plan-de-financement/")
    page.locator("#id_financeur_ajoute").select_option(label=ars.name)
    page.get_by_role("button", name="Ajouter la colonne").click()
    page.wait_for_load_state()
    cells = page.locator("input.plan-input")
    assert cells.count() == 4 * 3 * 3
    for index in range(cells.count()):
        cells.nth(index).fill("1 000")
    assert page.locator("[data-grand-total]").first.inner_text() == "36\u00a0000,00\u00a0€"
    axe.check(page)
    page.get_by_role("button", name="Enregistrer le plan").click()
    page.wait_for_load_state()
    assert FundingLine.objects.filter(action__axis__convention=convention).count() == 36
    axe.check(page)
    page.goto(f"/conventions/{convention.pk}/signer/")
    axe.check(page)
    page.locator("#id_signature_date").fill("2024-02-01")
    page.locator("label[for=id_confirm]").click()
    page.get_by_role("button", name="Signer la convention").click()
    page.wait_for_url(f"**/conventions/{convention.pk}/")
    convention.refresh_from_db()
    assert convention.status == "signed"
    axe.check(page)

    # Wednesday: an amendment from the grid.
    page.get_by_role("link", name="Plan de financement").first.click()
    page.locator("input.plan-input").first.fill("2 500")
    page.get_by_role("button", name="Préparer l'avenant").click()
    page.get_by_role("heading", name="Avenant à confirmer").wait_for()
    axe.check(page)
    page.get_by_label("Objet de l'avenant").fill("Avenant n° 1 : action 1.1 renforcée")
    page.get_by_role("button", name="Enregistrer l'avenant").click()
    page.wait_for_load_state()
    assert convention.amendments.count() == 1
    axe.check(page)

    # Thursday: the advance, proposed from the convention's terms, recorded as paid.
    page.goto(f"/conventions/{convention.pk}/versements/")
    axe.check(page)
    page.get_by_role("link", name=re.compile("Reprendre dans le formulaire")).first.click()
    page.locator("#id_status").select_option("paid")
    page.locator("#id_paid_on").fill("2024-03-01")
    page.get_by_role("button", name="Enregistrer le versement").click()
    page.wait_for_load_state()
    assert Payment.objects.filter(convention=convention, status="paid").count() == 1
    axe.check(page)

    # Friday: a union's report reviewed, then the portfolio.
    action = Action.objects.get(axis__convention=convention, code="1.1")
    ProgressReportFactory(
        action=action,
        status=ProgressReport.Status.SUBMITTED,
        submitted_by=world.contributor69,
        submitted_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC),
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        narrative="Six séances tenues.",
    )
    page.goto("/comptes-rendus/a-relire/")
    axe.check(page)
    page.get_by_role("link", name="1.1 — Action 1.1").click()
    axe.check(page)
    page.get_by_role("button", name="Approuver").click()
    page.get_by_text("Compte rendu approuvé.").wait_for()
    axe.check(page)
    page.get_by_role("link", name="Portefeuille").first.click()
    page.wait_for_url("**/portefeuille/")
    axe.check(page)
    for url in (
        "/conventions/",
        f"/conventions/{convention.pk}/historique/",
        f"/conventions/{convention.pk}/indicateurs/",
        f"/actions/{action.pk}/",
        "/mes-actions/",
        "/notifications/",
    ):
        page.goto(url)
        axe.check(page)

    # The same pages on a phone; the header's menu holds the name and sign-out.
    wide = on_a_phone(page, list(axe.urls), axe)
    open_the_menu(page, "Claire Martin")

    assert not axe.problems, "\n".join(axe.problems)
    assert not wide, "\n".join(wide)


def test_partner_pages_fit_a_phone(page, live_server):  # noqa: F811
    world = build_world()
    report = ProgressReportFactory(
        action=world.action69, narrative="Fait.", status=ProgressReport.Status.DRAFT
    )
    axe = StrictChecker()
    page.set_viewport_size(PHONE)
    sign_in(page, "udccas69.contributeur")
    page.wait_for_url("**/mes-actions/")
    urls = [
        "/mes-actions/",
        "/mes-actions/?q=introuvable",
        f"/actions/{world.action69.pk}/",
        f"/actions/{world.action69.pk}/comptes-rendus/nouveau/",
        f"/comptes-rendus/{report.pk}/",
        f"/comptes-rendus/{report.pk}/modifier/",
        f"/comptes-rendus/{report.pk}/transmettre/",
        f"/conventions/{world.convention.pk}/calendrier/",
        "/notifications/",
        "/notifications/preferences/",
        "/compte/",
    ]
    wide = on_a_phone(page, urls, axe)
    open_the_menu(page, world.contributor69.username)

    assert not axe.problems, "\n".join(axe.problems)
    assert not wide, "\n".join(wide)
