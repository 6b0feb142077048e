"""The header's unread count: right from the database, then served by the cache without a query,
refreshed once forgotten, never broken by a cache that fails; each person's delivery choices,
immediate by default."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from actions import selectors_notifications
from actions.models import Delivery, Kind, Notification, NotificationPreference
from actions.selectors_notifications import preferences_for, unread_count, unread_forget

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _notify(user, *, read: bool = False) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind=Kind.MESSAGE,
        subject="Nouveau message",
        body="Bonjour",
        delivery=Delivery.IMMEDIATE,
        day=datetime.date(2020, 3, 2),
        read_at=timezone.now() if read else None,
    )


class TestUnreadCount:
    def test_only_ones_own_unread_notifications_count(self, world):
        _notify(world.officer)
        _notify(world.officer)
        _notify(world.officer, read=True)
        _notify(world.contributor69)

        assert unread_count(user=world.officer) == 2
        assert unread_count(user=world.contributor69) == 1
        assert unread_count(user=world.reader69) == 0

    def test_the_second_reading_comes_from_the_cache_without_a_query(
        self, world, django_assert_num_queries
    ):
        _notify(world.officer)
        assert unread_count(user=world.officer) == 1
        _notify(world.officer)

        with django_assert_num_queries(0):
            assert unread_count(user=world.officer) == 1  # the cached figure, until forgotten

    def test_a_forgotten_count_is_read_again_from_the_database(self, world):
        _notify(world.officer)
        _notify(world.contributor69)
        unread_count(user=world.officer)
        unread_count(user=world.contributor69)
        _notify(world.officer)
        _notify(world.contributor69)

        unread_forget(users=[world.officer])

        assert unread_count(user=world.officer) == 2
        assert unread_count(user=world.contributor69) == 1  # not forgotten: still cached

    def test_a_zero_is_cached_too(self, world, django_assert_num_queries):
        assert unread_count(user=world.officer) == 0

        with django_assert_num_queries(0):
            assert unread_count(user=world.officer) == 0

    def test_two_accounts_with_one_id_in_two_databases_do_not_share_an_entry(self, world):
        _notify(world.officer)
        unread_count(user=world.officer)
        _notify(world.officer)
        world.officer.date_joined -= datetime.timedelta(days=1)  # another account, same id

        assert unread_count(user=world.officer) == 2  # not the first account's cached 1

    def test_a_failing_cache_never_breaks_the_count(self, world, monkeypatch):
        def broken(*args, **kwargs):
            raise ConnectionError("cache down")

        for name in ("get", "set", "delete_many"):
            monkeypatch.setattr(selectors_notifications.cache, name, broken)
        _notify(world.officer)

        assert unread_count(user=world.officer) == 1
        unread_forget(users=[world.officer])


class TestPreferences:
    def test_every_kind_is_immediate_until_chosen(self, world):
        preferences = preferences_for(user=world.officer)

        assert preferences == {kind.value: "immediate" for kind in Kind}
        assert set(preferences) == {"submission", "return", "approval", "reminder", "message"}

    def test_stored_choices_override_the_default_for_that_person_only(self, world):
        NotificationPreference.objects.create(
            user=world.officer, kind=Kind.MESSAGE, delivery=Delivery.DIGEST
        )
        NotificationPreference.objects.create(
            user=world.officer, kind=Kind.REMINDER, delivery=Delivery.NONE
        )

        mine = preferences_for(user=world.officer)

        assert (mine["message"], mine["reminder"], mine["submission"]) == (
            "digest",
            "none",
            "immediate",
        )
        assert preferences_for(user=world.contributor69)["message"] == "immediate"
