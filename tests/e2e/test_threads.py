"""Conversations in a real browser, at 1280 px and 390 px, under the CSP and axe-core: a union
writes with a file on its action's page, an officer answers with an internal note beside."""

from __future__ import annotations

import pytest

from actions.models import Message
from tests.actions.files import PDF
from tests.actions.world import build_world
from tests.e2e.test_journey import Checker, browser, page, sign_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> None:  # noqa: F811
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_a_union_and_an_officer_talk_on_the_action_page(page, live_server, width):  # noqa: F811
    world = build_world()
    page.set_viewport_size({"width": width, "height": 900})
    axe = Checker()
    sign_in(page, "udccas69.contributeur", axe=axe)

    page.goto(f"/actions/{world.action69.pk}/")
    page.get_by_label("Votre message").fill("Faut-il joindre les feuilles d'émargement ?")
    page.locator("#message_file").set_input_files(
        files=[{"name": "emargement.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Envoyer le message").click()
    page.get_by_text("Message envoyé.").wait_for()
    assert page.get_by_role("link", name="emargement.pdf").is_visible()
    assert (
        page.get_by_label(
            "Note interne (lue seulement par les chargés de mission de la CNSA)"
        ).count()
        == 0
    )
    axe.check(page)
    _fits(page, width)

    page.context.clear_cookies()
    sign_in(page, "cnsa.officer", axe=axe)
    page.goto(f"/actions/{world.action69.pk}/")
    assert page.get_by_text("Nouveau", exact=True).first.is_visible()
    page.get_by_label("Votre message").fill("À vérifier avec le budget.")
    page.locator("label[for=message_internal]").click()  # the DSFR box is drawn by its label
    page.get_by_role("button", name="Envoyer le message").click()
    page.get_by_text("Message envoyé.").wait_for()
    assert page.get_by_text("Note interne", exact=True).first.is_visible()
    axe.check(page)
    _fits(page, width)

    assert list(Message.objects.values_list("internal", flat=True).order_by("pk")) == [False, True]
    assert axe.problems == []
