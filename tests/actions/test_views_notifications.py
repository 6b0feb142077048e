"""The notifications pages: each person's list with unread markers and the header's count,
opening one marks it read, preferences chosen per kind."""

from __future__ import annotations

import pytest
from django.urls import reverse

from actions.models import Notification, NotificationPreference
from actions.services import message_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(world):
    message_post(action=world.action69, by=world.officer, body="Pouvez-vous préciser ?")
    return Notification.objects.get(recipient=world.contributor69)


def test_the_list_and_the_header_show_what_is_unread(client, world, told):
    client.force_login(world.contributor69)

    page = client.get(reverse("actions:notifications")).content.decode()

    assert "Nouveau message : action 3.1" in page and "Non lue" in page
    assert '1<span class="fr-sr-only"> non lue</span>' in page


def test_opening_marks_it_read_and_goes_to_the_thread(client, world, told):
    client.force_login(world.contributor69)

    response = client.get(reverse("actions:notification_open", args=[told.pk]))
    unread_only = client.get(reverse("actions:notifications") + "?filtre=non-lues")

    assert response["Location"] == f"/actions/{world.action69.pk}/#echanges"
    told.refresh_from_db()
    assert told.read_at is not None
    assert "Aucune notification non lue." in unread_only.content.decode()
    assert 'fr-sr-only"> non lue' not in unread_only.content.decode()


def test_someone_elses_notification_is_not_found(client, world, told):
    client.force_login(world.contributor13)

    response = client.get(reverse("actions:notification_open", args=[told.pk]))

    assert response.status_code == 404
    assert "Nouveau message" not in client.get(reverse("actions:notifications")).content.decode()


def test_all_can_be_marked_read(client, world, told):
    client.force_login(world.contributor69)

    response = client.post(reverse("actions:notifications_read_all"), follow=True)

    assert "1 notification marquée comme lue." in response.content.decode()
    assert not Notification.objects.unread().exists()


def test_preferences_are_chosen_per_kind(client, world):
    client.force_login(world.contributor69)
    url = reverse("actions:notification_preferences")
    choices = {"submission": "immediate", "return": "immediate", "approval": "none"}
    choices |= {"reminder": "digest", "message": "digest"}

    page = client.get(url).content.decode()
    refused = client.post(url, choices | {"message": "weekly"})
    saved = client.post(url, choices)

    assert "Nouveau message" in page and "Dans le récapitulatif quotidien" in page
    assert refused.status_code == 400
    assert "Choisissez une des trois possibilités." in refused.content.decode()
    assert saved.status_code == 302
    assert (
        dict(
            NotificationPreference.objects.filter(user=world.contributor69).values_list(
                "kind", "delivery"
            )
        )
        == choices
    )


def test_reading_the_thread_reads_its_message_notifications(client, world, told):
    client.force_login(world.contributor69)

    client.get(f"/actions/{world.action69.pk}/")

    told.refresh_from_db()
    assert told.read_at is not None
    assert 'fr-sr-only"> non lue' not in client.get("/notifications/").content.decode()
