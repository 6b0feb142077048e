"""The strict Content-Security-Policy (no inline script) holds on the DSFR pages, the admin and
the API documentation: chromium reports no violation."""

from __future__ import annotations

import pytest

from tests.e2e.test_journey import browser, page, sign_in  # noqa: F401 - the fixtures
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_and_api_docs_run_under_the_csp_without_violation(page, live_server):  # noqa: F811
    cnsa = OrganisationFactory(kind="funder", name="CNSA", short_name="CNSA")
    officer = UserFactory(username="agent", is_staff=True)
    officer.set_password("mot-de-passe-de-test-42")
    officer.save()
    MembershipFactory(user=officer, organisation=cnsa, role="officer")
    csp_headers = []
    page.on(
        "response",
        lambda r: (
            csp_headers.append(r.headers.get("content-security-policy"))
            if r.request.resource_type == "document"
            else None
        ),
    )

    sign_in(page, "agent", "mot-de-passe-de-test-42")  # enrols in two-factor authentication
    page.goto("/admin/")
    page.wait_for_selector("#content")
    page.goto("/admin/conventions/convention/add/")
    page.wait_for_selector("form")
    page.goto("/api/docs/")
    # Swagger UI is built by its script: it shows only if the script ran under the CSP.
    page.wait_for_selector(".swagger-ui .info", timeout=20_000)

    assert csp_headers and all("script-src 'self'" in (h or "") for h in csp_headers)
