"""A clock the test moves: `timezone.now()` (and so `localdate()`) answer the moment it is set to."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


class Clock:
    def __init__(self, monkeypatch, start: datetime.date):
        self.moment = self._at(start, 8)
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    @staticmethod
    def _at(day: datetime.date, hour: int) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), ZoneInfo(settings.TIME_ZONE))

    def set(self, day: datetime.date, hour: int = 10) -> None:
        self.moment = self._at(day, hour)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.moment)
