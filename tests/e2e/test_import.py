"""An officer imports a financing plan in a real browser, at 1280 px and 390 px, under the CSP and
axe-core: template link, a refused file with its cells, a preview, the confirmation."""

from __future__ import annotations

import pytest

from financing.models import FundingLine
from tests.actions.world import build_world
from tests.e2e.test_journey import Checker, browser, page, sign_in  # noqa: F401 - fixtures
from tests.financing.plan_files import edited, template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("width", [1280, 390])
def test_an_officer_previews_and_applies_a_plan(page, live_server, width):  # noqa: F811
    world = build_world()
    convention = world.convention
    page.set_viewport_size({"width": width, "height": 900})
    axe = Checker()
    data = template(convention)
    sign_in(page, "cnsa.officer", axe=axe)

    page.goto(f"/conventions/{convention.pk}/")
    page.get_by_role("link", name="Importer le plan de financement depuis un tableur").click()
    assert page.get_by_role("link", name="Modèle Excel (XLSX)").is_visible()
    axe.check(page)

    bad = edited(data, "Plan de financement", E2="beaucoup").getvalue()
    page.locator("#id_file").set_input_files(
        files=[{"name": "plan.xlsx", "mimeType": XLSX, "buffer": bad}]
    )
    page.get_by_role("button", name="Voir l'aperçu").click()
    page.get_by_text("Fichier refusé : 1 erreur").wait_for()
    assert "n'est pas un montant" in page.inner_text("main")
    axe.check(page)

    good = edited(data, "Plan de financement", E2=2500).getvalue()
    page.get_by_role("link", name="Déposer un autre fichier").click()
    page.locator("#id_file").set_input_files(
        files=[{"name": "plan.xlsx", "mimeType": XLSX, "buffer": good}]
    )
    page.get_by_role("button", name="Voir l'aperçu").click()
    page.get_by_text("Lignes modifiées (1)").wait_for()
    axe.check(page)
    page.get_by_label("Objet de l'avenant").fill("Avenant : plan révisé")
    page.get_by_role("button", name="Appliquer ces changements").click()
    page.get_by_text("Plan de financement importé").wait_for()
    axe.check(page)

    assert FundingLine.objects.filter(action__axis__convention=convention, amount=2500).count() == 1
    assert convention.amendments.get().description == "Avenant : plan révisé"
    assert axe.problems == []
