"""The partners' journey in a real browser, with an axe-core accessibility check on every page."""

from __future__ import annotations

import os
import re

import pytest

from tests.actions import files
from tests.actions.world import PASSWORD, build_world

# Playwright's sync API runs an event loop; Django's async-safety check would refuse our ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING = {"serious", "critical"}


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    # Nothing may be fetched from elsewhere than our own server.
    context.route(
        re.compile(r"^(?!http://(localhost|127\.0\.0\.1)).*"), lambda route: route.abort()
    )
    page = context.new_page()
    # The Content-Security-Policy is on (as in production): any violation fails the test.
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not violations, "\n".join(violations)
    # Inside Playwright's event loop Django keeps a separate connection per context: close it, or
    # it keeps the test database busy when pytest drops it.
    from django.db import connections

    connections.close_all()


class Checker:
    """Runs axe-core on each page visited and collects serious or critical violations."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.problems: list[str] = []
        self.pages = 0

    def check(self, page) -> None:
        self.pages += 1
        results = self.axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [node["target"] for node in violation["nodes"]][:3]
                self.problems.append(
                    f"{page.url}: {violation['id']} ({violation['impact']}) {targets}"
                )


def totp_code(device) -> str:
    """The code of the next time step the device has not seen yet (a code is never replayed)."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    step = max(totp.t(), device.last_t + 1)
    totp.time = step * device.step + device.t0
    return f"{totp.token():0{device.digits}d}"


def sign_in(page, username: str, password: str = PASSWORD, axe: Checker | None = None) -> None:
    """Password, then the second factor when the account asks for it (officers do): the first
    time, enrolment with the authenticator app (here, the code computed from the secret)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    if "/compte/double-authentification/" in page.url:
        if axe:
            axe.check(page)
        device = TOTPDevice.objects.get(user__username=username, confirmed=False)
        page.get_by_label("Code à 6 chiffres").fill(totp_code(device))
        page.get_by_role("button", name="Activer").click()
        page.get_by_text("Notez ou imprimez ces codes maintenant").wait_for()
        if axe:
            axe.check(page)
        page.get_by_role("link", name="Continuer").click()
    elif "/connexion/verification/" in page.url:
        if axe:
            axe.check(page)
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("Code à 6 chiffres").fill(totp_code(device))
        page.get_by_role("button", name="Valider").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/connexion/")


def test_a_union_reports_progress_and_an_officer_reviews_it(page, live_server, tmp_path):
    world = build_world()
    axe = Checker()
    spending = page.locator(f"#id_spending_{world.cnsa.pk}")

    # A union's user signs in and opens the action it leads.
    page.goto("/connexion/")
    axe.check(page)
    sign_in(page, "udccas69.contributeur")
    page.wait_for_url("**/mes-actions/")
    assert page.get_by_role("heading", name="Mes actions").is_visible()
    assert "En retard" in page.content()
    axe.check(page)
    page.get_by_role("link", name="3.1 — Analyse de pratiques (Rhône)").click()
    axe.check(page)

    # It fills a report with an error, then corrects it.
    page.get_by_role("link", name="Nouveau compte rendu").click()
    axe.check(page)
    page.locator("#id_period").select_option(label="Année 2019")
    page.locator(f"#id_value_{world.indicator69.pk}").fill("6")
    spending.fill("-5")
    page.locator("#id_narrative").fill("Six séances d'analyse de pratiques ont eu lieu.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    assert page.get_by_text("Saisissez une valeur positive ou nulle.", exact=True).is_visible()
    # The summary above the form links to the field.
    assert page.get_by_role("link", name=re.compile("Dépenses financées par CNSA")).is_visible()
    axe.check(page)
    spending.fill("1 500,50")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_text("Compte rendu enregistré en brouillon.").wait_for()
    axe.check(page)

    # It uploads a PDF, then submits after confirming.
    page.locator("#id_file").set_input_files(
        files=[
            {"name": "feuilles-emargement.pdf", "mimeType": "application/pdf", "buffer": files.PDF}
        ]
    )
    page.get_by_role("button", name="Déposer le fichier").click()
    assert page.get_by_role("link", name="feuilles-emargement.pdf").is_visible()
    axe.check(page)
    page.get_by_role("link", name="Transmettre à la CNSA").click()
    axe.check(page)
    page.get_by_role("button", name="Confirmer la transmission").click()
    page.get_by_text("Compte rendu transmis à la CNSA").wait_for()
    report_url = page.url
    sign_out(page)

    # An officer returns it with a comment (enrolling in two-factor authentication first).
    sign_in(page, "cnsa.officer", axe=axe)
    page.wait_for_url("**/portefeuille/")
    axe.check(page)
    page.get_by_role("link", name="Comptes rendus à relire").click()
    axe.check(page)
    page.get_by_role("link", name=re.compile("3.1 — Analyse de pratiques")).click()
    axe.check(page)
    page.locator("#id_comment").fill("Joignez aussi le budget détaillé.")
    page.get_by_role("button", name="Renvoyer pour correction").click()
    page.get_by_text("Compte rendu renvoyé au partenaire.").wait_for()
    sign_out(page)

    # The union corrects it and submits again.
    sign_in(page, "udccas69.contributeur")
    page.goto(report_url)
    assert page.get_by_text("Joignez aussi le budget détaillé.").first.is_visible()
    axe.check(page)
    page.get_by_role("link", name="Modifier").click()
    page.locator("#id_narrative").fill("Six séances ; budget détaillé joint.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("link", name="Transmettre à la CNSA").click()
    page.get_by_role("button", name="Confirmer la transmission").click()
    page.get_by_text("Compte rendu transmis à la CNSA").wait_for()
    sign_out(page)

    # The officer approves (a second code this time); the dashboard and the totals show the spending.
    sign_in(page, "cnsa.officer", axe=axe)
    page.goto(report_url)
    page.get_by_role("button", name="Approuver").click()
    page.get_by_text("Compte rendu approuvé.").wait_for()
    page.goto(f"/conventions/{world.convention.pk}/")
    assert "1\u00a0500,50\u00a0€" in page.inner_text("main")
    assert page.locator("svg.chart").count() == 1
    axe.check(page)
    totals = page.request.get("/api/v1/totals/?group_by=convention").json()
    assert [row["spent"] for row in totals["results"]] == ["1500.50"]

    assert axe.problems == []
    assert axe.pages == 16  # 13 pages of the journey, enrolment, recovery codes, code entry
