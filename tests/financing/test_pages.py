import pytest
from django.contrib import messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_dashboard_links_to_the_convention_reports(client, officer, convention):
    client.force_login(officer)

    page = client.get(reverse("backoffice:convention", args=[convention.pk])).content.decode()

    assert reverse("reporting:convention_reports", args=[convention.pk]) in page


def test_a_warning_message_is_shown_as_a_dsfr_warning(client, officer, convention):
    request = RequestFactory().get("/")
    request.user = officer
    storage = [messages.storage.base.Message(messages.WARNING, "Redis indisponible")]

    html = render_to_string("base.html", {"messages": storage}, request=request)

    assert "fr-alert--warning" in html and "Redis indisponible" in html
